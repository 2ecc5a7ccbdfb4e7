/** `npm run demo` as a newcomer runs it: its own redis-server, the outbox, and the closing table. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function runDemo(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => ok({ code, out }));
  });
}

describe('demo', () => {
  it('plays the story with a redis-server it starts itself and ends with the decisions table', async () => {
    const outbox = mkdtempSync(join(tmpdir(), 'sn-demo-'));
    const data = mkdtempSync(join(tmpdir(), 'sn-demo-data-'));
    const { code, out } = await runDemo({ PATH: process.env.PATH ?? '', OUTBOX_DIR: outbox, HOME: data });
    expect(code, out).toBe(0);
    for (const step of ['label created', 'First carrier scan', 'ETA slips two days', 'Address exception', 'Out for delivery', 'Delivered, with proof']) {
      expect(out).toContain(step);
    }
    const rows = out.split('\n').filter((l) => /^\w+\s+(buyer|seller) /.test(l)).map((l) => l.split(/\s{2,}/));
    const sent = (kind: string, who: string, channel: string) => rows.some((r) => r[0] === kind && r[1]!.startsWith(who) && r[2] === channel && r[3] === 'sent');
    expect(sent('order_confirmed', 'buyer', 'email')).toBe(true);
    expect(sent('shipped', 'buyer', 'email')).toBe(true);
    expect(sent('delayed', 'buyer', 'email')).toBe(true);
    expect(sent('exception', 'seller', 'sms')).toBe(true);
    expect(sent('out_for_delivery', 'buyer', 'sms')).toBe(true);
    expect(sent('delivered', 'buyer', 'push')).toBe(true);
    const files = readdirSync(outbox, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBe(rows.filter((r) => r[3] === 'sent').length);
  }, 60_000);

  it('with no Redis and no redis-server, says in one sentence what to do', async () => {
    // A PATH with node but without redis-server.
    const bin = mkdtempSync(join(tmpdir(), 'sn-bin-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const { code, out } = await runDemo({ PATH: bin });
    expect(code).toBe(1);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toMatch(/set REDIS_URL .* or install redis-server/);
  }, 30_000);
});
