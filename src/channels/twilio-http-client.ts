/**
 * twilio-node's own HTTP client with two additions, plugged in through the library's
 * supported `httpClient` option rather than by patching it:
 *
 * - `apiBaseUrl`: the library builds absolute `https://api.twilio.com/…` URLs (its `edge` and
 *   `region` options only change the host inside twilio.com), so pointing it at a
 *   Twilio-compatible endpoint means rewriting the origin of each request it makes.
 * - `Retry-After`: twilio-node's `RestException` keeps the status and body of a failed
 *   response but drops its headers, so a 429's Retry-After is read here, the last place
 *   that still sees it, and surfaces as a `RateLimitedChannelError`.
 */
import http from 'node:http';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioResponse from 'twilio/lib/http/response.js';
import { RateLimitedChannelError } from './errors.js';
import { parseRetryAfter } from './retry-after.js';

export interface TwilioHttpClientOptions {
  /** Origin (and optional path prefix) that replaces `https://*.twilio.com`. @defaultValue Twilio itself */
  apiBaseUrl?: string | undefined;
  /** Request timeout in milliseconds. @defaultValue 30_000 (twilio-node's default) */
  timeoutMs?: number | undefined;
}

/** Rewrites a twilio.com URL onto `base`, keeping path and query. Other hosts pass unchanged. */
export function rebaseTwilioUrl(uri: string, base: URL): string {
  const target = new URL(uri);
  if (target.hostname !== 'twilio.com' && !target.hostname.endsWith('.twilio.com')) return uri;
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${target.pathname}${target.search}`;
}

function readTwilioError(body: unknown): { code?: number; message?: string } {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body) as unknown;
    } catch {
      return {};
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { code, message } = parsed as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'number' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

export class TwilioHttpClient extends twilio.RequestClient {
  private readonly base: URL | undefined;
  private readonly httpAgent: http.Agent;

  constructor(options: TwilioHttpClientOptions = {}) {
    // twilio-node's own 429 auto-retry stays off: retries belong to the job queue, which
    // backs off across workers and survives restarts.
    super({ timeout: options.timeoutMs, autoRetry: false, keepAlive: true });
    this.base = options.apiBaseUrl ? new URL(options.apiBaseUrl) : undefined;
    // The library only gives axios an https agent; an http endpoint (a local Twilio-compatible
    // server) would otherwise share Node's global agent, which close() could not release.
    this.httpAgent = new http.Agent({ keepAlive: true });
    this.axios.defaults.httpAgent = this.httpAgent;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<TwilioResponse.default<TData>> {
    const uri = this.base ? rebaseTwilioUrl(opts.uri, this.base) : opts.uri;
    const response = await super.request({ ...opts, uri });
    if (response.statusCode === 429) {
      const { code, message } = readTwilioError(response.body);
      const headers = (response.headers ?? {}) as Record<string, string | string[] | undefined>;
      const retryAfterMs = parseRetryAfter(headers['retry-after']);
      throw new RateLimitedChannelError(
        `Twilio is rate-limiting us (${code ?? 429}: ${message ?? 'Too Many Requests'}); the send will be retried` +
          (retryAfterMs === undefined ? '.' : ` after ${retryAfterMs} ms.`),
        { channel: 'sms', providerCode: code ?? 429, providerMessage: message, retryAfterMs },
      );
    }
    return response;
  }

  /** Closes the pooled keep-alive sockets of both agents. */
  destroy(): void {
    this.httpAgent.destroy();
    const httpsAgent = this.axios.defaults.httpsAgent as { destroy?: () => void } | undefined;
    httpsAgent?.destroy?.();
  }
}
