/**
 * The template engine the workers and the admin API use: picks the template for a recipient's locale
 * (admin override first, then the file), and renders finished email, SMS and push content.
 */
import type { NotificationKind } from '../domain/types.js';
import { sampleContext, type TemplateContext } from './context.js';
import { TemplateError, templateProblem, type TemplateProblem } from './errors.js';
import { localeChain } from './locale.js';
import { Renderer, type CompiledTemplate, type RenderedEmail, type RenderedPush, type RenderedSms } from './renderer.js';
import { modeOf, readTemplateSet, templateKey, type TemplatePart, type TemplateSet } from './template-files.js';
import { checkSource, checkTemplateSet } from './validate.js';

export type { TemplatePart } from './template-files.js';
export type { RenderedEmail, RenderedPush, RenderedSms } from './renderer.js';

/** Where admin-edited templates come from (the override store). */
export interface TemplateSource {
  /** The active override for exactly this locale, kind and part; `undefined` to use the file default. */
  get(locale: string, kind: NotificationKind, part: TemplatePart): string | undefined;
}

export interface TemplateEngine {
  /** Subject, HTML (inside the layout) and plain text for the recipient's locale. */
  email(kind: NotificationKind, ctx: TemplateContext): RenderedEmail;
  /** SMS body with its encoding and segment count. */
  sms(kind: NotificationKind, ctx: TemplateContext): RenderedSms;
  push(kind: NotificationKind, ctx: TemplateContext): RenderedPush;
  /** One part as it would be sent; `email.html` and `email.text` come wrapped in their layout. */
  renderPart(locale: string, kind: NotificationKind, part: TemplatePart, ctx: TemplateContext): string;
  /** Locales with a template folder, sorted. */
  locales(): string[];
  /** The file default for exactly this locale, kind and part (no fallback); `undefined` when the locale has no folder. */
  fileSource(locale: string, kind: NotificationKind, part: TemplatePart): string | undefined;
  /** Problems with a candidate template (an admin save); empty when it may be saved. */
  check(locale: string, kind: NotificationKind, part: TemplatePart, source: string): TemplateProblem[];
  /**
   * Render a candidate template without saving it, with the sample context unless `ctx` is given.
   * Throws {@link TemplateError} with the first problem when it would be refused.
   */
  preview(locale: string, kind: NotificationKind, part: TemplatePart, source: string, ctx?: TemplateContext): string;
}

export interface LoadTemplatesOptions {
  /** The template folder (`<locale>/<kind>/<part>.hbs`, `layouts/`, `partials/`). */
  dir: string;
  /** Admin overrides, consulted on every render (they are compiled once per distinct text). */
  overrides?: TemplateSource;
  /**
   * Most segments an SMS may take with the sample data.
   * @defaultValue 2
   */
  maxSmsSegments?: number;
}

/** Distinct override texts kept compiled; beyond this the oldest is dropped and recompiled if used again. */
const OVERRIDE_CACHE_SIZE = 500;

/**
 * Read, validate and compile the templates in `options.dir`.
 * @throws {@link TemplateError} (code `ETEMPLATE`) for the first problem found; `problems` lists them all.
 */
export async function loadTemplates(options: LoadTemplatesOptions): Promise<TemplateEngine> {
  const set = await readTemplateSet(options.dir);
  const renderer = new Renderer(set);
  const validation = { maxSmsSegments: options.maxSmsSegments ?? 2 };
  const problems = checkTemplateSet(set, renderer, validation);
  if (problems[0]) throw new TemplateError(problems[0], { problems });
  return new Engine(set, renderer, validation, options.overrides);
}

function overrideFile(locale: string, kind: NotificationKind, part: TemplatePart): string {
  return `overrides/${locale}/${kind}/${part}.hbs`;
}

class Engine implements TemplateEngine {
  private readonly overrideCache = new Map<string, CompiledTemplate | TemplateError>();

  constructor(
    private readonly set: TemplateSet,
    private readonly renderer: Renderer,
    private readonly validation: { maxSmsSegments: number },
    private readonly overrides: TemplateSource | undefined,
  ) {}

