/**
 * How many SMS parts a text costs. Carriers bill per segment, so the count must match what the network
 * does: GSM 03.38 (3GPP TS 23.038) when every character is in its default alphabet, UCS-2 otherwise.
 */

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  /** Segments the message is sent as; `0` for an empty text. */
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
}

/** GSM 03.38 default alphabet, in table order (0x00–0x7F); 0x1B is the escape to the extension table. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table characters; each is sent as escape + character, so it costs two septets. */
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set([...GSM_BASIC].filter((char) => char !== '\u001b'));
const EXTENSION = new Set(GSM_EXTENSION);

/** Single-message capacity, and per-part capacity once a User Data Header is needed to concatenate. */
const LIMITS = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
} as const;

export function smsSegments(text: string): SmsSegments {
  const chars = [...text];
  const gsm = chars.every((char) => BASIC.has(char) || EXTENSION.has(char));
  const encoding = gsm ? 'GSM-7' : 'UCS-2';
  // Cost per character: an escaped GSM character or a UTF-16 surrogate pair is 2 units that must not be split.
  const costs = chars.map((char) => (gsm ? (EXTENSION.has(char) ? 2 : 1) : char.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const limit = LIMITS[encoding];
  if (units === 0) return { encoding, segments: 0, units };
  if (units <= limit.single) return { encoding, segments: 1, units };
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limit.part) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return { encoding, segments, units };
}

/** Whether every character of `text` is in the GSM-7 default alphabet or its extension table. */
export function isGsm7(text: string): boolean {
  return [...text].every((char) => BASIC.has(char) || EXTENSION.has(char));
}
