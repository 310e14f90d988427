// Which repository or Packages row a command started on a tree row acts on.
import type { RepositoryRef } from '../../core/aws/client';
import type { ExplorerNode, PackagesNode } from '../nodes';

export function repositoryRefOf(node: ExplorerNode | undefined): RepositoryRef | undefined {
  if (!node) return undefined;
  if (node.kind === 'repository') return node.ref;
  if (node.kind === 'externalConnection' || node.kind === 'packages' || node.kind === 'upstreams') return node.parent.ref;
  return undefined;
}

export function packagesRowOf(node: ExplorerNode | undefined): PackagesNode | undefined {
  return node?.kind === 'packages' ? node : node?.kind === 'repository' ? node.packages : undefined;
}
