// Repository rows and what hangs off them: the upstream list, the external connection (or the offer to add
// one) and the Packages row. Upstreams and the connection come from DescribeRepository, asked on expansion.
import * as vscode from 'vscode';
import { PagedList } from '../../core/paging';
import type { DomainNode, ExplorerNode, ExternalConnectionNode, RepositoryNode, UpstreamNode, UpstreamsNode } from '../nodes';
import { errorRow, markdown, withId, type KindSpec, type TreeContext } from './spec';

export function newRepositoryNode(domain: DomainNode, summary: RepositoryNode['summary'], tree: TreeContext): RepositoryNode {
  const ref = { domain: domain.summary.name!, domainOwner: domain.summary.owner, repository: summary.name! };
  const id = `repository:${ref.domainOwner}/${ref.domain}/${ref.repository}`;
  const repo = { kind: 'repository', parent: domain, id, ref, summary } as RepositoryNode;
  repo.packages = { kind: 'packages', parent: repo, id: `${id}/packages`, filter: {}, list: new PagedList((e) => tree.problem(e)) };
  return repo;
}

/** Replaces the repository's details (a newer answer than any DescribeRepository still in flight). */
export function setRepositoryDetail(node: RepositoryNode, detail: RepositoryNode['detail']): void {
  node.detailGeneration = (node.detailGeneration ?? 0) + 1;
  node.detail = detail;
  node.detailError = undefined;
}

async function loadDetail(repo: RepositoryNode, tree: TreeContext): Promise<void> {
  const generation = repo.detailGeneration ?? 0;
  try {
    const detail = await (await tree.client()).describeRepository(repo.ref);
    // A refresh, associate or disassociate that happened meanwhile has newer details: keep those.
    if ((repo.detailGeneration ?? 0) === generation) {
      repo.detail = detail;
      // The row's description gains the external connection now that it is known.
      tree.changed(repo);
    }
  } catch (e) {
    if ((repo.detailGeneration ?? 0) === generation) repo.detailError = tree.problem(e);
  }
}

export const repositorySpec: KindSpec<RepositoryNode> = {
  item(node) {
    const conn = node.detail?.externalConnections?.[0]?.externalConnectionName;
    const desc = node.detail?.description ?? node.summary.description;
    const item = new vscode.TreeItem(node.ref.repository, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = [desc, conn].filter(Boolean).join(' · ');
    item.tooltip = markdown([
      `**Repository** ${node.ref.domain}/${node.ref.repository}`,
      desc,
      conn ? `External connection: ${conn}` : undefined,
      node.detail?.upstreams?.length ? `Upstreams: ${node.detail.upstreams.map((u) => u.repositoryName).join(' → ')}` : undefined,
      `Administrator: ${node.summary.administratorAccount ?? node.ref.domainOwner}`,
    ]);
    item.iconPath = new vscode.ThemeIcon('repo');
    item.contextValue = node.detail ? (conn ? 'repository;hasExternalConnection' : 'repository;noExternalConnection') : 'repository';
    return withId(item, node.id);
  },
  async children(repo, tree) {
    if (!repo.detail && !repo.detailError) await loadDetail(repo, tree);
    if (repo.detailError) return [errorRow(repo, repo.detailError, repo.id), repo.packages];
    const rows: ExplorerNode[] = [];
    if (repo.detail?.upstreams?.length) rows.push({ kind: 'upstreams', parent: repo, id: `${repo.id}/upstreams` });
    const conn = repo.detail?.externalConnections?.[0];
    rows.push({
      kind: 'externalConnection',
      parent: repo,
      id: `${repo.id}/externalConnection`,
      name: conn?.externalConnectionName,
      format: conn?.packageFormat,
      status: conn?.status,
    });
    rows.push(repo.packages);
    return rows;
  },
  reset(node) {
    setRepositoryDetail(node, undefined);
    node.packages.list.reset();
  },
  describe: (node) => `repository ${node.ref.domain}/${node.ref.repository}`,
};

export const upstreamsSpec: KindSpec<UpstreamsNode> = {
  item(node) {
    const n = node.parent.detail?.upstreams?.length ?? 0;
    const item = new vscode.TreeItem('Upstreams', vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${n}`;
    item.tooltip = 'Searched in this order when a package is not in the repository itself';
    item.iconPath = new vscode.ThemeIcon('arrow-up');
    item.contextValue = 'upstreams';
    return withId(item, node.id);
  },
  children: (node) =>
    (node.parent.detail?.upstreams ?? []).map((u, i): UpstreamNode => ({
      kind: 'upstream',
      parent: node,
      id: `${node.id}/${i}:${u.repositoryName}`,
      repositoryName: u.repositoryName!,
      position: i + 1,
    })),
};

export const upstreamSpec: KindSpec<UpstreamNode> = {
  item(node) {
    const item = new vscode.TreeItem(node.repositoryName, vscode.TreeItemCollapsibleState.None);
    item.description = `#${node.position}`;
    item.tooltip = `Upstream ${node.position} of ${node.parent.parent.ref.repository}: click to show ${node.repositoryName}`;
    item.iconPath = new vscode.ThemeIcon('link');
    item.contextValue = 'upstream';
    item.command = { command: 'codeartifact.revealRepository', title: 'Show Repository', arguments: [node] };
    return withId(item, node.id);
  },
};

export const externalConnectionSpec: KindSpec<ExternalConnectionNode> = {
  item(node) {
    if (!node.name) {
      const item = new vscode.TreeItem('Add external connection…', vscode.TreeItemCollapsibleState.None);
      item.tooltip = 'Connect this repository to a public registry such as npmjs, PyPI or Maven Central';
      item.iconPath = new vscode.ThemeIcon('add');
      item.contextValue = 'externalConnection;none';
      item.command = { command: 'codeartifact.associateExternalConnection', title: 'Add External Connection', arguments: [node.parent] };
      return withId(item, node.id);
    }
    const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
    item.description = [node.format, node.status].filter(Boolean).join(' · ');
    item.tooltip = `External connection ${node.name} (${node.format ?? '?'}, ${node.status ?? 'unknown status'})`;
    item.iconPath = new vscode.ThemeIcon('globe');
    item.contextValue = 'externalConnection';
    return withId(item, node.id);
  },
};
