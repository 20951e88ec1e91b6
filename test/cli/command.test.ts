import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../lib/cli/main';
import { FIXTURES, ROOT, cli, jsonOf, summaryOf, tempDir } from './support';

const fixture = (name: string) => `${FIXTURES}/${name}`;

describe('HCL fixtures', () => {
  test('a correct External network in a root module with a local module, variables and tfvars: exit 0, no finding', () => {
    // GIVEN a root module that calls ./modules/apim-network, which calls ../../../modules/apim-nsg
    // WHEN
    const { code, report } = jsonOf(['check', fixture('external-module')]);
    // THEN
    expect(code).toBe(0);
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, apim: { instances: 1, subnets: 1, nsgs: 1 }, files: 10 });
    expect(report.inputs).toEqual([{ path: fixture('external-module'), kind: 'terraform', documents: [fixture('external-module')], files: 10, resources: 7 }]);
    expect(report.unresolved).toEqual({ variables: [], remoteModules: [] });
  });

  test('values flow from --var through the module: a Premium_14 does not fit the module\'s /27 subnet (finding at the module\'s file and line)', () => {
    const { code, report } = jsonOf(['check', fixture('external-module'), '--var', 'apim_sku=Premium_14']);
    expect(code).toBe(1);
    expect(summaryOf(report)).toContain(`APIM-SUBNET-SIZE module.apim_network.azurerm_subnet.apim ${fixture('external-module')}/modules/apim-network/main.tf:3`);
  });

  test('an Internal network whose SQL rule says 1443: the 1433 allow is missing, and the typo is named', () => {
    const { code, report } = jsonOf(['check', fixture('internal-sql-1443')]);
    // Azure's default AllowInternetOutBound still lets 1433 out (RULES.md revision 2): warnings, until --strict.
    expect(code).toBe(0);
    expect(summaryOf(report)).toEqual([
      `APIM-NSG-IMPLICIT[Outbound:Sql:1433] azurerm_network_security_group.apim ${fixture('internal-sql-1443')}/main.tf:32`,
      `APIM-NSG-NEARMISS[apim-azure-sql:port] azurerm_network_security_group.apim ${fixture('internal-sql-1443')}/main.tf:32`,
    ]);
    expect(report.findings.map((f: any) => f.level)).toEqual(['warning', 'warning']);
    expect(report.findings.find((f: any) => f.ruleId === 'APIM-NSG-NEARMISS').message).toMatch(/port 1443 where sql needs 1433/);
    expect(jsonOf(['check', fixture('internal-sql-1443'), '--strict']).code).toBe(1);
  });

  test('rules merged from an optional JSON file with try(jsondecode(file(...)), {}): unknown, never judged on the fallback (outside review, session 6)', () => {
    // The file denies everything inbound; the checks do not read files, so the fallback {} must not be taken as known.
    const { code, report } = jsonOf(['check', fixture('rules-file')]);
    expect(code).toBe(0);
    expect(report.summary.unknown).toBeGreaterThan(0);
    expect(summaryOf(report).filter((f) => f.startsWith('APIM-UNKNOWN[APIM-NSG-'))).toEqual(expect.arrayContaining([
      expect.stringMatching(/^APIM-UNKNOWN\[APIM-NSG-REQUIRED\] /), expect.stringMatching(/^APIM-UNKNOWN\[APIM-NSG-SHADOWED\] /)]));
    expect(report.findings.find((f: any) => f.detail === 'APIM-NSG-SHADOWED').message).toMatch(/jsondecode\(file\(/);
    expect(jsonOf(['check', fixture('rules-file'), '--strict']).code).toBe(1);
  });

  test('a delegated APIM subnet', () => {
    const { code, report } = jsonOf(['check', fixture('delegated-subnet')]);
    expect(code).toBe(1);
    expect(summaryOf(report)).toEqual([`APIM-SUBNET-DELEGATION azurerm_subnet.apim ${fixture('delegated-subnet')}/main.tf:15`]);
  });

  test('a deny-all-outbound rule ahead of the Internet:80 allow, in a network whose APIM lives elsewhere (--mode external)', () => {
    const { code, report } = jsonOf(['check', fixture('deny-all-outbound'), '--mode', 'external']);
    expect(code).toBe(1);
    const errors = report.findings.filter((f: any) => f.level === 'error');
    expect(errors).toEqual([expect.objectContaining({
      ruleId: 'APIM-NSG-SHADOWED', detail: 'Outbound:Internet:80', address: 'azurerm_network_security_group.apim',
      file: `${fixture('deny-all-outbound')}/main.tf`, line: 40,
    })]);
    expect(errors[0].message).toMatch(/the rule "DenyInternet" \(priority 999\) comes before the rule "Certificates" \(priority 1000\) and blocks all of Outbound TCP 80/);
    expect(report.mode).toBe('external');
    expect(report.summary.apim).toEqual({ instances: 0, subnets: 0, nsgs: 1 });
  });

  test('without --mode, rules whose outcome depends on the mode are unknown, never passed', () => {
    const { report } = jsonOf(['check', fixture('deny-all-outbound')]);
    expect(report.mode).toBeNull();
    expect(summaryOf(report)).toContain(`APIM-UNKNOWN[APIM-NSG-INTERNAL-PUBLIC] azurerm_network_security_rule.apim["clients"] ${fixture('deny-all-outbound')}/main.tf:46`);
    const unknown = report.findings.find((f: any) => f.detail === 'APIM-NSG-INTERNAL-PUBLIC');
    expect(unknown.message).toMatch(/matters only in Internal mode, and the mode is not known/);
    // The client and Traffic Manager flows, required only in External mode, are allowed by the "clients" rule: they
    // pass whatever the mode, so APIM-NSG-REQUIRED decides (a flow that fails would be unknown).
    expect(summaryOf(report).filter((line: string) => line.startsWith('APIM-UNKNOWN[APIM-NSG-REQUIRED]'))).toEqual([]);
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-NSG-REQUIRED')).toEqual([]);
    // The shadowing is an error in both modes, so it stands.
    expect(summaryOf(report)).toContain(`APIM-NSG-SHADOWED[Outbound:Internet:80] azurerm_network_security_group.apim ${fixture('deny-all-outbound')}/main.tf:40`);
    // --mode internal: the Internet 443 client rule is a public inbound rule there.
    expect(summaryOf(jsonOf(['check', fixture('deny-all-outbound'), '--mode', 'internal']).report)).toEqual([
      `APIM-NSG-INTERNAL-PUBLIC[Clients] azurerm_network_security_rule.apim["clients"] ${fixture('deny-all-outbound')}/main.tf:46`,
      `APIM-NSG-SHADOWED[Outbound:Internet:80] azurerm_network_security_group.apim ${fixture('deny-all-outbound')}/main.tf:40`,
    ]);
  });

  test('a Basic, Dynamic public IP (count = 1 from a variable)', () => {
    const { code, report } = jsonOf(['check', fixture('basic-public-ip')]);
    expect(code).toBe(1);
    expect(summaryOf(report)).toEqual([
      `APIM-PIP-ALLOCATION azurerm_public_ip.apim[0] ${fixture('basic-public-ip')}/main.tf:40`,
      `APIM-PIP-SKU azurerm_public_ip.apim[0] ${fixture('basic-public-ip')}/main.tf:40`,
    ]);
    // count = 0: no public IP, nothing to check there.
    const without = jsonOf(['check', fixture('basic-public-ip'), '--var', 'create_public_ip=false']);
    expect(summaryOf(without.report).filter((s) => s.startsWith('APIM-PIP'))).toEqual([]);
  });

  test('rules in dynamic blocks, from a --var-file: an inbound 3443 allow from anywhere is found', () => {
    const { code, report } = jsonOf(['check', fixture('dynamic-rules'), '--var-file', fixture('dynamic-rules/rules.tfvars.json')]);
    expect(code).toBe(1);
    expect(summaryOf(report)).toEqual([`APIM-NSG-EXPOSED[AllowClientsFromAnywhere] azurerm_network_security_group.apim ${fixture('dynamic-rules')}/main.tf:37`]);
  });

  test('rules in dynamic blocks over a variable without value: unknown, never a pass, and the variable is named', () => {
    const { code, report } = jsonOf(['check', fixture('dynamic-rules')]);
    expect(code).toBe(0);
    expect(summaryOf(report)).toEqual(expect.arrayContaining([
      `APIM-UNKNOWN[APIM-NSG-REQUIRED] azurerm_network_security_group.apim ${fixture('dynamic-rules')}/main.tf:37`,
      `APIM-UNKNOWN[APIM-NSG-EXPOSED] azurerm_network_security_group.apim ${fixture('dynamic-rules')}/main.tf:37`,
    ]));
    expect(report.findings.every((f: any) => f.ruleId === 'APIM-UNKNOWN')).toBe(true);
    expect(report.unresolved.variables).toEqual([`var.rules (${fixture('dynamic-rules')}/main.tf:4)`]);
  });
});

