// Rows that are not CodeArtifact resources: "Load more…", an error with the action that fixes it, and the
// "Permissions policy" row of a domain or repository.
import * as vscode from 'vscode';
import type { ErrorNode, LoadMoreNode, PolicyNode } from '../nodes';
import { withId, type KindSpec } from './spec';

export const loadMoreSpec: KindSpec<LoadMoreNode> = {
  item(node) {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'loadMore';
    item.command = { command: 'codeartifact.loadMore', title: 'Load More', arguments: [node] };
    return withId(item, node.id);
  },
};

/** The command that fixes each kind of problem, shown on the error row. */
function fixFor(node: ErrorNode): { description: string; command: vscode.Command } {
  const p = node.problem;
  switch (p.kind) {
    case 'ssoExpired':
      return { description: 'Run aws sso login', command: { command: 'codeartifact.ssoLogin', title: 'Run aws sso login', arguments: [node] } };
    case 'unknownProfile':
    case 'noCredentials':
      return { description: 'Choose profile', command: { command: 'codeartifact.chooseProfile', title: 'Choose Profile', arguments: [] } };
    case 'noRegion':
      return { description: 'Set region', command: { command: 'codeartifact.setRegion', title: 'Set Region', arguments: [] } };
    case 'badEndpoint':
    case 'unreachable':
      return { description: 'Open settings', command: { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: [p.setting ?? 'codeartifact'] } };
    default:
      return { description: 'Retry', command: { command: 'codeartifact.refresh', title: 'Retry', arguments: [node] } };
  }
}

export const errorSpec: KindSpec<ErrorNode> = {
  item(node) {
    const p = node.problem;
    const item = new vscode.TreeItem(p.kind === 'accessDenied' && p.deniedAction ? `Access denied: ${p.deniedAction}` : p.message, vscode.TreeItemCollapsibleState.None);
    item.tooltip = p.message;
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    item.contextValue = `error;${p.kind}`;
    const fix = fixFor(node);
    item.description = fix.description;
    item.command = fix.command;
    return withId(item, node.id);
  },
};

export const policySpec: KindSpec<PolicyNode> = {
  item(node) {
    const item = new vscode.TreeItem('Permissions policy', vscode.TreeItemCollapsibleState.None);
    const owner = node.parent.kind === 'domain' ? `domain ${node.parent.summary.name}` : `repository ${node.parent.ref.repository}`;
    item.tooltip = `The resource policy of the ${owner} (read-only JSON)`;
    item.iconPath = new vscode.ThemeIcon('key');
    item.contextValue = 'policy';
    item.command = { command: 'codeartifact.showPermissionsPolicy', title: 'Show Permissions Policy', arguments: [node] };
    return withId(item, node.id);
  },
};
