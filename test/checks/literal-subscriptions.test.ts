/**
 * A literal subnet ID names a subscription. The checks match it to a subnet of the document only when that subnet's
 * provider is in the same subscription, and APIM-SUBSCRIPTION compares it with the APIM instance's provider.
 */
import { ApimRuleLevel } from '../../lib';
import { evaluate, findings, network, unknowns } from './raw-json';

const subnetId = (subscription: string, group = 'rg-apim', vnet = 'vnet-weu', subnet = 'snet-apim') =>
  `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`;

function withLiteralSubnet(subscription: string, provider: Record<string, unknown>) {
  const document = network();
  document.provider.azurerm = [{ features: {}, ...provider }];
  document.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id = subnetId(subscription);
  return evaluate(document);
}

describe('literal subnet IDs and subscriptions', () => {
  test('the same subscription: the document\'s subnet is judged, no subscription finding', () => {
    const result = withLiteralSubnet('aaaa', { subscription_id: 'AAAA' });
    expect(findings(result, 'APIM-SUBSCRIPTION')).toEqual([]);
    expect(unknowns(result, 'APIM-SUBNET-SIZE')).toEqual([]);
    expect(result.findings.filter((f) => f.level === ApimRuleLevel.ERROR)).toEqual([]);
  });

  test('another subscription: an APIM-SUBSCRIPTION error, and the document\'s subnet of the same name is not judged in its place', () => {
    const result = withLiteralSubnet('bbbb', { subscription_id: 'aaaa' });
    const errors = findings(result, 'APIM-SUBSCRIPTION').filter((f) => f.level === ApimRuleLevel.ERROR);
    expect(errors.map((f) => f.detail)).toEqual(['primary:subnet-id']);
    expect(errors[0].message).toMatch(/is in subscription bbbb, the APIM instance's provider in subscription aaaa/);
    expect(unknowns(result, 'APIM-SUBNET-SIZE').map((f) => f.message).join('\n')).toMatch(/outside this stack/);
  });

  test('a provider without subscription_id: the subscription is APIM-UNKNOWN (ARM_SUBSCRIPTION_ID), and the subnet is still judged', () => {
    const document = network();
    document.provider.azurerm = [{ features: {} }];
    document.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id = subnetId('bbbb');
    document.resource.azurerm_subnet.apim.address_prefixes = ['10.0.1.0/30'];
    const result = evaluate(document);
    expect(unknowns(result, 'APIM-SUBSCRIPTION').map((f) => f.message).join('\n')).toMatch(/ARM_SUBSCRIPTION_ID/);
    // Only a subnet of the instance's own subscription can be injected: the configuration's subnet is the one judged.
    expect(findings(result, 'APIM-SUBNET-SIZE').map((f) => f.level)).toEqual([ApimRuleLevel.ERROR]);
  });

  test('two subnets of the same names in two subscriptions: the ID picks the one of its subscription, whatever the order', () => {
    const document = network();
    document.provider.azurerm = [{ features: {}, subscription_id: 'aaaa' }, { features: {}, alias: 'other', subscription_id: 'cccc' }];
    const { apim } = document.resource.azurerm_subnet;
    document.resource.azurerm_subnet = { twin: { ...apim, provider: 'azurerm.other', address_prefixes: ['10.0.2.0/24'] }, apim: { ...apim, address_prefixes: ['10.0.1.0/30'] } };
    document.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id = subnetId('aaaa');
    const result = evaluate(document);
    expect(findings(result, 'APIM-SUBNET-SIZE').map((f) => f.message).join('\n')).toMatch(/10\.0\.1\.0\/30/);
  });

  test('an additional location\'s literal subnet ID in another subscription is an error too', () => {
    const document = network();
    document.provider.azurerm = [{ features: {}, subscription_id: 'aaaa' }];
    document.resource.azurerm_api_management.apim.additional_location = [{ location: 'northeurope', virtual_network_configuration: { subnet_id: subnetId('cccc', 'rg-neu', 'vnet-neu', 'snet-apim') } }];
    const errors = findings(evaluate(document), 'APIM-SUBSCRIPTION').filter((f) => f.level === ApimRuleLevel.ERROR);
    expect(errors.map((f) => f.detail)).toEqual(['additional_location[0]:subnet-id']);
  });

  test('a subnet on an aliased provider of another subscription than its virtual network\'s: an error naming the subnet', () => {
    const document = network();
    document.provider.azurerm = [{ features: {}, subscription_id: 'aaaa' }, { features: {}, alias: 'b', subscription_id: 'bbbb' }];
    document.resource.azurerm_subnet.apim.provider = 'azurerm.b';
    const errors = findings(evaluate(document), 'APIM-SUBSCRIPTION').filter((f) => f.level === ApimRuleLevel.ERROR);
    expect(errors.map((f) => f.detail)).toEqual(['westeurope:subnet']);
    expect(errors[0].message).toMatch(/azurerm_subnet\.apim uses provider azurerm\.b \(subscription bbbb\)/);
  });

  test('a subnet on the same provider as its virtual network gives no separate subnet outcome', () => {
    const document = network();
    document.provider.azurerm = [{ features: {}, subscription_id: 'aaaa' }];
    const result = evaluate(document);
    expect(result.outcomes.filter((o) => o.ruleId === 'APIM-SUBSCRIPTION').map((o) => o.detail)).not.toContain('westeurope:subnet');
  });

  test('a literal public IP ID in another subscription is an error too, as a subnet ID is (it was only unknown; outside review, session 5)', () => {
    const pipId = (subscription: string, group = 'rg-apim') => `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Network/publicIPAddresses/pip-apim`;
    const document = network();
    document.provider.azurerm = [{ features: {}, subscription_id: 'aaaa' }];
    document.resource.azurerm_api_management.apim.public_ip_address_id = pipId('bbbb');
    document.resource.azurerm_api_management.apim.additional_location = [{ location: 'northeurope', public_ip_address_id: pipId('cccc', 'rg-neu') }];
    const errors = findings(evaluate(document), 'APIM-SUBSCRIPTION').filter((f) => f.level === ApimRuleLevel.ERROR);
    expect(errors.map((f) => f.detail)).toEqual(['primary:public-ip-id', 'additional_location[0]:public-ip-id']);
    expect(errors[0].message).toMatch(/the public IP ID "\/subscriptions\/bbbb\/.*" is in subscription bbbb, the APIM instance's provider in subscription aaaa/);
    // In the instance's subscription: no error.
    document.resource.azurerm_api_management.apim.public_ip_address_id = pipId('AAAA');
    document.resource.azurerm_api_management.apim.additional_location = [];
    expect(findings(evaluate(document), 'APIM-SUBSCRIPTION').filter((f) => f.level === ApimRuleLevel.ERROR)).toEqual([]);
  });
});
