import '@microsoft/jest-sarif';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { App, TerraformStack } from 'cdktf';
import { MultiRegionExternalStack } from '../../examples/multi-region-external/main';
import { ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';
import { FIXTURES, ROOT } from './support';
import { externalRules, rule } from '../checks/brownfield';

/**
 * The executable, built as the package ships it (bin/ + the compiled dist/cli closure), run as a child process from a
 * folder with no node_modules, with a module resolver that refuses cdktf, constructs and @cdktf/*: the command needs
 * neither cdktf nor the provider at run time.
 */
let pkg: string;
let guard: string;

beforeAll(() => {
  pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-'));
  execFileSync(process.execPath, [
    require.resolve('typescript/bin/tsc'), '--outDir', path.join(pkg, 'dist'), '--rootDir', path.join(ROOT, 'lib'),
    '--module', 'commonjs', '--target', 'es2020', '--lib', 'es2020', '--types', 'node', '--strict', '--skipLibCheck',
    path.join(ROOT, 'lib', 'cli', 'main.ts'),
  ], { cwd: ROOT, stdio: 'pipe' });
  fs.mkdirSync(path.join(pkg, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'cdktf-apim-network'), path.join(pkg, 'bin', 'cdktf-apim-network'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  guard = path.join(pkg, 'refuse-cdktf.js');
  fs.writeFileSync(guard, [
    "const Module = require('module');",
    'const resolve = Module._resolveFilename;',
    'Module._resolveFilename = function (request, ...rest) {',
    "  if (/^(cdktf|constructs|@cdktf\\/)/.test(request)) { throw new Error('refused at run time: ' + request); }",
    '  return resolve.call(this, request, ...rest);',
    '};',
  ].join('\n'));
}, 180_000);

function bin(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, ['--require', guard, path.join(pkg, 'bin', 'cdktf-apim-network'), ...args], {
    cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the compiled command loads nothing of cdktf, constructs or the provider', () => {
  const dist = fs.readdirSync(path.join(pkg, 'dist'), { recursive: true }).map(String);
  expect(dist).toEqual(expect.arrayContaining(['cli/main.js', 'hcl/parser.js', 'checks/engine.js']));
  expect(dist.filter((f) => /^(cdktf|constructs)\//.test(f))).toEqual([]);
  for (const file of dist.filter((f) => f.endsWith('.js'))) {
    expect(fs.readFileSync(path.join(pkg, 'dist', file), 'utf8')).not.toMatch(/require\("(cdktf|constructs|@cdktf\/[^"]*)"\)/);
  }
});

test.each<[string, string[], number, RegExp]>([
  ['a correct network', ['check', `${FIXTURES}/external-module`], 0, /^PASS 0 errors, 0 warnings/m],
  ['an error finding', ['check', `${FIXTURES}/delegated-subnet`], 1, /APIM-SUBNET-DELEGATION/],
  ['warnings only', ['check', `${FIXTURES}/internal-sql-1443`], 0, /APIM-NSG-IMPLICIT\[Outbound:Sql:1433\]/],
  ['a plan', ['check', `${FIXTURES}/plan/plan.json`], 1, /module\.network\.azurerm_network_security_group\.apim/],
  ['--help', ['--help'], 0, /^Usage: cdktf-apim-network check/],
])('%s: exit code and output of the child process', (_name, args, code, output) => {
  const result = bin(args);
  expect(result.stderr).not.toMatch(/refused at run time/);
  expect(result.code).toBe(code);
  expect(result.stdout).toMatch(output);
});

test('an example synthesized by cdktf (a cdktf.out folder), checked by the child process', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-out-'));
  const app = new App({ outdir });
  new MultiRegionExternalStack(app, 'platform');
  app.synth();
  const result = bin(['check', outdir, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const report = JSON.parse(result.stdout);
  expect(report.inputs).toEqual([expect.objectContaining({ kind: 'cdktf-out', documents: ['platform'] })]);
  expect(report.summary).toMatchObject({ errors: 0, apim: { instances: 1, subnets: 3, nsgs: 3 } });
});

test('exit code 2 for unreadable input, message on stderr', () => {
  const result = bin(['check', `${FIXTURES}/broken`]);
  expect(result.code).toBe(2);
  expect(result.stderr).toBe(`cdktf-apim-network: ${FIXTURES}/broken/main.tf:4: expected "]" to close the list, found "}"\n`);
  expect(result.stdout).toBe('');
});

test('runs from a folder outside the repository, with no node_modules anywhere above it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-cwd-'));
  fs.cpSync(path.join(ROOT, FIXTURES, 'internal-sql-1443'), path.join(dir, 'infra'), { recursive: true });
  const result = bin(['check', 'infra', '--format', 'sarif', '--output', 'out/apim.sarif', '--strict'], dir);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe('2 error(s), 0 warning(s): sarif report written to out/apim.sarif\n');
  const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'apim.sarif'), 'utf8'));
  expect(sarif.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'infra/main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 32 } });
});

test('the guard itself works: requiring cdktf under it fails (so the tests above would notice a require)', () => {
  const result = spawnSync(process.execPath, ['--require', guard, '-e', "require('cdktf')"], { cwd: ROOT, encoding: 'utf8' });
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/refused at run time: cdktf/);
});

