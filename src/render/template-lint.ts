/**
 * Static checks of a parsed template, before anything runs: only known helpers and partials, no raw HTML
 * output, and every field path against the documented context (see `context-schema.ts`). Strict mode would
 * catch a misspelt `{{shipment.etaa}}` only when rendered, and never inside `{{#if}}`, whose arguments
 * Handlebars looks up leniently; walking the tree catches both, with the exact line.
 */
import { templateProblem, type TemplateProblem } from './errors.js';
import { BLOCK_HELPERS, TEMPLATE_HELPERS } from './helpers.js';
import type { SchemaNode } from './context-schema.js';
import type { EscapeMode } from './template-files.js';

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type PathExpression = hbs.AST.PathExpression;
type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression;

export interface ParsedPartial {
  file: string;
  /** Absent when the partial itself does not parse (that is reported on its own). */
  ast?: Program;
}

export interface LintTarget {
  file: string;
  ast: Program;
  mode: EscapeMode;
  /** The context the template is rendered with. */
  schema: SchemaNode;
  /** Layouts may write their `{{{body}}}` slot unescaped; nothing else may. */
  layout?: boolean;
  /** Finds a partial as the renderer would for this template's locale. */
  partial(name: string): ParsedPartial | undefined;
  /** Names offered in "unknown partial" messages. */
  partialNames: readonly string[];
}

interface Binding {
  node: SchemaNode;
  /** Path from the root (`order.items[]`), the key under which `{{#if}}` guards are remembered. */
  abs: string;
}

interface Scope extends Binding {
  parent?: Scope;
  params: Map<string, Binding>;
  inEach: boolean;
}

const ANY: SchemaNode = { type: 'any' };
const SCALAR: SchemaNode = { type: 'scalar' };
const EACH_DATA = ['index', 'first', 'last', 'key'];
const BLOCKS: readonly string[] = BLOCK_HELPERS;

function isSimple(path: PathExpression): boolean {
  return !path.data && path.depth === 0 && path.parts.length === 1 && !/^(this|\.)/.test(path.original);
}

function join(abs: string, part: string): string {
  return abs ? `${abs}.${part}` : part;
}

/** Problems in `target` and in every partial it includes, each located in its own file. */
export function lintTemplate(target: LintTarget): TemplateProblem[] {
  return new Linter(target).run();
}

class Linter {
  private readonly problems = new Map<string, TemplateProblem>();
  private readonly root: Scope;
  private file: string;
  private readonly including: string[] = [];

  constructor(private readonly target: LintTarget) {
    this.file = target.file;
    this.root = { node: target.schema, abs: '', params: new Map(), inEach: false };
  }

  run(): TemplateProblem[] {
    this.program(this.target.ast, this.root, new Set());
    return [...this.problems.values()];
  }

  private report(node: Node, reason: string): void {
    const problem = templateProblem(this.file, node.loc.start.line, node.loc.start.column + 1, reason);
    this.problems.set(problem.message, problem);
  }

  private program(program: Program | undefined, scope: Scope, guards: ReadonlySet<string>): void {
    for (const statement of program?.body ?? []) this.statement(statement, scope, guards);
  }

