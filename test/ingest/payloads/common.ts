/** Helpers shared by the Shippo and 17TRACK source tests. */
import { expect } from 'vitest';
import type { IngestError } from '../../../src/ingest/errors.js';

export const bytes = (body: unknown) => Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));

/** Runs `run` and returns the refusal it threw, checking its type; fails the test if it did not throw. */
export function refusal<E extends IngestError>(run: () => unknown, type: new (...args: never[]) => E): E {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error('expected a refusal');
}
