/**
 * Regenerates test/consumer/project/package-lock.json, the lock of the consumer project that test/consumer installs
 * offline. Run it after changing test/consumer/project/package.json or the versions of the root lock:
 *
 *   npm run build && npx ts-node --transpile-only scripts/consumer-lock.ts
 *
 * It needs the npm registry (for package metadata). It starts from the root lock, so the consumer project resolves to
 * the versions the repository already installs, and fails if it needs a package the root lock lacks (`npm ci` of the
 * repository would not put it in npm's cache, and the offline install in CI would fail).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { libraryLockEntry, packagesMissingFromRootLock, PROJECT, TARBALL } from '../test/consumer/lock';

const root = path.join(__dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-lock-'));
try {
  fs.copyFileSync(path.join(PROJECT, 'package.json'), path.join(work, 'package.json'));
  fs.copyFileSync(path.join(root, 'package-lock.json'), path.join(work, 'package-lock.json'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }))[0].filename;
  fs.renameSync(path.join(work, packed), path.join(work, TARBALL));
  execFileSync('npm', ['install', '--package-lock-only', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: work, stdio: 'inherit' });

  const lock = JSON.parse(fs.readFileSync(path.join(work, 'package-lock.json'), 'utf8'));
  lock.packages['node_modules/cdktf-apim-network'] = libraryLockEntry(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')));
  const target = path.join(PROJECT, 'package-lock.json');
  fs.writeFileSync(target, `${JSON.stringify(lock, null, 2)}\n`);
  const missing = packagesMissingFromRootLock(target, path.join(root, 'package-lock.json'));
  if (missing.length > 0) {
    throw new Error(`the consumer project needs packages the root lock does not hold (add them as devDependencies of the repository, or change the consumer's versions):\n  ${missing.join('\n  ')}`);
  }
  console.log(`${path.relative(root, target)} written: ${Object.keys(lock.packages).length - 1} packages, all in the root lock`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
