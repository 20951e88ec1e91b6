import { ApiManagement, ApiManagementConfig } from '@cdktf/provider-azurerm/lib/api-management';
import { TerraformStack, Testing } from 'cdktf';
import {
  ApimNetworkError, ApimNetworkErrorCode, ApimRegionOptions, ApimSku, ApimVirtualNetworkType, MultiRegionApimNetwork,
  MultiRegionApimNetworkProps,
} from '../../lib';
import { getTestStack, resourcesOf, synthObject, thrown } from '../support/stack';

const { EXTERNAL, INTERNAL } = ApimVirtualNetworkType;

export const TEN_LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2', 'uksouth', 'francecentral',
  'germanywestcentral', 'swedencentral', 'japaneast'];

export function regions(count: number, extra: Partial<ApimRegionOptions> = {}): ApimRegionOptions[] {
  return TEN_LOCATIONS.slice(0, count).map((location, i) => ({
    location, addressSpace: [`10.${i + 1}.0.0/16`], subnetAddressPrefix: `10.${i + 1}.1.0/27`, ...extra,
  }));
}

function props(extra: Partial<MultiRegionApimNetworkProps> = {}): MultiRegionApimNetworkProps {
  return {
    virtualNetworkType: EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg', regions: regions(2), ...extra,
  };
}

function build(extra: Partial<MultiRegionApimNetworkProps> = {}, stack: TerraformStack = getTestStack()) {
  return { stack, network: new MultiRegionApimNetwork(stack, 'network', props(extra)) };
}

function apimOf(stack: TerraformStack, extra: Partial<ApiManagementConfig> = {}): ApiManagement {
  return new ApiManagement(stack, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'a@contoso.example',
    skuName: 'Premium_1', ...extra,
  });
}

function warnings(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
}

