// Lockfile readers: the exact package versions a project will fetch, so pre-warm can ask the
// repository for all of them at once. Each reader is a pure function of the file's text (plus file
// reads for requirements `-r` includes and local Maven parents) and throws LockfileError naming the
// file and the problem when the input is malformed.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import semver from 'semver';
import { normalizeCoordinates, normalizePypiName, packageKey, type PackageCoordinates, type ToolFormat } from '../coordinates';
import { child, childText, children, parseXml, XmlError, type XmlElement } from '../xml';

/**
 * One package version the project fetches, in CodeArtifact's terms: npm scope (without '@') or Maven groupId as
 * namespace, absent for PyPI and unscoped npm packages; PyPI names normalised as PEP 503.
 */
export interface LockEntry extends PackageCoordinates<ToolFormat> {
  version: string;
}

export interface LockfileResult {
  file: string;
  entries: LockEntry[];
  /** Things skipped that a user may want to know about (unresolved Maven versions, ...). */
  warnings: string[];
}

export class LockfileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'LockfileError';
  }
}

function dedupe(entries: LockEntry[]): LockEntry[] {
  const seen = new Map<string, LockEntry>();
  for (const e of entries) if (!seen.has(packageKey(e))) seen.set(packageKey(e), e);
  return [...seen.values()];
}

