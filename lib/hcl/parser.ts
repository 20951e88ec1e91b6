/**
 * A recursive-descent parser for HCL's native syntax: configuration bodies (attributes, blocks, one-line blocks),
 * expressions (operators with HCL's precedence, conditionals, traversals, splats, function calls, tuples, objects,
 * `for` expressions) and templates (quoted strings with escapes, heredocs, interpolations, `%{if}`/`%{for}`
 * directives, `~` strip markers).
 *
 * Newlines end attributes, but are ignored inside parentheses, brackets, interpolations and `for` expressions, and
 * separate items in object constructors, as in HCL.
 */
import {
  Attribute, BinaryOp, Block, Body, Expr, ObjectItem, Pos, TemplateExpr, TemplatePart,
} from './ast';
import { HclSyntaxError, Scanner, Token } from './lexer';
import { literalIsExact } from './decimal';

/** Where a text comes from, for positions and errors. */
export interface SourceOptions {
  /** File name shown in errors and positions. */
  readonly file?: string;
  /** Line of the first character (default 1). */
  readonly line?: number;
  /** Column of the first character (default 1). */
  readonly column?: number;
}

const BINARY_LEVELS: readonly (readonly BinaryOp[])[] = [
  ['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%'],
];

/**
 * How deeply expressions may nest: the depth of the tree (operands of a chain of operators, traversal steps, unary
 * operators), and within it the brackets, calls and templates (each costs the parser and the evaluator many more stack
 * frames). Deeper, the expression is a syntax error this command reports, rather than a crash of the stack (outside
 * review, session 5, finding 9). Terraform configurations nest a few levels.
 */
const MAX_NESTING = 1000;
const MAX_BRACKETS = 100;

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

interface PartsResult {
  readonly parts: TemplatePart[];
  readonly closer?: string;
  readonly stripAfter: boolean;
}

interface TemplateMode {
  /** A quoted string (escapes, ends at `"`) rather than a heredoc or JSON string (raw, ends at the end). */
  readonly quoted: boolean;
}

class Parser {
  private offset = 0;
  private readonly newlineStack: boolean[] = [true];
  private depth = 0;
  private brackets = 0;

  public constructor(private readonly s: Scanner) {}

  // ---- tokens ------------------------------------------------------------------------------------------------------

  private get newlines(): boolean {
    return this.newlineStack[this.newlineStack.length - 1];
  }

  private peek(): Token {
    return this.s.token(this.offset, this.newlines);
  }

  private next(): Token {
    const token = this.peek();
    this.offset = token.end;
    return token;
  }

  private isPunct(token: Token, text: string): boolean {
    return token.type === 'punct' && token.text === text;
  }

  private accept(text: string): Token | undefined {
    const token = this.peek();
    if (this.isPunct(token, text)) {
      this.offset = token.end;
      return token;
    }
    return undefined;
  }

  private expect(text: string, context: string): Token {
    const token = this.peek();
    if (!this.isPunct(token, text)) {
      throw this.s.error(`expected "${text}" ${context}, found ${describe(token)}`, token.start);
    }
    this.offset = token.end;
    return token;
  }

  private pos(token: Token | number): Pos {
    return this.s.posAt(typeof token === 'number' ? token : token.start);
  }

  private with<T>(newlines: boolean, fn: () => T): T {
    this.newlineStack.push(newlines);
    try {
      return fn();
    } finally {
      this.newlineStack.pop();
    }
  }

  private skipNewlines(): void {
    while (this.peek().type === 'newline') {
      this.next();
    }
  }

  // ---- bodies ------------------------------------------------------------------------------------------------------

  public parseFile(): Body {
    const body = this.parseBody(false);
    const token = this.peek();
    if (token.type !== 'eof') {
      throw this.s.error(`unexpected ${describe(token)}`, token.start);
    }
    return body;
  }

