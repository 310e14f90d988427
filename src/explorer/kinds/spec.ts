// What a node kind provides to the explorer: how its row looks, what its children are, and, for the kinds
// that hold state, how it loads pages and forgets them on refresh. One spec per kind (see ./index.ts).
import * as vscode from 'vscode';
import type { CodeArtifact } from '../../core/aws/client';
import type { Problem } from '../../core/aws/errors';
import type { Page } from '../../core/paging';
import type { ErrorNode, ExplorerNode, Paged, RootNode } from '../nodes';

/** What the provider lends to the specs. */
export interface TreeContext {
  readonly mediaUri: vscode.Uri;
  client(): Promise<CodeArtifact>;
  problem(e: unknown): Problem;
  /** Tells VS Code a row changed (its label, description or children). */
  changed(node: ExplorerNode): void;
}

export interface KindSpec<N extends ExplorerNode> {
  item(node: N, tree: TreeContext): vscode.TreeItem;
  /** The rows under it; leaves have none. Pageable kinds get theirs from `paging`. */
  children?(node: N, tree: TreeContext): Promise<ExplorerNode[]> | ExplorerNode[];
  /** Kinds whose children are a paged list. */
  paging?: {
    list(node: N): Paged<ExplorerNode>;
    fetch(node: N, ca: CodeArtifact, nextToken: string | undefined, pageSize: number, tree: TreeContext): Promise<Page<ExplorerNode>>;
  };
  /** Forgets what the node loaded. Kinds without it refresh their parent instead. */
  reset?(node: N): void;
  /** How log lines name it. */
  describe?(node: N): string;
}

export type KindSpecs = { [K in ExplorerNode['kind']]: KindSpec<Extract<ExplorerNode, { kind: K }>> };

export function withId(item: vscode.TreeItem, id: string): vscode.TreeItem {
  item.id = id;
  return item;
}

export function markdown(lines: (string | undefined)[]): vscode.MarkdownString {
  return new vscode.MarkdownString(lines.filter((l): l is string => !!l).join('\n\n'));
}

export function errorRow(parent: ExplorerNode | RootNode, problem: Problem, ownerId: string): ErrorNode {
  return { kind: 'error', parent, id: `${ownerId}/error`, problem };
}
