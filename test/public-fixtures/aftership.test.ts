/**
 * The public AfterShip vectors in `../shared/fixtures/aftership/` (see its README for provenance):
 * Hookdeck's restatements of AfterShip's documented webhook samples for every product, with signatures
 * computed over their exact bytes, and the invalid cases of the same test suite.
 */
import { describe, expect, it } from 'vitest';
import { aftershipSource } from '../../src/ingest/aftership.js';
import { WebhookPayloadError, WebhookSecretError, WebhookSignatureError } from '../../src/ingest/errors.js';
import type { WebhookHeaders, WebhookRequest } from '../../src/ingest/source.js';
import { fixtureBytes, fixtureJson, HAVE_FIXTURES, noteMissingFixtures } from '../support/fixtures.js';

interface Vector {
  name: string;
  header: string | null;
  header_value: string | null;
  raw_body?: string;
  raw_body_ref?: string;
  secret?: null;
  expected?: Record<string, string>;
}

interface VectorFile {
  secret: string;
  tracking_tags: string[];
  valid: Vector[];
  invalid: Vector[];
  other: Vector[];
}

/** SPEC's status table, AfterShip column. */
const SPEC_ROW: Record<string, string> = {
  Pending: 'pending',
  InfoReceived: 'label_created',
  InTransit: 'in_transit',
  OutForDelivery: 'out_for_delivery',
  AttemptFail: 'delivery_attempted',
  Delivered: 'delivered',
  AvailableForPickup: 'available_for_pickup',
  Exception: 'exception',
  Expired: 'expired',
};

const request = (body: Buffer, header: string | null, value: string | null): WebhookRequest => ({
  headers: (header === null || value === null ? {} : { [header]: value }) satisfies WebhookHeaders,
  rawBody: body,
  query: {},
  now: new Date(),
});

it('says in one line when the public fixtures are absent', () => {
  noteMissingFixtures();
  expect(typeof HAVE_FIXTURES).toBe('boolean');
});

describe.runIf(HAVE_FIXTURES)('public AfterShip vectors', () => {
  const file = () => fixtureJson<VectorFile>('aftership', 'webhook-signature-vectors.json');
  const bodyOf = (vector: Vector, all: VectorFile): Buffer => {
    const raw = vector.raw_body ?? all.valid.find((v) => v.name === vector.raw_body_ref)?.raw_body;
    if (raw === undefined) throw new Error(`no body for ${vector.name}`);
    return Buffer.from(raw, 'utf8');
  };

  it('verifies every valid vector, whichever AfterShip product signed it', () => {
    const all = file();
    expect(all.valid.length).toBe(17);
    for (const vector of all.valid) {
      expect(() => aftershipSource.verify(request(bodyOf(vector, all), vector.header, vector.header_value), { aftershipWebhookSecret: all.secret }), vector.name).not.toThrow();
    }
  });

  it('maps the Tracking body of each of the nine tags to SPEC\u2019s row', () => {
    const all = file();
    const seen = new Set<string>();
    for (const vector of all.valid.filter((v) => v.expected?.['msg.tag'] !== undefined)) {
      const tag = vector.expected?.['msg.tag'] as string;
      const parsed = aftershipSource.parse(request(bodyOf(vector, all), vector.header, vector.header_value));
      expect(parsed.kind, vector.name).toBe('tracking');
      if (parsed.kind !== 'tracking') continue;
      expect(parsed.deliveryId).toBe('94dadd60-ed26-46d0-aa52-3ced925a50ff');
      expect(parsed.updates).toHaveLength(1);
      expect(parsed.updates[0]).toMatchObject({ trackingNumber: '0000000000000000', carrier: 'usps', status: SPEC_ROW[tag], rawStatus: `${tag}/${vector.expected?.['msg.subtag']}` });
      seen.add(tag);
    }
    expect([...seen].sort()).toEqual([...all.tracking_tags].sort());
  });

  it('turns the in-transit sample\u2019s checkpoint into an event, reading its zoneless time as UTC', () => {
    const body = fixtureBytes('aftership', 'tracking_update.intransit.raw.json');
    const signed = request(body, 'aftership-hmac-sha256', '8RllmYDdGzN2+DSlTqUujd+3WNVXYpAlqEEVeQAzOaw=');
    aftershipSource.verify(signed, { aftershipWebhookSecret: file().secret });
    const parsed = aftershipSource.parse(signed);
    expect(parsed.kind === 'tracking' && parsed.updates[0]?.events).toEqual([
      {
        time: '2021-01-14T00:52:00.000Z',
        status: 'in_transit',
        description: 'Departed Shipping Partner Facility, USPS Awaiting Item',
        source: 'aftership',
        rawStatus: 'InTransit',
        rawSubStatus: 'InTransit_001',
      },
    ]);
  });

  it('reads edd_revise\u2019s date and ignores the deliveries of other events and products', () => {
    const all = file();
    const byName = (name: string) => all.valid.find((v) => v.name.startsWith(name)) as Vector;
    const parse = (vector: Vector) => aftershipSource.parse(request(bodyOf(vector, all), vector.header, vector.header_value));
    expect(parse(byName('edd_revise'))).toMatchObject({
      kind: 'tracking',
      deliveryId: '0a5f8c6f-0e4f-4ad9-9a0a-1b2c3d4e5f60',
      updates: [{ status: 'in_transit', estimatedDelivery: '2026-10-02', events: [] }],
    });
    expect(parse(byName('tracking_pending_time'))).toMatchObject({ kind: 'ignored', deliveryId: 'b1e1f9a2-3c44-4d55-8e66-7f8899aabbcc' });
    expect(parse(byName('Returns'))).toMatchObject({ kind: 'ignored', deliveryId: '3df04d0cdf3c492fad33a15f753fb960' });
    expect(parse(byName('Warranty'))).toMatchObject({ kind: 'ignored', deliveryId: 'c82422a62a69b4fb17c1c4a35bfcd734b' });
    expect(parse(byName('Shipping'))).toMatchObject({ kind: 'ignored' });
    expect(parse(byName('Legacy Returns'))).toMatchObject({ kind: 'ignored' });
  });

  it('refuses each invalid case the way the source suite expects', () => {
    const all = file();
    for (const vector of all.invalid) {
      const signed = request(bodyOf(vector, all), vector.header, vector.header_value);
      const secrets = vector.secret === null ? {} : { aftershipWebhookSecret: all.secret };
      const expected = vector.secret === null ? WebhookSecretError : WebhookSignatureError;
      expect(() => aftershipSource.verify(signed, secrets), vector.name).toThrow(expected);
    }
    expect(aftershipSource.secret({})).toBeUndefined();
  });

  it('verifies the signed non-JSON body and then refuses it as a bad payload', () => {
    const all = file();
    const vector = all.other[0] as Vector;
    const signed = request(bodyOf(vector, all), vector.header, vector.header_value);
    expect(() => aftershipSource.verify(signed, { aftershipWebhookSecret: all.secret })).not.toThrow();
    expect(() => aftershipSource.parse(signed)).toThrow(WebhookPayloadError);
  });
});
