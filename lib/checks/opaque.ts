/**
 * What may change a network resource of an APIM instance without the checks reading how: a `module` block (the
 * checks never read one in a document: cdktf writes every `TerraformHclModule` as one, and the command line writes a
 * module call it cannot read, a remote source not installed, as one) whose inputs reference the resource or name it,
 * and an azapi resource that works on it (`azapi_resource` whose `parent_id` is it, `azapi_update_resource` whose
 * `resource_id` is it). Either can add NSG rules or routes, associate another NSG or route table, or delegate the
 * subnet: each rule that depends on what points at the resource reports APIM-UNKNOWN, naming them, never a pass.
 *
 * What points at a resource is searched in every stack of the app the model can see (TerraformModel.modelsAround).
 * A module given nothing of the APIM network adds nothing; azapi bodies are not read (unknown is the floor).
 */
import { parseTemplate, formatReference, isTemplate } from './expression';
import { Ref, Resource, TerraformModel, Unknown, Value, bodyOf, isUnknown, namedEntries } from './model';

/** What a resource is to the APIM network, which says what an opaque change of it may change. */
export type OpaqueRole = 'subnet' | 'nsg' | 'route-table';

/** A module block or azapi resource that may change a resource, and through which input. */
interface Pointer {
  /** `module.udr` or `azapi_update_resource.deleg`. */
  readonly by: string;
  readonly kind: 'module' | 'azapi';
  /** The input (module) or argument (azapi) that names the resource. */
  readonly input: string;
  /** The resolved value of the input. */
  readonly value: Value;
  /** Resources the input's expression references directly (through locals too), whatever it resolves to. */
  readonly references: ReadonlySet<Resource>;
  /** For a module: the strings of all its inputs (a name in one input, its resource group in another), lower case. */
  readonly moduleStrings?: ReadonlySet<string>;
  /** For `azapi_resource`: the ARM type (lower case, without the API version) and the literal name, when known. */
  readonly azapiType?: string;
  readonly azapiName?: string;
}

/** Arguments of a module block that are no input of the module. */
const MODULE_META = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each', '//']);
/** Roots of references that are no resource. */
const NOT_RESOURCES = new Set(['var', 'local', 'data', 'module', 'each', 'count', 'path', 'terraform', 'self']);
const MAX_DEPTH = 40;

/** How to resolve an unknown that a module block gives (the command line says it its own way: see engine-adapter.ts). */
export const MODULE_FIX = 'check the module\'s resources with the command line: run terraform init (for a cdktf app, in the stack\'s ' +
  'folder of cdktf.out), then cdktf-apim-network check, which reads an installed module; or suppress this APIM-UNKNOWN with a reason';
/** How to resolve an unknown that an azapi resource gives. */
export const AZAPI_FIX = 'make the change with the azurerm resources the checks read (azurerm_network_security_rule, azurerm_route, ' +
  'the subnet\'s NSG and route table associations, its delegation block), or suppress this APIM-UNKNOWN with a reason';

const POINTERS = new WeakMap<TerraformModel, Pointer[]>();
const FOUND = new WeakMap<Resource, Map<OpaqueRole, Unknown | null>>();

/** The module blocks and azapi resources of a document that may point at a network resource (read once per model). */
function pointersOf(model: TerraformModel): Pointer[] {
  let found = POINTERS.get(model);
  if (!found) {
    found = [];
    for (const [name, raw] of namedEntries(model.source.section('module'))) {
      const body = bodyOf(raw) ?? {};
      const metadata = bodyOf(bodyOf(body['//'])?.metadata);
      const by = typeof metadata?.address === 'string' ? metadata.address
        : `module.${name}${typeof metadata?.path === 'string' ? ` (${metadata.path})` : ''}`;
      const moduleStrings = new Set<string>();
      for (const [input, rawValue] of Object.entries(body)) {
        if (!MODULE_META.has(input)) {
          const value = model.resolve(rawValue);
          walk(value, new Set(), moduleStrings);
          found.push({ by, kind: 'module', input, value, references: referencesIn(model, rawValue), moduleStrings });
        }
      }
    }
    for (const type of ['azapi_resource', 'azapi_update_resource']) {
      for (const resource of model.ofType(type)) {
        const armType = model.str(resource.config.type);
        const armName = model.str(resource.config.name);
        for (const input of ['parent_id', 'resource_id']) {
          const value = resource.config[input];
          if (value !== undefined && value !== null) {
            found.push({
              by: resource.address, kind: 'azapi', input, value, references: new Set(),
              azapiType: typeof armType === 'string' ? armType.split('@')[0].trim().toLowerCase() : undefined,
              azapiName: typeof armName === 'string' ? armName.trim().toLowerCase() : undefined,
            });
          }
        }
      }
    }
    POINTERS.set(model, found);
  }
  return found;
}

/** The resources a raw expression references directly (`${azurerm_subnet.apim.name}`), through locals too. */
function referencesIn(model: TerraformModel, raw: unknown, out = new Set<Resource>(), seen = new Set<string>(), depth = 0): Set<Resource> {
  if (depth > MAX_DEPTH) {
    return out;
  }
  if (typeof raw === 'string') {
    for (const part of isTemplate(raw) ? parseTemplate(raw) ?? [] : []) {
      if (typeof part === 'string' || part.kind !== 'reference') {
        continue;
      }
      const [first, second] = part.steps;
      if (part.root === 'local' && first && 'name' in first && !seen.has(first.name)) {
        seen.add(first.name);
        const locals = namedEntries(model.source.section('locals'));
        referencesIn(model, locals.get(first.name), out, seen, depth + 1);
      } else if (!NOT_RESOURCES.has(part.root) && first && 'name' in first) {
        // The resource itself: its computed `id`, read through the instance the reference names.
        const steps = second && 'index' in second ? [first, second] : [first];
        const value = model.resolve(`\${${formatReference(part.root, [...steps, { name: 'id' }])}}`);
        if (value instanceof Ref) {
          out.add(value.resource);
        }
      }
    }
  } else if (Array.isArray(raw)) {
    raw.forEach((item) => referencesIn(model, item, out, seen, depth + 1));
  } else if (raw !== null && typeof raw === 'object' && !(raw instanceof Unknown) && !(raw instanceof Ref)) {
    Object.entries(raw as Record<string, unknown>).filter(([key]) => key !== '//').forEach(([, item]) => referencesIn(model, item, out, seen, depth + 1));
  }
  return out;
}

