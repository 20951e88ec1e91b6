import { ApiManagement, ApiManagementConfig } from '@cdktf/provider-azurerm/lib/api-management';
import { PrivateDnsARecord } from '@cdktf/provider-azurerm/lib/private-dns-a-record';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ApimNetworkError, ApimNetworkErrorCode, ApimPrivateDns, ApimPrivateDnsProps } from '../../lib';
import { getTestStack, resourcesOf, synthObject, thrown } from '../support/stack';

function apimOf(stack: TerraformStack, config: Partial<ApiManagementConfig> = {}): ApiManagement {
  return new ApiManagement(stack, 'apim', {
    name: 'Contoso-APIM', location: 'West Europe', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
    skuName: 'Premium_1', virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetId: '${azurerm_subnet.weu.id}' },
    additionalLocation: [{ location: 'northeurope', virtualNetworkConfiguration: { subnetId: '${azurerm_subnet.neu.id}' } }],
    ...config,
  });
}

function build(props: Partial<ApimPrivateDnsProps> = {}, stack = getTestStack(), apim = apimOf(stack)) {
  const dns = new ApimPrivateDns(stack, 'dns', {
    apiManagement: apim, resourceGroupName: 'rg-dns',
    virtualNetworks: [
      { key: 'westeurope', virtualNetworkId: '${azurerm_virtual_network.weu.id}' },
      { key: 'northeurope', virtualNetworkId: '${azurerm_virtual_network.neu.id}' },
    ],
    ...props,
  });
  return { stack, dns, apim };
}

function byZone(doc: any, type: string): Map<string, any[]> {
  const zones = new Map<string, string>(resourcesOf(doc, 'azurerm_private_dns_zone').map(([name, z]) => [`\${azurerm_private_dns_zone.${name}.name}`, z.name]));
  const out = new Map<string, any[]>();
  for (const [, r] of resourcesOf(doc, type)) {
    const zone = zones.get(r.zone_name ?? r.private_dns_zone_name)!;
    out.set(zone, [...(out.get(zone) ?? []), r]);
  }
  return out;
}

