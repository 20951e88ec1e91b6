/**
 * The one list of network security rules API Management (classic Developer/Premium tiers, stv2) needs on its subnet.
 *
 * The NSG construct renders it and the APIM-NSG-* checks verify any NSG against it, so a port can never be right in one
 * place and wrong in the other. Each row is tested against reference/apim-vnet-facts.md (section 1).
 *
 * Sources followed where they disagree (facts section 9):
 * - Outbound Internet:80 (certificate validation) is required: bold in S1 (06/2025) and in the 2026 minimum set (S7),
 *   although the 04/2025 minimum include (S3) lacks it.
 * - AzureMonitor needs 1886 and 443 (S1 2025 marks it required; optional only in the 2023 text).
 * - SQL is 1433 (S1, S3, S9 2025); 1443 appears only in an outdated variant.
 * - The AzureLoadBalancer 6390 rule is emitted for every SKU (S3 lists it for all; S1 says Developer could skip it).
 * - Storage 445 (Git) is left out: absent from the newest S1.
 */
import { normalizeLocation, regionalTag } from './locations';
import { ApimVirtualNetworkType } from './types';

/** A feature switch that adds optional rules. */
export type OptionalRuleGroup =
  | 'http'
  | 'machine-health'
  | 'external-cache'
  | 'internal-cache'
  | 'rate-limit-sync'
  | 'event-hub'
  | 'entra-id'
  | 'connectors';

/** When a row applies. */
export type Requirement = 'required' | 'multi-region' | 'optional';

/** One row of the catalog. */
export interface CatalogRule {
  /** Stable id of the flow (also in test/fixtures/apim-nsg-flows.json). */
  readonly id: string;
  readonly direction: 'Inbound' | 'Outbound';
  readonly protocol: 'Tcp' | 'Udp';
  /** Source service tag. */
  readonly source: string;
  /** Destination service tag. */
  readonly destination: string;
  /** Destination ports (single ports or `a-b` ranges); the source port is always any. */
  readonly ports: readonly string[];
  /** Modes the row applies to. */
  readonly modes: readonly ApimVirtualNetworkType[];
  /** `required` for every location, `multi-region` when the instance has more than one location, else optional. */
  readonly requirement: Requirement;
  /** The feature switch of an optional row. */
  readonly group?: OptionalRuleGroup;
  /** Whether the destination tag has a regional form (`Storage.WestEurope`). */
  readonly regional: boolean;
  /** Priority of the rendered rule (the regional rule for the primary region takes priority + 1). */
  readonly priority: number;
  /** What the flow is for. */
  readonly purpose: string;
  /** Where the fact comes from (tags of reference/apim-vnet-facts.md). */
  readonly facts: readonly string[];
}

const BOTH = [ApimVirtualNetworkType.EXTERNAL, ApimVirtualNetworkType.INTERNAL] as const;
const EXTERNAL = [ApimVirtualNetworkType.EXTERNAL] as const;

/** First and last priority this library's rules may take. User rules go before (100-199) or after (400-4096). */
export const LIBRARY_PRIORITY_BAND: readonly [number, number] = [200, 399];
/** Azure's range for custom rule priorities. */
export const PRIORITY_RANGE: readonly [number, number] = [100, 4096];

function row(
  id: string,
  direction: 'Inbound' | 'Outbound',
  source: string,
  destination: string,
  ports: string[],
  priority: number,
  extra: {
    protocol?: 'Tcp' | 'Udp';
    modes?: readonly ApimVirtualNetworkType[];
    requirement?: Requirement;
    group?: OptionalRuleGroup;
    regional?: boolean;
    purpose: string;
    facts: string[];
  },
): CatalogRule {
  return {
    id,
    direction,
    protocol: extra.protocol ?? 'Tcp',
    source,
    destination,
    ports,
    modes: extra.modes ?? BOTH,
    requirement: extra.requirement ?? (extra.group ? 'optional' : 'required'),
    group: extra.group,
    regional: extra.regional ?? false,
    priority,
    purpose: extra.purpose,
    facts: extra.facts,
  };
}

const VNET = 'VirtualNetwork';

