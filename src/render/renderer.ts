/**
 * Turns compiled templates and a context into finished text. One isolated Handlebars instance per set of
 * templates: strict, known helpers only, no prototype access. Nothing here decides *which* template to
 * use (see `engine.ts`) or whether a template is acceptable (see `validate.ts`).
 */
import Handlebars from 'handlebars';
import type { NotificationKind } from '../domain/types.js';
import type { TemplateContext } from './context.js';
import { projectContext, withLayoutFields } from './context-schema.js';
import { TemplateContextError, TemplateError } from './errors.js';
import { installHelpers, knownHelpers, type RenderData } from './helpers.js';
import { formattingLocale, localeChain, validTimeZone } from './locale.js';
import { smsSegments } from './sms-segments.js';
import { modeOf, partialFile, type EscapeMode, type SourceFile, type TemplatePart, type TemplateSet } from './template-files.js';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface RenderedSms {
  body: string;
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
}

export interface RenderedPush {
  title: string;
  body: string;
}

/** A template ready to run, and where it came from (for error messages and partial lookup). */
export interface CompiledTemplate {
  file: string;
  /** The locale the template is written in; its partials are looked up from there. */
  locale: string;
  mode: EscapeMode;
  run: Handlebars.TemplateDelegate;
}

// Typographic characters an editor slips in, mapped as Twilio's "smart encoding" does: one of them alone
// would switch the whole SMS to UCS-2 and more than double its cost.
const SMS_LOOKALIKES: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"',
  '\u2013': '-', '\u2014': '-', '\u2026': '...', '\u00a0': ' ', '\u202f': ' ', '\u2009': ' ', '\u2022': '-',
};

