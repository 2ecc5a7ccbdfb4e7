import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { installHelpers, knownHelpers, TEMPLATE_HELPERS, type RenderData } from '../../src/render/helpers.js';

/** Render `source` the way the engine does: isolated instance, strict, known helpers only. */
function render(source: string, data: RenderData, context: Record<string, unknown> = {}): string {
  const env = Handlebars.create();
  installHelpers(env);
  const template = env.compile(source, { strict: true, knownHelpersOnly: true, knownHelpers: knownHelpers(), noEscape: true });
  return template(context, { data, allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}

const LA: RenderData = { locale: 'en-US', timeZone: 'America/Los_Angeles' };
const MX: RenderData = { locale: 'es-MX', timeZone: 'America/Mexico_City' };

describe('template helpers', () => {
  it('formatDate shows an instant on the recipient-zone calendar day', () => {
    // 03:30 UTC on the 27th is still the evening of the 26th in Los Angeles.
    const at = { at: '2026-11-27T03:30:00Z' };
    expect(render('{{formatDate at}}', LA, at)).toBe('Thursday, November 26');
    expect(render('{{formatDate at}}', { locale: 'en-US', timeZone: 'Asia/Tokyo' }, at)).toBe('Friday, November 27');
    expect(render('{{formatDate at style="short"}}', MX, at)).toBe('26 nov');
    expect(render('{{formatDate at style="full"}}', LA, at)).toBe('Thursday, November 26, 2026');
  });

  it('formatDate keeps a bare date on its day whatever the zone', () => {
    expect(render('{{formatDate eta}}', LA, { eta: '2026-11-26' })).toBe('Thursday, November 26');
    expect(render('{{formatDate eta}}', { locale: 'en-US', timeZone: 'Pacific/Kiritimati' }, { eta: '2026-11-26' })).toBe('Thursday, November 26');
    expect(render('{{formatDate eta}}', MX, { eta: '2026-11-26' })).toBe('jueves, 26 de noviembre');
  });

  it('formatDate leaves an unparseable value as written and an absent one empty', () => {
    expect(render('[{{formatDate eta}}]', LA, { eta: 'next week' })).toBe('[next week]');
    expect(render('[{{formatDate eta}}]', LA, { eta: null })).toBe('[]');
  });

  it('formatDate refuses an unknown style', () => {
    expect(() => render('{{formatDate eta style="weekly"}}', LA, { eta: '2026-11-26' })).toThrow(/style must be one of long, short, full/);
  });

  it('formatDateTime shows the time in the recipient zone, with plain spaces only', () => {
    const out = render('{{formatDateTime at}}', LA, { at: '2026-11-26T20:14:00Z' });
    expect(out).toBe('Thursday, November 26 at 12:14 PM');
    expect(render('{{formatDateTime at}}', MX, { at: '2026-11-26T20:14:00Z' })).toBe('jueves, 26 de noviembre, 2:14 p.m.');
    expect(out).not.toMatch(/[\u00a0\u202f]/);
  });

  it('formatMoney uses the recipient locale and the order currency', () => {
    expect(render('{{formatMoney total currency}}', LA, { total: 73, currency: 'USD' })).toBe('$73.00');
    expect(render('{{formatMoney total currency}}', MX, { total: 1249, currency: 'MXN' })).toBe('$1,249.00');
    expect(render('{{formatMoney total currency}}', { locale: 'es-ES', timeZone: 'Europe/Madrid' }, { total: 1249.5, currency: 'EUR' })).toBe('1249,50 €');
  });

  it('formatMoney falls back to amount and code for a currency Intl does not know', () => {
    expect(render('{{formatMoney total currency}}', LA, { total: 12, currency: 'XX1' })).toBe('12.00 XX1');
  });

  it('subStatusText and statusText put codes in words in the template language', () => {
    expect(render('{{subStatusText s}}', LA, { s: 'customs_hold' })).toBe('held in customs');
    expect(render('{{subStatusText s}}', MX, { s: 'customs_hold' })).toBe('retenido en aduana');
    expect(render('{{statusText s}}', LA, { s: 'out_for_delivery' })).toBe('Out for delivery');
    expect(render('{{statusText s}}', MX, { s: 'out_for_delivery' })).toBe('En reparto');
    // The open set: a sub-status nobody translated still reads as words.
    expect(render('{{subStatusText s}}', LA, { s: 'Broker_Review' })).toBe('broker review');
    expect(render('[{{subStatusText s}}]', LA, { s: null })).toBe('[]');
  });

  it('eq compares strictly and pluralize picks by count', () => {
    expect(render('{{#if (eq role "seller")}}S{{else}}B{{/if}}', LA, { role: 'seller' })).toBe('S');
    expect(render('{{#if (eq n "1")}}same{{else}}different{{/if}}', LA, { n: 1 })).toBe('different');
    expect(render('{{n}} {{pluralize n "item" "items"}}', LA, { n: 1 })).toBe('1 item');
    expect(render('{{n}} {{pluralize n "item" "items"}}', LA, { n: 3 })).toBe('3 items');
  });

  it('has no lookup or log, and refuses any other helper at compile time', () => {
    expect(() => render('{{lookup this "constructor"}}', LA, {})).toThrow(/unknown helper lookup/);
    expect(() => render('{{log "x"}}', LA, {})).toThrow(/unknown helper log/);
    expect(() => render('{{shout "x"}}', LA, {})).toThrow(/unknown helper shout/);
    expect(Object.keys(TEMPLATE_HELPERS).sort()).toEqual(['eq', 'formatDate', 'formatDateTime', 'formatMoney', 'pluralize', 'statusText', 'subStatusText']);
  });
});
