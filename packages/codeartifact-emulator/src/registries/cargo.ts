// The Cargo registry of a repository, sparse protocol only (as the service): `config.json` (dl, api,
// auth-required), index files at the name-length paths (`1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd`), crate
// downloads (`api/v1/crates/{name}/{version}/download`), publish (`PUT api/v1/crates/new`, the
// length-prefixed JSON metadata and .crate body) and yank/unyank. `public:crates-io` is a fake,
// deterministic crates.io of two tiny crates generated here. Tokens: `Authorization: Bearer TOKEN`.
import { createHash } from 'node:crypto';
import { readTarGz, tarGz } from '../archive';
import { countCall } from '../context';
import { publishRefusal } from '../governance';
import { newRevision, packageKey, putBlob } from '../state';
import {
  ensurePackage,
  heldVersions,
  lookupPlan,
  nowEpoch,
  readRegistryBody,
  RegistryError,
  safeDecode,
  send,
  setListed,
  singleFileVersion,
  upstreamAllowed,
  type LookupPlan,
  type RegistryRequest,
} from './shared';

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** One line of an index file (the registry index format, `v` 1). */
interface IndexLine {
  name: string;
  vers: string;
  deps: { name: string; req: string; features: string[]; optional: boolean; default_features: boolean; target: string | null; kind: string; package?: string }[];
  cksum: string;
  features: Record<string, string[]>;
  yanked: boolean;
  links: string | null;
}

/** The index path of a crate: `1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd` (lower-cased). */
export function cargoIndexPath(name: string): string {
  const n = name.toLowerCase();
  if (n.length <= 2) return `${n.length}/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

function notFound(message = 'Not Found'): RegistryError {
  return new RegistryError(404, message, { reasonPhrase: 'Not Found' });
}

/** A .crate file: `{name}-{version}/Cargo.toml` and `src/lib.rs`, gzipped tar. */
export function buildCrate(name: string, version: string, description = `${name} (emulator fixture)`): Buffer {
  const dir = `${name}-${version}`;
  const toml = `[package]\nedition = "2021"\nname = "${name}"\nversion = "${version}"\ndescription = "${description}"\nlicense = "MIT"\n`;
  return tarGz([
    { path: `${dir}/Cargo.toml`, data: toml },
    { path: `${dir}/src/lib.rs`, data: `pub fn hello() -> &'static str {\n    "hello from ${name} ${version}"\n}\n` },
  ]);
}

interface PublicCrateVersion {
  line: IndexLine;
  publishedTime: number;
  data: Buffer;
}

let fakeCrates: Map<string, Record<string, PublicCrateVersion>> | undefined;

/** The fake crates.io: `tinyrand` 0.1.0 and 0.2.0, `tinylog` 1.0.0 depending on `tinyrand ^0.2`. */
function publicCrates(): Map<string, Record<string, PublicCrateVersion>> {
  if (fakeCrates) return fakeCrates;
  const base = Date.parse('2024-01-01T00:00:00Z') / 1000;
  const spec: [string, string, IndexLine['deps']][] = [
    ['tinyrand', '0.1.0', []],
    ['tinyrand', '0.2.0', []],
    ['tinylog', '1.0.0', [{ name: 'tinyrand', req: '^0.2', features: [], optional: false, default_features: true, target: null, kind: 'normal' }]],
  ];
  fakeCrates = new Map();
  spec.forEach(([name, vers, deps], i) => {
    const data = buildCrate(name, vers);
    const cksum = createHash('sha256').update(data).digest('hex');
    const versions = fakeCrates!.get(name) ?? {};
    versions[vers] = { line: { name, vers, deps, cksum, features: {}, yanked: false, links: null }, publishedTime: base + i * 86400, data };
    fakeCrates!.set(name, versions);
  });
  return fakeCrates;
}

function publicCrate(rr: RegistryRequest, plan: LookupPlan, key: string, name: string): Record<string, PublicCrateVersion> | undefined {
  if (!plan.connection || !upstreamAllowed(rr.domain, plan.connection.repo, key)) return undefined;
  return publicCrates().get(name);
}

