/**
 * Template validation, at start-up and on every admin save: each file parses, passes the static checks of
 * `template-lint.ts`, and renders against the sample contexts (both roles, full and sparse data) within
 * the channel's rules. A broken template is refused with its file, line and reason.
 */
import Handlebars from 'handlebars';
import { NOTIFICATION_KINDS, ROLES, type NotificationKind, type Role } from '../domain/types.js';
import { isOrderKind, sampleContext, type TemplateContext } from './context.js';
import { contextSchema, layoutSchema } from './context-schema.js';
import { TemplateError, templateProblem, type TemplateProblem } from './errors.js';
import { localeChain } from './locale.js';
import { Renderer, type CompiledTemplate } from './renderer.js';
import { lintTemplate, type ParsedPartial } from './template-lint.js';
import { modeOf, partialFile, readTemplateSet, TEMPLATE_PARTS, templateKey, type SourceFile, type TemplatePart, type TemplateSet } from './template-files.js';

export { TemplateError, formatProblem, type TemplateProblem } from './errors.js';

export interface ValidateOptions {
  /**
   * Most segments an SMS may take with the sample data (each segment is billed).
   * @defaultValue 2
   */
  maxSmsSegments?: number;
}

interface JisonLexer {
  yylloc?: { first_line: number; first_column: number };
  match?: string;
}

/** Parse one file; a syntax error comes back located. */
export function parseSource(file: SourceFile): { ast?: hbs.AST.Program; problem?: TemplateProblem } {
  try {
    return { ast: Handlebars.parse(file.source) };
  } catch (error) {
    const located = error as { lineNumber?: number; column?: number; message?: string };
    const message = located.message ?? String(error);
    if (typeof located.lineNumber === 'number') {
      const reason = message.replace(/ - \d+:\d+$/, '');
      return { problem: templateProblem(file.file, located.lineNumber, (located.column ?? 0) + 1, reason) };
    }
    // Parser errors carry their position only in prose; the parser's shared lexer still holds the token
    // it stopped at, and nothing else can have run in between.
    const lexer = (Handlebars as unknown as { Parser?: { lexer?: JisonLexer } }).Parser?.lexer;
    const got = /got '([^']+)'/.exec(message)?.[1];
    const reason =
      got === 'EOF'
        ? 'the template ends inside an open block; is a closing {{/…}} missing?'
        : `syntax error: unexpected "${lexer?.match ?? got ?? '?'}"`;
    const line = lexer?.yylloc?.first_line ?? Number(/line (\d+)/.exec(message)?.[1] ?? 0);
    return { problem: templateProblem(file.file, line, (lexer?.yylloc?.first_column ?? -1) + 1, reason) };
  }
}

/** Every file of the set, parsed once. */
class ParsedFiles {
  readonly problems: TemplateProblem[] = [];
  private readonly asts = new Map<string, hbs.AST.Program | undefined>();

  get(file: SourceFile): hbs.AST.Program | undefined {
    if (!this.asts.has(file.file)) {
      const { ast, problem } = parseSource(file);
      if (problem) this.problems.push(problem);
      this.asts.set(file.file, ast);
    }
    return this.asts.get(file.file);
  }
}

interface Candidate {
  file: SourceFile;
  locale: string;
  kind: NotificationKind | undefined;
  part: TemplatePart | 'layout.html' | 'layout.text';
}

function lint(set: TemplateSet, parsed: ParsedFiles, candidate: Candidate): TemplateProblem[] {
  const ast = parsed.get(candidate.file);
  if (!ast) return [];
  const chain = localeChain(candidate.locale);
  const layout = candidate.part === 'layout.html' || candidate.part === 'layout.text';
  return lintTemplate({
    file: candidate.file.file,
    ast,
    mode: candidate.part === 'layout.html' || candidate.part === 'email.html' ? 'html' : 'text',
    schema: layout ? layoutSchema() : contextSchema(candidate.kind),
    layout,
    partialNames: [...set.partials.keys()].sort(),
    partial(name): ParsedPartial | undefined {
      const file = partialFile(set, name, chain);
      if (!file) return undefined;
      const partialAst = parsed.get(file);
      return partialAst ? { file: file.file, ast: partialAst } : { file: file.file };
    },
  });
}

function samples(kind: NotificationKind, locale: string): Array<{ label: string; ctx: TemplateContext }> {
  const out: Array<{ label: string; ctx: TemplateContext }> = [];
  for (const role of ROLES.filter((r): r is Exclude<Role, 'admin'> => r !== 'admin')) {
    for (const sparse of [false, true]) {
      out.push({ label: `${role}, ${sparse ? 'sparse' : 'full'} sample`, ctx: sampleContext(kind, locale, { role, sparse }) });
    }
  }
  return out;
}

function contains(rendered: string, url: string, html: boolean): boolean {
  return rendered.includes(html ? Handlebars.escapeExpression(url) : url);
}

