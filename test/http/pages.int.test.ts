/**
 * Public pages behind signed links (issue "Delivery policy and compliance", point 6): one-click unsubscribe
 * (RFC 8058) and the preference center, over real HTTP against the real app and Redis.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LINK_TTL_SECONDS, signLinkToken } from '../../src/domain/links.js';
import type { Recipient } from '../../src/domain/types.js';
import { formKey } from '../../src/http/pages/page-token.js';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';

let app: TestApp;
const clock = testClock();

beforeAll(async () => {
  app = await startTestApp({ now: clock.now });
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

let recipientSeq = 0;
let id: string;
beforeEach(async () => {
  id = `buyer-p${++recipientSeq}`;
  expect((await app.api('PUT', `/v1/recipients/${id}`, buyer({ name: 'Ana <b>García</b>' }))).status).toBe(200);
});

const sign = (claims: { recipientId: string; purpose: 'preferences' | 'unsubscribe'; channel?: string }, secret = app.config.signingSecret) =>
  signLinkToken(secret, claims, clock.now());
const recipient = async (rid = id): Promise<Recipient> => (await app.api('GET', `/v1/recipients/${rid}`)).body;
const oneClick = (token: string, headers: Record<string, string> = {}) =>
  fetch(`${app.baseUrl}/unsubscribe?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: 'List-Unsubscribe=One-Click',
  });
const getPage = (path: string, token: string) => fetch(`${app.baseUrl}${path}?token=${encodeURIComponent(token)}`, { headers: { accept: 'text/html' } });
const postForm = (token: string, fields: Record<string, string>) =>
  fetch(`${app.baseUrl}/preferences?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  });
/** The per-form key, read from the page as a browser would. */
async function formKeyOf(token: string): Promise<string> {
  const html = await (await getPage('/preferences', token)).text();
  return /name="form" value="([^"]+)"/.exec(html)![1]!;
}

function expectPageHeaders(res: Response): void {
  expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('cache-control')).toBe('no-store');
}

