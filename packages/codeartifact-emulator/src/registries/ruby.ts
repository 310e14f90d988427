// The RubyGems registry of a repository, as CodeArtifact serves it: the Dependencies API
// (`api/v1/dependencies?gems=a,b`, Marshal 4.8; `.json` too), gem downloads (`gems/NAME-VERSION.gem`)
// and `gem push` (POST `api/v1/gems`). No compact index (`versions`, `info/`) and no spec indexes
// (`specs.4.8.gz`): both are 404, as the service's Bundler compatibility notes say. The fake public
// RubyGems behind public:ruby-gems-org is here too (a couple of gems built on the fly, extended by the
// seed's `publicPackages.ruby`).
import { publishRefusal } from '../governance';
import { countCall } from '../context';
import { getBlob, newRevision, packageKey, putBlob, type Asset } from '../state';
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
import { buildGem, GEM_NAME, gemFileName, marshalDump, quickGemspec, readGem, type GemSpec, type RubyValue } from './rubyGem';

// ---- the fake public RubyGems --------------------------------------------------------------------

interface PublicGemVersion {
  spec: GemSpec;
  publishedTime: number;
  gem: () => Buffer;
}

interface PublicGem {
  latest: string;
  ingestionDelayMs?: number;
  versions: Record<string, PublicGemVersion>;
}

interface RubyFixtureGem {
  name: string;
  ingestionDelayMs?: number;
  versions: { version: string; publishedTime?: string; summary?: string; dependencies?: Record<string, string> }[];
}

/** Built in: tiny-ruby 1.0.0 and 1.1.0, tiny-greeter 0.2.0 (depends on tiny-ruby ~> 1.0). */
const BUILT_IN: RubyFixtureGem[] = [
  { name: 'tiny-ruby', versions: [{ version: '1.0.0' }, { version: '1.1.0', summary: 'Tiny helpers' }] },
  { name: 'tiny-greeter', versions: [{ version: '0.2.0', summary: 'Greets', dependencies: { 'tiny-ruby': '~> 1.0' } }] },
];

const FIXTURE_TIME = Date.UTC(2024, 0, 1) / 1000;

function comparePlainVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number(x));
  const pb = b.split('.').map((x) => Number(x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function buildPublicGems(extra: unknown): Map<string, PublicGem> {
  const gems = new Map<string, PublicGem>();
  const seedGems = (extra as { ruby?: unknown } | undefined)?.ruby;
  const list = [...BUILT_IN, ...(Array.isArray(seedGems) ? (seedGems as RubyFixtureGem[]) : [])];
  for (const g of list) {
    if (!g || typeof g.name !== 'string' || !GEM_NAME.test(g.name) || !Array.isArray(g.versions)) continue;
    const versions: Record<string, PublicGemVersion> = {};
    g.versions.forEach((v, i) => {
      const spec: GemSpec = { name: g.name, version: v.version, platform: 'ruby', summary: v.summary, licenses: ['MIT'], dependencies: { ...v.dependencies } };
      let bytes: Buffer | undefined;
      const parsed = v.publishedTime ? Date.parse(v.publishedTime) / 1000 : NaN;
      versions[v.version] = { spec, publishedTime: Number.isFinite(parsed) ? parsed : FIXTURE_TIME + i * 86400, gem: () => (bytes ??= buildGem(spec)) };
    });
    const stable = Object.keys(versions).filter((v) => /^[0-9.]+$/.test(v));
    const latest = (stable.length ? stable : Object.keys(versions)).sort(comparePlainVersions).pop();
    if (latest) gems.set(g.name, { latest, ingestionDelayMs: g.ingestionDelayMs, versions });
  }
  return gems;
}

const publicGemsByState = new WeakMap<object, Map<string, PublicGem>>();

function publicGems(rr: RegistryRequest): Map<string, PublicGem> {
  const extra = rr.ctx.state.extra;
  let gems = publicGemsByState.get(extra);
  if (!gems) {
    gems = buildPublicGems((extra.publicPackages as Record<string, unknown> | undefined) ?? undefined);
    publicGemsByState.set(extra, gems);
  }
  return gems;
}

// ---- routes ----------------------------------------------------------------------------------

function notFound(message = 'Not Found'): RegistryError {
  return new RegistryError(404, message, { reasonPhrase: 'Not Found' });
}

export async function handleRuby(rr: RegistryRequest): Promise<void> {
  const method = rr.req.method ?? 'GET';
  const path = rr.rest;
  if (path === 'api/v1/gems') {
    if (method !== 'POST') throw new RegistryError(405, `Method ${method} not allowed here`, { reasonPhrase: 'Method Not Allowed' });
    return push(rr);
  }
  if (method !== 'GET' && method !== 'HEAD') throw new RegistryError(405, `Method ${method} not allowed here`, { reasonPhrase: 'Method Not Allowed' });
  if (path === 'api/v1/dependencies' || path === 'api/v1/dependencies.json') return dependencies(rr, path.endsWith('.json'));
  const m = /^gems\/([^/]+\.gem)$/.exec(path);
  if (m) return download(rr, safeDecode(m[1]));
  const q = /^quick\/Marshal\.4\.8\/([^/]+)\.gemspec\.rz$/.exec(path);
  if (q) return download(rr, `${safeDecode(q[1])}.gem`, true);
  // The compact index (versions, info/NAME) and the spec indexes (specs.4.8.gz, ...) are not served.
  throw notFound(`No RubyGems route for /${path}`);
}

function publicUsable(rr: RegistryRequest, plan: LookupPlan, name: string): PublicGem | undefined {
  if (!plan.connection || !upstreamAllowed(rr.domain, plan.connection.repo, packageKey('ruby', undefined, name))) return undefined;
  return publicGems(rr).get(name);
}

interface DepEntry {
  name: string;
  number: string;
  platform: string;
  dependencies: [string, string][];
}

function entryOf(name: string, version: string, platform: string, deps: Record<string, string> | undefined): DepEntry {
  return { name, number: version, platform, dependencies: Object.entries(deps ?? {}).map(([n, r]) => [n, r || '>= 0']) };
}

async function dependencies(rr: RegistryRequest, json: boolean): Promise<void> {
  countCall(rr.ctx, 'ruby:dependencies');
  const gemsParam = rr.url.searchParams.get('gems');
  const names = (gemsParam ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length > 200) throw new RegistryError(422, 'Too many gems (use --full-index instead)', { reasonPhrase: 'Unprocessable Entity' });
  const bad = names.find((n) => !GEM_NAME.test(n));
  if (bad !== undefined) throw new RegistryError(400, `Invalid gem name "${bad}"`, { reasonPhrase: 'Bad Request' });
  const out: DepEntry[] = [];
  for (const name of [...new Set(names)]) {
    const key = packageKey('ruby', undefined, name);
    const plan = lookupPlan(rr.domain, rr.repo, key, 'ruby');
    let held = heldVersions(plan, key, new Set(['Published']));
    const pub = publicUsable(rr, plan, name);
    if (held.size === 0 && pub && plan.connection) {
      await ingestGem(rr, plan.connection, name, pub, pub.latest);
      held = heldVersions(plan, key, new Set(['Published']));
    }
    const seen = new Set<string>();
    for (const h of held.values()) {
      seen.add(h.version.version);
      out.push(entryOf(name, h.version.version, String(h.version.metadata?.platform ?? 'ruby'), h.version.dependencies));
    }
    for (const [version, v] of Object.entries(pub?.versions ?? {})) {
      if (!seen.has(version)) out.push(entryOf(name, version, v.spec.platform, v.spec.dependencies));
    }
  }
  if (json) {
    send(rr.res, 200, JSON.stringify(out) + '\n', 'application/json; charset=utf-8');
    return;
  }
  // Without gems= the service answers 200 and an empty body: Bundler takes that as "the API is here".
  if (gemsParam === null) {
    send(rr.res, 200, '', 'application/octet-stream');
    return;
  }
  const sym = (s: string) => ({ symbol: s });
  const value: RubyValue = out.map(
    (e) =>
      new Map<RubyValue, RubyValue>([
        [sym('name'), e.name],
        [sym('number'), e.number],
        [sym('platform'), e.platform],
        [sym('dependencies'), e.dependencies],
      ]),
  );
  send(rr.res, 200, marshalDump(value), 'application/octet-stream');
}

/** The gem file of a held version; a seeded version without assets gets a synthesised gem. */
function gemAsset(rr: RegistryRequest, held: Held): Asset {
  const v = held.version;
  if (!v.assets.length) {
    const spec: GemSpec = { name: held.pkg.name, version: v.version, platform: 'ruby', summary: v.summary, licenses: [], dependencies: { ...v.dependencies } };
    v.assets.push(putBlob(rr.ctx.state, gemFileName(spec), buildGem(spec)));
    rr.ctx.persist();
  }
  return v.assets[0];
}

/** The spec of a held version: from its .gem, else from what the version records. */
function specOf(held: Held, data: Buffer): GemSpec {
  try {
    return readGem(data);
  } catch {
    const v = held.version;
    return { name: held.pkg.name, version: v.version, platform: 'ruby', summary: v.summary, licenses: [], dependencies: { ...v.dependencies } };
  }
}

/** Candidate (name, version) splits of NAME-VERSION[-PLATFORM].gem: the version starts with a digit. */
function splits(filename: string): { name: string; version: string }[] {
  const stem = filename.slice(0, -'.gem'.length);
  const out: { name: string; version: string }[] = [];
  for (let i = stem.indexOf('-'); i > 0; i = stem.indexOf('-', i + 1)) {
    const name = stem.slice(0, i);
    const rest = stem.slice(i + 1);
    if (GEM_NAME.test(name) && /^[0-9]/.test(rest)) out.push({ name, version: rest });
  }
  return out;
}

/** The .gem (or, `quick`, its quick/Marshal.4.8 gemspec) of NAME-VERSION[-PLATFORM].gem. */
async function download(rr: RegistryRequest, filename: string, quick = false): Promise<void> {
  countCall(rr.ctx, quick ? 'ruby:gemspec' : 'ruby:gem');
  for (const { name } of splits(filename)) {
    const key = packageKey('ruby', undefined, name);
    const plan = lookupPlan(rr.domain, rr.repo, key, 'ruby');
    const find = () => [...heldVersions(plan, key).values()].find((h) => gemAsset(rr, h).name === filename);
    let held = find();
    if (!held) {
      const pub = publicUsable(rr, plan, name);
      const version = Object.entries(pub?.versions ?? {}).find(([, v]) => gemFileName(v.spec) === filename)?.[0];
      if (pub && version && plan.connection) {
        await ingestGem(rr, plan.connection, name, pub, version);
        held = find();
      }
    }
    if (!held) continue;
    copyToRequested(rr, held);
    const data = getBlob(rr.ctx.state, gemAsset(rr, held));
    if (!data) throw new RegistryError(500, `Asset bytes of ${filename} are missing`);
    send(rr.res, 200, quick ? quickGemspec(specOf(held, data)) : data, 'application/octet-stream');
    return;
  }
  throw notFound();
}

async function ingestGem(rr: RegistryRequest, connection: NonNullable<LookupPlan['connection']>, name: string, pub: PublicGem, version: string): Promise<void> {
  const v = pub.versions[version];
  const commit = (data: Buffer): void => {
    storeExternal(
      rr,
      connection,
      { name },
      {
        version,
        publishedTime: v.publishedTime,
        summary: v.spec.summary,
        licenses: v.spec.licenses.map((l) => ({ name: l })),
        dependencies: { ...v.spec.dependencies },
        metadata: { platform: v.spec.platform },
        assets: [putBlob(rr.ctx.state, gemFileName(v.spec), data)],
      },
    );
  };
  await ingestAndWait(rr, connection, name, version, () => Promise.resolve(v.gem()), commit, pub.ingestionDelayMs);
}

// ---- gem push ----------------------------------------------------------------------------------

async function push(rr: RegistryRequest): Promise<void> {
  countCall(rr.ctx, 'ruby:push');
  const body = await readRegistryBody(rr);
  if (body.length === 0) throw new RegistryError(400, 'Empty request body: expected a .gem file', { reasonPhrase: 'Bad Request' });
  let spec: GemSpec;
  try {
    spec = readGem(body);
  } catch (e) {
    throw new RegistryError(422, `RubyGems.org cannot process this gem: ${(e as Error).message}`, { reasonPhrase: 'Unprocessable Entity' });
  }
  const key = packageKey('ruby', undefined, spec.name);
  const refusal = publishRefusal(rr.domain, rr.repo, key);
  if (refusal) throw new RegistryError(403, `Publishing ${spec.name} to ${rr.repo.name} is ${refusal}`, { reasonPhrase: 'Forbidden' });
  const existing = rr.repo.packages[key]?.versions[spec.version];
  if (existing) throw new RegistryError(409, `Repushing of gem versions is not allowed: ${spec.name} ${spec.version} already exists`, { reasonPhrase: 'Conflict' });
  const pkg = ensurePackage(rr.repo, 'ruby', undefined, spec.name);
  pkg.versions[spec.version] = {
    version: spec.version,
    revision: newRevision(),
    status: 'Published',
    publishedTime: nowEpoch(rr),
    origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: rr.repo.name } },
    assets: [putBlob(rr.ctx.state, gemFileName(spec), body)],
    summary: spec.summary,
    homePage: spec.homepage,
    licenses: spec.licenses.length ? spec.licenses.map((l) => ({ name: l })) : undefined,
    dependencies: spec.dependencies,
    metadata: { platform: spec.platform },
  };
  rr.ctx.persist();
  send(rr.res, 200, `Successfully registered gem: ${spec.name} (${spec.version})`, 'text/plain; charset=utf-8');
}
