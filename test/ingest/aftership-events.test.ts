import { describe, expect, it } from 'vitest';
import { applyUpdate, DEFAULT_DIFF_OPTIONS } from '../../src/domain/diff.js';
import { newShipmentState } from '../../src/domain/shipment.js';
import type { ShipmentState } from '../../src/domain/types.js';
import { WebhookPayloadError } from '../../src/ingest/errors.js';
import type { SourceUpdate } from '../../src/ingest/source.js';
import { onlyUpdate, parse, thrown, trackingBody } from './aftership-payloads.js';

describe('AfterShip estimated delivery', () => {
  it('takes edd_revise\u2019s revised AfterShip EDD, as the event exists to announce it', () => {
    const body = trackingBody(
      {
        checkpoints: [],
        courier_estimated_delivery_date: { estimated_delivery_date: '2026-11-24' },
        aftership_estimated_delivery_date: { estimated_delivery_date: '2026-11-26', confidence_code: 'HIGH', estimated_pickup: null },
      },
      { event: 'edd_revise' },
    );
    expect(onlyUpdate(body)).toMatchObject({ status: 'in_transit', estimatedDelivery: '2026-11-26', events: [] });
  });

  it('otherwise prefers the latest estimate, then the carrier\u2019s, the legacy field, AfterShip\u2019s, and the merchant\u2019s', () => {
    const all = {
      latest_estimated_delivery: { type: 'specific', source: 'Carrier EDD', datetime: '2026-11-25T17:00:00-05:00' },
      courier_estimated_delivery_date: { estimated_delivery_date: '2026-11-24' },
      expected_delivery: '2026-11-23',
      aftership_estimated_delivery_date: { estimated_delivery_date: '2026-11-27' },
      custom_estimated_delivery_date: { type: 'specific', datetime: '2026-11-28' },
    };
    const keys = Object.keys(all) as (keyof typeof all)[];
    const expected = ['2026-11-25T17:00:00-05:00', '2026-11-24', '2026-11-23', '2026-11-27', '2026-11-28'];
    keys.forEach((_, i) => {
      const present = Object.fromEntries(keys.slice(i).map((key) => [key, all[key]]));
      expect(onlyUpdate(trackingBody(present)).estimatedDelivery).toBe(expected[i]);
    });
  });

  it('reads a range as lasting until its end, and a zoneless time as its date', () => {
    const range = { latest_estimated_delivery: { type: 'range', datetime_min: '2026-11-24', datetime_max: '2026-11-26' } };
    expect(onlyUpdate(trackingBody(range)).estimatedDelivery).toBe('2026-11-26');
    expect(onlyUpdate(trackingBody({ expected_delivery: '2026-11-24T18:00:00' })).estimatedDelivery).toBe('2026-11-24');
  });

  it('treats an unreadable estimate as absent instead of refusing the scan', () => {
    for (const expected_delivery of ['next Tuesday', '2026-02-30', 20261124, { date: '2026-11-24' }]) {
      const update = onlyUpdate(trackingBody({ expected_delivery, aftership_estimated_delivery_date: 'soon' }));
      expect(update.estimatedDelivery).toBeUndefined();
      expect(update.events).toHaveLength(1);
    }
  });
});

describe('AfterShip deliveries we do not act on', () => {
  it.each([
    ['tracking_pending_time', { event: 'tracking_pending_time', event_id: 'e1', msg: { tracking_number: 'X', tag: 'Pending' } }, 'e1'],
    ['a Returns event', { id: '3f9a0c7d21', version: '2025-07', event: 'return.received', data: { rma_number: 'RMA-7' } }, '3f9a0c7d21'],
    ['a Warranty event', { id: 'w-88', event: 'warranty.resolved', data: {} }, 'w-88'],
    ['an event AfterShip invents later', { event: 'tracking_teleported', event_id: 'e2', msg: {} }, 'e2'],
  ])('answers %s as ignored, with its id', (_, body, id) => {
    expect(parse(body)).toMatchObject({ kind: 'ignored', deliveryId: id });
  });

  it('answers a Shipping (Postmen) event, which names its type event_type, as ignored', () => {
    const parsed = parse({ event_type: 'create_a_label', date_time: '2026-11-20T10:00:00Z', meta: { code: 200 }, data: { id: 'lbl_1' } });
    expect(parsed).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('Shipping') });
    expect(parsed.deliveryId).toMatch(/^sha256:/);
  });
});

