// Permissions policies as read-only documents: a virtual `codeartifact-policy:` document per domain or
// repository (nothing is written to disk), its JSON pretty-printed, opened from the "Permissions policy" row.
import * as vscode from 'vscode';
import type { DomainRef } from '../core/aws/client';
import { describeProblem } from '../core/aws/errors';
import { permissionsPolicy } from '../core/aws/governance';
import { UserError } from '../commands/ui';
import type { Connection } from '../connection';
import type { ExplorerCommandDeps } from '../explorer/commands/deps';

const SCHEME = 'codeartifact-policy';

function policyUri(ref: DomainRef & { repository?: string }): vscode.Uri {
  const path = ref.repository ? `/${ref.domain}/${ref.repository}.json` : `/${ref.domain}.json`;
  return vscode.Uri.from({ scheme: SCHEME, path, query: ref.domainOwner ? `owner=${encodeURIComponent(ref.domainOwner)}` : '' });
}

function refOf(uri: vscode.Uri): DomainRef & { repository?: string } {
  const parts = uri.path
    .replace(/^\//, '')
    .replace(/\.json$/, '')
    .split('/');
  const owner = new URLSearchParams(uri.query).get('owner') ?? undefined;
  return { domain: parts[0], domainOwner: owner, repository: parts[1] };
}

class PolicyDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly connection: Connection) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = refOf(uri);
    const what = ref.repository ? `repository ${ref.domain}/${ref.repository}` : `domain ${ref.domain}`;
    try {
      const document = await permissionsPolicy(await this.connection.client(), ref);
      if (document === undefined) return `{\n  "_": "The ${what} has no permissions policy."\n}\n`;
      try {
        return `${JSON.stringify(JSON.parse(document), null, 2)}\n`;
      } catch {
        return document;
      }
    } catch (e) {
      return `{\n  "_": ${JSON.stringify(`Could not read the policy of the ${what}: ${describeProblem(e, this.connection.problemContext()).message}`)}\n}\n`;
    }
  }
}

export function registerPolicyCommands({ commands, connection }: ExplorerCommandDeps): void {
  commands.own(vscode.workspace.registerTextDocumentContentProvider(SCHEME, new PolicyDocuments(connection)));
  commands.register('codeartifact.showPermissionsPolicy', async ({ ui }, node) => {
    let ref: DomainRef & { repository?: string };
    const owner = node?.kind === 'policy' ? node.parent : node;
    if (owner?.kind === 'domain') ref = { domain: owner.summary.name!, domainOwner: owner.summary.owner };
    else if (owner?.kind === 'repository') ref = owner.ref;
    else {
      const domain = ui.given<string>('domain');
      if (typeof domain !== 'string' || !domain) throw new UserError('Missing "domain" in the arguments of codeartifact.showPermissionsPolicy.');
      ref = { domain, domainOwner: ui.given<string>('domainOwner') || undefined, repository: ui.given<string>('repository') || undefined };
    }
    const doc = await vscode.workspace.openTextDocument(policyUri(ref));
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc.uri.toString();
  });
}
