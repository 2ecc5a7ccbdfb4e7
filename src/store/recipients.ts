import type { Redis } from 'ioredis';
import type { ChannelName, PushSubscriptionJSON, Recipient } from '../domain/types.js';
import { readDocument, updateDocument } from './documents.js';
import type { Keys } from './keys.js';

export type Suppression = NonNullable<NonNullable<Recipient['suppressed']>[ChannelName]>;

/**
 * Every SMS suppression the person asked for themselves (an inbound STOP, or Twilio's 21610 saying
 * they replied STOP to Twilio) starts with this, so that START lifts exactly those and never a block
 * an admin or a provider put there.
 */
export const SMS_OPT_OUT_REASON = 'opted out';

export function isSmsOptOut(suppression: Suppression | undefined): boolean {
  return suppression !== undefined && suppression.reason.startsWith(SMS_OPT_OUT_REASON);
}

/** Twilio sends `From` in E.164; imports and admins do not always type it the same way. */
export function phoneKey(phone: string): string {
  return phone.trim().toLowerCase();
}

export interface RecipientStore {
  get(id: string): Promise<Recipient | null>;
  put(recipient: Recipient): Promise<void>;
  /** Ids of every recipient whose `phone` is this number (one person may be a buyer and a seller). */
  idsByPhone(phone: string): Promise<string[]>;
  addPushSubscription(id: string, subscription: PushSubscriptionJSON): Promise<Recipient | null>;
  removePushSubscription(id: string, endpoint: string): Promise<void>;
  suppress(id: string, channel: ChannelName, reason: string, at: Date): Promise<void>;
  /** Applies `change` (mutates, returns whether anything changed) by compare-and-set; null when there is no such recipient. */
  update(id: string, change: (recipient: Recipient) => boolean): Promise<Recipient | null>;
  /** Lifts the channel's suppression if `onlyIf` accepts it (any, without); true when one was lifted. */
  unsuppress(id: string, channel: ChannelName, onlyIf?: (suppression: Suppression) => boolean): Promise<boolean>;
}

export function createRecipientStore(redis: Redis, keys: Keys): RecipientStore {
  const key = (id: string) => keys.recipient(id);
  const phoneIndex = (phone: string) => `${keys.prefix}:recipients:phone:${phoneKey(phone)}`;
  const update = (id: string, change: (recipient: Recipient) => boolean) => updateDocument<Recipient>(redis, key(id), change);
  const get = async (id: string) => (await readDocument<Recipient>(redis, key(id)))?.doc ?? null;
  return {
    get,
    update,
    async put(recipient) {
      // The index follows the document: after a number changes, a STOP from the old one must not match.
      const previous = (await get(recipient.id))?.phone;
      const multi = redis.multi().hincrby(key(recipient.id), 'version', 1).hset(key(recipient.id), 'doc', JSON.stringify(recipient));
      if (previous && (!recipient.phone || phoneKey(previous) !== phoneKey(recipient.phone))) multi.srem(phoneIndex(previous), recipient.id);
      if (recipient.phone) multi.sadd(phoneIndex(recipient.phone), recipient.id);
      await multi.exec();
    },
    async idsByPhone(phone) {
      if (!phoneKey(phone)) return [];
      const ids = (await redis.smembers(phoneIndex(phone))).sort();
      // Two puts racing can leave a stale member; an opt-out must never reach someone else's number.
      const docs = await Promise.all(ids.map(get));
      return ids.filter((_, i) => {
        const current = docs[i]?.phone;
        return current !== undefined && phoneKey(current) === phoneKey(phone);
      });
    },
    addPushSubscription(id, subscription) {
      return updateDocument<Recipient>(redis, key(id), (r) => {
        r.pushSubscriptions = r.pushSubscriptions.filter((s) => s.endpoint !== subscription.endpoint);
        r.pushSubscriptions.push(subscription);
        return true;
      });
    },
    async removePushSubscription(id, endpoint) {
      await updateDocument<Recipient>(redis, key(id), (r) => {
        const before = r.pushSubscriptions.length;
        r.pushSubscriptions = r.pushSubscriptions.filter((s) => s.endpoint !== endpoint);
        return r.pushSubscriptions.length !== before;
      });
    },
    async suppress(id, channel, reason, at) {
      await updateDocument<Recipient>(redis, key(id), (r) => {
        r.suppressed = { ...r.suppressed, [channel]: { reason, at: at.toISOString() } };
        return true;
      });
    },
    async unsuppress(id, channel, onlyIf) {
      let lifted = false;
      await updateDocument<Recipient>(redis, key(id), (r) => {
        const current = r.suppressed?.[channel];
        lifted = current !== undefined && (!onlyIf || onlyIf(current));
        if (!lifted || !r.suppressed) return false;
        delete r.suppressed[channel];
        if (Object.keys(r.suppressed).length === 0) delete r.suppressed;
        return true;
      });
      return lifted;
    },
  };
}
