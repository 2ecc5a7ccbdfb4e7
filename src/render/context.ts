/**
 * The data every template sees. This is the reference for people editing templates:
 * nothing outside this shape is reachable, and a misspelt field is refused when the template is saved.
 */
import type { ShipmentStatus, SubStatus } from '../domain/status.js';
import type { NotificationKind, Role } from '../domain/types.js';

/** Who the message is for. */
export interface TemplateRecipient {
  /** Recipient id, e.g. `rcp_buyer_8f3k2`. */
  id: string;
  /** Display name as the recipient gave it: a person (`Jordan Lee`) or a shop (`Harbor & Pine Goods`). */
  name: string;
  /** `buyer`, `seller` or `admin`; templates branch on it with `{{#if (eq recipient.role "buyer")}}`. */
  role: Role;
  /** BCP 47 tag (`es-MX`). Picks the template folder (`es-MX` → `es` → `en`) and the date and money formats. */
  locale: string;
  /** IANA time zone (`America/Mexico_City`); `formatDate` and `formatDateTime` show times in it. */
  timezone: string;
}

/** One order line. */
export interface TemplateOrderItem {
  /** Product name as sold. */
  name: string;
  /** Units ordered. */
  quantity: number;
  /** Price of one unit, in the order's currency (a number, not minor units: `12.5`). */
  price: number;
}

/** The order a message is about. */
export interface TemplateOrder {
  /** The shop's order number as the buyer knows it (`A-10482`); templates print it as `#{{order.id}}`. */
  id: string;
  /** Order lines, in the order the shop sent them. */
  items: TemplateOrderItem[];
  /** Amount charged for the whole order, in `currency`. Format it with `{{formatMoney order.total order.currency}}`. */
  total: number;
  /** ISO 4217 code (`USD`, `MXN`). */
  currency: string;
}

/** The most recent carrier scan. */
export interface TemplateEvent {
  /** ISO-8601 UTC time of the scan; format it with `formatDateTime`. */
  time: string;
  /** The carrier's own words, untranslated (`Departed from facility`). */
  description: string;
  /** Where the scan happened (`Ontario, CA, US`), when the carrier says. */
  location?: string;
  /** The normalized status of that scan; `{{statusText shipment.lastEvent.status}}` puts it in words. */
  status: ShipmentStatus;
}

/** The shipment a message is about. */
export interface TemplateShipment {
  /** Internal shipment id. */
  id: string;
  /** Carrier name for people (`UPS`, `DHL Express`). */
  carrier: string;
  /** The carrier's tracking number. */
  trackingNumber: string;
  /** The carrier's own tracking page for this package; every shipment message carries it. */
  trackingUrl: string;
  /** Normalized current status (`in_transit`, `delivered`…); `statusText` puts it in words. */
  status: ShipmentStatus;
  /** Why the shipment is in `exception`, `delivery_attempted`, `failed`…, when known; `subStatusText` puts it in words. */
  subStatus?: SubStatus;
  /** Estimated delivery: an ISO date (`2026-11-26`) or time; absent when the carrier gives none. */
  eta?: string;
  /** Latest carrier scan; absent before the first one. */
  lastEvent?: TemplateEvent;
}

/** Proof of delivery; each field is present only when the carrier provides it. */
export interface TemplateProof {
  /** ISO-8601 UTC time of delivery. */
  time?: string;
  /** Name the carrier recorded at signature. */
  signedBy?: string;
  /** Link to the carrier's delivery photo. */
  photoUrl?: string;
  /** Where the package was left (`Front door`, `Mailroom`). */
  location?: string;
}

/** One parcel of an in-transit digest. */
export interface TemplateDigestShipment {
  /** Carrier name for people (`UPS`). */
  carrier: string;
  /** The carrier's tracking number. */
  trackingNumber: string;
  /** The carrier's own tracking page for this parcel. */
  trackingUrl: string;
  /** The parcel's scans inside the digest's window, oldest first; at least one (its latest scan). */
  events: TemplateEvent[];
}

/** The scans an in-transit digest gathers: every parcel of the order that moved during the window. */
export interface TemplateDigest {
  /** Parcels still in transit, in the order they first moved in the window; never empty. */
  shipments: TemplateDigestShipment[];
}

