// Runs one command in its own process group and can end the whole group: npm, mvn and gradle start
// children of their own (lifecycle scripts, forked JVMs, daemons), and killing only the direct child
// would leave those running with the project's files half-written.
import { StringDecoder } from 'node:string_decoder';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { win32 } from 'node:path';
import crossSpawn from 'cross-spawn';
import { sleep } from '../backoff';

export interface RunOptions {
  file: string;
  args: string[];
  cwd: string;
  /** The whole environment of the child (the caller puts the token here, never in args). */
  env: NodeJS.ProcessEnv;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  /** After SIGTERM, how long the group gets before SIGKILL (default 3000 ms). */
  killGraceMs?: number;
  /** Keep at most this many characters of combined output for classification (default 1 MiB). */
  maxCapture?: number;
}

export interface RunResult {
  /** Exit code; null when ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Combined stdout+stderr (the last maxCapture characters). */
  output: string;
  cancelled: boolean;
  /** Set when the command could not start (ENOENT: the tool is not installed). */
  spawnError?: NodeJS.ErrnoException;
  pid?: number;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch (e) {
    // EPERM means something is there that we may not signal; treat it as alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // kill(0) also succeeds for zombies, which an init that reaps slowly (containers) keeps around;
  // on Linux count only members that still run.
  return process.platform === 'linux' ? liveMembersLinux(pid) > 0 : true;
}

function liveMembersLinux(pgid: number): number {
  let n = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 1;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) === pgid && rest[0] !== 'Z' && rest[0] !== 'X') n++;
    } catch {
      // exited meanwhile
    }
  }
  return n;
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Ends the process group led by `pid`: SIGTERM, then SIGKILL once the grace period passes with any
 * member left. Resolves when no member remains (or after the SIGKILL wait, bounded).
 */
export async function killProcessTree(pid: number, graceMs = 3000): Promise<void> {
  if (process.platform === 'win32') {
    // taskkill /T walks the tree by parent pid; /F because console apps ignore WM_CLOSE.
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    return;
  }
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
  if (!groupAlive(pid)) return;
  signalGroup(pid, 'SIGKILL');
  const hard = Date.now() + 2000;
  while (groupAlive(pid) && Date.now() < hard) await sleep(20);
}

/** Runs the command to completion or until `signal` aborts, then ends the whole group. */
export function runInProcessGroup(opts: RunOptions): Promise<RunResult> {
  return new Promise<RunResult>((resolve) => {
    let output = () => '';
    let cancelled = false;
    let settled = false;
    let child: ChildProcess | undefined;
    const finish = (r: Omit<RunResult, 'output' | 'cancelled'>) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ ...r, output: output(), cancelled });
    };
    const onAbort = () => {
      cancelled = true;
      if (child?.pid !== undefined) void killProcessTree(child.pid, opts.killGraceMs);
    };
    if (opts.signal?.aborted) {
      cancelled = true;
      finish({ code: null, signal: null });
      return;
    }
    try {
      child = spawnGroupLeader(opts);
    } catch (e) {
      finish({ code: null, signal: null, spawnError: e as NodeJS.ErrnoException });
      return;
    }
    const started = child;
    output = captureOutput(started, opts.maxCapture ?? 1024 * 1024, opts.onOutput);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    started.once('error', (e) => finish({ code: null, signal: null, spawnError: e as NodeJS.ErrnoException, pid: started.pid }));
    started.once('exit', (code, sig) => {
      const pid = started.pid;
      afterExit(
        started,
        () => cancelled,
        opts.killGraceMs,
        () => finish({ code, signal: sig, pid }),
      );
    });
  });
}

function spawnGroupLeader(opts: RunOptions): ChildProcess {
  const common = { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[], windowsHide: true };
  if (process.platform === 'win32') {
    const file = resolveWindowsCommand(opts.file, opts.env, opts.cwd);
    if (!file) throw Object.assign(new Error(`${opts.file} was not found on PATH`), { code: 'ENOENT', path: opts.file });
    // cross-spawn runs a .cmd/.bat through cmd.exe with every argument escaped for it (no shell interpretation
    // of the arguments), and an .exe directly.
    return crossSpawn(file, opts.args, common);
  }
  // detached: the child leads a new process group (setsid), so -pid reaches all its descendants.
  return spawn(opts.file, opts.args, { ...common, detached: true });
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** An environment variable as Windows reads it (names are case-insensitive: `Path`, `PATH`). */
function winEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

/**
 * Windows: the file a command means, as an absolute path (undefined: not found). A name with a folder in it
 * (`.\\mvnw.cmd`, `C:\\tools\\mvn.cmd`) is taken relative to `cwd`; a bare name (`mvn`, `npm.cmd`) is looked up in
 * the absolute folders of PATH only, never in `cwd` first as Windows itself would (a cloned repository could
 * plant an `npm.cmd` there). A name without one of PATHEXT's extensions gets each of them in turn, so `mvn`
 * finds `mvn.cmd`.
 */
export function resolveWindowsCommand(file: string, env: NodeJS.ProcessEnv, cwd: string, exists: (path: string) => boolean = isFile): string | undefined {
  const exts = (winEnv(env, 'PATHEXT') || '.COM;.EXE;.BAT;.CMD')
    .split(';')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.startsWith('.'));
  const ext = win32.extname(file).toLowerCase();
  const names = (base: string) => (ext !== '' && exts.includes(ext) ? [base] : exts.map((e) => base + e));
  if (/[\\/]/.test(file) || win32.isAbsolute(file)) return names(win32.resolve(cwd, file)).find(exists);
  for (const raw of (winEnv(env, 'PATH') ?? '').split(';')) {
    const dir = raw.trim().replace(/^"(.*)"$/, '$1');
    // A relative entry (`.`, `bin`) would resolve inside the workspace: skipped like the current folder.
    if (!dir || !/^([A-Za-z]:[\\/]|[\\/]{2})/.test(dir)) continue;
    const found = names(win32.join(dir, file)).find(exists);
    if (found) return found;
  }
  return undefined;
}

/**
 * Passes each decoded chunk to `onOutput` and keeps the last `max` characters of both streams together;
 * returns a reader of what was kept.
 */
function captureOutput(child: ChildProcess, max: number, onOutput: RunOptions['onOutput']): () => string {
  let output = '';
  // A decoder per stream keeps a multi-byte character split across two chunks whole.
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const onData = (stream: 'stdout' | 'stderr') => (buf: Buffer) => {
    const s = decoders[stream].write(buf);
    if (!s) return;
    output += s;
    if (output.length > max) output = output.slice(output.length - max);
    onOutput?.(s, stream);
  };
  child.stdout?.on('data', onData('stdout'));
  child.stderr?.on('data', onData('stderr'));
  return () => output;
}

/**
 * After 'exit' (rather than 'close': a grandchild that keeps our pipes open must not hold up the run), gives the
 * pipes a moment (500 ms at most) to drain what the child wrote, then calls `done`; on cancel, only once the
 * group is really gone.
 */
function afterExit(child: ChildProcess, cancelled: () => boolean, killGraceMs: number | undefined, done: () => void): void {
  const pid = child.pid;
  let drained = false;
  const onDrained = () => {
    if (drained) return;
    drained = true;
    if (cancelled() && pid !== undefined && process.platform !== 'win32') {
      void killProcessTree(pid, killGraceMs).then(done);
    } else done();
  };
  child.once('close', onDrained);
  setTimeout(onDrained, 500).unref();
}
