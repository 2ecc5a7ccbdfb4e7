/**
 * Locale handling for templates: which folder answers a BCP 47 tag, and which Intl locale and time zone
 * the helpers format with.
 */

/** Where every lookup ends; the shipped templates are complete for it. */
export const DEFAULT_LOCALE = 'en';

const canonicalCache = new Map<string, string | undefined>();

function canonical(tag: string): string | undefined {
  if (canonicalCache.has(tag)) return canonicalCache.get(tag);
  let value: string | undefined;
  try {
    value = Intl.getCanonicalLocales(tag)[0];
  } catch {
    value = undefined;
  }
  if (canonicalCache.size < 1000) canonicalCache.set(tag, value);
  return value;
}

/**
 * Template folders to try for `tag`, most specific first: `es-MX` → `es-MX`, `es`, `en`;
 * `zh-Hant-TW` → `zh-Hant-TW`, `zh-Hant`, `zh`, `en`. A tag that is not BCP 47 gets `en` alone.
 */
export function localeChain(tag: string): string[] {
  const chain: string[] = [];
  const parts = canonical(tag)?.split('-') ?? [];
  for (let length = parts.length; length > 0; length--) chain.push(parts.slice(0, length).join('-'));
  if (!chain.includes(DEFAULT_LOCALE)) chain.push(DEFAULT_LOCALE);
  return chain;
}

/** `es-MX` → `es`. */
export function languageOf(tag: string): string {
  return (canonical(tag) ?? DEFAULT_LOCALE).split('-')[0]!.toLowerCase();
}

/**
 * The locale helpers format with. The recipient's own tag keeps regional formats (`es-MX` money, 24-hour
 * clocks…) as long as it speaks the template's language; otherwise the template's locale, so an English
 * fallback template does not print French month names.
 */
export function formattingLocale(recipientLocale: string, templateLocale: string): string {
  const recipient = canonical(recipientLocale);
  if (recipient && languageOf(recipient) === languageOf(templateLocale)) return recipient;
  return canonical(templateLocale) ?? DEFAULT_LOCALE;
}

/** The recipient's zone if Intl knows it, else UTC (a wrong hour beats a failed notification). */
export function validTimeZone(zone: string): string {
  let known = zoneCache.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = zone;
    } catch {
      known = 'UTC';
    }
    // Building an Intl formatter is the costly part of rendering; zones are few, so remember them.
    if (zoneCache.size < 1000) zoneCache.set(zone, known);
  }
  return known;
}

const zoneCache = new Map<string, string>();
