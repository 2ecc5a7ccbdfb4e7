import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeIdentifier } from '../../src/channels/safe-id.js';

describe('encodeIdentifier', () => {
  it('keeps ordinary ids readable', () => {
    expect(encodeIdentifier('ord-42_shipped')).toBe('ord-42_shipped');
    expect(encodeIdentifier('01JD3ZK4N9W1')).toBe('01JD3ZK4N9W1');
  });

  it('encodes everything else byte by byte', () => {
    expect(encodeIdentifier('a:b/c')).toBe('a=3Ab=2Fc');
    expect(encodeIdentifier('../x')).toBe('=2E=2E=2Fx');
    expect(encodeIdentifier('é')).toBe('=C3=A9');
    expect(encodeIdentifier('a=b')).toBe('a=3Db');
  });

  it('is one-to-one and only ever emits safe characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        const ea = encodeIdentifier(a);
        expect(ea).toMatch(/^[A-Za-z0-9_=-]*$/);
        if (a !== b) expect(ea).not.toBe(encodeIdentifier(b));
      }),
    );
  });
});
