// codeartifact.installWithRetry: pre-warm the lockfile's packages, then run the project's install in a terminal
// the extension owns, re-running it while CodeArtifact answers "Ingestion is in progress" (404).
import * as vscode from 'vscode';
import { associatedPackageGroup, groupUpstreamBlock } from '../core/aws/governance';
import { CodeArtifact, type RepositoryPackageRef } from '../core/aws/client';
import { describeProblem } from '../core/aws/errors';
import { resolveConnection } from '../core/aws/settings';
import { describePackageRef, packageDisplayName, type PackageRef } from '../core/coordinates';
import { trustedValue } from '../core/aws/settings';
import { installCommand, type InstallCommand } from '../core/install/commands';
import { readProjectLockfilesEach, type LockEntry } from '../core/install/lockfiles';
import { detectInstallTool, type InstallTool } from '../core/tools';
import { createProbe, prewarm, type PrewarmResult } from '../core/install/prewarm';
import { installWithRetry, type InstallResult, type NotFoundVerdict } from '../core/install/retry';
import { proxyEnvironment } from '../core/net/env';
import { redact } from '../core/redact';
import { loginEnvironment } from '../core/login/loginPlan';
import type { CommandRegistry } from '../commands/registry';
import { UserError } from '../commands/ui';
import type { Connection } from '../connection';
import type { ExplorerProvider } from '../explorer/provider';
import { workspaceFolderPaths } from '../login/commands';
import type { LoginSession, StoredLogin } from '../login/session';

/** The argument object (the scripted answers) this command takes. */
interface InstallArgs {
  folder: string;
  tool?: InstallTool;
  maxWaitSeconds?: number;
  prewarm?: boolean;
}

export interface InstallRunResult extends InstallResult {
  prewarm?: Pick<PrewarmResult, 'total' | 'elapsedMs' | 'requests'> & { ready: number; failed: string[] };
}

const TOOLS: InstallTool[] = ['npm', 'pnpm', 'yarn', 'maven', 'gradle', 'pip'];

/** A terminal whose output the extension writes (and so can read): one per install run. */
class InstallTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writer.event;
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidClose = this.closer.event;
  private opened = false;
  private pending: string[] = [];

  open(): void {
    this.opened = true;
    for (const p of this.pending) this.writer.fire(p);
    this.pending = [];
  }
  close(): void {
    // Cancelling on close is done through onDidCloseTerminal, which sees every way a terminal goes away.
  }
  write(text: string): void {
    const t = text.replace(/\r?\n/g, '\r\n');
    if (this.opened) this.writer.fire(t);
    else this.pending.push(t);
  }
  line(text: string, color?: 'cyan' | 'yellow' | 'red' | 'green'): void {
    const codes = { cyan: 36, yellow: 33, red: 31, green: 32 };
    this.write(color ? `\x1b[${codes[color]}m${text}\x1b[0m\n` : `${text}\n`);
  }
}

function elapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

export function registerInstallCommands(
  commands: CommandRegistry,
  context: vscode.ExtensionContext,
  connection: Connection,
  session: LoginSession,
  explorer: ExplorerProvider,
): void {
  const active = new Set<AbortController>();
  context.subscriptions.push({ dispose: () => active.forEach((a) => a.abort()) });
  commands.register('codeartifact.installWithRetry', async ({ ui, log }) => {
    // An install runs the project's build with the token in its environment: only in a workspace the user trusts.
    if (!vscode.workspace.isTrusted) {
      throw new UserError("Install with retry runs this project's build tools with your CodeArtifact token: trust the workspace first (Workspaces: Manage Workspace Trust).");
    }
    if (!session.current) {
      await ui.confirm(undefined, {
        message: 'Log in to CodeArtifact before installing through it.',
        action: 'Log In',
        refused: 'Not logged in to CodeArtifact: run codeartifact.login first.',
      });
      await vscode.commands.executeCommand('codeartifact.login');
      if (!session.current) return undefined;
    }
    const folders = workspaceFolderPaths();
    if (!ui.scripted && folders.length === 0) throw new UserError('Open a project folder first.');
    const folder = await ui.folder({ placeHolder: 'Install the dependencies of which folder?', folders });
    const tool = ui.given<InstallArgs['tool']>('tool') ?? detectInstallTool(folder);
    if (!tool || !TOOLS.includes(tool)) throw new UserError(`No npm, pnpm, Yarn, Maven, Gradle or pip project found in ${folder}.`);
    const c = vscode.workspace.getConfiguration('codeartifact');
    const configured = trustedValue(c.inspect<Record<string, string>>('install.commands'), vscode.workspace.isTrusted)?.[tool];
    const command = installCommand(folder, tool, { configured });
    const maxWaitSeconds = ui.given<InstallArgs['maxWaitSeconds']>('maxWaitSeconds') ?? c.get<number>('ingestion.maxWaitSeconds', 600);
    const doPrewarm = ui.given<InstallArgs['prewarm']>('prewarm') ?? c.get<boolean>('ingestion.prewarm', true);
    return runInstall({ active, log, connection, session, explorer, command, maxWaitSeconds, doPrewarm, folder });
  });
}