describe('one-click unsubscribe', () => {
  it('GET shows a confirmation form and never unsubscribes by itself', async () => {
    const token = sign({ recipientId: id, purpose: 'unsubscribe', channel: 'email' });
    for (let i = 0; i < 2; i++) {
      const res = await getPage('/unsubscribe', token);
      expect(res.status).toBe(200);
      expectPageHeaders(res);
      const html = await res.text();
      expect(html).toContain(`<form method="post" action="/unsubscribe?token=${encodeURIComponent(token)}">`);
      expect(html).toContain('<button class="primary" type="submit">Unsubscribe</button>');
      expect(html).toContain('Ana &lt;b&gt;García&lt;/b&gt;');
      expect(html).not.toContain('<b>García');
    }
    expect((await fetch(`${app.baseUrl}/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'HEAD' })).status).toBe(200);
    expect((await recipient()).suppressed).toBeUndefined();
  });

  it('POST suppresses the channel named in the token, answers 200 without redirect, and is idempotent', async () => {
    const token = sign({ recipientId: id, purpose: 'unsubscribe', channel: 'email' });
    const first = await oneClick(token);
    expect(first.status).toBe(200);
    expect(first.headers.get('location')).toBeNull();
    expect(first.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await first.text()).toMatch(/Unsubscribed from email/);
    const after = await recipient();
    expect(after.suppressed).toEqual({ email: { reason: 'unsubscribed via link', at: expect.any(String) } });

    clock.advance(60_000);
    const second = await oneClick(token);
    expect(second.status).toBe(200);
    expect(second.headers.get('location')).toBeNull();
    expect((await recipient()).suppressed).toEqual(after.suppressed);
  });

  it('a token without a channel suppresses every channel; multipart one-click bodies are accepted too', async () => {
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const token = sign({ recipientId: id, purpose: 'unsubscribe' });
    const res = await fetch(`${app.baseUrl}/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'POST', redirect: 'manual', body: form });
    expect(res.status).toBe(200);
    expect(Object.keys((await recipient()).suppressed ?? {}).sort()).toEqual(['email', 'push', 'sms']);
  });

  it('keeps an earlier suppression reason (a bounce is not relabelled as an unsubscribe)', async () => {
    await oneClick(sign({ recipientId: id, purpose: 'unsubscribe', channel: 'sms' }));
    const before = (await recipient()).suppressed!.sms;
    await oneClick(sign({ recipientId: id, purpose: 'unsubscribe' }));
    expect((await recipient()).suppressed!.sms).toEqual(before);
  });

  it.each([
    ['forged (signed with another secret)', () => sign({ recipientId: id, purpose: 'unsubscribe', channel: 'email' }, 'not-the-secret'), 403],
    ['tampered payload', () => {
      const [, mac] = sign({ recipientId: id, purpose: 'unsubscribe', channel: 'email' }).split('.');
      return `${Buffer.from(JSON.stringify({ recipientId: id, purpose: 'unsubscribe', exp: 9_999_999_999 })).toString('base64url')}.${mac}`;
    }, 403],
    ['malformed', () => 'not-a-token', 400],
    ['for another purpose', () => sign({ recipientId: id, purpose: 'preferences' }), 403],
  ])('refuses a %s token and changes nothing', async (_what, make, status) => {
    const token = make();
    const json = await oneClick(token);
    expect(json.status).toBe(status);
    expect((await json.json()).error).toMatchObject({ code: 'invalid_link', details: [{ field: 'token' }] });
    const html = await oneClick(token, { accept: 'text/html' });
    expect(html.status).toBe(status);
    expectPageHeaders(html);
    expect(await html.text()).toContain('class="error"');
    expect((await getPage('/unsubscribe', token)).status).toBe(status);
    expect((await recipient()).suppressed).toBeUndefined();
  });

  it('refuses a missing token', async () => {
    const res = await fetch(`${app.baseUrl}/unsubscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(400);
  });

  it('refuses an expired token and changes nothing', async () => {
    const token = sign({ recipientId: id, purpose: 'unsubscribe', channel: 'email' });
    clock.advance((LINK_TTL_SECONDS + 60) * 1000);
    const res = await oneClick(token);
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/expired/);
    expect((await getPage('/preferences', sign({ recipientId: id, purpose: 'preferences' }))).status).toBe(200);
    expect((await recipient()).suppressed).toBeUndefined();
  });
});

describe('preference page', () => {
  it('shows channels, the kinds that reach a buyer, quiet hours, time zone and unsubscribe-all, escaped', async () => {
    const res = await getPage('/preferences', sign({ recipientId: id, purpose: 'preferences' }));
    expect(res.status).toBe(200);
    expectPageHeaders(res);
    const html = await res.text();
    for (const c of ['email', 'sms', 'push']) expect(html).toContain(`name="channel.${c}" value="on" checked`);
    expect(html).toContain('name="kind.out_for_delivery.sms"');
    expect(html).toContain('name="kind.in_transit_update.email"');
    expect(html).not.toContain('kind.not_scanned');
    expect(html).toContain('name="quietStart"');
    expect(html).toContain('<option value="UTC" selected>UTC</option>');
    expect(html).toContain('value="unsubscribe_all"');
    expect(html).toContain('Ana &lt;b&gt;García&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<link|src=/i);
  });

  it('round-trips a change', async () => {
    const token = sign({ recipientId: id, purpose: 'preferences' });
    const res = await postForm(token, {
      form: await formKeyOf(token),
      action: 'save',
      'channel.email': 'on',
      'channel.push': 'on',
      'kind.delayed.push': 'off',
      'kind.in_transit_update.email': 'on',
      quiet: 'on',
      quietStart: '22:30',
      quietEnd: '07:00',
      timezone: 'Europe/Madrid',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Your preferences are saved.');
    const r = await recipient();
    expect(r.timezone).toBe('Europe/Madrid');
    expect(r.preferences).toEqual({
      channels: { email: { enabled: true }, sms: { enabled: false }, push: { enabled: true } },
      kinds: { delayed: { push: false }, in_transit_update: { email: true } },
      quietHours: { start: '22:30', end: '07:00' },
    });
    const html = await (await getPage('/preferences', token)).text();
    expect(html).toContain('name="channel.sms" value="on">');
    expect(html).toMatch(/name="kind\.delayed\.push"[^>]*>.*<option value="off" selected>/);
    expect(html).toContain('name="quietStart" value="22:30"');
    expect(html).toContain('<option value="Europe/Madrid" selected>');
  });

  it('refuses a bad time zone with the page re-rendered and the error shown; nothing saved', async () => {
    const token = sign({ recipientId: id, purpose: 'preferences' });
    const before = await recipient();
    const res = await postForm(token, { form: await formKeyOf(token), action: 'save', 'channel.email': 'on', timezone: 'Mars/Olympus_Mons', quiet: 'on', quietStart: '25:00', quietEnd: '07:00' });
    expect(res.status).toBe(400);
    expectPageHeaders(res);
    const html = await res.text();
    expect(html).toContain('Nothing was saved');
    expect(html).toContain('timezone: &quot;Mars/Olympus_Mons&quot; is not an IANA time zone');
    expect(html).toContain('quietStart');
    expect(html).toContain('name="form"');
    expect(await recipient()).toEqual(before);
  });

  it('refuses a form without the per-form field, or with another page\'s; nothing saved', async () => {
    const token = sign({ recipientId: id, purpose: 'preferences' });
    const before = await recipient();
    const fields = { action: 'save', timezone: 'Europe/Madrid' };
    const missing = await postForm(token, fields);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('did not come from our preference page');
    const otherToken = sign({ recipientId: 'buyer-other', purpose: 'preferences' });
    expect((await postForm(token, { ...fields, form: formKey(app.config.signingSecret, otherToken) })).status).toBe(403);
    expect((await postForm(token, { ...fields, form: formKey(app.config.signingSecret, token) })).status).toBe(200);
    await app.api('PUT', `/v1/recipients/${id}`, buyer({ name: 'Ana <b>García</b>' }));
    const forged = await postForm(sign({ recipientId: id, purpose: 'preferences' }, 'not-the-secret'), { ...fields, form: await formKeyOf(token) });
    expect(forged.status).toBe(403);
    expect(await recipient()).toEqual(before);
  });

  it('resubscribing lifts a link unsubscribe but not an SMS opt-out', async () => {
    await oneClick(sign({ recipientId: id, purpose: 'unsubscribe', channel: 'email' }));
    // An SMS STOP as the Twilio webhook records it: not ours to lift from a web page.
    await app.deps.stores.recipients.suppress(id, 'sms', 'opted out: STOP', clock.now());
    expect((await recipient()).suppressed?.email?.reason).toBe('unsubscribed via link');
    const token = sign({ recipientId: id, purpose: 'preferences' });
    const page = await (await getPage('/preferences', token)).text();
    expect(page).toContain('name="channel.email" value="on">');
    expect(page).toContain('text START to us to resume');
    const res = await postForm(token, { form: await formKeyOf(token), action: 'save', 'channel.email': 'on', 'channel.sms': 'on', 'channel.push': 'on', timezone: 'UTC' });
    expect(res.status).toBe(200);
    const r = await recipient();
    expect(Object.keys(r.suppressed ?? {})).toEqual(['sms']);
    expect(r.suppressed!.sms!.reason).toBe('opted out: STOP');
  });

  it('"unsubscribe from everything" suppresses every channel', async () => {
    const token = sign({ recipientId: id, purpose: 'preferences' });
    const res = await postForm(token, { form: await formKeyOf(token), action: 'unsubscribe_all' });
    expect(res.status).toBe(200);
    const r = await recipient();
    expect(Object.values(r.suppressed ?? {}).map((s) => s.reason)).toEqual(['unsubscribed via link', 'unsubscribed via link', 'unsubscribed via link']);
  });
});

describe('the next notification honours the page', () => {
  it('SMS turned off on the page → the next out_for_delivery SMS is skipped (preference_off)', async () => {
    await app.api('PUT', '/v1/recipients/buyer-1', buyer());
    await app.api('PUT', '/v1/recipients/seller-1', seller());
    const token = sign({ recipientId: 'buyer-1', purpose: 'preferences' });
    const saved = await postForm(token, { form: await formKeyOf(token), action: 'save', 'channel.email': 'on', 'channel.push': 'on', timezone: 'UTC' });
    expect(saved.status).toBe(200);

    expect((await app.api('POST', '/v1/orders', order('o-pages'))).status).toBe(202);
    const shipment = await app.api('POST', '/v1/shipments', { orderId: 'o-pages', trackingNumber: UPS_NUMBERS[1] });
    expect(shipment.status).toBe(201);
    const shipmentId = shipment.body.shipmentId as string;
    const at = clock.now().toISOString();
    const ofd = { time: at, status: 'out_for_delivery', description: 'Out for delivery', location: 'Brooklyn, NY, US' };
    expect((await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'out_for_delivery', events: [ofd] })).status).toBe(202);
    const sms = await eventually(async () => {
      const list: NotificationRecord[] = (await app.api('GET', `/v1/notifications?shipmentId=${shipmentId}`)).body.notifications;
      return list.find((n) => n.kind === 'out_for_delivery' && n.recipientId === 'buyer-1' && n.channel === 'sms');
    }, 'out_for_delivery SMS decision');
    expect(sms).toMatchObject({ status: 'skipped', reason: 'preference_off' });
  });
});
