/**
 * The public test vectors in `../shared/fixtures` (next to the repository in CI). Tests that read them
 * skip with one line when the folder is absent, since the project's own tests must pass without it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURES_DIR = resolve(process.cwd(), '..', 'shared', 'fixtures');
export const HAVE_FIXTURES = existsSync(FIXTURES_DIR);

/** The exact bytes of a fixture file. */
export function fixtureBytes(...path: string[]): Buffer {
  return readFileSync(join(FIXTURES_DIR, ...path));
}

export function fixtureJson<T = any>(...path: string[]): T {
  return JSON.parse(fixtureBytes(...path).toString('utf8')) as T;
}

/** Says once, in one line, that the public vectors were not checked. */
export function noteMissingFixtures(): void {
  if (!HAVE_FIXTURES) console.log(`public fixtures not found at ${FIXTURES_DIR}; their vectors were not checked`);
}
