/**
 * Upgrading from 0.1.0 (README "Upgrading to 0.2.0"): with `publicIp.domainNameLabel` and `publicIp.zones` pinned to
 * their 0.1.0 values, 0.2.0 writes exactly what 0.1.0 wrote (test/fixtures/upgrade-0.1.0.json, synthesized at
 * b2dd6e4). The one addition is `depends_on` on a connected APIM instance (point 9), which changes no resource.
 */
import { Testing } from 'cdktf';
import * as legacy from '../fixtures/upgrade-0.1.0.json';
import { UPGRADE_CASES } from '../fixtures/upgrade-cases';

describe('upgrading from 0.1.0 with the pinned props', () => {
  test.each(Object.keys(UPGRADE_CASES))('%s: the same Terraform as 0.1.0', (name) => {
    const doc = JSON.parse(Testing.synth(UPGRADE_CASES[name]()));
    const apim = doc.resource?.azurerm_api_management?.apim;
    if (apim) {
      expect([...apim.depends_on].sort()).toEqual(Object.keys(doc.resource.azurerm_subnet_network_security_group_association)
        .map((address) => `azurerm_subnet_network_security_group_association.${address}`).sort());
      delete apim.depends_on;
    }
    expect(doc).toEqual((legacy as Record<string, unknown>)[name]);
  });

  test('without the pins, 0.2.0 changes exactly the DNS labels and the zones of the public IPs', () => {
    const pinned = JSON.parse(Testing.synth(UPGRADE_CASES['multi-region-external']()));
    const unpinned = JSON.parse(Testing.synth(UPGRADE_CASES['multi-region-external']({ pinned: false })));
    const pips = (doc: any) => Object.fromEntries(Object.entries<any>(doc.resource.azurerm_public_ip)
      .map(([address, pip]) => [address, { label: pip.domain_name_label, zones: pip.zones }]));
    expect(pips(pinned)).toEqual({
      'network_eastus2_public-ip_0A93452C': { label: 'contoso-apim-eastus2', zones: ['1', '2', '3'] },
      'network_northeurope_public-ip_8F9F6FD3': { label: 'contoso-apim-northeurope' },
      'network_westeurope_public-ip_C13AF850': { label: 'contoso-apim-westeurope', zones: ['1', '2', '3'] },
    });
    expect(pips(unpinned)).toEqual({
      'network_eastus2_public-ip_0A93452C': { label: 'contoso-apim', zones: ['1', '2', '3'] },
      'network_northeurope_public-ip_8F9F6FD3': { label: 'contoso-apim', zones: ['1', '2', '3'] },
      'network_westeurope_public-ip_C13AF850': { label: 'contoso-apim', zones: ['1', '2', '3'] },
    });
    for (const doc of [pinned, unpinned]) {
      for (const pip of Object.values<any>(doc.resource.azurerm_public_ip)) {
        delete pip.domain_name_label;
        delete pip.zones;
      }
    }
    expect(unpinned).toEqual(pinned);
  });
});
