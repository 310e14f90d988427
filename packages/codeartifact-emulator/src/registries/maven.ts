// The Maven registry of a repository: GET/PUT by Maven path (group/as/path/artifact/version/file),
// maven-metadata.xml generated from the versions held (plus those the public upstream offers), and
// .sha1/.md5/.sha256/.sha512 checksums computed from the stored assets.
import { decodeXmlText, XmlError } from '../xmlText';
import { publishRefusal } from '../governance';
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
import type { PublicMavenArtifact } from '../publicRegistry';
import { countCall } from '../context';
import { getBlob, hashesOf, newRevision, packageKey, putBlob, type Asset, type AssetHashes } from '../state';
import { buildMavenFiles } from './build';

const PART = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/;
const CHECKSUMS: Record<string, keyof AssetHashes> = { sha1: 'SHA-1', md5: 'MD5', sha256: 'SHA-256', sha512: 'SHA-512' };

interface MavenPath {
  groupId: string;
  artifactId: string;
  version?: string;
  /** The file asked for, without a checksum extension. */
  file: string;
  checksum?: keyof AssetHashes;
  key: string;
}

function notFound(message = 'Not Found'): RegistryError {
  return new RegistryError(404, message, { reasonPhrase: 'Not Found' });
}

function bad(message: string): RegistryError {
  return new RegistryError(400, message, { reasonPhrase: 'Bad Request' });
}

function parsePath(rest: string): MavenPath {
  const segs = rest.split('/').map(safeDecode);
  if (segs.some((s) => !PART.test(s))) throw bad(`Bad Maven path /${rest}`);
  let file = segs[segs.length - 1];
  let checksum: keyof AssetHashes | undefined;
  const ext = /\.(sha1|md5|sha256|sha512)$/.exec(file);
  if (ext) {
    checksum = CHECKSUMS[ext[1]];
    file = file.slice(0, -ext[0].length);
  }
  if (file === 'maven-metadata.xml') {
    if (segs.length < 3) throw bad(`Bad Maven metadata path /${rest}`);
    const groupId = segs.slice(0, -2).join('.');
    const artifactId = segs[segs.length - 2];
    return { groupId, artifactId, file, checksum, key: packageKey('maven', groupId, artifactId) };
  }
  if (segs.length < 4) throw bad(`Bad Maven path /${rest}: expected group/path/artifact/version/file`);
  const version = segs[segs.length - 2];
  const artifactId = segs[segs.length - 3];
  const groupId = segs.slice(0, -3).join('.');
  if (!file.startsWith(`${artifactId}-${version}`)) throw bad(`File ${file} does not follow Maven naming (${artifactId}-${version}[-classifier].ext)`);
  return { groupId, artifactId, version, file, checksum, key: packageKey('maven', groupId, artifactId) };
}

export async function handleMaven(rr: RegistryRequest): Promise<void> {
  const method = rr.req.method ?? 'GET';
  if (rr.rest === '' || rr.rest.endsWith('/')) throw notFound(`No Maven file at /${rr.rest}`);
  const path = parsePath(rr.rest);
  if (method === 'GET' || method === 'HEAD') {
    countCall(rr.ctx, 'maven:get');
    return path.version === undefined ? metadata(rr, path) : getFile(rr, path);
  }
  if (method === 'PUT') {
    countCall(rr.ctx, 'maven:put');
    return putFile(rr, path);
  }
  throw new RegistryError(405, `Method ${method} not allowed`, { reasonPhrase: 'Method Not Allowed' });
}

function publicUsable(rr: RegistryRequest, plan: LookupPlan, p: MavenPath): Promise<PublicMavenArtifact | undefined> {
  if (!plan.connection || !upstreamAllowed(rr.domain, plan.connection.repo, p.key)) return Promise.resolve(undefined);
  return rr.dp.publicSource().maven(p.groupId, p.artifactId);
}

/** Assets of a held version; a seeded version without assets gets a synthesised jar and pom. */
function ensureAssets(rr: RegistryRequest, p: MavenPath, held: Held): Asset[] {
  const v = held.version;
  if (!v.assets.length) {
    const deps = Object.entries(v.dependencies ?? {}).map(([ga, ver]) => `${ga}:${ver}`);
    const files = buildMavenFiles({ groupId: p.groupId, artifactId: p.artifactId, version: v.version, dependencies: deps });
    for (const [name, data] of Object.entries(files)) v.assets.push(putBlob(rr.ctx.state, name, data));
    rr.ctx.persist();
  }
  return v.assets;
}

function contentType(file: string): string {
  if (file.endsWith('.pom') || file.endsWith('.xml')) return 'text/xml';
  if (file.endsWith('.jar')) return 'application/java-archive';
  return 'application/octet-stream';
}

function serve(rr: RegistryRequest, p: MavenPath, data: Buffer, hashes: AssetHashes): void {
  if (p.checksum) send(rr.res, 200, hashes[p.checksum], 'text/plain');
  else send(rr.res, 200, data, contentType(p.file));
}

