import { describe, expect, it } from 'vitest';
import { formattingLocale, languageOf, localeChain, validTimeZone } from '../../src/render/locale.js';

describe('locale resolution', () => {
  it('walks from the most specific tag to en', () => {
    expect(localeChain('es-MX')).toEqual(['es-MX', 'es', 'en']);
    expect(localeChain('es')).toEqual(['es', 'en']);
    expect(localeChain('en-GB')).toEqual(['en-GB', 'en']);
    expect(localeChain('zh-hant-tw')).toEqual(['zh-Hant-TW', 'zh-Hant', 'zh', 'en']);
  });

  it('sends a tag that is not BCP 47 straight to en', () => {
    expect(localeChain('not a locale')).toEqual(['en']);
    expect(localeChain('')).toEqual(['en']);
  });

  it('formats in the recipient region only when it speaks the template language', () => {
    expect(formattingLocale('es-MX', 'es')).toBe('es-MX');
    expect(formattingLocale('fr-CA', 'en')).toBe('en');
    expect(formattingLocale('garbage!', 'es')).toBe('es');
    expect(languageOf('ES-mx')).toBe('es');
  });

  it('replaces a time zone Intl does not know with UTC', () => {
    expect(validTimeZone('America/Mexico_City')).toBe('America/Mexico_City');
    expect(validTimeZone('Mars/Olympus_Mons')).toBe('UTC');
  });
});
