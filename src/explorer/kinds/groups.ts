// The "Package groups" row of a domain and the group hierarchy under it (from the root /* down). The row reads
// every ListPackageGroups page (bounded) and nothing else; a group's row lists its subgroups, then its
// associated packages a page at a time (ListAssociatedPackages).
import * as vscode from 'vscode';
import type { PackageGroupSummary } from '@aws-sdk/client-codeartifact';
import { packageDisplayName } from '../../core/coordinates';
import * as gov from '../../core/aws/governance';
import { RESTRICTION_TYPES } from '../../core/packageGroupPattern';
import { PagedList } from '../../core/paging';
import type { DomainNode, ExplorerNode, GroupPackageNode, PackageGroupNode, PackageGroupsNode } from '../nodes';
import { errorRow, markdown, withId, type KindSpec, type TreeContext } from './spec';

/** ListPackageGroups pages read for one domain, at most. */
const MAX_GROUP_PAGES = 50;

export function newPackageGroupsNode(domain: DomainNode): PackageGroupsNode {
  return { kind: 'packageGroups', parent: domain, id: `${domain.id}/packageGroups` };
}

function domainRef(domain: DomainNode) {
  return { domain: domain.summary.name!, domainOwner: domain.summary.owner };
}

function domainOf(node: PackageGroupNode): DomainNode {
  let n: PackageGroupNode | PackageGroupsNode = node;
  while (n.kind === 'packageGroup') n = n.parent;
  return n.parent;
}

/** One line per restriction type: its mode, and where an inherited one comes from. */
export function restrictionLines(g: PackageGroupSummary): string[] {
  const r = g.originConfiguration?.restrictions ?? {};
  return RESTRICTION_TYPES.map((type) => {
    const x = r[type];
    if (!x) return `${type}: ALLOW`;
    const effective = x.effectiveMode ?? x.mode ?? 'ALLOW';
    const inherited = x.mode === 'INHERIT' ? ` (inherited${x.inheritedFrom?.pattern ? ` from ${x.inheritedFrom.pattern}` : ''})` : '';
    const repos = effective === 'ALLOW_SPECIFIC_REPOSITORIES' ? `, ${x.repositoriesCount ?? 0} allowed repositories` : '';
    return `${type}: ${effective}${inherited}${repos}`;
  });
}

/** What differs from "everything allowed", for the row's description: `EXTERNAL_UPSTREAM BLOCK`, `PUBLISH BLOCK (inherited)`. */
function restrictionSummary(g: PackageGroupSummary): string {
  const r = g.originConfiguration?.restrictions ?? {};
  return RESTRICTION_TYPES.flatMap((type) => {
    const x = r[type];
    const effective = x?.effectiveMode ?? x?.mode ?? 'ALLOW';
    if (effective === 'ALLOW') return [];
    const mode = effective === 'ALLOW_SPECIFIC_REPOSITORIES' ? `ALLOW ${x?.repositoriesCount ?? 0} repos` : effective;
    return [`${type} ${mode}${x?.mode === 'INHERIT' ? ' (inherited)' : ''}`];
  }).join(' · ');
}

function groupNode(parent: PackageGroupNode | PackageGroupsNode, summary: PackageGroupSummary, tree: TreeContext): PackageGroupNode {
  return { kind: 'packageGroup', parent, id: `${parent.parent.id}/group:${summary.pattern}`, summary, packages: new PagedList((e) => tree.problem(e)) };
}

async function loadGroups(node: PackageGroupsNode, tree: TreeContext): Promise<void> {
  try {
    const ca = await tree.client();
    const groups: PackageGroupSummary[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await gov.listPackageGroups(ca, domainRef(node.parent), token, 100);
      groups.push(...page.items);
      token = page.nextToken;
    } while (token && ++pages < MAX_GROUP_PAGES);
    node.groups = groups;
    node.truncated = !!token;
    node.error = undefined;
  } catch (e) {
    node.error = tree.problem(e);
  }
}