  private parseBody(inBlock: boolean): Body {
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    const seen = new Map<string, Pos>();
    for (;;) {
      const token = this.peek();
      if (token.type === 'newline') {
        this.next();
        continue;
      }
      if (token.type === 'eof') {
        if (inBlock) {
          throw this.s.error('a block is not closed: missing "}"', token.start);
        }
        break;
      }
      if (inBlock && this.isPunct(token, '}')) {
        break;
      }
      if (token.type !== 'ident') {
        throw this.s.error(`expected an attribute name or a block type, found ${describe(token)}`, token.start);
      }
      this.next();
      if (this.accept('=')) {
        const previous = seen.get(token.text);
        if (previous) {
          throw this.s.error(`the attribute "${token.text}" is set twice in one body (first on line ${previous.line})`, token.start);
        }
        seen.set(token.text, this.pos(token));
        attributes.push({ name: token.text, expr: this.parseExpression(), pos: this.pos(token) });
        this.endOfItem('after the attribute');
      } else {
        blocks.push(this.parseBlock(token));
        this.endOfItem('after the block');
      }
    }
    return { attributes, blocks, file: this.s.file };
  }

  private endOfItem(context: string): void {
    const token = this.peek();
    if (token.type === 'newline') {
      this.next();
    } else if (token.type !== 'eof' && !this.isPunct(token, '}')) {
      throw this.s.error(`expected a newline ${context}, found ${describe(token)}`, token.start);
    }
  }

  private parseBlock(typeToken: Token): Block {
    const labels: string[] = [];
    for (;;) {
      const token = this.peek();
      if (token.type === 'ident') {
        this.next();
        labels.push(token.text);
      } else if (token.type === 'quote') {
        this.next();
        const template = this.parseQuoted(token);
        const text = literalText(template);
        if (text === undefined) {
          throw this.s.error('a block label cannot contain interpolations or directives', token.start);
        }
        labels.push(text);
      } else {
        break;
      }
    }
    const open = this.peek();
    if (!this.isPunct(open, '{')) {
      throw this.s.error(
        `expected "=" or "{" after "${[typeToken.text, ...labels].join(' ')}", found ${describe(open)}`, open.start);
    }
    this.next();
    let body: Body;
    if (this.peek().type === 'newline') {
      body = this.parseBody(true);
    } else if (this.isPunct(this.peek(), '}')) {
      body = { attributes: [], blocks: [], file: this.s.file };
    } else {
      // One-line block: at most one attribute.
      const name = this.peek();
      if (name.type !== 'ident') {
        throw this.s.error(`expected an attribute in a one-line block, found ${describe(name)}`, name.start);
      }
      this.next();
      this.expect('=', 'in a one-line block (a nested block needs its own lines)');
      body = { attributes: [{ name: name.text, expr: this.parseExpression(), pos: this.pos(name) }], blocks: [], file: this.s.file };
    }
    this.expect('}', `to close the block "${typeToken.text}"`);
    return { type: typeToken.text, labels, body, pos: this.pos(typeToken) };
  }

  // ---- expressions -------------------------------------------------------------------------------------------------

  /** One level deeper in the expression tree (restored by the caller); refused beyond `MAX_NESTING`. */
  private deeper(at: number): void {
    if (++this.depth > MAX_NESTING) {
      throw this.s.error(`the expression is nested too deeply (more than ${MAX_NESTING} levels of operators, brackets or steps) for this command to read`, at);
    }
  }

  /** `fn` one level deeper; `bracket`: a whole expression or template inside another one. */
  private nested<T>(at: number, fn: () => T, bracket = false): T {
    const saved = this.depth;
    const savedBrackets = this.brackets;
    this.deeper(at);
    if (bracket && ++this.brackets > MAX_BRACKETS) {
      throw this.s.error(`the expression nests more than ${MAX_BRACKETS} levels of brackets, calls or templates, too deeply for this command to read`, at);
    }
    try {
      return fn();
    } finally {
      this.depth = saved;
      this.brackets = savedBrackets;
    }
  }

  public parseExpression(): Expr {
    return this.nested(this.offset, () => this.parseConditional(), true);
  }

  private parseConditional(): Expr {
    const cond = this.parseBinary(0);
    const question = this.peek();
    if (!this.isPunct(question, '?')) {
      return cond;
    }
    this.next();
    this.skipNewlines();
    const then = this.parseExpression();
    this.skipNewlines();
    this.expect(':', 'in a conditional expression (cond ? a : b)');
    this.skipNewlines();
    const otherwise = this.parseExpression();
    return { kind: 'conditional', cond, then, else: otherwise, pos: nodePos(cond) };
  }

