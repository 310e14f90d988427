// The emulator as users start it: the `codeartifact-emulator` bin in its own process, its one printed
// line read back. For tests of the command line and for tiers that want the emulator out of process.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The bin's entry file; run it with `process.execPath` (no shell, no npx lookup). */
export const EMULATOR_BIN = join(__dirname, '..', '..', 'bin', 'codeartifact-emulator.cjs');

/** The line the emulator prints once it serves (a public contract: scripts read it). */
export const LISTENING_LINE = /^CodeArtifact emulator listening on (https?:\/\/[^\s:]+:(\d+))$/;

export interface EmulatorProcess {
  child: ChildProcess;
  /** The URL from the printed line ('' when the line did not match). */
  url: string;
  /** Exactly what the emulator printed before the first newline. */
  firstLine: string;
  /** Everything printed to stdout so far (grows while the process runs). */
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a command that runs the emulator (default: node + the bin with `args`) and resolves with its
 * first stdout line, or rejects when it exits first or prints nothing within `timeoutMs`.
 */
export function startEmulatorProcess(
  args: string[],
  opts: { command?: string; commandArgs?: string[]; cwd?: string; detached?: boolean; timeoutMs?: number } = {},
): Promise<EmulatorProcess> {
  const command = opts.command ?? process.execPath;
  const commandArgs = opts.commandArgs ?? [EMULATOR_BIN];
  const child = spawn(command, [...commandArgs, ...args], { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line within ${opts.timeoutMs ?? 60_000} ms; stderr: ${err}`)), opts.timeoutMs ?? 60_000);
    const onData = () => {
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      const firstLine = out.slice(0, nl);
      resolve({
        child,
        firstLine,
        url: LISTENING_LINE.exec(firstLine)?.[1] ?? '',
        stdout: () => out,
        stderr: () => err,
        exited,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before printing a line; stderr: ${err}`));
    });
  });
}

/** Runs the bin to completion (for arguments it refuses): exit code and output. */
export function runEmulatorToExit(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [EMULATOR_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms; stdout: ${stdout}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** True while any process of the group `pgid` (a detached child's pid) is alive. */
export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