const CATALOG: readonly CatalogRule[] = [
  // Inbound
  row('client-https', 'Inbound', 'Internet', VNET, ['443'], 200, {
    modes: EXTERNAL, purpose: 'Clients reach the gateway and developer portal', facts: ['S1 R1', 'S3'] }),
  row('client-http', 'Inbound', 'Internet', VNET, ['80'], 205, {
    modes: EXTERNAL, group: 'http', purpose: 'Clients over plain HTTP (only if HTTP is used)', facts: ['S1 R1'] }),
  row('management', 'Inbound', 'ApiManagement', VNET, ['3443'], 210, {
    purpose: 'Management endpoint for the Azure portal, ARM and PowerShell', facts: ['S1 R2', 'S3'] }),
  row('load-balancer', 'Inbound', 'AzureLoadBalancer', VNET, ['6390'], 220, {
    purpose: 'Azure infrastructure load balancer health probe', facts: ['S1 R14', 'S3'] }),
  row('traffic-manager', 'Inbound', 'AzureTrafficManager', VNET, ['443'], 230, {
    modes: EXTERNAL, requirement: 'multi-region',
    purpose: 'Traffic Manager routing between regional gateways', facts: ['S1 R15', 'S3'] }),
  row('machine-health', 'Inbound', 'AzureLoadBalancer', VNET, ['6391'], 240, {
    group: 'machine-health', purpose: 'Health monitoring of individual machines', facts: ['S1 R16'] }),
  row('cache-external-in', 'Inbound', VNET, VNET, ['6380'], 250, {
    group: 'external-cache', purpose: 'External Azure Cache for Redis', facts: ['S1 R11'] }),
  row('cache-internal-in', 'Inbound', VNET, VNET, ['6381-6383'], 260, {
    group: 'internal-cache', purpose: 'Internal cache shared between machines', facts: ['S1 R12'] }),
  row('rate-limit-in', 'Inbound', VNET, VNET, ['4290'], 270, {
    protocol: 'Udp', group: 'rate-limit-sync', purpose: 'Rate-limit counter sync between machines', facts: ['S1 R13'] }),
  // Outbound
  row('storage', 'Outbound', VNET, 'Storage', ['443'], 200, {
    regional: true, purpose: 'Azure Storage dependency', facts: ['S1 R4', 'S3'] }),
  row('sql', 'Outbound', VNET, 'Sql', ['1433'], 210, {
    regional: true, purpose: 'Azure SQL dependency', facts: ['S1 R7', 'S3'] }),
  row('key-vault', 'Outbound', VNET, 'AzureKeyVault', ['443'], 220, {
    purpose: 'Azure Key Vault dependency', facts: ['S1 R8', 'S3'] }),
  row('monitor', 'Outbound', VNET, 'AzureMonitor', ['1886', '443'], 230, {
    purpose: 'Diagnostics logs, metrics, Resource Health and Application Insights', facts: ['S1 R10', 'S3'] }),
  row('certificates', 'Outbound', VNET, 'Internet', ['80'], 240, {
    purpose: 'Certificate validation and management (CRL and OCSP)', facts: ['S1 R3', 'S7'] }),
  row('entra-id', 'Outbound', VNET, 'AzureActiveDirectory', ['443'], 250, {
    group: 'entra-id', purpose: 'Microsoft Entra ID and Microsoft Graph', facts: ['S1 R5'] }),
  row('connectors', 'Outbound', VNET, 'AzureConnectors', ['443'], 260, {
    group: 'connectors', purpose: 'Managed connections (credential manager)', facts: ['S1 R6'] }),
  row('event-hub', 'Outbound', VNET, 'EventHub', ['5671', '5672', '443'], 270, {
    regional: true, group: 'event-hub', purpose: 'log-to-eventhub policy and Azure Monitor', facts: ['S1 R9'] }),
  row('cache-external-out', 'Outbound', VNET, VNET, ['6380'], 280, {
    group: 'external-cache', purpose: 'External Azure Cache for Redis', facts: ['S1 R11'] }),
  row('cache-internal-out', 'Outbound', VNET, VNET, ['6381-6383'], 290, {
    group: 'internal-cache', purpose: 'Internal cache shared between machines', facts: ['S1 R12'] }),
  row('rate-limit-out', 'Outbound', VNET, VNET, ['4290'], 300, {
    protocol: 'Udp', group: 'rate-limit-sync', purpose: 'Rate-limit counter sync between machines', facts: ['S1 R13'] }),
];

/** Every row of the catalog. */
export function catalogRules(): readonly CatalogRule[] {
  return CATALOG;
}

