/**
 * DNS rules: private DNS zones linked to an APIM virtual network.
 */
import { Rule, defineRule, subjectOf } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { Resource, isUnknown } from '../model';

const { ERROR } = ApimRuleLevel;

/** The dns rules, in the order of the README table (the catalog concatenates the area lists). */
export const DNS_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-DNS-APEX', level: ERROR, area: 'dns', source: SOURCES.internal,
    title: 'no private DNS zone azure-api.net linked to an APIM virtual network (or with links not known at synth time)',
    why: 'An apex zone hides every other *.azure-api.net name, and Azure refuses it',
    fix: 'create records for the exact APIM hostnames instead',
    check(t, r) {
      const apimVnets = new Set<Resource>();
      for (const target of t.subnets) {
        const vnet = t.model.virtualNetworkOf(target.subnet);
        if (vnet && !isUnknown(vnet)) {
          apimVnets.add(vnet);
        }
      }
      const isApex = (zone: string) => zone.toLowerCase().replace(/\.$/, '') === 'azure-api.net';
      const apexZones = new Map<Resource, string[]>();
      for (const zone of t.model.ofType('azurerm_private_dns_zone')) {
        const name = t.model.str(zone.config.name);
        if (typeof name === 'string' && isApex(name)) {
          apexZones.set(zone, []);
        }
      }
      for (const link of t.model.ofType('azurerm_private_dns_zone_virtual_network_link')) {
        const subject = subjectOf(link);
        const zone = t.model.str(link.config.private_dns_zone_name);
        const vnet = t.model.target(link.config.virtual_network_id, 'azurerm_virtual_network');
        if (isUnknown(zone)) {
          r.unknown(subject, zone);
          continue;
        }
        if (zone === undefined || !isApex(zone)) {
          if (vnet && !isUnknown(vnet) && apimVnets.has(vnet)) {
            r.pass(subject);
          }
          continue;
        }
        const zoneResource = t.model.byName(link.config.private_dns_zone_name, link.config.resource_group_name, 'azurerm_private_dns_zone');
        if (zoneResource && !isUnknown(zoneResource)) {
          apexZones.delete(zoneResource);
        }
        if (isUnknown(vnet) || vnet === undefined) {
          r.fail(subject, `links the private DNS zone "${zone}" to ${isUnknown(vnet) ? vnet.reason : 'a virtual network that is not set'}; Azure refuses a zone of that name, and it would hide every other *.azure-api.net name`);
          continue;
        }
        r.check(subject, !apimVnets.has(vnet),
          () => `links the private DNS zone "${zone}" to ${vnet.address}, which holds an APIM subnet; create records for the exact APIM hostnames instead`);
      }
      // A zone of that name whose links are not in the document: Azure refuses the name whatever it is linked to.
      for (const zone of apexZones.keys()) {
        r.fail(subjectOf(zone), 'a private DNS zone named "azure-api.net" (its links are not in this document); Azure refuses a zone of that name, and it would hide every other *.azure-api.net name');
      }
    },
  }),
];