/** One line on stderr, naming the command; never a Node stack trace. */
function oneLine(stderr: string): string {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr.split('\n')).toEqual([expect.stringMatching(/^cdktf-apim-network: /), '']);
  return stderr.trim();
}

describe('breaker report 11: --output that cannot be written is exit code 2 with one line naming the path and the reason', () => {
  const INPUT = `${FIXTURES}/delegated-subnet`;
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-output-'));
    fs.writeFileSync(path.join(dir, 'file.txt'), 'a file');
  });

  test.each<[string, (d: string) => string, RegExp]>([
    ['a folder below a file (EEXIST/ENOTDIR)', (d) => path.join(d, 'file.txt', 'x.json'), /file\.txt is a file, not a folder/],
    ['two folders below a file', (d) => path.join(d, 'file.txt', 'a', 'x.json'), /file\.txt is a file, not a folder/],
    ['an existing folder (EISDIR)', (d) => d, /is a folder, not a file/],
  ])('%s', (_name, target, reason) => {
    const output = target(dir);
    const result = bin(['check', INPUT, '--format', 'json', '--output', output]);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(new RegExp(`^cdktf-apim-network: ${output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write the report: `));
    expect(result.stderr).toMatch(reason);
    expect(result.stdout).toBe('');
  });

  (process.platform === 'linux' ? test : test.skip).each<[string, string, RegExp]>([
    ['a full device (ENOSPC)', '/dev/full', /no space left on the device/],
    ['a folder that cannot be created (/proc), without hanging', '/proc/nope/x.json', /the folder \/proc\/nope cannot be created/],
    ['a file the system refuses (EIO)', '/proc/version', /input\/output error/],
    ['a folder without write permission, even for root (EACCES)', '/sys/kernel/apim.sarif', /permission denied/],
  ])('%s', (_name, output, reason) => {
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--require', guard, path.join(pkg, 'bin', 'cdktf-apim-network'), 'check', INPUT, '-o', output], {
      cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, timeout: 30_000,
    });
    expect(result.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.status).toBe(2);
    expect(oneLine(result.stderr)).toMatch(new RegExp(`^cdktf-apim-network: ${output}: cannot write the report: `));
    expect(result.stderr).toMatch(reason);
  });

  test('an input, or a file Terraform would read as configuration, is never overwritten with the report', () => {
    const infra = path.join(dir, 'infra');
    fs.cpSync(path.join(ROOT, FIXTURES, 'internal-sql-1443'), infra, { recursive: true });
    fs.copyFileSync(path.join(ROOT, FIXTURES, 'plan', 'plan.json'), path.join(dir, 'plan.json'));
    const before = fs.readFileSync(path.join(infra, 'main.tf'), 'utf8');
    const plan = fs.readFileSync(path.join(dir, 'plan.json'), 'utf8');
    const tf = bin(['check', 'infra', '--output', 'infra/main.tf'], dir);
    expect(tf.code).toBe(2);
    expect(oneLine(tf.stderr)).toBe('cdktf-apim-network: infra/main.tf: cannot write the report: the name is that of a Terraform file, which Terraform and this command would read as configuration; choose another name');
    const input = bin(['check', 'plan.json', '--format', 'json', '--output', './plan.json'], dir);
    expect(input.code).toBe(2);
    expect(oneLine(input.stderr)).toBe('cdktf-apim-network: ./plan.json: cannot write the report: it is one of the inputs (plan.json); choose another file');
    // Also when the input cannot be read: the report of the error does not replace it either.
    fs.writeFileSync(path.join(infra, 'broken.json'), '{');
    const broken = bin(['check', 'infra/broken.json', '--format', 'json', '-o', 'infra/broken.json'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/infra\/broken\.json: cannot write the report: it is one of the inputs/);
    expect(fs.readFileSync(path.join(infra, 'main.tf'), 'utf8')).toBe(before);
    expect(fs.readFileSync(path.join(dir, 'plan.json'), 'utf8')).toBe(plan);
    expect(fs.readFileSync(path.join(infra, 'broken.json'), 'utf8')).toBe('{');
  });

  test('a report that cannot be written after an input error: both lines, exit code 2', () => {
    const result = bin(['check', `${FIXTURES}/broken`, '--format', 'json', '-o', path.join(dir, 'file.txt', 'r.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/broken\/main\.tf:4: expected "\]"/),
      expect.stringMatching(/r\.json: cannot write the report: .*file\.txt is a file, not a folder/),
    ]);
  });

  test.each<[string[], RegExp]>([
    [['--output='], /--output needs a file name/],
    [['-o', '--format', 'json'], /-o needs a file name, not the option --format/],
  ])('%j is a usage error', (args, message) => {
    const result = bin(['check', INPUT, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  test('-o - is standard output; a new folder is created for the report; the report is complete', () => {
    const stdout = bin(['check', INPUT, '--format', 'json', '-o', '-']);
    expect(stdout.code).toBe(1);
    expect(JSON.parse(stdout.stdout).summary.errors).toBe(1);
    const nested = bin(['check', INPUT, '--format', 'sarif', '-o', path.join(dir, 'new', 'deeper', 'apim.sarif')]);
    expect(nested.code).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'new', 'deeper', 'apim.sarif'), 'utf8')).version).toBe('2.1.0');
  });
});

