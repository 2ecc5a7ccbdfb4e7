/**
 * Comparing a presented secret or signature with the expected one without leaking, through timing, how
 * much of it was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string equality. Both sides are hashed first, so the comparison takes the same time
 * whatever the lengths (`timingSafeEqual` itself refuses unequal lengths, which would reveal the length).
 */
export function constantTimeEqual(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected)) && given === expected;
}
