/**
 * Global setup of the jest project `package` (jest.config.js): the tests of the built package need dist/ and .jsii
 * from the current sources. `npm test` has just built them, so this does nothing there; after a bare `npm ci`, or
 * when a source changed since the last build, it runs `npm run build` first.
 */
import { run, staleBuildReason } from './package';

export default function buildPackage(): void {
  const reason = staleBuildReason();
  if (reason === undefined) {
    return;
  }
  process.stdout.write(`\n[package tests] ${reason}: running \`npm run build\` first\n`);
  const { ms } = run('npm', ['run', 'build'], { what: 'The jsii build that the package tests need' });
  process.stdout.write(`[package tests] built in ${(ms / 1000).toFixed(1)} s\n`);
}