/** Links to put in every message. All are absolute https URLs, already signed where needed. */
export interface TemplateLinks {
  /** Page to follow the order (the shop's tracking page, or the carrier's when the shop has none). */
  track: string;
  /** Preference centre for this recipient. */
  preferences: string;
  /** One-click unsubscribe for this recipient. */
  unsubscribe: string;
}

/**
 * Everything a template can read.
 *
 * Which parts are present depends on the kind:
 * - `order_confirmed`, `order_cancelled`, `invalid_tracking_number` ({@link ORDER_KINDS}): `order` is always
 *   present; `shipment` may be `null` (always is for `invalid_tracking_number`, whose number was not registered).
 * - `invalidTrackingNumber` exists only in `invalid_tracking_number` messages ({@link KIND_FIELDS}).
 * - every other kind: `shipment` is always present; `order` is `null` when the shipment was registered without one.
 * - `proof` is `null` unless the carrier sent proof of delivery.
 *
 * Optional fields that are absent read as empty, so `{{#if shipment.eta}}` is the way to test them; a value
 * that may be `null` must be tested before reading inside it (`{{#if order}}…{{order.id}}…{{/if}}`).
 */
export interface TemplateContext {
  recipient: TemplateRecipient;
  order: TemplateOrder | null;
  shipment: TemplateShipment | null;
  proof: TemplateProof | null;
  links: TemplateLinks;
  /** The notification kind being rendered. */
  kind: NotificationKind;
  /**
   * `invalid_tracking_number` only, where it is always present: the tracking number the seller submitted,
   * normalized (spaces and hyphens removed, upper case, `1Z999AA10123456785`), which failed its check digit and
   * so was not registered. It is the notification's discriminator, so each distinct bad number alerts once.
   * Templates of other kinds cannot read it.
   */
  invalidTrackingNumber?: string;
  /**
   * `in_transit_update` digests only, otherwise `null`: the scans of every parcel of the order during the
   * digest's window (one day), so one message covers several scans and several parcels. Test it with
   * `{{#if digest}}` and loop with `{{#each digest.shipments}}…{{#each events}}…{{/each}}{{/each}}`.
   */
  digest?: TemplateDigest | null;
}

/** Context fields that belong to one kind only; every other field is in every kind's context. */
export const KIND_FIELDS = { invalidTrackingNumber: 'invalid_tracking_number' } as const satisfies Partial<Record<keyof TemplateContext, NotificationKind>>;
export type KindField = keyof typeof KIND_FIELDS;

/** Kinds about the order itself: they always have an order, and may have no shipment yet. */
export const ORDER_KINDS: readonly NotificationKind[] = ['order_confirmed', 'order_cancelled', 'invalid_tracking_number'];

/** Kinds addressed to the seller only (SPEC defaults): their sample is a seller's message. */
const SELLER_KINDS: readonly NotificationKind[] = ['not_scanned', 'invalid_tracking_number'];

export function isOrderKind(kind: NotificationKind): boolean {
  return ORDER_KINDS.includes(kind);
}


/** Variations of the sample context, used to prove a template copes with every shape it may meet. */
export interface SampleOptions {
  /**
   * Who receives it.
   * @defaultValue `seller` for `not_scanned` and `invalid_tracking_number`, `buyer` for every other kind
   */
  role?: Role;
  /**
   * Leave out everything optional: no order on shipment kinds, no ETA, sub-status, last scan or proof.
   * @defaultValue false
   */
  sparse?: boolean;
}

interface Locale {
  buyer: string;
  seller: string;
  tag: string;
  buyerZone: string;
  sellerZone: string;
}

const LOCALES: Record<string, Locale> = {
  en: { buyer: 'Jordan Lee', seller: 'Harbor & Pine Goods', tag: 'en-US', buyerZone: 'America/Los_Angeles', sellerZone: 'America/New_York' },
  es: { buyer: 'Carmen Ruiz', seller: 'Casa Nopal', tag: 'es-MX', buyerZone: 'America/Mexico_City', sellerZone: 'America/Monterrey' },
};

const ORDERS: Record<string, TemplateOrder> = {
  en: {
    id: 'A-10482',
    items: [
      { name: 'Ceramic pour-over coffee set', quantity: 1, price: 48 },
      { name: 'Organic cotton tea towel', quantity: 2, price: 12.5 },
    ],
    total: 73,
    currency: 'USD',
  },
  es: {
    id: 'MX-20931',
    items: [
      { name: 'Taza de barro artesanal', quantity: 2, price: 289 },
      { name: 'Rebozo de algodón', quantity: 1, price: 671 },
    ],
    total: 1249,
    currency: 'MXN',
  },
};

