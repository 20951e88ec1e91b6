import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { App, TerraformStack } from 'cdktf';
import { ApimNetworkTesting } from '../../lib';
import { evaluateDocument } from '../../lib/checks/engine';
import { InternalSingleRegionStack } from '../../examples/internal-single-region/main';
import { MultiRegionExternalStack } from '../../examples/multi-region-external/main';
import { SingleRegionStack } from '../../examples/single-region/main';
import { cli, jsonOf } from './support';

type StackClass = new (scope: App, id: string) => TerraformStack;
const EXAMPLES: Array<[string, StackClass]> = [
  ['multi-region-external', MultiRegionExternalStack],
  ['internal-single-region', InternalSingleRegionStack],
  ['single-region', SingleRegionStack],
];

const key = (f: { ruleId: string; detail?: string; address: string; level: string }) => `${f.level} ${f.ruleId}${f.detail ? `[${f.detail}]` : ''} ${f.address}`;

describe.each(EXAMPLES)('examples/%s, synthesized', (name, Stack) => {
  test('the command on its cdk.tf.json finds what the engine finds on that document (ApimNetworkChecks less the suppressions made in code), with file and line', () => {
    // GIVEN the example's cdk.tf.json, as cdktf synth writes it (with the "//" metadata Testing.synth strips)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `apim-example-${name}-`));
    const app = new App({ outdir: dir });
    const stack = new Stack(app, name);
    app.synth();
    const stackDir = path.join(dir, 'stacks', name);
    // WHEN
    const { code, report } = jsonOf(['check', 'cdk.tf.json'], { cwd: stackDir });
    // THEN the same findings as the engine on the raw document; suppressions made in cdktf code live in the construct
    // tree, not in cdk.tf.json, so the command reports what they would hide
    const raw = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const expected = evaluateDocument(raw).findings.map(key).sort();
    expect(report.findings.map(key).sort()).toEqual(expected);
    const suppressed = new Set(ApimNetworkTesting.evaluate(stack).outcomes.filter((o) => o.outcome === 'suppressed').map((o) => o.address));
    expect(expected.filter((f) => !suppressed.has(f.split(' ')[2]))).toEqual(ApimNetworkTesting.findings(stack).map(key).sort());
    expect(code).toBe(expected.some((f) => f.startsWith('error')) ? 1 : 0);
    expect(report.summary.apim.subnets + report.summary.apim.nsgs).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f.file).toBe('cdk.tf.json');
      expect(f.line).toBeGreaterThan(1);
    }
  });
});

describe('a cdktf.out folder', () => {
  test('every stack is checked, in one report', () => {
    // GIVEN an app with the three examples, synthesized as cdktf synth does
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-cdktf-out-'));
    const app = new App({ outdir });
    EXAMPLES.forEach(([name, Stack]) => new Stack(app, name));
    app.synth();
    // WHEN
    const { code, report } = jsonOf(['check', outdir]);
    // THEN
    expect(report.inputs).toEqual([expect.objectContaining({ kind: 'cdktf-out' })]);
    expect([...report.inputs[0].documents].sort()).toEqual(EXAMPLES.map(([n]) => n).sort());
    const expected = EXAMPLES.flatMap(([n]) => evaluateDocument(JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', n, 'cdk.tf.json'), 'utf8'))).findings.map(key)).sort();
    expect(report.findings.map(key).sort()).toEqual(expected);
    expect(code).toBe(expected.some((f) => f.startsWith('error')) ? 1 : 0);
    expect(report.summary.apim.subnets).toBeGreaterThanOrEqual(3);
  });

  test('a stack whose network is broken fails the command, pointing into its cdk.tf.json', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-cdktf-out-'));
    const app = new App({ outdir });
    new SingleRegionStack(app, 'good');
    app.synth();
    const file = path.join(outdir, 'stacks', 'good', 'cdk.tf.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    const nsg = Object.values<any>(doc.resource.azurerm_network_security_group)[0];
    nsg.security_rule = nsg.security_rule.map((r: any) => (r.destination_port_range === '3443' ? { ...r, destination_port_range: '3433' } : r));
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    const result = cli(['check', outdir, '--no-color'], { cwd: outdir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/stacks\/good\/cdk\.tf\.json:\d+/);
    expect(result.stdout).toMatch(/APIM-NSG-REQUIRED\[Inbound:ApiManagement:3443\]/);
  });

  test('a cross-stack reference is followed into the other stack: a Basic public IP in "shared" is found from "apim"', () => {
    // GIVEN an APIM instance whose public IP lives in another stack of the same app
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-cross-stack-'));
    const app = new App({ outdir });
    const shared = new TerraformStack(app, 'shared');
    new AzurermProvider(shared, 'azurerm', { features: [{}] });
    const pip = new PublicIp(shared, 'pip', { name: 'pip', location: 'westeurope', resourceGroupName: 'rg', sku: 'Basic', allocationMethod: 'Static', domainNameLabel: 'x' });
    const apim = new TerraformStack(app, 'apim');
    new AzurermProvider(apim, 'azurerm', { features: [{}] });
    new ApiManagement(apim, 'apim', {
      name: 'contoso', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'a@b.example', skuName: 'Premium_1',
      virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s' },
      publicIpAddressId: pip.id,
    });
    app.synth();
    // WHEN the whole cdktf.out is checked, THEN the public IP is judged, and named where it is declared
    const { report } = jsonOf(['check', '.'], { cwd: outdir });
    expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({
      ruleId: 'APIM-PIP-SKU', address: 'azurerm_public_ip.pip', file: 'stacks/shared/cdk.tf.json', input: 'apim', level: 'error',
    })]));
    // WHEN only the apim stack is checked, THEN the same value is remote state: unknown, never a pass
    const alone = jsonOf(['check', 'stacks/apim/cdk.tf.json'], { cwd: outdir }).report;
    expect(alone.findings.filter((f: any) => f.ruleId === 'APIM-PIP-SKU')).toEqual([]);
    expect(alone.findings).toEqual(expect.arrayContaining([expect.objectContaining({ ruleId: 'APIM-UNKNOWN', detail: 'APIM-PIP-SKU' })]));
  });
});