  private parseBinary(level: number): Expr {
    if (level >= BINARY_LEVELS.length) {
      return this.parseUnary();
    }
    const saved = this.depth;
    try {
      let left = this.parseBinary(level + 1);
      for (;;) {
        const token = this.peek();
        if (token.type !== 'punct' || !(BINARY_LEVELS[level] as readonly string[]).includes(token.text)) {
          return left;
        }
        // Each operator of a chain puts the chain one level deeper (`1 + 1 + 1` is `(1 + 1) + 1`).
        this.deeper(token.start);
        this.next();
        this.skipNewlines();
        const right = this.parseBinary(level + 1);
        left = { kind: 'binary', op: token.text as BinaryOp, left, right, pos: nodePos(left) };
      }
    } finally {
      this.depth = saved;
    }
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (this.isPunct(token, '!') || this.isPunct(token, '-')) {
      this.next();
      return { kind: 'unary', op: token.text as '!' | '-', operand: this.nested(token.start, () => this.parseUnary()), pos: this.pos(token) };
    }
    return this.parsePostfix(this.parsePrimary(), 'any');
  }

  /**
   * Traversal steps after an expression: `.name`, `.0`, `[key]`, and splats. `mode` limits the steps inside a splat:
   * after `.*` only attribute steps continue the splat.
   */
  private parsePostfix(start: Expr, mode: 'any' | 'full-splat' | 'legacy-splat'): Expr {
    const saved = this.depth;
    try {
      return this.parseSteps(start, mode);
    } finally {
      this.depth = saved;
    }
  }

  private parseSteps(start: Expr, mode: 'any' | 'full-splat' | 'legacy-splat'): Expr {
    let expr = start;
    for (;;) {
      const token = this.s.token(this.offset, true);
      // Each step puts the expression one level deeper.
      this.deeper(token.start);
      if (this.isPunct(token, '.')) {
        const after = this.s.token(token.end, true);
        if (after.type === 'ident') {
          this.offset = after.end;
          expr = { kind: 'getattr', target: expr, name: after.text, pos: expr.pos };
        } else if (after.type === 'number') {
          this.offset = after.end;
          for (const piece of after.text.split('.')) {
            if (!/^[0-9]+$/.test(piece)) {
              throw this.s.error(`a legacy index (".0") must be a whole number, found "${after.text}"`, after.start);
            }
            expr = { kind: 'index', target: expr, key: { kind: 'literal', value: Number(piece), pos: this.pos(after) }, pos: expr.pos };
          }
        } else if (this.isPunct(after, '*')) {
          if (mode !== 'any') {
            return expr;
          }
          this.offset = after.end;
          const each = this.parsePostfix({ kind: 'splat-item', pos: this.pos(token) }, 'legacy-splat');
          expr = { kind: 'splat', source: expr, each, legacy: true, pos: expr.pos };
        } else {
          throw this.s.error(`expected an attribute name after ".", found ${describe(after)}`, after.start);
        }
      } else if (this.isPunct(token, '[')) {
        if (mode === 'legacy-splat') {
          return expr;
        }
        const star = this.s.token(token.end, false);
        const close = this.isPunct(star, '*') ? this.s.token(star.end, false) : undefined;
        if (close && this.isPunct(close, ']')) {
          this.offset = close.end;
          const each = this.parsePostfix({ kind: 'splat-item', pos: this.pos(token) }, 'full-splat');
          expr = { kind: 'splat', source: expr, each, legacy: false, pos: expr.pos };
          continue;
        }
        this.offset = token.end;
        const key = this.with(false, () => {
          const k = this.parseExpression();
          this.expect(']', 'to close the index');
          return k;
        });
        expr = { kind: 'index', target: expr, key, pos: expr.pos };
      } else {
        return expr;
      }
    }
  }

