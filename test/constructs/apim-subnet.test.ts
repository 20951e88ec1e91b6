import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  ApimNetworkChecks, ApimNetworkError, ApimNetworkErrorCode, ApimNetworkSecurityGroup, ApimServiceEndpoints, ApimSku, ApimSubnet, ApimSubnetProps,
  ApimVirtualNetworkType,
} from '../../lib';
import { getTestStack, onlyResource, synthObject, thrown } from '../support/stack';

const { EXTERNAL, INTERNAL } = ApimVirtualNetworkType;

function nsgOf(stack: TerraformStack, mode = EXTERNAL, location = 'westeurope') {
  // Each NSG of a test stack gets its own Azure name: two with the default name in one resource group would clash.
  const name = mode === EXTERNAL && location === 'westeurope' ? undefined : `nsg-${mode}-${location}`;
  return new ApimNetworkSecurityGroup(stack, `nsg-${mode}-${location}`, { resourceGroupName: 'rg', location, virtualNetworkType: mode, name });
}

function build(props: Partial<ApimSubnetProps> = {}, stack = getTestStack()) {
  const subnet = new ApimSubnet(stack, 'subnet', {
    resourceGroupName: 'rg', location: 'westeurope', virtualNetworkName: 'vnet-apim', addressPrefix: '10.0.1.0/27',
    virtualNetworkType: EXTERNAL, networkSecurityGroup: props.networkSecurityGroupId ? undefined : nsgOf(stack, props.virtualNetworkType ?? EXTERNAL),
    ...props,
  });
  return { stack, subnet };
}