describe('MultiRegionApimNetwork', () => {
  describe('composition', () => {
    test.each([1, 3, 10])('%i regions: every resource sits in its own location and every additional location points at its own subnet and public IP', (count) => {
      const stack = getTestStack();
      const network = new MultiRegionApimNetwork(stack, 'network', props({ regions: regions(count) }));
      network.connect(apimOf(stack));
      const doc = synthObject(stack);
      expect(network.regions.map((r) => r.location)).toEqual(TEN_LOCATIONS.slice(0, count));
      for (const type of ['azurerm_virtual_network', 'azurerm_network_security_group', 'azurerm_public_ip']) {
        const all = resourcesOf(doc, type);
        expect(all).toHaveLength(count);
        for (const [name, config] of all) {
          const location = TEN_LOCATIONS.find((l) => name.startsWith(`network_${l}_`));
          expect(config.location).toBe(location);
        }
      }
      const subnets = resourcesOf(doc, 'azurerm_subnet');
      expect(subnets).toHaveLength(count);
      const apim = doc.resource.azurerm_api_management.apim;
      const subnetOf = (location: string) => `\${azurerm_subnet.${subnets.find(([n]) => n.startsWith(`network_${location}_`))![0]}.id}`;
      const pipOf = (location: string) => `\${azurerm_public_ip.${resourcesOf(doc, 'azurerm_public_ip').find(([n]) => n.startsWith(`network_${location}_`))![0]}.id}`;
      expect(apim.virtual_network_type).toBe('External');
      expect(apim.virtual_network_configuration).toEqual({ subnet_id: subnetOf('westeurope') });
      expect(apim.public_ip_address_id).toBe(pipOf('westeurope'));
      const additional = apim.additional_location ?? [];
      expect(additional).toHaveLength(count - 1);
      additional.forEach((entry: any, i: number) => {
        const location = TEN_LOCATIONS[i + 1];
        expect(entry).toMatchObject({ location, capacity: 1, virtual_network_configuration: { subnet_id: subnetOf(location) }, public_ip_address_id: pipOf(location) });
      });
    });

    test('exposes regions and primary', () => {
      const { network } = build({ regions: regions(2, { capacity: 2, zones: ['1', '2'] }) });
      expect(network.primary).toBe(network.regions[0]);
      expect(network.primary.isPrimary).toBe(true);
      expect(network.regions[1].isPrimary).toBe(false);
      expect(network.regions[1].zones).toEqual(['1', '2']);
      expect(network.regions[1].capacity).toBe(2);
      expect(network.regions[1].publicIpId).toBeDefined();
      expect(network.regions[1].subnetId).toMatch(/TOKEN/);
    });

    test('each NSG carries the External rules, Traffic Manager inbound with several regions, and regional tags of its own region and the primary', () => {
      const { stack } = build({ regions: regions(2), networkSecurityGroup: { regionalServiceTags: true } });
      const doc = synthObject(stack);
      const north = resourcesOf(doc, 'azurerm_network_security_group').find(([n]) => n.startsWith('network_northeurope'))![1];
      const names = north.security_rule.map((r: any) => r.name);
      expect(names).toContain('apim-traffic-manager');
      expect(north.security_rule.map((r: any) => r.destination_address_prefix).filter((d: string) => d.includes('.')))
        .toEqual(['Storage.NorthEurope', 'Storage.WestEurope', 'Sql.NorthEurope', 'Sql.WestEurope']);
    });

    test('one region: no Traffic Manager rule; Internal: no inbound Internet rule', () => {
      const external = resourcesOf(synthObject(build({ regions: regions(1) }).stack), 'azurerm_network_security_group')[0][1];
      expect(external.security_rule.map((r: any) => r.name)).not.toContain('apim-traffic-manager');
      const internal = resourcesOf(synthObject(build({ virtualNetworkType: INTERNAL, regions: regions(3) }).stack), 'azurerm_network_security_group');
      for (const [, nsg] of internal) {
        expect(nsg.security_rule.filter((r: any) => r.direction === 'Inbound' && r.source_address_prefix === 'Internet')).toEqual([]);
        expect(nsg.security_rule.map((r: any) => r.name)).not.toContain('apim-traffic-manager');
      }
    });

    test('zones make the public IP zone-redundant; Internal mode can go without a public IP', () => {
      const doc = synthObject(build({ virtualNetworkType: INTERNAL, regions: [
        { ...regions(1)[0], zones: ['1'], capacity: 1 },
        { ...regions(2)[1], publicIp: { enabled: false } },
      ] }).stack);
      const pips = resourcesOf(doc, 'azurerm_public_ip');
      expect(pips).toHaveLength(1);
      expect(pips[0][1].zones).toEqual(['1', '2', '3']);
    });

    test('an existing virtual network: no virtual network resource, subnet in the given network and group', () => {
      const doc = synthObject(build({ regions: [{ location: 'westeurope', virtualNetworkName: 'vnet-hub', virtualNetworkResourceGroupName: 'rg-net', subnetAddressPrefix: '10.0.1.0/27' }] }).stack);
      expect(resourcesOf(doc, 'azurerm_virtual_network')).toEqual([]);
      expect(resourcesOf(doc, 'azurerm_subnet')[0][1]).toMatchObject({ virtual_network_name: 'vnet-hub', resource_group_name: 'rg-net', address_prefixes: ['10.0.1.0/27'] });
    });

    test('forced-tunnelling endpoints: Sql in the primary only', () => {
      const doc = synthObject(build({ regions: regions(2, { serviceEndpoints: { forcedTunnelling: true } }) }).stack);
      const endpoints = Object.fromEntries(resourcesOf(doc, 'azurerm_subnet').map(([n, c]) => [n.split('_')[1], c.service_endpoints]));
      expect(endpoints).toEqual({
        westeurope: ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage'],
        northeurope: ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Storage'],
      });
    });

    test('outputs are opt-in', () => {
      expect(synthObject(build().stack).output).toBeUndefined();
      const outputs = synthObject(build({ outputs: true }).stack).output;
      expect(Object.keys(outputs).sort()).toEqual([
        'network_northeurope-public-ip-id_6203394C', 'network_northeurope-subnet-id_F9C7603B',
        'network_westeurope-public-ip-id_40A3CEBA', 'network_westeurope-subnet-id_FE085CCD',
      ].sort());
    });

    test('reordering regions keeps every resource address (regions are keyed by location)', () => {
      const a = Object.values(synthObject(build({ regions: regions(3) }).stack).resource).flatMap((byName: any) => Object.keys(byName)).sort();
      const b = Object.values(synthObject(build({ regions: regions(3).reverse() }).stack).resource).flatMap((byName: any) => Object.keys(byName)).sort();
      expect(b).toEqual(a);
    });
  });

  describe('validation across regions', () => {
    test.each<[string, Partial<MultiRegionApimNetworkProps>, ApimNetworkErrorCode, RegExp]>([
      ['no region', { regions: [] }, ApimNetworkErrorCode.MISSING_PROP, /\[MISSING_PROP\] test\/network: regions \[\]: it is empty; give at least one region, the primary first/],
      ['regions missing', { regions: undefined as any }, ApimNetworkErrorCode.MISSING_PROP, /regions \(missing\)/],
      ['duplicate location after normalisation', { regions: [regions(1)[0], { ...regions(2)[1], location: 'West Europe' }] },
        ApimNetworkErrorCode.DUPLICATE_VALUE, /regions\[1\]\.location "West Europe": it is the same location as regions\[0\] \("westeurope"\)/],
      ['both addressSpace and virtualNetworkName', { regions: [{ ...regions(1)[0], virtualNetworkName: 'vnet' }] },
        ApimNetworkErrorCode.CONFLICTING_PROPS, /regions\[0\]\.addressSpace\/virtualNetworkName \(westeurope\) .*both are given/],
      ['neither addressSpace nor virtualNetworkName', { regions: [{ location: 'westeurope', subnetAddressPrefix: '10.0.1.0/27' }] },
        ApimNetworkErrorCode.CONFLICTING_PROPS, /neither is given; give addressSpace to create a virtual network, or virtualNetworkName to use an existing one/],
      ['subnet outside the address space', { regions: [{ ...regions(1)[0], subnetAddressPrefix: '10.99.1.0/27' }] },
        ApimNetworkErrorCode.SUBNET_OUTSIDE_ADDRESS_SPACE, /regions\[0\]\.subnetAddressPrefix \(westeurope\) "10\.99\.1\.0\/27": it is not inside the address space 10\.1\.0\.0\/16/],
      ['Developer with two regions', { sku: ApimSku.DEVELOPER, regions: regions(2) },
        ApimNetworkErrorCode.SKU_NOT_SUPPORTED, /regions \["westeurope","northeurope"\]: the Developer tier has one location, 2 are given/],
      ['Developer with capacity 2', { sku: ApimSku.DEVELOPER, regions: regions(1, { capacity: 2 }) },
        ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE, /regions\[0\]\.capacity \(westeurope\) 2: the Developer tier has exactly one unit/],
      ['Developer with zones', { sku: ApimSku.DEVELOPER, regions: regions(1, { zones: ['1'] }) },
        ApimNetworkErrorCode.SKU_NOT_SUPPORTED, /regions\[0\]\.zones \(westeurope\) \["1"\]: availability zones are a Premium feature/],
      ['zone outside 1-3', { regions: regions(1, { zones: ['1', '4'] }) },
        ApimNetworkErrorCode.INVALID_ZONE, /regions\[0\]\.zones \(westeurope\)\[1\] "4": it is not an availability zone/],
      ['duplicate DNS labels', { regions: [{ ...regions(1)[0], publicIp: { domainNameLabel: 'contoso' } }, { ...regions(2)[1], publicIp: { domainNameLabel: 'contoso' } }] },
        ApimNetworkErrorCode.DUPLICATE_VALUE, /regions\[1\]\.publicIp\.domainNameLabel \(northeurope\) "contoso": regions\[0\] \(westeurope\) has the same DNS label/],
      ['no public IP in External mode', { regions: regions(1, { publicIp: { enabled: false } }) },
        ApimNetworkErrorCode.MODE_NOT_SUPPORTED, /regions\[0\]\.publicIp\.enabled \(westeurope\) false: External mode serves clients through the public IP/],
      ['subnet too small for the capacity', { regions: regions(1, { capacity: 13, subnetAddressPrefix: '10.1.1.0/28' }) },
        ApimNetworkErrorCode.SUBNET_TOO_SMALL_FOR_CAPACITY, /regions\[0\]\.subnetAddressPrefix \(westeurope\) "10\.1\.1\.0\/28": Premium with capacity 13 in External mode needs 26 addresses/],
      ['bad APIM name', { apiManagementName: 'contoso apim' }, ApimNetworkErrorCode.INVALID_NAME, /apiManagementName "contoso apim"/],
    ])('%s', (_name, change, code, message) => {
      const stack = getTestStack();
      const error = thrown(() => new MultiRegionApimNetwork(stack, 'network', props(change)));
      expect(error).toBeInstanceOf(ApimNetworkError);
      expect(error.problems.map((p: any) => p.code)).toContain(code);
      expect(error.message).toMatch(/^\[[A-Z0-9_]+\] test\/network: /);
      expect(error.message).toMatch(message);
      expect(stack.node.tryFindChild('network')).toBeUndefined();
      expect(JSON.parse(Testing.synth(stack)).resource).toBeUndefined();
    });

    test('warning: capacity not a multiple of the zone count', () => {
      const { stack } = build({ regions: regions(1, { capacity: 2, zones: ['1', '2', '3'] }) });
      expect(warnings(stack).join('\n')).toMatch(/regions\[0\] \(westeurope\): capacity 2 is not a multiple of the 3 zones 1, 2, 3/);
    });

    test('warning: address spaces of two regions overlap', () => {
      const { stack } = build({ regions: [regions(1)[0], { ...regions(2)[1], addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.2.0/27' }] });
      expect(warnings(stack).join('\n')).toMatch(/regions\[0\] \(westeurope\) address space 10\.1\.0\.0\/16 overlaps regions\[1\] \(northeurope\) address space 10\.1\.0\.0\/16: the two virtual networks could never be peered/);
    });

    test('no warning for a clean network', () => {
      const { stack } = build({ regions: regions(3, { capacity: 3, zones: ['1', '2', '3'] }) });
      expect(warnings(stack)).toEqual([]);
    });
  });

  describe('connect', () => {
    test('wires mode, primary subnet, public IP and zones', () => {
      const stack = getTestStack();
      const network = new MultiRegionApimNetwork(stack, 'network', props({ regions: regions(1, { capacity: 3, zones: ['1', '2', '3'] }) }));
      network.connect(apimOf(stack, { skuName: 'Premium_3' }));
      const apim = synthObject(stack).resource.azurerm_api_management.apim;
      expect(apim).toMatchObject({ virtual_network_type: 'External', zones: ['1', '2', '3'] });
      expect(apim.additional_location).toBeUndefined();
    });

    test.each<[string, Partial<ApiManagementConfig>, RegExp]>([
      ['location not the primary', { location: 'northeurope' }, /connect\(test\/apim\)\.location "northeurope": the APIM instance is not in the primary location westeurope/],
      ['SKU contradicts the network', { skuName: 'Developer_1' }, /connect\(test\/apim\)\.skuName "Developer_1": the network was built for Premium/],
      ['capacity contradicts the primary', { skuName: 'Premium_4' }, /the primary location's subnet was sized for capacity 1/],
      ['other mode', { virtualNetworkType: 'Internal' }, /virtualNetworkType "Internal": the network is for External mode/],
      ['network already set', { virtualNetworkConfiguration: { subnetId: 'x' } }, /virtualNetworkConfiguration .*it is already set on the APIM instance/],
    ])('refuses an APIM whose %s', (_name, change, message) => {
      const stack = getTestStack();
      const { network } = build({}, stack);
      const error = thrown(() => network.connect(apimOf(stack, change)));
      expect(error).toBeInstanceOf(ApimNetworkError);
      expect(error.code).toBe(ApimNetworkErrorCode.APIM_MISMATCH);
      expect(error.message).toMatch(message);
    });

    test('"West Europe" is the primary "westeurope"', () => {
      const stack = getTestStack();
      const { network } = build({}, stack);
      expect(() => network.connect(apimOf(stack, { location: 'West Europe' }))).not.toThrow();
    });

    test('connecting twice is refused', () => {
      const stack = getTestStack();
      const { network } = build({}, stack);
      network.connect(apimOf(stack));
      const other = new ApiManagement(stack, 'apim2', { name: 'b', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'x', publisherEmail: 'a@b.c', skuName: 'Premium_1' });
      expect(thrown(() => network.connect(other)).message).toMatch(/already connected/);
    });
  });
});
