/**
 * The evaluator of HCL expressions over a scope. Unknown values propagate (an operation on an unknown gives that
 * unknown, with its reason), resource references stay references until a computation needs their value, and errors
 * (type errors, missing attributes) are `EvalError`s that `try()` and `can()` catch. Nothing is guessed: what cannot be
 * computed exactly is unknown.
 */
import { Expr, Pos, TemplatePart } from './ast';
import { exactArithmetic } from './decimal';
import { notComputed } from './format';
import { FUNCTIONS, HclFunction } from './functions';
import { printExpression, printTemplateRaw } from './printer';
import {
  EvalError, Lazy, Ref, Unknown, UnknownSignal, Value, describeValue, firstUnknown, isBoolText, isObjectValue, known, makeObject,
  isKindUnknown, isSetValue, makeSet, markKindUnknown, materialize, sortedKeys, toBoolValue, toNumberValue, toStringValue, typeName, valuesEqual,
} from './value';

/** Root names an expression can use. */
export interface Scope {
  /** The value of a root name (`var`, `local`, `each`, a resource type...), or undefined when it is not defined. */
  lookup(name: string): Value | undefined;
}

/** A scope that adds names over a parent (iterators of `for` expressions and `dynamic` blocks). */
export class ChildScope implements Scope {
  public constructor(private readonly parent: Scope | undefined, private readonly names: ReadonlyMap<string, Value>) {}

  public lookup(name: string): Value | undefined {
    return this.names.has(name) ? this.names.get(name) : this.parent?.lookup(name);
  }
}

/** A scope from a record of names. */
export function scopeOf(names: Record<string, Value>, parent?: Scope): Scope {
  return new ChildScope(parent, new Map(Object.entries(names)));
}

/** An `EvalError` that knows where it happened. */
export class PositionedEvalError extends EvalError {
  public constructor(public readonly reason: string, public readonly pos: Pos) {
    super(reason);
  }
}

/** Options of an evaluation. */
export interface EvaluateOptions {
  /** Functions by name (default: every function this package implements). */
  readonly functions?: Readonly<Record<string, HclFunction>>;
}

/** The text that names an expression in a Terraform JSON document. */
export function jsonOfExpression(expr: Expr): string {
  if (expr.kind === 'template') {
    return printTemplateRaw(expr.parts);
  }
  return `\${${printExpression(expr)}}`;
}

class Evaluator {
  public constructor(private readonly functions: Readonly<Record<string, HclFunction>>) {}

  /**
   * Turn a caught unknown into the unknown of this node, written as this node's expression: the value of
   * `lookup(var.subs, "hub")` is not `var.subs`, and written as `${var.subs}` it would read as that variable itself
   * (the same value as any other `${var.subs}`).
   */
  private unknownAt(expr: Expr, u: Unknown): Unknown {
    return new Unknown(u.reason, jsonOfExpression(expr));
  }

  /**
   * A step into an unknown that is not a plain reference (the instances of a resource whose `for_each` is unknown) is
   * another value than the unknown itself: written as the whole expression, so that
   * `azurerm_subnet.s["apim"].id` and `azurerm_subnet.s["other"].id` are never read as one value.
   */
  private traversed(expr: Expr, target: Value, result: Value): Value {
    return result instanceof Unknown && result === target && !result.traversable ? new Unknown(result.reason, jsonOfExpression(expr)) : result;
  }

  private guard(expr: Expr, fn: () => Value): Value {
    try {
      return fn();
    } catch (e) {
      if (e instanceof UnknownSignal) {
        return this.unknownAt(expr, e.unknown);
      }
      if (e instanceof EvalError && !(e instanceof PositionedEvalError)) {
        throw new PositionedEvalError(e.message, expr.pos);
      }
      throw e;
    }
  }

