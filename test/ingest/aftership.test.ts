import { describe, expect, it } from 'vitest';
import { aftershipCarrier, aftershipSource, signAftership } from '../../src/ingest/aftership.js';
import { WebhookSecretError, WebhookSignatureError } from '../../src/ingest/errors.js';
import { onlyUpdate, parse, request, SECRET, thrown, trackingBody, VECTOR_BODY, VECTOR_SIGNATURE, verify } from './aftership-payloads.js';

describe('AfterShip signature', () => {
  it('accepts our independently computed vector, and signAftership reproduces it', () => {
    expect(signAftership(SECRET, Buffer.from(VECTOR_BODY))).toBe(VECTOR_SIGNATURE);
    expect(() => verify(VECTOR_BODY, { 'aftership-hmac-sha256': VECTOR_SIGNATURE })).not.toThrow();
  });

  it('accepts the Returns/Warranty header and the prefixed am-webhook-signature of Shipping and legacy Returns', () => {
    expect(() => verify(VECTOR_BODY, { 'as-signature-hmac-sha256': VECTOR_SIGNATURE })).not.toThrow();
    expect(() => verify(VECTOR_BODY, { 'am-webhook-signature': `hmac-sha256=${VECTOR_SIGNATURE}` })).not.toThrow();
    expect(() => verify(VECTOR_BODY, { 'am-webhook-signature': VECTOR_SIGNATURE })).not.toThrow();
  });

  it('matches header names case-insensitively, as AfterShip\u2019s docs write Aftership-Hmac-Sha256', () => {
    expect(() => verify(VECTOR_BODY, { 'Aftership-Hmac-Sha256': VECTOR_SIGNATURE })).not.toThrow();
  });

  it('accepts a repeated header when one of its values matches', () => {
    expect(() => verify(VECTOR_BODY, { 'aftership-hmac-sha256': ['bm90IGl0', VECTOR_SIGNATURE] })).not.toThrow();
  });

  it('refuses a body changed by one byte, a re-serialized body, and another secret', () => {
    const headers = { 'aftership-hmac-sha256': VECTOR_SIGNATURE };
    for (const body of [VECTOR_BODY.replace('OutForDelivery"', 'Delivered"'), JSON.stringify(JSON.parse(VECTOR_BODY), null, 1)]) {
      expect(thrown(() => verify(body, headers))).toMatchObject({ code: 'invalid_signature', reason: 'no_matching_signature' });
    }
    const error = thrown(() => verify(VECTOR_BODY, headers, 'another secret'));
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(error).toMatchObject({ field: 'aftership-hmac-sha256', reason: 'no_matching_signature' });
  });

  it('refuses short, empty-after-prefix and differently encoded signatures without throwing on their length', () => {
    const hex = Buffer.from(VECTOR_SIGNATURE, 'base64').toString('hex');
    for (const value of ['short', 'hmac-sha256=', hex, `${VECTOR_SIGNATURE}=`, VECTOR_SIGNATURE.toLowerCase()]) {
      expect(thrown(() => verify(VECTOR_BODY, { 'aftership-hmac-sha256': value }))).toMatchObject({ reason: 'no_matching_signature' });
    }
  });

  it('refuses a delivery with no signature header, naming the Tracking header', () => {
    expect(thrown(() => verify(VECTOR_BODY, {}))).toMatchObject({ reason: 'missing_header', field: 'aftership-hmac-sha256' });
    expect(thrown(() => verify(VECTOR_BODY, { 'aftership-hmac-sha256': '   ' }))).toMatchObject({ reason: 'missing_header' });
  });

  it('reports a missing secret as the operator\u2019s problem, and says the route is off', () => {
    const signed = request(VECTOR_BODY, { 'aftership-hmac-sha256': VECTOR_SIGNATURE });
    expect(thrown(() => aftershipSource.verify(signed, {}))).toBeInstanceOf(WebhookSecretError);
    expect(thrown(() => aftershipSource.verify(signed, {}))).toMatchObject({ code: 'invalid_webhook_secret' });
    expect(thrown(() => verify(VECTOR_BODY, { 'aftership-hmac-sha256': VECTOR_SIGNATURE }, ''))).toBeInstanceOf(WebhookSecretError);
    expect(aftershipSource.secret({})).toBeUndefined();
    expect(aftershipSource.secret({ aftershipWebhookSecret: '' })).toBeUndefined();
    expect(aftershipSource.secret({ aftershipWebhookSecret: SECRET })).toBe(SECRET);
    expect(aftershipSource.name).toBe('aftership');
  });
});

