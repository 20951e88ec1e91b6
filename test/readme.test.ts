import * as fs from 'fs';
import * as path from 'path';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import {
  ApimNetworkChecks, ApimNetworkSecurityGroup, ApimNetworkTesting, ApimSku, ApimSubnet, ApimVirtualNetworkType, MultiRegionApimNetwork,
  NsgAccess, NsgDirection, NsgProtocol,
} from '../lib';
import { CHECKS, renderRuleTable, RULES } from '../lib/checks/catalog';
import { brownfield, externalRules } from './checks/brownfield';
import { getTestStack, thrown } from './support/stack';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  test('holds the rule table generated from the catalog (npm run docs)', () => {
    const between = readme.slice(readme.indexOf('<!-- rules:start -->') + '<!-- rules:start -->'.length, readme.indexOf('<!-- rules:end -->'));
    expect(between.trim()).toEqual(renderRuleTable());
  });

  test('shows the two commands', () => {
    expect(readme).toMatch(/npm ci && npx cdktf synth/);
    expect(readme).toMatch(/npm test/);
  });
});

/** The text of the first code block after `heading`, lines joined as the README wraps them. */
function blockAfter(heading: string, language = ''): string {
  const from = readme.indexOf(heading);
  const fence = `\`\`\`${language}\n`;
  const start = readme.indexOf(fence, from) + fence.length;
  return readme.slice(start, readme.indexOf('\n```', start));
}

describe('README: Errors', () => {
  const error = thrown(() => {
    const stack = getTestStack();
    const nsg = new ApimNetworkSecurityGroup(stack, 'nsg', { resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: ApimVirtualNetworkType.INTERNAL });
    new ApimSubnet(stack, 'subnet', {
      resourceGroupName: 'rg', location: 'westeurope', virtualNetworkName: 'vnet', addressPrefix: '10.0.1.0/28',
      virtualNetworkType: ApimVirtualNetworkType.INTERNAL, sku: ApimSku.PREMIUM, capacity: 6, networkSecurityGroup: nsg,
    });
  });

  test('the example message is the one the library gives', () => {
    expect(blockAfter('\n## Errors\n').split('\n').join(' ')).toBe(error.message);
  });

  test('the Python snippet\'s pattern reads the code from the message', () => {
    const pattern = /re\.match\(r"([^"]+)"/.exec(blockAfter('\n## Errors\n', 'python'))![1];
    expect(new RegExp(`^${pattern}`).exec(error.message)?.[1]).toBe('SUBNET_TOO_SMALL_FOR_CAPACITY');
  });
});

// The README's main.ts, built from the sources (test/consumer builds the file itself, with the packed package).
function platformStack(suppress: (stack: any, network: MultiRegionApimNetwork) => void = () => undefined, existingAddressSpace?: string[]) {
  const stack = getTestStack('platform');
  const network = new MultiRegionApimNetwork(stack, 'network', {
    virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg-contoso-apim',
    regions: [
      { location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27', capacity: 2, zones: ['1', '2'] },
      { location: 'northeurope', virtualNetworkName: 'vnet-hub-neu', virtualNetworkResourceGroupName: 'rg-hub', subnetAddressPrefix: '10.20.4.0/27', existingAddressSpace },
    ],
  });
  network.connect(new ApiManagement(stack, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg-contoso-apim',
    publisherName: 'Contoso', publisherEmail: 'api-team@contoso.example', skuName: 'Premium_2',
  }));
  suppress(stack, network);
  return stack;
}
const ids = (stack: any) => ApimNetworkTesting.findings(stack).map((f) => `${f.ruleId}${f.detail ? `[${f.detail}]` : ''}`).sort();
const reason = 'vnet-hub-neu is in northeurope (network team, ADR-7)';

