/**
 * The only functions a template can call. Kept small on purpose: each one is something copy needs and
 * cannot do by itself (dates in the reader's zone, money in the reader's format, status words).
 */
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { languageOf } from './locale.js';

/** What the renderer puts in Handlebars' `@data` frame for helpers; templates cannot read it. */
export interface RenderData {
  /** BCP 47 tag for Intl: the recipient's when it shares the template's language, else the template's. */
  locale: string;
  /** A valid IANA zone (the recipient's, or `UTC` when theirs is not one). */
  timeZone: string;
}

export interface HelperSpec {
  /** Positional arguments allowed, `[min, max]`. */
  args: readonly [number, number];
  /** Named (`key=value`) arguments allowed. */
  hash: readonly string[];
  fn: (...args: unknown[]) => unknown;
}

/** Block helpers kept from Handlebars; each takes exactly one argument. `lookup` and `log` are removed. */
export const BLOCK_HELPERS = ['if', 'unless', 'each', 'with'] as const;

/**
 * Intl formatters cost far more to build than to use, and messages reuse a handful of
 * (locale, zone, style) combinations: keep them, bounded.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    f = make();
    if (formatters.size > 2000) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}
const dateFormat = (locale: string, options: Intl.DateTimeFormatOptions) =>
  cached(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
const numberFormat = (locale: string, options: Intl.NumberFormatOptions) =>
  cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));

const DATE_STYLES: Record<string, Intl.DateTimeFormatOptions> = {
  long: { weekday: 'long', month: 'long', day: 'numeric' },
  short: { month: 'short', day: 'numeric' },
  full: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
};

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const STATUS_WORDS: Record<string, Record<string, string>> = {
  en: {
    pending: 'Pending', label_created: 'Label created', in_transit: 'In transit', out_for_delivery: 'Out for delivery',
    available_for_pickup: 'Ready for pickup', delivery_attempted: 'Delivery attempted', delivered: 'Delivered',
    exception: 'Problem reported', return_to_sender: 'Returning to sender', failed: 'Lost or damaged',
    cancelled: 'Cancelled', expired: 'Tracking expired', unknown: 'Unknown',
  },
  es: {
    pending: 'Pendiente', label_created: 'Etiqueta creada', in_transit: 'En camino', out_for_delivery: 'En reparto',
    available_for_pickup: 'Listo para recoger', delivery_attempted: 'Intento de entrega', delivered: 'Entregado',
    exception: 'Incidencia', return_to_sender: 'De regreso al remitente', failed: 'Perdido o dañado',
    cancelled: 'Cancelado', expired: 'Seguimiento vencido', unknown: 'Desconocido',
  },
};

// Spanish wording avoids á, í, ó, ú on purpose: they are outside GSM-7 and would halve what an SMS can hold.
const SUB_STATUS_WORDS: Record<string, Record<string, string>> = {
  en: {
    customs_hold: 'held in customs', address_issue: 'the delivery address needs attention',
    recipient_refused: 'delivery refused', recipient_unavailable: 'no one was available to receive it',
    payment_required: 'duties or fees must be paid before delivery', signature_required: 'a signature is required',
    weather_delay: 'severe weather', carrier_delay: "a delay on the carrier's side", damaged: 'the package was damaged',
    lost: 'the package was lost', held_at_location: 'held at a carrier location', rescheduled: 'delivery rescheduled',
    returning: 'on its way back to the sender', returned: 'returned to the sender',
    label_voided: 'the shipping label was cancelled', other: 'an issue in transit',
  },
  es: {
    customs_hold: 'retenido en aduana', address_issue: 'hay que revisar el domicilio de entrega',
    recipient_refused: 'entrega rechazada', recipient_unavailable: 'destinatario ausente',
    payment_required: 'impuestos o aranceles pendientes de pago', signature_required: 'se requiere firma',
    weather_delay: 'mal tiempo', carrier_delay: 'retraso del transportista', damaged: 'paquete dañado',
    lost: 'paquete extraviado', held_at_location: 'retenido en una sucursal del transportista',
    rescheduled: 'entrega reprogramada', returning: 'de regreso al remitente', returned: 'devuelto al remitente',
    label_voided: 'etiqueta cancelada', other: 'incidencia en el trayecto',
  },
};

function dataOf(options: unknown): RenderData {
  const data = (options as HelperOptions | undefined)?.data as Partial<RenderData> | undefined;
  return { locale: data?.locale ?? 'en', timeZone: data?.timeZone ?? 'UTC' };
}

/** Intl puts no-break spaces in times and amounts; plain spaces keep SMS in GSM-7 and text predictable. */
function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f\u2009]/g, ' ');
}

function toDate(value: unknown): { date: Date; dateOnly: boolean } | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const dateOnly = typeof value === 'string' && DATE_ONLY.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? undefined : { date, dateOnly };
}

function formatDate(value: unknown, options: HelperOptions): string {
  const style = (options.hash as { style?: unknown }).style ?? 'long';
  const format = typeof style === 'string' ? DATE_STYLES[style] : undefined;
  if (!format) throw new Error(`formatDate: style must be one of ${Object.keys(DATE_STYLES).join(', ')}; got "${String(style)}"`);
  const parsed = toDate(value);
  if (!parsed) return value === null || value === undefined ? '' : String(value);
  const { locale, timeZone } = dataOf(options);
  // A bare date is a calendar day, not midnight UTC: showing it in the reader's zone would move it a day back.
  const zone = parsed.dateOnly ? 'UTC' : timeZone;
  return plainSpaces(dateFormat(locale, { ...format, timeZone: zone }).format(parsed.date));
}

