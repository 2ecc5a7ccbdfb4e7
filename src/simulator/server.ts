/**
 * A local carrier simulator: one HTTP server on 127.0.0.1 that speaks the tracking APIs of USPS (Tracking v3),
 * UPS (Track v1), FedEx (Track v1) and DHL (Shipment Tracking – Unified) under `/usps`, `/ups`, `/fedex` and
 * `/dhl`, OAuth token endpoints included, with the scripted stories of `stories.ts`. It checks credentials
 * and tokens as the carriers do, and can be told to fail the next calls (401, 429 with Retry-After, 5xx,
 * malformed bodies) so that tests and demos see the error paths too.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CarrierSlug } from '../ingest/carriers/types.js';
import { dhlProblem, renderDhl } from './dhl-format.js';
import { fedexError, renderFedex, renderFedexNotFound } from './fedex-format.js';
import { StoryProgress, storyFor, type Story } from './stories.js';
import { renderUps, upsError } from './ups-format.js';
import { renderUsps, uspsError } from './usps-format.js';

/** Credentials the simulator accepts; `env()` prints them. */
export const SIMULATOR_CREDENTIALS = {
  usps: { clientId: 'sim-usps-client', clientSecret: 'sim-usps-secret' },
  ups: { clientId: 'sim-ups-client', clientSecret: 'sim-ups-secret' },
  fedex: { apiKey: 'sim-fedex-key', secretKey: 'sim-fedex-secret' },
  dhl: { apiKey: 'sim-dhl-key' },
} as const;

export interface SimulatorOptions {
  /** @defaultValue 0 (a free port) */
  port?: number;
  /** Clock that dates revealed steps. @defaultValue real time */
  now?: () => Date;
  /** Lifetime of issued tokens. @defaultValue 3600 */
  tokenTtlSeconds?: number;
  /** Story steps revealed per tracking request. @defaultValue 1 */
  stepsPerPoll?: number;
  /** Extra stories by tracking number (any carrier), beside the built-in ones. */
  stories?: Readonly<Record<string, Story>>;
}

export interface ProgrammedFailure {
  /** HTTP status to answer with. */
  status: number;
  /** Raw body; defaults to the carrier's own error body for that status. */
  body?: string;
  /** `Retry-After` header value. */
  retryAfter?: string;
  /** How many calls fail this way. @defaultValue 1 */
  times?: number;
  /** Which endpoint fails. @defaultValue 'track' */
  endpoint?: 'track' | 'token';
}

export interface SimulatorRequest {
  carrier: CarrierSlug;
  endpoint: 'track' | 'token';
  status: number;
  trackingNumber?: string;
  /** The request's headers, lower-case names. */
  headers: IncomingHttpHeaders;
  /** When it was answered (real time, ms). */
  at: number;
}

export interface CarrierSimulator {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** Per-carrier API roots for `<CARRIER>_API_BASE_URL`. */
  urls: Record<CarrierSlug, string>;
  /** Environment variables pointing the service at this simulator. */
  env(): Record<string, string>;
  /** Every request answered, in order. */
  requests: SimulatorRequest[];
  /** Makes the next call(s) to a carrier fail as programmed. */
  failNext(carrier: CarrierSlug, failure: ProgrammedFailure): void;
  /** Revokes every issued token: the next API call with one gets 401. */
  expireTokens(): void;
  /** Story steps revealed so far for a number. */
  position(carrier: CarrierSlug, trackingNumber: string): number;
  close(): Promise<void>;
}

const CARRIERS: readonly CarrierSlug[] = ['usps', 'ups', 'fedex', 'dhl'];

