// The governing half of the CodeArtifact API (version lifecycle, copy, origin controls, package groups,
// generic publish and download, policies and tags), over the core client's SDK client so the client's
// transport, retries and credentials apply. Plain Node: no `vscode`. Every list call is one page.
import { createHash } from 'node:crypto';
import {
  CopyPackageVersionsCommand,
  CreatePackageGroupCommand,
  DeletePackageCommand,
  DeletePackageGroupCommand,
  DeletePackageVersionsCommand,
  DescribePackageVersionCommand,
  DisposePackageVersionsCommand,
  GetAssociatedPackageGroupCommand,
  GetDomainPermissionsPolicyCommand,
  GetPackageVersionAssetCommand,
  GetPackageVersionReadmeCommand,
  GetRepositoryPermissionsPolicyCommand,
  ListAllowedRepositoriesForGroupCommand,
  ListAssociatedPackagesCommand,
  ListPackageGroupsCommand,
  ListPackageVersionDependenciesCommand,
  ListTagsForResourceCommand,
  PublishPackageVersionCommand,
  PutPackageOriginConfigurationCommand,
  UpdatePackageGroupOriginConfigurationCommand,
  UpdatePackageVersionsStatusCommand,
  type AssociatedPackage,
  type PackageDependency,
  type PackageFormat,
  type PackageGroupAllowedRepository,
  type PackageGroupDescription,
  type PackageGroupSummary,
  type PackageOriginConfiguration,
  type PackageVersionDescription,
  type PackageVersionError,
  type PackageVersionStatus,
  type PackageSummary,
} from '@aws-sdk/client-codeartifact';
import type { PackageCoordinates } from '../coordinates';
import type { RestrictionMode as GroupRestrictionMode, RestrictionType as GroupRestrictionType } from '../packageGroupPattern';
import type { CodeArtifact, DomainRef, Page, RepositoryPackageRef, RepositoryRef } from './client';

/** What a batch operation on versions did: the versions it changed and, per version that failed, why. */
export interface VersionsOutcome {
  succeeded: { version: string; status?: string }[];
  failed: { version: string; code?: string; reason: string }[];
}

function owner(ref: DomainRef): { domainOwner?: string } {
  return ref.domainOwner ? { domainOwner: ref.domainOwner } : {};
}

function packageInput(ref: RepositoryPackageRef) {
  return { domain: ref.domain, ...owner(ref), repository: ref.repository, format: ref.format as PackageFormat, namespace: ref.namespace || undefined, package: ref.name };
}

