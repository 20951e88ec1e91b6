import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { ApimNetworkTesting, ApimRuleLevel } from '../lib';
import { InternalForcedTunnelStack } from '../examples/internal-forced-tunnel/main';
import { InternalSingleRegionStack } from '../examples/internal-single-region/main';
import { MultiRegionExternalStack } from '../examples/multi-region-external/main';
import { SingleRegionStack } from '../examples/single-region/main';
import * as pinned from './fixtures/pinned-identity.json';

type StackClass = new (scope: App, id: string) => TerraformStack;
const EXAMPLES: Array<[string, StackClass]> = [
  ['multi-region-external', MultiRegionExternalStack],
  ['internal-single-region', InternalSingleRegionStack],
  ['single-region', SingleRegionStack],
  ['internal-forced-tunnel', InternalForcedTunnelStack],
];

export function addressesOf(doc: any): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries<Record<string, unknown>>(doc.resource ?? {})) {
    out.push(...Object.keys(byName).map((name) => `${type}.${name}`));
  }
  out.push(...Object.keys(doc.output ?? {}).map((name) => `output.${name}`));
  return out.sort();
}

describe.each(EXAMPLES)('examples/%s', (name, Stack) => {
  test('snapshot', () => {
    expect(Testing.synth(new Stack(Testing.app(), name))).toMatchSnapshot();
  });

  test('Terraform addresses are pinned (test/fixtures/pinned-identity.json; see also test/stability.test.ts)', () => {
    expect(addressesOf(JSON.parse(Testing.synth(new Stack(Testing.app(), name))))).toEqual(Object.keys((pinned as Record<string, object>)[name]).sort());
  });

  test('no error finding, and app.synth() (the path cdktf synth takes) succeeds', () => {
    const app = Testing.app();
    const stack = new Stack(app, name);
    expect(ApimNetworkTesting.findings(stack).filter((f) => f.level === ApimRuleLevel.ERROR)).toEqual([]);
    expect(ApimNetworkTesting.findings(stack, { strict: true })).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('examples/multi-region-external', () => {
  const synth = () => Testing.synth(new MultiRegionExternalStack(Testing.app(), 'multi'));

  test('Premium, three zonal regions with public IPs, connected ApiManagement', () => {
    const doc = JSON.parse(synth());
    const apim = doc.resource.azurerm_api_management.apim;
    expect(apim).toMatchObject({ sku_name: 'Premium_3', virtual_network_type: 'External', zones: ['1', '2', '3'] });
    expect(apim.additional_location.map((l: any) => [l.location, l.capacity, l.zones])).toEqual([
      ['northeurope', 3, ['1', '2', '3']], ['eastus2', 2, ['1', '2']],
    ]);
    expect(synth()).toHaveResourceWithProperties(PublicIp, { sku: 'Standard', allocation_method: 'Static', zones: ['1', '2', '3'] });
    expect(synth()).toHaveResourceWithProperties(Subnet, { address_prefixes: ['10.30.1.0/27'] });
    expect(synth()).toHaveResourceWithProperties(NetworkSecurityGroup, { location: 'eastus2' });
    expect(synth()).toHaveResource(ApiManagement);
  });
});

describe('examples/internal-single-region', () => {
  test('Developer, Internal, no public IP, subnet ID exported', () => {
    const doc = JSON.parse(Testing.synth(new InternalSingleRegionStack(Testing.app(), 'internal')));
    expect(doc.resource.azurerm_public_ip).toBeUndefined();
    expect(doc.resource.azurerm_api_management).toBeUndefined();
    expect(Object.values<any>(doc.resource.azurerm_subnet)[0]).toMatchObject({
      address_prefixes: ['10.50.4.0/29'], virtual_network_name: 'vnet-shared-dev', resource_group_name: 'rg-network-dev',
    });
    const nsg = Object.values<any>(doc.resource.azurerm_network_security_group)[0];
    expect(nsg.security_rule.filter((r: any) => r.direction === 'Inbound' && r.source_address_prefix === 'Internet')).toEqual([]);
    expect(Object.keys(doc.output)).toHaveLength(1);
  });
});

describe('npx cdktf synth at the root', () => {
  test('runs the multi-region example, writes cdktf.out with the reports, exits 0', () => {
    const root = path.join(__dirname, '..');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-synth-'));
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), 'synth', '--output', out], {
      cwd: root, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', TF_CLI_CONFIG_FILE: '' }, timeout: 120_000,
    });
    expect(result.stderr + result.stdout).not.toMatch(/\[APIM-/);
    expect(result.status).toBe(0);
    const stackDir = path.join(out, 'stacks', 'apim-network-multi-region');
    expect(fs.existsSync(path.join(stackDir, 'cdk.tf.json'))).toBe(true);
    for (const ext of ['json', 'md', 'sarif']) {
      expect(fs.existsSync(path.join(stackDir, `apim-network-checks.${ext}`))).toBe(true);
    }
  });
});
