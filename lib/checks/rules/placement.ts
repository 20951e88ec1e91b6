/**
 * Placement and SKU rules: APIM-SKU-VNET, APIM-SKU-PREMIUM-FEATURE, APIM-VNET-CONFIG, APIM-LOCATION,
 * APIM-LOCATION-UNIQUE, APIM-SUBSCRIPTION, APIM-ZONES-CAPACITY.
 */
import { Resource, Unknown, isUnknown } from '../model';
import { Collector, Targets, subjectOf } from '../targets';

const CLASSIC_INJECTABLE = ['developer', 'premium'];

export function skuVnet(t: Targets, c: Collector): void {
  for (const apim of t.instances) {
    const subject = subjectOf(apim.resource);
    if (isUnknown(apim.tier)) {
      c.unknown('APIM-SKU-VNET', subject, apim.tier);
    } else {
      c.check('APIM-SKU-VNET', subject, CLASSIC_INJECTABLE.includes(apim.tier.toLowerCase()),
        () => `sku_name tier "${String(apim.tier)}" cannot be injected into a virtual network (virtual_network_type ${String(apim.mode)})`);
    }
  }
}

export function skuPremiumFeature(t: Targets, c: Collector): void {
  for (const apim of t.instances) {
    const subject = subjectOf(apim.resource);
    const zoned = apim.locations.filter((l) => Array.isArray(l.zones) && l.zones.length > 0).map((l) => l.label);
    const additional = apim.locations.length - 1;
    if (zoned.length === 0 && additional === 0 && !apim.additionalUnknown) {
      c.pass('APIM-SKU-PREMIUM-FEATURE', subject);
      continue;
    }
    if (isUnknown(apim.tier)) {
      c.unknown('APIM-SKU-PREMIUM-FEATURE', subject, apim.tier);
      continue;
    }
    const uses = [zoned.length > 0 ? `zones (${zoned.join(', ')})` : '', additional > 0 ? `${additional} additional_location` : '']
      .filter((s) => s !== '').join(' and ');
    c.check('APIM-SKU-PREMIUM-FEATURE', subject, apim.tier.toLowerCase() === 'premium' || uses === '',
      () => `${uses} on the ${String(apim.tier)} tier; only Premium has them`);
  }
}

export function vnetConfig(t: Targets, c: Collector): void {
  for (const apim of t.instances) {
    const subject = subjectOf(apim.resource);
    const [primary, ...others] = apim.locations;
    if (primary.subnet === undefined) {
      c.fail('APIM-VNET-CONFIG', subject, `virtual_network_type is ${String(apim.mode)} but virtual_network_configuration.subnet_id is not set`, 'primary');
      for (const other of others.filter((o) => o.subnet !== undefined)) {
        c.fail('APIM-VNET-CONFIG', subject, `${other.label} has a subnet while the primary location has none`, other.label);
      }
      continue;
    }
    c.pass('APIM-VNET-CONFIG', subject, 'primary');
    for (const other of others) {
      c.check('APIM-VNET-CONFIG', subject, other.subnet !== undefined,
        () => `${other.label} (${String(other.location)}) has no virtual_network_configuration.subnet_id; with a subnet on the primary location every additional location needs one`,
        other.label);
    }
    if (apim.additionalUnknown) {
      c.unknown('APIM-VNET-CONFIG', subject, apim.additionalUnknown, 'additional_location');
    }
  }
}

export function location(t: Targets, c: Collector): void {
  for (const { apim, location: loc } of t.locations) {
    const subject = subjectOf(apim.resource);
    const where = typeof loc.location === 'string' ? loc.location : loc.label;
    const compare = (what: string, resource: Resource | Unknown | undefined, resourceLocation: () => string | Unknown | undefined) => {
      const detail = `${where}:${what}`;
      if (resource === undefined) {
        return;
      }
      if (isUnknown(resource)) {
        c.unknown('APIM-LOCATION', subject, resource, detail);
        return;
      }
      const actual = resourceLocation();
      if (isUnknown(loc.location) || isUnknown(actual) || actual === undefined) {
        c.unknown('APIM-LOCATION', subject, isUnknown(loc.location) ? loc.location : isUnknown(actual) ? actual : new Unknown(`${resource.address} has no location`), detail);
        return;
      }
      c.check('APIM-LOCATION', subject, actual === loc.location,
        () => `${loc.label} is in ${loc.location} but its ${what} ${resource.address} is in ${actual}`, detail);
    };
    if (loc.subnet && !isUnknown(loc.subnet)) {
      const subnet = loc.subnet;
      const vnet = t.model.virtualNetworkOf(subnet);
      compare('virtual-network', vnet, () => (vnet && !isUnknown(vnet) ? t.model.location(vnet) : undefined));
    } else if (isUnknown(loc.subnet)) {
      c.unknown('APIM-LOCATION', subject, loc.subnet, `${where}:virtual-network`);
    }
    compare('public-ip', loc.publicIp, () => (loc.publicIp && !isUnknown(loc.publicIp) ? t.model.location(loc.publicIp) : undefined));
  }
}

