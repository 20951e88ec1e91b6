'use strict';
// npm run bench:stacks [-- --runs 11 --networks 8 --regions 6 --apims 8 --lib <checkout>]
//
// An app of many stacks: `--networks` network stacks, each a MultiRegionApimNetwork of `--regions` regions, then
// `--apims` APIM stacks, the i-th connected to the network of stack i modulo `--networks` (cross-stack references;
// connect() registers the checks on the APIM's stack too). Each run is its own process, the two variants alternating
// from run to run:
//   checks: the networks with their checks (every stack is checked)
//   off:    the same app with `checks: false`
// It prints the medians of synth time (`app.synth()`) and of the in-process total, and the checks' share of synth
// (paired within each run, with its 95% confidence interval). `--lib` measures another checkout of this library (its
// own build, e.g. a git worktree of an older commit); the script itself is always this one.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { createRequire } = require('module');

const { median, medianInterval, option, quantile } = require('./options');

const root = path.resolve(option('lib', path.join(__dirname, '..')));
const networks = Number(option('networks', '8'));
const regionCount = Number(option('regions', '6'));
const apims = Number(option('apims', '8'));

/** One run, in this process: node bench/stacks.js --case <checks|off> --outdir <dir> [--lib ...] */
function runOne(variant, outdir) {
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  const started = now();
  const from = createRequire(path.join(root, 'package.json'));
  const cdktf = from('cdktf');
  const { ApiManagement } = from('@cdktf/provider-azurerm/lib/api-management');
  const { AzurermProvider } = from('@cdktf/provider-azurerm/lib/provider');
  const lib = from(root);
  const loaded = now();
  const app = new cdktf.App({ outdir });
  const nets = [];
  for (let n = 0; n < networks; n++) {
    const stack = new cdktf.TerraformStack(app, `network-${n}`);
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    nets.push(new lib.MultiRegionApimNetwork(stack, 'network', {
      virtualNetworkType: lib.ApimVirtualNetworkType.EXTERNAL, apiManagementName: `bench-apim-${n}`, resourceGroupName: `rg-bench-${n}`,
      regions: require('./workload').regions(regionCount), checks: variant === 'checks',
    }));
  }
  const stacks = [];
  for (let a = 0; a < apims; a++) {
    const stack = new cdktf.TerraformStack(app, `apim-${a}`);
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const n = a % networks;
    nets[n].connect(new ApiManagement(stack, 'apim', {
      name: `bench-apim-${n}`, location: 'westeurope', resourceGroupName: `rg-bench-${n}`, publisherName: 'Bench',
      publisherEmail: 'bench@example.com', skuName: 'Premium_3',
    }));
    stacks.push(stack);
  }
  const constructed = now();
  const cpu = process.cpuUsage();
  app.synth();
  const synthesized = now();
  const { user, system } = process.cpuUsage(cpu);
  let checkMs = 0;
  let errors = 0;
  if (variant === 'checks') {
    const { _lastTiming } = from(path.join(root, 'dist', 'cdktf', 'apim-network-checks'));
    for (const stack of app.node.findAll().filter((c) => cdktf.TerraformStack.isStack(c))) {
      checkMs += _lastTiming(stack)?.totalMs ?? 0;
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack.node.id, 'apim-network-checks.json'), 'utf8'));
      errors += report.summary.errors;
    }
  }
  process.stdout.write(`${JSON.stringify({
    variant, loadMs: loaded - started, constructMs: constructed - loaded, synthMs: synthesized - constructed, synthCpuMs: (user + system) / 1000, totalMs: synthesized - started,
    checkMs, errors, peakRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`);
}

function spawnOne(variant) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `apim-bench-stacks-${variant}-`));
  const args = [__filename, '--case', variant, '--outdir', outdir, '--lib', root, '--networks', String(networks),
    '--regions', String(regionCount), '--apims', String(apims)];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) {
    throw new Error(`${variant}: ${result.stderr}`);
  }
  const sample = JSON.parse(result.stdout.trim().split('\n').pop());
  if (sample.errors > 0) {
    throw new Error(`${variant}: ${sample.errors} error findings`);
  }
  return sample;
}

function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
    throw new Error(`${root}/dist is missing: run \`npm run build\` there first (npm run bench:stacks does here)`);
  }
  const runs = Math.max(5, Number(option('runs', '11')));
  const variants = ['checks', 'off'];
  const samples = { checks: [], off: [] };
  for (let run = 0; run < runs; run++) {
    // Alternate the order from run to run so drift on the machine hits both alike.
    for (const variant of run % 2 === 0 ? variants : [...variants].reverse()) {
      samples[variant].push(spawnOne(variant));
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  const fmt = (n, digits = 0) => n.toFixed(digits);
  const med = (variant, field) => median(samples[variant].map((s) => s[field]));
  const share = samples.checks.map((s, i) => (s.synthMs - samples.off[i].synthMs) / samples.off[i].synthMs);
  const ci = medianInterval(share);
  const checksCi = medianInterval(samples.checks.map((s) => s.synthMs));
  const lines = [
    `Many stacks: ${networks} network stacks x ${regionCount} regions + ${apims} APIM stacks (${networks + apims} stacks); ${runs} runs per ` +
      `variant, medians, separate processes, alternating; node ${process.version}, ${os.cpus().length} cores; library at ${root}`,
    '',
    '| variant | construct ms | synth ms | of which checks ms | total ms (in-process) | peak RSS MB |',
    '|---|---|---|---|---|---|',
    ...variants.map((v) => `| ${v === 'checks' ? 'checks on' : 'checks off'} | ${fmt(med(v, 'constructMs'))} | ${fmt(med(v, 'synthMs'))} | ` +
      `${v === 'checks' ? fmt(med(v, 'checkMs')) : '-'} | ${fmt(med(v, 'totalMs'))} | ${fmt(med(v, 'peakRssMb'))} |`),
    '',
    `Synth with checks: ${fmt(med('checks', 'synthMs'))} ms [${fmt(checksCi.low)}-${fmt(checksCi.high)}] (95% interval of the median).`,
    `The checks' share of synth ((on - off) / off, paired within each run): ${fmt(100 * median(share), 1)}% ` +
      `[${fmt(100 * ci.low, 1)}-${fmt(100 * ci.high, 1)}%] (Q ${fmt(100 * quantile(share, 0.25), 1)}-${fmt(100 * quantile(share, 0.75), 1)}%).`,
  ];
  console.log(lines.join('\n'));
  if (option('json', undefined)) {
    fs.writeFileSync(option('json'), `${JSON.stringify({ runs, networks, regions: regionCount, apims, root, samples }, null, 2)}\n`);
  }
}

if (option('case', undefined)) {
  runOne(option('case'), option('outdir'));
} else {
  main();
}
