// The explorer's commands, by theme. Each takes a tree row, nothing (the palette: it asks) or an argument
// object (the answers; nothing is asked). See ../../commands/ui.ts.
import type * as vscode from 'vscode';
import type { CommandRegistry } from '../../commands/registry';
import type { Connection } from '../../connection';
import type { ExplorerNode } from '../nodes';
import type { ExplorerProvider } from '../provider';
import { registerAccountCommands } from './account';
import { registerBrowseCommands } from './browse';
import { registerConnectionCommands } from './connections';
import { registerLinkCommands } from './links';

export interface ExplorerCommandDeps {
  commands: CommandRegistry;
  connection: Connection;
  provider: ExplorerProvider;
  treeView: vscode.TreeView<ExplorerNode>;
}

export function registerExplorerCommands(deps: ExplorerCommandDeps): void {
  registerBrowseCommands(deps);
  registerConnectionCommands(deps);
  registerLinkCommands(deps);
  registerAccountCommands(deps);
}
