/**
 * Admin sign-in (issue "Admins and buyers at the controls", point 4) and bull-board behind it (point 6),
 * over real HTTP against the real app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken, issueSession, readSession, SESSION_TTL_MS } from '../../src/http/admin-session.js';
import { ADMIN_TOKEN, dropPrefix, startTestApp, testClock, type TestApp } from '../support/app.js';

let app: TestApp;
const clock = testClock();

beforeAll(async () => {
  app = await startTestApp({ now: clock.now, env: { PUBLIC_BASE_URL: 'https://notify.shop.example' } });
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(app.baseUrl + path, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers }, body: form(fields) });
const get = (path: string, headers: Record<string, string> = {}) => fetch(app.baseUrl + path, { redirect: 'manual', headers: { accept: 'text/html', ...headers } });

async function signIn(): Promise<string> {
  const res = await post('/admin/login', { token: ADMIN_TOKEN, next: '/admin/queues' });
  expect(res.status).toBe(303);
  const cookie = res.headers.get('set-cookie')!;
  return cookie.split(';')[0]!;
}

describe('GET/POST /admin/login', () => {
  it('shows a sign-in form under a strict CSP, escaping the next path', async () => {
    const res = await get('/admin/login?next=/admin/x"><script>');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/admin/login">');
    expect(html).toContain('name="token" type="password"');
    expect(html).not.toContain('"><script>');
  });

  it('the right token sets an HttpOnly, SameSite=Strict, /admin-scoped, Secure (https base URL) session cookie and redirects to next', async () => {
    const res = await post('/admin/login', { token: ADMIN_TOKEN, next: '/admin/queues' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/queues');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sn_admin=[^;]+; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=28800; Secure$/);
  });

  it('a wrong token is a 401 page and sets no cookie', async () => {
    const res = await post('/admin/login', { token: `${ADMIN_TOKEN}x` });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('That is not the admin token.');
    expect((await post('/admin/login', {})).status).toBe(401);
  });

  it('never redirects to another site after sign-in', async () => {
    for (const next of ['https://evil.example/admin', '//evil.example/admin', '/v1/orders']) {
      const res = await post('/admin/login', { token: ADMIN_TOKEN, next });
      expect(res.headers.get('location')).toBe('/admin');
    }
  });
});

describe('/admin/queues (bull-board) behind the session', () => {
  it('without a session a browser is sent to sign in, a script gets 401', async () => {
    const page = await get('/admin/queues');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fqueues');
    const api = await fetch(`${app.baseUrl}/admin/queues/api/queues`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe('unauthorized');
  });

  it('a forged or expired cookie is no session', async () => {
    const cookie = await signIn();
    const [name, value] = cookie.split('=') as [string, string];
    const [exp, nonce, sig] = value.split('.') as [string, string, string];
    const later = `${Number(exp) + 1}.${nonce}.${sig}`;
    expect((await get('/admin/queues', { cookie: `${name}=${later}` })).status).toBe(303);
    expect(readSession(ADMIN_TOKEN, value, new Date(Number(exp) + 1))).toBeNull();
    expect(readSession('another-token', value, clock.now())).toBeNull();
    expect(readSession(ADMIN_TOKEN, value, clock.now())).toMatchObject({ nonce });
  });

  it('with the session: the bull-board page and its queue list, under a same-origin CSP', async () => {
    const cookie = await signIn();
    const page = await get('/admin/queues', { cookie });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await page.text();
    expect(html).toContain('__UI_CONFIG__');
    // Its scripts are served from our origin (what the CSP allows), behind the same session.
    const script = html.match(/<script defer src="([^"]+)"/)![1]!;
    const base = html.match(/<base href="([^"]+)"/)?.[1] ?? '/admin/queues/';
    const asset = await fetch(new URL(script, app.baseUrl + base), { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(100);
    const locked = await fetch(new URL(script, app.baseUrl + base));
    expect(locked.status).toBe(401);
    await locked.text();
    const api = await fetch(`${app.baseUrl}/admin/queues/api/queues`, { headers: { cookie, accept: 'application/json' } });
    expect(api.status).toBe(200);
    const names = ((await api.json()).queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(['email', 'notify', 'push', 'sms', 'updates']);
  });
});

describe('POST /admin/logout and CSRF', () => {
  it('refuses without the CSRF token, signs out with it', async () => {
    const cookie = await signIn();
    const refused = await post('/admin/logout', {}, { cookie });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatchObject({ code: 'csrf_failed', details: [{ field: '_csrf' }] });
    const session = readSession(ADMIN_TOKEN, decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)), clock.now())!;
    const wrong = csrfToken({ settings: { adminToken: 'other' } } as never, session);
    expect((await post('/admin/logout', { _csrf: wrong }, { cookie })).status).toBe(403);
    const out = await post('/admin/logout', { _csrf: csrfToken({ settings: { adminToken: ADMIN_TOKEN } } as never, session) }, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^sn_admin=; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=0/);
  });

  it('without a session, logout is a 401', async () => {
    expect((await fetch(`${app.baseUrl}/admin/logout`, { method: 'POST' })).status).toBe(401);
  });

  it('sessions expire after the TTL', () => {
    const now = clock.now();
    const { value } = issueSession(ADMIN_TOKEN, now);
    expect(readSession(ADMIN_TOKEN, value, new Date(now.getTime() + SESSION_TTL_MS - 1))).not.toBeNull();
    expect(readSession(ADMIN_TOKEN, value, new Date(now.getTime() + SESSION_TTL_MS))).toBeNull();
  });
});