  public eval(expr: Expr, scope: Scope, item?: Value): Value {
    switch (expr.kind) {
      case 'literal':
        // A number literal a JavaScript number cannot hold exactly is never read rounded: unknown, written as a call the
        // checks do not evaluate.
        return expr.inexact === undefined ? expr.value
          : new Unknown(`the number ${expr.inexact}, which has more digits than the checks hold exactly`, `\${tonumber("${expr.inexact}")}`);
      case 'parens':
        return this.eval(expr.expr, scope, item);
      case 'template':
        if (expr.parts.length === 1 && expr.parts[0].kind === 'interp') {
          return this.eval(expr.parts[0].expr, scope);
        }
        return this.guard(expr, () => this.template(expr.parts, scope));
      case 'variable': {
        const value = scope.lookup(expr.name);
        if (value === undefined) {
          throw new PositionedEvalError(`"${expr.name}" is not defined here`, expr.pos);
        }
        return value;
      }
      case 'splat-item':
        if (item === undefined) {
          throw new PositionedEvalError('a splat item outside a splat', expr.pos);
        }
        return item;
      case 'getattr': {
        const target = this.eval(expr.target, scope, item);
        return this.guard(expr, () => this.traversed(expr, target, getAttr(target, expr.name)));
      }
      case 'index': {
        const target = this.eval(expr.target, scope, item);
        const key = this.eval(expr.key, scope);
        return this.guard(expr, () => this.traversed(expr, target, index(target, key)));
      }
      case 'splat':
        return this.splat(expr, scope, item);
      case 'call':
        return this.call(expr, scope);
      case 'conditional': {
        const cond = this.eval(expr.cond, scope);
        return this.guard(expr, () => {
          const which = toBoolValue(cond, 'the condition');
          const chosen = this.eval(which ? expr.then : expr.else, scope);
          // Terraform gives both results one type: the other one decides conversions (1 beside "2" is "1").
          let other: Value | undefined;
          try {
            other = this.eval(which ? expr.else : expr.then, scope);
          } catch (e) {
            if (!(e instanceof EvalError)) {
              throw e;
            }
          }
          return unifyResults(chosen, other);
        });
      }
      case 'binary':
        return this.binary(expr, scope);
      case 'unary': {
        const operand = this.eval(expr.operand, scope);
        return this.guard(expr, () => (expr.op === '!' ? !toBoolValue(operand, 'the operand of "!"') : -toNumberValue(operand, 'the operand of "-"')));
      }
      case 'tuple':
        return expr.items.map((i) => this.eval(i, scope));
      case 'object':
        return this.guard(expr, () => {
          const entries: [string, Value][] = [];
          for (const item of expr.items) {
            const key = toStringValue(this.eval(item.key, scope), 'an object key');
            entries.push([key, this.eval(item.value, scope)]);
          }
          return makeObject(entries);
        });
      case 'for':
        return this.guard(expr, () => this.forExpr(expr, scope));
    }
  }

  private template(parts: readonly TemplatePart[], scope: Scope): string {
    let out = '';
    for (const part of parts) {
      switch (part.kind) {
        case 'text':
          out += part.value;
          break;
        case 'interp': {
          const value = known(this.eval(part.expr, scope));
          if (Array.isArray(value) || isObjectValue(value)) {
            throw new PositionedEvalError(`a ${typeName(value)} cannot be part of a string template`, part.expr.pos);
          }
          out += toStringValue(value, `the interpolation \${${printExpression(part.expr)}}`);
          break;
        }
        case 'if':
          out += this.template(toBoolValue(this.eval(part.cond, scope), 'the %{if} condition') ? part.then : part.else, scope);
          break;
        case 'for':
          for (const [k, v] of iterate(this.eval(part.collection, scope), 'the %{for} collection', `\${${part.keyVar ?? 'key'}}`)) {
            const names = new Map<string, Value>([[part.valueVar, v]]);
            if (part.keyVar) {
              names.set(part.keyVar, k);
            }
            out += this.template(part.body, new ChildScope(scope, names));
          }
          break;
      }
    }
    return out;
  }

