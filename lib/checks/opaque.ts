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
  /**
   * Resources the input's expression references anywhere in it (inside functions, conditionals, indexes; through
   * locals too), whatever it resolves to, with the attributes it reads of them (`id`, `name`).
   */
  readonly references: ReadonlyMap<Resource, ReadonlySet<string>>;
  /** Data sources the expression references (`data.azurerm_subnet.apim`), by type and name: they may name the resource. */
  readonly dataSources: ReadonlyArray<{ readonly type: string; readonly name: string }>;
  /** The expression's text, lower case (a path built on a reference: `${azurerm_virtual_network.vnet.id}/subnets/x`). */
  readonly text: string;
  /** For a module: the strings of all its inputs (a name in one input, its resource group in another), lower case. */
  readonly moduleStrings?: ReadonlySet<string>;
  /** For `azapi_resource`: the ARM type (lower case, without the API version) and the literal name, when known. */
  readonly azapiType?: string;
  readonly azapiName?: string;
}

/** Arguments of a module block that are no input of the module. */
// count and for_each are read: a module's inputs may take the network's resources through each.value or count.index.
const MODULE_META = new Set(['source', 'version', 'providers', 'depends_on', '//']);
const MAX_DEPTH = 40;
/** Resources whose id is their subnet's ID. */
const ASSOCIATIONS = ['azurerm_subnet_network_security_group_association', 'azurerm_subnet_route_table_association', 'azurerm_subnet_nat_gateway_association'];

/** How to resolve an unknown that a module block gives (the command line says it its own way: see engine-adapter.ts). */
export const MODULE_FIX = 'check the module\'s resources with the command line, which reads an installed module: for a cdktf app, synth ' +
  'without strict (unknowns are warnings: cdk.tf.json is written), run terraform init in the stack\'s folder of cdktf.out, then ' +
  'cdktf-apim-network check there; or suppress this APIM-UNKNOWN with a reason';
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
          walk(value, new Map(), moduleStrings);
          found.push({ by, kind: 'module', input, value, moduleStrings, ...scanned(model, rawValue) });
        }
      }
    }
    for (const type of ['azapi_resource', 'azapi_update_resource', 'azapi_resource_action']) {
      for (const resource of model.ofType(type)) {
        const armType = model.str(resource.config.type);
        const armName = model.str(resource.config.name);
        for (const input of ['parent_id', 'resource_id']) {
          const value = resource.config[input];
          if (value !== undefined && value !== null) {
            found.push({
              by: resource.address, kind: 'azapi', input, value, ...scanned(model, model.source.body('resource', type, resource.name)?.get(input)),
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

/** A reference to a resource or data source (`azurerm_subnet.apim.id`, `data.azurerm_subnet.x`, indexed or not). */
const REFERENCE = /\b(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\]|\.\*)?(?:\.([A-Za-z_][A-Za-z0-9_]*))?/g;
const LOCAL = /\blocal\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/**
 * The code of a template's interpolations (`${...}`, not the escaped `$${...}`), with their string literals blanked:
 * where a reference can stand. Text around them and inside quotes (a description) is no reference.
 */
function interpolations(text: string, depthLeft = MAX_DEPTH): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const opener = text[i] === '$' || text[i] === '%';
    if (opener && text[i + 1] === text[i] && text[i + 2] === '{') {
      i += 2;
      continue;
    }
    if (!opener || text[i + 1] !== '{') {
      continue;
    }
    let depth = 0;
    let quoted = false;
    let literal: string[] = [];
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text[j];
      if (quoted) {
        if (c === '\\') {
          literal.push(c, text[j + 1] ?? '');
          j++;
        } else if (c === '"') {
          quoted = false;
          // A literal is text, but may itself be a template: `${lower("${azurerm_subnet.apim.id}")}`.
          out.push(' ', depthLeft > 0 ? interpolations(literal.join(''), depthLeft - 1) : '', ' ');
          literal = [];
        } else {
          literal.push(c);
        }
        continue;
      }
      if (c === '"') {
        quoted = true;
      } else if (c === '{') {
        depth++;
      } else if (c === '}' && --depth === 0) {
        break;
      }
      if (!quoted && c !== '"') {
        out.push(c);
      }
    }
    out.push('\n');
    i = j;
  }
  return out.join('');
}

/**
 * What a raw expression references, found in its text wherever the reference stands (an argument of a function, a
 * branch of a conditional, an index, a path built on it), through locals too: an over-approximation on purpose, since
 * what the checks do not read may do anything with what it gets.
 */
function scanned(model: TerraformModel, raw: unknown): Pick<Pointer, 'references' | 'dataSources' | 'text'> {
  const references = new Map<Resource, Set<string>>();
  const dataSources = new Map<string, { type: string; name: string }>();
  const texts: string[] = [];
  const seen = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) {
      return;
    }
    if (typeof value === 'string') {
      texts.push(value.toLowerCase());
      const code = interpolations(value);
      if (code === '') {
        return;
      }
      for (const [, data, type, name, attribute] of code.matchAll(REFERENCE)) {
        if (data) {
          // Only what identifies the resource the data source reads: its id, its name, or the whole object.
          if (['id', 'name', undefined].includes(attribute)) {
            dataSources.set(`${type}.${name}`, { type, name });
          }
          continue;
        }
        for (const resource of model.ofType(type).filter((r) => r.name === name)) {
          references.set(resource, (references.get(resource) ?? new Set<string>()).add(attribute ?? ''));
        }
      }
      for (const [, local] of code.matchAll(LOCAL)) {
        if (!seen.has(local)) {
          seen.add(local);
          visit(namedEntries(model.source.section('locals')).get(local), depth + 1);
        }
      }
    } else if (Array.isArray(value)) {
      value.forEach((item) => visit(item, depth + 1));
    } else if (value !== null && typeof value === 'object' && !(value instanceof Unknown) && !(value instanceof Ref)) {
      Object.entries(value as Record<string, unknown>).filter(([key]) => key !== '//').forEach(([, item]) => visit(item, depth + 1));
    }
  };
  visit(raw, 0);
  return { references, dataSources: [...dataSources.values()], text: texts.join('\n') };
}

