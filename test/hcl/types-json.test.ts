import {
  HclSyntaxError, Unknown, Value, convert, evaluate, jsonToExpr, jsonToValue, parseExpression, parseJson, parseType,
  printExpression, scopeOf,
} from '../../lib/hcl';

const type = (src: string) => parseType(parseExpression(src));
const json = (v: Value) => JSON.parse(JSON.stringify(v));

describe('type constraints', () => {
  const RULE = `map(object({
    name                   = string
    priority               = number
    source_port_range      = optional(string, "*")
    destination_port_range = optional(string)
    enabled                = optional(bool, true)
    tags                   = optional(list(string), [])
  }))`;

  test.each<[string, Value, unknown]>([
    ['string', 443, '443'],
    ['string', true, 'true'],
    ['number', '443', 443],
    ['bool', 'false', false],
    ['list(number)', ['1', 2], [1, 2]],
    ['set(string)', ['a', 'a', 'b'], ['a', 'b']],
    ['map(string)', { a: 1 }, { a: '1' }],
    ['tuple([string, number])', [1, '2'], ['1', 2]],
    ['any', { a: [1] }, { a: [1] }],
    ['"string"', 5, '5'],
    ['"list"', [1], [1]],
    [RULE, { r1: { name: 'a', priority: '100', extra: 'dropped' } },
      { r1: { name: 'a', priority: 100, source_port_range: '*', destination_port_range: null, enabled: true, tags: [] } }],
    [RULE, { r1: { name: 'a', priority: 100, source_port_range: null } },
      { r1: { name: 'a', priority: 100, source_port_range: '*', destination_port_range: null, enabled: true, tags: [] } }],
  ])('%s converts %j', (t, value, expected) => {
    expect(json(convert(value, type(t), 'var.x'))).toEqual(expected);
  });

  test('unknown parts stay unknown', () => {
    const u = new Unknown('var.p has no value', '${var.p}', true);
    expect(convert(u, type('number'), 'x')).toBe(u);
    const out = convert({ r: { name: 'a', priority: u } }, type(RULE), 'x') as any;
    expect(out.r.priority).toBe(u);
    expect(out.r.source_port_range).toBe('*');
  });

  test.each([
    ['number', 'abc', /var\.x is "abc", where a number is needed/],
    ['object({ a = string })', {}, /var\.x: the attribute "a" is required/],
    ['list(string)', 'x', /var\.x: a list is required/],
    ['string', [1], /var\.x: a string is required/],
    ['tuple([string])', [1, 2], /a tuple of 1 element/],
  ])('%s refuses %j', (t, value, message) => {
    expect(() => convert(value as Value, type(t), 'var.x')).toThrow(message);
  });

  test.each([
    ['strng', /unknown type "strng"/],
    ['list(string, number)', /list\(\) takes one element type/],
    ['object([string])', /object\(\) takes an object/],
    ['frob(string)', /unknown type constructor frob\(\)/],
    ['"number"', /quoted type names/],
  ])('invalid type %s', (src, message) => {
    expect(() => type(src)).toThrow(message);
  });
});

describe('JSON with positions', () => {
  const text = [
    '{',
    '  "resource": {',
    '    "azurerm_subnet": {',
    '      "apim": { "name": "snet-${var.env}", "n": 1, "ok": true, "none": null, "list": ["a"] }',
    '    }',
    '  },',
    '  "resource": { "x": {} }',
    '}',
  ].join('\n');

  test('keeps positions of keys and values, and repeated keys', () => {
    const doc = parseJson(text, 'main.tf.json');
    expect(doc.kind).toBe('object');
    const entries = (doc as Extract<typeof doc, { kind: 'object' }>).entries;
    expect(entries.map((e) => [e.key, e.keyPos.line])).toEqual([['resource', 2], ['resource', 7]]);
    const subnet = ((entries[0].value as any).entries[0].value.entries[0]);
    expect(subnet.key).toBe('apim');
    expect(subnet.keyPos).toEqual({ line: 4, column: 7 });
  });

  test('strings are templates in expressions, plain strings in values', () => {
    const doc = parseJson('{"a": "x-${var.n}", "b": [1, true, null, "$${lit}"], "c": {"k": "v"}}', 'f.json');
    const expr = jsonToExpr(doc, 'f.json');
    expect(printExpression(expr)).toBe('{a = "x-${var.n}", b = [1, true, null, "$${lit}"], c = {k = "v"}}');
    expect(json(evaluate(expr, scopeOf({ var: { n: 2 } })))).toEqual({ a: 'x-2', b: [1, true, null, '${lit}'], c: { k: 'v' } });
    expect(json(jsonToValue(doc))).toEqual({ a: 'x-${var.n}', b: [1, true, null, '$${lit}'], c: { k: 'v' } });
  });

  test('a template inside a JSON string reports errors at its line', () => {
    expect(() => jsonToExpr(parseJson('{\n  "a": "${var.}"\n}', 'f.json'), 'f.json')).toThrow(/^f\.json:2:/);
  });

  test.each([
    ['{"a": 1,}', /expected a quoted key/],
    ['{"a" 1}', /expected ":" after the key "a"/],
    ['[1 2]', /expected "," or "\]"/],
    ['{"a": tru}', /unexpected character "t"/],
    ['{"a": "x', /unterminated string/],
    ['{} {}', /unexpected content after the JSON value/],
    ['', /unexpected end of the JSON text/],
  ])('refuses %j with the position', (src, message) => {
    expect(() => parseJson(src, 'bad.json')).toThrow(message);
    expect(() => parseJson(src, 'bad.json')).toThrow(HclSyntaxError);
  });
});