  private splat(expr: Extract<Expr, { kind: 'splat' }>, scope: Scope, item?: Value): Value {
    const source = this.eval(expr.source, scope, item);
    if (source instanceof Unknown) {
      // The attributes of an unknown list are another value than the list: written as the whole splat.
      return new Unknown(source.reason, jsonOfExpression(expr));
    }
    if (source instanceof Ref) {
      return this.unknownAt(expr, source.toUnknown());
    }
    if (source === null) {
      return [];
    }
    const elements = Array.isArray(source) ? source : [source];
    return elements.map((element) => this.eval(expr.each, scope, element));
  }

  private call(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): Value {
    if (expr.name === 'try' || expr.name === 'can') {
      return this.tryCall(expr, scope);
    }
    const fn = this.functions[expr.name];
    if (!fn) {
      const what = expr.name.includes('::') ? 'provider function' : 'function';
      return new Unknown(`the ${what} ${expr.name}() is not evaluated by this command`, jsonOfExpression(expr));
    }
    let args = expr.args.map((a) => this.eval(a, scope));
    return this.guard(expr, () => {
      if (expr.expandFinal) {
        const last = args[args.length - 1];
        const spread = known(last);
        if (!Array.isArray(spread)) {
          throw new EvalError(`the last argument of ${expr.name}() is followed by "..." but is ${describeValue(spread)}, not a list`);
        }
        args = [...args.slice(0, -1), ...spread];
      }
      return fn(args, expr.name);
    });
  }

  /**
   * `try(a, b, ...)`: the first argument that evaluates without an error; an unknown argument makes the result unknown
   * (Terraform cannot tell yet whether it would fail). `can(a)`: whether `a` evaluates without an error.
   */
  private tryCall(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): Value {
    if (expr.args.length === 0 || (expr.name === 'can' && expr.args.length !== 1)) {
      throw new PositionedEvalError(`${expr.name}() needs ${expr.name === 'can' ? 'exactly one argument' : 'at least one argument'}`, expr.pos);
    }
    const errors: string[] = [];
    for (const arg of expr.args) {
      let value: Value;
      try {
        value = this.eval(arg, scope);
      } catch (e) {
        if (e instanceof EvalError) {
          errors.push(e.message);
          continue;
        }
        throw e;
      }
      if (expr.name === 'can') {
        // A value with unknown parts may still fail once known; a resource reference is a value that exists.
        const unknown = value instanceof Ref ? undefined : firstUnknown(value);
        return unknown ? this.unknownAt(expr, unknown) : true;
      }
      // An unknown first argument makes try() unknown too (Terraform cannot tell yet whether it fails).
      return value;
    }
    if (expr.name === 'can') {
      return false;
    }
    throw new PositionedEvalError(`no argument of try() could be evaluated: ${errors.join('; ')}`, expr.pos);
  }

  private binary(expr: Extract<Expr, { kind: 'binary' }>, scope: Scope): Value {
    const left = this.eval(expr.left, scope);
    if (expr.op === '&&' || expr.op === '||') {
      // Logic does not depend on the right operand once the left one decides: false && x, true || x.
      if (typeof left === 'boolean' || isBoolText(left)) {
        const l = this.guard(expr, () => toBoolValue(left, `the left operand of "${expr.op}"`)) as boolean;
        if (expr.op === '&&' ? !l : l) {
          return l;
        }
        const right = this.eval(expr.right, scope);
        return this.guard(expr, () => toBoolValue(right, `the right operand of "${expr.op}"`));
      }
      const right = this.eval(expr.right, scope);
      return this.guard(expr, () => {
        const r = toBoolValue(right, `the right operand of "${expr.op}"`);
        if (expr.op === '&&' ? !r : r) {
          return r;
        }
        return toBoolValue(left, `the left operand of "${expr.op}"`);
      });
    }
    const right = this.eval(expr.right, scope);
    return this.guard(expr, () => {
      switch (expr.op) {
        case '==':
        case '!=': {
          const equal = equality(left, right);
          return expr.op === '==' ? equal : !equal;
        }
        default:
          break;
      }
      const a = toNumberValue(left, `the left operand of "${expr.op}"`);
      const b = toNumberValue(right, `the right operand of "${expr.op}"`);
      switch (expr.op) {
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
          if (b === 0 && (expr.op === '/' || expr.op === '%')) {
            throw new EvalError(expr.op === '/' ? 'division by zero' : 'modulo by zero');
          }
          // Exact decimal arithmetic, as Terraform's 512-bit numbers give it (0.1 + 0.2 is 0.3); a result with more
          // digits than a number here holds (1 / 3) is not computed.
          return exactArithmetic(expr.op, a, b)
            ?? notComputed(`"${printExpression(expr)}" (a result with more digits than this command computes exactly)`);
        case '<':
          return a < b;
        case '>':
          return a > b;
        case '<=':
          return a <= b;
        default:
          return a >= b;
      }
    });
  }