describe('ApimSubnet', () => {
  test('snapshot', () => {
    const stack = getTestStack();
    const endpoints = ApimServiceEndpoints.forLocation({ location: 'westeurope', forcedTunnelling: true });
    build({ capacity: 3, serviceEndpoints: endpoints }, stack);
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  test('no delegation, one IPv4 prefix, associated with the NSG', () => {
    const { stack } = build();
    const doc = synthObject(stack);
    const subnet = onlyResource(doc, 'azurerm_subnet');
    expect(subnet.delegation).toBeUndefined();
    expect(subnet.address_prefixes).toEqual(['10.0.1.0/27']);
    expect(subnet.name).toBe('snet-apim');
    const association = onlyResource(doc, 'azurerm_subnet_network_security_group_association');
    const [nsgName] = Object.keys(doc.resource.azurerm_network_security_group);
    const [subnetName] = Object.keys(doc.resource.azurerm_subnet);
    expect(association).toEqual({
      network_security_group_id: `\${azurerm_network_security_group.${nsgName}.id}`,
      subnet_id: `\${azurerm_subnet.${subnetName}.id}`,
    });
    expect(Testing.synth(stack)).toHaveResource(SubnetNetworkSecurityGroupAssociation);
  });

  test('associates an NSG given by ID', () => {
    const { stack } = build({ networkSecurityGroupId: '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/mine' });
    expect(onlyResource(synthObject(stack), 'azurerm_subnet_network_security_group_association').network_security_group_id)
      .toBe('/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/mine');
  });

  test('takes the endpoints ApimServiceEndpoints decided', () => {
    const stack = getTestStack();
    const endpoints = ApimServiceEndpoints.forLocation({ location: 'westeurope', primaryLocation: 'northeurope', forcedTunnelling: true });
    build({ serviceEndpoints: endpoints }, stack);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Subnet, {
      service_endpoints: ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Storage'],
    });
  });

  test.each([
    [ApimSku.PREMIUM, 13, INTERNAL, '10.0.1.0/27'],
    [ApimSku.PREMIUM, 1, INTERNAL, '10.0.1.0/29'],
    [ApimSku.DEVELOPER, 1, INTERNAL, '10.0.1.0/29'],
    [ApimSku.PREMIUM, 31, EXTERNAL, '10.0.0.0/25'],
  ])('%s x%i in %s mode fits %s', (sku, capacity, mode, addressPrefix) => {
    expect(() => build({ sku, capacity, virtualNetworkType: mode, addressPrefix })).not.toThrow();
  });

  describe('bad input is refused when the construct is created', () => {
    test.each<[string, Partial<ApimSubnetProps>, ApimNetworkErrorCode, RegExp]>([
      ['malformed CIDR', { addressPrefix: '10.0.1/27' }, ApimNetworkErrorCode.INVALID_CIDR, /addressPrefix "10.0.1\/27": it is not an IPv4 CIDR: "10.0.1" is not an IPv4 address/],
      ['missing prefix length', { addressPrefix: '10.0.1.0' }, ApimNetworkErrorCode.INVALID_CIDR, /did you mean "10.0.1.0\/32"\?/],
      ['IPv6 prefix', { addressPrefix: 'fd00:db8::/64' }, ApimNetworkErrorCode.IPV6_NOT_SUPPORTED, /addressPrefix "fd00:db8::\/64": it is an IPv6 prefix/],
      ['host bits set', { addressPrefix: '10.0.1.5/27' }, ApimNetworkErrorCode.CIDR_HOST_BITS, /did you mean "10.0.1.0\/27"\?/],
      ['prefix smaller than /29', { addressPrefix: '10.0.1.0/30' }, ApimNetworkErrorCode.SUBNET_TOO_SMALL, /addressPrefix "10.0.1.0\/30": a \/30 is smaller than APIM's minimum \/29; use a \/29 or larger prefix/],
      ['/32', { addressPrefix: '10.0.1.7/32' }, ApimNetworkErrorCode.SUBNET_TOO_SMALL, /a \/32 is smaller/],
      ['too small for capacity and mode', { addressPrefix: '10.0.1.0/28', capacity: 6, virtualNetworkType: INTERNAL },
        ApimNetworkErrorCode.SUBNET_TOO_SMALL_FOR_CAPACITY, /addressPrefix "10.0.1.0\/28": Premium with capacity 6 in Internal mode needs 13 addresses, a \/28 has 11 usable/],
      ['too small for capacity (External)', { addressPrefix: '10.0.1.0/28', capacity: 6 },
        ApimNetworkErrorCode.SUBNET_TOO_SMALL_FOR_CAPACITY, /needs 12 addresses, a \/28 has 11 usable \(after Azure's 5 reserved\); use a \/27 or larger prefix, or at most capacity 5/],
      ['capacity 0', { capacity: 0 }, ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE, /capacity 0: it is outside 1-31/],
      ['capacity above 31', { capacity: 32, addressPrefix: '10.0.0.0/24' }, ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE, /capacity 32: it is outside 1-31/],
      ['Developer with capacity above 1', { sku: ApimSku.DEVELOPER, capacity: 2 }, ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE, /capacity 2: the Developer tier has exactly one unit/],
      ['capacity as a string', { capacity: '2' as any }, ApimNetworkErrorCode.INVALID_TYPE, /capacity "2": it is a string, not a number/],
      ['no NSG', { networkSecurityGroup: undefined, networkSecurityGroupId: undefined }, ApimNetworkErrorCode.CONFLICTING_PROPS, /neither is given: APIM requires an NSG/],
      ['bad subnet name', { name: 'snet apim' }, ApimNetworkErrorCode.INVALID_NAME, /name "snet apim"/],
    ])('%s', (_name, props, code, message) => {
      const stack = getTestStack();
      const nsg = nsgOf(stack, props.virtualNetworkType ?? EXTERNAL);
      const error = thrown(() => new ApimSubnet(stack, 'subnet', {
        resourceGroupName: 'rg', location: 'westeurope', virtualNetworkName: 'vnet', addressPrefix: '10.0.1.0/27',
        virtualNetworkType: EXTERNAL, networkSecurityGroup: nsg, ...props,
      }));
      expect(error).toBeInstanceOf(ApimNetworkError);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/^\[[A-Z0-9_]+\] test\/subnet: /);
      expect(error.message).toMatch(message);
      expect(stack.node.tryFindChild('subnet')).toBeUndefined();
    });

    test('an NSG for the other mode or location is refused', () => {
      const stack = getTestStack();
      expect(thrown(() => build({ networkSecurityGroup: nsgOf(stack, INTERNAL) }, stack)).message)
        .toMatch(/the NSG carries the rules for Internal mode, the subnet is for External mode/);
      const stack2 = getTestStack();
      expect(thrown(() => build({ networkSecurityGroup: nsgOf(stack2, EXTERNAL, 'northeurope') }, stack2)).message)
        .toMatch(/the NSG is in northeurope, the subnet in westeurope/);
    });

    test('every problem is listed in one error', () => {
      const error = thrown(() => build({ addressPrefix: '10.0.1.0/30', capacity: 0, location: '' }));
      expect(error.problems.map((p: any) => p.code)).toEqual([
        ApimNetworkErrorCode.MISSING_PROP, ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE, ApimNetworkErrorCode.SUBNET_TOO_SMALL,
      ]);
      expect(error.message).toMatch(/3 problems/);
    });
  });
});

describe('ApimSubnet (0.2.0)', () => {
  test('an existing network\'s address space: the prefix is checked against it and recorded in the marker, with the location', () => {
    const stack = getTestStack();
    build({ networkSecurityGroupId: 'nsg-id', virtualNetworkAddressSpace: ['10.0.0.0/16'] }, stack);
    const marker = Object.values<any>(stack.toTerraform().resource.azurerm_subnet)[0]['//'].apim_network;
    expect(marker).toEqual({
      version: 1, role: 'subnet', mode: 'External', sku: 'Premium', capacity: 1, multi_region: false, primary_location: 'westeurope',
      location: 'westeurope', virtual_network_address_space: ['10.0.0.0/16'],
    });
    const error = thrown(() => build({ networkSecurityGroupId: 'nsg-id', virtualNetworkAddressSpace: ['10.9.0.0/16'] }));
    expect(error.problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual(['SUBNET_OUTSIDE_ADDRESS_SPACE addressPrefix']);
  });

  test('registers the checks on its stack (point 10); checks: false opts out', () => {
    const { stack } = build();
    expect(ApimNetworkChecks.isRegistered(stack)).toBe(true);
    expect(ApimNetworkChecks.isRegistered(build({ checks: false }).stack)).toBe(false);
  });

  test('names and the virtual network may be references; a name Azure refuses is an error', () => {
    const stack = getTestStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' }).stringValue;
    build({ name, virtualNetworkName: name }, stack);
    expect(onlyResource(synthObject(stack), 'azurerm_subnet')).toMatchObject({ name: '${var.name}', virtual_network_name: '${var.name}' });
    expect(thrown(() => build({ name: 'snet-' })).message).toMatch(/name "snet-": it is not a valid subnet name: it ends with "-"/);
  });
});
