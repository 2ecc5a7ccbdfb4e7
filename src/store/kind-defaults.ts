import type { Redis } from 'ioredis';
import type { KindDefaultsTable } from '../domain/kinds.js';
import { putDocument, readDocument } from './documents.js';
import type { Keys } from './keys.js';

/** Admin overrides of the built-in per-kind defaults (`GET|PUT /v1/defaults`). */
export interface KindDefaultsStore {
  /** The overrides, read at most once a second per process: fan-out asks on every job. */
  get(): Promise<Partial<KindDefaultsTable>>;
  put(overrides: Partial<KindDefaultsTable>): Promise<void>;
}

/** How stale a process's view of the overrides may be. @defaultValue 1000 ms */
const CACHE_MS = 1_000;

export function createKindDefaultsStore(redis: Redis, keys: Keys, now: () => number = Date.now): KindDefaultsStore {
  let cached: { at: number; value: Partial<KindDefaultsTable> } | null = null;
  return {
    async get() {
      if (cached && now() - cached.at < CACHE_MS) return cached.value;
      const value = (await readDocument<Partial<KindDefaultsTable>>(redis, keys.kindDefaults()))?.doc ?? {};
      cached = { at: now(), value };
      return value;
    },
    async put(overrides) {
      await putDocument(redis, keys.kindDefaults(), overrides);
      cached = { at: now(), value: overrides };
    },
  };
}