describe('README: Use it in your platform repository', () => {
  test('suppressing the existing network\'s warnings on the stack silences them', () => {
    expect(ids(platformStack())).toEqual(['APIM-UNKNOWN[APIM-LOCATION]', 'APIM-UNKNOWN[APIM-SUBNET-PREFIX]', 'APIM-UNKNOWN[APIM-SUBSCRIPTION]']);
    expect(ids(platformStack((stack) => {
      for (const rule of ['APIM-LOCATION', 'APIM-SUBNET-PREFIX', 'APIM-SUBSCRIPTION']) {
        ApimNetworkChecks.suppress(stack, `APIM-UNKNOWN[${rule}]`, reason);
      }
    }))).toEqual([]);
  });

  test('the README\'s steps: existingAddressSpace takes the first warning away, its snippet suppresses the other two on the network', () => {
    const snippet = blockAfter('suppress the other two with a reason on the network', 'ts');
    const rules = [...snippet.matchAll(/'(APIM-[A-Z-]+)'/g)].map((m) => m[1]);
    const why = /'([^']+)'\);/.exec(snippet)![1];
    expect(rules).toEqual(['APIM-LOCATION', 'APIM-SUBSCRIPTION']);
    expect(ids(platformStack(() => undefined, ['10.20.0.0/16']))).toEqual(['APIM-UNKNOWN[APIM-LOCATION]', 'APIM-UNKNOWN[APIM-SUBSCRIPTION]']);
    expect(ids(platformStack((_stack, network) => {
      for (const rule of rules) {
        ApimNetworkChecks.suppress(network, `APIM-UNKNOWN[${rule}]`, why);
      }
    }, ['10.20.0.0/16']))).toEqual([]);
  });

  test('with existingAddressSpace, a suppression of APIM-UNKNOWN[APIM-SUBNET-PREFIX] is unused, as the README says', () => {
    expect(ids(platformStack((_stack, network) => {
      for (const rule of ['APIM-LOCATION', 'APIM-SUBNET-PREFIX', 'APIM-SUBSCRIPTION']) {
        ApimNetworkChecks.suppress(network, `APIM-UNKNOWN[${rule}]`, reason);
      }
    }, ['10.20.0.0/16']))).toEqual(['APIM-SUPPRESSION-UNUSED[APIM-UNKNOWN[APIM-SUBNET-PREFIX]]']);
  });
});

describe('README: ApimNetworkChecks', () => {
  test('the example message is the one the checks give for an NSG without the management rule', () => {
    const { stack } = brownfield({ rules: externalRules().filter((r) => r.name !== 'management') });
    const example = blockAfter('\n## ApimNetworkChecks').split('\n').join(' ');
    expect(ApimNetworkTesting.errors(stack).map((f) => f.text)).toEqual([example]);
  });

  test('the suppression examples silence the findings they name, on the NSG and on the App', () => {
    const calls = [...blockAfter('\n### Suppressions\n', 'ts').matchAll(/ApimNetworkChecks\.suppress\((\w+), '([^']+)',\s*'([^']+)'\)/g)];
    expect(calls.map((c) => c[1])).toEqual(['nsg', 'app']);
    const [[, , onNsg, nsgReason], [, , onApp, appReason]] = calls;
    // The NSG's AzureMonitor rule lacks 443: Azure's AllowInternetOutBound lets it through (APIM-NSG-IMPLICIT).
    const { stack, nsg } = brownfield({
      rules: externalRules().map((r) => (r.name === 'monitor' ? { ...r, destinationPortRanges: ['1886'] } : r)),
    });
    expect(ids(stack)).toEqual([onNsg]);
    ApimNetworkChecks.suppress(nsg, onNsg, nsgReason);
    expect(ids(stack)).toEqual([]);
    expect(onApp).toBe('APIM-UNKNOWN[APIM-SUBNET-PREFIX]');
    const other = platformStack((s) => ApimNetworkChecks.suppress(s.node.root, onApp, appReason));
    expect(ids(other)).toEqual(['APIM-UNKNOWN[APIM-LOCATION]', 'APIM-UNKNOWN[APIM-SUBSCRIPTION]']);
  });
});

