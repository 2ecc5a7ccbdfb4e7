import type { Redis } from 'ioredis';
import { runScript, script } from './scripts.js';

/**
 * Small JSON documents kept in a hash (`doc`, `version`) and changed by compare-and-set.
 * WATCH/MULTI would need a connection per caller (a shared connection's UNWATCH or EXEC from another
 * caller silently drops our WATCH); a version check in one Lua call is safe on a shared connection.
 */
const CAS = script(`
local current = redis.call('HGET', KEYS[1], 'version')
if current == false then current = '-1' end
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', tostring(tonumber(ARGV[1]) + 1), 'doc', ARGV[2])
return 1
`);

export class ContentionError extends Error {
  readonly code = 'ECONTENTION';
}

export async function readDocument<T>(redis: Redis, key: string): Promise<{ doc: T; version: number } | null> {
  const [doc, version] = await redis.hmget(key, 'doc', 'version');
  if (doc === null || doc === undefined) return null;
  return { doc: JSON.parse(doc) as T, version: Number(version ?? 0) };
}

/** Writes the document only if absent; returns true when this call created it. */
export async function createDocument<T>(redis: Redis, key: string, doc: T): Promise<boolean> {
  return (await runScript(redis, CAS, [key], ['-1', JSON.stringify(doc)])) === 1;
}

/** Replaces the document whatever its version. */
export async function putDocument<T>(redis: Redis, key: string, doc: T): Promise<void> {
  await redis.multi().hincrby(key, 'version', 1).hset(key, 'doc', JSON.stringify(doc)).exec();
}

/**
 * Applies `change` (which mutates the document and returns whether anything changed) until it
 * commits against the version it read. Returns the stored document, or null if there is none.
 */
export async function updateDocument<T>(
  redis: Redis,
  key: string,
  change: (doc: T) => boolean,
  maxAttempts = 100,
): Promise<T | null> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const current = await readDocument<T>(redis, key);
    if (!current) return null;
    if (!change(current.doc)) return current.doc;
    const ok = await runScript(redis, CAS, [key], [String(current.version), JSON.stringify(current.doc)]);
    if (ok === 1) return current.doc;
  }
  throw new ContentionError(`${key} changed ${maxAttempts} times while we tried to update it`);
}
