// The npm registry of a repository: packuments, tarballs, publish (PUT), dist-tags, whoami/ping.
// Packuments merge the versions held along the upstream walk with the versions the public upstream
// offers (not yet ingested); fetching a tarball of a public-only version ingests it.
import { publishRefusal } from '../governance';
import * as semver from 'semver';
import { readTarGz } from '../archive';
import {
  copyToRequested,
  ensurePackage,
  findHeld,
  heldVersions,
  ingestAndWait,
  lookupPlan,
  nowEpoch,
  readRegistryBody,
  RegistryError,
  safeDecode,
  send,
  storeExternal,
  upstreamAllowed,
  type Held,
  type LookupPlan,
  type RegistryRequest,
} from './shared';
import type { NpmManifest, PublicNpmPackage, PublicNpmVersion } from '../publicRegistry';
import { countCall } from '../context';
import { dict, getBlob, newRevision, packageKey, putBlob, type Asset } from '../state';
import { buildNpmTarball, npmTarballName } from './build';

/**
 * The control-plane name of an npm version's one asset. The service calls it `package.tgz` whatever the package
 * (ListPackageVersionAssets, GetPackageVersionAsset); only the registry's tarball URL uses `{base}-{version}.tgz`.
 */
const NPM_ASSET = 'package.tgz';

const NAME = /^(?:@([a-z0-9][a-z0-9._~-]*)\/)?([a-z0-9._~-][a-z0-9._~-]*)$/i;
const VERSION = /^[0-9A-Za-z.+-]{1,128}$/;

interface NpmName {
  full: string;
  namespace?: string;
  base: string;
  key: string;
}

function parseName(full: string): NpmName {
  const m = NAME.exec(full);
  if (!m || full.length > 214) throw new RegistryError(400, `Invalid package name "${full}"`);
  return { full, namespace: m[1], base: m[2], key: packageKey('npm', m[1], m[2]) };
}

/** Splits the path after the repository into a package name and what follows it. */
function splitNamePath(rest: string): { name: NpmName; tail: string[] } {
  const segs = rest.split('/').map(safeDecode);
  let full: string;
  let tail: string[];
  if (segs[0].includes('/')) {
    full = segs[0];
    tail = segs.slice(1);
  } else if (segs[0].startsWith('@')) {
    full = `${segs[0]}/${segs[1] ?? ''}`;
    tail = segs.slice(2);
  } else {
    full = segs[0];
    tail = segs.slice(1);
  }
  return { name: parseName(full), tail };
}