describe('breaker report 9: an override.tf module block that overrides only an argument', () => {
  test('is merged (exit code 1 for the /30 it sets), not refused for having no source (exit code 2)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-override-'));
    fs.cpSync(path.join(ROOT, FIXTURES), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'external-module', 'override.tf'), 'module "apim_network" {\n  subnet_prefix = "10.20.0.128/30"\n}\n');
    const result = bin(['check', 'external-module', '--format', 'json'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings.filter((f: any) => f.level === 'error')).toEqual([expect.objectContaining({
      ruleId: 'APIM-SUBNET-SIZE', address: 'module.apim_network.azurerm_subnet.apim', file: 'external-module/modules/apim-network/main.tf',
    })]);
    expect(report.findings.find((f: any) => f.ruleId === 'APIM-SUBNET-SIZE').message).toMatch(/10\.20\.0\.128\/30/);
    expect(report.inputs[0].files).toBe(11);
  });
});

describe('breaker report 4: a plan whose APIM subnet is a choice between two subnets', () => {
  /** `subnet_id = var.use_blue ? azurerm_subnet.blue.id : azurerm_subnet.green.id`, use_blue = false: blue's NSG is right, green's denies everything. */
  function bluegreen(): string {
    const rule = (name: string, priority: number, direction: string, access: string, source: string, destination: string, port: string, protocol = 'Tcp') => ({
      name, priority, direction, access, protocol, source_port_range: '*', destination_port_range: port, source_address_prefix: source, destination_address_prefix: destination,
    });
    const resource = (type: string, name: string, values: object) => ({ address: `${type}.${name}`, mode: 'managed', type, name, values });
    const config = (type: string, name: string, expressions: object) => ({ address: `${type}.${name}`, mode: 'managed', type, name, provider_config_key: 'azurerm', expressions });
    const refs = (...references: string[]) => ({ references });
    const nsg = (name: string, rules: object[]) => resource('azurerm_network_security_group', name, { name: `nsg-${name}`, location: 'westeurope', resource_group_name: 'rg', security_rule: rules });
    const subnet = (name: string, prefix: string) => resource('azurerm_subnet', name, { name: `snet-${name}`, resource_group_name: 'rg', virtual_network_name: 'vnet', address_prefixes: [prefix] });
    const assoc = (name: string) => config('azurerm_subnet_network_security_group_association', name, {
      subnet_id: refs(`azurerm_subnet.${name}.id`, `azurerm_subnet.${name}`), network_security_group_id: refs(`azurerm_network_security_group.${name}.id`, `azurerm_network_security_group.${name}`),
    });
    const unknownIds = { id: true, subnet_id: true, network_security_group_id: true };
    return JSON.stringify({
      format_version: '1.2', terraform_version: '1.9.8', variables: { use_blue: { value: false } },
      planned_values: { root_module: { resources: [
        resource('azurerm_virtual_network', 'vnet', { name: 'vnet', location: 'westeurope', resource_group_name: 'rg', address_space: ['10.0.0.0/16'] }),
        subnet('blue', '10.0.1.0/27'), subnet('green', '10.0.2.0/27'),
        nsg('blue', [
          rule('clients', 100, 'Inbound', 'Allow', 'Internet', 'VirtualNetwork', '443'), rule('mgmt', 110, 'Inbound', 'Allow', 'ApiManagement', 'VirtualNetwork', '3443'),
          rule('lb', 120, 'Inbound', 'Allow', 'AzureLoadBalancer', 'VirtualNetwork', '6390'), rule('tm', 130, 'Inbound', 'Allow', 'AzureTrafficManager', 'VirtualNetwork', '443'),
          rule('storage', 100, 'Outbound', 'Allow', 'VirtualNetwork', 'Storage', '443'), rule('sql', 110, 'Outbound', 'Allow', 'VirtualNetwork', 'Sql', '1433'),
          rule('kv', 120, 'Outbound', 'Allow', 'VirtualNetwork', 'AzureKeyVault', '443'), rule('monitor1886', 130, 'Outbound', 'Allow', 'VirtualNetwork', 'AzureMonitor', '1886'),
          rule('monitor443', 131, 'Outbound', 'Allow', 'VirtualNetwork', 'AzureMonitor', '443'), rule('crl', 140, 'Outbound', 'Allow', 'VirtualNetwork', 'Internet', '80'),
        ]),
        nsg('green', [rule('deny-in', 100, 'Inbound', 'Deny', '*', '*', '*', '*'), rule('deny-out', 100, 'Outbound', 'Deny', '*', '*', '*', '*')]),
        resource('azurerm_subnet_network_security_group_association', 'blue', {}), resource('azurerm_subnet_network_security_group_association', 'green', {}),
        resource('azurerm_public_ip', 'pip', { name: 'pip', location: 'westeurope', resource_group_name: 'rg', sku: 'Standard', allocation_method: 'Static', domain_name_label: 'apim-bg' }),
        resource('azurerm_api_management', 'apim', {
          name: 'apim-bg', location: 'westeurope', resource_group_name: 'rg', publisher_name: 'C', publisher_email: 'c@example.com', sku_name: 'Developer_1',
          virtual_network_type: 'External', virtual_network_configuration: [{}],
        }),
      ] } },
      resource_changes: [
        { address: 'azurerm_subnet_network_security_group_association.blue', change: { actions: ['create'], after_unknown: unknownIds } },
        { address: 'azurerm_subnet_network_security_group_association.green', change: { actions: ['create'], after_unknown: unknownIds } },
        { address: 'azurerm_api_management.apim', change: { actions: ['create'], after_unknown: { id: true, public_ip_address_id: true, virtual_network_configuration: [{ subnet_id: true }] } } },
      ],
      configuration: { provider_config: { azurerm: { name: 'azurerm', expressions: {} } }, root_module: { resources: [
        assoc('blue'), assoc('green'),
        config('azurerm_api_management', 'apim', {
          public_ip_address_id: refs('azurerm_public_ip.pip.id', 'azurerm_public_ip.pip'),
          virtual_network_configuration: [{ subnet_id: refs('var.use_blue', 'azurerm_subnet.blue.id', 'azurerm_subnet.blue', 'azurerm_subnet.green.id', 'azurerm_subnet.green') }],
        }),
      ] } },
    });
  }

  test('is not judged as the first subnet listed (a PASS): the subnet rules report unknown, and --strict fails', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-bluegreen-'));
    fs.writeFileSync(path.join(dir, 'plan.json'), bluegreen());
    const result = bin(['check', 'plan.json', '--format', 'json'], dir);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    const unknown = report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN' && f.address === 'azurerm_api_management.apim');
    expect(unknown.map((f: any) => f.detail)).toEqual(expect.arrayContaining(['APIM-SUBNET-SIZE', 'APIM-NSG-REQUIRED']));
    expect(report.findings.find((f: any) => f.detail === 'APIM-SUBNET-SIZE').message)
      .toMatch(/the subnet of primary: the expression "\(known after apply: azurerm_subnet\.blue\.id or azurerm_subnet\.green\.id\)"/);
    // Nothing about the subnets is judged as if the APIM used blue.
    expect(report.summary.apim.subnets).toBe(0);
    expect(report.findings.filter((f: any) => f.address === 'azurerm_subnet.blue')).toEqual([]);
    expect(bin(['check', 'plan.json', '--strict'], dir).code).toBe(1);
  });
});

