// Wires the extension together. Activation makes no network call: the explorer loads when it is shown,
// and a stored login is restored from SecretStorage (a token refresh happens only when one is due).
import * as vscode from 'vscode';
import { CommandRegistry } from './commands/registry';
import { Connection } from './connection';
import { registerDependencyCommands } from './dependencies/checker';
import { registerExplorerCommands } from './explorer/commands/index';
import type { ExplorerNode } from './explorer/nodes';
import { ExplorerDragAndDrop } from './explorer/dragAndDrop';
import { ExplorerProvider } from './explorer/provider';
import { registerInstallCommands } from './install/installCommand';
import { registerLoginCommands } from './login/commands';
import { LoginSession, type StoredLogin } from './login/session';
import { registerStatusBarMenu, StatusBar } from './statusbar/statusBar';

/** The current login as the API shows it: everything but the token and the record of edits (which holds it). */
export type LoginView = Omit<StoredLogin, 'token' | 'record'>;

/**
 * What activate() returns: used by the integration tests, and by other extensions that want the tree. Any
 * extension can read it, so nothing here leads to the token: not the session, not the status bar (which holds it).
 */
export interface CodeArtifactApi {
  explorer: ExplorerProvider;
  treeView: vscode.TreeView<ExplorerNode>;
  /** The tree's drag-and-drop controller (copy versions onto a repository row). */
  dragAndDrop: ExplorerDragAndDrop;
  connection: Connection;
  login: {
    /** A copy of the current login without its token (undefined: logged out). */
    current(): LoginView | undefined;
    /** Copies of every login, oldest first, without their tokens. */
    logins(): LoginView[];
    /** One token check now, as when the window regains focus. */
    checkNow(): Promise<void>;
    /** The session's clock: tests move `offsetMs` to make a token due without waiting. */
    clock: { offsetMs: number };
  };
  statusBar: { item: vscode.StatusBarItem };
  /**
   * The terminal environment (CODEARTIFACT_*, the token among them): exported only when the editor was started with
   * CODEARTIFACT_TEST_API=1, as the test runners do; another extension cannot set the extension host's environment.
   */
  environment?: vscode.GlobalEnvironmentVariableCollection;
  /** Where this extension's log files are written. */
  logUri: vscode.Uri;
  /** How long activate() took, in milliseconds (reported by the benchmark). */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): CodeArtifactApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('CodeArtifact', { log: true });
  const connection = new Connection();
  const explorer = new ExplorerProvider(connection, vscode.Uri.joinPath(context.extensionUri, 'media'), log);
  const dragAndDrop = new ExplorerDragAndDrop(connection, explorer, log);
  const treeView = vscode.window.createTreeView('codeartifact.explorer', {
    treeDataProvider: explorer,
    showCollapseAll: true,
    canSelectMany: true,
    dragAndDropController: dragAndDrop,
  });
  const session = new LoginSession(context, connection, log);
  const statusBar = new StatusBar(session);
  context.subscriptions.push(
    log,
    connection,
    explorer,
    treeView,
    session,
    statusBar,
    connection.onDidChange(() => explorer.refresh()),
  );
  const commands = new CommandRegistry(context, log, connection);
  registerExplorerCommands({ commands, connection, provider: explorer, treeView });
  registerLoginCommands(commands, connection, session);
  registerStatusBarMenu(commands, session);
  registerInstallCommands(commands, context, connection, session, explorer);
  registerDependencyCommands(commands, context, connection, session, log);
  // A window regaining focus is the first sign of a wake from sleep: check the token at once.
  context.subscriptions.push(
    vscode.window.onDidChangeWindowState((s) => s.focused && void session.checkNow()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('codeartifact.autoRefresh') && session.reschedule()),
  );
  void session.restore().catch((e: unknown) => log.warn(`Could not restore the CodeArtifact login: ${(e as Error).message}`));
  return {
    explorer,
    treeView,
    dragAndDrop,
    connection,
    login: {
      current: () => loginView(session.current),
      logins: () => session.logins.flatMap((l) => loginView(l) ?? []),
      checkNow: () => session.checkNow(),
      clock: session.clock,
    },
    statusBar: { item: statusBar.item },
    environment: process.env.CODEARTIFACT_TEST_API === '1' ? context.environmentVariableCollection : undefined,
    logUri: context.logUri,
    activationMs: performance.now() - started,
  };
}

function loginView(login: StoredLogin | undefined): LoginView | undefined {
  if (!login) return undefined;
  const { token: _token, record: _record, ...rest } = login;
  return structuredClone(rest);
}

export function deactivate(): void {}
