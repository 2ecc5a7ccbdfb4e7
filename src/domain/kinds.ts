/**
 * Built-in defaults per notification kind: who receives it, on which channels, and whether it is urgent
 * (SPEC "Notification kinds" table). Admins override these per kind and role; recipients override both.
 */
import type { ChannelName, NotificationKind, Role } from './types.js';

/** The roles the SPEC's defaults table addresses. Admin recipients get only what they opt into. */
export type AudienceRole = Extract<Role, 'buyer' | 'seller'>;
export const AUDIENCE_ROLES: readonly AudienceRole[] = ['buyer', 'seller'];

export interface KindDefault {
  buyer: ChannelName[];
  seller: ChannelName[];
  /** Urgent kinds bypass the recipient's quiet hours for push and email (never for SMS). */
  urgent: boolean;
  /** Channel used once, per role, when a default channel cannot reach the recipient. */
  fallback?: Partial<Record<AudienceRole, ChannelName>>;
}

/** Defaults for every kind; an admin override (`Partial<KindDefaultsTable>`) may set any part of any kind. */
export type KindDefaultsTable = { [K in NotificationKind]: Partial<KindDefault> };

/** Frozen at run time so that no caller can change the defaults for everyone by pushing into an array. */
function frozen(table: Record<NotificationKind, KindDefault>): Readonly<Record<NotificationKind, Readonly<KindDefault>>> {
  for (const entry of Object.values(table)) {
    Object.freeze(entry.buyer);
    Object.freeze(entry.seller);
    Object.freeze(entry);
  }
  return Object.freeze(table);
}

export const KIND_DEFAULTS = frozen({
  order_confirmed: { buyer: ['email'], seller: [], urgent: false },
  order_cancelled: { buyer: ['email'], seller: [], urgent: false },
  label_created: { buyer: ['email', 'push'], seller: [], urgent: false },
  shipped: { buyer: ['email', 'push'], seller: [], urgent: false },
  in_transit_update: { buyer: [], seller: [], urgent: false },
  delayed: { buyer: ['email', 'push'], seller: ['email'], urgent: false },
  out_for_delivery: { buyer: ['sms', 'push'], seller: [], urgent: false },
  delivery_attempted: { buyer: ['sms', 'email', 'push'], seller: ['email'], urgent: true },
  available_for_pickup: { buyer: ['sms', 'email', 'push'], seller: [], urgent: true },
  exception: { buyer: ['email', 'sms', 'push'], seller: ['email', 'sms'], urgent: true },
  delivered: { buyer: ['email', 'push'], seller: [], urgent: false },
  returned_to_sender: { buyer: ['email'], seller: ['email'], urgent: false },
  lost: { buyer: ['email'], seller: ['email', 'sms'], urgent: false },
  stalled: { buyer: ['email'], seller: ['email'], urgent: false },
  not_scanned: { buyer: [], seller: ['email'], urgent: false },
  // Not in the SPEC table: a seller registered a number that fails its check digit (issue "Ingest the real
  // world", point 7). Only the seller can fix it, and nothing has shipped yet, so it need not wake anyone.
  invalid_tracking_number: { buyer: [], seller: ['email'], urgent: false },
});

/**
 * Kinds off for everyone by default still have someone who may opt in: a buyer can ask for the
 * in-transit digest, and must be part of its audience for that opt-in to reach them.
 */
const OPT_IN_AUDIENCE: Partial<Record<NotificationKind, readonly AudienceRole[]>> = {
  in_transit_update: ['buyer'],
};

/** The built-in default for `kind` with any admin override laid over it. */
export function kindDefault(kind: NotificationKind, adminDefaults?: Partial<KindDefaultsTable>): KindDefault {
  const builtIn = KIND_DEFAULTS[kind];
  const admin = adminDefaults?.[kind];
  return {
    buyer: [...(admin?.buyer ?? builtIn.buyer)],
    seller: [...(admin?.seller ?? builtIn.seller)],
    urgent: admin?.urgent ?? builtIn.urgent,
    fallback: { ...DEFAULT_FALLBACK, ...builtIn.fallback, ...admin?.fallback },
  };
}

/** Email reaches nearly everyone and wakes no one: the fallback unless an admin says otherwise. */
const DEFAULT_FALLBACK: Partial<Record<AudienceRole, ChannelName>> = { buyer: 'email', seller: 'email' };

export function isUrgentKind(kind: NotificationKind, adminDefaults?: Partial<KindDefaultsTable>): boolean {
  return kindDefault(kind, adminDefaults).urgent;
}

/**
 * Roles a kind is addressed to: those with any default channel (after admin overrides), plus the
 * opt-in audience of kinds that are off by default. Fan-out resolves each recipient of these roles.
 */
export function kindAudience(kind: NotificationKind, defaults?: Partial<KindDefaultsTable>): Role[] {
  const entry = kindDefault(kind, defaults);
  const optIn = OPT_IN_AUDIENCE[kind] ?? [];
  return AUDIENCE_ROLES.filter((role) => entry[role].length > 0 || optIn.includes(role));
}