interface RunInput {
  /** Runs in progress, aborted when the extension is deactivated. */
  active: Set<AbortController>;
  log: vscode.LogOutputChannel;
  connection: Connection;
  session: LoginSession;
  explorer: ExplorerProvider;
  command: InstallCommand;
  maxWaitSeconds: number;
  doPrewarm: boolean;
  folder: string;
}

async function runInstall(i: RunInput): Promise<InstallRunResult> {
  const login = i.session.current!;
  const token = login.token;
  const term = new InstallTerminal();
  const terminal = vscode.window.createTerminal({ name: `CodeArtifact: ${i.command.display}`, pty: term, iconPath: new vscode.ThemeIcon('package') });
  terminal.show(true);
  const abort = new AbortController();
  // However the terminal goes away (the user's trash icon, another extension, a test), the run stops with it.
  const closed = vscode.window.onDidCloseTerminal((t) => t === terminal && abort.abort());
  // A window that closes or reloads mid-run stops it too (the children run in their own process group).
  i.active.add(abort);
  try {
    return await runAttempts(i, login, token, term, abort);
  } catch (e) {
    term.line(`The install stopped: ${redact(describeProblem(e).message, [token])}`, 'red');
    throw e;
  } finally {
    i.active.delete(abort);
    closed.dispose();
  }
}

/** What one run shows its progress on: the notification, the terminal, and the abort that stops it. */
interface RunView {
  progress: vscode.Progress<{ message?: string }>;
  term: InstallTerminal;
  abort: AbortController;
}

async function runAttempts(i: RunInput, login: StoredLogin, token: string, term: InstallTerminal, abort: AbortController): Promise<InstallRunResult> {
  const started = Date.now();
  let prewarmSummary: InstallRunResult['prewarm'];
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `CodeArtifact install (${i.command.display})`, cancellable: true },
    async (progress, cancel): Promise<InstallResult> => {
      cancel.onCancellationRequested(() => abort.abort());
      const view = { progress, term, abort };
      if (i.doPrewarm) prewarmSummary = await prewarmLockfiles(i, login, token, view);
      if (abort.signal.aborted) {
        return { outcome: 'cancelled', attempts: 0, elapsedMs: Date.now() - started, packagesAwaited: [], message: 'Cancelled', packages: [] };
      }
      return retryInstall(i, login, token, view);
    },
  );
  const summary = `${result.attempts} run${result.attempts === 1 ? '' : 's'}, ${elapsed(Date.now() - started)}`;
  const message = redact(result.message, [token]);
  i.log.info(`install ${i.command.display} in ${i.folder}: ${result.outcome} (${summary})`);
  reportOutcome(i, login, result.outcome, message, summary, term);
  return { ...result, message, prewarm: prewarmSummary };
}

/** Requests every lockfile entry the login has an endpoint for, so CodeArtifact ingests the tree at once. */
async function prewarmLockfiles(i: RunInput, login: StoredLogin, token: string, { progress, term, abort }: RunView): Promise<InstallRunResult['prewarm']> {
  const lockfiles = readProjectLockfilesEach(i.folder);
  for (const e of lockfiles.errors) term.line(`Pre-warm skips a lockfile: ${e.message}`, 'yellow');
  const entries: LockEntry[] = lockfiles.results.flatMap((r) => r.entries);
  const wanted = entries.filter((e) => login.endpoints[e.format]);
  if (!wanted.length) return undefined;
  term.line(`Pre-warming ${wanted.length} packages from the lockfile in ${login.domain}/${login.repository}…`, 'cyan');
  let last = 0;
  const pw = await prewarm({
    entries: wanted,
    endpoints: login.endpoints,
    token,
    maxWaitSeconds: i.maxWaitSeconds,
    signal: abort.signal,
    onProgress: (p) => {
      progress.report({ message: `Pre-warming: ${p.text}` });
      if (Date.now() - last > 2000 || p.ready + p.failed === p.total) {
        last = Date.now();
        term.line(p.text);
      }
    },
  });
  for (const f of pw.failed) term.line(`  not ready: ${packageDisplayName(f.entry.format, f.entry.namespace, f.entry.name)}@${f.entry.version} (${f.message})`, 'yellow');
  term.line(`Pre-warm: ${pw.ready.length} of ${pw.total} ready in ${elapsed(pw.elapsedMs)}.`, 'cyan');
  return {
    total: pw.total,
    elapsedMs: pw.elapsedMs,
    requests: pw.requests,
    ready: pw.ready.length,
    failed: pw.failed.map((f) => `${f.entry.name}@${f.entry.version}: ${f.reason}`),
  };
}

