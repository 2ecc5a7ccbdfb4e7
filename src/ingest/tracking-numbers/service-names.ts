/**
 * What the service code inside a tracking number means, for the formats that carry one. Facts from
 * jkeen/tracking_number_data (couriers/ups.json, usps.json, s10.json, "Service Type" lookups); they describe
 * a number, they never decide whether it is valid.
 */

/** Names a service code, or `undefined` when the code is not one the data set knows. */
export type ServiceNamer = (code: string) => string | undefined;

function byCode(names: Readonly<Record<string, string>>): ServiceNamer {
  return (code) => (Object.hasOwn(names, code) ? names[code] : undefined);
}

function byPattern(rules: ReadonlyArray<readonly [RegExp, string]>): ServiceNamer {
  return (code) => rules.find(([pattern]) => pattern.test(code))?.[1];
}

/** The two characters after the UPS shipper number in a `1Z` number. */
export const UPS_SERVICES = byCode({
  '01': 'UPS United States Next Day Air (Red)',
  '02': 'UPS United States Second Day Air (Blue)',
  '03': 'UPS United States Ground',
  '12': 'UPS United States Third Day Select',
  '13': 'UPS United States Next Day Air Saver (Red Saver)',
  '15': 'UPS United States Next Day Air Early A.M.',
  '22': 'UPS United States Ground - Returns Plus - Three Pickup Attempts',
  '32': 'UPS United States Next Day Air Early A.M. - COD',
  '33': 'UPS United States Next Day Air Early A.M. - Saturday Delivery, COD',
  '41': 'UPS United States Next Day Air Early A.M. - Saturday Delivery',
  '42': 'UPS United States Ground - Signature Required',
  '44': 'UPS United States Next Day Air - Saturday Delivery',
  '66': 'UPS United States Worldwide Express',
  '72': 'UPS United States Ground - Collect on Delivery',
  '78': 'UPS United States Ground - Returns Plus - One Pickup Attempt',
  '90': 'UPS United States Ground - Returns - UPS Prints and Mails Label',
  A0: 'UPS United States Next Day Air Early A.M. - Adult Signature Required',
  A1: 'UPS United States Next Day Air Early A.M. - Saturday Delivery, Adult Signature Required',
  A2: 'UPS United States Next Day Air - Adult Signature Required',
  A8: 'UPS United States Ground - Adult Signature Required',
  A9: 'UPS United States Next Day Air Early A.M. - Adult Signature Required, COD',
  AA: 'UPS United States Next Day Air Early A.M. - Saturday Delivery, Adult Signature Required, COD',
  YW: 'UPS SurePost - Delivered by the USPS',
});

/** The letter that starts a UPS waybill number. */
export const UPS_WAYBILL_SERVICES = byCode({ J: 'UPS Next Day Express', K: 'UPS Ground', V: 'UPS WorldWide Express Saver' });

/** The two-digit service code of USPS 20-digit and `91` numbers (USPS Publication 91). */
export const USPS_SERVICES = byPattern([
  [/^0[1-8]$|^14$/, 'Delivery Confirmation'],
  [/^2[1-6]$|^34$/, 'Signature Confirmation'],
  [/^50$/, 'Electronic File Header'],
  [/^56$/, 'Passive Enroute Scan'],
  [/^73$/, 'Insured Mail'],
  [/^8[235]$/, 'Merchandise Return'],
]);

/** The three-digit service type code of an IMpb commercial (`92`/`93`/`95`) barcode. */
export const USPS_IMPB_SERVICES = byCode({ '612': 'Parcel Select' });

/** The two letters that start an S10 number: the first names the class of mail (UPU standard S10). */
export const S10_SERVICES = byPattern([
  [/^E[A-Z]$/, 'EMS'],
  [/^L[A-Z]$/, 'Letter Post Express'],
  [/^M[A-Z]$/, 'Letter Post M-bag'],
  [/^Q[A-M]$/, 'Letter Post IBRS'],
  [/^R[A-Z]$/, 'Letter Post Registered'],
  [/^U[A-Z]$/, 'Letter Post Misc'],
  [/^V[A-Z]$/, 'Letter Post Insured'],
  [/^C[A-Z]$/, 'Parcel Post'],
  [/^H[A-Z]$/, 'Parcel Post (e-commerce)'],
  [/^(?:[BDNPZ][A-Z]|A[V-Z]|G[AD])$/, 'Domestic'],
]);
