'use strict';
// npm run bench [-- --runs 5 --regions 1,10,60]
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

const { median, option, quantile } = require('./options');

const runs = Math.max(5, Number(option('runs', '5')));
const regionCounts = option('regions', '1,10,60').split(',').map(Number);
const variants = ['library', 'constructs', 'deep', 'barrel'];
const root = path.join(__dirname, '..');

if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
  throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');
}

function runCase(variant, regions) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `apim-bench-${variant}-`));
  const result = spawnSync(process.execPath, [path.join(__dirname, 'case.js'), variant, String(regions), outdir], {
    cwd: root, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  fs.rmSync(outdir, { recursive: true, force: true });
  if (result.status !== 0) {
    throw new Error(`${variant} ${regions}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout.trim().split('\n').pop());
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

const fields = ['loadMs', 'constructMs', 'synthMs', 'checkMs', 'rulesMs', 'totalMs', 'peakRssMb', 'resources', 'bytes'];
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
  const paired = (a, b, f) => samples[`${a}:${regions}`].map((s, i) => f(s.totalMs, samples[`${b}:${regions}`][i].totalMs));
  const spread = (values) => ({ median: median(values), q1: quantile(values, 0.25), q3: quantile(values, 0.75) });
  rows.push({ regions, medians, paired: {
    constructsTotal: spread(paired('constructs', 'deep', (a0, b) => a0 / b)),
    checksShare: spread(paired('library', 'constructs', (a, a0) => (a - a0) / a0)),
  }, ratios: {
    constructsTotal: ratio('constructs', 'deep', 'totalMs'),
    checksShare: (medians.library.totalMs - medians.constructs.totalMs) / medians.constructs.totalMs,
    libraryTotal: ratio('library', 'deep', 'totalMs'), libraryRss: ratio('library', 'deep', 'peakRssMb'),
    barrelTotal: ratio('barrel', 'deep', 'totalMs'), barrelRss: ratio('barrel', 'deep', 'peakRssMb'),
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
  '| regions | case | load ms | construct ms | synth ms | of which checks ms (rules ms) | total ms | peak RSS MB | resources | JSON bytes |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
for (const row of rows) {
  for (const variant of variants) {
    const m = row.medians[variant];
    const checks = variant === 'library' ? `${fmt(m.checkMs)} (${fmt(m.rulesMs)})` : '-';
    lines.push(`| ${row.regions} | ${{ library: '(a) library + checks', constructs: '(a0) library, checks off', deep: '(b) bare cdktf, deep imports', barrel: '(c) bare cdktf, barrel import' }[variant]} | ${fmt(m.loadMs)} | ${fmt(m.constructMs)} | ${fmt(m.synthMs)} | ${checks} | ${fmt(m.totalMs)} | ${fmt(m.peakRssMb)} | ${m.resources} | ${m.bytes} |`);
  }
}
lines.push('', '| regions | (a0)/(b) total time: constructs alone | (a-a0)/a0 total time: the checks\' share | (a)/(b) total time | (a)/(b) peak RSS | (c)/(b) total time | (c)/(b) peak RSS | checks / synth of (a) |', '|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  const r = row.ratios;
  lines.push(`| ${row.regions} | ${fmt(r.constructsTotal, 2)} | ${fmt(100 * r.checksShare, 1)}% | ${fmt(r.libraryTotal, 2)} | ${fmt(r.libraryRss, 2)} | ${fmt(r.barrelTotal, 2)} | ${fmt(r.barrelRss, 2)} | ${fmt(100 * r.checkShareOfSynth, 1)}% |`);
}
lines.push('', `Paired ratios (within each run, then the median and the quartiles Q1-Q3 of the ${runs} runs), with the gates of issue 10:`, '',
  '| regions | (a0)/(b): constructs alone (gate 1.20) | (a-a0)/a0: the checks\' share (gate 25%, goal 10%) |', '|---|---|---|');
for (const row of rows) {
  const { constructsTotal: c, checksShare: k } = row.paired;
  const verdict = (ok) => (ok ? 'within' : 'over');
  lines.push(`| ${row.regions} | ${fmt(c.median, 2)} (${fmt(c.q1, 2)}-${fmt(c.q3, 2)}), ${verdict(c.median <= 1.2)} | ` +
    `${fmt(100 * k.median, 1)}% (${fmt(100 * k.q1, 1)}-${fmt(100 * k.q3, 1)}%), ${verdict(k.median <= 0.25)} |`);
}
lines.push('', `Cold \`require('cdktf-apim-network')\` (cdktf and the provider modules included): ${fmt(requireMs)} ms (median of ${runs} fresh processes).`);
lines.push('', 'checks ms = what the checks take inside synth: resolving what the rules read (each resource the first time a rule',
  'reads it), rule evaluation, annotations and the three reports; (a) synth ms includes everything. The checks\' share',
  '(a-a0)/a0 compares whole processes, the way a user waits for `cdktf synth`.');
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