/** Subjects, push titles and bodies are single lines. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Plain-text bodies keep their line breaks, without trailing spaces or runs of blank lines. */
export function textBlock(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function smsBody(text: string): string {
  return textBlock(text.replace(/[\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u2013\u2014\u2026\u00a0\u202f\u2009\u2022]/g, (c) => SMS_LOOKALIKES[c] ?? c));
}

function reasonOf(message: string): string {
  const text = message.replace(/ - \d+:\d+$/, '').split('\n')[0] ?? message;
  const field = /^"(.+)" not defined in/.exec(text);
  if (field) return `unknown field "${field[1]}"`;
  const helper = /used the unknown helper (\S+)/.exec(text);
  if (helper) return `unknown helper "${helper[1]}"`;
  return text;
}

/** Wrap whatever a render threw as a located TemplateError (Handlebars exceptions carry line and column). */
export function renderFailure(file: string, error: unknown): Error {
  if (error instanceof TemplateError || error instanceof TemplateContextError) return error;
  const located = error as { lineNumber?: number; column?: number; message?: string };
  const line = typeof located.lineNumber === 'number' ? located.lineNumber : 0;
  const column = typeof located.column === 'number' ? located.column + 1 : 0;
  return new TemplateError({ file, line, column, reason: reasonOf(located.message ?? String(error)) }, { cause: error });
}

export class Renderer {
  private readonly env = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly partialMaps = new Map<string, Record<string, Handlebars.TemplateDelegate>>();

  constructor(private readonly set: TemplateSet) {
    installHelpers(this.env);
  }

  /**
   * `compile` parses now and generates code on first use; validation renders every template once at load,
   * so generation happens then and every later render reuses it. Candidates (admin edits) pass
   * `keep: false`: the caller decides how many of those stay in memory.
   */
  compile(file: SourceFile, locale: string, mode: EscapeMode, keep = true): CompiledTemplate {
    return { file: file.file, locale, mode, run: this.delegate(file, mode, keep) };
  }

  private delegate(file: SourceFile, mode: EscapeMode, keep = true): Handlebars.TemplateDelegate {
    const key = `${mode}\u0000${file.file}\u0000${file.source}`;
    let run = this.compiled.get(key);
    if (!run) {
      run = this.env.compile(file.source, {
        strict: true,
        // Calls compile to direct invocations of these helpers, and any other helper name is refused.
        knownHelpersOnly: true,
        knownHelpers: knownHelpers(),
        noEscape: mode === 'text',
        // Not `assumeObjects`: strict mode already drops the existence checks on intermediate paths, which is
        // why the validator insists on `{{#if order}}` before `order.id` wherever `order` can be null.
      });
      if (keep) this.compiled.set(key, run);
    }
    return run;
  }

  /** Compiled partials as a template written in `locale` sees them, escaping like the caller. */
  private partials(locale: string, mode: EscapeMode): Record<string, Handlebars.TemplateDelegate> {
    const key = `${locale}\u0000${mode}`;
    let map = this.partialMaps.get(key);
    if (!map) {
      map = Object.create(null) as Record<string, Handlebars.TemplateDelegate>;
      const chain = localeChain(locale);
      for (const name of this.set.partials.keys()) {
        const file = partialFile(this.set, name, chain);
        if (file) map[name] = this.delegate(file, mode);
      }
      this.partialMaps.set(key, map);
    }
    return map;
  }

  /** Run one template on an already projected context. */
  run(template: CompiledTemplate, projected: Record<string, unknown>, recipient: TemplateContext['recipient']): string {
    const data: RenderData = {
      locale: formattingLocale(recipient.locale, template.locale),
      timeZone: validTimeZone(recipient.timezone),
    };
    try {
      return template.run(projected, {
        data,
        partials: this.partials(template.locale, template.mode),
        allowProtoPropertiesByDefault: false,
        allowProtoMethodsByDefault: false,
        allowCallsToHelperMissing: false,
      });
    } catch (error) {
      throw renderFailure(template.file, error);
    }
  }

  private layout(mode: EscapeMode, locale: string): CompiledTemplate | undefined {
    const file = mode === 'html' ? this.set.layouts.html : this.set.layouts.text;
    return file ? this.compile(file, locale, mode) : undefined;
  }

  /** The email body wrapped in its layout (the layout carries the footer with preference and unsubscribe links). */
  private wrap(mode: EscapeMode, body: string, subject: string, template: CompiledTemplate, projected: Record<string, unknown>, ctx: TemplateContext): string {
    const layout = this.layout(mode, template.locale);
    if (!layout) return body;
    return this.run(layout, withLayoutFields(projected, body, subject), ctx.recipient);
  }

  email(parts: Record<'subject' | 'html' | 'text', CompiledTemplate>, kind: NotificationKind, ctx: TemplateContext): RenderedEmail {
    const projected = projectContext(kind, ctx);
    const subject = oneLine(this.run(parts.subject, projected, ctx.recipient));
    const html = this.wrap('html', this.run(parts.html, projected, ctx.recipient).trim(), subject, parts.html, projected, ctx).trim();
    const text = textBlock(this.wrap('text', textBlock(this.run(parts.text, projected, ctx.recipient)), subject, parts.text, projected, ctx));
    return { subject, html, text };
  }

  sms(template: CompiledTemplate, kind: NotificationKind, ctx: TemplateContext): RenderedSms {
    const body = smsBody(this.run(template, projectContext(kind, ctx), ctx.recipient));
    const { encoding, segments } = smsSegments(body);
    return { body, encoding, segments };
  }

  push(parts: Record<'title' | 'body', CompiledTemplate>, kind: NotificationKind, ctx: TemplateContext): RenderedPush {
    const projected = projectContext(kind, ctx);
    return { title: oneLine(this.run(parts.title, projected, ctx.recipient)), body: oneLine(this.run(parts.body, projected, ctx.recipient)) };
  }

  /**
   * One part as it would be sent. Email bodies come wrapped in their layout; the HTML one needs the subject
   * for `<title>`, so `subject` renders it when given.
   */
  part(template: CompiledTemplate, part: TemplatePart, kind: NotificationKind, ctx: TemplateContext, subject?: CompiledTemplate): string {
    const projected = projectContext(kind, ctx);
    const raw = this.run(template, projected, ctx.recipient);
    switch (part) {
      case 'email.html': {
        const title = subject ? oneLine(this.run(subject, projected, ctx.recipient)) : '';
        return this.wrap('html', raw.trim(), title, template, projected, ctx).trim();
      }
      case 'email.text':
        return textBlock(this.wrap('text', textBlock(raw), '', template, projected, ctx));
      case 'sms':
        return smsBody(raw);
      default:
        return modeOf(part) === 'text' ? oneLine(raw) : raw.trim();
    }
  }
}
