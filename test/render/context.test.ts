import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '../../src/domain/types.js';
import { isOrderKind, sampleContext, type TemplateContext } from '../../src/render/context.js';
import { projectContext } from '../../src/render/context-schema.js';

describe('sampleContext', () => {
  it('has an order for order kinds and a shipment for every other kind', () => {
    for (const kind of NOTIFICATION_KINDS) {
      for (const locale of ['en', 'es']) {
        const ctx = sampleContext(kind, locale);
        expect(ctx.kind).toBe(kind);
        if (isOrderKind(kind)) {
          expect(ctx.order, kind).not.toBeNull();
          expect(ctx.shipment, kind).toBeNull();
        } else {
          expect(ctx.shipment?.trackingUrl, kind).toMatch(/^https:\/\//);
          expect(ctx.shipment?.lastEvent?.time, kind).toMatch(/^2026-/);
        }
      }
    }
  });

  it('addresses not_scanned to the seller and everything else to the buyer by default', () => {
    expect(sampleContext('not_scanned', 'en').recipient.role).toBe('seller');
    expect(sampleContext('shipped', 'en').recipient.role).toBe('buyer');
    expect(sampleContext('shipped', 'es', { role: 'admin' }).recipient.role).toBe('admin');
  });

  it('uses regional data for es and en data for locales without their own', () => {
    const es = sampleContext('delivered', 'es');
    expect(es.recipient).toMatchObject({ locale: 'es-MX', timezone: 'America/Mexico_City' });
    expect(es.order?.currency).toBe('MXN');
    expect(es.proof?.signedBy).toBe('C. RUIZ');
    const fr = sampleContext('delivered', 'fr');
    expect(fr.recipient.locale).toBe('fr');
    expect(fr.order?.currency).toBe('USD');
  });

  it('leaves out everything optional when sparse', () => {
    const ctx = sampleContext('exception', 'en', { sparse: true });
    expect(ctx.order).toBeNull();
    expect(ctx.proof).toBeNull();
    expect(ctx.shipment).toEqual({ id: 'shp_01JD8X7Q3M', carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784', status: 'exception' });
    expect(sampleContext('order_confirmed', 'en', { sparse: true }).order).not.toBeNull();
  });

  it('hands out independent copies', () => {
    const first = sampleContext('shipped', 'en');
    first.order!.items[0]!.name = 'changed';
    expect(sampleContext('shipped', 'en').order!.items[0]!.name).toBe('Ceramic pour-over coffee set');
  });
});

describe('projectContext', () => {
  it('keeps exactly the documented fields, with absent optional ones as null, on prototype-free objects', () => {
    const ctx = sampleContext('shipped', 'en', { sparse: true });
    const extra = { ...ctx, secret: 'token', recipient: { ...ctx.recipient, email: 'jordan@example.com' } } as TemplateContext;
    const projected = projectContext('shipped', extra);
    expect(Object.keys(projected)).toEqual(['recipient', 'order', 'shipment', 'proof', 'links', 'kind', 'digest']);
    expect(projected.digest).toBeNull();
    expect(Object.getPrototypeOf(projected)).toBeNull();
    expect(Object.keys(projected.recipient as object)).toEqual(['id', 'name', 'role', 'locale', 'timezone']);
    expect(projected.shipment).toMatchObject({ eta: null, subStatus: null, lastEvent: null });
    expect(projected.kind).toBe('shipped');
  });

  it('turns Date values into ISO strings and drops values of the wrong shape', () => {
    const ctx = sampleContext('delivered', 'en');
    const odd = { ...ctx, proof: { time: new Date('2026-11-26T20:14:00Z'), signedBy: { first: 'J' } } } as unknown as TemplateContext;
    expect(projectContext('delivered', odd).proof).toEqual(Object.assign(Object.create(null), { time: '2026-11-26T20:14:00.000Z', signedBy: null, photoUrl: null, location: null }));
  });
});
