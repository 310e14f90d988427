// The CodeArtifact explorer: domains -> repositories -> (upstreams, external connection, packages -> versions -> assets).
// Lists load one page at a time ("Load more…"); a refresh bumps a generation counter so late pages are dropped.
import * as vscode from 'vscode';
import type { CodeArtifact, RepositoryPackageRef } from '../core/aws/client';
import { describeProblem, type Problem } from '../core/aws/errors';
import { humanSize } from '../core/aws/names';
import { packageDisplayName } from '../core/coordinates';
import type { Connection } from '../connection';
import {
  emptyPaged,
  pagedOf,
  type DomainNode,
  type ErrorNode,
  type ExplorerNode,
  type PackageNode,
  type PageableNode,
  type Paged,
  type RepositoryNode,
  type RootNode,
  type VersionNode,
} from './nodes';

export type ExplorerState = 'loading' | 'ok' | 'noCredentials' | 'noDomains' | 'error';

const FORMAT_ICONS = new Set(['npm', 'pypi', 'maven']);

export class ExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  root: RootNode = { kind: 'root', domains: emptyPaged() };
  state: ExplorerState = 'loading';

  constructor(
    private readonly connection: Connection,
    private readonly mediaUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  private pageSize(): number {
    const n = vscode.workspace.getConfiguration('codeartifact').get<number>('pageSize', 100);
    return Math.min(1000, Math.max(1, Math.floor(n || 100)));
  }

  private setState(state: ExplorerState): void {
    if (this.state === state) return;
    this.state = state;
    void vscode.commands.executeCommand('setContext', 'codeartifact.explorerState', state);
  }

  // ---- refresh and paging ------------------------------------------------------------------

  /** Forgets what a node (or the whole tree) loaded and shows it again from its first page. */
  refresh(node?: ExplorerNode | RootNode): void {
    if (!node || node.kind === 'root') {
      const generation = this.root.domains.generation + 1;
      this.root = { kind: 'root', domains: { ...emptyPaged(), generation } };
      this.changed.fire(undefined);
      return;
    }
    if (node.kind === 'error') return this.refresh(node.parent);
    if (node.kind === 'loadMore') return this.refresh(node.parent);
    if (node.kind === 'repository') {
      node.detailGeneration = (node.detailGeneration ?? 0) + 1;
      node.detail = undefined;
      node.detailError = undefined;
      resetPaged(node.packages.list);
    } else if (node.kind === 'upstreams' || node.kind === 'externalConnection') {
      return this.refresh(node.parent);
    } else if (node.kind === 'upstream') {
      return this.refresh(node.parent.parent);
    } else if (node.kind === 'domain' || node.kind === 'packages' || node.kind === 'package' || node.kind === 'version') {
      resetPaged(pagedOf(node));
      if (node.kind === 'domain') node.description = undefined;
    } else {
      return this.refresh(node.parent);
    }
    this.changed.fire(node);
  }

  /** Appends the next page of a list; a second call while one is loading waits for the same page. */
  async loadMore(node: PageableNode): Promise<void> {
    const paged = pagedOf(node);
    if (!paged.nextToken) return;
    await this.loadPage(node, paged.nextToken);
    this.changed.fire(node.kind === 'root' ? undefined : node);
  }

  private loadPage(node: PageableNode, nextToken: string | undefined): Promise<void> {
    const paged = pagedOf(node) as Paged<ExplorerNode>;
    if (paged.pending) return paged.pending;
    const generation = paged.generation;
    let p: Promise<void> | undefined = undefined;
    p = (async () => {
      try {
        const ca = await this.connection.client();
        const page = await this.fetchPage(ca, node, nextToken);
        if (paged.generation !== generation) return;
        paged.items.push(...page.items);
        paged.nextToken = page.nextToken;
        paged.error = undefined;
      } catch (e) {
        if (paged.generation !== generation) return;
        paged.error = this.problem(e);
        this.log.warn(`${describeNode(node)}: ${paged.error.message}`);
      } finally {
        // A page of an older generation (the list was refreshed meanwhile) must not mark the new one loaded.
        if (paged.generation === generation) {
          paged.loaded = true;
          if (paged.pending === p) paged.pending = undefined;
        }
      }
    })();
    paged.pending = p;
    return p;
  }

  private async fetchPage(ca: CodeArtifact, node: PageableNode, nextToken: string | undefined): Promise<{ items: ExplorerNode[]; nextToken?: string }> {
    const max = this.pageSize();
    switch (node.kind) {
      case 'root': {
        const page = await ca.listDomains(nextToken, max);
        const domains = page.items.map(
          (summary): DomainNode => ({ kind: 'domain', parent: node, id: `domain:${summary.owner}/${summary.name}`, summary, repositories: emptyPaged() }),
        );
        // Repository count and size are only in DescribeDomain; domains are few, so fetch them alongside.
        await Promise.all(
          domains.map(async (d) => {
            try {
              d.description = await ca.describeDomain({ domain: d.summary.name!, domainOwner: d.summary.owner });
            } catch (e) {
              this.log.warn(`DescribeDomain ${d.summary.name}: ${this.problem(e).message}`);
            }
          }),
        );
        return { items: domains, nextToken: page.nextToken };
      }
      case 'domain': {
        const ref = { domain: node.summary.name!, domainOwner: node.summary.owner };
        const page = await ca.listRepositoriesInDomain(ref, nextToken, max);
        return {
          items: page.items.map((summary) => this.repositoryNode(node, summary)),
          nextToken: page.nextToken,
        };
      }
      case 'packages': {
        const repo = node.parent;
        const page = await ca.listPackages(repo.ref, node.filter, nextToken, max);
        return {
          items: page.items.map((summary): PackageNode => {
            const ref: RepositoryPackageRef = { ...repo.ref, format: summary.format!, namespace: summary.namespace, name: summary.package! };
            return { kind: 'package', parent: node, id: `${node.id}/${ref.format}:${ref.namespace ?? ''}:${ref.name}`, ref, summary, versions: emptyPaged() };
          }),
          nextToken: page.nextToken,
        };
      }
      case 'package': {
        const page = await ca.listPackageVersions(node.ref, nextToken, max);
        if (page.defaultDisplayVersion) node.defaultDisplayVersion = page.defaultDisplayVersion;
        return {
          items: page.items.map((summary): VersionNode => ({ kind: 'version', parent: node, id: `${node.id}@${summary.version}`, summary, assets: emptyPaged() })),
          nextToken: page.nextToken,
        };
      }
      case 'version': {
        const page = await ca.listPackageVersionAssets(node.parent.ref, node.summary.version!, nextToken, max);
        return {
          items: page.items.map((summary) => ({ kind: 'asset' as const, parent: node, id: `${node.id}/${summary.name}`, summary })),
          nextToken: page.nextToken,
        };
      }
    }
  }

  private repositoryNode(domain: DomainNode, summary: { name?: string; description?: string; domainOwner?: string }): RepositoryNode {
    const ref = { domain: domain.summary.name!, domainOwner: domain.summary.owner, repository: summary.name! };
    const id = `repository:${ref.domainOwner}/${ref.domain}/${ref.repository}`;
    const repo = { kind: 'repository', parent: domain, id, ref, summary } as RepositoryNode;
    repo.packages = { kind: 'packages', parent: repo, id: `${id}/packages`, filter: {}, list: emptyPaged() };
    return repo;
  }

  private problem(e: unknown): Problem {
    return describeProblem(e, this.connection.problemContext());
  }

  /** The loaded row of a repository, if the tree has loaded it. */
  findRepositoryNode(ref: { domain: string; domainOwner?: string; repository: string }): RepositoryNode | undefined {
    for (const d of this.root.domains.items) {
      if (d.summary.name !== ref.domain || (ref.domainOwner && d.summary.owner !== ref.domainOwner)) continue;
      const r = d.repositories.items.find((x) => x.ref.repository === ref.repository);
      if (r) return r;
    }
    return undefined;
  }

  /** Shows a repository description the service just returned (after associate/disassociate) in place. */
  applyRepositoryDetail(ref: { domain: string; domainOwner?: string; repository: string }, detail: RepositoryNode['detail']): void {
    const node = this.findRepositoryNode(ref);
    if (!node) return;
    node.detailGeneration = (node.detailGeneration ?? 0) + 1;
    node.detail = detail;
    node.detailError = undefined;
    this.changed.fire(node);
  }

  /** Loads pages of a domain's repositories until `name` appears (bounded), for reveal. */
  async loadRepository(domain: DomainNode, name: string): Promise<RepositoryNode | undefined> {
    if (!domain.repositories.loaded) await this.loadPage(domain, undefined);
    for (let i = 0; i < 50; i++) {
      const found = domain.repositories.items.find((r) => r.ref.repository === name);
      if (found || !domain.repositories.nextToken) return found;
      // A failed page is not asked for again in a loop: its problem is what the user needs to see.
      if (domain.repositories.error) throw new Error(domain.repositories.error.message);
      await this.loadPage(domain, domain.repositories.nextToken);
      this.changed.fire(domain);
    }
    if (domain.repositories.error) throw new Error(domain.repositories.error.message);
    return undefined;
  }

  // ---- TreeDataProvider ----------------------------------------------------------------------

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) return this.rootChildren();
    switch (node.kind) {
      case 'domain':
      case 'packages':
      case 'package':
      case 'version':
        return this.pagedChildren(node);
      case 'repository':
        return this.repositoryChildren(node);
      case 'upstreams':
        return (node.parent.detail?.upstreams ?? []).map((u, i) => ({
          kind: 'upstream' as const,
          parent: node,
          id: `${node.id}/${i}:${u.repositoryName}`,
          repositoryName: u.repositoryName!,
          position: i + 1,
        }));
      default:
        return [];
    }
  }

  private async rootChildren(): Promise<ExplorerNode[]> {
    const paged = this.root.domains;
    if (!paged.loaded) await this.loadPage(this.root, undefined);
    if (paged.error && paged.items.length === 0) {
      // No credentials is an empty view with welcome buttons; every other problem is a row that says how to fix it.
      if (paged.error.kind === 'noCredentials') {
        this.setState('noCredentials');
        return [];
      }
      this.setState('error');
      return [this.errorNode(this.root, paged.error, 'root')];
    }
    if (paged.items.length === 0) {
      this.setState('noDomains');
      return [];
    }
    this.setState('ok');
    return this.withPaging(this.root, paged);
  }

  private async pagedChildren(node: PageableNode): Promise<ExplorerNode[]> {
    const paged = pagedOf(node);
    if (!paged.loaded) await this.loadPage(node, undefined);
    return this.withPaging(node, paged);
  }

  private withPaging(node: PageableNode, paged: Paged<ExplorerNode>): ExplorerNode[] {
    const rows: ExplorerNode[] = [...paged.items];
    const ownerId = node.kind === 'root' ? 'root' : node.id;
    if (paged.error) rows.push(this.errorNode(node.kind === 'root' ? this.root : node, paged.error, ownerId));
    else if (paged.nextToken) rows.push({ kind: 'loadMore', parent: node, id: `${ownerId}/loadMore` });
    return rows;
  }

  private errorNode(parent: ExplorerNode | RootNode, problem: Problem, ownerId: string): ErrorNode {
    return { kind: 'error', parent, id: `${ownerId}/error`, problem };
  }

  private async repositoryChildren(repo: RepositoryNode): Promise<ExplorerNode[]> {
    if (!repo.detail && !repo.detailError) {
      const generation = repo.detailGeneration ?? 0;
      try {
        const ca = await this.connection.client();
        const detail = await ca.describeRepository(repo.ref);
        // A refresh, associate or disassociate that happened meanwhile has newer details: keep those.
        if ((repo.detailGeneration ?? 0) === generation) {
          repo.detail = detail;
          // The row's description gains the external connection now that it is known.
          this.changed.fire(repo);
        }
      } catch (e) {
        if ((repo.detailGeneration ?? 0) === generation) repo.detailError = this.problem(e);
      }
    }
    if (repo.detailError) return [this.errorNode(repo, repo.detailError, repo.id), repo.packages];
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
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    if (node.kind === 'domain') return undefined;
    const parent = node.parent;
    return parent.kind === 'root' ? undefined : parent;
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'domain': {
        const d = node.description;
        const item = new vscode.TreeItem(node.summary.name!, C.Collapsed);
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
      }
      case 'repository': {
        const conn = node.detail?.externalConnections?.[0]?.externalConnectionName;
        const desc = node.detail?.description ?? node.summary.description;
        const item = new vscode.TreeItem(node.ref.repository, C.Collapsed);
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
      }
      case 'upstreams': {
        const n = node.parent.detail?.upstreams?.length ?? 0;
        const item = new vscode.TreeItem('Upstreams', C.Collapsed);
        item.description = `${n}`;
        item.tooltip = 'Searched in this order when a package is not in the repository itself';
        item.iconPath = new vscode.ThemeIcon('arrow-up');
        item.contextValue = 'upstreams';
        return withId(item, node.id);
      }
      case 'upstream': {
        const item = new vscode.TreeItem(node.repositoryName, C.None);
        item.description = `#${node.position}`;
        item.tooltip = `Upstream ${node.position} of ${node.parent.parent.ref.repository}: click to show ${node.repositoryName}`;
        item.iconPath = new vscode.ThemeIcon('link');
        item.contextValue = 'upstream';
        item.command = { command: 'codeartifact.revealRepository', title: 'Show Repository', arguments: [node] };
        return withId(item, node.id);
      }
      case 'externalConnection': {
        if (!node.name) {
          const item = new vscode.TreeItem('Add external connection…', C.None);
          item.tooltip = 'Connect this repository to a public registry such as npmjs, PyPI or Maven Central';
          item.iconPath = new vscode.ThemeIcon('add');
          item.contextValue = 'externalConnection;none';
          item.command = { command: 'codeartifact.associateExternalConnection', title: 'Add External Connection', arguments: [node.parent] };
          return withId(item, node.id);
        }
        const item = new vscode.TreeItem(node.name, C.None);
        item.description = [node.format, node.status].filter(Boolean).join(' · ');
        item.tooltip = `External connection ${node.name} (${node.format ?? '?'}, ${node.status ?? 'unknown status'})`;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.contextValue = 'externalConnection';
        return withId(item, node.id);
      }
      case 'packages': {
        const item = new vscode.TreeItem('Packages', C.Collapsed);
        const f = node.filter;
        const filterText = [f.namespace ? `namespace ${f.namespace}` : '', f.packagePrefix ? `prefix ${f.packagePrefix}` : ''].filter(Boolean).join(', ');
        item.description = filterText ? `filter: ${filterText}` : undefined;
        item.iconPath = new vscode.ThemeIcon(filterText ? 'filter' : 'package');
        item.contextValue = filterText ? 'packages;filtered' : 'packages';
        return withId(item, node.id);
      }
      case 'package': {
        const s = node.summary;
        const item = new vscode.TreeItem(packageDisplayName(s.format, s.namespace, s.package!), C.Collapsed);
        const r = s.originConfiguration?.restrictions;
        const restricted = [r?.publish === 'BLOCK' ? 'publish blocked' : '', r?.upstream === 'BLOCK' ? 'upstream blocked' : ''].filter(Boolean);
        item.description = [s.format, ...restricted].join(' · ');
        item.tooltip = markdown([
          `**${packageDisplayName(s.format, s.namespace, s.package!)}** (${s.format})`,
          `Origin controls: publish ${r?.publish ?? 'ALLOW'}, upstream ${r?.upstream ?? 'ALLOW'}`,
        ]);
        item.iconPath = FORMAT_ICONS.has(s.format ?? '') ? vscode.Uri.joinPath(this.mediaUri, `${s.format}.svg`) : new vscode.ThemeIcon('package');
        item.contextValue = `package;${s.format}`;
        return withId(item, node.id);
      }
      case 'version': {
        const v = node.summary;
        const isDefault = node.parent.defaultDisplayVersion === v.version;
        const item = new vscode.TreeItem(v.version!, C.Collapsed);
        const origin = v.origin?.originType;
        const via = v.origin?.domainEntryPoint?.externalConnectionName ?? v.origin?.domainEntryPoint?.repositoryName;
        item.description = [isDefault ? '★ default' : '', v.status, origin ? (via ? `${origin} via ${via}` : origin) : ''].filter(Boolean).join(' · ');
        item.tooltip = markdown([
          `**${packageDisplayName(node.parent.summary.format, node.parent.summary.namespace, node.parent.summary.package!)}@${v.version}**`,
          `Status: ${v.status}`,
          origin ? `Origin: ${origin}${via ? ` (${via})` : ''}` : undefined,
          isDefault ? 'Default display version' : undefined,
          v.revision ? `Revision: ${v.revision}` : undefined,
        ]);
        item.iconPath = new vscode.ThemeIcon(isDefault ? 'star-full' : 'tag');
        item.contextValue = `version;${node.parent.summary.format}`;
        return withId(item, node.id);
      }
      case 'asset': {
        const a = node.summary;
        const item = new vscode.TreeItem(a.name!, C.None);
        item.description = humanSize(a.size);
        item.tooltip = markdown([`**${a.name}**`, `Size: ${a.size ?? '?'} bytes`, a.hashes?.['SHA-256'] ? `SHA-256: \`${a.hashes['SHA-256']}\`` : undefined]);
        item.iconPath = new vscode.ThemeIcon('file-binary');
        item.contextValue = 'asset';
        return withId(item, node.id);
      }
      case 'loadMore': {
        const item = new vscode.TreeItem('Load more…', C.None);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = 'loadMore';
        item.command = { command: 'codeartifact.loadMore', title: 'Load More', arguments: [node] };
        return withId(item, node.id);
      }
      case 'error':
        return errorItem(node);
    }
  }
}

