import { readPlan } from '../../lib/cli/plan';

const FILE = '/work/plan.json';

/** A plan with the sections the reader uses. */
function plan(parts: { planned: any[]; children?: any[]; changes?: any[]; configuration?: any; prior?: any[]; variables?: any }): string {
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.8',
    variables: parts.variables ?? {},
    planned_values: { root_module: { resources: parts.planned, child_modules: parts.children ?? [] } },
    resource_changes: parts.changes ?? [],
    prior_state: parts.prior ? { values: { root_module: { resources: parts.prior } } } : undefined,
    configuration: parts.configuration ?? { root_module: {} },
  });
}

const res = (address: string, type: string, name: string, values: any, extra: any = {}) => ({ address, mode: 'managed', type, name, values, ...extra });
const change = (address: string, afterUnknown: any) => ({ address, change: { actions: ['create'], after_unknown: afterUnknown } });

describe('plan reader', () => {
  test('known values as planned; unknown IDs linked through references, indexes, module outputs and module inputs', () => {
    const doc = readPlan(plan({
      planned: [res('x_link.l', 'x_link', 'l', { name: 'l' })],
      children: [{
        address: 'module.net', resources: [
          res('module.net.azurerm_subnet.s[0]', 'azurerm_subnet', 's', { name: 's0' }, { index: 0 }),
          res('module.net.azurerm_subnet.s[1]', 'azurerm_subnet', 's', { name: 's1' }, { index: 1 }),
          res('module.net.x_assoc.a', 'x_assoc', 'a', {}),
        ],
      }],
      changes: [
        change('x_link.l', { subnet: true, other: true, nested: [{ id: true }] }),
        change('module.net.x_assoc.a', { subnet: true }),
      ],
      configuration: {
        root_module: {
          resources: [{ address: 'x_link.l', mode: 'managed', type: 'x_link', name: 'l', expressions: {
            subnet: { references: ['module.net.first', 'module.net'] },
            other: { references: ['random_thing.r.id'] },
            nested: [{ id: { references: ['module.net.second', 'module.net'] } }],
          } }],
          module_calls: { net: {
            source: './net',
            expressions: { pick: { references: ['x_link.l.name', 'x_link.l'] } },
            module: {
              outputs: { first: { expression: { references: ['azurerm_subnet.s[0].id', 'azurerm_subnet.s'] } }, second: { expression: { references: ['azurerm_subnet.s[1].id'] } } },
              resources: [{ address: 'x_assoc.a', mode: 'managed', type: 'x_assoc', name: 'a', expressions: { subnet: { references: ['var.pick'] } } }],
            },
          } },
        },
      },
    }), FILE);
    expect(doc.document.resource.x_link.l).toMatchObject({
      name: 'l', subnet: '${azurerm_subnet.net--s--0.id}', other: '${(known after apply: random_thing.r.id)}', nested: [{ id: '${azurerm_subnet.net--s--1.id}' }],
    });
    expect(doc.document.resource.x_assoc['net--a'].subnet).toBe('${x_link.l.name}');
    expect(doc.resources.map((r) => `${r.address} -> ${r.type}.${r.jsonName}`)).toEqual([
      'x_link.l -> x_link.l', 'module.net.azurerm_subnet.s[0] -> azurerm_subnet.net--s--0', 'module.net.azurerm_subnet.s[1] -> azurerm_subnet.net--s--1', 'module.net.x_assoc.a -> x_assoc.net--a',
    ]);
    expect(doc.document.resource.x_link.l['//']).toEqual({ metadata: { path: 'x_link.l', address: 'x_link.l', file: FILE } });
  });

  test('a reference to a resource with several instances and no index stays unknown', () => {
    const doc = readPlan(plan({
      planned: [res('a.x[0]', 'a', 'x', {}, { index: 0 }), res('a.x[1]', 'a', 'x', {}, { index: 1 }), res('b.y', 'b', 'y', {})],
      changes: [change('b.y', { ref: true })],
      configuration: { root_module: { resources: [{ address: 'b.y', mode: 'managed', type: 'b', name: 'y', expressions: { ref: { references: ['a.x.id', 'a.x'] } } }] } },
    }), FILE);
    expect(doc.document.resource.b.y.ref).toBe('${(known after apply: a.x.id)}');
  });

  test('providers from the configuration (with variables), aliases on resources, data sources from prior_state', () => {
    const doc = readPlan(plan({
      planned: [res('azurerm_subnet.s', 'azurerm_subnet', 's', { name: 's' })],
      prior: [{ address: 'data.azurerm_subnet.d', mode: 'data', type: 'azurerm_subnet', name: 'd', values: { id: '/subscriptions/1/x', name: 'd' } }],
      variables: { sub: { value: 'sub-1' } },
      configuration: {
        provider_config: {
          azurerm: { name: 'azurerm', expressions: { subscription_id: { references: ['var.sub'] } } },
          'azurerm.hub': { name: 'azurerm', alias: 'hub', expressions: { subscription_id: { constant_value: 'sub-hub' } } },
          'net:azurerm': { name: 'azurerm' },
        },
        root_module: { resources: [{ address: 'azurerm_subnet.s', mode: 'managed', type: 'azurerm_subnet', name: 's', provider_config_key: 'azurerm.hub', expressions: {} }] },
      },
    }), FILE);
    expect(doc.document.provider.azurerm).toEqual([{ subscription_id: 'sub-1' }, { subscription_id: 'sub-hub', alias: 'hub' }]);
    expect(doc.document.resource.azurerm_subnet.s.provider).toBe('azurerm.hub');
    expect(doc.document.data.azurerm_subnet.d).toMatchObject({ id: '/subscriptions/1/x', name: 'd' });
  });

  test.each([
    ['{"format_version": "1.2"}', /is not a Terraform plan in JSON/],
    ['{"format_version": "1.2", ', /plan\.json:1:/],
  ])('refuses %s', (text, message) => {
    expect(() => readPlan(text, FILE)).toThrow(message);
  });
});

