// Registries (npm, PyPI, Maven) at /{format}/d/{domain}-{owner}/{repository}/..., upstream walks and
// ingestion. This file routes and authenticates, and holds what the three registries share: the
// lookup through upstreams, copying a version into the repository asked, and waiting for ingestion.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors';
import { IngestionManager } from './ingestion';
import { fakeFromSeedExtra, publicSource, type FakePublicSource, type PublicSource } from './publicRegistry';
import { handleMaven } from './registries/maven';
import { handleNpm } from './registries/npm';
import { handlePypi } from './registries/pypi';
import { countCall, type EmulatorContext } from './server';
import {
  checkToken,
  domainKey,
  EXTERNAL_CONNECTIONS,
  newRevision,
  nowSeconds,
  packageKey,
  type Domain,
  type Format,
  type Package,
  type PackageVersion,
  type Repository,
} from './state';

export interface DataPlane {
  ctx: EmulatorContext;
  ingestion: IngestionManager;
  /** The public upstreams as configured right now (fake by default; ctx.options.upstreams picks real ones). */
  publicSource(): PublicSource;
  close(): void;
}

export function createDataPlane(ctx: EmulatorContext): DataPlane {
  const ingestion = new IngestionManager();
  ingestion.onStart = (key) => countCall(ctx, `ingestion:${key.split('/')[3] ?? 'unknown'}`);
  let fake: FakePublicSource | undefined;
  let real: { key: string; source: PublicSource } | undefined;
  return {
    ctx,
    ingestion,
    publicSource() {
      fake ??= fakeFromSeedExtra(ctx.state.extra);
      const urls = ctx.options.upstreams;
      const key = JSON.stringify(urls);
      if (!real || real.key !== key) real = { key, source: publicSource(urls, fake) };
      return real.source;
    },
    close() {
      ingestion.close();
    },
  };
}

export type RegistryFormat = 'npm' | 'pypi' | 'maven';

/** A registry error: npm answers `{"error": message}`, PyPI and Maven plain text and the reason phrase. */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly opts: { reasonPhrase?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export const INGESTION_IN_PROGRESS = 'Ingestion is in progress. Please try again later.';

export interface RegistryRequest {
  dp: DataPlane;
  ctx: EmulatorContext;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  format: RegistryFormat;
  domain: Domain;
  repo: Repository;
  /** Path after `/{repository}/`, still percent-encoded. */
  rest: string;
  /** This repository's endpoint URL, with trailing slash (what GetRepositoryEndpoint returns). */
  endpoint: string;
}

const REGISTRY_PATH = /^\/([a-z]+)\/d\/([^/]*)\/([^/]*)(?:\/(.*))?$/;
const DOMAIN_SEGMENT = /^([a-z][a-z0-9-]*)-([0-9]{12})$/;

/** Returns false when the path is not a registry path (the server then answers 404). */
export async function handleDataPlane(dp: DataPlane, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const m = REGISTRY_PATH.exec(url.pathname);
  if (!m) {
    if (!/^\/(npm|pypi|maven)(\/|$)/.test(url.pathname)) return false;
    sendRegistryError(res, formatOf(url.pathname), new RegistryError(400, `Bad registry path ${url.pathname}: expected /{format}/d/{domain}-{owner}/{repository}/...`));
    req.resume();
    return true;
  }
  const [, fmt, domainSeg, repoName, rest = ''] = m;
  const format = fmt as RegistryFormat;
  try {
    if (fmt !== 'npm' && fmt !== 'pypi' && fmt !== 'maven') {
      if (!Object.values(EXTERNAL_CONNECTIONS).includes(fmt as Format)) return false;
      throw new RegistryError(404, `The emulator does not serve ${fmt} repositories`);
    }
    const dm = DOMAIN_SEGMENT.exec(safeDecode(domainSeg));
    if (!dm) throw new RegistryError(400, `Bad domain segment "${domainSeg}": expected {domain}-{12-digit owner}`);
    const domain = dp.ctx.state.domains[domainKey(dm[2], dm[1])];
    if (!domain || domain.status !== 'Active') throw new RegistryError(404, `Domain ${dm[1]} (owner ${dm[2]}) not found`);
    if (rest.split('/').some((s) => ['.', '..'].includes(safeDecode(s)))) throw new RegistryError(400, 'Path segments "." and ".." are not allowed');
    const token = tokenOf(req);
    const verdict = checkToken(dp.ctx.state, dp.ctx.clock, token, domain);
    if (verdict !== 'ok') {
      const why = { missing: 'No authorization token', unknown: 'Invalid authorization token', expired: 'The security token included in the request is expired', 'wrong-domain': 'The authorization token is not valid for this domain' }[verdict];
      throw new RegistryError(401, why, {
        reasonPhrase: 'Unauthorized',
        headers: { 'WWW-Authenticate': format === 'npm' ? 'Bearer realm="CodeArtifact"' : 'Basic realm="CodeArtifact"' },
      });
    }
    const repo = domain.repositories[safeDecode(repoName)];
    if (!repo) throw new RegistryError(404, `Repository ${safeDecode(repoName)} not found in domain ${domain.name}`);
    const rr: RegistryRequest = {
      dp,
      ctx: dp.ctx,
      req,
      res,
      url,
      format,
      domain,
      repo,
      rest,
      endpoint: `${dp.ctx.baseUrl}/${format}/d/${domain.name}-${domain.owner}/${repo.name}/`,
    };
    if (format === 'npm') await handleNpm(rr);
    else if (format === 'pypi') await handlePypi(rr);
    else await handleMaven(rr);
  } catch (e) {
    let re: RegistryError;
    if (e instanceof RegistryError) re = e;
    else if (e instanceof ApiError) re = new RegistryError(e.status, e.message);
    else throw e;
    if (!req.complete) req.resume();
    if (res.headersSent) res.destroy();
    else sendRegistryError(res, format, re);
  }
  return true;
}

function formatOf(pathname: string): RegistryFormat {
  return pathname.startsWith('/npm') ? 'npm' : pathname.startsWith('/pypi') ? 'pypi' : 'maven';
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new RegistryError(400, `Bad percent-encoding in "${s}"`);
  }
}

