// Registers every command, the status-bar menu included, through one wrapper. The wrapper chooses how the
// handler asks (a tree row or nothing: the VS Code UI; an argument object: scripted answers, see ui.ts),
// ends a dismissed prompt quietly, and turns an error into one clear message and one log line. A command
// called with an argument object gets the error back as a rejection; one started from the UI only shows it.
import * as vscode from 'vscode';
import { describeProblem } from '../core/aws/errors';
import type { Connection } from '../connection';
import type { ExplorerNode } from '../explorer/nodes';
import { ScriptedUi } from './scriptedUi';
import { Cancelled, UserError, type Ui } from './ui';
import { VsCodeUi } from './vscodeUi';

export interface CommandContext {
  ui: Ui;
  log: vscode.LogOutputChannel;
  /** The rows selected in the tree when the command ran on one of several selected rows (VS Code's second argument). */
  selection?: ExplorerNode[];
}

export type CommandHandler = (ctx: CommandContext, node: ExplorerNode | undefined) => unknown;

export interface CommandOptions {
  /** Names of positional arguments after the tree row, taken as scripted answers (e.g. `(row, 'prefix')`). */
  positional?: string[];
}

function isPlainArgs(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value) && !(value instanceof vscode.Uri);
}

function isNode(value: unknown): value is ExplorerNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'id' in value;
}

export class CommandRegistry {
  private readonly vscodeUi = new VsCodeUi();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly connection: Connection,
  ) {}

  /** Keeps something a feature registered (a document provider, a webview panel serializer) until deactivation. */
  own(disposable: vscode.Disposable): void {
    this.context.subscriptions.push(disposable);
  }

  register(id: string, handler: CommandHandler, options: CommandOptions = {}): void {
    this.context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.run(id, handler, options, args)));
  }

  private async run(id: string, handler: CommandHandler, options: CommandOptions, args: unknown[]): Promise<unknown> {
    const node = isNode(args[0]) ? args[0] : undefined;
    let answers: Record<string, unknown> | undefined = isPlainArgs(args[0]) ? args[0] : undefined;
    // From a tree that allows several selected rows, VS Code passes the selection second.
    const selection = node && Array.isArray(args[1]) && args[1].every(isNode) ? (args[1] as ExplorerNode[]) : undefined;
    if (!answers && !selection && options.positional) {
      const given = options.positional.map((key, i) => [key, args[i + 1]] as const).filter(([, v]) => v !== undefined);
      if (given.length) answers = Object.fromEntries(given);
    }
    const ui = answers ? new ScriptedUi(id, answers) : this.vscodeUi;
    try {
      return await handler({ ui, log: this.log, selection }, node);
    } catch (e) {
      if (e instanceof Cancelled) return undefined;
      const message = e instanceof UserError ? e.message : describeProblem(e, this.connection.problemContext()).message;
      this.log.error(`${id}: ${message}`);
      if (ui.scripted) throw e instanceof Error ? e : new Error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }
}
