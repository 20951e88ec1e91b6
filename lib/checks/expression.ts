/**
 * The part of Terraform's expression language the checks evaluate: template strings (`"${...}"`, whole or mixed with
 * text) whose interpolations are literals, references (`var.x`, `local.y`, `azurerm_subnet.apim[0].id`,
 * `each.value.port`, `count.index`), and arithmetic over them (`200 + count.index`, `var.base * 10`, parentheses).
 * Anything else (a function call, a comparison, a conditional, a `for`, a splat, a `%{...}` directive) is an
 * expression the checks do not evaluate: its value is unknown at synth time, never guessed.
 *
 * Small and sound on purpose; a full HCL evaluator can replace `parseTemplate` without touching its callers.
 * Pure: no cdktf.
 */

/** One step of a reference: an attribute name, an index (`[0]`, `["key"]`), or an index given by a reference (`[count.index]`). */
export type Step = { readonly name: string } | { readonly index: number | string } | { readonly indexBy: Expression };

/** A parsed interpolation. */
export type Expression =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'reference'; readonly root: string; readonly steps: readonly Step[] }
  | { readonly kind: 'arithmetic'; readonly operator: '+' | '-' | '*' | '/' | '%'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'other'; readonly text: string };

/** A template: literal text and interpolations, in order. */
export type TemplatePart = string | Expression;

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*/;

const OPERATOR_CHARACTER = /[-+*/%]/;

/**
 * A reference made of names only (`azurerm_subnet.network_westeurope_public-ip_8F9F6FD3.id`): names may hold dashes,
 * which are part of the name in HCL, never an operator.
 */
const DOTTED_NAMES = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;

/**
 * How deep arithmetic and parentheses may nest (`1 + 1 + ... + 1` nests once per operator). Deeper, the expression is
 * one the checks do not evaluate (`other`): reading it stays linear in its length, and evaluating it cannot exhaust the
 * stack (outside review, session 5, finding 9).
 */
const MAX_NESTING = 128;

/** Parse one interpolation's text (between `${` and `}`). */
export function parseExpression(source: string): Expression {
  return parseNested(source, 0);
}

function parseNested(source: string, depth: number): Expression {
  const text = source.trim().replace(/^~|~$/g, '').trim();
  if (depth > MAX_NESTING) {
    return { kind: 'other', text };
  }
  // Most interpolations are plain references, many with dashes in their names (cdktf's ids): read them directly.
  if (DOTTED_NAMES.test(text) && text !== 'true' && text !== 'false' && text !== 'null') {
    const [root, ...names] = text.split('.');
    return { kind: 'reference', root, steps: names.map((name) => ({ name })) };
  }
  // Look for arithmetic only where an operator character is.
  const arithmetic = OPERATOR_CHARACTER.test(text) ? parseArithmetic(text, depth) : undefined;
  if (arithmetic) {
    return arithmetic;
  }
  return parseOperand(text);
}

/**
 * `a + b`, `a - b` (lowest precedence, left to right), then `a * b`, `a / b`, `a % b`, over operands that are numbers,
 * references or parenthesised arithmetic. Undefined when the text has no operator outside brackets and quotes, or an
 * operand is anything else.
 */
function parseArithmetic(text: string, depth: number): Expression | undefined {
  for (const operators of ['+-', '*/%']) {
    const at = lastTopLevelOperator(text, operators);
    if (at > 0) {
      const left = parseNested(text.slice(0, at), depth + 1);
      const right = parseNested(text.slice(at + 1), depth + 1);
      const operand = (e: Expression) => e.kind === 'arithmetic' || e.kind === 'reference' || (e.kind === 'literal' && typeof e.value === 'number');
      return operand(left) && operand(right)
        ? { kind: 'arithmetic', operator: text[at] as '+' | '-' | '*' | '/' | '%', left, right }
        : { kind: 'other', text };
    }
  }
  const inner = /^\((.*)\)$/s.exec(text);
  if (inner && lastTopLevelOperator(inner[1], '+-*/%') >= 0 && balanced(inner[1])) {
    return parseNested(inner[1], depth + 1);
  }
  return undefined;
}

/** Whether brackets balance in a text (outside quotes). */
function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    depth += c === '(' || c === '[' || c === '{' ? 1 : c === ')' || c === ']' || c === '}' ? -1 : 0;
    if (depth < 0) {
      return false;
    }
  }
  return depth === 0;
}

/**
 * The index of the last binary operator of `operators` outside brackets and quotes, or -1. A `-` or `+` right after
 * another operator or an opening bracket (or at the start) is a sign, not an operator; `-` right after a name's
 * letters (`my-var`, `count.index-1`) is part of the name, as in HCL.
 */
function lastTopLevelOperator(text: string, operators: string): number {
  let depth = 0;
  let quote = false;
  let found = -1;
  let previous = '';
  // Where the run of name characters (letters, digits, `_`, `-`) that holds `c` starts: one pass, so that a long run
  // of dashes is read in linear time.
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (i === 0 || !NAME_CHARACTER.test(text[i - 1])) {
      run = i;
    }
    if (quote) {
      if (c === '\\') {
        i++;
      } else if (c === '"') {
        quote = false;
      }
      continue;
    }
    if (c === '"') {
      quote = true;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
    } else if (depth === 0 && operators.includes(c)) {
      const sign = (c === '-' || c === '+') && (previous === '' || '+-*/%([{,'.includes(previous));
      // A `-` inside a name (`nsg--this`, `count.index-1`): the run it is in starts with a letter or `_`.
      const inName = c === '-' && run < i && /[A-Za-z_]/.test(text[run]);
      if (!sign && !inName) {
        found = i;
      }
    }
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') {
      previous = c;
    }
  }
  return found;
}

