import * as fs from 'fs';
import * as path from 'path';
import { readModule } from '../../lib/cli/terraform/config';
import { LoadedModule, loadRootModule } from '../../lib/cli/terraform/load';
import { VariableArgument } from '../../lib/cli/terraform/variables';
import { FIXTURES, ROOT, tempDir } from './support';
import { TerraformModel, Unknown as ModelUnknown } from '../../lib/checks/model';

function load(files: Record<string, string>, options: { variables?: VariableArgument[]; env?: Record<string, string>; target?: string } = {}): LoadedModule & { dir: string } {
  const dir = tempDir(files);
  const loaded = loadRootModule(path.join(dir, options.target ?? '.'), {
    variables: (options.variables ?? []).map((v) => (v.kind === 'file' ? { kind: 'file', path: path.join(dir, v.path) } : v)),
    env: options.env ?? {},
    display: (f) => path.relative(dir, f) || '.',
  });
  return { ...loaded, dir };
}

const resource = (loaded: LoadedModule, type: string, name: string) => loaded.document.resource?.[type]?.[name];

describe('variables: Terraform\'s precedence, lowest first', () => {
  const SOURCES: Array<[string, Record<string, string>, VariableArgument[], Record<string, string>]> = [
    ['the default', {}, [], {}],
    ['TF_VAR_name', {}, [], { TF_VAR_v: 'env' }],
    ['terraform.tfvars', { 'terraform.tfvars': 'v = "tfvars"\n' }, [], { TF_VAR_v: 'env' }],
    ['terraform.tfvars.json', { 'terraform.tfvars': 'v = "tfvars"\n', 'terraform.tfvars.json': '{"v": "tfvars.json"}' }, [], {}],
    ['a.auto.tfvars', { 'terraform.tfvars.json': '{"v": "tfvars.json"}', 'a.auto.tfvars': 'v = "a.auto"\n' }, [], {}],
    ['b.auto.tfvars.json (lexical order)', { 'a.auto.tfvars': 'v = "a.auto"\n', 'b.auto.tfvars.json': '{"v": "b.auto.json"}' }, [], {}],
    ['--var-file', { 'b.auto.tfvars.json': '{"v": "b.auto.json"}', 'x.tfvars': 'v = "var-file"\n' }, [{ kind: 'file', path: 'x.tfvars' }], {}],
    ['--var after --var-file', { 'x.tfvars': 'v = "var-file"\n' }, [{ kind: 'file', path: 'x.tfvars' }, { kind: 'var', text: 'v=cli' }], {}],
    ['--var-file after --var', { 'x.tfvars': 'v = "var-file"\n' }, [{ kind: 'var', text: 'v=cli' }, { kind: 'file', path: 'x.tfvars' }], {}],
  ];
  const EXPECTED = ['default', 'env', 'tfvars', 'tfvars.json', 'a.auto', 'b.auto.json', 'var-file', 'cli', 'var-file'];

  test.each(SOURCES.map((s, i) => [...s, EXPECTED[i]] as const))('%s wins', (_name, files, variables, env, expected) => {
    const loaded = load({ 'main.tf': 'variable "v" {\n  default = "default"\n}\nresource "x_thing" "t" {\n  name = var.v\n}\n', ...files }, { variables, env });
    expect(resource(loaded, 'x_thing', 't').name).toBe(expected);
  });

  test('--var and TF_VAR_ text is a string for primitive types, an HCL expression for complex ones', () => {
    const loaded = load({
      'main.tf': [
        'variable "n" {\n  type = number\n}',
        'variable "s" {}',
        'variable "l" {\n  type = list(string)\n}',
        'variable "o" {\n  type = object({ a = number, b = optional(string, "dflt") })\n}',
        'resource "x_thing" "t" {\n  n = var.n + 1\n  s = var.s\n  l = var.l\n  o = var.o\n}',
      ].join('\n'),
    }, { variables: [{ kind: 'var', text: 'n=41' }, { kind: 'var', text: 's=["not", "parsed"]' }, { kind: 'var', text: 'l=["a", "b"]' }], env: { TF_VAR_o: '{ a = "7" }' } });
    expect(resource(loaded, 'x_thing', 't')).toMatchObject({ n: 42, s: '["not", "parsed"]', l: ['a', 'b'], o: { a: 7, b: 'dflt' } });
  });

  test('a variable without a value stays unknown, and is listed with where it is declared', () => {
    const loaded = load({ 'vars.tf': '\nvariable "location" {\n  type = string\n}\n', 'main.tf': 'resource "x_thing" "t" {\n  location = var.location\n  upper = upper(var.location)\n}\n' });
    // A value computed from it is written as its own expression (it is another value than the variable).
    expect(resource(loaded, 'x_thing', 't')).toMatchObject({ location: '${var.location}', upper: '${upper(var.location)}' });
    expect([...loaded.unsetVariables]).toEqual([['location', 'vars.tf:2']]);
  });

  test('a value for an undeclared variable is reported, not fatal', () => {
    const loaded = load({ 'main.tf': 'resource "x_thing" "t" {\n}\n', 'terraform.tfvars': 'nope = 1\n' });
    expect(loaded.diagnostics).toEqual([{ message: 'a value is given for var.nope (terraform.tfvars:1), but the root module declares no such variable' }]);
  });

  test('a value that does not fit the type is reported and unknown', () => {
    const loaded = load({ 'main.tf': 'variable "n" {\n  type = number\n}\nresource "x_thing" "t" {\n  n = var.n\n}\n' }, { variables: [{ kind: 'var', text: 'n=abc' }] });
    expect(resource(loaded, 'x_thing', 't').n).toBe('${var.n}');
    expect(loaded.diagnostics[0]).toMatchObject({ line: 1, message: 'var.n is "abc", where a number is needed' });
  });
});

