/**
 * Service endpoints of the APIM subnet (facts section 4, S6): with forced tunnelling, traffic to Storage, SQL, Event
 * Hubs and Key Vault leaves through the Azure backbone instead of the tunnel. Forced tunnelling adds SQL to the primary
 * location only: APIM's SQL dependency lives in the primary region, and secondaries reach it by address, not through
 * the endpoint (S9). A Microsoft.Sql endpoint a user adds to a secondary is allowed (other resources in the subnet may
 * need it); the checks warn about it (APIM-ROUTE-SQL-SECONDARY).
 */
import { normalizeLocation } from './locations';

/** Service endpoint names Azure accepts on a subnet (azurerm `service_endpoints`). */
export const KNOWN_SERVICE_ENDPOINTS: readonly string[] = [
  'Microsoft.AzureActiveDirectory',
  'Microsoft.AzureCosmosDB',
  'Microsoft.CognitiveServices',
  'Microsoft.ContainerRegistry',
  'Microsoft.EventHub',
  'Microsoft.KeyVault',
  'Microsoft.ServiceBus',
  'Microsoft.Sql',
  'Microsoft.Storage',
  'Microsoft.Storage.Global',
  'Microsoft.Web',
];

/** The set APIM needs with forced tunnelling, in every location. */
export const FORCED_TUNNELLING_ENDPOINTS: readonly string[] = ['Microsoft.Storage', 'Microsoft.EventHub', 'Microsoft.KeyVault'];
/** The endpoint APIM needs with forced tunnelling in the primary location only. */
export const PRIMARY_ONLY_ENDPOINT = 'Microsoft.Sql';

/** The exact spelling of a known endpoint that matches `name` ignoring case, or undefined. */
export function canonicalEndpoint(name: string): string | undefined {
  return KNOWN_SERVICE_ENDPOINTS.find((e) => e.toLowerCase() === name.trim().toLowerCase());
}

/**
 * The endpoints a location's subnet gets: the forced-tunnelling set when asked for (Sql only in the primary), then the
 * extra ones, without duplicates, in a stable order.
 */
export function decideEndpoints(options: {
  location: string;
  primaryLocation: string;
  forcedTunnelling: boolean;
  extra: readonly string[];
}): string[] {
  const out: string[] = [];
  if (options.forcedTunnelling) {
    out.push(...FORCED_TUNNELLING_ENDPOINTS);
    if (normalizeLocation(options.location) === normalizeLocation(options.primaryLocation)) {
      out.push(PRIMARY_ONLY_ENDPOINT);
    }
  }
  for (const name of options.extra) {
    if (!out.includes(name)) {
      out.push(name);
    }
  }
  return out.sort();
}
