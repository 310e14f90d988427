// The emulator's data model: domains, repositories, packages, versions, assets, issued tokens.
// Shared by the control plane (/v1/...) and the registries (/{format}/d/...). Everything the emulator
// knows lives in one EmulatorState object, which can be persisted (--state FILE) as JSON.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const FORMATS = ['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo'] as const;
export type Format = (typeof FORMATS)[number];

export const VERSION_STATUSES = ['Published', 'Unfinished', 'Unlisted', 'Archived', 'Disposed', 'Deleted'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export type OriginType = 'INTERNAL' | 'EXTERNAL' | 'UNKNOWN';
export type Restriction = 'ALLOW' | 'BLOCK';

export const ORIGIN_RESTRICTION_TYPES = ['EXTERNAL_UPSTREAM', 'INTERNAL_UPSTREAM', 'PUBLISH'] as const;
export type OriginRestrictionType = (typeof ORIGIN_RESTRICTION_TYPES)[number];
export const ORIGIN_RESTRICTION_MODES = ['ALLOW', 'ALLOW_SPECIFIC_REPOSITORIES', 'BLOCK', 'INHERIT'] as const;
export type OriginRestrictionMode = (typeof ORIGIN_RESTRICTION_MODES)[number];

/** A package group of a domain (see ./groups.ts for the pattern syntax, matching and inheritance). */
export interface PackageGroup {
  /** The pattern as given (already in normalised form), e.g. `/npm/space/*`. */
  pattern: string;
  /** Epoch seconds. */
  createdTime: number;
  contactInfo?: string;
  description?: string;
  /** The modes as set; the root group never has INHERIT. */
  restrictions: Record<OriginRestrictionType, OriginRestrictionMode>;
  /** The allowed-repository list of each restriction type. */
  allowedRepositories: Record<OriginRestrictionType, string[]>;
  tags?: { key: string; value: string }[];
}

/**
 * An empty map keyed by names that come from requests and seeds. No prototype, so a repository, domain, package or
 * version named `toString`, `constructor`, `hasOwnProperty` or `__proto__` is a key like any other.
 */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `entries` copied into a dict(). */
export function withoutPrototype<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(dict<T>(), entries);
}

/** External connection name -> package format, as the service defines them. */
export const EXTERNAL_CONNECTIONS: Record<string, Format> = withoutPrototype({
  'public:npmjs': 'npm',
  'public:pypi': 'pypi',
  'public:maven-central': 'maven',
  'public:maven-googleandroid': 'maven',
  'public:maven-gradleplugins': 'maven',
  'public:maven-commonsware': 'maven',
  'public:maven-clojars': 'maven',
  'public:nuget-org': 'nuget',
  'public:ruby-gems-org': 'ruby',
  'public:crates-io': 'cargo',
});

export interface AssetHashes {
  MD5: string;
  'SHA-1': string;
  'SHA-256': string;
  'SHA-512': string;
}

export interface Asset {
  name: string;
  size: number;
  hashes: AssetHashes;
}

export interface Origin {
  originType: OriginType;
  domainEntryPoint?: { repositoryName?: string; externalConnectionName?: string };
}

export interface PackageVersion {
  version: string;
  revision: string;
  status: VersionStatus;
  /** Epoch seconds. */
  publishedTime: number;
  origin: Origin;
  /** Asset metadata; the bytes are in EmulatorState.blobs keyed by SHA-256. */
  assets: Asset[];
  readme?: string;
  summary?: string;
  homePage?: string;
  sourceCodeRepository?: string;
  licenses?: { name: string; url?: string }[];
  /** Declared dependencies (npm: name -> range; others: free-form), used by the data plane. */
  dependencies?: Record<string, string>;
  /** Format-specific metadata kept by the registries (e.g. the npm version manifest). */
  metadata?: Record<string, unknown>;
}

export interface Package {
  format: Format;
  /** npm scope without '@', Maven groupId; absent for PyPI. */
  namespace?: string;
  name: string;
  originConfiguration: { restrictions: { publish: Restriction; upstream: Restriction } };
  /** npm dist-tags (tag -> version). */
  distTags?: Record<string, string>;
  versions: Record<string, PackageVersion>;
}

/** A resource policy (Put/Get/DeleteDomainPermissionsPolicy and the repository ones), enforced by ./auth.ts when the seed declares principals. */
export interface StoredPolicy {
  document: string;
  revision: string;
}

