import { pino, type Logger } from 'pino';

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const PHONE = /\+\d{6,14}(\d{2})\b/g;

/** Masks email addresses and E.164 numbers in free text: `j***@example.com`, `+*******34`. */
export function redactContacts(text: string): string {
  return text.replace(EMAIL, '$1***@$2').replace(PHONE, '+*******$1');
}

/**
 * The process logger. Secrets and contact fields are censored by key wherever they appear, and
 * every string message is scrubbed of addresses and phone numbers, so a log line copied into a
 * ticket leaks nothing about a buyer.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'email', 'phone', 'to', 'authorization', 'password', 'token', 'secret',
          '*.email', '*.phone', '*.to', '*.authorization', '*.password', '*.token', '*.secret',
          'req.headers.authorization', 'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactContacts(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination as pino.DestinationStream | undefined,
  );
}