/** The references and strings a resolved value holds, at any depth. */
function walk(value: Value, refs: Set<Resource>, strings: Set<string>, depth = 0): void {
  if (depth > MAX_DEPTH || value === null || value === undefined || isUnknown(value)) {
    return;
  }
  if (value instanceof Ref) {
    refs.add(value.resource);
  } else if (typeof value === 'string') {
    strings.add(value.trim().toLowerCase());
  } else if (Array.isArray(value)) {
    value.forEach((item) => walk(item, refs, strings, depth + 1));
  } else if (typeof value === 'object') {
    Object.values(value).forEach((item) => walk(item, refs, strings, depth + 1));
  }
}

/** How a pointer names a resource (`its ID`, `its name and resource group`), or undefined when it does not. */
function names(pointer: Pointer, resource: Resource): string | undefined {
  const refs = new Set<Resource>(pointer.references);
  const strings = new Set<string>();
  walk(pointer.value, refs, strings);
  if (refs.has(resource)) {
    return 'a reference to it';
  }
  const model = resource.model;
  for (const text of strings) {
    if (text.includes('/providers/') && model.target(text, resource.type) === resource) {
      return 'its ID';
    }
  }
  if (pointer.kind === 'azapi') {
    return undefined;
  }
  const literal = (v: Value) => {
    const s = model.str(v);
    return typeof s === 'string' ? s.trim().toLowerCase() : undefined;
  };
  const name = literal(resource.config.name);
  const around = [resource.config.resource_group_name, ...(resource.type === 'azurerm_subnet' ? [resource.config.virtual_network_name] : [])].map(literal);
  return name !== undefined && strings.has(name) && around.every((n) => n !== undefined && pointer.moduleStrings?.has(n)) ? `its name and resource group${resource.type === 'azurerm_subnet' ? ' (and virtual network)' : ''}` : undefined;
}

/** What an opaque change of a resource in a role may change, as messages say it. */
const MAY_CHANGE: Record<OpaqueRole | 'vnet', string> = {
  'subnet': 'the subnet\'s delegation, its NSG association or its route table',
  'nsg': 'the NSG\'s rules',
  'route-table': 'the route table\'s routes',
  'vnet': 'the subnets of the virtual network (their delegation, NSG or route table)',
};

/** The findings of the pointers of every model around `model` at a resource. */
function pointersAt(model: TerraformModel, resource: Resource, role: OpaqueRole | 'vnet', subnetName?: string): string[] {
  const out: string[] = [];
  for (const around of model.modelsAround(resource)) {
    for (const pointer of pointersOf(around)) {
      const how = names(pointer, resource);
      if (!how) {
        continue;
      }
      if (pointer.kind === 'azapi' && role === 'vnet') {
        // A child of the virtual network changes the APIM subnet only when it is a subnet of that name (or any name).
        const child = pointer.input === 'parent_id';
        if (child && (pointer.azapiType !== 'microsoft.network/virtualnetworks/subnets' || (pointer.azapiName !== undefined && pointer.azapiName !== subnetName))) {
          continue;
        }
      }
      out.push(pointer.kind === 'module'
        ? `${pointer.by} gets ${resource.address} (${how}) in its input ${pointer.input}: the checks do not read that module (a module block in a cdktf stack is never read; on the command line, a remote one is read once terraform init installs it), and it may change ${MAY_CHANGE[role]}`
        : `${pointer.by} has ${pointer.input} = ${resource.address} (${how}): the checks do not read azapi resources, and it may change ${MAY_CHANGE[role]}`);
    }
  }
  return out;
}

/**
 * Unknown when a module block the checks do not read, or an azapi resource, may change a network resource of the
 * APIM network in a role (a subnet: its virtual network's too), naming each with the input; undefined when none may.
 */
export function opaqueChange(resource: Resource, role: OpaqueRole): Unknown | undefined {
  let byRole = FOUND.get(resource);
  if (!byRole) {
    byRole = new Map();
    FOUND.set(resource, byRole);
  }
  if (!byRole.has(role)) {
    const model = resource.model;
    const found = pointersAt(model, resource, role);
    if (role === 'subnet') {
      const vnet = model.virtualNetworkOf(resource);
      const name = model.str(resource.config.name);
      if (vnet && !isUnknown(vnet)) {
        found.push(...pointersAt(model, vnet, 'vnet', typeof name === 'string' ? name.trim().toLowerCase() : undefined));
      }
    }
    const unique = [...new Set(found)];
    const module = unique.some((f) => f.includes('the checks do not read that module'));
    const text = unique.length > 3 ? `${unique.slice(0, 3).join('; ')}; and ${unique.length - 3} more` : unique.join('; ');
    byRole.set(role, unique.length === 0 ? null : new Unknown(text, undefined, module ? MODULE_FIX : AZAPI_FIX));
  }
  return byRole.get(role) ?? undefined;
}
