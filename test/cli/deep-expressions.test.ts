import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, jsonOf, summaryOf, tempDir } from './support';

/**
 * Long or deeply nested expressions are reported (a syntax error, or a value this command cannot evaluate), never a
 * crash of the stack (outside review, session 5, finding 9: the same in the command line's HCL reader).
 */
const SOURCE = path.join(FIXTURES, 'dynamic-rules');
const MAIN = fs.readFileSync(path.join(SOURCE, 'main.tf'), 'utf8');
const RULES = fs.readFileSync(path.join(SOURCE, 'rules.tfvars.json'), 'utf8');

function check(files: Record<string, string>) {
  const dir = tempDir({ 'main.tf': MAIN, 'terraform.tfvars.json': RULES, ...files });
  const result = jsonOf(['check', dir]);
  return { ...result, dir };
}

describe('deep expressions on the command line', () => {
  test.each([
    ['a chain of 5,000 operators', Array(5_000).fill('1').join(' + ')],
    ['100,000 unary minus signs', `${'-'.repeat(100_000)}110`],
    ['5,000 nested parentheses', `${'('.repeat(5_000)}1${')'.repeat(5_000)}`],
    ['5,000 nested calls', `${'abs('.repeat(5_000)}1${')'.repeat(5_000)}`],
    ['5,000 nested templates', `"${'${"'.repeat(5_000)}${'"}'.repeat(5_000)}"`],
    ['20,000 attribute steps', `local.x${'.a'.repeat(20_000)}`],
  ])('%s: a syntax error naming the file, no crash', (_name, expression) => {
    const { code, report, stderr } = check({ 'deep.tf': `locals {\n  deep = ${expression}\n}\n` });
    expect(code).toBe(2);
    expect(`${stderr}${JSON.stringify(report ?? '')}`).toMatch(/deep\.tf.*nest/);
  });

  test('a chain of 900 operators is still evaluated', () => {
    const { code, report } = check({ 'deep.tf': `output "n" {\n  value = ${Array(900).fill('1').join(' + ')}\n}\n` });
    expect(code).toBe(1);
    expect(summaryOf(report)).toHaveLength(1);
  });

  test('JSON nested 10,000 levels (a .tf.json file, a tfvars file): an error naming the file, no crash', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    for (const [file, text] of [['deep.tf.json', `{"locals": {"deep": ${deep}}}`], ['terraform.tfvars.json', `{"rules": ${deep}}`]]) {
      const { code, report, stderr } = check({ [file]: text });
      expect(code).toBe(2);
      expect(`${stderr}${JSON.stringify(report ?? '')}`).toMatch(/nests more than 100 levels/);
    }
  });

  test.each([[300, 'evaluated'], [3_000, 'unknown']])('%d locals each computed from the next: %s, no crash', (count, outcome) => {
    const locals = Array.from({ length: count }, (_x, i) => `  l${i} = ${i === count - 1 ? '110' : `local.l${i + 1} + 0`}`).join('\n');
    const main = MAIN.replace('priority                   = rule.value.priority', 'priority                   = rule.key == "AllowSql" ? local.l0 : rule.value.priority');
    expect(main).not.toBe(MAIN);
    const { report } = check({ 'main.tf': main, 'chain.tf': `locals {\n${locals}\n}\n` });
    const unknown = summaryOf(report).filter((f) => f.startsWith('APIM-UNKNOWN'));
    if (outcome === 'evaluated') {
      expect(unknown).toEqual([]);
    } else {
      expect(unknown.length).toBeGreaterThan(0);
      expect(JSON.stringify(report)).toMatch(/computed from each other too deeply/);
    }
  });
});
