/**
 * Seller alert escalation on real Redis and BullMQ: a seller alert sent by email schedules a delayed
 * `escalate` job; unacknowledged after ESCALATE_AFTER_HOURS it is re-sent once by SMS through the normal
 * send path; acknowledged, it is not. Delayed jobs are promoted instead of waited for.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationJobId, processEscalation } from '../../src/queues/escalate.js';
import { ESCALATE_QUEUE } from '../../src/queues/names.js';
import type { NotificationRecord } from '../../src/store/notifications.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';

const HOUR = 3_600_000;
const clock = testClock();
let app: TestApp;
let escalations: Queue;

beforeAll(async () => {
  app = await startTestApp({ now: clock.now });
  escalations = new Queue(ESCALATE_QUEUE, { connection: app.redis, prefix: app.deps.keys.bullPrefix });
  // Built-in defaults also text sellers about exceptions; email-only makes the escalation the only SMS.
  expect((await app.api('PUT', '/v1/defaults', { exception: { seller: ['email'] } })).status).toBe(200);
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  expect((await app.api('POST', '/v1/orders', order('o-esc'))).status).toBe(202);
});
afterAll(async () => {
  await escalations.close();
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

async function sellerAlert(trackingNumber: string): Promise<NotificationRecord> {
  const res = await app.api('POST', '/v1/shipments', { orderId: 'o-esc', trackingNumber });
  expect(res.status).toBe(201);
  const time = clock.now().toISOString();
  await app.api('POST', '/v1/tracking-updates', {
    trackingNumber,
    status: 'exception',
    subStatus: 'address_issue',
    events: [{ time, status: 'exception', subStatus: 'address_issue', description: 'Address incomplete', location: 'Brooklyn, NY' }],
  });
  return eventually(async () => {
    const list: NotificationRecord[] = (await app.api('GET', `/v1/notifications?shipmentId=${res.body.shipmentId}`)).body.notifications;
    return list.find((n) => n.kind === 'exception' && n.recipientId === 'seller-1' && n.channel === 'email' && n.status === 'sent');
  }, `the seller's exception email for ${trackingNumber}`);
}

async function smsFor(alert: NotificationRecord): Promise<NotificationRecord[]> {
  const list: NotificationRecord[] = (await app.api('GET', `/v1/notifications?shipmentId=${alert.shipmentId}`)).body.notifications;
  return list.filter((n) => n.recipientId === 'seller-1' && n.channel === 'sms' && n.status !== 'skipped');
}

const steps = async (id: string) => (await app.deps.stores.notifications.trail(id)).map((e) => e.step);

describe('seller alert escalation', () => {
  let unacknowledged: NotificationRecord;
  let acknowledged: NotificationRecord;

  it('schedules one escalate job ESCALATE_AFTER_HOURS after a seller alert is sent by email', async () => {
    unacknowledged = await sellerAlert(UPS_NUMBERS[0]!);
    acknowledged = await sellerAlert(UPS_NUMBERS[1]!);
    for (const alert of [unacknowledged, acknowledged]) {
      const job = await eventually(async () => escalations.getJob(escalationJobId(alert.id)), 'the escalate job');
      expect(await job.getState()).toBe('delayed');
      expect(job.opts.delay).toBe(app.config.escalateAfterHours * HOUR);
      expect(await steps(alert.id)).toContain('escalation_scheduled');
    }
    // No escalation for the buyer's copy of the same exception.
    const buyerCopies: NotificationRecord[] = (await app.api('GET', `/v1/notifications?recipientId=buyer-1`)).body.notifications;
    for (const n of buyerCopies) expect(await escalations.getJob(escalationJobId(n.id))).toBeUndefined();
    expect(await smsFor(unacknowledged)).toEqual([]);
  });

  it('tells the seller which shipment, the sub-status and the last event', async () => {
    const dir = join(app.config.outboxDir!, 'email');
    const file = (await readdir(dir)).find((f) => f.startsWith(unacknowledged.id));
    const raw = (await readFile(join(dir, file!), 'utf8')).replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    expect(raw).toContain(UPS_NUMBERS[0]);
    expect(raw).toContain('Address incomplete');
    expect(raw).toContain('the delivery address needs attention');
  });

  it('re-sends an unacknowledged alert by SMS once, and not one that was acknowledged', async () => {
    expect((await app.api('POST', `/v1/alerts/${acknowledged.id}/ack`, { by: 'ops@acme.example' })).status).toBe(200);
    clock.advance(app.config.escalateAfterHours * HOUR);
    for (const alert of [unacknowledged, acknowledged]) await (await escalations.getJob(escalationJobId(alert.id)))!.promote();

    const [sms] = await eventually(async () => {
      const list = await smsFor(unacknowledged);
      return list.length > 0 && list.every((n) => n.status === 'sent') && list;
    }, 'the escalation SMS to be sent');
    expect(sms).toMatchObject({ kind: 'exception', channel: 'sms', recipientId: 'seller-1', discriminator: `${unacknowledged.discriminator}:escalated` });
    expect(sms!.causedBy).toBe(`escalation of ${unacknowledged.id} (not acknowledged)`);
    expect(await steps(unacknowledged.id)).toContain('escalated');

    await eventually(async () => (await steps(acknowledged.id)).includes('escalation_not_needed'), 'the acknowledged alert to record "escalation not needed"');
    expect(await smsFor(acknowledged)).toEqual([]);
    const note = (await app.deps.stores.notifications.trail(acknowledged.id)).find((e) => e.step === 'escalation_not_needed');
    expect(note?.detail).toContain('by ops@acme.example');
  });

  it('escalates once: running the job again creates no second SMS', async () => {
    expect(await processEscalation(app.deps, { notificationId: unacknowledged.id })).toBe('already_escalated');
    expect(await smsFor(unacknowledged)).toHaveLength(1);
    expect((await steps(unacknowledged.id)).filter((s) => s === 'escalated')).toHaveLength(1);
  });

  it('shows the escalation decisions in the notification log', async () => {
    const res = await app.api('GET', `/v1/notifications/${unacknowledged.id}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('re-sent by SMS as');
  });
});
