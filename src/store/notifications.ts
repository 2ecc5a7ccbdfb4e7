import type { Redis } from 'ioredis';
import type { ChannelName, NotificationKind, NotificationStatus, Role } from '../domain/types.js';
import { createDocument, readDocument, updateDocument } from './documents.js';
import type { Keys } from './keys.js';

/** One message to one recipient on one channel, and every decision taken about it. */
export interface NotificationRecord {
  id: string;
  kind: NotificationKind;
  discriminator: string;
  channel: ChannelName;
  recipientId: string;
  role: Role;
  orderId: string;
  shipmentId?: string;
  status: NotificationStatus;
  /** Why it is in this status: `preference_off`, `quiet_hours`, `unsubscribed`, `no_address`, `superseded`, `duplicate`, or the provider's error text. */
  reason?: string;
  holdUntil?: string;
  providerId?: string;
  /** What caused it: the tracking update or API call. */
  causedBy: string;
  createdAt: string;
  updatedAt: string;
  /** When the update that caused it reached us; the update-to-send latency is measured from it. */
  receivedAt?: string;
}

export interface TrailEntry {
  at: string;
  step: string;
  detail?: string;
}

export interface NotificationQuery {
  recipientId?: string;
  shipmentId?: string;
  orderId?: string;
  /** @defaultValue 100 */
  limit?: number;
}

export interface NotificationStore {
  /** Creates the record unless one with this id exists; false means this notification was already decided. */
  create(record: NotificationRecord): Promise<boolean>;
  get(id: string): Promise<NotificationRecord | null>;
  update(id: string, change: Partial<Pick<NotificationRecord, 'status' | 'reason' | 'holdUntil' | 'providerId'>>, now: Date, detail?: string): Promise<NotificationRecord | null>;
  /**
   * Applies `change` only if `allowed(current)`, checked against the version it read so two provider
   * callbacks racing cannot move a record backwards (delivered → failed). `applied` says which happened.
   */
  transition(
    id: string,
    allowed: (current: NotificationRecord) => boolean,
    change: Partial<Pick<NotificationRecord, 'status' | 'reason'>>,
    now: Date,
    detail?: string,
  ): Promise<{ record: NotificationRecord | null; applied: boolean }>;
  /** A trail entry that changes nothing else: e.g. a provider's intermediate status (`sent` by Twilio). */
  note(id: string, now: Date, step: string, detail?: string): Promise<void>;
  /** The notification a provider's message id (a Twilio `SM…` SID) belongs to, once the send recorded it. */
  findByProviderId(channel: ChannelName, providerId: string): Promise<string | null>;
  trail(id: string): Promise<TrailEntry[]>;
  list(query: NotificationQuery): Promise<NotificationRecord[]>;
}

function stepOf(change: Partial<Pick<NotificationRecord, 'status' | 'reason'>>): string {
  return change.status ? `${change.status}${change.reason ? ` (${change.reason})` : ''}` : 'updated';
}

export function createNotificationStore(redis: Redis, keys: Keys): NotificationStore {
  async function addTrail(id: string, entry: TrailEntry): Promise<void> {
    await redis.rpush(keys.notificationTrail(id), JSON.stringify(entry));
  }
  // Delivery callbacks name the provider's id, never ours; this maps one back to the other.
  const providerIndex = (channel: ChannelName, providerId: string) => `${keys.prefix}:provider-message:${channel}:${providerId}`;

  return {
    async create(record) {
      if (!(await createDocument(redis, keys.notification(record.id), record))) return false;
      const score = Date.parse(record.createdAt);
      const multi = redis.multi().zadd(keys.notificationsByRecipient(record.recipientId), score, record.id);
      multi.zadd(keys.notificationsByOrder(record.orderId), score, record.id);
      if (record.shipmentId) multi.zadd(keys.notificationsByShipment(record.shipmentId), score, record.id);
      const decided: TrailEntry = {
        at: record.createdAt,
        step: 'decided',
        detail: `${record.status}${record.reason ? ` (${record.reason})` : ''}; caused by ${record.causedBy}`,
      };
      await multi.rpush(keys.notificationTrail(record.id), JSON.stringify(decided)).exec();
      return true;
    },
    async get(id) {
      return (await readDocument<NotificationRecord>(redis, keys.notification(id)))?.doc ?? null;
    },
    async update(id, change, now, detail) {
      const updated = await updateDocument<NotificationRecord>(redis, keys.notification(id), (doc) => {
        Object.assign(doc, change, { updatedAt: now.toISOString() });
        return true;
      });
      if (updated && change.providerId) await redis.set(providerIndex(updated.channel, change.providerId), id);
      if (updated) {
        await addTrail(id, { at: now.toISOString(), step: stepOf(change), ...(detail ? { detail } : {}) });
      }
      return updated;
    },
    async transition(id, allowed, change, now, detail) {
      let applied = false;
      const record = await updateDocument<NotificationRecord>(redis, keys.notification(id), (doc) => {
        applied = allowed(doc);
        if (applied) Object.assign(doc, change, { updatedAt: now.toISOString() });
        return applied;
      });
      if (record && applied) {
        await addTrail(id, { at: now.toISOString(), step: stepOf(change), ...(detail ? { detail } : {}) });
      }
      return { record, applied: record !== null && applied };
    },
    async note(id, now, step, detail) {
      await addTrail(id, { at: now.toISOString(), step, ...(detail ? { detail } : {}) });
    },
    async findByProviderId(channel, providerId) {
      return redis.get(providerIndex(channel, providerId));
    },
    async trail(id) {
      const entries = await redis.lrange(keys.notificationTrail(id), 0, -1);
      return entries.map((e) => JSON.parse(e) as TrailEntry);
    },
    async list(query) {
      const limit = query.limit ?? 100;
      const index = query.shipmentId
        ? keys.notificationsByShipment(query.shipmentId)
        : query.recipientId
          ? keys.notificationsByRecipient(query.recipientId)
          : query.orderId
            ? keys.notificationsByOrder(query.orderId)
            : null;
      if (!index) return [];
      const ids = await redis.zrange(index, '0', '-1');
      const records = await Promise.all(ids.map((id) => this.get(id)));
      return records
        .filter((r): r is NotificationRecord => r !== null)
        .filter((r) => !query.recipientId || r.recipientId === query.recipientId)
        .filter((r) => !query.shipmentId || r.shipmentId === query.shipmentId)
        .slice(0, limit);
    },
  };
}
