import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../../src/ingest/secret-compare.js';

describe('constantTimeEqual', () => {
  it('is true exactly for equal strings, whatever their lengths', () => {
    expect(constantTimeEqual('token', 'token')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
    for (const other of ['Token', 'token ', 'toke', '', 't'.repeat(10_000)]) expect(constantTimeEqual(other, 'token')).toBe(false);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => constantTimeEqual(a, b) === (a === b)));
  });

  it('compares text, not bytes that merely look alike after normalization', () => {
    expect(constantTimeEqual('s\u00e9cret', 'se\u0301cret')).toBe(false);
  });
});
