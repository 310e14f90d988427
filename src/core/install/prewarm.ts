// Pre-warm: ask the repository for every locked package version at once, so CodeArtifact ingests the
// whole tree in parallel instead of one failed build at a time. Each request repeats (with backoff)
// until it answers 200, a plain 404 (not available upstream), an auth error, or the wait limit.
//
// Which request per format, and why:
// - npm: the version's tarball `{endpoint}{name}/-/{base}-{version}.tgz`. A packument GET only makes
//   the service ingest something when it has never seen the package (and then the `latest` version,
//   not necessarily the locked one); the tarball request names the exact version, and it is what
//   `npm ci` downloads anyway. We stop reading the body once the status is 200.
// - PyPI: the simple page `{endpoint}simple/{normalised}/`, the first thing pip asks for.
// - Maven: the version's POM, `{group/path}/{artifact}/{version}/{artifact}-{version}.pom`; a request
//   for a version makes the service ingest all of that version's assets.
import { backoffDelay, sleep as abortableSleep, type Backoff } from '../backoff';
import { normalizePypiName, packageDisplayName, packageKey, type PackageRef, type ToolFormat } from '../coordinates';
import { NetworkError } from '../net/errors';
import { netFetch } from '../net/transport';
import type { LockEntry } from './lockfiles';

export interface PrewarmProgress {
  ready: number;
  failed: number;
  total: number;
  /** "N of M packages ready", for a progress notification. */
  text: string;
}

export type PrewarmFailureReason = 'not-found' | 'auth' | 'timeout' | 'error' | 'no-endpoint' | 'cancelled' | 'network';

export interface PrewarmFailure {
  entry: LockEntry;
  reason: PrewarmFailureReason;
  status?: number;
  message: string;
}

export interface PrewarmResult {
  total: number;
  ready: LockEntry[];
  failed: PrewarmFailure[];
  elapsedMs: number;
  cancelled: boolean;
  /** HTTP requests made in all (retries included). */
  requests: number;
}

export interface PrewarmOptions {
  entries: LockEntry[];
  /** Repository endpoint per format, as GetRepositoryEndpoint returns it (trailing slash optional). */
  endpoints: Partial<Record<ToolFormat, string>>;
  token: string;
  /** Requests in flight at most (default 16). A package waiting between retries holds no slot. */
  concurrency?: number;
  /** Default 600 (codeartifact.ingestion.maxWaitSeconds). */
  maxWaitSeconds?: number;
  backoff?: Partial<Backoff>;
  /**
   * How long the first request of an entry waits for an answer (default 250 ms). The service holds a request
   * for up to 40 s while it ingests and keeps ingesting when the client hangs up; so the first request only
   * starts ingestion and frees its slot, and the whole tree starts ingesting within a few seconds instead of
   * one 40-second wait per 16 packages. An entry already held answers well within this.
   */
  kickMs?: number;
  /** The longest any later request waits (default 60 s); each retry waits twice as long as the one before. */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: PrewarmProgress) => void;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

// Polls start soon and grow slowly: most of a tree becomes ready together, a few seconds after the kick.
const PREWARM_BACKOFF: Backoff = { baseMs: 500, factor: 1.5, capMs: 10000 };

/** The URL whose request makes the repository fetch (ingest) this exact entry. */
export function prewarmUrl(entry: LockEntry, endpoint: string): string {
  const base = endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
  const enc = encodeURIComponent;
  switch (entry.format) {
    case 'npm': {
      const path = entry.namespace ? `@${enc(entry.namespace)}/${enc(entry.name)}` : enc(entry.name);
      return `${base}${path}/-/${enc(entry.name)}-${enc(entry.version)}.tgz`;
    }
    case 'pypi':
      return `${base}simple/${enc(normalizePypiName(entry.name))}/`;
    case 'maven': {
      if (!entry.namespace) throw new Error(`Maven entry ${entry.name} has no groupId`);
      const group = entry.namespace.split('.').map(enc).join('/');
      const a = enc(entry.name);
      const v = enc(entry.version);
      return `${base}${group}/${a}/${v}/${a}-${v}.pom`;
    }
  }
}

/** npm takes the token as Bearer; Maven, Gradle and pip as Basic with user "aws". */
export function authorizationHeader(format: ToolFormat, token: string): string {
  return format === 'npm' ? `Bearer ${token}` : `Basic ${Buffer.from(`aws:${token}`).toString('base64')}`;
}

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

type Attempt =
  { kind: 'ready' } | { kind: 'wait'; status?: number; message: string; retryAfterMs?: number } | { kind: 'fail'; reason: PrewarmFailureReason; status?: number; message: string };

/** One prewarm run: its settings, the shared request slots and stop signal, and what it found so far. */
interface Run {
  opts: PrewarmOptions;
  now: () => number;
  start: number;
  deadline: number;
  backoff: Backoff;
  sem: Semaphore;
  requestTimeoutMs: number;
  kickMs: number;
  /** Stops every worker at once: on the caller's cancel, and on an auth or network error (nothing else can work). */
  stop: AbortController;
  authFailure?: PrewarmFailure;
  total: number;
  ready: LockEntry[];
  failed: PrewarmFailure[];
  requests: number;
}

