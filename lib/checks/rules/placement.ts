/**
 * Placement and SKU rules: where an injected APIM instance and its network resources may live.
 */
import { Rule, defineRule, subjectOf } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { Resource, Unknown, Value, isUnknown } from '../model';

const CLASSIC_INJECTABLE = ['developer', 'premium'];

const { ERROR } = ApimRuleLevel;

/** The placement rules, in the order of the README table (the catalog concatenates the area lists). */
export const PLACEMENT_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-SKU-VNET', level: ERROR, area: 'placement', source: SOURCES.resources,
    title: 'VNet injection (External/Internal) only on the Developer or Premium tier',
    why: 'Other classic tiers cannot be injected; the deployment fails',
    fix: 'use sku_name Developer_1 or Premium_<n>, or virtual_network_type None',
    check(t, r) {
      for (const apim of t.instances) {
        const subject = subjectOf(apim.resource);
        if (isUnknown(apim.tier)) {
          r.unknown(subject, apim.tier);
        } else if (isUnknown(apim.mode) && !CLASSIC_INJECTABLE.includes(apim.tier.toLowerCase())) {
          // Wrong only if the instance is injected, which the mode decides.
          r.unknown(subject, `whether the ${apim.tier} tier is injected: virtual_network_type is ${apim.mode.reason}`);
        } else {
          r.check(subject, CLASSIC_INJECTABLE.includes(apim.tier.toLowerCase()),
            () => `sku_name tier "${String(apim.tier)}" cannot be injected into a virtual network (virtual_network_type ${String(apim.mode)})`);
        }
      }
    },
  }),
  defineRule({
    id: 'APIM-SKU-PREMIUM-FEATURE', level: ERROR, area: 'placement', source: SOURCES.multiRegion,
    title: 'zones and additional locations only on Premium',
    why: 'Availability zones and multi-region deployment are Premium features',
    fix: 'use a Premium SKU, or remove zones and additional_location',
    check(t, r) {
      for (const apim of t.instances) {
        const subject = subjectOf(apim.resource);
        const zoned = apim.locations.filter((l) => Array.isArray(l.zones) && l.zones.length > 0).map((l) => l.label);
        const additional = apim.locations.filter((l) => !l.maybe).length - 1;
        if (zoned.length === 0 && additional === 0 && !apim.additionalUnknown) {
          r.pass(subject);
          continue;
        }
        if (isUnknown(apim.tier)) {
          r.unknown(subject, apim.tier);
          continue;
        }
        const uses = [zoned.length > 0 ? `zones (${zoned.join(', ')})` : '', additional > 0 ? `${additional} additional_location` : '']
          .filter((s) => s !== '').join(' and ');
        const premium = apim.tier.toLowerCase() === 'premium';
        if (!premium && uses === '' && apim.additionalUnknown) {
          // Additional locations that may or may not exist decide it.
          r.unknown(subject, apim.additionalUnknown);
          continue;
        }
        r.check(subject, premium || uses === '', () => `${uses} on the ${String(apim.tier)} tier; only Premium has them`);
      }
    },
  }),
  defineRule({
    id: 'APIM-VNET-CONFIG', level: ERROR, area: 'placement', source: SOURCES.azurermApiManagement,
    title: 'an injected instance has a subnet in every location, or none has one',
    why: 'The provider refuses a VNet type without a subnet, and mixed additional locations',
    fix: 'set virtual_network_configuration.subnet_id on the instance and on every additional_location',
    check(t, r) {
      for (const apim of t.unknownModes) {
        r.unknown(subjectOf(apim.resource), apim.mode as Unknown);
      }
      for (const apim of t.instances.filter((i) => !t.unknownModes.includes(i))) {
        const subject = subjectOf(apim.resource);
        const [primary, ...others] = apim.locations.filter((l) => !l.maybe);
        if (primary.subnet === undefined) {
          r.fail(subject, `virtual_network_type is ${String(apim.mode)} but virtual_network_configuration.subnet_id is not set`, 'primary');
          for (const other of others.filter((o) => o.subnet !== undefined)) {
            r.fail(subject, `${other.label} has a subnet while the primary location has none`, other.label);
          }
          continue;
        }
        r.pass(subject, 'primary');
        for (const other of others) {
          r.check(subject, other.subnet !== undefined,
            () => `${other.label} (${String(other.location)}) has no virtual_network_configuration.subnet_id; with a subnet on the primary location every additional location needs one`,
            other.label);
        }
        if (apim.additionalUnknown) {
          r.unknown(subject, apim.additionalUnknown, 'additional_location');
        }
      }
    },
  }),
  defineRule({
    id: 'APIM-LOCATION', level: ERROR, area: 'placement', source: SOURCES.resources,
    title: 'each location\'s virtual network and public IP are in that location',
    why: 'APIM, its VNet and its public IP must share a region',
    fix: 'create the subnet\'s virtual network and the public IP in the APIM location they serve',
    check(t, r) {
      for (const { apim, location: loc } of t.locations) {
        const subject = subjectOf(apim.resource);
        const where = typeof loc.location === 'string' ? loc.location : loc.label;
        const compare = (what: string, resource: Resource | Unknown | undefined, resourceLocation: () => string | Unknown | undefined) => {
          const detail = `${where}:${what}`;
          if (resource === undefined) {
            return;
          }
          if (isUnknown(resource)) {
            r.unknown(subject, resource, detail);
            return;
          }
          const actual = resourceLocation();
          if (isUnknown(loc.location) || isUnknown(actual) || actual === undefined) {
            r.unknown(subject, isUnknown(loc.location) ? loc.location : isUnknown(actual) ? actual : new Unknown(`${resource.address} has no location`), detail);
            return;
          }
          r.check(subject, actual === loc.location,
            () => `${loc.label} is in ${loc.location} but its ${what} ${resource.address} is in ${actual}`, detail);
        };
        if (loc.subnet && !isUnknown(loc.subnet)) {
          const subnet = loc.subnet;
          const vnet = t.model.virtualNetworkOf(subnet);
          compare('virtual-network', vnet, () => (vnet && !isUnknown(vnet) ? t.model.location(vnet) : undefined));
        } else if (isUnknown(loc.subnet)) {
          r.unknown(subject, loc.subnet, `${where}:virtual-network`);
        }
        compare('public-ip', loc.publicIp, () => (loc.publicIp && !isUnknown(loc.publicIp) ? t.model.location(loc.publicIp) : undefined));
      }
    },
  }),
  defineRule({
    id: 'APIM-LOCATION-UNIQUE', level: ERROR, area: 'placement', source: SOURCES.multiRegion,
    title: 'no location twice in one instance; no public IP shared between locations (a subnet may serve several instances)',
    why: 'Each location needs its own public IP in its own region; the docs size a subnet per instance, so instances may share it',
    fix: 'give every location its own public IP, and list each location once',
    check(t, r) {
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
              r.fail(subject, `${loc.label} repeats location ${loc.location} of ${first}`, loc.location);
            }
            seen.set(loc.location, loc.label);
          }
          if (loc.publicIp && !isUnknown(loc.publicIp)) {
            pipUsers.set(loc.publicIp, [...(pipUsers.get(loc.publicIp) ?? []), name]);
          }
        }
        const unknown = apim.locations.find((l) => isUnknown(l.location));
        if (!duplicate && (unknown || apim.additionalUnknown)) {
          r.unknown(subject, apim.additionalUnknown ?? (unknown?.location as Unknown), 'locations');
        } else if (!duplicate) {
          r.pass(subject, 'locations');
        }
      }
      for (const [resource, names] of pipUsers) {
        r.check(subjectOf(resource), names.length === 1,
          () => `the public IP ${resource.address} is used by ${names.length} locations: ${names.join(', ')}`, 'public-ip');
      }
    },
  }),
  defineRule({
    id: 'APIM-SUBSCRIPTION', level: ERROR, area: 'placement', source: SOURCES.resources,
    title: 'APIM, virtual network and public IP of a location share one subscription',
    why: 'Azure requires one subscription for the instance and its network resources',
    fix: 'create them with the same azurerm provider, or providers with the same subscription_id',
    check(t, r) {
      for (const apim of t.instances) {
        const subject = subjectOf(apim.resource);
        // Resources whose subscription cannot be compared, by the provider they use: one finding per provider (a network
        // in another stack), not one per location and resource.
        const undecided = new Map<string, { resources: Resource[]; mine: string | Unknown | undefined; theirs: string | Unknown | undefined; sameDocument: boolean }>();
        for (const { location: loc } of t.locations.filter((l) => l.apim === apim)) {
          const where = typeof loc.location === 'string' ? loc.location : loc.label;
          const vnet = loc.subnet && !isUnknown(loc.subnet) ? t.model.virtualNetworkOf(loc.subnet) : loc.subnet;
          // The subnet is a resource of its own, with its own provider (which may differ from its virtual network's).
          const subnet = loc.subnet && !isUnknown(loc.subnet) && (isUnknown(vnet) || vnet === undefined || vnet.provider !== loc.subnet.provider || vnet.model !== loc.subnet.model) ? loc.subnet : undefined;
          for (const [what, resource] of [['virtual-network', vnet], ['subnet', subnet], ['public-ip', loc.publicIp]] as const) {
            const detail = `${where}:${what}`;
            if (resource === undefined) {
              continue;
            }
            if (isUnknown(resource)) {
              r.unknown(subject, resource, detail);
              continue;
            }
            const sameDocument = resource.model === apim.resource.model;
            if (sameDocument && resource.provider === apim.resource.provider) {
              r.pass(subject, detail);
              continue;
            }
            const mine = apim.resource.model.subscriptionOf(apim.resource.provider);
            const theirs = resource.model.subscriptionOf(resource.provider);
            if (typeof mine === 'string' && typeof theirs === 'string') {
              r.check(subject, mine.toLowerCase() === theirs.toLowerCase(),
                () => `${resource.address} uses provider azurerm.${resource.provider} (subscription ${theirs}), the APIM instance azurerm.${apim.resource.provider} (subscription ${mine})`, detail);
            } else if (sameDocument && mine === undefined && theirs === undefined) {
              // Two providers of one configuration without subscription_id both read ARM_SUBSCRIPTION_ID, in one run.
              r.pass(subject, detail);
            } else {
              const key = `${resource.model === apim.resource.model ? '' : resource.path.split('/')[0]}\u0000${resource.provider}`;
              const entry = undecided.get(key) ?? { resources: [], mine, theirs, sameDocument };
              entry.resources.push(resource);
              undecided.set(key, entry);
            }
          }
        }
        literalSubscriptions(apim.resource, (detail, what, text, theirs) => {
          const mine = apim.resource.model.subscriptionOf(apim.resource.provider);
          if (typeof mine === 'string') {
            r.check(subject, mine.toLowerCase() === theirs.toLowerCase(),
              () => `the ${what} ID "${text}" is in subscription ${theirs}, the APIM instance's provider in subscription ${mine}`, detail);
          } else {
            r.unknown(subject, `whether the ${what} ID "${text}" (subscription ${theirs}) is in the APIM instance's subscription: ${mine === undefined ? 'its provider sets no subscription_id (it takes ARM_SUBSCRIPTION_ID at apply time)' : mine.reason}`, detail,
              'set subscription_id on the APIM instance\'s provider, or suppress APIM-UNKNOWN[APIM-SUBSCRIPTION] with a reason');
          }
        });
        for (const { resources, mine, theirs, sameDocument } of undecided.values()) {
          const provider = `azurerm${resources[0].provider === 'default' ? '' : `.${resources[0].provider}`}`;
          const own = `azurerm${apim.resource.provider === 'default' ? '' : `.${apim.resource.provider}`}`;
          const them = `${resources.map((x) => x.address).join(', ')} (provider ${provider}${sameDocument ? '' : ' of another stack'})`;
          const env = `the ARM_SUBSCRIPTION_ID environment variable of the Terraform run${sameDocument ? '' : ' of its stack'}`;
          const say = (value: string | Unknown | undefined, whose: string) => (value === undefined ? `${whose} sets no subscription_id (it takes ${env})`
            : isUnknown(value) ? `the subscription_id of ${whose} is ${value.reason}` : `${whose} sets subscription_id ${value}`);
          const reasons = mine === undefined && theirs === undefined ? [`neither provider sets subscription_id: each takes ${env}`]
            : [say(theirs, `provider ${provider}`), say(mine, `the APIM instance's provider ${own}`)];
          r.unknown(subject, `whether ${them} and the APIM instance (provider ${own}) are in one subscription: ${reasons.join('; ')}`, undefined,
            'set the same subscription_id on both providers, or suppress APIM-UNKNOWN[APIM-SUBSCRIPTION] with a reason ' +
            '(for example: every stack is applied with the same ARM_SUBSCRIPTION_ID)');
        }
      }
    },
  }),
  defineRule({
    id: 'APIM-ZONES-CAPACITY', level: ERROR, area: 'placement', source: SOURCES.zones,
    title: 'capacity is a multiple of the number of zones',
    why: 'Units must spread evenly across the selected zones: three zones take 3, 6, ... units',
    fix: 'use 2, 4, ... units for two zones, 3, 6, ... for three',
    check(t, r) {
      for (const { apim, location: loc } of t.locations) {
        if (loc.zones === undefined) {
          continue;
        }
        const subject = subjectOf(apim.resource);
        const detail = typeof loc.location === 'string' ? loc.location : loc.label;
        if (isUnknown(loc.zones) || isUnknown(loc.capacity)) {
          r.unknown(subject, isUnknown(loc.zones) ? loc.zones : (loc.capacity as Unknown), detail);
          continue;
        }
        const zones = loc.zones;
        const capacity = loc.capacity;
        r.check(subject, capacity % zones.length === 0,
          () => `${loc.label} has capacity ${capacity} across ${zones.length} zones (${zones.join(', ')}); units spread evenly, so use a multiple of ${zones.length}`, detail);
      }
    },
  }),
];

