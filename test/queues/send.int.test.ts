/** Effectively-once sending, retries with backoff, permanent failures — against a real SMTP server. */
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processSend } from '../../src/queues/send.js';
import { RetryableChannelError } from '../../src/channels/errors.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, type TestApp } from '../support/app.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

let app: TestApp;
let smtp: SmtpSink;
let orderSeq = 0;

beforeAll(async () => {
  smtp = await startSmtpSink();
  // Fan-out runs; the email worker does not, so each test decides when and how sends happen.
  app = await startTestApp({ workers: ['notify'], env: { SMTP_URL: smtp.url } });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
});
afterEach(() => smtp.clearFailures());
afterAll(async () => {
  await app.close();
  await smtp.close();
  await dropPrefix(app.config.keyPrefix);
});

/** Places an order and returns the id of its queued order_confirmed email. */
async function queuedEmail(): Promise<string> {
  const id = `o-${++orderSeq}`;
  await app.api('POST', '/v1/orders', order(id));
  return eventually(async () => {
    const list = await app.deps.stores.notifications.list({ recipientId: 'buyer-1', limit: 1000 });
    return list.find((n) => n.orderId === id && n.channel === 'email' && n.status === 'queued')?.id;
  }, 'a queued email');
}

const attempt = { attemptsMade: 0, maxAttempts: 10 };
const received = (id: string) => smtp.messages.filter((m) => (smtp.header(m, 'message-id') ?? '').includes(id)).length;

describe('effectively-once', () => {
  it('a job run twice in a row sends once', async () => {
    const id = await queuedEmail();
    expect(await processSend(app.deps, 'email', { notificationId: id }, attempt)).toBe('sent');
    expect(await processSend(app.deps, 'email', { notificationId: id }, attempt)).toBe('not-sendable');
    expect(received(id)).toBe(1);
  });

  it('two copies running at once (stalled-job recovery) send once; the loser retries and finds it sent', async () => {
    const id = await queuedEmail();
    const results = await Promise.allSettled([1, 2, 3].map(() => processSend(app.deps, 'email', { notificationId: id }, attempt)));
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === 'sent')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(RetryableChannelError);
    expect(await processSend(app.deps, 'email', { notificationId: id }, attempt)).toBe('not-sendable');
    expect(received(id)).toBe(1);
  });

  it('a retry after the provider accepted but before the status was saved does not send again', async () => {
    const id = await queuedEmail();
    await app.deps.stores.idempotency.markSent(id, 'smtp-accepted-earlier');
    expect(await processSend(app.deps, 'email', { notificationId: id }, attempt)).toBe('already-sent');
    expect(received(id)).toBe(0);
    expect(await app.deps.stores.notifications.get(id)).toMatchObject({ status: 'sent', providerId: 'smtp-accepted-earlier' });
  });
});

describe('through the email worker', () => {
  let worker: TestApp;
  let events: QueueEvents;
  beforeAll(async () => {
    worker = await startTestApp({ workers: ['email'], http: false, env: { SMTP_URL: smtp.url, KEY_PREFIX: app.config.keyPrefix } });
    events = new QueueEvents('email', { connection: { url: 'redis://127.0.0.1:6379' }, prefix: app.deps.keys.bullPrefix });
    await events.waitUntilReady();
  });
  afterAll(async () => {
    await events.close();
    await worker.close();
  });

  it('retries a transient SMTP error (421) with backoff and then sends once', async () => {
    smtp.failNext(421, 'Try again later', 2, 'mail');
    const id = await queuedEmailForWorker();
    const record = await eventually(async () => {
      const r = await app.deps.stores.notifications.get(id);
      return r?.status === 'sent' ? r : null;
    }, 'sent after retries', 20_000);
    expect(record.status).toBe('sent');
    const job = await new Queue('email', { connection: { url: 'redis://127.0.0.1:6379' }, prefix: app.deps.keys.bullPrefix }).getJob(id);
    expect(job!.attemptsMade).toBeGreaterThanOrEqual(2);
    expect(received(id)).toBe(1);
    const trail = await app.deps.stores.notifications.trail(id);
    expect(trail.map((t) => t.step)).toContain('sent');
  });

  it('fails a permanent SMTP error (550) at once, records the reason and suppresses the address', async () => {
    smtp.failNext(550, 'No such user here', 1, 'rcpt');
    const id = await queuedEmailForWorker();
    const record = await eventually(async () => {
      const r = await app.deps.stores.notifications.get(id);
      return r?.status === 'failed' ? r : null;
    }, 'failed', 10_000);
    expect(record.reason).toMatch(/No such user/);
    const job = await new Queue('email', { connection: { url: 'redis://127.0.0.1:6379' }, prefix: app.deps.keys.bullPrefix }).getJob(id);
    expect(job!.attemptsMade).toBe(1);
    expect((await app.deps.stores.recipients.get('buyer-1'))!.suppressed?.email).toBeDefined();
    // Undo for the other tests.
    const r = (await app.deps.stores.recipients.get('buyer-1'))!;
    delete r.suppressed;
    await app.deps.stores.recipients.put(r);
  });

  async function queuedEmailForWorker(): Promise<string> {
    const id = `o-${++orderSeq}`;
    await app.api('POST', '/v1/orders', order(id));
    return eventually(async () => {
      const list = await app.deps.stores.notifications.list({ recipientId: 'buyer-1', limit: 1000 });
      return list.find((n) => n.orderId === id && n.channel === 'email')?.id;
    }, 'an email decision');
  }
});
