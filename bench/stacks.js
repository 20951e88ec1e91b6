'use strict';
// npm run bench:stacks [-- --runs 11 --networks 8 --regions 6 --apims 8 --lib <checkout>[,<checkout>...]]
//
// An app of many stacks: `--networks` network stacks, each a MultiRegionApimNetwork of `--regions` regions, then
// `--apims` APIM stacks, the i-th connected to the network of stack i modulo `--networks` (cross-stack references;
// connect() registers the checks on the APIM's stack too). Each run is its own process, the variants alternating
// from run to run:
//   checks: the networks with their checks (every stack is checked)
//   off:    the same app with `checks: false`
// It prints the medians of synth time (`app.synth()`), of the main thread's CPU time in synth (Linux; on a busy machine
// wall time also counts what other processes did), and the checks' share of synth (paired within each run, with its
// 95% confidence interval). `--lib` measures other checkouts of this library (each with its own build, e.g. git
// worktrees of older commits), alternating with each other; the script itself is always this one, and the synth time of
// each with its checks is compared with the first's, paired within each run.
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { createRequire } = require('module');

const { median, medianInterval, option, quantile } = require('./options');

const roots = option('lib', path.join(__dirname, '..')).split(',').map((dir) => path.resolve(dir));
const root = roots[0];
const networks = Number(option('networks', '8'));
const regionCount = Number(option('regions', '6'));
const apims = Number(option('apims', '8'));

/**
 * The CPU time of this thread so far (ms), where Linux tells it (/proc/thread-self/schedstat), else NaN: the main
 * thread's own work, without the garbage collector's and compiler's helper threads, and without the time it waited
 * for a CPU (on a busy machine, wall time also counts what other processes did).
 */
function threadCpuMs() {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

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
  const thread = threadCpuMs();
  app.synth();
  const synthesized = now();
  const threadMs = threadCpuMs() - thread;
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
    variant, loadMs: loaded - started, constructMs: constructed - loaded, synthMs: synthesized - constructed, synthCpuMs: (user + system) / 1000, synthThreadMs: threadMs, totalMs: synthesized - started,
    checkMs, errors, peakRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`);
}

function spawnOne(variant, lib) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `apim-bench-stacks-${variant}-`));
  const args = [__filename, '--case', variant, '--outdir', outdir, '--lib', lib, '--networks', String(networks),
    '--regions', String(regionCount), '--apims', String(apims)];
  const result = spawnSync(process.execPath, args, { cwd: lib, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) {
    throw new Error(`${lib} ${variant}: ${result.stderr}`);
  }
  const sample = JSON.parse(result.stdout.trim().split('\n').pop());
  if (sample.errors > 0) {
    throw new Error(`${lib} ${variant}: ${sample.errors} error findings`);
  }
  return sample;
}

function main() {
  for (const lib of roots) {
    if (!fs.existsSync(path.join(lib, 'dist', 'index.js'))) {
      throw new Error(`${lib}/dist is missing: run \`npm run build\` there first (npm run bench:stacks does here)`);
    }
  }
  const runs = Math.max(5, Number(option('runs', '11')));
  const cases = roots.flatMap((lib) => ['checks', 'off'].map((variant) => ({ lib, variant })));
  const samples = Object.fromEntries(roots.map((lib) => [lib, { checks: [], off: [] }]));
  for (let run = 0; run < runs; run++) {
    // Alternate the order from run to run so drift on the machine hits every case alike.
    for (const { lib, variant } of run % 2 === 0 ? cases : [...cases].reverse()) {
      samples[lib][variant].push(spawnOne(variant, lib));
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  const fmt = (n, digits = 0) => n.toFixed(digits);
  const lines = [
    `Many stacks: ${networks} network stacks x ${regionCount} regions + ${apims} APIM stacks (${networks + apims} stacks); ${runs} runs per ` +
      `case, medians, separate processes, alternating; node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| library | synth ms, checks on [95% interval] | synth ms, checks off | checks\' share of synth (paired) [95% interval] | ' +
      'main-thread CPU ms in synth, on / off | of which checks ms | synth on / first library\'s (paired) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const lib of roots) {
    const { checks, off } = samples[lib];
    const med = (list, field) => median(list.map((s) => s[field]));
    const share = checks.map((s, i) => (s.synthMs - off[i].synthMs) / off[i].synthMs);
    const ci = medianInterval(share);
    const on = medianInterval(checks.map((s) => s.synthMs));
    const first = samples[roots[0]].checks;
    const against = checks.map((s, i) => s.synthMs / first[i].synthMs);
    const againstCi = medianInterval(against);
    lines.push(`| ${path.relative(process.cwd(), lib) || '.'} | ${fmt(med(checks, 'synthMs'))} [${fmt(on.low)}-${fmt(on.high)}] | ` +
      `${fmt(med(off, 'synthMs'))} | ${fmt(100 * median(share), 1)}% [${fmt(100 * ci.low, 1)}-${fmt(100 * ci.high, 1)}%] ` +
      `(Q ${fmt(100 * quantile(share, 0.25), 1)}-${fmt(100 * quantile(share, 0.75), 1)}%) | ${fmt(med(checks, 'synthThreadMs'))} / ` +
      `${fmt(med(off, 'synthThreadMs'))} | ${fmt(med(checks, 'checkMs'))} | ` +
      `${lib === roots[0] ? '-' : `${fmt(median(against), 2)} [${fmt(againstCi.low, 2)}-${fmt(againstCi.high, 2)}]`} |`);
  }
  lines.push('', 'synth ms: `app.synth()` of the whole app, wall time. Main-thread CPU: the time the main thread ran in synth ' +
    '(/proc/thread-self/schedstat), without the helper threads and without waiting for a CPU. of which checks: the sum ' +
    'of every stack\'s checks as they time themselves.');
  console.log(lines.join('\n'));
  if (option('json', undefined)) {
    fs.writeFileSync(option('json'), `${JSON.stringify({ runs, networks, regions: regionCount, apims, roots, samples }, null, 2)}\n`);
  }
}

if (option('case', undefined)) {
  runOne(option('case'), option('outdir'));
} else {
  main();
}
