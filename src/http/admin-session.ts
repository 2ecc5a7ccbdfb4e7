/**
 * Admin sign-in for the `/admin` pages. The session is an HMAC-signed expiring cookie rather than a Redis
 * record: the signing key is derived from ADMIN_TOKEN, so rotating the token signs everyone out at once,
 * and any process behind the load balancer can check a session without a lookup. The price is that
 * "sign out" clears the browser's cookie but cannot revoke a copy of it; sessions therefore last 8 hours.
 *
 * CSRF: the cookie is SameSite=Strict, and on top of that every admin form carries a token bound to the
 * session (an HMAC of the session's nonce), checked with `verifyCsrf` before anything changes.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpDeps } from './deps.js';
import { ApiError } from './errors.js';
import { escapeHtml, page, sendPage } from './pages/html.js';

export const SESSION_COOKIE = 'sn_admin';
/** @defaultValue 8 hours */
export const SESSION_TTL_MS = 8 * 3600 * 1000;
export const CSRF_FIELD = '_csrf';

/** Admin pages: same-origin scripts only (the editor's live preview may use them), never framed. */
export const ADMIN_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
});

export interface AdminSession {
  nonce: string;
  expiresAt: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireAdminSession` once the cookie checked out. */
    adminSession?: AdminSession;
  }
}

function sessionKey(adminToken: string): Buffer {
  return createHmac('sha256', adminToken).update('shipment-notifier admin session v1').digest();
}

function mac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function issueSession(adminToken: string, now: Date): { value: string; session: AdminSession } {
  const session = { nonce: randomBytes(18).toString('base64url'), expiresAt: now.getTime() + SESSION_TTL_MS };
  const payload = `${session.expiresAt}.${session.nonce}`;
  return { value: `${payload}.${mac(sessionKey(adminToken), payload)}`, session };
}

export function readSession(adminToken: string | undefined, cookieValue: string | undefined, now: Date): AdminSession | null {
  if (!adminToken || !cookieValue) return null;
  const [expires, nonce, signature, ...rest] = cookieValue.split('.');
  if (!expires || !nonce || !signature || rest.length > 0) return null;
  if (!safeEqual(signature, mac(sessionKey(adminToken), `${expires}.${nonce}`))) return null;
  const expiresAt = Number(expires);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now.getTime()) return null;
  return { nonce, expiresAt };
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A cookie someone else set with bad escapes is not ours to fail on.
    }
  }
  return out;
}

function cookieHeader(deps: HttpDeps, value: string, maxAgeSeconds: number): string {
  const secure = deps.settings.links?.publicBaseUrl.startsWith('https:') ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/** The CSRF token of a session: only someone who can read our pages (same origin) learns it. */
export function csrfToken(deps: HttpDeps, session: AdminSession): string {
  return mac(sessionKey(deps.settings.adminToken ?? ''), `csrf.${session.nonce}`);
}

/** The hidden input every admin form carries. */
export function csrfField(deps: HttpDeps, request: FastifyRequest): string {
  const session = request.adminSession;
  return session ? `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(csrfToken(deps, session))}">` : '';
}

/** Refuses (403 `csrf_failed`) a state-changing admin request without the session's token in its body or `x-csrf-token` header. */
export function verifyCsrf(deps: HttpDeps, request: FastifyRequest): void {
  const session = request.adminSession;
  const body = request.body as Record<string, unknown> | undefined;
  const given = typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : request.headers['x-csrf-token'];
  if (!session || typeof given !== 'string' || !safeEqual(given, csrfToken(deps, session))) {
    throw new ApiError(403, 'csrf_failed', 'The form is stale or came from another site; reload the page and try again.', [{ field: CSRF_FIELD, message: 'missing or wrong' }]);
  }
}

/**
 * preHandler for every `/admin/*` route but the sign-in: a browser asking for a page is sent to sign in,
 * anything else (fetches, form posts) gets 401 so a script sees the failure instead of a login page.
 */
export function requireAdminSession(deps: HttpDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const session = readSession(deps.settings.adminToken, parseCookies(request.headers.cookie)[SESSION_COOKIE], deps.now());
    if (session) {
      request.adminSession = session;
      return undefined;
    }
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage) return reply.code(303).header('location', `/admin/login?next=${encodeURIComponent(request.url)}`).send();
    return reply.code(401).send({ error: { code: 'unauthorized', message: 'Sign in at /admin/login first.', details: [{ field: 'cookie', message: 'missing or expired admin session' }] } });
  };
}

/** Only a path inside /admin: `next` must never send the signed-in browser to another site. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/admin';
}

function loginPage(next: string, error?: string): string {
  return page(
    'Sign in to shipment-notifier',
    `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/admin/login">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<p><label for="token">Admin token</label><br><input id="token" name="token" type="password" autocomplete="current-password" required size="40"></p>
<p><button class="primary" type="submit">Sign in</button></p>
</form>
<p class="note">The token is the server's ADMIN_TOKEN. The session lasts 8 hours.</p>`,
  );
}

export function registerAdminSessionRoutes(app: FastifyInstance, deps: HttpDeps): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.headers(ADMIN_PAGE_HEADERS);
    });

    scope.get('/admin/login', async (request, reply) => {
      const next = safeNext((request.query as Record<string, unknown>).next);
      if (!deps.settings.adminToken) return sendPage(reply, 503, loginPage(next, 'The admin pages are locked: set ADMIN_TOKEN to use them.'));
      return sendPage(reply, 200, loginPage(next));
    });

    scope.post('/admin/login', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const next = safeNext(body.next);
      const token = deps.settings.adminToken;
      if (!token) return sendPage(reply, 503, loginPage(next, 'The admin pages are locked: set ADMIN_TOKEN to use them.'));
      if (typeof body.token !== 'string' || !safeEqual(body.token, token)) return sendPage(reply, 401, loginPage(next, 'That is not the admin token.'));
      const { value } = issueSession(token, deps.now());
      return reply.code(303).header('set-cookie', cookieHeader(deps, value, SESSION_TTL_MS / 1000)).header('location', next).send();
    });

    scope.post('/admin/logout', { preHandler: requireAdminSession(deps) }, async (request, reply) => {
      verifyCsrf(deps, request);
      return reply.code(303).header('set-cookie', cookieHeader(deps, '', 0)).header('location', '/admin/login').send();
    });
  });
}