export async function startCarrierSimulator(options: SimulatorOptions = {}): Promise<CarrierSimulator> {
  const now = options.now ?? (() => new Date());
  const ttl = options.tokenTtlSeconds ?? 3600;
  const progress = new StoryProgress(now, options.stepsPerPoll ?? 1);
  const tokens = new Map<string, { carrier: CarrierSlug; expiresAt: number }>();
  const failures = new Map<CarrierSlug, (ProgrammedFailure & { remaining: number })[]>();
  const requests: SimulatorRequest[] = [];

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
  };

  const errorBody = (carrier: CarrierSlug, status: number, message: string): unknown => {
    if (carrier === 'ups') return upsError(String(status), message);
    if (carrier === 'fedex') return fedexError(status === 401 ? 'NOT.AUTHORIZED.ERROR' : `HTTP.${status}`, message);
    if (carrier === 'usps') return uspsError(status, message);
    return dhlProblem(status, message, message);
  };

  const takeFailure = (carrier: CarrierSlug, endpoint: 'track' | 'token') => {
    const list = failures.get(carrier) ?? [];
    const failure = list.find((f) => (f.endpoint ?? 'track') === endpoint && f.remaining > 0);
    if (failure) failure.remaining -= 1;
    return failure;
  };

  const issueToken = (carrier: CarrierSlug, body: string, req: IncomingMessage, res: ServerResponse) => {
    const ok = (() => {
      if (carrier === 'ups') {
        const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        return basic === `${SIMULATOR_CREDENTIALS.ups.clientId}:${SIMULATOR_CREDENTIALS.ups.clientSecret}` && new URLSearchParams(body).get('grant_type') === 'client_credentials';
      }
      if (carrier === 'fedex') {
        const form = new URLSearchParams(body);
        return form.get('grant_type') === 'client_credentials' && form.get('client_id') === SIMULATOR_CREDENTIALS.fedex.apiKey && form.get('client_secret') === SIMULATOR_CREDENTIALS.fedex.secretKey;
      }
      try {
        const json = JSON.parse(body) as Record<string, unknown>;
        return json.grant_type === 'client_credentials' && json.client_id === SIMULATOR_CREDENTIALS.usps.clientId && json.client_secret === SIMULATOR_CREDENTIALS.usps.clientSecret;
      } catch {
        return false;
      }
    })();
    if (!ok) return send(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, { carrier, expiresAt: Date.now() + ttl * 1000 });
    if (carrier === 'ups') return send(res, 200, { token_type: 'Bearer', issued_at: String(Date.now()), client_id: SIMULATOR_CREDENTIALS.ups.clientId, access_token: token, expires_in: String(ttl), status: 'approved' });
    if (carrier === 'fedex') return send(res, 200, { access_token: token, token_type: 'bearer', expires_in: ttl, scope: 'CXS' });
    return send(res, 200, { access_token: token, token_type: 'Bearer', issued_at: Date.now(), expires_in: ttl, status: 'approved', scope: 'tracking' });
  };

  const authorized = (carrier: CarrierSlug, req: IncomingMessage): boolean => {
    if (carrier === 'dhl') return req.headers['dhl-api-key'] === SIMULATOR_CREDENTIALS.dhl.apiKey;
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const known = tokens.get(token);
    return known !== undefined && known.carrier === carrier && known.expiresAt > Date.now();
  };

  const track = (carrier: CarrierSlug, number: string, res: ServerResponse) => {
    const story = storyFor(carrier, number, options.stories);
    if (story === undefined) {
      if (carrier === 'fedex') return send(res, 200, renderFedexNotFound(number));
      if (carrier === 'ups') return send(res, 404, upsError('TW0001', 'Tracking Information Not Found'));
      if (carrier === 'dhl') return send(res, 404, dhlProblem(404, 'No shipment with given tracking number found.', `No shipment found for ${number}.`), { 'content-type': 'application/problem+json' });
      return send(res, 404, uspsError(404, `The tracking number ${number} could not be found.`));
    }
    const { steps, startedAt } = progress.advance(carrier, number, story);
    const render = { usps: renderUsps, ups: renderUps, fedex: renderFedex, dhl: renderDhl }[carrier];
    return send(res, 200, render(number, steps, startedAt));
  };

  const route = (req: IncomingMessage, body: string): { carrier: CarrierSlug; endpoint: 'track' | 'token'; number?: string } | undefined => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const [, carrier, ...rest] = url.pathname.split('/');
    if (!CARRIERS.includes(carrier as CarrierSlug)) return undefined;
    const c = carrier as CarrierSlug;
    const path = `/${rest.join('/')}`;
    if (req.method === 'POST' && ((c === 'usps' && path === '/oauth2/v3/token') || (c === 'ups' && path === '/security/v1/oauth/token') || (c === 'fedex' && path === '/oauth/token'))) return { carrier: c, endpoint: 'token' };
    if (req.method === 'GET' && c === 'usps' && path.startsWith('/tracking/v3/tracking/')) return { carrier: c, endpoint: 'track', number: decodeURIComponent(path.slice('/tracking/v3/tracking/'.length)) };
    if (req.method === 'GET' && c === 'ups' && path.startsWith('/api/track/v1/details/')) return { carrier: c, endpoint: 'track', number: decodeURIComponent(path.slice('/api/track/v1/details/'.length)) };
    if (req.method === 'GET' && c === 'dhl' && path === '/track/shipments') return { carrier: c, endpoint: 'track', number: url.searchParams.get('trackingNumber') ?? '' };
    if (req.method === 'POST' && c === 'fedex' && path === '/track/v1/trackingnumbers') {
      try {
        const json = JSON.parse(body) as { trackingInfo?: { trackingNumberInfo?: { trackingNumber?: unknown } }[] };
        const number = json.trackingInfo?.[0]?.trackingNumberInfo?.trackingNumber;
        return { carrier: c, endpoint: 'track', number: typeof number === 'string' ? number : '' };
      } catch {
        return { carrier: c, endpoint: 'track', number: '' };
      }
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const hit = route(req, body);
      if (hit === undefined) return send(res, 404, { error: 'no such endpoint on the carrier simulator' });
      const record = (status: number) =>
        requests.push({ carrier: hit.carrier, endpoint: hit.endpoint, status, headers: req.headers, at: Date.now(), ...(hit.number === undefined ? {} : { trackingNumber: hit.number }) });
      const failure = takeFailure(hit.carrier, hit.endpoint);
      if (failure) {
        record(failure.status);
        return send(res, failure.status, failure.body ?? errorBody(hit.carrier, failure.status, `Simulated HTTP ${failure.status}`), failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter });
      }
      if (hit.endpoint === 'token') {
        issueToken(hit.carrier, body, req, res);
        return record(res.statusCode);
      }
      if (!authorized(hit.carrier, req)) {
        record(401);
        return send(res, 401, errorBody(hit.carrier, 401, hit.carrier === 'fedex' ? 'Access token expired. Please modify your request and try again.' : 'Invalid Authentication Information.'));
      }
      if (hit.number === undefined || hit.number === '') {
        record(400);
        return send(res, 400, errorBody(hit.carrier, 400, 'A tracking number is required.'));
      }
      track(hit.carrier, hit.number, res);
      record(res.statusCode);
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const urls = Object.fromEntries(CARRIERS.map((c) => [c, `${baseUrl}/${c}`])) as Record<CarrierSlug, string>;

  return {
    baseUrl,
    urls,
    requests,
    env: () => ({
      USPS_CLIENT_ID: SIMULATOR_CREDENTIALS.usps.clientId,
      USPS_CLIENT_SECRET: SIMULATOR_CREDENTIALS.usps.clientSecret,
      USPS_API_BASE_URL: urls.usps,
      UPS_CLIENT_ID: SIMULATOR_CREDENTIALS.ups.clientId,
      UPS_CLIENT_SECRET: SIMULATOR_CREDENTIALS.ups.clientSecret,
      UPS_API_BASE_URL: urls.ups,
      FEDEX_API_KEY: SIMULATOR_CREDENTIALS.fedex.apiKey,
      FEDEX_SECRET_KEY: SIMULATOR_CREDENTIALS.fedex.secretKey,
      FEDEX_API_BASE_URL: urls.fedex,
      DHL_API_KEY: SIMULATOR_CREDENTIALS.dhl.apiKey,
      DHL_API_BASE_URL: urls.dhl,
    }),
    failNext(carrier, failure) {
      const list = failures.get(carrier) ?? [];
      list.push({ ...failure, remaining: failure.times ?? 1 });
      failures.set(carrier, list);
    },
    expireTokens() {
      tokens.clear();
    },
    position: (carrier, number) => progress.position(carrier, number),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
