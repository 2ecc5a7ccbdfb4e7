#!/usr/bin/env node
import { ConfigError, loadConfig } from './config.js';
import { startApp, DEFAULT_TEMPLATES_DIR } from './main.js';
import { WORKER_NAMES, type WorkerName } from './queues/names.js';
import { RedisPolicyError } from './store/redis.js';

const USAGE = `usage: shipment-notifier <command>

  start                 HTTP server and every worker named in WORKERS (default: all)
  server                HTTP server only
  worker [--workers a,b] workers only (track, notify, email, sms, push, poll, sweep, escalate)
  demo                  play a realistic shipment story through the real pipeline
  templates check       validate every template and exit`;

function parseWorkers(args: string[], fallback: readonly WorkerName[]): WorkerName[] {
  const i = args.indexOf('--workers');
  if (i === -1) return [...fallback];
  const names = (args[i + 1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !(WORKER_NAMES as readonly string[]).includes(n));
  if (bad.length || names.length === 0) throw new Error(`--workers takes a comma-separated list from ${WORKER_NAMES.join(', ')}; got "${args[i + 1] ?? ''}"`);
  return names as WorkerName[];
}

async function run(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === 'demo') {
    const { runDemo } = await import('./demo/run.js');
    process.exitCode = await runDemo();
    return;
  }
  if (command === 'templates' && args[0] === 'check') {
    const { validateTemplates } = await import('./render/validate.js');
    const problems = await validateTemplates(DEFAULT_TEMPLATES_DIR);
    for (const p of problems) console.error(String(p.message ?? p));
    console.log(problems.length === 0 ? 'templates: all valid' : `templates: ${problems.length} problem(s)`);
    process.exitCode = problems.length === 0 ? 0 : 1;
    return;
  }
  if (command !== 'start' && command !== 'server' && command !== 'worker') {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const workers = command === 'server' ? [] : parseWorkers(args, config.workers as WorkerName[]);
  const app = await startApp(config, { workers, http: command !== 'worker' });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.deps.logger.info({ signal }, 'draining: no new jobs, waiting for the ones in flight');
    await app.close();
    app.deps.logger.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

run(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof RedisPolicyError) console.error(err.message);
  else if (err instanceof Error && 'code' in err && err.code === 'ETEMPLATE') console.error(`Templates are broken, not starting: ${err.message}`);
  else console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
