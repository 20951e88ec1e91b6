/**
 * DNS rules: private DNS zones linked to an APIM virtual network.
 */
import { Rule, defineRule, subjectOf } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { Resource, Unknown, isUnknown } from '../model';

const { ERROR } = ApimRuleLevel;

/** The dns rules, in the order of the README table (the catalog concatenates the area lists). */
export const DNS_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-DNS-APEX', level: ERROR, area: 'dns', source: SOURCES.internal,
    title: 'no private DNS zone azure-api.net linked to an APIM virtual network',
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
      for (const link of t.model.ofType('azurerm_private_dns_zone_virtual_network_link')) {
        const subject = subjectOf(link);
        const zone = t.model.str(link.config.private_dns_zone_name);
        const vnet = t.model.target(link.config.virtual_network_id, 'azurerm_virtual_network');
        if (isUnknown(zone) || isUnknown(vnet)) {
          if (isUnknown(zone) || apimVnets.size > 0) {
            r.unknown(subject, isUnknown(zone) ? zone : (vnet as Unknown));
          }
          continue;
        }
        if (!vnet || !apimVnets.has(vnet)) {
          continue;
        }
        r.check(subject, zone === undefined || zone.toLowerCase().replace(/\.$/, '') !== 'azure-api.net',
          () => `links the private DNS zone "${String(zone)}" to ${vnet.address}, which holds an APIM subnet; create records for the exact APIM hostnames instead`);
      }
    },
  }),
];
