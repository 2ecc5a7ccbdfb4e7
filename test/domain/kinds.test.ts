import { describe, expect, it } from 'vitest';
import { isUrgentKind, KIND_DEFAULTS, kindAudience, kindDefault, type KindDefaultsTable } from '../../src/domain/kinds.js';
import { NOTIFICATION_KINDS } from '../../src/domain/types.js';

describe('KIND_DEFAULTS', () => {
  it('is exactly the SPEC kinds table', () => {
    expect(KIND_DEFAULTS).toEqual({
      order_confirmed: { buyer: ['email'], seller: [], urgent: false },
      order_cancelled: { buyer: ['email'], seller: [], urgent: false },
      label_created: { buyer: ['email', 'push'], seller: [], urgent: false },
      shipped: { buyer: ['email', 'push'], seller: [], urgent: false },
      in_transit_update: { buyer: [], seller: [], urgent: false },
      delayed: { buyer: ['email', 'push'], seller: ['email'], urgent: false },
      out_for_delivery: { buyer: ['sms', 'push'], seller: [], urgent: false },
      delivery_attempted: { buyer: ['sms', 'email', 'push'], seller: ['email'], urgent: true },
      available_for_pickup: { buyer: ['sms', 'email', 'push'], seller: [], urgent: true },
      exception: { buyer: ['email', 'sms', 'push'], seller: ['email', 'sms'], urgent: true },
      delivered: { buyer: ['email', 'push'], seller: [], urgent: false },
      returned_to_sender: { buyer: ['email'], seller: ['email'], urgent: false },
      lost: { buyer: ['email'], seller: ['email', 'sms'], urgent: false },
      stalled: { buyer: ['email'], seller: ['email'], urgent: false },
      not_scanned: { buyer: [], seller: ['email'], urgent: false },
      // Added by the issue "Ingest the real world" (point 7): a seller alert, off for buyers.
      invalid_tracking_number: { buyer: [], seller: ['email'], urgent: false },
    });
    expect(Object.keys(KIND_DEFAULTS).sort()).toEqual([...NOTIFICATION_KINDS].sort());
  });

  it('cannot be changed by a caller pushing into it', () => {
    expect(() => KIND_DEFAULTS.delivered.buyer.push('sms')).toThrow(TypeError);
    expect(KIND_DEFAULTS.delivered.buyer).toEqual(['email', 'push']);
  });
});

describe('kindDefault and isUrgentKind', () => {
  const admin: Partial<KindDefaultsTable> = { delivered: { buyer: ['sms'] }, shipped: { urgent: true } };

  it('lays an admin override over the built-in default, part by part', () => {
    const emailFallback = { fallback: { buyer: 'email', seller: 'email' } };
    expect(kindDefault('delivered', admin)).toEqual({ buyer: ['sms'], seller: [], urgent: false, ...emailFallback });
    expect(kindDefault('shipped', admin)).toEqual({ buyer: ['email', 'push'], seller: [], urgent: true, ...emailFallback });
    expect(kindDefault('lost')).toEqual({ ...KIND_DEFAULTS.lost, ...emailFallback });
    expect(kindDefault('lost', { lost: { fallback: { seller: 'sms' } } }).fallback).toEqual({ buyer: 'email', seller: 'sms' });
  });

  it('marks delivery_attempted, available_for_pickup and exception urgent by default, and what an admin marks', () => {
    expect(NOTIFICATION_KINDS.filter((k) => isUrgentKind(k))).toEqual(['delivery_attempted', 'available_for_pickup', 'exception']);
    expect(isUrgentKind('shipped', admin)).toBe(true);
    expect(isUrgentKind('exception', { exception: { urgent: false } })).toBe(false);
  });

  it('returns a copy the caller may change', () => {
    kindDefault('delivered').buyer.push('sms');
    expect(KIND_DEFAULTS.delivered.buyer).toEqual(['email', 'push']);
  });
});

describe('kindAudience', () => {
  it.each([
    ['order_confirmed', ['buyer']],
    ['exception', ['buyer', 'seller']],
    ['not_scanned', ['seller']],
    ['invalid_tracking_number', ['seller']],
    ['lost', ['buyer', 'seller']],
    // Off for everyone by default, but a buyer may opt in to the digest.
    ['in_transit_update', ['buyer']],
  ] as const)('%s → %j', (kind, roles) => {
    expect(kindAudience(kind)).toEqual(roles);
  });

  it('follows admin defaults: a role given channels joins, a role left with none drops out', () => {
    expect(kindAudience('delivered', { delivered: { seller: ['email'] } })).toEqual(['buyer', 'seller']);
    expect(kindAudience('stalled', { stalled: { buyer: [] } })).toEqual(['seller']);
  });
});
