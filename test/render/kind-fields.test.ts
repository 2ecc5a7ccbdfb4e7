/**
 * Context fields that belong to one kind: `invalidTrackingNumber`, the refused number an
 * `invalid_tracking_number` seller alert is about (it travels as the notification's discriminator).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { identifyTrackingNumber } from '../../src/ingest/tracking-number.js';
import { isOrderKind, sampleContext } from '../../src/render/context.js';
import { projectContext } from '../../src/render/context-schema.js';
import { loadTemplates, type TemplateEngine } from '../../src/render/engine.js';
import { TemplateContextError } from '../../src/render/errors.js';
import { TEMPLATES } from './template-dir.js';

let engine: TemplateEngine;
beforeAll(async () => {
  engine = await loadTemplates({ dir: TEMPLATES });
});

describe('invalidTrackingNumber', () => {
  it('is in the sample of an invalid_tracking_number message, a seller message about an order with no shipment', () => {
    for (const locale of ['en', 'es']) {
      const ctx = sampleContext('invalid_tracking_number', locale, { sparse: true });
      expect(isOrderKind('invalid_tracking_number')).toBe(true);
      expect(ctx).toMatchObject({ kind: 'invalid_tracking_number', shipment: null, recipient: { role: 'seller' } });
      expect(ctx.order).not.toBeNull();
      // A realistic sample: a number with the shape of one, refused for its check digit.
      expect(() => identifyTrackingNumber(ctx.invalidTrackingNumber!)).toThrow(/check digit is wrong/);
    }
    expect(sampleContext('order_cancelled', 'en').invalidTrackingNumber).toBeUndefined();
  });

  it('reaches only the templates of its kind, and that kind cannot render without it', () => {
    const ctx = sampleContext('invalid_tracking_number', 'en');
    expect(projectContext('invalid_tracking_number', ctx).invalidTrackingNumber).toBe('1Z999AA10123456785');
    expect(Object.keys(projectContext('order_cancelled', { ...ctx, kind: 'order_cancelled' }))).not.toContain('invalidTrackingNumber');
    const { invalidTrackingNumber: _dropped, ...without } = ctx;
    expect(() => projectContext('invalid_tracking_number', without)).toThrow(TemplateContextError);
    expect(() => projectContext('invalid_tracking_number', { ...ctx, invalidTrackingNumber: '' })).toThrow(/needs context.invalidTrackingNumber/);
  });

  it('is refused in an admin edit of another kind and accepted in its own', () => {
    const source = 'Order #{{order.id}}: {{invalidTrackingNumber}} {{links.track}}';
    expect(engine.check('en', 'invalid_tracking_number', 'sms', source)).toEqual([]);
    expect(engine.check('en', 'order_cancelled', 'sms', source)[0]?.reason).toMatch(/invalidTrackingNumber/);
  });

  it('tells the seller which order, which number, and what to do, in English and Spanish', () => {
    const en = engine.email('invalid_tracking_number', sampleContext('invalid_tracking_number', 'en'));
    expect(en.subject).toBe('Tracking number 1Z999AA10123456785 for order #A-10482 was not accepted');
    expect(en.text).toContain('Copy the number again from the shipping label');
    const es = engine.email('invalid_tracking_number', sampleContext('invalid_tracking_number', 'es'));
    expect(es.subject).toBe('No se aceptó el número de rastreo 7318562149 del pedido #MX-20931');
    expect(es.html).toContain('<strong>7318562149</strong>');
    const sms = engine.sms('invalid_tracking_number', sampleContext('invalid_tracking_number', 'es'));
    expect(sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });
});