/** Render `template` as `part` with every sample and apply the part's rules. */
function sampleCheck(
  renderer: Renderer,
  set: TemplateSet,
  template: CompiledTemplate,
  part: TemplatePart,
  kind: NotificationKind,
  options: ValidateOptions,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const maxSegments = options.maxSmsSegments ?? 2;
  const layoutFile = part === 'email.html' ? set.layouts.html?.file : part === 'email.text' ? set.layouts.text?.file : undefined;
  for (const { label, ctx } of samples(kind, template.locale)) {
    const refuse = (reason: string, file = template.file) => problems.push(templateProblem(file, 0, 0, `${reason} (${label})`));
    let out: string;
    try {
      out = renderer.part(template, part, kind, ctx);
    } catch (error) {
      const failure = error instanceof TemplateError ? error : new TemplateError({ file: template.file, line: 0, column: 0, reason: String(error) });
      problems.push(templateProblem(failure.file, failure.line, failure.column, `${failure.reason} (${label})`));
      continue;
    }
    const html = part === 'email.html';
    const trackingLinks = [ctx.links.track, ...(ctx.shipment && !isOrderKind(kind) ? [ctx.shipment.trackingUrl] : [])];
    if (out === '') refuse('renders to nothing');
    if ((part === 'email.html' || part === 'email.text') && out !== '') {
      for (const link of ['unsubscribe', 'preferences'] as const) {
        if (!contains(out, ctx.links[link], html)) refuse(`the email has no ${link} link ({{links.${link}}}); the layout footer should carry it`, layoutFile);
      }
    }
    if ((part === 'email.html' || part === 'email.text' || part === 'sms') && out !== '' && !trackingLinks.some((link) => contains(out, link, html))) {
      refuse(`no tracking link: include {{links.track}}${isOrderKind(kind) ? '' : ' or {{shipment.trackingUrl}}'}`);
    }
    if (part === 'sms') {
      const { segments, encoding } = renderer.sms(template, kind, ctx);
      if (segments > maxSegments) refuse(`the SMS takes ${segments} ${encoding} segments; keep it within ${maxSegments}${encoding === 'UCS-2' ? ' (a character outside GSM-7, such as á or an emoji, makes every segment 67 characters)' : ''}`);
    }
  }
  return problems;
}

/** Structure, syntax, static checks, then sample renders of every file in `set`. */
export function checkTemplateSet(set: TemplateSet, renderer: Renderer, options: ValidateOptions = {}): TemplateProblem[] {
  const parsed = new ParsedFiles();
  const problems: TemplateProblem[] = [...set.problems];
  const seen = new Set<string>();
  const add = (list: TemplateProblem[]) => {
    for (const problem of list) {
      if (seen.has(problem.message)) continue;
      seen.add(problem.message);
      problems.push(problem);
    }
  };
  for (const locale of set.locales) {
    for (const [mode, file] of Object.entries(set.layouts)) add(lint(set, parsed, { file, locale, kind: undefined, part: `layout.${mode as 'html' | 'text'}` }));
    for (const kind of NOTIFICATION_KINDS) {
      for (const part of TEMPLATE_PARTS) {
        const file = set.templates.get(templateKey(locale, kind, part));
        if (file) add(lint(set, parsed, { file, locale, kind, part }));
      }
    }
  }
  for (const variants of set.partials.values()) for (const file of variants.values()) parsed.get(file);
  add(parsed.problems);
  if (problems.length > 0) return problems;

  for (const locale of set.locales) {
    for (const kind of NOTIFICATION_KINDS) {
      for (const part of TEMPLATE_PARTS) {
        const file = set.templates.get(templateKey(locale, kind, part))!;
        add(sampleCheck(renderer, set, renderer.compile(file, locale, modeOf(part)), part, kind, options));
      }
    }
  }
  return problems;
}

/**
 * Check a candidate template (an admin edit) as if it were `locale/kind/part` in `set`: the same rules as
 * the files, so what is accepted will render.
 */
export function checkSource(
  set: TemplateSet,
  renderer: Renderer,
  target: { locale: string; kind: NotificationKind; part: TemplatePart; file: string; source: string },
  options: ValidateOptions = {},
): TemplateProblem[] {
  const file = { file: target.file, source: target.source };
  const parsed = new ParsedFiles();
  const problems = lint(set, parsed, { file, locale: target.locale, kind: target.kind, part: target.part });
  if (parsed.problems.length > 0 || problems.length > 0) return [...parsed.problems, ...problems];
  return sampleCheck(renderer, set, renderer.compile(file, target.locale, modeOf(target.part), false), target.part, target.kind, options);
}

/** Validate the template folder `dir`; an empty list means every template is fit to send. */
export async function validateTemplates(dir: string, options: ValidateOptions = {}): Promise<TemplateProblem[]> {
  const set = await readTemplateSet(dir);
  return checkTemplateSet(set, new Renderer(set), options);
}