describe('resources: count, for_each, dynamic blocks, references', () => {
  test('count and for_each expand; each instance gets its own name and address; references follow', () => {
    const loaded = load({
      'main.tf': [
        'locals {\n  subnets = { web = "10.0.1.0/24", apim = "10.0.2.0/27" }\n}',
        'resource "azurerm_subnet" "s" {\n  for_each         = local.subnets\n  name             = "snet-${each.key}"\n  address_prefixes = [each.value]\n}',
        'resource "azurerm_public_ip" "p" {\n  count = 2\n  name  = "pip-${count.index}"\n}',
        'resource "x_link" "l" {\n  subnet = azurerm_subnet.s["apim"].id\n  pip    = azurerm_public_ip.p[1].id\n  all    = azurerm_public_ip.p[*].id\n  names  = [for k, s in azurerm_subnet.s : s.name]\n}',
      ].join('\n'),
    });
    expect(Object.keys(loaded.document.resource.azurerm_subnet)).toEqual(['s--apim', 's--web']);
    expect(resource(loaded, 'azurerm_subnet', 's--apim')).toMatchObject({ name: 'snet-apim', address_prefixes: ['10.0.2.0/27'] });
    expect(resource(loaded, 'azurerm_subnet', 's--apim')['//'].metadata).toEqual({ path: 'azurerm_subnet.s["apim"]', address: 'azurerm_subnet.s["apim"]', file: 'main.tf', line: 4 });
    expect(resource(loaded, 'x_link', 'l')).toMatchObject({
      subnet: '${azurerm_subnet.s--apim.id}', pip: '${azurerm_public_ip.p--1.id}',
      all: ['${azurerm_public_ip.p--0.id}', '${azurerm_public_ip.p--1.id}'], names: ['snet-apim', 'snet-web'],
    });
  });

  test('breaker report 16: count = "1" and the other conversions Terraform makes (a string count, a "1"/"0" condition, a module count)', () => {
    const loaded = load({
      'main.tf': [
        'variable "enabled" {}',
        'variable "n" {\n  default = "2"\n}',
        'resource "azurerm_public_ip" "one" {\n  count = "1"\n  name  = "pip-${count.index}"\n}',
        'resource "azurerm_public_ip" "exp" {\n  count = "2e0"\n  name  = "exp-${count.index}"\n}',
        'resource "azurerm_public_ip" "flag" {\n  count = var.enabled ? 1 : 0\n  name  = "flag"\n}',
        'module "m" {\n  source = "./m"\n  count  = var.n\n}',
        'resource "azurerm_subnet" "s" {\n  count = "1.5"\n  name  = "half"\n}',
        'resource "azurerm_subnet" "t" {\n  count = true\n  name  = "bool"\n}',
      ].join('\n'),
      'm/main.tf': 'resource "azurerm_subnet" "c" {\n  name = "c"\n}\n',
      'terraform.tfvars': 'enabled = "1"\n',
    });
    expect(Object.keys(loaded.document.resource.azurerm_public_ip).sort()).toEqual(['exp--0', 'exp--1', 'flag--0', 'one--0']);
    expect(Object.keys(loaded.document.resource.azurerm_subnet).sort()).toEqual(['m--0--c', 'm--1--c', 's', 't']);
    // What Terraform refuses stays refused: reported, and unknown.
    expect(loaded.diagnostics.map((d) => d.message)).toEqual([
      'the count of azurerm_subnet.s: count must be a whole number of zero or more, not 1.5',
      'the count of azurerm_subnet.t: count must be a whole number of zero or more, not true',
    ]);
  });

  test('a count or for_each that is not known: one resource, marked with it, every instance value unknown', () => {
    const loaded = load({ 'main.tf': 'variable "n" {\n  type = number\n}\nresource "azurerm_subnet" "s" {\n  count = var.n\n  name  = "snet-${count.index}"\n}\n' });
    // The name is written as its own expression: the checks know count.index is unknown where count is.
    expect(loaded.document.resource.azurerm_subnet).toEqual({
      s: { count: '${var.n}', name: 'snet-${count.index}', '//': expect.anything() },
    });
    const [subnet] = new TerraformModel(loaded.document).ofType('azurerm_subnet');
    expect(subnet.config.name).toBeInstanceOf(ModelUnknown);
  });

  test('for_each over a set of strings, and over a map; a list of objects is refused with the reason', () => {
    const loaded = load({
      'main.tf': 'resource "x" "a" {\n  for_each = toset(["b", "a", "b"])\n  v = each.value\n}\nresource "x" "bad" {\n  for_each = [{ a = 1 }]\n  v = 1\n}\n',
    });
    expect(Object.keys(loaded.document.resource.x)).toEqual(['a--a', 'a--b', 'bad']);
    expect(loaded.document.resource.x.bad.for_each).toBe('${[{a = 1}]}');
    expect(loaded.diagnostics[0].message).toMatch(/the for_each of x\.bad: for_each needs a map or a set of strings/);
  });

  test('dynamic blocks expand with their iterator; nested dynamic blocks too; an unknown for_each makes the block list unknown', () => {
    const loaded = load({
      'main.tf': [
        'variable "later" {}',
        'locals {\n  rules = [{ name = "a", ports = ["1", "2"] }, { name = "b", ports = [] }]\n}',
        'resource "azurerm_network_security_group" "n" {',
        '  dynamic "security_rule" {\n    for_each = local.rules\n    iterator = r\n    content {\n      name = r.value.name\n      index = r.key',
        '      dynamic "port" {\n        for_each = r.value.ports\n        content {\n          number = port.value\n        }\n      }\n    }\n  }',
        '  security_rule {\n    name = "static"\n  }',
        '}',
        'resource "azurerm_network_security_group" "u" {\n  dynamic "security_rule" {\n    for_each = var.later\n    content {\n      name = "x"\n    }\n  }\n}',
      ].join('\n'),
    });
    expect(resource(loaded, 'azurerm_network_security_group', 'n').security_rule).toEqual([
      { name: 'static' },
      { name: 'a', index: 0, port: [{ number: '1' }, { number: '2' }] },
      { name: 'b', index: 1, port: [] },
    ]);
    expect(resource(loaded, 'azurerm_network_security_group', 'u').security_rule).toBe('${var.later}');
  });

  test('a resource attribute configured with a known value is that value; computed attributes stay references', () => {
    const loaded = load({
      'main.tf': 'resource "azurerm_network_security_group" "n" {\n  name = "nsg"\n}\nresource "x" "r" {\n  name = "${azurerm_network_security_group.n.name}-rule"\n  id = azurerm_network_security_group.n.id\n  id_text = "${azurerm_network_security_group.n.id}/x"\n}\n',
    });
    expect(resource(loaded, 'x', 'r')).toMatchObject({ name: 'nsg-rule', id: '${azurerm_network_security_group.n.id}', id_text: '${azurerm_network_security_group.n.id}/x' });
  });

  test('a nested block of a resource: configured values, and computed attributes known after apply (never an error)', () => {
    const loaded = load({
      'main.tf': 'resource "azurerm_api_management" "a" {\n  additional_location {\n    location = "northeurope"\n  }\n}\nresource "x" "r" {\n  where = azurerm_api_management.a.additional_location[0].location\n  url = azurerm_api_management.a.additional_location[0].gateway_regional_url\n}\n',
    });
    expect(resource(loaded, 'x', 'r')).toMatchObject({ where: 'northeurope', url: '${azurerm_api_management.a.additional_location[0].gateway_regional_url}' });
    expect(loaded.diagnostics).toEqual([]);
    expect(resource(loaded, 'azurerm_api_management', 'a').additional_location).toEqual([{ location: 'northeurope' }]);
  });

  test('data sources are written under "data", and read as unknown', () => {
    const loaded = load({ 'main.tf': 'data "azurerm_subnet" "s" {\n  name = "snet"\n}\nresource "x" "r" {\n  subnet = data.azurerm_subnet.s.id\n  name = data.azurerm_subnet.s.name\n}\n' });
    expect(loaded.document.data.azurerm_subnet.s).toMatchObject({ name: 'snet' });
    expect(resource(loaded, 'x', 'r')).toMatchObject({ subnet: '${data.azurerm_subnet.s.id}', name: 'snet' });
  });

  test('an expression that fails is reported with its file and line, and unknown in the document', () => {
    const loaded = load({ 'main.tf': 'locals {\n  o = { a = 1 }\n}\n\nresource "x" "r" {\n  name = local.o.b\n}\n' });
    expect(resource(loaded, 'x', 'r').name).toBe('${local.o.b}');
    expect(loaded.diagnostics).toEqual([{ file: path.join(loaded.dir, 'main.tf'), line: 6, message: 'x.r.name: the object has no attribute "b"' }]);
  });

  test('path.module, path.root, and terraform.workspace (unknown unless TF_WORKSPACE is set)', () => {
    const loaded = load({
      'main.tf': 'module "m" {\n  source = "./m"\n}\nresource "x" "r" {\n  ws = terraform.workspace\n  root = path.root\n}\n',
      'm/main.tf': 'resource "x" "m" {\n  here = path.module\n}\n',
    });
    expect(resource(loaded, 'x', 'r')).toMatchObject({ ws: '${terraform.workspace}', root: '.' });
    expect(resource(loaded, 'x', 'm--m').here).toBe('m');
  });
});