async function getFile(rr: RegistryRequest, p: MavenPath): Promise<void> {
  const version = p.version!;
  const plan = lookupPlan(rr.domain, rr.repo, p.key, 'maven');
  let held = findHeld(plan, p.key, version);
  if (!held) {
    const pub = await publicUsable(rr, plan, p);
    const pv = pub?.versions[version];
    if (pv && plan.connection) {
      // Maven ingests every file of the version asked (not its dependencies).
      const connection = plan.connection;
      const commit = (files: Record<string, Buffer>): void => {
        storeExternal(
          rr,
          connection,
          { namespace: p.groupId, name: p.artifactId },
          {
            version,
            publishedTime: pv.publishedTime,
            assets: Object.entries(files).map(([n, d]) => putBlob(rr.ctx.state, n, d)),
          },
        );
      };
      await ingestAndWait(rr, connection, `${p.groupId}:${p.artifactId}`, version, () => pv.files(), commit);
      held = findHeld(plan, p.key, version);
    }
  }
  if (!held) throw notFound();
  const asset = ensureAssets(rr, p, held).find((a) => a.name === p.file);
  if (!asset) throw notFound();
  copyToRequested(rr, held);
  const data = getBlob(rr.ctx.state, asset);
  if (!data) throw new RegistryError(500, `Asset bytes of ${asset.name} are missing`);
  serve(rr, p, data, asset.hashes);
}

/** Compares Maven versions well enough for metadata ordering: numeric parts numerically. */
function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (nx !== ny) return nx ? 1 : -1;
    if (!nx && x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function timestamp(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

async function metadata(rr: RegistryRequest, p: MavenPath): Promise<void> {
  const plan = lookupPlan(rr.domain, rr.repo, p.key, 'maven');
  const times = new Map<string, number>();
  for (const h of heldVersions(plan, p.key, new Set(['Published'])).values()) times.set(h.version.version, h.version.publishedTime);
  const pub = await publicUsable(rr, plan, p);
  for (const [v, pv] of Object.entries(pub?.versions ?? {})) if (!times.has(v)) times.set(v, pv.publishedTime);
  if (!times.size) throw notFound();
  const versions = [...times.keys()].sort(compareVersions);
  const releases = versions.filter((v) => !v.endsWith('-SNAPSHOT'));
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<metadata>\n  <groupId>${p.groupId}</groupId>\n  <artifactId>${p.artifactId}</artifactId>\n  <versioning>\n` +
    `    <latest>${versions[versions.length - 1]}</latest>\n` +
    (releases.length ? `    <release>${releases[releases.length - 1]}</release>\n` : '') +
    `    <versions>\n${versions.map((v) => `      <version>${v}</version>\n`).join('')}    </versions>\n` +
    `    <lastUpdated>${timestamp(Math.max(...times.values()))}</lastUpdated>\n  </versioning>\n</metadata>\n`;
  const data = Buffer.from(xml);
  serve(rr, p, data, hashesOf(data));
}

async function putFile(rr: RegistryRequest, p: MavenPath): Promise<void> {
  const body = await readRegistryBody(rr);
  if (body.length === 0) throw bad('Empty upload');
  // The emulator computes checksums and metadata itself; uploads of them are accepted and dropped.
  if (p.checksum || p.version === undefined) return send(rr.res, 201, '', 'text/plain');
  const version = p.version;
  const existing = rr.repo.packages[p.key];
  const refusal = publishRefusal(rr.domain, rr.repo, p.key);
  if (refusal) throw new RegistryError(403, `Publishing ${p.groupId}:${p.artifactId} to ${rr.repo.name} is ${refusal}`, { reasonPhrase: 'Forbidden' });
  const ev = existing?.versions[version];
  if (ev && ev.origin.originType !== 'INTERNAL') throw new RegistryError(409, `${p.groupId}:${p.artifactId}:${version} came from an upstream`, { reasonPhrase: 'Conflict' });
  if (ev?.assets.some((a) => a.name === p.file)) throw new RegistryError(409, `${p.file} already exists in ${rr.repo.name}`, { reasonPhrase: 'Conflict' });
  if (p.file.endsWith('.pom')) {
    // Read the POM's text as a parser would: a bad reference is the uploader's error (400), not ours later.
    try {
      decodeXmlText(body.toString('utf8').replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, ''), p.file);
    } catch (e) {
      if (e instanceof XmlError) throw bad(e.message);
      throw e;
    }
  }
  const pkg = ensurePackage(rr.repo, 'maven', p.groupId, p.artifactId);
  const asset = putBlob(rr.ctx.state, p.file, body);
  if (ev) ev.assets.push(asset);
  else {
    pkg.versions[version] = {
      version,
      revision: newRevision(),
      status: 'Published',
      publishedTime: nowEpoch(rr),
      origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: rr.repo.name } },
      assets: [asset],
    };
  }
  rr.ctx.persist();
  send(rr.res, 201, '', 'text/plain');
}
