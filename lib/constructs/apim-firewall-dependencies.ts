import { ApimNetworkErrorCode } from '../core/errors';
import { ApimFirewallDependency, ApimFirewallDependencyOptions, firewallDependencies } from '../core/firewall-dependencies';
import { parseIpv4Address } from '../core/cidr';
import { PropChecker, failed, raise, validate } from './private/props';
import { FIREWALL_DEPENDENCY_OPTIONS } from './private/structs';

/**
 * What a firewall or network virtual appliance must allow for a force-tunnelled APIM subnet (FQDNs, service tags,
 * ports, protocols, purpose and source of each dependency), as data any firewall construct can consume.
 *
 * `ApimRouteTable.firewallDependencies` holds the same list for the subnet it routes.
 *
 * @example
 * const dependencies = ApimFirewallDependencies.forLocation({ location: 'northeurope', primaryLocation: 'westeurope' });
 * // entries with fqdns: application rules (ports 80/443) or FQDN network rules; entries with addresses: network rules
 */
export class ApimFirewallDependencies {
  /**
   * The dependencies of the APIM subnet of one location, in a stable order.
   */
  public static forLocation(options: ApimFirewallDependencyOptions): ApimFirewallDependency[] {
    try {
      let resolved!: ApimFirewallDependencyOptions;
      validate('ApimFirewallDependencies.forLocation', (check) => {
        resolved = checkOptions(check, options);
      });
      return firewallDependencies(resolved);
    } catch (error) {
      raise(failed(undefined, undefined, 'ApimFirewallDependencies.forLocation', error));
    }
  }

  private constructor() {}
}

function checkOptions(check: PropChecker, input: ApimFirewallDependencyOptions): ApimFirewallDependencyOptions {
  const options = check.struct('', input, FIREWALL_DEPENDENCY_OPTIONS, true, 'options');
  if (!options) {
    return check.throwIfAny() as never;
  }
  const location = check.location('location', options.location) ?? '';
  const primaryLocation = options.primaryLocation === undefined ? location : check.location('primaryLocation', options.primaryLocation) ?? location;
  const serviceEndpoints = check.boolean('serviceEndpoints', options.serviceEndpoints, true, 'it decides the list at synth time');
  const listToken = PropChecker.isToken(options.dnsServers);
  if (listToken) {
    check.unresolved('dnsServers', 'a literal list (its entries may be references)', 'the list names the DNS servers\' addresses in the firewall dependencies');
  }
  const dnsServers = (listToken ? undefined : check.stringList('dnsServers', options.dnsServers, { allowToken: true })) ?? [];
  dnsServers.forEach((server, index) => {
    if (!PropChecker.isToken(server) && parseIpv4Address(server) === undefined) {
      check.add(ApimNetworkErrorCode.INVALID_IP_ADDRESS, `dnsServers[${index}]`, server, 'it is not an IPv4 address',
        'give the DNS servers\' IPv4 addresses, e.g. "10.0.0.53"');
    }
  });
  return { location, primaryLocation, serviceEndpoints, dnsServers };
}
