import * as fs from 'fs';
import * as path from 'path';
import { ApiManagement, ApiManagementConfig } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import {
  ApimNetworkChecks, ApimNetworkError, ApimNetworkErrorCode, ApimNetworkTesting, ApimRegionOptions, ApimRegionalNetwork, ApimSku, ApimVirtualNetworkType, MultiRegionApimNetwork,
  MultiRegionApimNetworkProps, NsgAccess, NsgDirection, NsgProtocol,
} from '../../lib';
import * as propsModule from '../../lib/constructs/private/props';
import { getTestStack, resourcesOf, synthObject, thrown, warningsOf } from '../support/stack';

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

const warnings = warningsOf;

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

    test('a public IP is optional in both modes', () => {
      for (const mode of [EXTERNAL, INTERNAL]) {
        const doc = synthObject(build({ virtualNetworkType: mode, regions: [
          { ...regions(1)[0], zones: ['1'], capacity: 1 },
          { ...regions(2)[1], publicIp: { enabled: false } },
        ] }).stack);
        const pips = resourcesOf(doc, 'azurerm_public_ip');
        expect(pips).toHaveLength(1);
        expect(pips[0][1].zones).toEqual(['1', '2', '3']);
      }
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

    test('outputs are opt-in, named exactly <location>-subnet-id and <location>-public-ip-id; none for a location without public IP', () => {
      expect(synthObject(build().stack).output).toBeUndefined();
      const doc = synthObject(build({ outputs: true, regions: [regions(2)[0], { ...regions(2)[1], publicIp: { enabled: false } }] }).stack);
      expect(Object.keys(doc.output).sort()).toEqual(['northeurope-subnet-id', 'westeurope-public-ip-id', 'westeurope-subnet-id']);
      const [subnet] = resourcesOf(doc, 'azurerm_subnet').find(([name]) => name.startsWith('network_westeurope_'))!;
      expect(doc.output['westeurope-subnet-id']).toEqual({ value: `\${azurerm_subnet.${subnet}.id}`, description: 'ID of the APIM subnet in westeurope' });
    });

    test('two networks writing the same outputs in one stack are refused', () => {
      const stack = getTestStack();
      new MultiRegionApimNetwork(stack, 'network', props({ outputs: true }));
      const error = thrown(() => new MultiRegionApimNetwork(stack, 'other', props({ outputs: true, apiManagementName: 'other-apim' })));
      expect(error.code).toBe(ApimNetworkErrorCode.CONFLICTING_PROPS);
      expect(error.message).toMatch(/outputs true: another network in this stack already writes the outputs westeurope-subnet-id, northeurope-subnet-id/);
      expect(stack.node.tryFindChild('other')).toBeUndefined();
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
        ApimNetworkErrorCode.CONFLICTING_PROPS, /regions\[0\]\.addressSpace\/virtualNetworkName \{.*\}: both are given/],
      ['neither addressSpace nor virtualNetworkName', { regions: [{ location: 'westeurope', subnetAddressPrefix: '10.0.1.0/27' }] },
        ApimNetworkErrorCode.CONFLICTING_PROPS, /neither is given; give addressSpace to create a virtual network, or virtualNetworkName to use an existing one/],
      ['subnet outside the address space', { regions: [{ ...regions(1)[0], subnetAddressPrefix: '10.99.1.0/27' }] },
        ApimNetworkErrorCode.SUBNET_OUTSIDE_ADDRESS_SPACE, /regions\[0\]\.subnetAddressPrefix "10\.99\.1\.0\/27": it is not inside the address space 10\.1\.0\.0\/16/],
      ['Developer with two regions', { sku: ApimSku.DEVELOPER, regions: regions(2) },
        ApimNetworkErrorCode.SKU_NOT_SUPPORTED, /regions \["westeurope","northeurope"\]: the Developer tier has one location, 2 are given/],
      ['Developer with capacity 2', { sku: ApimSku.DEVELOPER, regions: regions(1, { capacity: 2 }) },
        ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE, /regions\[0\]\.capacity 2: the Developer tier has exactly one unit/],
      ['Developer with zones', { sku: ApimSku.DEVELOPER, regions: regions(1, { zones: ['1'] }) },
        ApimNetworkErrorCode.SKU_NOT_SUPPORTED, /regions\[0\]\.zones \["1"\]: availability zones are a Premium feature/],
      ['zone outside 1-3', { regions: regions(1, { zones: ['1', '4'] }) },
        ApimNetworkErrorCode.INVALID_ZONE, /regions\[0\]\.zones\[1\] "4": it is not an availability zone/],
      ['zones in a region without availability zones', { regions: [{ location: 'westcentralus', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27', zones: ['1', '2', '3'], capacity: 3 }] },
        ApimNetworkErrorCode.INVALID_ZONE, /regions\[0\]\.zones \["1","2","3"\]: westcentralus has no availability zones, so Azure refuses zones there; remove zones/],
      ['capacity not a multiple of the zone count', { regions: regions(1, { capacity: 4, zones: ['1', '2', '3'] }) },
        ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE, /regions\[0\]\.capacity 4: it is not a multiple of the 3 zones 1, 2, 3; Azure requires units spread evenly across the zones; use 3 or 6 units/],
      ['public IP zones that leave out a zone APIM uses', { regions: regions(1, { capacity: 2, zones: ['1', '2'], publicIp: { zones: ['1', '3'] } }) },
        ApimNetworkErrorCode.CONFLICTING_PROPS, /regions\[0\]\.publicIp\.zones \["1","3"\]: APIM uses zones 1, 2 in westeurope, and its public IP must span them \(it misses 2\)/],
      ['a DNS label the APIM name cannot give', { apiManagementName: 'ab' },
        ApimNetworkErrorCode.INVALID_DNS_LABEL, /regions\[0\]\.publicIp\.domainNameLabel "ab": the label derived from apiManagementName "ab" is not a valid DNS label: it has 2 characters, and a label has 3-63; give domainNameLabel explicitly/],
      ['public IP options on a disabled public IP', { regions: regions(1, { publicIp: { enabled: false, domainNameLabel: 'contoso' } }) },
        ApimNetworkErrorCode.CONFLICTING_PROPS, /regions\[0\]\.publicIp\.domainNameLabel "contoso": it applies only when the public IP is enabled/],
      ['an existing virtual network name Azure refuses', { regions: [{ location: 'westeurope', virtualNetworkName: 'v', subnetAddressPrefix: '10.1.1.0/27' }] },
        ApimNetworkErrorCode.INVALID_NAME, /regions\[0\]\.virtualNetworkName "v": it is not a valid virtual network name: it has 1 characters; give 2-64 letters/],
      ['a resource group name Azure refuses', { resourceGroupName: 'rg-apim.' },
        ApimNetworkErrorCode.INVALID_NAME, /resourceGroupName "rg-apim\.": it is not a valid resource group name: it ends with "\."/],
      ['existingAddressSpace with a new virtual network', { regions: regions(1, { existingAddressSpace: ['10.1.0.0/16'] }) },
        ApimNetworkErrorCode.CONFLICTING_PROPS, /regions\[0\]\.existingAddressSpace \["10\.1\.0\.0\/16"\]: it applies to an existing virtual network only/],
      ['a subnet outside existingAddressSpace', { regions: [{ location: 'westeurope', virtualNetworkName: 'vnet-hub', existingAddressSpace: ['10.50.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }] },
        ApimNetworkErrorCode.SUBNET_OUTSIDE_ADDRESS_SPACE, /regions\[0\]\.subnetAddressPrefix "10\.1\.1\.0\/27": it is not inside the address space 10\.50\.0\.0\/16/],
      ['hardening (removed in 0.2.0)', { networkSecurityGroup: { hardening: true } },
        ApimNetworkErrorCode.CONFLICTING_PROPS, /networkSecurityGroup\.hardening true: hardening was removed in 0\.2\.0/],
      ['subnet too small for the capacity', { regions: regions(1, { capacity: 13, subnetAddressPrefix: '10.1.1.0/28' }) },
        ApimNetworkErrorCode.SUBNET_TOO_SMALL_FOR_CAPACITY, /regions\[0\]\.subnetAddressPrefix "10\.1\.1\.0\/28": Premium with capacity 13 in External mode needs 26 addresses/],
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

    test('warning: address spaces of two regions overlap', () => {
      const { stack } = build({ regions: [regions(1)[0], { ...regions(2)[1], addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.2.0/27' }] });
      expect(warnings(stack)).toEqual(['regions[1].addressSpace "10.1.0.0/16": it overlaps 10.1.0.0/16 of regions[0].addressSpace (westeurope), ' +
        'so the virtual networks of westeurope and northeurope could never be peered']);
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
      ['capacity contradicts the primary', { skuName: 'Premium_4' }, /skuName "Premium_4": its capacity 4 differs from the capacity of the network's primary region \(1\)/],
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

describe('MultiRegionApimNetwork: what the current Microsoft docs allow (0.2.0)', () => {
  const pips = (stack: TerraformStack) => Object.fromEntries(resourcesOf(synthObject(stack), 'azurerm_public_ip')
    .map(([name, pip]) => [name.split('_')[1], { label: pip.domain_name_label, zones: pip.zones }]));

  test('point 1: without a public IP in External mode, connect() sets no public_ip_address_id for that location', () => {
    const stack = getTestStack();
    const network = new MultiRegionApimNetwork(stack, 'network', props({
      regions: [regions(2)[0], { ...regions(2)[1], publicIp: { enabled: false } }, { ...regions(3)[2], publicIp: { enabled: false } }],
    }));
    network.connect(apimOf(stack));
    const apim = synthObject(stack).resource.azurerm_api_management.apim;
    expect(apim.public_ip_address_id).toMatch(/azurerm_public_ip\.network_westeurope_/);
    expect(apim.additional_location.map((l: any) => [l.location, 'public_ip_address_id' in l])).toEqual([['northeurope', false], ['eastus', false]]);
    expect(network.regions[1].publicIp).toBeUndefined();
    const primaryOff = getTestStack();
    const other = new MultiRegionApimNetwork(primaryOff, 'network', props({ regions: regions(1, { publicIp: { enabled: false } }) }));
    other.connect(apimOf(primaryOff));
    expect(synthObject(primaryOff).resource.azurerm_api_management.apim.public_ip_address_id).toBeUndefined();
  });

  test('point 2: the default DNS label is the APIM name, lower case, the same in every region; one label may serve several regions', () => {
    expect(pips(build({ apiManagementName: 'Contoso-APIM' }).stack)).toEqual({
      westeurope: { label: 'contoso-apim', zones: ['1', '2', '3'] }, northeurope: { label: 'contoso-apim', zones: ['1', '2', '3'] },
    });
    const { stack } = build({ regions: regions(2, { publicIp: { domainNameLabel: 'contoso-gw' } }) });
    expect(Object.values(pips(stack)).map((p: any) => p.label)).toEqual(['contoso-gw', 'contoso-gw']);
  });

  test('a one-letter APIM name is valid (Azure allows 1-50 characters); its public IPs then need a label of their own', () => {
    expect(() => build({ apiManagementName: 'a', regions: regions(1, { publicIp: { domainNameLabel: 'contoso-gw' } }) })).not.toThrow();
    expect(() => build({ apiManagementName: 'a', regions: regions(1, { publicIp: { enabled: false } }) })).not.toThrow();
    expect(thrown(() => build({ apiManagementName: 'a', regions: regions(1) })).problems.map((p: any) => p.prop)).toEqual(['regions[0].publicIp.domainNameLabel']);
  });

  test('point 3: in a zonal region the public IP is zone-redundant whether or not APIM lists zones; none elsewhere; [] opts out', () => {
    const { stack } = build({ regions: [
      { ...regions(1)[0] },
      { location: 'westcentralus', addressSpace: ['10.7.0.0/16'], subnetAddressPrefix: '10.7.1.0/27' },
      { ...regions(3)[2], publicIp: { zones: [] } },
    ] });
    expect(pips(stack)).toEqual({
      westeurope: { label: 'contoso-apim', zones: ['1', '2', '3'] },
      westcentralus: { label: 'contoso-apim', zones: undefined },
      eastus: { label: 'contoso-apim', zones: undefined },
    });
  });

  test('point 4: an unknown location is a warning (APIM-LOCATION-UNKNOWN) naming the closest known one; no regional tags or zones are derived from it', () => {
    const { stack } = build({
      regions: [regions(1)[0], { location: 'North Eurpoe', addressSpace: ['10.2.0.0/16'], subnetAddressPrefix: '10.2.1.0/27', zones: ['1', '2'], capacity: 2 }],
      networkSecurityGroup: { regionalServiceTags: true },
    });
    const findings = ApimNetworkTesting.findings(stack);
    expect(findings.map((f) => `${f.level} ${f.ruleId}`)).toEqual(['warning APIM-LOCATION-UNKNOWN']);
    expect(findings[0].message).toMatch(/is in "northeurpoe", which is not a region this library lists \(did you mean "northeurope"\?\); this library's constructs use the global service tags there/);
    expect(findings[0].constructPath).toBe('test/network/northeurpoe/subnet/subnet');
    const doc = synthObject(stack);
    const nsgs = Object.fromEntries(resourcesOf(doc, 'azurerm_network_security_group').map(([n, nsg]) => [n.split('_')[1],
      nsg.security_rule.map((r: any) => r.destination_address_prefix).filter((d: string) => /^(Storage|Sql)/.test(d))]));
    expect(nsgs).toEqual({ westeurope: ['Storage.WestEurope', 'Sql.WestEurope'], northeurpoe: ['Storage', 'Sql'] });
    // APIM zones 1, 2 cannot be checked against the region: the public IP spans every zone so APIM can use them.
    expect(pips(stack).northeurpoe).toEqual({ label: 'contoso-apim', zones: ['1', '2', '3'] });
    expect(pips(build({ regions: [{ location: 'marscentral', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }] }).stack))
      .toEqual({ marscentral: { label: 'contoso-apim', zones: undefined } });
    expect(warnings(stack)).toEqual([]);
  });

  test('point 5: derived names fit Azure\'s limits: a long virtual network name is shortened deterministically', () => {
    const name = `contoso-${'a'.repeat(42)}`; // 50 characters, the longest APIM name
    const doc = synthObject(build({ apiManagementName: name, regions: [{ ...regions(1)[0], location: 'germanywestcentral' }] }).stack);
    const vnet = resourcesOf(doc, 'azurerm_virtual_network')[0][1].name;
    expect(vnet).toHaveLength(64);
    expect(vnet).toMatch(/^vnet-contoso-a+-[0-9a-f]{6}-germanywestcentral$/);
    expect(synthObject(build({ apiManagementName: name, regions: [{ ...regions(1)[0], location: 'germanywestcentral' }] }).stack)).toEqual(doc);
    expect(resourcesOf(doc, 'azurerm_network_security_group')[0][1].name).toBe(`nsg-${name}-germanywestcentral`);
    expect(resourcesOf(doc, 'azurerm_public_ip')[0][1].name).toBe(`pip-${name}-germanywestcentral`);
    expect(resourcesOf(doc, 'azurerm_subnet')[0][1].name).toBe(`snet-${name}`);
  });

  test('point 6: a Microsoft.Sql service endpoint on a secondary region is allowed', () => {
    const doc = synthObject(build({ regions: [regions(2)[0], { ...regions(2)[1], serviceEndpoints: { forcedTunnelling: true, additionalEndpoints: ['Microsoft.Sql'] } }] }).stack);
    const north = resourcesOf(doc, 'azurerm_subnet').find(([n]) => n.startsWith('network_northeurope'))![1];
    expect(north.service_endpoints).toEqual(['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage']);
  });

  test('point 9: connect() makes the APIM depend on every NSG association of its own stack', () => {
    const stack = getTestStack();
    const network = new MultiRegionApimNetwork(stack, 'network', props({ regions: regions(3) }));
    network.connect(apimOf(stack));
    const doc = synthObject(stack);
    expect(doc.resource.azurerm_api_management.apim.depends_on).toEqual(Object.keys(doc.resource.azurerm_subnet_network_security_group_association).sort()
      .map((name) => `azurerm_subnet_network_security_group_association.${name}`));
    expect(network.regions.map((r) => r.apimDependencies)).toEqual(network.regions.map((r) => [r.subnet.networkSecurityGroupAssociation]));
  });

  test('point 9: no depends_on across stacks (Terraform refuses it); the cross-stack app still synthesizes', () => {
    const app = Testing.app();
    const net = new TerraformStack(app, 'net');
    const svc = new TerraformStack(app, 'svc');
    for (const stack of [net, svc]) {
      new AzurermProvider(stack, 'azurerm', { features: [{}] });
    }
    const network = new MultiRegionApimNetwork(net, 'network', props({ checks: false }));
    const apim = apimOf(svc);
    network.connect(apim);
    expect(apim.dependsOn).toBeUndefined();
    expect(() => app.synth()).not.toThrow();
    expect(JSON.parse(Testing.synth(svc)).resource.azurerm_api_management.apim.depends_on).toBeUndefined();
    expect(ApimNetworkChecks.isRegistered(svc)).toBe(false);
  });

  test('point 10: connect() registers the checks on the APIM\'s own stack when it is another one', () => {
    const app = Testing.app();
    const [net, svc] = ['net', 'svc'].map((id) => {
      const stack = new TerraformStack(app, id);
      new AzurermProvider(stack, 'azurerm', { features: [{}] });
      return stack;
    });
    const network = new MultiRegionApimNetwork(net, 'network', props());
    expect([ApimNetworkChecks.isRegistered(net), ApimNetworkChecks.isRegistered(svc)]).toEqual([true, false]);
    network.connect(apimOf(svc));
    expect(ApimNetworkChecks.isRegistered(svc)).toBe(true);
    // Through cdktf synth, the library's own subnets and public IPs, seen from the APIM's stack through cross-stack
    // references, are known: no rule reports them unknown and the subnet rules pass in the APIM's stack. Only the
    // subscription is not known: neither provider sets one, and each stack's Terraform run takes ARM_SUBSCRIPTION_ID.
    app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'svc', 'apim-network-checks.json'), 'utf8'));
    expect(report.findings.filter((f: any) => f.ruleId === 'APIM-UNKNOWN' || f.level === 'error').map((f: any) => f.detail)).toEqual(['APIM-SUBSCRIPTION']);
    const subnetNsg = report.outcomes.filter((o: any) => o.ruleId === 'APIM-SUBNET-NSG');
    expect(subnetNsg.length).toBeGreaterThanOrEqual(2);
    expect(subnetNsg.every((o: any) => o.outcome === 'pass')).toBe(true);
  });
});

describe('MultiRegionApimNetwork: one validation, the user\'s words (point 14)', () => {
  test('every problem of the whole input comes at once, each under the prop path the user wrote', () => {
    const stack = getTestStack();
    const error = thrown(() => new MultiRegionApimNetwork(stack, 'network', props({
      networkSecurityGroup: { rules: [{
        name: 'mine', priority: 1000, direction: 'inbound' as NsgDirection, access: NsgAccess.ALLOW, protocol: NsgProtocol.TCP,
        sourceAddressPrefix: '10.0.0.0/8', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '8080',
      }] },
      regions: [
        { ...regions(2)[0], publicIp: { name: 'pip bad' } },
        { ...regions(2)[1], subnetAddressPrefix: '10.2.1.0/30', serviceEndpoints: { additionalEndpoints: ['Microsoft.Storge'] } },
      ],
    })));
    expect(error.constructPath).toBe('test/network');
    expect(error.problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual([
      'INVALID_ENUM networkSecurityGroup.rules[0].direction',
      'INVALID_NAME regions[0].publicIp.name',
      'SUBNET_TOO_SMALL regions[1].subnetAddressPrefix',
      'UNKNOWN_SERVICE_ENDPOINT regions[1].serviceEndpoints.additionalEndpoints[0]',
    ]);
    expect(stack.node.tryFindChild('network')).toBeUndefined();
  });

  test('a user deny that blocks an APIM flow is reported once, naming the locations', () => {
    const error = thrown(() => build({ networkSecurityGroup: { rules: [{
      name: 'deny-internet', priority: 150, direction: NsgDirection.OUTBOUND, access: NsgAccess.DENY, protocol: NsgProtocol.ANY,
      sourceAddressPrefix: '*', destinationAddressPrefix: 'Internet', destinationPortRange: '*',
    }] } }));
    expect(error.problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual(['NSG_RULE_SHADOWS_REQUIRED networkSecurityGroup.rules[0]']);
    expect(error.message).toMatch(/\(in westeurope, northeurope\)/);
  });

  test('the input is validated once: one validation per construction, children built from the plan, no symbol on the props', () => {
    const spy = jest.spyOn(propsModule, 'validate');
    try {
      const input = props({ regions: regions(3), networkSecurityGroup: { rules: [{
        name: 'allow-backends', priority: 1000, direction: NsgDirection.OUTBOUND, access: NsgAccess.ALLOW, protocol: NsgProtocol.TCP,
        sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: '10.200.0.0/16', destinationPortRange: '8443',
      }] } });
      new MultiRegionApimNetwork(getTestStack(), 'network', input);
      expect(spy).toHaveBeenCalledTimes(1);
      for (const object of [input, ...input.regions, input.networkSecurityGroup!]) {
        expect(Object.getOwnPropertySymbols(object)).toEqual([]);
      }
    } finally {
      spy.mockRestore();
    }
  });

  test('each public construct still validates its own props when used directly', () => {
    const error = thrown(() => new ApimRegionalNetwork(getTestStack(), 'westeurope', {
      resourceGroupName: 'rg', apiManagementName: 'contoso', virtualNetworkType: EXTERNAL, location: 'westeurope',
      addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.9.1.0/27', capacity: 0,
      networkSecurityGroup: { rules: [{ name: 'apim-x' } as any] },
    }));
    expect(error.problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual(expect.arrayContaining([
      'CAPACITY_OUT_OF_RANGE capacity', 'SUBNET_OUTSIDE_ADDRESS_SPACE subnetAddressPrefix', 'NSG_RULE_INVALID networkSecurityGroup.rules[0].name',
    ]));
  });
});

describe('MultiRegionApimNetwork: tokens and per-environment config (point 15)', () => {
  test('names, resource group, tags and provider may be references', () => {
    const stack = getTestStack();
    const text = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    const aliased = new AzurermProvider(stack, 'hub', { features: [{}], alias: 'hub' });
    new MultiRegionApimNetwork(stack, 'network', props({
      apiManagementName: text('apim'), resourceGroupName: text('rg'), provider: aliased,
      tags: Token.asStringMap(new TerraformVariable(stack, 'tags', { type: 'map(string)' }).value),
      regions: [
        { ...regions(2)[0], publicIp: { domainNameLabel: text('label'), name: text('pip') } },
        { location: 'northeurope', virtualNetworkName: text('vnet'), virtualNetworkResourceGroupName: text('vnetrg'), subnetAddressPrefix: '10.2.1.0/27', publicIp: { enabled: false } },
      ],
    }));
    const doc = synthObject(stack);
    expect(resourcesOf(doc, 'azurerm_virtual_network')[0][1]).toMatchObject({ name: 'vnet-${var.apim}-westeurope', resource_group_name: '${var.rg}', tags: '${var.tags}', provider: 'azurerm.hub' });
    expect(resourcesOf(doc, 'azurerm_public_ip')[0][1]).toMatchObject({ name: '${var.pip}', domain_name_label: '${var.label}' });
    expect(resourcesOf(doc, 'azurerm_subnet').map(([, s]) => s.virtual_network_name)).toContain('${var.vnet}');
  });

  test.each<[string, (stack: TerraformStack) => Partial<MultiRegionApimNetworkProps>, string]>([
    ['location', (s) => ({ regions: [{ ...regions(1)[0], location: new TerraformVariable(s, 'v', { type: 'string' }).stringValue }] }), 'regions[0].location'],
    ['location as a raw Terraform expression', () => ({ regions: [{ ...regions(1)[0], location: '${var.location}' }] }), 'regions[0].location'],
    ['subnet prefix', (s) => ({ regions: [{ ...regions(1)[0], subnetAddressPrefix: new TerraformVariable(s, 'v', { type: 'string' }).stringValue }] }), 'regions[0].subnetAddressPrefix'],
    ['capacity', (s) => ({ regions: [{ ...regions(1)[0], capacity: new TerraformVariable(s, 'v', { type: 'number' }).numberValue }] }), 'regions[0].capacity'],
    ['zones', (s) => ({ regions: [{ ...regions(1)[0], zones: new TerraformVariable(s, 'v', { type: 'list(string)' }).listValue }] }), 'regions[0].zones'],
    ['address space', (s) => ({ regions: [{ ...regions(1)[0], addressSpace: new TerraformVariable(s, 'v', { type: 'list(string)' }).listValue }] }), 'regions[0].addressSpace'],
    ['DNS label derived from a reference', (s) => ({ apiManagementName: new TerraformVariable(s, 'v', { type: 'string' }).stringValue, regions: regions(1) }), 'regions[0].publicIp.domainNameLabel'],
  ])('%s as a reference: a clear UNRESOLVED_TOKEN error', (_name, change, prop) => {
    const stack = getTestStack();
    const error = thrown(() => new MultiRegionApimNetwork(stack, 'network', props(change(stack))));
    expect(error.problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual([`UNRESOLVED_TOKEN ${prop}`]);
    expect(error.message).toMatch(/reference resolved only at apply time/);
  });
});

describe('MultiRegionApimNetwork: existing virtual networks (point 16)', () => {
  test('existingAddressSpace is checked, compared across regions, and recorded in the subnet marker for the checks', () => {
    const stack = getTestStack();
    new MultiRegionApimNetwork(stack, 'network', props({ regions: [
      regions(2)[0],
      { location: 'northeurope', virtualNetworkName: 'vnet-hub-neu', existingAddressSpace: ['10.1.0.0/16', '10.60.0.0/16'], subnetAddressPrefix: '10.60.1.0/27' },
    ] }));
    expect(warnings(stack)).toEqual([expect.stringMatching(/^regions\[1\]\.existingAddressSpace "10\.1\.0\.0\/16": it overlaps 10\.1\.0\.0\/16 of regions\[0\]\.addressSpace/)]);
    const markers = Object.fromEntries(Object.entries<any>(stack.toTerraform().resource.azurerm_subnet)
      .map(([name, subnet]) => [name.split('_')[1], subnet['//'].apim_network]));
    expect(markers.northeurope).toMatchObject({ role: 'subnet', location: 'northeurope', virtual_network_address_space: ['10.1.0.0/16', '10.60.0.0/16'] });
    expect(markers.westeurope.virtual_network_address_space).toBeUndefined();
  });
});
