/**
 * Write the report to `--output FILE`: the folders it needs are created one level at a time (never a recursive mkdir,
 * which loops on file systems such as /proc), an input file is never overwritten, and every failure is an
 * `OutputError` whose reason a person can act on, never a Node stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The report cannot be written: `reason` says why, in words. */
export class OutputError extends Error {
  public constructor(public readonly reason: string) {
    super(reason);
    this.name = 'OutputError';
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EFBIG: 'the file is too large for the file system',
  EIO: 'input/output error',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EISDIR: 'it is a folder, not a file',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  ETXTBSY: 'the file is busy',
  EBUSY: 'the file is busy',
  EINVAL: 'the file system does not accept this file',
};

function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code && REASONS[code]) {
    return `${REASONS[code]} (${code})`;
  }
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** `stat` that says undefined when the path does not exist, and throws for any other reason. */
function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') {
      return undefined;
    }
    throw new OutputError(`${file}: ${reasonOf(e)}`);
  }
}

/** Create the folder of `target` and the ones above it that are missing, one level at a time. */
function ensureFolder(folder: string, shown: (file: string) => string): void {
  const missing: string[] = [];
  let current = folder;
  let stat = statOf(current);
  while (!stat) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) {
      break;
    }
    current = parent;
    stat = statOf(current);
  }
  if (stat && !stat.isDirectory()) {
    throw new OutputError(`${shown(current)} is a file, not a folder`);
  }
  for (const dir of missing) {
    try {
      fs.mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statOf(dir)?.isDirectory()) {
        continue;
      }
      throw new OutputError(`the folder ${shown(dir)} cannot be created: ${reasonOf(e)}`);
    }
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * Write `text` to `target` (absolute). `inputs` are the files read (absolute): the report never replaces one of them.
 * `shown` turns an absolute path into what messages show.
 */
export function writeOutput(target: string, text: string, inputs: readonly string[], shown: (file: string) => string): void {
  if (/\.(tf|tf\.json|tfvars|tfvars\.json)$/.test(path.basename(target))) {
    throw new OutputError('the name is that of a Terraform file, which Terraform and this command would read as configuration; choose another name');
  }
  const existing = statOf(target);
  if (existing?.isDirectory()) {
    throw new OutputError(REASONS.EISDIR);
  }
  if (existing) {
    const real = realPath(target);
    const input = inputs.find((file) => realPath(file) === real);
    if (input !== undefined) {
      throw new OutputError(`it is one of the inputs (${shown(input)}); choose another file`);
    }
  }
  ensureFolder(path.dirname(target), shown);
  try {
    fs.writeFileSync(target, text);
  } catch (e) {
    // A report cut short (a full disk) is worse than none: CI would upload half a SARIF file. Only a file this run
    // created is removed, never one that was there before (a device, a file of /proc...).
    if (!existing && statOf(target)?.isFile()) {
      try {
        fs.unlinkSync(target);
      } catch {
        // Nothing more to do: the message below says the report was not written.
      }
    }
    throw new OutputError(reasonOf(e));
  }
}