function b64FromHex(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

export async function handleNpm(rr: RegistryRequest): Promise<void> {
  const method = rr.req.method ?? 'GET';
  const rest = rr.rest;
  if (rest === '-/ping') return send(rr.res, 200, '{}', 'application/json');
  if (rest === '-/whoami') return send(rr.res, 200, JSON.stringify({ username: 'aws' }), 'application/json');
  if (rest.startsWith('-/package/')) return distTags(rr, rest.slice('-/package/'.length));
  if (rest === '' || rest.startsWith('-/')) throw new RegistryError(404, `No npm route for ${method} /${rest}`);
  const { name, tail } = splitNamePath(rest);
  if (tail.length === 0 && (method === 'GET' || method === 'HEAD')) return packument(rr, name);
  if (tail.length === 0 && method === 'PUT') return publish(rr, name);
  if (tail.length === 2 && tail[0] === '-' && (method === 'GET' || method === 'HEAD')) return tarball(rr, name, tail[1]);
  throw new RegistryError(method === 'GET' ? 404 : 405, `No npm route for ${method} /${rest}`);
}

function publicUsable(rr: RegistryRequest, plan: LookupPlan, name: NpmName): Promise<PublicNpmPackage | undefined> {
  if (!plan.connection || !upstreamAllowed(rr.domain, plan.connection.repo, name.key)) return Promise.resolve(undefined);
  return rr.dp.publicSource().npm(name.full);
}

/** The tarball asset of a held version; seeded versions without assets get a synthesised one. */
function ensureTarball(rr: RegistryRequest, name: NpmName, held: Held): { asset: Asset; manifest: NpmManifest } {
  const v = held.version;
  const manifest = (v.metadata?.manifest as NpmManifest | undefined) ?? {
    name: name.full,
    version: v.version,
    ...(v.summary ? { description: v.summary } : {}),
    ...(v.dependencies && Object.keys(v.dependencies).length ? { dependencies: { ...v.dependencies } } : {}),
  };
  let asset = v.assets.find((a) => a.name.endsWith('.tgz'));
  if (!asset) {
    const data = buildNpmTarball(manifest, v.readme);
    asset = putBlob(rr.ctx.state, NPM_ASSET, data);
    v.assets.push(asset);
    rr.ctx.persist();
  }
  return { asset, manifest };
}

function tarballUrl(rr: RegistryRequest, name: NpmName, version: string): string {
  return `${rr.endpoint}${name.full}/-/${npmTarballName(name.full, version)}`;
}

async function packument(rr: RegistryRequest, name: NpmName): Promise<void> {
  countCall(rr.ctx, 'npm:packument');
  const plan = lookupPlan(rr.domain, rr.repo, name.key, 'npm');
  const published = new Set(['Published']);
  let held = heldVersions(plan, name.key, published);
  const pub = await publicUsable(rr, plan, name);
  if (held.size === 0 && pub && plan.connection) {
    // First sight of a public package: ingest its latest version (and dependency closure), as the
    // service does before it can answer; past the timeout the client gets "Ingestion is in progress".
    const latest = pub.distTags.latest ?? Object.keys(pub.versions).pop();
    if (latest) await ingestNpm(rr, plan.connection, name, latest);
    held = heldVersions(plan, name.key, published);
  }
  if (held.size === 0) throw new RegistryError(404, 'Not found');

  const versions = dict<unknown>();
  const time = dict<string>();
  let distTags: Record<string, string> = { ...(pub?.distTags ?? {}) };

  for (const h of held.values()) {
    const { asset, manifest } = ensureTarball(rr, name, h);
    versions[h.version.version] = {
      ...manifest,
      _id: `${name.full}@${h.version.version}`,
      dist: { tarball: tarballUrl(rr, name, h.version.version), shasum: asset.hashes['SHA-1'], integrity: `sha512-${b64FromHex(asset.hashes['SHA-512'])}` },
    };
    time[h.version.version] = new Date(h.version.publishedTime * 1000).toISOString();
    if (h.pkg.distTags) distTags = { ...distTags, ...h.pkg.distTags };
  }
  for (const [v, pv] of Object.entries(pub?.versions ?? {})) {
    if (versions[v]) continue;
    const dist = await pv.dist();
    versions[v] = { ...pv.manifest, _id: `${name.full}@${v}`, dist: { tarball: tarballUrl(rr, name, v), ...dist } };
    time[v] = new Date(pv.publishedTime * 1000).toISOString();
  }
  for (const [tag, v] of Object.entries(distTags)) if (!versions[tag] && !versions[v]) delete distTags[tag];
  if (!distTags.latest) {
    const newest = Object.keys(versions)
      .filter((v) => semver.valid(v))
      .sort(semver.rcompare);
    distTags.latest = newest.find((v) => !semver.prerelease(v)) ?? newest[0] ?? Object.keys(versions)[0];
  }
  const latestHeld = held.get(distTags.latest);
  const readme = latestHeld?.version.readme;
  const times = Object.values(time).sort();
  const doc = {
    _id: name.full,
    name: name.full,
    'dist-tags': distTags,
    versions,
    time: { created: times[0], modified: times[times.length - 1], ...time },
    ...(readme ? { readme } : {}),
  };
  send(rr.res, 200, JSON.stringify(doc), 'application/json');
}

async function tarball(rr: RegistryRequest, name: NpmName, file: string): Promise<void> {
  countCall(rr.ctx, 'npm:tarball');
  const prefix = `${name.base}-`;
  if (!file.startsWith(prefix) || !file.endsWith('.tgz')) throw new RegistryError(400, `Tarball name "${file}" does not match package ${name.full}`);
  const version = file.slice(prefix.length, -'.tgz'.length);
  if (!VERSION.test(version)) throw new RegistryError(400, `Bad version "${version}" in tarball name`);
  const plan = lookupPlan(rr.domain, rr.repo, name.key, 'npm');
  let held = findHeld(plan, name.key, version);
  if (!held) {
    const pub = await publicUsable(rr, plan, name);
    if (pub?.versions[version] && plan.connection) {
      await ingestNpm(rr, plan.connection, name, version);
      held = findHeld(plan, name.key, version);
    }
  }
  if (!held) throw new RegistryError(404, `${name.full}@${version} not found`);
  const { asset } = ensureTarball(rr, name, held);
  copyToRequested(rr, held);
  const data = getBlob(rr.ctx.state, asset);
  if (!data) throw new RegistryError(500, `Asset bytes of ${asset.name} are missing`);
  send(rr.res, 200, data, 'application/octet-stream');
}

interface IngestItem {
  name: NpmName;
  pv: PublicNpmVersion;
  tarball?: Buffer;
}

function dependencyRanges(m: NpmManifest): [string, string][] {
  const out: [string, string][] = [];
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies'] as const) {
    for (const [n, r] of Object.entries(m[field] ?? {})) out.push([n, r]);
  }
  return out;
}

