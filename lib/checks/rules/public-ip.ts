/**
 * Public IP rules: APIM-PIP-SKU, -ALLOCATION, -VERSION, -DNS-LABEL, -ZONES, -ROUTING, -FOR-ZONES.
 */
import { Unknown, isUnknown } from '../model';
import { Collector, Targets, subjectOf } from '../targets';

/** A string attribute compared with the value APIM needs; `fallback` is the provider default when unset. */
function attribute(t: Targets, c: Collector, ruleId: string, field: string, wanted: string, fallback: string | undefined): void {
  for (const { publicIp } of t.publicIps) {
    const subject = subjectOf(publicIp);
    const value = t.model.str(publicIp.config[field]) ?? fallback;
    if (isUnknown(value)) {
      c.unknown(ruleId, subject, value);
    } else {
      c.check(ruleId, subject, value !== undefined && value.toLowerCase() === wanted.toLowerCase(),
        () => `${field} is ${value === undefined ? 'not set' : `"${value}"`}; APIM needs "${wanted}"`);
    }
  }
}

export function sku(t: Targets, c: Collector): void {
  // azurerm 4.x defaults sku to Standard.
  attribute(t, c, 'APIM-PIP-SKU', 'sku', 'Standard', 'Standard');
}

export function allocation(t: Targets, c: Collector): void {
  attribute(t, c, 'APIM-PIP-ALLOCATION', 'allocation_method', 'Static', undefined);
}

export function version(t: Targets, c: Collector): void {
  // azurerm defaults ip_version to IPv4.
  attribute(t, c, 'APIM-PIP-VERSION', 'ip_version', 'IPv4', 'IPv4');
}

export function dnsLabel(t: Targets, c: Collector): void {
  for (const { publicIp } of t.publicIps) {
    const subject = subjectOf(publicIp);
    const label = t.model.str(publicIp.config.domain_name_label);
    if (isUnknown(label)) {
      c.unknown('APIM-PIP-DNS-LABEL', subject, label);
    } else {
      c.check('APIM-PIP-DNS-LABEL', subject, label !== undefined && label.trim() !== '',
        () => 'domain_name_label is not set; APIM\'s hostnames are CNAMEs of the label\'s FQDN');
    }
  }
}

export function zones(t: Targets, c: Collector): void {
  for (const { publicIp, location } of t.publicIps) {
    if (!location || location.zones === undefined) {
      continue;
    }
    const subject = subjectOf(publicIp);
    const wanted = location.zones;
    const actual = t.model.strings(publicIp.config.zones) ?? [];
    if (isUnknown(wanted) || isUnknown(actual)) {
      c.unknown('APIM-PIP-ZONES', subject, isUnknown(wanted) ? wanted : (actual as Unknown));
      continue;
    }
    const missing = wanted.filter((z) => !actual.includes(z));
    c.check('APIM-PIP-ZONES', subject, missing.length === 0,
      () => `${location.apim.resource.address} ${location.label} uses zones ${wanted.join(', ')} but the public IP has ${actual.length === 0 ? 'no zones (not zone-redundant)' : `zones ${actual.join(', ')}`}`);
  }
}

export function routing(t: Targets, c: Collector): void {
  for (const { publicIp } of t.publicIps) {
    const subject = subjectOf(publicIp);
    const tags = t.model.resolve(publicIp.config.ip_tags);
    if (isUnknown(tags)) {
      c.unknown('APIM-PIP-ROUTING', subject, tags);
      continue;
    }
    const keys = tags && typeof tags === 'object' && !Array.isArray(tags) ? Object.keys(tags) : [];
    const routingTag = keys.find((k) => k.toLowerCase() === 'routingpreference');
    c.check('APIM-PIP-ROUTING', subject, routingTag === undefined,
      () => `ip_tags sets ${routingTag} = ${JSON.stringify((tags as Record<string, unknown>)[routingTag as string])}; keep the Microsoft network default`);
  }
}

export function forZones(t: Targets, c: Collector): void {
  for (const { apim, location } of t.locations) {
    if (location.zones === undefined) {
      continue;
    }
    const subject = subjectOf(apim.resource);
    const detail = typeof location.location === 'string' ? location.location : location.label;
    if (isUnknown(location.zones)) {
      c.unknown('APIM-PIP-FOR-ZONES', subject, location.zones, detail);
      continue;
    }
    c.check('APIM-PIP-FOR-ZONES', subject, location.publicIp !== undefined,
      () => `${location.label} uses zones ${(location.zones as string[]).join(', ')} without public_ip_address_id; the API asks for a public IP when zones are set or changed`, detail);
  }
}
