// Package and package-version operations. As in AWS, these look only at the repository named: versions
// that exist only in an upstream are not found (except CopyPackageVersions with includeFromUpstream).
import { err } from '../errors';
import { effectiveOrigin } from '../governance';
import { newestFirstKey, paginate, parseMaxResults } from '../paging';
import {
  dict,
  VERSION_STATUSES,
  getBlob,
  packageKey,
  upstreamWalk,
  type Domain,
  type Format,
  type Package,
  type PackageVersion,
  type Repository,
  type VersionStatus,
} from '../state';
import { constraint, type Input } from './input';
import { defaultDisplayVersion, findDomain, findPackage, findRepository, findVersion, packageDescription, packageSummary, versionDescription, versionSummary } from './shapes';
import { BinaryResult, type OpContext } from './types';

interface Coordinates {
  domain: Domain;
  repo: Repository;
  format: Format;
  namespace: string | undefined;
  name: string;
}

/** Reads domain, repository, format, namespace and package, validating each, then finds domain and repository. */
export function coordinates({ ctx }: OpContext, input: Input, repoParam = 'repository'): Coordinates {
  const domainName = input.domain();
  const owner = input.domainOwner();
  const repoName = input.repository(repoParam);
  const format = input.format(true);
  const namespace = normalizeNamespace(format, input.namespace());
  const name = input.packageName(format);
  const domain = findDomain(ctx.state, domainName, owner);
  const repo = findRepository(domain, repoName);
  return { domain, repo, format, namespace, name };
}

/** Swift namespaces are stored lower-cased, like Swift names (see Input.packageName). */
function normalizeNamespace(format: Format, namespace: string | undefined): string | undefined {
  return format === 'swift' ? namespace?.toLowerCase() : namespace;
}

function packageOf(c: Coordinates): Package {
  return findPackage(c.repo, c.format, c.namespace, c.name);
}

export function listPackages({ ctx }: OpContext, input: Input) {
  const domainName = input.domain();
  const owner = input.domainOwner();
  const repoName = input.repository();
  const format = input.format(false);
  const namespacePrefix = input.opt('namespace');
  let namePrefix = input.opt('package-prefix');
  if (namePrefix !== undefined && format === 'pypi') namePrefix = namePrefix.toLowerCase().replace(/[-_.]+/g, '-');
  const publish = input.enumOpt('publish', ['ALLOW', 'BLOCK'] as const);
  const upstream = input.enumOpt('upstream', ['ALLOW', 'BLOCK'] as const);
  const max = parseMaxResults(input.opt('max-results'), 'max-results', 100);
  const domain = findDomain(ctx.state, domainName, owner);
  const repo = findRepository(domain, repoName);
  const entries = Object.entries(repo.packages)
    .filter(
      ([, p]) =>
        (format === undefined || p.format === format) &&
        (namespacePrefix === undefined || (p.namespace ?? '').startsWith(namespacePrefix)) &&
        (namePrefix === undefined || p.name.startsWith(namePrefix)),
    )
    // The origin configuration in force (the package's own and its package group's, ../governance.ts).
    .map(([key, p]) => ({ key, item: packageSummary(p, effectiveOrigin(domain, repo, p)) }))
    .filter(
      ({ item }) =>
        (publish === undefined || item.originConfiguration.restrictions.publish === publish) &&
        (upstream === undefined || item.originConfiguration.restrictions.upstream === upstream),
    );
  const page = paginate('ListPackages', entries, max, input.opt('next-token'));
  return { packages: page.items, nextToken: page.nextToken };
}

export function describePackage(op: OpContext, input: Input) {
  const c = coordinates(op, input);
  const pkg = packageOf(c);
  return { package: packageDescription(pkg, effectiveOrigin(c.domain, c.repo, pkg)) };
}

export function listPackageVersions(op: OpContext, input: Input) {
  const c = coordinates(op, input);
  const status = input.enumOpt('status', VERSION_STATUSES);
  const sortBy = input.enumOpt('sortBy', ['PUBLISHED_TIME'] as const);
  const originType = input.enumOpt('originType', ['INTERNAL', 'EXTERNAL', 'UNKNOWN'] as const);
  const max = parseMaxResults(input.opt('max-results'), 'max-results', 50);
  const pkg = packageOf(c);
  const entries = Object.values(pkg.versions)
    .filter((v) => (status === undefined || v.status === status) && (originType === undefined || v.origin.originType === originType))
    .map((v) => ({ key: sortBy === 'PUBLISHED_TIME' ? newestFirstKey(v.publishedTime, v.version) : v.version, item: versionSummary(v) }));
  const page = paginate(sortBy ? `ListPackageVersions:${sortBy}` : 'ListPackageVersions', entries, max, input.opt('next-token'));
  return {
    defaultDisplayVersion: defaultDisplayVersion(pkg),
    format: pkg.format,
    namespace: pkg.namespace,
    package: pkg.name,
    versions: page.items,
    nextToken: page.nextToken,
  };
}

