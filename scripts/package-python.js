#!/usr/bin/env node
// Builds the Python package (a wheel) from the jsii assembly: `npm run package` (it builds first).
//
// `jsii-pacmak --targets python` would build the wheel itself, in a virtual environment into which it installs
// setuptools~=75.3.2 and wheel from PyPI, which these machines cannot reach. So pacmak only generates the Python
// project (--code-only), and a Python that already has pip, setuptools and wheel builds it without build isolation:
// Debian's /usr/bin/python3 (python3-pip, python3-setuptools, python3-wheel) by default, or $WHEEL_PYTHON.
//
// Usage: node scripts/package-python.js [--outdir DIR]   (default dist-jsii/python; prints the wheel's path last)
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const outIndex = process.argv.indexOf('--outdir');
const outdir = path.resolve(outIndex > 0 ? process.argv[outIndex + 1] : path.join(root, 'dist-jsii', 'python'));
const python = process.env.WHEEL_PYTHON || '/usr/bin/python3';

function run(what, command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
  if (result.error || result.status !== 0) {
    process.stderr.write(`${result.stdout || ''}${result.stderr || ''}`);
    const how = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Error(`${what} failed: ${[command, ...args].join(' ')}: ${how}`);
  }
  return result.stdout;
}

if (!fs.existsSync(path.join(root, '.jsii'))) {
  throw new Error('.jsii is missing: run `npm run build` first (`npm run package` does)');
}
const probe = spawnSync(python, ['-c', 'import setuptools, wheel, pip; print(setuptools.__version__, wheel.__version__)'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  throw new Error(`${python} cannot build a wheel: it needs pip, setuptools and wheel `
    + `(Debian: apt-get install python3-pip python3-setuptools python3-wheel; or set WHEEL_PYTHON to a Python that has them).\n`
    + `${probe.error ? probe.error.message : probe.stderr.trim()}`);
}

const generated = fs.mkdtempSync(path.join(os.tmpdir(), 'pacmak-python-'));
try {
  const pacmak = path.join(root, 'node_modules', '.bin', 'jsii-pacmak');
  run('jsii-pacmak (Python code)', pacmak, ['--targets', 'python', '--code-only', '--no-npmignore', '--force', '--outdir', generated], {
    env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
  });
  const project = path.join(generated, 'python');
  fs.mkdirSync(outdir, { recursive: true });
  const before = new Set(fs.readdirSync(outdir));
  // --no-index: everything the build needs is installed; nothing may come from a package index.
  run('the wheel build', python, ['-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '--no-index', '--wheel-dir', outdir, project], {
    env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
  });
  const pkg = require(path.join(root, 'package.json'));
  const wheel = `${pkg.jsii.targets.python.distName.replace(/-/g, '_')}-${pkg.version}-py3-none-any.whl`;
  if (!fs.existsSync(path.join(outdir, wheel))) {
    throw new Error(`the wheel build wrote ${fs.readdirSync(outdir).filter((f) => !before.has(f)).join(', ') || 'nothing'}, not ${wheel}`);
  }
  console.log(`built with ${probe.stdout.trim().replace(' ', ' (setuptools), ')} (wheel) by ${python}`);
  console.log(path.join(outdir, wheel));
} finally {
  fs.rmSync(generated, { recursive: true, force: true });
}
