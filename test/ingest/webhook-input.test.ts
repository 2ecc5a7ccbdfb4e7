import { describe, expect, it } from 'vitest';
import { WebhookPayloadError } from '../../src/ingest/errors.js';
import {
  bodyDigest,
  deliveryIdFrom,
  etaValue,
  eventTime,
  field,
  headerValues,
  joinLocation,
  optionalArray,
  optionalObject,
  parseJsonObject,
  requiredText,
  text,
} from '../../src/ingest/webhook-input.js';

function refusedField(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookPayloadError);
    return (error as WebhookPayloadError).field;
  }
  throw new Error('expected a refusal');
}

describe('eventTime', () => {
  it.each([
    ['2026-11-20T09:15:00Z', '2026-11-20T09:15:00.000Z'],
    ['2026-11-20T09:15:00.5Z', '2026-11-20T09:15:00.500Z'],
    ['2026-11-20T09:15:00-05:00', '2026-11-20T14:15:00.000Z'],
    ['2026-11-20T09:15:00+0530', '2026-11-20T03:45:00.000Z'],
    ['2026-11-20 09:15:00+01:00', '2026-11-20T08:15:00.000Z'],
    ['2026-11-20T09:15', '2026-11-20T09:15:00.000Z'],
    ['2026-11-20T09:15:00', '2026-11-20T09:15:00.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
    ['2026-11-20t09:15:00z', '2026-11-20T09:15:00.000Z'],
    ['  2026-11-20T09:15:00Z  ', '2026-11-20T09:15:00.000Z'],
  ])('reads %s as %s', (value, expected) => {
    expect(eventTime(value, 'x.time')).toBe(expected);
  });

  it.each([undefined, null, 1764000000, '', 'now', '20/11/2026', '2026-02-30T00:00:00Z', '2026-11-20T24:61:00Z', 'Fri, 20 Nov 2026 09:15:00 GMT', '2026-11-20T09:15:00+25'])(
    'refuses %s, naming the field',
    (value) => {
      expect(refusedField(() => eventTime(value, 'msg.checkpoints[2].checkpoint_time'))).toBe('msg.checkpoints[2].checkpoint_time');
    },
  );
});

describe('etaValue', () => {
  it('keeps a date, keeps a zoned time as written, and keeps only the date of a zoneless time', () => {
    expect(etaValue('2026-11-24')).toBe('2026-11-24');
    expect(etaValue('2026-11-24T17:00:00-05:00')).toBe('2026-11-24T17:00:00-05:00');
    expect(etaValue('2026-11-24 17:00:00+0100')).toBe('2026-11-24T17:00:00+01:00');
    expect(etaValue('2026-11-24T17:00:00')).toBe('2026-11-24');
  });

  it('reads anything else as absent', () => {
    for (const value of [undefined, null, '', 'soon', 20261124, '2026-02-29', '2026-11-24T99:00:00Z', { date: '2026-11-24' }]) {
      expect(etaValue(value)).toBeUndefined();
    }
  });
});

describe('JSON field readers', () => {
  const object = JSON.parse('{"a":" x ","b":"","c":5,"o":{"k":1},"l":[1],"n":null,"__proto__":{"polluted":"yes"}}') as Record<string, unknown>;

  it('reads own properties only', () => {
    expect(field(object, 'a')).toBe(' x ');
    expect(field(object, 'constructor')).toBeUndefined();
    expect(field(object, 'polluted')).toBeUndefined();
    expect(field(object, '__proto__')).toEqual({ polluted: 'yes' });
  });

  it('reads text trimmed, and blank or non-string text as absent', () => {
    expect(text(object, 'a')).toBe('x');
    expect([text(object, 'b'), text(object, 'c'), text(object, 'missing'), text(object, 'toString')]).toEqual([undefined, undefined, undefined, undefined]);
    expect(requiredText(object, 'a', 'p.a')).toBe('x');
    expect(refusedField(() => requiredText(object, 'c', 'p.c'))).toBe('p.c');
  });

  it('reads nested objects and arrays, refusing the wrong kind', () => {
    expect(optionalObject(object, 'o', 'p.o')).toEqual({ k: 1 });
    expect(optionalObject(object, 'n', 'p.n')).toBeUndefined();
    expect(refusedField(() => optionalObject(object, 'l', 'p.l'))).toBe('p.l');
    expect(optionalArray(object, 'l', 'p.l')).toEqual([1]);
    expect(optionalArray(object, 'missing', 'p.m')).toEqual([]);
    expect(refusedField(() => optionalArray(object, 'o', 'p.o'))).toBe('p.o');
  });

  it('parses only JSON objects', () => {
    expect(parseJsonObject(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    for (const body of ['', 'x', '[]', '1', 'null', '\ufeff{"a":1}', '{"a":1']) {
      expect(refusedField(() => parseJsonObject(Buffer.from(body)))).toBe('body');
    }
    expect(refusedField(() => parseJsonObject(Buffer.from([0xff, 0xfe, 0x7b])))).toBe('body');
  });
});

describe('headers, digests and places', () => {
  it('finds header values whatever the case of the name, trimmed, dropping blanks', () => {
    expect(headerValues({ 'X-Hmac-Signature': ' a ', 'x-hmac-signature': ['b', ''], other: 'c', gone: undefined }, 'x-hmac-signature')).toEqual(['a', 'b']);
    expect(headerValues({}, 'x-hmac-signature')).toEqual([]);
  });

  it('keeps a delivery id as sent unless it is too long to be one', () => {
    expect(deliveryIdFrom('94dadd60-ed26-46d0-aa52-3ced925a50ff')).toBe('94dadd60-ed26-46d0-aa52-3ced925a50ff');
    expect(deliveryIdFrom('e'.repeat(128))).toBe('e'.repeat(128));
    const long = deliveryIdFrom('e'.repeat(129));
    expect(long).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(deliveryIdFrom('e'.repeat(129))).toBe(long);
    expect(deliveryIdFrom('f'.repeat(129))).not.toBe(long);
  });

  it('digests the exact bytes', () => {
    expect(bodyDigest(Buffer.from('{"a":1}'))).toBe(bodyDigest(Buffer.from('{"a":1}')));
    expect(bodyDigest(Buffer.from('{"a":1}'))).not.toBe(bodyDigest(Buffer.from('{"a": 1}')));
  });

  it('joins the parts of a place that are present', () => {
    expect(joinLocation(['Dayton', undefined, '', 'US'])).toBe('Dayton, US');
    expect(joinLocation([undefined, ''])).toBeUndefined();
  });
});