function tokenOf(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const sp = h.indexOf(' ');
  const scheme = h.slice(0, sp).toLowerCase();
  const value = h.slice(sp + 1).trim();
  if (scheme === 'bearer') return value;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

export function sendRegistryError(res: ServerResponse, format: RegistryFormat, e: RegistryError): void {
  const headers: Record<string, string> = { ...e.opts.headers };
  let body: string;
  if (format === 'npm') {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify({ error: e.message });
  } else {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    body = e.message + '\n';
  }
  headers['Content-Length'] = String(Buffer.byteLength(body));
  if (e.opts.reasonPhrase) res.writeHead(e.status, e.opts.reasonPhrase, headers);
  else res.writeHead(e.status, headers);
  res.end(body);
}

export async function readRegistryBody(rr: RegistryRequest): Promise<Buffer> {
  const limit = rr.ctx.options.maxBodyBytes;
  const declared = Number(rr.req.headers['content-length'] ?? NaN);
  if (declared > limit) throw new RegistryError(413, `Request body of ${declared} bytes is larger than the limit of ${limit} bytes`, { reasonPhrase: 'Payload Too Large', headers: { Connection: 'close' } });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of rr.req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new RegistryError(413, `Request body is larger than the limit of ${limit} bytes`, { reasonPhrase: 'Payload Too Large', headers: { Connection: 'close' } });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function send(res: ServerResponse, status: number, body: Buffer | string, contentType: string, headers: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(buf.length), ...headers });
  res.end(buf);
}

// ---- lookup through upstreams ------------------------------------------------------------------

export interface LookupPlan {
  /** Repositories in walk order (the asked one first), at most 25. */
  repos: Repository[];
  /** The first repository in the walk with an external connection of this format that may be used. */
  connection?: { repo: Repository; name: string };
}

/**
 * The walk for one package: the repository, then its upstreams in order, depth-first, at most 25.
 * A repository where the package's upstream restriction is BLOCK takes nothing from further up: its
 * upstreams and its external connection are not consulted.
 */
export function lookupPlan(domain: Domain, start: Repository, key: string, format: RegistryFormat): LookupPlan {
  const repos: Repository[] = [];
  const seen = new Set<string>();
  let connection: LookupPlan['connection'];
  const visit = (repo: Repository | undefined): void => {
    if (!repo || seen.has(repo.name) || repos.length >= 25) return;
    seen.add(repo.name);
    repos.push(repo);
    if (repo.packages[key]?.originConfiguration.restrictions.upstream === 'BLOCK') return;
    if (!connection && repo.externalConnection && EXTERNAL_CONNECTIONS[repo.externalConnection] === format) {
      connection = { repo, name: repo.externalConnection };
    }
    for (const u of repo.upstreams) visit(domain.repositories[u]);
  };
  visit(start);
  return { repos, connection };
}

