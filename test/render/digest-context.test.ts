/** The `digest` field of the template context: documented shape, sample data, and the digest templates that read it. */
import { describe, expect, it } from 'vitest';
import { sampleContext, type TemplateContext } from '../../src/render/context.js';
import { projectContext } from '../../src/render/context-schema.js';
import { loadTemplates } from '../../src/render/engine.js';
import { TEMPLATES } from './template-dir.js';

const twoParcels = (ctx: TemplateContext): TemplateContext => ({
  ...ctx,
  digest: {
    shipments: [
      { carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784', events: [
        { time: '2026-11-23T03:40:00Z', status: 'in_transit', description: 'Arrived at facility', location: 'Portland, OR, US' },
        { time: '2026-11-23T14:12:00Z', status: 'in_transit', description: 'Departed <facility>' },
      ] },
      { carrier: 'USPS', trackingNumber: '9400111899223100000000', trackingUrl: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223100000000', events: [
        { time: '2026-11-23T11:00:00Z', status: 'in_transit', description: 'In transit to next facility' },
      ] },
    ],
  },
});

describe('context.digest', () => {
  it('is sampled for in_transit_update only, with its scans oldest first, and null when sparse', () => {
    const ctx = sampleContext('in_transit_update', 'en');
    const events = ctx.digest!.shipments[0]!.events;
    expect(events.length).toBe(3);
    expect(events.map((e) => e.time)).toEqual([...events.map((e) => e.time)].sort());
    expect(events.at(-1)).toEqual(ctx.shipment!.lastEvent);
    expect(sampleContext('in_transit_update', 'en', { sparse: true }).digest).toBeNull();
    expect(sampleContext('shipped', 'es').digest).toBeNull();
  });

  it('projects only the documented digest fields', () => {
    const ctx = twoParcels(sampleContext('in_transit_update', 'en'));
    (ctx.digest!.shipments[0] as unknown as Record<string, unknown>).secret = 'x';
    const projected = projectContext('in_transit_update', ctx) as { digest: { shipments: Record<string, unknown>[] } };
    expect(Object.keys(projected.digest.shipments[0]!)).toEqual(['carrier', 'trackingNumber', 'trackingUrl', 'events']);
    expect(projected.digest.shipments).toHaveLength(2);
  });

  it.each(['en', 'es'])('lists every scan of every parcel in the %s email, escaped in HTML', async (locale) => {
    const engine = await loadTemplates({ dir: TEMPLATES });
    const mail = engine.email('in_transit_update', twoParcels(sampleContext('in_transit_update', locale)));
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('1Z999AA10123456784');
      expect(part).toContain('9400111899223100000000');
      expect(part).toContain('Arrived at facility');
      expect(part).toContain('In transit to next facility');
    }
    expect(mail.html).toContain('Departed &lt;facility&gt;');
    expect(mail.text).toContain('Departed <facility>');
  });

  it('falls back to the single latest scan when there is no digest', async () => {
    const engine = await loadTemplates({ dir: TEMPLATES });
    const mail = engine.email('in_transit_update', { ...sampleContext('in_transit_update', 'en'), digest: null });
    expect(mail.text).toContain('Latest scan: Departed from facility');
    expect(mail.text).not.toContain('Arrived at facility');
  });
});
