/**
 * Issue "Admins and buyers at the controls", points 5 and 7, in real Chromium: a buyer opens the signed
 * preference link from a message, turns SMS off, saves, and the next out-for-delivery sends no SMS (the
 * decision is recorded as skipped). Set SCREENSHOTS_DIR to keep the page's screenshot.
 */
import { createECDH } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipientLinks } from '../../src/domain/links.js';
import { buyer, dropPrefix, eventually, order, seller, startTestApp, testClock, UPS_NUMBERS, type TestApp } from '../support/app.js';
import { launchBrowser, type TestBrowser } from '../support/browser.js';

let app: TestApp;
let browser: TestBrowser;
const clock = testClock();

beforeAll(async () => {
  app = await startTestApp({ now: clock.now });
  await app.api('PUT', '/v1/recipients/buyer-1', buyer({ phone: '+12125550142' }));
  await app.api('PUT', '/v1/recipients/seller-1', seller());
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (app) await dropPrefix(app.config.keyPrefix);
});

interface Note {
  kind: string;
  channel: string;
  status: string;
  reason?: string;
  shipmentId?: string;
}
const notifications = async (): Promise<Note[]> => (await app.api('GET', '/v1/notifications?recipientId=buyer-1')).body.notifications;

async function outForDelivery(shipmentId: string): Promise<Note[]> {
  const ofd = { time: '2026-11-18T12:30:00Z', status: 'out_for_delivery', description: 'Out for delivery', location: 'Brooklyn, NY, US' };
  expect((await app.api('POST', '/v1/tracking-updates', { shipmentId, status: 'out_for_delivery', events: [ofd] })).status).toBe(202);
  return eventually(async () => {
    const mine = (await notifications()).filter((n) => n.shipmentId === shipmentId && n.kind === 'out_for_delivery');
    return mine.some((n) => n.channel === 'sms') && mine.every((n) => n.status !== 'queued' && n.status !== 'pending') ? mine : null;
  }, 'out_for_delivery decisions');
}

async function newShipment(orderId: string, trackingNumber: string): Promise<string> {
  expect((await app.api('POST', '/v1/orders', order(orderId))).status).toBe(202);
  const res = await app.api('POST', '/v1/shipments', { orderId, trackingNumber });
  expect(res.status).toBe(201);
  return res.body.shipmentId as string;
}

describe('buyer preference center in Chromium', () => {
  it('before: out for delivery is texted', async () => {
    const decisions = await outForDelivery(await newShipment('o-1', UPS_NUMBERS[0]!));
    expect(decisions.find((n) => n.channel === 'sms')).toMatchObject({ status: 'sent' });
  });

  it('the buyer turns SMS off through the signed link and the next out for delivery sends no SMS', async () => {
    const link = recipientLinks(app.baseUrl, app.config.signingSecret, 'buyer-1', 'email', clock.now()).preferences;
    const page = await browser.page();
    const res = await page.goto(link);
    expect(res!.status()).toBe(200);
    expect(res!.headers()['content-security-policy']).toContain("default-src 'none'");
    const sms = page.locator('input[name="channel.sms"]');
    expect(await sms.isChecked()).toBe(true);
    await sms.uncheck();
    if (process.env.SCREENSHOTS_DIR) {
      mkdirSync(process.env.SCREENSHOTS_DIR, { recursive: true });
      await page.screenshot({ path: join(process.env.SCREENSHOTS_DIR, 'preference-center.png'), fullPage: true });
    }
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=save]')]);
    await expect.poll(() => page.locator('.ok').count()).toBe(1);
    expect((await app.api('GET', '/v1/recipients/buyer-1')).body.preferences.channels.sms.enabled).toBe(false);

    const smsBefore = (await readdir(join(app.config.outboxDir, 'sms')).catch(() => [])).length;
    const decisions = await outForDelivery(await newShipment('o-2', UPS_NUMBERS[1]!));
    expect(decisions.find((n) => n.channel === 'sms')).toMatchObject({ status: 'skipped', reason: 'preference_off' });
    expect((await readdir(join(app.config.outboxDir, 'sms')).catch(() => [])).length).toBe(smsBefore);
    await page.close();
  });

  it('"get browser notifications": no key configured means a disabled button that says so', async () => {
    const link = recipientLinks(app.baseUrl, app.config.signingSecret, 'buyer-1', 'email', clock.now()).preferences;
    const page = await browser.page();
    await page.goto(link);
    await Promise.all([page.waitForURL(/\/preferences\/push\?token=/), page.click('text=Get browser notifications on this device')]);
    await expect.poll(() => page.textContent('#push-status')).toContain('not set up');
    expect(await page.isDisabled('#push-subscribe')).toBe(true);
    await page.close();
  });

  it('with a VAPID key the button registers the service worker and asks for a subscription, which fails for want of a push service', { timeout: 45_000 }, async () => {
    const vapidPublicKey = createECDH('prime256v1').generateKeys().toString('base64url');
    const link = recipientLinks(app.baseUrl, app.config.signingSecret, 'buyer-1', 'email', clock.now()).preferences.replace('/preferences?', '/preferences/push?');
    await browser.context.grantPermissions(['notifications'], { origin: app.baseUrl });
    const page = await browser.page();
    // The server has no key until it is configured; the page is fetched for real and only the key is filled in.
    await page.route(/\/preferences\/push\?token=/, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, body: (await res.text()).replace('data-key=""', `data-key="${vapidPublicKey}"`) });
    });
    const res = await page.goto(link);
    expect(res!.headers()['content-security-policy']).toContain("worker-src 'self'");
    await expect.poll(() => page.isDisabled('#push-subscribe')).toBe(false);
    await page.click('#push-subscribe');
    await expect.poll(() => page.textContent('#push-status'), { timeout: 15_000 }).toMatch(/could not be turned on/);
    expect(await page.textContent('#push-status')).toMatch(/could not be turned on: .*push service/i);
    const worker = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration('/'))?.active?.scriptURL);
    expect(worker).toBe(`${app.baseUrl}/push-sw.js`);
    expect((await app.api('GET', '/v1/recipients/buyer-1')).body.pushSubscriptions).toEqual([]);

    // What the script does next, with the subscription a push service would have returned: the signed save.
    const subscription = { endpoint: 'https://push.example.com/send/abc', keys: { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: 'AAAAAAAAAAAAAAAAAAAAAA' } };
    const form = (await page.getAttribute('#push-subscribe', 'data-form'))!;
    const save = (await page.getAttribute('#push-subscribe', 'data-save'))!;
    const post = (body: unknown) =>
      page.evaluate(async ([url, b]) => (await fetch(url as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })).status, [save, body] as const);
    expect(await post({ form: 'forged', subscription })).toBe(403);
    expect(await post({ form, subscription: { ...subscription, endpoint: 'http://insecure.example.com/' } })).toBe(400);
    expect((await app.api('GET', '/v1/recipients/buyer-1')).body.pushSubscriptions).toEqual([]);
    expect(await post({ form, subscription })).toBe(200);
    expect((await app.api('GET', '/v1/recipients/buyer-1')).body.pushSubscriptions).toMatchObject([{ endpoint: subscription.endpoint }]);
    await page.close();
  });
});
