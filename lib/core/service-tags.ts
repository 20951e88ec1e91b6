/**
 * The Azure service tags this library knows, for checking the tags a user writes in NSG rules and client lists.
 *
 * Source: Microsoft Learn, "Azure service tags overview" (virtual-network/service-tags-overview), the table of tags
 * available in network security group rules, as of 07/2025, with the tags of its 2021 version that are still
 * published (AzureDataLake, AzureDevSpaces, AzureMachineLearning, MicrosoftContainerRegistry). The second column is the
 * table's "Can be regional?": `Storage.WestEurope` narrows `Storage` to one region.
 *
 * How a tag is judged (`checkServiceTag`):
 * - a tag of the table, spelled as the table spells it (and a regional variant of a regional tag in a listed region,
 *   as `regionalTag` spells it), is known;
 * - the same with other letter case, or within two edits of a listed tag (`Interent`, `Storgae`,
 *   `AzureFrontDoor.Backendd`), or a fragment of one (`FrontDoor`), is refused with the tag meant: it is a typo, and
 *   Azure refuses unknown tags at apply;
 * - anything else shaped like a tag is accepted with a warning: Azure adds tags (about six a year), so a name this table
 *   does not hold may be newer than this library; refusing it would block a valid rule until the next release. A
 *   regional variant in a region the library does not list, or of a tag the table lists without regional variants, is
 *   treated the same way.
 *
 * Pure: no cdktf.
 */
import { closestRegion, editDistance, normalizeLocation, regionInfo, regionalTagSuffix } from './locations';

const TAGS: ReadonlyArray<[string, boolean]> = [
  ['ActionGroup', false], ['ApiManagement', true], ['ApplicationInsightsAvailability', false], ['AppConfiguration', false],
  ['AppService', true], ['AppServiceManagement', false], ['AzureActiveDirectory', false], ['AzureActiveDirectoryDomainServices', false],
  ['AzureAdvancedThreatProtection', false], ['AzureArcInfrastructure', false], ['AzureAttestation', false], ['AzureBackup', false],
  ['AzureBotService', false], ['AzureCloud', true], ['AzureCognitiveSearch', false], ['AzureConnectors', true],
  ['AzureContainerRegistry', true], ['AzureCosmosDB', true], ['AzureDatabricks', false], ['AzureDataExplorerManagement', false],
  ['AzureDataLake', false], ['AzureDeviceUpdate', false], ['AzureDevOps', true], ['AzureDevSpaces', false], ['AzureDigitalTwins', false],
  ['AzureEventGrid', false], ['AzureFrontDoor.Frontend', false], ['AzureFrontDoor.Backend', false], ['AzureFrontDoor.FirstParty', false],
  ['AzureFrontDoor.MicrosoftSecurity', false], ['AzureHealthcareAPIs', false], ['AzureInformationProtection', false], ['AzureIoTHub', true],
  ['AzureKeyVault', true], ['AzureLoadBalancer', false], ['AzureMachineLearning', false], ['AzureMachineLearningInference', false],
  ['AzureManagedGrafana', false], ['AzureMonitor', false], ['AzureOpenDatasets', false], ['AzurePlatformDNS', false],
  ['AzurePlatformIMDS', false], ['AzurePlatformLKM', false], ['AzureResourceManager', false], ['AzureSentinel', false],
  ['AzureSignalR', false], ['AzureSiteRecovery', false], ['AzureSphere', false], ['AzureSpringCloud', false], ['AzureStack', false],
  ['AzureTrafficManager', false], ['AzureUpdateDelivery', false], ['AzureWebPubSub', true], ['BatchNodeManagement', true],
  ['ChaosStudio', false], ['CognitiveServicesFrontend', false], ['CognitiveServicesManagement', false], ['DataFactory', true],
  ['DataFactoryManagement', false], ['Dynamics365BusinessCentral', false], ['Dynamics365ForMarketingEmail', true],
  ['EOPExternalPublishedIPs', false], ['EventHub', true], ['GatewayManager', false], ['GuestAndHybridManagement', false],
  ['HDInsight', true], ['Internet', false], ['KustoAnalytics', false], ['LogicApps', false], ['LogicAppsManagement', false],
  ['M365ManagementActivityApi', true], ['M365ManagementActivityApiWebhook', true], ['MicrosoftAzureFluidRelay', false],
  ['MicrosoftCloudAppSecurity', false], ['MicrosoftContainerRegistry', true], ['MicrosoftDefenderForEndpoint', false], ['PowerBI', true],
  ['PowerPlatformInfra', true], ['PowerPlatformPlex', true], ['PowerQueryOnline', false], ['Scuba', false], ['SerialConsole', false],
  ['ServiceBus', true], ['ServiceFabric', false], ['Sql', true], ['SqlManagement', false], ['Storage', true], ['StorageMover', true],
  ['StorageSyncService', false], ['SystemServiceAzureSpringAppsResourceProvider', true], ['VideoIndexer', false], ['VirtualNetwork', false],
  ['WindowsAdminCenter', false], ['WindowsVirtualDesktop', false],
];

/** Region names of AzureCloud's regional tags that do not follow the usual spelling (the same page lists them). */
const AZURE_CLOUD_REGION_NAMES = ['centralfrance', 'southfrance', 'germanywc', 'germanyn', 'norwaye', 'norwayw', 'switzerlandn', 'switzerlandw', 'usstagee', 'usstagec', 'brazilse'];