describe('breaker report 16 (command side): the conversions Terraform makes are made, not reported as unknown', () => {
  test.each<[string, (main: string) => string, string[], Record<string, string>]>([
    ['count = "1" (a string)', (main) => main.replace('count = var.create_public_ip ? 1 : 0', 'count = "1"'), [], {}],
    // No public IP unless the value converts.
    ['a bool variable given as "1"', (main) => main.replace('default = true', 'default = false'), ['--var', 'create_public_ip=1'], {}],
    ['a bool variable given as "true" in the environment', (main) => main.replace('default = true', 'default = false'), [], { TF_VAR_create_public_ip: 'true' }],
    ['an untyped variable given as "1" in a condition', (main) => main.replace('type    = bool\n', '').replace('default = true', 'default = false'), ['--var', 'create_public_ip=1'], {}],
  ])('%s: the public IP is judged (exit code 1), with no diagnostic', (_name, edit, args, env) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-convert-'));
    fs.cpSync(path.join(ROOT, FIXTURES), dir, { recursive: true });
    const main = path.join(dir, 'basic-public-ip', 'main.tf');
    fs.writeFileSync(main, edit(fs.readFileSync(main, 'utf8')));
    const result = spawnSync(process.execPath, ['--require', guard, path.join(pkg, 'bin', 'cdktf-apim-network'), 'check', 'basic-public-ip', '--format', 'json', ...args], {
      cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.diagnostics).toEqual([]);
    expect(report.findings.map((f: any) => `${f.ruleId} ${f.address}`).sort()).toEqual(['APIM-PIP-ALLOCATION azurerm_public_ip.apim[0]', 'APIM-PIP-SKU azurerm_public_ip.apim[0]']);
  });
});

