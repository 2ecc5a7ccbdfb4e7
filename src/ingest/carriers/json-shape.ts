/**
 * Reading a carrier's JSON without trusting it. Every accessor accepts anything and answers with a value
 * of the asked-for type or `undefined`, so a parser written with them cannot throw a TypeError on a
 * missing object, a number where a string was documented, or a prototype-named key.
 */

export type JsonObject = Readonly<Record<string, unknown>>;

/** Longest text kept from a carrier field: descriptions are a sentence, not a document. */
export const MAX_TEXT_CHARS = 500;
/** Most events kept from one answer; real parcels have tens. */
export const MAX_EVENTS = 500;

export function obj(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** Own property only: `constructor` or `__proto__` in a body must read as absent, not as Object's. */
export function field(value: unknown, key: string): unknown {
  const o = obj(value);
  return o !== undefined && Object.hasOwn(o, key) ? o[key] : undefined;
}

/** Follows a path of own properties: `at(body, 'output', 'completeTrackResults')`. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = field(current, step);
    if (current === undefined) return undefined;
  }
  return current;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value.slice(0, MAX_EVENTS) : [];
}

/** A non-empty trimmed string (numbers written as such are accepted: carriers mix "003" and 3). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, MAX_TEXT_CHARS);
}

/** Joins the non-empty parts of an address or name with ", ". */
export function joinParts(...parts: unknown[]): string | undefined {
  const kept = parts.map(str).filter((part): part is string => part !== undefined);
  return kept.length === 0 ? undefined : kept.join(', ').slice(0, MAX_TEXT_CHARS);
}

/** An http(s) URL, or undefined: a proof link that is not one must not reach a message. */
export function httpUrl(value: unknown): string | undefined {
  const text = str(value);
  if (text === undefined || !URL.canParse(text)) return undefined;
  const protocol = new URL(text).protocol;
  return protocol === 'https:' || protocol === 'http:' ? text : undefined;
}