/** The catalog row with this id. */
export function catalogRule(id: string): CatalogRule {
  const found = CATALOG.find((r) => r.id === id);
  if (!found) {
    throw new RangeError(`no catalog row ${id}`);
  }
  return found;
}

/** Tags with a regional form that APIM may use (facts 1C). */
export const REGIONAL_TAGS: readonly string[] = ['Storage', 'Sql', 'EventHub'];

/** What decides which rows apply. */
export interface CatalogSelection {
  readonly mode: ApimVirtualNetworkType;
  /** Whether the APIM instance has more than one location. */
  readonly multiRegion: boolean;
  /** Optional groups switched on. */
  readonly groups?: ReadonlySet<OptionalRuleGroup>;
}

/** Whether a row applies to a mode and location count, regardless of optional groups. */
export function isRequired(rule: CatalogRule, mode: ApimVirtualNetworkType, multiRegion: boolean): boolean {
  if (!rule.modes.includes(mode)) {
    return false;
  }
  return rule.requirement === 'required' || (rule.requirement === 'multi-region' && multiRegion);
}

/** The rows that must be present for this mode and location count. */
export function requiredRules(mode: ApimVirtualNetworkType, multiRegion: boolean): CatalogRule[] {
  return CATALOG.filter((r) => isRequired(r, mode, multiRegion));
}

/** The rows to render: the required ones plus those of the groups switched on (in modes they apply to). */
export function selectRules(selection: CatalogSelection): CatalogRule[] {
  const groups = selection.groups ?? new Set<OptionalRuleGroup>();
  return CATALOG.filter(
    (r) =>
      isRequired(r, selection.mode, selection.multiRegion) ||
      (r.requirement === 'optional' && r.group !== undefined && groups.has(r.group) && r.modes.includes(selection.mode)),
  );
}

/** A security rule as the NSG construct emits it (field names of the azurerm provider, camelCase). */
export interface RenderedRule {
  readonly catalogId: string;
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: string;
  readonly sourcePortRange: string;
  readonly sourceAddressPrefix: string;
  readonly destinationAddressPrefix: string;
  readonly destinationPortRange?: string;
  readonly destinationPortRanges?: string[];
  readonly description: string;
}

/** Where the rendered rules go. */
export interface RenderContext {
  /** The NSG's own location. */
  readonly location: string;
  /** The primary location of the APIM instance. */
  readonly primaryLocation: string;
  /** Use regional tags (`Storage.WestEurope`) for Storage, Sql and EventHub instead of the global ones. */
  readonly regionalServiceTags: boolean;
}

function describe(rule: CatalogRule, suffix: string): string {
  const text = `${rule.purpose}${suffix} [APIM ${rule.facts.join(', ')}]`;
  return text.length <= 140 ? text : `${text.slice(0, 137)}...`;
}

/**
 * Render catalog rows as security rules. Service tags always go into the singular prefix fields (the plural lists
 * take addresses only, S31).
 */
export function renderRules(rules: readonly CatalogRule[], context: RenderContext): RenderedRule[] {
  const out: RenderedRule[] = [];
  for (const rule of rules) {
    const ports = rule.ports.length === 1 ? { destinationPortRange: rule.ports[0] } : { destinationPortRanges: [...rule.ports] };
    const base = {
      catalogId: rule.id,
      direction: rule.direction,
      access: 'Allow' as const,
      protocol: rule.protocol,
      sourcePortRange: '*',
      sourceAddressPrefix: rule.source,
      ...ports,
    };
    if (rule.regional && context.regionalServiceTags) {
      const locations = [context.location];
      if (normalizeLocation(context.primaryLocation) !== normalizeLocation(context.location)) {
        locations.push(context.primaryLocation);
      }
      locations.forEach((location, index) => {
        const label = index === 0 ? 'own region' : 'primary region';
        out.push({
          ...base,
          name: `apim-${rule.id}-${normalizeLocation(location)}`,
          priority: rule.priority + index,
          destinationAddressPrefix: regionalTag(rule.destination, location),
          description: describe(rule, ` (${label})`),
        });
      });
    } else {
      out.push({
        ...base,
        name: `apim-${rule.id}`,
        priority: rule.priority,
        destinationAddressPrefix: rule.destination,
        description: describe(rule, ''),
      });
    }
  }
  return out;
}
