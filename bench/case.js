'use strict';
// One benchmark run in its own process: node bench/case.js <library|constructs|deep|barrel> <regions> <outdir>
// (`constructs` is the library with its checks off.)
// Prints one JSON line: load, construct, synth and check times (ms), peak RSS, resources and bytes of cdk.tf.json.
const fs = require('fs');
const path = require('path');

const [variant, regionsText, outdir] = process.argv.slice(2);
const count = Number(regionsText);
const now = () => Number(process.hrtime.bigint()) / 1e6;

const started = now();
const cdktf = require('cdktf');
let az;
let lib;
if (variant === 'barrel') {
  // (c) on purpose: what many users write. Everywhere else the barrel import is banned (eslint, test/lint.test.ts).
  // eslint-disable-next-line no-restricted-syntax
  az = require('@cdktf/provider-azurerm');
} else {
  az = require('./workload').deepImports();
}
const withLibrary = variant === 'library' || variant === 'constructs';
if (withLibrary) {
  lib = require('..');
}
const workload = require('./workload');
const loaded = now();

const app = new cdktf.App({ outdir });
const stack = new cdktf.TerraformStack(app, 'bench');
new az.provider.AzurermProvider(stack, 'azurerm', { features: [{}] });
if (withLibrary) {
  workload.withLibrary(lib, az, stack, count, { checks: variant === 'library' });
} else {
  workload.byHand(az, stack, count);
}
const constructed = now();
app.synth();
const synthesized = now();

const stackDir = path.join(outdir, 'stacks', 'bench');
// Nothing is read back here: the whole-process time (run.js) is starting Node.js, this work and exiting. run.js counts
// the resources and reads the report after the process ends.
let check = { rulesMs: 0, checkTotalMs: 0, resolveMs: 0 };
if (variant === 'library') {
  // Timing of the whole check (resolving what the rules read, rules, annotations, the three reports).
  const timing = require('../dist/cdktf/apim-network-checks')._lastTiming(stack);
  check = { rulesMs: timing.rulesMs, checkTotalMs: timing.totalMs, resolveMs: timing.resolveMs };
}
process.stdout.write(`${JSON.stringify({
  variant, regions: count,
  loadMs: loaded - started, constructMs: constructed - loaded, synthMs: synthesized - constructed, totalMs: synthesized - started,
  ...check,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  bytes: fs.statSync(path.join(stackDir, 'cdk.tf.json')).size,
})}\n`);
