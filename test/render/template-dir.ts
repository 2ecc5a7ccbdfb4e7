/** A private copy of the shipped templates that a test may break without touching the real ones. */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPLATES = fileURLToPath(new URL('../../templates', import.meta.url));

export interface TemplateCopy {
  /** The copy's `templates` folder. */
  dir: string;
  write(relative: string, content: string): Promise<void>;
  read(relative: string): Promise<string>;
  remove(relative: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function copyTemplates(): Promise<TemplateCopy> {
  const root = await mkdtemp(path.join(tmpdir(), 'sn-templates-'));
  const dir = path.join(root, 'templates');
  await cp(TEMPLATES, dir, { recursive: true });
  return {
    dir,
    write: (relative, content) => writeFile(path.join(dir, relative), content),
    read: (relative) => readFile(path.join(dir, relative), 'utf8'),
    remove: (relative) => rm(path.join(dir, relative), { recursive: true }),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
