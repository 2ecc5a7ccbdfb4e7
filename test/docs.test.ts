/** The docs stay true: every configuration variable is documented where a user looks for it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeConfig } from '../src/config.js';

const readme = readFileSync('README.md', 'utf8');
const envExample = readFileSync('.env.example', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

describe('documentation', () => {
  it.each(describeConfig().map((row) => [row.name, row]))('documents %s in the README table and .env.example', (name, row) => {
    const line = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
    expect(line, `README row for ${name}`).toBeDefined();
    if (row.default !== undefined) expect(line).toContain(row.default);
    expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });

  it('gives the two-command quick start, and the scripts it names exist', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
    for (const script of ['start', 'demo', 'test', 'bench', 'build', 'typecheck']) expect(pkg.scripts[script], script).toBeTruthy();
  });
});
