// Plain models for the explorer's rows: one `kind` field and a `parent` link; each kind has one renderer
// (./kinds). Cursors and caches live here (in PagedList), not in TreeItems, and only the provider changes them.
import type {
  AssetSummary,
  AssociatedPackage,
  DomainDescription,
  PackageGroupSummary,
  DomainSummary,
  PackageSummary,
  PackageVersionSummary,
  RepositoryDescription,
  RepositorySummary,
} from '@aws-sdk/client-codeartifact';
import type { PackageFilter, RepositoryPackageRef, RepositoryRef } from '../core/aws/client';
import type { Problem } from '../core/aws/errors';
import type { PagedList } from '../core/paging';

/** Every list in the tree keeps the problem of its last failed page as its error. */
export type Paged<T> = PagedList<T, Problem>;

export interface RootNode {
  kind: 'root';
  domains: Paged<DomainNode>;
}
export interface DomainNode {
  kind: 'domain';
  parent: RootNode;
  id: string;
  summary: DomainSummary;
  description?: DomainDescription;
  repositories: Paged<RepositoryNode>;
  packageGroups: PackageGroupsNode;
  /** Tags (ListTagsForResource), read when the row's tooltip is first shown. */
  tags?: { key: string; value: string }[];
}
/** A "Permissions policy" row: opens the domain's or repository's policy JSON as a read-only document. */
export interface PolicyNode {
  kind: 'policy';
  parent: DomainNode | RepositoryNode;
  id: string;
}
/** The "Package groups" row of a domain: every group (all ListPackageGroups pages), shown as the hierarchy from /*. */
export interface PackageGroupsNode {
  kind: 'packageGroups';
  parent: DomainNode;
  id: string;
  groups?: PackageGroupSummary[];
  /** Groups beyond the pages read (more than the bound). */
  truncated?: boolean;
  error?: Problem;
}
export interface PackageGroupNode {
  kind: 'packageGroup';
  parent: PackageGroupsNode | PackageGroupNode;
  id: string;
  summary: PackageGroupSummary;
  /** The packages associated with the group, a page at a time. */
  packages: Paged<GroupPackageNode>;
}
export interface GroupPackageNode {
  kind: 'groupPackage';
  parent: PackageGroupNode;
  id: string;
  association: AssociatedPackage;
}
export interface RepositoryNode {
  kind: 'repository';
  parent: DomainNode;
  id: string;
  ref: RepositoryRef;
  summary: RepositorySummary;
  detail?: RepositoryDescription;
  detailError?: Problem;
  /** Bumped whenever `detail` is replaced or reset, so a late DescribeRepository answer is dropped. */
  detailGeneration?: number;
  packages: PackagesNode;
  tags?: { key: string; value: string }[];
}
export interface UpstreamsNode {
  kind: 'upstreams';
  parent: RepositoryNode;
  id: string;
}
export interface UpstreamNode {
  kind: 'upstream';
  parent: UpstreamsNode;
  id: string;
  repositoryName: string;
  position: number;
}
export interface ExternalConnectionNode {
  kind: 'externalConnection';
  parent: RepositoryNode;
  id: string;
  /** Absent: the row offers to add one. */
  name?: string;
  format?: string;
  status?: string;
}
export interface PackagesNode {
  kind: 'packages';
  parent: RepositoryNode;
  id: string;
  filter: PackageFilter;
  list: Paged<PackageNode>;
}
export interface PackageNode {
  kind: 'package';
  parent: PackagesNode;
  id: string;
  ref: RepositoryPackageRef;
  summary: PackageSummary;
  versions: Paged<VersionNode>;
  defaultDisplayVersion?: string;
  /** The package group its origin controls come from (GetAssociatedPackageGroup, read on hover). */
  group?: { pattern: string; restrictions: string[] };
}
export interface VersionNode {
  kind: 'version';
  parent: PackageNode;
  id: string;
  summary: PackageVersionSummary;
  assets: Paged<AssetNode>;
}
export interface AssetNode {
  kind: 'asset';
  parent: VersionNode;
  id: string;
  summary: AssetSummary;
}
export type PageableNode = RootNode | DomainNode | PackagesNode | PackageNode | VersionNode | PackageGroupNode;
export interface LoadMoreNode {
  kind: 'loadMore';
  parent: PageableNode;
  id: string;
}
export interface ErrorNode {
  kind: 'error';
  /** What Retry refreshes. */
  parent: ExplorerNode | RootNode;
  id: string;
  problem: Problem;
}

export type ExplorerNode =
  | DomainNode
  | PackageGroupsNode
  | PackageGroupNode
  | GroupPackageNode
  | PolicyNode
  | RepositoryNode
  | UpstreamsNode
  | UpstreamNode
  | ExternalConnectionNode
  | PackagesNode
  | PackageNode
  | VersionNode
  | AssetNode
  | LoadMoreNode
  | ErrorNode;