  email(kind: NotificationKind, ctx: TemplateContext): RenderedEmail {
    const locale = ctx.recipient.locale;
    return this.renderer.email(
      { subject: this.resolve(locale, kind, 'email.subject'), html: this.resolve(locale, kind, 'email.html'), text: this.resolve(locale, kind, 'email.text') },
      kind,
      ctx,
    );
  }

  sms(kind: NotificationKind, ctx: TemplateContext): RenderedSms {
    return this.renderer.sms(this.resolve(ctx.recipient.locale, kind, 'sms'), kind, ctx);
  }

  push(kind: NotificationKind, ctx: TemplateContext): RenderedPush {
    const locale = ctx.recipient.locale;
    return this.renderer.push({ title: this.resolve(locale, kind, 'push.title'), body: this.resolve(locale, kind, 'push.body') }, kind, ctx);
  }

  renderPart(locale: string, kind: NotificationKind, part: TemplatePart, ctx: TemplateContext): string {
    const subject = part === 'email.html' ? this.resolve(locale, kind, 'email.subject') : undefined;
    return this.renderer.part(this.resolve(locale, kind, part), part, kind, ctx, subject);
  }

  locales(): string[] {
    return [...this.set.locales];
  }

  fileSource(locale: string, kind: NotificationKind, part: TemplatePart): string | undefined {
    return this.set.templates.get(templateKey(locale, kind, part))?.source;
  }

  check(locale: string, kind: NotificationKind, part: TemplatePart, source: string): TemplateProblem[] {
    const file = overrideFile(locale, kind, part);
    if (localeChain(locale)[0] !== locale) return [templateProblem(file, 0, 0, `"${locale}" is not a canonical BCP 47 tag (for example "es" or "es-MX")`)];
    return checkSource(this.set, this.renderer, { locale, kind, part, file, source }, this.validation);
  }

  preview(locale: string, kind: NotificationKind, part: TemplatePart, source: string, ctx?: TemplateContext): string {
    const problems = this.check(locale, kind, part, source);
    if (problems[0]) throw new TemplateError(problems[0], { problems });
    const template = this.renderer.compile({ file: overrideFile(locale, kind, part), source }, locale, modeOf(part), false);
    const subject = part === 'email.html' ? this.resolve(locale, kind, 'email.subject') : undefined;
    return this.renderer.part(template, part, kind, ctx ?? sampleContext(kind, locale), subject);
  }

  /** Most specific first: for `es-MX`, an `es-MX` override, the `es-MX` file, an `es` override, the `es` file, then `en`. */
  private resolve(locale: string, kind: NotificationKind, part: TemplatePart): CompiledTemplate {
    for (const candidate of localeChain(locale)) {
      const source = this.overrides?.get(candidate, kind, part);
      if (source !== undefined) return this.override(candidate, kind, part, source);
      const file = this.set.templates.get(templateKey(candidate, kind, part));
      if (file) return this.renderer.compile(file, candidate, modeOf(part));
    }
    // Validation at load guarantees the `en` files, so only a set loaded without them gets here.
    throw new TemplateError({ file: `${locale}/${kind}/${part}.hbs`, line: 0, column: 0, reason: 'no template for this locale, nor for its fallbacks' });
  }

  /** Overrides are checked like files before their first use: one saved before a rule existed is refused, not sent. */
  private override(locale: string, kind: NotificationKind, part: TemplatePart, source: string): CompiledTemplate {
    const key = `${locale}\u0000${kind}\u0000${part}\u0000${source}`;
    let entry = this.overrideCache.get(key);
    if (!entry) {
      const problems = this.check(locale, kind, part, source);
      entry = problems[0]
        ? new TemplateError(problems[0], { problems })
        : this.renderer.compile({ file: overrideFile(locale, kind, part), source }, locale, modeOf(part), false);
      if (this.overrideCache.size >= OVERRIDE_CACHE_SIZE) this.overrideCache.delete(this.overrideCache.keys().next().value!);
      this.overrideCache.set(key, entry);
    }
    if (entry instanceof TemplateError) throw entry;
    return entry;
  }
}
