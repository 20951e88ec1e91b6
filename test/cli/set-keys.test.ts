import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, jsonOf, summaryOf, tempDir } from './support';

/**
 * Iterating a set binds the key to the element, not to its index (Terraform: "if the for_each expression produces a
 * set value then key is identical to value"; `[for k, v in toset(["3443"]) : k]` is `["3443"]`). Outside review,
 * session 5, finding 1: a deny of 3443 written with the key of a set passed silently (its port was read as 0).
 */
const SOURCE = path.join(FIXTURES, 'dynamic-rules');
const MAIN = fs.readFileSync(path.join(SOURCE, 'main.tf'), 'utf8');
const RULES = JSON.parse(fs.readFileSync(path.join(SOURCE, 'rules.tfvars.json'), 'utf8'));
delete RULES.rules.AllowClientsFromAnywhere;

/** The compliant dynamic-rules network with `extra` added to the NSG's body (and `more` to the module). */
function check(extra: string, more = '') {
  const anchor = '  dynamic "security_rule" {\n    for_each = var.rules';
  expect(MAIN).toContain(anchor);
  const dir = tempDir({
    'main.tf': MAIN.replace(anchor, `${extra}\n${anchor}`) + more,
    'terraform.tfvars.json': JSON.stringify(RULES),
  });
  const { code, report } = jsonOf(['check', dir]);
  return { code, findings: summaryOf(report).map((s) => s.split(' ')[0]), report };
}

const DENY = (port: string) => `
    name                       = "deny-3443"
    priority                   = 95
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "Tcp"
    source_port_range          = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
    destination_port_range     = ${port}`;

describe('the key of a set is its element', () => {
  test('the compliant base passes', () => {
    expect(check('')).toMatchObject({ code: 0, findings: [] });
  });

  test('a dynamic block over toset(["3443"]) with destination_port_range = security_rule.key denies 3443', () => {
    const { code, findings } = check(`  dynamic "security_rule" {\n    for_each = toset(["3443"])\n    content {${DENY('security_rule.key')}\n    }\n  }`);
    expect(code).toBe(1);
    expect(findings).toContain('APIM-NSG-SHADOWED[Inbound:ApiManagement:3443]');
  });

  test('a variable declared set(string) iterated by key (the usual module style)', () => {
    const { code, findings } = check(
      '  dynamic "security_rule" {\n    for_each = var.blocked\n    iterator = port\n    content {' + DENY('port.key').replace('95', '94 + index(sort(tolist(var.blocked)), port.key)').replace('"deny-3443"', '"deny-${port.key}"') + '\n    }\n  }',
      '\nvariable "blocked" {\n  type    = set(string)\n  default = ["3443", "22", "3443"]\n}\n',
    );
    expect(code).toBe(1);
    expect(findings).toContain('APIM-NSG-SHADOWED[Inbound:ApiManagement:3443]');
    expect(findings.filter((f) => f.startsWith('APIM-UNKNOWN'))).toEqual([]);
  });

  test('the key of a for expression over a set, in rules written as a list of objects', () => {
    const { code, findings } = check('', `
resource "azurerm_network_security_rule" "deny" {
  for_each                    = { for p, _ in setunion(["3443"], []) : "deny-\${p}" => p }
  network_security_group_name = azurerm_network_security_group.apim.name
  resource_group_name         = "rg-int"
  ${DENY('each.value').trim().replace('"deny-3443"', 'each.key')}
}
`);
    expect(code).toBe(1);
    expect(findings).toContain('APIM-NSG-SHADOWED[Inbound:ApiManagement:3443]');
  });

  test('a %{for} template over a set gives the element as the key: the management rule is on 3443 (no false error)', () => {
    const rules = JSON.parse(JSON.stringify(RULES));
    delete rules.rules.AllowManagement.destination_port_range;
    const dir = tempDir({
      'main.tf': MAIN.replace('rule.value.destination_port_range', 'rule.key == "AllowManagement" ? trimspace("%{ for k, v in toset(["3443"]) }${k}%{ endfor }") : rule.value.destination_port_range'),
      'terraform.tfvars.json': JSON.stringify(rules),
    });
    const { code, report } = jsonOf(['check', dir]);
    expect(summaryOf(report)).toEqual([]);
    expect(code).toBe(0);
  });

  test('a collection read back from a resource attribute (a list or a set, as the provider says): unknown keys, never 0, 1', () => {
    const { findings } = check(`  dynamic "security_rule" {\n    for_each = azurerm_subnet.apim.address_prefixes\n    content {${DENY('security_rule.key')}\n    }\n  }`);
    expect(findings).toContain('APIM-UNKNOWN[APIM-NSG-SHADOWED]');
  });
});
