/**
 * The one interface every delivery channel implements, and the messages each carries.
 * Messages hold rendered content and a resolved address; rendering and recipient lookup
 * happen before a channel is called.
 */
import type { ChannelName, PushSubscriptionJSON } from '../domain/types.js';

export interface EmailMessage {
  /** Stable id of the notification; becomes the Message-ID, so a resend is recognisable. */
  notificationId: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** https one-click unsubscribe link (RFC 8058). */
  unsubscribeUrl: string;
  /** Optional `mailto:` (or bare address) unsubscribe alternative for clients without https support. */
  unsubscribeMailto?: string;
}

export interface SmsMessage {
  notificationId: string;
  /** E.164. */
  to: string;
  body: string;
}

export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';

export interface PushMessage {
  notificationId: string;
  subscription: PushSubscriptionJSON;
  title: string;
  body: string;
  /** Page to open when the notification is clicked. */
  url: string;
  /** How long the push service keeps an undelivered message (RFC 8030 TTL). */
  ttlSeconds: number;
  urgency: PushUrgency;
  /**
   * Messages with the same topic replace each other while undelivered (RFC 8030 §5.4).
   * Any string: the channel derives a valid (<= 32 URL-safe base64 chars) topic from it.
   */
  topic: string;
}

export interface SendResult {
  /** The provider's id for the accepted message: Message-ID, Twilio SID, push Location, outbox file. */
  providerId: string;
  /** Provider's acknowledgement (SMTP reply, Twilio status…), for the notification log. */
  detail?: string;
}

export interface Channel<M> {
  readonly name: ChannelName;
  /** `provider` sends for real; `outbox` writes files for a developer to look at. */
  readonly kind: 'provider' | 'outbox';
  /** Resolves once the provider accepted the message; rejects with a `ChannelError` subclass. */
  send(message: M): Promise<SendResult>;
  /** Releases connections and sockets; the channel must not be used afterwards. */
  close(): Promise<void>;
}

/** Which message type each channel carries. */
export interface ChannelMessages {
  email: EmailMessage;
  sms: SmsMessage;
  push: PushMessage;
}

/** Any channel, typed by its name: `AnyChannel<'sms'>` is `Channel<SmsMessage>`. */
export type AnyChannel<C extends ChannelName = ChannelName> = { [K in C]: Channel<ChannelMessages[K]> }[C];
