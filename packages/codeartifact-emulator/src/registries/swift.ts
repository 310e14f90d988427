// The Swift package registry of a repository (SE-0292, API version 1): `GET /{scope}/{name}` (releases),
// `GET /{scope}/{name}/{version}` (release with the source archive's checksum), `/{version}.zip`,
// `/{version}/Package.swift`, `GET /identifiers?url=`, `PUT /{scope}/{name}/{version}` (multipart
// `source-archive` + optional `metadata`) and `POST /login` (what `swift package-registry login` calls).
// Scopes and names are lower-cased as the service stores them; versions are kept as given (SemVer 2).
// Swift has no external connection; upstream repositories are walked. Answers carry `Content-Version: 1`,
// errors are problem details (../registries/shared.ts). Tokens: Bearer, or Basic from ~/.netrc.
import { createHash } from 'node:crypto';
import { readZip } from '../archive';
import { countCall } from '../context';
import { publishRefusal } from '../governance';
import { getBlob, newRevision, packageKey, putBlob, upstreamWalk } from '../state';
import { parseMultipart } from './pypi';
import {
  copyToRequested,
  ensurePackage,
  findHeld,
  heldVersions,
  lookupPlan,
  nowEpoch,
  readRegistryBody,
  RegistryError,
  safeDecode,
  send,
  type Held,
  type RegistryRequest,
} from './shared';

const SCOPE = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|[-_](?=[A-Za-z0-9])){0,99}$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const V1 = { 'Content-Version': '1' };

function notFound(message = 'Not Found'): RegistryError {
  return new RegistryError(404, message, { reasonPhrase: 'Not Found' });
}

function sendJson(rr: RegistryRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(rr.res, status, JSON.stringify(body), 'application/json', { ...V1, ...headers });
}

export async function handleSwift(rr: RegistryRequest): Promise<void> {
  const method = rr.req.method ?? 'GET';
  const accept = String(rr.req.headers.accept ?? '');
  const asked = /application\/vnd\.swift\.registry\.v([^+;,\s]+)/.exec(accept)?.[1];
  if (asked !== undefined && asked !== '1') {
    throw new RegistryError(415, `Unsupported API version ${asked}; this registry speaks version 1`, { reasonPhrase: 'Unsupported Media Type' });
  }
  const segs = rr.rest.split('/').map(safeDecode);
  if (segs.length === 1 && segs[0] === 'login') {
    if (method !== 'POST') throw new RegistryError(405, `Method ${method} not allowed here`, { reasonPhrase: 'Method Not Allowed' });
    return sendJson(rr, 200, {});
  }
  if (segs.length === 1 && segs[0] === 'identifiers' && method === 'GET') return identifiers(rr);
  if (segs.length < 2 || segs.length > 4 || !SCOPE.test(segs[0]) || !NAME.test(segs[1])) throw notFound(`No Swift registry route for /${rr.rest}`);
  const scope = segs[0].toLowerCase();
  const name = segs[1].toLowerCase();
  if (segs.length === 3 && method === 'PUT') return publish(rr, scope, name, segs[2]);
  if (method !== 'GET' && method !== 'HEAD') throw new RegistryError(405, `Method ${method} not allowed here`, { reasonPhrase: 'Method Not Allowed' });
  if (segs.length === 2) return releases(rr, scope, name);
  if (segs.length === 3 && segs[2].endsWith('.zip')) return archive(rr, scope, name, segs[2].slice(0, -4));
  if (segs.length === 3) return release(rr, scope, name, segs[2]);
  if (segs[3] === 'Package.swift') return manifest(rr, scope, name, segs[2]);
  throw notFound(`No Swift registry route for /${rr.rest}`);
}

function plan(rr: RegistryRequest, scope: string, name: string) {
  const key = packageKey('swift', scope, name);
  return { key, plan: lookupPlan(rr.domain, rr.repo, key, 'swift') };
}

function held(rr: RegistryRequest, scope: string, name: string, version: string): Held {
  const p = plan(rr, scope, name);
  const h = findHeld(p.plan, p.key, version);
  if (!h) throw notFound(`${scope}.${name} ${version} not found`);
  copyToRequested(rr, h);
  return h;
}

function releaseUrl(rr: RegistryRequest, scope: string, name: string, version: string): string {
  return `${rr.endpoint}${scope}/${name}/${version}`;
}

function releases(rr: RegistryRequest, scope: string, name: string): void {
  countCall(rr.ctx, 'swift:releases');
  const p = plan(rr, scope, name);
  const vs = [...heldVersions(p.plan, p.key).values()].sort((a, b) => a.version.publishedTime - b.version.publishedTime);
  if (!vs.length) throw notFound(`${scope}.${name} not found`);
  const out: Record<string, { url: string; problem?: unknown }> = {};
  for (const h of vs) {
    out[h.version.version] = { url: releaseUrl(rr, scope, name, h.version.version) };
    if (h.version.status === 'Unlisted') out[h.version.version].problem = { status: 410, title: 'Gone', detail: 'this release was removed from the registry' };
  }
  const latest = vs[vs.length - 1].version.version;
  sendJson(rr, 200, { releases: out }, { Link: `<${releaseUrl(rr, scope, name, latest)}>; rel="latest-version"` });
}

function checksumOf(h: Held): string {
  return h.version.assets[0]?.hashes['SHA-256'] ?? createHash('sha256').update('').digest('hex');
}

