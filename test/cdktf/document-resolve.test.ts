import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Lazy, TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { MultiRegionExternalStack } from '../../examples/multi-region-external/main';
import { stackDocument } from '../../lib/cdktf/document';
import { brownfieldInApp } from '../fixtures/brownfield-app';

// How the checks' lazy document resolves a value: what holds a token goes to cdktf's resolver, the rest is read as it
// is. Each case is compared with what cdktf writes into cdk.tf.json for the same value (stack.toTerraform()).

function stackWithOverride(value: (stack: TerraformStack) => unknown): { stack: TerraformStack; read: () => unknown; written: () => unknown } {
  const stack = brownfieldInApp(Testing.app(), 'resolve');
  const vnet = stack.node.findChild('vnet') as VirtualNetwork;
  vnet.addOverride('tags', value(stack));
  const name = vnet.friendlyUniqueId;
  return {
    stack,
    read: () => stackDocument(stack).body('resource', 'azurerm_virtual_network', name)!.get('tags'),
    written: () => (stack.toTerraform() as { resource: Record<string, Record<string, { tags?: unknown }>> }).resource.azurerm_virtual_network[name].tags,
  };
}

describe('the checks resolve a value as cdktf writes it', () => {
  test('a list with a token after a plain item is resolved once, by cdktf, as a whole', () => {
    let produced = 0;
    const { read, written } = stackWithOverride((stack) => {
      const prefix = new TerraformVariable(stack, 'prefix', { type: 'string' });
      return [{ a: Lazy.stringValue({ produce: () => `lazy${++produced}` }) }, prefix.stringValue];
    });
    expect(read()).toEqual([{ a: 'lazy1' }, '${var.prefix}']);
    expect(produced).toBe(1);
    expect(written()).toEqual([{ a: 'lazy2' }, '${var.prefix}']);
  });

  test('a number list token is resolved, not read as a huge number', () => {
    const { read, written } = stackWithOverride((stack) => {
      const ports = new TerraformVariable(stack, 'ports', { type: 'list(number)' });
      return { ports: Token.asNumberList(ports.value) };
    });
    expect(read()).toEqual({ ports: '${var.ports}' });
    expect(read()).toEqual(written());
  });

  test('an undefined item or attribute is left out, as cdktf leaves it out', () => {
    const { read, written } = stackWithOverride(() => ({ list: [1, undefined, 2], block: { a: undefined, b: 1 } }));
    expect(read()).toEqual({ list: [1, 2], block: { b: 1 } });
    expect(Object.keys((read() as { block: object }).block)).toEqual(['b']);
    expect(JSON.stringify(read())).toBe(JSON.stringify(written()));
  });

  test.each([
    ['with a token beside it', true],
    ['alone', false],
  ])('a construct in a value (%s) gets cdktf\'s own error, not a stack overflow', (_what, withToken) => {
    const { stack, read } = stackWithOverride((s) => {
      const subnet = s.node.findChild('subnet') as Subnet;
      const prefix = new TerraformVariable(s, 'prefix', { type: 'string' });
      return withToken ? [subnet, prefix.stringValue] : [subnet];
    });
    expect(read).toThrow(/Construct/);
    expect(() => stack.toTerraform()).toThrow(/Construct/);
  });

  test('a value nested deeper than the walk goes to cdktf whole, and reads the same', () => {
    const { read, written } = stackWithOverride(() => {
      let value: unknown = 'leaf';
      for (let i = 0; i < 150; i++) {
        value = [value];
      }
      return { deep: value };
    });
    expect(read()).toEqual(written());
  });

  test('hands cdktf\'s resolver each value inside an object, as cdktf does when it writes cdk.tf.json', () => {
    // A string or list handed to the resolver at the top throws away its optimised code (a V8 deopt): cdk.tf.json then
    // takes longer to write. Only the speed depends on it; the comparisons above and in synth-output.test.ts pin the
    // result.
    const stack = new MultiRegionExternalStack(Testing.app(), 'wrapped');
    const { Tokenization } = jest.requireActual('cdktf');
    const spy = jest.spyOn(Tokenization, 'resolve');
    JSON.stringify(stackDocument(stack));
    expect(spy.mock.calls.length).toBeGreaterThan(10);
    for (const [value] of spy.mock.calls) {
      expect(Object.prototype.toString.call(value)).toBe('[object Object]');
      expect(Object.keys(value as object)).toEqual(['value']);
    }
    spy.mockRestore();
  });
});