function formatDateTime(value: unknown, options: HelperOptions): string {
  const parsed = toDate(value);
  if (!parsed) return value === null || value === undefined ? '' : String(value);
  if (parsed.dateOnly) return formatDate(value, { ...options, hash: {} });
  const { locale, timeZone } = dataOf(options);
  const format: Intl.DateTimeFormatOptions = { ...DATE_STYLES.long, hour: 'numeric', minute: '2-digit', timeZone };
  return plainSpaces(dateFormat(locale, format).format(parsed.date));
}

function formatMoney(amount: unknown, currency: unknown, options: HelperOptions): string {
  const value = typeof amount === 'number' ? amount : Number(amount);
  if (amount === null || amount === undefined || Number.isNaN(value)) return '';
  const code = typeof currency === 'string' ? currency.toUpperCase() : '';
  try {
    return plainSpaces(numberFormat(dataOf(options).locale, { style: 'currency', currency: code }).format(value));
  } catch {
    // An unknown currency code should not stop a delivery notice; show the amount and the code as given.
    return `${value.toFixed(2)} ${code}`.trim();
  }
}

function words(table: Record<string, Record<string, string>>, value: unknown, options: HelperOptions): string {
  if (typeof value !== 'string' || value === '') return '';
  const byLanguage = table[languageOf(dataOf(options).locale)] ?? table.en!;
  return byLanguage[value] ?? value.replace(/[_-]+/g, ' ').toLowerCase();
}

/** Every callable helper, with the arguments it accepts (the validator checks calls against this). */
export const TEMPLATE_HELPERS: Record<string, HelperSpec> = {
  /** `{{formatDate shipment.eta}}` → `Thursday, November 26`; `style="short"` → `Nov 26`; `style="full"` adds the year. */
  formatDate: { args: [1, 1], hash: ['style'], fn: formatDate as HelperSpec['fn'] },
  /** `{{formatDateTime proof.time}}` → `Thursday, November 26 at 12:14 PM`, in the recipient's zone. */
  formatDateTime: { args: [1, 1], hash: [], fn: formatDateTime as HelperSpec['fn'] },
  /** `{{formatMoney order.total order.currency}}` → `$73.00`. */
  formatMoney: { args: [2, 2], hash: [], fn: formatMoney as HelperSpec['fn'] },
  /** `{{#if (eq recipient.role "seller")}}`: strict equality. */
  eq: { args: [2, 2], hash: [], fn: (a, b) => a === b },
  /** `{{subStatusText shipment.subStatus}}` → `a problem with the delivery address` (lower case, for mid-sentence). */
  subStatusText: { args: [1, 1], hash: [], fn: ((value, options) => words(SUB_STATUS_WORDS, value, options as HelperOptions)) },
  /** `{{statusText shipment.status}}` → `Out for delivery` (a label, sentence case). */
  statusText: { args: [1, 1], hash: [], fn: ((value, options) => words(STATUS_WORDS, value, options as HelperOptions)) },
  /** `{{pluralize order.items.length "item" "items"}}` → `item` when the count is 1, else `items`. */
  pluralize: { args: [3, 3], hash: [], fn: (count, singular, plural) => (Number(count) === 1 ? singular : plural) },
};

interface HelperRegistry {
  registerHelper(name: string, fn: HelperDelegate): void;
  unregisterHelper(name: string): void;
}

/**
 * Make `env` expose exactly the helpers above plus the kept block helpers. `lookup` goes because it reads a
 * property chosen at render time, which no validator can check; `log` goes because it would write recipient
 * data into the worker's logs.
 */
export function installHelpers(env: HelperRegistry): void {
  env.unregisterHelper('lookup');
  env.unregisterHelper('log');
  for (const [name, spec] of Object.entries(TEMPLATE_HELPERS)) env.registerHelper(name, located(spec.fn) as HelperDelegate);
}

/**
 * Handlebars locates its own errors but not a helper's; it does hand every helper the call's position
 * (`options.loc`), so a failing helper reports it the same way (`lineNumber`, 0-based `column`).
 */
function located(fn: HelperSpec['fn']): HelperSpec['fn'] {
  return (...args) => {
    try {
      return fn(...args);
    } catch (error) {
      const loc = (args.at(-1) as { loc?: { start?: { line: number; column: number } } } | undefined)?.loc?.start;
      if (!loc || !(error instanceof Error)) throw error;
      throw Object.assign(new Error(error.message, { cause: error }), { lineNumber: loc.line, column: loc.column });
    }
  };
}

/** `knownHelpers` for compilation: calls compile to direct invocations; anything else is refused. */
export function knownHelpers(): Record<string, boolean> {
  const known: Record<string, boolean> = { lookup: false, log: false };
  for (const name of BLOCK_HELPERS) known[name] = true;
  for (const name of Object.keys(TEMPLATE_HELPERS)) known[name] = true;
  return known;
}
