/**
 * A value computed from an unknown is another value than that unknown (outside review, session 4): the command line
 * writes it as its own expression, so the checks never take `lookup(var.subnets, "other")` for the same subnet as
 * `lookup(var.subnets, "apim")`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, ROOT, jsonOf, tempDir } from './support';
import { TerraformModel, Unknown as ModelUnknown } from '../../lib/checks/model';

function config(apimSubnet: string, associatedSubnet: string): string {
  return `
variable "subnets" {
  type = map(string)
}

resource "azurerm_network_security_group" "other" {
  name                = "nsg-other"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "deny-all-in"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}

resource "azurerm_subnet_network_security_group_association" "other" {
  subnet_id                 = ${associatedSubnet}
  network_security_group_id = azurerm_network_security_group.other.id
}

resource "azurerm_api_management" "apim" {
  name                 = "contoso-apim"
  location             = "westeurope"
  resource_group_name  = "rg"
  publisher_name       = "Contoso"
  publisher_email      = "api@contoso.example"
  sku_name             = "Premium_1"
  virtual_network_type = "External"
  virtual_network_configuration {
    subnet_id = ${apimSubnet}
  }
}
`;
}

describe('values computed from one unknown', () => {
  test.each([
    ['two lookups in one map', 'lookup(var.subnets, "apim")', 'lookup(var.subnets, "other")'],
    ['a template around the variable', 'var.subnets["apim"]', '"${var.subnets["apim"]}-other"'],
    ['two maps indexed by one unknown key', 'var.subnets[var.env]', 'var.other_subnets[var.env]'],
  ])('%s: the association is not taken for the APIM subnet\'s; its NSG is unknown, never judged', (_name, apimSubnet, associatedSubnet) => {
    const extra = 'variable "env" {\n  type = string\n}\nvariable "other_subnets" {\n  type = map(string)\n}\n';
    const dir = tempDir({ 'main.tf': config(apimSubnet, associatedSubnet) + extra });
    const { report } = jsonOf(['check', dir]);
    expect(report.summary.apim.nsgs).toBe(0);
    const required = report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN' && f.detail === 'APIM-NSG-REQUIRED');
    expect(required).not.toEqual([]);
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-NSG-REQUIRED')).toEqual([]);
  });

  test.each([
    ['two instances of a resource whose for_each is unknown', 'azurerm_subnet.s["apim"].id', 'azurerm_subnet.s["other"].id'],
    ['two splats over one unknown list', 'var.objs.*.apim[0]', 'var.objs.*.other[0]'],
  ])('%s (second outside review): not one subnet', (_name, apimSubnet, associatedSubnet) => {
    const extra = 'variable "objs" {\n  type = list(object({ apim = string, other = string }))\n}\n' +
      'resource "azurerm_subnet" "s" {\n  for_each             = var.subnets\n  name                 = each.key\n  resource_group_name  = "rg"\n' +
      '  virtual_network_name = "vnet"\n  address_prefixes     = [each.value]\n}\n';
    const { report } = jsonOf(['check', tempDir({ 'main.tf': config(apimSubnet, associatedSubnet) + extra })]);
    expect(report.summary.apim.nsgs).toBe(0);
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(report.findings.some((f: any) => f.ruleId === 'APIM-UNKNOWN' && f.detail === 'APIM-NSG-REQUIRED')).toBe(true);
  });

  test.each([
    ['a module not downloaded, of the same name in the root and in a local module', 'module.net.subnet_id',
      'module "net" {\n  source = "Azure/subnets/azurerm"\n}\nmodule "spoke" {\n  source = "./spoke"\n}\n',
      'module "net" {\n  source = "Azure/subnets/azurerm"\n}\n', 'module.net.subnet_id'],
    ['a module variable left unset, named like a root variable', 'var.subnet_id',
      'variable "subnet_id" {\n  type = string\n}\nmodule "spoke" {\n  source = "./spoke"\n}\n',
      'variable "subnet_id" {\n  type = string\n}\n', 'var.subnet_id'],
  ])('%s (second outside review): the module\'s value is not the root\'s', (_name, apimSubnet, root, spoke, associatedSubnet) => {
    const full = config(apimSubnet, associatedSubnet);
    // The NSG and its association go into the local module; the APIM instance stays in the root.
    const apimBlock = full.slice(full.indexOf('resource "azurerm_api_management"'));
    const moduleBlocks = full.slice(full.indexOf('resource "azurerm_network_security_group"'), full.indexOf('resource "azurerm_api_management"'));
    const dir = tempDir({ 'main.tf': root + apimBlock, 'spoke/main.tf': spoke + moduleBlocks });
    const { report } = jsonOf(['check', dir]);
    expect(report.summary.apim.nsgs).toBe(0);
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-NSG-REQUIRED')).toEqual([]);
  });

  test('a literal "$${var.subnet_id}" is text, written escaped: not the variable (second outside review)', () => {
    const extra = 'variable "subnet_id" {\n  type = string\n}\n';
    const { report } = jsonOf(['check', tempDir({ 'main.tf': config('var.subnet_id', '"$${var.subnet_id}"') + extra })]);
    expect(report.summary.apim.nsgs).toBe(0);
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-NSG-REQUIRED')).toEqual([]);
  });

  test('a module\'s unset variable, as the command line writes it, is named as that variable (third outside review)', () => {
    const model = new TerraformModel({ resource: { x_thing: { t: { v: '${module.spoke.var.subnet_id}', w: '${module.spoke.subnet_id}' } } } });
    const [thing] = model.ofType('x_thing');
    expect((thing.config.v as ModelUnknown).reason).toBe('the variable var.subnet_id of module.spoke, which the module call does not set');
    expect((thing.config.w as ModelUnknown).reason).toBe('the module output module.spoke.subnet_id');
  });

  test('a known planned value that holds "${...}" is text, not a reference (third outside review)', () => {
    const plan = JSON.parse(fs.readFileSync(path.join(ROOT, FIXTURES, 'plan', 'plan.json'), 'utf8'));
    const apim = plan.planned_values.root_module.resources.find((r: any) => r.type === 'azurerm_api_management');
    apim.values.location = '${var.location}';
    const dir = tempDir({ 'plan.json': JSON.stringify(plan) });
    const { report } = jsonOf(['check', path.join(dir, 'plan.json')]);
    const location = report.findings.filter((f: any) => f.ruleId === 'APIM-LOCATION');
    expect(location.map((f: any) => f.message)).toEqual([expect.stringMatching(/primary is in \$\{var\.location\}/)]);
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN' && f.detail === 'APIM-LOCATION')).toEqual([]);
  });

  test('the same expression on both sides is the same subnet: the association\'s NSG is judged', () => {
    const dir = tempDir({ 'main.tf': config('var.subnets["apim"]', 'var.subnets["apim"]') });
    const { report } = jsonOf(['check', dir]);
    expect(report.summary.apim.nsgs).toBe(1);
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-NSG-REQUIRED').length).toBeGreaterThan(0);
  });
});