export async function handleCargo(rr: RegistryRequest): Promise<void> {
  const method = rr.req.method ?? 'GET';
  const segs = rr.rest.split('/').map(safeDecode);
  if (segs[0] === 'api' && segs[1] === 'v1' && segs[2] === 'crates') {
    if (segs.length === 4 && segs[3] === 'new') {
      if (method !== 'PUT') throw new RegistryError(405, `Method ${method} not allowed here`);
      return publish(rr);
    }
    if (segs.length === 6 && segs[5] === 'download' && (method === 'GET' || method === 'HEAD')) return download(rr, segs[3], segs[4]);
    if (segs.length === 6 && ((segs[5] === 'yank' && method === 'DELETE') || (segs[5] === 'unyank' && method === 'PUT'))) return yank(rr, segs[3], segs[4], segs[5] === 'yank');
    throw notFound(`No Cargo route for ${method} /${rr.rest}`);
  }
  if (method !== 'GET' && method !== 'HEAD') throw new RegistryError(405, `Method ${method} not allowed here`);
  if (rr.rest === 'config.json') {
    countCall(rr.ctx, 'cargo:config');
    const body = { dl: `${rr.endpoint}api/v1/crates`, api: rr.endpoint.replace(/\/$/, ''), 'auth-required': true };
    return send(rr.res, 200, JSON.stringify(body), 'application/json');
  }
  const name = segs[segs.length - 1];
  if (!NAME.test(name) || cargoIndexPath(name) !== segs.join('/').toLowerCase()) throw notFound(`No Cargo route for /${rr.rest}`);
  return indexFile(rr, name.toLowerCase());
}

function indexFile(rr: RegistryRequest, name: string): void {
  countCall(rr.ctx, 'cargo:index');
  const key = packageKey('cargo', undefined, name);
  const plan = lookupPlan(rr.domain, rr.repo, key, 'cargo');
  const held = heldVersions(plan, key);
  const lines = new Map<string, IndexLine>();
  for (const h of held.values()) {
    const line = h.version.metadata?.index as IndexLine | undefined;
    if (line) lines.set(h.version.version, { ...line, yanked: h.version.status !== 'Published' });
  }
  for (const v of Object.values(publicCrate(rr, plan, key, name) ?? {})) if (!lines.has(v.line.vers)) lines.set(v.line.vers, v.line);
  if (lines.size === 0) throw notFound();
  const body = [...lines.values()].map((l) => JSON.stringify(l)).join('\n') + '\n';
  send(rr.res, 200, body, 'text/plain; charset=utf-8');
}

async function download(rr: RegistryRequest, rawName: string, version: string): Promise<void> {
  countCall(rr.ctx, 'cargo:download');
  const name = rawName.toLowerCase();
  const key = packageKey('cargo', undefined, name);
  const plan = lookupPlan(rr.domain, rr.repo, key, 'cargo');
  const pub = publicCrate(rr, plan, key, name)?.[version];
  const data = await singleFileVersion(
    rr,
    plan,
    key,
    name,
    version,
    pub && { publishedTime: pub.publishedTime, assetName: `${name}-${version}.crate`, data: pub.data, summary: `${name} (emulator fixture)`, metadata: { index: pub.line } },
  );
  send(rr.res, 200, data, 'application/gzip');
}

interface PublishDep {
  name?: string;
  version_req?: string;
  features?: string[];
  optional?: boolean;
  default_features?: boolean;
  target?: string | null;
  kind?: string;
  registry?: string | null;
  explicit_name_in_toml?: string | null;
}

interface PublishMeta {
  name?: string;
  vers?: string;
  deps?: PublishDep[];
  features?: Record<string, string[]>;
  description?: string | null;
  homepage?: string | null;
  repository?: string | null;
  readme?: string | null;
  license?: string | null;
  links?: string | null;
}

function bad(message: string): RegistryError {
  return new RegistryError(400, message, { reasonPhrase: 'Bad Request' });
}

