/**
 * Admin template overrides in Redis, versioned (every version is kept), and mirrored in memory so the
 * engine can read them synchronously on every render. Every process holds its own mirror: a save publishes
 * on a channel so the others reload at once, and a generation counter checked every couple of seconds
 * catches a missed message (a subscriber reconnecting, a network blip).
 */
import type { Redis } from 'ioredis';
import type { NotificationKind } from '../domain/types.js';
import type { TemplateSource } from '../render/engine.js';
import type { TemplatePart } from '../render/template-files.js';
import type { Keys } from './keys.js';

export interface TemplateVersion {
  /** 1, 2, 3… per locale/kind/part. */
  version: number;
  source: string;
  savedAt: string;
  /** Who saved it, as the API knows them (`admin` for the bearer token). */
  by: string;
  /** How it came to be: an edit, or a rollback to an earlier version. */
  action: 'save' | 'rollback';
  /** For a rollback, the version whose text was restored. */
  from?: number;
}

/** The override in effect for one template. */
export interface ActiveOverride {
  version: number;
  source: string;
  savedAt: string;
  by: string;
}

export class TemplateVersionNotFoundError extends Error {
  readonly code = 'template_version_not_found';
  constructor(readonly version: number) {
    super(`There is no version ${version} of this template.`);
    this.name = 'TemplateVersionNotFoundError';
  }
}

export interface TemplateOverrideStore extends TemplateSource {
  /** Load the mirror and start following changes; call before the first render. */
  start(): Promise<void>;
  /** The mirror's view of one override (no Redis round trip). */
  active(locale: string, kind: NotificationKind, part: TemplatePart): ActiveOverride | undefined;
  /** Store `source` as the next version and make it current. */
  save(locale: string, kind: NotificationKind, part: TemplatePart, source: string, by: string, at: Date): Promise<TemplateVersion>;
  /** Make an earlier version's text current again, as a new version. */
  rollback(locale: string, kind: NotificationKind, part: TemplatePart, version: number, by: string, at: Date): Promise<TemplateVersion>;
  /** Back to the file; the versions stay, so a rollback can bring the override back. `false` when none was active. */
  remove(locale: string, kind: NotificationKind, part: TemplatePart): Promise<boolean>;
  versions(locale: string, kind: NotificationKind, part: TemplatePart): Promise<TemplateVersion[]>;
  /** Re-read every active override now (the periodic check and the pub/sub message call this). */
  reload(): Promise<void>;
  /** Stop following changes and close the subscriber connection. */
  close(): Promise<void>;
}

export interface TemplateOverrideOptions {
  /** How often the generation counter is compared, as a safety net for missed messages. @defaultValue 2000 */
  checkEveryMs?: number;
}

// Append the version, make it current and bump the generation in one step, so a reader never sees a
// current version that is missing from the history, nor two saves with the same number.
const SAVE = `
local n = redis.call('RPUSH', KEYS[1], 'pending')
local record = cjson.decode(ARGV[2])
record['version'] = n
local encoded = cjson.encode(record)
redis.call('LSET', KEYS[1], n - 1, encoded)
redis.call('HSET', KEYS[2], ARGV[1], encoded)
local generation = redis.call('INCR', KEYS[3])
redis.call('PUBLISH', KEYS[4], generation)
return encoded
`;

const REMOVE = `
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
if removed == 1 then
  local generation = redis.call('INCR', KEYS[2])
  redis.call('PUBLISH', KEYS[3], generation)
end
return removed
`;

function field(locale: string, kind: NotificationKind, part: TemplatePart): string {
  return `${locale}/${kind}/${part}`;
}

export function createTemplateOverrideStore(redis: Redis, keys: Keys, options: TemplateOverrideOptions = {}): TemplateOverrideStore {
  const k = {
    current: `${keys.prefix}:templates:current`,
    generation: `${keys.prefix}:templates:generation`,
    channel: `${keys.prefix}:templates:changed`,
    versions: (f: string) => `${keys.prefix}:templates:versions:${f}`,
  };
  let mirror = new Map<string, ActiveOverride>();
  let generation = '';
  let subscriber: Redis | null = null;
  let timer: NodeJS.Timeout | null = null;
  let loading: Promise<void> | null = null;

  async function load(): Promise<void> {
    const [[, gen], [, all]] = (await redis.multi().get(k.generation).hgetall(k.current).exec()) as [[null, string | null], [null, Record<string, string>]];
    const next = new Map<string, ActiveOverride>();
    for (const [f, json] of Object.entries(all)) {
      const { version, source, savedAt, by } = JSON.parse(json) as TemplateVersion;
      next.set(f, { version, source, savedAt, by });
    }
    mirror = next;
    generation = gen ?? '';
  }

  // Coalesce: a burst of messages costs one reload in flight plus at most one after it.
  function reload(): Promise<void> {
    if (loading) return loading.then(() => reload());
    loading = load().finally(() => {
      loading = null;
    });
    return loading;
  }

  async function append(f: string, record: Omit<TemplateVersion, 'version'>): Promise<TemplateVersion> {
    const encoded = (await redis.eval(SAVE, 4, k.versions(f), k.current, k.generation, k.channel, f, JSON.stringify(record))) as string;
    const saved = JSON.parse(encoded) as TemplateVersion;
    // This process renders with its own save at once, without waiting for its message to come back.
    mirror.set(f, { version: saved.version, source: saved.source, savedAt: saved.savedAt, by: saved.by });
    return saved;
  }

  return {
    get(locale, kind, part) {
      return mirror.get(field(locale, kind, part))?.source;
    },
    active(locale, kind, part) {
      return mirror.get(field(locale, kind, part));
    },
    async start() {
      await load();
      subscriber = redis.duplicate();
      subscriber.on('error', () => {
        // ioredis reconnects by itself; the periodic check covers what is missed meanwhile.
      });
      subscriber.on('message', () => void reload().catch(() => undefined));
      await subscriber.subscribe(k.channel);
      timer = setInterval(() => {
        void redis
          .get(k.generation)
          .then((gen) => ((gen ?? '') !== generation ? reload() : undefined))
          .catch(() => undefined);
      }, options.checkEveryMs ?? 2_000);
      timer.unref();
    },
    async save(locale, kind, part, source, by, at) {
      return append(field(locale, kind, part), { source, savedAt: at.toISOString(), by, action: 'save' });
    },
    async rollback(locale, kind, part, version, by, at) {
      const f = field(locale, kind, part);
      const json = Number.isInteger(version) && version >= 1 ? await redis.lindex(k.versions(f), version - 1) : null;
      if (!json) throw new TemplateVersionNotFoundError(version);
      const earlier = JSON.parse(json) as TemplateVersion;
      return append(f, { source: earlier.source, savedAt: at.toISOString(), by, action: 'rollback', from: version });
    },
    async remove(locale, kind, part) {
      const f = field(locale, kind, part);
      const removed = (await redis.eval(REMOVE, 3, k.current, k.generation, k.channel, f)) as number;
      mirror.delete(f);
      return removed === 1;
    },
    async versions(locale, kind, part) {
      const list = await redis.lrange(k.versions(field(locale, kind, part)), 0, -1);
      return list.map((json) => JSON.parse(json) as TemplateVersion);
    },
    reload,
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      if (subscriber) await subscriber.quit().catch(() => undefined);
      subscriber = null;
    },
  };
}