const CARRIERS: Record<string, Pick<TemplateShipment, 'carrier' | 'trackingNumber' | 'trackingUrl'>> = {
  en: {
    carrier: 'UPS',
    trackingNumber: '1Z999AA10123456784',
    trackingUrl: 'https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784',
  },
  es: {
    carrier: 'DHL Express',
    trackingNumber: '7318562140',
    trackingUrl: 'https://www.dhl.com/mx-es/home/rastreo.html?tracking-id=7318562140',
  },
};

type Scan = [time: string, status: ShipmentStatus, en: string, es: string, enPlace?: string, esPlace?: string];

/** Per kind: shipment status, sub-status, ETA and latest scan as a carrier would report them. */
const SHIPMENTS: Partial<Record<NotificationKind, { status: ShipmentStatus; subStatus?: SubStatus; eta?: string; scan: Scan }>> = {
  label_created: { status: 'label_created', eta: '2026-11-26', scan: ['2026-11-21T17:40:00Z', 'label_created', 'Shipper created a label', 'Etiqueta de envío creada'] },
  shipped: { status: 'in_transit', eta: '2026-11-26', scan: ['2026-11-22T01:05:00Z', 'in_transit', 'Picked up', 'Recolectado', 'Portland, OR, US', 'Guadalajara, JAL, MX'] },
  in_transit_update: { status: 'in_transit', eta: '2026-11-26', scan: ['2026-11-23T14:12:00Z', 'in_transit', 'Departed from facility', 'Salió de la instalación', 'Ontario, CA, US', 'Querétaro, QRO, MX'] },
  delayed: { status: 'in_transit', subStatus: 'weather_delay', eta: '2026-11-28', scan: ['2026-11-24T09:30:00Z', 'exception', 'Delay due to severe weather', 'Retraso por condiciones climáticas', 'Louisville, KY, US', 'Querétaro, QRO, MX'] },
  out_for_delivery: { status: 'out_for_delivery', eta: '2026-11-26', scan: ['2026-11-26T15:02:00Z', 'out_for_delivery', 'Out for delivery', 'En ruta de entrega', 'San Diego, CA, US', 'Ciudad de México, CDMX, MX'] },
  delivery_attempted: { status: 'delivery_attempted', subStatus: 'recipient_unavailable', eta: '2026-11-27', scan: ['2026-11-26T21:47:00Z', 'delivery_attempted', 'Delivery attempted: no one available to sign', 'Intento de entrega: no había nadie para firmar', 'San Diego, CA, US', 'Ciudad de México, CDMX, MX'] },
  available_for_pickup: { status: 'available_for_pickup', subStatus: 'held_at_location', scan: ['2026-11-27T16:20:00Z', 'available_for_pickup', 'Ready for pickup', 'Listo para recoger', 'The UPS Store, 3555 Rosecrans St, San Diego, CA', 'DHL ServicePoint, Av. Insurgentes Sur 1602, CDMX'] },
  exception: { status: 'exception', subStatus: 'address_issue', eta: '2026-11-27', scan: ['2026-11-26T18:05:00Z', 'exception', 'The street number is missing from the address', 'Falta el número exterior en la dirección', 'San Diego, CA, US', 'Ciudad de México, CDMX, MX'] },
  delivered: { status: 'delivered', scan: ['2026-11-26T20:14:00Z', 'delivered', 'Delivered', 'Entregado', 'San Diego, CA, US', 'Ciudad de México, CDMX, MX'] },
  returned_to_sender: { status: 'return_to_sender', subStatus: 'returning', scan: ['2026-12-02T11:00:00Z', 'return_to_sender', 'Returning to sender: not collected', 'En devolución al remitente: no fue recogido', 'San Diego, CA, US', 'Ciudad de México, CDMX, MX'] },
  lost: { status: 'failed', subStatus: 'lost', scan: ['2026-12-04T10:00:00Z', 'failed', 'Package could not be located', 'No fue posible localizar el paquete', 'Louisville, KY, US', 'Querétaro, QRO, MX'] },
  stalled: { status: 'in_transit', eta: '2026-11-26', scan: ['2026-11-23T14:12:00Z', 'in_transit', 'Arrived at facility', 'Llegó a la instalación', 'Ontario, CA, US', 'Querétaro, QRO, MX'] },
  not_scanned: { status: 'label_created', scan: ['2026-11-21T17:40:00Z', 'label_created', 'Shipper created a label', 'Etiqueta de envío creada'] },
};

