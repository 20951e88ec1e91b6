import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The benchmark must run from a fresh clone (it needs dist/, which the global setup of the jest project `package`
// builds). Timings are not asserted here: performance is measured by `npm run bench`, not by timed tests. This checks
// that each case runs and that the three cases build the same resources.
const root = path.join(__dirname, '..');

function runCase(variant: string): any {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
  const result = spawnSync(process.execPath, [path.join(root, 'bench', 'case.js'), variant, '2', outdir], { cwd: root, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const line = JSON.parse(result.stdout);
  const doc = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'bench', 'cdk.tf.json'), 'utf8'));
  line.types = Object.fromEntries(Object.entries<Record<string, unknown>>(doc.resource).map(([type, byName]) => [type, Object.keys(byName).length]));
  fs.rmSync(outdir, { recursive: true, force: true });
  return line;
}

describe('bench/case.js (needs dist/: the jest project `package` builds it first)', () => {
  test('the library, deep-import and barrel-import cases build the same resources', () => {
    const [library, deep, barrel] = ['library', 'deep', 'barrel'].map(runCase);
    expect(library.types).toEqual({
      azurerm_api_management: 1, azurerm_network_security_group: 2, azurerm_public_ip: 2, azurerm_subnet: 2,
      azurerm_subnet_network_security_group_association: 2, azurerm_virtual_network: 2,
    });
    expect(deep.types).toEqual(library.types);
    expect(barrel.types).toEqual(library.types);
    for (const line of [library, deep, barrel]) {
      for (const field of ['loadMs', 'constructMs', 'synthMs', 'totalMs', 'peakRssMb', 'bytes']) {
        expect(line[field]).toBeGreaterThan(0);
      }
    }
    expect(library.checkTotalMs).toBeGreaterThan(0);
    expect(library.rulesMs).toBeGreaterThan(0);
  });
});

describe('bench/options.js', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { median, medianInterval, quantile, verdict } = require('../bench/options');

  test('median and quartiles, linear between the nearest ranks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(quantile([5], 0.25)).toBe(5);
    expect(quantile([9, 1, 5], 0.5)).toBe(median([9, 1, 5]));
  });

  test('the 95% confidence interval of the median by order statistics, and the verdict on a gate', () => {
    const ranks = (n: number) => Array.from({ length: n }, (_, i) => n - i);
    // Ranks from the binomial distribution (the usual tables): n=6 -> 1st and 6th, 10 -> 2nd and 9th, 21 -> 6th and 16th.
    expect(medianInterval(ranks(6))).toEqual({ low: 1, high: 6 });
    expect(medianInterval(ranks(10))).toEqual({ low: 2, high: 9 });
    expect(medianInterval(ranks(21))).toEqual({ low: 6, high: 16 });
    expect(medianInterval(ranks(61))).toEqual({ low: 23, high: 39 });
    // Below 6 values no 95% interval exists: the whole range.
    expect(medianInterval([5, 1, 3])).toEqual({ low: 1, high: 5 });
    expect(verdict({ low: 0.1, high: 0.2 }, 0.25)).toBe('within');
    expect(verdict({ low: 0.26, high: 0.3 }, 0.25)).toBe('over');
    expect(verdict({ low: 0.2, high: 0.3 }, 0.25)).toMatch(/^undecided/);
  });
});