/**
 * Ingests name@version plus, for every direct and transitive dependency, the newest version that
 * satisfies the range and the `latest` version (versions the connection's repository already holds
 * are not walked again).
 */
async function ingestNpm(rr: RegistryRequest, connection: NonNullable<LookupPlan['connection']>, name: NpmName, version: string): Promise<void> {
  const source = rr.dp.publicSource();
  const fetchClosure = async (): Promise<IngestItem[]> => {
    const items = new Map<string, IngestItem>();
    const queue: [string, string][] = [[name.full, version]];
    while (queue.length && items.size < 5000) {
      const [n, v] = queue.shift()!;
      const id = `${n}@${v}`;
      if (items.has(id)) continue;
      let nn: NpmName;
      try {
        nn = parseName(n);
      } catch {
        continue;
      }
      if (id !== `${name.full}@${version}`) {
        if (!upstreamAllowed(rr.domain, connection.repo, nn.key)) continue;
        if (connection.repo.packages[nn.key]?.versions[v]) continue;
      }
      const pkg = await source.npm(n);
      const pv = pkg?.versions[v];
      if (!pv) continue;
      items.set(id, { name: nn, pv });
      for (const [dn, range] of dependencyRanges(pv.manifest)) {
        const dep = await source.npm(dn);
        if (!dep) continue;
        const all = Object.keys(dep.versions);
        const best = semver.validRange(range) ? semver.maxSatisfying(all, range) : undefined;
        if (best) queue.push([dn, best]);
        if (dep.distTags.latest) queue.push([dn, dep.distTags.latest]);
      }
    }
    for (const item of items.values()) item.tarball = await item.pv.tarball();
    return [...items.values()];
  };
  const commit = (items: IngestItem[]): void => {
    for (const item of items) {
      const asset = putBlob(rr.ctx.state, NPM_ASSET, item.tarball!);
      storeExternal(
        rr,
        connection,
        { namespace: item.name.namespace, name: item.name.base },
        {
          version: item.pv.manifest.version,
          publishedTime: item.pv.publishedTime,
          assets: [asset],
          readme: item.pv.readme,
          summary: typeof item.pv.manifest.description === 'string' ? item.pv.manifest.description : undefined,
          dependencies: item.pv.manifest.dependencies ? { ...item.pv.manifest.dependencies } : undefined,
          metadata: { manifest: item.pv.manifest },
        },
      );
    }
  };
  await ingestAndWait(rr, connection, name.full, version, fetchClosure, commit);
}