const NAME_CHARACTER = /[A-Za-z0-9_-]/;

function parseOperand(text: string): Expression {
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    return { kind: 'literal', value: Number(text) };
  }
  if (text === 'true' || text === 'false') {
    return { kind: 'literal', value: text === 'true' };
  }
  if (text === 'null') {
    return { kind: 'literal', value: null };
  }
  const quoted = /^"((?:[^"\\$%]|\\.)*)"$/.exec(text);
  if (quoted) {
    return { kind: 'literal', value: quoted[1].replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)) };
  }
  const root = NAME.exec(text);
  if (!root) {
    return { kind: 'other', text };
  }
  const steps: Step[] = [];
  let rest = text.slice(root[0].length);
  while (rest.length > 0) {
    const attribute = /^\s*\.\s*([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest);
    const number = /^\s*\[\s*(\d+)\s*\]/.exec(rest);
    const key = /^\s*\[\s*"((?:[^"\\$]|\\.)*)"\s*\]/.exec(rest);
    const legacyIndex = /^\s*\.\s*(\d+)(?![\d.])/.exec(rest);
    const byReference = /^\s*\[\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\]/.exec(rest);
    if (attribute) {
      steps.push({ name: attribute[1] });
      rest = rest.slice(attribute[0].length);
    } else if (legacyIndex) {
      steps.push({ index: Number(legacyIndex[1]) });
      rest = rest.slice(legacyIndex[0].length);
    } else if (number) {
      steps.push({ index: Number(number[1]) });
      rest = rest.slice(number[0].length);
    } else if (key) {
      steps.push({ index: key[1].replace(/\\(.)/g, '$1') });
      rest = rest.slice(key[0].length);
    } else if (byReference) {
      const inner = parseExpression(byReference[1]);
      if (inner.kind !== 'reference') {
        return { kind: 'other', text };
      }
      steps.push({ indexBy: inner });
      rest = rest.slice(byReference[0].length);
    } else {
      return { kind: 'other', text };
    }
  }
  return { kind: 'reference', root: root[0], steps };
}

/**
 * Split a string into literal text and interpolations. Returns undefined when the string holds a directive
 * (`%{...}`) or an interpolation that does not close.
 */
export function parseTemplate(text: string): TemplatePart[] | undefined {
  // Most templates are one plain reference (`${azurerm_subnet.x.id}`, what cdktf writes for a token).
  const whole = WHOLE_REFERENCE.exec(text);
  if (whole) {
    return [parseExpression(whole[1])];
  }
  // The same strings are read many times (each rule reads the attributes it needs): parse each once.
  if (TEMPLATES.has(text)) {
    return TEMPLATES.get(text);
  }
  if (TEMPLATES.size >= TEMPLATE_CACHE_LIMIT) {
    TEMPLATES.clear();
  }
  const parsed = parseTemplateText(text);
  TEMPLATES.set(text, parsed);
  return parsed;
}

/** A template that is one interpolation of names and dots only (no brace, quote or space that would need the scan). */
const WHOLE_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}$/;
const TEMPLATES = new Map<string, TemplatePart[] | undefined>();
const TEMPLATE_CACHE_LIMIT = 50_000;

function parseTemplateText(text: string): TemplatePart[] | undefined {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if ((text.startsWith('$${', i) || text.startsWith('%%{', i))) {
      literal += text.slice(i + 1, i + 3);
      i += 3;
      continue;
    }
    if (text.startsWith('%{', i)) {
      return undefined;
    }
    if (!text.startsWith('${', i)) {
      literal += text[i];
      i++;
      continue;
    }
    // Find the closing brace, skipping quoted strings and nested braces.
    let depth = 1;
    let j = i + 2;
    let quote = false;
    for (; j < text.length && depth > 0; j++) {
      const c = text[j];
      if (quote) {
        if (c === '\\') {
          j++;
        } else if (c === '"') {
          quote = false;
        }
      } else if (c === '"') {
        quote = true;
      } else if (c === '{') {
        depth++;
      } else if (c === '}') {
        depth--;
      }
    }
    if (depth > 0) {
      return undefined;
    }
    if (literal !== '') {
      parts.push(literal);
      literal = '';
    }
    parts.push(parseExpression(text.slice(i + 2, j - 1)));
    i = j;
  }
  if (literal !== '' || parts.length === 0) {
    parts.push(literal);
  }
  return parts;
}

/** Whether a string holds an interpolation or a directive (otherwise it is plain text). */
export function isTemplate(text: string): boolean {
  return text.includes('${') || text.includes('%{');
}

/** A reference as Terraform writes it (`azurerm_subnet.apim[0].id`). */
export function formatReference(root: string, steps: readonly Step[]): string {
  return steps.reduce((out, step) => {
    if ('name' in step) {
      return `${out}.${step.name}`;
    }
    if ('indexBy' in step) {
      return `${out}[${step.indexBy.kind === 'reference' ? formatReference(step.indexBy.root, step.indexBy.steps) : '?'}]`;
    }
    return typeof step.index === 'number' ? `${out}[${step.index}]` : `${out}["${step.index}"]`;
  }, root);
}