const BY_LOWER = new Map(TAGS.map(([name, regional]) => [name.toLowerCase(), { name, regional }]));

/** How service tags are shaped: `Internet`, `AzureFrontDoor.Backend`, `Storage.WestEurope`. */
export const SERVICE_TAG_SHAPE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

/** The outcome of checking a tag. */
export type ServiceTagCheck =
  | { readonly ok: true; readonly known: true }
  /** Accepted, with a warning: a tag this library does not know. */
  | { readonly ok: true; readonly known: false; readonly note: string }
  | { readonly ok: false; readonly problem: string; readonly suggestion: string };

/** Every tag of the table (without regional variants). */
export function knownServiceTags(): string[] {
  return TAGS.map(([name]) => name);
}

/** Whether a tag of the table has regional variants (`Storage.WestEurope`). */
export function isRegionalServiceTag(name: string): boolean {
  return BY_LOWER.get(name.toLowerCase())?.regional === true;
}

/** Check a text shaped like a service tag (see the file's comment). */
export function checkServiceTag(text: string): ServiceTagCheck {
  const whole = BY_LOWER.get(text.toLowerCase());
  if (whole) {
    return whole.name === text ? { ok: true, known: true } : caseProblem(whole.name);
  }
  const dot = text.indexOf('.');
  const base = dot < 0 ? undefined : BY_LOWER.get(text.slice(0, dot).toLowerCase());
  if (base) {
    return checkRegional(text, base, text.slice(dot + 1));
  }
  const meant = closestTag(text);
  if (meant.length > 0) {
    return {
      ok: false, problem: 'it is not an Azure service tag',
      suggestion: `did you mean ${meant.map((m) => `"${m}"`).join(' or ')}? (Azure refuses unknown service tags)`,
    };
  }
  return {
    ok: true, known: false,
    note: 'it is not a service tag this library knows (Microsoft\'s table of NSG service tags, 2025); Azure refuses unknown tags at apply, so check the spelling (a tag newer than this library is fine)',
  };
}

function caseProblem(name: string): ServiceTagCheck {
  return { ok: false, problem: 'service tags are written with Azure\'s capitalisation', suggestion: `write it as "${name}"` };
}

function checkRegional(text: string, base: { name: string; regional: boolean }, suffix: string): ServiceTagCheck {
  if (!base.regional) {
    return {
      ok: true, known: false,
      note: `Microsoft's table lists ${base.name} without regional variants; Azure refuses a tag it does not publish, so check the spelling`,
    };
  }
  const special = base.name === 'AzureCloud' && AZURE_CLOUD_REGION_NAMES.includes(suffix.toLowerCase());
  const region = regionInfo(suffix);
  const canonical = special ? `${base.name}.${suffix.toLowerCase()}` : region ? `${base.name}.${regionalTagSuffix(region.name)}` : undefined;
  if (canonical) {
    return canonical === text ? { ok: true, known: true } : caseProblem(canonical);
  }
  const closest = closestRegion(normalizeLocation(suffix));
  return {
    ok: true, known: false,
    note: `"${suffix}" is not a region this library lists${closest ? ` (did you mean "${base.name}.${regionalTagSuffix(closest)}"?)` : ''}; Azure refuses a regional tag of a region it does not have, so check the spelling (a region newer than this library is fine)`,
  };
}

/** The tags a misspelt or partial name most likely means: within two edits, or holding it (case-insensitive). */
function closestTag(text: string): string[] {
  const lower = text.toLowerCase();
  const limit = Math.min(2, Math.max(1, Math.floor(lower.length / 4)));
  let best = limit + 1;
  let found: string[] = [];
  for (const [name] of TAGS) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance < best) {
      best = distance;
      found = [name];
    } else if (distance === best) {
      found.push(name);
    }
  }
  if (found.length > 0) {
    return found;
  }
  return lower.length >= 5 ? TAGS.map(([name]) => name).filter((name) => name.toLowerCase().includes(lower)) : [];
}

/**
 * Service tags that are not clients of a gateway: the platform's own sources (the NSG already lets them in, on their
 * own ports) and the services APIM depends on, by lower-case name, with why. Given as the clients, they would leave the
 * gateway without a caller; a route of one of them to Internet exempts no client from a tunnel.
 */
export const NOT_CLIENT_TAGS: ReadonlyMap<string, string> = new Map([
  ['apimanagement', 'ApiManagement is the management plane; the NSG already lets it reach 3443'],
  ['azureloadbalancer', 'AzureLoadBalancer is Azure\'s health probe; the NSG already lets it reach 6390'],
  ['azuretrafficmanager', 'AzureTrafficManager is Traffic Manager\'s probes; the NSG already lets them in when the instance has several locations'],
  ['virtualnetwork', 'callers inside the virtual network reach the gateway through Azure\'s AllowVnetInBound rule already; for a gateway only they call, use Internal mode'],
  ['gatewaymanager', 'GatewayManager is the management traffic of VPN and application gateways, not a client'],
  ...['storage', 'sql', 'azurekeyvault', 'azuremonitor', 'eventhub', 'azureactivedirectory'].map((tag): [string, string] =>
    [tag, 'it holds the addresses of an Azure service APIM depends on, not of clients']),
]);