describe('modules', () => {
  const NET = {
    'net/main.tf': 'variable "prefix" {}\nvariable "n" {\n  default = 1\n}\nresource "azurerm_subnet" "s" {\n  name = "${var.prefix}-snet"\n  count = var.n\n}\noutput "ids" {\n  value = azurerm_subnet.s[*].id\n}\noutput "name" {\n  value = azurerm_subnet.s[0].name\n}\n',
  };

  test('inputs, outputs, count and for_each on module calls, nested addresses', () => {
    const loaded = load({
      ...NET,
      'main.tf': 'module "one" {\n  source = "./net"\n  prefix = "one"\n  n = 2\n}\nmodule "many" {\n  source = "./net"\n  for_each = toset(["a", "b"])\n  prefix = each.key\n}\nresource "x" "r" {\n  ids = module.one.ids\n  name = module.many["b"].name\n}\n',
    });
    expect(Object.keys(loaded.document.resource.azurerm_subnet)).toEqual(['one--s--0', 'one--s--1', 'many--a--s--0', 'many--b--s--0']);
    expect(loaded.resources.filter((r) => r.type === 'azurerm_subnet').map((r) => r.address)).toEqual([
      'module.one.azurerm_subnet.s[0]', 'module.one.azurerm_subnet.s[1]', 'module.many["a"].azurerm_subnet.s[0]', 'module.many["b"].azurerm_subnet.s[0]',
    ]);
    expect(resource(loaded, 'x', 'r')).toMatchObject({ ids: ['${azurerm_subnet.one--s--0.id}', '${azurerm_subnet.one--s--1.id}'], name: 'b-snet' });
    expect(loaded.files.map((f) => path.relative(loaded.dir, f)).sort()).toEqual(['main.tf', 'net/main.tf']);
  });

  test('a remote module stays unknown and is listed; once terraform init installed it, it is read', () => {
    const files = {
      'main.tf': 'module "reg" {\n  source = "Azure/avm-res-network-networksecuritygroup/azurerm"\n  version = "0.2.0"\n  prefix = "r"\n}\nresource "x" "r" {\n  name = module.reg.name\n}\n',
    };
    const remote = load(files);
    expect(resource(remote, 'x', 'r').name).toBe('${module.reg.name}');
    expect(remote.remoteModules).toEqual(['module.reg (Azure/avm-res-network-networksecuritygroup/azurerm)']);
    const installed = load({
      ...files, ...Object.fromEntries(Object.entries(NET).map(([k, v]) => [k.replace('net/', '.terraform/modules/reg/'), v])),
      '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'reg', Source: 'registry', Dir: '.terraform/modules/reg' }] }),
    });
    expect(resource(installed, 'x', 'r').name).toBe('r-snet');
    expect(installed.remoteModules).toEqual([]);
  });

  test('provider aliases: on resources, and through a module call\'s providers map', () => {
    const loaded = load({
      'main.tf': [
        'provider "azurerm" {\n  features {}\n  subscription_id = "sub-a"\n}',
        'provider "azurerm" {\n  alias = "hub"\n  features {}\n  subscription_id = "sub-hub"\n}',
        'resource "azurerm_subnet" "a" {\n  provider = azurerm.hub\n}',
        'resource "azurerm_subnet" "b" {\n}',
        'module "m" {\n  source = "./m"\n  providers = {\n    azurerm = azurerm.hub\n  }\n}',
      ].join('\n'),
      'm/main.tf': 'resource "azurerm_subnet" "c" {\n}\n',
    });
    expect(loaded.document.provider.azurerm).toEqual([{ features: [{}], subscription_id: 'sub-a' }, { alias: 'hub', features: [{}], subscription_id: 'sub-hub' }]);
    expect(resource(loaded, 'azurerm_subnet', 'a').provider).toBe('azurerm.hub');
    expect(resource(loaded, 'azurerm_subnet', 'b').provider).toBeUndefined();
    expect(resource(loaded, 'azurerm_subnet', 'm--c').provider).toBe('azurerm.hub');
  });

  test('a module resource never takes the name of a root resource', () => {
    const loaded = load({ 'main.tf': 'module "a" {\n  source = "./a"\n}\nresource "x" "a--r" {\n}\n', 'a/main.tf': 'resource "x" "r" {\n}\n' });
    expect(Object.keys(loaded.document.resource.x).sort()).toEqual(['a--r', 'a--r-2']);
    expect(loaded.resources.find((r) => r.jsonName === 'a--r-2')!.address).toBe('module.a.x.r');
  });
});