  private forExpr(expr: Extract<Expr, { kind: 'for' }>, scope: Scope): Value {
    const entries = iterate(this.eval(expr.collection, scope), 'the collection of a for expression', `\${${expr.keyVar ?? 'key'}}`);
    const list: Value[] = [];
    const grouped = new Map<string, Value[]>();
    const object = new Map<string, Value>();
    for (const [k, v] of entries) {
      const names = new Map<string, Value>([[expr.valueVar, v]]);
      if (expr.keyVar) {
        names.set(expr.keyVar, k);
      }
      const inner = new ChildScope(scope, names);
      if (expr.cond && !toBoolValue(this.eval(expr.cond, inner), 'the "if" condition of a for expression')) {
        continue;
      }
      if (!expr.keyExpr) {
        list.push(this.eval(expr.valueExpr, inner));
        continue;
      }
      const key = toStringValue(this.eval(expr.keyExpr, inner), 'a key of a for expression');
      const value = this.eval(expr.valueExpr, inner);
      if (expr.group) {
        grouped.set(key, [...(grouped.get(key) ?? []), value]);
      } else if (object.has(key)) {
        throw new EvalError(`the for expression produces the key ${JSON.stringify(key)} twice (add "..." after the value to group)`);
      } else {
        object.set(key, value);
      }
    }
    if (!expr.keyExpr) {
      return list;
    }
    return makeObject(expr.group ? grouped : object);
  }
}

/**
 * Key and value of every element of a collection: index and element of a list, the element twice for a set (Terraform:
 * "if the collection is a set, the key is identical to the value"), key and value of a map in key order. When whether
 * the collection is a list or a set is not known, the keys are unknown (`keyJson` writes them).
 */
export function iterate(collection: Value, what: string, keyJson = '${key}'): Array<[Value, Value]> {
  const value = known(collection);
  if (isSetValue(value)) {
    return value.map((v) => [v, v]);
  }
  if (isKindUnknown(value)) {
    const key = new Unknown(`the keys of ${what} are not known: it is a list (keys 0, 1...) or a set (each key is its element), as the provider's schema says`, keyJson);
    return value.map((v) => [key, v]);
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => [i, v]);
  }
  if (isObjectValue(value)) {
    return sortedKeys(value).map((k) => [k, value[k]]);
  }
  throw new EvalError(`${what} is ${describeValue(value)}, not a list, set or map`);
}

/** `value.name` */
export function getAttr(value: Value, name: string): Value {
  if (value instanceof Unknown) {
    return value.step(`.${name}`);
  }
  if (value instanceof Ref) {
    return new Ref(value.target, `${value.attribute}.${name}`);
  }
  if (value instanceof Lazy) {
    return value.get(name);
  }
  if (isObjectValue(value)) {
    if (Object.prototype.hasOwnProperty.call(value, name)) {
      return value[name];
    }
    throw new EvalError(`the object has no attribute "${name}"`);
  }
  if (value === null) {
    throw new EvalError(`cannot read the attribute "${name}" of null`);
  }
  if (Array.isArray(value)) {
    throw new EvalError(`cannot read the attribute "${name}" of a list (use [*].${name} or an index)`);
  }
  throw new EvalError(`cannot read the attribute "${name}" of ${describeValue(value)}`);
}

