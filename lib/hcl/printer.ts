/**
 * Print an expression back as HCL native syntax, canonically: `parseExpression(printExpression(e))` gives a tree equal
 * to `e` (positions aside). Used to name expressions in messages and to write values that stay unknown.
 */
import { BinaryOp, Expr, TemplatePart } from './ast';
import { isIdentifier } from './lexer';

const PRECEDENCE: Record<BinaryOp, number> = {
  '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6,
};
const CONDITIONAL = 0;
const UNARY = 7;
const SPLAT = 7.5;
const POSTFIX = 8;

function precedenceOf(expr: Expr): number {
  switch (expr.kind) {
    case 'splat':
      // A traversal step after a splat would join the splat: `(a[*].b)[0]` needs its parentheses.
      return SPLAT;
    case 'conditional':
      return CONDITIONAL;
    case 'binary':
      return PRECEDENCE[expr.op];
    case 'unary':
      return UNARY;
    default:
      return POSTFIX;
  }
}

function wrap(expr: Expr, min: number): string {
  const text = printExpression(expr);
  return precedenceOf(expr) < min ? `(${text})` : text;
}

/** Escape template text for a quoted string. */
export function escapeTemplateText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
}

/**
 * A text part that ends in `$` before an interpolation (or `%` before a directive) cannot be written as is: `$${` would
 * read as an escape. The last character then goes into an interpolation of its own.
 */
function splitAmbiguous(parts: readonly TemplatePart[], directiveFollows: boolean): TemplatePart[] {
  const out: TemplatePart[] = [];
  parts.forEach((part, i) => {
    const next = parts[i + 1];
    const last = part.kind === 'text' ? part.value[part.value.length - 1] : undefined;
    const directiveNext = next ? next.kind === 'if' || next.kind === 'for' : directiveFollows;
    if ((last === '$' && next?.kind === 'interp') || (last === '%' && directiveNext)) {
      const text = (part as { value: string }).value;
      if (text.length > 1) {
        out.push({ kind: 'text', value: text.slice(0, -1) });
      }
      out.push({ kind: 'interp', expr: { kind: 'template', parts: [{ kind: 'text', value: last }], pos: { line: 1, column: 1 } } });
    } else {
      out.push(part);
    }
  });
  return out;
}

/** Template parts, with text escaped by `escape` (quoted HCL strings or JSON-syntax strings). */
function printParts(parts: readonly TemplatePart[], escape: (text: string) => string, inDirective = false): string {
  return splitAmbiguous(parts, inDirective).map((part) => {
    switch (part.kind) {
      case 'text':
        return escape(part.value);
      case 'interp':
        return `\${${printExpression(part.expr)}}`;
      case 'if': {
        const otherwise = part.else.length > 0 ? `%{else}${printParts(part.else, escape, true)}` : '';
        return `%{if ${printExpression(part.cond)}}${printParts(part.then, escape, true)}${otherwise}%{endif}`;
      }
      case 'for':
        return `%{for ${part.keyVar ? `${part.keyVar}, ` : ''}${part.valueVar} in ${printExpression(part.collection)}}${printParts(part.body, escape, true)}%{endfor}`;
    }
  }).join('');
}

function printNumber(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${value} has no HCL spelling`);
  }
  // Negative numbers are unary minus applied to a literal in HCL.
  const text = String(Math.abs(value));
  return value < 0 || Object.is(value, -0) ? `-${text}` : text;
}

function printKey(key: Expr): string {
  if (key.kind === 'literal' && typeof key.value === 'string' && isIdentifier(key.value) && !['true', 'false', 'null', 'for'].includes(key.value)) {
    return key.value;
  }
  if (key.kind === 'literal' && typeof key.value === 'string') {
    return `"${escapeTemplateText(key.value)}"`;
  }
  // A bare name as a key is a literal; any other expression is evaluated as written.
  return key.kind === 'variable' ? `(${key.name})` : printExpression(key);
}

/**
 * The text of a template as Terraform's JSON syntax writes it (a JSON string's content): text as is, except `${` and
 * `%{`, which double their first character.
 */
export function printTemplateRaw(parts: readonly TemplatePart[]): string {
  return printParts(parts, (text) => text.replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{'));
}

/** The HCL text of an expression. */
export function printExpression(expr: Expr): string {
  switch (expr.kind) {
    case 'literal':
      if (expr.value === null) {
        return 'null';
      }
      if (typeof expr.value === 'string') {
        return `"${escapeTemplateText(expr.value)}"`;
      }
      return expr.inexact ?? (typeof expr.value === 'number' ? printNumber(expr.value) : String(expr.value));
    case 'template':
      return `"${printParts(expr.parts, escapeTemplateText)}"`;
    case 'variable':
      return expr.name;
    case 'getattr':
      return `${wrap(expr.target, POSTFIX)}.${expr.name}`;
    case 'index':
      return `${wrap(expr.target, POSTFIX)}[${printExpression(expr.key)}]`;
    case 'splat': {
      const each = printExpression(expr.each);
      // The splat item prints as the empty string, so `each` starts with its first traversal step.
      return `${wrap(expr.source, POSTFIX)}${expr.legacy ? '.*' : '[*]'}${each}`;
    }
    case 'splat-item':
      return '';
    case 'call':
      return `${expr.name}(${expr.args.map((a) => printExpression(a)).join(', ')}${expr.expandFinal ? '...' : ''})`;
    case 'conditional':
      return `${wrap(expr.cond, 1)} ? ${wrap(expr.then, 1)} : ${wrap(expr.else, CONDITIONAL)}`;
    case 'binary': {
      const p = PRECEDENCE[expr.op];
      // Left-associative: the right operand needs parentheses at equal precedence.
      return `${wrap(expr.left, p)} ${expr.op} ${wrap(expr.right, p + 1)}`;
    }
    case 'unary':
      return `${expr.op}${wrap(expr.operand, UNARY)}`;
    case 'tuple':
      return `[${expr.items.map((i) => printExpression(i)).join(', ')}]`;
    case 'object':
      return `{${expr.items.map((i) => `${printKey(i.key)} = ${printExpression(i.value)}`).join(', ')}}`;
    case 'for': {
      const vars = `${expr.keyVar ? `${expr.keyVar}, ` : ''}${expr.valueVar}`;
      const cond = expr.cond ? ` if ${printExpression(expr.cond)}` : '';
      if (expr.keyExpr) {
        return `{for ${vars} in ${printExpression(expr.collection)} : ${printExpression(expr.keyExpr)} => ${printExpression(expr.valueExpr)}${expr.group ? '...' : ''}${cond}}`;
      }
      return `[for ${vars} in ${printExpression(expr.collection)} : ${printExpression(expr.valueExpr)}${cond}]`;
    }
    case 'parens':
      return `(${printExpression(expr.expr)})`;
  }
}