/**
 * The subnet and public IP IDs an APIM instance gives as literal strings (`/subscriptions/<id>/resourceGroups/...`),
 * primary and additional locations, with the subscription each names: `visit(detail, what, id, subscription)`.
 * References are left to the resources they point at.
 */
function literalSubscriptions(apim: Resource, visit: (detail: string, what: string, id: string, subscription: string) => void): void {
  const model = apim.model;
  const locations: Array<[string, Record<string, Value>]> = [['primary', apim.config]];
  const additional = model.blocks(apim.config.additional_location);
  if (!isUnknown(additional)) {
    additional.forEach((block, i) => locations.push([`additional_location[${i}]`, block]));
  }
  for (const [where, location] of locations) {
    const block = model.block(location.virtual_network_configuration as never);
    const ids: Array<[string, string, Value]> = [
      ['subnet-id', 'subnet', block && !isUnknown(block) ? block.subnet_id : undefined],
      ['public-ip-id', 'public IP', location.public_ip_address_id],
    ];
    for (const [field, what, id] of ids) {
      const match = typeof id === 'string' && !id.includes('${') ? /^\/subscriptions\/([^/]+)\//i.exec(id.trim()) : null;
      if (match) {
        visit(`${where}:${field}`, what, id as string, match[1]);
      }
    }
  }
}
