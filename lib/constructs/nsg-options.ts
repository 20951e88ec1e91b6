import { OptionalRuleGroup } from '../core/nsg-catalog';
import { NsgAccess, NsgDirection, NsgProtocol } from '../core/types';

/**
 * Optional rule groups of the APIM rule catalog. Each switch adds the rules one APIM feature needs
 * (reference: Microsoft Learn "Virtual network configuration reference: API Management").
 */
export interface ApimOptionalRules {
  /**
   * Inbound Internet to VirtualNetwork TCP 80, for clients calling the gateway over plain HTTP. External mode only.
   *
   * @default false
   */
  readonly inboundHttp?: boolean;

  /**
   * Inbound AzureLoadBalancer to VirtualNetwork TCP 6391: health monitoring of individual machines.
   *
   * @default false
   */
  readonly machineHealth?: boolean;

  /**
   * Inbound and outbound VirtualNetwork TCP 6380: an external Azure Cache for Redis for caching policies.
   *
   * @default false
   */
  readonly externalCache?: boolean;

  /**
   * Inbound and outbound VirtualNetwork TCP 6381-6383: the internal cache shared between machines.
   *
   * @default false
   */
  readonly internalCache?: boolean;

  /**
   * Inbound and outbound VirtualNetwork UDP 4290: syncing rate-limit counters between machines.
   *
   * @default false
   */
  readonly rateLimitSync?: boolean;

  /**
   * Outbound EventHub TCP 5671, 5672 and 443: the log-to-eventhub policy.
   *
   * @default false
   */
  readonly eventHub?: boolean;

  /**
   * Outbound AzureActiveDirectory TCP 443: Microsoft Entra ID and Microsoft Graph.
   *
   * @default false
   */
  readonly entraId?: boolean;

  /**
   * Outbound AzureConnectors TCP 443: managed connections (credential manager).
   *
   * @default false
   */
  readonly managedConnectors?: boolean;
}

/**
 * A security rule of your own, added beside the APIM rules.
 *
 * Priorities 200-399 are held for the APIM rules; use 100-199 for rules that must come first (a deny there must not
 * block any flow APIM needs) and 400-4096 for the rest.
 */
export interface ApimNsgRuleOptions {
  /**
   * Rule name, unique in the NSG (1-80 letters, digits, `_`, `.` and `-`, starting with a letter or digit and ending
   * with a letter, digit or `_`; names starting with `apim-` are held for this library).
   */
  readonly name: string;

  /**
   * Priority, 100-4096, unique per direction; lower numbers are evaluated first.
   */
  readonly priority: number;

  /** Traffic direction. */
  readonly direction: NsgDirection;

  /** Allow or deny. */
  readonly access: NsgAccess;

  /** Protocol. */
  readonly protocol: NsgProtocol;

  /**
   * One source: a CIDR, an IP address, `*` or a service tag. Give exactly one of this and `sourceAddressPrefixes`.
   *
   * @default - `sourceAddressPrefixes` is used
   */
  readonly sourceAddressPrefix?: string;

  /**
   * Several source CIDRs or IP addresses (no service tags: Azure takes tags only in the singular field).
   *
   * @default - `sourceAddressPrefix` is used
   */
  readonly sourceAddressPrefixes?: string[];

  /**
   * One destination: a CIDR, an IP address, `*` or a service tag. Give exactly one of this and
   * `destinationAddressPrefixes`.
   *
   * @default - `destinationAddressPrefixes` is used
   */
  readonly destinationAddressPrefix?: string;

  /**
   * Several destination CIDRs or IP addresses (no service tags).
   *
   * @default - `destinationAddressPrefix` is used
   */
  readonly destinationAddressPrefixes?: string[];

  /**
   * Source port or range.
   *
   * @default '*'
   */
  readonly sourcePortRange?: string;

  /**
   * One destination port, range (`8000-8080`) or `*`. Give exactly one of this and `destinationPortRanges`.
   *
   * @default - `destinationPortRanges` is used
   */
  readonly destinationPortRange?: string;

  /**
   * Several destination ports or ranges.
   *
   * @default - `destinationPortRange` is used
   */
  readonly destinationPortRanges?: string[];

  /**
   * Description, at most 140 characters.
   *
   * @default - none
   */
  readonly description?: string;
}

/** Which catalog group each `ApimOptionalRules` switch turns on. */
export const OPTIONAL_RULE_GROUPS: ReadonlyArray<[keyof ApimOptionalRules, OptionalRuleGroup]> = [
  ['inboundHttp', 'http'],
  ['machineHealth', 'machine-health'],
  ['externalCache', 'external-cache'],
  ['internalCache', 'internal-cache'],
  ['rateLimitSync', 'rate-limit-sync'],
  ['eventHub', 'event-hub'],
  ['entraId', 'entra-id'],
  ['managedConnectors', 'connectors'],
];
