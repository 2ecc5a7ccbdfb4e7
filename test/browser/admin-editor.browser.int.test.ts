/**
 * Issue "Admins and buyers at the controls", points 4 and 7, in real Chromium against the real app and
 * Redis: an admin edits a template with live preview, saves it, and the next notification carries the new
 * text; a rollback brings an earlier text back. Set SCREENSHOTS_DIR to keep the editor's screenshot.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, UPS_NUMBERS, type TestApp } from '../support/app.js';
import { launchBrowser, signInAsAdmin, type TestBrowser } from '../support/browser.js';

let app: TestApp;
let browser: TestBrowser;
let page: Page;
const EDITOR = '/admin/templates/en/order_confirmed/email.subject';

beforeAll(async () => {
  app = await startTestApp();
  await app.api('PUT', '/v1/recipients/buyer-1', buyer());
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  browser = await launchBrowser();
  page = await browser.page();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (app) await dropPrefix(app.config.keyPrefix);
});

/** The subject of the order confirmation email that `orderId` produced, read from the outbox. */
async function subjectFor(orderId: string): Promise<string | undefined> {
  expect((await app.api('POST', '/v1/orders', order(orderId))).status).toBe(202);
  const id = await eventually(async () => {
    const list = (await app.api('GET', '/v1/notifications?recipientId=buyer-1')).body.notifications as { id: string; orderId: string; channel: string; status: string }[];
    return list.find((n) => n.orderId === orderId && n.channel === 'email' && n.status === 'sent')?.id;
  }, `email for ${orderId}`);
  const eml = await readFile(join(app.config.outboxDir, 'email', `${id}.eml`), 'utf8');
  return /^Subject: (.*)$/m.exec(eml)?.[1];
}