// ---- publish ---------------------------------------------------------------------------------------

interface PublishDoc {
  name?: unknown;
  versions?: Record<string, Record<string, unknown>>;
  'dist-tags'?: Record<string, unknown>;
  _attachments?: Record<string, { data?: unknown; length?: unknown }>;
}

async function publish(rr: RegistryRequest, name: NpmName): Promise<void> {
  countCall(rr.ctx, 'npm:publish');
  const ct = String(rr.req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(ct)) throw new RegistryError(415, `npm publish needs Content-Type application/json, got "${ct || 'none'}"`);
  const body = await readRegistryBody(rr);
  let doc: PublishDoc;
  try {
    doc = JSON.parse(body.toString('utf8')) as PublishDoc;
  } catch {
    throw new RegistryError(400, 'The publish body is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null) throw new RegistryError(400, 'The publish body must be a JSON object');
  if (doc.name !== name.full) throw new RegistryError(400, `The body names package "${String(doc.name)}" but the URL names "${name.full}"`);
  const versionEntries = Object.entries(doc.versions ?? {});
  if (versionEntries.length !== 1) throw new RegistryError(400, 'A publish must carry exactly one version');
  const [version, manifestIn] = versionEntries[0];
  if (!VERSION.test(version) || !semver.valid(version)) throw new RegistryError(400, `Invalid version "${version}"`);
  const attachments = Object.values(doc._attachments ?? {});
  if (attachments.length !== 1 || typeof attachments[0]?.data !== 'string') throw new RegistryError(400, 'A publish must carry exactly one base64 tarball in _attachments');
  const data = Buffer.from(attachments[0].data, 'base64');
  if (typeof attachments[0].length === 'number' && attachments[0].length !== data.length) {
    throw new RegistryError(400, `Bad tarball: length ${data.length} does not match the declared ${attachments[0].length}`);
  }
  let files: { path: string; data: Buffer }[];
  try {
    files = readTarGz(data, rr.ctx.options.maxBodyBytes);
  } catch (e) {
    throw new RegistryError(400, `Bad tarball: ${(e as Error).message}`);
  }
  const pkgJsonFile = files.find((f) => /^[^/]+\/package\.json$/.test(f.path));
  if (!pkgJsonFile) throw new RegistryError(400, 'Bad tarball: no package/package.json');
  let pkgJson: { name?: unknown; version?: unknown };
  try {
    pkgJson = JSON.parse(pkgJsonFile.data.toString('utf8')) as typeof pkgJson;
  } catch {
    throw new RegistryError(400, 'Bad tarball: package.json is not valid JSON');
  }
  if (pkgJson.name !== name.full || pkgJson.version !== version) {
    throw new RegistryError(400, `Bad tarball: its package.json is ${String(pkgJson.name)}@${String(pkgJson.version)}, expected ${name.full}@${version}`);
  }
  const existing = rr.repo.packages[name.key];
  const refusal = publishRefusal(rr.domain, rr.repo, name.key);
  if (refusal) throw new RegistryError(403, `Publishing ${name.full} to ${rr.repo.name} is ${refusal}`);
  if (existing?.versions[version]) throw new RegistryError(409, `You cannot publish over the previously published version ${name.full}@${version}`);

  const readmeFile = files.find((f) => /^[^/]+\/readme(\.(md|markdown|txt))?$/i.test(f.path));
  const manifest: NpmManifest = { name: name.full, version };
  for (const [k, v] of Object.entries(manifestIn ?? {})) {
    if (!k.startsWith('_') && !['readme', 'dist', 'name', 'version', 'gitHead'].includes(k)) manifest[k] = v;
  }
  const pkg = ensurePackage(rr.repo, 'npm', name.namespace, name.base);
  const asset = putBlob(rr.ctx.state, NPM_ASSET, data);
  pkg.versions[version] = {
    version,
    revision: newRevision(),
    status: 'Published',
    publishedTime: nowEpoch(rr),
    origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: rr.repo.name } },
    assets: [asset],
    readme: readmeFile?.data.toString('utf8'),
    summary: typeof manifest.description === 'string' ? manifest.description : undefined,
    homePage: typeof manifest.homepage === 'string' ? manifest.homepage : undefined,
    licenses: typeof manifest.license === 'string' ? [{ name: manifest.license }] : undefined,
    dependencies: manifest.dependencies ? { ...manifest.dependencies } : undefined,
    metadata: { manifest },
  };
  const tags: Record<string, string> = { ...(pkg.distTags ?? {}) };
  for (const [t, v] of Object.entries(doc['dist-tags'] ?? {})) if (typeof v === 'string') tags[t] = v;
  pkg.distTags = tags;
  rr.ctx.persist();
  send(rr.res, 200, JSON.stringify({ ok: true, id: name.full, rev: pkg.versions[version].revision }), 'application/json');
}

