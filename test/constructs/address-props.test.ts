/**
 * The gateway's clients (defect 3) and address spaces (defect 11): the same prefix validator as NSG rules.
 */
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ApimNetworkTesting, ApimSubnet, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';
import { getEnforcingStack, getTestStack, thrown, warningsOf } from '../support/stack';

const { EXTERNAL } = ApimVirtualNetworkType;

function network(extra: Record<string, unknown>, stack = getTestStack()): MultiRegionApimNetwork {
  return new MultiRegionApimNetwork(stack, 'network', {
    virtualNetworkType: EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
    regions: [{ location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27' }], ...extra,
  } as any);
}
const clients = (list: unknown[]) => network({ networkSecurityGroup: { clientAddressPrefixes: list } });
const problems = (error: any) => error.problems.map((p: any) => `${p.code} ${p.prop}`);

describe('clientAddressPrefixes (defect 3)', () => {
  test.each<[string, unknown[], string, RegExp]>([
    ['a tag typo', ['AzureFrontDoor.Backendd'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /did you mean "AzureFrontDoor.Backend"/],
    ['a fragment of a tag', ['FrontDoor'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /AzureFrontDoor.Backend/],
    ['a tag in the wrong case', ['azurefrontdoor.backend'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /write it as "AzureFrontDoor.Backend"/],
    ['leading whitespace', [' 203.0.113.0/24'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /whitespace/],
    ['host bits', ['203.0.113.5/24'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /did you mean "203.0.113.0\/24"/],
    ['a range listed twice', ['203.0.113.0/24', '203.0.113.0/24'], 'DUPLICATE_VALUE networkSecurityGroup.clientAddressPrefixes[1]', /listed twice/],
    ['ApiManagement', ['ApiManagement'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /not a client of the gateway: ApiManagement is the management plane/],
    ['AzureLoadBalancer', ['AzureLoadBalancer'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /health probe/],
    ['AzureTrafficManager', ['AzureTrafficManager'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /Traffic Manager/],
    ['GatewayManager', ['GatewayManager'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /not a client/],
    ['Storage', ['Storage'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /an Azure service APIM depends on/],
    ['VirtualNetwork', ['VirtualNetwork'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /use Internal mode/],
    ['0.0.0.0/1 and 128.0.0.0/1 (every address)', ['0.0.0.0/1', '128.0.0.0/1'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes', /cover every IPv4 address, like "0.0.0.0\/0"/],
    ['"0.0.0.0/0"', ['0.0.0.0/0'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes', /like "0.0.0.0\/0"/],
    ['"*"', ['*'], 'NSG_RULE_INVALID networkSecurityGroup.clientAddressPrefixes[0]', /any source/],
    ['an IPv6 range', ['2001:db8::/32'], 'IPV6_NOT_SUPPORTED networkSecurityGroup.clientAddressPrefixes[0]', /IPv4 only/],
  ])('%s is refused', (_name, list, problem, message) => {
    const error = thrown(() => clients(list));
    expect(problems(error)).toContain(problem);
    expect(error.message).toMatch(message);
  });

  test.each<[string, string[]]>([
    ['Front Door', ['AzureFrontDoor.Backend']],
    ['CIDRs and an address', ['203.0.113.0/24', '198.51.100.7']],
    ['Internet, spelled out', ['Internet']],
  ])('%s: accepted, and a connected network synthesizes with no error', (_name, list) => {
    const { app, stack } = getEnforcingStack();
    const n = network({ networkSecurityGroup: { clientAddressPrefixes: list } }, stack);
    n.connect(new ApiManagement(stack, 'apim', {
      name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'a@contoso.example', skuName: 'Premium_1',
    }));
    expect(() => app.synth()).not.toThrow();
    expect(ApimNetworkTesting.errors(stack)).toEqual([]);
  });

  test('a client tag this library does not know is accepted with a warning', () => {
    const stack = getTestStack();
    network({ networkSecurityGroup: { clientAddressPrefixes: ['ContosoEdge2030'] } }, stack);
    expect(warningsOf(stack).join('\n')).toMatch(/clientAddressPrefixes\[0\] "ContosoEdge2030": it is not a service tag this library knows/);
  });
});

describe('address spaces avoid the ranges Azure reserves (defect 11)', () => {
  test.each<[string, string, string]>([
    ['224.0.0.0/8', '224.0.1.0/27', 'multicast'],
    ['127.0.0.0/8', '127.0.1.0/27', 'loopback'],
    ['168.63.129.0/24', '168.63.129.0/27', 'the Azure DNS and health probe address'],
    ['169.254.0.0/16', '169.254.1.0/27', 'link-local'],
    ['0.0.0.0/0', '10.10.1.0/27', 'multicast'],
  ])('addressSpace %s is refused', (space, subnet, what) => {
    const error = thrown(() => network({ regions: [{ location: 'westeurope', addressSpace: [space], subnetAddressPrefix: subnet }] }));
    expect(problems(error)).toContain('INVALID_CIDR regions[0].addressSpace[0]');
    expect(error.message).toContain(what);
  });

  test('existingAddressSpace and an existing network\'s subnet prefix too', () => {
    expect(problems(thrown(() => network({ regions: [{ location: 'westeurope', virtualNetworkName: 'vnet-hub', existingAddressSpace: ['224.0.0.0/16'], subnetAddressPrefix: '224.0.1.0/27' }] }))))
      .toContain('INVALID_CIDR regions[0].existingAddressSpace[0]');
    expect(problems(thrown(() => network({ regions: [{ location: 'westeurope', virtualNetworkName: 'vnet-hub', subnetAddressPrefix: '127.0.1.0/27' }] }))))
      .toEqual(['INVALID_CIDR regions[0].subnetAddressPrefix']);
    expect(problems(thrown(() => new ApimSubnet(getTestStack(), 'subnet', {
      resourceGroupName: 'rg', location: 'westeurope', virtualNetworkName: 'vnet', addressPrefix: '10.0.1.0/27', virtualNetworkType: EXTERNAL,
      networkSecurityGroupId: 'id', virtualNetworkAddressSpace: ['169.254.0.0/16', '10.0.0.0/16'],
    })))).toEqual(['INVALID_CIDR virtualNetworkAddressSpace[0]']);
  });

  test('a range listed twice is a duplicate', () => {
    expect(problems(thrown(() => network({ regions: [{ location: 'westeurope', addressSpace: ['10.10.0.0/16', '10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27' }] }))))
      .toEqual(['DUPLICATE_VALUE regions[0].addressSpace']);
  });
});

describe('pathological lists get a fast, short error (review 6, finding 8)', () => {
  const weu = { location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' };

  test('one address space listed 1,000 times is one problem, naming how often', () => {
    const started = Date.now();
    const error = thrown(() => network({ regions: [{ ...weu, addressSpace: Array.from({ length: 1000 }, () => '10.1.0.0/16') }] }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(problems(error)).toEqual(['DUPLICATE_VALUE regions[0].addressSpace']);
    expect(error.message).toMatch(/10\.1\.0\.0\/16 is listed 1000 times \(regions\[0\]\.addressSpace\[0\], .*, \.\.\.\)/);
  });

  test('twice is still "listed twice"; overlapping different ranges are each pair once', () => {
    expect(thrown(() => network({ regions: [{ ...weu, addressSpace: ['10.1.0.0/16', '10.1.0.0/16'] }] })).message)
      .toContain('10.1.0.0/16 is listed twice (regions[0].addressSpace[0], regions[0].addressSpace[1])');
    const error = thrown(() => network({ regions: [{ ...weu, addressSpace: ['10.1.0.0/16', '10.0.0.0/8', '10.1.0.0/16'] }] }));
    expect(problems(error)).toEqual(['DUPLICATE_VALUE regions[0].addressSpace', 'CONFLICTING_PROPS regions[0].addressSpace']);
    expect(error.message).toContain('10.1.0.0/16 and 10.0.0.0/8 overlap');
  });

  test('one region listed 1,000 times is one problem, refused fast, with no overlap warnings between the copies', () => {
    const started = Date.now();
    const error = thrown(() => network({ regions: Array.from({ length: 1000 }, () => ({ ...weu })) }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(problems(error)).toEqual(['DUPLICATE_VALUE regions[1].location']);
    expect(error.message).toContain('it is the same location as regions[0] ("westeurope"); it is listed 1000 times (also regions[2], regions[3], regions[4], regions[5], ...)');
  });
});