function errorItem(node: ErrorNode): vscode.TreeItem {
  const p = node.problem;
  const item = new vscode.TreeItem(p.kind === 'accessDenied' && p.deniedAction ? `Access denied: ${p.deniedAction}` : p.message, vscode.TreeItemCollapsibleState.None);
  item.tooltip = p.message;
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  item.contextValue = `error;${p.kind}`;
  switch (p.kind) {
    case 'ssoExpired':
      item.description = 'Run aws sso login';
      item.command = { command: 'codeartifact.ssoLogin', title: 'Run aws sso login', arguments: [node] };
      break;
    case 'unknownProfile':
    case 'noCredentials':
      item.description = 'Choose profile';
      item.command = { command: 'codeartifact.chooseProfile', title: 'Choose Profile', arguments: [] };
      break;
    case 'noRegion':
      item.description = 'Set region';
      item.command = { command: 'codeartifact.setRegion', title: 'Set Region', arguments: [] };
      break;
    case 'badEndpoint':
    case 'unreachable':
      item.description = 'Open settings';
      item.command = { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: [p.setting ?? 'codeartifact'] };
      break;
    default:
      item.description = 'Retry';
      item.command = { command: 'codeartifact.refresh', title: 'Retry', arguments: [node] };
  }
  return withId(item, node.id);
}

function resetPaged<T>(paged: Paged<T>): void {
  paged.generation++;
  paged.items = [];
  paged.nextToken = undefined;
  paged.loaded = false;
  paged.error = undefined;
  paged.pending = undefined;
}

function withId(item: vscode.TreeItem, id: string): vscode.TreeItem {
  item.id = id;
  return item;
}

function markdown(lines: (string | undefined)[]): vscode.MarkdownString {
  return new vscode.MarkdownString(lines.filter((l): l is string => !!l).join('\n\n'));
}

function describeNode(node: ExplorerNode | RootNode): string {
  switch (node.kind) {
    case 'root':
      return 'domains';
    case 'domain':
      return `domain ${node.summary.name}`;
    case 'repository':
      return `repository ${node.ref.domain}/${node.ref.repository}`;
    case 'packages':
      return `packages of ${node.parent.ref.domain}/${node.parent.ref.repository}`;
    case 'package':
      return `package ${packageDisplayName(node.summary.format, node.summary.namespace, node.summary.package!)}`;
    case 'version':
      return `version ${node.summary.version}`;
    default:
      return node.kind;
  }
}

