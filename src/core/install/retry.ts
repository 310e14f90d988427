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
import { runInProcessGroup, type RunResult } from './processTree';

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

/** The state one run of installWithRetry carries from attempt to attempt. */
interface Loop {
  opts: InstallWithRetryOptions;
  now: () => number;
  start: number;
  attempt: number;
  /** The secrets of the latest attempt: they blank out the final message too. */
  secrets: string[];
  awaited: Map<string, PackageRef>;
  /** How many probes found each package available while the tool kept failing on it. */
  availableSeen: Map<string, number>;
}

/** How a run ends: the outcome, the message for the user and the result's other fields. */
interface Ending {
  outcome: InstallOutcome;
  message: string;
  extra?: Partial<InstallResult>;
}

/** What an attempt found: an ending, or an ingestion to wait for (`ended`: the attempt's own fields). */
type Step = Ending | { ingestion: FailureClassification; ended: Partial<InstallResult> };

export async function installWithRetry(opts: InstallWithRetryOptions): Promise<InstallResult> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const random = opts.random ?? Math.random;
  const backoff: Backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const maxWaitSeconds = opts.maxWaitSeconds ?? 600;
  const loop: Loop = { opts, now, start: now(), attempt: 0, secrets: secretsOf(opts), awaited: new Map(), availableSeen: new Map() };
  const deadline = loop.start + maxWaitSeconds * 1000;
  let retries = 0;

  for (;;) {
    if (opts.signal?.aborted) return finish(loop, { outcome: 'cancelled', message: 'Cancelled.' });
    const step = await runAttempt(loop);
    if ('outcome' in step) return finish(loop, step);

    // Ingestion: wait and run again.
    const c = step.ingestion;
    for (const r of c.packages) if (!loop.awaited.has(packageKey(r))) loop.awaited.set(packageKey(r), r);
    const remaining = deadline - now();
    if (remaining <= 0) {
      const names = c.packages.length ? list(c.packages) : 'packages';
      const waited = Math.round((now() - loop.start) / 1000);
      return finish(loop, {
        outcome: 'timeout',
        message: `Still waiting for ingestion of ${names} after ${waited} s (limit ${maxWaitSeconds} s). Try again later.`,
        extra: step.ended,
      });
    }
    const delayMs = Math.min(remaining, backoffDelay(retries++, backoff, random));
    opts.onEvent?.({ type: 'retry-scheduled', attempt: loop.attempt, delayMs, packages: c.packages, elapsedMs: now() - loop.start });
    await sleep(delayMs, opts.signal);
  }
}

function secretsOf(opts: InstallWithRetryOptions): string[] {
  return typeof opts.secrets === 'function' ? opts.secrets() : (opts.secrets ?? []);
}

function finish(loop: Loop, e: Ending): InstallResult {
  return {
    outcome: e.outcome,
    attempts: loop.attempt,
    elapsedMs: loop.now() - loop.start,
    packagesAwaited: [...loop.awaited.values()],
    message: redact(e.message, loop.secrets),
    packages: [],
    ...e.extra,
  };
}

/** One run of the command: its events, then what its output says (success, an ending, or ingestion). */
async function runAttempt(loop: Loop): Promise<Step> {
  const { opts, now, start } = loop;
  const attempt = ++loop.attempt;
  opts.onEvent?.({ type: 'attempt-start', attempt, elapsedMs: now() - start });
  loop.secrets = secretsOf(opts);
  const run = await runRedacted(opts, loop.secrets);
  if (run.cancelled) {
    opts.onEvent?.({ type: 'attempt-end', attempt, exitCode: run.code, elapsedMs: now() - start });
    return { outcome: 'cancelled', message: 'Cancelled; the install command and its child processes were stopped.', extra: { exitCode: run.code } };
  }
  if (run.spawnError) {
    const why =
      run.spawnError.code === 'ENOENT'
        ? `${opts.command.file} was not found. Please verify it is installed and on PATH.`
        : `Could not start ${opts.command.display}: ${run.spawnError.message}`;
    return { outcome: 'failed', message: why };
  }
  const hidden = run.code === 0 ? failuresInSuccessfulRun(opts.command.tool, run.output) : [];
  if (run.code === 0 && !hidden.length) {
    opts.onEvent?.({ type: 'attempt-end', attempt, exitCode: 0, elapsedMs: now() - start });
    const message = attempt === 1 ? `${opts.command.display} succeeded.` : `${opts.command.display} succeeded after ${attempt} attempts.`;
    return { outcome: 'success', message, extra: { exitCode: 0 } };
  }
  const c = classifyFailure(opts.command.tool, run.output);
  opts.onEvent?.({ type: 'attempt-end', attempt, exitCode: run.code, classification: c, elapsedMs: now() - start });
  return judgeFailure(loop, c, run);
}

