/**
 * Public IP rules: what an APIM location's public IP must be.
 */
import { Rule, RuleResult, defineRule, subjectOf } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { Ref, Unknown, isUnknown } from '../model';
import { Targets, unknownPublicIps } from '../targets';

/** A string attribute compared with the value APIM needs; `fallback` is the provider default when unset. */
function attribute(t: Targets, r: RuleResult, field: string, wanted: string, fallback: string | undefined): void {
  unknownPublicIps(t, r);
  for (const { publicIp } of t.publicIps) {
    const subject = subjectOf(publicIp);
    const value = t.model.str(publicIp.config[field]) ?? fallback;
    if (isUnknown(value)) {
      r.unknown(subject, value);
    } else {
      r.check(subject, value !== undefined && value.toLowerCase() === wanted.toLowerCase(),
        () => `${field} is ${value === undefined ? 'not set' : `"${value}"`}; APIM needs "${wanted}"`);
    }
  }
}

const { ERROR, WARNING } = ApimRuleLevel;

/** The public-ip rules, in the order of the README table (the catalog concatenates the area lists). */
export const PUBLIC_IP_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-PIP-SKU', level: ERROR, area: 'public-ip', source: SOURCES.resources,
    title: 'the public IP is Standard',
    why: 'APIM takes only Standard public IPs',
    fix: 'set sku = "Standard"',
    check(t, r) {
      // azurerm 4.x defaults sku to Standard.
      attribute(t, r, 'sku', 'Standard', 'Standard');
    },
  }),
  defineRule({
    id: 'APIM-PIP-ALLOCATION', level: ERROR, area: 'public-ip', source: SOURCES.azurermPublicIp,
    title: 'the public IP is Static',
    why: 'A Standard public IP must be static',
    fix: 'set allocation_method = "Static"',
    check(t, r) {
      attribute(t, r, 'allocation_method', 'Static', undefined);
    },
  }),
  defineRule({
    id: 'APIM-PIP-VERSION', level: ERROR, area: 'public-ip', source: SOURCES.resources,
    title: 'the public IP is IPv4',
    why: 'APIM takes only IPv4 public IPs',
    fix: 'set ip_version = "IPv4"',
    check(t, r) {
      // azurerm defaults ip_version to IPv4.
      attribute(t, r, 'ip_version', 'IPv4', 'IPv4');
    },
  }),
  defineRule({
    id: 'APIM-PIP-DNS-LABEL', level: ERROR, area: 'public-ip', source: SOURCES.resources,
    title: 'the public IP has a DNS name label',
    why: 'APIM\'s hostnames resolve through the label',
    fix: 'set domain_name_label (ideally the APIM name)',
    check(t, r) {
      unknownPublicIps(t, r);
      for (const { publicIp } of t.publicIps) {
        const subject = subjectOf(publicIp);
        const label = t.model.str(publicIp.config.domain_name_label);
        if (isUnknown(label)) {
          r.unknown(subject, label);
        } else {
          r.check(subject, label !== undefined && label.trim() !== '',
            () => 'domain_name_label is not set; APIM\'s hostnames are CNAMEs of the label\'s FQDN');
        }
      }
    },
  }),
  defineRule({
    id: 'APIM-PIP-ZONES', level: ERROR, area: 'public-ip', source: SOURCES.resources,
    title: 'with zones, the public IP is zone-redundant (two zones or more) or in the one zone APIM uses',
    why: 'A public IP without zones is not zone-redundant, and zones cannot be added later; Azure makes a public IP listed in several zones zone-redundant',
    fix: 'create the public IP with zones ["1", "2", "3"]',
    check(t, r) {
      unknownPublicIps(t, r, true);
      for (const { publicIp, location } of t.publicIps) {
        if (!location || location.zones === undefined) {
          continue;
        }
        const subject = subjectOf(publicIp);
        const wanted = location.zones;
        const actual = t.model.strings(publicIp.config.zones) ?? [];
        if (isUnknown(wanted) || isUnknown(actual)) {
          r.unknown(subject, isUnknown(wanted) ? wanted : (actual as Unknown));
          continue;
        }
        // Azure creates a public IP listed in two or more zones as zone-redundant (across all zones of the region).
        const missing = actual.length >= 2 ? [] : wanted.filter((z) => !actual.includes(z));
        r.check(subject, missing.length === 0,
          () => `${location.apim.resource.address} ${location.label} uses zones ${wanted.join(', ')} but the public IP has ${actual.length === 0 ? 'no zones (not zone-redundant)' : `zones ${actual.join(', ')}`}`);
      }
    },
  }),
  defineRule({
    id: 'APIM-PIP-ROUTING', level: WARNING, area: 'public-ip', source: SOURCES.resources,
    title: 'no RoutingPreference ip tag',
    why: 'APIM expects the Microsoft network routing default',
    fix: 'remove the RoutingPreference ip_tag',
    check(t, r) {
      for (const { publicIp } of t.publicIps) {
        const subject = subjectOf(publicIp);
        const tags = publicIp.config.ip_tags;
        if (isUnknown(tags) || tags instanceof Ref) {
          r.unknown(subject, isUnknown(tags) ? tags : 'ip_tags, known only after apply');
          continue;
        }
        const keys = tags && typeof tags === 'object' && !Array.isArray(tags) ? Object.keys(tags) : [];
        const routingTag = keys.find((k) => k.toLowerCase() === 'routingpreference');
        r.check(subject, routingTag === undefined,
          () => `ip_tags sets ${routingTag} = ${JSON.stringify((tags as Record<string, unknown>)[routingTag as string])}; keep the Microsoft network default`);
      }
    },
  }),
  defineRule({
    id: 'APIM-PIP-FOR-ZONES', level: WARNING, area: 'public-ip', source: SOURCES.zones,
    title: 'a VNet-injected location with zones has a public IP',
    why: 'The API and the provider ask for one when zones are set or changed',
    fix: 'give the location a public_ip_address_id',
    check(t, r) {
      for (const { apim, location } of t.locations) {
        if (location.zones === undefined) {
          continue;
        }
        const subject = subjectOf(apim.resource);
        const detail = typeof location.location === 'string' ? location.location : location.label;
        if (isUnknown(location.zones)) {
          r.unknown(subject, location.zones, detail);
          continue;
        }
        r.check(subject, location.publicIp !== undefined,
          () => `${location.label} uses zones ${(location.zones as string[]).join(', ')} without public_ip_address_id; the API asks for a public IP when zones are set or changed`, detail);
      }
    },
  }),
];
