/**
 * Tracking-number formats of UPS, USPS, FedEx, DHL and the UPU S10 posts, restated from the current
 * jkeen/tracking_number_data (couriers/ups.json, usps.json, fedex.json, dhl.json, s10.json): which characters
 * go where, which group holds the serial and the check digit, and how the check digit is computed.
 *
 * The data writes its patterns with `\s*` after every character so that they can find numbers in free text;
 * these patterns run on a normalized number (no spaces, upper case) and are anchored at both ends instead.
 * Lookaheads that the data uses to pick the right split of a long USPS number are kept, because the split
 * decides which digits the check digit covers.
 */
import type { Checksum } from './checksums.js';
import {
  S10_SERVICES,
  UPS_SERVICES,
  UPS_WAYBILL_SERVICES,
  USPS_IMPB_SERVICES,
  USPS_SERVICES,
  type ServiceNamer,
} from './service-names.js';

/** Carriers whose formats this table holds; `s10` is any national post that issues UPU S10 numbers. */
export const TABLE_CARRIERS = ['ups', 'usps', 'fedex', 'dhl', 's10'] as const;
export type TableCarrier = (typeof TABLE_CARRIERS)[number];

export interface TrackingFormat {
  /** The data set's id for the format (`usps_impb_c`), stable across releases. */
  id: string;
  carrier: TableCarrier;
  /** The format's name as the data set gives it, shown as the service when the number names none. */
  name: string;
  /**
   * Anchored pattern over the normalized number. `SerialNumber` and `CheckDigit` are the checksum's input;
   * other named groups feed `service` and `issuer`.
   */
  pattern: RegExp;
  /** Absent for formats without a check digit (DHL eCommerce, DHL piece ids): the shape alone decides. */
  checksum?: Checksum;
  /** Prefixed to the serial before the checksum unless the serial already starts with it (USPS `91`). */
  serialPrefix?: string;
  /** The group holding a service code, and what each code means. */
  service?: { group: string; name: ServiceNamer };
  /** The group holding the S10 issuing country, which must name a known postal operator. */
  issuerGroup?: string;
}

/** Carriers' own names for people. S10 numbers are named after the post that issued them instead. */
export const CARRIER_NAMES: Readonly<Record<TableCarrier, string>> = {
  ups: 'UPS',
  usps: 'United States Postal Service',
  fedex: 'FedEx',
  dhl: 'DHL',
  s10: 'S10 International Standard',
};

/**
 * Public tracking pages, `%s` being the number. The data gives one page per carrier (none for S10, whose
 * pages depend on the post). DHL's is listed as `http:`; messages promise https links, and dhl.com serves
 * the same page over https.
 */
export const CARRIER_TRACKING_URLS: Readonly<Partial<Record<TableCarrier, string>>> = {
  ups: 'https://wwwapps.ups.com/WebTracking/track?track=yes&trackNums=%s',
  usps: 'https://tools.usps.com/go/TrackConfirmAction?tLabels=%s',
  fedex: 'https://www.fedex.com/apps/fedextrack/?tracknumbers=%s',
  dhl: 'https://www.dhl.com/en/express/tracking.html?brand=DHL&AWB=%s',
};

const upsMod10: Checksum = { kind: 'mod10', evens: 1, odds: 2 };
const uspsMod10: Checksum = { kind: 'mod10', evens: 3, odds: 1 };
const fedexGroundMod10: Checksum = { kind: 'mod10', evens: 1, odds: 3 };
/** FedEx Express: weights 3, 1, 7 repeating over the 11-digit serial; sum mod 11, then mod 10. */
const fedexExpress: Checksum = { kind: 'weighted', weights: [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1], modulo1: 11, modulo2: 10 };
/** The 13-digit serial at the end of FedEx's 34-digit barcodes: weights 1, 7, 3 repeating. */
const fedexLong: Checksum = { kind: 'weighted', weights: [1, 7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1], modulo1: 11, modulo2: 10 };

/**
 * Optional USPS routing prefix: application identifier 420 and the destination ZIP (5 digits, or ZIP+4).
 * IMpb N allows ZIP+4 only before a 22-digit barcode and ZIP5 before a 22- or 26-digit one.
 */
const IMPB_N_ROUTING = '(?:420(?<DestinationZip>[0-9]{5})(?:(?<DestinationZipPlus4>[0-9]{4})(?=[0-9]{22}$)|(?=[0-9]{22}$|[0-9]{26}$)))?';
const IMPB_C_ROUTING = '(?:420(?<DestinationZip>[0-9]{5})(?<DestinationZipPlus4>[0-9]{4}(?=[0-9]{22}$))?)?';
const LEGACY_ROUTING = '(?:420(?<DestinationZip>[0-9]{5})(?<DestinationZipPlus4>[0-9]{4})?)?';