export async function prewarm(opts: PrewarmOptions): Promise<PrewarmResult> {
  const now = opts.now ?? Date.now;
  const start = now();
  const requestTimeoutMs = opts.requestTimeoutMs ?? 60000;
  // Several lockfiles of one folder may name the same version; ask once.
  const entries = [...new Map(opts.entries.map((e) => [packageKey(e), e])).values()];
  const run: Run = {
    opts,
    now,
    start,
    deadline: start + (opts.maxWaitSeconds ?? 600) * 1000,
    backoff: { ...PREWARM_BACKOFF, ...opts.backoff },
    sem: new Semaphore(Math.max(1, opts.concurrency ?? 16)),
    requestTimeoutMs,
    kickMs: Math.min(opts.kickMs ?? 250, requestTimeoutMs),
    stop: new AbortController(),
    total: entries.length,
    ready: [],
    failed: [],
    requests: 0,
  };
  const onCallerAbort = () => run.stop.abort();
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (opts.signal?.aborted) run.stop.abort();

  progress(run);
  await Promise.all(entries.map((e) => warm(run, e)));
  opts.signal?.removeEventListener('abort', onCallerAbort);
  const { total, ready, failed, requests } = run;
  return { total, ready, failed, elapsedMs: now() - start, cancelled: opts.signal?.aborted ?? false, requests };
}

function progress(run: Run): void {
  const { ready, failed, total } = run;
  run.opts.onProgress?.({ ready: ready.length, failed: failed.length, total, text: `${ready.length} of ${total} packages ready` });
}

/** Asks for one entry until it is ready, fails, or the deadline passes; each request waits twice as long as the last. */
async function warm(run: Run, entry: LockEntry): Promise<void> {
  const { opts, now } = run;
  const endpoint = opts.endpoints[entry.format];
  if (!endpoint) {
    run.failed.push({ entry, reason: 'no-endpoint', message: `no ${entry.format} endpoint for ${packageDisplayName(entry.format, entry.namespace, entry.name)}` });
    progress(run);
    return;
  }
  const url = prewarmUrl(entry, endpoint);
  for (let retry = 0; ; retry++) {
    const r = await requestOnce(run, entry, url, Math.min(run.requestTimeoutMs, run.kickMs * 2 ** retry));
    if (r.kind === 'ready') {
      run.ready.push(entry);
      progress(run);
      return;
    }
    if (r.kind === 'fail') {
      const f: PrewarmFailure = { entry, reason: r.reason, status: r.status, message: r.message };
      if ((r.reason === 'auth' || r.reason === 'network') && !run.authFailure) {
        run.authFailure = f;
        run.stop.abort();
      }
      if (r.reason === 'cancelled' && run.authFailure) {
        f.reason = run.authFailure.reason;
        f.message = run.authFailure.message;
      }
      run.failed.push(f);
      progress(run);
      return;
    }
    const remaining = run.deadline - now();
    if (remaining <= 0) {
      const message = `still not ready after ${Math.round((now() - run.start) / 1000)} s (${r.message})`;
      run.failed.push({ entry, reason: 'timeout', status: r.status, message });
      progress(run);
      return;
    }
    const sleep = opts.sleep ?? abortableSleep;
    // A 429's Retry-After is the server's own estimate: wait at least that long.
    const delay = Math.max(backoffDelay(retry, run.backoff, opts.random ?? Math.random), r.kind === 'wait' ? (r.retryAfterMs ?? 0) : 0);
    await sleep(Math.min(remaining, delay), run.stop.signal);
  }
}

/** One request in a free slot, waiting at most `holdMs` for the answer. */
async function requestOnce(run: Run, entry: LockEntry, url: string, holdMs: number): Promise<Attempt> {
  const { sem, stop } = run;
  await sem.acquire();
  if (stop.signal.aborted) {
    sem.release();
    return { kind: 'fail', reason: 'cancelled', message: 'cancelled' };
  }
  run.requests++;
  try {
    const res = await (run.opts.fetch ?? netFetch)(url, {
      headers: { Authorization: authorizationHeader(entry.format, run.opts.token), Accept: '*/*' },
      signal: AbortSignal.any([stop.signal, AbortSignal.timeout(holdMs)]),
    });
    if (res.status === 200) {
      // Only the status matters; do not download the whole tarball.
      await res.body?.cancel().catch(() => undefined);
      return { kind: 'ready' };
    }
    const body = (await res.text().catch(() => '')).slice(0, 2000);
    const attempt = answerToAttempt(res.status, res.statusText, body);
    return attempt.kind === 'wait' && res.status === 429 ? { ...attempt, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) } : attempt;
  } catch (e) {
    if (stop.signal.aborted) return { kind: 'fail', reason: 'cancelled', message: 'cancelled' };
    // DNS, refused, reset, TLS, proxy: no later attempt fares better; fail now, naming the host and the cause.
    if (e instanceof NetworkError) return { kind: 'fail', reason: 'network', message: e.message };
    // A request the server holds longer than we wait is ingesting: worth another try until the deadline.
    return { kind: 'wait', message: (e as Error).name === 'TimeoutError' ? `no answer within ${holdMs} ms` : `request failed: ${(e as Error).message}` };
  } finally {
    sem.release();
  }
}

