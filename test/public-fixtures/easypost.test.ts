/**
 * The public EasyPost vectors in `../shared/fixtures/easypost/` (see its README for provenance):
 * EasyPost/examples' webhook signature fixture, a real `tracker.updated` Event, the tracking guide's
 * delivered Event, a `tracker.created` Event without a result, and a retrieved Tracker.
 */
import { describe, expect, it } from 'vitest';
import { easypostSource, signEasypost } from '../../src/ingest/easypost.js';
import { WebhookSignatureError } from '../../src/ingest/errors.js';
import type { ParsedWebhook, WebhookRequest } from '../../src/ingest/source.js';
import { fixtureBytes, fixtureJson, HAVE_FIXTURES, noteMissingFixtures } from '../support/fixtures.js';

interface SignatureFile {
  header_name: string;
  webhook_fixture: { secret: string; hmac_signature: string };
  computed: { valid: { signature: string }[]; invalid: { case: string; signature: string }[] };
}

const request = (body: Buffer, signature?: string): WebhookRequest => ({
  headers: signature === undefined ? {} : { 'x-hmac-signature': signature },
  rawBody: body,
  query: {},
  now: new Date(),
});
const parseFile = (name: string): ParsedWebhook => easypostSource.parse(request(fixtureBytes('easypost', name)));

it('says in one line when the public fixtures are absent', () => {
  noteMissingFixtures();
  expect(typeof HAVE_FIXTURES).toBe('boolean');
});

describe.runIf(HAVE_FIXTURES)('public EasyPost vectors', () => {
  const signatures = () => fixtureJson<SignatureFile>('easypost', 'webhook-signature.json');

  it('verifies EasyPost\u2019s own signature byte for byte over the signed bytes, with the NFKD secret', () => {
    const { webhook_fixture, header_name, computed } = signatures();
    const body = fixtureBytes('easypost', 'event-body.signed-bytes.json');
    expect(header_name.toLowerCase()).toBe('x-hmac-signature');
    expect(signEasypost(webhook_fixture.secret, body)).toBe(webhook_fixture.hmac_signature);
    expect(() => easypostSource.verify(request(body, webhook_fixture.hmac_signature), { easypostWebhookSecret: webhook_fixture.secret })).not.toThrow();
    for (const { signature } of computed.valid) {
      expect(() => easypostSource.verify(request(body, signature), { easypostWebhookSecret: webhook_fixture.secret })).not.toThrow();
    }
  });

  it('refuses the file with its trailing newline, and every signature computed another way', () => {
    const { webhook_fixture, computed } = signatures();
    const secrets = { easypostWebhookSecret: webhook_fixture.secret };
    const signedBytes = fixtureBytes('easypost', 'event-body.signed-bytes.json');
    const withNewline = fixtureBytes('easypost', 'event-body.json');
    expect(() => easypostSource.verify(request(withNewline, webhook_fixture.hmac_signature), secrets)).toThrow(WebhookSignatureError);
    expect(computed.invalid.length).toBe(3);
    for (const { case: name, signature } of computed.invalid) {
      expect(() => easypostSource.verify(request(signedBytes, signature), secrets), name).toThrow(WebhookSignatureError);
    }
    // The "whole file" case is a genuine signature of the other bytes: we sign bytes, not parsed JSON.
    const wholeFile = computed.invalid.find(({ case: name }) => name.startsWith('whole event-body.json file'));
    expect(signEasypost(webhook_fixture.secret, withNewline)).toBe(wholeFile?.signature);
  });

  it('maps the real tracker.updated Event: FedEx, in transit, seven details, the local estimate', () => {
    const parsed = parseFile('event-body.signed-bytes.json');
    expect(parsed).toMatchObject({ kind: 'tracking', deliveryId: 'evt_1' });
    if (parsed.kind !== 'tracking') return;
    const [update] = parsed.updates;
    expect(update).toMatchObject({ trackingNumber: '1', carrier: 'fedex', status: 'in_transit', estimatedDelivery: '2024-08-05', rawStatus: 'in_transit/arrived_at_facility' });
    expect(update?.events).toHaveLength(7);
    expect(update?.events[0]).toEqual({
      time: '2024-07-31T15:00:00.000Z',
      status: 'label_created',
      description: 'Shipment information sent to FedEx',
      location: '32837, US',
      source: 'easypost',
      rawStatus: 'pre_transit',
      rawSubStatus: 'label_created',
      rawCode: 'OC',
    });
    expect(update?.events[1]).toMatchObject({ status: 'in_transit', location: 'ORLANDO, FL 32809, US', rawCode: 'PU' });
    expect(update?.proof).toBeUndefined();
  });

  it('maps the tracking guide\u2019s delivered Event, tolerating its older shape, with signed_by as proof', () => {
    const parsed = parseFile('event-tracker-updated.delivered.json');
    expect(parsed).toMatchObject({ kind: 'tracking', deliveryId: 'evt_...' });
    if (parsed.kind !== 'tracking') return;
    const [update] = parsed.updates;
    expect(update).toMatchObject({
      trackingNumber: 'EZ4000000004',
      carrier: 'ups',
      status: 'delivered',
      estimatedDelivery: '2014-11-27',
      proof: { signedBy: 'John Tester', time: '2014-11-19T10:51:54.000Z', location: 'SAN FRANCISCO, CA, US' },
    });
    expect(update?.events.map((e) => e.status)).toEqual(['label_created', 'in_transit', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered']);
    expect(update?.events.every((e) => e.rawSubStatus === undefined)).toBe(true);
  });

  it('ignores tracker.created without a result', () => {
    expect(parseFile('event-retrieve.tracker-created.json')).toEqual({
      kind: 'ignored',
      deliveryId: 'evt_ad2365c22d1511f0b5364ffbb3e7a1f1',
      reason: 'tracker.created without a Tracker in result',
    });
  });

  it('maps a retrieved Tracker delivered inside an Event: USPS, label created, its estimate', () => {
    const tracker = fixtureJson<Record<string, unknown>>('easypost', 'tracker-retrieve.pre_transit.json');
    const body = Buffer.from(JSON.stringify({ id: 'evt_wrapped', object: 'Event', description: 'tracker.updated', result: tracker }));
    const parsed = easypostSource.parse(request(body));
    expect(parsed).toMatchObject({
      kind: 'tracking',
      updates: [{ trackingNumber: 'EZ1000000001', carrier: 'usps', status: 'label_created', estimatedDelivery: '2025-05-09T20:40:17Z' }],
    });
    if (parsed.kind === 'tracking') expect(parsed.updates[0]?.events.map((e) => e.location)).toEqual([undefined, 'HOUSTON, TX 77063']);
  });
});
