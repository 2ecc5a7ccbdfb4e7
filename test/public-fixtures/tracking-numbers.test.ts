/**
 * The published test numbers of jkeen/tracking_number_data in `../shared/fixtures/tracking-numbers/`
 * (see its README for provenance): every `valid` number is accepted with its carrier, every `invalid` one
 * refused, and the project's own table agrees with the data's tracking pages and lookups.
 */
import { describe, expect, it, vi } from 'vitest';
import { InvalidTrackingNumberError } from '../../src/ingest/errors.js';
import { identifyTrackingNumber } from '../../src/ingest/tracking-number.js';
import { CARRIER_TRACKING_URLS, TRACKING_FORMATS, type TableCarrier } from '../../src/ingest/tracking-numbers/formats.js';
import { S10_POSTS } from '../../src/ingest/tracking-numbers/s10-posts.js';
import { S10_SERVICES, UPS_SERVICES, UPS_WAYBILL_SERVICES, USPS_SERVICES, type ServiceNamer } from '../../src/ingest/tracking-numbers/service-names.js';
import { fixtureJson, HAVE_FIXTURES, noteMissingFixtures } from '../support/fixtures.js';

interface Lookup {
  matches?: string;
  matches_regex?: string;
  name?: string;
  courier?: string;
}

interface DataFormat {
  name: string;
  id?: string;
  tracking_url?: string | null;
  test_numbers: { valid: string[]; invalid: string[] };
  additional?: { name: string; regex_group_name: string; lookup: Lookup[] }[];
}

interface CourierFile {
  courier_code: TableCarrier;
  tracking_numbers: DataFormat[];
}

const FILES: TableCarrier[] = ['ups', 'usps', 'fedex', 'dhl', 's10'];

interface Case {
  file: TableCarrier;
  format: string;
  number: string;
}

it('says in one line when the public fixtures are absent, and nothing when they are there', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    noteMissingFixtures();
    expect(log).toHaveBeenCalledTimes(HAVE_FIXTURES ? 0 : 1);
  } finally {
    log.mockRestore();
  }
  noteMissingFixtures();
});

describe.runIf(HAVE_FIXTURES)('public tracking-number vectors (jkeen/tracking_number_data)', () => {
  const files = HAVE_FIXTURES ? FILES.map((file) => fixtureJson<CourierFile>('tracking-numbers', `${file}.json`)) : [];
  const cases = (kind: 'valid' | 'invalid'): Case[] =>
    files.flatMap((data) => data.tracking_numbers.flatMap((format) => format.test_numbers[kind].map((number) => ({ file: data.courier_code, format: format.name, number }))));
  const valid = cases('valid');
  const invalid = cases('invalid');
  /** An S10 number belongs to the post of its country; the US one is USPS's own. */
  const expectedCarrier = ({ file, number }: Case) => (file === 's10' ? (number.trim().endsWith('US') ? 'usps' : 's10') : file);

  it('holds the 97 valid and 46 invalid numbers the fixtures README lists (137 of them UPS, USPS, FedEx or DHL)', () => {
    expect([valid.length, invalid.length]).toEqual([97, 46]);
    expect([...valid, ...invalid].filter((c) => c.file !== 's10')).toHaveLength(137);
  });

  it.each(valid.map((c) => [c.file, c.format, c.number, c] as const))('%s %s: accepts %j with its carrier', (_file, _format, number, c) => {
    const carrier = expectedCarrier(c);
    expect(identifyTrackingNumber(number).carrier).toBe(carrier);
    expect(identifyTrackingNumber(number, carrier).trackingNumber).toBe(number.replace(/\s+/g, ''));
  });

  it.each(invalid.map((c) => [c.file, c.format, c.number, c] as const))('%s %s: refuses %j, with or without its carrier', (_file, _format, number, c) => {
    expect(() => identifyTrackingNumber(number)).toThrow(InvalidTrackingNumberError);
    expect(() => identifyTrackingNumber(number, expectedCarrier(c))).toThrow(InvalidTrackingNumberError);
  });

  it('has every data format in the table, under the same name and carrier', () => {
    const data = files.flatMap((file) => file.tracking_numbers.map((format) => `${file.courier_code}:${format.name}`)).sort();
    expect(TRACKING_FORMATS.map((format) => `${format.carrier}:${format.name}`).sort()).toEqual(data);
  });

  it("uses each carrier's tracking page from the data (DHL's over https)", () => {
    for (const file of files) {
      for (const format of file.tracking_numbers) {
        if (typeof format.tracking_url !== 'string') continue;
        expect(CARRIER_TRACKING_URLS[file.courier_code], format.name).toBe(format.tracking_url.replace(/^http:/, 'https:'));
      }
    }
  });

  it('knows every S10 issuing post the data lists, and no other', () => {
    const lookup = files.find((file) => file.courier_code === 's10')!.tracking_numbers[0]!.additional!.find((entry) => entry.regex_group_name === 'CountryCode')!.lookup;
    expect(S10_POSTS).toEqual(Object.fromEntries(lookup.map((entry) => [entry.matches, entry.courier])));
  });

  it('names service codes as the data does', () => {
    const namers: Record<string, ServiceNamer> = { UPS: UPS_SERVICES, 'UPS Waybill': UPS_WAYBILL_SERVICES, 'USPS 20': USPS_SERVICES, 'USPS Legacy': USPS_SERVICES, S10: S10_SERVICES };
    const alphabet = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
    let checked = 0;
    for (const file of files) {
      for (const format of file.tracking_numbers) {
        const namer = namers[format.name];
        const lookup = format.additional?.find((entry) => entry.regex_group_name === 'ServiceType')?.lookup;
        if (namer === undefined || lookup === undefined) continue;
        for (const entry of lookup) {
          const codes = entry.matches !== undefined ? [entry.matches] : alphabet.flatMap((a) => alphabet.map((b) => a + b)).filter((code) => new RegExp(`^(?:${entry.matches_regex})$`).test(code));
          for (const code of codes) {
            expect(namer(code), `${format.name} ${code}`).toBe(entry.name);
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});
