// The NuGet v3 registry of a repository: the service index (`v3/index.json`, which `aws codeartifact
// login --tool nuget|dotnet` points the client at), the package base address (flat container:
// `v3/package/{id}/index.json`, `.nupkg` and `.nuspec`), registrations (`v3/registrations/{id}/index.json`
// with inlined pages, and leaves), push (`PUT v3/publish`, multipart/form-data with the .nupkg) and delete
// (unlist). Ids and versions are normalised (lower case, NuGet's version normalisation) as the service
// does; `public:nuget-org` is a fake, deterministic nuget.org of two tiny packages generated here.
// Tokens: Basic `aws:TOKEN` (what the login writes to NuGet.Config), Bearer also taken.
import { zip, readZip } from '../archive';
import { decodeXmlText, XmlError } from '../xmlText';
import { countCall } from '../context';
import { publishRefusal } from '../governance';
import { newRevision, packageKey, putBlob, type PackageVersion } from '../state';
import { parseMultipart } from './pypi';
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

const ID = /^[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*$/;
const VERSION = /^\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** NuGet's normalised version: build metadata dropped, at least three parts, a zero fourth part dropped, lower case. */
export function normalizeNugetVersion(v: string): string {
  const noMeta = v.split('+')[0];
  const dash = noMeta.indexOf('-');
  const core = dash < 0 ? noMeta : noMeta.slice(0, dash);
  const pre = dash < 0 ? '' : noMeta.slice(dash);
  const parts = core.split('.').map((p) => String(Number(p)));
  while (parts.length < 3) parts.push('0');
  if (parts.length === 4 && parts[3] === '0') parts.pop();
  return (parts.join('.') + pre).toLowerCase();
}

interface Dependency {
  id: string;
  range: string;
}
interface DependencyGroup {
  targetFramework?: string;
  dependencies: Dependency[];
}
/** What the registry keeps of a version's .nuspec. */
interface NuspecInfo {
  id: string;
  version: string;
  description?: string;
  authors?: string;
  dependencyGroups: DependencyGroup[];
}

function tag(xml: string, name: string): string | undefined {
  const text = new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`).exec(xml)?.[1]?.trim();
  return text === undefined ? undefined : decodeXmlText(text, `.nuspec <${name}>`);
}

/** Reads the fields the registry serves from a .nuspec (plain regular expressions; no DTDs; references as ../xmlText.ts reads them). */
export function parseNuspec(xml: string): NuspecInfo | undefined {
  const id = tag(xml, 'id');
  const version = tag(xml, 'version');
  if (!id || !version) return undefined;
  const depsXml = /<dependencies>([\s\S]*?)<\/dependencies>/.exec(xml)?.[1] ?? '';
  const depsOf = (s: string): Dependency[] =>
    [...s.matchAll(/<dependency\b([^>]*)\/?>/g)]
      .map((m) => ({ id: /\bid="([^"]*)"/.exec(m[1])?.[1] ?? '', range: /\bversion="([^"]*)"/.exec(m[1])?.[1] ?? '' }))
      .filter((d) => d.id);
  const groups: DependencyGroup[] = [...depsXml.matchAll(/<group\b([^>]*?)(?:\/>|>([\s\S]*?)<\/group>)/g)].map((m) => ({
    targetFramework: /\btargetFramework="([^"]*)"/.exec(m[1])?.[1],
    dependencies: depsOf(m[2] ?? ''),
  }));
  if (!groups.length && depsXml.trim()) groups.push({ dependencies: depsOf(depsXml) });
  return { id, version, description: tag(xml, 'description'), authors: tag(xml, 'authors'), dependencyGroups: groups };
}

/** A .nupkg: `{id}.nuspec`, `[Content_Types].xml` and a placeholder lib folder. */
export function buildNupkg(id: string, version: string, deps: Dependency[] = [], description = `${id} (emulator fixture)`): Buffer {
  const depXml = deps.length
    ? `\n    <dependencies>\n      <group targetFramework="netstandard2.0">\n${deps.map((d) => `        <dependency id="${d.id}" version="${d.range}" />`).join('\n')}\n      </group>\n    </dependencies>`
    : '';
  const nuspec = `<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">\n  <metadata>\n    <id>${id}</id>\n    <version>${version}</version>\n    <authors>emulator</authors>\n    <description>${description}</description>${depXml}\n  </metadata>\n</package>\n`;
  return zip([
    { path: `${id}.nuspec`, data: nuspec },
    {
      path: '[Content_Types].xml',
      data: '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="nuspec" ContentType="application/octet" /></Types>',
    },
    { path: 'lib/netstandard2.0/_._', data: '' },
  ]);
}

interface PublicNugetVersion {
  info: NuspecInfo;
  publishedTime: number;
  data: Buffer;
}

let fakeNuget: Map<string, Record<string, PublicNugetVersion>> | undefined;

/** The fake nuget.org: `Tiny.Json` 1.0.0 and 1.1.0, `Tiny.Log` 2.0.0 depending on `Tiny.Json [1.1.0, )`. */
function publicPackages(): Map<string, Record<string, PublicNugetVersion>> {
  if (fakeNuget) return fakeNuget;
  const base = Date.parse('2024-01-01T00:00:00Z') / 1000;
  const spec: [string, string, Dependency[]][] = [
    ['Tiny.Json', '1.0.0', []],
    ['Tiny.Json', '1.1.0', []],
    ['Tiny.Log', '2.0.0', [{ id: 'Tiny.Json', range: '[1.1.0, )' }]],
  ];
  const out = new Map<string, Record<string, PublicNugetVersion>>();
  spec.forEach(([id, version, deps], i) => {
    const data = buildNupkg(id, version, deps);
    const info = parseNuspec(readZip(data)[0].data.toString('utf8'))!;
    const versions = out.get(id.toLowerCase()) ?? {};
    versions[version] = { info, publishedTime: base + i * 86400, data };
    out.set(id.toLowerCase(), versions);
  });
  fakeNuget = out;
  return out;
}

function notFound(message = 'Not Found'): RegistryError {
  return new RegistryError(404, message, { reasonPhrase: 'Not Found' });
}

function publicPackage(rr: RegistryRequest, plan: LookupPlan, key: string, id: string): Record<string, PublicNugetVersion> | undefined {
  if (!plan.connection || !upstreamAllowed(rr.domain, plan.connection.repo, key)) return undefined;
  return publicPackages().get(id);
}

export async function handleNuget(rr: RegistryRequest): Promise<void> {
  const method = rr.req.method ?? 'GET';
  const segs = rr.rest.split('/').map(safeDecode);
  if (segs[0] !== 'v3') throw notFound(`No NuGet route for /${rr.rest}`);
  if (segs[1] === 'publish') {
    if (method === 'PUT' && (segs.length === 2 || (segs.length === 3 && segs[2] === ''))) return push(rr);
    if (method === 'DELETE' && segs.length === 4) return unlist(rr, segs[2].toLowerCase(), normalizeNugetVersion(segs[3]));
    throw new RegistryError(405, `Method ${method} not allowed here`, { reasonPhrase: 'Method Not Allowed' });
  }
  if (method !== 'GET' && method !== 'HEAD') throw new RegistryError(405, `Method ${method} not allowed here`, { reasonPhrase: 'Method Not Allowed' });
  if (segs.length === 2 && segs[1] === 'index.json') return serviceIndex(rr);
  const id = segs[2]?.toLowerCase() ?? '';
  if (!ID.test(id)) throw notFound(`No NuGet route for /${rr.rest}`);
  if (segs[1] === 'package' && segs.length === 4 && segs[3] === 'index.json') return flatIndex(rr, id);
  if (segs[1] === 'package' && segs.length === 5 && VERSION.test(segs[3])) return packageFile(rr, id, normalizeNugetVersion(segs[3]), segs[4].toLowerCase());
  if (segs[1] === 'registrations' && segs.length === 4 && segs[3] === 'index.json') return registration(rr, id);
  if (segs[1] === 'registrations' && segs.length === 4 && segs[3].endsWith('.json')) return registrationLeaf(rr, id, normalizeNugetVersion(segs[3].slice(0, -5)));
  throw notFound(`No NuGet route for /${rr.rest}`);
}

function serviceIndex(rr: RegistryRequest): void {
  countCall(rr.ctx, 'nuget:index');
  const ep = rr.endpoint;
  const resources = [
    { '@id': `${ep}v3/package/`, '@type': 'PackageBaseAddress/3.0.0' },
    { '@id': `${ep}v3/publish`, '@type': 'PackagePublish/2.0.0' },
    ...['RegistrationsBaseUrl', 'RegistrationsBaseUrl/3.0.0-rc', 'RegistrationsBaseUrl/3.0.0-beta'].map((t) => ({ '@id': `${ep}v3/registrations/`, '@type': t })),
  ];
  send(rr.res, 200, JSON.stringify({ version: '3.0.0', resources }), 'application/json');
}

interface Listed {
  version: string;
  info: NuspecInfo;
  listed: boolean;
  publishedTime: number;
}

/** Versions visible through the repository: held ones (earlier repositories first), then public ones. */
function versionsOf(rr: RegistryRequest, id: string): Listed[] {
  const key = packageKey('nuget', undefined, id);
  const plan = lookupPlan(rr.domain, rr.repo, key, 'nuget');
  const out = new Map<string, Listed>();
  for (const h of heldVersions(plan, key).values()) {
    const info = h.version.metadata?.nuspec as NuspecInfo | undefined;
    if (info) out.set(h.version.version, { version: h.version.version, info, listed: h.version.status === 'Published', publishedTime: h.version.publishedTime });
  }
  for (const [v, p] of Object.entries(publicPackage(rr, plan, key, id) ?? {})) {
    const nv = normalizeNugetVersion(v);
    if (!out.has(nv)) out.set(nv, { version: nv, info: p.info, listed: true, publishedTime: p.publishedTime });
  }
  if (!out.size) throw notFound();
  return [...out.values()];
}

function flatIndex(rr: RegistryRequest, id: string): void {
  countCall(rr.ctx, 'nuget:versions');
  send(rr.res, 200, JSON.stringify({ versions: versionsOf(rr, id).map((v) => v.version) }), 'application/json');
}

function catalogEntry(rr: RegistryRequest, id: string, v: Listed): Record<string, unknown> {
  const leaf = `${rr.endpoint}v3/registrations/${id}/${v.version}.json`;
  return {
    '@id': leaf,
    catalogEntry: {
      '@id': leaf,
      id: v.info.id,
      version: v.version,
      authors: v.info.authors ?? '',
      description: v.info.description ?? '',
      listed: v.listed,
      published: new Date(v.publishedTime * 1000).toISOString(),
      dependencyGroups: v.info.dependencyGroups,
      packageContent: `${rr.endpoint}v3/package/${id}/${v.version}/${id}.${v.version}.nupkg`,
    },
    packageContent: `${rr.endpoint}v3/package/${id}/${v.version}/${id}.${v.version}.nupkg`,
  };
}

function registration(rr: RegistryRequest, id: string): void {
  countCall(rr.ctx, 'nuget:registration');
  const versions = versionsOf(rr, id);
  const items = versions.map((v) => catalogEntry(rr, id, v));
  const index = `${rr.endpoint}v3/registrations/${id}/index.json`;
  const page = {
    '@id': `${index}#page/${versions[0].version}/${versions[versions.length - 1].version}`,
    count: items.length,
    lower: versions[0].version,
    upper: versions[versions.length - 1].version,
    items,
  };
  send(rr.res, 200, JSON.stringify({ '@id': index, count: 1, items: [page] }), 'application/json');
}

function registrationLeaf(rr: RegistryRequest, id: string, version: string): void {
  const v = versionsOf(rr, id).find((x) => x.version === version);
  if (!v) throw notFound();
  const entry = catalogEntry(rr, id, v);
  send(
    rr.res,
    200,
    JSON.stringify({ '@id': entry['@id'], listed: v.listed, packageContent: entry.packageContent, registration: `${rr.endpoint}v3/registrations/${id}/index.json` }),
    'application/json',
  );
}

async function packageFile(rr: RegistryRequest, id: string, version: string, file: string): Promise<void> {
  countCall(rr.ctx, 'nuget:download');
  const nupkg = `${id}.${version}.nupkg`;
  if (file !== nupkg && file !== `${id}.nuspec`) throw notFound();
  const key = packageKey('nuget', undefined, id);
  const plan = lookupPlan(rr.domain, rr.repo, key, 'nuget');
  const entry = Object.entries(publicPackage(rr, plan, key, id) ?? {}).find(([v]) => normalizeNugetVersion(v) === version)?.[1];
  const data = await singleFileVersion(
    rr,
    plan,
    key,
    id,
    version,
    entry && { publishedTime: entry.publishedTime, assetName: nupkg, data: entry.data, summary: entry.info.description, metadata: { nuspec: entry.info } },
  );
  if (file === nupkg) return send(rr.res, 200, data, 'application/octet-stream');
  const nuspec = readZip(data).find((e) => e.path.toLowerCase() === `${id}.nuspec` || (!e.path.includes('/') && e.path.endsWith('.nuspec')));
  if (!nuspec) throw notFound();
  send(rr.res, 200, nuspec.data, 'application/xml');
}

async function push(rr: RegistryRequest): Promise<void> {
  countCall(rr.ctx, 'nuget:push');
  const bad = (m: string) => new RegistryError(400, m, { reasonPhrase: 'Bad Request' });
  const ct = String(rr.req.headers['content-type'] ?? '');
  const boundary = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(ct);
  if (!boundary) throw new RegistryError(415, `Push needs Content-Type multipart/form-data, got "${ct || 'none'}"`, { reasonPhrase: 'Unsupported Media Type' });
  const parts = parseMultipart(await readRegistryBody(rr), boundary[1] ?? boundary[2]);
  const file = parts.find((p) => p.filename !== undefined) ?? parts[0];
  if (!file || file.data.length === 0) throw bad('The request holds no package');
  let nuspecXml: string | undefined;
  try {
    nuspecXml = readZip(file.data, rr.ctx.options.maxBodyBytes)
      .find((e) => !e.path.includes('/') && e.path.toLowerCase().endsWith('.nuspec'))
      ?.data.toString('utf8');
  } catch (e) {
    throw bad(`The package is not a valid .nupkg: ${(e as Error).message}`);
  }
  let info: NuspecInfo | undefined;
  try {
    info = nuspecXml ? parseNuspec(nuspecXml) : undefined;
  } catch (e) {
    if (e instanceof XmlError) throw bad(`The package's ${e.message}`);
    throw e;
  }
  if (!info) throw bad('The package has no .nuspec with an id and a version');
  if (!ID.test(info.id) || info.id.length > 100) throw bad(`Invalid package id "${info.id}"`);
  if (!VERSION.test(info.version)) throw bad(`Invalid package version "${info.version}"`);
  const id = info.id.toLowerCase();
  const version = normalizeNugetVersion(info.version);
  const key = packageKey('nuget', undefined, id);
  const refusal = publishRefusal(rr.domain, rr.repo, key);
  if (refusal) throw new RegistryError(403, `Publishing ${id} to ${rr.repo.name} is ${refusal}`, { reasonPhrase: 'Forbidden' });
  if (rr.repo.packages[key]?.versions[version]) throw new RegistryError(409, `${info.id} ${version} already exists in ${rr.repo.name}`, { reasonPhrase: 'Conflict' });
  const pkg = ensurePackage(rr.repo, 'nuget', undefined, id);
  const pv: PackageVersion = {
    version,
    revision: newRevision(),
    status: 'Published',
    publishedTime: nowEpoch(rr),
    origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: rr.repo.name } },
    assets: [putBlob(rr.ctx.state, `${id}.${version}.nupkg`, file.data)],
    summary: info.description,
    dependencies: Object.fromEntries(info.dependencyGroups.flatMap((g) => g.dependencies).map((d) => [d.id, d.range])),
    metadata: { nuspec: info },
  };
  pkg.versions[version] = pv;
  rr.ctx.persist();
  send(rr.res, 201, '', 'text/plain; charset=utf-8');
}

function unlist(rr: RegistryRequest, id: string, version: string): void {
  countCall(rr.ctx, 'nuget:delete');
  setListed(rr, packageKey('nuget', undefined, id), version, false);
  send(rr.res, 204, '', 'text/plain; charset=utf-8');
}
