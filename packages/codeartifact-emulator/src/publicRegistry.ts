// Public upstreams behind external connections (public:npmjs, public:pypi, public:maven-central).
//
// By default each is a FAKE registry generated deterministically from a fixture spec
// (fixtures/publicFixture.ts), producing real tarballs, wheels and jars on the fly. Options
// `upstreams.npmjs|pypi|maven-central = URL` (command line `--upstream npmjs=URL`) use a real registry
// instead (npm: packument JSON + tarballs; PyPI: the JSON API /pypi/<name>/json; Maven: repository layout).
//
// Fixture / seed format. A seed may carry a top-level key `publicPackages` of this shape; its packages
// are added to the built-in fixture, a package with the same name (npm/pypi) or groupId:artifactId
// (maven) replaces the built-in one, and `npmTree` replaces the generated tree (size 0 removes it):
//   {
//     "npm":   [ { "name": "left-pad" | "@scope/name", "ingestionDelayMs"?: 300,
//                 "distTags"?: { "latest": "1.3.0" },
//                 "versions": [ { "version": "1.3.0", "publishedTime"?: ISO, "dependencies"?: { "x": "^1.0.0" },
//                                 "readme"?: "...", "description"?: "..." } ] } ],
//     "pypi":  [ { "name": "tinyfmt", "ingestionDelayMs"?: 0,
//                 "versions": [ { "version": "1.1.0", "publishedTime"?: ISO, "summary"?: "...", "requires"?: ["tinycolors>=0.1"] } ] } ],
//     "maven": [ { "groupId": "org.example", "artifactId": "greeter", "packaging"?: "jar" | "maven-plugin",
//                 "plugin"?: "resolve", "ingestionDelayMs"?: 0,
//                 "versions": [ { "version": "1.0.0", "publishedTime"?: ISO, "dependencies"?: ["g:a:v"] } ] } ],
//     "npmTree": { "root": "tree-root", "prefix": "tree-node", "size": 160 }
//   }
// `latest` defaults to the highest non-prerelease version. `ingestionDelayMs` overrides the emulator's
// --ingestion-delay-ms for ingestions of that package. `plugin: "resolve"` makes the jar the tiny Maven
// plugin in fixtures/maven-plugin (compiled with javac on first request).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import * as semver from 'semver';
import type { ArchiveEntry } from './archive';
import { defaultPublicFixture } from './fixtures/publicFixture';
import { buildMavenFiles, buildNpmTarball, buildWheel } from './registries/build';
import { normalizePypiName } from './state';

export interface PublicFixture {
  npm?: {
    name: string;
    ingestionDelayMs?: number;
    distTags?: Record<string, string>;
    versions: { version: string; publishedTime?: string; dependencies?: Record<string, string>; readme?: string; description?: string }[];
  }[];
  pypi?: { name: string; ingestionDelayMs?: number; versions: { version: string; publishedTime?: string; summary?: string; requires?: string[] }[] }[];
  maven?: {
    groupId: string;
    artifactId: string;
    packaging?: string;
    plugin?: 'resolve';
    ingestionDelayMs?: number;
    versions: { version: string; publishedTime?: string; dependencies?: string[] }[];
  }[];
  npmTree?: { root: string; prefix: string; size: number };
}

export interface NpmManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [k: string]: unknown;
}

export interface PublicNpmVersion {
  manifest: NpmManifest;
  /** Epoch seconds. */
  publishedTime: number;
  readme?: string;
  tarball(): Promise<Buffer>;
  /** shasum (SHA-1 hex) and integrity (sha512-base64) of the tarball. */
  dist(): Promise<{ shasum: string; integrity: string }>;
}

export interface PublicNpmPackage {
  name: string;
  distTags: Record<string, string>;
  versions: Record<string, PublicNpmVersion>;
}

export interface PublicPypiFile {
  filename: string;
  sha256?: string;
  fetch(): Promise<Buffer>;
}

export interface PublicPypiProject {
  /** Normalised name. */
  name: string;
  latest?: string;
  versions: Record<string, { publishedTime: number; summary?: string; files: PublicPypiFile[] }>;
}

export interface PublicMavenArtifact {
  versions: Record<string, { publishedTime: number; files(): Promise<Record<string, Buffer>> }>;
}

