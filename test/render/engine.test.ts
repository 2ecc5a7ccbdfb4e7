import Handlebars from 'handlebars';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../src/domain/types.js';
import { isOrderKind, sampleContext, type TemplateContext } from '../../src/render/context.js';
import { loadTemplates, type TemplateEngine, type TemplatePart, type TemplateSource } from '../../src/render/engine.js';
import { TemplateContextError, TemplateError } from '../../src/render/errors.js';
import { TEMPLATES } from './template-dir.js';

let engine: TemplateEngine;
beforeAll(async () => {
  engine = await loadTemplates({ dir: TEMPLATES });
});

const LEAKS = /undefined|\[object Object\]|\bnull\b|NaN|\{\{|\}\}/;

function trackingLinks(kind: NotificationKind, ctx: TemplateContext): string[] {
  return isOrderKind(kind) || !ctx.shipment ? [ctx.links.track] : [ctx.shipment.trackingUrl];
}

describe('every kind, locale, role and channel renders from the sample data', () => {
  describe.each(NOTIFICATION_KINDS)('%s', (kind) => {
    it.each(['en', 'es'])('in %s', (locale) => {
      for (const role of ['buyer', 'seller', 'admin'] as const) {
        for (const sparse of [false, true]) {
          const ctx = sampleContext(kind, locale, { role, sparse });
          const label = `${kind}/${locale}/${role}${sparse ? '/sparse' : ''}`;

          const email = engine.email(kind, ctx);
          expect(email.subject, label).not.toBe('');
          expect(email.subject, label).not.toMatch(/\n/);
          expect(email.html, label).toMatch(/^<!DOCTYPE html>/);
          expect(email.html, label).toContain(`<html lang="${ctx.recipient.locale}">`);
          for (const link of [ctx.links.track, ctx.links.preferences, ctx.links.unsubscribe]) {
            expect(email.html, label).toContain(`href="${Handlebars.escapeExpression(link)}"`);
            expect(email.text, label).toContain(link);
          }
          if (ctx.shipment) expect(email.html, label).toContain(Handlebars.escapeExpression(ctx.shipment.trackingUrl));
          for (const out of [email.subject, email.html, email.text]) expect(out, label).not.toMatch(LEAKS);

          const sms = engine.sms(kind, ctx);
          expect(trackingLinks(kind, ctx).some((link) => sms.body.includes(link)), label).toBe(true);
          expect(sms.encoding, label).toBe('GSM-7');
          expect(sms.segments, label).toBeGreaterThanOrEqual(1);
          expect(sms.segments, label).toBeLessThanOrEqual(2);
          expect(sms.body, label).not.toMatch(LEAKS);

          const push = engine.push(kind, ctx);
          expect(push.title, label).not.toBe('');
          expect(push.body, label).not.toBe('');
          expect(`${push.title} ${push.body}`, label).not.toMatch(LEAKS);
        }
      }
    });
  });

  it('writes Spanish for Spanish readers and English for English ones', () => {
    const es = engine.email('shipped', sampleContext('shipped', 'es'));
    expect(es.subject).toBe('Tu pedido #MX-20931 va en camino');
    expect(es.text).toContain('Hola Carmen Ruiz:');
    expect(es.text).toContain('Darme de baja: https://tienda.example.mx/u/8fK2qL9x');
    expect(es.html).toContain('jueves, 26 de noviembre');
    const en = engine.email('shipped', sampleContext('shipped', 'en'));
    expect(en.subject).toBe('Your order #A-10482 has shipped');
    expect(en.html).toContain('Thursday, November 26');
  });

  it('shows proof of delivery when there is some', () => {
    const text = engine.email('delivered', sampleContext('delivered', 'en')).text;
    expect(text).toContain('Signed by: J. LEE');
    expect(text).toContain('Left at: Front door');
    expect(text).toContain('Delivery photo: https://www.ups.com/pod/1Z999AA10123456784.jpg');
    expect(text).toContain('Delivered: Thursday, November 26 at 12:14 PM');
    const sparse = engine.email('delivered', sampleContext('delivered', 'en', { sparse: true })).text;
    expect(sparse).not.toContain('Proof of delivery');
  });

  it('puts the exception sub-status in words', () => {
    const ctx = sampleContext('exception', 'es');
    expect(engine.sms('exception', ctx).body).toContain('hay que revisar el domicilio de entrega');
    expect(engine.email('exception', { ...ctx, shipment: { ...ctx.shipment!, subStatus: 'customs_hold' } }).html).toContain('retenido en aduana');
  });

  it('words seller messages for the seller', () => {
    const seller = engine.email('not_scanned', sampleContext('not_scanned', 'en'));
    expect(seller.subject).toBe('Not scanned yet: order #A-10482');
    expect(seller.text).toContain('schedule a pickup');
    const buyer = engine.email('not_scanned', sampleContext('not_scanned', 'en', { role: 'buyer' }));
    expect(buyer.subject).toBe("Your order #A-10482 hasn't been handed to the carrier yet");
  });
});