describe('files', () => {
  test('override files replace attributes and whole nested block types', () => {
    const loaded = load({
      'main.tf': 'resource "azurerm_subnet" "s" {\n  name = "a"\n  keep = 1\n  delegation {\n    name = "d1"\n  }\n}\n',
      'override.tf': 'resource "azurerm_subnet" "s" {\n  name = "b"\n  delegation {\n    name = "d2"\n  }\n}\n',
    });
    expect(resource(loaded, 'azurerm_subnet', 's')).toMatchObject({ name: 'b', keep: 1, delegation: [{ name: 'd2' }] });
  });

  describe('breaker report 9: override blocks need only what they override, as Terraform merges them', () => {
    const MODULE = { 'm/variables.tf': 'variable "prefix" {}\nvariable "size" {}\n', 'm/main.tf': 'resource "azurerm_subnet" "s" {\n  name = "${var.prefix}-${var.size}"\n}\n' };

    test.each<[string, Record<string, string>]>([
      ['override.tf', { 'override.tf': 'module "net" {\n  size = 27\n}\n' }],
      ['override.tf.json', { 'override.tf.json': JSON.stringify({ module: { net: { size: 27 } } }) }],
      ['x_override.tf, twice (later blocks win)', { 'a_override.tf': 'module "net" {\n  size = 26\n}\n', 'b_override.tf': 'module "net" {\n  size = 27\n}\n' }],
    ])('a module block without source (%s) overrides one argument and keeps the source and the others', (_name, overrides) => {
      const loaded = load({ 'main.tf': 'module "net" {\n  source = "./m"\n  prefix = "snet"\n  size   = 24\n}\n', ...MODULE, ...overrides });
      expect(resource(loaded, 'azurerm_subnet', 'net--s').name).toBe('snet-27');
      expect(loaded.diagnostics).toEqual([]);
    });

    test('an override may also replace the source', () => {
      const loaded = load({
        'main.tf': 'module "net" {\n  source = "./m"\n  prefix = "snet"\n  size   = 24\n}\n', ...MODULE,
        'other/variables.tf': 'variable "prefix" {}\nvariable "size" {}\n', 'other/main.tf': 'resource "azurerm_subnet" "s" {\n  name = "other-${var.size}"\n}\n',
        'override.tf': 'module "net" {\n  source = "./other"\n}\n',
      });
      expect(resource(loaded, 'azurerm_subnet', 'net--s').name).toBe('other-24');
    });

    test('an output block without value (only its description) keeps the value', () => {
      const loaded = load({
        'main.tf': 'resource "azurerm_subnet" "s" {\n  name = "a"\n}\noutput "name" {\n  value = azurerm_subnet.s.name\n}\n',
        'override.tf': 'output "name" {\n  description = "the subnet name"\n}\n',
        'json_override.tf.json': JSON.stringify({ output: { name: { sensitive: true } } }),
      });
      expect(loaded.document.output).toEqual({ name: { value: 'a' } });
    });

    test('a variable block that overrides only the default keeps nullable = false', () => {
      const loaded = load({
        'main.tf': 'variable "v" {\n  nullable = false\n  default  = "a"\n}\nresource "x_thing" "t" {\n  v = var.v\n}\n',
        'override.tf': 'variable "v" {\n  default = "b"\n}\n',
        'terraform.tfvars.json': '{"v": null}',
      });
      // A null for a variable that is not nullable takes the default, the overridden one.
      expect(resource(loaded, 'x_thing', 't').v).toBe('b');
    });

    test('a provider block merges into the provider of the same name and alias, instead of adding a second one', () => {
      const loaded = load({
        'main.tf': 'provider "azurerm" {\n  features {}\n  subscription_id = "sub-a"\n}\nprovider "azurerm" {\n  alias = "hub"\n  features {}\n  subscription_id = "sub-hub"\n}\n',
        'override.tf': 'provider "azurerm" {\n  alias = "hub"\n  subscription_id = "sub-hub-2"\n}\n',
        'z_override.tf.json': JSON.stringify({ provider: { azurerm: { subscription_id: 'sub-b' } } }),
      });
      expect(loaded.document.provider.azurerm).toEqual([{ features: [{}], subscription_id: 'sub-b' }, { alias: 'hub', features: [{}], subscription_id: 'sub-hub-2' }]);
    });

    test('an override of a provider, module or output that is not declared is refused with the file and line', () => {
      expect(() => load({ 'main.tf': 'provider "azurerm" {\n  features {}\n}\n', 'override.tf': '\nprovider "azurerm" {\n  alias = "hub"\n}\n' }))
        .toThrow(/override\.tf:2: the override of provider "azurerm" \(alias hub\) overrides nothing: no such declaration in the module/);
      expect(() => load({ 'main.tf': '', 'override.tf': 'module "net" {\n  size = 1\n}\n' }))
        .toThrow(/override\.tf:1: the override of module call "net" overrides nothing/);
    });
  });

  test('the JSON syntax: variables, locals, resources with "//" comments kept, dynamic blocks, count', () => {
    const loaded = load({
      'main.tf.json': JSON.stringify({
        variable: { n: { type: 'number', default: 2 } },
        locals: { prefix: 'app-${var.n}' },
        resource: {
          azurerm_subnet: { s: { '//': { note: 'kept' }, count: '${var.n}', name: '${local.prefix}-${count.index}', literal: '$${not}' } },
          azurerm_network_security_group: { n: { dynamic: { security_rule: { for_each: '${[1, 2]}', content: { priority: '${security_rule.value * 100}' } } } } },
        },
      }),
    });
    // The literal text "${not}" is written escaped again, as Terraform JSON writes it (unescaped, it would read as a
    // reference).
    expect(resource(loaded, 'azurerm_subnet', 's--1')).toMatchObject({ name: 'app-2-1', literal: '$${not}', '//': { note: 'kept', metadata: { address: 'azurerm_subnet.s[1]', line: 1 } } });
    expect(resource(loaded, 'azurerm_network_security_group', 'n').security_rule).toEqual([{ priority: 100 }, { priority: 200 }]);
  });

  test('a single file is read alone (no tfvars are loaded for it)', () => {
    const loaded = load({ 'a.tf': 'variable "v" {\n  default = "d"\n}\nresource "x" "r" {\n  v = var.v\n}\n', 'b.tf': 'resource "x" "other" {\n}\n', 'terraform.tfvars': 'v = "t"\n' }, { target: 'a.tf' });
    expect(Object.keys(loaded.document.resource.x)).toEqual(['r']);
    expect(resource(loaded, 'x', 'r').v).toBe('d');
  });
});

