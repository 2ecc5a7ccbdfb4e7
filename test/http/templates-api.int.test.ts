/** `/v1/templates`: listing, versioned overrides with validation on save, rollback, previews and test sends. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS } from '../../src/domain/types.js';
import { TEMPLATE_PARTS } from '../../src/render/template-files.js';
import { UPS_NUMBERS, buyer, dropPrefix, eventually, order, seller, startTestApp, type TestApp } from '../support/app.js';

let app: TestApp;
const SUBSCRIPTION = {
  endpoint: 'https://push.example.net/send/abc123',
  keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
};

beforeAll(async () => {
  app = await startTestApp();
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

const one = (path: string) => `/v1/templates/en/${path}`;
const versionsOf = async (path: string) => (await app.api('GET', `${one(path)}/versions`)).body.versions as { version: number; source: string; by: string; savedAt: string }[];

describe('GET /v1/templates', () => {
  it('lists every locale × kind × part, from the files until overridden', async () => {
    const { status, body } = await app.api('GET', '/v1/templates');
    expect(status).toBe(200);
    expect(body.locales).toEqual(expect.arrayContaining(['en', 'es']));
    expect(body.templates).toHaveLength(body.locales.length * NOTIFICATION_KINDS.length * TEMPLATE_PARTS.length);
    expect(body.templates).toContainEqual({ locale: 'en', kind: 'shipped', part: 'sms', origin: 'file', version: null });
  });

  it('shows one template with its file text, and 404s a locale with neither folder nor override', async () => {
    const { body } = await app.api('GET', one('order_confirmed/email.subject'));
    expect(body).toMatchObject({ origin: 'file', version: null });
    expect(body.source).toContain('Thanks for your order');
    expect(body.fileSource).toBe(body.source);
    expect((await app.api('GET', '/v1/templates/fr/order_confirmed/sms')).status).toBe(404);
    expect((await app.api('GET', '/v1/templates/en/birthday/sms')).body.error.details[0].field).toBe('kind');
  });

  it('is behind the admin token', async () => {
    expect((await app.api('GET', '/v1/templates', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
  });
});

describe('validation on save', () => {
  const refusals: [string, string, RegExp, number?][] = [
    ['syntax error', 'shipped/sms', /open block|Parse error|Expecting/i],
    ['unknown helper', 'shipped/push.body', /unknown helper "shout"/],
    ['missing partial', 'shipped/push.body', /unknown partial "nope"/],
    ['triple-stash in HTML', 'shipped/email.html', /triple-stash/],
    ['constructor', 'shipped/push.body', /constructor/],
    ['a __proto__ path', 'shipped/push.body', /__proto__/],
    ['prototype', 'shipped/push.body', /prototype/],
    ['lookup', 'shipped/push.body', /lookup/],
    ['field outside the kind', 'order_cancelled/push.body', /invalidTrackingNumber/],
  ];
  const sources: Record<string, string> = {
    'syntax error': '{{#if shipment}}Shipped {{shipment.trackingUrl}}',
    'unknown helper': 'Shipped: {{shout recipient.name}}',
    'missing partial': 'Shipped: {{> nope}}',
    'triple-stash in HTML': '<p>{{{recipient.name}}}</p><a href="{{links.track}}">track</a>',
    constructor: 'Shipped {{constructor.name}}',
    'a __proto__ path': 'Shipped {{recipient.__proto__}}',
    prototype: 'Shipped {{recipient.prototype}}',
    lookup: 'Shipped {{lookup recipient "constructor"}}',
    'field outside the kind': 'Cancelled {{invalidTrackingNumber}}',
  };

  it.each(refusals)('refuses %s with line, column and reason, storing nothing', async (name, path, reason, line) => {
    const res = await app.api('PUT', one(path), { source: sources[name] });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('invalid_template');
    const [detail] = res.body.error.details;
    expect(detail.reason).toMatch(reason);
    expect(detail).toMatchObject({ field: 'source', line: expect.any(Number), column: expect.any(Number) });
    if (line !== undefined) expect(detail.line).toBe(line);
    expect(await versionsOf(path)).toEqual([]);
    expect((await app.api('GET', one(path))).body.origin).toBe('file');
  });

  it('locates a problem on a later line', async () => {
    const res = await app.api('PUT', one('shipped/push.body'), { source: 'Shipped\nyour {{order.nope}} order' });
    expect(res.body.error.details[0]).toMatchObject({ line: 2, column: 8 });
  });

  it('refuses an SMS over SMS_MAX_SEGMENTS with its segment count', async () => {
    const long = `Hi {{recipient.name}}, ${'your parcel is on its way and '.repeat(16)}{{shipment.trackingUrl}}`;
    const res = await app.api('PUT', one('shipped/sms'), { source: long });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].reason).toMatch(/takes \d+ GSM-7 segments; keep it within 3/);
    expect(await versionsOf('shipped/sms')).toEqual([]);
  });

  it('refuses a body without source, naming the field', async () => {
    const res = await app.api('PUT', one('shipped/sms'), { text: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('source');
  });
});

describe('overrides, versions, rollback, delete', () => {
  const path = 'order_confirmed/email.subject';
  const v1 = 'Order #{{order.id}} is confirmed, {{recipient.name}}';
  const v2 = 'We got your order #{{order.id}}';

  it('saves versions, lists them newest first, rolls back as a new version, and deletes back to the file', async () => {
    const first = await app.api('PUT', one(path), { source: v1 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ origin: 'override', version: 1, by: 'admin', source: v1 });
    expect((await app.api('PUT', one(path), { source: v2 })).body.version).toBe(2);

    const listed = (await app.api('GET', '/v1/templates')).body.templates.find((t: { kind: string; part: string; locale: string }) => t.locale === 'en' && t.kind === 'order_confirmed' && t.part === 'email.subject');
    expect(listed).toMatchObject({ origin: 'override', version: 2 });

    const history = await app.api('GET', `${one(path)}/versions`);
    expect(history.body.current).toBe(2);
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(history.body.versions[1]).toMatchObject({ source: v1, by: 'admin', savedAt: expect.any(String) });

    const rolled = await app.api('POST', `${one(path)}/rollback`, { version: 1 });
    expect(rolled.body).toMatchObject({ version: 3, restored: 1, source: v1 });
    expect((await app.api('GET', one(path))).body).toMatchObject({ origin: 'override', version: 3, source: v1 });
    expect((await app.api('POST', `${one(path)}/rollback`, { version: 9 })).status).toBe(404);

    const removed = await app.api('DELETE', one(path));
    expect(removed.body).toMatchObject({ origin: 'file', version: null });
    expect((await app.api('GET', one(path))).body.source).toContain('Thanks for your order');
    expect((await app.api('DELETE', one(path))).status).toBe(404);
    expect(await versionsOf(path)).toHaveLength(3);
  });

  it('renders the next notification of that kind with the override, and the file again once deleted', async () => {
    const subjectOf = async (orderId: string) => {
      const id = await eventually(async () => {
        const list = (await app.api('GET', '/v1/notifications?recipientId=buyer-1')).body.notifications as { id: string; orderId: string; channel: string; status: string }[];
        return list.find((n) => n.orderId === orderId && n.channel === 'email' && n.status === 'sent')?.id;
      }, `email for ${orderId}`);
      const eml = await readFile(join(app.config.outboxDir, 'email', `${id}.eml`), 'utf8');
      return /^Subject: (.*)$/m.exec(eml)?.[1];
    };
    expect((await app.api('PUT', one(path), { source: 'Override live for #{{order.id}}' })).status).toBe(200);
    await app.api('POST', '/v1/orders', order('o-override'));
    expect(await subjectOf('o-override')).toBe('Override live for #o-override');
    await app.api('DELETE', one(path));
    await app.api('POST', '/v1/orders', order('o-file'));
    expect(await subjectOf('o-file')).toBe('Thanks for your order #o-file');
  });
});

describe('POST /v1/templates/preview', () => {
  it('renders every part with the documented sample, SMS with segments and encoding', async () => {
    const { status, body } = await app.api('POST', '/v1/templates/preview', { kind: 'shipped', locale: 'en' });
    expect(status).toBe(200);
    expect(body.parts.map((p: { part: string }) => p.part)).toEqual([...TEMPLATE_PARTS]);
    const sms = body.parts.find((p: { part: string }) => p.part === 'sms');
    expect(sms).toMatchObject({ encoding: 'GSM-7', segments: expect.any(Number) });
    expect(sms.output).toContain('1Z999AA10123456784');
    expect(body.parts.find((p: { part: string }) => p.part === 'email.html').output).toContain('<html');
  });

  it('renders a draft without saving it, and refuses a bad draft with its location', async () => {
    const draft = await app.api('POST', '/v1/templates/preview', { kind: 'shipped', locale: 'en', part: 'push.title', source: 'Draft for {{recipient.name}}' });
    expect(draft.body.parts).toEqual([{ part: 'push.title', output: 'Draft for Jordan Lee' }]);
    expect(await versionsOf('shipped/push.title')).toEqual([]);
    const bad = await app.api('POST', '/v1/templates/preview', { kind: 'shipped', locale: 'en', part: 'push.title', source: '{{#if x}}' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0]).toMatchObject({ line: 1, reason: expect.any(String) });
    expect((await app.api('POST', '/v1/templates/preview', { kind: 'shipped', locale: 'en', source: 'x' })).body.error.details[0].field).toBe('part');
  });

  it('renders with a real shipment, and 404s an unknown one', async () => {
    await app.api('POST', '/v1/orders', order('o-preview'));
    const shipmentId = (await app.api('POST', '/v1/shipments', { orderId: 'o-preview', trackingNumber: UPS_NUMBERS[0] })).body.shipmentId;
    const { body } = await app.api('POST', '/v1/templates/preview', { kind: 'shipped', locale: 'en', part: 'sms', shipmentId });
    expect(body.sample).toBe('shipment');
    expect(body.parts[0].output).toContain(UPS_NUMBERS[0]);
    expect(body.parts[0].output).not.toContain('1Z999AA10123456784');
    const missing = await app.api('POST', '/v1/templates/preview', { kind: 'shipped', locale: 'en', shipmentId: 'shp_nope' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.details[0].field).toBe('shipmentId');
  });
});

describe('POST /v1/templates/test-send', () => {
  const recorded = async (id: string) => (await app.api('GET', `/v1/notifications/${id}`)).status;

  it('sends each channel through the outbox, marked as a test, without a notification record', async () => {
    const email = await app.api('POST', '/v1/templates/test-send', { kind: 'delivered', locale: 'en', channel: 'email', to: 'qa@example.com' });
    expect(email.status).toBe(200);
    expect(email.body).toMatchObject({ channel: 'email', via: 'outbox', notificationId: expect.stringMatching(/^test-send-/) });
    const eml = await readFile(join(app.config.outboxDir, 'email', `${email.body.notificationId}.eml`), 'utf8');
    expect(eml).toMatch(/^To: qa@example\.com/m);
    expect(eml).toMatch(/^Subject: \[Test\] /m);

    const sms = await app.api('POST', '/v1/templates/test-send', { kind: 'delivered', locale: 'es', channel: 'sms', phone: '+14155550123' });
    const smsFile = JSON.parse(await readFile(join(app.config.outboxDir, 'sms', `${sms.body.notificationId}.json`), 'utf8'));
    expect(JSON.stringify(smsFile)).toContain('+14155550123');

    const push = await app.api('POST', '/v1/templates/test-send', { kind: 'delivered', locale: 'en', channel: 'push', subscription: SUBSCRIPTION });
    expect(push.status, JSON.stringify(push.body)).toBe(200);
    expect((await readdir(join(app.config.outboxDir, 'push'))).some((f) => f.startsWith(push.body.notificationId))).toBe(true);
    for (const res of [email, sms, push]) expect(await recorded(res.body.notificationId)).toBe(404);
  });

  it('refuses a send without the address its channel needs', async () => {
    const res = await app.api('POST', '/v1/templates/test-send', { kind: 'delivered', locale: 'en', channel: 'sms', to: 'qa@example.com' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('phone');
  });
});
