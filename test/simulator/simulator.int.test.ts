/** The carrier simulator itself: what it checks, how its stories advance, and the `npm run simulate` entry point. */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { identifyTrackingNumber } from '../../src/ingest/tracking-number.js';
import { POLLED_CARRIERS } from '../../src/ingest/carriers/types.js';
import { SIMULATOR_CREDENTIALS, startCarrierSimulator, type CarrierSimulator } from '../../src/simulator/server.js';
import { SIMULATED_NUMBERS, STORIES } from '../../src/simulator/stories.js';

let sim: CarrierSimulator;
let now: number;

beforeEach(async () => {
  now = Date.parse('2026-11-18T12:00:00Z');
  sim = await startCarrierSimulator({ now: () => new Date(now) });
});
afterEach(async () => {
  await sim.close();
});

async function upsToken(secret: string = SIMULATOR_CREDENTIALS.ups.clientSecret) {
  return fetch(`${sim.urls.ups}/security/v1/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${SIMULATOR_CREDENTIALS.ups.clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
}

async function upsTrack(token: string, number = '1ZSIM0010300000017') {
  return fetch(`${sim.urls.ups}/api/track/v1/details/${number}`, { headers: { authorization: `Bearer ${token}`, transId: 'x', transactionSrc: 'test' } });
}

describe('carrier simulator', () => {
  it('every scripted number passes its carrier check digit, and every story starts with a label', () => {
    for (const carrier of POLLED_CARRIERS) {
      for (const [number, story] of Object.entries(SIMULATED_NUMBERS[carrier])) {
        expect(identifyTrackingNumber(number).carrier, number).toBe(carrier);
        expect(STORIES[story].steps[0]?.kind).toBe('label');
      }
    }
  });

  it('issues tokens only for its client credentials, in the carrier’s token shape', async () => {
    expect((await upsToken('wrong')).status).toBe(401);
    const res = await upsToken();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    // UPS writes expires_in as a string.
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: '3600', status: 'approved' });
    expect(typeof body.access_token).toBe('string');
  });

  it('refuses tracking without a valid token, and after expireTokens()', async () => {
    expect((await upsTrack('made-up')).status).toBe(401);
    const token = ((await (await upsToken()).json()) as { access_token: string }).access_token;
    expect((await upsTrack(token)).status).toBe(200);
    sim.expireTokens();
    const refused = await upsTrack(token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ response: { errors: [{ code: '401', message: 'Invalid Authentication Information.' }] } });
  });

  it('reveals one step per poll, dated a minute apart and not after the poll', async () => {
    const token = ((await (await upsToken()).json()) as { access_token: string }).access_token;
    const first = (await (await upsTrack(token)).json()) as any;
    expect(first.trackResponse.shipment[0].package[0].activity).toHaveLength(1);
    const second = (await (await upsTrack(token)).json()) as any;
    const activity = second.trackResponse.shipment[0].package[0].activity;
    expect(activity.map((a: any) => a.status.type)).toEqual(['P', 'M']);
    // The clock stood still: the second scan is a minute after the first, at most at the poll itself.
    expect(activity[1].gmtTime).toBe('115900');
    expect(activity[0].gmtTime).toBe('120000');
    expect(sim.position('ups', '1ZSIM0010300000017')).toBe(2);
  });

  it('answers an unknown number the way each carrier does', async () => {
    const dhl = await fetch(`${sim.urls.dhl}/track/shipments?trackingNumber=0000000000`, { headers: { 'DHL-API-Key': 'sim-dhl-key' } });
    expect(dhl.status).toBe(404);
    expect(dhl.headers.get('content-type')).toBe('application/problem+json');
    expect(await dhl.json()).toMatchObject({ status: 404, title: 'No shipment with given tracking number found.' });
  });

  it('fails the next calls as programmed, then recovers', async () => {
    sim.failNext('dhl', { status: 429, retryAfter: '3', times: 2 });
    const call = () => fetch(`${sim.urls.dhl}/track/shipments?trackingNumber=1000012344`, { headers: { 'DHL-API-Key': 'sim-dhl-key' } });
    const [a, b, c] = [await call(), await call(), await call()];
    expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
    expect(a.headers.get('retry-after')).toBe('3');
  });

  it('plays extra stories given by tracking number', async () => {
    const custom = await startCarrierSimulator({ stories: { '1000249913': STORIES.happy }, stepsPerPoll: 5 });
    try {
      const res = await fetch(`${custom.urls.dhl}/track/shipments?trackingNumber=1000249913`, { headers: { 'DHL-API-Key': 'sim-dhl-key' } });
      const body = (await res.json()) as any;
      expect(body.shipments[0].status.statusCode).toBe('delivered');
      expect(body.shipments[0].events).toHaveLength(5);
    } finally {
      await custom.close();
    }
  });

  it('says 404 for paths no carrier has', async () => {
    expect((await fetch(`${sim.baseUrl}/royalmail/track`)).status).toBe(404);
    expect((await fetch(`${sim.urls.ups}/api/track/v2/details/x`)).status).toBe(404);
  });

  it('prints an environment the configuration accepts', () => {
    const config = parseConfig(sim.env());
    expect(config).toMatchObject({ upsApiBaseUrl: sim.urls.ups, dhlApiKey: 'sim-dhl-key', fedexApiBaseUrl: sim.urls.fedex, uspsClientId: 'sim-usps-client' });
  });
});

describe('npm run simulate', () => {
  function run(args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/cli.ts', ...args], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exit = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    return { child, output: () => out, exit };
  }

  it('prints the variables that point the service at it, and stops on SIGTERM', async () => {
    const { child, output, exit } = run(['--port', '0']);
    const deadline = Date.now() + 15_000;
    while (!output().includes('Ctrl-C stops it.') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const text = output();
    expect(text).toMatch(/^UPS_API_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/ups$/m);
    expect(text).toMatch(/^DHL_API_KEY=sim-dhl-key$/m);
    expect(text).toContain('1ZSIM0010300000017');
    const baseUrl = /^USPS_API_BASE_URL=(\S+)$/m.exec(text)?.[1];
    expect((await fetch(`${baseUrl}/tracking/v3/tracking/9400100000000000012344?expand=DETAIL`)).status).toBe(401);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses a bad --port in one sentence', async () => {
    const { output, exit } = run(['--port', 'eighty']);
    expect(await exit).toBe(1);
    expect(output().trim()).toBe('--port takes a port number from 0 to 65535; got "eighty"');
  });
});