  private parsePrimary(): Expr {
    const token = this.peek();
    switch (token.type) {
      case 'number':
        this.next();
        return literalIsExact(token.text) ? { kind: 'literal', value: Number(token.text), pos: this.pos(token) }
          : { kind: 'literal', value: Number(token.text), pos: this.pos(token), inexact: token.text };
      case 'quote':
        this.next();
        return this.parseQuoted(token);
      case 'heredoc':
        this.next();
        return this.parseHeredoc(token);
      case 'ident':
        return this.parseIdentifier();
      case 'punct':
        if (token.text === '(') {
          this.next();
          return this.with(false, () => {
            const expr = this.parseExpression();
            this.expect(')', 'to close the parenthesis');
            return { kind: 'parens', expr, pos: this.pos(token) } as Expr;
          });
        }
        if (token.text === '[') {
          this.next();
          return this.with(false, () => this.parseTuple(token));
        }
        if (token.text === '{') {
          this.next();
          return this.parseObject(token);
        }
        break;
      default:
        break;
    }
    throw this.s.error(`expected an expression, found ${describe(token)}`, token.start);
  }

  private parseIdentifier(): Expr {
    const token = this.next();
    const pos = this.pos(token);
    if (token.text === 'true' || token.text === 'false') {
      return { kind: 'literal', value: token.text === 'true', pos };
    }
    if (token.text === 'null') {
      return { kind: 'literal', value: null, pos };
    }
    let name = token.text;
    // provider::name::function(...)
    let after = this.s.token(this.offset, true);
    while (this.isPunct(after, '::') && after.start === this.offset) {
      const part = this.s.token(after.end, true);
      if (part.type !== 'ident') {
        throw this.s.error(`expected a function name after "::", found ${describe(part)}`, part.start);
      }
      name = `${name}::${part.text}`;
      this.offset = part.end;
      after = this.s.token(this.offset, true);
    }
    if (this.isPunct(after, '(') && after.start === this.offset) {
      this.offset = after.end;
      return this.with(false, () => this.parseCallArgs(name, pos));
    }
    if (name.includes('::')) {
      throw this.s.error(`"${name}" must be followed by "(": only functions have namespaced names`, token.start);
    }
    return { kind: 'variable', name, pos };
  }

  private parseCallArgs(name: string, pos: Pos): Expr {
    const args: Expr[] = [];
    let expandFinal = false;
    while (!this.accept(')')) {
      if (expandFinal) {
        throw this.s.error('"..." may only follow the last argument', this.peek().start);
      }
      args.push(this.parseExpression());
      if (this.accept('...')) {
        expandFinal = true;
      }
      if (!this.accept(',')) {
        this.expect(')', `to close the arguments of ${name}()`);
        break;
      }
    }
    return { kind: 'call', name, args, expandFinal, pos };
  }

  private isForStart(): boolean {
    const token = this.peek();
    if (token.type !== 'ident' || token.text !== 'for') {
      return false;
    }
    return this.s.token(token.end, false).type === 'ident';
  }

  private parseTuple(open: Token): Expr {
    if (this.isForStart()) {
      return this.parseFor(open, false);
    }
    const items: Expr[] = [];
    while (!this.accept(']')) {
      items.push(this.parseExpression());
      if (!this.accept(',')) {
        this.expect(']', 'to close the list');
        break;
      }
    }
    return { kind: 'tuple', items, pos: this.pos(open) };
  }

  private parseObject(open: Token): Expr {
    if (this.with(false, () => this.isForStart())) {
      return this.with(false, () => this.parseFor(open, true));
    }
    // Newlines separate items here, as commas do.
    const items = this.with(true, () => {
      const list: ObjectItem[] = [];
      for (;;) {
        this.skipNewlines();
        if (this.accept('}')) {
          break;
        }
        const keyToken = this.peek();
        let key = this.parseExpression();
        if (key.kind === 'variable') {
          key = { kind: 'literal', value: key.name, pos: key.pos };
        }
        this.skipNewlines();
        const sep = this.peek();
        if (!this.isPunct(sep, '=') && !this.isPunct(sep, ':')) {
          throw this.s.error(`expected "=" or ":" after the object key, found ${describe(sep)}`, sep.start ?? keyToken.start);
        }
        this.next();
        this.skipNewlines();
        list.push({ key, value: this.parseExpression() });
        const after = this.peek();
        if (this.isPunct(after, ',') || after.type === 'newline') {
          this.next();
          continue;
        }
        this.expect('}', 'to close the object, or "," or a newline between its items');
        break;
      }
      return list;
    });
    return { kind: 'object', items, pos: this.pos(open) };
  }

