/**
 * The consumer project's lock file (test/consumer/project/package-lock.json) and the repository's own: the consumer
 * test installs with `npm ci --offline`, which works only when every package it locks is in npm's cache. `npm ci` of
 * the repository puts every package of the root lock there (tarballs, not registry metadata), so the consumer lock
 * may hold only packages the root lock holds, at the same version and integrity.
 */
import * as fs from 'fs';
import * as path from 'path';

export const PROJECT = path.join(__dirname, 'project');
export const LIBRARY = 'cdktf-apim-network';
export const TARBALL = 'cdktf-apim-network.tgz';

interface LockEntry { version?: string; integrity?: string; [key: string]: unknown }

function readLock(file: string): Record<string, LockEntry> {
  return JSON.parse(fs.readFileSync(file, 'utf8')).packages;
}

function packageName(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** Entries of the consumer lock that the root lock does not hold at the same version and integrity. */
export function packagesMissingFromRootLock(consumerLock: string, rootLock: string): string[] {
  const root = new Set(Object.entries(readLock(rootLock)).map(([p, e]) => `${packageName(p)}@${e.version} ${e.integrity}`));
  return Object.entries(readLock(consumerLock))
    .filter(([p]) => p !== '' && packageName(p) !== LIBRARY)
    .filter(([p, e]) => !root.has(`${packageName(p)}@${e.version} ${e.integrity}`))
    .map(([p, e]) => `${p}@${e.version}`);
}

/**
 * The lock entry of the library as npm writes it for a local tarball, from the current package.json, without an
 * integrity: with one, npm would take the tarball of that integrity from its cache instead of reading the new file.
 */
export function libraryLockEntry(pkg: Record<string, any>): LockEntry {
  const entry: LockEntry = { version: pkg.version, resolved: `file:${TARBALL}`, license: pkg.license };
  for (const field of ['dependencies', 'optionalDependencies', 'bin', 'engines', 'peerDependencies', 'peerDependenciesMeta']) {
    if (pkg[field] !== undefined) {
      entry[field] = pkg[field];
    }
  }
  return entry;
}