describe('escaping', () => {
  const hostile = '<script>alert("x")</script> & Co';

  it('escapes context values in HTML but not in plain text, SMS or push', () => {
    const ctx = sampleContext('available_for_pickup', 'en');
    ctx.recipient.name = hostile;
    ctx.shipment!.lastEvent!.location = hostile;
    const email = engine.email('available_for_pickup', ctx);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(email.text).toContain(hostile);
    expect(engine.sms('available_for_pickup', ctx).body).toContain(`Hi ${hostile},`);
    expect(engine.push('available_for_pickup', ctx).body).toContain(hostile);
  });

  it('does not HTML-escape the subject, which is a header, not markup', () => {
    const ctx = sampleContext('order_confirmed', 'en', { role: 'seller' });
    ctx.order!.id = 'A&B<1>';
    const email = engine.email('order_confirmed', ctx);
    expect(email.subject).toBe('New order #A&B<1>: $73.00');
    expect(email.html).toContain('<title>New order #A&amp;B&lt;1&gt;: $73.00</title>');
  });
});

describe('locale fallback', () => {
  it('goes from es-MX to es, and from a locale without templates to en', () => {
    const ctx = sampleContext('shipped', 'es');
    expect(ctx.recipient.locale).toBe('es-MX');
    expect(engine.push('shipped', ctx).title).toBe('¡Tu pedido va en camino!');
    expect(engine.push('shipped', { ...ctx, recipient: { ...ctx.recipient, locale: 'es-AR' } }).title).toBe('¡Tu pedido va en camino!');
    const french = sampleContext('shipped', 'en');
    french.recipient.locale = 'fr-FR';
    const push = engine.push('shipped', french);
    expect(push.title).toBe('Your order has shipped');
    // English copy gets English dates, not "jeudi 26 novembre".
    expect(push.body).toContain('Thursday, November 26');
    expect(engine.renderPart('not-a-locale!', 'shipped', 'push.title', french)).toBe('Your order has shipped');
  });

  it('lists the locales it has folders for', () => {
    expect(engine.locales()).toEqual(['en', 'es']);
  });

  it('survives a time zone that does not exist by using UTC', () => {
    const ctx = sampleContext('delivered', 'en');
    ctx.recipient.timezone = 'Atlantis/Capital';
    expect(engine.email('delivered', ctx).text).toContain('Delivered: Thursday, November 26 at 8:14 PM');
  });
});

describe('strict mode with optional fields', () => {
  it('tests an absent optional field with {{#if}} and reads it as empty', () => {
    const source = '{{#if shipment.eta}}ETA {{shipment.eta}}{{else}}no ETA{{/if}} [{{shipment.subStatus}}]';
    expect(engine.preview('en', 'shipped', 'push.body', source, sampleContext('shipped', 'en'))).toBe('ETA 2026-11-26 []');
    expect(engine.preview('en', 'shipped', 'push.body', source, sampleContext('shipped', 'en', { sparse: true }))).toBe('no ETA []');
  });

  it('copes with a caller that leaves optional keys out entirely or adds undocumented ones', () => {
    const ctx = sampleContext('delayed', 'en');
    const bare = { ...ctx, shipment: { id: 's1', carrier: 'UPS', trackingNumber: '1Z', trackingUrl: 'https://u.example/1Z', status: 'in_transit' as const, internalNote: 'do not show' } };
    const push = engine.push('delayed', bare as TemplateContext);
    expect(push.body).toBe('Sorry, your order #A-10482 is delayed.');
  });

  it('refuses a context without what the kind needs, with code ECONTEXT', () => {
    const ctx = sampleContext('shipped', 'en');
    expect(() => engine.email('shipped', { ...ctx, shipment: null })).toThrow(TemplateContextError);
    try {
      engine.sms('order_confirmed', { ...sampleContext('order_confirmed', 'en'), order: null });
    } catch (error) {
      expect((error as TemplateContextError).code).toBe('ECONTEXT');
      expect((error as Error).message).toBe('A "order_confirmed" message needs context.order, but it is null.');
    }
    expect.assertions(3);
  });
});