/** The sample carrier's number with its last digit mistyped, as an `invalid_tracking_number` would carry it. */
const MISTYPED: Record<string, string> = { en: '1Z999AA10123456785', es: '7318562149' };

const PROOF: Record<string, TemplateProof> = {
  en: { time: '2026-11-26T20:14:00Z', signedBy: 'J. LEE', photoUrl: 'https://www.ups.com/pod/1Z999AA10123456784.jpg', location: 'Front door' },
  es: { time: '2026-11-26T20:14:00Z', signedBy: 'C. RUIZ', photoUrl: 'https://www.dhl.com/pod/7318562140.jpg', location: 'Recepción del edificio' },
};

/**
 * Realistic data for previews and validation: an order and shipment as they would look when `kind` fires,
 * in `locale` (`en` data for locales without their own sample).
 */
export function sampleContext(kind: NotificationKind, locale: string, options: SampleOptions = {}): TemplateContext {
  const lang = LOCALES[locale] ? locale : 'en';
  const data = LOCALES[lang]!;
  const role = options.role ?? (SELLER_KINDS.includes(kind) ? 'seller' : 'buyer');
  const buyer = role === 'buyer';
  const sparse = options.sparse ?? false;
  const token = buyer ? '8fK2qL9x' : 'Tm4Rz7Vb';
  const base = lang === 'es' ? 'https://tienda.example.mx' : 'https://shop.example.com';
  const sample = SHIPMENTS[kind];
  let shipment: TemplateShipment | null = null;
  if (sample) {
    const [time, status, en, es, enPlace, esPlace] = sample.scan;
    const place = lang === 'es' ? esPlace : enPlace;
    shipment = { id: 'shp_01JD8X7Q3M', ...CARRIERS[lang]!, status: sample.status };
    if (!sparse) {
      if (sample.subStatus) shipment.subStatus = sample.subStatus;
      if (sample.eta) shipment.eta = sample.eta;
      shipment.lastEvent = { time, status, description: lang === 'es' ? es : en, ...(place ? { location: place } : {}) };
    }
  }
  return {
    recipient: {
      id: buyer ? 'rcp_buyer_8f3k2' : 'rcp_seller_2d9q1',
      name: buyer ? data.buyer : data.seller,
      role,
      locale: LOCALES[locale] ? data.tag : locale,
      timezone: buyer ? data.buyerZone : data.sellerZone,
    },
    order: sparse && !isOrderKind(kind) ? null : structuredClone(ORDERS[lang]!),
    shipment,
    proof: kind === 'delivered' && !sparse ? { ...PROOF[lang]! } : null,
    links: { track: `${base}/t/${token}`, preferences: `${base}/p/${token}`, unsubscribe: `${base}/u/${token}` },
    kind,
    ...(kind === KIND_FIELDS.invalidTrackingNumber ? { invalidTrackingNumber: MISTYPED[lang]! } : {}),
    digest: kind === 'in_transit_update' && shipment && !sparse ? sampleDigest(lang, shipment) : null,
  };
}

/** Three scans of the sample parcel on the day of its `in_transit_update`, the last one being its latest scan. */
function sampleDigest(lang: string, shipment: TemplateShipment): TemplateDigest {
  const es = lang === 'es';
  const events: TemplateEvent[] = [
    { time: '2026-11-23T03:40:00Z', status: 'in_transit', description: es ? 'Llegó a la instalación' : 'Arrived at facility', location: es ? 'Guadalajara, JAL, MX' : 'Portland, OR, US' },
    { time: '2026-11-23T09:55:00Z', status: 'in_transit', description: es ? 'En tránsito' : 'In transit', location: es ? 'León, GTO, MX' : 'Sacramento, CA, US' },
  ];
  if (shipment.lastEvent) events.push({ ...shipment.lastEvent });
  return { shipments: [{ carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, trackingUrl: shipment.trackingUrl, events }] };
}
