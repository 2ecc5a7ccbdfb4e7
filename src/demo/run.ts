import { createECDH, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { createLogger } from '../log.js';
import { startApp } from '../main.js';
import { WORKER_NAMES } from '../queues/names.js';
import type { NotificationRecord } from '../store/notifications.js';
import { demoRedis, NoRedisError } from './redis-server.js';
import { deliveryStory, type Story } from './story.js';

const say = (line = '') => process.stdout.write(`${line}\n`);

const BUYER_ZONE = 'America/New_York';
const SELLER_ZONE = 'America/Chicago';

/** The story's clock: set to a moment of the story, it then runs at real speed. */
function storyClock(start: Date) {
  let base = start.getTime();
  let setAt = Date.now();
  return {
    now: () => new Date(base + (Date.now() - setAt)),
    set(to: Date) {
      base = to.getTime();
      setAt = Date.now();
    },
  };
}

function browserSubscription() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `https://push.demo.invalid/send/${randomBytes(8).toString('hex')}`,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export async function runDemo(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) say(err.message);
    else throw err;
    return 1;
  }
  let redis;
  try {
    redis = await demoRedis(config.redisUrlIsSet ? config.redisUrl : undefined);
  } catch (err) {
    if (err instanceof NoRedisError) {
      say(err.message);
      return 1;
    }
    throw err;
  }
  const adminToken = randomBytes(24).toString('hex');
  const demoConfig: Config = { ...config, redisUrl: redis.url, host: '127.0.0.1', port: 0, adminToken, keyPrefix: `demo-${Date.now().toString(36)}` };
  const story = deliveryStory(new Date(), BUYER_ZONE);
  const clock = storyClock(story.start);
  const app = await startApp(demoConfig, { workers: WORKER_NAMES, logger: createLogger('error'), now: clock.now });
  try {
    return await playStory(app.server!.server.address() as { port: number }, adminToken, story, clock, config, () => busyJobs(app.queues.all));
  } finally {
    await app.close();
    await redis.stop();
  }
}

/** Jobs waiting or running on the pipeline's queues (delayed ones — quiet hours, escalations — do not count). */
async function busyJobs(queues: readonly { getJobCounts(...types: string[]): Promise<Record<string, number>> }[]): Promise<number> {
  const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
  return counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
}

async function playStory(
  address: { port: number },
  token: string,
  story: Story,
  clock: ReturnType<typeof storyClock>,
  config: Config,
  busy: () => Promise<number>,
): Promise<number> {
  const base = `http://127.0.0.1:${address.port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const buyerZone = BUYER_ZONE;
  const sellerZone = SELLER_ZONE;
  const local = (t: Date) => t.toLocaleString('en-US', { timeZone: BUYER_ZONE, weekday: 'short', hour: '2-digit', minute: '2-digit' });
  say('shipment-notifier demo: one order, one parcel, four days replayed through the whole pipeline (HTTP API → Redis queues → workers → channels)');
  say(`email: ${config.smtpUrl ? `SMTP ${new URL(config.smtpUrl).host}` : `outbox ${config.outboxDir}`} · sms: ${config.twilioAccountSid ? 'Twilio' : 'outbox'} · push: ${config.vapidPublicKey ? 'web push' : 'outbox'}`);
  say();
  await call('PUT', '/v1/recipients/buyer-ana', { role: 'buyer', name: 'Ana García', email: 'ana@example.com', phone: '+12125550142', locale: 'en', timezone: buyerZone });
  await call('POST', '/v1/recipients/buyer-ana/push-subscriptions', browserSubscription());
  await call('PUT', '/v1/recipients/seller-acme', { role: 'seller', name: 'Acme Outdoor Co.', email: 'ops@acme-outdoor.example', phone: '+13125550199', locale: 'en', timezone: sellerZone });
  say(`• buyer Ana (${buyerZone}, email + SMS + browser push) and seller Acme (${sellerZone}) registered; times below are the buyer's`);
  await call('POST', '/v1/orders', { orderId: 'TTS-576461413038785752', buyerId: 'buyer-ana', sellerId: 'seller-acme', items: [{ name: 'Trail running shoes', quantity: 1, price: 89.9 }, { name: 'Merino socks (3 pack)', quantity: 2, price: 14.5 }], total: 118.9, currency: 'USD' });
  const shipment = await call('POST', '/v1/shipments', { orderId: 'TTS-576461413038785752', trackingNumber: '1Z5R89390357567127' });
  const shipmentId = String(shipment.shipmentId);
  say(`• order placed; shipment ${shipmentId} with UPS 1Z5R89390357567127 (${String(shipment.trackingUrl)})`);

  const seen = new Set<string>();
  const settle = async (timelineLength: number) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const state = (await call('GET', `/v1/shipments/${shipmentId}`)) as { timeline: unknown[] };
      const all = await allNotifications(call);
      if (state.timeline.length >= timelineLength && all.every((n) => n.status !== 'queued') && (await busy()) === 0) return all;
      if (Date.now() > deadline) throw new Error('the pipeline did not settle within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const report = (all: NotificationRecord[]) => {
    for (const n of all.filter((n) => !seen.has(n.id))) {
      seen.add(n.id);
      if (n.status === 'skipped' && n.reason === 'preference_off') continue;
      say(`    → ${n.role} ${n.channel.padEnd(5)} ${n.kind} ${n.status}${n.reason ? ` (${n.reason})` : ''}`);
    }
  };
  say(`• ${local(story.start)} — label created`);
  report(await settle(1));
  for (const step of story.steps) {
    clock.set(step.at);
    say(`• ${local(step.at)} — ${step.title}`);
    await call('POST', '/v1/tracking-updates', { shipmentId, ...step.update });
    report(await settle(step.update.events.length + 1));
  }

  const all = await allNotifications(call);
  const rows = [['kind', 'recipient', 'channel', 'status', 'reason'], ...all.map((n) => [n.kind, `${n.role} ${n.recipientId}`, n.channel, n.status, n.reason ?? ''])];
  say();
  say(table(rows));
  const sent = all.filter((n) => n.status === 'sent').length;
  let files = 0;
  try {
    files = readdirSync(config.outboxDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  } catch {
    files = 0;
  }
  say();
  say(`${all.length} decisions, ${sent} messages sent; outbox ${config.outboxDir} holds ${files} file(s).`);
  return 0;
}

async function allNotifications(call: (m: string, p: string) => Promise<Record<string, unknown>>): Promise<NotificationRecord[]> {
  const lists = await Promise.all(['buyer-ana', 'seller-acme'].map((id) => call('GET', `/v1/notifications?recipientId=${id}`)));
  return lists.flatMap((l) => l.notifications as NotificationRecord[]).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