export interface Repository {
  name: string;
  description?: string;
  administratorAccount: string;
  createdTime: number;
  /** Ordered: order is priority. */
  upstreams: string[];
  externalConnection?: string;
  tags?: { key: string; value: string }[];
  policy?: StoredPolicy;
  /** Keyed by packageKey(). */
  packages: Record<string, Package>;
}

export interface Domain {
  name: string;
  owner: string;
  createdTime: number;
  encryptionKey: string;
  status: 'Active' | 'Deleted';
  tags?: { key: string; value: string }[];
  policy?: StoredPolicy;
  repositories: Record<string, Repository>;
  /** Keyed by pattern; the root group `/*` is added on first use when absent (see ./groups.ts). */
  packageGroups?: Record<string, PackageGroup>;
}

export interface Principal {
  accessKeyId: string;
  /** IAM-style action patterns, e.g. "codeartifact:List*". */
  allow: string[];
}

export interface IssuedToken {
  token: string;
  domain: string;
  owner: string;
  /** Epoch seconds. */
  expiration: number;
  accessKeyId?: string;
}

export interface EmulatorState {
  accountId: string;
  region: string;
  principals: Principal[];
  /** Keyed by `${owner}/${name}`. */
  domains: Record<string, Domain>;
  tokens: Record<string, IssuedToken>;
  /** Asset bytes keyed by SHA-256 hex, base64 in the state file. */
  blobs: Record<string, string>;
  /** Seed-level settings the data plane reads (public upstream fixtures, per-package ingestion delays). */
  extra: Record<string, unknown>;
}

// ---- names and keys -------------------------------------------------------------------------

export const DOMAIN_NAME = /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/;
export const REPOSITORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/;
export const PACKAGE_PART = /^[^#/\s]{1,255}$/;
export const ACCOUNT_ID = /^[0-9]{12}$/;

export function domainKey(owner: string, name: string): string {
  return `${owner}/${name}`;
}

/** PEP 503 normalisation, which CodeArtifact applies to PyPI names. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Key of a package inside a repository, chosen so that a plain string sort gives the listing order
 * (format, namespace, name). \u0000 separates parts so "a" sorts before "a-b".
 */
export function packageKey(format: Format, namespace: string | undefined, name: string): string {
  return `${format}\u0000${namespace ?? ''}\u0000${name}`;
}

export function nowSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}

/** A clock the tests can move forward (token expiry) without waiting. */
export class Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

export function toEpochSeconds(value: string | number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new SeedError(`${field}: "${value}" is not a date (use ISO 8601, e.g. 2026-01-02T03:04:05Z)`);
  return Math.floor(ms / 1000);
}

export function hashesOf(data: Buffer): AssetHashes {
  const h = (alg: string) => createHash(alg).update(data).digest('hex');
  return { MD5: h('md5'), 'SHA-1': h('sha1'), 'SHA-256': h('sha256'), 'SHA-512': h('sha512') };
}

/** Stores bytes as a blob and returns the asset record describing them. */
export function putBlob(state: EmulatorState, name: string, data: Buffer): Asset {
  const hashes = hashesOf(data);
  state.blobs[hashes['SHA-256']] = data.toString('base64');
  return { name, size: data.length, hashes };
}

export function getBlob(state: EmulatorState, asset: Asset): Buffer | undefined {
  const b64 = state.blobs[asset.hashes['SHA-256']];
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64');
}

export function newRevision(): string {
  // Revisions are opaque base64-ish strings in AWS.
  return createHash('sha256').update(`${Date.now()}-${Math.random()}`).digest('base64').slice(0, 44);
}

// ---- seed -----------------------------------------------------------------------------------

export class SeedError extends Error {}

export interface SeedVersion {
  version: string;
  status?: VersionStatus;
  publishedTime?: string | number;
  dependencies?: Record<string, string>;
  readme?: string;
  summary?: string;
  homePage?: string;
  licenses?: { name: string; url?: string }[];
}
export interface SeedPackage {
  format: Format;
  namespace?: string;
  name: string;
  originConfiguration?: { restrictions?: { publish?: Restriction; upstream?: Restriction } };
  distTags?: Record<string, string>;
  versions?: SeedVersion[];
}
/** `tags` of a seeded domain or repository: at most 50, keys 1..128 characters not starting with "aws:", values 0..256. */
type SeedTags = { key: string; value: string }[];
/** `permissionsPolicy` of a seeded domain or repository: the policy document, as a JSON object or its text. */
type SeedPolicy = Record<string, unknown> | string;

