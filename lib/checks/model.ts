/**
 * A typed view of a resolved Terraform JSON document (what a stack's cdk.tf.json holds): the APIM instances and their
 * locations, subnets, NSGs (inline and standalone rules), associations, virtual networks, public IPs, route tables,
 * private DNS zones and providers.
 *
 * It follows `${type.name.attr}` references inside the document and marks what it cannot know at synth time
 * (variables, data sources, remote state of other stacks, computed attributes, resources outside the document) as
 * `Unknown`, with the reason. Pure: no cdktf.
 */
import { MARKER_KEY, NetworkMarker } from '../core/marker';
import { normalizeLocation } from '../core/locations';

/** A value that cannot be known at synth time. */
export class Unknown {
  public constructor(public readonly reason: string) {}
}

/** Whether a value is unknown. */
export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** A resource of the document. */
export interface Resource {
  readonly type: string;
  readonly name: string;
  /** Terraform address: `type.name`. */
  readonly address: string;
  /** Construct path (from `"//".metadata.path`), or the address when there is none. */
  readonly path: string;
  /** The configuration, as written (unresolved). */
  readonly config: Record<string, unknown>;
  /** This library's marker, when one of its constructs made the resource. */
  readonly marker?: NetworkMarker;
  /** Provider key: `default` or the alias. */
  readonly provider: string;
}

/** A reference to an attribute of a resource in the document that only exists after apply (`.id`). */
export interface Ref {
  readonly resource: Resource;
  readonly attribute: string;
}

function isRef(value: unknown): value is Ref {
  return typeof value === 'object' && value !== null && 'resource' in value && 'attribute' in value;
}

/** A resolved value: literals, lists and objects of them, references, or Unknown. */
export type Value = string | number | boolean | null | undefined | Unknown | Ref | Value[] | { [key: string]: Value };

