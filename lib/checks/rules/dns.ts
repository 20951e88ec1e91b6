/**
 * DNS rules: private DNS zones and name resolution of the APIM virtual networks (facts section 6).
 *
 * - No private zone named `azure-api.net` (Azure refuses the name, and it would answer for every APIM instance).
 * - An Internal instance is reachable only by its host names, which are in no public DNS: its gateway host
 *   `<name>.azure-api.net` needs a private record in a zone linked to each location's virtual network, unless that
 *   network uses custom DNS servers (which the checks cannot see into).
 */
import { Rule, RuleResult, defineRule, subjectOf, underCondition } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { APIM_DOMAIN, gatewayHostName } from '../../core/private-dns';
import { Resource, TerraformModel, Unknown, isUnknown } from '../model';
import { Targets, injectedMode } from '../targets';

const { ERROR, WARNING } = ApimRuleLevel;

/** A zone name as Azure compares it: lower case, without the final dot. */
function zoneKey(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** A private DNS zone as links and records name it: its name and resource group (Unknown when not literal). */
interface ZoneRef {
  readonly name: string | Unknown | undefined;
  readonly group: string | Unknown | undefined;
}

/** Whether two zone references may name the same zone: true, false, or Unknown. */
function sameZone(a: ZoneRef, b: ZoneRef): boolean | Unknown {
  for (const [x, y] of [[a.name, b.name], [a.group, b.group]] as const) {
    if (isUnknown(x)) {
      return x;
    }
    if (isUnknown(y)) {
      return y;
    }
    if (typeof x === 'string' && typeof y === 'string' && zoneKey(x) !== zoneKey(y)) {
      return false;
    }
  }
  return true;
}

interface LinkView {
  readonly link: Resource;
  readonly zone: ZoneRef;
  readonly vnet: Resource | Unknown | undefined;
}

function links(t: Targets): LinkView[] {
  return t.memo(t.model, 'dns-links', () => t.model.ofType('azurerm_private_dns_zone_virtual_network_link').map((link) => ({
    link,
    zone: { name: t.model.str(link.config.private_dns_zone_name), group: t.model.str(link.config.resource_group_name) },
    vnet: t.model.target(link.config.virtual_network_id, 'azurerm_virtual_network'),
  })));
}

/** The virtual networks holding an APIM subnet, and whether some cannot be known. */
function apimNetworks(t: Targets): { known: Set<Resource>; unknown?: Unknown } {
  return t.memo(t.model, 'dns-apim-vnets', () => {
    const known = new Set<Resource>();
    let unknown: Unknown | undefined = t.unreadableSubnets[0]?.reason;
    for (const target of t.subnets) {
      const vnet = t.model.virtualNetworkOf(target.subnet);
      if (vnet && !isUnknown(vnet)) {
        known.add(vnet);
      } else {
        unknown = isUnknown(vnet) ? vnet : new Unknown(`the virtual network of ${target.subnet.address}`);
      }
    }
    return { known, unknown };
  });
}

const isApex = (name: string | Unknown | undefined) => typeof name === 'string' && zoneKey(name) === APIM_DOMAIN;

/** Record types that make a host name resolve to an IPv4 address. */
const RECORD_TYPES = ['azurerm_private_dns_a_record', 'azurerm_private_dns_cname_record'];

/**
 * Whether a private DNS record for `host` sits in a zone linked to `vnet`: true, false, or Unknown when a link, zone
 * or record that might decide it cannot be read.
 */
function hasPrivateRecord(t: Targets, host: string, vnet: Resource): boolean | Unknown {
  let unknown: Unknown | undefined;
  for (const { link, zone, vnet: linked } of links(t)) {
    if (isUnknown(linked) || isUnknown(zone.name)) {
      unknown = isUnknown(linked) ? linked : zone.name as Unknown;
      continue;
    }
    if (linked !== vnet || typeof zone.name !== 'string') {
      continue;
    }
    const name = zoneKey(zone.name);
    if (host !== name && !host.endsWith(`.${name}`)) {
      continue;
    }
    const relative = host === name ? '@' : host.slice(0, host.length - name.length - 1);
    for (const type of RECORD_TYPES) {
      for (const record of t.model.ofType(type)) {
        const recordName = t.model.str(record.config.name);
        const same = sameZone(zone, { name: t.model.str(record.config.zone_name), group: t.model.str(record.config.resource_group_name) });
        if (isUnknown(same) || isUnknown(recordName)) {
          unknown = isUnknown(same) ? same : recordName as Unknown;
        } else if (same && typeof recordName === 'string' && recordName.trim().toLowerCase() === relative) {
          // A link or record repeated by count/for_each over an unknown collection may not exist.
          const maybe = link.maybe ?? record.maybe;
          if (!maybe) {
            return true;
          }
          unknown = maybe;
        }
      }
    }
  }
  return unknown ?? false;
}

/**
 * Whether a list of DNS servers names one of the user's own: Azure's resolver (168.63.129.16, which resolves the
 * instance's names only through a linked private zone, as with no list) and empty entries are not.
 */
function namesOwnServer(list: readonly string[]): boolean {
  return list.some((server) => server.trim() !== '' && server.trim() !== AZURE_RESOLVER);
}

const AZURE_RESOLVER = '168.63.129.16';

/** The custom DNS servers of a virtual network (inline or `azurerm_virtual_network_dns_servers`): true, false or Unknown. */
function hasCustomDnsServers(model: TerraformModel, vnet: Resource): boolean | Unknown {
  const inline = model.strings(vnet.config.dns_servers);
  if (Array.isArray(inline) && namesOwnServer(inline)) {
    return true;
  }
  let unknown: Unknown | undefined = isUnknown(inline) ? inline : undefined;
  for (const servers of model.ofType('azurerm_virtual_network_dns_servers')) {
    const target = model.target(servers.config.virtual_network_id, 'azurerm_virtual_network');
    const list = model.strings(servers.config.dns_servers);
    if (isUnknown(target)) {
      unknown = target;
    } else if (target === vnet) {
      if (Array.isArray(list) && namesOwnServer(list) && !servers.maybe) {
        return true;
      }
      unknown = servers.maybe ?? unknown;
      unknown = isUnknown(list) ? list : unknown;
    }
  }
  return unknown ?? false;
}

function checkApex(t: Targets, r: RuleResult): void {
  const networks = apimNetworks(t);
  if (networks.known.size === 0 && !networks.unknown) {
    return;
  }
  const linked = new Set<Resource>();
  for (const { link, zone, vnet } of links(t)) {
    const subject = subjectOf(link);
    if (isUnknown(zone.name)) {
      r.unknown(subject, zone.name);
      continue;
    }
    const toApim = vnet && !isUnknown(vnet) && networks.known.has(vnet);
    if (!isApex(zone.name)) {
      if (toApim) {
        r.pass(subject);
      }
      continue;
    }
    for (const z of t.model.ofType('azurerm_private_dns_zone')) {
      if (sameZone(zone, { name: t.model.str(z.config.name), group: t.model.str(z.config.resource_group_name) }) === true) {
        linked.add(z);
      }
    }
    if (link.maybe) {
      r.unknown(subject, `whether ${link.address} exists: ${link.maybe.reason}`);
    } else if (toApim) {
      r.fail(subject, `links the private DNS zone "${zone.name}" to ${(vnet as Resource).address}, which holds an APIM subnet; Azure refuses the name and it would answer for every APIM host name`);
    } else if (isUnknown(vnet)) {
      r.fail(subject, `links the private DNS zone "${zone.name}" to a virtual network the checks cannot see (${vnet.reason}); Azure refuses a private zone of that name`);
    } else if (networks.unknown) {
      r.unknown(subject, networks.unknown);
    }
  }
  // A zone named azure-api.net whose links are not in this document: they may be anywhere.
  for (const zone of t.model.ofType('azurerm_private_dns_zone')) {
    const name = t.model.str(zone.config.name);
    if (isApex(name) && !linked.has(zone) && zone.maybe) {
      r.unknown(subjectOf(zone), `whether ${zone.address} exists: ${zone.maybe.reason}`);
    } else if (isApex(name) && !linked.has(zone)) {
      r.fail(subjectOf(zone), `is a private DNS zone named "${String(name)}" whose links are not in this stack; Azure refuses the name, and linked to an APIM network it would answer for every APIM host name`);
    }
  }
}

function checkInternalDns(t: Targets, outcomes: RuleResult): void {
  for (const apim of t.instances) {
    // An instance whose mode is not known is judged too, a problem being unknown.
    if (injectedMode(apim.mode) !== 'Internal' && !isUnknown(apim.mode)) {
      continue;
    }
    const r = underCondition(outcomes, isUnknown(apim.mode) ? `whether ${apim.resource.address} runs in Internal mode: virtual_network_type is ${apim.mode.reason}` : undefined);
    const apimSubject = subjectOf(apim.resource);
    const name = t.model.str(apim.resource.config.name);
    if (typeof name !== 'string') {
      r.unknown(apimSubject, isUnknown(name) ? name : 'the instance has no name');
      continue;
    }
    const host = gatewayHostName(name);
    for (const location of apim.locations) {
      if (location.subnet === undefined) {
        continue;
      }
      if (isUnknown(location.subnet)) {
        r.unknown(apimSubject, `the subnet of ${location.label}: ${location.subnet.reason}`, location.label);
        continue;
      }
      const vnet = t.model.virtualNetworkOf(location.subnet);
      if (vnet === undefined || isUnknown(vnet)) {
        r.unknown(apimSubject, `the virtual network of ${location.label}: ${vnet?.reason ?? 'not set'}`, location.label);
        continue;
      }
      const subject = subjectOf(vnet);
      const record = hasPrivateRecord(t, host, vnet);
      const servers = record === true ? false : hasCustomDnsServers(t.model, vnet);
      if (record === true || servers === true) {
        r.pass(subject, location.label);
      } else if (isUnknown(record) || isUnknown(servers)) {
        r.unknown(subject, isUnknown(record) ? record : servers as Unknown, location.label);
      } else {
        r.fail(subject, `holds the ${location.label} location of the Internal instance ${apim.resource.address}, but no private DNS record for ${host} is in a zone linked to it and it has no custom DNS servers; the gateway cannot be reached by name`, location.label);
      }
    }
  }
}

/** The dns rules, in the order of the README table (the catalog concatenates the area lists). */
export const DNS_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-DNS-APEX', level: ERROR, area: 'dns', source: SOURCES.internal,
    title: 'no private DNS zone azure-api.net linked to an APIM virtual network (or with links the checks cannot see)',
    why: 'An apex zone hides every other *.azure-api.net name, and Azure refuses it',
    fix: 'create zones for the exact APIM host names instead (ApimPrivateDns)',
    check: checkApex,
  }),
  defineRule({
    id: 'APIM-DNS-INTERNAL', level: WARNING, area: 'dns', source: SOURCES.internalDns,
    title: 'Internal mode: the gateway host `<name>.azure-api.net` has a private DNS record in a zone linked to each location\'s virtual network, or the network uses custom DNS servers',
    why: 'Internal endpoints are in no public DNS and answer only on their host names: without DNS nobody reaches the instance',
    fix: 'create private DNS zones for the APIM host names linked to the virtual networks (ApimPrivateDns), or set custom DNS servers that resolve them',
    check: checkInternalDns,
  }),
];
