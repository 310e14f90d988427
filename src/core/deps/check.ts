// Checks a project's dependencies against the repository the folder uses: for each locked version, is it in
// CodeArtifact (the repository or an upstream), will an external connection bring it, is it blocked by origin
// controls, or was it archived? Plain Node: the VS Code layer (src/dependencies/) shows what this returns.
//
// Cost, per dependency: one DescribePackageVersion in the repository, which answers for every version the
// repository already holds (CodeArtifact keeps a copy of what was fetched through it). Only a version it does not
// hold costs more: one call per upstream repository, then DescribePackage (origin configuration) and, for a
// package the domain has never seen, GetAssociatedPackageGroup. The repository chain (DescribeRepository) and each
// result are cached for a window, so a re-check within it costs nothing and a changed lockfile costs its changes.
import {
  DescribePackageVersionCommand,
  GetAssociatedPackageGroupCommand,
  ListAllowedRepositoriesForGroupCommand,
  type PackageGroupOriginRestrictionMode,
  type PackageVersionDescription,
} from '@aws-sdk/client-codeartifact';
import pLimit from 'p-limit';
import { backoffDelay, sleep } from '../backoff';
import { packageDisplayName, packageKey, type PackageFormat } from '../coordinates';
import type { CodeArtifact, RepositoryPackageRef, RepositoryRef } from '../aws/client';
import { describeProblem } from '../aws/errors';
import { authorizationHeader, prewarmUrl } from '../install/prewarm';
import type { LockEntry } from '../install/lockfiles';

/** Relied on outside the project: exactly these values. */
export type DependencyStatus = 'available' | 'not-ingested' | 'ingesting' | 'missing' | 'blocked' | 'unlisted' | 'archived' | 'disposed' | 'error';

export interface DependencyResult {
  format: string;
  namespace?: string;
  name: string;
  version?: string;
  status: DependencyStatus;
  detail: string;
  /** The repository of the chain that holds the version (or the one checked, when none does). */
  repository?: string;
}

/** One repository of the chain, in the order CodeArtifact searches it. */
interface ChainRepository {
  name: string;
  externalConnections: { name: string; format?: string }[];
}

export interface ProbeAccess {
  /** Repository endpoint per format (GetRepositoryEndpoint), and the token that goes with it. */
  endpoints: Partial<Record<string, string>>;
  token: string;
  /** How long a held request (the service holds one while it ingests) is waited for before it counts as ingesting. */
  holdMs?: number;
  fetch?: typeof fetch;
}

export interface CheckOptions {
  client: CodeArtifact;
  repository: RepositoryRef;
  dependencies: LockEntry[];
  /** Ask the data plane too, for versions no repository of the chain holds yet. */
  probe?: ProbeAccess;
  cache?: CheckCache;
  /** Control-plane calls in flight at most (default 16). */
  concurrency?: number;
  signal?: AbortSignal;
}

/** Results and repository chains kept for a window (default 5 minutes); a quick fix forgets what it changed. */
export class CheckCache {
  private readonly results = new Map<string, { at: number; result: DependencyResult }>();
  private readonly chains = new Map<string, { at: number; chain: Promise<ChainRepository[]> }>();
  private readonly groups = new Map<string, { at: number; allowed: Promise<Set<string>> }>();

