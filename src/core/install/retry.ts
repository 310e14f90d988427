// Install with retry: runs the install command, and while it fails on CodeArtifact's ingestion 404
// re-runs it with exponential backoff and jitter, until success, cancellation or the wait limit.
// Everything the VS Code layer needs comes through callbacks (output chunks, events) and the result;
// time and randomness are injectable so the loop can be tested without waiting.
import { readFileSync, rmSync } from 'node:fs';
import { backoffDelay, sleep as abortableSleep, type Backoff } from '../backoff';
import { describePackageRef, packageKey, type PackageRef } from '../coordinates';
import { redact, StreamRedactor } from '../redact';
import type { InstallCommand } from './commands';
import { classifyFailure, failuresInSuccessfulRun, type FailureClassification } from './outputParsers';
import type { ProbeResult } from './prewarm';
import { runInProcessGroup } from './processTree';

// Ingestion usually finishes within seconds to a minute: start at 2 s, double, never wait more than 30 s.
const DEFAULT_BACKOFF: Backoff = { baseMs: 2000, factor: 2, capMs: 30000 };

/** What the caller found out about a package that answered a plain 404 (from DescribePackage & co). */
export interface NotFoundVerdict {
  ref: PackageRef;
  /**
   * blocked: origin restriction upstream=BLOCK, never ingested; missing: not in the repository, its
   * upstreams or the public source; retry: the API says it is on its way (treat as ingestion);
   * unknown: could not tell.
   */
  status: 'blocked' | 'missing' | 'retry' | 'unknown';
  /** Why, in words for the user (e.g. "origin restriction upstream=BLOCK in acme/app"). */
  detail?: string;
}

export type InstallOutcome = 'success' | 'cancelled' | 'timeout' | 'not-found' | 'blocked' | 'auth' | 'failed';

export type InstallEvent =
  | { type: 'attempt-start'; attempt: number; elapsedMs: number }
  | { type: 'attempt-end'; attempt: number; exitCode: number | null; classification?: FailureClassification; elapsedMs: number }
  | { type: 'retry-scheduled'; attempt: number; delayMs: number; packages: PackageRef[]; elapsedMs: number };

export interface InstallResult {
  outcome: InstallOutcome;
  attempts: number;
  elapsedMs: number;
  /** Every package some attempt waited for (ingestion 404), in the order first seen. */
  packagesAwaited: PackageRef[];
  /** For the user: why the run ended (the tool's own lines for failures). Never holds a secret. */
  message: string;
  /** The packages the final failure named (not-found, blocked). */
  packages: PackageRef[];
  /** The last attempt's classification, when it failed. */
  classification?: FailureClassification;
  exitCode?: number | null;
}

export interface InstallWithRetryOptions {
  command: InstallCommand;
  /**
   * The child's whole environment, token included (never put it in the command's args). A function is read
   * at every attempt, so a token refreshed during a long run reaches the next attempt.
   */
  env: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv);
  signal?: AbortSignal;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  onEvent?: (e: InstallEvent) => void;
  /** Default 600 (codeartifact.ingestion.maxWaitSeconds). */
  maxWaitSeconds?: number;
  backoff?: Partial<Backoff>;
  /**
   * Asks the repository what a plain 404 was (createProbe in prewarm.ts): Maven and Gradle print an
   * ingestion 404 as "could not find", so without this their runs stop at the first ingestion.
   */
  probe?: (refs: PackageRef[]) => Promise<ProbeResult[]>;
  /** Checks packages that are really missing (DescribePackage / originConfiguration): BLOCK or unknown upstream. */
  checkNotFound?: (refs: PackageRef[]) => Promise<NotFoundVerdict[]>;
  /** Values to blank out of streamed output and messages (the token); a function is read at every attempt. */
  secrets?: string[] | (() => string[]);
  killGraceMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

function list(refs: PackageRef[]): string {
  return refs.map(describePackageRef).join(', ');
}