/** `value[key]` */
export function index(value: Value, key: Value): Value {
  if (key instanceof Unknown || key instanceof Ref) {
    return known(key);
  }
  if (value instanceof Unknown) {
    return value.step(`[${JSON.stringify(materialize(key))}]`);
  }
  if (value instanceof Ref) {
    return new Ref(value.target, `${value.attribute}[${JSON.stringify(materialize(key))}]`);
  }
  if (value instanceof Lazy) {
    return value.get(toStringValue(key, 'the key'));
  }
  if (isSetValue(value)) {
    throw new EvalError('the elements of a set cannot be read by index (convert it with tolist() first)');
  }
  if (Array.isArray(value)) {
    const i = toNumberValue(key, 'the index');
    if (!Number.isInteger(i) || i < 0 || i >= value.length) {
      throw new EvalError(`the index ${i} is out of range for a list of ${value.length} element(s)`);
    }
    return value[i];
  }
  if (isObjectValue(value)) {
    const k = toStringValue(key, 'the key');
    if (Object.prototype.hasOwnProperty.call(value, k)) {
      return value[k];
    }
    throw new EvalError(`the map has no element with the key ${JSON.stringify(k)}`);
  }
  throw new EvalError(`cannot index ${describeValue(value)}`);
}

/**
 * The result of a conditional converted to the type it shares with the other result, as far as this package knows
 * types: primitives (a string beside a number or bool makes both strings; a number beside a bool is an error), and a
 * list beside a set becomes a set (beside a value of unknown type, it may be either: its kind is unknown).
 */
function unifyResults(chosen: Value, other: Value | undefined): Value {
  if (other === undefined || other === null || chosen === null) {
    return chosen;
  }
  const primitive = (v: Value) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if (primitive(chosen) && primitive(other) && typeof chosen !== typeof other) {
    if (typeof chosen !== 'string' && typeof other !== 'string') {
      throw new EvalError(`the true and false results have no common type (${typeof chosen === 'number' ? 'a number and a bool' : 'a bool and a number'})`);
    }
    return toStringValue(chosen, 'the result');
  }
  if (Array.isArray(chosen) && !isSetValue(chosen)) {
    if (isSetValue(other)) {
      return makeSet(chosen);
    }
    if (other instanceof Unknown || other instanceof Ref || isKindUnknown(other)) {
      return markKindUnknown([...chosen]);
    }
  }
  return chosen;
}

/**
 * `a == b`. A value compared with null is decided by whether it is null, even when its content is unknown; anything
 * else needs both sides wholly known.
 */
function equality(a: Value, b: Value): boolean {
  if (a === null || b === null) {
    const other = a === null ? b : a;
    if (other instanceof Unknown || other instanceof Ref) {
      known(other);
    }
    return other === null;
  }
  known(a, true);
  known(b, true);
  for (const side of [a, b]) {
    if (isKindUnknown(side) && Array.isArray(a) && Array.isArray(b)) {
      // A set never equals a list: whether this one is a set is not known.
      throw new UnknownSignal(new Unknown('a comparison with a collection that may be a list or a set (as the provider\'s schema says)', '${comparison}'));
    }
  }
  return valuesEqual(materialize(a), materialize(b));
}

/**
 * Evaluate an expression. Unknown values come back as `Unknown` (or `Ref`); errors throw `EvalError` (a
 * `PositionedEvalError` with the position of the failing node).
 */
export function evaluate(expr: Expr, scope: Scope, options: EvaluateOptions = {}): Value {
  return new Evaluator(options.functions ?? FUNCTIONS).eval(expr, scope);
}