function npmEntry(fullName: string, version: string): LockEntry {
  return { ...normalizeCoordinates({ format: 'npm', name: fullName }), version };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---- npm: package-lock.json / npm-shrinkwrap.json ------------------------------------------

/**
 * package-lock v2/v3 read from the `packages` map; v1 (npm 6) from the nested `dependencies`.
 * Skipped: the root (""), workspace folders, links, bundled packages, and anything not from a registry
 * (git, file, remote tarballs), because CodeArtifact never serves those.
 */
export function parsePackageLock(text: string, file = 'package-lock.json'): LockfileResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LockfileError(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(doc)) throw new LockfileError(file, 'expected a JSON object');
  const lv = doc.lockfileVersion;
  const entries: LockEntry[] = [];
  const warnings: string[] = [];
  if (isObject(doc.packages)) {
    for (const [key, value] of Object.entries(doc.packages)) {
      if (key === '' || !isObject(value)) continue;
      const at = key.lastIndexOf('node_modules/');
      if (at < 0) continue; // a workspace folder, not something fetched
      if (value.link === true || value.inBundle === true || value.bundled === true) continue;
      const version = value.version;
      if (typeof version !== 'string') throw new LockfileError(file, `packages["${key}"] has no version`);
      const resolved = typeof value.resolved === 'string' ? value.resolved : undefined;
      if (resolved && !/^https?:\/\//.test(resolved)) continue; // git+ssh:, file:, ...
      if (!semver.valid(version)) continue; // e.g. a git commit as version
      // An alias (`"foo": "npm:bar@1"`) installs under node_modules/foo but fetches `bar`.
      const name = typeof value.name === 'string' ? value.name : key.slice(at + 'node_modules/'.length);
      if (resolved && /\.tgz$/.test(resolved) && !resolved.includes('/-/')) continue; // a remote tarball URL dependency
      entries.push(npmEntry(name, version));
    }
    return { file, entries: dedupe(entries), warnings };
  }
  if (lv === 1 || (lv === undefined && isObject(doc.dependencies))) {
    const walk = (deps: unknown, path: string) => {
      if (!isObject(deps)) return;
      for (const [name, dep] of Object.entries(deps)) {
        if (!isObject(dep)) throw new LockfileError(file, `${path}["${name}"] is not an object`);
        if (dep.bundled !== true && typeof dep.version === 'string') {
          const m = /^npm:(.+)@([^@]+)$/.exec(dep.version);
          if (m) entries.push(npmEntry(m[1], m[2]));
          else if (semver.valid(dep.version)) entries.push(npmEntry(name, dep.version));
        }
        walk(dep.dependencies, `${path}["${name}"].dependencies`);
      }
    };
    walk(doc.dependencies, 'dependencies');
    return { file, entries: dedupe(entries), warnings };
  }
  throw new LockfileError(file, `no "packages" map (lockfileVersion ${JSON.stringify(lv)}); is this an npm lockfile?`);
}

// ---- pnpm-lock.yaml --------------------------------------------------------------------------

/**
 * pnpm keys: v5 `/name/1.0.0`, v6 `/name@1.0.0(peer@2.0.0)`, v9 `name@1.0.0` (with `snapshots`
 * holding the peer variants of the same packages, so `packages` alone lists each version once).
 */
export function parsePnpmLock(text: string, file = 'pnpm-lock.yaml'): LockfileResult {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new LockfileError(file, `not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isObject(doc) || doc.lockfileVersion === undefined) throw new LockfileError(file, 'no lockfileVersion; is this a pnpm lockfile?');
  const packages = doc.packages ?? {};
  if (!isObject(packages)) throw new LockfileError(file, '"packages" is not a mapping');
  const entries: LockEntry[] = [];
  const warnings: string[] = [];
  const v5 = parseFloat(String(doc.lockfileVersion)) < 6;
  for (const [rawKey, value] of Object.entries(packages)) {
    let key = rawKey.startsWith('/') ? rawKey.slice(1) : rawKey;
    const v = isObject(value) ? value : {};
    const resolution = isObject(v.resolution) ? v.resolution : {};
    if (typeof resolution.tarball === 'string' || typeof resolution.repo === 'string' || typeof resolution.directory === 'string') continue;
    let name: string | undefined;
    let version: string | undefined;
    if (v5) {
      key = key.replace(/_[^/]*$/, ''); // peer suffix `_react@18.0.0` (its '/' written as '+')
      const slash = key.lastIndexOf('/');
      if (slash > 0) {
        name = key.slice(0, slash);
        version = key.slice(slash + 1);
      }
    } else {
      key = key.replace(/\(.*$/, ''); // peer suffix `(react@18.0.0)`
      const at = key.lastIndexOf('@');
      if (at > 0) {
        name = key.slice(0, at);
        version = key.slice(at + 1);
      }
    }
    if (typeof v.name === 'string' && typeof v.version === 'string') {
      name = v.name;
      version = v.version;
    }
    if (!name || !version) throw new LockfileError(file, `cannot read a name and version from package key "${rawKey}"`);
    if (!semver.valid(version)) continue; // link:, file:, git URLs
    entries.push(npmEntry(name, version));
  }
  return { file, entries: dedupe(entries), warnings };
}

// ---- yarn.lock (v1 and berry) ----------------------------------------------------------------

const NON_REGISTRY = /^(file:|link:|portal:|workspace:|patch:|exec:|git[+:]|github:|gitlab:|bitbucket:|https?:|ssh:)/;

/** `name@range` -> name and range; the name may start with '@'. */
function splitSpec(spec: string): { name: string; range: string } | undefined {
  const at = spec.indexOf('@', 1);
  if (at < 0) return undefined;
  return { name: spec.slice(0, at), range: spec.slice(at + 1) };
}

export function parseYarnLock(text: string, file = 'yarn.lock'): LockfileResult {
  // Berry writes YAML with a __metadata block; v1 writes its own indentation format.
  if (/^__metadata:/m.test(text)) return parseYarnBerry(text, file);
  return parseYarnV1(text, file);
}

function parseYarnBerry(text: string, file: string): LockfileResult {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new LockfileError(file, `not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isObject(doc)) throw new LockfileError(file, 'expected a YAML mapping');
  const entries: LockEntry[] = [];
  for (const [key, value] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    if (!isObject(value)) throw new LockfileError(file, `entry "${key}" is not a mapping`);
    const resolution = value.resolution;
    if (typeof resolution !== 'string') throw new LockfileError(file, `entry "${key}" has no resolution`);
    // resolution is `name@npm:1.2.3` for registry packages; workspaces, patches, git etc. use other protocols.
    const spec = splitSpec(resolution);
    if (!spec) throw new LockfileError(file, `cannot read resolution "${resolution}"`);
    if (!spec.range.startsWith('npm:')) continue;
    const version = spec.range.slice(4);
    if (!semver.valid(version)) continue;
    entries.push(npmEntry(spec.name, version));
  }
  return { file, entries: dedupe(entries), warnings: [] };
}

/** A yarn.lock v1 string, quoted (JSON rules) or bare; a malformed quoted one is a LockfileError at line `n`. */
function unquote(s: string, file: string, n: number): string {
  s = s.trim();
  if (!(s.startsWith('"') && s.endsWith('"'))) return s;
  try {
    return JSON.parse(s) as string;
  } catch {
    throw new LockfileError(file, `line ${n}: malformed quoted string`);
  }
}

function parseYarnV1(text: string, file: string): LockfileResult {
  const entries: LockEntry[] = [];
  const lines = text.split(/\r?\n/);
  let header: { specs: string[]; line: number } | undefined;
  let version: string | undefined;
  let sawEntry = false;
  const flush = () => {
    if (!header) return;
    if (version === undefined) throw new LockfileError(file, `line ${header.line}: entry "${header.specs.join(', ')}" has no version`);
    const spec = splitSpec(header.specs[0]);
    if (!spec) throw new LockfileError(file, `line ${header.line}: cannot read "${header.specs[0]}"`);
    let { name, range } = spec;
    const alias = /^npm:(.+)$/.exec(range);
    if (alias) {
      const inner = splitSpec(alias[1]);
      if (inner) ({ name, range } = inner);
      else name = alias[1];
    }
    if (!NON_REGISTRY.test(range) && semver.valid(version)) entries.push(npmEntry(name, version));
    header = undefined;
    version = undefined;
  };
  lines.forEach((raw, idx) => {
    if (!raw.trim() || raw.trimStart().startsWith('#')) return;
    if (!/^\s/.test(raw)) {
      flush();
      if (!raw.endsWith(':')) throw new LockfileError(file, `line ${idx + 1}: expected "name@range:" but found "${raw.slice(0, 80)}"`);
      const specs = raw
        .slice(0, -1)
        .split(/,\s*/)
        .map((x) => unquote(x, file, idx + 1));
      header = { specs, line: idx + 1 };
      sawEntry = true;
      return;
    }
    const m = /^ {2}version:? +(.+)$/.exec(raw);
    if (m && header) version = unquote(m[1], file, idx + 1);
  });
  flush();
  if (!sawEntry && !/yarn lockfile v1/.test(text)) throw new LockfileError(file, 'no entries and no "# yarn lockfile v1" header; is this a yarn lockfile?');
  return { file, entries: dedupe(entries), warnings: [] };
}

// ---- requirements.txt ------------------------------------------------------------------------

/**
 * `name==version` pins (and `===`), following `-r`/`--requirement` includes relative to the including
 * file. Unpinned lines, options, editable installs, URLs and `-c` constraints are skipped.
 */
export function readRequirements(path: string): LockfileResult {
  const entries: LockEntry[] = [];
  const warnings: string[] = [];
  const visiting = new Set<string>();
  const visit = (file: string, from?: string) => {
    const abs = resolve(file);
    if (visiting.has(abs)) throw new LockfileError(file, `included again from ${from}: -r includes form a cycle`);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      throw new LockfileError(
        from ?? file,
        from
          ? `cannot read included file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`
          : `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    visiting.add(abs);
    // Join continuation lines, then drop comments (" #" starts one; a URL fragment "#egg=" does not).
    const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
    logical.forEach((raw, idx) => {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (!line) return;
      const inc = /^(?:-r|--requirement)(?:\s+|=)(\S+)$/.exec(line);
      if (inc) {
        visit(join(dirname(abs), inc[1]), `${file}:${idx + 1}`);
        return;
      }
      if (line.startsWith('-')) return; // -c, -e, -i, --hash on its own, other options
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(line) || line.startsWith('.') || line.startsWith('/')) return; // URLs, paths
      const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$/.exec(line);
      if (!m) {
        warnings.push(`${file}:${idx + 1}: cannot read "${line}"`);
        return;
      }
      const spec = m[3]
        .replace(/\s--hash[= ]\S+/g, '')
        .replace(/;.*$/, '')
        .trim();
      if (spec.includes('@')) return; // `name @ url`
      const pin = /^===?\s*([^\s,]+)$/.exec(spec);
      if (!pin || pin[1].includes('*')) return; // unpinned, a range, or a wildcard
      entries.push({ format: 'pypi', name: normalizePypiName(m[1]), version: pin[1] });
    });
    visiting.delete(abs);
  };
  visit(path);
  return { file: path, entries: dedupe(entries), warnings };
}

// ---- Gradle version catalog ------------------------------------------------------------------

function catalogVersion(v: unknown, versions: Record<string, unknown>, where: string, file: string): string | undefined {
  if (typeof v === 'string') return v;
  if (!isObject(v)) return undefined;
  if (typeof v.ref === 'string') {
    if (!(v.ref in versions)) throw new LockfileError(file, `${where}: version.ref "${v.ref}" is not in [versions]`);
    return catalogVersion(versions[v.ref], versions, `[versions].${v.ref}`, file);
  }
  // Rich versions: the one Gradle will pick when nothing else constrains it.
  for (const k of ['strictly', 'require', 'prefer']) if (typeof v[k] === 'string') return v[k];
  return undefined;
}

/** gradle/libs.versions.toml: [libraries] with a version string or version.ref; ranges and BOM-managed ones skipped. */
export function parseVersionCatalog(text: string, file = 'gradle/libs.versions.toml'): LockfileResult {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    throw new LockfileError(file, `not valid TOML (${(e as Error).message.split('\n')[0]})`);
  }
  const versions = isObject(doc.versions) ? doc.versions : {};
  const libraries = doc.libraries ?? {};
  if (!isObject(libraries)) throw new LockfileError(file, '[libraries] is not a table');
  const entries: LockEntry[] = [];
  const warnings: string[] = [];
  for (const [alias, lib] of Object.entries(libraries)) {
    const where = `[libraries].${alias}`;
    let group: string | undefined;
    let artifact: string | undefined;
    let version: string | undefined;
    if (typeof lib === 'string') {
      const parts = lib.split(':');
      if (parts.length < 2 || parts.length > 3) throw new LockfileError(file, `${where}: "${lib}" is not "group:artifact:version"`);
      [group, artifact, version] = parts;
    } else if (isObject(lib)) {
      if (typeof lib.module === 'string') {
        const parts = lib.module.split(':');
        if (parts.length !== 2) throw new LockfileError(file, `${where}: module "${lib.module}" is not "group:artifact"`);
        [group, artifact] = parts;
      } else if (typeof lib.group === 'string' && typeof lib.name === 'string') {
        group = lib.group;
        artifact = lib.name;
      } else throw new LockfileError(file, `${where}: needs module = "group:artifact" or group and name`);
      version = catalogVersion(lib.version, versions, where, file);
    } else throw new LockfileError(file, `${where}: expected a string or an inline table`);
    if (!version) {
      warnings.push(`${where}: no version (managed by a platform/BOM), skipped`);
      continue;
    }
    if (/[[\]()+,]/.test(version)) {
      warnings.push(`${where}: version "${version}" is a range, skipped`);
      continue;
    }
    entries.push({ format: 'maven', namespace: group, name: artifact, version });
  }
  return { file, entries: dedupe(entries), warnings };
}

// ---- pom.xml ---------------------------------------------------------------------------------

interface PomModel {
  file: string;
  groupId?: string;
  artifactId?: string;
  version?: string;
  properties: Map<string, string>;
  /** `group:artifact` (and `group:artifact:type:classifier` keys are not needed for versions). */
  managed: Map<string, string>;
  managedPlugins: Map<string, string>;
  /** Properties already expanded (see resolveProps). */
  resolved: Map<string, string>;
}

function parsePomXml(text: string, file: string): XmlElement {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (e) {
    if (e instanceof XmlError) throw new LockfileError(file, `line ${e.line}: ${e.message}`);
    throw e;
  }
  if (root.name.replace(/^.*:/, '') !== 'project') throw new LockfileError(file, `root element is <${root.name}>, expected <project>`);
  return root;
}

/** A POM file and its parsed root. */
interface PomFile {
  root: XmlElement;
  file: string;
}

/** What the POM readers collect on the way. */
type Findings = Pick<LockfileResult, 'entries' | 'warnings'>;

/**
 * pom.xml: dependencies (versions from `${properties}` and dependencyManagement), imported BOMs,
 * build plugins with versions, and the parent when it is not a local module. A local parent
 * (relativePath, default ../pom.xml, with matching coordinates) contributes its properties and
 * managed versions, as Maven's inheritance does.
 */
export function readPom(path: string, text?: string): LockfileResult {
  const file = path;
  const root = parsePomXml(text ?? readText(path), file);
  const found: Findings = { entries: [], warnings: [] };
  const chain = localParentChain({ root, file }, found);
  const model = pomModel(file, chain);
  readManagedVersions(chain, model, found);
  for (const { root: pom, file: f } of chain) {
    for (const dep of children(child(pom, 'dependencies'), 'dependency')) addPomDependency(dep, f, 'dependency', model, found);
    for (const pl of children(child(child(pom, 'build'), 'plugins'), 'plugin')) addPomDependency(pl, f, 'plugin', model, found);
  }
  return { file, entries: dedupe(found.entries), warnings: found.warnings };
}

/**
 * The POM and its local parents (at most 10), nearest last, so children override. A parent that is not on disk
 * comes from the repository: it is one of the things the build downloads, and the chain ends there.
 */
function localParentChain(pom: PomFile, found: Findings): PomFile[] {
  const chain: PomFile[] = [pom];
  for (let cur = pom, depth = 0; depth < 10; depth++) {
    const parent = child(cur.root, 'parent');
    if (!parent) break;
    const local = localParent(parent, cur.file);
    if (!local) {
      const pg = childText(parent, 'groupId');
      const pa = childText(parent, 'artifactId');
      const pv = childText(parent, 'version');
      if (pg && pa && pv && !pv.includes('${')) found.entries.push({ format: 'maven', namespace: pg, name: pa, version: pv });
      found.warnings.push(`${cur.file}: parent ${pg}:${pa}:${pv} comes from the repository; its properties and managed versions are not known here`);
      break;
    }
    chain.unshift(local);
    cur = local;
  }
  return chain;
}

/** The parent POM on disk at relativePath (default ../pom.xml) when its groupId and artifactId match `<parent>`. */
function localParent(parent: XmlElement, childFile: string): PomFile | undefined {
  const rel = childText(parent, 'relativePath') ?? '../pom.xml';
  if (child(parent, 'relativePath') !== undefined && !rel) return undefined;
  let local = join(dirname(childFile), rel);
  if (!local.endsWith('.xml')) local = join(local, 'pom.xml');
  if (!existsSync(local)) return undefined;
  const candidate = parsePomXml(readText(local), local);
  const cg = childText(candidate, 'groupId') ?? childText(child(candidate, 'parent'), 'groupId');
  const matches = cg === childText(parent, 'groupId') && childText(candidate, 'artifactId') === childText(parent, 'artifactId');
  return matches ? { root: candidate, file: local } : undefined;
}

/** Coordinates and properties (built-in `project.*` ones and `<properties>`) down the chain, children overriding. */
function pomModel(file: string, chain: PomFile[]): PomModel {
  const model: PomModel = { file, properties: new Map(), managed: new Map(), managedPlugins: new Map(), resolved: new Map() };
  for (const { root: pom } of chain) {
    const parent = child(pom, 'parent');
    const g = childText(pom, 'groupId') ?? childText(parent, 'groupId');
    const v = childText(pom, 'version') ?? childText(parent, 'version');
    const a = childText(pom, 'artifactId');
    if (g) model.groupId = g;
    if (a) model.artifactId = a;
    if (v) model.version = v;
    for (const [k, val] of [
      ['project.groupId', g],
      ['pom.groupId', g],
      ['groupId', g],
      ['project.artifactId', a],
      ['pom.artifactId', a],
      ['project.version', v],
      ['pom.version', v],
      ['version', v],
      ['project.parent.version', childText(parent, 'version')],
      ['project.parent.groupId', childText(parent, 'groupId')],
    ] as const) {
      if (val !== undefined) model.properties.set(k, val);
    }
    for (const p of child(pom, 'properties')?.children ?? []) model.properties.set(p.name, p.text.trim());
  }
  return model;
}

/** Longest value a property may expand to, and deepest nesting of references: a pom.xml is data, not a program. */
const MAX_PROPERTY_CHARS = 4096;
const MAX_PROPERTY_DEPTH = 64;

/**
 * `${key}` replaced by its property, each property expanded once (memoised in the model) so nested references cost
 * linear time; an unknown key, or one that refers back to itself, stays as written. A value that grows past
 * MAX_PROPERTY_CHARS (`<a>${b}${b}</a>` nested) or nests deeper than MAX_PROPERTY_DEPTH is a LockfileError naming it.
 */
function resolveProps(model: PomModel, s: string): string {
  const active: string[] = [];
  const tooLong = () =>
    new LockfileError(
      model.file,
      `${active[0] ? `property "${active[0]}"` : `"${s.slice(0, 80)}"`} expands to more than ${MAX_PROPERTY_CHARS} characters (nested \${...} references); not expanded`,
    );
  const value = (key: string): string | undefined => {
    const done = model.resolved.get(key);
    if (done !== undefined) return done;
    const raw = model.properties.get(key);
    if (raw === undefined || active.includes(key)) return undefined;
    if (active.length >= MAX_PROPERTY_DEPTH) {
      throw new LockfileError(model.file, `property "${active[0]}" nests more than ${MAX_PROPERTY_DEPTH} levels of \${...} references; not expanded`);
    }
    active.push(key);
    const v = expand(raw);
    active.pop();
    model.resolved.set(key, v);
    return v;
  };
  const expand = (text: string): string => {
    let out = '';
    let last = 0;
    for (const m of text.matchAll(/\$\{([^}]+)\}/g)) {
      out += text.slice(last, m.index) + (value(m[1]) ?? m[0]);
      last = m.index + m[0].length;
      if (out.length > MAX_PROPERTY_CHARS) throw tooLong();
    }
    out += text.slice(last);
    if (out.length > MAX_PROPERTY_CHARS) throw tooLong();
    return out;
  };
  return expand(s);
}

/** dependencyManagement and pluginManagement versions into the model; imported BOMs are fetched, so they are entries too. */
function readManagedVersions(chain: PomFile[], model: PomModel, found: Findings): void {
  for (const { root: pom, file: f } of chain) {
    for (const dep of children(child(child(pom, 'dependencyManagement'), 'dependencies'), 'dependency')) {
      const g = resolveProps(model, childText(dep, 'groupId') ?? '');
      const a = resolveProps(model, childText(dep, 'artifactId') ?? '');
      const v = childText(dep, 'version');
      if (!g || !a) throw new LockfileError(f, `line ${dep.line}: a managed <dependency> without groupId or artifactId`);
      if (!v) continue;
      const version = resolveProps(model, v);
      model.managed.set(`${g}:${a}`, version);
      if (childText(dep, 'scope') === 'import') {
        if (version.includes('${')) found.warnings.push(`${f}:${dep.line}: BOM ${g}:${a} version "${v}" has an unknown property, skipped`);
        else found.entries.push({ format: 'maven', namespace: g, name: a, version });
      }
    }
    for (const pl of children(child(child(child(pom, 'build'), 'pluginManagement'), 'plugins'), 'plugin')) {
      const g = resolveProps(model, childText(pl, 'groupId') ?? 'org.apache.maven.plugins');
      const a = resolveProps(model, childText(pl, 'artifactId') ?? '');
      const v = childText(pl, 'version');
      if (a && v) model.managedPlugins.set(`${g}:${a}`, resolveProps(model, v));
    }
  }
}

/** One `<dependency>` or `<plugin>`: an entry with its version (own or managed); system scope and ranges skipped. */
function addPomDependency(dep: XmlElement, f: string, kind: 'dependency' | 'plugin', model: PomModel, found: Findings): void {
  const g = resolveProps(model, childText(dep, 'groupId') ?? (kind === 'plugin' ? 'org.apache.maven.plugins' : ''));
  const a = resolveProps(model, childText(dep, 'artifactId') ?? '');
  if (!g || !a) throw new LockfileError(f, `line ${dep.line}: a <${kind}> without groupId or artifactId`);
  if (childText(dep, 'scope') === 'system') return;
  const raw = childText(dep, 'version');
  const version = raw !== undefined ? resolveProps(model, raw) : (kind === 'plugin' ? model.managedPlugins : model.managed).get(`${g}:${a}`);
  if (version === undefined) {
    if (kind === 'dependency') found.warnings.push(`${f}:${dep.line}: ${g}:${a} has no version here (managed by a parent or BOM that is not local), skipped`);
    return;
  }
  if (version.includes('${')) {
    throw new LockfileError(f, `line ${dep.line}: ${g}:${a} version "${version}" uses a property that is not defined`);
  }
  if (/^[[(]/.test(version)) {
    found.warnings.push(`${f}:${dep.line}: ${g}:${a} version "${version}" is a range, skipped`);
    return;
  }
  found.entries.push({ format: 'maven', namespace: g, name: a, version });
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new LockfileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

// ---- a project folder ------------------------------------------------------------------------

/** The files read for a project folder, in the order checked; the first present of each group wins. */
const READERS: { files: string[]; read: (path: string) => LockfileResult }[] = [
  { files: ['npm-shrinkwrap.json', 'package-lock.json'], read: (p) => parsePackageLock(readText(p), p) },
  { files: ['pnpm-lock.yaml'], read: (p) => parsePnpmLock(readText(p), p) },
  { files: ['yarn.lock'], read: (p) => parseYarnLock(readText(p), p) },
  { files: ['pom.xml'], read: (p) => readPom(p) },
  { files: ['gradle/libs.versions.toml'], read: (p) => parseVersionCatalog(readText(p), p) },
  { files: ['requirements.txt'], read: (p) => readRequirements(p) },
];

/**
 * Reads every lockfile found in `folder`. One malformed file does not hide the others: its error (a LockfileError
 * naming the file) is returned beside the entries of every file that could be read (pre-warm still helps with the rest).
 */
export function readProjectLockfilesEach(folder: string): { results: LockfileResult[]; errors: Error[] } {
  const results: LockfileResult[] = [];
  const errors: Error[] = [];
  for (const r of READERS) {
    const found = r.files.map((f) => join(folder, f)).find((p) => existsSync(p));
    if (!found) continue;
    try {
      results.push(r.read(found));
    } catch (e) {
      errors.push(e instanceof Error ? e : new Error(String(e)));
    }
  }
  return { results, errors };
}