  private parseFor(open: Token, object: boolean): Expr {
    this.next(); // for
    const first = this.next();
    if (first.type !== 'ident') {
      throw this.s.error(`expected a variable name after "for", found ${describe(first)}`, first.start);
    }
    let keyVar: string | undefined;
    let valueVar = first.text;
    if (this.accept(',')) {
      const second = this.next();
      if (second.type !== 'ident') {
        throw this.s.error(`expected a second variable name, found ${describe(second)}`, second.start);
      }
      keyVar = first.text;
      valueVar = second.text;
    }
    const inToken = this.next();
    if (inToken.type !== 'ident' || inToken.text !== 'in') {
      throw this.s.error(`expected "in" in a for expression, found ${describe(inToken)}`, inToken.start);
    }
    const collection = this.parseExpression();
    this.expect(':', 'after the collection of a for expression');
    let keyExpr: Expr | undefined;
    let valueExpr = this.parseExpression();
    let group = false;
    if (object) {
      this.expect('=>', 'between key and value of a for expression that builds an object');
      keyExpr = valueExpr;
      valueExpr = this.parseExpression();
      group = this.accept('...') !== undefined;
    }
    let cond: Expr | undefined;
    const ifToken = this.peek();
    if (ifToken.type === 'ident' && ifToken.text === 'if') {
      this.next();
      cond = this.parseExpression();
    }
    this.expect(object ? '}' : ']', 'to close the for expression');
    return { kind: 'for', keyVar, valueVar, collection, keyExpr, valueExpr, cond, group, pos: this.pos(open) };
  }

  // ---- templates ---------------------------------------------------------------------------------------------------

  private parseQuoted(open: Token): TemplateExpr {
    this.offset = open.end;
    const { parts } = this.parseParts({ quoted: true }, []);
    if (this.s.src[this.offset] !== '"') {
      throw this.s.error('unterminated string: missing the closing quote', open.start);
    }
    this.offset++;
    return { kind: 'template', parts, pos: this.pos(open) };
  }

  private parseHeredoc(open: Token): TemplateExpr {
    const { marker, indented } = open.heredoc!;
    const src = this.s.src;
    const contentStart = open.end;
    let lineStart = contentStart;
    let closeStart = -1;
    let closeEnd = -1;
    while (lineStart <= src.length) {
      const newline = src.indexOf('\n', lineStart);
      const lineEnd = newline < 0 ? src.length : newline;
      if (src.slice(lineStart, lineEnd).trim() === marker) {
        closeStart = lineStart;
        closeEnd = lineEnd;
        break;
      }
      if (newline < 0) {
        break;
      }
      lineStart = newline + 1;
    }
    if (closeStart < 0) {
      throw this.s.error(`the heredoc is not closed: no line with only "${marker}"`, open.start);
    }
    let content = src.slice(contentStart, closeStart);
    if (indented) {
      content = dedent(content);
    }
    const contentPos = this.pos(contentStart);
    const sub = new Parser(new Scanner(content, this.s.file, contentPos.line, 1));
    const parts = sub.parseWholeTemplate();
    this.offset = closeEnd;
    return { kind: 'template', parts, pos: this.pos(open) };
  }

  /** Parse the whole source as one expression. */
  public parseWholeExpression(): Expr {
    return this.with(false, () => {
      const expr = this.parseExpression();
      const rest = this.peek();
      if (rest.type !== 'eof') {
        throw this.s.error(`unexpected ${describe(rest)} after the expression`, rest.start);
      }
      return expr;
    });
  }