function outcome(r: { successfulVersions?: Record<string, { status?: string }>; failedVersions?: Record<string, PackageVersionError> }): VersionsOutcome {
  return {
    succeeded: Object.entries(r.successfulVersions ?? {}).map(([version, info]) => ({ version, status: info.status })),
    failed: Object.entries(r.failedVersions ?? {}).map(([version, e]) => ({ version, code: e.errorCode, reason: e.errorMessage ?? e.errorCode ?? 'failed' })),
  };
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function updateVersionsStatus(ca: CodeArtifact, ref: RepositoryPackageRef, versions: string[], status: PackageVersionStatus): Promise<VersionsOutcome> {
  return outcome(await ca.client.send(new UpdatePackageVersionsStatusCommand({ ...packageInput(ref), versions, targetStatus: status })));
}

export async function disposeVersions(ca: CodeArtifact, ref: RepositoryPackageRef, versions: string[]): Promise<VersionsOutcome> {
  return outcome(await ca.client.send(new DisposePackageVersionsCommand({ ...packageInput(ref), versions })));
}

export async function deleteVersions(ca: CodeArtifact, ref: RepositoryPackageRef, versions: string[]): Promise<VersionsOutcome> {
  return outcome(await ca.client.send(new DeletePackageVersionsCommand({ ...packageInput(ref), versions })));
}

export async function deletePackage(ca: CodeArtifact, ref: RepositoryPackageRef): Promise<PackageSummary | undefined> {
  return (await ca.client.send(new DeletePackageCommand(packageInput(ref)))).deletedPackage;
}

export interface CopyRequest extends DomainRef, PackageCoordinates {
  sourceRepository: string;
  destinationRepository: string;
  versions: string[];
  allowOverwrite?: boolean;
  includeFromUpstream?: boolean;
}

export async function copyVersions(ca: CodeArtifact, req: CopyRequest): Promise<VersionsOutcome> {
  return outcome(
    await ca.client.send(
      new CopyPackageVersionsCommand({
        domain: req.domain,
        ...owner(req),
        sourceRepository: req.sourceRepository,
        destinationRepository: req.destinationRepository,
        format: req.format as PackageFormat,
        namespace: req.namespace || undefined,
        package: req.name,
        versions: req.versions,
        allowOverwrite: req.allowOverwrite,
        includeFromUpstream: req.includeFromUpstream,
      }),
    ),
  );
}

export async function putPackageOrigin(
  ca: CodeArtifact,
  ref: RepositoryPackageRef,
  publish: 'ALLOW' | 'BLOCK',
  upstream: 'ALLOW' | 'BLOCK',
): Promise<PackageOriginConfiguration | undefined> {
  return (await ca.client.send(new PutPackageOriginConfigurationCommand({ ...packageInput(ref), restrictions: { publish, upstream } }))).originConfiguration;
}

export async function createPackageGroup(
  ca: CodeArtifact,
  ref: DomainRef,
  pattern: string,
  description?: string,
  contactInfo?: string,
): Promise<PackageGroupDescription | undefined> {
  return (await ca.client.send(new CreatePackageGroupCommand({ domain: ref.domain, ...owner(ref), packageGroup: pattern, description, contactInfo }))).packageGroup;
}

export async function deletePackageGroup(ca: CodeArtifact, ref: DomainRef, pattern: string): Promise<PackageGroupDescription | undefined> {
  return (await ca.client.send(new DeletePackageGroupCommand({ domain: ref.domain, ...owner(ref), packageGroup: pattern }))).packageGroup;
}

export interface GroupOriginChange {
  restrictions: Partial<Record<GroupRestrictionType, GroupRestrictionMode>>;
  addAllowedRepositories?: PackageGroupAllowedRepository[];
  removeAllowedRepositories?: PackageGroupAllowedRepository[];
}

export async function updatePackageGroupOrigin(ca: CodeArtifact, ref: DomainRef, pattern: string, change: GroupOriginChange): Promise<PackageGroupDescription | undefined> {
  const r = await ca.client.send(
    new UpdatePackageGroupOriginConfigurationCommand({
      domain: ref.domain,
      ...owner(ref),
      packageGroup: pattern,
      restrictions: change.restrictions,
      addAllowedRepositories: change.addAllowedRepositories?.length ? change.addAllowedRepositories : undefined,
      removeAllowedRepositories: change.removeAllowedRepositories?.length ? change.removeAllowedRepositories : undefined,
    }),
  );
  return r.packageGroup;
}

export async function listPackageGroups(ca: CodeArtifact, ref: DomainRef, nextToken?: string, maxResults?: number): Promise<Page<PackageGroupSummary>> {
  const r = await ca.client.send(new ListPackageGroupsCommand({ domain: ref.domain, ...owner(ref), nextToken, maxResults }));
  return { items: r.packageGroups ?? [], nextToken: r.nextToken || undefined };
}

export async function listAllowedRepositories(ca: CodeArtifact, ref: DomainRef, pattern: string, type: GroupRestrictionType, nextToken?: string): Promise<Page<string>> {
  const r = await ca.client.send(new ListAllowedRepositoriesForGroupCommand({ domain: ref.domain, ...owner(ref), packageGroup: pattern, originRestrictionType: type, nextToken }));
  return { items: r.allowedRepositories ?? [], nextToken: r.nextToken || undefined };
}

export async function listAssociatedPackages(
  ca: CodeArtifact,
  ref: DomainRef,
  pattern: string,
  nextToken?: string,
  maxResults?: number,
  preview?: boolean,
): Promise<Page<AssociatedPackage>> {
  const r = await ca.client.send(new ListAssociatedPackagesCommand({ domain: ref.domain, ...owner(ref), packageGroup: pattern, nextToken, maxResults, preview }));
  return { items: r.packages ?? [], nextToken: r.nextToken || undefined };
}

export async function associatedPackageGroup(ca: CodeArtifact, ref: DomainRef & PackageCoordinates): Promise<PackageGroupDescription | undefined> {
  const r = await ca.client.send(
    new GetAssociatedPackageGroupCommand({ domain: ref.domain, ...owner(ref), format: ref.format as PackageFormat, namespace: ref.namespace || undefined, package: ref.name }),
  );
  return r.packageGroup;
}

export interface GenericAsset {
  name: string;
  content: Uint8Array;
}

/**
 * Publishes a generic package version, one asset per call, each with its SHA-256; every call but the last says
 * `unfinished`, so the version stays Unfinished until its last asset is in. `onAsset` reports progress.
 */
export async function publishGeneric(
  ca: CodeArtifact,
  ref: RepositoryRef & { namespace: string; name: string; version: string },
  assets: GenericAsset[],
  onAsset?: (done: number, total: number, name: string, status?: string) => void,
): Promise<{ status?: string; assets: { name: string; sha256: string; size: number }[] }> {
  let status: string | undefined;
  const published: { name: string; sha256: string; size: number }[] = [];
  for (const [i, asset] of assets.entries()) {
    const sha256 = sha256Hex(asset.content);
    const r = await ca.client.send(
      new PublishPackageVersionCommand({
        domain: ref.domain,
        ...owner(ref),
        repository: ref.repository,
        format: 'generic',
        namespace: ref.namespace,
        package: ref.name,
        packageVersion: ref.version,
        assetName: asset.name,
        assetContent: asset.content,
        assetSHA256: sha256,
        unfinished: i < assets.length - 1 ? true : undefined,
      }),
    );
    status = r.status;
    published.push({ name: asset.name, sha256, size: asset.content.byteLength });
    onAsset?.(i + 1, assets.length, asset.name, status);
  }
  return { status, assets: published };
}

export async function getAsset(ca: CodeArtifact, ref: RepositoryPackageRef, version: string, asset: string): Promise<Uint8Array> {
  const r = await ca.client.send(new GetPackageVersionAssetCommand({ ...packageInput(ref), packageVersion: version, asset }));
  if (!r.asset) throw new Error(`CodeArtifact returned no content for asset ${asset}`);
  return r.asset.transformToByteArray();
}

export async function describeVersion(ca: CodeArtifact, ref: RepositoryPackageRef, version: string): Promise<PackageVersionDescription> {
  return (await ca.client.send(new DescribePackageVersionCommand({ ...packageInput(ref), packageVersion: version }))).packageVersion ?? {};
}

export async function versionReadme(ca: CodeArtifact, ref: RepositoryPackageRef, version: string): Promise<string | undefined> {
  return (await ca.client.send(new GetPackageVersionReadmeCommand({ ...packageInput(ref), packageVersion: version }))).readme;
}

export async function versionDependencies(ca: CodeArtifact, ref: RepositoryPackageRef, version: string, nextToken?: string): Promise<Page<PackageDependency>> {
  const r = await ca.client.send(new ListPackageVersionDependenciesCommand({ ...packageInput(ref), packageVersion: version, nextToken }));
  return { items: r.dependencies ?? [], nextToken: r.nextToken || undefined };
}

/** The permissions policy document of a domain or repository, or undefined when it has none. */
export async function permissionsPolicy(ca: CodeArtifact, ref: DomainRef & { repository?: string }): Promise<string | undefined> {
  try {
    const r = ref.repository
      ? await ca.client.send(new GetRepositoryPermissionsPolicyCommand({ domain: ref.domain, ...owner(ref), repository: ref.repository }))
      : await ca.client.send(new GetDomainPermissionsPolicyCommand({ domain: ref.domain, ...owner(ref) }));
    return r.policy?.document;
  } catch (e) {
    if ((e as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw e;
  }
}

export async function tagsOf(ca: CodeArtifact, arn: string): Promise<{ key: string; value: string }[]> {
  const r = await ca.client.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  return (r.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' }));
}

/**
 * Why the package group keeps a package from coming in from upstream (its effective EXTERNAL_UPSTREAM or
 * INTERNAL_UPSTREAM restriction is BLOCK), or undefined when it does not.
 */
export function groupUpstreamBlock(group: PackageGroupDescription | undefined): string | undefined {
  const r = group?.originConfiguration?.restrictions ?? {};
  for (const type of ['EXTERNAL_UPSTREAM', 'INTERNAL_UPSTREAM'] as const) {
    const x = r[type];
    if ((x?.effectiveMode ?? x?.mode) !== 'BLOCK') continue;
    const from = x?.mode === 'INHERIT' && x.inheritedFrom?.pattern ? `, inherited from ${x.inheritedFrom.pattern}` : '';
    return `the package group ${group?.pattern} sets ${type}=BLOCK${from}`;
  }
  return undefined;
}
