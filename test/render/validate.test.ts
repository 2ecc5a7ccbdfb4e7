import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/render/engine.js';
import { TemplateError, validateTemplates } from '../../src/render/validate.js';
import { copyTemplates, TEMPLATES, type TemplateCopy } from './template-dir.js';

async function loadError(dir: string): Promise<TemplateError> {
  const error = await loadTemplates({ dir }).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(TemplateError);
  return error as TemplateError;
}

describe('validateTemplates', () => {
  let copy: TemplateCopy;
  beforeEach(async () => {
    copy = await copyTemplates();
  });
  afterEach(async () => {
    await copy.dispose();
  });

  it('finds nothing wrong with the shipped templates', async () => {
    expect(await validateTemplates(TEMPLATES)).toEqual([]);
  });

  it('stops loadTemplates at a syntax error, with file, line, column and reason', async () => {
    await copy.write('en/shipped/sms.hbs', 'Hi {{recipient.name}},\nyour order ships: {{shipment.trackingUrl}\n');
    const error = await loadError(copy.dir);
    expect(error.code).toBe('ETEMPLATE');
    expect(error.file).toBe('templates/en/shipped/sms.hbs');
    expect(error.line).toBe(2);
    expect(error.column).toBe(41);
    expect(error.reason).toBe('syntax error: unexpected "}"');
    expect(error.message).toBe('templates/en/shipped/sms.hbs:2:41: syntax error: unexpected "}"');
  });

  it('reports an unclosed block as such', async () => {
    await copy.write('es/delivered/push.title.hbs', '{{#if proof}}\nEntregado\n');
    const error = await loadError(copy.dir);
    expect(error.file).toBe('templates/es/delivered/push.title.hbs');
    expect(error.reason).toMatch(/ends inside an open block; is a closing \{\{\/…\}\} missing\?/);
  });

  it('refuses an unknown helper where it is called', async () => {
    await copy.write('en/shipped/sms.hbs', 'Hi {{recipient.name}},\n\nyour order: {{foo shipment.carrier}} {{shipment.trackingUrl}}');
    const error = await loadError(copy.dir);
    expect(error.message).toMatch(/^templates\/en\/shipped\/sms\.hbs:3:15: unknown helper "foo"; available: formatDate/);
  });

  it('refuses a misspelt field that strict mode would only notice at send time', async () => {
    await copy.write('en/delayed/push.body.hbs', 'New estimate: {{#if shipment.etaa}}{{formatDate shipment.etaa}}{{/if}}');
    const error = await loadError(copy.dir);
    expect(error.message).toMatch(/^templates\/en\/delayed\/push\.body\.hbs:1:21: unknown field "shipment\.etaa"/);
  });

  it('refuses reading inside a value that can be null without testing it first', async () => {
    await copy.write('en/delivered/push.body.hbs', 'Signed by {{proof.signedBy}}');
    const error = await loadError(copy.dir);
    expect(error.message).toMatch(/push\.body\.hbs:1:13: "proof" can be empty here; test it before reading inside it/);
  });

  it('refuses triple-stash in an HTML part and an unknown partial', async () => {
    const html = await copy.read('en/shipped/email.html.hbs');
    await copy.write('en/shipped/email.html.hbs', `${html}\n<p>{{{shipment.carrier}}}</p>\n{{> signature}}`);
    const problems = await validateTemplates(copy.dir);
    const messages = problems.map((p) => p.message);
    expect(messages.some((m) => /^templates\/en\/shipped\/email\.html\.hbs:\d+:4: triple-stash/.test(m))).toBe(true);
    expect(messages.some((m) => /unknown partial "signature"/.test(m))).toBe(true);
  });

  it('reports missing and misplaced files', async () => {
    await copy.remove('es/delivered/push.title.hbs');
    await mkdir(path.join(copy.dir, 'en', 'shipped_late'));
    await copy.write('en/shipped/whatsapp.hbs', 'hi');
    const messages = (await validateTemplates(copy.dir)).map((p) => p.message);
    expect(messages).toContain('templates/es/delivered/push.title.hbs: template is missing');
    expect(messages.some((m) => m.startsWith('templates/en/shipped_late: unknown notification kind'))).toBe(true);
    expect(messages.some((m) => m.startsWith('templates/en/shipped/whatsapp.hbs: unknown part'))).toBe(true);
  });

  it('refuses an SMS that needs more than two segments or has no tracking link', async () => {
    const long = 'Your order is on its way and we could not be happier to tell you all about it. '.repeat(4);
    await copy.write('en/shipped/sms.hbs', `${long}{{shipment.trackingUrl}}`);
    await copy.write('en/delivered/sms.hbs', 'Hi {{recipient.name}}, your order has been delivered.');
    const messages = (await validateTemplates(copy.dir)).map((p) => p.message);
    expect(messages.some((m) => /^templates\/en\/shipped\/sms\.hbs: the SMS takes 3 GSM-7 segments; keep it within 2 \(buyer, full sample\)/.test(m))).toBe(true);
    expect(messages.some((m) => /^templates\/en\/delivered\/sms\.hbs: no tracking link/.test(m))).toBe(true);
  });

  it('explains that an accented character makes an SMS UCS-2', async () => {
    await copy.write('es/shipped/sms.hbs', 'Hola {{recipient.name}}, tu pedido está en camino y llegará muy pronto a tu domicilio. Sigue su recorrido aquí: {{shipment.trackingUrl}}');
    const messages = (await validateTemplates(copy.dir)).map((p) => p.message);
    expect(messages.some((m) => /es\/shipped\/sms\.hbs: the SMS takes 3 UCS-2 segments; keep it within 2 \(a character outside GSM-7, such as á/.test(m))).toBe(true);
  });

  it('blames the layout when the email loses its unsubscribe link', async () => {
    const layout = await copy.read('layouts/email.hbs');
    await copy.write('layouts/email.hbs', layout.replace('{{> footer}}', ''));
    const messages = (await validateTemplates(copy.dir)).map((p) => p.message);
    expect(messages.some((m) => /^templates\/layouts\/email\.hbs: the email has no unsubscribe link/.test(m))).toBe(true);
  });

  it('catches what only shows when rendering, with the sample that failed', async () => {
    await copy.write('en/shipped/push.body.hbs', 'Expected {{formatDate shipment.eta style="weekly"}}');
    const error = await loadError(copy.dir);
    expect(error.file).toBe('templates/en/shipped/push.body.hbs');
    expect(error.line).toBe(1);
    expect(error.reason).toMatch(/formatDate: style must be one of long, short, full; got "weekly" \(buyer, full sample\)/);
  });

  it('lists every problem on the thrown error', async () => {
    await copy.write('en/shipped/sms.hbs', '{{nope 1}} {{shipment.trackingUrl}}');
    await copy.write('es/shipped/sms.hbs', '{{#if}}');
    const error = await loadError(copy.dir);
    expect(error.problems.length).toBeGreaterThanOrEqual(2);
    expect(error.problems[0]!.message).toBe(error.message);
  });

  it('refuses a folder that cannot be read', async () => {
    const error = await loadError(path.join(copy.dir, 'does-not-exist'));
    expect(error.message).toMatch(/^does-not-exist: cannot read the template folder/);
  });
});
