/**
 * DNS rule: APIM-DNS-APEX.
 */
import { Resource, Unknown, isUnknown } from '../model';
import { Collector, Targets, subjectOf } from '../targets';

export function dnsApex(t: Targets, c: Collector): void {
  const apimVnets = new Set<Resource>();
  for (const target of t.subnets) {
    const vnet = t.model.virtualNetworkOf(target.subnet);
    if (vnet && !isUnknown(vnet)) {
      apimVnets.add(vnet);
    }
  }
  for (const link of t.model.ofType('azurerm_private_dns_zone_virtual_network_link')) {
    const subject = subjectOf(link);
    const zone = t.model.str(link.config.private_dns_zone_name);
    const vnet = t.model.target(link.config.virtual_network_id, 'azurerm_virtual_network');
    if (isUnknown(zone) || isUnknown(vnet)) {
      if (isUnknown(zone) || apimVnets.size > 0) {
        c.unknown('APIM-DNS-APEX', subject, isUnknown(zone) ? zone : (vnet as Unknown));
      }
      continue;
    }
    if (!vnet || !apimVnets.has(vnet)) {
      continue;
    }
    c.check('APIM-DNS-APEX', subject, zone === undefined || zone.toLowerCase().replace(/\.$/, '') !== 'azure-api.net',
      () => `links the private DNS zone "${String(zone)}" to ${vnet.address}, which holds an APIM subnet; create records for the exact APIM hostnames instead`);
  }
}