/** Retry-After in ms: seconds or an HTTP date; undefined when absent or unreadable. At most 5 minutes. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 300_000) : undefined;
}

/** What a non-200 answer means: ingestion 404, 429 and 5xx are worth another try; a plain 404, 401/403 and the rest are not. */
export function answerToAttempt(status: number, statusText: string, body: string): Attempt {
  const text = `${statusText} ${body}`;
  if (status === 404) {
    if (/ingestion/i.test(text)) return { kind: 'wait', status: 404, message: 'ingestion in progress' };
    return { kind: 'fail', reason: 'not-found', status: 404, message: `not found in the repository or its upstreams (${oneLine(body) || statusText})` };
  }
  if (status === 401 || status === 403) {
    return { kind: 'fail', reason: 'auth', status, message: `HTTP ${status}: the token is missing, expired or not allowed (${oneLine(body) || statusText})` };
  }
  if (status === 429 || status >= 500) return { kind: 'wait', status, message: `HTTP ${status} ${statusText}` };
  return { kind: 'fail', reason: 'error', status, message: `HTTP ${status} ${statusText}: ${oneLine(body)}` };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}

// ---- probe: what a plain 404 from a tool really was -------------------------------------------

export type ProbeState = 'ingesting' | 'available' | 'not-found' | 'auth' | 'unknown';

export interface ProbeResult {
  ref: PackageRef;
  state: ProbeState;
  detail: string;
}

export interface ProbeOptions {
  endpoints: Partial<Record<ToolFormat, string>>;
  token: string;
  fetch?: typeof fetch;
  /** Default 60 s (the service may hold the request while it ingests). */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Maven, Gradle, pnpm and yarn print a 404 as "could not find" without the server's reason, so the
 * output cannot tell "still ingesting" from "does not exist". Asking the repository ourselves can:
 * the same request answers 404 with "Ingestion is in progress" in its body or status text, 200 when
 * ingestion finished meanwhile, or a plain 404. Requests go one package at a time, at most 16.
 */
export function createProbe(opts: ProbeOptions): (refs: PackageRef[]) => Promise<ProbeResult[]> {
  const doFetch = opts.fetch ?? netFetch;
  return async (refs) => {
    const out: ProbeResult[] = [];
    for (const ref of refs.slice(0, 16)) {
      const endpoint = opts.endpoints[ref.format];
      let url = ref.url;
      if (!url && endpoint && ref.version && (ref.format !== 'maven' || ref.namespace)) {
        url = prewarmUrl({ format: ref.format, namespace: ref.namespace, name: ref.name, version: ref.version }, endpoint);
      }
      if (!url && endpoint && ref.format === 'pypi') url = prewarmUrl({ format: 'pypi', name: ref.name, version: '0' }, endpoint);
      if (!url && endpoint && ref.format === 'npm') {
        url = `${endpoint.endsWith('/') ? endpoint : `${endpoint}/`}${ref.namespace ? `@${ref.namespace}%2f` : ''}${encodeURIComponent(ref.name)}`;
      }
      // Only ever send the token to the repository it belongs to.
      if (!url || !endpoint || !sameOrigin(url, endpoint)) {
        out.push({ ref, state: 'unknown', detail: 'no URL to check' });
        continue;
      }
      try {
        const res = await doFetch(url, {
          headers: { Authorization: authorizationHeader(ref.format, opts.token) },
          signal: AbortSignal.any([AbortSignal.timeout(opts.requestTimeoutMs ?? 60000), ...(opts.signal ? [opts.signal] : [])]),
        });
        const body = res.status === 200 ? '' : (await res.text().catch(() => '')).slice(0, 2000);
        if (res.status === 200) await res.body?.cancel().catch(() => undefined);
        const text = `${res.statusText} ${body}`;
        if (res.status === 200) out.push({ ref, state: 'available', detail: 'available now' });
        else if (res.status === 404 && /ingestion/i.test(text)) out.push({ ref, state: 'ingesting', detail: 'ingestion is in progress' });
        else if (res.status === 404) out.push({ ref, state: 'not-found', detail: oneLine(body) || 'not found' });
        else if (res.status === 401 || res.status === 403) out.push({ ref, state: 'auth', detail: `HTTP ${res.status}` });
        else out.push({ ref, state: 'unknown', detail: `HTTP ${res.status} ${res.statusText}` });
      } catch (e) {
        out.push({ ref, state: 'unknown', detail: (e as Error).message });
      }
    }
    return out;
  };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