export function locationUnique(t: Targets, c: Collector): void {
  const subnetUsers = new Map<Resource, string[]>();
  const pipUsers = new Map<Resource, string[]>();
  for (const apim of t.instances) {
    const subject = subjectOf(apim.resource);
    const seen = new Map<string, string>();
    let duplicate = false;
    for (const loc of apim.locations) {
      const name = `${apim.resource.address} ${loc.label}`;
      if (typeof loc.location === 'string') {
        const first = seen.get(loc.location);
        if (first !== undefined) {
          duplicate = true;
          c.fail('APIM-LOCATION-UNIQUE', subject, `${loc.label} repeats location ${loc.location} of ${first}`, loc.location);
        }
        seen.set(loc.location, loc.label);
      }
      if (loc.subnet && !isUnknown(loc.subnet)) {
        subnetUsers.set(loc.subnet, [...(subnetUsers.get(loc.subnet) ?? []), name]);
      }
      if (loc.publicIp && !isUnknown(loc.publicIp)) {
        pipUsers.set(loc.publicIp, [...(pipUsers.get(loc.publicIp) ?? []), name]);
      }
    }
    const unknown = apim.locations.find((l) => isUnknown(l.location));
    if (!duplicate && (unknown || apim.additionalUnknown)) {
      c.unknown('APIM-LOCATION-UNIQUE', subject, apim.additionalUnknown ?? (unknown?.location as Unknown), 'locations');
    } else if (!duplicate) {
      c.pass('APIM-LOCATION-UNIQUE', subject, 'locations');
    }
  }
  for (const [users, kind] of [[subnetUsers, 'subnet'], [pipUsers, 'public-ip']] as const) {
    for (const [resource, names] of users) {
      c.check('APIM-LOCATION-UNIQUE', subjectOf(resource), names.length === 1,
        () => `the ${kind} ${resource.address} is used by ${names.length} locations: ${names.join(', ')}`, kind);
    }
  }
}

export function subscription(t: Targets, c: Collector): void {
  for (const { apim, location: loc } of t.locations) {
    const subject = subjectOf(apim.resource);
    const where = typeof loc.location === 'string' ? loc.location : loc.label;
    const vnet = loc.subnet && !isUnknown(loc.subnet) ? t.model.virtualNetworkOf(loc.subnet) : loc.subnet;
    for (const [what, resource] of [['virtual-network', vnet], ['public-ip', loc.publicIp]] as const) {
      const detail = `${where}:${what}`;
      if (resource === undefined) {
        continue;
      }
      if (isUnknown(resource)) {
        c.unknown('APIM-SUBSCRIPTION', subject, resource, detail);
        continue;
      }
      if (resource.provider === apim.resource.provider) {
        c.pass('APIM-SUBSCRIPTION', subject, detail);
        continue;
      }
      const mine = t.model.subscriptionOf(apim.resource.provider);
      const theirs = t.model.subscriptionOf(resource.provider);
      if (typeof mine === 'string' && typeof theirs === 'string') {
        c.check('APIM-SUBSCRIPTION', subject, mine.toLowerCase() === theirs.toLowerCase(),
          () => `${resource.address} uses provider azurerm.${resource.provider} (subscription ${theirs}), the APIM instance azurerm.${apim.resource.provider} (subscription ${mine})`, detail);
      } else {
        c.fail('APIM-SUBSCRIPTION', subject,
          `${resource.address} uses provider azurerm.${resource.provider} and the APIM instance azurerm.${apim.resource.provider}, and a subscription_id is not known (${[mine, theirs].map((s) => (isUnknown(s) ? s.reason : s ?? 'not set')).join(' / ')})`,
          detail, 'warning');
      }
    }
  }
}

export function zonesCapacity(t: Targets, c: Collector): void {
  for (const { apim, location: loc } of t.locations) {
    if (loc.zones === undefined) {
      continue;
    }
    const subject = subjectOf(apim.resource);
    const detail = typeof loc.location === 'string' ? loc.location : loc.label;
    if (isUnknown(loc.zones) || isUnknown(loc.capacity)) {
      c.unknown('APIM-ZONES-CAPACITY', subject, isUnknown(loc.zones) ? loc.zones : (loc.capacity as Unknown), detail);
      continue;
    }
    const zones = loc.zones;
    const capacity = loc.capacity;
    c.check('APIM-ZONES-CAPACITY', subject, capacity % zones.length === 0,
      () => `${loc.label} has capacity ${capacity} across ${zones.length} zones (${zones.join(', ')}); units spread evenly, so use a multiple of ${zones.length}`, detail);
  }
}