describe('breaker report 17: SARIF for inputs outside the working directory', () => {
  test('absolute file:// URIs, valid against the SARIF 2.1.0 schema, from the child process', () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-sarif-'));
    const input = path.join(ROOT, FIXTURES, 'internal-sql-1443');
    const result = bin(['check', input, '--format', 'sarif', '--output', 'apim.sarif'], cwd);
    expect(result.code).toBe(0);
    const log = JSON.parse(fs.readFileSync(path.join(cwd, 'apim.sarif'), 'utf8'));
    expect(log).toBeValidSarifLog();
    expect(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation)).toEqual([
      { uri: pathToFileURL(path.join(input, 'main.tf')).href }, { uri: pathToFileURL(path.join(input, 'main.tf')).href },
    ]);
  });
});

describe('breaker report 14: a cdktf.out whose network stack serves the APIM instances of other stacks', () => {
  let outdir: string;
  beforeAll(() => {
    // GIVEN net-stack: a subnet whose NSG denies Internet:80 before the CRL allow, and a spare NSG with the APIM
    // signature (inbound ApiManagement 3443) that no APIM uses; apim-a and apim-b: two instances on that subnet
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-stacks-'));
    const app = new App({ outdir });
    const net = new TerraformStack(app, 'net-stack');
    new AzurermProvider(net, 'azurerm', { features: [{}] });
    const vnet = new VirtualNetwork(net, 'vnet', { name: 'vnet-weu', location: 'westeurope', resourceGroupName: 'rg', addressSpace: ['10.0.0.0/16'] });
    const subnet = new Subnet(net, 'apim_subnet', { name: 'snet-apim', resourceGroupName: 'rg', virtualNetworkName: vnet.name, addressPrefixes: ['10.0.1.0/27'] });
    const deny80 = { ...rule('deny80', 135, 'Outbound', 'VirtualNetwork', 'Internet', '80'), access: 'Deny' };
    const nsg = new NetworkSecurityGroup(net, 'nsg', { name: 'nsg-apim', location: 'westeurope', resourceGroupName: 'rg', securityRule: [...externalRules(), deny80] });
    new SubnetNetworkSecurityGroupAssociation(net, 'assoc', { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
    new NetworkSecurityGroup(net, 'spare', { name: 'nsg-spare', location: 'westeurope', resourceGroupName: 'rg', securityRule: [...externalRules(), deny80] });
    for (const name of ['apim-a', 'apim-b']) {
      const stack = new TerraformStack(app, name);
      new AzurermProvider(stack, 'azurerm', { features: [{}] });
      const pip = new PublicIp(stack, 'pip', { name: `pip-${name}`, location: 'westeurope', resourceGroupName: 'rg', sku: 'Standard', allocationMethod: 'Static', domainNameLabel: name });
      new ApiManagement(stack, 'apim', {
        name, location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'c@example.com', skuName: 'Premium_1',
        virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: subnet.id }, publicIpAddressId: pip.id,
      });
    }
    app.synth();
  });

  test('the NSG is judged once, in the mode of the APIM instances that use it, not again as an orphan of its own stack', () => {
    const result = bin(['check', outdir, '--format', 'json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    const NSG_FILE = path.join(outdir, 'stacks', 'net-stack', 'cdk.tf.json');
    const about = (address: string) => report.findings.filter((f: any) => f.address === address && f.file === NSG_FILE).map((f: any) => `${f.level} ${f.ruleId}[${f.detail}]`);
    expect(about('azurerm_network_security_group.nsg')).toEqual(['error APIM-NSG-SHADOWED[Outbound:Internet:80]']);
    // The spare NSG no APIM uses is still checked, as an orphan whose mode is not known (its client and Traffic Manager
    // rules satisfy either mode, so only the Internal-mode warning depends on it).
    expect(about('azurerm_network_security_group.spare')).toEqual(expect.arrayContaining(['error APIM-NSG-SHADOWED[Outbound:Internet:80]', 'warning APIM-UNKNOWN[APIM-NSG-INTERNAL-PUBLIC]']));
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN' && /mode/.test(f.message)).map((f: any) => f.address))
      .toEqual(expect.arrayContaining(['azurerm_network_security_group.spare']));
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN' && /mode/.test(f.message) && !f.address.includes('spare'))).toEqual([]);
    // The counts are the findings' and the distinct resources'.
    const errors = report.findings.filter((f: any) => f.level === 'error').length;
    expect(report.summary).toMatchObject({ errors, warnings: report.findings.length - errors, apim: { instances: 2, subnets: 1, nsgs: 2 } });
    expect(errors).toBe(2);
    expect(result.code).toBe(1);
  });

  test('an unknown that only --mode resolves says so in its fix', () => {
    const report = JSON.parse(bin(['check', outdir, '--format', 'json']).stdout);
    const modeUnknown = report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN' && /mode/.test(f.message));
    expect(modeUnknown.length).toBeGreaterThan(0);
    expect(modeUnknown.every((f: any) => /--mode external\|internal/.test(f.fix))).toBe(true);
    const external = JSON.parse(bin(['check', outdir, '--format', 'json', '--mode', 'external']).stdout);
    expect(external.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN' && /mode/.test(f.message))).toEqual([]);
  });

  test('the library\'s network in one stack and the APIM instance in another: its subnet and NSG are counted once', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-stacks-lib-'));
    const app = new App({ outdir: dir });
    const net = new TerraformStack(app, 'net');
    new AzurermProvider(net, 'azurerm', { features: [{}] });
    const network = new MultiRegionApimNetwork(net, 'network', {
      virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
      regions: [{ location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27', capacity: 1 }],
    });
    const stack = new TerraformStack(app, 'apim');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    network.connect(new ApiManagement(stack, 'apim', {
      name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'c@example.com', skuName: 'Premium_1',
    }));
    app.synth();
    const report = JSON.parse(bin(['check', dir, '--format', 'json']).stdout);
    expect(report.summary.apim).toEqual({ instances: 1, subnets: 1, nsgs: 1 });
    expect(report.summary.errors).toBe(0);
  });
});

describe('other ways a user could trip the command: exit code 2 and one line, never a Node stack trace', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-trip-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write('plan-resources.json', JSON.stringify({ format_version: '1.2', planned_values: { root_module: { resources: 5 } } }));
    write('plan-null.json', JSON.stringify({ format_version: '1.2', planned_values: { root_module: { resources: [null] } } }));
    write('plan-changes.json', JSON.stringify({ format_version: '1.2', planned_values: {}, resource_changes: 5 }));
    write('plan-values.json', JSON.stringify({ format_version: '1.2', planned_values: { root_module: { resources: [{ address: 'a.b', type: 'a', name: 'b', mode: 'managed', values: 'x' }] } } }));
    write('plan-config.json', JSON.stringify({ format_version: '1.2', planned_values: {}, configuration: { root_module: { resources: 5 } } }));
    write('null-manifest/manifest.json', 'null');
    write('null-manifest/stacks/.keep', '');
    write('null-stack/manifest.json', '{"stacks": {"a": null}}');
    write('null-stack/stacks/.keep', '');
    write('number-path/manifest.json', '{"stacks": {"a": {"synthesizedStackPath": 5}}}');
    write('number-path/stacks/.keep', '');
    write('dangling/main.tf', fs.readFileSync(path.join(ROOT, FIXTURES, 'internal-sql-1443', 'main.tf'), 'utf8'));
    fs.symlinkSync('nowhere.tf', path.join(dir, 'dangling', 'broken.tf'));
    write('deep/main.tf', `locals {\n  x = ${'('.repeat(20000)}1${')'.repeat(20000)}\n}\n`);
  });

  test.each<[string, string[], RegExp]>([
    ['a plan whose resources are not a list', ['plan-resources.json'], /^cdktf-apim-network: plan-resources\.json: is not a plan Terraform wrote: planned_values\.root_module\.resources is not a list$/],
    ['a plan with a null resource', ['plan-null.json'], /^cdktf-apim-network: plan-null\.json: is not a plan Terraform wrote: planned_values\.root_module\.resources\[0\] is not a resource \(an object with address, type and name\)$/],
    ['a plan whose resource_changes are not a list', ['plan-changes.json'], /plan-changes\.json: is not a plan Terraform wrote: resource_changes is not a list$/],
    ['a plan whose values are not an object', ['plan-values.json'], /plan-values\.json: is not a plan Terraform wrote: the values of a\.b are not an object$/],
    ['a plan whose configuration resources are not a list', ['plan-config.json'], /plan-config\.json: is not a plan Terraform wrote: configuration\.root_module\.resources is not a list$/],
    ['a manifest.json that holds null', ['null-manifest'], /null-manifest\/manifest\.json: is not a cdktf manifest: it holds null, not an object with "stacks"$/],
    ['a manifest.json whose stack is null', ['null-stack'], /null-stack\/manifest\.json: is not a cdktf manifest: the stack "a" is null, not an object$/],
    ['a manifest.json whose stack path is a number', ['number-path'], /number-path\/manifest\.json: is not a cdktf manifest: the synthesizedStackPath of the stack "a" is 5, not a path$/],
    ['a .tf file that is a broken symbolic link', ['dangling'], /^cdktf-apim-network: dangling\/broken\.tf: cannot be read: it is a symbolic link to nowhere\.tf, which does not exist$/],
    ['a file that nests too deeply', ['deep'], /^cdktf-apim-network: deep\/main\.tf:2: the expression nests more than 100 levels of brackets, calls or templates, too deeply for this command to read$/],
    ['standard input', ['-'], /^cdktf-apim-network: -: standard input is not read: save the plan to a file \(terraform show -json plan\.out > plan\.json\) and check that file$/],
  ])('%s', (_name, args, message) => {
    const result = bin(['check', ...args], dir);
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toMatch(message);
    expect(result.stdout).toBe('');
  });

  test('a reader that closes the pipe early (| head) ends the command quietly with its exit code', () => {
    // Enough output (about 400 kB) to fill the pipe after head has gone.
    const inputs = Array.from({ length: 60 }, (_x, i) => {
      fs.cpSync(path.join(ROOT, FIXTURES), path.join(dir, 'copies', String(i)), { recursive: true });
      return ['delegated-subnet', 'deny-all-outbound', 'dynamic-rules'].map((f) => path.join('copies', String(i), f));
    }).flat();
    const command = `"${process.execPath}" "${path.join(pkg, 'bin', 'cdktf-apim-network')}" check ${inputs.map((i) => `"${i}"`).join(' ')} --format json`;
    const result = spawnSync('/bin/sh', ['-c', `( ${command} 2>stderr.txt; echo $? > code.txt ) | head -c 10 > /dev/null`], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'code.txt'), 'utf8').trim()).toBe('1');
    expect(fs.readFileSync(path.join(dir, 'stderr.txt'), 'utf8')).not.toMatch(/EPIPE|^\s+at /m);
  });
});
