import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/domain/types.js';
import { applyOrderStatus, decideOrderStatus, relinkPackages, shipmentUpdateFor } from '../../src/ingest/tiktok-shop-orders.js';
import { TIKTOK_ORDER_STATUSES } from '../../src/ingest/tiktok-shop.js';

const order = (extra: Partial<Order> = {}): Order => ({
  orderId: 'o-1',
  buyerId: 'buyer-1',
  sellerId: 'seller-1',
  items: [{ name: 'Trail shoes', quantity: 1, price: 89.9 }],
  total: 89.9,
  currency: 'USD',
  createdAt: '2026-11-18T12:00:00.000Z',
  shipmentIds: [],
  ...extra,
});

const LIFE = ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING', 'AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED'];

describe('decideOrderStatus', () => {
  it('advances along the order\u2019s life and refuses every step back', () => {
    for (const [i, current] of LIFE.entries()) {
      for (const [j, next] of LIFE.entries()) {
        expect(decideOrderStatus(current, next), `${current} → ${next}`).toBe(j > i ? 'advance' : j === i ? 'repeat' : 'backwards');
      }
    }
  });

  it('accepts any known status first, and never an unknown word', () => {
    for (const status of Object.keys(TIKTOK_ORDER_STATUSES)) expect(decideOrderStatus(undefined, status)).toBe('advance');
    expect(decideOrderStatus(undefined, 'SOMETHING_NEW')).toBe('unrecognized');
    expect(decideOrderStatus('IN_TRANSIT', 'SOMETHING_NEW')).toBe('unrecognized');
  });

  it('cancels from any status before delivery, in either spelling, and nothing follows a cancellation', () => {
    for (const current of ['UNPAID', 'ON_HOLD', 'AWAITING_SHIPMENT', 'AWAITING_COLLECTION', 'IN_TRANSIT']) {
      expect(decideOrderStatus(current, 'CANCEL')).toBe('advance');
      expect(decideOrderStatus(current, 'CANCELLED')).toBe('advance');
    }
    expect(decideOrderStatus('DELIVERED', 'CANCELLED')).toBe('backwards');
    expect(decideOrderStatus('COMPLETED', 'CANCEL')).toBe('backwards');
    expect(decideOrderStatus('CANCEL', 'CANCELLED')).toBe('repeat');
    expect(decideOrderStatus('CANCELLED', 'CANCEL')).toBe('repeat');
    for (const next of LIFE) expect(decideOrderStatus('CANCELLED', next)).toBe('backwards');
  });

  it('reads an unknown stored status as no status at all', () => {
    expect(decideOrderStatus('LEGACY_WORD', 'UNPAID')).toBe('advance');
  });
});

describe('applyOrderStatus', () => {
  it('stores an advance with its normalized meaning and time, and leaves the order alone otherwise', () => {
    const o = order();
    expect(applyOrderStatus(o, 'AWAITING_SHIPMENT', '2026-11-18T12:00:00.000Z')).toBe('advance');
    expect(o.marketplaceStatus).toEqual({ source: 'tiktok-shop', status: 'AWAITING_SHIPMENT', normalized: 'pending', at: '2026-11-18T12:00:00.000Z' });
    expect(applyOrderStatus(o, 'UNPAID', '2026-11-18T13:00:00.000Z')).toBe('backwards');
    expect(applyOrderStatus(o, 'AWAITING_SHIPMENT', '2026-11-18T13:00:00.000Z')).toBe('repeat');
    expect(applyOrderStatus(o, 'NEW_WORD', '2026-11-18T13:00:00.000Z')).toBe('unrecognized');
    expect(o.marketplaceStatus?.at).toBe('2026-11-18T12:00:00.000Z');
    expect(applyOrderStatus(o, 'COMPLETED', '2026-11-25T12:00:00.000Z')).toBe('advance');
    expect(o.marketplaceStatus).toMatchObject({ status: 'COMPLETED', normalized: 'delivered' });
  });

  it('ends where the highest status is, whatever order the deliveries arrive in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(LIFE, { minLength: 1 }), (arrivals) => {
        const o = order();
        for (const status of arrivals) applyOrderStatus(o, status, '2026-11-18T12:00:00.000Z');
        const highest = arrivals.reduce((a, b) => (LIFE.indexOf(b) > LIFE.indexOf(a) ? b : a));
        expect(o.marketplaceStatus?.status).toBe(highest);
      }),
    );
  });
});