export interface SeedRepository {
  name: string;
  description?: string;
  tags?: SeedTags;
  permissionsPolicy?: SeedPolicy;
  administratorAccount?: string;
  upstreams?: string[];
  externalConnection?: string;
  packages?: SeedPackage[];
  /** Generate N synthetic npm packages (for paging tests and the demo): `{count, format?, prefix?, namespace?}`. */
  generatedPackages?: { count: number; format?: Format; prefix?: string; namespace?: string };
}
export interface SeedPackageGroup {
  pattern: string;
  description?: string;
  contactInfo?: string;
  /** Restriction type -> mode, e.g. `{ "EXTERNAL_UPSTREAM": "BLOCK" }`; unset types INHERIT (ALLOW on `/*`). */
  restrictions?: Partial<Record<OriginRestrictionType, OriginRestrictionMode>>;
  /** Restriction type -> repository names of its allowed-repository list. */
  allowedRepositories?: Partial<Record<OriginRestrictionType, string[]>>;
}
export interface SeedDomain {
  name: string;
  owner?: string;
  tags?: SeedTags;
  permissionsPolicy?: SeedPolicy;
  encryptionKey?: string;
  repositories?: SeedRepository[];
  /** Package groups besides the root `/*` (which every domain has; list it here to set its restrictions). */
  packageGroups?: SeedPackageGroup[];
}
export interface Seed {
  accountId?: string;
  region?: string;
  principals?: Principal[];
  domains?: SeedDomain[];
  [extra: string]: unknown;
}

function fail(path: string, msg: string): never {
  throw new SeedError(`${path}: ${msg}`);
}

