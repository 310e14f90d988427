// Atomic, locked read-modify-write of a user config file: a lock file created with O_EXCL serialises
// concurrent logins (two windows), the new content goes to a temp file in the same folder and is renamed
// over the old one (over a symbolic link's target, so the link stays a link), so a failed write never leaves
// a half-written file.
import { promises as fs, constants as fsc } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
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

/**
 * Where a write to `path` must land: the target of a symbolic link (dotfile managers link ~/.npmrc or
 * ~/.m2/settings.xml into a repository), so the link stays a link; `path` itself otherwise.
 */
export async function writeTarget(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < 32; hops++) {
    let st;
    try {
      st = await fs.lstat(current);
    } catch {
      return current; // absent: created where it is named (or where the dangling link points)
    }
    if (!st.isSymbolicLink()) return current;
    current = resolve(dirname(current), await fs.readlink(current));
  }
  throw new LoginFileError(path, 'too many levels of symbolic links');
}

/** Writes `content` to `path` (through a symbolic link to its target) via a temp file in the same folder and a rename. */
export async function writeFileAtomic(path: string, content: string, opts: WriteOptions = {}): Promise<void> {
  const target = await writeTarget(path);
  const dir = dirname(target);
  const mode = opts.mode ?? (await fileMode(target)) ?? 0o644;
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
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
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new LoginFileError(path, `cannot write: ${errorMessage(e)}`);
  }
}

/** Creates the lock file holding `id`; false when another holder has it. */
async function tryCreateLock(lock: string, id: string, path: string): Promise<boolean> {
  try {
    const fh = await fs.open(lock, 'wx', 0o600);
    try {
      await fh.writeFile(`${id}\n`);
    } finally {
      await fh.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new LoginFileError(path, `cannot create lock ${lock}: ${errorMessage(e)}`);
  }
}

async function lockHolder(lock: string): Promise<string | null> {
  return fs.readFile(lock, 'utf8').then(
    (t) => t.trim(),
    () => null,
  );
}

/**
 * Breaks the stale lock held by `holder`, atomically with respect to other waiters: the right to break it is a
 * claim file named after the holder (created with O_EXCL, so exactly one waiter wins it and the same lock is never
 * broken twice), and the lock is renamed away and checked before it is deleted. A lock that turns out to be a
 * fresh one (its holder released and someone else took it meanwhile) is linked back in place.
 */
async function breakStaleLock(lock: string, holder: string, st: { ino: number; mtimeMs: number }, staleMs: number): Promise<void> {
  // A lock left empty (crash between create and write) is named by its inode and age instead.
  const name = /^[0-9a-f]{1,64}$/.test(holder) ? holder : `${st.ino}-${Math.floor(st.mtimeMs)}`;
  const claim = `${lock}.break-${name}`;
  try {
    await (await fs.open(claim, 'wx', 0o600)).close();
  } catch {
    return; // another waiter is breaking (or broke) this very lock
  }
  const grave = `${lock}.broken-${randomBytes(6).toString('hex')}`;
  try {
    await fs.rename(lock, grave);
  } catch {
    return; // released meanwhile
  }
  if ((await lockHolder(grave)) !== holder) await fs.link(grave, lock).catch(() => undefined);
  await fs.rm(grave, { force: true });
  // Long after every waiter that saw this holder has moved on, the claim goes too.
  setTimeout(() => void fs.rm(claim, { force: true }).catch(() => undefined), staleMs).unref?.();
}

/**
 * Runs `fn` while holding `${path}.lock` (created with O_EXCL, holding a random id); waits with jittered retries up
 * to the timeout. The holder touches the lock while it works, so only a lock left by a crashed process goes stale.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lock = `${path}.lock`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const staleMs = opts.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const id = randomBytes(16).toString('hex');
  await fs.mkdir(dirname(path), { recursive: true });
  while (!(await tryCreateLock(lock, id, path))) {
    const st = await fs.stat(lock).catch(() => null);
    if (st && Date.now() - st.mtimeMs > staleMs) {
      const holder = await lockHolder(lock);
      if (holder !== null) await breakStaleLock(lock, holder, st, staleMs);
    }
    if (Date.now() > deadline) throw new LockTimeoutError(path);
    await sleep(15 + Math.floor(Math.random() * 35));
  }
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      void fs.utimes(lock, now, now).catch(() => undefined);
    },
    Math.max(50, Math.floor(staleMs / 3)),
  );
  heartbeat.unref?.();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    // Remove the lock only while it is still ours (a crashed-and-broken holder must not delete a successor's).
    if ((await lockHolder(lock)) === id) await fs.rm(lock, { force: true });
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
        // Through a link the target is emptied rather than removed, so the link does not dangle.
        if ((await writeTarget(path)) !== path) await writeFileAtomic(path, '', opts);
        else await fs.rm(path, { force: true });
      } else {
        await writeFileAtomic(path, after, opts);
      }
      return { before, after, changed: true };
    },
    opts,
  );
}