describe('prototype access', () => {
  it('refuses prototype paths when a template is checked', () => {
    const [problem] = engine.check('en', 'shipped', 'push.body', '{{constructor.name}}');
    expect(problem?.message).toMatch(/^overrides\/en\/shipped\/push\.body\.hbs:1:3: unknown field "constructor\.name"/);
    expect(engine.check('en', 'shipped', 'push.body', '{{this.__proto__}}')[0]?.reason).toMatch(/unknown field "this.__proto__"/);
  });
});

describe('admin overrides', () => {
  function source(map: Record<string, string>): TemplateSource & { calls: number } {
    return {
      calls: 0,
      get(locale: string, kind: NotificationKind, part: TemplatePart) {
        this.calls += 1;
        return map[`${locale}/${kind}/${part}`];
      },
    };
  }

  it('uses an override before the file, most specific locale first', async () => {
    const overrides = source({
      'es/shipped/sms': 'Va en camino: {{shipment.trackingUrl}}',
      'es-MX/shipped/push.title': 'Ya va en camino',
      'es/shipped/push.title': 'never used for es-MX',
    });
    const withOverrides = await loadTemplates({ dir: TEMPLATES, overrides });
    const ctx = sampleContext('shipped', 'es');
    expect(withOverrides.sms('shipped', ctx).body).toBe('Va en camino: https://www.dhl.com/mx-es/home/rastreo.html?tracking-id=7318562140');
    expect(withOverrides.push('shipped', ctx).title).toBe('Ya va en camino');
    expect(withOverrides.push('shipped', ctx).body).toContain('Tu pedido #MX-20931 va en camino');
    expect(withOverrides.sms('shipped', sampleContext('shipped', 'en')).body).toMatch(/^Hi Jordan Lee, your order #A-10482 has shipped/);
    expect(overrides.calls).toBeGreaterThan(0);
  });

  it('refuses a broken override at send time with its location instead of sending it', async () => {
    const withOverrides = await loadTemplates({ dir: TEMPLATES, overrides: source({ 'en/shipped/sms': 'Hi\n{{shout recipient.name}} {{shipment.trackingUrl}}' }) });
    const send = () => withOverrides.sms('shipped', sampleContext('shipped', 'en'));
    expect(send).toThrow(TemplateError);
    expect(send).toThrow('overrides/en/shipped/sms.hbs:2:3: unknown helper "shout"');
  });
});

describe('check and preview (admin save)', () => {
  it('accepts a good candidate and refuses a bad one with line and reason', () => {
    expect(engine.check('en', 'shipped', 'sms', 'Shipped! {{shipment.trackingUrl}}')).toEqual([]);
    const [problem] = engine.check('en', 'shipped', 'sms', 'Shipped!\n  {{#each shipment}}{{/each}} {{shipment.trackingUrl}}');
    expect(problem?.message).toBe('overrides/en/shipped/sms.hbs:2:11: {{#each}} needs a list, and "shipment" is not one');
    expect(engine.check('en', 'shipped', 'sms', 'Shipped!')[0]?.reason).toMatch(/no tracking link/);
    expect(engine.check('EN_us', 'shipped', 'sms', 'x')[0]?.reason).toMatch(/not a canonical BCP 47 tag/);
  });

  it('previews a candidate inside the layout with the sample data', () => {
    const html = engine.preview('es', 'delivered', 'email.html', '<p>{{shipment.carrier}} lo entregó.</p>{{> proof}}<a href="{{links.track}}">Ver</a>');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<title>Tu pedido #MX-20931 fue entregado</title>');
    expect(html).toContain('<p>DHL Express lo entregó.</p>');
    expect(html).toContain('Comprobante de entrega');
    expect(html).toContain('Darme de baja');
    expect(() => engine.preview('es', 'delivered', 'email.html', '<p>{{{shipment.carrier}}}</p>')).toThrow(/triple-stash/);
  });
});
