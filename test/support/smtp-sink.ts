/**
 * A real SMTP server on loopback (smtp-server) that keeps every message it accepts, parsed
 * with postal-mime, and can be told to refuse the next commands with a chosen reply.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export type SmtpStage = 'mail' | 'rcpt' | 'data';

export interface ReceivedMail extends Email {
  /** The message exactly as it came over DATA. */
  raw: string;
  envelope: { mailFrom: string; rcptTo: string[] };
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, ready for nodemailer. */
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** SMTP connections opened so far (a pooled client reuses them). */
  readonly connectionCount: number;
  /**
   * Answer the next `times` commands of `stage` with `code message` instead of accepting.
   * @param times - @defaultValue 1
   * @param stage - @defaultValue `'rcpt'` (where a recipient mailbox is refused)
   */
  failNext(code: number, message: string, times?: number, stage?: SmtpStage): void;
  /** Forget failures that were programmed but not used up. */
  clearFailures(): void;
  /** Resolves with the messages once at least `n` arrived; rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Value of the first header named `name` (case-insensitive), unfolded. */
  header(mail: ReceivedMail, name: string): string | undefined;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Require AUTH before MAIL FROM (any user and password is accepted). @defaultValue false */
  requireAuth?: boolean;
}

interface PendingFailure {
  code: number;
  message: string;
  remaining: number;
  stage: SmtpStage;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const failures: PendingFailure[] = [];
  const arrivals = new EventEmitter();
  let connectionCount = 0;

  /** Consumes one pending failure for `stage`, if any. */
  function takeFailure(stage: SmtpStage): Error | undefined {
    const failure = failures.find((f) => f.stage === stage);
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining <= 0) failures.splice(failures.indexOf(failure), 1);
    return Object.assign(new Error(failure.message), { responseCode: failure.code });
  }

  const server = new SMTPServer({
    logger: false,
    authOptional: !options.requireAuth,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    // A pooled client keeps idle connections open; do not make close() wait for them.
    closeTimeout: 50,
    onConnect(_session, callback) {
      connectionCount += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anyone' });
    },
    onMailFrom(_address, _session, callback) {
      callback(takeFailure('mail'));
    },
    onRcptTo(_address, _session, callback) {
      callback(takeFailure('rcpt'));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const failure = takeFailure('data');
        if (failure) return callback(failure);
        const raw = Buffer.concat(chunks).toString('utf8');
        PostalMime.parse(raw).then(
          (parsed) => {
            const mailFrom = session.envelope.mailFrom;
            messages.push({
              ...parsed,
              raw,
              envelope: {
                mailFrom: mailFrom === false ? '' : mailFrom.address,
                rcptTo: session.envelope.rcptTo.map((r) => r.address),
              },
            });
            arrivals.emit('message');
            callback(null, `Ok: queued as ${randomBytes(6).toString('hex')}`);
          },
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      });
    },
  });

  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    get connectionCount() {
      return connectionCount;
    },
    failNext(code, message, times = 1, stage = 'rcpt') {
      failures.push({ code, message, remaining: times, stage });
    },
    clearFailures() {
      failures.length = 0;
    },
    waitFor(n, timeoutMs = 5_000) {
      if (messages.length >= n) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const onMessage = (): void => {
          if (messages.length < n) return;
          clearTimeout(timer);
          arrivals.off('message', onMessage);
          resolve(messages);
        };
        const timer = setTimeout(() => {
          arrivals.off('message', onMessage);
          reject(new Error(`SMTP sink got ${messages.length} of ${n} messages within ${timeoutMs} ms`));
        }, timeoutMs);
        arrivals.on('message', onMessage);
      });
    },
    header(mail, name) {
      return mail.headers.find((h) => h.key === name.toLowerCase())?.value;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