export interface PublicSource {
  npm(name: string): Promise<PublicNpmPackage | undefined>;
  pypi(normalisedName: string): Promise<PublicPypiProject | undefined>;
  maven(groupId: string, artifactId: string): Promise<PublicMavenArtifact | undefined>;
  /** Seed/fixture override of the ingestion delay for a package (npm/pypi name or groupId:artifactId). */
  ingestionDelayMs(format: string, name: string): number | undefined;
}

const DEFAULT_TIME = Date.parse('2024-01-01T00:00:00Z') / 1000;

function seconds(iso: string | undefined, fallback: number): number {
  if (!iso) return fallback;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? fallback : Math.floor(ms / 1000);
}

function newestStable(versions: string[]): string | undefined {
  const sorted = versions.filter((v) => semver.valid(v)).sort(semver.rcompare);
  return sorted.find((v) => !semver.prerelease(v)) ?? sorted[0] ?? versions[versions.length - 1];
}

function memo<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
}

function npmDist(data: Buffer): { shasum: string; integrity: string } {
  return {
    shasum: createHash('sha1').update(data).digest('hex'),
    integrity: 'sha512-' + createHash('sha512').update(data).digest('base64'),
  };
}

/** Deterministic PRNG (LCG) so the generated tree is the same on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** A DAG rooted at `root`: node i (> 0) is a dependency of an earlier node, so all are reachable. */
function generateTree(tree: NonNullable<PublicFixture['npmTree']>): NonNullable<PublicFixture['npm']> {
  const rand = lcg(20240101);
  const width = 3;
  const names = Array.from({ length: tree.size }, (_, i) => `${tree.prefix}-${String(i).padStart(width, '0')}`);
  const deps: Record<string, string>[] = names.map(() => ({}));
  for (let i = 1; i < names.length; i++) {
    deps[Math.floor(rand() * i)][names[i]] = '^1.0.0';
    if (i > 2 && rand() < 0.3) deps[Math.floor(rand() * i)][names[i]] = '^1.0.0';
  }
  const out: NonNullable<PublicFixture['npm']> = names.map((name, i) => ({
    name,
    versions: [
      { version: '1.0.0', publishedTime: new Date((DEFAULT_TIME + i * 3600) * 1000).toISOString(), dependencies: deps[i] },
      { version: '1.0.1', publishedTime: new Date((DEFAULT_TIME + 86400 + i * 3600) * 1000).toISOString(), dependencies: deps[i] },
    ],
  }));
  if (names.length) {
    out.push({ name: tree.root, versions: [{ version: '1.0.0', publishedTime: '2024-02-01T00:00:00Z', dependencies: { [names[0]]: '^1.0.0' } }] });
  }
  return out;
}

/** Merges a seed's `publicPackages` over the built-in fixture (same name replaces). */
export function mergeFixture(base: PublicFixture, extra: unknown): PublicFixture {
  const e = (typeof extra === 'object' && extra !== null ? extra : {}) as PublicFixture;
  const byKey = <T>(a: T[] | undefined, b: T[] | undefined, key: (x: T) => string): T[] => {
    const m = new Map<string, T>();
    for (const x of a ?? []) m.set(key(x), x);
    for (const x of Array.isArray(b) ? b : []) m.set(key(x), x);
    return [...m.values()];
  };
  return {
    npm: byKey(base.npm, e.npm, (p) => p.name),
    pypi: byKey(base.pypi, e.pypi, (p) => normalizePypiName(p.name)),
    maven: byKey(base.maven, e.maven, (p) => `${p.groupId}:${p.artifactId}`),
    npmTree: e.npmTree ?? base.npmTree,
  };
}

/** The fake public registries generated from a fixture. */
export class FakePublicSource implements PublicSource {
  private readonly npmPkgs = new Map<string, PublicNpmPackage>();
  private readonly pypiProjects = new Map<string, PublicPypiProject>();
  private readonly mavenArtifacts = new Map<string, PublicMavenArtifact>();
  private readonly delays = new Map<string, number>();

