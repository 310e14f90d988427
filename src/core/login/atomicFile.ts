// Atomic, locked read-modify-write of a user config file: a lock file created with O_EXCL serialises
// concurrent logins (two windows), the new content goes to a temp file in the same folder and is renamed
// over the old one, so a failed write never leaves a half-written file.
import { promises as fs, constants as fsc } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sleep } from '../backoff';
import { LockTimeoutError, LoginFileError, errorMessage } from './errors';

export interface WriteOptions {
  /** File mode for the written file, e.g. 0o600 for files holding a token. Default: keep the old mode, else 0o644. */
  mode?: number;
}

export interface LockOptions {
  /** How long to wait for another writer (default 10 s). */
  timeoutMs?: number;
  /** A lock older than this is considered left behind by a crashed process and broken (default 30 s). */
  staleMs?: number;
}

export async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LoginFileError(path, `cannot read: ${errorMessage(e)}`);
  }
}

export async function fileMode(path: string): Promise<number | null> {
  try {
    return (await fs.stat(path)).mode & 0o777;
  } catch {
    return null;
  }
}

/** Writes `content` to `path` through a temp file in the same folder and a rename. */
export async function writeFileAtomic(path: string, content: string, opts: WriteOptions = {}): Promise<void> {
  const dir = dirname(path);
  const mode = opts.mode ?? (await fileMode(path)) ?? 0o644;
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.mkdir(dir, { recursive: true });
    // The temp file is created with the final mode so a token is never readable by others, even briefly.
    const fh = await fs.open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, mode);
    try {
      await fh.writeFile(content, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.chmod(tmp, mode); // open() is subject to the umask
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new LoginFileError(path, `cannot write: ${errorMessage(e)}`);
  }
}

/** Runs `fn` while holding `${path}.lock` (created with O_EXCL); waits with jittered retries up to the timeout. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lock = `${path}.lock`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const staleMs = opts.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  await fs.mkdir(dirname(path), { recursive: true });
  for (;;) {
    try {
      const fh = await fs.open(lock, 'wx', 0o600);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new LoginFileError(path, `cannot create lock ${lock}: ${errorMessage(e)}`);
      const st = await fs.stat(lock).catch(() => null);
      if (st && Date.now() - st.mtimeMs > staleMs) {
        await fs.rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new LockTimeoutError(path);
      await sleep(15 + Math.floor(Math.random() * 35));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

/**
 * Locked read-modify-write. `update` gets the current text (null when absent) and returns the new text,
 * null to delete the file, or `undefined` to leave it untouched. Throwing leaves the file unchanged.
 */
export async function updateFile(
  path: string,
  update: (current: string | null) => string | null | undefined,
  opts: WriteOptions & LockOptions = {},
): Promise<{ before: string | null; after: string | null; changed: boolean }> {
  return withFileLock(
    path,
    async () => {
      const before = await readTextOrNull(path);
      const after = update(before);
      if (after === undefined || after === before) return { before, after: before, changed: false };
      if (after === null) {
        await fs.rm(path, { force: true });
      } else {
        await writeFileAtomic(path, after, opts);
      }
      return { before, after, changed: true };
    },
    opts,
  );
}
