import type { NotificationKind, TrackingUpdate } from '../domain/types.js';

/**
 * Job payloads carry ids and normalized tracking data, never contact details or secrets:
 * Redis dumps and the queue dashboard are read by more people than the recipient table.
 */
export interface UpdateJob {
  /** Stable id of this update (webhook delivery id, or a hash of its content). */
  updateId: string;
  update: TrackingUpdate;
  receivedAt: string;
}

export type NotifySubject = { type: 'shipment'; shipmentId: string; orderId: string } | { type: 'order'; orderId: string };

export interface NotifyJob {
  subject: NotifySubject;
  kind: NotificationKind;
  discriminator: string;
  causedBy: string;
  triggeredAt: string;
  /** When the update that caused it reached us (absent for timers and API calls). */
  receivedAt?: string;
}

export interface SendJob {
  notificationId: string;
}