describe('ApimPrivateDns', () => {
  test('snapshot: two locations', () => {
    expect(Testing.synth(build().stack)).toMatchSnapshot();
  });

  test('one zone per exact host name, never azure-api.net itself', () => {
    const { stack, dns } = build();
    const names = resourcesOf(synthObject(stack), 'azurerm_private_dns_zone').map(([, z]) => z.name).sort();
    expect(names).toEqual([
      'contoso-apim-northeurope-01.regional.azure-api.net',
      'contoso-apim-westeurope-01.regional.azure-api.net',
      'contoso-apim.azure-api.net',
      'contoso-apim.developer.azure-api.net',
      'contoso-apim.management.azure-api.net',
      'contoso-apim.portal.azure-api.net',
      'contoso-apim.scm.azure-api.net',
    ]);
    expect(dns.hostNames).toHaveLength(7);
    expect(dns.zones).toHaveLength(7);
    expect(names).not.toContain('azure-api.net');
  });

  test('record @ with the private address of the primary, or of the location for a regional host', () => {
    const records = byZone(synthObject(build().stack), 'azurerm_private_dns_a_record');
    expect(records.get('contoso-apim.azure-api.net')).toEqual([
      { name: '@', zone_name: expect.any(String), resource_group_name: 'rg-dns', ttl: 300, records: '${azurerm_api_management.apim.private_ip_addresses}' },
    ]);
    for (const kind of ['portal', 'developer', 'management', 'scm']) {
      expect(records.get(`contoso-apim.${kind}.azure-api.net`)![0].records).toBe('${azurerm_api_management.apim.private_ip_addresses}');
    }
    expect(records.get('contoso-apim-westeurope-01.regional.azure-api.net')![0].records).toBe('${azurerm_api_management.apim.private_ip_addresses}');
    expect(records.get('contoso-apim-northeurope-01.regional.azure-api.net')![0].records)
      .toBe('${azurerm_api_management.apim.additional_location[0].private_ip_addresses}');
  });

  test('every zone is linked to every virtual network, without auto-registration', () => {
    const links = byZone(synthObject(build().stack), 'azurerm_private_dns_zone_virtual_network_link');
    expect(links.size).toBe(7);
    for (const zoneLinks of links.values()) {
      expect(zoneLinks.map((l) => [l.name, l.virtual_network_id, l.registration_enabled]).sort()).toEqual([
        ['vnet-northeurope', '${azurerm_virtual_network.neu.id}', false],
        ['vnet-westeurope', '${azurerm_virtual_network.weu.id}', false],
      ]);
    }
    expect(Testing.synth(build().stack)).toHaveResourceWithProperties(PrivateDnsZoneVirtualNetworkLink, { resource_group_name: 'rg-dns' });
  });

  test('custom domains get their own zone, at the primary or at the given location; ttl and tags pass through', () => {
    const { stack, dns } = build({
      customDomains: [{ hostName: 'API.contoso.com.' }, { hostName: 'api-neu.contoso.com', location: 'North Europe' }],
      ttl: 60, tags: { env: 'prod' },
    });
    const records = byZone(synthObject(stack), 'azurerm_private_dns_a_record');
    expect(records.get('api.contoso.com')![0]).toMatchObject({ name: '@', ttl: 60, records: '${azurerm_api_management.apim.private_ip_addresses}' });
    expect(records.get('api-neu.contoso.com')![0].records).toBe('${azurerm_api_management.apim.additional_location[0].private_ip_addresses}');
    expect(dns.hostNames.slice(-2)).toEqual(['api.contoso.com', 'api-neu.contoso.com']);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(PrivateDnsZone, { name: 'api.contoso.com', tags: { env: 'prod' } });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(PrivateDnsARecord, { ttl: 60 });
  });

  test('one location: six zones', () => {
    const stack = getTestStack();
    const { dns } = build({}, stack, apimOf(stack, { additionalLocation: undefined }));
    expect(dns.hostNames).toEqual([
      'contoso-apim.azure-api.net', 'contoso-apim.portal.azure-api.net', 'contoso-apim.developer.azure-api.net',
      'contoso-apim.management.azure-api.net', 'contoso-apim.scm.azure-api.net', 'contoso-apim-westeurope-01.regional.azure-api.net',
    ]);
  });
});

