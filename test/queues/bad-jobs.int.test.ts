/** A worker never dies on one bad job: malformed and dangling jobs fail alone, the next good one goes through. */
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyer, dropPrefix, eventually, order, REDIS_URL, seller, startTestApp, type TestApp } from '../support/app.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

let app: TestApp;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startTestApp({ env: { SMTP_URL: smtp.url } });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
});
afterAll(async () => {
  await app.close();
  await smtp.close();
  await dropPrefix(app.config.keyPrefix);
});

describe('bad jobs', () => {
  it('fail without stopping their workers', async () => {
    const connection = { url: REDIS_URL };
    const queues = Object.fromEntries(['updates', 'notify', 'email'].map((n) => [n, new Queue(n, { connection, prefix: app.deps.keys.bullPrefix })]));
    // Five attempts each: a job that can never succeed must still fail on the first.
    const opts = { attempts: 5, backoff: { type: 'fixed', delay: 100 } };
    const bad = [
      await queues.updates!.add('update', { nonsense: true }, opts),
      await queues.updates!.add('update', { updateId: 'x', update: { shipmentId: 'no-such-shipment', status: 'in_transit', events: [], source: 'api' }, receivedAt: '' }, opts),
      await queues.notify!.add('delivered', { subject: { type: 'order', orderId: 'no-such-order' }, kind: 'delivered', discriminator: '-', causedBy: 'test', triggeredAt: '' }, opts),
      await queues.email!.add('email', { notificationId: 'ntf_missing' }, opts),
      await queues.email!.add('email', 'not even an object', opts),
    ];
    for (const job of bad) {
      await eventually(async () => (await job.getState()) === 'failed', `job ${job.id} failed`);
      // Unrecoverable: no pointless retries of a job that can never succeed.
      const failed = (await queues[job.queueName]!.getJob(job.id!))!;
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(/malformed|unknown/);
    }
    await app.api('POST', '/v1/orders', order('o-after-bad'));
    await smtp.waitFor(1);
    expect(smtp.messages[0]!.text).toContain('o-after-bad');
    for (const q of Object.values(queues)) await q.close();
  });
});
