import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { eventFingerprint, newShipmentState } from '../../src/domain/shipment.js';
import type { TrackingEvent } from '../../src/domain/types.js';

const scan: TrackingEvent = {
  time: '2026-11-20T10:15:00.000Z',
  status: 'in_transit',
  description: 'Arrived at UPS Facility',
  location: 'Louisville, KY, US',
  source: 'ups',
};

describe('newShipmentState', () => {
  it('starts pending at version 0 with nothing fired', () => {
    const now = new Date('2026-11-20T08:00:00.000Z');
    const state = newShipmentState({ id: 's1', orderId: 'o1', carrier: 'usps', trackingNumber: '9400100000000000000000', trackingUrl: 'https://t.example/1' }, now);
    expect(state).toEqual({
      id: 's1',
      orderId: 'o1',
      carrier: 'usps',
      trackingNumber: '9400100000000000000000',
      trackingUrl: 'https://t.example/1',
      status: 'pending',
      events: [],
      fired: [],
      attempts: 0,
      createdAt: '2026-11-20T08:00:00.000Z',
      updatedAt: '2026-11-20T08:00:00.000Z',
      version: 0,
    });
  });
});

describe('eventFingerprint', () => {
  it('matches the same scan from another source, whatever its case, spacing, punctuation or time notation', () => {
    const echo: TrackingEvent = {
      ...scan,
      time: '2026-11-20T05:15:00-05:00',
      description: '  ARRIVED at UPS facility. ',
      location: 'LOUISVILLE KY US',
      source: 'aftership',
      rawStatus: 'InTransit',
      subStatus: 'other',
    };
    expect(eventFingerprint(echo)).toBe(eventFingerprint(scan));
  });

  it('matches times that differ only below the minute', () => {
    expect(eventFingerprint({ ...scan, time: '2026-11-20T10:15:42Z' })).toBe(eventFingerprint(scan));
  });

  it.each([
    ['time', { time: '2026-11-20T10:16:00Z' }],
    ['status', { status: 'out_for_delivery' as const }],
    ['location', { location: 'Memphis, TN' }],
    ['missing location', { location: undefined }],
    ['description', { description: 'Departed UPS Facility' }],
  ])('differs when the %s differs', (_field, change) => {
    expect(eventFingerprint({ ...scan, ...change })).not.toBe(eventFingerprint(scan));
  });

  it('is a short hex digest, safe in keys and job ids', () => {
    expect(eventFingerprint(scan)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses an unreadable time with EVENT_TIME_INVALID', () => {
    expect(() => eventFingerprint({ ...scan, time: '20/11/2026' })).toThrow(DomainError);
    expect(() => eventFingerprint({ ...scan, time: '20/11/2026' })).toThrow(expect.objectContaining({ code: 'EVENT_TIME_INVALID' }));
  });
});
