/**
 * `npm run bench [-- --updates N]`: shipment updates through the whole pipeline — HTTP ingest →
 * track (diff, atomic commit) → notify (fan-out, preferences) → email (render, nodemailer) — to a
 * local SMTP sink, beside raw BullMQ and raw nodemailer measured in the same run on the same sink.
 * Prints the figures and writes them to bench/results/.
 */
import { spawn } from 'node:child_process';
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
const PACED = arg('paced', 300);
const REDIS_URL = process.argv.includes('--redis') ? process.argv[process.argv.indexOf('--redis') + 1]! : 'redis://127.0.0.1:6379';
const TOKEN = randomBytes(16).toString('hex');
/** Worker processes beside the API process, as the service scales out. @defaultValue 1 */
const WORKER_PROCESSES = arg('worker-processes', 1);

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
  const env = { REDIS_URL, KEY_PREFIX: prefix, ADMIN_TOKEN: TOKEN, SMTP_URL: sink.url, LOG_LEVEL: 'silent', CONCURRENCY: 'track=20,notify=20,email=20' };
  const config = { ...parseConfig(env), port: 0 };
  // The API (and this load generator) in this process; the workers in their own, as deployed.
  const app = await startApp(config, { workers: WORKER_PROCESSES > 0 ? [] : WORKER_NAMES, logger: createLogger('silent') });
  const workers = Array.from({ length: WORKER_PROCESSES }, () =>
    spawn(process.execPath, [...(process.argv.includes('--profile-workers') ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof2'] : []), '--import', 'tsx', 'src/cli.ts', 'worker'], { env: { ...env, PATH: process.env.PATH ?? '' }, stdio: 'inherit' }),
  );
  const base = `http://127.0.0.1:${(app.server!.server.address() as { port: number }).port}`;
  const api = async (method: string, path: string, body: unknown) => {
    const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  };

  // Setup (not timed): one buyer who wants the "shipped" email only, one seller, N orders with a shipment each.
  process.stdout.write(`setting up ${N + PACED} shipments… `);
  const quiet = Object.fromEntries(['order_confirmed', 'label_created'].map((k) => [k, { email: false, push: false, sms: false }]));
  await api('PUT', '/v1/recipients/b', { role: 'buyer', name: 'Bench Buyer', email: 'buyer@example.com', timezone: 'UTC', preferences: { channels: { push: { enabled: false }, sms: { enabled: false } }, kinds: quiet } });
  await api('PUT', '/v1/recipients/s', { role: 'seller', name: 'Bench Seller', email: 'seller@example.com', timezone: 'UTC' });
  const numbers = trackingNumbers(N + PACED);
  const shipmentIds: string[] = [];
  await pool(numbers.map((tn, i) => ({ tn, i })), HTTP_CONCURRENCY, async ({ tn, i }) => {
    await api('POST', '/v1/orders', { orderId: `bo-${i}`, buyerId: 'b', sellerId: 's', items: [{ name: 'Shoes', quantity: 1, price: 10 }], total: 10, currency: 'USD' });
    shipmentIds[i] = (await api('POST', '/v1/shipments', { orderId: `bo-${i}`, trackingNumber: tn })).shipmentId!;
  });
  await waitIdle(app.queues.all);
  process.stdout.write('done\n');

  /** Posts one first-scan update per shipment (→ one "shipped" email each) and waits for every email. */
  const phase = async (ids: string[], send: (post: (id: string) => Promise<void>) => Promise<void>) => {
    const sentAt = new Map<string, number>();
    const post = async (id: string) => {
      sentAt.set(notificationId(id, 'shipped', '-', 'b', 'email'), performance.now());
      await api('POST', '/v1/tracking-updates', { shipmentId: id, status: 'in_transit', events: [{ time: new Date().toISOString(), status: 'in_transit', description: 'Picked up', location: 'Louisville, KY' }] });
    };
    const start = performance.now();
    await send(post);
    const latencies: number[] = [];
    let end = start;
    const deadline = Date.now() + 300_000;
    while (latencies.length < ids.length && Date.now() < deadline) {
      latencies.length = 0;
      for (const [id, at] of sink.arrivals) {
        const t0 = sentAt.get(/<(ntf_[0-9a-f]+)@/.exec(id)?.[1] ?? '');
        if (t0 !== undefined) {
          latencies.push(at - t0);
          end = Math.max(end, at);
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (latencies.length < ids.length) throw new Error(`only ${latencies.length} of ${ids.length} emails arrived`);
    latencies.sort((x, y) => x - y);
    return { seconds: (end - start) / 1000, latencies };
  };

  // Saturated: all N as fast as HTTP_CONCURRENCY clients can post; gives throughput.
  const saturated = await phase(shipmentIds.slice(0, N), (post) => pool(shipmentIds.slice(0, N), HTTP_CONCURRENCY, post));
  // Paced: at a quarter of that throughput, so the latency is the pipeline's, not the queue's backlog.
  const rate = Math.max(1, Math.round((N / saturated.seconds) / 4));
  const pacedIds = shipmentIds.slice(N);
  const paced = await phase(pacedIds, async (post) => {
    const t0 = performance.now();
    await Promise.all(pacedIds.map(async (id, i) => {
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + (i * 1000) / rate - performance.now())));
      await post(id);
    }));
  });
  await Promise.all(workers.map((w) => new Promise((ok) => (w.once('exit', ok), w.kill('SIGTERM')))));
  await app.close();

  const result = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    updates: N,
    workerProcesses: WORKER_PROCESSES,
    pipeline: {
      updatesPerSecond: N / saturated.seconds,
      notificationsPerSecond: saturated.latencies.length / saturated.seconds,
      saturatedLatencyMs: { p50: percentile(saturated.latencies, 50), p99: percentile(saturated.latencies, 99) },
      paced: { updates: PACED, ratePerSecond: rate },
      latencyMs: { p50: percentile(paced.latencies, 50), p99: percentile(paced.latencies, 99), max: paced.latencies[paced.latencies.length - 1] },
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
pipeline (HTTP → track → notify → email → SMTP sink), ${N} updates, API process + ${WORKER_PROCESSES} worker process(es)
  updates/s              ${f(result.pipeline.updatesPerSecond)}
  notifications/s        ${f(result.pipeline.notificationsPerSecond)}
  update → accepted p50  ${f(result.pipeline.latencyMs.p50)} ms, p99 ${f(result.pipeline.latencyMs.p99)} ms  (paced: ${PACED} updates at ${rate}/s)
  same, saturated        p50 ${f(result.pipeline.saturatedLatencyMs.p50)} ms, p99 ${f(result.pipeline.saturatedLatencyMs.p99)} ms  (queue backlog included)
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