describe('a second opinion on the structure of the fixtures: @cdktf/hcl2json', () => {
  // hcl2json (a Go WASM build of HashiCorp's HCL) writes every block as a list of objects keyed by type and labels, and
  // attributes as values or ${...} strings; compare the shape: block types, labels, attribute names, nesting.
  const mine = (body: any): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const a of body.attributes) {
      out[a.name] = '*';
    }
    for (const b of body.blocks) {
      let node: any = out;
      const keys = [b.type, ...b.labels];
      keys.forEach((k, i) => {
        if (i === keys.length - 1) {
          node[k] = [...(node[k] ?? []), mine(b.body)];
        } else {
          node = node[k] ??= {};
        }
      });
    }
    return out;
  };
  /** Their tree, with every attribute (as our parser names them) collapsed to '*'. */
  const theirsLike = (theirs: any, ours: any): unknown => {
    if (ours === '*') {
      return '*';
    }
    if (Array.isArray(theirs)) {
      return theirs.map((t, i) => theirsLike(t, Array.isArray(ours) ? ours[i] : undefined));
    }
    if (theirs !== null && typeof theirs === 'object') {
      return Object.fromEntries(Object.entries(theirs).map(([k, v]) => [k, theirsLike(v, ours?.[k])]));
    }
    return theirs;
  };

  const files = fs.readdirSync(path.join(ROOT, FIXTURES), { recursive: true }).map(String).filter((f) => f.endsWith('.tf') && !f.startsWith('broken'));

  test.each(files)('%s', async (file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parse } = require('@cdktf/hcl2json');
    const text = fs.readFileSync(path.join(ROOT, FIXTURES, file), 'utf8');
    const theirs = await parse(file, text);
    const { parseConfig } = await import('../../lib/hcl');
    const ours = mine(parseConfig(text, file));
    expect(theirsLike(theirs, ours)).toEqual(ours);
  });

  test('every fixture module reads without error', () => {
    for (const dir of ['external-module', 'internal-sql-1443', 'delegated-subnet', 'deny-all-outbound', 'basic-public-ip', 'dynamic-rules', 'no-apim', 'modules/apim-nsg']) {
      expect(readModule(path.join(ROOT, FIXTURES, dir)).files.length).toBeGreaterThan(0);
    }
  });
});

