import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { ApimNetworkChecks } from '../../lib';
import { brownfieldInApp } from '../fixtures/brownfield-app';

// The checks hand the document they resolved to the cdk.tf.json writer (resolving is most of synth's cost). These
// tests pin that the hand-over never changes what is written.
function synth(withChecks: boolean, mutate?: (app: App) => void): string {
  const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
  brownfieldInApp(app, 'stack');
  if (withChecks) {
    ApimNetworkChecks.applyTo(app);
  }
  mutate?.(app);
  app.synth();
  return fs.readFileSync(path.join(app.outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8');
}

describe('the resolved document handed to the writer', () => {
  test('cdk.tf.json is byte-identical with and without the checks', () => {
    expect(synth(true)).toEqual(synth(false));
  });

  test('a resource added after the checks ran (by a later validation) is still written', () => {
    const addLate = (app: App) => {
      const stack = app.node.findChild('stack');
      const child = stack.node.findChild('vnet');
      child.node.addValidation({
        validate: () => {
          if (!stack.node.tryFindChild('late-rg')) {
            new ResourceGroup(stack, 'late-rg', { name: 'late', location: 'westeurope' });
          }
          return [];
        },
      });
    };
    expect(JSON.parse(synth(true, addLate)).resource.azurerm_resource_group).toBeDefined();
  });

  test('code that runs after synth resolves afresh', () => {
    const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
    const stack = brownfieldInApp(app, 'stack');
    ApimNetworkChecks.applyTo(app);
    app.synth();
    new ResourceGroup(stack, 'after', { name: 'after', location: 'westeurope' });
    expect((stack.toTerraform() as any).resource.azurerm_resource_group).toBeDefined();
  });
});

test('outside synth (validations run by hand, then a change in place) toTerraform resolves afresh', () => {
  const stack = brownfieldInApp(Testing.app(), 'manual');
  ApimNetworkChecks.applyTo(stack);
  stack.runAllValidations();
  (stack.node.findChild('vnet') as any).name = 'renamed';
  expect((stack.toTerraform() as any).resource.azurerm_virtual_network.vnet.name).toBe('renamed');
});

test('synth with the checks resolves the stack as often as synth without them', () => {
  const { TerraformStack } = jest.requireActual('cdktf');
  const count = (withChecks: boolean) => {
    const spy = jest.spyOn(TerraformStack.prototype, 'toTerraform');
    synth(withChecks);
    const calls = spy.mock.calls.length;
    spy.mockRestore();
    return calls;
  };
  expect(count(true)).toBe(count(false));
});