function expectString(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(path, `expected a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function seedTags(v: unknown, path: string): { key: string; value: string }[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) fail(path, 'expected an array of {"key", "value"}');
  if (v.length > 50) fail(path, `at most 50 tags, got ${v.length}`);
  const seen = new Set<string>();
  return v.map((t: unknown, i) => {
    const key = expectString((t as { key?: unknown })?.key, `${path}[${i}].key`);
    if (key.length > 128) fail(`${path}[${i}].key`, `at most 128 characters, got ${key.length}`);
    if (key.toLowerCase().startsWith('aws:')) fail(`${path}[${i}].key`, `"${key}": keys starting with "aws:" are reserved`);
    if (seen.has(key)) fail(`${path}[${i}].key`, `"${key}" is given twice`);
    seen.add(key);
    const value = (t as { value?: unknown }).value;
    if (typeof value !== 'string') fail(`${path}[${i}].value`, `expected a string, got ${JSON.stringify(value)}`);
    if (value.length > 256) fail(`${path}[${i}].value`, `at most 256 characters, got ${value.length}`);
    return { key, value };
  });
}

function seedPolicy(v: unknown, path: string): StoredPolicy | undefined {
  if (v === undefined) return undefined;
  let parsed: unknown = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v);
    } catch (e) {
      fail(path, `not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(path, 'expected a policy document (a JSON object, or its text)');
  const document = typeof v === 'string' ? v : JSON.stringify(v);
  if (document.length > 7168) fail(path, `at most 7168 characters, got ${document.length}`);
  const statements = (parsed as { Statement?: unknown }).Statement;
  if (!Array.isArray(statements) && (typeof statements !== 'object' || statements === null)) fail(`${path}.Statement`, 'expected a statement or an array of statements');
  (Array.isArray(statements) ? statements : [statements]).forEach((st: unknown, i) => {
    const effect = (st as { Effect?: unknown })?.Effect;
    if (effect !== 'Allow' && effect !== 'Deny') fail(`${path}.Statement[${i}].Effect`, `expected "Allow" or "Deny", got ${JSON.stringify(effect)}`);
  });
  return { document, revision: newRevision() };
}

/** Builds a fresh state from a seed, validating every field; errors name the JSON path. */
export function stateFromSeed(seedInput: unknown, clock: Clock, source = 'seed'): EmulatorState {
  if (typeof seedInput !== 'object' || seedInput === null || Array.isArray(seedInput)) fail(source, 'the seed must be a JSON object');
  const seed = seedInput as Seed;
  const accountId = seed.accountId === undefined ? '111122223333' : expectString(seed.accountId, `${source}.accountId`);
  if (!ACCOUNT_ID.test(accountId)) fail(`${source}.accountId`, `"${accountId}" is not a 12-digit account id`);
  const region = seed.region === undefined ? 'us-west-2' : expectString(seed.region, `${source}.region`);
  const now = nowSeconds(clock);
  const state: EmulatorState = { accountId, region, principals: [], domains: dict(), tokens: dict(), blobs: dict(), extra: dict() };

  for (const [k, v] of Object.entries(seed)) {
    if (!['accountId', 'region', 'principals', 'domains'].includes(k)) state.extra[k] = v;
  }

  if (seed.principals !== undefined) {
    if (!Array.isArray(seed.principals)) fail(`${source}.principals`, 'expected an array');
    seed.principals.forEach((p, i) => {
      const path = `${source}.principals[${i}]`;
      const accessKeyId = expectString(p?.accessKeyId, `${path}.accessKeyId`);
      if (!Array.isArray(p.allow) || p.allow.some((a) => typeof a !== 'string')) fail(`${path}.allow`, 'expected an array of action patterns such as "codeartifact:List*"');
      state.principals.push({ accessKeyId, allow: [...p.allow] });
    });
  }

  if (seed.domains !== undefined && !Array.isArray(seed.domains)) fail(`${source}.domains`, 'expected an array');
  (seed.domains ?? []).forEach((d, di) => {
    const dpath = `${source}.domains[${di}]`;
    const name = expectString(d?.name, `${dpath}.name`);
    if (!DOMAIN_NAME.test(name)) fail(`${dpath}.name`, `"${name}" is not a valid domain name (${DOMAIN_NAME.source})`);
    const owner = d.owner === undefined ? accountId : expectString(d.owner, `${dpath}.owner`);
    if (!ACCOUNT_ID.test(owner)) fail(`${dpath}.owner`, `"${owner}" is not a 12-digit account id`);
    const key = domainKey(owner, name);
    if (state.domains[key]) fail(`${dpath}.name`, `domain "${name}" is declared twice`);
    const domain: Domain = {
      name,
      owner,
      createdTime: now,
      encryptionKey: d.encryptionKey ?? `arn:aws:kms:${region}:${owner}:key/00000000-0000-0000-0000-000000000000`,
      status: 'Active',
      repositories: dict(),
      tags: seedTags(d.tags, `${dpath}.tags`),
      policy: seedPolicy(d.permissionsPolicy, `${dpath}.permissionsPolicy`),
    };
    state.domains[key] = domain;
    if (d.repositories !== undefined && !Array.isArray(d.repositories)) fail(`${dpath}.repositories`, 'expected an array');
    (d.repositories ?? []).forEach((r, ri) => {
      const rpath = `${dpath}.repositories[${ri}]`;
      const rname = expectString(r?.name, `${rpath}.name`);
      if (!REPOSITORY_NAME.test(rname)) fail(`${rpath}.name`, `"${rname}" is not a valid repository name`);
      if (domain.repositories[rname]) fail(`${rpath}.name`, `repository "${rname}" is declared twice`);
      if (r.externalConnection !== undefined && !(r.externalConnection in EXTERNAL_CONNECTIONS)) {
        fail(`${rpath}.externalConnection`, `"${r.externalConnection}" is not an external connection (${Object.keys(EXTERNAL_CONNECTIONS).join(', ')})`);
      }
      if (r.upstreams !== undefined && (!Array.isArray(r.upstreams) || r.upstreams.some((u) => typeof u !== 'string'))) {
        fail(`${rpath}.upstreams`, 'expected an array of repository names');
      }
      if ((r.upstreams?.length ?? 0) > 10) fail(`${rpath}.upstreams`, 'at most 10 upstreams');
      const repo: Repository = {
        name: rname,
        description: r.description,
        administratorAccount: r.administratorAccount ?? owner,
        createdTime: now,
        upstreams: [...(r.upstreams ?? [])],
        externalConnection: r.externalConnection,
        tags: seedTags(r.tags, `${rpath}.tags`),
        policy: seedPolicy(r.permissionsPolicy, `${rpath}.permissionsPolicy`),
        packages: dict(),
      };
      domain.repositories[rname] = repo;
      if (r.packages !== undefined && !Array.isArray(r.packages)) fail(`${rpath}.packages`, 'expected an array');
      (r.packages ?? []).forEach((p, pi) => addSeedPackage(state, repo, p, `${rpath}.packages[${pi}]`, now));
      if (r.generatedPackages) {
        const g = r.generatedPackages;
        if (!Number.isInteger(g.count) || g.count < 0 || g.count > 100000) fail(`${rpath}.generatedPackages.count`, 'expected an integer 0..100000');
        const format = g.format ?? 'npm';
        if (!FORMATS.includes(format)) fail(`${rpath}.generatedPackages.format`, `"${format}" is not a format`);
        const width = String(g.count).length;
        for (let i = 0; i < g.count; i++) {
          const n = `${g.prefix ?? 'pkg'}-${String(i).padStart(width, '0')}`;
          addSeedPackage(state, repo, { format, namespace: g.namespace, name: n, versions: [{ version: '1.0.0', publishedTime: now - i }] }, `${rpath}.generatedPackages`, now);
        }
      }
    });
  });

  // Upstreams must name repositories of the same domain, with no cycles.
  for (const domain of Object.values(state.domains)) {
    for (const repo of Object.values(domain.repositories)) {
      for (const u of repo.upstreams) {
        if (!domain.repositories[u]) fail(`${source}.domains[${domain.name}].repositories[${repo.name}].upstreams`, `"${u}" is not a repository of domain "${domain.name}"`);
      }
      if (upstreamCycle(domain, repo.name, repo.upstreams)) fail(`${source}.domains[${domain.name}].repositories[${repo.name}].upstreams`, 'upstreams form a cycle');
    }
  }
  return state;
}

function addSeedPackage(state: EmulatorState, repo: Repository, p: SeedPackage, path: string, now: number): void {
  if (!FORMATS.includes(p?.format)) fail(`${path}.format`, `"${p?.format}" is not a format (${FORMATS.join(', ')})`);
  let name = expectString(p.name, `${path}.name`);
  if (!PACKAGE_PART.test(name)) fail(`${path}.name`, `"${name}" is not a valid package name`);
  if (p.namespace !== undefined) {
    expectString(p.namespace, `${path}.namespace`);
    if (!PACKAGE_PART.test(p.namespace)) fail(`${path}.namespace`, `"${p.namespace}" is not a valid namespace`);
    if (p.format === 'pypi') fail(`${path}.namespace`, 'PyPI packages have no namespace');
  }
  if (p.format === 'npm' && p.namespace?.startsWith('@')) fail(`${path}.namespace`, 'write the npm scope without "@"');
  if (p.format === 'pypi') name = normalizePypiName(name);
  // The service lower-cases Swift names and namespaces (the control plane does the same to its inputs).
  if (p.format === 'swift') name = name.toLowerCase();
  const namespace = p.format === 'swift' ? p.namespace?.toLowerCase() : p.namespace;
  const key = packageKey(p.format, namespace, name);
  const restrictions = p.originConfiguration?.restrictions ?? {};
  for (const k of ['publish', 'upstream'] as const) {
    const v = restrictions[k];
    if (v !== undefined && v !== 'ALLOW' && v !== 'BLOCK') fail(`${path}.originConfiguration.restrictions.${k}`, `"${v}" is not ALLOW or BLOCK`);
  }
  const pkg: Package = repo.packages[key] ?? {
    format: p.format,
    namespace,
    name,
    originConfiguration: { restrictions: { publish: restrictions.publish ?? 'ALLOW', upstream: restrictions.upstream ?? 'ALLOW' } },
    distTags: p.distTags ? { ...p.distTags } : undefined,
    versions: dict(),
  };
  repo.packages[key] = pkg;
  if (p.versions !== undefined && !Array.isArray(p.versions)) fail(`${path}.versions`, 'expected an array');
  (p.versions ?? []).forEach((v, vi) => {
    const vpath = `${path}.versions[${vi}]`;
    const version = expectString(v?.version, `${vpath}.version`);
    if (!PACKAGE_PART.test(version)) fail(`${vpath}.version`, `"${version}" is not a valid version`);
    const status = v.status ?? 'Published';
    if (!VERSION_STATUSES.includes(status)) fail(`${vpath}.status`, `"${status}" is not one of ${VERSION_STATUSES.join(', ')}`);
    if (v.dependencies !== undefined && (typeof v.dependencies !== 'object' || v.dependencies === null || Array.isArray(v.dependencies))) {
      fail(`${vpath}.dependencies`, 'expected an object of name -> range');
    }
    pkg.versions[version] = {
      version,
      revision: newRevision(),
      status,
      publishedTime: toEpochSeconds(v.publishedTime, `${vpath}.publishedTime`, now),
      origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: repo.name } },
      assets: [],
      readme: v.readme,
      summary: v.summary,
      homePage: v.homePage,
      licenses: v.licenses,
      dependencies: v.dependencies ? { ...v.dependencies } : undefined,
    };
  });
  void state;
}

