// Package coordinates: the one place that knows how CodeArtifact names a package in each format (format,
// namespace, name), how a user writes it, how the service normalises it, and the key that identifies one
// package version across lockfiles, tool output and pre-warm.

/** Every package format CodeArtifact stores (the API's PackageFormat). */
export type PackageFormat = 'npm' | 'pypi' | 'maven' | 'nuget' | 'generic' | 'ruby' | 'swift' | 'cargo';

/** The formats the extension's tools speak: lockfiles, repository endpoints, install and pre-warm. */
export type ToolFormat = Extract<PackageFormat, 'npm' | 'pypi' | 'maven'>;

/** A package in CodeArtifact's terms: npm scope (without '@') or Maven groupId as namespace. */
export interface PackageCoordinates<F extends string = PackageFormat> {
  format: F;
  namespace?: string;
  name: string;
}

/** A package (and, when known, one version of it) named by a lockfile, a failed request or a probe. */
export interface PackageRef extends PackageCoordinates<ToolFormat> {
  version?: string;
  /** The URL that failed, when the tool printed it (never holds credentials: userinfo is stripped). */
  url?: string;
}

/** Identifies one package version (or a package, without version) across sources. */
export function packageKey(p: PackageCoordinates<string> & { version?: string }): string {
  return `${p.format}\u0000${p.namespace ?? ''}\u0000${p.name}\u0000${p.version ?? ''}`;
}

/** How a user writes the package: `@scope/name` (npm), `group:artifact` (Maven), `namespace/name`, `name`. */
/** How each ecosystem names itself (the explorer's rows and tooltips). */
const FORMAT_NAMES: Record<PackageFormat, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  nuget: 'NuGet',
  generic: 'Generic',
  ruby: 'Ruby',
  swift: 'Swift',
  cargo: 'Cargo',
};

export function formatDisplayName(format: string | undefined): string {
  return format && format in FORMAT_NAMES ? FORMAT_NAMES[format as PackageFormat] : (format ?? 'unknown format');
}

export function packageDisplayName(format: string | undefined, namespace: string | undefined, name: string): string {
  if (!namespace) return name;
  if (format === 'npm') return `@${namespace}/${name}`;
  if (format === 'maven') return `${namespace}:${name}`;
  return `${namespace}/${name}`;
}

/** One version as its tool writes it: `@scope/name@1.0.0`, `g:a:1.0`, `name==1.0`. */
export function describePackageRef(r: PackageCoordinates<string> & { version?: string }): string {
  const name = packageDisplayName(r.format, r.namespace, r.name);
  if (!r.version) return name;
  const sep = r.format === 'maven' ? ':' : r.format === 'pypi' ? '==' : '@';
  return `${name}${sep}${r.version}`;
}

/** PEP 503 normalisation, which CodeArtifact applies to PyPI names. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Splits `@scope/name` into namespace and name (npm stores the scope without '@'). */
export function splitNpmName(full: string): { namespace?: string; name: string } {
  if (full.startsWith('@')) {
    const slash = full.indexOf('/');
    if (slash > 1 && slash < full.length - 1) return { namespace: full.slice(1, slash), name: full.slice(slash + 1) };
  }
  return { name: full };
}

/** Splits Maven `group:artifact` (a trailing `:version` is returned too); undefined when it has no groupId. */
function splitMavenCoordinates(coords: string): { namespace: string; name: string; version?: string } | undefined {
  const [namespace, name, version, ...rest] = coords.split(':');
  if (!namespace || !name || rest.length) return undefined;
  return version ? { namespace, name, version } : { namespace, name };
}

/**
 * The coordinates CodeArtifact stores for what a user typed: PyPI names per PEP 503, NuGet names and Swift
 * names and namespaces lowercased, an npm `@scope/name` split into namespace and name, a Maven
 * `group:artifact` split into groupId and artifactId. Other formats keep their names as given.
 */
export function normalizeCoordinates<F extends string>(p: PackageCoordinates<F>): PackageCoordinates<F> {
  const out = (namespace: string | undefined, name: string): PackageCoordinates<F> => (namespace ? { format: p.format, namespace, name } : { format: p.format, name });
  switch (p.format as string) {
    case 'pypi':
      return out(p.namespace, normalizePypiName(p.name));
    case 'nuget':
      return out(p.namespace, p.name.toLowerCase());
    case 'swift':
      return out(p.namespace?.toLowerCase(), p.name.toLowerCase());
    case 'npm': {
      if (p.namespace) return out(p.namespace.replace(/^@+/, ''), p.name);
      const s = splitNpmName(p.name);
      return out(s.namespace, s.name);
    }
    case 'maven': {
      const s = p.namespace ? undefined : splitMavenCoordinates(p.name);
      return s && !s.version ? out(s.namespace, s.name) : out(p.namespace, p.name);
    }
    default:
      return out(p.namespace, p.name);
  }
}
