/** `PATCH /v1/recipients/:id/preferences` (issue "Delivery policy and compliance", point 1): merge, remove with null, validate. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mergePreferences } from '../../src/http/api-preferences.js';
import type { Preferences } from '../../src/domain/types.js';
import { buyer, dropPrefix, startTestApp, type TestApp } from '../support/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ workers: [] });
});
afterAll(async () => {
  await app.close();
  await dropPrefix(app.config.keyPrefix);
});

const initial: Preferences = {
  channels: { sms: { enabled: false } },
  kinds: { delayed: { email: false }, shipped: { push: true } },
  quietHours: { start: '21:00', end: '08:00' },
};

describe('mergePreferences', () => {
  it.each<[string, Parameters<typeof mergePreferences>[1], Preferences]>([
    ['an empty patch changes nothing', {}, initial],
    ['adds a channel of a kind, keeping its others', { kinds: { delayed: { push: false } } }, { ...initial, kinds: { delayed: { email: false, push: false }, shipped: { push: true } } }],
    ['adds a new kind', { kinds: { exception: { sms: false } } }, { ...initial, kinds: { ...initial.kinds, exception: { sms: false } } }],
    ['null removes one channel of a kind', { kinds: { shipped: { push: null, email: true } } }, { ...initial, kinds: { delayed: { email: false }, shipped: { email: true } } }],
    ['null removes a whole kind', { kinds: { delayed: null } }, { ...initial, kinds: { shipped: { push: true } } }],
    ['removing the last override drops kinds', { kinds: { delayed: null, shipped: { push: null } } }, { channels: initial.channels!, quietHours: initial.quietHours! }],
    ['sets a channel switch', { channels: { email: { enabled: false } } }, { ...initial, channels: { sms: { enabled: false }, email: { enabled: false } } }],
    ['null removes a channel switch', { channels: { sms: null } }, { kinds: initial.kinds!, quietHours: initial.quietHours! }],
    ['replaces quiet hours', { quietHours: { start: '22:00', end: '06:30' } }, { ...initial, quietHours: { start: '22:00', end: '06:30' } }],
    ['null removes quiet hours', { quietHours: null }, { channels: initial.channels!, kinds: initial.kinds! }],
  ])('%s', (_what, patch, expected) => {
    const before = structuredClone(initial);
    expect(mergePreferences(initial, patch)).toEqual(expected);
    expect(initial).toEqual(before);
  });
});

describe('PATCH /v1/recipients/:id/preferences', () => {
  beforeEach(async () => {
    await app.api('PUT', '/v1/recipients/buyer-1', buyer({ preferences: initial }));
    await app.deps.stores.recipients.suppress('buyer-1', 'email', 'hard bounce: 550', new Date('2026-11-18T12:00:00Z'));
  });

  it('merges and returns the new preferences, keeping suppressions', async () => {
    const res = await app.api('PATCH', '/v1/recipients/buyer-1/preferences', { kinds: { delayed: { push: false }, shipped: null }, quietHours: null });
    expect(res.status).toBe(200);
    const expected = { channels: { sms: { enabled: false } }, kinds: { delayed: { email: false, push: false } } };
    expect(res.body).toEqual({ recipientId: 'buyer-1', preferences: expected });
    const stored = (await app.api('GET', '/v1/recipients/buyer-1')).body;
    expect(stored.preferences).toEqual(expected);
    expect(stored.suppressed.email.reason).toBe('hard bounce: 550');
  });

  it.each([
    ['an unknown kind', { kinds: { teleported: { email: true } } }, 'kinds'],
    ['an unknown channel', { kinds: { delayed: { fax: true } } }, 'kinds.delayed'],
    ['a non-boolean switch', { channels: { sms: { enabled: 'yes' } } }, 'channels.sms.enabled'],
    ['a bad time of day', { quietHours: { start: '25:00', end: '08:00' } }, 'quietHours.start'],
    ['an unknown field', { timezone: 'UTC' }, 'body'],
    ['a body that is not an object', [1, 2], 'body'],
  ])('refuses %s, naming the field, and stores nothing', async (_what, body, field) => {
    const before = (await app.api('GET', '/v1/recipients/buyer-1')).body;
    const res = await app.api('PATCH', '/v1/recipients/buyer-1/preferences', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await app.api('GET', '/v1/recipients/buyer-1')).body).toEqual(before);
  });

  it('answers 404 for an unknown recipient and creates nothing', async () => {
    const res = await app.api('PATCH', '/v1/recipients/nobody/preferences', { quietHours: null });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_found', details: [{ field: 'id' }] });
    expect((await app.api('GET', '/v1/recipients/nobody')).status).toBe(404);
  });

  it('needs the admin token', async () => {
    const res = await app.api('PATCH', '/v1/recipients/buyer-1/preferences', { quietHours: null }, { authorization: 'Bearer nope' });
    expect(res.status).toBe(401);
    expect((await app.api('GET', '/v1/recipients/buyer-1')).body.preferences).toEqual(initial);
  });
});