/** Runs the install, again while CodeArtifact is still ingesting what it asked for. */
function retryInstall(i: RunInput, login: StoredLogin, token: string, { progress, term, abort }: RunView): Promise<InstallResult> {
  // The tool reads the token from its user config (written at login) or from CODEARTIFACT_AUTH_TOKEN: never argv.
  // Both are read again at every attempt, so a token refreshed during a long run is the one the next run uses.
  const current = () => i.session.current ?? login;
  return installWithRetry({
    command: i.command,
    env: () => ({ ...process.env, ...proxyEnvironment(process.env), ...loginEnvironment(current()) }),
    signal: abort.signal,
    maxWaitSeconds: i.maxWaitSeconds,
    secrets: () => [...new Set([token, current().token])],
    onOutput: (chunk) => term.write(chunk),
    onEvent: (e) => {
      if (e.type === 'attempt-start') {
        term.line(`\n$ ${i.command.display}   (attempt ${e.attempt}, ${elapsed(e.elapsedMs)} elapsed)`, 'cyan');
        progress.report({ message: `Attempt ${e.attempt} · ${elapsed(e.elapsedMs)}` });
      } else if (e.type === 'retry-scheduled') {
        const names = e.packages.map(describePackageRef).join(', ') || 'packages';
        term.line(`CodeArtifact is still ingesting ${names}; retrying in ${Math.round(e.delayMs / 1000)}s…`, 'yellow');
        progress.report({ message: `Attempt ${e.attempt} · waiting for ${names} · ${elapsed(e.elapsedMs)}` });
      }
    },
    // Maven, Gradle and pip hide the reason of a 404: ask the repository whether it is still ingesting.
    probe: createProbe({ endpoints: login.endpoints, token, signal: abort.signal }),
    checkNotFound: (refs) => checkNotFound(i.connection, login, refs),
  });
}

/** The end of a run, in the terminal and as a notification (with Log In when the token was refused). */
function reportOutcome(i: RunInput, login: StoredLogin, outcome: InstallResult['outcome'], message: string, summary: string, term: InstallTerminal): void {
  switch (outcome) {
    case 'success': {
      term.line(`Install finished (${summary}).`, 'green');
      void vscode.window.showInformationMessage(`Install finished (${summary}).`);
      // Show what was ingested, if that repository is on screen; never reset the whole tree for it.
      const node = i.explorer.findRepositoryNode(login);
      if (node) i.explorer.refresh(node);
      break;
    }
    case 'auth':
      term.line(message, 'red');
      void vscode.window
        .showErrorMessage(`The install was refused by CodeArtifact (authentication): ${message}`, 'Log In')
        .then((b) => b && vscode.commands.executeCommand('codeartifact.login'));
      break;
    case 'cancelled':
      term.line('Cancelled.', 'yellow');
      break;
    default:
      term.line(message, 'red');
      void vscode.window.showErrorMessage(message);
  }
}

/**
 * A plain 404 (not ingestion): ask the API whether the package is blocked by origin controls or simply missing.
 * Asked through the connection (profile, region, endpoint) the login was made with, as a token refresh is: the
 * explorer may show another account by now. Logins stored without one fall back to the explorer's connection.
 */
async function checkNotFound(
  connection: Connection,
  login: Pick<StoredLogin, 'domain' | 'domainOwner' | 'repository' | 'connection'>,
  refs: PackageRef[],
): Promise<NotFoundVerdict[]> {
  const own = login.connection ? resolveConnection(login.connection).then((r) => new CodeArtifact(r)) : undefined;
  try {
    return await checkEach(() => own ?? connection.client(), login, refs);
  } finally {
    own?.then(
      (c) => c.dispose(),
      () => undefined,
    );
  }
}

function checkEach(client: () => Promise<CodeArtifact>, login: { domain: string; domainOwner?: string; repository: string }, refs: PackageRef[]): Promise<NotFoundVerdict[]> {
  return Promise.all(
    refs.map(async (ref): Promise<NotFoundVerdict> => {
      const api: RepositoryPackageRef = {
        domain: login.domain,
        domainOwner: login.domainOwner,
        repository: login.repository,
        format: ref.format,
        namespace: ref.namespace,
        name: ref.name,
      };
      const name = packageDisplayName(ref.format, ref.namespace, ref.name);
      try {
        const ca = await client();
        const d = await ca.describePackage(api);
        if (d.originConfiguration?.restrictions?.upstream === 'BLOCK') {
          return {
            ref,
            status: 'blocked',
            detail: `${name} has the origin restriction upstream=BLOCK in ${login.domain}/${login.repository}, so CodeArtifact never fetches it from upstream; retrying cannot help`,
          };
        }
        return {
          ref,
          status: 'missing',
          detail: `${name}${ref.version ? `@${ref.version}` : ''} is not in ${login.domain}/${login.repository}, its upstreams or the public source`,
        };
      } catch (e) {
        const p = describeProblem(e);
        if (p.kind === 'notFound') {
          // Never ingested: a package group may be what keeps it out (the registry answers a plain 404 either way).
          const group = await client()
            .then((ca) => associatedPackageGroup(ca, api))
            .then(groupUpstreamBlock, () => undefined);
          if (group) return { ref, status: 'blocked', detail: `${name} is blocked: ${group}, so CodeArtifact never fetches it from upstream; retrying cannot help` };
          return { ref, status: 'missing', detail: `${name} is unknown to ${login.domain}/${login.repository}, its upstreams and the public source` };
        }
        return { ref, status: 'unknown', detail: p.message };
      }
    }),
  );
}