describe('plans (terraform show -json)', () => {
  test('values from planned_values, links between resources to be created from configuration references', () => {
    const { code, report } = jsonOf(['check', fixture('plan/plan.json')]);
    expect(code).toBe(1);
    expect(report.inputs[0]).toMatchObject({ kind: 'plan', resources: 6 });
    // The subnet, NSG and association are linked although their IDs are unknown in the plan: the only finding is the
    // missing load-balancer allow (blocked by the deny-all), on the module's NSG, named by its plan address.
    expect(report.findings).toEqual([expect.objectContaining({
      ruleId: 'APIM-NSG-REQUIRED', detail: 'Inbound:AzureLoadBalancer:6390', address: 'module.network.azurerm_network_security_group.apim',
      file: fixture('plan/plan.json'),
    })]);
    expect(report.findings[0].line).toBeUndefined();
  });

  test('a plan from a future major format is refused with the reason', () => {
    const dir = tempDir({ 'plan.json': JSON.stringify({ format_version: '2.0', planned_values: {} }) });
    const result = cli(['check', path.join(dir, 'plan.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/plan\.json: has the plan format_version 2\.0; this command reads format 1\.x/);
  });
});

describe('inputs that cannot be read, or hold no APIM network: exit 2 with the file and the reason', () => {
  test.each<[string, string[], RegExp]>([
    ['a syntax error', [fixture('broken')], /broken\/main\.tf:4: expected "\]" to close the list, found "\}"/],
    ['a path that does not exist', [fixture('nope')], /terraform\/nope: does not exist/],
    ['a folder of folders', [FIXTURES], /holds no \.tf or \.tf\.json file and is not a cdktf\.out folder \(Terraform reads one folder at a time; folders below with Terraform files: test\/fixtures\/terraform\/basic-public-ip/],
    ['a network without APIM', [fixture('no-apim')], /no-apim: holds no APIM network: no azurerm_api_management injected into a virtual network.*is this the right folder\?/],
    ['a second input that fails after a good one', [fixture('external-module'), fixture('broken')], /broken\/main\.tf:4/],
  ])('%s', (_name, paths, message) => {
    const result = cli(['check', ...paths]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  test.each<[string, Record<string, string>, string, RegExp]>([
    ['a binary plan file', { 'tfplan': 'PK\u0003\u0004\u0000\u0000binary' }, 'tfplan', /tfplan: is a binary plan file: export it with "terraform show -json <plan> > plan.json"/],
    ['a JSON file that is neither a plan nor a configuration', { 'x.json': '{"a": 1}' }, 'x.json', /x\.json: is neither a Terraform plan in JSON/],
    ['invalid JSON configuration', { 'main.tf.json': '{"resource": {' }, 'main.tf.json', /main\.tf\.json:1: expected a quoted key/],
    ['a resource declared twice in two files', { 'a.tf': 'resource "azurerm_subnet" "s" {\n}\n', 'b.tf': '\nresource "azurerm_subnet" "s" {\n}\n' }, '.', /b\.tf:2: resource "azurerm_subnet\.s" is declared twice: first at a\.tf:1/],
    ['a local module whose folder is missing', { 'main.tf': 'module "net" {\n  source = "./net"\n}\n' }, '.', /main\.tf:1: the module "net" has the source "\.\/net", but .*net is not a directory/],
    ['an unreadable tfvars file', { 'main.tf': 'variable "x" {}\n', 'terraform.tfvars': 'x = \n' }, '.', /terraform\.tfvars:1: expected an expression, found a newline/],
    ['no APIM network, with a remote module not read', { 'main.tf': 'module "apim" {\n  source = "claranet/api-management/azurerm"\n}\n' }, '.', /holds no APIM network: .*; these modules were not read: module\.apim \(claranet\/api-management\/azurerm\) \(run terraform init first, or check a plan\)/],
    ['a cdktf.out whose stack file is missing', { 'manifest.json': '{"stacks": {"a": {"synthesizedStackPath": "stacks/a/cdk.tf.json"}}}', 'stacks/.keep': '' }, '.', /stacks\/a\/cdk\.tf\.json: is listed for the stack "a" in manifest\.json but does not exist/],
  ])('%s', (_name, files, target, message) => {
    const dir = tempDir(files);
    const result = cli(['check', target], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test('JSON and SARIF reports carry the error too', () => {
    const json = jsonOf(['check', fixture('no-apim')]);
    expect(json.code).toBe(2);
    expect(json.report).toMatchObject({ exitCode: 2, error: { file: fixture('no-apim'), reason: expect.stringMatching(/holds no APIM network/) } });
    const sarif = JSON.parse(cli(['check', fixture('broken'), '--format', 'sarif']).stdout);
    expect(sarif.runs[0].invocations[0]).toMatchObject({ executionSuccessful: false });
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/broken\/main\.tf:4/);
  });
});

describe('command line', () => {
  test.each<[string[], RegExp]>([
    [['check'], /no input: give a folder/],
    [['check', 'x', '--mode', 'hybrid'], /--mode must be external or internal, not "hybrid"/],
    [['check', 'x', '--format', 'xml'], /--format must be one of text, json, sarif, markdown, not "xml"/],
    [['check', 'x', '--var', 'novalue'], /--var needs NAME=VALUE, not "novalue"/],
    [['check', 'x', '--var-file'], /--var-file needs a value/],
    [['check', 'x', '--frobnicate'], /unknown option --frobnicate/],
    [['lint', 'x'], /unknown command "lint"/],
  ])('%j is a usage error (exit 2)', (args, message) => {
    const result = cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test('--help and --version', () => {
    expect(cli(['--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: cdktf-apim-network check \[options\] <path>\.\.\./) });
    expect(cli([])).toMatchObject({ code: 0 });
    expect(cli(['--version']).stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
  });

  test('--opt=value, -o, and -- before paths', () => {
    const dir = tempDir({});
    const result = cli(['check', '--format=json', `--output=${path.join(dir, 'r.json')}`, '--', fixture('delegated-subnet')]);
    expect(result.code).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8')).summary.errors).toBe(1);
  });

  test('--strict turns warnings into errors', () => {
    const loose = jsonOf(['check', fixture('dynamic-rules')]);
    const strict = jsonOf(['check', fixture('dynamic-rules'), '--strict']);
    expect(loose.code).toBe(0);
    expect(strict.code).toBe(1);
    expect(strict.report.strict).toBe(true);
    expect(strict.report.findings.every((f: any) => f.level === 'error')).toBe(true);
    expect(strict.report.findings.length).toBe(loose.report.findings.length);
  });

  test('several inputs: one report, findings tagged with their input', () => {
    const { code, report } = jsonOf(['check', fixture('internal-sql-1443'), fixture('delegated-subnet'), fixture('external-module')]);
    expect(code).toBe(1);
    expect(report.inputs.map((i: any) => i.path)).toEqual([fixture('internal-sql-1443'), fixture('delegated-subnet'), fixture('external-module')]);
    expect(report.summary.apim).toEqual({ instances: 3, subnets: 3, nsgs: 3 });
    expect(new Set(report.findings.map((f: any) => f.input))).toEqual(new Set([fixture('internal-sql-1443'), fixture('delegated-subnet')]));
  });

  test('a progress line on stderr for inputs with many files: in place on a terminal, plain lines in CI logs', () => {
    const files: Record<string, string> = { 'main.tf': fs.readFileSync(path.join(ROOT, fixture('delegated-subnet/main.tf')), 'utf8').replace('../modules/apim-nsg', './nsg') };
    for (const name of ['main.tf', 'variables.tf', 'outputs.tf']) {
      files[`nsg/${name}`] = fs.readFileSync(path.join(ROOT, fixture(`modules/apim-nsg/${name}`)), 'utf8');
    }
    for (let i = 0; i < 60; i++) {
      files[`extra-${String(i).padStart(2, '0')}.tf`] = `locals {\n  n${i} = ${i}\n}\n`;
    }
    const dir = tempDir(files);
    const tty = cli(['check', '.'], { cwd: dir, stderrTty: true });
    expect(tty.code).toBe(1);
    expect(tty.stderr).toMatch(/\rreading Terraform files: 50/);
    expect(tty.stderr).toMatch(/\rread 64 Terraform files +\n$/);
    const log = cli(['check', '.'], { cwd: dir });
    expect(log.stderr).toBe('reading Terraform files: 50...\n');
    const few = cli(['check', fixture('internal-sql-1443')], { stderrTty: true });
    expect(few.stderr).toBe('');
  });
});

describe('other ways a user could trip the command', () => {
  test('an error nobody foresaw is one line and exit code 2, never a pass; CDKTF_APIM_NETWORK_DEBUG=1 adds the stack', () => {
    // GIVEN an environment that fails where nothing expects it to
    const failing = (env: Record<string, string>) => {
      let stderr = '';
      const code = run(['check', fixture('delegated-subnet')], {
        stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, env,
        get cwd(): string {
          throw new Error('boom\nsecond line');
        },
      });
      return { code, stderr };
    };
    const result = failing({});
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('cdktf-apim-network: internal error: boom (a bug: please report it at https://github.com/cdktf-apim-network/cdktf-apim-network/issues; set CDKTF_APIM_NETWORK_DEBUG=1 for the details)\n');
    expect(failing({ CDKTF_APIM_NETWORK_DEBUG: '1' }).stderr).toMatch(/^cdktf-apim-network: internal error: boom .*\nError: boom\nsecond line\n\s+at /);
  });

  test('a path given twice is checked once, and the report says so', () => {
    const { report } = jsonOf(['check', fixture('delegated-subnet'), `${fixture('delegated-subnet')}/`, path.join(ROOT, fixture('delegated-subnet'))]);
    expect(report.inputs).toHaveLength(1);
    expect(report.summary.errors).toBe(1);
    expect(report.diagnostics).toEqual([{ message: '2 path(s) given more than once: each is checked once' }]);
  });

  test('--var and --var-file beside a plan: the report says they do not apply to it', () => {
    const { report } = jsonOf(['check', fixture('plan/plan.json'), '--var', 'location=northeurope']);
    expect(report.diagnostics).toEqual([{ message: `--var and --var-file do not apply to the plan ${fixture('plan/plan.json')}: Terraform resolved its variables when it planned` }]);
  });

  test('--var-file is relative to the working directory, as every other path', () => {
    const { code, report } = jsonOf(['check', 'dynamic-rules', '--var-file', 'dynamic-rules/rules.tfvars.json'], { cwd: path.join(ROOT, FIXTURES) });
    expect(code).toBe(1);
    expect(summaryOf(report)).toEqual(['APIM-NSG-EXPOSED[AllowClientsFromAnywhere] azurerm_network_security_group.apim dynamic-rules/main.tf:37']);
  });
});

describe('breaker report 1 through the command (the engine side is fixed in lib/checks)', () => {
  // The engine judges an instance whose virtual_network_type is unknown as injected (lib/checks/targets.ts).
  test('an APIM instance whose virtual_network_type is a variable without value: the rules that do not depend on the mode still decide (exit code 1)', () => {
    const dir = tempDir({ 'main.tf': [
      'variable "vnet_type" {}',
      '',
      'resource "azurerm_virtual_network" "v" {',
      '  name                = "vnet"',
      '  location            = "westeurope"',
      '  resource_group_name = "rg"',
      '  address_space       = ["10.0.0.0/16"]',
      '}',
      '',
      'resource "azurerm_subnet" "apim" {',
      '  name                 = "snet-apim"',
      '  resource_group_name  = "rg"',
      '  virtual_network_name = azurerm_virtual_network.v.name',
      '  address_prefixes     = ["10.0.1.0/30"]',
      '  delegation {',
      '    name = "apim"',
      '    service_delegation {',
      '      name = "Microsoft.ApiManagement/service"',
      '    }',
      '  }',
      '}',
      '',
      'resource "azurerm_api_management" "apim" {',
      '  name                 = "apim"',
      '  location             = "westeurope"',
      '  resource_group_name  = "rg"',
      '  publisher_name       = "C"',
      '  publisher_email      = "c@example.com"',
      '  sku_name             = "Developer_1"',
      '  virtual_network_type = var.vnet_type',
      '  virtual_network_configuration {',
      '    subnet_id = azurerm_subnet.apim.id',
      '  }',
      '}',
    ].join('\n') });
    const { code, report } = jsonOf(['check', '.'], { cwd: dir });
    expect(report.findings.map((f: any) => f.ruleId)).toEqual(expect.arrayContaining(['APIM-SUBNET-DELEGATION', 'APIM-SUBNET-SIZE']));
    expect(code).toBe(1);
  });
});

describe('outside review, session 6: an NSG on another subnet of the input', () => {
  test('the unknown names the subnet the NSG is on, and the fix says to associate it with the APIM subnet', () => {
    const rules = [['management', 110, 'Inbound', 'ApiManagement', 'VirtualNetwork', '3443'], ['lb', 120, 'Inbound', 'AzureLoadBalancer', 'VirtualNetwork', '6390']]
      .map(([name, priority, direction, source, destination, port]) => `  security_rule {
    name                       = "${name}"
    priority                   = ${priority}
    direction                  = "${direction}"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "${port}"
    source_address_prefix      = "${source}"
    destination_address_prefix = "${destination}"
  }`).join('\n');
    const dir = tempDir({
      'main.tf': `
resource "azurerm_virtual_network" "net" {
  name                = "vnet"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/16"]
}
resource "azurerm_subnet" "apim" {
  name                 = "snet-apim"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.net.name
  address_prefixes     = ["10.0.1.0/27"]
}
resource "azurerm_subnet" "other" {
  name                 = "snet-other"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.net.name
  address_prefixes     = ["10.0.2.0/27"]
}
resource "azurerm_network_security_group" "apim" {
  name                = "nsg-apim"
  location            = "westeurope"
  resource_group_name = "rg"
${rules}
}
resource "azurerm_subnet_network_security_group_association" "apim" {
  subnet_id                 = azurerm_subnet.other.id
  network_security_group_id = azurerm_network_security_group.apim.id
}
resource "azurerm_api_management" "apim" {
  name                 = "apim"
  location             = "westeurope"
  resource_group_name  = "rg"
  publisher_name       = "Contoso"
  publisher_email      = "api@contoso.example"
  sku_name             = "Developer_1"
  virtual_network_type = "External"
  virtual_network_configuration {
    subnet_id = azurerm_subnet.apim.id
  }
}
`,
    });
    const { report } = jsonOf(['check', dir]);
    expect(summaryOf(report)).toContain(`APIM-SUBNET-NSG azurerm_subnet.apim ${dir}/main.tf:8`);
    const orphan = report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN' && f.address === 'azurerm_network_security_group.apim');
    expect(orphan.length).toBeGreaterThan(0);
    for (const finding of orphan) {
      expect(finding.message).toContain('the NSG is on azurerm_subnet.other, which no APIM instance of the input uses');
      expect(finding.fix).toMatch(/associate it with that subnet/);
    }
  });
});
