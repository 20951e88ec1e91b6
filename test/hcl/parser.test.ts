import * as fc from 'fast-check';
import { Body, Expr, HclSyntaxError, parseConfig, parseExpression, parseTemplate, printExpression } from '../../lib/hcl';
import { exprArbitrary, stripPositions } from './support';

/** Canonical text of an expression, as the parser understood it. */
const canon = (src: string) => printExpression(parseExpression(src));

describe('expressions', () => {
  test.each([
    // literals and templates
    ['42', '42'],
    ['1.5e3', '1500'],
    ['true', 'true'],
    ['null', 'null'],
    ['"a\\"b\\\\c\\n"', '"a\\"b\\\\c\\n"'],
    ['"\\u00e9\\U0001F600"', '"é😀"'],
    ['"x-${var.n}-y"', '"x-${var.n}-y"'],
    ['"$${literal} %%{also}"', '"$${literal} %%{also}"'],
    ['"${ var.a ~} b"', '"${var.a}b"'],
    ['"a %{~ if var.x ~} yes %{~ else ~} no %{~ endif ~} z"', '"a%{if var.x}yes%{else}no%{endif}z"'],
    ['"%{for k, v in var.m}${k}=${v},%{endfor}"', '"%{for k, v in var.m}${k}=${v},%{endfor}"'],
    // traversals
    ['var.rules[0].name', 'var.rules[0].name'],
    ['data.azurerm_subnet.apim.id', 'data.azurerm_subnet.apim.id'],
    ['identity[0]["principal_id"]', 'identity[0]["principal_id"]'],
    ['aws_instance.web.0.id', 'aws_instance.web[0].id'],
    ['azurerm_subnet.api-mgmt-subnet.id', 'azurerm_subnet.api-mgmt-subnet.id'],
    ['var.list[*].name', 'var.list[*].name'],
    ['var.list[*].tags["a"]', 'var.list[*].tags["a"]'],
    ['var.list.*.name', 'var.list.*.name'],
    ['var.list.*.name[0]', '(var.list.*.name)[0]'],
    ['var.list[*]', 'var.list[*]'],
    // operators and precedence
    ['1 + 2 * 3', '1 + 2 * 3'],
    ['(1 + 2) * 3', '(1 + 2) * 3'],
    ['a - b - c', 'a - b - c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['!a && b || c', '!a && b || c'],
    ['a || b && c', 'a || b && c'],
    ['-x.y', '-x.y'],
    ['a == b != c', 'a == b != c'],
    ['a < b == c >= d', 'a < b == c >= d'],
    ['a ? b : c ? d : e', 'a ? b : c ? d : e'],
    ['(a ? b : c) ? d : e', '(a ? b : c) ? d : e'],
    ['a ? (b ? c : d) : e', 'a ? (b ? c : d) : e'],
    // calls, collections, for
    ['cidrsubnet(var.cidr, 8, 1)', 'cidrsubnet(var.cidr, 8, 1)'],
    ['concat(var.a, var.b...)', 'concat(var.a, var.b...)'],
    ['merge(\n  var.a,\n  var.b,\n)', 'merge(var.a, var.b)'],
    ['provider::azurerm::normalise_resource_id(x)', 'provider::azurerm::normalise_resource_id(x)'],
    ['[1, "a", [true]]', '[1, "a", [true]]'],
    ['[\n  1,\n  2,\n]', '[1, 2]'],
    ['{ a = 1, "b c" = 2, (var.k) = 3, d : 4 }', '{a = 1, "b c" = 2, (var.k) = 3, d = 4}'],
    ['{\n  a = 1\n  b = [\n    2,\n  ]\n}', '{a = 1, b = [2]}'],
    ['{ for r in var.rules : r.name => r }', '{for r in var.rules : r.name => r}'],
    ['{ for k, v in var.m : v.group => k... if v.on }', '{for k, v in var.m : v.group => k... if v.on}'],
    ['[for s in var.subnets : s.cidr if s.enabled]', '[for s in var.subnets : s.cidr if s.enabled]'],
    ['{\n  for k, n in local.x :\n  k => (\n    n.a\n  )\n}', '{for k, n in local.x : k => (n.a)}'],
    ['split(",", local.ips[[for x in keys(local.m) : x if contains(local.m[x], local.env)][0]].addresses)',
      'split(",", local.ips[[for x in keys(local.m) : x if contains(local.m[x], local.env)][0]].addresses)'],
  ])('%s', (src, expected) => {
    expect(canon(src)).toBe(expected);
  });

  test('a for over an object literal and an object whose first key is "for" are told apart', () => {
    expect(parseExpression('{ for = 1 }')).toMatchObject({ kind: 'object' });
    expect(parseExpression('{ for x in y : x => x }')).toMatchObject({ kind: 'for' });
  });

  test('bare identifier keys are literals; traversal keys are expressions', () => {
    const expr = parseExpression('{ a = 1, var.x = 2 }') as Extract<Expr, { kind: 'object' }>;
    expect(expr.items[0].key).toMatchObject({ kind: 'literal', value: 'a' });
    expect(expr.items[1].key).toMatchObject({ kind: 'getattr', name: 'x' });
  });

  test('positions: line and column of each node', () => {
    const expr = parseExpression('foo(\n  a.b,\n  "x")', { file: 'f.tf', line: 10, column: 5 }) as Extract<Expr, { kind: 'call' }>;
    expect(expr.pos).toEqual({ line: 10, column: 5 });
    expect(expr.args[0].pos).toEqual({ line: 11, column: 3 });
    expect(expr.args[1].pos).toEqual({ line: 12, column: 3 });
  });

  test.each([
    ['1 +', /expected an expression, found the end/],
    ['foo(1 2)', /expected "\)" to close the arguments of foo\(\)/],
    ['"abc', /unterminated string/],
    ['"a\nb"', /cannot span lines/],
    ['"\\q"', /unknown escape "\\q"/],
    ['"${a"', /expected "}" to close the interpolation/],
    ['"%{if a}x"', /not closed: expected %\{endif\}/],
    ['"%{endif}"', /unexpected %\{endif\}/],
    ['{ a = 1 b = 2 }', /expected "}" to close the object/],
    ['{ for x in y : x }', /expected "=>"/],
    ['a b', /unexpected "b" after the expression/],
    ['provider::x', /must be followed by "\("/],
    ['a.', /expected an attribute name after "."/],
    ['@', /unexpected character "@"/],
  ])('fails on %j with a clear message', (src, message) => {
    expect(() => parseExpression(src)).toThrow(message);
  });

  test('errors carry the file and position', () => {
    try {
      parseExpression('x +\n  )', { file: 'vars.tf', line: 3 });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(HclSyntaxError);
      expect((e as HclSyntaxError).file).toBe('vars.tf');
      expect((e as HclSyntaxError).pos).toEqual({ line: 4, column: 3 });
      expect((e as Error).message).toMatch(/^vars\.tf:4:3: /);
    }
  });
});

describe('templates in JSON strings', () => {
  test('text, interpolations and escapes of the JSON syntax', () => {
    expect(printExpression(parseTemplate('${var.a}-nsg'))).toBe('"${var.a}-nsg"');
    expect(printExpression(parseTemplate('a "quoted" \\ back'))).toBe('"a \\"quoted\\" \\\\ back"');
    expect(printExpression(parseTemplate('$${not} ${yes}'))).toBe('"$${not} ${yes}"');
    expect(parseTemplate('plain')).toMatchObject({ parts: [{ kind: 'text', value: 'plain' }] });
  });
});

describe('bodies', () => {
  const shape = (body: Body): unknown => ({
    attributes: Object.fromEntries(body.attributes.map((a) => [a.name, printExpression(a.expr)])),
    blocks: body.blocks.map((b) => [b.type, ...b.labels, shape(b.body)]),
  });

  test('attributes, blocks with labels, nested and one-line blocks, comments', () => {
    const body = parseConfig([
      '# a comment',
      '// another',
      '/* block',
      '   comment */',
      'resource "azurerm_subnet" apim {',
      '  name = "snet" # trailing',
      '  delegation {',
      '    name = "d"',
      '    service_delegation {',
      '      name = "Microsoft.Web/serverFarms"',
      '    }',
      '  }',
      '  lifecycle { ignore_changes = [tags] }',
      '  timeouts {}',
      '}',
      'provider "azurerm" {',
      '  features {}',
      '}',
      'x = 1',
    ].join('\n'), 'main.tf');
    expect(shape(body)).toEqual({
      attributes: { x: '1' },
      blocks: [
        ['resource', 'azurerm_subnet', 'apim', {
          attributes: { name: '"snet"' },
          blocks: [
            ['delegation', { attributes: { name: '"d"' }, blocks: [['service_delegation', { attributes: { name: '"Microsoft.Web/serverFarms"' }, blocks: [] }]] }],
            ['lifecycle', { attributes: { ignore_changes: '[tags]' }, blocks: [] }],
            ['timeouts', { attributes: {}, blocks: [] }],
          ],
        }],
        ['provider', 'azurerm', { attributes: {}, blocks: [['features', { attributes: {}, blocks: [] }]] }],
      ],
    });
    expect(body.blocks[0].pos).toEqual({ line: 5, column: 1 });
    expect(body.blocks[0].body.blocks[0].pos).toEqual({ line: 7, column: 3 });
    expect(body.blocks[0].body.attributes[0].pos).toEqual({ line: 6, column: 3 });
  });

  test('heredocs: plain and indented, with interpolations, followed by more attributes', () => {
    const body = parseConfig([
      'locals {',
      '  a = <<EOT',
      'line ${var.x}',
      '  indented',
      'EOT',
      '  b = <<-EOT',
      '    one',
      '      two',
      '    EOT',
      '  c = 1',
      '}',
    ].join('\n'), 'h.tf');
    const attrs = body.blocks[0].body.attributes;
    expect(attrs.map((a) => a.name)).toEqual(['a', 'b', 'c']);
    expect(printExpression(attrs[0].expr)).toBe('"line ${var.x}\\n  indented\\n"');
    expect(printExpression(attrs[1].expr)).toBe('"one\\n  two\\n"');
    expect(attrs[2].pos.line).toBe(10);
  });

  test('multi-line expressions inside brackets, a newline ends an attribute', () => {
    const body = parseConfig([
      'a = [',
      '  1,',
      '  2',
      ']',
      'b = merge(',
      '  var.x,',
      '  { k = "v" }',
      ')',
      'c = var.x',
      'd = (var.y',
      '  ? 1',
      '  : 2)',
    ].join('\n'), 'm.tf');
    expect(body.attributes.map((a) => [a.name, printExpression(a.expr)])).toEqual([
      ['a', '[1, 2]'], ['b', 'merge(var.x, {k = "v"})'], ['c', 'var.x'], ['d', '(var.y ? 1 : 2)'],
    ]);
  });

  test.each([
    ['a = 1\na = 2', /m\.tf:2:1: the attribute "a" is set twice in one body \(first on line 1\)/],
    ['resource "x" "y" {\n  a = 1\n', /a block is not closed: missing "}"/],
    ['resource "x" "y" { b { } }', /a nested block needs its own lines/],
    ['resource "x" "${y}" {\n}', /a block label cannot contain interpolations/],
    ['a = 1 b = 2', /expected a newline after the attribute/],
    ['locals {\n  x = <<EOT\nnever closed\n}', /the heredoc is not closed: no line with only "EOT"/],
    ['"a" = 1', /expected an attribute name or a block type, found a string/],
    ['/* open', /unterminated comment/],
  ])('fails on %j naming file, line and reason', (src, message) => {
    expect(() => parseConfig(src, 'm.tf')).toThrow(message);
  });
});

describe('printing', () => {
  test('parse(print(ast)) gives the same tree (property)', () => {
    fc.assert(fc.property(exprArbitrary(), (expr) => {
      const printed = printExpression(expr);
      expect(stripPositions(parseExpression(printed))).toEqual(stripPositions(expr));
    }), { numRuns: 500 });
  });

  test('print is a fixed point after one parse (property)', () => {
    fc.assert(fc.property(exprArbitrary(), (expr) => {
      const once = printExpression(expr);
      expect(printExpression(parseExpression(once))).toBe(once);
    }), { numRuns: 300 });
  });
});

describe('robustness', () => {
  const PIECES = ['resource', '"x"', 'a', '=', '{', '}', '[', ']', '(', ')', '\n', ' ', '"${', '%{', 'if', 'for', 'in', ':', '=>', '...', ',', '.', '*', '<<EOT\n', 'EOT', '#', '//', '/*', '*/', '1', '"', '\\', '~', '?', '!', '-'];

  test('any text either parses or fails with an HclSyntaxError: never another exception, never a hang (property)', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (pieces) => {
      const text = pieces.join('');
      try {
        parseConfig(text, 'fuzz.tf');
      } catch (e) {
        expect(e).toBeInstanceOf(HclSyntaxError);
      }
      try {
        parseExpression(text);
      } catch (e) {
        expect(e).toBeInstanceOf(HclSyntaxError);
      }
    }), { numRuns: 2000 });
  });
});
