/** The process as operators run it: start-up refusals, readiness, and a SIGTERM that drains. */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { DEFAULT_TEMPLATES_DIR, startApp } from '../src/main.js';
import { ADMIN_TOKEN, buyer, dropPrefix, eventually, order, seller, testEnv } from './support/app.js';

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

function runCli(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return { child, output: () => out, exit };
}

describe('start-up refusals', () => {
  it('stops with one line per bad variable, naming it', async () => {
    const { exit, output } = runCli(['start'], { PORT: 'abc', TWILIO_ACCOUNT_SID: 'nope', LOG_LEVEL: 'loud' });
    expect(await exit).toBe(1);
    const lines = output().trim().split('\n').map((l) => l.trim());
    expect(lines.filter((l) => l.startsWith('PORT:'))).toHaveLength(1);
    expect(lines.find((l) => l.startsWith('PORT:'))).toMatch(/expected an integer from 1 to 65535, got "abc"/);
    expect(lines.some((l) => l.startsWith('TWILIO_ACCOUNT_SID:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('LOG_LEVEL:'))).toBe(true);
  });

  describe('with a Redis that may evict keys', () => {
    let server: ChildProcess;
    let url: string;
    beforeAll(async () => {
      const port = await freePort();
      server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'], { stdio: 'ignore' });
      url = `redis://127.0.0.1:${port}`;
      await eventually(async () => {
        const r = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
        try {
          await r.connect();
          return (await r.ping()) === 'PONG';
        } catch {
          return false;
        } finally {
          r.disconnect();
        }
      }, 'private redis-server');
    });
    afterAll(() => {
      server.kill('SIGTERM');
    });

    it('refuses in one sentence naming the policy', async () => {
      const { exit, output } = runCli(['start'], { REDIS_URL: url, PORT: String(await freePort()) });
      expect(await exit).toBe(1);
      const text = output().trim();
      expect(text.split('\n')).toHaveLength(1);
      expect(text).toMatch(/maxmemory-policy is "allkeys-lru".*"noeviction"/);
    });
  });

  it('refuses broken templates, naming file, line and reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sn-templates-'));
    cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    const file = join(dir, 'en', 'shipped', 'sms.hbs');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n{{#if shipment}}unclosed`);
    const config = parseConfig(testEnv());
    await expect(startApp(config, { workers: [], http: false, templatesDir: dir, logger: createLogger('silent') })).rejects.toThrow(/en[/\\]shipped[/\\]sms\.hbs:\d+/);
  });
});

describe('SIGTERM', () => {
  it('drains the job in flight and exits 0', async () => {
    // An SMTP server that takes 1.5 s to accept each message keeps a send in flight.
    const mails: string[] = [];
    let inFlight = false;
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, done) {
        inFlight = true;
        let raw = '';
        stream.on('data', (c) => (raw += c));
        stream.on('end', () => setTimeout(() => (mails.push(raw), done()), 1500));
      },
    });
    await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
    const smtpPort = (smtp.server.address() as { port: number }).port;
    const env: Record<string, string> = { ...testEnv({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}` }), PORT: String(await freePort()) };
    const app = runCli(['start'], env);
    const base = `http://127.0.0.1:${env.PORT}`;
    try {
      await eventually(async () => (await fetch(`${base}/readyz`).catch(() => null))?.ok, 'readyz', 20_000);
      const call = (method: string, path: string, body: unknown) =>
        fetch(base + path, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await call('PUT', '/v1/recipients/buyer-1', buyer());
      await call('PUT', '/v1/recipients/seller-1', seller());
      await call('POST', '/v1/orders', order('o-1'));
      // Wait until the SMTP conversation has started, then ask the process to stop.
      await eventually(async () => inFlight, 'a message in flight', 10_000);
      app.child.kill('SIGTERM');
      expect(await app.exit).toBe(0);
      expect(mails).toHaveLength(1);
      const redis = new Redis(env.REDIS_URL!);
      const stored = await redis.keys(`${env.KEY_PREFIX}:notification:*`);
      const docs = await Promise.all(stored.filter((k) => !k.endsWith(':trail')).map((k) => redis.hget(k, 'doc')));
      expect(docs.map((d) => JSON.parse(d!).status)).toContain('sent');
      await redis.quit();
    } finally {
      app.child.kill('SIGKILL');
      await new Promise<void>((ok) => smtp.close(() => ok()));
      await dropPrefix(env.KEY_PREFIX!);
    }
  });
});
