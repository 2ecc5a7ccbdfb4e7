import { z } from 'zod';
import { SHIPMENT_STATUSES } from '../domain/status.js';
import { CHANNELS, NOTIFICATION_KINDS, ROLES } from '../domain/types.js';

const id = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9._~-]+$/, 'use letters, digits and . _ ~ - only');

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}/.test(s), 'expected an ISO-8601 date-time');
export const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');
const channelFlags = z.object(Object.fromEntries(CHANNELS.map((c) => [c, z.boolean().optional()])) as Record<(typeof CHANNELS)[number], z.ZodOptional<z.ZodBoolean>>).strict();

export const preferencesSchema = z
  .object({
    channels: z.object(Object.fromEntries(CHANNELS.map((c) => [c, z.object({ enabled: z.boolean() }).strict().optional()])) as Record<(typeof CHANNELS)[number], z.ZodOptional<z.ZodObject<{ enabled: z.ZodBoolean }>>>).strict().optional(),
    kinds: z.partialRecord(z.enum(NOTIFICATION_KINDS), channelFlags).optional(),
    quietHours: z.object({ start: hhmm, end: hhmm }).strict().optional(),
  })
  .strict();

/**
 * `PATCH /v1/recipients/:id/preferences`: the preferencesSchema shapes, where `null` removes what it names
 * (a kind's override, one channel of it, a channel switch, the quiet hours) and absence leaves it alone.
 */
export const preferencesPatchSchema = z
  .object({
    channels: z.object(Object.fromEntries(CHANNELS.map((c) => [c, z.object({ enabled: z.boolean() }).strict().nullable().optional()])) as Record<(typeof CHANNELS)[number], z.ZodOptional<z.ZodNullable<z.ZodObject<{ enabled: z.ZodBoolean }>>>>).strict().optional(),
    kinds: z
      .partialRecord(z.enum(NOTIFICATION_KINDS), z.object(Object.fromEntries(CHANNELS.map((c) => [c, z.boolean().nullable().optional()])) as Record<(typeof CHANNELS)[number], z.ZodOptional<z.ZodNullable<z.ZodBoolean>>>).strict().nullable())
      .optional(),
    quietHours: z.object({ start: hhmm, end: hhmm }).strict().nullable().optional(),
  })
  .strict();

export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>;

export const pushSubscriptionSchema = z.object({
  endpoint: z.url({ protocol: /^https$/, error: 'expected an https URL' }),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, 'expected a base64url P-256 public key'),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,24}={0,2}$/, 'expected a base64url 16-byte secret'),
  }),
});

export const recipientSchema = z
  .object({
    role: z.enum(ROLES),
    name: z.string().trim().min(1).max(200),
    email: z.email().max(254).optional(),
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +14155550123').optional(),
    locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 tag such as en or es-MX').default('en'),
    timezone: z.string().refine(isTimeZone, 'expected an IANA time zone such as America/New_York').default('UTC'),
    preferences: preferencesSchema.default({}),
  })
  .strict();

export const orderSchema = z
  .object({
    orderId: id,
    buyerId: id,
    sellerId: id,
    items: z.array(z.object({ name: z.string().trim().min(1).max(300), quantity: z.number().int().positive(), price: z.number().nonnegative() }).strict()).min(1).max(500),
    total: z.number().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as USD'),
  })
  .strict();

export const shipmentSchema = z
  .object({ orderId: id, trackingNumber: z.string().trim().min(4).max(64), carrier: z.string().trim().min(2).max(32).optional(), shipmentId: id.optional() })
  .strict();

const statusEnum = z.enum(SHIPMENT_STATUSES);
const subStatus = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'expected a snake_case sub-status');

export const trackingUpdateSchema = z
  .object({
    trackingNumber: z.string().trim().min(4).max(64).optional(),
    shipmentId: id.optional(),
    carrier: z.string().trim().min(2).max(32).optional(),
    status: statusEnum,
    subStatus: subStatus.optional(),
    estimatedDelivery: isoTime.optional(),
    events: z
      .array(
        z.object({ time: isoTime, status: statusEnum, subStatus: subStatus.optional(), description: z.string().trim().min(1).max(500), location: z.string().max(200).optional() }).strict(),
      )
      .max(500),
    proof: z.object({ time: isoTime.optional(), signedBy: z.string().max(200).optional(), photoUrl: z.url().optional(), location: z.string().max(200).optional() }).strict().optional(),
  })
  .strict()
  .refine((u) => u.trackingNumber || u.shipmentId, { message: 'give trackingNumber or shipmentId', path: ['trackingNumber'] });

export const notificationQuerySchema = z
  .object({ recipientId: id.optional(), shipmentId: id.optional(), limit: z.coerce.number().int().min(1).max(1000).optional() })
  .strict()
  .refine((q) => q.recipientId || q.shipmentId, { message: 'give recipientId or shipmentId', path: ['recipientId'] });

export const idParams = z.object({ id }).strict();

export type RecipientInput = z.infer<typeof recipientSchema>;
export type TrackingUpdateInput = z.infer<typeof trackingUpdateSchema>;