/**
 * Runs the command once with every stream chunk redacted before it reaches onOutput. The output returned
 * (for classification) includes the tool's log file when it writes one.
 */
async function runRedacted(opts: InstallWithRetryOptions, secrets: string[]): Promise<RunResult> {
  const { command, onOutput } = opts;
  if (command.logFile) rmSync(command.logFile, { force: true });
  const redactors = { stdout: new StreamRedactor(secrets), stderr: new StreamRedactor(secrets) };
  const run = await runInProcessGroup({
    file: command.file,
    args: command.args,
    cwd: command.cwd,
    env: typeof opts.env === 'function' ? opts.env() : opts.env,
    signal: opts.signal,
    killGraceMs: opts.killGraceMs,
    onOutput:
      onOutput &&
      ((chunk, stream) => {
        const safe = redactors[stream].push(chunk);
        if (safe) onOutput(safe, stream);
      }),
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    const rest = redactors[stream].flush();
    if (rest) onOutput?.(rest, stream);
  }
  if (run.cancelled || run.spawnError || !command.logFile) return run;
  let output = run.output;
  try {
    output += `\n${readFileSync(command.logFile, 'utf8')}`;
  } catch {
    // the tool did not get far enough to write it
  }
  rmSync(command.logFile, { force: true });
  return { ...run, output };
}

/** A failed run: stop (auth, other, blocked, missing) or wait for ingestion, asking the repository when the output cannot tell. */
async function judgeFailure(loop: Loop, c: FailureClassification, run: RunResult): Promise<Step> {
  const { opts } = loop;
  const ended = { exitCode: run.code, classification: c, packages: c.packages };
  if (c.kind === 'auth') {
    return { outcome: 'auth', message: `Authorization failed: the token is missing, expired or not allowed here. Log in again.\n${c.message}`, extra: ended };
  }
  if (c.kind === 'other') {
    return { outcome: 'failed', message: `${opts.command.display} failed (exit code ${run.code ?? run.signal}):\n${c.message}`, extra: ended };
  }
  if (c.kind === 'not-found' && opts.probe && c.packages.length) {
    const probed = await opts.probe(c.packages);
    if (probed.some((p) => p.state === 'auth')) {
      return { outcome: 'auth', message: `Authorization failed when checking ${list(c.packages)}. Log in again.\n${c.message}`, extra: ended };
    }
    const coming = stillComing(probed, loop.availableSeen);
    if (coming.length) c = { ...c, kind: 'ingestion', packages: coming };
  }
  if (c.kind === 'not-found') return judgeNotFound(opts, c, ended);
  return { ingestion: c, ended };
}

/**
 * The probed packages worth another run: still ingesting, or ingested since the tool asked. A package the
 * repository keeps serving while the tool keeps failing on it is not an ingestion problem: once it has been
 * seen available 3 times it is no longer counted (`availableSeen` keeps the counts across attempts).
 */
function stillComing(probed: ProbeResult[], availableSeen: Map<string, number>): PackageRef[] {
  for (const p of probed) if (p.state === 'available') availableSeen.set(packageKey(p.ref), (availableSeen.get(packageKey(p.ref)) ?? 0) + 1);
  return probed.filter((p) => p.state === 'ingesting' || (p.state === 'available' && (availableSeen.get(packageKey(p.ref)) ?? 0) < 3)).map((p) => p.ref);
}

/** A plain 404: blocked or missing ends the run; the API saying every package is on its way means ingestion. */
async function judgeNotFound(opts: InstallWithRetryOptions, c: FailureClassification, ended: Partial<InstallResult>): Promise<Step> {
  const verdicts = opts.checkNotFound && c.packages.length ? await opts.checkNotFound(c.packages) : [];
  const blocked = verdicts.filter((v) => v.status === 'blocked');
  const missing = verdicts.filter((v) => v.status === 'missing' || v.status === 'unknown');
  const why = (vs: NotFoundVerdict[]) => vs.map((v) => `${describePackageRef(v.ref)}: ${v.detail ?? v.status}`).join('\n');
  if (blocked.length) {
    return {
      outcome: 'blocked',
      message: `Not retrying: the repository will never ingest these packages.\n${why(blocked)}`,
      extra: { ...ended, packages: blocked.map((v) => v.ref) },
    };
  }
  if (verdicts.length && !missing.length && verdicts.every((v) => v.status === 'retry')) {
    // The API says these are on their way: same as an ingestion 404.
    return { ingestion: { ...c, kind: 'ingestion' }, ended };
  }
  const named = missing.length ? why(missing) : c.packages.length ? list(c.packages) : '(the tool did not name the package)';
  return { outcome: 'not-found', message: `Not found in the repository or its upstreams:\n${named}\n${c.message}`, extra: ended };
}
