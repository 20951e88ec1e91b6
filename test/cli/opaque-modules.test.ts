/**
 * A remote module call that is not installed and gets the APIM subnet (outside review, session 6, finding 2): the
 * command line does not read it, so the rules on what points at the subnet are APIM-UNKNOWN naming the call, never a
 * pass with 0 unknown. The same module from a local source is read and judged.
 */
import { cli, jsonOf, tempDir } from './support';
import { network } from '../checks/raw-json';

/** The compliant network of the engine's tests, as a root module's main.tf.json, with more top-level sections. */
function root(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...network(), ...extra }, null, 2);
}

const UDR_MODULE = `
variable "subnet_id" { type = string }
resource "azurerm_route_table" "rt" {
  name                = "rt-hub"
  location            = "westeurope"
  resource_group_name = "rg-apim"
  route {
    name                   = "default"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.100.0.4"
  }
}
resource "azurerm_subnet_route_table_association" "a" {
  subnet_id      = var.subnet_id
  route_table_id = azurerm_route_table.rt.id
}
`;

const call = (source: string, inputs: Record<string, unknown>) => ({ module: { udr: { source, ...inputs } } });

describe('a module call the command line does not read', () => {
  test('the compliant root alone passes with no unknown', () => {
    const dir = tempDir({ 'main.tf.json': root() });
    const { code, report } = jsonOf(['check', dir]);
    expect([code, report.summary.errors, report.summary.warnings, report.summary.unknown]).toEqual([0, 0, 0, 0]);
  });

  test('a remote module, not installed, given the subnet ID: APIM-UNKNOWN naming the call and the input, not PASS with 0 unknown', () => {
    const dir = tempDir({ 'main.tf.json': root(call('app.terraform.io/contoso/udr/azurerm', { subnet_id: '${azurerm_subnet.apim.id}' })) });
    const { report } = jsonOf(['check', dir]);
    expect(report.summary.unknown).toBeGreaterThan(0);
    expect(report.unresolved.remoteModules).toEqual(['module.udr (app.terraform.io/contoso/udr/azurerm)']);
    const unknown = report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN');
    expect(unknown.map((f: any) => f.detail).sort()).toEqual(['APIM-ROUTE-CLIENTS', 'APIM-ROUTE-ENDPOINTS', 'APIM-ROUTE-MANAGEMENT', 'APIM-SUBNET-DELEGATION', 'APIM-SUBNET-NSG']);
    expect(unknown[0].message).toMatch(/module\.udr gets azurerm_subnet\.apim \(a reference to its id\) in its input subnet_id/);
    expect(unknown[0].fix).toMatch(/terraform init/);
    const text = cli(['check', dir]);
    expect(text.stdout).not.toMatch(/PASS 0 errors, 0 warnings/);
    expect(cli(['check', dir, '--strict']).code).toBe(1);
  });

  test('through a local value, inside a map: the same', () => {
    const dir = tempDir({ 'main.tf.json': root({
      locals: { ids: { apim: '${azurerm_subnet.apim.id}' } },
      ...call('app.terraform.io/contoso/udr/azurerm', { subnets: { apim: { id: '${local.ids.apim}' } } }),
    }) });
    const { report } = jsonOf(['check', dir]);
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN').map((f: any) => f.detail)).toContain('APIM-ROUTE-MANAGEMENT');
  });

  test('a remote module given nothing of the APIM network adds nothing', () => {
    const dir = tempDir({ 'main.tf.json': root(call('app.terraform.io/contoso/tags/azurerm', { env: 'prod', resource_group_name: 'rg-apim' })) });
    const { report } = jsonOf(['check', dir]);
    expect([report.summary.errors, report.summary.warnings, report.summary.unknown]).toEqual([0, 0, 0]);
  });

  test('the same module from a local source is read and judged (the control)', () => {
    const dir = tempDir({ 'main.tf.json': root(call('./udr', { subnet_id: '${azurerm_subnet.apim.id}' })), 'udr/main.tf': UDR_MODULE });
    const { code, report } = jsonOf(['check', dir]);
    expect(code).toBe(1);
    expect(report.findings.map((f: any) => f.ruleId)).toContain('APIM-ROUTE-MANAGEMENT');
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN')).toEqual([]);
  });
});

describe('second review, session 6: how a remote module call takes the subnet', () => {
  test.each([
    ['for_each over a map holding the id, each.value as the input', { for_each: { apim: '${azurerm_subnet.apim.id}' }, subnet_id: '${each.value}' }, 'for_each'],
    ['the id wrapped in toset()', { subnet_ids: '${toset([azurerm_subnet.apim.id])}' }, 'subnet_ids'],
    ['the id behind a conditional', { subnet_id: '${var.enabled ? azurerm_subnet.apim.id : null}' }, 'subnet_id'],
  ])('%s: APIM-UNKNOWN naming the call and the input (it was PASS with 0 unknown)', (_name, inputs, input) => {
    const dir = tempDir({ 'main.tf.json': root({ ...call('app.terraform.io/contoso/udr/azurerm', { version: '1.0.0', ...inputs }), variable: { enabled: { type: 'bool' } } }) });
    const { report } = jsonOf(['check', dir]);
    expect(report.summary.unknown).toBeGreaterThan(0);
    expect(report.findings.find((f: any) => f.detail === 'APIM-SUBNET-NSG').message).toContain(`module.udr gets azurerm_subnet.apim (a reference to its id) in its input ${input}`);
  });
});