  constructor(fixture: PublicFixture) {
    const npmList = [...(fixture.npm ?? []), ...(fixture.npmTree && fixture.npmTree.size > 0 ? generateTree(fixture.npmTree) : [])];
    for (const p of npmList) {
      if (p.ingestionDelayMs !== undefined) this.delays.set(`npm:${p.name}`, p.ingestionDelayMs);
      const versions: Record<string, PublicNpmVersion> = {};
      p.versions.forEach((v, i) => {
        const manifest: NpmManifest = { name: p.name, version: v.version, description: v.description ?? `${p.name} (emulator fixture)` };
        if (v.dependencies && Object.keys(v.dependencies).length) manifest.dependencies = { ...v.dependencies };
        const readme = v.readme ?? `# ${p.name}\n\nFixture package ${p.name}@${v.version}.\n`;
        const tarball = memo(() => buildNpmTarball(manifest, readme));
        const dist = memo(() => npmDist(tarball()));
        versions[v.version] = {
          manifest,
          publishedTime: seconds(v.publishedTime, DEFAULT_TIME + i * 86400),
          readme,
          tarball: () => Promise.resolve(tarball()),
          dist: () => Promise.resolve(dist()),
        };
      });
      const latest = p.distTags?.latest ?? newestStable(Object.keys(versions));
      this.npmPkgs.set(p.name, { name: p.name, distTags: { ...(latest ? { latest } : {}), ...p.distTags }, versions });
    }
    for (const p of fixture.pypi ?? []) {
      const name = normalizePypiName(p.name);
      if (p.ingestionDelayMs !== undefined) this.delays.set(`pypi:${name}`, p.ingestionDelayMs);
      const versions: PublicPypiProject['versions'] = {};
      p.versions.forEach((v, i) => {
        const wheel = buildWheel({ name: p.name, version: v.version, summary: v.summary, requires: v.requires });
        const file: PublicPypiFile = {
          filename: wheel.filename,
          sha256: createHash('sha256').update(wheel.data).digest('hex'),
          fetch: () => Promise.resolve(wheel.data),
        };
        versions[v.version] = { publishedTime: seconds(v.publishedTime, DEFAULT_TIME + i * 86400), summary: v.summary, files: [file] };
      });
      this.pypiProjects.set(name, { name, latest: newestStable(Object.keys(versions)), versions });
    }
    for (const p of fixture.maven ?? []) {
      const key = `${p.groupId}:${p.artifactId}`;
      if (p.ingestionDelayMs !== undefined) this.delays.set(`maven:${key}`, p.ingestionDelayMs);
      const versions: PublicMavenArtifact['versions'] = {};
      p.versions.forEach((v, i) => {
        const spec = { groupId: p.groupId, artifactId: p.artifactId, version: v.version, packaging: p.packaging, dependencies: v.dependencies };
        let cached: Promise<Record<string, Buffer>> | undefined;
        versions[v.version] = {
          publishedTime: seconds(v.publishedTime, DEFAULT_TIME + i * 86400),
          files: () => {
            cached ??=
              p.plugin === 'resolve'
                ? resolvePluginEntries(spec.groupId, spec.artifactId, spec.version).then((extra) => buildMavenFiles(spec, extra))
                : Promise.resolve(buildMavenFiles(spec));
            cached.catch(() => (cached = undefined)).catch(() => undefined);
            return cached;
          },
        };
      });
      this.mavenArtifacts.set(key, { versions });
    }
  }

  npm(name: string): Promise<PublicNpmPackage | undefined> {
    return Promise.resolve(this.npmPkgs.get(name));
  }
  pypi(name: string): Promise<PublicPypiProject | undefined> {
    return Promise.resolve(this.pypiProjects.get(normalizePypiName(name)));
  }
  maven(groupId: string, artifactId: string): Promise<PublicMavenArtifact | undefined> {
    return Promise.resolve(this.mavenArtifacts.get(`${groupId}:${artifactId}`));
  }
  ingestionDelayMs(format: string, name: string): number | undefined {
    return this.delays.get(`${format}:${name}`);
  }
}

// ---- real upstreams ---------------------------------------------------------------------------

async function fetchOrUndefined(url: string, accept?: string): Promise<Response | undefined> {
  const res = await fetch(url, { headers: accept ? { accept } : {}, signal: AbortSignal.timeout(30000) });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`upstream ${url} answered ${res.status}`);
  return res;
}

async function fetchBuffer(url: string): Promise<Buffer> {
  const res = await fetchOrUndefined(url);
  if (!res) throw new Error(`upstream ${url} answered 404`);
  return Buffer.from(await res.arrayBuffer());
}

