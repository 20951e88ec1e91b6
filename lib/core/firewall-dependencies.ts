/**
 * What a firewall or network virtual appliance must let through when an APIM subnet's internet traffic is forced
 * through it (forced tunnelling): the dependencies Microsoft lists outside the NSG table, as data. NSGs cannot express
 * FQDNs, so this list is for the firewall, not the NSG.
 *
 * Sources (Microsoft Learn, API Management):
 * - virtual-network-reference, 06/2025: TLS chain (CRL/OCSP), DNS, Microsoft Entra ID, metrics and health
 *   monitoring (AzureMonitor tag), developer portal CAPTCHA and publishing (Storage), Azure portal diagnostics, KMS,
 *   internal infrastructure (NTP, 12000, diagnostics, PKI, Windows Update, Defender). The 06/2025 variant of the page
 *   adds `ocsp.msocsp.com` and `oneocsp.msocsp.com` to the TLS hosts.
 * - the forced-tunnelling section of the VNet articles (11/2023 text, unchanged in 2026): service endpoints for Storage,
 *   Sql (primary only), Event Hubs and Key Vault carry those dependencies past the firewall; metrics and health
 *   monitoring, portal diagnostics, SMTP relay, developer portal CAPTCHA and KMS stay tunnelled.
 * - multi-region deployment, 09/2025: every secondary gateway reaches the primary region's SQL database on 1433; the
 *   Sql service endpoint cannot carry it.
 * - SMTP relay: the current pages name the dependency without hosts or ports; the hosts and ports here are those of
 *   the 2021-2022 reference table (`smtpi-*.msn.com`, `ies.global.microsoft.com`, TCP 25, 587, 25028).
 * - KMS: the current page links to the Windows activation article, which names `azkms.core.windows.net` and
 *   `kms.core.windows.net` on TCP 1688.
 *
 * Pure data and a pure function: no cdktf.
 */
import { normalizeLocation, regionInfo, regionalTag } from './locations';

/** A transport protocol a firewall rule matches. */
export enum ApimFirewallProtocol {
  /** TCP. */
  TCP = 'Tcp',
  /** UDP. */
  UDP = 'Udp',
}

/**
 * One dependency of API Management that a firewall must allow when the APIM subnet is force-tunnelled.
 *
 * A dependency names its destinations either as FQDNs (an application rule, or a network rule with FQDN filtering)
 * or as addresses (service tags, `*`, or IP addresses: a network rule), never both.
 */
export interface ApimFirewallDependency {
  /** Stable key, e.g. `tls-chain`. */
  readonly name: string;
  /** What APIM uses it for. */
  readonly purpose: string;
  /** Protocols. */
  readonly protocols: ApimFirewallProtocol[];
  /** Destination ports. */
  readonly ports: number[];
  /** Destination FQDNs (may start with `*.`); empty when the destination is given as addresses. */
  readonly fqdns: string[];
  /** Destination service tags, `*` or IP addresses; empty when the destination is given as FQDNs. */
  readonly addresses: string[];
  /** Whether every APIM instance needs it; false when it serves a feature (see `condition`). */
  readonly required: boolean;
  /**
   * When the dependency applies, for the ones that are not always needed.
   *
   * @default - always
   */
  readonly condition?: string;
  /** Where Microsoft documents it. */
  readonly source: string;
}

/**
 * Which location's dependencies to list.
 */
export interface ApimFirewallDependencyOptions {
  /** Location of the APIM subnet the firewall serves, e.g. `westeurope`. */
  readonly location: string;

  /**
   * The APIM instance's primary location.
   *
   * @default - this location
   */
  readonly primaryLocation?: string;

  /**
   * Whether the subnet has the forced-tunnelling service endpoints (Microsoft.Storage, Microsoft.EventHub,
   * Microsoft.KeyVault, and Microsoft.Sql in the primary location). Their traffic then leaves through the Azure
   * backbone, so the list leaves out what they carry.
   *
   * @default true
   */
  readonly serviceEndpoints?: boolean;

