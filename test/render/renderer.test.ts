import { beforeAll, describe, expect, it } from 'vitest';
import { sampleContext } from '../../src/render/context.js';
import { projectContext } from '../../src/render/context-schema.js';
import { TemplateError } from '../../src/render/errors.js';
import { oneLine, Renderer, smsBody, textBlock } from '../../src/render/renderer.js';
import { readTemplateSet } from '../../src/render/template-files.js';
import { TEMPLATES } from './template-dir.js';

let renderer: Renderer;
beforeAll(async () => {
  renderer = new Renderer(await readTemplateSet(TEMPLATES));
});

// These bypass validation on purpose: they show what the Handlebars instance itself allows.
function run(source: string, context: Record<string, unknown>, mode: 'html' | 'text' = 'text'): string {
  const template = renderer.compile({ file: 'probe.hbs', source }, 'en', mode, false);
  return renderer.run(template, context, { id: 'r', name: 'n', role: 'buyer', locale: 'en-US', timezone: 'UTC' });
}

describe('Renderer', () => {
  it('gives templates no way to the prototype chain', () => {
    const plain = { name: 'Jordan' };
    expect(run('[{{this.__proto__}}]', plain)).toBe('[]');
    expect(run('[{{#with this}}{{constructor}}{{/with}}]', plain)).toBe('[]');
    expect(() => run('{{constructor.name}}', plain)).toThrow(TemplateError);
    expect(() => run('{{constructor.constructor}}', plain)).toThrow(/probe\.hbs:1:3: unknown field "constructor"/);
    // A projected context has no prototype at all, so the lookups fail outright.
    const projected = projectContext('shipped', sampleContext('shipped', 'en'));
    expect(() => run('{{this.__proto__}}', projected)).toThrow('probe.hbs:1:3: unknown field "__proto__"');
    expect(() => run('{{recipient.constructor}}', projected)).toThrow(/unknown field "constructor"/);
  });

  it('compiles with knownHelpersOnly, so a removed or unknown helper fails before running', () => {
    expect(() => run('{{lookup this "name"}}', { name: 'x' })).toThrow('probe.hbs:1:1: unknown helper "lookup"');
    expect(() => run('{{log "hi"}}', {})).toThrow(/unknown helper "log"/);
  });

  // Why the context is projected and why the validator wants {{#if order}} before order.id.
  it('shows how strict mode treats missing values', () => {
    // An absent key passed to a helper such as `if` is looked up leniently...
    expect(run('{{#if shipment.eta}}due{{else}}none{{/if}}', { shipment: {} })).toBe('none');
    // ...but printed directly it is an error, hence absent optional fields are projected as null.
    expect(() => run('{{shipment.eta}}', { shipment: {} })).toThrow(/unknown field "eta"/);
    expect(run('[{{shipment.eta}}]', { shipment: { eta: null } })).toBe('[]');
    // Strict mode also drops the null checks on the way (as assumeObjects would), so a null parent throws.
    expect(() => run('{{#if order.id}}x{{/if}}', { order: null })).toThrow(TemplateError);
    expect(run('{{#if order}}{{order.id}}{{/if}}', { order: null })).toBe('');
  });

  it('escapes in html mode only', () => {
    expect(run('{{v}}', { v: '<b>&' }, 'html')).toBe('&lt;b&gt;&amp;');
    expect(run('{{v}}', { v: '<b>&' }, 'text')).toBe('<b>&');
  });

  it('compiles each file once and reuses it', async () => {
    const set = await readTemplateSet(TEMPLATES);
    const file = set.templates.get('en/shipped/sms')!;
    expect(renderer.compile(file, 'en', 'text').run).toBe(renderer.compile(file, 'en', 'text').run);
    expect(renderer.compile(file, 'en', 'html').run).not.toBe(renderer.compile(file, 'en', 'text').run);
    const candidate = { file: 'candidate.hbs', source: 'x' };
    expect(renderer.compile(candidate, 'en', 'text', false).run).not.toBe(renderer.compile(candidate, 'en', 'text', false).run);
  });
});

describe('output tidying', () => {
  it('turns subjects and push text into one line', () => {
    expect(oneLine('  Your order\n  has shipped \t ')).toBe('Your order has shipped');
  });

  it('keeps paragraphs in plain text but drops trailing spaces and extra blank lines', () => {
    expect(textBlock('\n\nHi,  \n\n\n\nBody line\n\n')).toBe('Hi,\n\nBody line');
  });

  it('replaces typographic look-alikes in SMS so one quote does not make it UCS-2', () => {
    expect(smsBody('We\u2019re \u201cnearly\u201d there \u2013 today\u2026\u00a0ok')).toBe('We\'re "nearly" there - today... ok');
    expect(smsBody('Sábado')).toBe('Sábado');
  });
});
