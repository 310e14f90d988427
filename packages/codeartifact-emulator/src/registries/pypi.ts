// The PyPI registry of a repository: the PEP 503 simple index (`simple/`, `simple/<name>/` with
// `#sha256=` links), file downloads (`simple/<name>/<file>`), and the legacy upload API twine uses
// (multipart/form-data POST with `:action=file_upload` to the endpoint itself).
import { publishRefusal } from '../governance';
import { createHash } from 'node:crypto';
import { readTarGz, readZip } from '../archive';
import {
  copyToRequested,
  ensurePackage,
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
import type { PublicPypiProject } from '../publicRegistry';
import { countCall } from '../context';
import { getBlob, newRevision, normalizePypiName, packageKey, putBlob, upstreamWalk, type Asset } from '../state';
import { buildWheel } from './build';

const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

function notFound(message = 'Not Found'): RegistryError {
  return new RegistryError(404, message, { reasonPhrase: 'Not Found' });
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export async function handlePypi(rr: RegistryRequest): Promise<void> {
  const method = rr.req.method ?? 'GET';
  const segs = rr.rest.split('/').map(safeDecode);
  if (method === 'POST' && (rr.rest === '' || rr.rest === 'legacy/')) return upload(rr);
  if (method !== 'GET' && method !== 'HEAD') throw new RegistryError(405, `Method ${method} not allowed here`, { reasonPhrase: 'Method Not Allowed' });
  if (segs[0] !== 'simple') throw notFound(`No PyPI route for /${rr.rest}`);
  if (segs.length === 1 || (segs.length === 2 && segs[1] === '')) return rootIndex(rr);
  if (!NAME.test(segs[1])) throw new RegistryError(400, `Invalid project name "${segs[1]}"`, { reasonPhrase: 'Bad Request' });
  const name = normalizePypiName(segs[1]);
  if (segs.length === 2 || (segs.length === 3 && segs[2] === '')) return projectPage(rr, name);
  if (segs.length === 3) return download(rr, name, segs[2]);
  throw notFound(`No PyPI route for /${rr.rest}`);
}

function rootIndex(rr: RegistryRequest): void {
  countCall(rr.ctx, 'pypi:simple');
  const names = new Set<string>();
  for (const repo of upstreamWalk(rr.domain, rr.repo.name)) {
    for (const p of Object.values(repo.packages)) if (p.format === 'pypi' && Object.keys(p.versions).length) names.add(p.name);
  }
  const links = [...names]
    .sort()
    .map((n) => `    <a href="${htmlEscape(n)}/">${htmlEscape(n)}</a><br/>`)
    .join('\n');
  send(
    rr.res,
    200,
    `<!DOCTYPE html>\n<html>\n  <head><meta name="pypi:repository-version" content="1.0"><title>Simple index</title></head>\n  <body>\n${links}\n  </body>\n</html>\n`,
    'text/html; charset=utf-8',
  );
}

function publicUsable(rr: RegistryRequest, plan: LookupPlan, key: string, name: string): Promise<PublicPypiProject | undefined> {
  if (!plan.connection || !upstreamAllowed(rr.domain, plan.connection.repo, key)) return Promise.resolve(undefined);
  return rr.dp.publicSource().pypi(name);
}

/** Assets of a held version; a seeded version without assets gets a synthesised wheel. */
function ensureFiles(rr: RegistryRequest, held: Held): Asset[] {
  const v = held.version;
  if (!v.assets.length) {
    const requires = Object.entries(v.dependencies ?? {}).map(([n, spec]) => `${n}${spec}`);
    const wheel = buildWheel({ name: held.pkg.name, version: v.version, summary: v.summary, requires });
    v.assets.push(putBlob(rr.ctx.state, wheel.filename, wheel.data));
    rr.ctx.persist();
  }
  return v.assets;
}

async function projectPage(rr: RegistryRequest, name: string): Promise<void> {
  countCall(rr.ctx, 'pypi:simple');
  const key = packageKey('pypi', undefined, name);
  const plan = lookupPlan(rr.domain, rr.repo, key, 'pypi');
  const published = new Set(['Published']);
  let held = heldVersions(plan, key, published);
  const pub = await publicUsable(rr, plan, key, name);
  if (held.size === 0 && pub?.latest && pub.versions[pub.latest] && plan.connection) {
    await ingestPypi(rr, plan.connection, name, pub, pub.latest);
    held = heldVersions(plan, key, published);
  }
  if (held.size === 0 && !pub) throw notFound();
  const links: string[] = [];
  const seen = new Set<string>();
  for (const h of held.values()) {
    for (const a of ensureFiles(rr, h)) {
      seen.add(a.name);
      links.push(`    <a href="${encodeURIComponent(a.name)}#sha256=${a.hashes['SHA-256']}">${htmlEscape(a.name)}</a><br/>`);
    }
  }
  for (const v of Object.values(pub?.versions ?? {})) {
    for (const f of v.files) {
      if (seen.has(f.filename)) continue;
      links.push(`    <a href="${encodeURIComponent(f.filename)}${f.sha256 ? `#sha256=${f.sha256}` : ''}">${htmlEscape(f.filename)}</a><br/>`);
    }
  }
  send(
    rr.res,
    200,
    `<!DOCTYPE html>\n<html>\n  <head><meta name="pypi:repository-version" content="1.0"><title>Links for ${htmlEscape(name)}</title></head>\n  <body>\n    <h1>Links for ${htmlEscape(name)}</h1>\n${links.join('\n')}\n  </body>\n</html>\n`,
    'text/html; charset=utf-8',
  );
}

function findFile(rr: RegistryRequest, plan: LookupPlan, key: string, filename: string): { held: Held; asset: Asset } | undefined {
  for (const h of heldVersions(plan, key).values()) {
    const asset = ensureFiles(rr, h).find((a) => a.name === filename);
    if (asset) return { held: h, asset };
  }
  return undefined;
}

async function download(rr: RegistryRequest, name: string, filename: string): Promise<void> {
  countCall(rr.ctx, 'pypi:file');
  const key = packageKey('pypi', undefined, name);
  const plan = lookupPlan(rr.domain, rr.repo, key, 'pypi');
  let found = findFile(rr, plan, key, filename);
  if (!found) {
    const pub = await publicUsable(rr, plan, key, name);
    const version = Object.entries(pub?.versions ?? {}).find(([, v]) => v.files.some((f) => f.filename === filename))?.[0];
    if (pub && version && plan.connection) {
      await ingestPypi(rr, plan.connection, name, pub, version);
      found = findFile(rr, plan, key, filename);
    }
  }
  if (!found) throw notFound();
  copyToRequested(rr, found.held);
  const data = getBlob(rr.ctx.state, found.asset);
  if (!data) throw new RegistryError(500, `Asset bytes of ${filename} are missing`);
  send(rr.res, 200, data, filename.endsWith('.whl') ? 'application/zip' : 'application/octet-stream');
}

/** Ingests every file of one version. */
async function ingestPypi(rr: RegistryRequest, connection: NonNullable<LookupPlan['connection']>, name: string, pub: PublicPypiProject, version: string): Promise<void> {
  const v = pub.versions[version];
  const fetchFiles = async () => Promise.all(v.files.map(async (f) => ({ filename: f.filename, data: await f.fetch() })));
  const commit = (files: { filename: string; data: Buffer }[]): void => {
    storeExternal(
      rr,
      connection,
      { name },
      {
        version,
        publishedTime: v.publishedTime,
        summary: v.summary,
        assets: files.map((f) => putBlob(rr.ctx.state, f.filename, f.data)),
      },
    );
  };
  await ingestAndWait(rr, connection, name, version, fetchFiles, commit);
}

// ---- upload (twine) ----------------------------------------------------------------------------

interface Part {
  name: string;
  filename?: string;
  data: Buffer;
}

/** Parses multipart/form-data; throws RegistryError 400 when malformed. */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delim = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delim);
  if (pos < 0) throw new RegistryError(400, 'Malformed multipart body: boundary not found', { reasonPhrase: 'Bad Request' });
  for (;;) {
    pos += delim.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts;
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    const next = body.indexOf(delim, pos);
    if (headerEnd < 0 || next < 0 || headerEnd > next) throw new RegistryError(400, 'Malformed multipart body', { reasonPhrase: 'Bad Request' });
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const disp = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disp)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disp)?.[1];
    let end = next;
    if (body[end - 2] === 13 && body[end - 1] === 10) end -= 2;
    if (name !== undefined) parts.push({ name, filename, data: body.subarray(headerEnd + 4, end) });
    pos = next;
  }
}

