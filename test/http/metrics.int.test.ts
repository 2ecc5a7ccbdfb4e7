/**
 * `/metrics` (issue "Admins and buyers at the controls", point 6): an update ingested end to end moves the
 * ingest, notification, provider-error and latency metrics; queue depths come from Redis at scrape time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';
import { startTwilioServer, type TwilioServer } from '../support/twilio-server.js';

let app: TestApp;
let twilio: TwilioServer;
const clock = testClock();

beforeAll(async () => {
  twilio = await startTwilioServer();
  app = await startTestApp({
    now: clock.now,
    env: { TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: twilio.baseUrl },
  });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
});
afterAll(async () => {
  await app.close();
  await twilio.close();
  await dropPrefix(app.config.keyPrefix);
});

async function scrape(): Promise<string> {
  const res = await fetch(`${app.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one sample, 0 when the series does not exist yet. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelPart = line.slice(name.length).match(/^\{([^}]*)\}/)?.[1] ?? '';
    if (wanted.every((w) => labelPart.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

async function notifications(shipmentId: string): Promise<NotificationRecord[]> {
  return (await app.api('GET', `/v1/notifications?shipmentId=${shipmentId}`)).body.notifications;
}

describe('GET /metrics', () => {
  it('is Prometheus text with the default process metrics, without a token', async () => {
    const text = await scrape();
    expect(text).toContain('# TYPE shipment_notifier_process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE shipment_notifier_update_to_send_seconds histogram');
    expect(text).toContain('# TYPE shipment_notifier_provider_errors_total counter');
  });

  it('an out-for-delivery update moves the ingest, notification and latency metrics; an opted-out number counts a provider error', async () => {
    const before = await scrape();
    await app.api('POST', '/v1/orders', order('o-metrics'));
    const shipmentId = (await app.api('POST', '/v1/shipments', { orderId: 'o-metrics', trackingNumber: UPS_NUMBERS[0] })).body.shipmentId as string;
    clock.advance(60_000);
    twilio.optOut(buyer().phone);
    const ofd = { time: clock.now().toISOString(), status: 'out_for_delivery', description: 'Out for delivery' };
    expect((await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'out_for_delivery', events: [ofd] })).status).toBe(202);

    const done = await eventually(async () => {
      const list = await notifications(shipmentId);
      const email = list.find((n) => n.kind === 'out_for_delivery' && n.channel === 'email' && n.recipientId === 'buyer-1' && n.status === 'sent');
      const sms = list.find((n) => n.kind === 'out_for_delivery' && n.channel === 'sms' && n.recipientId === 'buyer-1' && n.status === 'failed');
      return email && sms ? list : null;
    }, 'the email sent and the SMS refused');
    expect(done.length).toBeGreaterThan(0);

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    // The label-created update (changed) and the out-for-delivery one, both through the API.
    expect(delta('shipment_notifier_updates_ingested_total', { source: 'api', changed: 'true' })).toBe(2);
    expect(delta('shipment_notifier_notifications_total', { kind: 'out_for_delivery', channel: 'email', status: 'queued' })).toBeGreaterThanOrEqual(1);
    expect(delta('shipment_notifier_notifications_total', { kind: 'out_for_delivery', channel: 'email', status: 'sent' })).toBeGreaterThanOrEqual(1);
    expect(delta('shipment_notifier_notifications_total', { kind: 'out_for_delivery', channel: 'sms', status: 'failed' })).toBe(1);
    expect(delta('shipment_notifier_provider_errors_total', { channel: 'sms', code: 'RECIPIENT_OPTED_OUT' })).toBe(1);
    expect(delta('shipment_notifier_update_to_send_seconds_count', { channel: 'email' })).toBeGreaterThanOrEqual(1);
    // Sent a minute of test-clock time at most after the update was received.
    expect(sample(after, 'shipment_notifier_update_to_send_seconds_bucket', { channel: 'email', le: '60' })).toBeGreaterThanOrEqual(1);
  });

  it('reports queue depths per queue and state from Redis', async () => {
    const notify = app.queues.all.find((q) => q.name === 'notify')!;
    await notify.add('probe', {}, { delay: 3_600_000, jobId: 'metrics-probe' });
    try {
      const text = await scrape();
      for (const q of ['updates', 'notify', 'email', 'sms', 'push']) {
        expect(text).toMatch(new RegExp(`^shipment_notifier_queue_jobs\\{queue="${q}",state="waiting"\\} \\d+$`, 'm'));
      }
      expect(sample(text, 'shipment_notifier_queue_jobs', { queue: 'notify', state: 'delayed' })).toBeGreaterThanOrEqual(1);
    } finally {
      await notify.remove('metrics-probe');
    }
  });
});