describe('breaker report 4: a link whose expression names several resource instances is unknown, never the first one', () => {
  const SUBNETS = [res('azurerm_subnet.blue', 'azurerm_subnet', 'blue', { name: 'blue' }), res('azurerm_subnet.green', 'azurerm_subnet', 'green', { name: 'green' })];
  /** `x_link.l.subnet`, unknown in the plan, written with the references of its expression. */
  function link(references: string[], extra: { children?: any[]; module_calls?: any; locals?: boolean } = {}): unknown {
    const doc = readPlan(plan({
      planned: [...SUBNETS, res('x_link.l', 'x_link', 'l', {})],
      children: extra.children,
      changes: [change('x_link.l', { subnet: true })],
      variables: { use_blue: { value: false } },
      configuration: { root_module: {
        resources: [{ address: 'x_link.l', mode: 'managed', type: 'x_link', name: 'l', expressions: { subnet: { references } } }],
        module_calls: extra.module_calls,
      } },
    }), FILE);
    return doc.document.resource.x_link.l.subnet;
  }

  test.each<[string, string[]]>([
    ['var.use_blue ? azurerm_subnet.blue.id : azurerm_subnet.green.id', ['var.use_blue', 'azurerm_subnet.blue.id', 'azurerm_subnet.blue', 'azurerm_subnet.green.id', 'azurerm_subnet.green']],
    ['coalesce(azurerm_subnet.blue.id, azurerm_subnet.green.id)', ['azurerm_subnet.blue.id', 'azurerm_subnet.blue', 'azurerm_subnet.green.id', 'azurerm_subnet.green']],
    ['try(azurerm_subnet.green.id, azurerm_subnet.blue.id)', ['azurerm_subnet.green.id', 'azurerm_subnet.green', 'azurerm_subnet.blue.id', 'azurerm_subnet.blue']],
    ['local.use_blue ? var.existing : azurerm_subnet.blue.id (a local can hold any ID)', ['local.use_blue', 'var.existing', 'azurerm_subnet.blue.id', 'azurerm_subnet.blue']],
    ['data.x.y.id != "" ? data.x.y.id : azurerm_subnet.blue.id (a data source read after apply)', ['data.x.y.id', 'data.x.y', 'azurerm_subnet.blue.id', 'azurerm_subnet.blue']],
    ['"${azurerm_subnet.blue.id}/${azurerm_subnet.blue.name}" (two attributes)', ['azurerm_subnet.blue.id', 'azurerm_subnet.blue.name', 'azurerm_subnet.blue']],
    ['azurerm_subnet.blue (the whole object, no attribute)', ['azurerm_subnet.blue']],
    ['a resource that is not in the plan, beside one that is', ['azurerm_subnet.gone.id', 'azurerm_subnet.blue.id']],
  ])('%s', (_expression, references) => {
    expect(link(references)).toMatch(/^\$\{\(known after apply: [^{}]+\)\}$/);
  });

  test('the unknown names what the expression refers to (messages show it)', () => {
    expect(link(['var.use_blue', 'azurerm_subnet.blue.id', 'azurerm_subnet.blue', 'azurerm_subnet.green.id', 'azurerm_subnet.green']))
      .toBe('${(known after apply: azurerm_subnet.blue.id or azurerm_subnet.green.id)}');
    expect(link(['local.a', 'local.b', 'local.c', 'local.d', 'local.e'])).toBe('${(known after apply: local.a or local.b or local.c or 2 more)}');
  });

  test('through a module output that names two instances, or a module input that does', () => {
    const children = [{ address: 'module.net', resources: [
      res('module.net.azurerm_subnet.a', 'azurerm_subnet', 'a', {}), res('module.net.azurerm_subnet.b', 'azurerm_subnet', 'b', {}),
    ] }];
    const outputs = (refs: string[]) => ({ net: { source: './net', module: { outputs: { id: { expression: { references: refs } } } } } });
    expect(link(['module.net.id', 'module.net'], { children, module_calls: outputs(['var.flag', 'azurerm_subnet.a.id', 'azurerm_subnet.a', 'azurerm_subnet.b.id', 'azurerm_subnet.b']) })).toBe('${(known after apply: module.net.id)}');
    expect(link(['module.net.id', 'module.net'], { children, module_calls: outputs(['azurerm_subnet.a.id', 'azurerm_subnet.a']) })).toBe('${azurerm_subnet.net--a.id}');
    // In the module: subnet = var.subnet, and the call passes a conditional between two root subnets.
    const inModule = readPlan(plan({
      planned: SUBNETS,
      children: [{ address: 'module.apim', resources: [res('module.apim.x_link.l', 'x_link', 'l', {})] }],
      changes: [change('module.apim.x_link.l', { subnet: true })],
      configuration: { root_module: { module_calls: { apim: {
        source: './apim',
        expressions: { subnet: { references: ['var.use_blue', 'azurerm_subnet.blue.id', 'azurerm_subnet.blue', 'azurerm_subnet.green.id', 'azurerm_subnet.green'] } },
        module: { resources: [{ address: 'x_link.l', mode: 'managed', type: 'x_link', name: 'l', expressions: { subnet: { references: ['var.subnet'] } } }] },
      } } } },
    }), FILE);
    expect(inModule.document.resource.x_link['apim--l'].subnet).toBe('${(known after apply: var.subnet)}');
  });

  test('one instance named by every reference is still a link (with the resource itself, root variables and count.index beside it)', () => {
    expect(link(['azurerm_subnet.green.id', 'azurerm_subnet.green'])).toBe('${azurerm_subnet.green.id}');
    expect(link(['var.use_blue', 'azurerm_subnet.green.id', 'azurerm_subnet.green', 'count.index', 'each.key', 'path.module', 'terraform.workspace'])).toBe('${azurerm_subnet.green.id}');
  });
});