  /**
   * Custom DNS servers of the virtual network, when they are reached through the firewall.
   *
   * @default - the DNS entry names no address (Azure-provided DNS, 168.63.129.16, is not routed through the firewall)
   */
  readonly dnsServers?: string[];
}

const LEARN = 'https://learn.microsoft.com/azure/api-management';
const REFERENCE = `${LEARN}/virtual-network-reference`;
const FORCED_TUNNELLING = `${LEARN}/api-management-using-with-vnet#force-tunnel-traffic-to-on-premises-firewall-using-expressroute-or-network-virtual-appliance`;
const MULTI_REGION = `${LEARN}/api-management-howto-deploy-multi-region`;
const KMS = 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/custom-routes-enable-kms-activation';

const { TCP, UDP } = ApimFirewallProtocol;

function fqdnRule(name: string, purpose: string, ports: number[], fqdns: string[], source: string,
  condition?: string): ApimFirewallDependency {
  return { name, purpose, protocols: [TCP], ports, fqdns, addresses: [], required: condition === undefined, condition, source };
}

function addressRule(name: string, purpose: string, protocols: ApimFirewallProtocol[], ports: number[], addresses: string[],
  source: string, condition?: string): ApimFirewallDependency {
  return { name, purpose, protocols, ports, fqdns: [], addresses, required: condition === undefined, condition, source };
}

/**
 * The dependencies a firewall must allow for the APIM subnet of one location, in a stable order.
 */
