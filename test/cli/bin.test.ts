import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { MultiRegionExternalStack } from '../../examples/multi-region-external/main';
import { FIXTURES, ROOT } from './support';

/**
 * The executable, built as the package ships it (bin/ + the compiled dist/cli closure), run as a child process from a
 * folder with no node_modules, with a module resolver that refuses cdktf, constructs and @cdktf/*: the command needs
 * neither cdktf nor the provider at run time.
 */
let pkg: string;
let guard: string;

beforeAll(() => {
  pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-'));
  execFileSync(process.execPath, [
    require.resolve('typescript/bin/tsc'), '--outDir', path.join(pkg, 'dist'), '--rootDir', path.join(ROOT, 'lib'),
    '--module', 'commonjs', '--target', 'es2020', '--lib', 'es2020', '--types', 'node', '--strict', '--skipLibCheck',
    path.join(ROOT, 'lib', 'cli', 'main.ts'),
  ], { cwd: ROOT, stdio: 'pipe' });
  fs.mkdirSync(path.join(pkg, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'cdktf-apim-network'), path.join(pkg, 'bin', 'cdktf-apim-network'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  guard = path.join(pkg, 'refuse-cdktf.js');
  fs.writeFileSync(guard, [
    "const Module = require('module');",
    'const resolve = Module._resolveFilename;',
    'Module._resolveFilename = function (request, ...rest) {',
    "  if (/^(cdktf|constructs|@cdktf\\/)/.test(request)) { throw new Error('refused at run time: ' + request); }",
    '  return resolve.call(this, request, ...rest);',
    '};',
  ].join('\n'));
}, 180_000);

function bin(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, ['--require', guard, path.join(pkg, 'bin', 'cdktf-apim-network'), ...args], {
    cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the compiled command loads nothing of cdktf, constructs or the provider', () => {
  const dist = fs.readdirSync(path.join(pkg, 'dist'), { recursive: true }).map(String);
  expect(dist).toEqual(expect.arrayContaining(['cli/main.js', 'hcl/parser.js', 'checks/engine.js']));
  expect(dist.filter((f) => /^(cdktf|constructs)\//.test(f))).toEqual([]);
  for (const file of dist.filter((f) => f.endsWith('.js'))) {
    expect(fs.readFileSync(path.join(pkg, 'dist', file), 'utf8')).not.toMatch(/require\("(cdktf|constructs|@cdktf\/[^"]*)"\)/);
  }
});

test.each<[string, string[], number, RegExp]>([
  ['a correct network', ['check', `${FIXTURES}/external-module`], 0, /^PASS 0 errors, 0 warnings/m],
  ['an error finding', ['check', `${FIXTURES}/delegated-subnet`], 1, /APIM-SUBNET-DELEGATION/],
  ['warnings only', ['check', `${FIXTURES}/internal-sql-1443`], 0, /APIM-NSG-IMPLICIT\[Outbound:Sql:1433\]/],
  ['a plan', ['check', `${FIXTURES}/plan/plan.json`], 1, /module\.network\.azurerm_network_security_group\.apim/],
  ['--help', ['--help'], 0, /^Usage: cdktf-apim-network check/],
])('%s: exit code and output of the child process', (_name, args, code, output) => {
  const result = bin(args);
  expect(result.stderr).not.toMatch(/refused at run time/);
  expect(result.code).toBe(code);
  expect(result.stdout).toMatch(output);
});

test('an example synthesized by cdktf (a cdktf.out folder), checked by the child process', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-out-'));
  const app = new App({ outdir });
  new MultiRegionExternalStack(app, 'platform');
  app.synth();
  const result = bin(['check', outdir, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const report = JSON.parse(result.stdout);
  expect(report.inputs).toEqual([expect.objectContaining({ kind: 'cdktf-out', documents: ['platform'] })]);
  expect(report.summary).toMatchObject({ errors: 0, apim: { instances: 1, subnets: 3, nsgs: 3 } });
});

test('exit code 2 for unreadable input, message on stderr', () => {
  const result = bin(['check', `${FIXTURES}/broken`]);
  expect(result.code).toBe(2);
  expect(result.stderr).toBe(`cdktf-apim-network: ${FIXTURES}/broken/main.tf:4: expected "]" to close the list, found "}"\n`);
  expect(result.stdout).toBe('');
});

test('runs from a folder outside the repository, with no node_modules anywhere above it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-bin-cwd-'));
  fs.cpSync(path.join(ROOT, FIXTURES, 'internal-sql-1443'), path.join(dir, 'infra'), { recursive: true });
  const result = bin(['check', 'infra', '--format', 'sarif', '--output', 'out/apim.sarif', '--strict'], dir);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe('2 error(s), 0 warning(s): sarif report written to out/apim.sarif\n');
  const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'apim.sarif'), 'utf8'));
  expect(sarif.runs[0].results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'infra/main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 32 } });
});

test('the guard itself works: requiring cdktf under it fails (so the tests above would notice a require)', () => {
  const result = spawnSync(process.execPath, ['--require', guard, '-e', "require('cdktf')"], { cwd: ROOT, encoding: 'utf8' });
  expect(result.status).not.toBe(0);
  expect(result.stderr).toMatch(/refused at run time: cdktf/);
});
