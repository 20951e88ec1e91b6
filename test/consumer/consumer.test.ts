/**
 * The published package works in a platform repository set up as the README says: `npm pack` the built package,
 * install it and its peers into a fresh project built from the README's files (tsconfig.json, cdktf.json, main.ts,
 * jest.config.js, setup.js, main.test.ts), run `cdktf synth` there and the project's own snapshot test.
 *
 * The install is offline (`npm ci --offline`) from test/consumer/project/package-lock.json: every package it locks is
 * one the repository's own `npm ci` has put in npm's cache. The CLI is the repository's cdktf-cli 0.21.0, the version
 * the README installs (installing it again would add some 400 packages and half a minute for nothing).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { libraryLockEntry, packagesMissingFromRootLock, PROJECT, TARBALL } from './lock';
import { packTarball, ROOT, run } from '../support/package';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const project = JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8'));
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const INSTALL_TIMEOUT = 5 * 60_000;

/** The files the README's "Use it in your platform repository" gives, by the marker before each code block. */
function readmeFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const match of README.matchAll(/<!-- consumer-file: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)) {
    files[match[1]] = `${match[2]}\n`;
  }
  return files;
}

/** The README's install commands: every `name@version` they install, and the bare names. */
function readmeInstalls(): Map<string, string | undefined> {
  const section = README.slice(README.indexOf('## Use it in your platform repository'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  const specs = block.split('\n').filter((l) => l.startsWith('npm install ')).flatMap((l) => l.split(/\s+/).slice(2)).filter((w) => !w.startsWith('-'));
  return new Map(specs.map((s) => {
    const at = s.lastIndexOf('@');
    return at > 0 ? [s.slice(0, at), s.slice(at + 1)] as [string, string] : [s, undefined];
  }));
}

/** The warnings the README says `cdktf synth` prints, as "<rule id> on <resource type>". */
function readmeWarnings(): string[] {
  const list = README.slice(README.indexOf('<!-- consumer-warnings -->'), README.indexOf('<!-- consumer-warnings:end -->'));
  return [...list.matchAll(/^- `([^`]+)` on `([^`]+)`/gm)].map((m) => `${m[1]} on ${m[2]}`).sort();
}

describe('the README install commands', () => {
  test('install the versions the consumer project is tested with', () => {
    const installs = readmeInstalls();
    const tested: Record<string, string> = { ...project.dependencies, ...project.devDependencies, 'cdktf-cli': pkg.devDependencies['cdktf-cli'] };
    expect([...installs.keys()].sort()).toEqual(Object.keys(tested).sort());
    for (const [name, spec] of installs) {
      if (name === 'cdktf-apim-network') {
        continue; // the project installs the packed tarball
      }
      // `typescript@~5.9` and `@types/node@22` are ranges; the others are exact.
      const version = tested[name];
      const range = spec!.replace(/^~/, '');
      expect({ name, version: version === range || version.startsWith(`${range}.`) ? 'matches' : version }).toEqual({ name, version: 'matches' });
    }
    // The peers the README pins are the ones package.json asks for.
    for (const peer of Object.keys(pkg.peerDependencies).filter((p) => !pkg.peerDependenciesMeta?.[p]?.optional)) {
      expect(`^${installs.get(peer)}`).toBe(pkg.peerDependencies[peer]);
    }
  });

  test('the consumer lock holds only packages the root lock holds (so the offline install finds them in the cache)', () => {
    const missing = packagesMissingFromRootLock(path.join(PROJECT, 'package-lock.json'), path.join(ROOT, 'package-lock.json'));
    if (missing.length > 0) {
      throw new Error(`test/consumer/project/package-lock.json locks packages the root lock does not: ${missing.join(', ')}. `
        + 'Regenerate it: npm run build && npx ts-node --transpile-only scripts/consumer-lock.ts');
    }
  });
});

describe('a platform repository using the packed package (README: Use it in your platform repository)', () => {
  let dir: string;
  const timings: Record<string, number> = {};

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
    fs.copyFileSync(path.join(PROJECT, 'package.json'), path.join(dir, 'package.json'));
    const lock = JSON.parse(fs.readFileSync(path.join(PROJECT, 'package-lock.json'), 'utf8'));
    lock.packages['node_modules/cdktf-apim-network'] = libraryLockEntry(pkg);
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    for (const [file, text] of Object.entries(readmeFiles())) {
      fs.writeFileSync(path.join(dir, file), text);
    }
    let started = Date.now();
    fs.renameSync(packTarball(dir), path.join(dir, TARBALL));
    timings.pack = Date.now() - started;
    started = Date.now();
    run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: dir, timeoutMs: INSTALL_TIMEOUT,
      what: 'The offline install of the consumer project (a package missing from npm\'s cache? run `npm ci` in the repository first; '
        + 'after changing versions, regenerate test/consumer/project/package-lock.json with scripts/consumer-lock.ts)',
    });
    timings.install = Date.now() - started;
  }, INSTALL_TIMEOUT + 60_000);

  afterAll(() => {
    console.log(`consumer project: ${Object.entries(timings).map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
    if (dir) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the README gives every file the project needs', () => {
    expect(Object.keys(readmeFiles()).sort()).toEqual(['cdktf.json', 'jest.config.js', 'main.test.ts', 'main.ts', 'setup.js', 'tsconfig.json']);
  });

  test('installs the tarball: the built JavaScript, no sources, peers satisfied', () => {
    const installed = path.join(dir, 'node_modules', 'cdktf-apim-network');
    expect(JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')).version).toBe(pkg.version);
    expect(fs.existsSync(path.join(installed, 'dist', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'lib'))).toBe(false);
    // npm ls exits non-zero on a missing or unmet peer dependency, or any other invalid tree.
    run('npm', ['ls', '--all', '--offline'], { cwd: dir, what: 'npm ls in the consumer project (an unmet peer dependency?)' });
  });

  test('cdktf synth works, with the warnings the README lists and no stack traces in annotations', () => {
    const started = Date.now();
    run(CDKTF, ['synth'], { cwd: dir, what: '`cdktf synth` in the consumer project', timeoutMs: 180_000 });
    timings.synth = Date.now() - started;
    const out = path.join(dir, 'cdktf.out');
    const doc = JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'platform', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(doc.resource).sort()).toEqual([
      'azurerm_api_management', 'azurerm_network_security_group', 'azurerm_public_ip', 'azurerm_subnet',
      'azurerm_subnet_network_security_group_association', 'azurerm_virtual_network',
    ]);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'platform', 'apim-network-checks.json'), 'utf8'));
    expect(report.summary.errors).toBe(0);
    const warnings = report.findings.map((f: { ruleId: string; detail?: string; address: string }) =>
      `${f.ruleId}${f.detail ? `[${f.detail}]` : ''} on ${f.address.split('.')[0]}`).sort();
    expect(readmeWarnings().length).toBeGreaterThan(0);
    if (JSON.stringify(warnings) !== JSON.stringify(readmeWarnings())) {
      throw new Error(`cdktf synth of the README's main.ts warns:\n  ${warnings.join('\n  ')}\nbut the README (between <!-- consumer-warnings --> `
        + `markers) lists:\n  ${readmeWarnings().join('\n  ')}\nUpdate the README's list and the text around it.`);
    }
    // The README's cdktf.json context turns off cdktf's stack traces (the CLI prints them with every error finding).
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const annotations = manifest.stacks.platform.annotations;
    expect(annotations.length).toBe(warnings.length);
    expect(annotations.filter((a: { stacktrace?: string[] }) => a.stacktrace !== undefined)).toEqual([]);
  });

  test('the project\'s own snapshot test passes: written on the first run, matched with --ci on the second', () => {
    const jest = path.join(dir, 'node_modules', '.bin', 'jest');
    let started = Date.now();
    const first = run(jest, ['--ci=false'], { cwd: dir, what: 'The consumer project\'s jest (first run)' });
    timings.jestFirst = Date.now() - started;
    expect(first.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(first.stderr).toMatch(/Snapshots:\s+1 written, 1 total/);
    const snapshot = fs.readFileSync(path.join(dir, '__snapshots__', 'main.test.ts.snap'), 'utf8');
    expect(snapshot).toContain('"azurerm_api_management"');
    expect(snapshot).toContain('"10.20.4.0/27"');
    started = Date.now();
    const second = run(jest, ['--ci'], { cwd: dir, what: 'The consumer project\'s jest (second run, --ci)' });
    timings.jestSecond = Date.now() - started;
    expect(second.stderr).toMatch(/Snapshots:\s+1 passed, 1 total/);
  });
});
