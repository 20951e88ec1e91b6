import { ApimNetworkErrorCode } from '../core/errors';
import { KNOWN_SERVICE_ENDPOINTS, canonicalEndpoint, decideEndpoints } from '../core/service-endpoints';
import { ApimServiceEndpointOptions } from './region-options';
import { PropChecker, failed, raise, validate } from './private/props';
import { SERVICE_ENDPOINTS_PROPS } from './private/structs';

/**
 * Props of `ApimServiceEndpoints.forLocation`.
 */
export interface ApimServiceEndpointsProps extends ApimServiceEndpointOptions {
  /**
   * Location of the subnet the endpoints are for.
   */
  readonly location: string;

  /**
   * The APIM instance's primary location. Forced tunnelling adds the Microsoft.Sql endpoint to the primary location's
   * subnet only, so give it for a secondary location: without it, the location is taken as the primary and gets
   * Microsoft.Sql (allowed on a secondary, and the checks warn about it once the subnet serves an APIM location).
   *
   * @default - this location (it is the primary)
   */
  readonly primaryLocation?: string;
}

/**
 * The service endpoints of an APIM subnet; give it to `ApimSubnet` as `serviceEndpoints`.
 *
 * A value, not a construct: Azure sets service endpoints on the subnet itself, so nothing is created for them.
 *
 * @see https://learn.microsoft.com/azure/api-management/virtual-network-reference#force-tunneling-traffic-to-on-premises-firewall-using-expressroute-or-network-virtual-appliance
 * @example
 * const endpoints = ApimServiceEndpoints.forLocation({
 *   location: 'northeurope',
 *   primaryLocation: 'westeurope',
 *   forcedTunnelling: true,
 * });
 * // endpoints.endpoints: Microsoft.EventHub, Microsoft.KeyVault, Microsoft.Storage (no Sql: not the primary)
 */
export class ApimServiceEndpoints {
  /**
   * The endpoints of a subnet in one location: the forced-tunnelling set when asked for (Microsoft.Sql in the primary
   * location only), plus the additional ones, checked against the names Azure knows.
   */
  public static forLocation(props: ApimServiceEndpointsProps): ApimServiceEndpoints {
    const where = 'ApimServiceEndpoints.forLocation';
    try {
      return validate(where, (check) => {
        const given = check.struct('', props, SERVICE_ENDPOINTS_PROPS, true);
        if (!given) {
          return check.throwIfAny() as never;
        }
        const location = check.location('location', given.location) ?? '';
        const primary = given.primaryLocation === undefined ? location : check.location('primaryLocation', given.primaryLocation) ?? location;
        return new ApimServiceEndpoints(location, planEndpoints(check, '', given, location, primary));
      });
    } catch (error) {
      return raise(failed(undefined, undefined, where, error));
    }
  }

  /**
   * Endpoints a parent construct already checked.
   *
   * @internal
   */
  public static _of(location: string, endpoints: string[]): ApimServiceEndpoints {
    return new ApimServiceEndpoints(location, endpoints);
  }

  /** The endpoint names the subnet gets, sorted. */
  public readonly endpoints: string[];
  /** Normalised location. */
  public readonly location: string;

  private constructor(location: string, endpoints: string[]) {
    this.location = location;
    this.endpoints = endpoints;
  }
}

/** Check the endpoint options; `prefix` is how the user reaches them (`regions[1].serviceEndpoints.`). */
export function planEndpoints(check: PropChecker, prefix: string, options: { forcedTunnelling?: unknown; additionalEndpoints?: unknown },
  location: string, primaryLocation: string): string[] {
  const need = 'the service endpoints are decided and checked against the names Azure knows at synth time';
  const forcedTunnelling = check.boolean(`${prefix}forcedTunnelling`, options.forcedTunnelling, false, need);
  const extra = check.stringList(`${prefix}additionalEndpoints`, options.additionalEndpoints, { need }) ?? [];
  const seen = new Set<string>();
  extra.forEach((name, index) => {
    const prop = `${prefix}additionalEndpoints[${index}]`;
    const canonical = canonicalEndpoint(name);
    if (canonical === undefined) {
      check.add(ApimNetworkErrorCode.UNKNOWN_SERVICE_ENDPOINT, prop, name, 'it is not a service endpoint Azure knows',
        `give one of ${KNOWN_SERVICE_ENDPOINTS.join(', ')}`);
    } else if (canonical !== name) {
      check.add(ApimNetworkErrorCode.UNKNOWN_SERVICE_ENDPOINT, prop, name, 'the spelling differs from Azure\'s', `write it as "${canonical}"`);
    } else if (seen.has(name)) {
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, prop, name, 'it is listed twice', 'list each endpoint once');
    }
    seen.add(name);
  });
  return decideEndpoints({ location, primaryLocation, forcedTunnelling, extra });
}
