/**
 * Every Redis key the project writes, in one place, under one configurable prefix.
 * Hash tags (`{…}`) keep the keys a Lua script touches together on one Redis Cluster slot.
 */
export interface Keys {
  readonly prefix: string;
  /** BullMQ's own prefix, so `KEY_PREFIX` isolates queues too. */
  readonly bullPrefix: string;
  shipment(id: string): string;
  shipmentPending(id: string): string;
  trackingIndex(carrier: string, trackingNumber: string): string;
  order(id: string): string;
  recipient(id: string): string;
  notification(id: string): string;
  notificationTrail(id: string): string;
  notificationsByRecipient(recipientId: string): string;
  notificationsByShipment(shipmentId: string): string;
  notificationsByOrder(orderId: string): string;
  sent(notificationId: string): string;
  sending(notificationId: string): string;
  webhookReceipt(source: string, id: string): string;
  kindDefaults(): string;
}

export function createKeys(prefix: string): Keys {
  const p = prefix;
  return {
    prefix: p,
    bullPrefix: `${p}:bull`,
    shipment: (id) => `${p}:shipment:{${id}}`,
    shipmentPending: (id) => `${p}:shipment:{${id}}:pending`,
    trackingIndex: (carrier, tn) => `${p}:tracking:${carrier}:${tn}`,
    order: (id) => `${p}:order:${id}`,
    recipient: (id) => `${p}:recipient:${id}`,
    notification: (id) => `${p}:notification:{${id}}`,
    notificationTrail: (id) => `${p}:notification:{${id}}:trail`,
    notificationsByRecipient: (id) => `${p}:notifications:recipient:${id}`,
    notificationsByShipment: (id) => `${p}:notifications:shipment:${id}`,
    notificationsByOrder: (id) => `${p}:notifications:order:${id}`,
    sent: (id) => `${p}:sent:{${id}}`,
    sending: (id) => `${p}:sending:{${id}}`,
    webhookReceipt: (source, id) => `${p}:webhook:${source}:${id}`,
    kindDefaults: () => `${p}:defaults:kinds`,
  };
}