/** The references and strings a resolved value holds, at any depth. */
function walk(value: Value, refs: Map<Resource, Set<string>>, strings: Set<string>, depth = 0): void {
  if (depth > MAX_DEPTH || value === null || value === undefined || isUnknown(value)) {
    return;
  }
  if (value instanceof Ref) {
    refs.set(value.resource, (refs.get(value.resource) ?? new Set<string>()).add(value.attribute));
  } else if (typeof value === 'string') {
    strings.add(value.trim().toLowerCase());
  } else if (Array.isArray(value)) {
    value.forEach((item) => walk(item, refs, strings, depth + 1));
  } else if (typeof value === 'object') {
    Object.values(value).forEach((item) => walk(item, refs, strings, depth + 1));
  }
}

/**
 * How a pointer names a resource (`a reference to its id`, `its ID`, `its name and resource group`, `a data source
 * that names it`), or undefined when it does not. `byName`: only what names it counts (a module given an NSG's or a
 * route table's id alone writes no rule or route into it: azurerm_network_security_rule and azurerm_route take names,
 * and a flow log or diagnostic setting takes the id).
 */
function names(pointer: Pointer, resource: Resource, byName: boolean): string | undefined {
  const refs = new Map<Resource, Set<string>>([...pointer.references].map(([r, a]) => [r, new Set(a)]));
  const strings = new Set<string>();
  walk(pointer.value, refs, strings);
  // What identifies the resource: its id, its name, or the whole object (`${azurerm_subnet.apim}`); not another
  // attribute (its location, resource group or prefixes say nothing of which resource it is).
  const attributes = new Set([...(refs.get(resource) ?? [])].filter((a) => (byName ? ['name', ''] : ['id', 'name', '']).includes(a)));
  if (attributes.size > 0) {
    return `a reference to its ${[...attributes].filter((a) => a !== '').join(', ') || 'address'}`;
  }
  // A subnet's NSG or route table association: its id is the subnet's ID.
  if (resource.type === 'azurerm_subnet') {
    for (const [other, read] of refs) {
      const subnet = other.config.subnet_id;
      if (ASSOCIATIONS.includes(other.type) && [...read].some((a) => a === 'id' || a === '') && subnet instanceof Ref && subnet.resource === resource) {
        return `the id of ${other.address}, which is the subnet's ID`;
      }
    }
  }
  const model = resource.model;
  if (!byName) {
    for (const text of strings) {
      if (text.includes('/providers/') && model.target(text, resource.type) === resource) {
        return 'its ID';
      }
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
  const aroundFields = ['resource_group_name', ...(resource.type === 'azurerm_subnet' ? ['virtual_network_name'] : [])];
  const around = aroundFields.map((field) => literal(resource.config[field]));
  // A data source of the resource's type that names it by literal name and resource group.
  for (const data of pointer.dataSources.filter((d) => d.type === resource.type)) {
    for (const around2 of model.modelsAround(resource)) {
      const body = around2.source.body('data', data.type, data.name);
      const text = (field: string) => {
        const raw = body?.get(field);
        return typeof raw === 'string' && !raw.includes('${') ? raw.trim().toLowerCase() : undefined;
      };
      if (body && name !== undefined && text('name') === name && aroundFields.every((field, i) => text(field) === undefined || text(field) === around[i])) {
        return `data.${data.type}.${data.name}, which names it`;
      }
    }
  }
  return name !== undefined && strings.has(name) && around.every((n) => n !== undefined && pointer.moduleStrings?.has(n)) ? `its name and resource group${resource.type === 'azurerm_subnet' ? ' (and virtual network)' : ''}` : undefined;
}

/** The child types of an azapi resource under a network resource (`parent_id`) that change what the checks judge. */
const CHANGING_CHILDREN: Record<OpaqueRole | 'vnet', readonly string[]> = {
  'subnet': [],
  'nsg': ['microsoft.network/networksecuritygroups/securityrules'],
  'route-table': ['microsoft.network/routetables/routes'],
  'vnet': ['microsoft.network/virtualnetworks/subnets'],
};

/** Whether a pointer, which names the resource, may change it in a role (see CHANGING_CHILDREN). */
function mayChange(pointer: Pointer, role: OpaqueRole | 'vnet', subnetName: string | undefined): boolean {
  const name = subnetName?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pathToSubnet = () => name !== undefined && new RegExp(`/subnets/${name}(\\b|$)`).test(pointer.text);
  if (pointer.kind === 'module') {
    // A module given the virtual network may change the APIM subnet only if it also gets the subnet's name (as a
    // value, or in a path built on the network's id).
    return role !== 'vnet' || (subnetName !== undefined && ((pointer.moduleStrings?.has(subnetName) ?? false) || pathToSubnet() ||
      new RegExp(`(^|[^a-z0-9_.-])${name}($|[^a-z0-9_.-])`).test(pointer.text)));
  }
  if (pointer.input === 'parent_id') {
    // A child: of a type that changes the resource (or a type not known), and under a network, the APIM subnet's name.
    const known = pointer.azapiType !== undefined && pointer.azapiType !== '';
    if (known && !CHANGING_CHILDREN[role].includes(pointer.azapiType as string)) {
      return false;
    }
    return role !== 'vnet' || pointer.azapiName === undefined || pointer.azapiName === subnetName;
  }
  // resource_id: the resource itself, or a path below it (`${azurerm_virtual_network.vnet.id}/subnets/snet-apim`).
  if (role === 'vnet' && pointer.text.includes('/subnets/')) {
    return pathToSubnet();
  }
  return true;
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
      const how = names(pointer, resource, pointer.kind === 'module' && (role === 'nsg' || role === 'route-table'));
      if (!how || !mayChange(pointer, role, subnetName)) {
        continue;
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
