import * as fc from 'fast-check';
import {
  EvalError, Lazy, PositionedEvalError, Ref, Scope, Unknown, Value, convert, evaluate, makeObject, markKindUnknown, parseExpression,
  parseType, printExpression, scopeOf,
} from '../../lib/hcl';
import { exprArbitrary } from './support';

const SUBNET = { address: 'module.net.azurerm_subnet.apim', type: 'azurerm_subnet', jsonName: 'net--apim' };

class Resource extends Lazy {
  public get(name: string): Value {
    if (name === 'name') {
      return 'snet-apim';
    }
    return new Ref(SUBNET, name);
  }

  public describe(): string {
    return SUBNET.address;
  }

  public keys(): string[] {
    return ['name'];
  }
}

function scope(): Scope {
  return scopeOf({
    var: makeObject([
      ['n', 3],
      ['s', '443'],
      ['cidr', '10.0.0.0/16'],
      ['rules', [{ name: 'a', port: 443, on: true }, { name: 'b', port: 1433, on: false }]],
      ['map', { weu: '10.1.0.0/24', neu: '10.2.0.0/24' }],
      ['nothing', null],
      ['location', new Unknown('var.location has no value', '${var.location}', true)],
      ['mixed', ['a', new Unknown('var.x has no value', '${var.x}', true)]],
      ['obj', { a: 1 }],
    ]),
    data: new Unknown('data sources are read by Terraform at plan time', '${data}', true),
    azurerm_subnet: makeObject([['apim', new Resource()]]),
  });
}

const run = (src: string): Value => evaluate(parseExpression(src), scope());
const json = (v: Value) => JSON.parse(JSON.stringify(v));

describe('known values', () => {
  test.each<[string, unknown]>([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['7 % 3', 1],
    ['10 / 4', 2.5],
    ['var.s + 1', 444],
    ['-var.n', -3],
    ['!true', false],
    ['1 == 1', true],
    ['1 == "1"', false],
    ['"a" != "b"', true],
    ['[1, [2]] == [1, [2]]', true],
    ['{ a = 1 } == { a = 1 }', true],
    ['var.n >= 3 && var.n < 4', true],
    ['false || var.n > 2', true],
    ['var.n > 2 ? "big" : "small"', 'big'],
    ['"x-${var.n}-${true}"', 'x-3-true'],
    ['"${var.n}"', 3],
    ['"%{if var.n > 2}yes%{else}no%{endif}"', 'yes'],
    ['"%{for r in var.rules}${r.name};%{endfor}"', 'a;b;'],
    ['"%{for k, v in var.map}${k}=${v} %{endfor}"', 'neu=10.2.0.0/24 weu=10.1.0.0/24 '],
    ['var.rules[1].port', 1433],
    ['var.rules[*].name', ['a', 'b']],
    ['var.rules.*.port', [443, 1433]],
    ['var.obj[*].a', [1]],
    ['var.nothing[*]', []],
    ['var.map["weu"]', '10.1.0.0/24'],
    ['var.rules["1"].name', 'b'],
    ['[for r in var.rules : r.name if r.on]', ['a']],
    ['[for i, r in var.rules : "${i}:${r.name}"]', ['0:a', '1:b']],
    ['{ for r in var.rules : r.name => r.port }', { a: 443, b: 1433 }],
    ['{ for k, v in var.map : v => k }', { '10.2.0.0/24': 'neu', '10.1.0.0/24': 'weu' }],
    ['{ for r in var.rules : r.on => r.name... }', { true: ['a'], false: ['b'] }],
    ['{ (var.s) = 1, k = 2, "x y" = 3 }', { 443: 1, k: 2, 'x y': 3 }],
    ['try(var.rules[5].name, "none")', 'none'],
    ['try(var.obj.missing, var.obj.a)', 1],
    ['can(var.obj.missing)', false],
    ['can(var.obj.a)', true],
    ['azurerm_subnet.apim.name', 'snet-apim'],
    ['"${azurerm_subnet.apim.name}-nsg"', 'snet-apim-nsg'],
    ['length(var.mixed)', 2],
    ['var.mixed == null', false],
    ['var.nothing == null', true],
    ['false && var.location == "x"', false],
    ['true || var.location == "x"', true],
    ['var.location == "x" && false', false],
    ['var.location == "x" || true', true],
  ])('%s', (src, expected) => {
    expect(json(run(src))).toEqual(expected);
  });
});