  private statement(node: Node, scope: Scope, guards: ReadonlySet<string>): void {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement': {
        const mustache = node as hbs.AST.MustacheStatement;
        if (!mustache.escaped && this.target.mode === 'html' && !this.isBodySlot(mustache)) {
          this.report(node, 'triple-stash {{{…}}} writes raw HTML, so a value could inject markup; use {{…}}');
        }
        this.call(mustache, scope, guards, false);
        return;
      }
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, scope, guards);
      case 'PartialStatement':
        return this.partial(node as hbs.AST.PartialStatement, scope, guards);
      case 'PartialBlockStatement':
        return this.report(node, 'partial blocks {{#> …}} are not supported; include partials with {{> name}}');
      case 'Decorator':
      case 'DecoratorBlock':
        return this.report(node, 'decorators {{* …}} are not allowed');
      default:
        return this.report(node, `unsupported template syntax (${node.type})`);
    }
  }

  private isBodySlot(node: hbs.AST.MustacheStatement): boolean {
    const path = node.path;
    return !!this.target.layout && path.type === 'PathExpression' && isSimple(path as PathExpression) && (path as PathExpression).original === 'body' && node.params.length === 0;
  }

  /** `{{x}}`, `{{helper a b}}` or `(helper a b)`; returns what a plain path resolved to. */
  private call(node: Call, scope: Scope, guards: ReadonlySet<string>, isSubExpression: boolean): Binding | undefined {
    if (node.path.type !== 'PathExpression') {
      this.report(node, 'a literal cannot be used as an expression; write the text outside {{ }}');
      return undefined;
    }
    const path = node.path as PathExpression;
    const name = path.original;
    const hasArgs = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || isSubExpression;
    if (isSimple(path) && Object.hasOwn(TEMPLATE_HELPERS, name)) {
      this.helperArguments(node, name, scope, guards);
      return undefined;
    }
    if (isSimple(path) && BLOCKS.includes(name)) {
      this.report(node, `"${name}" is a block helper: write {{#${name} …}}…{{/${name}}}`);
      return undefined;
    }
    if (hasArgs) {
      this.report(path, `unknown helper "${name}"; available: ${Object.keys(TEMPLATE_HELPERS).join(', ')}`);
      return undefined;
    }
    return this.resolve(path, scope, guards);
  }

  private helperArguments(node: Call, name: string, scope: Scope, guards: ReadonlySet<string>): void {
    const spec = TEMPLATE_HELPERS[name]!;
    const [min, max] = spec.args;
    const count = node.params.length;
    if (count < min || count > max) {
      const wanted = min === max ? `${min}` : `${min} to ${max}`;
      this.report(node, `helper "${name}" takes ${wanted} argument${max === 1 ? '' : 's'}, got ${count}`);
    }
    for (const pair of node.hash?.pairs ?? []) {
      if (!spec.hash.includes(pair.key)) {
        const allowed = spec.hash.length ? `; it accepts ${spec.hash.map((key) => `${key}=`).join(', ')}` : '';
        this.report(pair, `helper "${name}" has no option "${pair.key}"${allowed}`);
      }
      this.expression(pair.value, scope, guards);
    }
    for (const param of node.params) this.expression(param, scope, guards);
  }

  private expression(node: Node, scope: Scope, guards: ReadonlySet<string>): Binding | undefined {
    if (node.type === 'PathExpression') return this.resolve(node as PathExpression, scope, guards);
    if (node.type === 'SubExpression') this.call(node as hbs.AST.SubExpression, scope, guards, true);
    return undefined;
  }

  private block(node: hbs.AST.BlockStatement, scope: Scope, guards: ReadonlySet<string>): void {
    const name = node.path.original;
    if (!isSimple(node.path) || !BLOCKS.includes(name)) {
      const hint = Object.hasOwn(TEMPLATE_HELPERS, name) ? `"${name}" is not a block helper: write {{${name} …}}` : `{{#${name}}} is not a known block; use {{#if}}, {{#unless}}, {{#each}} or {{#with}}`;
      this.report(node, hint);
      this.program(node.program, scope, guards);
      this.program(node.inverse, scope, guards);
      return;
    }
    if (node.params.length !== 1 || (node.hash?.pairs.length ?? 0) > 0) this.report(node, `{{#${name}}} takes exactly one argument`);
    const param = node.params[0];
    const target = param ? this.expression(param, scope, guards) : undefined;
    const guarded = param?.type === 'PathExpression' && target ? new Set([...guards, target.abs]) : guards;
    const names = node.program?.blockParams ?? [];
    if (name === 'if') {
      this.program(node.program, scope, guarded);
      this.program(node.inverse, scope, guards);
    } else if (name === 'unless') {
      this.program(node.program, scope, guards);
      this.program(node.inverse, scope, guarded);
    } else if (name === 'with') {
      const inner = target ?? { node: ANY, abs: '?' };
      const params = new Map<string, Binding>(names[0] ? [[names[0], inner]] : []);
      this.program(node.program, { ...inner, parent: scope, params, inEach: scope.inEach }, guarded);
      this.program(node.inverse, scope, guards);
    } else {
      let element: Binding = { node: ANY, abs: '?' };
      if (target && target.node.type === 'array') element = { node: target.node.of, abs: `${target.abs}[]` };
      else if (target && target.node.type !== 'any') this.report(param!, `{{#each}} needs a list, and "${(param as PathExpression).original}" is not one`);
      const params = new Map<string, Binding>();
      if (names[0]) params.set(names[0], element);
      if (names[1]) params.set(names[1], { node: SCALAR, abs: '?' });
      this.program(node.program, { ...element, parent: scope, params, inEach: true }, guards);
      this.program(node.inverse, scope, guards);
    }
  }

  private partial(node: hbs.AST.PartialStatement, scope: Scope, guards: ReadonlySet<string>): void {
    if (node.name.type !== 'PathExpression' || (node.name as PathExpression).data) {
      this.report(node, 'partials must be named directly: {{> name}}');
      return;
    }
    const name = (node.name as PathExpression).original;
    const found = this.target.partial(name);
    if (!found) {
      this.report(node, `unknown partial "${name}"; available: ${this.target.partialNames.join(', ') || 'none'}`);
      return;
    }
    if (node.params.length > 1) this.report(node, 'a partial takes at most one context argument');
    const context = node.params[0] ? this.expression(node.params[0], scope, guards) : undefined;
    const pairs = node.hash?.pairs ?? [];
    for (const pair of pairs) this.expression(pair.value, scope, guards);
    let inner: Scope = scope;
    if (node.params[0] || pairs.length > 0) {
      const base = node.params[0] ? context ?? { node: ANY, abs: '?' } : scope;
      let merged = base.node;
      if (merged.type === 'object' && pairs.length > 0) {
        const fields = { ...merged.fields };
        for (const pair of pairs) fields[pair.key] = { node: ANY, nullable: false };
        merged = { type: 'object', fields };
      }
      inner = { node: merged, abs: base.abs, parent: scope, params: new Map(), inEach: scope.inEach };
    }
    if (this.including.includes(name)) {
      this.report(node, `partial "${name}" includes itself`);
      return;
    }
    if (!found.ast) return;
    const caller = this.file;
    this.including.push(name);
    this.file = found.file;
    this.program(found.ast, inner, guards);
    this.file = caller;
    this.including.pop();
  }

  private resolve(path: PathExpression, scope: Scope, guards: ReadonlySet<string>): Binding | undefined {
    if (path.data) {
      const [head = '', ...rest] = path.parts;
      if (head === 'root') return this.walk(path, this.root, rest, guards);
      if (EACH_DATA.includes(head) && rest.length === 0 && scope.inEach) return { node: SCALAR, abs: '?' };
      this.report(path, `unknown data variable "@${head}"; available: @root${scope.inEach ? ', @index, @first, @last, @key' : ''}`);
      return undefined;
    }
    let from: Scope = scope;
    for (let depth = 0; depth < path.depth; depth++) {
      if (!from.parent) {
        this.report(path, `"${path.original}" climbs above the top-level context`);
        return undefined;
      }
      from = from.parent;
    }
    const head = path.parts[0];
    if (path.depth === 0 && head !== undefined && !/^(this|\.)/.test(path.original)) {
      for (let at: Scope | undefined = scope; at; at = at.parent) {
        const bound = at.params.get(head);
        if (bound) return this.walk(path, bound, path.parts.slice(1), guards);
      }
    }
    return this.walk(path, from, path.parts, guards);
  }

  private walk(path: PathExpression, start: Binding, parts: readonly string[], guards: ReadonlySet<string>): Binding | undefined {
    let { node, abs } = start;
    for (const [index, part] of parts.entries()) {
      if (node.type === 'any') return { node, abs: '?' };
      if (node.type === 'array' && part === 'length') {
        node = SCALAR;
        abs = join(abs, part);
        continue;
      }
      if (node.type !== 'object' || !Object.hasOwn(node.fields, part)) {
        const known = node.type === 'object' ? `; ${abs || 'the context'} has ${Object.keys(node.fields).join(', ')}` : '';
        this.report(path, `unknown field "${path.original}"${known}`);
        return undefined;
      }
      const field = node.fields[part]!;
      abs = join(abs, part);
      if (field.nullable && index < parts.length - 1 && !guards.has(abs)) {
        this.report(path, `"${abs}" can be empty here; test it before reading inside it: {{#if ${abs}}}…{{/if}}`);
      }
      node = field.node;
    }
    return { node, abs };
  }
}