describe('lifecycle.ignore_changes is written for the checks (second outside review, session 5)', () => {
  test('from .tf (names, all, quoted) and .tf.json (a list, "all", object or array body), and nothing without it', () => {
    const loaded = load({
      'main.tf': [
        'resource "azurerm_network_security_group" "a" {\n  name = "a"\n  lifecycle {\n    ignore_changes = [tags, security_rule]\n  }\n}',
        'resource "azurerm_network_security_group" "b" {\n  name = "b"\n  lifecycle {\n    ignore_changes = all\n  }\n}',
        'resource "azurerm_subnet" "c" {\n  name = "c"\n  lifecycle {\n    ignore_changes = ["delegation"]\n    prevent_destroy = true\n  }\n}',
        'resource "azurerm_subnet" "d" {\n  name = "d"\n}',
      ].join('\n'),
      'more.tf.json': JSON.stringify({
        resource: {
          azurerm_route_table: {
            e: { name: 'e', lifecycle: { ignore_changes: ['route'] } },
            f: [{ name: 'f', lifecycle: [{ ignore_changes: 'all' }] }],
          },
        },
      }),
    });
    expect(resource(loaded, 'azurerm_network_security_group', 'a').lifecycle).toEqual({ ignore_changes: ['tags', 'security_rule'] });
    expect(resource(loaded, 'azurerm_network_security_group', 'b').lifecycle).toEqual({ ignore_changes: ['all'] });
    expect(resource(loaded, 'azurerm_subnet', 'c').lifecycle).toEqual({ ignore_changes: ['delegation'] });
    expect(resource(loaded, 'azurerm_subnet', 'd').lifecycle).toBeUndefined();
    expect(resource(loaded, 'azurerm_route_table', 'e').lifecycle).toEqual({ ignore_changes: ['route'] });
    expect(resource(loaded, 'azurerm_route_table', 'f').lifecycle).toEqual({ ignore_changes: ['all'] });
  });
});
