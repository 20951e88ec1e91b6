/**
 * Arithmetic in interpolations (`"${200 + count.index}"`, the usual way to number counted rules) is evaluated as
 * Terraform evaluates it; anything else stays unknown.
 */
import * as fc from 'fast-check';
import { parseExpression, parseTemplate } from '../../lib/checks/expression';
import { ApimRuleLevel } from '../../lib';
import { documentedRules, evaluate, findings, network, nsgRule, unknowns } from './raw-json';

describe('parseExpression: arithmetic', () => {
  test.each([
    ['150 + 1', '+'], ['200 + count.index', '+'], ['var.base * 10', '*'], ['(100 + count.index) * 2', '*'], ['100 - -5', '-'],
    ['count.index % 3', '%'], ['200-1', '-'], ['var.a -1', '-'],
  ])('%s is arithmetic with %s at the top', (text, operator) => {
    const e = parseExpression(text);
    expect(e.kind).toBe('arithmetic');
    expect(e.kind === 'arithmetic' && e.operator).toBe(operator);
  });

  test.each(['length(var.x) + 1', '"a" + 1', 'var.a == 1 ? 1 : 2', 'var.a > 1', 'var.list[*].id'])('%s is not evaluated (other)', (text) => {
    expect(parseExpression(text).kind).toBe('other');
  });

  test.each(['-5', 'var.my-name', 'azurerm_subnet.apim-subnet.id', 'local.a_b', 'azurerm_network_security_group.nsg--this.id', 'count.index-1'])('%s is no arithmetic (a number or a reference)', (text) => {
    expect(parseExpression(text).kind).not.toBe('arithmetic');
  });
});

describe('parseExpression: plain references', () => {
  test('a dotted reference with dashes in its names is read as the general parser reads it (spaces around the dots take the general path)', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/);
    fc.assert(fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), (names) => {
      fc.pre(!(names.length === 1 && ['true', 'false', 'null'].includes(names[0])));
      const fast = parseExpression(names.join('.'));
      expect(fast).toEqual(parseExpression(names.join(' . ')));
      expect(fast).toEqual({ kind: 'reference', root: names[0], steps: names.slice(1).map((n) => ({ name: n })) });
    }), { numRuns: 300, seed: 11 });
  });

  test('a template that is one such reference parses as the general scan parses it (text before it takes the scan)', () => {
    const text = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,30}$/);
    fc.assert(fc.property(text, (inner) => {
      const template = `\${${inner}}`;
      expect(parseTemplate(template)).toEqual((parseTemplate(`a${template}`) ?? []).slice(1));
    }), { numRuns: 300, seed: 12 });
  });

  test.each([['true', true], ['false', false], ['null', null]])('%s stays a literal', (text, value) => {
    expect(parseExpression(text)).toEqual({ kind: 'literal', value });
  });
});