/**
 * IMpb mailer ids are 9 digits when they start with 9 and 6 digits otherwise (USPS Publication 199); the
 * package id then takes whatever length completes a 22-, 26- or (IMpb N only) 30-digit barcode.
 */
const IMPB_N_SPLIT = '(?=9[0-9]{8}(?:[0-9]{15}|[0-9]{11}|[0-9]{7})[0-9]$|[0-8][0-9]{5}(?:[0-9]{14}|[0-9]{10})[0-9]$)';
const IMPB_C_SPLIT = '(?=9[0-9]{8}(?:[0-9]{11}|[0-9]{7})[0-9]$|[0-8][0-9]{5}(?:[0-9]{14}|[0-9]{10})[0-9]$)';

const anchored = (...parts: string[]) => new RegExp(`^${parts.join('')}$`);

/** In table order; detection tries every format and ranks the matches afterwards. */
export const TRACKING_FORMATS: readonly TrackingFormat[] = [
  {
    id: 'ups',
    carrier: 'ups',
    name: 'UPS',
    pattern: anchored('1Z(?<SerialNumber>(?<ShipperId>[0-9A-Z]{6})(?<ServiceType>[0-9A-Z]{2})(?<PackageId>[0-9A-Z]{7}))(?<CheckDigit>[0-9])'),
    checksum: upsMod10,
    service: { group: 'ServiceType', name: UPS_SERVICES },
  },
  {
    id: 'ups_waybill',
    carrier: 'ups',
    name: 'UPS Waybill',
    pattern: anchored('(?<ServiceType>[AHJKTV])(?<SerialNumber>[0-9]{9})(?<CheckDigit>[0-9])'),
    checksum: upsMod10,
    service: { group: 'ServiceType', name: UPS_WAYBILL_SERVICES },
  },
  {
    id: 'usps_20',
    carrier: 'usps',
    name: 'USPS 20',
    pattern: anchored('(?<SerialNumber>(?<ServiceType>[0-9]{2})(?<ShipperId>[0-9]{9})(?<PackageId>[0-9]{8}))(?<CheckDigit>[0-9])'),
    checksum: uspsMod10,
    service: { group: 'ServiceType', name: USPS_SERVICES },
  },
  {
    id: 'usps_impb_n',
    carrier: 'usps',
    name: 'USPS IMpb N',
    pattern: anchored(
      IMPB_N_ROUTING,
      '(?<SerialNumber>(?<ApplicationIdentifier>94)(?<ServiceType>[0-9]{3})',
      IMPB_N_SPLIT,
      '(?<ShipperId>9[0-9]{8}|[0-8][0-9]{5})(?<PackageId>[0-9]{15}|[0-9]{14}|[0-9]{11}|[0-9]{10}|[0-9]{7}))',
      '(?<CheckDigit>[0-9])',
    ),
    // Counted from the right: the digit next to the check digit weighs 3 whatever the barcode's length.
    checksum: { ...uspsMod10, reverse: true },
  },
  {
    id: 'usps_legacy',
    carrier: 'usps',
    name: 'USPS Legacy',
    pattern: anchored(
      LEGACY_ROUTING,
      '(?<SerialNumber>(?<ApplicationIdentifier>91)?(?<ServiceType>[0-9]{2})(?<ShipperId>[0-9]{9})(?<PackageId>[0-9]{8}))',
      '(?<CheckDigit>[0-9])',
    ),
    checksum: uspsMod10,
    // Printed without its `91` application identifier, the number's check digit still covers it.
    serialPrefix: '91',
    service: { group: 'ServiceType', name: USPS_SERVICES },
  },
  {
    id: 'usps_impb_c',
    carrier: 'usps',
    name: 'USPS IMpb C',
    pattern: anchored(
      IMPB_C_ROUTING,
      // 92 goes with a 9-digit mailer id, 93 with a 6-digit one; 95 is a USPS retail counter label.
      '(?<SerialNumber>(?<ApplicationIdentifier>92(?=[0-9]{3}9)|93(?=[0-9]{3}[0-8])|95)(?<ServiceType>[0-9]{3})',
      IMPB_C_SPLIT,
      '(?<ShipperId>9[0-9]{8}|[0-8][0-9]{5})(?<PackageId>[0-9]{14}|[0-9]{11}|[0-9]{10}|[0-9]{7}))',
      '(?<CheckDigit>[0-9])',
    ),
    checksum: uspsMod10,
    service: { group: 'ServiceType', name: USPS_IMPB_SERVICES },
  },
  {
    id: 'fedex_12',
    carrier: 'fedex',
    name: 'FedEx Express (12)',
    pattern: anchored('(?<SerialNumber>[0-9]{11})(?<CheckDigit>[0-9])'),
    checksum: fedexExpress,
  },
  {
    id: 'fedex_34',
    carrier: 'fedex',
    name: 'FedEx Express (34)',
    pattern: anchored('[0-8][0-9]{14}(?<DestinationZip>[0-9]{5})(?<SerialNumber>[0-9]{13})(?<CheckDigit>[0-9])'),
    checksum: fedexLong,
  },
  {
    // The legacy ASTRA barcode: digits 17 to 28 are a FedEx Express number, whose check digit is the only one.
    id: 'fedex_astra_32',
    carrier: 'fedex',
    name: 'FedEx ASTRA (32)',
    pattern: anchored('3[0-9]{15}(?<SerialNumber>[0-9]{11})(?<CheckDigit>[0-9])[0-9]{4}'),
    checksum: fedexExpress,
  },
  {
    id: 'fedex_ground',
    carrier: 'fedex',
    name: 'FedEx Ground',
    pattern: anchored('(?<SerialNumber>[0-9]{14})(?<CheckDigit>[0-9])'),
    checksum: fedexGroundMod10,
  },
  {
    // GS1 SSCC-18: the two-digit container type is outside the checksum.
    id: 'fedex_ground_sscc_18',
    carrier: 'fedex',
    name: 'FedEx Ground (SSCC-18)',
    pattern: anchored('(?<ShippingContainerType>[0-9]{2})(?<SerialNumber>[0-9]{15})(?<CheckDigit>[0-9])'),
    checksum: { kind: 'mod10', evens: 3, odds: 1 },
  },
  {
    id: 'fedex_ground_96',
    carrier: 'fedex',
    name: 'FedEx Ground 96 (22)',
    pattern: anchored('(?<ApplicationIdentifier>96)(?<SCNC>[0-9]{2})(?<ServiceType>[0-9]{3})(?<SerialNumber>(?<ShipperId>[0-9]{7})(?<PackageId>[0-9]{7}))(?<CheckDigit>[0-9])'),
    checksum: fedexGroundMod10,
  },
  {
    // 34 digits: the Ground shipper number (GSN), then the tracking number in the last twelve digits.
    id: 'fedex_ground_gsn',
    carrier: 'fedex',
    name: 'FedEx Ground GSN',
    pattern: anchored('(?<ApplicationIdentifier>96)(?<SCNC>[0-9]{2})[0-9]{5}(?<GSN>[0-9]{10})[0-9](?<SerialNumber>[0-9]{13})(?<CheckDigit>[0-9])'),
    checksum: fedexLong,
  },
  {
    id: 'dhl_express',
    carrier: 'dhl',
    name: 'DHL Express',
    pattern: anchored('(?<SerialNumber>[0-9]{9,10})(?<CheckDigit>[0-9])'),
    checksum: { kind: 'mod7' },
  },
  {
    id: 'dhl_express_piece_id',
    carrier: 'dhl',
    name: 'DHL Express (Piece ID)',
    pattern: anchored('J[A-Z]{2,3}(?<SerialNumber>[0-9]{9,10})'),
  },
  {
    // A two-letter origin prefix, then 10 to 39 letters and digits, the first of them a digit.
    id: 'dhl_ecommerce',
    carrier: 'dhl',
    name: 'DHL E-Commerce',
    pattern: anchored('(?:GM|LX|RX|UV|CN|SG|TH|IN|HK|MY)(?<SerialNumber>[0-9][0-9A-Z]{9,38})'),
  },
  {
    id: 'dhl_ecommerce_14',
    carrier: 'dhl',
    name: 'DHL E-Commerce (14)',
    pattern: anchored('(?<SerialNumber>[0-9]{14})'),
  },
  {
    id: 's10',
    carrier: 's10',
    name: 'S10',
    pattern: anchored('(?<ServiceType>[A-Z]{2})(?<SerialNumber>[0-9]{8})(?<CheckDigit>[0-9])(?<CountryCode>[A-Z]{2})'),
    checksum: { kind: 's10' },
    service: { group: 'ServiceType', name: S10_SERVICES },
    issuerGroup: 'CountryCode',
  },
];
