import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, jsonOf, summaryOf, tempDir } from './support';

/**
 * `lifecycle { ignore_changes = [...] }` in `.tf` and `.tf.json` files reaches the checks: an NSG whose rules Terraform
 * no longer writes after the first apply is judged unknown, as in synth (second outside review, session 5: the command
 * line dropped lifecycle blocks and reported PASS).
 */
const SOURCE = path.join(FIXTURES, 'dynamic-rules');
const MAIN = fs.readFileSync(path.join(SOURCE, 'main.tf'), 'utf8');
const RULES = fs.readFileSync(path.join(SOURCE, 'rules.tfvars.json'), 'utf8');
const ANCHOR = '  dynamic "security_rule" {\n    for_each = var.rules';

/** The dynamic-rules network with `lifecycle` added to the NSG's body. */
function check(lifecycle: string) {
  expect(MAIN).toContain(ANCHOR);
  const dir = tempDir({ 'main.tf': MAIN.replace(ANCHOR, `${lifecycle}\n${ANCHOR}`), 'terraform.tfvars.json': RULES });
  const { code, report } = jsonOf(['check', dir]);
  return { code, findings: summaryOf(report).map((s) => s.split(' ')[0]), report };
}

describe('lifecycle.ignore_changes from the configuration files', () => {
  const base = check('');

  test.each([
    ['a list of names', '  lifecycle {\n    ignore_changes = [tags, security_rule]\n  }'],
    ['all', '  lifecycle {\n    ignore_changes = all\n  }'],
    ['the legacy quoted form', '  lifecycle {\n    ignore_changes = ["security_rule"]\n  }'],
  ])('%s: the NSG rules are APIM-UNKNOWN, saying why', (_name, lifecycle) => {
    const { findings, report } = check(lifecycle);
    expect(findings).toContain('APIM-UNKNOWN[APIM-NSG-REQUIRED]');
    expect(JSON.stringify(report.findings)).toMatch(/lifecycle\.ignore_changes = (all|\[security_rule\]) keeps what is changed outside Terraform/);
    expect(findings).not.toEqual(base.findings);
  });

  test('ignoring tags only changes nothing', () => {
    expect(check('  lifecycle {\n    ignore_changes = [tags]\n    prevent_destroy = true\n  }').findings).toEqual(base.findings);
  });
});

test('an override file\'s lifecycle.ignore_changes replaces the original\'s, as Terraform merges it (third review, session 5)', () => {
  const lifecycle = (ignore: string) => `resource "azurerm_network_security_group" "apim" {\n  lifecycle {\n    ignore_changes = ${ignore}\n  }\n}\n`;
  const nsgName = /resource "azurerm_network_security_group" "(\w+)"/.exec(MAIN)![1];
  for (const file of ['nsg_override.tf', 'override.tf']) {
    const dir = tempDir({ 'main.tf': MAIN, [file]: lifecycle('[security_rule]').replace('"apim"', `"${nsgName}"`), 'terraform.tfvars.json': RULES });
    const { report } = jsonOf(['check', dir]);
    expect(summaryOf(report).map((s) => s.split(' ')[0])).toContain('APIM-UNKNOWN[APIM-NSG-REQUIRED]');
  }
  const json = tempDir({
    'main.tf': MAIN, 'terraform.tfvars.json': RULES,
    'override.tf.json': JSON.stringify({ resource: { azurerm_network_security_group: { [nsgName]: { lifecycle: { ignore_changes: ['security_rule'] } } } } }),
  });
  expect(summaryOf(jsonOf(['check', json]).report).map((s) => s.split(' ')[0])).toContain('APIM-UNKNOWN[APIM-NSG-REQUIRED]');
});
