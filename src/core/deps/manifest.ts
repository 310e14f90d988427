// What a folder's dependencies are (from its lockfiles, else the exact versions of package.json) and where each
// is written in the manifest (package.json, pom.xml), so a diagnostic lands on the dependency's own line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser/lib/esm/main.js';
import semver from 'semver';
import { normalizeCoordinates, packageKey } from '../coordinates';
import { readProjectLockfilesEach, type LockEntry } from '../install/lockfiles';
import { child, children, childText, parseXml, type XmlElement } from '../xml';

/** Where a dependency is written: 0-based line and the columns of its name on that line. */
export interface ManifestLocation {
  file: string;
  line: number;
  startColumn: number;
  endColumn: number;
}

/** The manifests diagnostics go to, in the order they are looked for. */
export const MANIFESTS = ['package.json', 'pom.xml'] as const;

/** The file names whose change means a folder's dependencies may have changed. */
export const WATCHED_FILES = [
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'pom.xml',
  'libs.versions.toml',
  'requirements.txt',
] as const;

const NPM_SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/** The package (no version) a location is keyed by. */
export function locationKey(p: { format: string; namespace?: string; name: string }): string {
  return packageKey({ format: p.format, namespace: p.namespace, name: p.name });
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart };
}

/** package.json: each dependency name (any section) → the location of its key. Unparseable text: none. */
export function locatePackageJson(text: string, file: string): Map<string, ManifestLocation> {
  const out = new Map<string, ManifestLocation>();
  const root = parseTree(text);
  if (!root) return out;
  for (const section of NPM_SECTIONS) {
    const node = findNodeAtLocation(root, [section]);
    for (const prop of node?.type === 'object' ? (node.children ?? []) : []) {
      const keyNode: JsonNode | undefined = prop.children?.[0];
      if (!keyNode || typeof keyNode.value !== 'string') continue;
      const key = locationKey(normalizeCoordinates({ format: 'npm', name: keyNode.value }));
      if (out.has(key)) continue;
      const { line, column } = lineColumn(text, keyNode.offset);
      out.set(key, { file, line, startColumn: column, endColumn: column + keyNode.length });
    }
  }
  return out;
}

/** pom.xml: each dependency, managed dependency, plugin and the parent → the location of its `<artifactId>`. */
export function locatePom(text: string, file: string): Map<string, ManifestLocation> {
  const out = new Map<string, ManifestLocation>();
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch {
    return out;
  }
  const build = child(root, 'build');
  const elements = [
    ...children(child(root, 'dependencies'), 'dependency'),
    ...children(child(child(root, 'dependencyManagement'), 'dependencies'), 'dependency'),
    ...children(child(build, 'plugins'), 'plugin'),
    ...children(child(child(build, 'pluginManagement'), 'plugins'), 'plugin'),
    ...(child(root, 'parent') ? [child(root, 'parent')!] : []),
  ];
  for (const el of elements) {
    const artifact = child(el, 'artifactId');
    const a = childText(el, 'artifactId');
    const g = childText(el, 'groupId') ?? (el.name === 'plugin' ? 'org.apache.maven.plugins' : undefined);
    if (!artifact || !a || !g) continue;
    const key = locationKey({ format: 'maven', namespace: g, name: a });
    if (out.has(key)) continue;
    const { line, column } = lineColumn(text, artifact.start);
    out.set(key, { file, line, startColumn: column, endColumn: column + (artifact.end - artifact.start) });
  }
  return out;
}

/** The manifests of a folder and the location of each dependency written in them. */
export function locateDependencies(folder: string): { files: string[]; locations: Map<string, ManifestLocation> } {
  const locations = new Map<string, ManifestLocation>();
  const files: string[] = [];
  for (const name of MANIFESTS) {
    const file = join(folder, name);
    if (!existsSync(file)) continue;
    files.push(file);
    const text = readFileSync(file, 'utf8');
    const found = name === 'package.json' ? locatePackageJson(text, file) : locatePom(text, file);
    for (const [k, v] of found) if (!locations.has(k)) locations.set(k, v);
  }
  return { files, locations };
}

/**
 * The folder's dependencies: every lockfile's entries (npm, pnpm, Yarn, pom.xml, Gradle catalog, requirements.txt),
 * or, for an npm project without a lockfile, the exact versions package.json names. Unreadable files are errors.
 */
export function folderDependencies(folder: string): { entries: LockEntry[]; errors: Error[] } {
  const { results, errors } = readProjectLockfilesEach(folder);
  const entries = results.flatMap((r) => r.entries);
  const pkg = join(folder, 'package.json');
  if (!entries.some((e) => e.format === 'npm') && existsSync(pkg)) {
    try {
      const doc = JSON.parse(readFileSync(pkg, 'utf8')) as Record<string, unknown>;
      for (const section of NPM_SECTIONS) {
        const deps = doc[section];
        if (typeof deps !== 'object' || deps === null) continue;
        for (const [name, range] of Object.entries(deps as Record<string, unknown>)) {
          if (typeof range === 'string' && semver.valid(range)) entries.push({ ...normalizeCoordinates({ format: 'npm', name }), version: semver.valid(range)! });
        }
      }
    } catch (e) {
      errors.push(new Error(`${pkg}: not valid JSON (${(e as Error).message})`));
    }
  }
  const seen = new Set<string>();
  return { entries: entries.filter((e) => !seen.has(packageKey(e)) && !!seen.add(packageKey(e))), errors };
}
