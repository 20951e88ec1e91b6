import { Construct } from 'constructs';
import { ApimNetworkErrorCode } from '../core/errors';
import { normalizeLocation } from '../core/locations';
import { KNOWN_SERVICE_ENDPOINTS, canonicalEndpoint, decideEndpoints } from '../core/service-endpoints';
import { checkedScope, failed, validate } from './private/props';

/**
 * Props of `ApimServiceEndpoints`.
 */
export interface ApimServiceEndpointsProps {
  /**
   * Location of the subnet the endpoints are for.
   */
  readonly location: string;

  /**
   * The APIM instance's primary location. The Microsoft.Sql endpoint goes to the primary location's subnet only.
   *
   * @default - this location
   */
  readonly primaryLocation?: string;

  /**
   * Add the endpoints APIM needs when `0.0.0.0/0` is forced through a firewall or gateway: Microsoft.Storage,
   * Microsoft.EventHub, Microsoft.KeyVault, and Microsoft.Sql in the primary location only.
   *
   * @default false
   */
  readonly forcedTunnelling?: boolean;

  /**
   * More endpoints, spelled exactly as Azure names them (e.g. `Microsoft.ServiceBus`).
   *
   * @default - none
   */
  readonly additionalEndpoints?: string[];
}

/**
 * Decides the service endpoints of an APIM subnet; give it to `ApimSubnet` as `serviceEndpoints`.
 *
 * It creates no resource: Azure sets service endpoints on the subnet itself.
 *
 * @example
 * const endpoints = new ApimServiceEndpoints(this, 'endpoints', {
 *   location: 'northeurope',
 *   primaryLocation: 'westeurope',
 *   forcedTunnelling: true,
 * });
 * // endpoints.endpoints: Microsoft.EventHub, Microsoft.KeyVault, Microsoft.Storage (no Sql: not the primary)
 */
export class ApimServiceEndpoints extends Construct {
  /** The endpoint names the subnet gets, sorted. */
  public readonly endpoints: string[];
  /** Normalised location. */
  public readonly location: string;

  public constructor(scope: Construct, id: string, props: ApimServiceEndpointsProps) {
    super(checkedScope(scope, id), id);
    try {
      let endpoints: string[] = [];
      let location = '';
      validate(this.node.path, (check) => {
        if (!check.object('props', props, true)) {
          return;
        }
        location = check.location('location', props.location) ?? '';
        const primary = props.primaryLocation === undefined ? location : check.location('primaryLocation', props.primaryLocation) ?? location;
        const forcedTunnelling = check.boolean('forcedTunnelling', props.forcedTunnelling, false);
        const extra = check.stringList('additionalEndpoints', props.additionalEndpoints) ?? [];
        const seen = new Set<string>();
        extra.forEach((name, index) => {
          const prop = `additionalEndpoints[${index}]`;
          const canonical = canonicalEndpoint(name);
          if (canonical === undefined) {
            check.add(ApimNetworkErrorCode.UNKNOWN_SERVICE_ENDPOINT, prop, name, 'it is not a service endpoint Azure knows',
              `give one of ${KNOWN_SERVICE_ENDPOINTS.join(', ')}`);
          } else if (canonical !== name) {
            check.add(ApimNetworkErrorCode.UNKNOWN_SERVICE_ENDPOINT, prop, name, 'the spelling differs from Azure\'s',
              `write it as "${canonical}"`);
          } else if (seen.has(name)) {
            check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, prop, name, 'it is listed twice', 'list each endpoint once');
          }
          seen.add(name);
        });
        if (forcedTunnelling && extra.includes('Microsoft.Sql') && normalizeLocation(primary) !== location) {
          check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, 'additionalEndpoints', extra,
            'Microsoft.Sql on a secondary location: APIM\'s SQL dependency lives in the primary region and cannot be reached through the endpoint',
            'remove Microsoft.Sql from this location (forcedTunnelling adds it to the primary only)');
        }
        endpoints = decideEndpoints({ location, primaryLocation: primary, forcedTunnelling, extra });
      });
      this.location = location;
      this.endpoints = endpoints;
    } catch (error) {
      throw failed(scope, id, this.node.path, error);
    }
  }
}
