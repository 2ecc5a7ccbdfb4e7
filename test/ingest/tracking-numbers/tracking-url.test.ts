import { describe, expect, it } from 'vitest';
import { InvalidTrackingNumberError } from '../../../src/ingest/errors.js';
import { identifyTrackingNumber, normalizeCarrier, trackingUrl } from '../../../src/ingest/tracking-number.js';
import { fedex12 } from './oracles.js';

describe('trackingUrl', () => {
  it('uses the table when it has a URL for the carrier', () => {
    expect(trackingUrl('ups', '1Z999AA10123456784')).toBe('https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=1Z999AA10123456784');
    expect(trackingUrl('FedEx', '123456789012')).toBe('https://www.fedex.com/apps/fedextrack/?tracknumbers=123456789012');
    expect(trackingUrl('DHL Express', '3318810025')).toBe('https://www.dhl.com/en/express/tracking.html?brand=DHL&AWB=3318810025');
  });

  it('falls back to the generic tracker for carriers without a URL, normalizing and encoding the number', () => {
    expect(trackingUrl('amazon', 'tba 123')).toBe('https://t.17track.net/en#nums=TBA123');
    expect(trackingUrl('s10', 'rb123456785gb')).toBe('https://t.17track.net/en#nums=RB123456785GB');
    expect(trackingUrl('some-local-courier', 'AB/1')).toBe('https://t.17track.net/en#nums=AB%2F1');
  });

  it('treats carrier names that are also object properties as unknown carriers', () => {
    expect(trackingUrl('constructor', 'X1')).toBe('https://t.17track.net/en#nums=X1');
    expect(normalizeCarrier('toString')).toBe('tostring');
    const refused = (() => {
      try {
        identifyTrackingNumber(fedex12('12345678901'), 'constructor');
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(InvalidTrackingNumberError);
    expect(refused).toMatchObject({ problem: 'carrier_mismatch' });
  });
});

describe('normalizeCarrier', () => {
  it('maps common spellings to slugs', () => {
    expect(['UPS', 'United Parcel Service', 'DHL Express', 'DHL eCommerce', 'FedEx Ground', 'usps'].map(normalizeCarrier)).toEqual(['ups', 'ups', 'dhl', 'dhl', 'fedex', 'usps']);
  });
});