  constructor(
    readonly windowMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  result(key: string): DependencyResult | undefined {
    const hit = this.results.get(key);
    return hit && this.now() - hit.at < this.windowMs ? hit.result : undefined;
  }
  keep(key: string, result: DependencyResult): void {
    this.results.set(key, { at: this.now(), result });
  }
  chain(key: string, load: () => Promise<ChainRepository[]>): Promise<ChainRepository[]> {
    return this.memo(this.chains, key, load, 'chain');
  }
  allowed(key: string, load: () => Promise<Set<string>>): Promise<Set<string>> {
    return this.memo(this.groups, key, load, 'allowed');
  }
  /** Forgets everything about one package (all versions) and the chains: after a quick fix changed them. */
  forget(match: { format: string; namespace?: string; name: string }): void {
    const prefix = `|${packageKey({ format: match.format, namespace: match.namespace, name: match.name })}`;
    for (const k of [...this.results.keys()]) if (k.includes(prefix)) this.results.delete(k);
    this.chains.clear();
    this.groups.clear();
  }
  clear(): void {
    this.results.clear();
    this.chains.clear();
    this.groups.clear();
  }

  private memo<K extends string, T>(map: Map<string, { at: number } & Record<K, Promise<T>>>, key: string, load: () => Promise<T>, field: K): Promise<T> {
    const hit = map.get(key);
    if (hit && this.now() - hit.at < this.windowMs) return hit[field];
    const p = load();
    map.set(key, { at: this.now(), [field]: p } as { at: number } & Record<K, Promise<T>>);
    p.catch(() => map.delete(key));
    return p;
  }
}

const THROTTLE_BACKOFF = { baseMs: 200, factor: 2, capMs: 3000 };

/** Runs one control-plane call, again (with backoff) while the service throttles it; at most 5 attempts. */
async function send<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await call();
    } catch (e) {
      if (describeProblem(e).kind !== 'throttled' || retry >= 4 || signal?.aborted) throw e;
      await sleep(backoffDelay(retry, THROTTLE_BACKOFF), signal);
    }
  }
}

function isNotFound(e: unknown): boolean {
  return describeProblem(e).kind === 'notFound';
}

function repoKey(r: RepositoryRef): string {
  return `${r.domain}/${r.domainOwner ?? ''}/${r.repository}`;
}

/** The key a result is cached under: the repository, the package and version, and whether the data plane was asked. */
function resultKey(repo: RepositoryRef, dep: LockEntry, probe: boolean): string {
  return `${repoKey(repo)}|${packageKey({ format: dep.format, namespace: dep.namespace, name: dep.name })}${dep.version}|${probe ? 'p' : ''}`;
}

/** The repository and its upstreams, depth first in their configured order (as CodeArtifact searches them). */
async function loadChain(ca: CodeArtifact, repo: RepositoryRef, signal?: AbortSignal): Promise<ChainRepository[]> {
  const out: ChainRepository[] = [];
  const visit = async (name: string, depth: number): Promise<void> => {
    if (out.some((r) => r.name === name) || depth > 10) return;
    const d = await send(() => ca.describeRepository({ ...repo, repository: name }), signal);
    out.push({ name, externalConnections: (d.externalConnections ?? []).map((c) => ({ name: c.externalConnectionName ?? '', format: c.packageFormat })) });
    for (const u of d.upstreams ?? []) if (u.repositoryName) await visit(u.repositoryName, depth + 1);
  };
  await visit(repo.repository, 0);
  return out;
}

const VERSION_STATUS: Record<string, DependencyStatus> = {
  Published: 'available',
  Unlisted: 'unlisted',
  Archived: 'archived',
  Disposed: 'disposed',
  Unfinished: 'ingesting',
  Deleted: 'missing',
};

function label(dep: LockEntry): string {
  return `${packageDisplayName(dep.format, dep.namespace, dep.name)}@${dep.version}`;
}

/** What a version found in `repository` means for the build. */
function fromVersion(dep: LockEntry, v: PackageVersionDescription, repository: string): DependencyResult {
  const status = VERSION_STATUS[v.status ?? ''] ?? 'error';
  const origin = v.origin?.originType;
  const via = v.origin?.domainEntryPoint?.externalConnectionName;
  const from = origin === 'EXTERNAL' ? `EXTERNAL${via ? ` via ${via}` : ''}` : (origin ?? 'UNKNOWN');
  const detail =
    status === 'available'
      ? `${label(dep)} is in ${repository} (${from})`
      : status === 'error'
        ? `${label(dep)} has the unknown status ${v.status} in ${repository}`
        : `${label(dep)} is ${v.status} in ${repository} (${from})${status === 'archived' || status === 'disposed' ? ': package managers cannot download it' : ''}`;
  return { ...coordinates(dep), status, detail, repository };
}

function coordinates(dep: LockEntry): Pick<DependencyResult, 'format' | 'namespace' | 'name' | 'version'> {
  return { format: dep.format, ...(dep.namespace ? { namespace: dep.namespace } : {}), name: dep.name, version: dep.version };
}

