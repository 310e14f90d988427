// ListPackageVersionDependencies: what the version's own metadata declares, with the service's
// dependencyType per format: npm `regular`/`dev`/`peer`/`optional` from the package.json fields; Maven
// the POM's <dependency> scope (default `compile`, `optional` when marked so) and `parent`; PyPI each
// `Requires-Dist` of the wheel's METADATA or the sdist's PKG-INFO. Versions without such metadata (seeded
// ones) fall back to their declared `dependencies`.
import { readTarGz, readZip } from '../archive';
import { decodeXmlText } from '../xmlText';
import { paginate } from '../paging';
import { getBlob, normalizePypiName, type EmulatorState, type Package, type PackageVersion } from '../state';
import type { Input } from './input';
import { versionOf } from './packageOps';
import type { OpContext } from './types';

interface Dependency {
  namespace?: string;
  package: string;
  dependencyType?: string;
  versionRequirement?: string;
}

const NPM_FIELDS = [
  ['dependencies', 'regular'],
  ['devDependencies', 'dev'],
  ['peerDependencies', 'peer'],
  ['optionalDependencies', 'optional'],
] as const;

function npmDependencies(v: PackageVersion): Dependency[] {
  const manifest = (v.metadata?.manifest as Record<string, unknown> | undefined) ?? { dependencies: v.dependencies };
  const out: Dependency[] = [];
  for (const [field, dependencyType] of NPM_FIELDS) {
    const deps = manifest[field];
    if (typeof deps !== 'object' || deps === null) continue;
    for (const [name, range] of Object.entries(deps as Record<string, unknown>)) {
      const scoped = /^@([^/]+)\/(.+)$/.exec(name);
      out.push({ namespace: scoped?.[1], package: scoped?.[2] ?? name, dependencyType, versionRequirement: typeof range === 'string' ? range : undefined });
    }
  }
  return out;
}

function xmlText(block: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>\\s*([^<]*?)\\s*</${tag}>`).exec(block);
  if (!m) return undefined;
  try {
    return decodeXmlText(m[1], `POM <${tag}>`);
  } catch {
    return m[1]; // POMs are checked on upload; one stored before that keeps its text as written.
  }
}

/** The POM's parent and its project-level dependencies (not dependencyManagement, plugins or profiles). */
function pomDependencies(pom: string): Dependency[] {
  const text = pom.replace(/<!--[\s\S]*?-->/g, '').replace(/<(dependencyManagement|build|profiles|reporting)>[\s\S]*?<\/\1>/g, '');
  const out: Dependency[] = [];
  const parent = /<parent>([\s\S]*?)<\/parent>/.exec(text)?.[1];
  if (parent) {
    const artifact = xmlText(parent, 'artifactId');
    if (artifact) out.push({ namespace: xmlText(parent, 'groupId'), package: artifact, dependencyType: 'parent', versionRequirement: xmlText(parent, 'version') });
  }
  for (const m of text.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const artifact = xmlText(m[1], 'artifactId');
    if (!artifact) continue;
    const optional = xmlText(m[1], 'optional') === 'true';
    out.push({
      namespace: xmlText(m[1], 'groupId'),
      package: artifact,
      dependencyType: optional ? 'optional' : (xmlText(m[1], 'scope') ?? 'compile'),
      versionRequirement: xmlText(m[1], 'version'),
    });
  }
  return out;
}

function mavenDependencies(state: EmulatorState, v: PackageVersion): Dependency[] {
  const pom = v.assets.find((a) => a.name.endsWith('.pom'));
  const data = pom && getBlob(state, pom);
  if (data) return pomDependencies(data.toString('utf8'));
  return Object.entries(v.dependencies ?? {}).map(([ga, version]) => {
    const [g, a] = ga.includes(':') ? ga.split(':') : [undefined, ga];
    return { namespace: g, package: a, dependencyType: 'compile', versionRequirement: version };
  });
}

/** `Requires-Dist` headers of a core-metadata file (the header block ends at the first empty line). */
function requiresDist(metadata: string): Dependency[] {
  const head = metadata.split(/\r?\n\r?\n/)[0];
  const out: Dependency[] = [];
  for (const line of head.split(/\r?\n/)) {
    const m = /^Requires-Dist:\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$/i.exec(line);
    if (!m) continue;
    const requirement = m[2].trim();
    out.push({ package: normalizePypiName(m[1]), dependencyType: 'Requires-Dist', versionRequirement: requirement || undefined });
  }
  return out;
}

function pypiMetadata(state: EmulatorState, v: PackageVersion): string | undefined {
  for (const a of v.assets) {
    const data = getBlob(state, a);
    if (!data) continue;
    try {
      if (a.name.endsWith('.whl')) {
        const f = readZip(data).find((e) => /^[^/]+\.dist-info\/METADATA$/.test(e.path));
        if (f) return f.data.toString('utf8');
      } else if (a.name.endsWith('.tar.gz')) {
        const f = readTarGz(data).find((e) => /^[^/]+\/PKG-INFO$/.test(e.path));
        if (f) return f.data.toString('utf8');
      }
    } catch {
      // An unreadable file declares nothing.
    }
  }
  return undefined;
}

function pypiDependencies(state: EmulatorState, v: PackageVersion): Dependency[] {
  const metadata = pypiMetadata(state, v);
  if (metadata !== undefined) return requiresDist(metadata);
  return Object.entries(v.dependencies ?? {}).map(([n, spec]) => ({ package: normalizePypiName(n), dependencyType: 'Requires-Dist', versionRequirement: spec || undefined }));
}

function dependenciesOf(state: EmulatorState, pkg: Package, v: PackageVersion): Dependency[] {
  switch (pkg.format) {
    case 'npm':
      return npmDependencies(v);
    case 'maven':
      return mavenDependencies(state, v);
    case 'pypi':
      return pypiDependencies(state, v);
    case 'ruby':
      // The gemspec's runtime dependencies, as the registry recorded them at push or ingestion.
      return Object.entries(v.dependencies ?? {}).map(([n, r]) => ({ package: n, dependencyType: 'runtime', versionRequirement: r }));
    default:
      return Object.entries(v.dependencies ?? {}).map(([n, r]) => ({ package: n, versionRequirement: r }));
  }
}

export function listPackageVersionDependencies(op: OpContext, input: Input) {
  const { pkg, v } = versionOf(op, input);
  const deps = dependenciesOf(op.ctx.state, pkg, v);
  const width = String(deps.length).length;
  const page = paginate(
    'ListPackageVersionDependencies',
    deps.map((d, i) => ({ key: String(i).padStart(width, '0'), item: d })),
    1000,
    input.opt('next-token'),
  );
  return { format: pkg.format, namespace: pkg.namespace, package: pkg.name, version: v.version, versionRevision: v.revision, dependencies: page.items, nextToken: page.nextToken };
}
