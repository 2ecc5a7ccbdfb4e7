import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

export class NoRedisError extends Error {
  readonly code = 'ENOREDIS';
}

export interface DemoRedis {
  url: string;
  /** True when the demo started this server (and will stop it). */
  own: boolean;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => {}); // connection refused while the server starts is expected
    try {
      await redis.connect();
      await redis.ping();
      redis.disconnect();
      return;
    } catch (err) {
      redis.disconnect();
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * The demo needs only Redis: the one named by REDIS_URL, or else a private `redis-server` it starts
 * on a free port, with AOF on and its data under `.data/`, and stops at exit.
 */
export async function demoRedis(redisUrl: string | undefined, dataDir = '.data/redis'): Promise<DemoRedis> {
  if (redisUrl) {
    await waitForPing(redisUrl, 2_000).catch(() => {
      throw new NoRedisError(`Redis at REDIS_URL (${redisUrl}) does not answer: start it, or unset REDIS_URL to let the demo start its own redis-server.`);
    });
    return { url: redisUrl, own: false, stop: async () => {} };
  }
  const which = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  if (which.error || which.status !== 0) {
    throw new NoRedisError('The demo needs Redis: set REDIS_URL to a running Redis 6.2+, or install redis-server (e.g. "apt-get install redis-server" or "brew install redis") so the demo can start its own.');
  }
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitForPing(url, 10_000);
  return {
    url,
    own: true,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}
