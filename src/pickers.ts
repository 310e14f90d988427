// QuickPicks shared by commands that need a repository when run from the palette.
import * as vscode from 'vscode';
import type { CodeArtifact, RepositoryRef } from './core/aws/client';

const MAX_PAGES = 20;

/** Lists repositories of every domain (bounded) and lets the user pick one. */
export async function pickRepository(ca: CodeArtifact, title: string): Promise<RepositoryRef | undefined> {
  const load = async (): Promise<(vscode.QuickPickItem & { ref: RepositoryRef })[]> => {
    const items: (vscode.QuickPickItem & { ref: RepositoryRef })[] = [];
    let domainToken: string | undefined;
    for (let d = 0; d < MAX_PAGES; d++) {
      const domains = await ca.listDomains(domainToken, 100);
      for (const dom of domains.items) {
        let token: string | undefined;
        for (let i = 0; i < MAX_PAGES; i++) {
          const page = await ca.listRepositoriesInDomain({ domain: dom.name!, domainOwner: dom.owner }, token, 1000);
          for (const r of page.items) {
            items.push({
              label: `${dom.name}/${r.name}`,
              description: r.description,
              detail: dom.owner,
              ref: { domain: dom.name!, domainOwner: dom.owner, repository: r.name! },
            });
          }
          token = page.nextToken;
          if (!token) break;
        }
      }
      domainToken = domains.nextToken;
      if (!domainToken) break;
    }
    return items;
  };
  const picked = await vscode.window.showQuickPick(load(), { title, placeHolder: 'Repository (domain/repository)', matchOnDescription: true });
  return picked?.ref;
}
