import { describe, expect, it } from 'vitest';
import { isGsm7, smsSegments } from '../../src/render/sms-segments.js';

describe('smsSegments', () => {
  it('counts an empty text as nothing to send', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', segments: 0, units: 0 });
  });

  it('fits 160 GSM-7 characters in one segment and splits 161 into two of 153', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
    expect(smsSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', segments: 2, units: 306 });
    expect(smsSegments('a'.repeat(307))).toEqual({ encoding: 'GSM-7', segments: 3, units: 307 });
  });

  it('counts extension characters (€, braces, brackets, tilde, pipe, caret, backslash) as two septets', () => {
    expect(smsSegments('€')).toEqual({ encoding: 'GSM-7', segments: 1, units: 2 });
    expect(smsSegments('{}[]~|^\\').units).toBe(16);
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(smsSegments(`${'a'.repeat(159)}€`)).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
  });

  it('never splits an escape sequence across two segments', () => {
    // 152 plain septets, then € (2 septets) does not fit in the 153 left, so it opens segment two.
    const text = `${'a'.repeat(152)}€${'b'.repeat(152)}`;
    expect(smsSegments(text)).toEqual({ encoding: 'GSM-7', segments: 3, units: 306 });
  });

  it('follows the real GSM 03.38 table for Spanish: é ñ ü ¿ ¡ are in, á í ó ú are not', () => {
    for (const char of ['é', 'É', 'ñ', 'Ñ', 'ü', 'Ü', '¿', '¡', 'à', 'è', 'ì', 'ò', 'ù', 'Ç', '£', '¥', '§', 'Δ', '_', '@', '$']) {
      expect(isGsm7(char), char).toBe(true);
    }
    for (const char of ['á', 'í', 'ó', 'ú', 'Á', 'Í', 'Ó', 'Ú', 'ç', '`', '’', '“', '–', '\u00a0']) {
      expect(isGsm7(char), char).toBe(false);
    }
    expect(smsSegments('¿Dónde está?').encoding).toBe('UCS-2');
    expect(smsSegments('¡Qué bien, señor!').encoding).toBe('GSM-7');
  });

  it('switches to UCS-2 at 70 code units per message and 67 per part', () => {
    const accented = 'á'.repeat(70);
    expect(smsSegments(accented)).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(smsSegments(`${accented}a`)).toEqual({ encoding: 'UCS-2', segments: 2, units: 71 });
    expect(smsSegments('á'.repeat(134))).toEqual({ encoding: 'UCS-2', segments: 2, units: 134 });
    expect(smsSegments('á'.repeat(135))).toEqual({ encoding: 'UCS-2', segments: 3, units: 135 });
  });

  it('counts an emoji as two UTF-16 units and keeps its surrogate pair in one part', () => {
    expect(smsSegments('📦')).toEqual({ encoding: 'UCS-2', segments: 1, units: 2 });
    expect(smsSegments('📦'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    // 66 units, then a pair that would straddle the 67-unit boundary moves whole to the next part.
    expect(smsSegments(`${'x'.repeat(66)}📦${'y'.repeat(66)}`)).toEqual({ encoding: 'UCS-2', segments: 3, units: 134 });
  });

  it('treats line breaks as ordinary GSM-7 characters', () => {
    expect(smsSegments('line one\nline two\r\n')).toEqual({ encoding: 'GSM-7', segments: 1, units: 19 });
  });
});
