// One spec per node kind; the provider looks a node's spec up here instead of switching on kind.
import type { ExplorerNode } from '../nodes';
import { domainSpec } from './domain';
import { groupPackageSpec, packageGroupSpec, packageGroupsSpec } from './groups';
import { assetSpec, packageSpec, packagesSpec, versionSpec } from './packages';
import { externalConnectionSpec, repositorySpec, upstreamSpec, upstreamsSpec } from './repository';
import { errorSpec, loadMoreSpec, policySpec } from './rows';
import type { KindSpec, KindSpecs } from './spec';

const SPECS: KindSpecs = {
  domain: domainSpec,
  packageGroups: packageGroupsSpec,
  packageGroup: packageGroupSpec,
  groupPackage: groupPackageSpec,
  repository: repositorySpec,
  upstreams: upstreamsSpec,
  upstream: upstreamSpec,
  externalConnection: externalConnectionSpec,
  packages: packagesSpec,
  package: packageSpec,
  version: versionSpec,
  asset: assetSpec,
  loadMore: loadMoreSpec,
  policy: policySpec,
  error: errorSpec,
};

export function specOf<N extends ExplorerNode>(node: N): KindSpec<N> {
  return SPECS[node.kind] as unknown as KindSpec<N>;
}
