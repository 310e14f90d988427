// The status-bar item: who is logged in to which repository and how long the token has left.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { accountOf, loginLabel } from '../core/login/loginStore';
import { formatRemaining, severity, tokenStatus } from '../core/login/tokenSchedule';
import type { CommandRegistry } from '../commands/registry';
import { configuredRepository } from '../login/commands';
import type { LoginSession } from '../login/session';

/** A CodeArtifact repository URL: the AWS host, or the endpoint path form `/{format}/d/{domain}-{owner}/`. */
const CODEARTIFACT_URL = /\.codeartifact\.[a-z0-9-]+\.(amazonaws\.com|on\.aws)|\/(npm|pypi|maven)\/d\/[a-z][a-z0-9-]*-\d{12}\//;

/** True when the workspace is set up for CodeArtifact (settings, or an .npmrc / settings.xml pointing at it). */
export async function workspaceUsesCodeArtifact(): Promise<boolean> {
  if (configuredRepository()) return true;
  const files = [
    join(homedir(), '.m2', 'settings.xml'),
    ...(vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => join(f.uri.fsPath, '.npmrc')),
  ];
  for (const f of files) {
    try {
      if (CODEARTIFACT_URL.test(await readFile(f, 'utf8'))) return true;
    } catch {
      // absent: not configured by this file
    }
  }
  return false;
}

export class StatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];
  private configured = false;
  private readonly countdown: NodeJS.Timeout;

  constructor(private readonly session: LoginSession) {
    // Its own clock check, so the countdown and colours move even with auto-refresh off.
    this.countdown = setInterval(() => this.update(), 30_000);
    this.item = vscode.window.createStatusBarItem('codeartifact.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'CodeArtifact';
    this.item.command = 'codeartifact.statusBarMenu';
    this.subscriptions.push(
      session.onDidChange(() => this.update()),
      session.onTick(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('codeartifact.repository')) void this.recheckConfigured();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.recheckConfigured()),
    );
    void this.recheckConfigured();
  }

  private async recheckConfigured(): Promise<void> {
    this.configured = await workspaceUsesCodeArtifact();
    this.update();
  }

  update(): void {
    const logins = this.session.logins;
    if (!logins.length) {
      if (!this.configured) {
        this.item.hide();
        return;
      }
      this.item.text = '$(package) CodeArtifact: Log in';
      this.item.tooltip = 'This workspace uses CodeArtifact, but you are not logged in. Click to log in.';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const now = this.session.clock.now();
    // The login that expires first decides the text and the colour; the tooltip lists every one.
    const soonest = [...logins].sort((a, b) => a.expiresAt - b.expiresAt)[0];
    const status = tokenStatus({ domain: soonest.domain, repository: soonest.repository, expiresAt: soonest.expiresAt, now });
    this.item.text = `$(package) ${status.text}${logins.length > 1 ? ` (+${logins.length - 1})` : ''}`;
    const sev = severity(soonest.expiresAt, now);
    this.item.backgroundColor =
      sev === 'expired' ? new vscode.ThemeColor('statusBarItem.errorBackground') : sev === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**CodeArtifact** ${sev === 'expired' ? '— a token expired' : `— next token expiry in ${formatRemaining(soonest.expiresAt - now)}`}\n\n`);
    for (const login of logins) {
      const left = login.expiresAt > now ? `valid for ${formatRemaining(login.expiresAt - now)}` : 'expired';
      tip.appendMarkdown(
        `**${loginLabel(login)}** — ${left}  \nOwner: ${accountOf(login) ?? '(caller account)'}  \nTools: ${login.tools.join(', ')}  \nExpires: ${new Date(login.expiresAt).toLocaleString()}\n\n`,
      );
    }
    tip.appendMarkdown('Click for Refresh, Switch repository, Log out.');
    this.item.tooltip = tip;
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.countdown);
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

export function registerStatusBarMenu(commands: CommandRegistry, session: LoginSession): void {
  commands.register('codeartifact.statusBarMenu', async ({ ui }) => {
    const login = session.current;
    if (!login) return vscode.commands.executeCommand('codeartifact.login');
    const id = await ui.pick(
      'action',
      [
        { label: '$(refresh) Refresh token', value: 'codeartifact.refreshToken', id: 'refresh' },
        { label: '$(arrow-swap) Switch repository…', value: 'codeartifact.login', id: 'switch' },
        { label: '$(sign-out) Log out', value: 'codeartifact.logout', id: 'logout' },
        { label: '$(list-tree) Show explorer', value: 'workbench.view.extension.codeartifact', id: 'explorer' },
      ],
      { title: `CodeArtifact: ${session.logins.map(loginLabel).join(', ')}` },
    );
    return vscode.commands.executeCommand(id);
  });
}
