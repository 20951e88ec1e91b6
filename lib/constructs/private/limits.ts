/**
 * Azure's networking limits the constructs check (Microsoft Learn, "Azure subscription and service limits", Networking
 * limits - Azure Resource Manager): 1,000 NSG rules per NSG, 20 DNS servers per virtual network, and 4,000 IP
 * addresses and ranges given as sources (and, separately, as destinations) in the rules of one NSG.
 */
import { ApimNetworkErrorCode } from '../../core/errors';
import { NsgRule } from './nsg-rules';
import { PropChecker } from './props';

/** Where the limits are documented. */
export const LIMITS_SOURCE = 'https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-resource-manager-virtual-networking-limits';
/** Security rules in one NSG. */
export const MAX_RULES_PER_NSG = 1000;
/** DNS servers of one virtual network. */
export const MAX_DNS_SERVERS = 20;
/** IP addresses and ranges given as sources, and separately as destinations, in the rules of one NSG. */
export const MAX_NSG_ADDRESSES = 4000;

/**
 * Refuse an NSG whose rules (the library's and the user's) are more than Azure allows: the rule count, and the
 * addresses and ranges its rules list as sources or destinations. `prop` names what the user gave (`rules`).
 */
export function checkNsgLimits(check: PropChecker, props: { rules: string; clients: string }, rules: readonly NsgRule[]): void {
  const userRules = rules.filter((r) => r.origin === 'user').length;
  const prop = props.rules;
  if (rules.length > MAX_RULES_PER_NSG) {
    check.add(ApimNetworkErrorCode.LIMIT_EXCEEDED, prop, `(${userRules} rules)`,
      `the NSG would hold ${rules.length} security rules (${rules.length - userRules} of them the APIM rules); Azure allows ${MAX_RULES_PER_NSG} per NSG`,
      `give at most ${MAX_RULES_PER_NSG - (rules.length - userRules)} rules: list several addresses, ranges or ports in one rule (${LIMITS_SOURCE})`);
  }
  for (const side of ['source', 'destination'] as const) {
    const count = rules.reduce((n, r) => n + addressesOf(r, side), 0);
    const fromClients = rules.filter((r) => r.origin === 'library').reduce((n, r) => n + addressesOf(r, side), 0);
    if (count > MAX_NSG_ADDRESSES) {
      // The library's rules list addresses only for the clients (clientAddressPrefixes).
      check.add(ApimNetworkErrorCode.LIMIT_EXCEEDED, fromClients > MAX_NSG_ADDRESSES ? props.clients : prop, `(${count} ${side} addresses)`,
        `the NSG's rules would list ${count} IP addresses and ranges as ${side}s; Azure allows ${MAX_NSG_ADDRESSES} per NSG`,
        `merge adjacent addresses into larger prefixes, or use a service tag (${LIMITS_SOURCE})`);
    }
  }
}

/** The addresses and ranges a rule lists on one side (a service tag or `*` is not an address). */
function addressesOf(rule: NsgRule, side: 'source' | 'destination'): number {
  const list = side === 'source' ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes;
  const one = side === 'source' ? rule.sourceAddressPrefix : rule.destinationAddressPrefix;
  return (list?.length ?? 0) + (one !== undefined && /^[\d:]|^[0-9a-f]{1,4}:/i.test(one) ? 1 : 0);
}

/** Refuse more DNS servers than a virtual network takes. */
export function checkDnsServerCount(check: PropChecker, prop: string, servers: readonly string[]): void {
  if (servers.length > MAX_DNS_SERVERS) {
    check.add(ApimNetworkErrorCode.LIMIT_EXCEEDED, prop, `(${servers.length} servers)`, `Azure allows ${MAX_DNS_SERVERS} DNS servers per virtual network`,
      `give at most ${MAX_DNS_SERVERS} (${LIMITS_SOURCE})`);
  }
}