function splitDistFilename(filename: string): { dist: string; version: string; kind: 'wheel' | 'sdist-tar' | 'sdist-zip' } | undefined {
  if (filename.endsWith('.whl')) {
    const parts = filename.slice(0, -4).split('-');
    if (parts.length < 5) return undefined;
    return { dist: parts[0], version: parts[1], kind: 'wheel' };
  }
  for (const [ext, kind] of [
    ['.tar.gz', 'sdist-tar'],
    ['.zip', 'sdist-zip'],
  ] as const) {
    if (filename.endsWith(ext)) {
      const stem = filename.slice(0, -ext.length);
      const dash = stem.lastIndexOf('-');
      if (dash <= 0) return undefined;
      return { dist: stem.slice(0, dash), version: stem.slice(dash + 1), kind };
    }
  }
  return undefined;
}

async function upload(rr: RegistryRequest): Promise<void> {
  countCall(rr.ctx, 'pypi:upload');
  const bad = (m: string) => new RegistryError(400, m, { reasonPhrase: m.length < 100 ? m : 'Bad Request' });
  const ct = String(rr.req.headers['content-type'] ?? '');
  const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(ct);
  if (!boundary) throw new RegistryError(415, `Uploads need Content-Type multipart/form-data, got "${ct || 'none'}"`, { reasonPhrase: 'Unsupported Media Type' });
  const body = await readRegistryBody(rr);
  const parts = parseMultipart(body, boundary[1] ?? boundary[2]);
  const field = (n: string) => parts.find((p) => p.name === n && p.filename === undefined)?.data.toString('utf8');
  if (field(':action') !== 'file_upload') throw bad('Missing or unknown :action (expected file_upload)');
  const rawName = field('name');
  const version = field('version');
  const content = parts.find((p) => p.name === 'content' && p.filename !== undefined);
  if (!rawName || !NAME.test(rawName)) throw bad('Missing or invalid name');
  if (!version || !/^[A-Za-z0-9.+!_-]{1,128}$/.test(version)) throw bad('Missing or invalid version');
  if (!content || !content.filename || content.data.length === 0) throw bad('Missing file content');
  const filename = content.filename;
  const parsed = splitDistFilename(filename);
  if (!parsed || /[/\\]/.test(filename)) throw bad(`Invalid distribution file name ${filename}`);
  const name = normalizePypiName(rawName);
  if (normalizePypiName(parsed.dist) !== name || parsed.version !== version) throw bad(`File ${filename} does not belong to ${rawName} ${version}`);
  try {
    if (parsed.kind === 'sdist-tar') readTarGz(content.data, rr.ctx.options.maxBodyBytes);
    else readZip(content.data, rr.ctx.options.maxBodyBytes);
  } catch (e) {
    throw bad(`Invalid distribution file: ${(e as Error).message}`);
  }
  const sha256 = createHash('sha256').update(content.data).digest('hex');
  const declared = field('sha256_digest');
  if (declared && declared.toLowerCase() !== sha256) throw bad('The sha256_digest does not match the uploaded file');
  const key = packageKey('pypi', undefined, name);
  const existing = rr.repo.packages[key];
  const refusal = publishRefusal(rr.domain, rr.repo, key);
  if (refusal) throw new RegistryError(403, `Publishing ${name} to ${rr.repo.name} is ${refusal}`, { reasonPhrase: 'Forbidden' });
  const existingVersion = existing?.versions[version];
  if (existingVersion?.assets.some((a) => a.name === filename)) throw bad('File already exists');
  if (existingVersion && existingVersion.origin.originType !== 'INTERNAL') {
    throw new RegistryError(409, `${name} ${version} came from an upstream; it cannot be published here`, { reasonPhrase: 'Conflict' });
  }

  const pkg = ensurePackage(rr.repo, 'pypi', undefined, name);
  const asset = putBlob(rr.ctx.state, filename, content.data);
  const summary = field('summary');
  const description = field('description');
  if (pkg.versions[version]) {
    pkg.versions[version].assets.push(asset);
  } else {
    pkg.versions[version] = {
      version,
      revision: newRevision(),
      status: 'Published',
      publishedTime: nowEpoch(rr),
      origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: rr.repo.name } },
      assets: [asset],
      summary: summary || undefined,
      readme: description || undefined,
      homePage: field('home_page') || undefined,
    };
  }
  rr.ctx.persist();
  send(rr.res, 200, 'OK\n', 'text/plain; charset=utf-8');
}
