import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { TerraformVariable, Testing } from 'cdktf';
import { ApimNetworkError, ApimNetworkErrorCode, ApimNetworkTesting, ApimPublicIp, ApimPublicIpProps } from '../../lib';
import { getTestStack, onlyResource, synthObject, thrown, warningsOf } from '../support/stack';

function build(props: Partial<ApimPublicIpProps> = {}, stack = getTestStack()) {
  const pip = new ApimPublicIp(stack, 'pip', { resourceGroupName: 'rg', location: 'westeurope', apiManagementName: 'contoso-apim', ...props });
  return { stack, pip };
}

describe('ApimPublicIp', () => {
  test('snapshot', () => {
    const { stack } = build({ zones: ['3', '1', '2'], tags: { env: 'prod' } });
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  test('Standard, Static, IPv4, labelled with the APIM name, zone-redundant in a zonal region, no routing preference, protected', () => {
    const { stack, pip } = build({ apiManagementName: 'Contoso-APIM' });
    const resource = onlyResource(synthObject(stack), 'azurerm_public_ip');
    expect(resource).toMatchObject({
      sku: 'Standard', allocation_method: 'Static', ip_version: 'IPv4', domain_name_label: 'contoso-apim',
      name: 'pip-Contoso-APIM-westeurope', location: 'westeurope', lifecycle: { prevent_destroy: true }, zones: ['1', '2', '3'],
    });
    expect(resource.ip_tags).toBeUndefined();
    expect(pip.domainNameLabel).toBe('contoso-apim');
    expect(pip.zones).toEqual(['1', '2', '3']);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(PublicIp, { sku: 'Standard', allocation_method: 'Static' });
  });

  test.each([
    ['westcentralus (no availability zones)', 'westcentralus', undefined],
    ['ukwest (no availability zones)', 'UK West', undefined],
    ['northeurope (zonal)', 'northeurope', ['1', '2', '3']],
  ])('default zones in %s', (_name, location, zones) => {
    expect(onlyResource(synthObject(build({ location }).stack), 'azurerm_public_ip').zones).toEqual(zones);
  });

  test('zones sorted when given; [] opts out; protection can be switched off; a label can be given', () => {
    const resource = onlyResource(synthObject(build({ zones: ['2', '1'], protectFromDestroy: false, domainNameLabel: 'contoso' }).stack), 'azurerm_public_ip');
    expect(resource.zones).toEqual(['1', '2']);
    expect(resource.lifecycle).toBeUndefined();
    expect(resource.domain_name_label).toBe('contoso');
    expect(onlyResource(synthObject(build({ zones: [] }).stack), 'azurerm_public_ip').zones).toBeUndefined();
  });

  test('a location the library does not list is accepted, with no zones by default (the checks warn about it)', () => {
    const { stack } = build({ location: 'northeurpoe' });
    expect(onlyResource(synthObject(stack), 'azurerm_public_ip')).toMatchObject({ location: 'northeurpoe' });
    expect(onlyResource(synthObject(stack), 'azurerm_public_ip').zones).toBeUndefined();
    expect(warningsOf(stack)).toEqual([]);
    expect(ApimNetworkTesting.findings(stack).map((f) => f.text)).toEqual([
      expect.stringMatching(/^\[APIM-LOCATION-UNKNOWN\[northeurpoe\]\] azurerm_public_ip\.pip_public-ip_2C1A61F3 .*"northeurpoe".*did you mean "northeurope"/),
    ]);
  });

  test('names, label, resource group and tags may be references; the APIM name only with a label', () => {
    const stack = getTestStack();
    const text = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    build({ name: text('name'), domainNameLabel: text('label'), resourceGroupName: text('rg'), apiManagementName: text('apim'),
      tags: { env: text('env') } }, stack);
    expect(onlyResource(synthObject(stack), 'azurerm_public_ip')).toMatchObject({
      name: '${var.name}', domain_name_label: '${var.label}', resource_group_name: '${var.rg}', tags: { env: '${var.env}' },
    });
    const other = getTestStack();
    const error = thrown(() => build({ apiManagementName: new TerraformVariable(other, 'apim', { type: 'string' }).stringValue }, other));
    expect(error.code).toBe(ApimNetworkErrorCode.UNRESOLVED_TOKEN);
    expect(error.message).toMatch(/domainNameLabel \(missing\): the default label is the APIM name, which is a reference resolved only at apply time here; give domainNameLabel explicitly/);
  });

  test.each<[string, Partial<ApimPublicIpProps>, ApimNetworkErrorCode, RegExp]>([
    ['invalid DNS label', { domainNameLabel: 'Contoso_APIM' }, ApimNetworkErrorCode.INVALID_DNS_LABEL, /domainNameLabel "Contoso_APIM": it has upper-case letters; 3-63 characters/],
    ['label ending with a hyphen', { domainNameLabel: 'contoso-' }, ApimNetworkErrorCode.INVALID_DNS_LABEL, /ends with a hyphen/],
    ['derived label too short', { apiManagementName: 'ab' }, ApimNetworkErrorCode.INVALID_DNS_LABEL,
      /domainNameLabel "ab": the label derived from apiManagementName "ab" is not a valid DNS label: it has 2 characters, and a label has 3-63; give domainNameLabel explicitly/],
    ['APIM name with bad characters', { apiManagementName: 'contoso_apim' }, ApimNetworkErrorCode.INVALID_NAME,
      /apiManagementName "contoso_apim": it is not a valid API Management service name: it has characters Azure does not accept .*"_"/],
    ['neither label nor name', { apiManagementName: undefined }, ApimNetworkErrorCode.MISSING_PROP, /domainNameLabel\/apiManagementName \(missing\): neither is given/],
    ['zone outside 1-3', { zones: ['1', '4'] }, ApimNetworkErrorCode.INVALID_ZONE, /zones\[1\] "4": it is not an availability zone; give "1", "2" or "3"/],
    ['zone-redundant literal', { zones: ['Zone-redundant'] }, ApimNetworkErrorCode.INVALID_ZONE, /not "Zone-redundant"/],
    ['zone twice', { zones: ['1', '1'] }, ApimNetworkErrorCode.INVALID_ZONE, /zones\[1\] "1": it is listed twice/],
    ['zones as numbers', { zones: [1, 2] as any }, ApimNetworkErrorCode.INVALID_TYPE, /zones\[0\] 1: it is a number, not a string/],
    ['zones in a region without availability zones', { location: 'westcentralus', zones: ['1'] }, ApimNetworkErrorCode.INVALID_ZONE,
      /zones \["1"\]: westcentralus has no availability zones/],
    ['a name Azure refuses', { name: 'pip-contoso-' }, ApimNetworkErrorCode.INVALID_NAME, /name "pip-contoso-": it is not a valid public IP name: it ends with "-"; give 1-80 letters/],
    ['a tag name Azure refuses', { tags: { 'team/owner': 'x' } }, ApimNetworkErrorCode.INVALID_NAME, /tags\.team\/owner "team\/owner": the tag name has "\/"/],
  ])('refuses %s', (_name, props, code, message) => {
    const error = thrown(() => build(props));
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect(error.problems.map((p: any) => p.code)).toContain(code);
    expect(error.message).toMatch(/^\[[A-Z0-9_]+\] test\/pip: /);
    expect(error.message).toMatch(message);
  });
});
