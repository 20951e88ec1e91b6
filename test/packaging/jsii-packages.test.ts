import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, run } from '../support/package';

// The packages for other languages, built from the jsii assembly. Python is built to a wheel (`npm run package`);
// .NET, Java and Go need toolchains and package registries these machines do not have, so for them the test
// generates the code and checks the package names.
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const python = process.env.WHEEL_PYTHON || '/usr/bin/python3';

// Reads a wheel with Python's own zipfile and tarfile: its files, its metadata, the jsii tarball it bundles.
const INSPECT_WHEEL = `
import io, json, sys, tarfile, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
names = wheel.namelist()
bundled = [n for n in names if n.endswith('.jsii.tgz')]
tar = tarfile.open(fileobj=io.BytesIO(wheel.read(bundled[0]))) if bundled else None
info = {
  'files': names,
  'metadata': next(wheel.read(n).decode() for n in names if n.endswith('.dist-info/METADATA')),
  'bundled': sorted(tar.getnames()) if tar else [],
  'bundledJsii': tar.extractfile('package/.jsii').read().decode() if tar else '',
}
scripts = [n for n in names if '.data/scripts/' in n]
info['script'] = wheel.read(scripts[0]).decode() if scripts else ''
init = wheel.read('cdktf_apim_network/__init__.py').decode()
compile(init, '__init__.py', 'exec')
info['init'] = init
print(json.dumps(info))
`;

describe('the Python package (npm run package)', () => {
  let dir: string;
  let wheelName: string;
  let wheel: { files: string[]; metadata: string; bundled: string[]; bundledJsii: string; init: string; script: string };
  let buildMs: number;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wheel-'));
    const build = run(process.execPath, [path.join(ROOT, 'scripts', 'package-python.js'), '--outdir', dir], {
      what: 'The Python wheel build (scripts/package-python.js)',
    });
    buildMs = build.ms;
    wheelName = path.basename(build.stdout.trim().split('\n').pop()!);
    const inspect = run(python, ['-c', INSPECT_WHEEL, path.join(dir, wheelName)], { what: 'Reading the wheel with Python' });
    wheel = JSON.parse(inspect.stdout);
  }, 300_000);

  afterAll(() => {
    if (dir) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('is a pure-Python wheel named after the distribution and version', () => {
    expect(wheelName).toBe(`cdktf_apim_network-${pkg.version}-py3-none-any.whl`);
    console.log(`wheel ${wheelName} built in ${(buildMs / 1000).toFixed(1)} s`);
  });

  test('holds the module, its typing marker and the jsii runtime glue', () => {
    const dist = `cdktf_apim_network-${pkg.version}.dist-info`;
    expect(wheel.files.sort()).toEqual([
      'cdktf_apim_network/__init__.py',
      `cdktf_apim_network/_jsii/__init__.py`,
      `cdktf_apim_network/_jsii/cdktf-apim-network@${pkg.version}.jsii.tgz`,
      'cdktf_apim_network/py.typed',
      // The npm package's bin (the command-line checker), as a Python script that runs it through the jsii runtime.
      `cdktf_apim_network-${pkg.version}.data/scripts/cdktf-apim-network`,
      `${dist}/LICENSE`,
      `${dist}/METADATA`,
      `${dist}/RECORD`,
      `${dist}/WHEEL`,
      `${dist}/top_level.txt`,
    ].sort());
  });

  test('the cdktf-apim-network script runs the npm bin through the jsii runtime', () => {
    expect(wheel.script).toContain('__jsii_assembly__.invokeBinScript(\n    "cdktf-apim-network", "cdktf-apim-network", sys.argv[1:]\n)');
  });

  test('bundles the npm package: the same files and the same assembly', () => {
    const { stdout } = run('npm', ['pack', '--dry-run', '--json'], { what: 'npm pack --dry-run' });
    const npmFiles = JSON.parse(stdout)[0].files.map((f: { path: string }) => `package/${f.path}`).sort();
    expect(wheel.bundled.filter((f) => f !== 'package')).toEqual(npmFiles);
    expect(JSON.parse(wheel.bundledJsii).fingerprint).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8')).fingerprint);
  });

  test('the module compiles and exposes the API under Python names', () => {
    for (const name of ['class MultiRegionApimNetwork(', 'class ApimNetworkChecks(', 'class ApimNetworkTesting(', 'def apply_to(', 'def connect(']) {
      expect(wheel.init).toContain(name);
    }
  });

  test('metadata: name, version, license, Python and the peer packages as requirements', () => {
    const field = (name: string) => wheel.metadata.split('\n').filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2));
    expect(field('Name')).toEqual(['cdktf-apim-network']);
    expect(field('Version')).toEqual([pkg.version]);
    expect(field('License')).toEqual(['Apache-2.0']);
    expect(field('Requires-Python')).toEqual(['~=3.9']);
    expect(field('Requires-Dist')).toEqual(expect.arrayContaining([
      'cdktf-cdktf-provider-azurerm (<15.0.0,>=14.23.1)',
      'cdktf (<0.22.0,>=0.21.0)',
      'constructs (<11.0.0,>=10.4.2)',
    ]));
    expect(field('Requires-Dist').some((r) => r.startsWith('jsii '))).toBe(true);
  });
});

describe('the .NET, Java and Go packages (code only: no toolchain here)', () => {
  test('generate with the names package.json gives', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pacmak-'));
    try {
      run(path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'), ['--targets', 'dotnet,java,go', '--code-only', '--no-npmignore', '--force', '--outdir', dir], {
        what: 'jsii-pacmak --code-only for .NET, Java and Go', env: { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
      });
      const go = pkg.jsii.targets.go;
      expect(fs.readFileSync(path.join(dir, 'go', go.packageName, 'go.mod'), 'utf8')).toMatch(new RegExp(`^module ${go.moduleName}/${go.packageName}\\n`));
      const pom = fs.readFileSync(path.join(dir, 'java', 'pom.xml'), 'utf8');
      expect(pom).toContain(`<groupId>${pkg.jsii.targets.java.maven.groupId}</groupId>`);
      expect(pom).toContain(`<artifactId>${pkg.jsii.targets.java.maven.artifactId}</artifactId>`);
      const dotnet = pkg.jsii.targets.dotnet;
      expect(fs.readFileSync(path.join(dir, 'dotnet', dotnet.namespace, `${dotnet.namespace}.csproj`), 'utf8')).toContain(`<PackageId>${dotnet.packageId}</PackageId>`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