describe('ApimPrivateDns validation (each error names the prop, the value and the fix)', () => {
  type Case = [string, (stack: TerraformStack) => Partial<ApimPrivateDnsProps>, ApimNetworkErrorCode, string, RegExp];
  const cases: Case[] = [
    ['an External instance', (s) => ({ apiManagement: apimOf(s, { virtualNetworkType: 'External' }) }), ApimNetworkErrorCode.MODE_NOT_SUPPORTED,
      'apiManagement (test/apim).virtualNetworkType', /virtualNetworkType "External": in External mode APIM's host names are in public DNS/],
    ['an instance not connected yet', (s) => ({ apiManagement: apimOf(s, { virtualNetworkType: undefined }) }), ApimNetworkErrorCode.APIM_MISMATCH,
      'apiManagement (test/apim).virtualNetworkType', /the instance is not injected into a virtual network yet; call network\.connect\(apim\) before creating ApimPrivateDns/],
    ['a name that is a token', (s) => ({ apiManagement: apimOf(s, { name: new TerraformVariable(s, 'n', { type: 'string' }).stringValue }) }),
      ApimNetworkErrorCode.UNRESOLVED_TOKEN, 'apiManagement (test/apim).name', /the zone names are made from the instance name/],
    ['a location that is a token', (s) => ({ apiManagement: apimOf(s, { location: new TerraformVariable(s, 'l', { type: 'string' }).stringValue }) }),
      ApimNetworkErrorCode.UNRESOLVED_TOKEN, 'apiManagement (test/apim).location', /regional host names are made from the locations/],
    ['something that is not an ApiManagement', () => ({ apiManagement: {} as ApiManagement }), ApimNetworkErrorCode.INVALID_TYPE, 'apiManagement',
      /apiManagement "\(an object\)": it is not an ApiManagement resource; pass the ApiManagement from @cdktf\/provider-azurerm\/lib\/api-management/],
    ['no virtual network', () => ({ virtualNetworks: [] }), ApimNetworkErrorCode.MISSING_PROP, 'virtualNetworks', /virtualNetworks \[\]: it is empty/],
    ['a virtual network key twice', () => ({ virtualNetworks: [{ key: 'hub', virtualNetworkId: '${azurerm_virtual_network.a.id}' }, { key: 'HUB', virtualNetworkId: '${azurerm_virtual_network.b.id}' }] }),
      ApimNetworkErrorCode.DUPLICATE_VALUE, 'virtualNetworks[1].key', /"HUB": virtualNetworks\[0\] has the same key/],
    ['one virtual network twice (review 6, finding 4)', () => ({ virtualNetworks: [{ key: 'a', virtualNetworkId: '${azurerm_virtual_network.a.id}' }, { key: 'b', virtualNetworkId: '${azurerm_virtual_network.a.id}' }] }),
      ApimNetworkErrorCode.DUPLICATE_VALUE, 'virtualNetworks[1].virtualNetworkId', /it names the same virtual network as virtualNetworks\[0\]; Azure refuses a second link/],
    ['a literal ID that is no virtual network ID (review 6, finding 4)', () => ({ virtualNetworks: [{ key: 'a', virtualNetworkId: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/x' }] }),
      ApimNetworkErrorCode.INVALID_TYPE, 'virtualNetworks[0].virtualNetworkId', /it is not a virtual network ID/],
    ['a key that cannot name a link', () => ({ virtualNetworks: [{ key: 'west europe', virtualNetworkId: '${azurerm_virtual_network.a.id}' }] }),
      ApimNetworkErrorCode.INVALID_NAME, 'virtualNetworks[0].key', /"west europe": it cannot be part of a link name/],
    ['a custom domain azure-api.net', () => ({ customDomains: [{ hostName: 'azure-api.net' }] }), ApimNetworkErrorCode.INVALID_HOST_NAME,
      'customDomains[0].hostName', /"azure-api\.net": a zone for azure-api\.net would answer for every APIM instance's host names, and Azure refuses the name/],
    ['a wildcard custom domain', () => ({ customDomains: [{ hostName: '*.contoso.com' }] }), ApimNetworkErrorCode.INVALID_HOST_NAME,
      'customDomains[0].hostName', /the label "\*" is not a DNS label \(wildcards cannot name a zone\)/],
    ['a single-label custom domain', () => ({ customDomains: [{ hostName: 'intranet' }] }), ApimNetworkErrorCode.INVALID_HOST_NAME,
      'customDomains[0].hostName', /it is a single label, not a host name/],
    ['a custom domain twice', () => ({ customDomains: [{ hostName: 'api.contoso.com' }, { hostName: 'API.contoso.com' }] }),
      ApimNetworkErrorCode.DUPLICATE_VALUE, 'customDomains[1].hostName', /it is listed twice/],
    ['a custom domain that is a default host', () => ({ customDomains: [{ hostName: 'contoso-apim.azure-api.net' }] }),
      ApimNetworkErrorCode.DUPLICATE_VALUE, 'customDomains[0].hostName', /it is one of the default host names/],
    ['a custom domain at a location the instance lacks', () => ({ customDomains: [{ hostName: 'api.contoso.com', location: 'eastus2' }] }),
      ApimNetworkErrorCode.APIM_MISMATCH, 'customDomains[0].location', /"eastus2": the APIM instance has no such location; give one of westeurope, northeurope/],
    ['a ttl of 0', () => ({ ttl: 0 }), ApimNetworkErrorCode.INVALID_TYPE, 'ttl', /ttl 0: it is outside 1-2147483647/],
  ];

  test.each(cases)('throws for %s', (_name, props, code, prop, message) => {
    const stack = getTestStack();
    const error = thrown(() => build(props(stack), stack, stack.node.tryFindChild('apim') as ApiManagement ?? apimOf(stack))) as ApimNetworkError;
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect(error.problems.map((p) => [p.code, p.prop])).toContainEqual([code, prop]);
    expect(error.message).toMatch(message);
    expect(stack.node.tryFindChild('dns')).toBeUndefined();
  });
});
