/**
 * "Why was this sent, or not?" (issue "Delivery policy and compliance", point 9): `GET /v1/notifications/:id`
 * gives source update → diff change → preference decision → quiet hours → render → provider answer, with times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/queues/queues.js';
import type { TrailStep } from '../../src/http/api-notifications.js';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';

let app: TestApp;
const clock = testClock();
let shipmentId: string;
let ofdUpdateId: string;

async function list(): Promise<NotificationRecord[]> {
  return (await app.api('GET', `/v1/notifications?shipmentId=${shipmentId}`)).body.notifications;
}
async function find(kind: string, channel: string, status?: string): Promise<NotificationRecord> {
  return eventually(async () => (await list()).find((n) => n.kind === kind && n.recipientId === 'buyer-1' && n.channel === channel && (!status || n.status === status)), `${kind} ${channel} ${status ?? ''}`);
}
async function steps(id: string): Promise<TrailStep[]> {
  const res = await app.api('GET', `/v1/notifications/${id}`);
  expect(res.status).toBe(200);
  expect(res.body.notification.id).toBe(id);
  return res.body.steps;
}
function expectTimeOrder(s: TrailStep[]): void {
  const times = s.filter((x) => x.at !== null).map((x) => Date.parse(x.at!));
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

beforeAll(async () => {
  app = await startTestApp({ now: clock.now });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  await app.api('POST', '/v1/orders', order('o-trail'));
  shipmentId = (await app.api('POST', '/v1/shipments', { orderId: 'o-trail', trackingNumber: UPS_NUMBERS[0] })).body.shipmentId;
  clock.advance(60_000);
  const ofd = { time: clock.now().toISOString(), status: 'out_for_delivery', description: 'Out for delivery', location: 'Brooklyn, NY, US' };
  ofdUpdateId = (await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'out_for_delivery', events: [ofd] })).body.updateId;
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

describe('GET /v1/notifications/:id', () => {
  it('a sent SMS: every step, in time order, from the update to the provider answer', async () => {
    const sms = await find('out_for_delivery', 'sms', 'sent');
    const s = await steps(sms.id);
    expect(s.map((x) => x.step)).toEqual(['source_update', 'diff_change', 'preference_decision', 'quiet_hours', 'render', 'provider_answer']);
    expectTimeOrder(s);
    expect(s.every((x) => x.at !== null)).toBe(true);
    expect(s[0]).toMatchObject({ data: { updateId: ofdUpdateId, kept: true, source: 'api', status: 'out_for_delivery' } });
    expect(s[1]!.data).toMatchObject({ trigger: `out_for_delivery:${sms.discriminator}`, firedOnShipment: true });
    expect(s[2]!.detail).toMatch(/^queued; caused by update /);
    expect(s[2]!.data).toMatchObject({ channel: 'sms', recomputedNow: { send: true, rule: 'admin or built-in default for the role' } });
    expect(s[3]).toMatchObject({ detail: 'not held', data: { held: false } });
    expect(s[4]!.data).toMatchObject({ parts: ['sms'], localeChain: ['en'], smsSegments: expect.any(Number) });
    expect(s[4]!.data!.smsSegments).toBeGreaterThanOrEqual(1);
    expect(s[5]).toMatchObject({ detail: expect.stringMatching(/^sent/), data: { providerId: sms.providerId } });
  });

  it('a channel skipped by preference: the decision and its reason, and nothing rendered or sent', async () => {
    const skipped = await eventually(async () => (await list()).find((n) => n.status === 'skipped' && n.reason === 'preference_off'), 'a preference_off decision');
    const s = await steps(skipped.id);
    expect(s.map((x) => x.step)).toEqual(['source_update', 'diff_change', 'preference_decision']);
    expect(s[2]!.detail).toMatch(/^skipped \(preference_off\)/);
    expect(s[2]!.data).toMatchObject({ channel: skipped.channel, recomputedNow: { send: false, reason: 'preference_off' } });
  });

  it('a held message shows the quiet-hours hold with its release time', async () => {
    const patch = await app.api('PATCH', '/v1/recipients/buyer-1/preferences', { quietHours: { start: '00:00', end: '23:59' } });
    expect(patch.status).toBe(200);
    clock.advance(60_000);
    const events = [{ time: clock.now().toISOString(), status: 'delivered', description: 'Delivered, front door', location: 'Brooklyn, NY, US' }];
    await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'delivered', events });
    const held = await find('delivered', 'email', 'held');
    const s = await steps(held.id);
    expect(s.map((x) => x.step)).toEqual(['source_update', 'diff_change', 'preference_decision', 'quiet_hours']);
    expect(s[3]).toMatchObject({ data: { held: true, holdUntil: held.holdUntil, timezone: 'UTC' } });
    expect(s[3]!.detail).toContain(`held until ${held.holdUntil}`);
    expect(s[3]!.detail).toContain('00:00–23:59');
    expectTimeOrder(s);
  });

  it('says so when the source update is no longer kept in the queue', async () => {
    const sms = await find('out_for_delivery', 'sms', 'sent');
    const updates = app.queues.all.find((q) => q.name === 'updates')!;
    await (await updates.getJob(jobId('u', ofdUpdateId)))!.remove();
    const s = await steps(sms.id);
    expect(s[0]).toMatchObject({ step: 'source_update', at: null, data: { updateId: ofdUpdateId, kept: false } });
    expect(s[0]!.detail).toMatch(/no longer kept/);
    expect(s.map((x) => x.step)).toContain('provider_answer');
    expectTimeOrder(s);
  });

  it('names an API call as the source of an order notification', async () => {
    const confirmed = await eventually(
      async () => ((await app.api('GET', '/v1/notifications?recipientId=buyer-1')).body.notifications as NotificationRecord[]).find((n) => n.kind === 'order_confirmed' && n.status === 'sent'),
      'order_confirmed sent',
    );
    const s = await steps(confirmed.id);
    expect(s[0]).toMatchObject({ step: 'source_update', detail: 'caused by POST /v1/orders' });
    expect(s[1]!.detail).toBe('trigger order_confirmed:- on order o-trail');
    expect(s.map((x) => x.step).slice(-2)).toEqual(['render', 'provider_answer']);
    expect(s.find((x) => x.step === 'render')!.data).toMatchObject({ parts: ['email.subject', 'email.html', 'email.text'] });
  });

  it('answers 404 for an unknown id, and 400 for a malformed one', async () => {
    const missing = await app.api('GET', '/v1/notifications/ntf_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', details: [{ field: 'id' }] });
    expect((await app.api('GET', '/v1/notifications/bad%20id')).status).toBe(400);
  });
});
