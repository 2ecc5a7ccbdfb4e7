import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring links for recipients (preference center, one-click unsubscribe): the link is
 * the credential, so it carries the recipient id, what it allows, and an expiry, under an HMAC.
 * Format: base64url(JSON payload) + "." + base64url(HMAC-SHA256(secret, payload)).
 */
export type LinkPurpose = 'preferences' | 'unsubscribe';

export interface LinkClaims {
  recipientId: string;
  purpose: LinkPurpose;
  /** Channel to unsubscribe from; absent means every channel. */
  channel?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export class LinkTokenError extends Error {
  readonly code = 'invalid_link';
}

/** Links in a message stay valid long after delivery (people unsubscribe from old mail). @defaultValue 90 days */
export const LINK_TTL_SECONDS = 90 * 24 * 3600;

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function signLinkToken(secret: string, claims: Omit<LinkClaims, 'exp'>, now: Date, ttlSeconds = LINK_TTL_SECONDS): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(now.getTime() / 1000) + ttlSeconds })).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

export function verifyLinkToken(secret: string, token: string, purpose: LinkPurpose, now: Date): LinkClaims {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) throw new LinkTokenError('The link is malformed.');
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new LinkTokenError('The link signature does not match.');
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
  } catch {
    throw new LinkTokenError('The link is malformed.');
  }
  if (claims.purpose !== purpose) throw new LinkTokenError('The link is for something else.');
  if (claims.exp * 1000 < now.getTime()) throw new LinkTokenError('The link has expired.');
  return claims;
}

export interface RecipientLinks {
  preferences: string;
  unsubscribe: string;
}

export function recipientLinks(baseUrl: string, secret: string, recipientId: string, channel: string, now: Date): RecipientLinks {
  const base = baseUrl.replace(/\/$/, '');
  const prefs = signLinkToken(secret, { recipientId, purpose: 'preferences' }, now);
  const unsub = signLinkToken(secret, { recipientId, purpose: 'unsubscribe', channel }, now);
  return { preferences: `${base}/preferences?token=${prefs}`, unsubscribe: `${base}/unsubscribe?token=${unsub}` };
}
