// What the three registries (npm, PyPI, Maven) share: the request they are handed, registry errors,
// the lookup through upstreams, copying a version into the repository asked, and waiting for
// ingestion. A leaf below ../dataPlane (which routes to the registries): it never imports a registry.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from '../context';
import type { IngestionManager } from '../ingestion';
import { externalUpstreamAllowed, internalUpstreamAllowed } from '../governance';
import type { PublicSource } from '../publicRegistry';
import {
  dict,
  EXTERNAL_CONNECTIONS,
  getBlob,
  newRevision,
  nowSeconds,
  packageKey,
  putBlob,
  type Domain,
  type Format,
  type Package,
  type PackageVersion,
  type Repository,
} from '../state';

export interface DataPlane {
  ctx: EmulatorContext;
  ingestion: IngestionManager;
  /** The public upstreams as configured right now (fake by default; ctx.options.upstreams picks real ones). */
  publicSource(): PublicSource;
  close(): void;
}

export type RegistryFormat = 'npm' | 'pypi' | 'maven' | 'ruby' | 'cargo' | 'nuget' | 'swift';

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

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new RegistryError(400, `Bad percent-encoding in "${s}"`);
  }
}

export function sendRegistryError(res: ServerResponse, format: RegistryFormat, e: RegistryError): void {
  const headers: Record<string, string> = { ...e.opts.headers };
  let body: string;
  if (format === 'npm') {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify({ error: e.message });
  } else if (format === 'cargo') {
    // The Cargo registry web API's error form, which cargo prints.
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify({ errors: [{ detail: e.message }] });
  } else if (format === 'swift') {
    // SE-0292: problem details (RFC 7807) and the API version of every answer.
    headers['Content-Type'] = 'application/problem+json';
    headers['Content-Version'] = '1';
    body = JSON.stringify({ detail: e.message });
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
  if (declared > limit) {
    throw new RegistryError(413, `Request body of ${declared} bytes is larger than the limit of ${limit} bytes`, {
      reasonPhrase: 'Payload Too Large',
      headers: { Connection: 'close' },
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of rr.req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new RegistryError(413, `Request body is larger than the limit of ${limit} bytes`, { reasonPhrase: 'Payload Too Large', headers: { Connection: 'close' } });
    }
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
 * Origin governance (../governance.ts) prunes it: a repository whose package upstream restriction is
 * BLOCK takes nothing from further up; one whose package group blocks EXTERNAL_UPSTREAM for it does not
 * use its external connection, one blocked INTERNAL_UPSTREAM does not walk its upstreams.
 */
export function lookupPlan(domain: Domain, start: Repository, key: string, format: RegistryFormat): LookupPlan {
  const repos: Repository[] = [];
  const seen = new Set<string>();
  let connection: LookupPlan['connection'];
  const visit = (repo: Repository | undefined): void => {
    if (!repo || seen.has(repo.name) || repos.length >= 25) return;
    seen.add(repo.name);
    repos.push(repo);
    if (!connection && repo.externalConnection && EXTERNAL_CONNECTIONS[repo.externalConnection] === format && externalUpstreamAllowed(domain, repo, key)) {
      connection = { repo, name: repo.externalConnection };
    }
    if (!internalUpstreamAllowed(domain, repo, key)) return;
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
    pkg = { format, namespace, name, originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } }, versions: dict() };
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
export function upstreamAllowed(domain: Domain, connectionRepo: Repository, key: string): boolean {
  return externalUpstreamAllowed(domain, connectionRepo, key);
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
  /** The package's own delay, for registries whose fake public source lives outside PublicSource (ruby). */
  delayMs?: number,
): Promise<void> {
  const fromSource = rr.format === 'ruby' ? undefined : rr.dp.publicSource().ingestionDelayMs(rr.format, name);
  const delay = delayMs ?? fromSource ?? rr.ctx.options.ingestionDelayMs;
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

/** A version a fake public registry offers as one file (Cargo's .crate, NuGet's .nupkg). */
export interface PublicSingleFile {
  publishedTime: number;
  assetName: string;
  data: Buffer;
  summary?: string;
  metadata: Record<string, unknown>;
}

/**
 * The version through the walk, ingesting it first from the external connection when the walk holds
 * none and `pub` offers it; then copied into the repository asked, with the bytes of its one file.
 * Throws 404 when nothing has it (or the "Ingestion is in progress" 404 of ingestAndWait).
 */
export async function singleFileVersion(rr: RegistryRequest, plan: LookupPlan, key: string, name: string, version: string, pub: PublicSingleFile | undefined): Promise<Buffer> {
  let held = findHeld(plan, key, version);
  const connection = plan.connection;
  if (!held && connection && pub) {
    const commit = (data: Buffer): void =>
      storeExternal(
        rr,
        connection,
        { name },
        { version, publishedTime: pub.publishedTime, summary: pub.summary, assets: [putBlob(rr.ctx.state, pub.assetName, data)], metadata: pub.metadata },
      );
    await ingestAndWait(rr, connection, name, version, () => Promise.resolve(pub.data), commit);
    held = findHeld(plan, key, version);
  }
  if (!held) throw new RegistryError(404, 'Not Found', { reasonPhrase: 'Not Found' });
  copyToRequested(rr, held);
  const data = held.version.assets[0] && getBlob(rr.ctx.state, held.version.assets[0]);
  if (!data) throw new RegistryError(404, `${name} ${version} has no file`, { reasonPhrase: 'Not Found' });
  return data;
}

/** Yank (Cargo) or unlist (NuGet): the version of this repository becomes Unlisted, or Published again. */
export function setListed(rr: RegistryRequest, key: string, version: string, listed: boolean): void {
  const v = rr.repo.packages[key]?.versions[version];
  if (!v || (v.status !== 'Published' && v.status !== 'Unlisted')) throw new RegistryError(404, `Version ${version} is not in ${rr.repo.name}`, { reasonPhrase: 'Not Found' });
  v.status = listed ? 'Published' : 'Unlisted';
  v.revision = newRevision();
  rr.ctx.persist();
}
