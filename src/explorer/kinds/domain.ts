// Domain rows: name, owner, repository count and size (DescribeDomain, fetched with the domain list).
import * as vscode from 'vscode';
import { humanSize } from '../../core/aws/names';
import { PagedList } from '../../core/paging';
import type { DomainNode, RepositoryNode } from '../nodes';
import { markdown, withId, type KindSpec, type TreeContext } from './spec';
import { newPackageGroupsNode } from './groups';
import { newRepositoryNode } from './repository';

export function newDomainNode(parent: DomainNode['parent'], summary: DomainNode['summary'], tree: TreeContext): DomainNode {
  const node = { kind: 'domain', parent, id: `domain:${summary.owner}/${summary.name}`, summary, repositories: new PagedList((e) => tree.problem(e)) } as DomainNode;
  node.packageGroups = newPackageGroupsNode(node);
  return node;
}

export const domainSpec: KindSpec<DomainNode> = {
  item(node) {
    const d = node.description;
    const item = new vscode.TreeItem(node.summary.name!, vscode.TreeItemCollapsibleState.Collapsed);
    const parts = [node.summary.owner];
    if (d?.repositoryCount !== undefined) parts.push(`${d.repositoryCount} ${d.repositoryCount === 1 ? 'repository' : 'repositories'}`);
    if (d?.assetSizeBytes !== undefined) parts.push(humanSize(d.assetSizeBytes));
    item.description = parts.join(' · ');
    item.tooltip = markdown([
      `**Domain** ${node.summary.name}`,
      `Owner: ${node.summary.owner}`,
      d?.repositoryCount !== undefined ? `Repositories: ${d.repositoryCount}` : undefined,
      d?.assetSizeBytes !== undefined ? `Assets: ${humanSize(d.assetSizeBytes)}` : undefined,
      node.summary.status ? `Status: ${node.summary.status}` : undefined,
      node.summary.arn ? `ARN: ${node.summary.arn}` : undefined,
    ]);
    item.iconPath = new vscode.ThemeIcon('organization');
    item.contextValue = 'domain';
    return withId(item, node.id);
  },
  paging: {
    list: (node) => node.repositories,
    async fetch(node, ca, nextToken, pageSize, tree) {
      const page = await ca.listRepositoriesInDomain({ domain: node.summary.name!, domainOwner: node.summary.owner }, nextToken, pageSize);
      return { items: page.items.map((summary): RepositoryNode => newRepositoryNode(node, summary, tree)), nextToken: page.nextToken };
    },
  },
  reset(node) {
    node.repositories.reset();
    node.description = undefined;
    node.packageGroups.groups = undefined;
    node.packageGroups.error = undefined;
  },
  describe: (node) => `domain ${node.summary.name}`,
};