describe('shipmentUpdateFor', () => {
  it('turns IN_TRANSIT into an in_transit event at update_time, keeping the raw word', () => {
    const status = TIKTOK_ORDER_STATUSES.IN_TRANSIT!;
    expect(shipmentUpdateFor('shp-1', 'IN_TRANSIT', status, '2026-11-18T12:00:00.000Z')).toEqual({
      shipmentId: 'shp-1',
      status: 'in_transit',
      events: [{ time: '2026-11-18T12:00:00.000Z', status: 'in_transit', description: 'TikTok Shop: order in transit', source: 'tiktok-shop', rawStatus: 'IN_TRANSIT' }],
      source: 'tiktok-shop',
    });
  });
});

describe('relinkPackages', () => {
  const T1 = '2026-11-18T12:00:00.000Z';
  const T2 = '2026-11-18T13:00:00.000Z';

  it('links a split order to each of its packages, and a package registered as a shipment to the order', () => {
    const o = order({ shipmentIds: ['shp-own'] });
    const split = { packages: [{ packageId: 'P2', orderIds: ['o-1'] }, { packageId: 'P1', orderIds: ['o-1'] }], at: T1 };
    expect(relinkPackages(o, split, new Set(['P1']))).toEqual({ decision: 'relinked', dirty: true });
    expect(o.packages).toEqual([
      { packageId: 'P1', orderIds: ['o-1'] },
      { packageId: 'P2', orderIds: ['o-1'] },
    ]);
    expect(o.shipmentIds).toEqual(['shp-own', 'P1']);
    expect(o.packagesUpdatedAt).toBe(T1);
  });

  it('keeps only the combined package that carries the order, listing every order in it', () => {
    const o = order();
    const combine = { packages: [{ packageId: 'P9', orderIds: ['o-2', 'o-1'] }, { packageId: 'P8', orderIds: ['o-3'] }], at: T1 };
    relinkPackages(o, combine, new Set(['P9', 'P8']));
    expect(o.packages).toEqual([{ packageId: 'P9', orderIds: ['o-1', 'o-2'] }]);
    expect(o.shipmentIds).toEqual(['P9']);
  });

  it('unlinks a package shipment that no longer carries the order, and no other shipment', () => {
    const o = order({ shipmentIds: ['shp-own', 'P1'], packages: [{ packageId: 'P1', orderIds: ['o-1', 'o-2'] }], packagesUpdatedAt: T1 });
    const uncombine = { packages: [{ packageId: 'P3', orderIds: ['o-1'] }, { packageId: 'P1', orderIds: ['o-2'] }], at: T2 };
    expect(relinkPackages(o, uncombine, new Set(['P1', 'P3'])).decision).toBe('relinked');
    expect(o.shipmentIds).toEqual(['shp-own', 'P3']);
    expect(o.packages).toEqual([{ packageId: 'P3', orderIds: ['o-1'] }]);
  });

  it('is idempotent: the same update again changes nothing and need not be written', () => {
    const o = order();
    const update = { packages: [{ packageId: 'P1', orderIds: ['o-1'] }], at: T1 };
    relinkPackages(o, update, new Set(['P1']));
    const after = structuredClone(o);
    expect(relinkPackages(o, update, new Set(['P1']))).toEqual({ decision: 'unchanged', dirty: false });
    expect(o).toEqual(after);
  });

  it('refuses an older update as stale, and remembers a newer time even when nothing else changed', () => {
    const o = order();
    relinkPackages(o, { packages: [{ packageId: 'P1', orderIds: ['o-1'] }], at: T2 }, new Set());
    expect(relinkPackages(o, { packages: [{ packageId: 'P0', orderIds: ['o-1'] }], at: T1 }, new Set(['P0']))).toEqual({ decision: 'stale', dirty: false });
    expect(o.packages).toEqual([{ packageId: 'P1', orderIds: ['o-1'] }]);
    const T3 = '2026-11-18T14:00:00.000Z';
    expect(relinkPackages(o, { packages: [{ packageId: 'P1', orderIds: ['o-1'] }], at: T3 }, new Set())).toEqual({ decision: 'unchanged', dirty: true });
    expect(o.packagesUpdatedAt).toBe(T3);
  });
});