  /** Parse the whole source as template content (a heredoc body or a JSON string). */
  public parseWholeTemplate(): TemplatePart[] {
    const { parts } = this.parseParts({ quoted: false }, []);
    if (this.offset < this.s.src.length) {
      throw this.s.error('unexpected end of template', this.offset);
    }
    return parts;
  }

  /**
   * Read template parts from the current offset until the end of the quoted string (or of the source), or a directive
   * named in `closers` (`else`, `endif`, `endfor`), which is consumed and returned with whether it ended in `~}`.
   * `stripFirst`: the directive before this text ended in `~}`, so leading whitespace goes.
   */
  private parseParts(mode: TemplateMode, closers: readonly string[], stripFirst = false): PartsResult {
    const src = this.s.src;
    const parts: TemplatePart[] = [];
    let text = '';
    let stripNext = stripFirst;
    const flush = (stripEnd: boolean) => {
      let value = text;
      if (stripNext) {
        value = value.replace(/^[ \t\r\n]+/, '');
        stripNext = false;
      }
      if (stripEnd) {
        value = value.replace(/[ \t\r\n]+$/, '');
      }
      if (value !== '') {
        parts.push({ kind: 'text', value });
      }
      text = '';
    };
    let i = this.offset;
    for (;;) {
      if (i >= src.length) {
        if (mode.quoted) {
          throw this.s.error('unterminated string: missing the closing quote', i);
        }
        break;
      }
      const c = src[i];
      if (mode.quoted && c === '"') {
        break;
      }
      if (mode.quoted && c === '\n') {
        throw this.s.error('unterminated string: a quoted string cannot span lines (use a heredoc)', i);
      }
      if (mode.quoted && c === '\\') {
        const e = src[i + 1];
        if (e in ESCAPES) {
          text += ESCAPES[e];
          i += 2;
        } else if (e === 'u' || e === 'U') {
          const length = e === 'u' ? 4 : 8;
          const hex = src.slice(i + 2, i + 2 + length);
          if (!new RegExp(`^[0-9A-Fa-f]{${length}}$`).test(hex)) {
            throw this.s.error(`"\\${e}" needs ${length} hexadecimal digits`, i);
          }
          text += String.fromCodePoint(parseInt(hex, 16));
          i += 2 + length;
        } else {
          throw this.s.error(`unknown escape "\\${e ?? ''}" (use \\n, \\r, \\t, \\", \\\\, \\uNNNN or \\UNNNNNNNN)`, i);
        }
        continue;
      }
      if ((c === '$' || c === '%') && src[i + 1] === c && src[i + 2] === '{') {
        text += `${c}{`;
        i += 3;
        continue;
      }
      if (c === '$' && src[i + 1] === '{') {
        this.offset = i + 2;
        flush(this.acceptTilde());
        const expr = this.with(false, () => this.parseExpression());
        stripNext = this.closeTemplateSequence('interpolation');
        parts.push({ kind: 'interp', expr });
        i = this.offset;
        continue;
      }
      if (c === '%' && src[i + 1] === '{') {
        const directiveStart = i;
        this.offset = i + 2;
        flush(this.acceptTilde());
        const keyword = this.with(false, () => this.next());
        if (keyword.type !== 'ident') {
          throw this.s.error(`expected a directive (if, else, endif, for, endfor) after "%{", found ${describe(keyword)}`, keyword.start);
        }
        if (closers.includes(keyword.text)) {
          return { parts, closer: keyword.text, stripAfter: this.closeTemplateSequence(`%{${keyword.text}}`) };
        }
        if (keyword.text === 'if') {
          const cond = this.with(false, () => this.parseExpression());
          const thenPart = this.parseNested(mode, ['else', 'endif'], this.closeTemplateSequence('%{if}'), directiveStart);
          let last = thenPart;
          let elseParts: TemplatePart[] = [];
          if (thenPart.closer === 'else') {
            last = this.parseNested(mode, ['endif'], thenPart.stripAfter, directiveStart);
            elseParts = last.parts;
          }
          parts.push({ kind: 'if', cond, then: thenPart.parts, else: elseParts });
          stripNext = last.stripAfter;
          i = this.offset;
          continue;
        }
        if (keyword.text === 'for') {
          const header = this.with(false, () => {
            const first = this.next();
            let keyVar: string | undefined;
            let valueVar = first.text;
            if (this.accept(',')) {
              keyVar = first.text;
              valueVar = this.next().text;
            }
            const inToken = this.next();
            if (inToken.text !== 'in') {
              throw this.s.error(`expected "in" in a %{for} directive, found ${describe(inToken)}`, inToken.start);
            }
            return { keyVar, valueVar, collection: this.parseExpression() };
          });
          const body = this.parseNested(mode, ['endfor'], this.closeTemplateSequence('%{for}'), directiveStart);
          parts.push({ kind: 'for', ...header, body: body.parts });
          stripNext = body.stripAfter;
          i = this.offset;
          continue;
        }
        throw this.s.error(`unexpected %{${keyword.text}} here`, keyword.start);
      }
      text += c;
      i++;
    }
    flush(false);
    this.offset = i;
    return { parts, stripAfter: false };
  }

