import { Testing } from 'cdktf';
import { SingleRegionStack } from '../examples/single-region/main';

describe('examples/single-region', () => {
  test('snapshot', () => {
    const stack = new SingleRegionStack(Testing.app(), 'single');
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  test('synthesizes through app.synth() (the path cdktf synth takes)', () => {
    const app = Testing.app();
    new SingleRegionStack(app, 'single');
    expect(() => app.synth()).not.toThrow();
  });
});
