/**
 * Terraform type constraints (`string`, `list(object({ name = string, port = optional(number, 443) }))`...) and the
 * conversion Terraform applies to a variable's value: strings of digits become numbers where a number is declared,
 * missing optional attributes get their default (or null), attributes the type does not declare are dropped.
 */
import { Expr } from './ast';
import { evaluate, scopeOf } from './evaluator';
import { printExpression } from './printer';
import {
  EvalError, Lazy, Ref, Unknown, Value, describeValue, isObjectValue, makeObject, makeSet, toBoolValue, toNumberValue,
  toStringValue,
} from './value';

/** A type constraint. */
export type TypeConstraint =
  | { readonly kind: 'any' | 'string' | 'number' | 'bool' }
  | { readonly kind: 'list' | 'set' | 'map'; readonly element: TypeConstraint }
  | { readonly kind: 'tuple'; readonly elements: readonly TypeConstraint[] }
  | { readonly kind: 'object'; readonly attributes: ReadonlyMap<string, ObjectAttribute> };

/** An attribute of an object type. */
export interface ObjectAttribute {
  readonly type: TypeConstraint;
  readonly optional: boolean;
  /** The default of an optional attribute (already converted), when one is given. */
  readonly default?: Value;
}

const ANY: TypeConstraint = { kind: 'any' };

/** Read a type constraint written as an expression. */
export function parseType(expr: Expr): TypeConstraint {
  const fail = (why: string): never => {
    throw new EvalError(`invalid type constraint ${printExpression(expr)}: ${why}`);
  };
  if (expr.kind === 'variable') {
    if (['any', 'string', 'number', 'bool'].includes(expr.name)) {
      return { kind: expr.name as 'any' };
    }
    return fail(`unknown type "${expr.name}"`);
  }
  if (expr.kind === 'template' && expr.parts.length === 1 && expr.parts[0].kind === 'text') {
    // Terraform 0.11 spelling: type = "string" / "list" / "map".
    const legacy = expr.parts[0].value;
    if (legacy === 'string') {
      return { kind: 'string' };
    }
    if (legacy === 'list' || legacy === 'map') {
      return { kind: legacy, element: ANY };
    }
    return fail('quoted type names other than "string", "list" and "map" are not valid');
  }
  if (expr.kind !== 'call') {
    return fail('expected a type name or a type constructor');
  }
  const [first] = expr.args;
  switch (expr.name) {
    case 'list':
    case 'set':
    case 'map':
      if (expr.args.length !== 1) {
        fail(`${expr.name}() takes one element type`);
      }
      return { kind: expr.name, element: parseType(first) };
    case 'tuple':
      if (expr.args.length !== 1 || first.kind !== 'tuple') {
        fail('tuple() takes a list of element types');
      }
      return { kind: 'tuple', elements: (first as Extract<Expr, { kind: 'tuple' }>).items.map(parseType) };
    case 'object': {
      if (expr.args.length !== 1 || first.kind !== 'object') {
        fail('object() takes an object of attribute types');
      }
      const attributes = new Map<string, ObjectAttribute>();
      for (const item of (first as Extract<Expr, { kind: 'object' }>).items) {
        const name = item.key.kind === 'literal' && typeof item.key.value === 'string' ? item.key.value : fail('attribute names must be identifiers');
        attributes.set(name, parseAttribute(item.value));
      }
      return { kind: 'object', attributes };
    }
    default:
      return fail(`unknown type constructor ${expr.name}()`);
  }
}

function parseAttribute(expr: Expr): ObjectAttribute {
  if (expr.kind === 'call' && expr.name === 'optional') {
    if (expr.args.length < 1 || expr.args.length > 2) {
      throw new EvalError('optional() takes a type and an optional default');
    }
    const type = parseType(expr.args[0]);
    if (expr.args.length === 1) {
      return { type, optional: true };
    }
    const value = evaluate(expr.args[1], scopeOf({}));
    return { type, optional: true, default: convert(value, type, 'the default of an optional attribute') };
  }
  return { type: parseType(expr), optional: false };
}

/**
 * Convert a value to a type as Terraform does for variables. Unknown parts stay unknown; a value that cannot be
 * converted is an `EvalError` naming `what`.
 */
export function convert(value: Value, type: TypeConstraint, what: string): Value {
  if (value === null || value instanceof Unknown || value instanceof Ref || type.kind === 'any') {
    return value instanceof Lazy ? value.materialize() : value;
  }
  if (value instanceof Lazy) {
    return convert(value.materialize(), type, what);
  }
  switch (type.kind) {
    case 'string':
      if (typeof value === 'object') {
        throw new EvalError(`${what}: a string is required, not ${describeValue(value)}`);
      }
      return toStringValue(value, what);
    case 'number':
      return toNumberValue(value, what);
    case 'bool':
      return toBoolValue(value, what);
    case 'list':
    case 'set': {
      if (!Array.isArray(value)) {
        throw new EvalError(`${what}: a ${type.kind} is required, not ${describeValue(value)}`);
      }
      const items = value.map((item, i) => convert(item, type.element, `${what}[${i}]`));
      // A set: distinct elements in Terraform's order, iterated with each element as its key.
      return type.kind === 'set' ? makeSet(items) : items;
    }
    case 'map':
      if (!isObjectValue(value)) {
        throw new EvalError(`${what}: a map is required, not ${describeValue(value)}`);
      }
      return makeObject(Object.entries(value).map(([k, v]) => [k, convert(v, type.element, `${what}["${k}"]`)]));
    case 'tuple':
      if (!Array.isArray(value) || value.length !== type.elements.length) {
        throw new EvalError(`${what}: a tuple of ${type.elements.length} element(s) is required, not ${describeValue(value)}`);
      }
      return value.map((item, i) => convert(item, type.elements[i], `${what}[${i}]`));
    case 'object': {
      if (!isObjectValue(value)) {
        throw new EvalError(`${what}: an object is required, not ${describeValue(value)}`);
      }
      const entries: [string, Value][] = [];
      for (const [name, attribute] of type.attributes) {
        if (Object.prototype.hasOwnProperty.call(value, name) && value[name] !== null) {
          entries.push([name, convert(value[name], attribute.type, `${what}.${name}`)]);
        } else if (attribute.optional) {
          entries.push([name, attribute.default ?? null]);
        } else if (Object.prototype.hasOwnProperty.call(value, name)) {
          entries.push([name, null]);
        } else {
          throw new EvalError(`${what}: the attribute "${name}" is required`);
        }
      }
      return makeObject(entries);
    }
  }
}
