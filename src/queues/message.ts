import { recipientLinks } from '../domain/links.js';
import type { Order, Recipient, ShipmentState } from '../domain/types.js';
import type { TemplateContext, TemplateDigest } from '../render/context.js';
import type { NotificationRecord } from '../store/notifications.js';
import type { PipelineDeps } from './deps.js';

/** Builds the documented template context for one notification (SPEC "Templates"). */
export function templateContext(
  deps: PipelineDeps,
  record: NotificationRecord,
  recipient: Recipient,
  order: Order | null,
  shipment: ShipmentState | null,
  digest: TemplateDigest | null = null,
): TemplateContext {
  const links = recipientLinks(deps.settings.publicBaseUrl, deps.settings.signingSecret, recipient.id, record.channel, deps.now());
  const lastEvent = shipment?.events[shipment.events.length - 1];
  return {
    kind: record.kind,
    recipient: { id: recipient.id, name: recipient.name, role: recipient.role, locale: recipient.locale || 'en', timezone: recipient.timezone },
    order: order
      ? { id: order.orderId, items: order.items, total: order.total, currency: order.currency }
      : null,
    shipment: shipment
      ? {
          id: shipment.id,
          carrier: shipment.carrierName ?? shipment.carrier,
          trackingNumber: shipment.trackingNumber,
          trackingUrl: shipment.trackingUrl,
          status: shipment.status,
          ...(shipment.subStatus ? { subStatus: shipment.subStatus } : {}),
          ...(shipment.eta ? { eta: shipment.eta } : {}),
          ...(lastEvent
            ? {
                lastEvent: {
                  time: lastEvent.time,
                  description: lastEvent.description,
                  status: lastEvent.status,
                  ...(lastEvent.location ? { location: lastEvent.location } : {}),
                },
              }
            : {}),
        }
      : null,
    proof: shipment?.proof ?? null,
    links: { track: shipment?.trackingUrl ?? links.preferences, ...links },
    // The refused number was never stored anywhere but in the notification's discriminator.
    ...(record.kind === 'invalid_tracking_number' ? { invalidTrackingNumber: record.discriminator } : {}),
    digest,
  };
}

/** Push: how long a push service keeps trying, and how eagerly a phone wakes for it. */
export function pushDelivery(record: NotificationRecord, urgent: boolean): { ttlSeconds: number; urgency: 'low' | 'normal' | 'high'; topic: string } {
  // An "out for delivery" that arrives tomorrow is noise; a delivery notice is still useful later.
  const ttlSeconds = record.kind === 'out_for_delivery' ? 6 * 3600 : urgent ? 12 * 3600 : 24 * 3600;
  const urgency = urgent ? 'high' : record.kind === 'in_transit_update' ? 'low' : 'normal';
  // One topic per shipment: a newer message replaces an older undelivered one on the device.
  return { ttlSeconds, urgency, topic: record.shipmentId ?? record.orderId };
}
