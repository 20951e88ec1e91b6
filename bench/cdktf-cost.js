'use strict';
// cdktf's own cost, without this library: bare cdktf, deep imports, N regions of the hand-written workload, synthesized
// with app.synth() (what `cdktf synth` runs) or with Testing.synth() (the test helper), each in its own process.
// node bench/cdktf-cost.js [--regions 50,100,200,500] [--runs 3]
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

if (process.argv[2] === '--case') {
  const [, , , mode, count] = process.argv;
  const cdktf = require('cdktf');
  const workload = require('./workload');
  const az = workload.deepImports();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cost-'));
  const app = mode === 'testing' ? cdktf.Testing.app() : new cdktf.App({ outdir });
  const standaloneRules = mode === 'standalone';
  const stack = new cdktf.TerraformStack(app, 'bench');
  new az.provider.AzurermProvider(stack, 'azurerm', { features: [{}] });
  const started = process.hrtime.bigint();
  workload.byHand(az, stack, Number(count), (i) => `region${String(i).padStart(3, '0')}`, { standaloneRules });
  const constructed = process.hrtime.bigint();
  if (mode === 'testing') {
    cdktf.Testing.synth(stack);
  } else {
    app.synth();
  }
  const done = process.hrtime.bigint();
  fs.rmSync(outdir, { recursive: true, force: true });
  const resources = stack.node.findAll().filter((c) => cdktf.TerraformResource.isTerraformResource(c)).length;
  process.stdout.write(`${JSON.stringify({ mode, regions: Number(count), resources, constructMs: Number(constructed - started) / 1e6, synthMs: Number(done - constructed) / 1e6 })}\n`);
  process.exit(0);
}

const args = process.argv.slice(2);
const option = (name, fallback) => (args.indexOf(`--${name}`) >= 0 ? args[args.indexOf(`--${name}`) + 1] : fallback);
const counts = option('regions', '50,100,200,500').split(',').map(Number);
const runs = Number(option('runs', '3'));
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const lines = ['| regions | resources | app.synth() ms | per resource ms | Testing.synth() ms | per resource ms | NSG rules as standalone resources: resources, app.synth() ms |', '|---|---|---|---|---|---|---|'];
for (const count of counts) {
  const result = {};
  for (const mode of ['app', 'testing', 'standalone']) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const out = spawnSync(process.execPath, [__filename, '--case', mode, String(count)], { encoding: 'utf8' });
      if (out.status !== 0) {
        throw new Error(out.stderr);
      }
      samples.push(JSON.parse(out.stdout));
    }
    result[mode] = { synthMs: median(samples.map((s) => s.synthMs)), resources: samples[0].resources };
  }
  const per = (mode) => (result[mode].synthMs / result[mode].resources).toFixed(2);
  lines.push(`| ${count} | ${result.app.resources} | ${result.app.synthMs.toFixed(0)} | ${per('app')} | ${result.testing.synthMs.toFixed(0)} | ${per('testing')} | ${result.standalone.resources}, ${result.standalone.synthMs.toFixed(0)} |`);
}
console.log(lines.join('\n'));
fs.writeFileSync(path.join(__dirname, 'results', 'cdktf-cost.md'), `${lines.join('\n')}\n`);
