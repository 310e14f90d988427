// The Ui of a command started from the palette, a tree row or the status bar: QuickPicks, input boxes and
// modal dialogs. Dismissing any of them ends the command quietly (Cancelled).
import * as vscode from 'vscode';
import type { CodeArtifact, RepositoryRef } from '../core/aws/client';
import { Cancelled, type Choice, type ConfirmOptions, type InputOptions, type RepositorySuggestion, type Ui } from './ui';

/** Pages of domains and of repositories per domain read for the repository picker, at most. */
const MAX_PAGES = 20;

function orCancel<T>(value: T | undefined): T {
  if (value === undefined) throw new Cancelled();
  return value;
}

type Item<T> = vscode.QuickPickItem & { value: T };

/** Every repository of every domain (bounded), for the picker. */
async function allRepositories(ca: CodeArtifact): Promise<Item<RepositoryRef | undefined>[]> {
  const items: Item<RepositoryRef | undefined>[] = [];
  let domainToken: string | undefined;
  for (let d = 0; d < MAX_PAGES; d++) {
    const domains = await ca.listDomains(domainToken, 100);
    for (const dom of domains.items) {
      let token: string | undefined;
      for (let i = 0; i < MAX_PAGES; i++) {
        const page = await ca.listRepositoriesInDomain({ domain: dom.name!, domainOwner: dom.owner }, token, 1000);
        for (const r of page.items) {
          items.push({ label: `${dom.name}/${r.name}`, description: r.description, detail: dom.owner, value: { domain: dom.name!, domainOwner: dom.owner, repository: r.name! } });
        }
        token = page.nextToken;
        if (!token) break;
      }
    }
    domainToken = domains.nextToken;
    if (!domainToken) break;
  }
  return items;
}

export class VsCodeUi implements Ui {
  readonly scripted = false;

  async pick<T>(_key: string, choices: readonly Choice<T>[], options: { title: string; placeHolder?: string }): Promise<T> {
    const items: Item<T>[] = choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, value: c.value }));
    return orCancel(await vscode.window.showQuickPick(items, { title: options.title, placeHolder: options.placeHolder, matchOnDescription: true })).value;
  }

  async pickMany<T>(_key: string, choices: readonly Choice<T>[], options: { title: string }): Promise<T[]> {
    const items: Item<T>[] = choices.map((c) => ({ label: c.label, description: c.description, detail: c.detail, picked: c.picked, value: c.value }));
    const picked = await vscode.window.showQuickPick(items, { title: options.title, canPickMany: true });
    if (!picked || picked.length === 0) throw new Cancelled();
    return picked.map((p) => p.value);
  }

  async input(_key: string, options: InputOptions): Promise<string> {
    return orCancel(await vscode.window.showInputBox({ title: options.title, prompt: options.prompt, value: options.value, validateInput: options.validate }));
  }

  async confirm(_key: string | undefined, options: ConfirmOptions): Promise<void> {
    const answer = await vscode.window.showWarningMessage(options.message, { modal: true }, options.action);
    if (answer !== options.action) throw new Cancelled();
  }

  async repository(options: { title: string; client: () => Promise<CodeArtifact>; suggestions?: RepositorySuggestion[] }): Promise<RepositoryRef> {
    if (options.suggestions?.length) {
      const quick: Item<RepositoryRef | undefined>[] = [
        ...options.suggestions.map((s) => ({ label: `${s.ref.domain}/${s.ref.repository}`, description: s.description, value: s.ref as RepositoryRef | undefined })),
        { label: 'Another repository…', description: '', value: undefined },
      ];
      const choice = orCancel(await vscode.window.showQuickPick(quick, { title: options.title }));
      if (choice.value) return choice.value;
    }
    const ca = await options.client();
    const picked = await vscode.window.showQuickPick(allRepositories(ca), { title: options.title, placeHolder: 'Repository (domain/repository)', matchOnDescription: true });
    return orCancel(picked?.value);
  }

  async folder(options: { placeHolder: string; folders: readonly string[] }): Promise<string> {
    if (options.folders.length === 1) return options.folders[0];
    return orCancel((await vscode.window.showWorkspaceFolderPick({ placeHolder: options.placeHolder }))?.uri.fsPath);
  }

  given<T>(): T | undefined {
    return undefined;
  }

  info(message: string): void {
    void vscode.window.showInformationMessage(message);
  }

  warn(message: string): void {
    void vscode.window.showWarningMessage(message);
  }

  async files(_key: string, options: { title: string }): Promise<string[]> {
    const picked = await vscode.window.showOpenDialog({ title: options.title, canSelectMany: true, canSelectFiles: true, canSelectFolders: false, openLabel: 'Select' });
    if (!picked?.length) throw new Cancelled();
    return picked.map((u) => u.fsPath);
  }

  async saveAs(_key: string, options: { title: string; defaultName: string }): Promise<string> {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({ title: options.title, defaultUri: base ? vscode.Uri.joinPath(base, options.defaultName) : undefined });
    return orCancel(uri?.fsPath);
  }
}