const FULL_EXPRESSION = /^\$\{([^{}]*)\}$/;
const RESOURCE_REFERENCE = /^([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([A-Za-z_][A-Za-z0-9_]*)(.*)$/;

/** An APIM location: the primary one or an additional one. */
export interface ApimLocation {
  readonly apim: ApimInstance;
  /** 0 for the primary, 1.. for `additional_location[0..]`. */
  readonly index: number;
  /** `primary` or `additional_location[i]`. */
  readonly label: string;
  readonly isPrimary: boolean;
  /** Normalised location, or Unknown. */
  readonly location: string | Unknown;
  readonly capacity: number | Unknown;
  /** Zones listed for the location (undefined when none). */
  readonly zones: string[] | Unknown | undefined;
  /** What `virtual_network_configuration.subnet_id` points at (undefined when not set). */
  readonly subnet: Resource | Unknown | undefined;
  /** What `public_ip_address_id` points at (undefined when not set). */
  readonly publicIp: Resource | Unknown | undefined;
}

/** An `azurerm_api_management`. */
export interface ApimInstance {
  readonly resource: Resource;
  /** `External`, `Internal`, `None`, or Unknown. */
  readonly mode: string | Unknown;
  /** Tier from `sku_name` (`Premium`, `Developer`, `PremiumV2`...), or Unknown. */
  readonly tier: string | Unknown;
  readonly capacity: number | Unknown;
  readonly locations: ApimLocation[];
  /** Whether additional_location itself is unknown. */
  readonly additionalUnknown?: Unknown;
}

/** The model of one document. */
export class TerraformModel {
  /** Provider configurations of azurerm, by key (`default` or alias). */
  public readonly providers = new Map<string, Record<string, unknown>>();
  private readonly byType = new Map<string, Resource[]>();
  private readonly byAddress = new Map<string, Resource | undefined>();
  private apimCache?: ApimInstance[];
  /** Indexes built on first use, so every lookup below is O(1) and a whole evaluation stays linear. */
  private readonly memo = new Map<string, unknown>();

  private cached<T>(key: string, build: () => T): T {
    if (!this.memo.has(key)) {
      this.memo.set(key, build());
    }
    return this.memo.get(key) as T;
  }

  /** Resources of a type by their literal `name`. */
  private namesOf(type: string): Map<string, Resource[]> {
    return this.cached(`names:${type}`, () => {
      const index = new Map<string, Resource[]>();
      for (const resource of this.ofType(type)) {
        const name = this.str(resource.config.name);
        if (typeof name === 'string') {
          index.set(name, [...(index.get(name) ?? []), resource]);
        }
      }
      return index;
    });
  }

  /**
   * @param document a Terraform JSON document; its resources are read type by type, when a rule first asks for the
   *        type (or for one resource, through a reference), so a lazily resolved document is resolved only as far
   *        as the rules read it
   */
  public constructor(public readonly document: any) {
    const azurerm = document?.provider?.azurerm;
    for (const config of Array.isArray(azurerm) ? azurerm : azurerm ? [azurerm] : []) {
      this.providers.set(typeof config?.alias === 'string' ? config.alias : 'default', config ?? {});
    }
  }

  private makeResource(type: string, name: string, config: any): Resource {
    const meta = config?.['//'] ?? {};
    const provider = typeof config?.provider === 'string' ? providerKey(config.provider) : 'default';
    return {
      type, name, address: `${type}.${name}`, path: meta?.metadata?.path ?? `${type}.${name}`, config: config ?? {},
      marker: meta?.[MARKER_KEY], provider,
    };
  }

  /** Every resource of a type. */
  public ofType(type: string): Resource[] {
    let list = this.byType.get(type);
    if (!list) {
      const byName = this.document?.resource?.[type];
      list = byName !== null && typeof byName === 'object'
        ? Object.keys(byName).map((name) => this.resource(type, name) as Resource) : [];
      this.byType.set(type, list);
    }
    return list;
  }

  /** The resource `type.name`, or undefined when the document has none. */
  public resource(type: string, name: string): Resource | undefined {
    const address = `${type}.${name}`;
    if (!this.byAddress.has(address)) {
      const byName = this.document?.resource?.[type];
      const config = byName !== null && typeof byName === 'object' && Object.prototype.hasOwnProperty.call(byName, name) ? byName[name] : undefined;
      this.byAddress.set(address, config === undefined ? undefined : this.makeResource(type, name, config));
    }
    return this.byAddress.get(address);
  }

  /** Resolve a raw value: follow references inside the document, mark the rest unknown. */
  public resolve(raw: unknown, depth = 0): Value {
    if (depth > 16) {
      return new Unknown('reference chain too deep');
    }
    if (typeof raw === 'string') {
      return this.resolveString(raw, depth);
    }
    if (Array.isArray(raw)) {
      return raw.map((item) => this.resolve(item, depth + 1));
    }
    if (raw !== null && typeof raw === 'object') {
      const out: Record<string, Value> = {};
      for (const [key, value] of Object.entries(raw)) {
        if (key !== '//') {
          out[key] = this.resolve(value, depth + 1);
        }
      }
      return out;
    }
    return raw as Value;
  }

  private resolveString(raw: string, depth: number): Value {
    if (!raw.includes('${')) {
      return raw;
    }
    const full = FULL_EXPRESSION.exec(raw);
    if (!full) {
      return new Unknown(`the interpolation "${shorten(raw)}"`);
    }
    const expression = full[1].trim();
    const [head] = expression.split('.');
    if (head === 'var') {
      return new Unknown(`the variable ${expression}`);
    }
    if (head === 'local') {
      return new Unknown(`the local value ${expression}`);
    }
    if (head === 'data') {
      return new Unknown(expression.startsWith('data.terraform_remote_state.')
        ? `remote state (${shorten(expression)}), e.g. a value from another stack` : `the data source ${shorten(expression)}`);
    }
    if (head === 'module') {
      return new Unknown(`the module output ${expression}`);
    }
    const ref = RESOURCE_REFERENCE.exec(expression);
    if (!ref) {
      return new Unknown(`the expression "${shorten(raw)}"`);
    }
    const [, type, name, attribute, rest] = ref;
    const resource = this.resource(type, name);
    if (!resource) {
      return new Unknown(`${type}.${name}, which is not in this stack`);
    }
    if (rest === '' && attribute !== 'id' && attribute in resource.config) {
      return this.resolve(resource.config[attribute], depth + 1);
    }
    return { resource, attribute: `${attribute}${rest}` };
  }

  /** A resolved string attribute; a reference to a computed attribute is Unknown. */
  public str(raw: unknown): string | Unknown | undefined {
    const value = this.resolve(raw);
    if (value === undefined || value === null) {
      return undefined;
    }
    if (isUnknown(value) || typeof value === 'string') {
      return value;
    }
    if (isRef(value)) {
      return new Unknown(`${value.resource.address}.${value.attribute}, known only after apply`);
    }
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : new Unknown('a value that is not a string');
  }

  /** A resolved number attribute. */
  public num(raw: unknown): number | Unknown | undefined {
    const value = this.resolve(raw);
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value === 'number') {
      return value;
    }
    if (typeof value === 'string' && /^-?\d+$/.test(value)) {
      return Number(value);
    }
    return isUnknown(value) ? value : new Unknown(isRef(value) ? `${value.resource.address}.${value.attribute}` : 'a value that is not a number');
  }

  /** A resolved list of strings; Unknown when the list or any entry is unknown. */
  public strings(raw: unknown): string[] | Unknown | undefined {
    const value = this.resolve(raw);
    if (value === undefined || value === null) {
      return undefined;
    }
    if (isUnknown(value)) {
      return value;
    }
    if (!Array.isArray(value)) {
      return new Unknown('a value that is not a list');
    }
    const out: string[] = [];
    for (const item of value) {
      if (typeof item === 'string') {
        out.push(item);
      } else if (typeof item === 'number') {
        out.push(String(item));
      } else {
        return isUnknown(item) ? item : new Unknown('a list entry known only after apply');
      }
    }
    return out;
  }

  /** The resource a reference attribute (such as `subnet_id`) points at, Unknown, or undefined when not set. */
  public target(raw: unknown, type: string): Resource | Unknown | undefined {
    const value = this.resolve(raw);
    if (value === undefined || value === null || value === '') {
      return undefined;
    }
    if (isUnknown(value)) {
      return value;
    }
    if (isRef(value) && value.attribute === 'id') {
      return value.resource.type === type ? value.resource : new Unknown(`${value.resource.address}.id, which is not an ${type}`);
    }
    if (typeof value === 'string') {
      return this.byAzureId(value, type) ?? new Unknown(`the ID "${shorten(value)}", a resource outside this stack`);
    }
    return new Unknown(`a value that is not an ID of ${type}`);
  }

  /**
   * The resource of a type that a name attribute points at (`network_security_group_name`), matched through the
   * reference or by name and resource group.
   */
  public byName(rawName: unknown, rawResourceGroup: unknown, type: string): Resource | Unknown | undefined {
    const direct = typeof rawName === 'string' ? FULL_EXPRESSION.exec(rawName) : null;
    if (direct) {
      const ref = RESOURCE_REFERENCE.exec(direct[1].trim());
      const resource = ref ? this.resource(ref[1], ref[2]) : undefined;
      if (resource && resource.type === type && ref![3] === 'name') {
        return resource;
      }
    }
    const name = this.str(rawName);
    const group = this.str(rawResourceGroup);
    if (name === undefined) {
      return undefined;
    }
    if (isUnknown(name)) {
      return name;
    }
    const candidates = this.namesOf(type).get(name) ?? [];
    const matched = candidates.filter((r) => {
      const g = this.str(r.config.resource_group_name);
      return isUnknown(g) || isUnknown(group) || g === group;
    });
    if (matched.length === 1) {
      return matched[0];
    }
    return new Unknown(matched.length === 0 ? `${type} "${name}", which is not in this stack` : `several ${type} named "${name}"`);
  }

  private byAzureId(id: string, type: string): Resource | undefined {
    // An ID written out literally can still name a resource of the document (same name and resource group).
    const segments = id.split('/');
    const group = segments.findIndex((s) => s.toLowerCase() === 'resourcegroups');
    const last = segments[segments.length - 1];
    if (group < 0 || !last) {
      return undefined;
    }
    const resourceGroup = segments[group + 1];
    return (this.namesOf(type).get(last) ?? []).find((r) => this.str(r.config.resource_group_name) === resourceGroup);
  }

  /** The normalised location of a resource, Unknown, or undefined. */
  public location(resource: Resource): string | Unknown | undefined {
    const value = this.str(resource.config.location);
    return typeof value === 'string' ? normalizeLocation(value) : value;
  }

  /** A nested block (`virtual_network_configuration`), given as an object or a list of one object. */
  public block(raw: unknown): Record<string, unknown> | Unknown | undefined {
    const value = typeof raw === 'string' ? this.resolve(raw) : raw;
    if (value === undefined || value === null) {
      return undefined;
    }
    if (isUnknown(value)) {
      return value;
    }
    if (Array.isArray(value)) {
      return value.length === 0 ? undefined : (value[0] as Record<string, unknown>);
    }
    return typeof value === 'object' ? (value as Record<string, unknown>) : new Unknown('a block that is not an object');
  }

  /** A list of blocks (`additional_location`, `security_rule`), given as a list or one object. */
  public blocks(raw: unknown): Record<string, unknown>[] | Unknown {
    const value = typeof raw === 'string' ? this.resolve(raw) : raw;
    if (value === undefined || value === null) {
      return [];
    }
    if (isUnknown(value)) {
      return value;
    }
    if (isRef(value)) {
      return new Unknown(`${value.resource.address}.${value.attribute}`);
    }
    return (Array.isArray(value) ? value : [value]).filter((v) => v !== null && typeof v === 'object') as Record<string, unknown>[];
  }

  /** The APIM instances of the document. */
  public apimInstances(): ApimInstance[] {
    if (!this.apimCache) {
      this.apimCache = this.ofType('azurerm_api_management').map((resource) => this.buildApim(resource));
    }
    return this.apimCache;
  }

  private buildApim(resource: Resource): ApimInstance {
    const c = resource.config;
    const skuName = this.str(c.sku_name);
    let tier: string | Unknown = new Unknown('sku_name is not set');
    let capacity: number | Unknown = new Unknown('sku_name is not set');
    if (typeof skuName === 'string') {
      const match = /^([A-Za-z0-9]+)_(\d+)$/.exec(skuName);
      tier = match ? match[1] : skuName;
      capacity = match ? Number(match[2]) : new Unknown(`sku_name "${skuName}" has no capacity`);
    } else if (isUnknown(skuName)) {
      tier = skuName;
      capacity = skuName;
    }
    const modeValue = this.str(c.virtual_network_type);
    const mode = modeValue === undefined ? 'None' : modeValue;
    const apim: ApimInstance = { resource, mode, tier, capacity, locations: [] };
    const primaryNetwork = this.block(c.virtual_network_configuration);
    const primaryLocation = this.str(c.location);
    apim.locations.push({
      apim, index: 0, label: 'primary', isPrimary: true,
      location: typeof primaryLocation === 'string' ? normalizeLocation(primaryLocation) : primaryLocation ?? new Unknown('location is not set'),
      capacity,
      zones: this.zoneList(c.zones),
      subnet: isUnknown(primaryNetwork) ? primaryNetwork : primaryNetwork ? this.target(primaryNetwork.subnet_id, 'azurerm_subnet') : undefined,
      publicIp: this.target(c.public_ip_address_id, 'azurerm_public_ip'),
    });
    const additional = this.blocks(c.additional_location);
    if (isUnknown(additional)) {
      (apim as { additionalUnknown?: Unknown }).additionalUnknown = additional;
    } else {
      additional.forEach((block, i) => {
        const network = this.block(block.virtual_network_configuration);
        const location = this.str(block.location);
        const cap = block.capacity === undefined ? capacity : this.num(block.capacity) ?? capacity;
        apim.locations.push({
          apim, index: i + 1, label: `additional_location[${i}]`, isPrimary: false,
          location: typeof location === 'string' ? normalizeLocation(location) : location ?? new Unknown('location is not set'),
          capacity: cap,
          zones: this.zoneList(block.zones),
          subnet: isUnknown(network) ? network : network ? this.target(network.subnet_id, 'azurerm_subnet') : undefined,
          publicIp: this.target(block.public_ip_address_id, 'azurerm_public_ip'),
        });
      });
    }
    return apim;
  }

  private zoneList(raw: unknown): string[] | Unknown | undefined {
    const zones = this.strings(raw);
    return Array.isArray(zones) && zones.length === 0 ? undefined : zones;
  }

  /** The NSG associated with a subnet (through `azurerm_subnet_network_security_group_association`). */
  public nsgOf(subnet: Resource): Resource | Unknown | undefined {
    return this.associationOf(subnet, 'azurerm_subnet_network_security_group_association', 'network_security_group_id', 'azurerm_network_security_group').target;
  }

  /** The route table associated with a subnet. */
  public routeTableOf(subnet: Resource): Resource | Unknown | undefined {
    return this.associationOf(subnet, 'azurerm_subnet_route_table_association', 'route_table_id', 'azurerm_route_table').target;
  }

  /**
   * The association of a subnet (or Unknown when an association's subnet is unknown) and what it points at: a resource
   * of the document, or Unknown (for instance an ID of a resource managed elsewhere).
   */
  public associationOf(subnet: Resource, associationType: string, field: string, targetType: string):
  { association: Resource | Unknown | undefined; target: Resource | Unknown | undefined } {
    const index = this.cached(`associations:${associationType}`, () => {
      const bySubnet = new Map<Resource, Resource>();
      let unknown: Unknown | undefined;
      for (const association of this.ofType(associationType)) {
        const target = this.target(association.config.subnet_id, 'azurerm_subnet');
        if (isUnknown(target)) {
          unknown = new Unknown(`${association.address} points at ${target.reason}`);
        } else if (target && !bySubnet.has(target)) {
          bySubnet.set(target, association);
        }
      }
      return { bySubnet, unknown };
    });
    const association = index.bySubnet.get(subnet);
    if (!association) {
      return { association: index.unknown, target: index.unknown };
    }
    return { association, target: this.target(association.config[field], targetType) ?? new Unknown(`${association.address}.${field} is not set`) };
  }

  /** The virtual network holding a subnet. */
  public virtualNetworkOf(subnet: Resource): Resource | Unknown | undefined {
    const index = this.cached('vnet-of', () => new Map<Resource, Resource | Unknown | undefined>());
    if (!index.has(subnet)) {
      index.set(subnet, this.byName(subnet.config.virtual_network_name, subnet.config.resource_group_name, 'azurerm_virtual_network'));
    }
    return index.get(subnet);
  }

  /** Standalone `azurerm_network_security_rule` resources of an NSG. */
  public standaloneRules(nsg: Resource): { rules: Resource[]; unknown: Resource[] } {
    const index = this.cached('nsg-rules', () => {
      const byNsg = new Map<Resource, Resource[]>();
      const unknown: Resource[] = [];
      for (const rule of this.ofType('azurerm_network_security_rule')) {
        const target = this.byName(rule.config.network_security_group_name, rule.config.resource_group_name, 'azurerm_network_security_group');
        if (isUnknown(target)) {
          if (!target.reason.includes('not in this stack')) {
            unknown.push(rule);
          }
        } else if (target) {
          byNsg.set(target, [...(byNsg.get(target) ?? []), rule]);
        }
      }
      return { byNsg, unknown };
    });
    return { rules: index.byNsg.get(nsg) ?? [], unknown: index.unknown };
  }

  /** Standalone `azurerm_route` resources of a route table. */
  public standaloneRoutes(table: Resource): Resource[] {
    const index = this.cached('routes', () => {
      const byTable = new Map<Resource, Resource[]>();
      for (const route of this.ofType('azurerm_route')) {
        const target = this.byName(route.config.route_table_name, route.config.resource_group_name, 'azurerm_route_table');
        if (target && !isUnknown(target)) {
          byTable.set(target, [...(byTable.get(target) ?? []), route]);
        }
      }
      return byTable;
    });
    return index.get(table) ?? [];
  }

  /** Every subnet of the same virtual network (by reference, or by name and resource group). */
  public siblingsOf(subnet: Resource): Resource[] {
    const index = this.cached('siblings', () => {
      const groups = new Map<unknown, Resource[]>();
      for (const other of this.ofType('azurerm_subnet')) {
        const key = this.networkKey(other);
        groups.set(key, [...(groups.get(key) ?? []), other]);
      }
      return groups;
    });
    return (index.get(this.networkKey(subnet)) ?? []).filter((other) => other !== subnet);
  }

  private networkKey(subnet: Resource): unknown {
    const vnet = this.virtualNetworkOf(subnet);
    if (vnet && !isUnknown(vnet)) {
      return vnet;
    }
    return `${String(this.str(subnet.config.resource_group_name))}/${String(this.str(subnet.config.virtual_network_name))}`;
  }

  /** The subscription of a provider key: the id, Unknown, or undefined when the provider sets none. */
  public subscriptionOf(provider: string): string | Unknown | undefined {
    const config = this.providers.get(provider);
    if (!config) {
      return new Unknown(`the azurerm provider "${provider}", which is not in this stack`);
    }
    return this.str(config.subscription_id);
  }
}

function providerKey(reference: string): string {
  const text = reference.replace(/^\$\{|\}$/g, '');
  const dot = text.indexOf('.');
  return dot < 0 ? 'default' : text.slice(dot + 1);
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