export function versionOf(op: OpContext, input: Input): { pkg: Package; v: PackageVersion } {
  const c = coordinates(op, input);
  const version = input.version();
  const pkg = packageOf(c);
  return { pkg, v: findVersion(pkg, version) };
}

export function describePackageVersion(op: OpContext, input: Input) {
  const { pkg, v } = versionOf(op, input);
  return { packageVersion: versionDescription(pkg, v) };
}

export function listPackageVersionAssets(op: OpContext, input: Input) {
  const max = parseMaxResults(input.opt('max-results'), 'max-results', 100);
  const { pkg, v } = versionOf(op, input);
  const page = paginate(
    'ListPackageVersionAssets',
    v.assets.map((a) => ({ key: a.name, item: { name: a.name, size: a.size, hashes: a.hashes } })),
    max,
    input.opt('next-token'),
  );
  return { format: pkg.format, namespace: pkg.namespace, package: pkg.name, version: v.version, versionRevision: v.revision, assets: page.items, nextToken: page.nextToken };
}

export function getPackageVersionReadme(op: OpContext, input: Input) {
  const { pkg, v } = versionOf(op, input);
  return { format: pkg.format, namespace: pkg.namespace, package: pkg.name, version: v.version, versionRevision: v.revision, readme: v.readme ?? '' };
}

export function getPackageVersionAsset(op: OpContext, input: Input) {
  const assetName = input.req('asset');
  const revision = input.opt('revision');
  const { pkg, v } = versionOf(op, input);
  if (revision !== undefined && revision !== v.revision) {
    throw err.notFound(`Package version ${v.version} has no revision ${revision}`, 'package-version', v.version);
  }
  const asset = v.assets.find((a) => a.name === assetName);
  const data = asset && getBlob(op.ctx.state, asset);
  if (!asset || !data) throw err.notFound(`Asset not found: ${assetName} in ${pkg.name}@${v.version}`, 'asset', assetName);
  return new BinaryResult(data, {
    'Content-Type': 'application/octet-stream',
    'X-AssetName': encodeURIComponent(asset.name),
    'X-PackageVersion': encodeURIComponent(v.version),
    'X-PackageVersionRevision': v.revision,
  });
}

type Failure = { errorCode: string; errorMessage: string };
type Failed = Record<string, Failure>;
type Succeeded = Record<string, { revision: string; status: VersionStatus }>;

/** The per-version preconditions the batch operations share: the version exists, has that revision and status. */
function versionProblem(v: PackageVersion | undefined, ver: string, revision: string | undefined, expected: string | undefined): Failure | undefined {
  if (!v) return { errorCode: 'NOT_FOUND', errorMessage: `Version ${ver} not found` };
  if (revision !== undefined && revision !== v.revision) return { errorCode: 'MISMATCHED_REVISION', errorMessage: `Version ${ver} has revision ${v.revision}` };
  if (expected !== undefined && v.status !== expected) return { errorCode: 'MISMATCHED_STATUS', errorMessage: `Version ${ver} has status ${v.status}, not ${expected}` };
  return undefined;
}

export function deletePackageVersions(op: OpContext, input: Input) {
  const c = coordinates(op, input);
  const versions = input.bodyVersions('versions', true)!;
  const expected = input.bodyStatus('expectedStatus', false);
  const pkg = packageOf(c);
  const successfulVersions: Succeeded = {};
  const failedVersions: Failed = {};
  for (const ver of versions) {
    const v = pkg.versions[ver];
    const problem = versionProblem(v, ver, undefined, expected);
    if (problem) failedVersions[ver] = problem;
    else {
      delete pkg.versions[ver];
      successfulVersions[ver] = { revision: v.revision, status: 'Deleted' };
    }
  }
  for (const [tag, ver] of Object.entries(pkg.distTags ?? {})) if (!pkg.versions[ver]) delete pkg.distTags![tag];
  // A package whose last version is gone is no longer listed.
  if (Object.keys(pkg.versions).length === 0) delete c.repo.packages[packageKey(pkg.format, pkg.namespace, pkg.name)];
  op.ctx.persist();
  return { successfulVersions, failedVersions };
}

export function disposePackageVersions(op: OpContext, input: Input) {
  const c = coordinates(op, input);
  const versions = input.bodyVersions('versions', true)!;
  const revisions = input.bodyRevisions('versionRevisions');
  const expected = input.bodyStatus('expectedStatus', false);
  const pkg = packageOf(c);
  const successfulVersions: Succeeded = {};
  const failedVersions: Failed = {};
  for (const ver of versions) {
    const v = pkg.versions[ver];
    const problem = versionProblem(v, ver, revisions?.[ver], expected);
    if (problem) failedVersions[ver] = problem;
    else {
      // Disposing deletes the assets and keeps the version record.
      v.status = 'Disposed';
      v.assets = [];
      successfulVersions[ver] = { revision: v.revision, status: 'Disposed' };
    }
  }
  op.ctx.persist();
  return { successfulVersions, failedVersions };
}

