/** SPEC diff rule 6 under load: two concurrent updates of one shipment never both fire a notification. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processNotify } from '../../src/queues/notify.js';
import type { NotifyJob } from '../../src/queues/payloads.js';
import { processUpdate } from '../../src/queues/track.js';
import type { TrackingEvent } from '../../src/domain/types.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

let app: TestApp;
let smtp: SmtpSink;
// Labels are created on the 17th at midnight, before the story's first scan; updates arrive on the 19th.
const clock = testClock(Date.parse('2026-11-17T00:00:00.000Z'));

const story: TrackingEvent[] = [
  { time: '2026-11-17T08:00:00.000Z', status: 'in_transit', description: 'Picked up', location: 'Louisville, KY', source: 'api' },
  { time: '2026-11-17T12:00:00.000Z', status: 'in_transit', description: 'Departed facility', location: 'Louisville, KY', source: 'api' },
  { time: '2026-11-17T20:00:00.000Z', status: 'exception', subStatus: 'address_issue', description: 'Address incomplete', location: 'Brooklyn, NY', source: 'api' },
  { time: '2026-11-18T06:00:00.000Z', status: 'out_for_delivery', description: 'Out for delivery', location: 'Brooklyn, NY', source: 'api' },
  { time: '2026-11-18T09:00:00.000Z', status: 'delivery_attempted', subStatus: 'recipient_unavailable', description: 'No one home', location: 'Brooklyn, NY', source: 'api' },
  { time: '2026-11-18T10:00:00.000Z', status: 'delivered', description: 'Delivered', location: 'Brooklyn, NY', source: 'api' },
];

/** 50 updates: random prefixes of the story, so they overlap, repeat and arrive in any order. */
function fiftyUpdates(shipmentId: string) {
  return Array.from({ length: 50 }, (_, i) => {
    const n = 1 + ((i * 7) % story.length);
    const events = story.slice(0, n);
    return { updateId: `u${i}`, update: { shipmentId, status: events[events.length - 1]!.status, events, source: 'api' }, receivedAt: new Date().toISOString() };
  });
}

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startTestApp({ workers: [], env: { SMTP_URL: smtp.url }, now: clock.now });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  await app.api('POST', '/v1/orders', order('o-1'));
});
afterAll(async () => {
  await app.close();
  await smtp.close();
  await dropPrefix(app.config.keyPrefix);
});

describe('50 concurrent updates of one shipment', () => {
  it('commit atomically: every trigger is enqueued exactly once and fan-out creates each notification once', async () => {
    const { body } = await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: UPS_NUMBERS[0] });
    const shipmentId = body.shipmentId as string;
    const label = await processUpdate(app.deps, { updateId: 'label', update: { shipmentId, status: 'label_created', events: [{ time: clock.now().toISOString(), status: 'label_created', description: 'Label created', source: 'api' }], source: 'api' }, receivedAt: '' });
    clock.advance(2 * 24 * 3_600_000);
    const outcomes = await Promise.all(fiftyUpdates(shipmentId).map((job) => processUpdate(app.deps, job)));

    const fired = outcomes.flatMap((o) => o.triggers);
    expect(new Set(fired).size).toBe(fired.length);
    // Whatever the order of arrival, the parcel was shipped, hit an address problem and was delivered.
    expect(fired).toEqual(expect.arrayContaining(['shipped:-', 'exception:address_issue', 'delivered:-']));
    const state = await app.deps.stores.shipments.get(shipmentId);
    expect(state!.status).toBe('delivered');
    expect(new Set(state!.fired).size).toBe(state!.fired.length);
    expect(state!.events.map((e) => e.description)).toEqual(['Label created', ...story.map((e) => e.description)]);

    const notify = app.queues.all.find((q) => q.name === 'notify')!;
    const jobs = (await notify.getJobs(['waiting', 'prioritized', 'delayed'])).filter((j) => j.data.subject.type === 'shipment');
    expect(jobs.map((j) => `${j.data.kind}:${j.data.discriminator}`).sort()).toEqual([...label.triggers, ...fired].sort());
    expect(await app.deps.stores.shipments.pending(shipmentId)).toEqual([]);

    // Each notify job run twice at once, as after a stalled-job recovery.
    const decided = (await Promise.all(jobs.flatMap((j) => [processNotify(app.deps, j.data as NotifyJob), processNotify(app.deps, j.data as NotifyJob)]))).flat();
    const stored = await app.deps.stores.notifications.list({ shipmentId, limit: 1000 });
    const identity = stored.map((n) => `${n.kind}:${n.discriminator}:${n.recipientId}:${n.channel}`);
    expect(new Set(identity).size).toBe(identity.length);
    expect(new Set(decided.map((d) => d.id))).toEqual(new Set(stored.map((n) => n.id)));
  });

  it('over HTTP with running workers, the SMTP server sees each email once', async () => {
    const worker = await startTestApp({ env: { SMTP_URL: smtp.url, KEY_PREFIX: app.config.keyPrefix }, now: clock.now });
    try {
      // Back to the 17th for the label, then forward again for the scans.
      clock.advance(-2 * 24 * 3_600_000);
      const { body } = await app.api('POST', '/v1/shipments', { orderId: 'o-1', trackingNumber: UPS_NUMBERS[1] });
      const shipmentId = body.shipmentId as string;
      await eventually(async () => (await app.deps.stores.shipments.get(shipmentId))?.status === 'label_created', 'label created');
      clock.advance(2 * 24 * 3_600_000);
      await Promise.all(
        fiftyUpdates(shipmentId).map(({ update }) =>
          app.api('POST', '/v1/tracking-updates', { shipmentId, status: update.status, events: update.events.map(({ source: _s, ...e }) => e) }),
        ),
      );
      const stored = await eventually(async () => {
        const state = await app.deps.stores.shipments.get(shipmentId);
        const list = await app.deps.stores.notifications.list({ shipmentId, limit: 1000 });
        return state?.status === 'delivered' && list.length > 0 && list.every((n) => n.status !== 'queued') ? list : null;
      }, 'all notifications decided', 30_000);
      expect(stored.some((n) => n.kind === 'delivered' && n.status === 'sent')).toBe(true);
      const emailsSent = stored.filter((n) => n.channel === 'email' && n.status === 'sent').map((n) => n.id);
      const received = smtp.messages.map((m) => smtp.header(m, 'message-id') ?? '').filter((id) => emailsSent.some((n) => id.includes(n)));
      expect(received.length).toBe(emailsSent.length);
      expect(new Set(received).size).toBe(received.length);
    } finally {
      await worker.close();
    }
  });
});
