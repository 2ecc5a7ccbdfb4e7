/** What the pipeline is compared with, measured in the same run on the same machine. */
import { Queue, Worker } from 'bullmq';
import nodemailer from 'nodemailer';
import type { BenchSink } from './sink.js';

export interface Throughput {
  count: number;
  seconds: number;
  perSecond: number;
}

const rate = (count: number, ms: number): Throughput => ({ count, seconds: ms / 1000, perSecond: count / (ms / 1000) });

/** Raw BullMQ: add `n` no-op jobs in bulk and process them with one worker. */
export async function rawBullmq(redisUrl: string, prefix: string, n: number, concurrency: number): Promise<Throughput> {
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const queue = new Queue('bench-noop', { connection, prefix });
  let done = 0;
  let finish!: () => void;
  const finished = new Promise<void>((ok) => (finish = ok));
  const start = performance.now();
  const worker = new Worker('bench-noop', async () => {
    if (++done === n) finish();
  }, { connection, prefix, concurrency });
  for (let i = 0; i < n; i += 500) {
    await queue.addBulk(Array.from({ length: Math.min(500, n - i) }, (_, j) => ({ name: 'noop', data: { i: i + j }, opts: { removeOnComplete: true } })));
  }
  await finished;
  const ms = performance.now() - start;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return rate(n, ms);
}

/** Raw nodemailer: the same pooled SMTP transport settings, straight to the same sink. */
export async function rawNodemailer(sink: BenchSink, n: number, concurrency: number): Promise<Throughput> {
  const transport = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: 5, maxMessages: Infinity } as never);
  const before = sink.count();
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        await transport.sendMail({ from: 'bench@shop.example', to: 'buyer@example.com', subject: `raw ${i}`, text: 'Your parcel has shipped.', html: '<p>Your parcel has shipped.</p>', messageId: `<raw-${i}@bench>` });
      }
    }),
  );
  const ms = performance.now() - start;
  transport.close();
  if (sink.count() - before !== n) throw new Error('the sink missed messages');
  return rate(n, ms);
}
