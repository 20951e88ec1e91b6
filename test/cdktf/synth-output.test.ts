import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, IAspect, TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { IConstruct } from 'constructs';
import { InternalSingleRegionStack } from '../../examples/internal-single-region/main';
import { MultiRegionExternalStack } from '../../examples/multi-region-external/main';
import { SingleRegionStack } from '../../examples/single-region/main';
import { ApimNetworkChecks } from '../../lib';
import { stackDocument } from '../../lib/cdktf/document';
import { brownfieldInApp } from '../fixtures/brownfield-app';

// The checks read the stack through cdktf's public API only: no patched method, no overridden getter. These tests pin
// that whatever the checks do, cdk.tf.json holds every change made by any aspect or validation.
function synth(withChecks: boolean, mutate?: (app: App, stack: TerraformStack) => void): { text: string; app: App; stack: TerraformStack } {
  const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
  const stack = brownfieldInApp(app, 'stack');
  if (withChecks) {
    ApimNetworkChecks.applyTo(app);
  }
  mutate?.(app, stack);
  app.synth();
  return { text: fs.readFileSync(path.join(app.outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8'), app, stack };
}

describe('cdk.tf.json is what cdktf writes, whatever the checks do', () => {
  test('it is byte-identical with and without the checks', () => {
    expect(synth(true).text).toEqual(synth(false).text);
  });

  test('a change made by an aspect added after the checks is written', () => {
    class Rename implements IAspect {
      public visit(node: IConstruct): void {
        if (node instanceof VirtualNetwork) {
          node.name = 'renamed-by-aspect';
        }
      }
    }
    const { text } = synth(true, (_app, stack) => Aspects.of(stack).add(new Rename()));
    expect(JSON.parse(text).resource.azurerm_virtual_network.vnet.name).toBe('renamed-by-aspect');
  });

  test('a change made by a validation registered after the checks is written', () => {
    const { text } = synth(true, (_app, stack) => {
      stack.node.findChild('vnet').node.addValidation({
        validate: () => {
          (stack.node.findChild('subnet') as Subnet).addOverride('service_endpoints', ['Microsoft.Storage']);
          if (!stack.node.tryFindChild('late-rg')) {
            new ResourceGroup(stack, 'late-rg', { name: 'late', location: 'westeurope' });
          }
          return [];
        },
      });
    });
    const doc = JSON.parse(text);
    expect(doc.resource.azurerm_resource_group['late-rg'].name).toBe('late');
    expect(doc.resource.azurerm_subnet.subnet.service_endpoints).toEqual(['Microsoft.Storage']);
  });

  test('no cdktf method or getter is replaced on the stack or its resources, before, during or after synth', () => {
    const seen: boolean[] = [];
    const { stack } = synth(true, (_app, s) => {
      s.node.addValidation({ validate: () => {
        seen.push(Object.prototype.hasOwnProperty.call(s, 'toTerraform'));
        return [];
      } });
    });
    expect(seen).toEqual([false]);
    expect(Object.prototype.hasOwnProperty.call(stack, 'toTerraform')).toBe(false);
    for (const construct of stack.node.findAll()) {
      expect(Object.getOwnPropertyNames(construct).filter((name) => ['toTerraform', 'constructNodeMetadata'].includes(name))).toEqual([]);
    }
  });
});

describe('the lazily resolved document the checks read', () => {
  const comparable = (doc: any) => {
    const copy = JSON.parse(JSON.stringify(doc));
    for (const kind of ['resource', 'data']) {
      for (const byName of Object.values<any>(copy[kind] ?? {})) {
        for (const config of Object.values<any>(byName)) {
          delete config['//']?.metadata?.stackTrace;
        }
      }
    }
    return { resource: copy.resource, data: copy.data, provider: copy.provider, output: copy.output, locals: copy.locals, variable: copy.variable };
  };

  test.each([
    ['multi-region-external', MultiRegionExternalStack],
    ['internal-single-region', InternalSingleRegionStack],
    ['single-region', SingleRegionStack],
  ] as const)('equals stack.toTerraform() for examples/%s, stack traces on', (name, Stack) => {
    const stack = new Stack(new App({ outdir: Testing.app().outdir }), name);
    expect(comparable(stackDocument(stack))).toEqual(comparable(stack.toTerraform()));
  });

  test('equals stack.toTerraform() with variables, outputs, tokens in lists, numbers and escape hatches', () => {
    const stack = brownfieldInApp(Testing.app(), 'tokens');
    const prefix = new TerraformVariable(stack, 'prefix', { type: 'string' });
    const count = new TerraformVariable(stack, 'count', { type: 'number' });
    const subnet = stack.node.findChild('subnet') as Subnet;
    subnet.addressPrefixes = [prefix.stringValue, '10.0.2.0/27'];
    subnet.addOverride('delegation', [{ name: `d-${prefix.stringValue}`, service_delegation: { name: 'x', actions: prefix.listValue } }]);
    new TerraformOutput(stack, 'out', { value: { id: subnet.id, n: count.numberValue } });
    const vnet = stack.node.findChild('vnet') as VirtualNetwork;
    vnet.addOverride('tags', { size: `${count.numberValue}` });
    expect(comparable(stackDocument(stack))).toEqual(comparable(stack.toTerraform()));
  });

  test('resolves only what is read: nothing to build it, one attribute of one resource to read that attribute', () => {
    const stack = new MultiRegionExternalStack(Testing.app(), 'lazy');
    const { Tokenization } = jest.requireActual('cdktf');
    const spy = jest.spyOn(Tokenization, 'resolve');
    const doc = stackDocument(stack);
    const names = doc.names('resource', 'azurerm_subnet');
    expect(names.length).toBeGreaterThan(1);
    expect(spy.mock.calls.length).toBe(0);
    const subnet = doc.body('resource', 'azurerm_subnet', names[0])!;
    expect(subnet.get('virtual_network_name')).toMatch(/^\$\{azurerm_virtual_network\..*\.name\}$/);
    const afterOne = spy.mock.calls.length;
    expect(afterOne).toBe(1);
    JSON.stringify(doc);
    expect(spy.mock.calls.length).toBeGreaterThan(afterOne);
    spy.mockRestore();
  });

});
