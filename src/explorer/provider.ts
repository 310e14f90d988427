// The CodeArtifact explorer: domains -> repositories -> (upstreams, external connection, packages -> versions -> assets).
// Each kind of row has one spec (./kinds); lists load one page at a time through the paging engine
// (core/paging), and node state changes only through this provider's methods.
import * as vscode from 'vscode';
import type { CodeArtifact, PackageFilter, RepositoryPackageRef, RepositoryRef } from '../core/aws/client';
import { describeProblem, type Problem } from '../core/aws/errors';
import { associatedPackageGroup, tagsOf } from '../core/aws/governance';
import { RESTRICTION_TYPES } from '../core/packageGroupPattern';
import { PagedList, type Page, type PageFetcher } from '../core/paging';
import type { Connection } from '../connection';
import { newDomainNode } from './kinds/domain';
import { specOf } from './kinds/index';
import { setRepositoryDetail } from './kinds/repository';
import { errorRow, type TreeContext } from './kinds/spec';
import type { DomainNode, ExplorerNode, PackageNode, PackagesNode, PageableNode, Paged, RepositoryNode, RootNode } from './nodes';

export type ExplorerState = 'loading' | 'ok' | 'noCredentials' | 'noDomains' | 'error';

export class ExplorerProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changedEmitter = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changedEmitter.event;
  private rootNode: RootNode;
  private explorerState: ExplorerState = 'loading';
  private readonly tree: TreeContext;

  constructor(
    private readonly connection: Connection,
    mediaUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.tree = {
      mediaUri,
      client: () => this.connection.client(),
      problem: (e) => this.problem(e),
      changed: (node) => this.changedEmitter.fire(node),
    };
    this.rootNode = { kind: 'root', domains: this.newList() };
  }

  dispose(): void {
    this.changedEmitter.dispose();
  }

  /** What the view shows: loading, rows, or one of the welcome states (the `codeartifact.explorerState` context key). */
  get state(): ExplorerState {
    return this.explorerState;
  }

  get root(): RootNode {
    return this.rootNode;
  }

  private newList<T>(): Paged<T> {
    return new PagedList<T, Problem>((e) => this.problem(e));
  }

  private pageSize(): number {
    const n = vscode.workspace.getConfiguration('codeartifact').get<number>('pageSize', 100);
    return Math.min(1000, Math.max(1, Math.floor(n || 100)));
  }

  private setState(state: ExplorerState): void {
    if (this.explorerState === state) return;
    this.explorerState = state;
    void vscode.commands.executeCommand('setContext', 'codeartifact.explorerState', state);
  }

  private problem(e: unknown): Problem {
    return describeProblem(e, this.connection.problemContext());
  }

  // ---- changing what the tree holds ------------------------------------------------------------

  /** Forgets what a node (or the whole tree) loaded and shows it again from its first page. */
  refresh(node?: ExplorerNode | RootNode): void {
    if (!node || node.kind === 'root') {
      // A new list: a page of the old one that arrives late lands there, unseen.
      this.rootNode = { kind: 'root', domains: this.newList() };
      this.changedEmitter.fire(undefined);
      return;
    }
    const spec = specOf(node);
    if (!spec.reset) return this.refresh(node.parent);
    spec.reset(node);
    this.changedEmitter.fire(node);
  }

  /** Appends the next page of a list; a second call while one is loading waits for the same page. */
  async loadMore(node: PageableNode): Promise<void> {
    if (!this.listOf(node).hasMore) return;
    await this.listOf(node).loadNext(this.fetcher(node));
    this.changedEmitter.fire(node.kind === 'root' ? undefined : node);
  }

  /** Shows a repository's packages filtered by namespace and name prefix (empty filter: all). */
  setPackageFilter(node: PackagesNode, filter: PackageFilter): void {
    node.filter = filter;
    this.refresh(node);
  }

  /** Shows a repository description the service just returned (after associate/disassociate) in place. */
  applyRepositoryDetail(ref: RepositoryRef, detail: RepositoryNode['detail']): void {
    const node = this.findRepositoryNode(ref);
    if (!node) return;
    setRepositoryDetail(node, detail);
    this.changedEmitter.fire(node);
  }

  /** The loaded rows of a package (every loaded repository row that lists it). */
  private findPackageNodes(ref: RepositoryPackageRef): PackageNode[] {
    const repo = this.findRepositoryNode(ref);
    if (!repo) return [];
    return repo.packages.list.items.filter((p) => p.ref.format === ref.format && (p.ref.namespace ?? '') === (ref.namespace ?? '') && p.ref.name === ref.name);
  }

  /** A command changed a package's versions: reload that package's versions, if shown; nothing else. */
  packageChanged(ref: RepositoryPackageRef): void {
    const rows = this.findPackageNodes(ref);
    // Not loaded under its repository: the repository's package list may need the package (copy, publish).
    if (!rows.length) return this.packagesChanged(ref);
    for (const row of rows) this.refresh(row);
  }

  /** A command added or removed packages of a repository: reload its Packages row, if loaded. */
  packagesChanged(ref: RepositoryRef): void {
    const repo = this.findRepositoryNode(ref);
    if (repo && repo.packages.list.loaded) this.refresh(repo.packages);
  }

  /** Shows the origin configuration the service just returned on the package's row. */
  packageOriginChanged(ref: RepositoryPackageRef, config: PackageNode['summary']['originConfiguration']): void {
    for (const row of this.findPackageNodes(ref)) {
      row.summary = { ...row.summary, originConfiguration: config };
      this.changedEmitter.fire(row);
    }
  }

  /** A command changed the package groups of a domain: reload its Package groups row, if the domain is loaded. */
  packageGroupsChanged(ref: { domain: string; domainOwner?: string }): void {
    for (const d of this.rootNode.domains.items) {
      if (d.summary.name !== ref.domain || (ref.domainOwner && d.summary.owner !== ref.domainOwner)) continue;
      this.refresh(d.packageGroups);
    }
  }

  /** The loaded row of a repository, if the tree has loaded it. */
  findRepositoryNode(ref: { domain: string; domainOwner?: string; repository: string }): RepositoryNode | undefined {
    for (const d of this.rootNode.domains.items) {
      if (d.summary.name !== ref.domain || (ref.domainOwner && d.summary.owner !== ref.domainOwner)) continue;
      const r = d.repositories.items.find((x) => x.ref.repository === ref.repository);
      if (r) return r;
    }
    return undefined;
  }

  /**
   * The row of a package, for reveal: its repository's Packages row is filtered to the package's name (one
   * ListPackages page) so the row exists however long the list is. Undefined when its domain is not listed.
   */
  async revealablePackage(ref: RepositoryPackageRef): Promise<PackageNode | undefined> {
    const repo = await this.revealableRepository(ref, ref.repository);
    if (!repo) return undefined;
    this.setPackageFilter(repo.packages, { namespace: ref.namespace, packagePrefix: ref.name });
    await repo.packages.list.ensureLoaded(this.fetcher(repo.packages));
    this.changedEmitter.fire(repo.packages);
    return this.findPackageNodes(ref)[0];
  }

  /** The row of a repository, loading the domains and the domain's repositories as needed, for reveal. */
  async revealableRepository(ref: { domain: string; domainOwner?: string }, name: string): Promise<RepositoryNode | undefined> {
    await this.rootNode.domains.ensureLoaded(this.fetcher(this.rootNode));
    const domain = this.rootNode.domains.items.find((d) => d.summary.name === ref.domain && (!ref.domainOwner || d.summary.owner === ref.domainOwner));
    return domain && this.loadRepository(domain, name);
  }

  /** Loads pages of a domain's repositories until `name` appears (bounded), for reveal. */
  async loadRepository(domain: DomainNode, name: string): Promise<RepositoryNode | undefined> {
    const list = domain.repositories;
    const fetch = this.fetcher<RepositoryNode>(domain);
    await list.ensureLoaded(fetch);
    for (let i = 0; i < 50; i++) {
      const found = list.items.find((r) => r.ref.repository === name);
      // A failed page is not asked for again in a loop: its problem is what the user needs to see.
      if (found) return found;
      if (list.error) throw new Error(list.error.message);
      if (!list.hasMore) return undefined;
      await list.loadNext(fetch);
      this.changedEmitter.fire(domain);
    }
    if (list.error) throw new Error(list.error.message);
    return undefined;
  }

  // ---- paging ----------------------------------------------------------------------------------

  private listOf(node: PageableNode): Paged<ExplorerNode> {
    if (node.kind === 'root') return node.domains;
    return specOf(node).paging!.list(node);
  }

  private fetcher<T extends ExplorerNode = ExplorerNode>(node: PageableNode): PageFetcher<T> {
    return async (nextToken) => {
      try {
        const ca = await this.connection.client();
        const page = node.kind === 'root' ? await this.fetchDomains(ca, node, nextToken) : await specOf(node).paging!.fetch(node, ca, nextToken, this.pageSize(), this.tree);
        return page as Page<T>;
      } catch (e) {
        this.log.warn(`${node.kind === 'root' ? 'domains' : (specOf(node).describe?.(node) ?? node.kind)}: ${this.problem(e).message}`);
        throw e;
      }
    };
  }

  private async fetchDomains(ca: CodeArtifact, root: RootNode, nextToken: string | undefined): Promise<Page<DomainNode>> {
    const page = await ca.listDomains(nextToken, this.pageSize());
    const domains = page.items.map((summary) => newDomainNode(root, summary, this.tree));
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

  private async pagedRows(node: PageableNode): Promise<ExplorerNode[]> {
    const list = this.listOf(node);
    await list.ensureLoaded(this.fetcher(node));
    const rows: ExplorerNode[] = [...list.items];
    const ownerId = node.kind === 'root' ? 'root' : node.id;
    if (list.error) rows.push(errorRow(node, list.error, ownerId));
    else if (list.hasMore) rows.push({ kind: 'loadMore', parent: node, id: `${ownerId}/loadMore` });
    return rows;
  }

  // ---- TreeDataProvider ----------------------------------------------------------------------

  async getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> {
    if (!node) return this.rootChildren();
    const spec = specOf(node);
    // A domain lists its Package groups row after its repositories.
    if (node.kind === 'domain') return [...(await this.pagedRows(node)), node.packageGroups, { kind: 'policy', parent: node, id: `${node.id}/policy` }];
    if (node.kind === 'repository') return [...((await spec.children?.(node, this.tree)) ?? []), { kind: 'policy', parent: node, id: `${node.id}/policy` }];
    // Kinds with both (a package group): the fixed rows (subgroups) first, then the pages.
    const fixed = (await spec.children?.(node, this.tree)) ?? [];
    if (spec.paging) return [...fixed, ...(await this.pagedRows(node as PageableNode))];
    return fixed;
  }

  private async rootChildren(): Promise<ExplorerNode[]> {
    const root = this.rootNode;
    const rows = await this.pagedRows(root);
    const list = root.domains;
    if (list.error && list.items.length === 0) {
      // No credentials is an empty view with welcome buttons; every other problem is a row that says how to fix it.
      this.setState(list.error.kind === 'noCredentials' ? 'noCredentials' : 'error');
      return list.error.kind === 'noCredentials' ? [] : rows;
    }
    this.setState(list.items.length === 0 ? 'noDomains' : 'ok');
    return rows;
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    if (node.kind === 'domain') return undefined;
    const parent = node.parent;
    return parent.kind === 'root' ? undefined : parent;
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return specOf(node).item(node, this.tree);
  }

  /** On hover: a package's tooltip gains the package group its origin controls come from. */
  private async resolvePackageItem(item: vscode.TreeItem, node: PackageNode): Promise<vscode.TreeItem> {
    if (!node.group) {
      try {
        const g = await associatedPackageGroup(await this.connection.client(), node.ref);
        const all = g?.originConfiguration?.restrictions ?? {};
        const restrictions = RESTRICTION_TYPES.flatMap((type) => (all[type] ? [[type, all[type]] as const] : []))
          .filter(([, x]) => (x.effectiveMode ?? x.mode) !== 'ALLOW')
          .map(([type, x]) => `${type} ${x.effectiveMode ?? x.mode}${x.mode === 'INHERIT' ? ` (inherited from ${x.inheritedFrom?.pattern ?? 'a parent'})` : ''}`);
        node.group = { pattern: g?.pattern ?? '/*', restrictions };
      } catch (e) {
        this.log.warn(`GetAssociatedPackageGroup ${node.ref.name}: ${this.problem(e).message}`);
        return item;
      }
    }
    return this.getTreeItem(node);
  }

  /** On hover: a domain's or repository's tooltip gains its tags (one ListTagsForResource, then remembered). */
  async resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): Promise<vscode.TreeItem> {
    if (node.kind === 'package') return this.resolvePackageItem(item, node);
    if (node.kind !== 'domain' && node.kind !== 'repository') return item;
    const arn = node.kind === 'domain' ? node.summary.arn : node.summary.arn;
    if (!node.tags && arn) {
      try {
        node.tags = await tagsOf(await this.connection.client(), arn);
      } catch (e) {
        this.log.warn(`ListTagsForResource ${arn}: ${this.problem(e).message}`);
        return item;
      }
    }
    const tags = node.tags ?? [];
    const base = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : (item.tooltip ?? '');
    item.tooltip = new vscode.MarkdownString(`${base}\n\nTags: ${tags.length ? tags.map((t) => `\`${t.key}=${t.value}\``).join(', ') : 'none'}`);
    return item;
  }
}
