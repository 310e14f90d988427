// One spec per node kind; the provider looks a node's spec up here instead of switching on kind.
import type { ExplorerNode } from '../nodes';
import { domainSpec } from './domain';
import { assetSpec, packageSpec, packagesSpec, versionSpec } from './packages';
import { externalConnectionSpec, repositorySpec, upstreamSpec, upstreamsSpec } from './repository';
import { errorSpec, loadMoreSpec } from './rows';
import type { KindSpec, KindSpecs } from './spec';

const SPECS: KindSpecs = {
  domain: domainSpec,
  repository: repositorySpec,
  upstreams: upstreamsSpec,
  upstream: upstreamSpec,
  externalConnection: externalConnectionSpec,
  packages: packagesSpec,
  package: packageSpec,
  version: versionSpec,
  asset: assetSpec,
  loadMore: loadMoreSpec,
  error: errorSpec,
};

export function specOf<N extends ExplorerNode>(node: N): KindSpec<N> {
  return SPECS[node.kind] as unknown as KindSpec<N>;
}
