/**
 * The signed token in a page's URL is the credential (SPEC: "via signed links"). It is checked on every
 * request, GET and POST alike, and the forms carry a second value derived from it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { LinkTokenError, verifyLinkToken, type LinkClaims, type LinkPurpose } from '../../domain/links.js';
import type { HttpDeps } from '../deps.js';

export type TokenCheck =
  | { ok: true; token: string; claims: LinkClaims; secret: string }
  | { ok: false; status: number; code: string; message: string };

const MALFORMED = 'The link is malformed.';

export function checkPageToken(deps: HttpDeps, request: FastifyRequest, purpose: LinkPurpose): TokenCheck {
  const links = deps.settings.links;
  if (!links) return { ok: false, status: 503, code: 'links_disabled', message: 'Links are not configured on this server (SIGNING_SECRET).' };
  const token = (request.query as Record<string, unknown> | undefined)?.token;
  if (typeof token !== 'string' || token === '') return { ok: false, status: 400, code: 'invalid_link', message: 'The link has no token; open the link from your message again.' };
  try {
    return { ok: true, token, claims: verifyLinkToken(links.signingSecret, token, purpose, deps.now()), secret: links.signingSecret };
  } catch (err) {
    if (!(err instanceof LinkTokenError)) throw err;
    // Malformed is a broken URL (400); a bad signature, another purpose or an expiry is a refusal (403).
    const status = err.message === MALFORMED ? 400 : 403;
    return { ok: false, status, code: err.code, message: `${err.message} Open the newest message from us, or ask the shop for a new link.` };
  }
}

/**
 * The per-form field: HMAC of the token. A cross-site form could copy a leaked URL but cannot read the page
 * to learn this value, so it cannot forge a preference change with it.
 */
export function formKey(secret: string, token: string): string {
  return createHmac('sha256', secret).update(`${token}\u0000form`).digest('base64url');
}

export function formKeyMatches(secret: string, token: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(formKey(secret, token));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