describe('rule catalog', () => {
  test('has exactly the ids of design/RULES.md, with their levels, and the ids added since (CHANGELOG, Added)', () => {
    // Added after RULES.md revision 2, each the twin of APIM-NSG-MIXED for a documented provider conflict: APIM-ROUTE-MIXED
    // (inline routes and azurerm_route on one table).
    expect(RULES.map((r) => `${r.id}:${r.level}`)).toEqual([
      'APIM-SKU-VNET:error', 'APIM-SKU-PREMIUM-FEATURE:error', 'APIM-VNET-CONFIG:error', 'APIM-LOCATION:error',
      'APIM-LOCATION-UNIQUE:error', 'APIM-SUBSCRIPTION:error', 'APIM-ZONES-CAPACITY:error',
      'APIM-LOCATION-UNKNOWN:warning', 'APIM-ZONES-REGION:error', 'APIM-NOT-CONNECTED:warning',
      'APIM-SUBNET-DELEGATION:error', 'APIM-SUBNET-NSG:error', 'APIM-SUBNET-SIZE:error', 'APIM-SUBNET-HEADROOM:warning',
      'APIM-SUBNET-PREFIX:error', 'APIM-SUBNET-MIXED:error',
      'APIM-NSG-REQUIRED:error', 'APIM-NSG-SHADOWED:error', 'APIM-NSG-IMPLICIT:warning', 'APIM-NSG-NEARMISS:warning', 'APIM-NSG-EXPOSED:error',
      'APIM-NSG-INTERNAL-PUBLIC:warning', 'APIM-NSG-PRIORITY:error', 'APIM-NSG-MIXED:error', 'APIM-NSG-TAG-IN-LIST:error',
      'APIM-NSG-REGIONAL-TAG:warning',
      'APIM-PIP-SKU:error', 'APIM-PIP-ALLOCATION:error', 'APIM-PIP-VERSION:error', 'APIM-PIP-DNS-LABEL:error',
      'APIM-PIP-ZONES:error', 'APIM-PIP-ROUTING:warning', 'APIM-PIP-FOR-ZONES:warning',
      'APIM-ROUTE-MANAGEMENT:error', 'APIM-ROUTE-MIXED:error', 'APIM-ROUTE-CLIENTS:warning', 'APIM-ROUTE-ENDPOINTS:warning', 'APIM-ROUTE-SQL-SECONDARY:warning',
      'APIM-DNS-APEX:error', 'APIM-DNS-INTERNAL:warning',
      'APIM-UNKNOWN:warning', 'APIM-SUPPRESSION-UNUSED:warning',
    ]);
  });

  test('every rule but the meta rules has an implementation; no id contains "::"', () => {
    expect(CHECKS.filter((r) => r.check !== undefined).map((r) => r.id)).toEqual(RULES.filter((r) => r.area !== 'meta').map((r) => r.id));
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    expect(RULES.every((r) => !r.id.includes('::') && r.source.startsWith('https://'))).toBe(true);
  });
});

describe('README: ApimNetworkSecurityGroup examples, connected', () => {
  /** The props of the README's `new ApimNetworkSecurityGroup(this, '<id>', {...})` block, read as the example writes them. */
  function example(id: string): Record<string, any> {
    const start = readme.indexOf(`new ApimNetworkSecurityGroup(this, '${id}', {`);
    const body = readme.slice(readme.indexOf('{', start), readme.indexOf('\n});', start) + 2);
    // The example is TypeScript: evaluate it with the enums it names.
    return new Function('ApimVirtualNetworkType', 'NsgDirection', 'NsgAccess', 'NsgProtocol', `return (${body});`)(
      ApimVirtualNetworkType, NsgDirection, NsgAccess, NsgProtocol);
  }

  function connectedFindings(nsgProps: Record<string, any>): string[] {
    const { location, virtualNetworkType, resourceGroupName: _rg, ...nsg } = nsgProps;
    const stack = getTestStack();
    const network = new MultiRegionApimNetwork(stack, 'network', {
      virtualNetworkType, apiManagementName: 'contoso-apim', resourceGroupName: 'rg-apim',
      regions: [{ location, addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27' }], networkSecurityGroup: nsg,
    });
    network.connect(new ApiManagement(stack, 'apim', {
      name: 'contoso-apim', location, resourceGroupName: 'rg-apim', publisherName: 'Contoso', publisherEmail: 'a@contoso.example', skuName: 'Premium_1',
    }));
    return ids(stack);
  }

  test('the block list denies the client port only, and a connected network with it has no finding', () => {
    const props = example('nsg-blocklist');
    expect(props.rules.map((r: any) => [r.access, r.destinationPortRange])).toEqual([['Deny', '443']]);
    expect(() => new ApimNetworkSecurityGroup(getTestStack(), 'nsg', props as any)).not.toThrow();
    expect(connectedFindings(props)).toEqual([]);
  });
});