/** True when following `upstreams` from `start` (which would get them) leads back to `start`. */
export function upstreamCycle(domain: Domain, start: string, upstreams: string[]): boolean {
  const seen = new Set<string>();
  const stack = [...upstreams];
  while (stack.length) {
    const r = stack.pop()!;
    if (r === start) return true;
    if (seen.has(r)) continue;
    seen.add(r);
    const repo = domain.repositories[r];
    if (repo) stack.push(...repo.upstreams);
  }
  return false;
}

/**
 * Repositories a lookup in `start` visits: itself, then its upstreams in order, depth-first,
 * each at most once, at most 25 in all (the service's limit).
 */
export function upstreamWalk(domain: Domain, start: string): Repository[] {
  const out: Repository[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || out.length >= 25) return;
    seen.add(name);
    const repo = domain.repositories[name];
    if (!repo) return;
    out.push(repo);
    for (const u of repo.upstreams) visit(u);
  };
  visit(start);
  return out;
}

// ---- persistence ----------------------------------------------------------------------------

export function loadStateFile(file: string): EmulatorState {
  const text = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    // Every object of the file without a prototype (see dict()): its keys are names from requests.
    parsed = JSON.parse(text, (_key, value: unknown) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) ? withoutPrototype(value as Record<string, unknown>) : value,
    );
  } catch (e) {
    throw new SeedError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const s = parsed as Partial<EmulatorState>;
  if (typeof s !== 'object' || s === null || typeof s.domains !== 'object' || typeof s.accountId !== 'string') {
    throw new SeedError(`${file}: not an emulator state file (missing accountId/domains)`);
  }
  return { principals: [], tokens: dict(), blobs: dict(), extra: dict(), region: 'us-west-2', ...s } as EmulatorState;
}

