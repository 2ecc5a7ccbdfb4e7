/**
 * OAuth 2.0 client-credentials tokens (RFC 6749 §4.4) for the carriers that use them (USPS, UPS, FedEx).
 *
 * A token is cached until shortly before it expires and fetched by one request however many polls ask at
 * once (single flight): carriers rate-limit their token endpoints harder than their APIs, and 50 polls
 * starting together must not mean 50 token requests. A 401 from the API drops that token (only if it is
 * still the current one, so 50 polls refused together still cause one refresh) and the call is tried
 * once more with a fresh token; a second 401 means the credentials themselves are wrong.
 */
import { CarrierAuthError, CarrierResponseError, CarrierUnauthorizedError } from './errors.js';
import { carrierFetch, parseJsonBody, providerMessageOf, throwForStatus, type CarrierHttpRequest } from './http.js';
import type { CarrierSlug } from './types.js';

export interface TokenGrant {
  accessToken: string;
  /** Lifetime from the moment it was issued (`expires_in`). */
  expiresInSeconds: number;
}

export interface TokenCacheOptions {
  carrier: CarrierSlug;
  /** Asks the carrier for a new token; throws a `CarrierError`. */
  fetchToken: () => Promise<TokenGrant>;
  /** @defaultValue `Date.now` */
  now?: () => number;
  /**
   * Refresh this long before the carrier's expiry, so a token never expires in flight. Capped at half a
   * token's lifetime for short-lived tokens. @defaultValue 60000
   */
  refreshMarginMs?: number;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

export class OAuthTokenCache {
  readonly carrier: CarrierSlug;
  private readonly fetchToken: () => Promise<TokenGrant>;
  private readonly now: () => number;
  private readonly marginMs: number;
  private current: CachedToken | undefined;
  private inFlight: Promise<string> | undefined;
  /** Token requests made so far; observability for operators and tests. */
  fetches = 0;

  constructor(options: TokenCacheOptions) {
    this.carrier = options.carrier;
    this.fetchToken = options.fetchToken;
    this.now = options.now ?? Date.now;
    this.marginMs = options.refreshMarginMs ?? 60_000;
  }

  /** A valid token: the cached one, the one being fetched, or a new one. */
  async get(): Promise<string> {
    if (this.current !== undefined && this.now() < this.current.refreshAt) return this.current.value;
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Forgets `token` if it is still the cached one (a stale 401 must not drop a newer token). */
  invalidate(token: string): void {
    if (this.current?.value === token) this.current = undefined;
  }

  /** Runs `call` with a token; on `CarrierUnauthorizedError` refreshes once and tries once more. */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get();
    try {
      return await call(token);
    } catch (err) {
      if (!(err instanceof CarrierUnauthorizedError)) throw err;
      this.invalidate(token);
    }
    const fresh = await this.get();
    try {
      return await call(fresh);
    } catch (err) {
      if (!(err instanceof CarrierUnauthorizedError)) throw err;
      throw new CarrierAuthError(`${this.carrier} refused a freshly issued token; check the credentials' API permissions.`, {
        carrier: this.carrier,
        httpStatus: 401,
        providerMessage: err.providerMessage,
        cause: err,
      });
    }
  }

  private async refresh(): Promise<string> {
    this.fetches += 1;
    const issuedAt = this.now();
    const grant = await this.fetchToken();
    const lifetimeMs = grant.expiresInSeconds * 1000;
    const margin = Math.min(this.marginMs, lifetimeMs / 2);
    this.current = { value: grant.accessToken, refreshAt: issuedAt + lifetimeMs - margin };
    return grant.accessToken;
  }
}

/**
 * Performs a token request and reads the grant. Refusals (400, 401, 403: wrong id or secret, RFC 6749 §5.2)
 * become `CarrierAuthError`; throttling and outages keep their retryable types.
 */
export async function requestToken(carrier: CarrierSlug, request: CarrierHttpRequest, now: () => number = Date.now): Promise<TokenGrant> {
  const response = await carrierFetch(carrier, request);
  const refused = response.status === 400 || response.status === 401 || response.status === 403 || response.status === 404;
  if (refused) {
    const providerMessage = providerMessageOf(response.text);
    throw new CarrierAuthError(
      response.status === 404
        ? `${carrier} has no token endpoint at ${new URL(request.url).origin}; check the API base URL.`
        : `${carrier} refused our client credentials (HTTP ${response.status})${providerMessage === undefined ? '' : `: ${providerMessage}`}.`,
      { carrier, httpStatus: response.status, providerMessage },
    );
  }
  throwForStatus(carrier, response, now());
  const body = parseJsonBody(carrier, response) as { access_token?: unknown; expires_in?: unknown } | null;
  const accessToken = typeof body?.access_token === 'string' ? body.access_token : '';
  // UPS sends expires_in as a string ("14399"), FedEx and USPS as a number.
  const expiresIn = Number(body?.expires_in);
  if (accessToken === '' || /\s/.test(accessToken)) {
    throw new CarrierResponseError(`${carrier}'s token answer has no usable access_token.`, 'access_token', { carrier, httpStatus: response.status });
  }
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new CarrierResponseError(`${carrier}'s token answer has no positive expires_in.`, 'expires_in', { carrier, httpStatus: response.status });
  }
  return { accessToken, expiresInSeconds: Math.min(expiresIn, 7 * 24 * 3600) };
}