function release(rr: RegistryRequest, scope: string, name: string, version: string): void {
  countCall(rr.ctx, 'swift:release');
  const h = held(rr, scope, name, version);
  sendJson(rr, 200, {
    id: `${scope}.${name}`,
    version,
    resources: [{ name: 'source-archive', type: 'application/zip', checksum: checksumOf(h) }],
    metadata: h.version.metadata?.swift ?? {},
    publishedAt: new Date(h.version.publishedTime * 1000).toISOString(),
  });
}

function archiveBytes(rr: RegistryRequest, h: Held): Buffer {
  const data = h.version.assets[0] && getBlob(rr.ctx.state, h.version.assets[0]);
  if (!data) throw notFound('The release has no source archive');
  return data;
}

function archive(rr: RegistryRequest, scope: string, name: string, version: string): void {
  countCall(rr.ctx, 'swift:archive');
  const h = held(rr, scope, name, version);
  const data = archiveBytes(rr, h);
  send(rr.res, 200, data, 'application/zip', {
    ...V1,
    'Content-Disposition': `attachment; filename="${name}-${version}.zip"`,
    Digest: `sha-256=${createHash('sha256').update(data).digest('base64')}`,
  });
}

function manifest(rr: RegistryRequest, scope: string, name: string, version: string): void {
  countCall(rr.ctx, 'swift:manifest');
  const h = held(rr, scope, name, version);
  const entry = readZip(archiveBytes(rr, h)).find((e) => /^(?:[^/]+\/)?Package\.swift$/.test(e.path));
  if (!entry) throw notFound('The source archive has no Package.swift');
  send(rr.res, 200, entry.data, 'text/x-swift', { ...V1, 'Content-Disposition': 'attachment; filename="Package.swift"' });
}

function identifiers(rr: RegistryRequest): void {
  countCall(rr.ctx, 'swift:identifiers');
  const url = rr.url.searchParams.get('url');
  if (!url) throw new RegistryError(400, 'The url query parameter is required', { reasonPhrase: 'Bad Request' });
  const ids = new Set<string>();
  for (const repo of upstreamWalk(rr.domain, rr.repo.name)) {
    for (const p of Object.values(repo.packages)) {
      if (p.format !== 'swift') continue;
      const urls = Object.values(p.versions).flatMap((v) => ((v.metadata?.swift as { repositoryURLs?: unknown } | undefined)?.repositoryURLs as string[] | undefined) ?? []);
      if (urls.includes(url)) ids.add(`${p.namespace}.${p.name}`);
    }
  }
  if (!ids.size) throw notFound(`No package for ${url}`);
  sendJson(rr, 200, { identifiers: [...ids].sort() });
}

async function publish(rr: RegistryRequest, scope: string, name: string, version: string): Promise<void> {
  countCall(rr.ctx, 'swift:publish');
  const bad = (m: string) => new RegistryError(400, m, { reasonPhrase: 'Bad Request' });
  if (!SEMVER.test(version)) throw bad(`Invalid version "${version}": a semantic version is required`);
  const ct = String(rr.req.headers['content-type'] ?? '');
  const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(ct);
  if (!boundary) throw new RegistryError(415, `Publish needs Content-Type multipart/form-data, got "${ct || 'none'}"`, { reasonPhrase: 'Unsupported Media Type' });
  const parts = parseMultipart(await readRegistryBody(rr), boundary[1] ?? boundary[2]);
  const source = parts.find((p) => p.name === 'source-archive');
  if (!source || source.data.length === 0) throw bad('The source-archive part is required');
  let files: { path: string }[];
  try {
    files = readZip(source.data, rr.ctx.options.maxBodyBytes);
  } catch (e) {
    throw bad(`The source archive is not a zip file: ${(e as Error).message}`);
  }
  if (!files.some((f) => /^(?:[^/]+\/)?Package\.swift$/.test(f.path))) {
    throw new RegistryError(422, 'The source archive has no Package.swift', { reasonPhrase: 'Unprocessable Entity' });
  }
  let metadata: Record<string, unknown> = {};
  const metaPart = parts.find((p) => p.name === 'metadata');
  if (metaPart) {
    try {
      metadata = JSON.parse(metaPart.data.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw bad('The metadata part is not JSON');
    }
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw bad('The metadata part is not a JSON object');
  }
  const key = packageKey('swift', scope, name);
  const refusal = publishRefusal(rr.domain, rr.repo, key);
  if (refusal) throw new RegistryError(403, `Publishing ${scope}.${name} to ${rr.repo.name} is ${refusal}`, { reasonPhrase: 'Forbidden' });
  if (rr.repo.packages[key]?.versions[version]) throw new RegistryError(409, `${scope}.${name} ${version} already exists in ${rr.repo.name}`, { reasonPhrase: 'Conflict' });
  const pkg = ensurePackage(rr.repo, 'swift', scope, name);
  const str = (k: string) => (typeof metadata[k] === 'string' ? (metadata[k] as string) : undefined);
  pkg.versions[version] = {
    version,
    revision: newRevision(),
    status: 'Published',
    publishedTime: nowEpoch(rr),
    origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: rr.repo.name } },
    assets: [putBlob(rr.ctx.state, `${name}-${version}.zip`, source.data)],
    summary: str('description'),
    sourceCodeRepository: Array.isArray(metadata.repositoryURLs) && typeof metadata.repositoryURLs[0] === 'string' ? metadata.repositoryURLs[0] : undefined,
    metadata: { swift: metadata },
  };
  rr.ctx.persist();
  sendJson(rr, 201, {}, { Location: releaseUrl(rr, scope, name, version) });
}