/** Per-run context shared by every dependency's check. */
interface Run {
  ca: CodeArtifact;
  repo: RepositoryRef;
  cache: CheckCache;
  signal?: AbortSignal;
  limit: ReturnType<typeof pLimit>;
}

/** One control-plane call of a run: within its concurrency limit, retried while throttled. */
function call<T>(run: Run, make: () => Promise<T>): Promise<T> {
  return run.limit(() => send(make, run.signal));
}

function domainInput(r: RepositoryRef): { domain: string; domainOwner?: string } {
  return { domain: r.domain, ...(r.domainOwner ? { domainOwner: r.domainOwner } : {}) };
}

function api(run: Run, repository: string, dep: LockEntry): RepositoryPackageRef {
  return { ...run.repo, repository, format: dep.format, namespace: dep.namespace, name: dep.name };
}

/** DescribePackageVersion in one repository: the version, or undefined when the repository does not hold it. */
async function versionIn(run: Run, repository: string, dep: LockEntry): Promise<PackageVersionDescription | undefined> {
  const input = { ...domainInput(run.repo), repository, format: dep.format as PackageFormat, namespace: dep.namespace, package: dep.name, packageVersion: dep.version };
  try {
    const r = await call(run, () => run.ca.client.send(new DescribePackageVersionCommand(input)));
    return r.packageVersion ?? undefined;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * Why origin controls keep a version the chain does not hold out of `repository`, or undefined when they do not:
 * the package's own configuration when the domain knows it (DescribePackage shows it in force, group included),
 * else its package group's EXTERNAL_UPSTREAM restriction for the repositories that have an external connection.
 */
async function blockedBy(run: Run, chain: ChainRepository[], dep: LockEntry): Promise<string | undefined> {
  const name = packageDisplayName(dep.format, dep.namespace, dep.name);
  try {
    const d = await call(run, () => run.ca.describePackage(api(run, run.repo.repository, dep)));
    if (d.originConfiguration?.restrictions?.upstream === 'BLOCK') {
      return `${name} has the origin restriction upstream=BLOCK in ${run.repo.repository}: CodeArtifact will not fetch it from an upstream or external connection`;
    }
    return undefined;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  const input = { ...domainInput(run.repo), format: dep.format as PackageFormat, namespace: dep.namespace, package: dep.name };
  const g = await call(run, () => run.ca.client.send(new GetAssociatedPackageGroupCommand(input)));
  const group = g.packageGroup;
  const external = group?.originConfiguration?.restrictions?.EXTERNAL_UPSTREAM;
  const mode: PackageGroupOriginRestrictionMode | undefined = external?.effectiveMode ?? external?.mode;
  const stores = chain.filter((r) => r.externalConnections.some((c) => !c.format || c.format === dep.format)).map((r) => r.name);
  if (mode === 'BLOCK') return `the package group ${group?.pattern} blocks external upstreams (EXTERNAL_UPSTREAM=BLOCK) for ${name}`;
  if (mode === 'ALLOW_SPECIFIC_REPOSITORIES' && group?.pattern) {
    const pattern = group.pattern;
    const allowed = await run.cache.allowed(`${run.repo.domain}|${pattern}`, () => allowedRepositories(run, pattern));
    if (stores.length && !stores.some((s) => allowed.has(s))) {
      return `the package group ${pattern} allows external upstreams only for ${[...allowed].join(', ') || 'no repository'}, not ${stores.join(', ')}`;
    }
  }
  return undefined;
}

async function allowedRepositories(run: Run, pattern: string): Promise<Set<string>> {
  const out = new Set<string>();
  let nextToken: string | undefined;
  do {
    const input = { ...domainInput(run.repo), packageGroup: pattern, originRestrictionType: 'EXTERNAL_UPSTREAM' as const, nextToken };
    const r = await call(run, () => run.ca.client.send(new ListAllowedRepositoriesForGroupCommand(input)));
    for (const name of r.allowedRepositories ?? []) out.add(name);
    nextToken = r.nextToken || undefined;
  } while (nextToken);
  return out;
}

/** GET the version through the repository: 200 available, ingestion 404 (or a held request) ingesting, plain 404 missing. */
async function probeOne(access: ProbeAccess, dep: LockEntry, repository: string, signal?: AbortSignal): Promise<DependencyResult> {
  const base = coordinates(dep);
  const endpoint = access.endpoints[dep.format];
  if (!endpoint) return { ...base, status: 'error', detail: `no ${dep.format} endpoint to ask for ${label(dep)}`, repository };
  const doFetch = access.fetch ?? fetch;
  const holdMs = access.holdMs ?? 3000;
  try {
    const res = await doFetch(prewarmUrl(dep, endpoint), {
      headers: { Authorization: authorizationHeader(dep.format, access.token) },
      signal: AbortSignal.any([AbortSignal.timeout(holdMs), ...(signal ? [signal] : [])]),
    });
    const body = res.status === 200 ? '' : (await res.text().catch(() => '')).slice(0, 500);
    if (res.status === 200) await res.body?.cancel().catch(() => undefined);
    if (res.status === 200) return { ...base, status: 'available', detail: `${label(dep)} was fetched into ${repository} now`, repository };
    if (res.status === 404 && /ingestion/i.test(`${res.statusText} ${body}`)) {
      return { ...base, status: 'ingesting', detail: `CodeArtifact is ingesting ${label(dep)} into ${repository}`, repository };
    }
    if (res.status === 404) return { ...base, status: 'missing', detail: `no source has ${label(dep)}: the repository answered a plain 404`, repository };
    return { ...base, status: 'error', detail: `the ${dep.format} endpoint answered HTTP ${res.status} ${res.statusText} for ${label(dep)}`, repository };
  } catch (e) {
    if ((e as Error).name === 'TimeoutError') {
      return { ...base, status: 'ingesting', detail: `CodeArtifact is ingesting ${label(dep)} into ${repository} (the request was held ${holdMs} ms)`, repository };
    }
    return { ...base, status: 'error', detail: `could not ask the ${dep.format} endpoint for ${label(dep)}: ${(e as Error).message}`, repository };
  }
}

async function checkOne(run: Run, chain: ChainRepository[], dep: LockEntry, probe: ProbeAccess | undefined): Promise<DependencyResult> {
  for (const r of chain) {
    const v = await versionIn(run, r.name, dep);
    if (v) return fromVersion(dep, v, r.name);
  }
  const repository = run.repo.repository;
  const base = coordinates(dep);
  const blocked = await blockedBy(run, chain, dep);
  if (blocked) return { ...base, status: 'blocked', detail: blocked, repository };
  const connections = chain.flatMap((r) => r.externalConnections.filter((c) => !c.format || c.format === dep.format).map((c) => `${c.name} (on ${r.name})`));
  if (!connections.length) {
    return { ...base, status: 'missing', detail: `${label(dep)} is in no repository of ${repository}'s chain, and none has a ${dep.format} external connection`, repository };
  }
  if (probe) return probeOne(probe, dep, repository, run.signal);
  return { ...base, status: 'not-ingested', detail: `${label(dep)} is in no repository of the chain yet; ${connections.join(', ')} may bring it on first request`, repository };
}

/** Checks every dependency (deduplicated), at most `concurrency` control-plane calls in flight; results in input order. */
export async function checkDependencies(opts: CheckOptions): Promise<DependencyResult[]> {
  const cache = opts.cache ?? new CheckCache();
  const run: Run = { ca: opts.client, repo: opts.repository, cache, signal: opts.signal, limit: pLimit(opts.concurrency ?? 16) };
  const chain = await cache.chain(repoKey(opts.repository), () => loadChain(opts.client, opts.repository, opts.signal));
  const inFlight = new Map<string, Promise<DependencyResult>>();
  return Promise.all(
    opts.dependencies.map((dep) => {
      const key = resultKey(opts.repository, dep, !!opts.probe);
      const hit = cache.result(key);
      if (hit) return Promise.resolve(hit);
      let p = inFlight.get(key);
      if (!p) {
        p = checkOne(run, chain, dep, opts.probe).then(
          (r) => {
            // A version on its way in is worth asking about again at the next check.
            if (r.status !== 'ingesting' && r.status !== 'error') cache.keep(key, r);
            return r;
          },
          (e: unknown): DependencyResult => ({ ...coordinates(dep), status: 'error', detail: describeProblem(e).message, repository: opts.repository.repository }),
        );
        inFlight.set(key, p);
      }
      return p;
    }),
  );
}