/** A real registry (e.g. the npm registry) used instead of the fake one for one format. */
export class RealPublicSource implements PublicSource {
  private readonly cache = new Map<string, { at: number; value: Promise<unknown> }>();
  constructor(
    private readonly urls: { npmjs?: string; pypi?: string; 'maven-central'?: string },
    private readonly fallback: PublicSource,
  ) {}

  private cached<T>(key: string, f: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 60000) return hit.value as Promise<T>;
    const value = f();
    value.catch(() => this.cache.delete(key));
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  npm(name: string): Promise<PublicNpmPackage | undefined> {
    const base = this.urls.npmjs;
    if (!base) return this.fallback.npm(name);
    return this.cached(`npm:${name}`, async () => {
      const res = await fetchOrUndefined(`${base.replace(/\/$/, '')}/${name.replace('/', '%2f')}`, 'application/json');
      if (!res) return undefined;
      const doc = (await res.json()) as {
        'dist-tags'?: Record<string, string>;
        time?: Record<string, string>;
        versions?: Record<string, NpmManifest & { dist?: { tarball?: string; shasum?: string; integrity?: string } }>;
      };
      const versions: Record<string, PublicNpmVersion> = {};
      for (const [v, m] of Object.entries(doc.versions ?? {})) {
        const dist = m.dist ?? {};
        const manifest: NpmManifest = { name: m.name, version: m.version };
        for (const k of [
          'dependencies',
          'optionalDependencies',
          'peerDependencies',
          'peerDependenciesMeta',
          'bin',
          'engines',
          'os',
          'cpu',
          'description',
          'license',
          'main',
          'deprecated',
        ]) {
          if (m[k] !== undefined) manifest[k] = m[k];
        }
        const tarball = memo(() => fetchBuffer(dist.tarball ?? ''));
        versions[v] = {
          manifest,
          publishedTime: seconds(doc.time?.[v], Math.floor(Date.now() / 1000)),
          tarball,
          dist: async () => (dist.shasum && dist.integrity ? { shasum: dist.shasum, integrity: dist.integrity } : npmDist(await tarball())),
        };
      }
      return { name, distTags: doc['dist-tags'] ?? {}, versions };
    });
  }

  pypi(name: string): Promise<PublicPypiProject | undefined> {
    const base = this.urls.pypi;
    if (!base) return this.fallback.pypi(name);
    return this.cached(`pypi:${name}`, async () => {
      const res = await fetchOrUndefined(`${base.replace(/\/$/, '')}/pypi/${name}/json`, 'application/json');
      if (!res) return undefined;
      const doc = (await res.json()) as {
        info?: { version?: string; summary?: string };
        releases?: Record<string, { filename: string; url: string; digests?: { sha256?: string }; upload_time_iso_8601?: string }[]>;
      };
      const versions: PublicPypiProject['versions'] = {};
      for (const [v, files] of Object.entries(doc.releases ?? {})) {
        if (!files.length) continue;
        versions[v] = {
          publishedTime: seconds(files[0].upload_time_iso_8601, Math.floor(Date.now() / 1000)),
          files: files.map((f) => ({ filename: f.filename, sha256: f.digests?.sha256, fetch: memo(() => fetchBuffer(f.url)) })),
        };
      }
      return { name: normalizePypiName(name), latest: doc.info?.version, versions };
    });
  }

  maven(groupId: string, artifactId: string): Promise<PublicMavenArtifact | undefined> {
    const base = this.urls['maven-central'];
    if (!base) return this.fallback.maven(groupId, artifactId);
    return this.cached(`maven:${groupId}:${artifactId}`, async () => {
      const dir = `${base.replace(/\/$/, '')}/${groupId.replace(/\./g, '/')}/${artifactId}`;
      const res = await fetchOrUndefined(`${dir}/maven-metadata.xml`);
      if (!res) return undefined;
      const xml = await res.text();
      const versions: PublicMavenArtifact['versions'] = {};
      for (const m of xml.matchAll(/<version>([^<]+)<\/version>/g)) {
        const v = m[1].trim();
        versions[v] = {
          publishedTime: Math.floor(Date.now() / 1000),
          files: memo(async () => {
            const out: Record<string, Buffer> = {};
            for (const ext of ['pom', 'jar']) {
              const name = `${artifactId}-${v}.${ext}`;
              const r = await fetchOrUndefined(`${dir}/${v}/${name}`);
              if (r) out[name] = Buffer.from(await r.arrayBuffer());
            }
            return out;
          }),
        };
      }
      return { versions };
    });
  }