export async function installWithRetry(opts: InstallWithRetryOptions): Promise<InstallResult> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const random = opts.random ?? Math.random;
  const backoff: Backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const start = now();
  const deadline = start + (opts.maxWaitSeconds ?? 600) * 1000;
  const awaited = new Map<string, PackageRef>();
  const availableSeen = new Map<string, number>();
  const secretsNow = (): string[] => (typeof opts.secrets === 'function' ? opts.secrets() : (opts.secrets ?? []));
  let secrets = secretsNow();
  let attempt = 0;
  let retries = 0;

  const result = (outcome: InstallOutcome, message: string, extra: Partial<InstallResult> = {}): InstallResult => ({
    outcome,
    attempts: attempt,
    elapsedMs: now() - start,
    packagesAwaited: [...awaited.values()],
    message: redact(message, secrets),
    packages: [],
    ...extra,
  });

  for (;;) {
    if (opts.signal?.aborted) return result('cancelled', 'Cancelled.');
    attempt++;
    opts.onEvent?.({ type: 'attempt-start', attempt, elapsedMs: now() - start });
    if (opts.command.logFile) rmSync(opts.command.logFile, { force: true });
    secrets = secretsNow();
    const redactors = { stdout: new StreamRedactor(secrets), stderr: new StreamRedactor(secrets) };
    const run = await runInProcessGroup({
      file: opts.command.file,
      args: opts.command.args,
      cwd: opts.command.cwd,
      env: typeof opts.env === 'function' ? opts.env() : opts.env,
      shell: opts.command.shell,
      signal: opts.signal,
      killGraceMs: opts.killGraceMs,
      onOutput:
        opts.onOutput &&
        ((chunk, stream) => {
          const safe = redactors[stream].push(chunk);
          if (safe) opts.onOutput!(safe, stream);
        }),
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = redactors[stream].flush();
      if (rest) opts.onOutput?.(rest, stream);
    }
    if (run.cancelled) {
      opts.onEvent?.({ type: 'attempt-end', attempt, exitCode: run.code, elapsedMs: now() - start });
      return result('cancelled', 'Cancelled; the install command and its child processes were stopped.', { exitCode: run.code });
    }
    if (run.spawnError) {
      const why =
        run.spawnError.code === 'ENOENT'
          ? `${opts.command.file} was not found. Please verify it is installed and on PATH.`
          : `Could not start ${opts.command.display}: ${run.spawnError.message}`;
      return result('failed', why);
    }
    let output = run.output;
    if (opts.command.logFile) {
      try {
        output += `\n${readFileSync(opts.command.logFile, 'utf8')}`;
      } catch {
        // the tool did not get far enough to write it
      }
      rmSync(opts.command.logFile, { force: true });
    }
    const hidden = run.code === 0 ? failuresInSuccessfulRun(opts.command.tool, output) : [];
    if (run.code === 0 && !hidden.length) {
      opts.onEvent?.({ type: 'attempt-end', attempt, exitCode: 0, elapsedMs: now() - start });
      return result('success', attempt === 1 ? `${opts.command.display} succeeded.` : `${opts.command.display} succeeded after ${attempt} attempts.`, { exitCode: 0 });
    }
    let c = classifyFailure(opts.command.tool, output);
    opts.onEvent?.({ type: 'attempt-end', attempt, exitCode: run.code, classification: c, elapsedMs: now() - start });
    const ended = { exitCode: run.code, classification: c, packages: c.packages };

    if (c.kind === 'auth') {
      return result('auth', `Authorization failed: the token is missing, expired or not allowed here. Log in again.\n${c.message}`, ended);
    }
    if (c.kind === 'other') {
      return result('failed', `${opts.command.display} failed (exit code ${run.code ?? run.signal}):\n${c.message}`, ended);
    }
    if (c.kind === 'not-found' && opts.probe && c.packages.length) {
      const probed = await opts.probe(c.packages);
      if (probed.some((p) => p.state === 'auth')) {
        return result('auth', `Authorization failed when checking ${list(c.packages)}. Log in again.\n${c.message}`, ended);
      }
      // Still ingesting, or ingested since the tool asked: run again. A package the repository keeps
      // serving while the tool keeps failing on it is not an ingestion problem: after 3 such runs, stop.
      for (const p of probed) if (p.state === 'available') availableSeen.set(packageKey(p.ref), (availableSeen.get(packageKey(p.ref)) ?? 0) + 1);
      const coming = probed.filter((p) => p.state === 'ingesting' || (p.state === 'available' && (availableSeen.get(packageKey(p.ref)) ?? 0) < 3));
      if (coming.length) c = { ...c, kind: 'ingestion', packages: coming.map((p) => p.ref) };
    }
    if (c.kind === 'not-found') {
      const verdicts = opts.checkNotFound && c.packages.length ? await opts.checkNotFound(c.packages) : [];
      const blocked = verdicts.filter((v) => v.status === 'blocked');
      const missing = verdicts.filter((v) => v.status === 'missing' || v.status === 'unknown');
      const why = (vs: NotFoundVerdict[]) => vs.map((v) => `${describePackageRef(v.ref)}: ${v.detail ?? v.status}`).join('\n');
      if (blocked.length) {
        return result('blocked', `Not retrying: the repository will never ingest these packages.\n${why(blocked)}`, { ...ended, packages: blocked.map((v) => v.ref) });
      }
      if (verdicts.length && !missing.length && verdicts.every((v) => v.status === 'retry')) {
        // The API says these are on their way: same as an ingestion 404.
        c = { ...c, kind: 'ingestion' };
      } else {
        const named = missing.length ? why(missing) : c.packages.length ? list(c.packages) : '(the tool did not name the package)';
        return result('not-found', `Not found in the repository or its upstreams:\n${named}\n${c.message}`, ended);
      }
    }

    // Ingestion: wait and run again.
    for (const r of c.packages) if (!awaited.has(packageKey(r))) awaited.set(packageKey(r), r);
    const remaining = deadline - now();
    if (remaining <= 0) {
      const names = c.packages.length ? list(c.packages) : 'packages';
      return result(
        'timeout',
        `Still waiting for ingestion of ${names} after ${Math.round((now() - start) / 1000)} s (limit ${opts.maxWaitSeconds ?? 600} s). Try again later.`,
        ended,
      );
    }
    const delayMs = Math.min(remaining, backoffDelay(retries++, backoff, random));
    opts.onEvent?.({ type: 'retry-scheduled', attempt, delayMs, packages: c.packages, elapsedMs: now() - start });
    await sleep(delayMs, opts.signal);
  }
}
