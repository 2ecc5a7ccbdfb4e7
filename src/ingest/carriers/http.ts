/**
 * The one way adapters talk HTTP: Node's fetch with a timeout and a cap on the body, and one mapping
 * from transport failures and HTTP statuses to typed carrier errors. 404 is left to the adapter, since
 * "not found" means "no scan yet" on a tracking call but a misconfigured base URL on a token call.
 */
import { parseRetryAfter } from '../../channels/retry-after.js';
import {
  CarrierRateLimitedError,
  CarrierRequestError,
  CarrierResponseError,
  CarrierUnauthorizedError,
  CarrierUnavailableError,
} from './errors.js';
import type { CarrierSlug } from './types.js';

/** @defaultValue 15 s: carriers answer in well under a second; longer means trouble, and the poll is retried. */
export const DEFAULT_TIMEOUT_MS = 15_000;
/** Tracking answers are a few KiB; anything past this is not one, and is not buffered further. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Carrier messages end up in logs and job failures; a hostile or broken peer cannot flood them. */
const MAX_MESSAGE_CHARS = 300;

export interface CarrierHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number | undefined;
}

export interface CarrierHttpResponse {
  status: number;
  headers: Headers;
  /** The body as text (empty when there was none). */
  text: string;
}

/** Sends one request. Throws `CarrierUnavailableError` when no answer arrives; any answer is returned. */
export async function carrierFetch(carrier: CarrierSlug, request: CarrierHttpRequest): Promise<CarrierHttpResponse> {
  let response: Response;
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: { accept: 'application/json', ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
      redirect: 'error',
    });
  } catch (err) {
    const timedOut = signal.aborted;
    throw new CarrierUnavailableError(
      timedOut ? `${carrier} did not answer within ${timeoutMs} ms; the poll will be retried.` : `${carrier} could not be reached (${describeCause(err)}); the poll will be retried.`,
      { carrier, cause: err },
    );
  }
  const text = await readCapped(carrier, response, signal);
  return { status: response.status, headers: response.headers, text };
}

/**
 * Maps a non-2xx answer to its typed error: 401 → `CarrierUnauthorizedError`, 429 → `CarrierRateLimitedError`,
 * 5xx → `CarrierUnavailableError` (both with Retry-After), other 4xx except 404 → `CarrierRequestError`.
 * Returns for 2xx and 404.
 */
export function throwForStatus(carrier: CarrierSlug, response: CarrierHttpResponse, now: number = Date.now()): void {
  const { status } = response;
  if ((status >= 200 && status < 300) || status === 404) return;
  const providerMessage = providerMessageOf(response.text);
  const details = { carrier, httpStatus: status, providerMessage };
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  if (status === 401) throw new CarrierUnauthorizedError(details);
  if (status === 429) throw new CarrierRateLimitedError({ ...details, retryAfterMs });
  if (status >= 500) {
    throw new CarrierUnavailableError(`${carrier} failed on its side (HTTP ${status})${suffix(providerMessage)}; the poll will be retried.`, { ...details, retryAfterMs });
  }
  throw new CarrierRequestError(`${carrier} refused the request (HTTP ${status})${suffix(providerMessage)}.`, details);
}

/** Parses a JSON body; a body that is not JSON is the carrier breaking its contract. */
export function parseJsonBody(carrier: CarrierSlug, response: CarrierHttpResponse): unknown {
  try {
    return JSON.parse(response.text) as unknown;
  } catch (err) {
    throw new CarrierResponseError(`${carrier} answered HTTP ${response.status} with a body that is not JSON.`, '$', {
      carrier,
      httpStatus: response.status,
      providerMessage: response.text.slice(0, MAX_MESSAGE_CHARS),
      cause: err,
    });
  }
}

/**
 * The carrier's own error words from any of the documented error bodies: UPS `response.errors[].message`,
 * FedEx `errors[].message`, USPS `error.message`, DHL problem details (RFC 7807) `detail`/`title`, and OAuth's
 * `error_description`/`error` (RFC 6749 §5.2). Undefined when the body has none.
 */
export function providerMessageOf(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim() === '' ? undefined : text.trim().slice(0, MAX_MESSAGE_CHARS);
  }
  const o = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
  const first = (v: unknown) => (Array.isArray(v) ? o(v[0]) : {});
  const root = o(body);
  const candidates = [
    first(o(root.response).errors).message,
    first(root.errors).message,
    o(root.error).message,
    root.detail,
    root.title,
    root.error_description,
    root.error,
    root.message,
  ];
  const found = candidates.find((c): c is string | number => (typeof c === 'string' && c.trim() !== '') || typeof c === 'number');
  return found === undefined ? undefined : String(found).slice(0, MAX_MESSAGE_CHARS);
}

async function readCapped(carrier: CarrierSlug, response: Response, signal: AbortSignal): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_RESPONSE_BYTES) {
        await reader.cancel();
        throw new CarrierResponseError(`${carrier} sent more than ${MAX_RESPONSE_BYTES} bytes; that is not a tracking answer.`, '$', {
          carrier,
          httpStatus: response.status,
        });
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof CarrierResponseError) throw err;
    throw new CarrierUnavailableError(
      signal.aborted ? `${carrier} did not finish its answer in time; the poll will be retried.` : `${carrier} broke off its answer (${describeCause(err)}); the poll will be retried.`,
      { carrier, httpStatus: response.status, cause: err },
    );
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeCause(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return err instanceof Error ? err.message : String(err);
}

function suffix(message: string | undefined): string {
  return message === undefined ? '' : `: ${message}`;
}
