/**
 * Builds the nodemailer message for an `EmailMessage`. Shared by the SMTP channel and the
 * email outbox so that a file in the outbox is byte-for-byte the mail SMTP would carry
 * (apart from Date and MIME boundaries).
 */
import addressparser from 'nodemailer/lib/addressparser';
import type { SendMailOptions } from 'nodemailer';
import { ChannelConfigError } from './errors.js';
import { encodeIdentifier } from './safe-id.js';
import type { EmailMessage } from './types.js';

export interface MailIdentity {
  /** From header, `"Shop" <orders@shop.example>` or a bare address. */
  from: string;
  /** Right-hand side of every Message-ID. */
  messageIdDomain: string;
}

/** The domain of the first mailbox in a From value, if it has one. */
export function senderDomain(from: string): string | undefined {
  const [first] = addressparser(from, { flatten: true });
  const at = first?.address.lastIndexOf('@') ?? -1;
  if (!first || at < 0) return undefined;
  const domain = first.address.slice(at + 1).trim();
  return domain === '' ? undefined : domain.toLowerCase();
}

/**
 * Resolves the identity once, when a channel is created, so a From without a domain fails
 * at start-up with a sentence rather than on the first send.
 */
export function resolveMailIdentity(from: string, messageIdDomain: string | undefined): MailIdentity {
  const domain = messageIdDomain ?? senderDomain(from);
  if (!domain) {
    throw new ChannelConfigError(
      `Cannot derive a Message-ID domain from the From address "${from}"; give a From with a domain or set messageIdDomain.`,
      { channel: 'email' },
    );
  }
  return { from, messageIdDomain: domain };
}

/** `<notificationId@domain>`: the same notification always gets the same Message-ID. */
export function messageIdFor(notificationId: string, domain: string): string {
  return `<${encodeIdentifier(notificationId)}@${domain}>`;
}

export function toMailOptions(message: EmailMessage, identity: MailIdentity): SendMailOptions {
  const unsubscribe = message.unsubscribeMailto
    ? // A nested array makes nodemailer put both URLs on one List-Unsubscribe line, which is
      // what RFC 2369 and the Gmail/Yahoo sender rules expect.
      [[message.unsubscribeUrl, message.unsubscribeMailto]]
    : message.unsubscribeUrl;
  // RFC 8058 one-click only applies to an https URL; announcing it for http would invite
  // mailbox providers to POST to a link that the RFC says they must not use.
  const oneClick = message.unsubscribeUrl.startsWith('https://');
  return {
    from: identity.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: messageIdFor(message.notificationId, identity.messageIdDomain),
    list: { unsubscribe },
    ...(oneClick ? { headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
  };
}