// ---- dist-tags ---------------------------------------------------------------------------------

async function distTags(rr: RegistryRequest, after: string): Promise<void> {
  countCall(rr.ctx, 'npm:dist-tags');
  const m = /^(.+?)\/dist-tags(?:\/([^/]+))?$/.exec(after);
  if (!m) throw new RegistryError(404, `No npm route for /-/package/${after}`);
  const name = parseName(safeDecode(m[1]));
  const tag = m[2] === undefined ? undefined : safeDecode(m[2]);
  const method = rr.req.method ?? 'GET';
  const plan = lookupPlan(rr.domain, rr.repo, name.key, 'npm');
  if (method === 'GET' && tag === undefined) {
    const held = heldVersions(plan, name.key);
    const pub = await publicUsable(rr, plan, name);
    let tags: Record<string, string> = { ...(pub?.distTags ?? {}) };
    for (const h of held.values()) if (h.pkg.distTags) tags = { ...tags, ...h.pkg.distTags };
    if (!Object.keys(tags).length && held.size === 0) throw new RegistryError(404, 'Not found');
    if (!tags.latest && held.size) tags.latest = [...held.keys()].filter((v) => semver.valid(v)).sort(semver.rcompare)[0];
    return send(rr.res, 200, JSON.stringify(tags), 'application/json');
  }
  if (tag === undefined || !/^[A-Za-z][\w.-]*$/.test(tag)) throw new RegistryError(400, 'A dist-tag name is required');
  const pkg = rr.repo.packages[name.key];
  if (method === 'PUT') {
    const body = await readRegistryBody(rr);
    let version: unknown;
    try {
      version = JSON.parse(body.toString('utf8'));
    } catch {
      throw new RegistryError(400, 'The body must be a JSON string naming a version');
    }
    if (typeof version !== 'string') throw new RegistryError(400, 'The body must be a JSON string naming a version');
    if (!pkg?.versions[version]) throw new RegistryError(404, `${name.full}@${version} is not in repository ${rr.repo.name}`);
    pkg.distTags = { ...(pkg.distTags ?? {}), [tag]: version };
    rr.ctx.persist();
    return send(rr.res, 200, JSON.stringify({ ok: true }), 'application/json');
  }
  if (method === 'DELETE') {
    if (!pkg?.distTags?.[tag]) throw new RegistryError(404, `No dist-tag "${tag}" on ${name.full}`);
    if (tag === 'latest') throw new RegistryError(400, 'The latest dist-tag cannot be removed');
    delete pkg.distTags[tag];
    rr.ctx.persist();
    return send(rr.res, 200, JSON.stringify({ ok: true }), 'application/json');
  }
  throw new RegistryError(405, `Method ${method} not allowed on dist-tags`);
}
