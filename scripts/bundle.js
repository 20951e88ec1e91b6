'use strict';
// Bundle the library (dist/, which jsii builds) into one file, dist/bundle.js: package.json's "main".
//
// Why: `require('cdktf-apim-network')` loaded 51 modules, and Node.js pays for each one (resolving its path, reading
// it, looking up its package scope, compiling it); the checks' engine, loaded at synth, is 18 more. One file loads the
// library in about three quarters of the time and the engine in about a third (README, Performance). The per-module
// output of jsii stays in dist/: the type declarations point into it, and the command line (bin/cdktf-apim-network)
// loads dist/cli/main.js. cdktf, constructs and the provider stay outside the bundle: they are peer dependencies, and
// the provider is imported module by module (deep imports only).
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const result = esbuild.buildSync({
  entryPoints: [path.join(root, 'dist', 'index.js')],
  outfile: path.join(root, 'dist', 'bundle.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['cdktf', 'constructs', '@cdktf/*'],
  // Classes keep their names (esbuild renames a class that refers to itself, e.g. `_ApimNetworkError`): jsii, error
  // messages and `constructor.name` show them.
  keepNames: true,
  logLevel: 'warning',
  metafile: true,
});
// Only the library's own modules (and package.json, for the version the reports name) may be inside.
const inputs = Object.keys(result.metafile.inputs);
const foreign = inputs.filter((file) => !file.startsWith('dist/') && file !== 'package.json');
if (foreign.length > 0) {
  throw new Error(`dist/bundle.js would hold files from outside dist/: ${foreign.join(', ')}`);
}
process.stdout.write(`dist/bundle.js: ${inputs.length} modules\n`);
