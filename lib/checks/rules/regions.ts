/**
 * Region rules: locations the region table does not list, zones in a region without availability zones, and an APIM
 * instance left out of the network built for it (`lib/core/locations.ts` holds the region table).
 */
import { closestRegion, normalizeLocation, regionInfo, zonesOf } from '../../core/locations';
import { Resource, Unknown, isUnknown } from '../model';
import { Rule, Subject, defineRule, subjectOf } from '../rule';
import { SOURCES } from '../sources';
import { Targets, injectedMode, isV2Tier } from '../targets';
import { ApimRuleLevel } from '../types';

const REGIONS_LIST = 'https://learn.microsoft.com/azure/reliability/regions-list';

/** A location to judge, with what holds it. */
interface Placed {
  readonly subject: Subject;
  readonly location: string | Unknown | undefined;
  /** How the finding names the location's owner, e.g. `primary` or `azurerm_public_ip.pip`. */
  readonly detail: string;
}

/** Every location the checks look at: APIM locations first, then the subnets, NSGs and public IPs of APIM networks. */
function placedLocations(t: Targets): Placed[] {
  const out: Placed[] = t.locations.map(({ apim, location }) => ({ subject: subjectOf(apim.resource), location: location.location, detail: location.label }));
  const resource = (r: Resource, location: string | Unknown | undefined) => ({ subject: subjectOf(r), location, detail: r.address });
  for (const target of t.subnets) {
    // A subnet has no location in Terraform: its virtual network's, or the one this library's construct recorded.
    const recorded = target.subnet.marker?.location;
    out.push(resource(target.subnet, isUnknown(target.location) && recorded ? recorded : target.location));
  }
  for (const target of t.nsgs) {
    out.push(resource(target.nsg, t.model.location(target.nsg)));
  }
  for (const target of t.publicIps) {
    out.push(resource(target.publicIp, t.model.location(target.publicIp)));
  }
  return out;
}

/** The region rules, in the order of the README table. */
export const REGION_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-LOCATION-UNKNOWN', level: ApimRuleLevel.WARNING, area: 'placement', source: REGIONS_LIST,
    title: 'every location is a region the library\'s region table lists',
    why: 'A misspelt region fails only at apply; zones and regional service tags cannot be derived for an unlisted one',
    fix: 'correct the spelling; for a region newer than this library, suppress the warning with a reason',
    check(t, r) {
      // One finding per unlisted location (on its first holder), not one per resource in it.
      const reported = new Set<string>();
      for (const placed of placedLocations(t)) {
        if (placed.location === undefined) {
          continue;
        }
        if (isUnknown(placed.location)) {
          r.unknown(placed.subject, placed.location, placed.detail);
          continue;
        }
        // The detail (the suppression key) is the location itself, normalised ("West Europ" and "westeurop" alike):
        // the same whether an APIM instance, a subnet or a public IP holds it first.
        const key = normalizeLocation(placed.location);
        if (regionInfo(placed.location) !== undefined) {
          r.pass(placed.subject, key);
          continue;
        }
        if (reported.has(key)) {
          continue;
        }
        reported.add(key);
        const closest = closestRegion(placed.location);
        r.fail(placed.subject, `${placed.detail} is in "${placed.location}", which is not a region this library lists` +
          `${closest ? ` (did you mean "${closest}"?)` : ''}; this library's constructs use the global service tags there and give its ` +
          'public IPs no zones unless publicIp zones are given. Azure adds regions, so this is a warning, not an error', key);
      }
    },
  }),
  defineRule({
    id: 'APIM-ZONES-REGION', level: ApimRuleLevel.ERROR, area: 'placement', source: SOURCES.zones,
    title: 'zones only in a region with availability zones',
    why: 'Azure refuses availability zones for APIM and public IPs in a region that has none',
    fix: 'remove the zones, or deploy the location in a region with availability zones',
    check(t, r) {
      const judge = (subject: Subject, location: string | Unknown | undefined, zones: string[] | Unknown | undefined, detail: string) => {
        if (zones === undefined || (Array.isArray(zones) && zones.length === 0)) {
          return;
        }
        if (isUnknown(zones) || isUnknown(location) || location === undefined) {
          r.unknown(subject, isUnknown(zones) ? zones : isUnknown(location) ? location : new Unknown('the location is not set'), detail);
          return;
        }
        const offered = zonesOf(location);
        if (offered === undefined) {
          r.notApplicable(subject, `"${location}" is not in the region table (see APIM-LOCATION-UNKNOWN)`, detail);
          return;
        }
        r.check(subject, offered.length > 0, () => `${detail} lists zones ${zones.join(', ')} in ${location}, which has no availability zones`, detail);
      };
      for (const { apim, location } of t.locations) {
        judge(subjectOf(apim.resource), location.location, location.zones, location.label);
      }
      for (const { publicIp } of t.publicIps) {
        judge(subjectOf(publicIp), t.model.location(publicIp), t.model.strings(publicIp.config.zones), publicIp.address);
      }
    },
  }),
  defineRule({
    id: 'APIM-NOT-CONNECTED', level: ApimRuleLevel.WARNING, area: 'placement', source: SOURCES.resources,
    title: 'an APIM instance beside this library\'s network is injected into a virtual network',
    why: 'Without connect() the instance is deployed without VNet injection, and no network rule looks at it',
    fix: 'call network.connect(apim), or set virtual_network_type and the subnets yourself',
    check(t, r) {
      const networks = t.model.ofType('azurerm_subnet').filter((subnet) => subnet.marker?.role === 'subnet');
      if (networks.length === 0) {
        return;
      }
      const built = networks.map((subnet) => subnet.path).join(', ');
      for (const apim of t.model.apimInstances()) {
        const subject = subjectOf(apim.resource);
        if (isV2Tier(apim.tier)) {
          continue; // the engine records every classic rule as not applicable to a v2 instance
        }
        if (isUnknown(apim.mode)) {
          r.unknown(subject, apim.mode);
        } else {
          r.check(subject, injectedMode(apim.mode) !== undefined, () => `${apim.resource.address} is not injected into a virtual network ` +
            `(virtual_network_type ${apim.mode}), while this stack holds the APIM network built by this library (${built}); forgot connect()?`);
        }
      }
    },
  }),
];
