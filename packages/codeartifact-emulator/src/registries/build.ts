// Builders of real, installable package files (npm tarballs, wheels, jars and poms), used by the fake
// public registries and for seeded versions that have no assets yet. Deterministic: the same inputs
// give the same bytes, hence the same SHA-256 in listings on every run.
import { createHash } from 'node:crypto';
import { tarGz, zip, type ArchiveEntry } from '../archive';

export function npmTarballName(name: string, version: string): string {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `${base}-${version}.tgz`;
}

/** An npm package tarball: package/package.json, package/index.js and package/README.md. */
export function buildNpmTarball(manifest: { name: string; version: string; [k: string]: unknown }, readme?: string): Buffer {
  const pkgJson = { main: 'index.js', license: 'MIT', ...manifest };
  const entries: ArchiveEntry[] = [
    { path: 'package/package.json', data: JSON.stringify(pkgJson, null, 2) + '\n' },
    { path: 'package/index.js', data: `module.exports = ${JSON.stringify({ name: manifest.name, version: manifest.version })};\n` },
  ];
  if (readme) entries.push({ path: 'package/README.md', data: readme });
  return tarGz(entries);
}

/** PEP 427 distribution name escaping: runs of -_. become one underscore. */
export function wheelDistName(name: string): string {
  return name.replace(/[-_.]+/g, '_');
}

function recordHash(data: Buffer): string {
  return 'sha256=' + createHash('sha256').update(data).digest('base64url');
}

export interface WheelSpec {
  name: string;
  version: string;
  summary?: string;
  /** PEP 508 requirement strings, e.g. "tinycolors>=0.1". */
  requires?: string[];
}

/** A pure-Python wheel (py3-none-any) with a one-file module, METADATA, WHEEL and RECORD, installable by pip. */
export function buildWheel(spec: WheelSpec): { filename: string; data: Buffer } {
  const dist = wheelDistName(spec.name);
  const module = dist.toLowerCase();
  const distInfo = `${dist}-${spec.version}.dist-info`;
  const metadata = [
    'Metadata-Version: 2.1',
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    `Summary: ${spec.summary ?? `${spec.name} (emulator fixture)`}`,
    ...(spec.requires ?? []).map((r) => `Requires-Dist: ${r}`),
    '',
    '',
  ].join('\n');
  const files: { path: string; data: Buffer }[] = [
    { path: `${module}/__init__.py`, data: Buffer.from(`__version__ = ${JSON.stringify(spec.version)}\n\n\ndef hello():\n    return "hello from ${module} ${spec.version}"\n`) },
    { path: `${distInfo}/METADATA`, data: Buffer.from(metadata) },
    { path: `${distInfo}/WHEEL`, data: Buffer.from('Wheel-Version: 1.0\nGenerator: codeartifact-emulator\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n') },
  ];
  const record = files
    .map((f) => `${f.path},${recordHash(f.data)},${f.data.length}`)
    .concat(`${distInfo}/RECORD,,`, '')
    .join('\n');
  files.push({ path: `${distInfo}/RECORD`, data: Buffer.from(record) });
  return { filename: `${dist}-${spec.version}-py3-none-any.whl`, data: zip(files) };
}

export interface MavenSpec {
  groupId: string;
  artifactId: string;
  version: string;
  packaging?: string;
  /** "groupId:artifactId:version" coordinates. */
  dependencies?: string[];
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function buildPom(spec: MavenSpec): Buffer {
  const deps = (spec.dependencies ?? []).map((c) => {
    const [g, a, v] = c.split(':');
    return `    <dependency>\n      <groupId>${xmlEscape(g)}</groupId>\n      <artifactId>${xmlEscape(a)}</artifactId>\n      <version>${xmlEscape(v)}</version>\n    </dependency>\n`;
  });
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n` +
      `  <groupId>${xmlEscape(spec.groupId)}</groupId>\n  <artifactId>${xmlEscape(spec.artifactId)}</artifactId>\n  <version>${xmlEscape(spec.version)}</version>\n` +
      `  <packaging>${xmlEscape(spec.packaging ?? 'jar')}</packaging>\n` +
      (deps.length ? `  <dependencies>\n${deps.join('')}  </dependencies>\n` : '') +
      '</project>\n',
  );
}

/** A jar with a manifest, the pom under META-INF/maven and any extra entries (classes, plugin.xml). */
export function buildJar(spec: MavenSpec, extra: ArchiveEntry[] = []): Buffer {
  return zip([
    { path: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\nCreated-By: codeartifact-emulator\r\n\r\n' },
    { path: `META-INF/maven/${spec.groupId}/${spec.artifactId}/pom.xml`, data: buildPom(spec) },
    { path: `META-INF/maven/${spec.groupId}/${spec.artifactId}/pom.properties`, data: `groupId=${spec.groupId}\nartifactId=${spec.artifactId}\nversion=${spec.version}\n` },
    ...extra,
  ]);
}

/** The files of one Maven version, by file name (jar and pom). */
export function buildMavenFiles(spec: MavenSpec, extra: ArchiveEntry[] = []): Record<string, Buffer> {
  const base = `${spec.artifactId}-${spec.version}`;
  return { [`${base}.jar`]: buildJar(spec, extra), [`${base}.pom`]: buildPom(spec) };
}