describe('AfterShip tracking_update', () => {
  it('maps the Tracking object and its checkpoints, keeping AfterShip\u2019s words', () => {
    const update = onlyUpdate(trackingBody());
    expect(update).toEqual({
      trackingNumber: '1Z999AA10123456784',
      carrier: 'ups',
      status: 'in_transit',
      rawStatus: 'InTransit/InTransit_003',
      events: [
        {
          time: '2026-11-20T14:15:00.000Z',
          status: 'in_transit',
          description: 'Arrived at Facility',
          location: 'Louisville, KY, United States',
          source: 'aftership',
          rawStatus: 'InTransit',
          rawSubStatus: 'InTransit_003',
          rawCode: 'AR',
        },
      ],
    });
  });

  it('uses event_id as the delivery id, so a redelivery is recognized', () => {
    expect(parse(trackingBody())).toMatchObject({ kind: 'tracking', deliveryId: '9e0d8c2a-51b7-4e3f-8a6d-0c1b2a3f4e5d' });
  });

  it('falls back to a digest of the exact bytes when event_id is missing', () => {
    const body = trackingBody({}, { event_id: undefined });
    const first = parse(body).deliveryId;
    expect(first).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(parse(body).deliveryId).toBe(first);
    expect(parse(trackingBody({ tag: 'Delivered' }, { event_id: undefined })).deliveryId).not.toBe(first);
  });

  it('maps the Tracking object\u2019s tag and sub-tag, and each checkpoint\u2019s own', () => {
    const update = onlyUpdate(
      trackingBody({
        tag: 'Exception',
        subtag: 'Exception_010',
        checkpoints: [
          { checkpoint_time: '2026-11-20T08:00:00Z', tag: 'AttemptFail', subtag: 'AttemptFail_002', message: 'Nobody home' },
          { checkpoint_time: '2026-11-21T08:00:00Z', tag: 'Exception', subtag: 'Exception_010', message: 'Return to sender' },
        ],
      }),
    );
    expect(update).toMatchObject({ status: 'return_to_sender', subStatus: 'returning', rawStatus: 'Exception/Exception_010' });
    expect(update.events.map((e) => [e.status, e.subStatus])).toEqual([
      ['delivery_attempted', 'recipient_unavailable'],
      ['return_to_sender', 'returning'],
    ]);
  });

  it('keeps a sub-tag AfterShip adds later, mapped to the nearest status', () => {
    const update = onlyUpdate(
      trackingBody({
        tag: 'Exception',
        subtag: 'Exception_042',
        checkpoints: [{ checkpoint_time: '2026-11-20T08:00:00Z', tag: 'Exception', subtag: 'Exception_042', message: 'Held by a new kind of problem' }],
      }),
    );
    expect(update).toMatchObject({ status: 'exception', subStatus: 'other', rawStatus: 'Exception/Exception_042' });
    expect(update.events[0]).toMatchObject({ status: 'exception', subStatus: 'other', rawSubStatus: 'Exception_042' });
  });

  it('keeps an unknown tag as unknown rather than refusing the delivery', () => {
    const update = onlyUpdate(trackingBody({ tag: 'Teleported', subtag: 'Teleported_001', checkpoints: [] }));
    expect(update).toMatchObject({ status: 'unknown', rawStatus: 'Teleported/Teleported_001' });
  });

  it('reads checkpoint times with an offset, in UTC, and local times without one as UTC', () => {
    const times = onlyUpdate(
      trackingBody({
        checkpoints: [
          { checkpoint_time: '2026-11-20T09:15:00+09:00', tag: 'InTransit' },
          { checkpoint_time: '2026-11-20T09:15:00', tag: 'InTransit' },
          { checkpoint_time: '2026-11-20 09:15:00+0530', tag: 'InTransit' },
        ],
      }),
    ).events.map((e) => e.time);
    expect(times).toEqual(['2026-11-20T00:15:00.000Z', '2026-11-20T09:15:00.000Z', '2026-11-20T03:45:00.000Z']);
  });

  it('builds a location from the checkpoint\u2019s parts or falls back to its location text', () => {
    const locations = onlyUpdate(
      trackingBody({
        checkpoints: [
          { checkpoint_time: '2026-11-20T01:00:00Z', tag: 'InTransit', city: 'Köln', country_name: 'Germany', country_iso3: 'DEU' },
          { checkpoint_time: '2026-11-20T02:00:00Z', tag: 'InTransit', location: 'HUB 7, LEIPZIG', country_iso3: 'DEU' },
          { checkpoint_time: '2026-11-20T03:00:00Z', tag: 'InTransit', country_region: 'DEU' },
          { checkpoint_time: '2026-11-20T04:00:00Z', tag: 'InTransit', city: 42, location: '' },
        ],
      }),
    ).events.map((e) => e.location);
    expect(locations).toEqual(['Köln, Germany', 'HUB 7, LEIPZIG', 'DEU', undefined]);
  });

  it('describes a checkpoint by its message, else its sub-tag message, else its tag', () => {
    const descriptions = onlyUpdate(
      trackingBody({
        checkpoints: [
          { checkpoint_time: '2026-11-20T01:00:00Z', tag: 'InTransit', subtag_message: 'Departure scan' },
          { checkpoint_time: '2026-11-20T02:00:00Z', tag: 'InTransit', message: '  ' },
        ],
      }),
    ).events.map((e) => e.description);
    expect(descriptions).toEqual(['Departure scan', 'InTransit']);
  });

  it('gives signed_by and the delivery checkpoint\u2019s time and place as proof', () => {
    const update = onlyUpdate(
      trackingBody({
        tag: 'Delivered',
        subtag: 'Delivered_003',
        signed_by: 'M. OKAFOR',
        checkpoints: [
          { checkpoint_time: '2026-11-22T07:55:00Z', tag: 'OutForDelivery', city: 'Dayton', state: 'OH' },
          { checkpoint_time: '2026-11-22T15:02:00Z', tag: 'Delivered', subtag: 'Delivered_003', city: 'Dayton', state: 'OH', message: 'Delivered' },
        ],
      }),
    );
    expect(update.status).toBe('delivered');
    expect(update.proof).toEqual({ signedBy: 'M. OKAFOR', time: '2026-11-22T15:02:00.000Z', location: 'Dayton, OH' });
    expect(onlyUpdate(trackingBody()).proof).toBeUndefined();
  });

  it('maps carrier slugs to the families the tracking-number data knows', () => {
    expect(['ups', 'usps', 'fedex', 'dhl', 'fedex-uk', 'ups-mi', 'dhl-global-mail', 'dhlparcel-nl', 'USPS'].map(aftershipCarrier)).toEqual([
      'ups', 'usps', 'fedex', 'dhl', 'fedex', 'ups', 'dhl', 'dhl', 'usps',
    ]);
    expect(aftershipCarrier('royal-mail')).toBe('royal-mail');
    expect(onlyUpdate(trackingBody({ slug: undefined })).carrier).toBeUndefined();
  });
});