export function firewallDependencies(options: ApimFirewallDependencyOptions): ApimFirewallDependency[] {
  const location = normalizeLocation(options.location);
  const primary = normalizeLocation(options.primaryLocation ?? options.location);
  const isPrimary = location === primary;
  const endpoints = options.serviceEndpoints ?? true;
  const dnsServers = [...(options.dnsServers ?? [])];
  const out: ApimFirewallDependency[] = [
    // Only when the DNS servers sit behind the firewall: Azure DNS is not routed, and a resolver in a peered hub is
    // reached through the peering's more specific route, not the default route.
    addressRule('dns', 'Name resolution by the virtual network\'s DNS servers', [UDP, TCP], [53], dnsServers,
      `${REFERENCE}#dns-access`, dnsServers.length > 0
        ? 'the custom DNS servers are reached through the firewall (not directly through a peering)'
        : 'custom DNS servers are reached through the firewall (give their addresses)'),
    fqdnRule('tls-chain', 'TLS certificate chain building and revocation checks (CRL, OCSP)', [80, 443], [
      'mscrl.microsoft.com', 'crl.microsoft.com', 'oneocsp.microsoft.com', 'cacerts.digicert.com', 'crl3.digicert.com',
      'csp.digicert.com', 'ocsp.msocsp.com', 'oneocsp.msocsp.com',
    ], `${REFERENCE}#tls-functionality`),
    fqdnRule('entra-id', `Microsoft Entra ID sign-in${regionInfo(location) ? '' : `; "${location}" is not a region this library lists, and the regional host is built from it: check its spelling`}`,
      [443], [`${location}.login.microsoft.com`, 'login.microsoftonline.com'],
      `${REFERENCE}#microsoft-entra-integration`),
    addressRule('azure-monitor', 'Metrics, diagnostic logs and health monitoring (AzureMonitor service tag)', [TCP], [1886, 443],
      ['AzureMonitor'], `${REFERENCE}#metrics-and-health-monitoring`),
    addressRule('ntp', 'Time synchronisation (NTP) of the internal compute infrastructure', [UDP], [123], ['*'],
      `${REFERENCE}#internal-infrastructure-and-diagnostics`),
    addressRule('diagnostics-12000', 'Diagnostics of the internal compute infrastructure', [TCP], [12000], ['AzureCloud'],
      `${REFERENCE}#internal-infrastructure-and-diagnostics`),
    fqdnRule('internal-diagnostics', 'Internal diagnostics of the compute infrastructure', [443], [
      'azurewatsonanalysis-prod.core.windows.net', '*.data.microsoft.com', 'azureprofiler.trafficmanager.net',
      'shavamanifestazurecdnprod1.azureedge.net', 'shavamanifestcdnprod1.azureedge.net',
    ], `${REFERENCE}#internal-infrastructure-and-diagnostics`),
    fqdnRule('pki', 'Internal PKI', [443], ['issuer.pki.azure.com'], `${REFERENCE}#internal-infrastructure-and-diagnostics`),
    fqdnRule('windows-update', 'Windows Update of the compute infrastructure', [80, 443], [
      '*.update.microsoft.com', '*.ctldl.windowsupdate.com', 'ctldl.windowsupdate.com', 'download.windowsupdate.com',
      'go.microsoft.com',
    ], `${REFERENCE}#internal-infrastructure-and-diagnostics`),
    fqdnRule('defender', 'Microsoft Defender of the compute infrastructure', [443], ['wdcp.microsoft.com', 'wdcpalt.microsoft.com'],
      `${REFERENCE}#internal-infrastructure-and-diagnostics`),
    fqdnRule('portal-diagnostics', 'Diagnostic logs of the Azure portal\'s API Management diagnostics extension', [443],
      ['dc.services.visualstudio.com'], `${REFERENCE}#azure-portal-diagnostics`,
      'the Azure portal diagnostics extension is used from inside the virtual network'),
    fqdnRule('developer-portal-captcha', 'CAPTCHA of the developer portal', [443], ['client.hip.live.com', 'partner.hip.live.com'],
      `${REFERENCE}#developer-portal-captcha`, 'the developer portal is used'),
    fqdnRule('smtp-relay', 'E-mail notifications through API Management\'s SMTP relay', [25, 587, 25028], [
      'smtpi-co1.msn.com', 'smtpi-ch1.msn.com', 'smtpi-db3.msn.com', 'smtpi-sin.msn.com', 'ies.global.microsoft.com',
    ], FORCED_TUNNELLING, 'APIM sends e-mail (hosts and ports from the 2021-2022 reference; the current text names only "SMTP relay")'),
    fqdnRule('kms', 'Windows activation (KMS)', [1688], ['azkms.core.windows.net', 'kms.core.windows.net'], KMS,
      'Windows virtual machines are added to the virtual network'),
  ];
  if (!endpoints) {
    out.push(
      addressRule('storage', 'Azure Storage (also developer portal publishing)', [TCP], [443], ['Storage'], `${REFERENCE}#publishing-the-developer-portal`),
      addressRule('key-vault', 'Azure Key Vault', [TCP], [443], ['AzureKeyVault'], REFERENCE),
      addressRule('event-hub', 'The log-to-eventhub policy', [TCP], [5671, 5672, 443], ['EventHub'], REFERENCE, 'the log-to-eventhub policy is used'),
    );
  }
  if (!isPrimary) {
    // The SQL database lives in the primary region only; a secondary reaches it through the firewall, never through
    // its own Sql service endpoint.
    // A regional tag needs the region's name as Azure spells it: for a primary this library does not list, the
    // global tag, never a guess (as the NSG does).
    const listed = regionInfo(primary) !== undefined;
    out.push(addressRule('sql-primary', `The instance's SQL database, which lives in the primary region${listed ? ''
      : `; "${primary}" is not a region this library lists, so this is the global Sql tag (check the spelling; narrow it to the primary's regional Sql tag as Azure spells it)`}`,
    [TCP], [1433], [listed ? regionalTag('Sql', primary) : 'Sql'], MULTI_REGION));
  } else if (!endpoints) {
    out.push(addressRule('sql', 'The instance\'s SQL database', [TCP], [1433], ['Sql'], REFERENCE));
  }
  return out;
}