describe('AfterShip refusals', () => {
  const refusal = (body: unknown) => {
    const error = thrown(() => parse(body));
    expect(error).toBeInstanceOf(WebhookPayloadError);
    return error as WebhookPayloadError;
  };

  it('refuses a body that is not a JSON object', () => {
    for (const body of ['not json at all', '', '[1,2]', '"tracking_update"', 'null', '{"event":']) {
      expect(refusal(body)).toMatchObject({ code: 'invalid_payload', field: 'body' });
    }
  });

  it('refuses an object that names no event', () => {
    expect(refusal({ msg: { tracking_number: 'X' } }).field).toBe('event');
    expect(refusal({ event: 7 }).field).toBe('event');
  });

  it('names the field at fault in a tracking event', () => {
    expect(refusal({ event: 'tracking_update' }).field).toBe('msg');
    expect(refusal({ event: 'tracking_update', msg: [] }).field).toBe('msg');
    expect(refusal(trackingBody({ tracking_number: '' })).field).toBe('msg.tracking_number');
    expect(refusal(trackingBody({ tracking_number: 12345 })).field).toBe('msg.tracking_number');
    expect(refusal(trackingBody({ checkpoints: { 0: {} } })).field).toBe('msg.checkpoints');
    expect(refusal(trackingBody({ checkpoints: [null] })).field).toBe('msg.checkpoints[0]');
  });

  it('refuses a checkpoint whose time is missing or not a time, naming it', () => {
    for (const checkpoint_time of [undefined, '', 'yesterday', '2026-13-01T00:00:00Z', '2026-11-20T25:00:00Z', 1764000000]) {
      const error = refusal(trackingBody({ checkpoints: [{ tag: 'InTransit' }, { tag: 'InTransit', checkpoint_time }] }));
      expect(error.field).toBe('msg.checkpoints[0].checkpoint_time');
    }
  });

  it('reads `constructor` and other inherited names as absent, not as Object.prototype\u2019s', () => {
    const update = onlyUpdate(trackingBody({ tag: 'constructor', subtag: 'toString', checkpoints: [] }));
    expect(update).toMatchObject({ status: 'unknown', rawStatus: 'constructor/toString' });
    const polluted = '{"event":"tracking_update","msg":{"__proto__":{"tracking_number":"1Z999AA10123456784"}}}';
    expect(refusal(polluted).field).toBe('msg.tracking_number');
    expect(({} as Record<string, unknown>).tracking_number).toBeUndefined();
  });
});

describe('AfterShip updates through the diff', () => {
  const start = (): ShipmentState =>
    newShipmentState(
      { id: 'shp_as', orderId: 'ord_as', carrier: 'ups', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' },
      new Date('2026-11-19T00:00:00Z'),
    );
  const apply = (state: ShipmentState, update: SourceUpdate, now: string) =>
    applyUpdate(
      state,
      { shipmentId: state.id, status: update.status, events: update.events, source: 'aftership', ...(update.subStatus && { subStatus: update.subStatus }), ...(update.estimatedDelivery && { estimatedDelivery: update.estimatedDelivery }), ...(update.proof && { proof: update.proof }) },
      new Date(now),
      DEFAULT_DIFF_OPTIONS,
    );

  it('turns a story of webhooks into the notifications SPEC names', () => {
    const scans = [
      { checkpoint_time: '2026-11-20T08:00:00Z', tag: 'InTransit', subtag: 'InTransit_002', message: 'Picked up' },
      { checkpoint_time: '2026-11-21T08:00:00Z', tag: 'Exception', subtag: 'Exception_017', message: 'Delayed by a snowstorm' },
      { checkpoint_time: '2026-11-22T07:00:00Z', tag: 'OutForDelivery', subtag: 'OutForDelivery_001', message: 'Out for delivery' },
      { checkpoint_time: '2026-11-22T15:00:00Z', tag: 'Delivered', subtag: 'Delivered_003', message: 'Delivered, signed' },
    ];
    let state = start();
    const fired: string[] = [];
    scans.forEach((_, i) => {
      const last = scans[i] as { tag: string; subtag: string };
      const update = onlyUpdate(trackingBody({ tag: last.tag, subtag: last.subtag, signed_by: 'J. DOE', checkpoints: scans.slice(0, i + 1) }));
      const result = apply(state, update, '2026-11-22T20:00:00Z');
      state = result.state;
      fired.push(...result.triggers.map((t) => t.key));
    });
    expect(fired).toEqual(['shipped:-', 'delayed:weather_delay', 'out_for_delivery:1', 'delivered:-']);
    expect(state).toMatchObject({ status: 'delivered', proof: { signedBy: 'J. DOE', time: '2026-11-22T15:00:00.000Z' } });
  });

  it('ends the shipment when AfterShip reports the return received (Exception_011)', () => {
    const update = onlyUpdate(
      trackingBody({
        tag: 'Exception',
        subtag: 'Exception_011',
        checkpoints: [
          { checkpoint_time: '2026-11-20T08:00:00Z', tag: 'InTransit', subtag: 'InTransit_002' },
          { checkpoint_time: '2026-11-23T08:00:00Z', tag: 'Exception', subtag: 'Exception_011', message: 'Returned to shipper' },
        ],
      }),
    );
    const { state, triggers } = apply(start(), update, '2026-11-23T09:00:00Z');
    expect(state).toMatchObject({ status: 'return_to_sender', subStatus: 'returned' });
    expect(triggers.map((t) => t.key)).toContain('returned_to_sender:-');
  });
});
