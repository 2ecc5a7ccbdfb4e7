/**
 * Overrides go live without a restart: the in-test app only serves HTTP, and a second process (the real CLI,
 * `worker --workers notify,email`) renders every email. A save through the API must reach that process's
 * renders within 5 seconds; so must a rollback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testEnv, type TestApp } from '../support/app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PATH = '/v1/templates/en/order_confirmed/email.subject';
const LIVE_WITHIN_MS = 5_000;

let app: TestApp;
let worker: ChildProcess;
let output = '';
let orders = 0;

beforeAll(async () => {
  const env = testEnv();
  app = await startTestApp({ env, workers: [] });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  worker = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker', '--workers', 'notify,email'], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(async () => output.includes('workers started'), `the worker process to start; it said: ${output}`, 30_000);
}, 40_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  await app?.close();
  if (app) await dropPrefix(app.config.keyPrefix);
});

/** Place an order and return the subject of the buyer's confirmation email, as the worker process sent it. */
async function confirmationSubject(): Promise<string> {
  const orderId = `o-live-${++orders}`;
  await app.api('POST', '/v1/orders', order(orderId));
  const id = await eventually(async () => {
    const list = (await app.api('GET', '/v1/notifications?recipientId=buyer-1')).body.notifications as { id: string; orderId: string; channel: string; status: string }[];
    return list.find((n) => n.orderId === orderId && n.channel === 'email' && n.status === 'sent')?.id;
  }, `the confirmation email of ${orderId}`);
  const eml = await readFile(join(app.config.outboxDir, 'email', `${id}.eml`), 'utf8');
  return (/^Subject: (.*)$/m.exec(eml)?.[1] ?? '').replace(`#${orderId}`, '#<id>');
}

/** Keep placing orders until one carries `subject`; fail if that takes longer than the promise allows. */
async function liveWithin(subject: string, since: number): Promise<number> {
  for (;;) {
    const seen = await confirmationSubject();
    if (seen === subject) return Date.now() - since;
    if (Date.now() - since > LIVE_WITHIN_MS) throw new Error(`still "${seen}" ${LIVE_WITHIN_MS} ms after the save, expected "${subject}"`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('overrides across processes', () => {
  it('the other process renders a saved override, then the rolled-back version, within 5 s each', async () => {
    expect(await confirmationSubject()).toBe('Thanks for your order #<id>');

    const v1 = await app.api('PUT', PATH, { source: 'Live v1 for #{{order.id}}' });
    expect(v1.body.version).toBe(1);
    expect(await liveWithin('Live v1 for #<id>', Date.now())).toBeLessThan(LIVE_WITHIN_MS);

    expect((await app.api('PUT', PATH, { source: 'Live v2 for #{{order.id}}' })).body.version).toBe(2);
    expect(await liveWithin('Live v2 for #<id>', Date.now())).toBeLessThan(LIVE_WITHIN_MS);

    const rolled = await app.api('POST', `${PATH}/rollback`, { version: 1 });
    expect(rolled.body).toMatchObject({ version: 3, restored: 1 });
    expect(await liveWithin('Live v1 for #<id>', Date.now())).toBeLessThan(LIVE_WITHIN_MS);

    expect((await app.api('DELETE', PATH)).status).toBe(200);
    expect(await liveWithin('Thanks for your order #<id>', Date.now())).toBeLessThan(LIVE_WITHIN_MS);
  }, 60_000);
});
