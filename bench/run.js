'use strict';
// npm run bench [-- --runs 5 --regions 1,10,60 --no-barrel]
//
// Runs each case in its own process, alternating the variants, at least 5 times, and prints the medians:
//   (a) library: MultiRegionApimNetwork with its checks (Premium, External, zones, public IPs, connected APIM)
//   (a0) constructs: the same with its checks off (`checks: false`)
//   (b) deep:    the same resources by hand, bare cdktf, deep provider imports, no checks
//   (c) barrel:  the same by hand with the barrel import of @cdktf/provider-azurerm
// and the ratios (a0)/(b) (the constructs alone against bare cdktf), (a-a0)/a0 (the checks' share), (a)/(b) and (c)/(b). The table is printed and written to bench/results/latest.md (+ .json).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { median, medianInterval, option, quantile, verdict } = require('./options');

const runs = Math.max(5, Number(option('runs', '5')));
const regionCounts = option('regions', '1,10,60').split(',').map(Number);
// --no-barrel leaves out (c), which takes ten times as long as the others: for many runs of the gates' variants.
const variants = ['library', 'constructs', 'deep', ...(process.argv.includes('--no-barrel') ? [] : ['barrel'])];
const root = path.join(__dirname, '..');

if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
  throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');
}

function runCase(variant, regions) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `apim-bench-${variant}-`));
  // The whole process as the shell times it: from spawning Node.js to its exit (startup and exit included).
  const spawned = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [path.join(__dirname, 'case.js'), variant, String(regions), outdir], {
    cwd: root, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  const wallMs = Number(process.hrtime.bigint() - spawned) / 1e6;
  if (result.status !== 0) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw new Error(`${variant} ${regions}: ${result.stderr}`);
  }
  // Read back after the process ended, so that the whole-process time holds only the work a user waits for.
  const stackDir = path.join(outdir, 'stacks', 'bench');
  const doc = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const resources = Object.values(doc.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
  if (variant === 'library') {
    const report = JSON.parse(fs.readFileSync(path.join(stackDir, 'apim-network-checks.json'), 'utf8'));
    if (report.summary.errors > 0) {
      throw new Error(`the library case has ${report.summary.errors} error findings`);
    }
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ...JSON.parse(result.stdout.trim().split('\n').pop()), resources, wallMs };
}


const samples = {};
for (const regions of regionCounts) {
  for (let run = 0; run < runs; run++) {
    // Alternate the order of the variants from run to run so drift on the machine hits them all alike.
    const order = run % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const key = `${variant}:${regions}`;
      (samples[key] = samples[key] ?? []).push(runCase(variant, regions));
      process.stderr.write('.');
    }
  }
}
process.stderr.write('\n');

const fields = ['loadMs', 'constructMs', 'synthMs', 'checkMs', 'rulesMs', 'totalMs', 'wallMs', 'peakRssMb', 'resources', 'bytes'];
const rows = [];
for (const regions of regionCounts) {
  const medians = {};
  for (const variant of variants) {
    const list = samples[`${variant}:${regions}`].map((s) => ({ ...s, checkMs: s.checkTotalMs ? s.checkTotalMs - s.resolveMs : 0 }));
    medians[variant] = Object.fromEntries(fields.map((f) => [f, median(list.map((s) => s[f] ?? 0))]));
  }
  const ratio = (a, b, f) => medians[a][f] / medians[b][f];
  // Paired: the ratio within each run (the variants of one run ran back to back, so drift on the machine hits them
  // alike), then the median and the quartiles of those ratios.
  const paired = (a, b, f, field = 'totalMs') => samples[`${a}:${regions}`].map((s, i) => f(s[field], samples[`${b}:${regions}`][i][field]));
  // The median of the paired ratios, its quartiles, and its 95% confidence interval (the gates are judged on it).
  const spread = (values) => ({ median: median(values), q1: quantile(values, 0.25), q3: quantile(values, 0.75), ci: medianInterval(values) });
  rows.push({ regions, medians, paired: {
    constructsTotal: spread(paired('constructs', 'deep', (a0, b) => a0 / b)),
    checksShare: spread(paired('library', 'constructs', (a, a0) => (a - a0) / a0)),
    constructsWall: spread(paired('constructs', 'deep', (a0, b) => a0 / b, 'wallMs')),
    checksShareWall: spread(paired('library', 'constructs', (a, a0) => (a - a0) / a0, 'wallMs')),
  }, ratios: {
    constructsTotal: ratio('constructs', 'deep', 'totalMs'),
    checksShare: (medians.library.totalMs - medians.constructs.totalMs) / medians.constructs.totalMs,
    libraryTotal: ratio('library', 'deep', 'totalMs'), libraryRss: ratio('library', 'deep', 'peakRssMb'),
    // Without case (c) (--no-barrel), its ratios are left out of the table.
    barrelTotal: medians.barrel && ratio('barrel', 'deep', 'totalMs'), barrelRss: medians.barrel && ratio('barrel', 'deep', 'peakRssMb'),
    checkShareOfSynth: medians.library.checkMs / medians.library.synthMs,
  } });
}

