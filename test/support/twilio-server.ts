/**
 * An HTTP server on loopback speaking the part of Twilio's REST API that sending SMS uses:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, HTTP Basic auth,
 * answering with Twilio's Message resource and Twilio's error JSON
 * (https://www.twilio.com/docs/messaging/api/message-resource, https://www.twilio.com/docs/api/errors).
 * It also calls back as Twilio does: status callbacks and inbound messages, form-encoded and signed
 * with `X-Twilio-Signature` (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSms {
  sid: string;
  to: string;
  from: string | undefined;
  body: string;
  messagingServiceSid: string | undefined;
  statusCallback: string | undefined;
}

export interface TwilioFailureOptions {
  /** Sent as the `Retry-After` header (seconds or HTTP date). @defaultValue none */
  retryAfter?: string;
  /** How many requests fail this way. @defaultValue 1 */
  times?: number;
}

/** What the app answered to a callback. */
export interface CallbackAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

export interface TwilioServer {
  /** `http://127.0.0.1:<port>`, for the channel's `apiBaseUrl`. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Messages accepted (201), in order. */
  messages: ReceivedSms[];
  /** Every Messages request that reached the server, accepted or not. */
  requestCount: number;
  /** Answer the next request(s) with this HTTP status and Twilio error code. */
  failNext(httpStatus: number, twilioCode: number, message: string, options?: TwilioFailureOptions): void;
  /** Forget failures that were programmed but not used up. */
  clearFailures(): void;
  /** From now on, sending to `phone` fails as Twilio does after the recipient replied STOP (21610). */
  optOut(phone: string): void;
  /**
   * Delivers callbacks for URLs under `publicOrigin` to `localOrigin` instead, as a reverse proxy in
   * front of the app would; the signature still covers the public URL, as Twilio's does.
   */
  route(publicOrigin: string, localOrigin: string): void;
  /** Posts a status callback for an accepted message to the StatusCallback it was sent with. */
  reportStatus(messageSid: string, status: string, options?: { errorCode?: number; signature?: string }): Promise<CallbackAnswer>;
  /** Posts an inbound SMS from `from` to `url` (the number's messaging webhook). */
  sendInbound(url: string, from: string, body: string, options?: { signature?: string }): Promise<CallbackAnswer>;
  close(): Promise<void>;
}

interface PendingFailure {
  status: number;
  code: number;
  message: string;
  retryAfter: string | undefined;
  remaining: number;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_BODY_CHARS = 1600;

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** RFC 2822 date, the format Twilio uses for `date_created` and friends. */
function twilioDate(at: Date): string {
  return at.toUTCString().replace('GMT', '+0000');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Twilio's algorithm, written from its documentation rather than taken from the twilio library, so
 * a test checks the app's verification against an independent signer: HMAC-SHA1 keyed with the auth
 * token over the full URL followed by every parameter name and value, names sorted, base64-encoded.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export async function startTwilioServer(): Promise<TwilioServer> {
  const accountSid = sid('AC');
  const authToken = randomBytes(16).toString('hex');
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const messages: ReceivedSms[] = [];
  const failures: PendingFailure[] = [];
  const optedOut = new Set<string>();
  const routes = new Map<string, string>();
  let requestCount = 0;

  async function callback(url: string, params: Record<string, string>, signature?: string): Promise<CallbackAnswer> {
    const target = new URL(url);
    const local = routes.get(target.origin);
    const res = await fetch(local ? local + target.pathname + target.search : url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilioSignature(authToken, url, params),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, contentType: res.headers.get('content-type'), body: await res.text() };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (!match || req.method !== 'POST') {
      return sendError(res, 404, 20404, `The requested resource ${path} was not found`);
    }
    requestCount += 1;
    const body = new URLSearchParams(await readBody(req));

    if (req.headers.authorization !== expectedAuth) {
      return sendError(res, 401, 20003, 'Authenticate', { 'www-authenticate': 'Basic realm="Twilio API"' });
    }
    if (match[1] !== accountSid) {
      return sendError(res, 404, 20404, `The requested resource ${path} was not found`);
    }
    const failure = failures[0];
    if (failure) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) failures.shift();
      return sendError(res, failure.status, failure.code, failure.message, failure.retryAfter ? { 'retry-after': failure.retryAfter } : {});
    }

    const to = body.get('To') ?? '';
    const from = body.get('From') ?? undefined;
    const text = body.get('Body') ?? '';
    const messagingServiceSid = body.get('MessagingServiceSid') ?? undefined;
    const statusCallback = body.get('StatusCallback') ?? undefined;
    if (to === '') return sendError(res, 400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return sendError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !messagingServiceSid) return sendError(res, 400, 21603, "A 'From' phone number is required.");
    if (text === '') return sendError(res, 400, 21602, 'Message body is required.');
    if (text.length > MAX_BODY_CHARS) {
      return sendError(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    }
    if (optedOut.has(to)) return sendError(res, 400, 21610, 'Attempt to send to unsubscribed recipient');

    const messageSid = sid('SM');
    const now = twilioDate(new Date());
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${messageSid}.json`;
    messages.push({ sid: messageSid, to, from, body: text, messagingServiceSid, statusCallback });
    sendJson(res, 201, {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: text,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: from ?? null,
      messaging_service_sid: messagingServiceSid ?? null,
      num_media: '0',
      num_segments: String(Math.max(1, Math.ceil(text.length / 153))),
      price: null,
      price_unit: 'USD',
      sid: messageSid,
      // Twilio answers `accepted` when a Messaging Service still has to pick the sender.
      status: from ? 'queued' : 'accepted',
      subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
      to,
      uri,
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, 500, 20500, `Internal Server Error: ${String(err)}`));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages,
    get requestCount() {
      return requestCount;
    },
    clearFailures() {
      failures.length = 0;
    },
    failNext(httpStatus, twilioCode, message, options = {}) {
      failures.push({ status: httpStatus, code: twilioCode, message, retryAfter: options.retryAfter, remaining: options.times ?? 1 });
    },
    optOut(phone) {
      optedOut.add(phone);
    },
    route(publicOrigin, localOrigin) {
      routes.set(new URL(publicOrigin).origin, localOrigin.replace(/\/+$/, ''));
    },
    reportStatus(messageSid, status, options = {}) {
      const message = messages.find((m) => m.sid === messageSid);
      if (!message?.statusCallback) throw new Error(`message ${messageSid} was not sent with a StatusCallback`);
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        From: message.from ?? '',
        MessageSid: messageSid,
        MessageStatus: status,
        SmsSid: messageSid,
        SmsStatus: status,
        To: message.to,
        ...(options.errorCode !== undefined ? { ErrorCode: String(options.errorCode) } : {}),
      };
      return callback(message.statusCallback, params, options.signature);
    },
    sendInbound(url, from, body, options = {}) {
      const messageSid = sid('SM');
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        Body: body,
        From: from,
        MessageSid: messageSid,
        NumMedia: '0',
        NumSegments: '1',
        SmsMessageSid: messageSid,
        SmsSid: messageSid,
        SmsStatus: 'received',
        To: '+15005550006',
      };
      return callback(url, params, options.signature);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
