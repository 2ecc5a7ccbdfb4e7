/**
 * Errors raised by the rendering engine. Each carries a stable `code` so callers (the admin API,
 * the channel workers) can branch on it without parsing messages.
 */

/** Every error code this module raises. */
export const RENDER_ERROR_CODES = {
  /** A template does not parse, breaks a rule, or fails to render. */
  ETEMPLATE: 'ETEMPLATE',
  /** The context handed to the engine lacks something the notification kind needs. */
  ECONTEXT: 'ECONTEXT',
} as const;

/** One thing wrong with one template, located as precisely as Handlebars allows. */
export interface TemplateProblem {
  /** Path shown to people, e.g. `templates/en/shipped/sms.hbs`. */
  file: string;
  /** 1-based; `0` when the problem concerns the whole file (for instance, a missing one). */
  line: number;
  /** 1-based; `0` when unknown. */
  column: number;
  /** What is wrong, in a sentence a template author can act on. */
  reason: string;
  /** `file:line:column: reason`, ready to print. */
  message: string;
}

/** Build a problem with its printable `message`. */
export function templateProblem(file: string, line: number, column: number, reason: string): TemplateProblem {
  const located = { file, line, column, reason };
  return { ...located, message: formatProblem(located) };
}

/** `templates/en/shipped/sms.hbs:3:14: unknown helper "foo"` — the form editors and terminals link. */
export function formatProblem(problem: Omit<TemplateProblem, 'message'>): string {
  if (problem.line <= 0) return `${problem.file}: ${problem.reason}`;
  const column = problem.column > 0 ? `:${problem.column}` : '';
  return `${problem.file}:${problem.line}${column}: ${problem.reason}`;
}

/** A template was refused: at load, on an admin save, or when it failed while rendering. */
export class TemplateError extends Error implements TemplateProblem {
  readonly code = RENDER_ERROR_CODES.ETEMPLATE;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  /** Every problem found when several were (validation at load); this one is the first. */
  readonly problems: readonly TemplateProblem[];

  constructor(problem: Omit<TemplateProblem, 'message'>, options?: { cause?: unknown; problems?: readonly TemplateProblem[] }) {
    super(formatProblem(problem), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TemplateError';
    this.file = problem.file;
    this.line = problem.line;
    this.column = problem.column;
    this.reason = problem.reason;
    this.problems = options?.problems ?? [{ ...problem, message: this.message }];
  }
}

/** The caller built a context the kind cannot be rendered from (e.g. `shipped` without a shipment). */
export class TemplateContextError extends Error {
  readonly code = RENDER_ERROR_CODES.ECONTEXT;

  constructor(message: string) {
    super(message);
    this.name = 'TemplateContextError';
  }
}
