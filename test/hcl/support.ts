import * as fc from 'fast-check';
import { BinaryOp, Expr, TemplatePart } from '../../lib/hcl';

const P = { line: 1, column: 1 };
const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if']);
const PRECEDENCE: Record<BinaryOp, number> = {
  '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6,
};

/** Remove positions, so trees can be compared. */
export function stripPositions(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(stripPositions);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => k !== 'pos' && v !== undefined).map(([k, v]) => [k, stripPositions(v)]));
  }
  return value;
}

function precedence(e: Expr): number {
  switch (e.kind) {
    case 'conditional':
      return 0;
    case 'binary':
      return PRECEDENCE[e.op];
    case 'unary':
      return 7;
    case 'splat':
      return 7.5;
    default:
      return 8;
  }
}

const parens = (e: Expr): Expr => ({ kind: 'parens', expr: e, pos: P });
const atLeast = (e: Expr, min: number): Expr => (precedence(e) < min ? parens(e) : e);

const identifier = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/).filter((s) => !KEYWORDS.has(s));
const bodyText = fc.string({ unit: fc.constantFrom('a', ' ', '"', '$', '%', '}'), minLength: 1, maxLength: 4 }).filter((t) => !t.endsWith('%'));
const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '"', '\\', '\n', '\t', '$', '%', '{', '}', '~', 'é'), minLength: 1, maxLength: 8 });

/** Template parts as the parser produces them: no empty or adjacent texts, no text ending in `$`/`%` before a sequence. */
function normaliseParts(parts: TemplatePart[]): TemplatePart[] {
  const out: TemplatePart[] = [];
  for (const part of parts) {
    const previous = out[out.length - 1];
    if (part.kind === 'text' && previous?.kind === 'text') {
      out[out.length - 1] = { kind: 'text', value: previous.value + part.value };
    } else {
      out.push(part);
    }
  }
  return out.filter((part, i) => {
    const next = out[i + 1];
    return !(part.kind === 'text' && next && /[$%]$/.test(part.value));
  });
}

/**
 * Expression trees in the canonical form the parser produces: no string literals (quoted strings are templates),
 * non-negative number literals, parentheses exactly where precedence needs them.
 */
export function exprArbitrary(): fc.Arbitrary<Expr> {
  const { expr } = fc.letrec<{ expr: Expr; leaf: Expr; parts: TemplatePart[] }>((tie) => ({
    leaf: fc.oneof(
      fc.integer({ min: 0, max: 100000 }).map((v): Expr => ({ kind: 'literal', value: v, pos: P })),
      fc.constantFrom(0.5, 2.25, 1e-7).map((v): Expr => ({ kind: 'literal', value: v, pos: P })),
      fc.constantFrom(true, false, null).map((v): Expr => ({ kind: 'literal', value: v, pos: P })),
      identifier.map((name): Expr => ({ kind: 'variable', name, pos: P })),
      text.map((value): Expr => ({ kind: 'template', parts: [{ kind: 'text', value }], pos: P })),
    ),
    parts: fc.array(fc.oneof(
      { weight: 3, arbitrary: text.map((value): TemplatePart => ({ kind: 'text', value })) },
      { weight: 2, arbitrary: tie('expr').map((e): TemplatePart => ({ kind: 'interp', expr: e })) },
      { weight: 1, arbitrary: fc.tuple(tie('expr'), fc.array(bodyText, { maxLength: 1 }), fc.array(bodyText, { maxLength: 1 })).map(([cond, a, b]): TemplatePart => ({
        kind: 'if', cond, then: a.map((value) => ({ kind: 'text' as const, value })), else: b.map((value) => ({ kind: 'text' as const, value })),
      })) },
      { weight: 1, arbitrary: fc.tuple(identifier, tie('expr'), bodyText).map(([v, collection, body]): TemplatePart => ({
        kind: 'for', valueVar: v, collection, body: [{ kind: 'text', value: body }],
      })) },
    ), { maxLength: 4 }).map(normaliseParts),
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: tie('leaf') },
      tie('parts').filter((parts) => !(parts.length === 1 && parts[0].kind === 'interp')).map((parts): Expr => ({ kind: 'template', parts, pos: P })),
      fc.tuple(tie('expr'), identifier).map(([t, name]): Expr => ({ kind: 'getattr', target: atLeast(t, 8), name, pos: P })),
      fc.tuple(tie('expr'), tie('expr')).map(([t, key]): Expr => ({ kind: 'index', target: atLeast(t, 8), key, pos: P })),
      fc.tuple(tie('expr'), fc.array(identifier, { minLength: 0, maxLength: 2 }), fc.boolean()).map(([source, names, legacy]): Expr => {
        let each: Expr = { kind: 'splat-item', pos: P };
        for (const name of names) {
          each = { kind: 'getattr', target: each, name, pos: P };
        }
        return { kind: 'splat', source: atLeast(source, 8), each, legacy, pos: P };
      }),
      fc.tuple(identifier, fc.array(tie('expr'), { maxLength: 3 }), fc.boolean()).map(([name, args, expand]): Expr => ({
        kind: 'call', name, args, expandFinal: expand && args.length > 0, pos: P,
      })),
      fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, t, e]): Expr => ({ kind: 'conditional', cond: atLeast(c, 1), then: atLeast(t, 1), else: e, pos: P })),
      fc.tuple(fc.constantFrom<BinaryOp>('||', '&&', '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%'), tie('expr'), tie('expr')).map(([op, l, r]): Expr => ({
        kind: 'binary', op, left: atLeast(l, PRECEDENCE[op]), right: atLeast(r, PRECEDENCE[op] + 1), pos: P,
      })),
      fc.tuple(fc.constantFrom<'!' | '-'>('!', '-'), tie('expr')).map(([op, operand]): Expr => ({ kind: 'unary', op, operand: atLeast(operand, 7), pos: P })),
      fc.array(tie('expr'), { maxLength: 3 }).map((items): Expr => ({ kind: 'tuple', items, pos: P })),
      fc.array(fc.tuple(fc.oneof(
        identifier.map((k): Expr => ({ kind: 'literal', value: k, pos: P })),
        tie('expr').map((k): Expr => parens(k)),
      ), tie('expr')), { maxLength: 3 }).map((items): Expr => ({ kind: 'object', items: items.map(([key, value]) => ({ key, value })), pos: P })),
      fc.tuple(fc.option(identifier, { nil: undefined }), identifier, tie('expr'), fc.option(tie('expr'), { nil: undefined }), tie('expr'), fc.option(tie('expr'), { nil: undefined }), fc.boolean())
        .map(([keyVar, valueVar, collection, keyExpr, valueExpr, cond, group]): Expr => ({
          kind: 'for', keyVar, valueVar, collection, keyExpr, valueExpr, cond, group: group && keyExpr !== undefined, pos: P,
        })),
      tie('expr').map((e): Expr => parens(e)),
    ),
  }));
  return expr;
}