  private parseNested(mode: TemplateMode, closers: readonly string[], stripFirst: boolean, start: number): PartsResult {
    const result = this.nested(start, () => this.parseParts(mode, closers, stripFirst), true);
    if (!result.closer) {
      throw this.s.error(`the directive is not closed: expected %{${closers[closers.length - 1]}}`, start);
    }
    return result;
  }

  private acceptTilde(): boolean {
    if (this.s.src[this.offset] === '~') {
      this.offset++;
      return true;
    }
    return false;
  }

  /** After the content of `${...}` or `%{...}`: an optional `~`, then `}`. Returns whether `~` was there. */
  private closeTemplateSequence(what: string): boolean {
    const token = this.s.token(this.offset, false);
    let strip = false;
    let close = token;
    if (this.isPunct(token, '~')) {
      strip = true;
      close = this.s.token(token.end, false);
    }
    if (!this.isPunct(close, '}')) {
      throw this.s.error(`expected "}" to close the ${what}, found ${describe(close)}`, close.start);
    }
    this.offset = close.end;
    return strip;
  }
}

function describe(token: Token): string {
  switch (token.type) {
    case 'eof':
      return 'the end of the file';
    case 'newline':
      return 'a newline';
    case 'quote':
      return 'a string';
    case 'heredoc':
      return 'a heredoc';
    default:
      return `"${token.text}"`;
  }
}

function nodePos(expr: Expr): Pos {
  return expr.pos;
}

/** The text of a template without interpolations, or undefined. */
export function literalText(template: TemplateExpr): string | undefined {
  let out = '';
  for (const part of template.parts) {
    if (part.kind !== 'text') {
      return undefined;
    }
    out += part.value;
  }
  return out;
}

/** `<<-` heredocs: remove the indentation common to every line that is not blank. */
function dedent(content: string): string {
  const lines = content.split('\n');
  let common = Infinity;
  for (const line of lines) {
    if (line.trim() === '') {
      continue;
    }
    common = Math.min(common, /^[ \t]*/.exec(line)![0].length);
  }
  if (!Number.isFinite(common) || common === 0) {
    return content;
  }
  return lines.map((line) => line.slice(Math.min(common, /^[ \t]*/.exec(line)![0].length))).join('\n');
}

/** Parse a configuration file in HCL native syntax. */
export function parseConfig(src: string, file: string): Body {
  return new Parser(new Scanner(src, file)).parseFile();
}

/** Parse one expression (the whole text). */
export function parseExpression(src: string, options: SourceOptions = {}): Expr {
  const scanner = new Scanner(src, options.file ?? '<expression>', options.line, options.column);
  return new Parser(scanner).parseWholeExpression();
}

/**
 * Parse a text as template content, as Terraform reads every string in JSON syntax (`"${var.x}-nsg"`); no escapes
 * other than `$${` and `%%{`.
 */
export function parseTemplate(src: string, options: SourceOptions = {}): TemplateExpr {
  const scanner = new Scanner(src, options.file ?? '<template>', options.line, options.column);
  const parts = new Parser(scanner).parseWholeTemplate();
  return { kind: 'template', parts, pos: scanner.posAt(0) };
}

export { HclSyntaxError };