/** Splits the publish body: u32 LE JSON length, JSON, u32 LE crate length, crate. */
function splitPublishBody(body: Buffer): { meta: PublishMeta; crate: Buffer } {
  if (body.length < 4) throw bad('Malformed publish body');
  const jsonLen = body.readUInt32LE(0);
  if (4 + jsonLen + 4 > body.length) throw bad('Malformed publish body: metadata length past the end');
  let meta: PublishMeta;
  try {
    meta = JSON.parse(body.subarray(4, 4 + jsonLen).toString('utf8')) as PublishMeta;
  } catch {
    throw bad('Malformed publish body: metadata is not JSON');
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw bad('Malformed publish body: metadata is not an object');
  const crateLen = body.readUInt32LE(4 + jsonLen);
  const start = 8 + jsonLen;
  if (start + crateLen !== body.length) throw bad('Malformed publish body: crate length does not match');
  return { meta, crate: body.subarray(start) };
}

async function publish(rr: RegistryRequest): Promise<void> {
  countCall(rr.ctx, 'cargo:publish');
  const { meta, crate } = splitPublishBody(await readRegistryBody(rr));
  const rawName = meta.name;
  const version = meta.vers;
  if (typeof rawName !== 'string' || !NAME.test(rawName)) throw bad('Missing or invalid crate name');
  if (typeof version !== 'string' || !VERSION.test(version)) throw bad('Missing or invalid version');
  if (meta.deps !== undefined && !Array.isArray(meta.deps)) throw bad('deps must be an array');
  let files: { path: string }[];
  try {
    files = readTarGz(crate, rr.ctx.options.maxBodyBytes);
  } catch (e) {
    throw bad(`Invalid .crate file: ${(e as Error).message}`);
  }
  if (!files.some((f) => f.path === `${rawName}-${version}/Cargo.toml`)) throw bad(`The .crate file has no ${rawName}-${version}/Cargo.toml`);
  const name = rawName.toLowerCase();
  const key = packageKey('cargo', undefined, name);
  const refusal = publishRefusal(rr.domain, rr.repo, key);
  if (refusal) throw new RegistryError(403, `Publishing ${name} to ${rr.repo.name} is ${refusal}`, { reasonPhrase: 'Forbidden' });
  if (rr.repo.packages[key]?.versions[version]) {
    throw new RegistryError(409, `crate version \`${rawName}@${version}\` already exists in ${rr.repo.name}`, { reasonPhrase: 'Conflict' });
  }
  const deps: IndexLine['deps'] = (meta.deps ?? []).map((d) => {
    if (typeof d?.name !== 'string' || typeof d.version_req !== 'string') throw bad('Every dependency needs name and version_req');
    const dep: IndexLine['deps'][number] = {
      name: d.explicit_name_in_toml ?? d.name,
      req: d.version_req,
      features: Array.isArray(d.features) ? d.features : [],
      optional: d.optional === true,
      default_features: d.default_features !== false,
      target: d.target ?? null,
      kind: d.kind ?? 'normal',
    };
    if (d.explicit_name_in_toml) dep.package = d.name;
    return dep;
  });
  const cksum = createHash('sha256').update(crate).digest('hex');
  const line: IndexLine = { name: rawName, vers: version, deps, cksum, features: meta.features ?? {}, yanked: false, links: meta.links ?? null };
  const pkg = ensurePackage(rr.repo, 'cargo', undefined, name);
  pkg.versions[version] = {
    version,
    revision: newRevision(),
    status: 'Published',
    publishedTime: nowEpoch(rr),
    origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: rr.repo.name } },
    assets: [putBlob(rr.ctx.state, `${name}-${version}.crate`, crate)],
    summary: meta.description ?? undefined,
    homePage: meta.homepage ?? undefined,
    sourceCodeRepository: meta.repository ?? undefined,
    licenses: meta.license ? [{ name: meta.license }] : undefined,
    dependencies: Object.fromEntries(deps.map((d) => [d.package ?? d.name, d.req])),
    metadata: { index: line },
  };
  rr.ctx.persist();
  send(rr.res, 200, JSON.stringify({ warnings: { invalid_categories: [], invalid_badges: [], other: [] } }), 'application/json');
}

function yank(rr: RegistryRequest, rawName: string, version: string, yanked: boolean): void {
  countCall(rr.ctx, 'cargo:yank');
  setListed(rr, packageKey('cargo', undefined, rawName.toLowerCase()), version, !yanked);
  send(rr.res, 200, JSON.stringify({ ok: true }), 'application/json');
}
