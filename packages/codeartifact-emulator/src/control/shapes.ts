// Lookups (with the service's ResourceNotFound answers) and the response structures of the control plane.
import { err } from '../errors';
import { EXTERNAL_CONNECTIONS, domainKey, packageKey, type Domain, type EmulatorState, type Format, type Package, type PackageVersion, type Repository } from '../state';

export function domainArn(state: EmulatorState, owner: string, name: string): string {
  return `arn:aws:codeartifact:${state.region}:${owner}:domain/${name}`;
}

export function repositoryArn(state: EmulatorState, owner: string, domain: string, repo: string): string {
  return `arn:aws:codeartifact:${state.region}:${owner}:repository/${domain}/${repo}`;
}

export function packageArn(state: EmulatorState, owner: string, domain: string, repo: string, format: string, namespace: string | undefined, name: string): string {
  return `arn:aws:codeartifact:${state.region}:${owner}:package/${domain}/${repo}/${format}/${namespace ?? ''}/${name}`;
}

/** The domain, looked up under `owner` (the caller's account when not given): a wrong owner is not found, like AWS. */
export function findDomain(state: EmulatorState, name: string, owner: string | undefined): Domain {
  const d = state.domains[domainKey(owner ?? state.accountId, name)];
  if (!d || d.status !== 'Active') throw err.notFound(`Domain not found: ${name}`, 'domain', name);
  return d;
}

export function findRepository(domain: Domain, name: string): Repository {
  const r = domain.repositories[name];
  if (!r) throw err.notFound(`Repository not found: ${name} in domain ${domain.name}`, 'repository', name);
  return r;
}

export function displayName(format: Format, namespace: string | undefined, name: string): string {
  if (!namespace) return name;
  return format === 'npm' ? `@${namespace}/${name}` : format === 'maven' ? `${namespace}:${name}` : `${namespace}/${name}`;
}

export function findPackage(repo: Repository, format: Format, namespace: string | undefined, name: string): Package {
  const p = repo.packages[packageKey(format, namespace, name)];
  if (!p) {
    const shown = displayName(format, namespace, name);
    throw err.notFound(`Package not found: ${format} package ${shown} in repository ${repo.name}`, 'package', shown);
  }
  return p;
}

export function findVersion(pkg: Package, version: string): PackageVersion {
  const v = pkg.versions[version];
  if (!v) {
    throw err.notFound(`Package version not found: ${displayName(pkg.format, pkg.namespace, pkg.name)}@${version}`, 'package-version', version);
  }
  return v;
}

function domainSize(domain: Domain): number {
  let size = 0;
  for (const r of Object.values(domain.repositories)) {
    for (const p of Object.values(r.packages)) for (const v of Object.values(p.versions)) for (const a of v.assets) size += a.size;
  }
  return size;
}

export function domainSummary(state: EmulatorState, d: Domain) {
  return {
    name: d.name,
    owner: d.owner,
    arn: domainArn(state, d.owner, d.name),
    status: d.status,
    createdTime: d.createdTime,
    encryptionKey: d.encryptionKey,
  };
}

export function domainDescription(state: EmulatorState, d: Domain) {
  return {
    ...domainSummary(state, d),
    repositoryCount: Object.keys(d.repositories).length,
    assetSizeBytes: domainSize(d),
    s3BucketArn: `arn:aws:s3:::assets-${d.owner}-${state.region}`,
  };
}

export function repositorySummary(state: EmulatorState, d: Domain, r: Repository) {
  return {
    name: r.name,
    administratorAccount: r.administratorAccount,
    domainName: d.name,
    domainOwner: d.owner,
    arn: repositoryArn(state, d.owner, d.name, r.name),
    description: r.description,
    createdTime: r.createdTime,
  };
}

export function repositoryDescription(state: EmulatorState, d: Domain, r: Repository) {
  return {
    ...repositorySummary(state, d, r),
    upstreams: r.upstreams.map((repositoryName) => ({ repositoryName })),
    externalConnections: r.externalConnection
      ? [{ externalConnectionName: r.externalConnection, packageFormat: EXTERNAL_CONNECTIONS[r.externalConnection] ?? 'generic', status: 'Available' }]
      : [],
  };
}

/** `origin`: the origin configuration to show (the one in force, see ../governance.ts); the package's own by default. */
export function packageSummary(p: Package, origin: Package['originConfiguration'] = p.originConfiguration) {
  return { format: p.format, namespace: p.namespace, package: p.name, originConfiguration: origin };
}

export function packageDescription(p: Package, origin: Package['originConfiguration'] = p.originConfiguration) {
  return { format: p.format, namespace: p.namespace, name: p.name, originConfiguration: origin };
}

export function versionSummary(v: PackageVersion) {
  return { version: v.version, revision: v.revision, status: v.status, origin: v.origin };
}

export function versionDescription(p: Package, v: PackageVersion) {
  return {
    format: p.format,
    namespace: p.namespace,
    packageName: p.name,
    displayName: displayName(p.format, p.namespace, p.name),
    version: v.version,
    summary: v.summary,
    homePage: v.homePage,
    sourceCodeRepository: v.sourceCodeRepository,
    publishedTime: v.publishedTime,
    licenses: v.licenses,
    revision: v.revision,
    status: v.status,
    origin: v.origin,
  };
}

/**
 * The version clients show by default: npm's `latest` dist-tag when it names an existing version,
 * otherwise (and always for other formats) the most recently published version.
 */
export function defaultDisplayVersion(p: Package): string | undefined {
  const latest = p.format === 'npm' ? p.distTags?.latest : undefined;
  if (latest !== undefined && p.versions[latest]) return latest;
  const all = Object.values(p.versions);
  const published = all.filter((v) => v.status === 'Published');
  const pool = published.length ? published : all;
  let best: PackageVersion | undefined;
  for (const v of pool) {
    if (!best || v.publishedTime > best.publishedTime || (v.publishedTime === best.publishedTime && v.version > best.version)) best = v;
  }
  return best?.version;
}
