import { describe, expect, it } from 'vitest';
import { statusFromText } from '../../../src/ingest/carriers/keywords.js';

describe('statusFromText: the nearest status for a carrier code we have no entry for', () => {
  it.each([
    ['Delivered to UPS Access Point\u2122 Awaiting Customer Pickup', 'available_for_pickup', undefined],
    ['The shipment is ready for pick-up at the parcel shop', 'available_for_pickup', undefined],
    ['The shipment is being returned to the sender', 'return_to_sender', 'returning'],
    ['Out For Delivery Today', 'out_for_delivery', undefined],
    ['The shipment has been loaded onto the delivery vehicle', 'out_for_delivery', undefined],
    ['Delivery refused by recipient', 'delivery_attempted', 'recipient_refused'],
    ['Notice Left (No Authorized Recipient Available)', 'delivery_attempted', 'recipient_unavailable'],
    ['Customer not available or business closed', 'delivery_attempted', 'recipient_unavailable'],
    ['Incorrect address - Apartment number or suite missing', 'exception', 'address_issue'],
    ['Undeliverable as Addressed', 'exception', 'address_issue'],
    ['Package lost in transit', 'failed', 'lost'],
    ['Damage reported', 'failed', 'damaged'],
    ['Delivery Delayed Due to Severe Weather', 'exception', 'weather_delay'],
    ['Held by customs pending inspection', 'exception', 'customs_hold'],
    ['Import duties payment required', 'exception', 'payment_required'],
    ['Rescheduled delivery', 'exception', 'rescheduled'],
    ['Your package is running late', 'exception', 'carrier_delay'],
    ['Delivered, In/At Mailbox', 'delivered', undefined],
    ['Shipping Label Created, USPS Awaiting Item', 'label_created', undefined],
    ['Shipment information voided', 'cancelled', 'label_voided'],
    ['Departed from Facility', 'in_transit', undefined],
    ['Clearance completed', 'in_transit', undefined],
  ])('%j → %s/%s', (text, status, subStatus) => {
    expect(statusFromText(text)).toEqual(subStatus === undefined ? { status } : { status, subStatus });
  });

  it('answers undefined for words it does not know, and for nothing at all', () => {
    expect(statusFromText('Zustellbasis erreicht')).toBeUndefined();
    expect(statusFromText()).toBeUndefined();
    expect(statusFromText(undefined, '')).toBeUndefined();
  });

  it('reads several fields together (status words and a remark)', () => {
    expect(statusFromText('DELAYED', 'due to a storm in the region')).toEqual({ status: 'exception', subStatus: 'weather_delay' });
  });

  it('stays fast on long hostile text', () => {
    const started = performance.now();
    expect(statusFromText(`${'customs '.repeat(60)}${'x'.repeat(400)}`)).toEqual({ status: 'in_transit' });
    expect(performance.now() - started).toBeLessThan(50);
  });
});
