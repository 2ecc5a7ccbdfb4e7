/**
 * The template folder on disk: `<locale>/<kind>/<part>.hbs`, `layouts/`, `partials/`. Reading it checks the
 * layout (what is missing, what does not belong) but not the contents; that is the validator's job.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { NOTIFICATION_KINDS, type NotificationKind } from '../domain/types.js';
import { templateProblem, type TemplateProblem } from './errors.js';
import { DEFAULT_LOCALE } from './locale.js';

export const TEMPLATE_PARTS = ['email.subject', 'email.html', 'email.text', 'sms', 'push.title', 'push.body'] as const;
export type TemplatePart = (typeof TEMPLATE_PARTS)[number];

/** `html` output is HTML-escaped; `text` output (subjects, plain text, SMS, push) is left as written. */
export type EscapeMode = 'html' | 'text';

export function modeOf(part: TemplatePart): EscapeMode {
  return part === 'email.html' ? 'html' : 'text';
}

export function isTemplatePart(value: string): value is TemplatePart {
  return (TEMPLATE_PARTS as readonly string[]).includes(value);
}

export interface SourceFile {
  /** Path shown in messages, starting at the template folder's own name (`templates/en/shipped/sms.hbs`). */
  file: string;
  source: string;
}

export interface TemplateSet {
  /** Locales with a folder, sorted. */
  locales: string[];
  /** Keyed by {@link templateKey}. */
  templates: Map<string, SourceFile>;
  /** Partial name → locale (`''` for the shared file) → file. */
  partials: Map<string, Map<string, SourceFile>>;
  layouts: { html?: SourceFile; text?: SourceFile };
  /** Missing and misplaced files. */
  problems: TemplateProblem[];
}

export function templateKey(locale: string, kind: NotificationKind, part: TemplatePart): string {
  return `${locale}/${kind}/${part}`;
}

/** `tracking.hbs` is shared; `tracking.es.hbs` is the Spanish one. */
const PARTIAL_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*))?\.hbs$/;
const LAYOUT_FILES: Record<string, 'html' | 'text'> = { 'email.hbs': 'html', 'email.text.hbs': 'text' };

/**
 * A partial for a template written in `locale`: the most specific localized file along `chain`
 * (see `localeChain`), else the shared one.
 */
export function partialFile(set: TemplateSet, name: string, chain: readonly string[]): SourceFile | undefined {
  const variants = set.partials.get(name);
  if (!variants) return undefined;
  for (const locale of chain) {
    const found = variants.get(locale);
    if (found) return found;
  }
  return variants.get('');
}

async function entries(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

/** Editors end files with a newline; inline partials and one-line parts must not inherit it. */
async function load(absolute: string, file: string): Promise<SourceFile> {
  const source = await readFile(absolute, 'utf8');
  return { file, source: source.replace(/\r?\n$/, '') };
}

function isCanonicalLocale(name: string): boolean {
  try {
    return Intl.getCanonicalLocales(name)[0] === name;
  } catch {
    return false;
  }
}

export async function readTemplateSet(dir: string): Promise<TemplateSet> {
  const rootName = path.basename(path.resolve(dir));
  const shown = (...segments: string[]) => path.posix.join(rootName, ...segments);
  const set: TemplateSet = { locales: [], templates: new Map(), partials: new Map(), layouts: {}, problems: [] };
  const refuse = (file: string, reason: string) => set.problems.push(templateProblem(file, 0, 0, reason));

  let top;
  try {
    top = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    refuse(rootName, `cannot read the template folder: ${(error as Error).message}`);
    return set;
  }
  for (const entry of top) {
    if (!entry.isDirectory()) continue;
    const folder = path.join(dir, entry.name);
    if (entry.name === 'layouts') {
      for (const file of await entries(folder)) {
        const mode = LAYOUT_FILES[file.name];
        if (mode) set.layouts[mode] = await load(path.join(folder, file.name), shown('layouts', file.name));
        else if (file.name.endsWith('.hbs')) refuse(shown('layouts', file.name), 'unknown layout; expected email.hbs or email.text.hbs');
      }
    } else if (entry.name === 'partials') {
      for (const file of await entries(folder)) {
        if (!file.name.endsWith('.hbs')) continue;
        const match = PARTIAL_FILE.exec(file.name);
        if (!match) {
          refuse(shown('partials', file.name), 'partial names are lower-case-with-dashes, optionally followed by a locale: name.hbs or name.es.hbs');
          continue;
        }
        const [, name = '', locale = ''] = match;
        const variants = set.partials.get(name) ?? new Map<string, SourceFile>();
        variants.set(locale, await load(path.join(folder, file.name), shown('partials', file.name)));
        set.partials.set(name, variants);
      }
    } else if (isCanonicalLocale(entry.name)) {
      set.locales.push(entry.name);
      await readLocale(set, folder, entry.name, shown, refuse);
    } else {
      refuse(shown(entry.name), 'not a locale folder: use a BCP 47 tag such as "es" or "es-MX", or "layouts" or "partials"');
    }
  }

  set.locales.sort();
  if (!set.locales.includes(DEFAULT_LOCALE)) refuse(shown(DEFAULT_LOCALE), `the "${DEFAULT_LOCALE}" templates are missing; every other locale falls back to them`);
  if (!set.layouts.html) refuse(shown('layouts', 'email.hbs'), 'the HTML email layout is missing');
  for (const locale of set.locales) {
    for (const kind of NOTIFICATION_KINDS) {
      for (const part of TEMPLATE_PARTS) {
        if (!set.templates.has(templateKey(locale, kind, part))) refuse(shown(locale, kind, `${part}.hbs`), 'template is missing');
      }
    }
  }
  return set;
}

async function readLocale(
  set: TemplateSet,
  folder: string,
  locale: string,
  shown: (...segments: string[]) => string,
  refuse: (file: string, reason: string) => void,
): Promise<void> {
  for (const kindEntry of await entries(folder)) {
    if (!kindEntry.isDirectory()) continue;
    const kind = kindEntry.name;
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) {
      refuse(shown(locale, kind), `unknown notification kind; expected one of ${NOTIFICATION_KINDS.join(', ')}`);
      continue;
    }
    for (const file of await entries(path.join(folder, kind))) {
      if (!file.name.endsWith('.hbs')) continue;
      const part = file.name.slice(0, -'.hbs'.length);
      if (!isTemplatePart(part)) {
        refuse(shown(locale, kind, file.name), `unknown part; expected one of ${TEMPLATE_PARTS.map((p) => `${p}.hbs`).join(', ')}`);
        continue;
      }
      const loaded = await load(path.join(folder, kind, file.name), shown(locale, kind, file.name));
      set.templates.set(templateKey(locale, kind as NotificationKind, part), loaded);
    }
  }
}
