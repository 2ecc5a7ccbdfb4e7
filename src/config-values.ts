/**
 * The value types configuration is made of, and the registry that documents each option. Kept apart
 * from `config.ts` so that the option list there reads as a table; nothing here reads the environment.
 */
import { z } from 'zod';
import { WORKER_NAMES, type WorkerName } from './queues/names.js';

export interface OptionDoc {
  description: string;
  /** What a valid value looks like; completes "NAME: expected …, got …". */
  expected: string;
  /** Raw value used when the variable is unset; parsed like a real one. */
  default?: string;
  /** Default to show when it is derived rather than literal. */
  defaultText?: string;
  /** Never echo the value back in a problem line. */
  secret?: boolean;
}

export const optionDocs = z.registry<OptionDoc>();

type RawSchema = z.ZodType<unknown, string>;
export function option<S extends RawSchema>(schema: S, doc: OptionDoc & { default: string }): z.ZodPrefault<S>;
export function option<S extends RawSchema>(schema: S, doc: OptionDoc & { default?: undefined }): z.ZodOptional<S>;
export function option(schema: RawSchema, doc: OptionDoc): z.ZodType {
  const wrapped = doc.default === undefined ? schema.optional() : schema.prefault(doc.default);
  optionDocs.add(wrapped, doc);
  return wrapped;
}

export const text = () => z.string().min(1);
export const matching = (pattern: RegExp) => z.string().regex(pattern);
export const url = (...protocols: string[]) =>
  z.string().refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol));
export const integer = (min: number, max: number) =>
  matching(/^\d{1,16}$/).transform(Number).refine((n) => n >= min && n <= max);
export const hours = () => matching(/^\d{1,5}(\.\d+)?$/).transform(Number).refine((n) => n > 0 && n <= 8760);
/** A positive decimal up to `max`: request rates below one a second (0.2) are how carriers publish them. */
export const positiveDecimal = (max: number) => matching(/^\d{1,6}(\.\d{1,6})?$/).transform(Number).refine((n) => n > 0 && n <= max);
/** Trailing slashes dropped so that callers can append `/path` without doubling it. */
export const baseUrl = () => url('http:', 'https:').transform((value) => value.replace(/\/+$/, ''));
export const emailAddress = () => matching(/^(?:[^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/);
/** The Standard Webhooks spec asks for 24 to 64 random bytes ("Signature scheme" table). */
export const standardWebhooksSecret = () =>
  matching(/^whsec_[A-Za-z0-9+/]+={0,2}$/).refine((value) => {
    const bytes = Buffer.from(value.slice('whsec_'.length), 'base64').length;
    return bytes >= 24 && bytes <= 64;
  });
export const base64UrlBytes = (length: number) =>
  matching(/^[A-Za-z0-9_-]+$/).refine((value) => Buffer.from(value, 'base64url').length === length);

export const workerList = z.string().transform((value, ctx) => {
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0 || !names.every((name): name is WorkerName => isWorker(name))) {
    ctx.addIssue({ code: 'custom', message: 'unknown worker' });
    return z.NEVER;
  }
  return [...new Set(names)];
});

/** One integer for every worker, or `name=n` pairs; workers not listed keep 10. */
export const concurrencyMap = z.string().transform((value, ctx) => {
  const perWorker = Object.fromEntries(WORKER_NAMES.map((name) => [name, 10])) as Record<WorkerName, number>;
  const valid = (n: string) => /^\d{1,4}$/.test(n) && Number(n) >= 1 && Number(n) <= 1000;
  if (valid(value.trim())) {
    for (const name of WORKER_NAMES) perWorker[name] = Number(value);
    return perWorker;
  }
  for (const pair of value.split(',')) {
    const [name = '', n = ''] = pair.split('=').map((part) => part.trim());
    if (!isWorker(name) || !valid(n)) {
      ctx.addIssue({ code: 'custom', message: 'bad concurrency' });
      return z.NEVER;
    }
    perWorker[name] = Number(n);
  }
  return perWorker;
});

export function isWorker(name: string): name is WorkerName {
  return (WORKER_NAMES as readonly string[]).includes(name);
}

/** `redisUrl` → `REDIS_URL`: the variable names are derived, so a key and its variable cannot disagree. */
export function envName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function shown(value: string | undefined, doc: OptionDoc): string {
  if (value === undefined) return 'nothing';
  return doc.secret === true ? `a value of ${value.length} characters (not shown)` : JSON.stringify(value);
}

/** A wildcard listen address is not something a browser can open; links point at the loopback instead. */
export function linkHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
