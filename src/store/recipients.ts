import type { Redis } from 'ioredis';
import type { ChannelName, PushSubscriptionJSON, Recipient } from '../domain/types.js';
import { putDocument, readDocument, updateDocument } from './documents.js';
import type { Keys } from './keys.js';

export interface RecipientStore {
  get(id: string): Promise<Recipient | null>;
  put(recipient: Recipient): Promise<void>;
  addPushSubscription(id: string, subscription: PushSubscriptionJSON): Promise<Recipient | null>;
  removePushSubscription(id: string, endpoint: string): Promise<void>;
  suppress(id: string, channel: ChannelName, reason: string, at: Date): Promise<void>;
}

export function createRecipientStore(redis: Redis, keys: Keys): RecipientStore {
  const key = (id: string) => keys.recipient(id);
  return {
    async get(id) {
      return (await readDocument<Recipient>(redis, key(id)))?.doc ?? null;
    },
    async put(recipient) {
      await putDocument(redis, key(recipient.id), recipient);
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
  };
}