describe('unknown values propagate with their cause, and nothing is guessed', () => {
  // A value computed from an unknown is written as its own expression, never as the unknown it was computed from: the
  // checks read `${var.location}` as that variable itself (the same value as any other `${var.location}`), and
  // `upper(var.location)` is another value.
  test.each([
    ['var.location', '${var.location}'],
    ['var.location == null', '${var.location == null}'],
    ['upper(var.location)', '${upper(var.location)}'],
    ['"${var.location}-vnet"', '${var.location}-vnet'],
    ['var.location == "westeurope"', '${var.location == "westeurope"}'],
    ['var.location == "x" ? 1 : 2', '${var.location == "x" ? 1 : 2}'],
    ['var.location == "x" || false', '${var.location == "x" || false}'],
    ['join(",", var.mixed)', '${join(",", var.mixed)}'],
    ['data.azurerm_subnet.apim.id', '${data.azurerm_subnet.apim.id}'],
    ['data.azurerm_subnet.apim.address_prefixes[0]', '${data.azurerm_subnet.apim.address_prefixes[0]}'],
    ['cidrsubnet(data.azurerm_virtual_network.hub.address_space[0], 8, 1)', '${cidrsubnet(data.azurerm_virtual_network.hub.address_space[0], 8, 1)}'],
    ['[for x in var.location : x]', '${[for x in var.location : x]}'],
    ['{ (var.location) = 1 }', '${{(var.location) = 1}}'],
    ['try(var.location, "fallback")', '${var.location}'],
    ['timestamp()', '${timestamp()}'],
    ['provider::azurerm::parse_resource_id(var.n)', '${provider::azurerm::parse_resource_id(var.n)}'],
  ])('%s stays unknown (%s)', (src, jsonText) => {
    const value = run(src);
    expect(value).toBeInstanceOf(Unknown);
    expect((value as Unknown).json).toBe(jsonText);
  });

  test('unknown reasons are kept', () => {
    expect((run('cidrsubnet(var.location, 8, 1)') as Unknown).reason).toBe('var.location has no value');
    expect((run('timestamp()') as Unknown).reason).toBe('the function timestamp() is not evaluated by this command');
  });

  test('a resource attribute known only after apply stays a reference', () => {
    const ref = run('azurerm_subnet.apim.id') as Ref;
    expect(ref).toBeInstanceOf(Ref);
    expect(ref.json).toBe('${azurerm_subnet.net--apim.id}');
    expect(run('"${azurerm_subnet.apim.id}"')).toEqual(ref);
    expect(run('true ? azurerm_subnet.apim.id : null')).toEqual(ref);
    expect((run('[azurerm_subnet.apim.id]') as Value[])[0]).toEqual(ref);
    expect((run('azurerm_subnet.apim.address_prefixes[0]') as Ref).json).toBe('${azurerm_subnet.net--apim.address_prefixes[0]}');
  });

  test('a reference used in a computation is unknown, named by the expression that used it (never by the bare reference)', () => {
    const templated = run('"${azurerm_subnet.apim.id}/extra"') as Unknown;
    expect(templated).toBeInstanceOf(Unknown);
    expect(templated.json).toBe('${azurerm_subnet.apim.id}/extra');
    expect(templated.reason).toBe('module.net.azurerm_subnet.apim.id is known only after apply');
    const replaced = run('replace(azurerm_subnet.apim.id, "a", "b")') as Unknown;
    expect(replaced.json).toBe('${replace(azurerm_subnet.apim.id, "a", "b")}');
  });
});

