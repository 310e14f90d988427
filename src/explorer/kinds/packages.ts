// The Packages row (with its filter) and the package -> version -> asset rows under it.
import * as vscode from 'vscode';
import type { RepositoryPackageRef } from '../../core/aws/client';
import { humanSize } from '../../core/aws/names';
import { formatDisplayName, packageDisplayName } from '../../core/coordinates';
import { PagedList } from '../../core/paging';
import type { AssetNode, PackageNode, PackagesNode, VersionNode } from '../nodes';
import { markdown, withId, type KindSpec } from './spec';

/** Formats with their own icon in media/ (every format CodeArtifact stores). */
const FORMAT_ICONS = new Set(['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo']);

function filterDescription(node: PackagesNode): string {
  const f = node.filter;
  return [f.namespace ? `namespace ${f.namespace}` : '', f.packagePrefix ? `prefix ${f.packagePrefix}` : ''].filter(Boolean).join(', ');
}

export const packagesSpec: KindSpec<PackagesNode> = {
  item(node) {
    const item = new vscode.TreeItem('Packages', vscode.TreeItemCollapsibleState.Collapsed);
    const filterText = filterDescription(node);
    item.description = filterText ? `filter: ${filterText}` : undefined;
    item.iconPath = new vscode.ThemeIcon(filterText ? 'filter' : 'package');
    item.contextValue = filterText ? 'packages;filtered' : 'packages';
    return withId(item, node.id);
  },
  paging: {
    list: (node) => node.list,
    async fetch(node, ca, nextToken, pageSize, tree) {
      const repo = node.parent;
      const page = await ca.listPackages(repo.ref, node.filter, nextToken, pageSize);
      return {
        items: page.items.map((summary): PackageNode => {
          const ref: RepositoryPackageRef = { ...repo.ref, format: summary.format!, namespace: summary.namespace, name: summary.package! };
          return {
            kind: 'package',
            parent: node,
            id: `${node.id}/${ref.format}:${ref.namespace ?? ''}:${ref.name}`,
            ref,
            summary,
            versions: new PagedList((e) => tree.problem(e)),
          };
        }),
        nextToken: page.nextToken,
      };
    },
  },
  reset: (node) => node.list.reset(),
  describe: (node) => `packages of ${node.parent.ref.domain}/${node.parent.ref.repository}`,
};

export const packageSpec: KindSpec<PackageNode> = {
  item(node, tree) {
    const s = node.summary;
    const name = packageDisplayName(s.format, s.namespace, s.package!);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    const r = s.originConfiguration?.restrictions;
    const restricted = [r?.publish === 'BLOCK' ? 'publish blocked' : '', r?.upstream === 'BLOCK' ? 'upstream blocked' : ''].filter(Boolean);
    item.description = [formatDisplayName(s.format), ...restricted].join(' · ');
    item.tooltip = markdown([
      `**${name}** (${formatDisplayName(s.format)})`,
      `Origin controls in effect: publish ${r?.publish ?? 'ALLOW'}, upstream ${r?.upstream ?? 'ALLOW'}`,
      node.group ? `Package group: \`${node.group.pattern}\`${node.group.restrictions.length ? ` — ${node.group.restrictions.join(', ')}` : ''}` : undefined,
    ]);
    item.iconPath = FORMAT_ICONS.has(s.format ?? '') ? vscode.Uri.joinPath(tree.mediaUri, `${s.format}.svg`) : new vscode.ThemeIcon('package');
    item.contextValue = `package;${s.format}`;
    return withId(item, node.id);
  },
  paging: {
    list: (node) => node.versions,
    async fetch(node, ca, nextToken, pageSize, tree) {
      const page = await ca.listPackageVersions(node.ref, nextToken, pageSize);
      if (page.defaultDisplayVersion) node.defaultDisplayVersion = page.defaultDisplayVersion;
      return {
        items: page.items.map((summary): VersionNode => ({
          kind: 'version',
          parent: node,
          id: `${node.id}@${summary.version}`,
          summary,
          assets: new PagedList((e) => tree.problem(e)),
        })),
        nextToken: page.nextToken,
      };
    },
  },
  reset: (node) => node.versions.reset(),
  describe: (node) => `package ${packageDisplayName(node.summary.format, node.summary.namespace, node.summary.package!)}`,
};

export const versionSpec: KindSpec<VersionNode> = {
  item(node) {
    const v = node.summary;
    const pkg = node.parent.summary;
    const isDefault = node.parent.defaultDisplayVersion === v.version;
    const item = new vscode.TreeItem(v.version!, vscode.TreeItemCollapsibleState.Collapsed);
    const origin = v.origin?.originType;
    const via = v.origin?.domainEntryPoint?.externalConnectionName ?? v.origin?.domainEntryPoint?.repositoryName;
    item.description = [isDefault ? '★ default' : '', v.status, origin ? (via ? `${origin} via ${via}` : origin) : ''].filter(Boolean).join(' · ');
    item.tooltip = markdown([
      `**${packageDisplayName(pkg.format, pkg.namespace, pkg.package!)}@${v.version}**`,
      `Status: ${v.status}`,
      origin ? `Origin: ${origin}${via ? ` (${via})` : ''}` : undefined,
      isDefault ? 'Default display version' : undefined,
      v.revision ? `Revision: ${v.revision}` : undefined,
    ]);
    // Archived and Unlisted versions are dimmed: still there, no longer offered.
    const dimmed = v.status === 'Archived' || v.status === 'Unlisted';
    item.iconPath = new vscode.ThemeIcon(isDefault ? 'star-full' : dimmed ? 'circle-slash' : 'tag', dimmed ? new vscode.ThemeColor('disabledForeground') : undefined);
    item.contextValue = `version;${pkg.format};${v.status}`;
    return withId(item, node.id);
  },
  paging: {
    list: (node) => node.assets,
    async fetch(node, ca, nextToken, pageSize) {
      const page = await ca.listPackageVersionAssets(node.parent.ref, node.summary.version!, nextToken, pageSize);
      return { items: page.items.map((summary): AssetNode => ({ kind: 'asset', parent: node, id: `${node.id}/${summary.name}`, summary })), nextToken: page.nextToken };
    },
  },
  reset: (node) => node.assets.reset(),
  describe: (node) => `version ${node.summary.version}`,
};

export const assetSpec: KindSpec<AssetNode> = {
  item(node) {
    const a = node.summary;
    const item = new vscode.TreeItem(a.name!, vscode.TreeItemCollapsibleState.None);
    item.description = humanSize(a.size);
    item.tooltip = markdown([`**${a.name}**`, `Size: ${a.size ?? '?'} bytes`, a.hashes?.['SHA-256'] ? `SHA-256: \`${a.hashes['SHA-256']}\`` : undefined]);
    item.iconPath = new vscode.ThemeIcon('file-binary');
    item.contextValue = 'asset';
    return withId(item, node.id);
  },
};