  ingestionDelayMs(format: string, name: string): number | undefined {
    return this.fallback.ingestionDelayMs(format, name);
  }
}

// ---- the tiny Maven plugin ---------------------------------------------------------------------

let pluginClasses: Promise<ArchiveEntry[]> | undefined;

function pluginXml(groupId: string, artifactId: string, version: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<plugin>
  <name>${artifactId}</name>
  <groupId>${groupId}</groupId>
  <artifactId>${artifactId}</artifactId>
  <version>${version}</version>
  <goalPrefix>resolve</goalPrefix>
  <isolatedRealm>false</isolatedRealm>
  <inheritedByDefault>true</inheritedByDefault>
  <mojos>
    <mojo>
      <goal>resolve</goal>
      <description>Lists the project's resolved dependencies.</description>
      <requiresDependencyResolution>test</requiresDependencyResolution>
      <requiresDirectInvocation>false</requiresDirectInvocation>
      <requiresProject>true</requiresProject>
      <requiresReports>false</requiresReports>
      <aggregator>false</aggregator>
      <requiresOnline>false</requiresOnline>
      <inheritedByDefault>true</inheritedByDefault>
      <implementation>org.example.emulator.ResolveMojo</implementation>
      <language>java</language>
      <instantiationStrategy>per-lookup</instantiationStrategy>
      <executionStrategy>once-per-session</executionStrategy>
      <threadSafe>true</threadSafe>
      <parameters>
        <parameter>
          <name>project</name>
          <type>org.apache.maven.project.MavenProject</type>
          <required>true</required>
          <editable>false</editable>
          <description>The project being built.</description>
        </parameter>
      </parameters>
      <configuration>
        <project implementation="org.apache.maven.project.MavenProject" default-value="\${project}"/>
      </configuration>
    </mojo>
  </mojos>
  <dependencies/>
</plugin>
`;
}

/** Compiles fixtures/maven-plugin with javac against Maven's own jars (once per process). */
async function resolvePluginEntries(groupId: string, artifactId: string, version: string): Promise<ArchiveEntry[]> {
  pluginClasses ??= (async () => {
    const src = join(__dirname, 'fixtures', 'maven-plugin');
    const libDir = process.env.MAVEN_LIB_DIR ?? '/usr/share/maven/lib';
    const cp = readdirSync(libDir)
      .filter((f) => f.endsWith('.jar'))
      .map((f) => join(libDir, f))
      .join(':');
    const out = mkdtempSync(join(tmpdir(), 'emu-plugin-'));
    try {
      const sources: string[] = [];
      const walk = (d: string): void => {
        for (const f of readdirSync(d)) {
          const p = join(d, f);
          if (statSync(p).isDirectory()) walk(p);
          else if (f.endsWith('.java')) sources.push(p);
        }
      };
      walk(src);
      await promisify(execFile)('javac', ['-nowarn', '--release', '11', '-cp', cp, '-d', out, ...sources], { timeout: 120000 });
      const entries: ArchiveEntry[] = [];
      const collect = (d: string): void => {
        for (const f of readdirSync(d).sort()) {
          const p = join(d, f);
          if (statSync(p).isDirectory()) collect(p);
          else entries.push({ path: relative(out, p), data: readFileSync(p) });
        }
      };
      collect(out);
      return entries;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  })();
  pluginClasses.catch(() => (pluginClasses = undefined));
  const classes = await pluginClasses;
  return [...classes, { path: 'META-INF/maven/plugin.xml', data: pluginXml(groupId, artifactId, version) }];
}

/** The public source for the current options and seed (fake unless a URL is configured). */
export function publicSource(urls: { npmjs?: string; pypi?: string; 'maven-central'?: string }, fake: FakePublicSource): PublicSource {
  return urls.npmjs || urls.pypi || urls['maven-central'] ? new RealPublicSource(urls, fake) : fake;
}

export function fakeFromSeedExtra(extra: Record<string, unknown>): FakePublicSource {
  return new FakePublicSource(mergeFixture(defaultPublicFixture, extra.publicPackages));
}