describe('errors', () => {
  test.each([
    ['var.obj.missing', /the object has no attribute "missing"/],
    ['var.rules[2]', /the index 2 is out of range for a list of 2 element/],
    ['var.map["x"]', /the map has no element with the key "x"/],
    ['var.nothing.a', /cannot read the attribute "a" of null/],
    ['var.rules.name', /cannot read the attribute "name" of a list \(use \[\*\]\.name/],
    ['1 / 0', /division by zero/],
    ['"a" + 1', /the left operand of "\+" is "a", where a number is needed/],
    ['undefined_name', /"undefined_name" is not defined here/],
    ['"x${var.rules}"', /a list cannot be part of a string template/],
    ['"x${var.nothing}"', /is null, where a string is needed/],
    ['{ for r in var.rules : "k" => r }', /produces the key "k" twice/],
    ['try(var.obj.x, var.obj.y)', /no argument of try\(\) could be evaluated/],
    ['var.n ? 1 : 2', /the condition is 3, where a bool is needed/],
  ])('%s fails clearly', (src, message) => {
    expect(() => run(src)).toThrow(message);
  });

  test('errors carry the position of the failing node', () => {
    try {
      evaluate(parseExpression('[\n  1,\n  var.obj.missing\n]', { file: 'x.tf' }), scope());
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(EvalError);
      expect((e as PositionedEvalError).pos).toEqual({ line: 3, column: 3 });
    }
  });
});

describe('printing preserves meaning', () => {
  const outcome = (f: () => Value): unknown => {
    try {
      return { value: JSON.parse(JSON.stringify(f() ?? null)) };
    } catch (e) {
      // Only evaluation errors may escape: never a TypeError or a RangeError.
      expect(e).toBeInstanceOf(EvalError);
      return { error: 'eval' };
    }
  };

  test('evaluate(e) and evaluate(parse(print(e))) agree, errors included (property)', () => {
    const names = scopeOf({}, { lookup: (name: string) => (name.length % 2 === 0 ? name.length : `v-${name}`) });
    fc.assert(fc.property(exprArbitrary(), (expr) => {
      const printed = printExpression(expr);
      expect(outcome(() => evaluate(parseExpression(printed), names))).toEqual(outcome(() => evaluate(expr, names)));
    }), { numRuns: 500 });
  });
});

describe('breaker report 16 (command side): the conversions Terraform makes between strings, numbers and bools', () => {
  test.each<[string, unknown]>([
    // string -> number: any decimal Terraform parses, a sign and an exponent included
    ['"1e2" + 0', 100],
    ['"+5" + 0', 5],
    ['"-0.5" * 2', -1],
    ['".5" + 0', 0.5],
    ['"10" > 9', true],
    // string -> bool: "true"/"false" and "1"/"0"
    ['"1" ? "yes" : "no"', 'yes'],
    ['"0" ? "yes" : "no"', 'no'],
    ['!"1"', false],
    ['"1" && "true"', true],
    ['"0" || "false"', false],
    ['"0" && var.location', false],
    // number and bool -> string: no exponent, as Terraform writes numbers
    ['"n=${0.0000001}"', 'n=0.0000001'],
    ['"n=${1e21}"', 'n=1000000000000000000000'],
    ['"n=${-1.5e-7}"', 'n=-0.00000015'],
    ['"n=${123456789e15}"', 'n=123456789000000000000000'],
    ['"n=${1.25}"', 'n=1.25'],
    ['"${true}-${2}"', 'true-2'],
    // a list or set of mixed primitives converts to one element type (string), a set dedupes after converting
    ['tolist([1, "a", true])', ['1', 'a', 'true']],
    ['toset(["443", 443, 1433])', ['1433', '443']],
    ['tomap({ a = 1, b = "x" })', { a: '1', b: 'x' }],
    ['tolist([1, 2])', [1, 2]],
  ])('%s is %j', (src, expected) => {
    expect(json(run(src))).toEqual(expected);
  });

  test.each<[string, RegExp]>([
    ['" 1" + 0', /is " 1", where a number is needed/],
    ['"1 " + 0', /where a number is needed/],
    ['"0x10" + 0', /where a number is needed/],
    ['"True" ? 1 : 0', /is "True", where a bool is needed/],
    ['"yes" ? 1 : 0', /where a bool is needed/],
    ['tolist([1, true])', /no common type: the elements are numbers and bools/],
  ])('%s is refused as Terraform refuses it', (src, message) => {
    expect(() => run(src)).toThrow(message);
  });
});

describe('outside review, session 5, finding 1: iterating a set binds the key to the element (as terraform console does)', () => {
  test.each<[string, unknown]>([
    ['[for p, _ in toset(["3443"]) : p]', ['3443']],
    ['"%{ for k, v in toset(["3443"]) }${k}%{ endfor }"', '3443'],
    ['{ for k, v in toset(["b", "a"]) : k => v }', { a: 'a', b: 'b' }],
    ['[for k, v in toset([3, 1, 20]) : k]', [1, 3, 20]],
    ['[for k, v in toset([true, false]) : k]', [false, true]],
    ['[for k, v in toset(["b", 1]) : k]', ['1', 'b']],
    ['[for k, v in toset(["10", "9", "a", "B"]) : k]', ['10', '9', 'B', 'a']],
    ['[for k, v in setunion(["b", "a"], ["c"]) : k]', ['a', 'b', 'c']],
    ['[for k, v in setintersection(["b", "a"], ["a", "b"]) : k]', ['a', 'b']],
    ['[for k, v in setsubtract(["b", "a"], ["c"]) : k]', ['a', 'b']],
    ['[for k, v in setproduct(toset(["b", "a"]), ["c"]) : k]', [['a', 'c'], ['b', 'c']]],
    ['[for k, v in setproduct(["b", "a"], ["c"]) : k]', [0, 1]],
    // kept through the places that pass a value on, lost where Terraform makes a list
    ['[for k, v in (false ? ["3443"] : toset(["a"])) : k]', ['a']],
    ['[for k, v in (true ? ["3443"] : toset(["a"])) : k]', ['3443']],
    ['[for k, v in try(toset(["b", "a"]), []) : k]', ['a', 'b']],
    ['[for k, v in one([toset(["b", "a"])]) : k]', ['a', 'b']],
    ['[for k, v in { x = toset(["b"]) }.x : k]', ['b']],
    ['[for k, v in lookup({ x = toset(["b"]) }, "x") : k]', ['b']],
    ['[for k, v in tolist(toset(["b", "a"])) : k]', [0, 1]],
    ['[for k, v in sort(toset(["b", "a"])) : k]', [0, 1]],
    ['[for k, v in toset(["b", "a"])[*] : k]', [0, 1]],
    ['[for k, v in flatten([toset(["b", "a"])]) : k]', [0, 1]],
    ['toset(["a"]) == ["a"]', false],
    ['toset(["a"]) == toset(["a"])', true],
  ])('%s is %j', (src, expected) => {
    expect(json(run(src))).toEqual(expected);
  });

  test.each<[string, RegExp]>([
    ['toset(["a"])[0]', /elements of a set cannot be read by index/],
    ['element(toset(["b", "a"]), 0)', /is a set, where a list is needed/],
    ['concat(toset(["a"]))', /is a set, where a list is needed/],
    ['slice(toset(["a"]), 0, 1)', /is a set, where a list is needed/],
  ])('%s is refused as Terraform refuses it', (src, message) => {
    expect(() => run(src)).toThrow(message);
  });

  test('a variable converted to set(...) is a set: distinct, ordered, iterated by element', () => {
    const value = convert(['3443', '22', '3443'], parseType(parseExpression('set(string)')), 'var.p');
    const s = scopeOf({ p: value });
    expect(json(evaluate(parseExpression('[for k, v in p : k]'), s))).toEqual(['22', '3443']);
    // converted to a list again, it is a list
    const back = convert(value, parseType(parseExpression('list(string)')), 'var.q');
    expect(json(evaluate(parseExpression('[for k, v in q : k]'), scopeOf({ q: back })))).toEqual([0, 1]);
  });

  test('a collection whose kind is not known (a resource attribute read back) gives unknown keys, known values', () => {
    const s = scopeOf({ r: markKindUnknown(['b', 'a']) });
    const keys = evaluate(parseExpression('[for k, v in r : k]'), s) as Value[];
    expect(keys.every((k) => k instanceof Unknown)).toBe(true);
    expect(evaluate(parseExpression('[for k, v in r : v]'), s)).toEqual(['b', 'a']);
    expect(evaluate(parseExpression('{ for k, v in r : k => v }'), s)).toBeInstanceOf(Unknown);
    expect(evaluate(parseExpression('r == ["b", "a"]'), s)).toBeInstanceOf(Unknown);
  });
});

describe('number literals with more digits than a number holds (third review, session 5)', () => {
  test('are unknown, never read rounded, and print as written', () => {
    for (const text of ['3442.00000000000000001', '9007199254740993', '3443.9999999999999999']) {
      const value = run(`ceil(${text})`);
      expect(value).toBeInstanceOf(Unknown);
      expect((value as Unknown).reason).toMatch(new RegExp(`the number ${text.replace('.', '\\.')}, which has more digits`));
    }
    // What a number holds exactly reads as it is.
    for (const [text, expected] of [['443', 443], ['0.1', 0.1], ['1e3', 1000], ['9007199254740992', 9007199254740992], ['1.50', 1.5]] as const) {
      expect(run(text)).toBe(expected);
    }
  });
});