// A cold `require('cdktf-apim-network')` (with cdktf and the provider modules it imports), in fresh processes.
const requireMs = median(Array.from({ length: runs }, () => {
  const out = spawnSync(process.execPath, ['-e', "const t=process.hrtime.bigint();require(process.argv[1]);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))", root], { encoding: 'utf8' });
  return Number(out.stdout);
}));

const fmt = (n, digits = 0) => n.toFixed(digits);
const lines = [
  `Benchmark: ${runs} runs per case, medians, separate processes, alternating; node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`,
  '',
  '| regions | case | load ms | construct ms | synth ms | of which checks ms (rules ms) | total ms (in-process) | whole process ms | peak RSS MB | resources | JSON bytes |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
for (const row of rows) {
  for (const variant of variants) {
    const m = row.medians[variant];
    const checks = variant === 'library' ? `${fmt(m.checkMs)} (${fmt(m.rulesMs)})` : '-';
    lines.push(`| ${row.regions} | ${{ library: '(a) library + checks', constructs: '(a0) library, checks off', deep: '(b) bare cdktf, deep imports', barrel: '(c) bare cdktf, barrel import' }[variant]} | ${fmt(m.loadMs)} | ${fmt(m.constructMs)} | ${fmt(m.synthMs)} | ${checks} | ${fmt(m.totalMs)} | ${fmt(m.wallMs)} | ${fmt(m.peakRssMb)} | ${m.resources} | ${m.bytes} |`);
  }
}
lines.push('', 'Ratios of the medians (in-process total time):', '', '| regions | (a0)/(b) total time: constructs alone | (a-a0)/a0 total time: the checks\' share | (a)/(b) total time | (a)/(b) peak RSS | (c)/(b) total time | (c)/(b) peak RSS | checks / synth of (a) |', '|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  const r = row.ratios;
  lines.push(`| ${row.regions} | ${fmt(r.constructsTotal, 2)} | ${fmt(100 * r.checksShare, 1)}% | ${fmt(r.libraryTotal, 2)} | ${fmt(r.libraryRss, 2)} | ${r.barrelTotal ? fmt(r.barrelTotal, 2) : '-'} | ${r.barrelRss ? fmt(r.barrelRss, 2) : '-'} | ${fmt(100 * r.checkShareOfSynth, 1)}% |`);
}
lines.push('', `Paired ratios, with the gates of issue 10: the ratio within each run (the variants of a run ran back to back), then the`,
  `median of the ${runs} runs, its 95% confidence interval [low-high] (order statistics, no assumption on the distribution) and`,
  'the quartiles (Q1-Q3). A gate holds when the whole interval is within it, fails when the whole interval is over it, and is',
  'undecided otherwise. "in-process" is the time case.js measures (from its first line to the end of `app.synth()`); "whole',
  'process" is from spawning Node.js to its exit, as the shell times `node main.js`.', '',
  '| regions | measure | (a0)/(b): constructs alone (gate 1.20) | (a-a0)/a0: the checks\' share (gate 25%, goal 10%) |', '|---|---|---|---|');
const ratioCell = (x, gate) => `${fmt(x.median, 2)} [${fmt(x.ci.low, 2)}-${fmt(x.ci.high, 2)}] (Q ${fmt(x.q1, 2)}-${fmt(x.q3, 2)}), ${verdict(x.ci, gate)}`;
const shareCell = (x, gate) => `${fmt(100 * x.median, 1)}% [${fmt(100 * x.ci.low, 1)}-${fmt(100 * x.ci.high, 1)}%] (Q ${fmt(100 * x.q1, 1)}-${fmt(100 * x.q3, 1)}%), ${verdict(x.ci, gate)}`;
for (const row of rows) {
  const p = row.paired;
  lines.push(`| ${row.regions} | in-process | ${ratioCell(p.constructsTotal, 1.2)} | ${shareCell(p.checksShare, 0.25)} |`);
  lines.push(`| ${row.regions} | whole process | ${ratioCell(p.constructsWall, 1.2)} | ${shareCell(p.checksShareWall, 0.25)} |`);
}
lines.push('', `Cold \`require('cdktf-apim-network')\` (cdktf and the provider modules included): ${fmt(requireMs)} ms (median of ${runs} fresh processes).`);
lines.push('', 'checks ms = what the checks take inside synth: resolving what the rules read (each resource the first time a rule',
  'reads it), rule evaluation, annotations and the three reports; (a) synth ms includes everything. total ms is what',
  'case.js measures from its first line to the end of `app.synth()` (loading, constructing, synthesizing); whole process',
  'ms adds starting Node.js and exiting, as a user waits for `node main.js`.');
const table = lines.join('\n');
console.log(table);
fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'results', 'latest.md'), `${table}\n`);
fs.writeFileSync(path.join(__dirname, 'results', 'latest.json'), `${JSON.stringify({ runs, rows, samples }, null, 2)}\n`);

// The README's performance section shows the latest table.
const readmeFile = path.join(root, 'README.md');
const readme = fs.readFileSync(readmeFile, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
if (readme.includes(start) && readme.includes(end)) {
  fs.writeFileSync(readmeFile, `${readme.slice(0, readme.indexOf(start) + start.length)}\n${table}\n${readme.slice(readme.indexOf(end))}`);
}