describe('admin template editor in Chromium', () => {
  it('refuses the pages without a session and sends a browser to sign in', async () => {
    const anonymous = await browser.page();
    await anonymous.context().clearCookies();
    await anonymous.goto(`${app.baseUrl}${EDITOR}`);
    expect(new URL(anonymous.url()).pathname).toBe('/admin/login');
    await anonymous.close();
  });

  it('lists every kind × part for the locale with its origin', async () => {
    await signInAsAdmin(page, app.baseUrl, '/admin');
    const res = await page.goto(`${app.baseUrl}/admin`);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await page.locator(`a[href="${EDITOR}"]`).count()).toBe(1);
    expect(await page.locator('.tag.override').count()).toBe(0);
  });

  it('shows a live preview of the draft, then saves it and the next order confirmation carries it', async () => {
    expect(await subjectFor('o-before')).toBe('Thanks for your order #o-before');
    await page.goto(`${app.baseUrl}${EDITOR}`);
    await expect.poll(() => page.textContent('#preview-text')).toContain('Thanks for your order');
    await page.fill('#source', 'Your order {{order.id}} is confirmed!');
    await expect.poll(() => page.textContent('#preview-text')).toMatch(/^Your order \S+ is confirmed!$/);
    if (process.env.SCREENSHOTS_DIR) {
      mkdirSync(process.env.SCREENSHOTS_DIR, { recursive: true });
      await page.screenshot({ path: join(process.env.SCREENSHOTS_DIR, 'admin-editor.png'), fullPage: true });
    }
    await Promise.all([page.waitForURL(/saved=1$/), page.click('button[value=save]')]);
    expect(await page.textContent('#origin')).toBe('override v1');
    expect(await subjectFor('o-after')).toBe('Your order o-after is confirmed!');
  });

  it('shows a refused template inline with line and column, and stores nothing', async () => {
    await page.fill('#source', 'Hello\n{{#if order.id}}unclosed');
    await page.click('button[value=save]');
    expect(await page.textContent('#problems')).toMatch(/Line 2, column \d+/);
    expect((await app.api('GET', '/v1/templates/en/order_confirmed/email.subject/versions')).body.versions).toHaveLength(1);
  });

  it('works without JavaScript: the Preview button renders the draft server-side', async () => {
    const res = await page.request.post(`${app.baseUrl}${EDITOR}`, {
      form: { _csrf: (await page.getAttribute('#editor', 'data-csrf'))!, source: 'Plain {{order.id}}', action: 'preview' },
    });
    expect(res.status()).toBe(200);
    expect(await res.text()).toMatch(/<pre id="preview-text">Plain \S+<\/pre>/);
    expect((await app.api('GET', '/v1/templates/en/order_confirmed/email.subject/versions')).body.versions).toHaveLength(1);
  });

  it('a form post without the CSRF token is refused and changes nothing', async () => {
    const res = await page.request.post(`${app.baseUrl}${EDITOR}`, { form: { source: 'Forged', action: 'save' } });
    expect(res.status()).toBe(403);
    expect((await app.api('GET', '/v1/templates/en/order_confirmed/email.subject')).body.source).not.toBe('Forged');
  });

  it('back to the file, then a rollback restores the saved version for the next notification', async () => {
    await page.goto(`${app.baseUrl}${EDITOR}`);
    await Promise.all([page.waitForURL(/reverted=1$/), page.click('text=Use the file default again')]);
    expect(await page.textContent('#origin')).toBe('file default');
    expect(await subjectFor('o-file')).toBe('Thanks for your order #o-file');
    await page.fill('#source', 'Second text {{order.id}}');
    await Promise.all([page.waitForURL(/saved=2$/), page.click('button[value=save]')]);
    expect(await subjectFor('o-v2')).toBe('Second text o-v2');
    await Promise.all([page.waitForURL(/saved=3$/), page.click('button[name=rollback][value="1"]')]);
    expect(await page.textContent('#origin')).toBe('override v3');
    expect(await page.textContent('table')).toContain('rollback to v1');
    expect(await subjectFor('o-rolled-back')).toBe('Your order o-rolled-back is confirmed!');
  });

  it('previews an HTML part in a sandboxed iframe and an SMS with its segment count', async () => {
    await page.goto(`${app.baseUrl}/admin/templates/en/order_confirmed/email.html`);
    const frame = page.locator('#preview-frame');
    await expect.poll(() => frame.getAttribute('sandbox')).toBe('');
    await page.fill('#source', '<p id="x">Hi {{recipient.name}}</p><script>parent.document.title="pwned"</script>');
    await expect.poll(async () => (await frame.getAttribute('srcdoc')) ?? (await frame.evaluate((f: HTMLIFrameElement) => f.srcdoc))).toContain('Hi ');
    await page.waitForTimeout(300);
    expect(await page.title()).not.toBe('pwned');
    await page.goto(`${app.baseUrl}/admin/templates/en/order_confirmed/sms`);
    await expect.poll(() => page.textContent('#preview-meta')).toMatch(/^1 segment, GSM-7, \d+ characters$/);
  });

  it('searches the notification log and shows one notification\'s trail', async () => {
    await page.goto(`${app.baseUrl}/admin/notifications`);
    await page.fill('input[name=recipientId]', 'buyer-1');
    await Promise.all([page.waitForURL(/recipientId=buyer-1/), page.click('text=Search')]);
    const rows = page.locator('#log tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(5);
    expect(await page.textContent('#log')).toContain('order_confirmed');
    await Promise.all([page.waitForURL(/\/admin\/notifications\/[^?]+$/), page.locator('#log tbody tr', { has: page.locator('td', { hasText: /^sent$/ }) }).first().locator('a').click()]);
    expect(await page.textContent('#status')).toBe('sent');
    const steps = await page.locator('#trail tbody tr td:nth-child(2)').allTextContents();
    expect(steps).toEqual(expect.arrayContaining(['preference_decision', 'render', 'provider_answer']));
    await page.goto(`${app.baseUrl}/admin/notifications?shipmentId=${encodeURIComponent('<bad id>')}`);
    expect(await page.locator('.error').count()).toBe(1);
  });

  it('edits the per-kind defaults: a refusal shows inline and stores nothing, a valid table is saved', async () => {
    await page.goto(`${app.baseUrl}/admin/defaults`);
    await page.fill('#overrides', '{"shipped": {"buyer": ["fax"]}}');
    await page.click('text=Save defaults');
    expect(await page.textContent('#problems')).toContain('overrides.shipped.buyer.0');
    expect((await app.api('GET', '/v1/defaults')).body.overrides).toEqual({});
    await page.fill('#overrides', '{"shipped": {"buyer": ["email", "sms"]}}');
    await Promise.all([page.waitForURL(/saved=1$/), page.click('text=Save defaults')]);
    expect((await app.api('GET', '/v1/defaults')).body.overrides).toEqual({ shipped: { buyer: ['email', 'sms'] } });
    expect(await page.textContent('#effective')).toMatch(/shipped override\s*email, sms/);
  });

  it('shows a shipment\'s timeline and links to its notifications', async () => {
    const created = await app.api('POST', '/v1/shipments', { orderId: 'o-after', trackingNumber: UPS_NUMBERS[0] });
    const shipmentId = created.body.shipmentId as string;
    const scan = { time: '2026-11-18T12:10:00Z', status: 'in_transit', description: 'Picked up <by> carrier', location: 'Louisville, KY' };
    await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'in_transit', events: [scan] });
    await eventually(async () => (await app.api('GET', `/v1/shipments/${shipmentId}`)).body.shipment.status === 'in_transit', 'the scan applied');
    await page.goto(`${app.baseUrl}/admin/shipments`);
    await page.fill('input[name=id]', shipmentId);
    await page.click('text=Open');
    expect(await page.textContent('#timeline')).toContain('Picked up <by> carrier');
    expect(await page.textContent('#shipment-status')).toBe('in_transit');
    await page.click('text=Notifications for this shipment');
    await expect.poll(() => page.url()).toContain(`shipmentId=${encodeURIComponent(shipmentId)}`);
  });
});
