// Plain models for the explorer's rows: one `kind` field and a `parent` link; each kind has one renderer
// (./kinds). Cursors and caches live here (in PagedList), not in TreeItems, and only the provider changes them.
import type { AssetSummary, DomainDescription, DomainSummary, PackageSummary, PackageVersionSummary, RepositoryDescription, RepositorySummary } from '@aws-sdk/client-codeartifact';
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
export type PageableNode = RootNode | DomainNode | PackagesNode | PackageNode | VersionNode;
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
  DomainNode | RepositoryNode | UpstreamsNode | UpstreamNode | ExternalConnectionNode | PackagesNode | PackageNode | VersionNode | AssetNode | LoadMoreNode | ErrorNode;
