#!/usr/bin/env node
/**
 * `npm run simulate [-- --port 4010]`: starts the carrier simulator and prints the environment that points
 * the service at it, and the tracking numbers whose stories it plays.
 */
import { POLLED_CARRIERS } from '../ingest/carriers/types.js';
import { startCarrierSimulator } from './server.js';
import { SIMULATED_NUMBERS, STORIES } from './stories.js';

function portFrom(args: string[]): number {
  const i = args.indexOf('--port');
  if (i === -1) return 4010;
  const port = Number(args[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port takes a port number from 0 to 65535; got "${args[i + 1] ?? ''}"`);
  return port;
}

async function main(): Promise<void> {
  const simulator = await startCarrierSimulator({ port: portFrom(process.argv.slice(2)) });
  const lines = [
    `Carrier simulator listening on ${simulator.baseUrl} (USPS, UPS, FedEx, DHL; OAuth included).`,
    '',
    'Point shipment-notifier at it with these (plus POLL_INTERVAL_MINUTES=1 for a quick demo; the `poll` worker is in the default WORKERS):',
    '',
    ...Object.entries(simulator.env()).map(([name, value]) => `${name}=${value}`),
    '',
    'Tracking numbers with a story (one step revealed per poll; any other valid number is "not found"):',
    ...POLLED_CARRIERS.flatMap((carrier) =>
      Object.entries(SIMULATED_NUMBERS[carrier]).map(([number, story]) => `  ${carrier.padEnd(5)} ${number.padEnd(22)} ${STORIES[story].summary}`),
    ),
    '',
    'Ctrl-C stops it.',
  ];
  console.log(lines.join('\n'));
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
