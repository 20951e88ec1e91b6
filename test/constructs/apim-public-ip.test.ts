import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Testing } from 'cdktf';
import { ApimNetworkError, ApimNetworkErrorCode, ApimPublicIp, ApimPublicIpProps } from '../../lib';
import { getTestStack, onlyResource, synthObject, thrown } from '../support/stack';

function build(props: Partial<ApimPublicIpProps> = {}) {
  const stack = getTestStack();
  const pip = new ApimPublicIp(stack, 'pip', { resourceGroupName: 'rg', location: 'westeurope', apiManagementName: 'contoso-apim', ...props });
  return { stack, pip };
}

describe('ApimPublicIp', () => {
  test('snapshot', () => {
    const { stack } = build({ zones: ['3', '1', '2'], tags: { env: 'prod' } });
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  test('Standard, Static, IPv4, labelled, no routing preference, protected', () => {
    const { stack, pip } = build();
    const resource = onlyResource(synthObject(stack), 'azurerm_public_ip');
    expect(resource).toMatchObject({
      sku: 'Standard', allocation_method: 'Static', ip_version: 'IPv4', domain_name_label: 'contoso-apim-westeurope',
      name: 'pip-contoso-apim-westeurope', location: 'westeurope', lifecycle: { prevent_destroy: true },
    });
    expect(resource.ip_tags).toBeUndefined();
    expect(resource.zones).toBeUndefined();
    expect(pip.domainNameLabel).toBe('contoso-apim-westeurope');
    expect(Testing.synth(stack)).toHaveResourceWithProperties(PublicIp, { sku: 'Standard', allocation_method: 'Static' });
  });

  test('zones sorted when given; protection can be switched off; a label can be given', () => {
    const { stack } = build({ zones: ['2', '1'], protectFromDestroy: false, domainNameLabel: 'contoso' });
    const resource = onlyResource(synthObject(stack), 'azurerm_public_ip');
    expect(resource.zones).toEqual(['1', '2']);
    expect(resource.lifecycle).toBeUndefined();
    expect(resource.domain_name_label).toBe('contoso');
  });

  test.each<[string, Partial<ApimPublicIpProps>, ApimNetworkErrorCode, RegExp]>([
    ['invalid DNS label', { domainNameLabel: 'Contoso_APIM' }, ApimNetworkErrorCode.INVALID_DNS_LABEL, /domainNameLabel "Contoso_APIM": it has upper-case letters; 3-63 characters/],
    ['label ending with a hyphen', { domainNameLabel: 'contoso-' }, ApimNetworkErrorCode.INVALID_DNS_LABEL, /ends with a hyphen/],
    ['derived label too long', { apiManagementName: 'a'.repeat(60) }, ApimNetworkErrorCode.INVALID_DNS_LABEL, /the label derived from apiManagementName .* it has 71 characters; give domainNameLabel explicitly/],
    ['derived label with bad characters', { apiManagementName: 'contoso_apim' }, ApimNetworkErrorCode.INVALID_DNS_LABEL, /"_"/],
    ['neither label nor name', { apiManagementName: undefined }, ApimNetworkErrorCode.MISSING_PROP, /domainNameLabel\/apiManagementName \(missing\): neither is given/],
    ['zone outside 1-3', { zones: ['1', '4'] }, ApimNetworkErrorCode.INVALID_ZONE, /zones\[1\] "4": it is not an availability zone; give "1", "2" or "3"/],
    ['zone-redundant literal', { zones: ['Zone-redundant'] }, ApimNetworkErrorCode.INVALID_ZONE, /not "Zone-redundant"/],
    ['zone twice', { zones: ['1', '1'] }, ApimNetworkErrorCode.INVALID_ZONE, /zones\[1\] "1": it is listed twice/],
    ['zones as numbers', { zones: [1, 2] as any }, ApimNetworkErrorCode.INVALID_TYPE, /zones\[0\] 1: it is a number, not a string/],
  ])('refuses %s', (_name, props, code, message) => {
    const error = thrown(() => build(props));
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^\[[A-Z0-9_]+\] test\/pip: /);
    expect(error.message).toMatch(message);
  });
});
