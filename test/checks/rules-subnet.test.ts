import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { ApimRuleLevel } from '../../lib';
import { brownfield, evaluate, expectCompliant, expectFinding, expectUnknown } from './brownfield';

describe('APIM-SUBNET-DELEGATION', () => {
  test('compliant: no delegation', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-SUBNET-DELEGATION');
  });
  test('non-compliant: delegated to Microsoft.ApiManagement/service (a real-world mistake)', () => {
    const b = brownfield({ subnet: { delegation: [{ name: 'apim', serviceDelegation: { name: 'Microsoft.ApiManagement/service' } }] } });
    expectFinding(evaluate(b.stack), 'APIM-SUBNET-DELEGATION',
      /^\[APIM-SUBNET-DELEGATION\] azurerm_subnet\.apim_subnet \(brownfield\/apim_subnet\): the subnet is delegated to Microsoft\.ApiManagement\/service/);
  });
  test('non-compliant: a delegation added with addOverride is seen', () => {
    const b = brownfield();
    b.subnet.addOverride('delegation', [{ name: 'web', service_delegation: { name: 'Microsoft.Web/serverFarms' } }]);
    expectFinding(evaluate(b.stack), 'APIM-SUBNET-DELEGATION', /delegated to Microsoft\.Web\/serverFarms/);
  });
  test('unknown: delegation from a variable', () => {
    const b = brownfield();
    b.subnet.addOverride('delegation', b.variable('delegation'));
    expectUnknown(evaluate(b.stack), 'APIM-SUBNET-DELEGATION', /var\.delegation/);
  });
});

describe('APIM-SUBNET-NSG', () => {
  test('compliant', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-SUBNET-NSG');
  });
  test('non-compliant: no association', () => {
    expectFinding(evaluate(brownfield({ noAssociation: true }).stack), 'APIM-SUBNET-NSG',
      /no azurerm_subnet_network_security_group_association points at this subnet/);
  });
  test('unknown: an association whose subnet comes from a variable', () => {
    const b = brownfield({ noAssociation: true });
    new SubnetNetworkSecurityGroupAssociation(b.stack, 'assoc', { subnetId: b.variable('subnet_id'), networkSecurityGroupId: b.nsg.id });
    expectUnknown(evaluate(b.stack), 'APIM-SUBNET-NSG', /var\.subnet_id/);
  });
});

describe('APIM-SUBNET-SIZE', () => {
  test('compliant: /27 for Premium_1', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-SUBNET-SIZE');
  });
  test('non-compliant: /29 for Premium_2 (needs 4, has 3)', () => {
    expectFinding(evaluate(brownfield({ subnet: { addressPrefixes: ['10.0.1.0/29'] }, apim: { skuName: 'Premium_2' } }).stack), 'APIM-SUBNET-SIZE',
      /10\.0\.1\.0\/29 has 3 usable addresses \(after Azure's 5\), but Premium with capacity 2 in External mode needs 4/);
  });
  test('non-compliant: /30', () => {
    expectFinding(evaluate(brownfield({ subnet: { addressPrefixes: ['10.0.1.0/30'] } }).stack), 'APIM-SUBNET-SIZE', /smaller than APIM's minimum \/29/);
  });
  test('Internal mode needs one more address', () => {
    const b = brownfield({ subnet: { addressPrefixes: ['10.0.1.0/29'] }, apim: { virtualNetworkType: 'Internal' } });
    expectCompliant(evaluate(b.stack), 'APIM-SUBNET-SIZE');
  });
  test('unknown: prefixes from a variable', () => {
    const b = brownfield();
    b.subnet.addOverride('address_prefixes', [b.variable('prefix')]);
    expectUnknown(evaluate(b.stack), 'APIM-SUBNET-SIZE', /var\.prefix/);
  });
});

describe('APIM-SUBNET-HEADROOM', () => {
  test('compliant: /27 holds twice Premium_6', () => {
    expectCompliant(evaluate(brownfield({ apim: { skuName: 'Premium_6' } }).stack), 'APIM-SUBNET-HEADROOM');
  });
  test('non-compliant (warning): /28 cannot double Premium_4', () => {
    const finding = expectFinding(evaluate(brownfield({ subnet: { addressPrefixes: ['10.0.1.0/28'] }, apim: { skuName: 'Premium_4' } }).stack),
      'APIM-SUBNET-HEADROOM', /10\.0\.1\.0\/28 cannot hold capacity 8 \(16 addresses\); scaling out from 4 would fail/);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
  });
  test('unknown: capacity from a variable', () => {
    const b = brownfield();
    b.apim.skuName = b.variable('sku');
    expectUnknown(evaluate(b.stack), 'APIM-SUBNET-HEADROOM');
  });
});

describe('APIM-SUBNET-PREFIX', () => {
  test('compliant', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-SUBNET-PREFIX');
  });
  test('non-compliant: host bits set', () => {
    expectFinding(evaluate(brownfield({ subnet: { addressPrefixes: ['10.0.1.5/27'] } }).stack), 'APIM-SUBNET-PREFIX',
      /\[APIM-SUBNET-PREFIX\[syntax\]\].*"10\.0\.1\.5\/27" \(host bits are set/);
  });
  test('non-compliant: outside the address space', () => {
    expectFinding(evaluate(brownfield({ subnet: { addressPrefixes: ['10.9.1.0/27'] } }).stack), 'APIM-SUBNET-PREFIX',
      /10\.9\.1\.0\/27 is outside the address space 10\.0\.0\.0\/16 of azurerm_virtual_network\.vnet/);
  });
  test('non-compliant: overlaps another subnet of the virtual network', () => {
    const b = brownfield();
    new Subnet(b.stack, 'other', { name: 'snet-other', resourceGroupName: 'rg', virtualNetworkName: b.vnet.name, addressPrefixes: ['10.0.1.16/28'] });
    expectFinding(evaluate(b.stack), 'APIM-SUBNET-PREFIX', /overlaps azurerm_subnet\.other \(10\.0\.1\.16\/28\) in the same virtual network/);
  });
  test('non-compliant: overlap found through the virtual network name written literally', () => {
    const b = brownfield();
    new Subnet(b.stack, 'other', { name: 'snet-other', resourceGroupName: 'rg', virtualNetworkName: 'vnet-weu', addressPrefixes: ['10.0.0.0/23'] });
    expectFinding(evaluate(b.stack), 'APIM-SUBNET-PREFIX', /overlaps azurerm_subnet\.other/);
  });
  test('unknown: the address space from a variable', () => {
    const b = brownfield();
    b.vnet.addressSpace = [b.variable('space')];
    expectUnknown(evaluate(b.stack), 'APIM-SUBNET-PREFIX', /var\.space/);
  });
});
