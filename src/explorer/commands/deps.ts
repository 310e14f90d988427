// What the explorer's commands work with, handed to each theme's register function.
import type * as vscode from 'vscode';
import type { CommandRegistry } from '../../commands/registry';
import type { Connection } from '../../connection';
import type { ExplorerNode } from '../nodes';
import type { ExplorerProvider } from '../provider';

export interface ExplorerCommandDeps {
  commands: CommandRegistry;
  connection: Connection;
  provider: ExplorerProvider;
  treeView: vscode.TreeView<ExplorerNode>;
}