const SETTABLE_STATUSES = ['Published', 'Unlisted', 'Archived'] as const;

export function updatePackageVersionsStatus(op: OpContext, input: Input) {
  const c = coordinates(op, input);
  const versions = input.bodyVersions('versions', true)!;
  const revisions = input.bodyRevisions('versionRevisions');
  const expected = input.bodyStatus('expectedStatus', false);
  const target = input.bodyStatus('targetStatus', true);
  if (!(SETTABLE_STATUSES as readonly string[]).includes(target)) {
    constraint('targetStatus', target, `Member must be one of [${SETTABLE_STATUSES.join(', ')}] (use DisposePackageVersions or DeletePackageVersions)`);
  }
  const pkg = packageOf(c);
  const successfulVersions: Succeeded = {};
  const failedVersions: Failed = {};
  for (const ver of versions) {
    const v = pkg.versions[ver];
    const problem = versionProblem(v, ver, revisions?.[ver], expected);
    if (problem) failedVersions[ver] = problem;
    else if (v.status === 'Disposed' || v.status === 'Deleted') {
      failedVersions[ver] = { errorCode: 'NOT_ALLOWED', errorMessage: `Version ${ver} is ${v.status}; its status cannot change` };
    } else if (v.status === target) failedVersions[ver] = { errorCode: 'SKIPPED', errorMessage: `Version ${ver} already has status ${target}` };
    else {
      v.status = target;
      successfulVersions[ver] = { revision: v.revision, status: target };
    }
  }
  op.ctx.persist();
  return { successfulVersions, failedVersions };
}

export function copyPackageVersions(op: OpContext, input: Input) {
  const domainName = input.domain();
  const owner = input.domainOwner();
  const sourceName = input.repository('source-repository');
  const destName = input.repository('destination-repository');
  const format = input.format(true);
  const namespace = normalizeNamespace(format, input.namespace());
  const name = input.packageName(format);
  const versions = input.bodyVersions('versions', false);
  const revisions = input.bodyRevisions('versionRevisions');
  const allowOverwrite = input.bodyBoolean('allowOverwrite') ?? false;
  const includeFromUpstream = input.bodyBoolean('includeFromUpstream') ?? false;
  if ((versions === undefined) === (revisions === undefined)) {
    throw err.validation('Exactly one of versions or versionRevisions must be specified');
  }
  if (sourceName === destName) throw err.validation('The source and destination repositories must be different');
  const domain = findDomain(op.ctx.state, domainName, owner);
  const source = findRepository(domain, sourceName);
  const dest = findRepository(domain, destName);
  const key = packageKey(format, namespace, name);
  // The source package, or with includeFromUpstream, the copies of it along the source's upstream graph.
  const sources = (includeFromUpstream ? upstreamWalk(domain, source.name) : [source]).map((r) => r.packages[key]).filter((p): p is Package => p !== undefined);
  if (sources.length === 0) findPackage(source, format, namespace, name);
  const srcPkg = sources[0];
  const wanted = versions ?? Object.keys(revisions!);
  const successfulVersions: Succeeded = {};
  const failedVersions: Failed = {};
  let destPkg = dest.packages[key];
  for (const ver of wanted) {
    const v = sources.map((p) => p.versions[ver]).find((x) => x !== undefined);
    if (!v) failedVersions[ver] = { errorCode: 'NOT_FOUND', errorMessage: `Version ${ver} not found in ${source.name}` };
    else if (revisions && revisions[ver] !== v.revision) failedVersions[ver] = { errorCode: 'MISMATCHED_REVISION', errorMessage: `Version ${ver} has revision ${v.revision}` };
    else if (v.status === 'Disposed' || v.status === 'Deleted') {
      failedVersions[ver] = { errorCode: 'NOT_ALLOWED', errorMessage: `Version ${ver} is ${v.status} and cannot be copied` };
    } else if (destPkg?.versions[ver] && !allowOverwrite) failedVersions[ver] = { errorCode: 'ALREADY_EXISTS', errorMessage: `Version ${ver} already exists in ${dest.name}` };
    else {
      destPkg ??= dest.packages[key] = {
        format: srcPkg.format,
        namespace: srcPkg.namespace,
        name: srcPkg.name,
        originConfiguration: structuredClone(srcPkg.originConfiguration),
        versions: dict(),
      };
      destPkg.versions[ver] = structuredClone(v);
      successfulVersions[ver] = { revision: v.revision, status: v.status };
    }
  }
  op.ctx.persist();
  return { successfulVersions, failedVersions };
}
