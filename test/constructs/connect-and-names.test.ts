/**
 * connect() (defects 10, 12, 16), names two constructs of a stack would both take (defect 10), and the building blocks'
 * placement props (defect 13).
 */
import { ApiManagement, ApiManagementConfig } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import {
  ApimNetworkError, ApimNetworkSecurityGroup, ApimPublicIp, ApimRegionalNetwork, ApimServiceEndpoints, ApimVirtualNetworkType,
  MultiRegionApimNetwork, MultiRegionApimNetworkProps,
} from '../../lib';
import { getTestStack, synthObject, thrown, warningsOf } from '../support/stack';

const { EXTERNAL } = ApimVirtualNetworkType;

function props(extra: Partial<MultiRegionApimNetworkProps> = {}): MultiRegionApimNetworkProps {
  return {
    virtualNetworkType: EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
    regions: [{ location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27' }], ...extra,
  };
}
function apimOf(stack: TerraformStack, extra: Partial<ApiManagementConfig> = {}, id = 'apim'): ApiManagement {
  return new ApiManagement(stack, id, {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'a@contoso.example', skuName: 'Premium_1', ...extra,
  });
}
const problems = (error: ApimNetworkError) => error.problems.map((p) => `${p.code} ${p.prop}`);

describe('connect() is atomic (defect 12)', () => {
  test('a refused connect() leaves the network unconnected: the next connect() of a real instance works', () => {
    const stack = getTestStack();
    const network = new MultiRegionApimNetwork(stack, 'network', props());
    const error = thrown(() => network.connect({ putAdditionalLocation() {}, node: { path: 'fake' } } as any));
    expect(problems(error)).toEqual(['INVALID_TYPE connect(apim)']);
    const apim = apimOf(stack);
    expect(() => network.connect(apim)).not.toThrow();
    expect(synthObject(stack).resource.azurerm_api_management.apim.virtual_network_type).toBe('External');
  });

  test('a connect() refused for a mismatch leaves the instance untouched', () => {
    const stack = getTestStack();
    const network = new MultiRegionApimNetwork(stack, 'network', props());
    const apim = apimOf(stack, { location: 'northeurope' });
    thrown(() => network.connect(apim));
    const written = synthObject(stack).resource.azurerm_api_management.apim;
    expect([written.virtual_network_type, written.virtual_network_configuration, written.depends_on]).toEqual([undefined, undefined, undefined]);
  });

  test('an ApiManagement of another App is refused', () => {
    const network = new MultiRegionApimNetwork(getTestStack(), 'network', props());
    const other = getTestStack('other');
    const error = thrown(() => network.connect(apimOf(other)));
    expect(problems(error)).toEqual(['APIM_MISMATCH connect(other/apim)']);
    expect(error.message).toMatch(/connect\(other\/apim\) "\(an ApiManagement of another App\)": a network and its instance must be synthesized in one App/);
  });

  test('connect(undefined) says no ApiManagement was given', () => {
    const error = thrown(() => new MultiRegionApimNetwork(getTestStack(), 'network', props()).connect(undefined as any));
    expect(error.message).toBe('[INVALID_TYPE] test/network: connect(apim) (missing): no ApiManagement was given; pass the ApiManagement from @cdktf/provider-azurerm/lib/api-management');
  });
});

describe('one APIM instance, one network (defect 16)', () => {
  test('a second network connecting the same instance names the first and shows no raw token', () => {
    const stack = getTestStack();
    const first = new MultiRegionApimNetwork(stack, 'first', props());
    const second = new MultiRegionApimNetwork(stack, 'second', props({
      apiManagementName: 'contoso-apim', resourceGroupName: 'rg-second',
      regions: [{ location: 'westeurope', addressSpace: ['10.20.0.0/16'], subnetAddressPrefix: '10.20.1.0/27', publicIp: { domainNameLabel: 'contoso-apim-second' } }],
    }));
    const apim = apimOf(stack);
    first.connect(apim);
    const error = thrown(() => second.connect(apim));
    expect(error.message).toBe('[APIM_MISMATCH] test/second: connect(test/apim) "test/first": the APIM instance is already connected to the network test/first; '
      + 'connect an instance to one network: one MultiRegionApimNetwork holds all of its locations');
    expect(error.message).not.toMatch(/TfToken/);
  });
});

describe('connect() and the APIM name (defect 10)', () => {
  test('an instance whose name is not apiManagementName is refused', () => {
    const stack = getTestStack();
    const network = new MultiRegionApimNetwork(stack, 'network', props());
    const error = thrown(() => network.connect(apimOf(stack, { name: 'fabrikam-apim' })));
    expect(problems(error)).toEqual(['APIM_MISMATCH connect(test/apim).name']);
    expect(error.message).toMatch(/built for the APIM instance "contoso-apim" \(apiManagementName\): its default resource names and public IP DNS labels derive from that name/);
  });

  test('the same name in other letter case is the same instance (Azure compares names case-insensitively)', () => {
    const stack = getTestStack();
    expect(() => new MultiRegionApimNetwork(stack, 'network', props()).connect(apimOf(stack, { name: 'Contoso-APIM' }))).not.toThrow();
  });
});

describe('two constructs that would create resources of the same name (defect 10)', () => {
  const onHub = (extra: Partial<MultiRegionApimNetworkProps> = {}) => props({
    regions: [{ location: 'westeurope', virtualNetworkName: 'vnet-hub', existingAddressSpace: ['10.50.0.0/16'], subnetAddressPrefix: '10.50.1.0/27' }], ...extra,
  });

  test('two networks for one APIM name on one existing virtual network: the second is refused, naming the first', () => {
    const stack = getTestStack();
    new MultiRegionApimNetwork(stack, 'blue', onHub());
    const error = thrown(() => new MultiRegionApimNetwork(stack, 'green', onHub({
      regions: [{ location: 'westeurope', virtualNetworkName: 'vnet-hub', existingAddressSpace: ['10.50.0.0/16'], subnetAddressPrefix: '10.50.2.0/27' }],
    })));
    expect(new Set(problems(error))).toEqual(new Set(['NAME_CONFLICT apiManagementName']));
    expect(error.message).toMatch(/the subnet "snet-contoso-apim" \(a default name, from apiManagementName\) in resource group "rg", virtual network "vnet-hub" is already created by test\/blue/);
    expect(error.message).toMatch(/the network security group "nsg-contoso-apim-westeurope"/);
    expect(error.message).toMatch(/the public IP DNS label "contoso-apim" .* in region "westeurope"/);
    expect(stack.node.tryFindChild('green')).toBeUndefined();
  });

  test('another apiManagementName, or another resource group and label, is fine', () => {
    const stack = getTestStack();
    new MultiRegionApimNetwork(stack, 'blue', onHub());
    expect(() => new MultiRegionApimNetwork(stack, 'green', onHub({ apiManagementName: 'contoso-apim-2' }))).not.toThrow();
  });

  test('a construct that was refused claims nothing', () => {
    const stack = getTestStack();
    thrown(() => new MultiRegionApimNetwork(stack, 'blue', onHub({ sku: 'Standard' as any })));
    expect(() => new MultiRegionApimNetwork(stack, 'green', onHub())).not.toThrow();
  });

  test('building blocks too: two public IPs with one DNS label in one region', () => {
    const stack = getTestStack();
    new ApimPublicIp(stack, 'a', { resourceGroupName: 'rg', location: 'westeurope', apiManagementName: 'contoso-apim' });
    const error = thrown(() => new ApimPublicIp(stack, 'b', { resourceGroupName: 'rg-b', location: 'westeurope', domainNameLabel: 'contoso-apim', name: 'pip-b' }));
    expect(problems(error)).toEqual(['NAME_CONFLICT domainNameLabel']);
  });

  test('different stacks are different deployments: not compared', () => {
    const app = Testing.app();
    for (const id of ['a', 'b']) {
      const stack = new TerraformStack(app, id);
      new AzurermProvider(stack, 'azurerm', { features: [{}] });
      expect(() => new MultiRegionApimNetwork(stack, 'network', onHub())).not.toThrow();
    }
  });
});

describe('the building blocks check their placement props like the composite (defect 13)', () => {
  const regional = (extra: Record<string, unknown>, stack = getTestStack()) => new ApimRegionalNetwork(stack, 'r', {
    resourceGroupName: 'rg', apiManagementName: 'contoso', virtualNetworkType: EXTERNAL, location: 'northeurope',
    addressSpace: ['10.0.0.0/16'], subnetAddressPrefix: '10.0.1.0/27', ...extra,
  });

  test('a primaryLocation typo is a warning naming the closest region; the NSG keeps the global tags', () => {
    const stack = getTestStack();
    regional({ primaryLocation: 'westeurop', networkSecurityGroup: { regionalServiceTags: true } }, stack);
    expect(warningsOf(stack).join('\n')).toMatch(/primaryLocation "westeurop": "westeurop" is not a region this library lists \(did you mean "westeurope"\?\)/);
  });

  test('regionalServiceTags falling back to the global tags for an unlisted primaryLocation is a warning (review 6, finding 3)', () => {
    const stack = getTestStack();
    regional({ primaryLocation: 'westeuropa', networkSecurityGroup: { regionalServiceTags: true } }, stack);
    const warnings = warningsOf(stack).join('\n');
    expect(warnings).toMatch(/networkSecurityGroup\.regionalServiceTags true: the NSG of northeurope uses the global Storage and Sql tags, not regional ones: the primary location "westeuropa" is not a region/);
    const nsg = new ApimNetworkSecurityGroup(stack, 'nsg', { resourceGroupName: 'rg', name: 'nsg-2', location: 'northeurope', primaryLocation: 'denmarkeast', virtualNetworkType: EXTERNAL, regionalServiceTags: true });
    expect(warningsOf(nsg).join('\n')).toMatch(/regionalServiceTags true: the NSG of northeurope uses the global Storage and Sql tags, not regional ones: the primary location "denmarkeast"/);
    const multi = getTestStack();
    new MultiRegionApimNetwork(multi, 'n', props({ networkSecurityGroup: { regionalServiceTags: true },
      regions: [{ location: 'westeuropa', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27' }, { location: 'northeurope', addressSpace: ['10.11.0.0/16'], subnetAddressPrefix: '10.11.1.0/27' }] }));
    expect(warningsOf(multi).join('\n')).toMatch(/the NSG of northeurope uses the global Storage and Sql tags, not regional ones: the primary location "westeuropa"/);
    const listed = getTestStack();
    regional({ primaryLocation: 'westeurope', networkSecurityGroup: { regionalServiceTags: true } }, listed);
    expect(warningsOf(listed).join('\n')).not.toMatch(/global Storage/);
  });

  test('multiRegion false with a primary elsewhere is refused', () => {
    const error = thrown(() => regional({ primaryLocation: 'westeurope', multiRegion: false }));
    expect(problems(error)).toEqual(['CONFLICTING_PROPS multiRegion']);
  });

  test('a primary elsewhere makes the instance multi-region by default: the Traffic Manager rule is there', () => {
    const stack = getTestStack();
    const r = regional({ primaryLocation: 'westeurope' }, stack);
    expect(r.networkSecurityGroup.multiRegion).toBe(true);
    expect(r.networkSecurityGroup.ruleNames).toContain('apim-traffic-manager');
    const nsg = new ApimNetworkSecurityGroup(stack, 'nsg', { resourceGroupName: 'rg', name: 'nsg-2', location: 'northeurope', primaryLocation: 'westeurope', virtualNetworkType: EXTERNAL });
    expect(nsg.multiRegion).toBe(true);
  });

  test('ApimServiceEndpoints.forLocation without primaryLocation takes the location as the primary (documented)', () => {
    expect(ApimServiceEndpoints.forLocation({ location: 'northeurope', forcedTunnelling: true }).endpoints).toContain('Microsoft.Sql');
    expect(ApimServiceEndpoints.forLocation({ location: 'northeurope', primaryLocation: 'westeurope', forcedTunnelling: true }).endpoints).not.toContain('Microsoft.Sql');
  });
});