/** Writes the whole state atomically: a temporary file in the same folder, then rename. */
export function saveStateFile(file: string, state: EmulatorState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, file);
}

// ---- tokens ---------------------------------------------------------------------------------

/** How long an expired token is kept, so that it is still answered "expired" rather than "invalid". */
export const EXPIRED_TOKEN_GRACE_SECONDS = 3600;

/** Forgets tokens expired more than EXPIRED_TOKEN_GRACE_SECONDS ago (run on every issue: the map stays bounded). */
export function pruneTokens(state: EmulatorState, clock: Clock): number {
  const cutoff = nowSeconds(clock) - EXPIRED_TOKEN_GRACE_SECONDS;
  let pruned = 0;
  for (const [token, t] of Object.entries(state.tokens)) {
    if (t.expiration <= cutoff) {
      delete state.tokens[token];
      pruned++;
    }
  }
  return pruned;
}

/** Issues a URL-safe opaque token for a domain (GetAuthorizationToken); 0 or undefined duration = 12 h. */
export function issueToken(state: EmulatorState, clock: Clock, domain: Domain, durationSeconds: number | undefined, accessKeyId?: string): IssuedToken {
  const seconds = durationSeconds && durationSeconds > 0 ? durationSeconds : 43200;
  const token = randomBytes(96).toString('base64url');
  const issued: IssuedToken = { token, domain: domain.name, owner: domain.owner, expiration: nowSeconds(clock) + seconds, accessKeyId };
  pruneTokens(state, clock);
  state.tokens[token] = issued;
  return issued;
}

/** The domain a registry token is valid for, or why it is not (unknown, expired, other domain). */
export function checkToken(state: EmulatorState, clock: Clock, token: string | undefined, domain: Domain): 'ok' | 'missing' | 'unknown' | 'expired' | 'wrong-domain' {
  if (!token) return 'missing';
  const t = state.tokens[token];
  if (!t) return 'unknown';
  if (t.domain !== domain.name || t.owner !== domain.owner) return 'wrong-domain';
  if (t.expiration <= nowSeconds(clock)) return 'expired';
  return 'ok';
}
