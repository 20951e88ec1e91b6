/**
 * Stability: a refactor must never silently replace a subnet, an NSG association or a public IP in users'
 * deployments. Terraform addresses (construct ids) and identity attributes (names, prefixes, DNS labels, zones) of
 * every example are pinned in test/fixtures/pinned-identity.json; changing them is a breaking change (README,
 * "Safety"). Update the fixture only deliberately, with a major version and an upgrade note.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { InternalForcedTunnelStack } from '../examples/internal-forced-tunnel/main';
import { InternalSingleRegionStack } from '../examples/internal-single-region/main';
import { MultiRegionExternalStack } from '../examples/multi-region-external/main';
import { SingleRegionStack } from '../examples/single-region/main';
import * as pinned from './fixtures/pinned-identity.json';
import { identityOf } from './support/identity';

type StackClass = new (scope: App, id: string) => TerraformStack;
const EXAMPLES: Array<[keyof typeof pinned & string, StackClass]> = [
  ['multi-region-external', MultiRegionExternalStack],
  ['internal-single-region', InternalSingleRegionStack],
  ['single-region', SingleRegionStack],
  ['internal-forced-tunnel', InternalForcedTunnelStack],
];

describe.each(EXAMPLES)('examples/%s', (name, Stack) => {
  test('Terraform addresses and identity attributes match the pinned ones', () => {
    const actual = identityOf(JSON.parse(Testing.synth(new Stack(Testing.app(), name))));
    expect(Object.keys(actual).sort()).toEqual(Object.keys(pinned[name]).sort());
    expect(actual).toEqual(pinned[name]);
  });

  test('synthesizing the same app twice gives byte-identical cdk.tf.json', () => {
    const once = () => {
      const app = new App({ outdir: Testing.app().outdir });
      new Stack(app, name);
      app.synth();
      return fs.readFileSync(path.join(app.outdir, 'stacks', name, 'cdk.tf.json'));
    };
    const first = once();
    expect(once().equals(first)).toBe(true);
  });
});
