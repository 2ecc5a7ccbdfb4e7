/**
 * The nearest normalized status for a carrier's words, used when a code is one we have no entry for
 * (carriers add codes without notice). SPEC: "valid-but-unknown values are kept raw and mapped to the
 * nearest status, not rejected". Rules are tried in order; the more specific phrases come first
 * ("delivered to UPS Access Point, awaiting pickup" is a pickup, not a delivery).
 */
import type { MappedStatus } from './types.js';

type Rule = readonly [RegExp, MappedStatus];

const RULES: readonly Rule[] = [
  [/\b(return(ed|ing)? to (the )?(sender|shipper)|back to (the )?sender|rts\b)/, { status: 'return_to_sender', subStatus: 'returning' }],
  [/\b(cancell?ed|voided|void)\b/, { status: 'cancelled', subStatus: 'label_voided' }],
  [/\b(available|ready|held|waiting|awaiting) (for )?(customer |recipient )?(pick[ -]?up|collection)\b/, { status: 'available_for_pickup' }],
  [/\bout for delivery|on (the )?vehicle for delivery|with (the )?delivery courier|loaded (on|onto) (the )?delivery vehicle/, { status: 'out_for_delivery' }],
  [/\brefused\b/, { status: 'delivery_attempted', subStatus: 'recipient_refused' }],
  [/\b(signature required|adult signature)\b/, { status: 'delivery_attempted', subStatus: 'signature_required' }],
  [/\b(attempt(ed)?|notice left|no one (was )?(available|home)|recipient not (available|home|in)|business closed|not at home)\b/, { status: 'delivery_attempted', subStatus: 'recipient_unavailable' }],
  [/\b(undeliverable|insufficient address|incorrect address|invalid address|address (information )?(required|issue|problem|correction)|addressee unknown|moved,? left no address|no such (number|street))/, { status: 'exception', subStatus: 'address_issue' }],
  [/\b(lost|destroyed|disposed of|sent to lost and found|missing (parcel|package|shipment|item))\b/, { status: 'failed', subStatus: 'lost' }],
  [/\bdamage(d)?\b/, { status: 'failed', subStatus: 'damaged' }],
  [/\b(weather|storm|snow|hurricane|flood|natural disaster)\b/, { status: 'exception', subStatus: 'weather_delay' }],
  [/\b(customs|clearance)\b.*\b(delay|held|hold|pending|required|inspection)|\b(held|hold|delay(ed)?)\b.*\bcustoms\b/, { status: 'exception', subStatus: 'customs_hold' }],
  [/\b(payment|funds|duties|cod amount)\b.*\b(required|due|owed)\b/, { status: 'exception', subStatus: 'payment_required' }],
  [/\brescheduled\b/, { status: 'exception', subStatus: 'rescheduled' }],
  [/\b(delay(ed)?|running late|arriving late|missed)\b/, { status: 'exception', subStatus: 'carrier_delay' }],
  [/\bdelivered\b/, { status: 'delivered' }],
  [/\b(label created|shipping label|pre-?shipment|shipment information received|electronic (shipment )?info|awaiting item|order processed|manifest|billing information|shipment data received|ready for ups)\b/, { status: 'label_created' }],
  [/\b(held|hold)\b/, { status: 'exception', subStatus: 'held_at_location' }],
  [/\b(picked up|pick[ -]?up scan|accepted|acceptance|arrived|arrival|departed|departure|in transit|on the way|processed|processing|facility|origin scan|destination scan|sort(ed|ing)?|transferred|forwarded|cleared|customs|clearance|dispatched|hub|en ?route|tendered)\b/, { status: 'in_transit' }],
];

/** The nearest status for `text`, or undefined when no rule recognises it. */
export function statusFromText(...texts: (string | undefined)[]): MappedStatus | undefined {
  const text = texts.filter((t): t is string => t !== undefined).join(' ').toLowerCase();
  if (text === '') return undefined;
  for (const [pattern, mapped] of RULES) if (pattern.test(text)) return mapped;
  return undefined;
}