/** The groups whose parent is `pattern` (undefined: the tops, i.e. groups whose parent was not read). */
function childGroups(all: PackageGroupSummary[], pattern: string | undefined): PackageGroupSummary[] {
  const known = new Set(all.map((g) => g.pattern));
  return all
    .filter((g) => (pattern === undefined ? !g.parent?.pattern || !known.has(g.parent.pattern) : g.parent?.pattern === pattern))
    .sort((a, b) => (a.pattern ?? '').localeCompare(b.pattern ?? ''));
}

export const packageGroupsSpec: KindSpec<PackageGroupsNode> = {
  item(node) {
    const item = new vscode.TreeItem('Package groups', vscode.TreeItemCollapsibleState.Collapsed);
    item.description = node.groups ? `${node.groups.length}${node.truncated ? '+' : ''}` : undefined;
    item.tooltip = 'Which packages may be published, or fetched from external connections and upstream repositories, per package name pattern';
    item.iconPath = new vscode.ThemeIcon('shield');
    item.contextValue = 'packageGroups';
    return withId(item, node.id);
  },
  async children(node, tree) {
    if (!node.groups && !node.error) await loadGroups(node, tree);
    if (node.error) return [errorRow(node, node.error, node.id)];
    return childGroups(node.groups ?? [], undefined).map((g) => groupNode(node, g, tree));
  },
  reset(node) {
    node.groups = undefined;
    node.error = undefined;
  },
  describe: (node) => `package groups of ${node.parent.summary.name}`,
};

function groupsRowOf(node: PackageGroupNode): PackageGroupsNode {
  let n: PackageGroupNode | PackageGroupsNode = node;
  while (n.kind === 'packageGroup') n = n.parent;
  return n;
}

export const packageGroupSpec: KindSpec<PackageGroupNode> = {
  item(node) {
    const g = node.summary;
    const item = new vscode.TreeItem(g.pattern!, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = [restrictionSummary(g), g.description].filter(Boolean).join(' · ');
    item.tooltip = markdown([
      `**Package group** \`${g.pattern}\``,
      g.description,
      g.contactInfo ? `Contact: ${g.contactInfo}` : undefined,
      ...restrictionLines(g),
      g.parent?.pattern ? `Parent: \`${g.parent.pattern}\`` : undefined,
    ]);
    item.iconPath = new vscode.ThemeIcon(restrictionSummary(g) ? 'lock' : 'symbol-namespace');
    item.contextValue = g.pattern === '/*' ? 'packageGroup;root' : 'packageGroup';
    return withId(item, node.id);
  },
  children(node, tree): ExplorerNode[] {
    return childGroups(groupsRowOf(node).groups ?? [], node.summary.pattern).map((g) => groupNode(node, g, tree));
  },
  paging: {
    list: (node) => node.packages,
    async fetch(node, ca, nextToken, pageSize) {
      const page = await gov.listAssociatedPackages(ca, domainRef(domainOf(node)), node.summary.pattern!, nextToken, pageSize);
      return {
        items: page.items.map((association): GroupPackageNode => ({
          kind: 'groupPackage',
          parent: node,
          id: `${node.id}/${association.format}:${association.namespace ?? ''}:${association.package}`,
          association,
        })),
        nextToken: page.nextToken,
      };
    },
  },
  reset: (node) => node.packages.reset(),
  describe: (node) => `package group ${node.summary.pattern}`,
};

export const groupPackageSpec: KindSpec<GroupPackageNode> = {
  item(node) {
    const a = node.association;
    const item = new vscode.TreeItem(packageDisplayName(a.format, a.namespace, a.package!), vscode.TreeItemCollapsibleState.None);
    item.description = [a.format, a.associationType === 'WEAK' ? 'weak' : ''].filter(Boolean).join(' · ');
    item.tooltip = `${a.format} package in ${node.parent.summary.pattern} (${a.associationType === 'WEAK' ? 'weak: follows the closest matching group' : 'strong'})`;
    item.iconPath = new vscode.ThemeIcon('package');
    item.contextValue = 'groupPackage';
    return withId(item, node.id);
  },
};