export interface Held {
  repo: Repository;
  pkg: Package;
  version: PackageVersion;
}

const SERVABLE = new Set(['Published', 'Unlisted']);

/** The first copy of a version in walk order (Published or Unlisted), or undefined. */
export function findHeld(plan: LookupPlan, key: string, version: string): Held | undefined {
  for (const repo of plan.repos) {
    const pkg = repo.packages[key];
    const v = pkg?.versions[version];
    if (pkg && v && SERVABLE.has(v.status)) return { repo, pkg, version: v };
  }
  return undefined;
}

/** All servable versions across the walk; a version held by an earlier repository wins. */
export function heldVersions(plan: LookupPlan, key: string, statuses: Set<string> = SERVABLE): Map<string, Held> {
  const out = new Map<string, Held>();
  for (const repo of plan.repos) {
    const pkg = repo.packages[key];
    if (!pkg) continue;
    for (const v of Object.values(pkg.versions)) {
      if (!out.has(v.version) && statuses.has(v.status)) out.set(v.version, { repo, pkg, version: v });
    }
  }
  return out;
}

export function ensurePackage(repo: Repository, format: Format, namespace: string | undefined, name: string): Package {
  const key = packageKey(format, namespace, name);
  let pkg = repo.packages[key];
  if (!pkg) {
    pkg = { format, namespace, name, originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } }, versions: {} };
    repo.packages[key] = pkg;
  }
  return pkg;
}

function cloneVersion(v: PackageVersion): PackageVersion {
  return JSON.parse(JSON.stringify(v)) as PackageVersion;
}

/** Copies a version found upstream into the repository that was asked (as AWS does on fetch). */
export function copyToRequested(rr: RegistryRequest, held: Held): void {
  if (held.repo === rr.repo) return;
  const pkg = ensurePackage(rr.repo, held.pkg.format, held.pkg.namespace, held.pkg.name);
  if (pkg.versions[held.version.version]) return;
  pkg.versions[held.version.version] = { ...cloneVersion(held.version), revision: newRevision() };
  rr.ctx.persist();
}

/** Stores an ingested version in the connection's repository as EXTERNAL. */
export function storeExternal(
  rr: RegistryRequest,
  connection: NonNullable<LookupPlan['connection']>,
  pkgId: { namespace?: string; name: string },
  version: Omit<PackageVersion, 'revision' | 'status' | 'origin'>,
): void {
  const pkg = ensurePackage(connection.repo, rr.format, pkgId.namespace, pkgId.name);
  if (pkg.versions[version.version]) return;
  pkg.versions[version.version] = {
    ...version,
    revision: newRevision(),
    status: 'Published',
    origin: { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: connection.name } },
  };
  rr.ctx.persist();
}

/** True when the package may take new versions from the public upstream into the connection's repository. */
export function upstreamAllowed(connectionRepo: Repository, key: string): boolean {
  return connectionRepo.packages[key]?.originConfiguration.restrictions.upstream !== 'BLOCK';
}

/**
 * Starts (or joins) the ingestion of one package version through `connection` and waits for it at most
 * the configured timeout; past that, throws the 404 "Ingestion is in progress" while the job goes on.
 */
export async function ingestAndWait<T>(
  rr: RegistryRequest,
  connection: NonNullable<LookupPlan['connection']>,
  name: string,
  version: string,
  fetch: () => Promise<T>,
  commit: (value: T) => void,
): Promise<void> {
  const delay = rr.dp.publicSource().ingestionDelayMs(rr.format, name) ?? rr.ctx.options.ingestionDelayMs;
  const key = `${rr.domain.owner}/${rr.domain.name}/${connection.repo.name}/${rr.format}/${name}@${version}`;
  const job = rr.dp.ingestion.start(key, delay, fetch, commit);
  let result;
  try {
    result = await rr.dp.ingestion.wait(job, rr.ctx.options.ingestionTimeoutMs);
  } catch (e) {
    throw new RegistryError(502, `Fetching ${name}@${version} from ${connection.name} failed: ${(e as Error).message}`, { reasonPhrase: 'Bad Gateway' });
  }
  if (result === 'timeout') {
    // npm prints the body's error after its own "404 Not Found - GET url"; pip and Maven print the reason phrase.
    throw new RegistryError(404, INGESTION_IN_PROGRESS, rr.format === 'npm' ? {} : { reasonPhrase: INGESTION_IN_PROGRESS });
  }
}

export function nowEpoch(rr: RegistryRequest): number {
  return nowSeconds(rr.ctx.clock);
}
