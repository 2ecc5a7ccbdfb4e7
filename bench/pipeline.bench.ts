/**
 * `npm run bench [-- --updates N]`: shipment updates through the whole pipeline — HTTP ingest →
 * track (diff, atomic commit) → notify (fan-out, preferences) → email (render, nodemailer) — to a
 * local SMTP sink, beside raw BullMQ and raw nodemailer measured in the same run on the same sink.
 * Prints the figures and writes them to bench/results/.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { startApp } from '../src/main.js';
import { notificationId } from '../src/queues/notify.js';
import { WORKER_NAMES } from '../src/queues/names.js';
import { rawBullmq, rawNodemailer, type Throughput } from './ceilings.js';
import { startBenchSink } from './sink.js';
import { trackingNumbers } from './tracking-numbers.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('updates', 2000);
const HTTP_CONCURRENCY = arg('http-concurrency', 32);
const REDIS_URL = process.argv.includes('--redis') ? process.argv[process.argv.indexOf('--redis') + 1]! : 'redis://127.0.0.1:6379';
const TOKEN = randomBytes(16).toString('hex');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

async function main(): Promise<void> {
  const sink = await startBenchSink();
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const config = { ...parseConfig({ REDIS_URL, KEY_PREFIX: prefix, ADMIN_TOKEN: TOKEN, SMTP_URL: sink.url, LOG_LEVEL: 'silent', CONCURRENCY: 'track=20,notify=20,email=20' }), port: 0 };
  const app = await startApp(config, { workers: WORKER_NAMES, logger: createLogger('silent') });
  const base = `http://127.0.0.1:${(app.server!.server.address() as { port: number }).port}`;
  const api = async (method: string, path: string, body: unknown) => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };

  // Setup (not timed): one buyer who wants the "shipped" email only, one seller, N orders with a shipment each.
  process.stdout.write(`setting up ${N} shipments… `);
  const quiet = Object.fromEntries(['order_confirmed', 'label_created'].map((k) => [k, { email: false, push: false, sms: false }]));
  await api('PUT', '/v1/recipients/b', { role: 'buyer', name: 'Bench Buyer', email: 'buyer@example.com', timezone: 'UTC', preferences: { channels: { push: { enabled: false }, sms: { enabled: false } }, kinds: quiet } });
  await api('PUT', '/v1/recipients/s', { role: 'seller', name: 'Bench Seller', email: 'seller@example.com', timezone: 'UTC' });
  const numbers = trackingNumbers(N);
  const shipmentIds: string[] = [];
  await pool(numbers.map((tn, i) => ({ tn, i })), HTTP_CONCURRENCY, async ({ tn, i }) => {
    await api('POST', '/v1/orders', { orderId: `bo-${i}`, buyerId: 'b', sellerId: 's', items: [{ name: 'Shoes', quantity: 1, price: 10 }], total: 10, currency: 'USD' });
    shipmentIds[i] = (await api('POST', '/v1/shipments', { orderId: `bo-${i}`, trackingNumber: tn })).shipmentId!;
  });
  await waitIdle(app.queues.all);
  process.stdout.write('done\n');

  // Timed: one first-scan update per shipment → one "shipped" email each.
  const sentAt = new Map<string, number>();
  const start = performance.now();
  await pool(shipmentIds.map((id, i) => ({ id, i })), HTTP_CONCURRENCY, async ({ id }) => {
    const msgId = notificationId(id, 'shipped', '-', 'b', 'email');
    sentAt.set(msgId, performance.now());
    await api('POST', '/v1/tracking-updates', { shipmentId: id, status: 'in_transit', events: [{ time: new Date().toISOString(), status: 'in_transit', description: 'Picked up', location: 'Louisville, KY' }] });
  });
  const ingested = performance.now();
  const latencies: number[] = [];
  const deadline = Date.now() + 300_000;
  let tracked = 0;
  while (latencies.length < N && Date.now() < deadline) {
    latencies.length = 0;
    for (const [id, at] of sink.arrivals) {
      const m = /<(ntf_[0-9a-f]+)@/.exec(id);
      const t0 = m ? sentAt.get(m[1]!) : undefined;
      if (t0 !== undefined) latencies.push(at - t0);
    }
    if (!tracked && (await app.queues.all[0]!.getJobCounts('waiting', 'active')).waiting === 0) tracked = performance.now();
    await new Promise((r) => setTimeout(r, 50));
  }
  const end = Math.max(...[...sink.arrivals.values()]);
  if (latencies.length < N) throw new Error(`only ${latencies.length} of ${N} emails arrived`);
  await app.close();

  latencies.sort((a, b) => a - b);
  const pipelineSeconds = (end - start) / 1000;
  const result = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    updates: N,
    pipeline: {
      ingestSeconds: (ingested - start) / 1000,
      updatesPerSecond: N / pipelineSeconds,
      notificationsPerSecond: latencies.length / pipelineSeconds,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] },
    },
    ceilings: {} as Record<string, Throughput>,
    ratios: {} as Record<string, number>,
  };
  result.ceilings.rawBullmq = await rawBullmq(REDIS_URL, `${prefix}raw`, N, 20);
  result.ceilings.rawNodemailer = await rawNodemailer(sink, N, 20);
  result.ratios.updatesVsRawBullmq = result.pipeline.updatesPerSecond / result.ceilings.rawBullmq.perSecond;
  result.ratios.notificationsVsRawNodemailer = result.pipeline.notificationsPerSecond / result.ceilings.rawNodemailer.perSecond;
  await sink.close();

  const f = (n: number) => n.toFixed(n < 10 ? 2 : 0);
  console.log(`
pipeline (HTTP → track → notify → email → SMTP sink), ${N} updates
  updates/s              ${f(result.pipeline.updatesPerSecond)}
  notifications/s        ${f(result.pipeline.notificationsPerSecond)}
  update → accepted p50  ${f(result.pipeline.latencyMs.p50)} ms
  update → accepted p99  ${f(result.pipeline.latencyMs.p99)} ms
ceilings, same run
  raw BullMQ (no-op add + process)   ${f(result.ceilings.rawBullmq.perSecond)} jobs/s
  raw nodemailer → same sink          ${f(result.ceilings.rawNodemailer.perSecond)} mails/s
ratios
  pipeline updates/s ÷ raw BullMQ jobs/s          ${result.ratios.updatesVsRawBullmq.toFixed(3)}
  pipeline notifications/s ÷ raw nodemailer/s     ${result.ratios.notificationsVsRawNodemailer.toFixed(3)}`);
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/pipeline-${result.when.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten to ${file} and bench/results/latest.json`);
  await dropKeys(prefix);
}

async function waitIdle(queues: { getJobCounts(...t: string[]): Promise<Record<string, number>> }[]): Promise<void> {
  for (;;) {
    const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
    if (counts.every((c) => Object.values(c).every((v) => v === 0))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function dropKeys(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