describe('arithmetic in a document', () => {
  const withRule = (priority: string, extra: Record<string, unknown> = {}) => {
    const document = network();
    document.resource.azurerm_network_security_rule = {
      open: { ...nsgRule('open-${count.index}', priority, 'Inbound', 'Internet', 'VirtualNetwork', '3443'), resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim', ...extra },
    };
    // Standalone rules beside inline ones are APIM-NSG-MIXED; move the documented rules out as well.
    delete document.resource.azurerm_network_security_group.nsg.security_rule;
    documentedRules().forEach((r, i) => {
      document.resource.azurerm_network_security_rule[`doc${i}`] = { ...r, resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim' };
    });
    return evaluate(document);
  };

  test('a counted rule numbered "${200 + count.index}" that opens 3443: an APIM-NSG-EXPOSED error (the first instance lets it in)', () => {
    const result = withRule('${200 + count.index}', { count: 2 });
    expect(findings(result, 'APIM-NSG-EXPOSED').map((f) => [f.detail, f.level])).toEqual([['open-0', ApimRuleLevel.ERROR]]);
    // 200 and 201: distinct priorities.
    expect(findings(result, 'APIM-NSG-PRIORITY')).toEqual([]);
  });

  test('"${200 + 0 * count.index}" gives both instances 200: an APIM-NSG-PRIORITY duplicate', () => {
    const found = findings(withRule('${200 + 0 * count.index}', { count: 2 }), 'APIM-NSG-PRIORITY');
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((f) => f.message).join('\n')).toMatch(/200/);
  });

  test('a priority from a variable without a value stays unknown', () => {
    const result = withRule('${var.base + count.index}', { count: 1 });
    expect(findings(result, 'APIM-NSG-EXPOSED').filter((f) => f.level === ApimRuleLevel.ERROR)).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-EXPOSED').length + unknowns(result, 'APIM-NSG-PRIORITY').length).toBeGreaterThan(0);
  });

  test('property: integer arithmetic over literals evaluates as JavaScript integer arithmetic does', () => {
    fc.assert(fc.property(fc.integer({ min: 100, max: 2000 }), fc.integer({ min: 0, max: 50 }), fc.constantFrom('+', '-', '*'), (a, b, op) => {
      const expected = op === '+' ? a + b : op === '-' ? a - b : a * b;
      const document = network({ rules: [...documentedRules().filter((r) => r.name !== 'management'), nsgRule('management', `\${${a} ${op} ${b}}`, 'Inbound', 'ApiManagement', 'VirtualNetwork', '3443')] });
      const priority = findings(evaluate(document), 'APIM-NSG-PRIORITY');
      // In range and unique: no finding; out of range: the evaluated number is named.
      if (expected >= 100 && expected <= 4096 && ![100, 110, 120].includes(expected)) {
        expect(priority).toEqual([]);
      } else if (expected < 100 || expected > 4096) {
        expect(priority.map((f) => f.message).join('\n')).toContain(String(expected));
      }
    }), { numRuns: 60, seed: 7 });
  });
});

describe('references in a cycle', () => {
  test.each([
    ['a priority that refers to itself', { x: '${azurerm_network_security_rule.x.priority}' }],
    ['itself plus one', { x: '${azurerm_network_security_rule.x.priority + 1}' }],
    ['two rules computed from each other', { x: '${azurerm_network_security_rule.y.priority - 10}', y: '${azurerm_network_security_rule.x.priority + 10}' }],
  ])('%s: APIM-UNKNOWN (Terraform refuses the cycle), never a crash', (_name, priorities: Record<string, string>) => {
    const document = network();
    const rule = (name: string, priority: string | number) => ({ ...nsgRule(name, priority, 'Inbound', '10.0.0.0/8', 'VirtualNetwork', '22'), resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim' });
    delete document.resource.azurerm_network_security_group.nsg.security_rule;
    document.resource.azurerm_network_security_rule = {
      x: rule('x', priorities.x ?? 400), y: rule('y', priorities.y ?? 500),
      ...Object.fromEntries(documentedRules().map((r, i) => [`doc${i}`, { ...r, resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim' }])),
    };
    const result = evaluate(document);
    const cyclic = Object.keys(priorities);
    const messages = unknowns(result, 'APIM-NSG-PRIORITY').map((f) => f.message).join('\n');
    for (const name of cyclic) {
      expect(messages).toContain(`APIM-NSG-PRIORITY[${name}]`);
    }
  });
});

describe('computed values that are wrong', () => {
  const priorityOf = (expression: string) => {
    const document = network({ rules: [...documentedRules(), nsgRule('x', expression, 'Inbound', '10.0.0.0/8', 'VirtualNetwork', '22')] });
    return evaluate(document);
  };
  test('a priority of 400.5 is "not a whole number", not "outside 100-4096"', () => {
    expect(findings(priorityOf('${801 / 2}'), 'APIM-NSG-PRIORITY').map((f) => f.message).join('\n')).toMatch(/priority 400\.5, which is not a whole number/);
  });
  test('numbers beyond 2^53 are not computed (Terraform is exact there, JavaScript is not)', () => {
    const result = priorityOf('${9007199254741992 - 9007199254741000}');
    expect(findings(result, 'APIM-NSG-PRIORITY').filter((f) => f.level === ApimRuleLevel.ERROR)).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-PRIORITY').length).toBeGreaterThan(0);
  });
});

describe('outside review, session 5, finding 9: long expressions are read in linear time and never exhaust the stack', () => {
  const priorityOf = (expression: string) => {
    const document = network({ rules: [...documentedRules(), nsgRule('x', expression, 'Inbound', '10.0.0.0/8', 'VirtualNetwork', '22')] });
    return evaluate(document);
  };

  test('"${1+1+...+1}" with 2,000 and 20,000 terms: the priority is unknown (an expression the checks do not read), no RangeError', () => {
    for (const terms of [2_000, 20_000]) {
      const result = priorityOf(`\${${Array(terms).fill('1').join('+')}}`);
      expect(findings(result, 'APIM-NSG-PRIORITY').filter((f) => f.level === ApimRuleLevel.ERROR)).toEqual([]);
      expect(unknowns(result, 'APIM-NSG-PRIORITY').map((f) => f.message).join('\n')).toMatch(/rule "x" is known only at apply time/);
    }
  });

  test('arithmetic that nests less than the limit is still evaluated (100 terms)', () => {
    const e = parseExpression(Array(100).fill('1').join(' + '));
    expect(e.kind).toBe('arithmetic');
    const result = priorityOf(`\${${Array(100).fill('1').join('+')} + 4000}`);
    expect(findings(result, 'APIM-NSG-PRIORITY').map((f) => f.message).join('\n')).toMatch(/4100/);
  });

  test('100,000 unary minus signs and 50,000 "1-" terms are read in well under a second each', () => {
    for (const text of ['-'.repeat(100_000) + '110', Array(50_000).fill('1').join('-'), `a${'-'.repeat(100_000)}b`]) {
      const start = Date.now();
      const e = parseExpression(text);
      // Linear: tens of milliseconds (quadratic, 100,000 signs took over 100 s); the bound leaves room for a busy machine.
      expect(Date.now() - start).toBeLessThan(2_000);
      expect(['other', 'reference']).toContain(e.kind);
    }
    const start = Date.now();
    const result = priorityOf(`\${${'-'.repeat(100_000)}110}`);
    expect(Date.now() - start).toBeLessThan(5_000);
    expect(unknowns(result, 'APIM-NSG-PRIORITY').length).toBeGreaterThan(0);
  });

  test('deeply nested parentheses: unknown, no RangeError', () => {
    const result = priorityOf(`\${${'('.repeat(5_000)}1+1${')'.repeat(5_000)}}`);
    expect(unknowns(result, 'APIM-NSG-PRIORITY').length).toBeGreaterThan(0);
  });
});
