// Copying and opening: a repository's endpoint, a version's install snippet, the AWS console page of a row.
import * as vscode from 'vscode';
import { consoleUrl, installSnippets } from '../../core/aws/names';
import { UserError } from '../../commands/ui';
import type { ExplorerCommandDeps } from './deps';
import { repositoryRefOf } from './targets';

const ENDPOINT_FORMATS = ['npm', 'pypi', 'maven', 'nuget', 'generic', 'swift', 'cargo', 'ruby'];

export function registerLinkCommands({ commands, connection }: ExplorerCommandDeps): void {
  const client = () => connection.client();

  commands.register('codeartifact.copyRepositoryEndpoint', async ({ ui }, node) => {
    const ref = repositoryRefOf(node) ?? (await ui.repository({ title: 'Copy the endpoint of…', client }));
    const format = await ui.pick(
      'format',
      ENDPOINT_FORMATS.map((f) => ({ label: f, value: f })),
      { title: `Endpoint of ${ref.repository} for which format?` },
    );
    const url = await (await client()).getRepositoryEndpoint(ref, format);
    await vscode.env.clipboard.writeText(url);
    ui.info(`Copied ${url}`);
    return url;
  });

  commands.register('codeartifact.copyInstallSnippet', async ({ ui }, node) => {
    if (node?.kind !== 'version') throw new UserError('Run "Copy Install Snippet" on a package version.');
    const pkg = node.parent.summary;
    const snippets = installSnippets(pkg.format, pkg.namespace, pkg.package!, node.summary.version!, node.parent.ref);
    const chosen =
      snippets.length === 1
        ? snippets[0]
        : await ui.pick(
            'snippet',
            snippets.map((s) => ({ label: s.label, description: s.text.split('\n')[0], value: s, id: s.label })),
            { title: 'Copy snippet for…' },
          );
    await vscode.env.clipboard.writeText(chosen.text);
    void vscode.window.setStatusBarMessage(`Copied ${chosen.label} snippet`, 3000);
    return chosen.text;
  });

  commands.register('codeartifact.openInConsole', async (_ctx, node) => {
    const region = (await client()).connection.region;
    let url: string | undefined;
    if (node?.kind === 'domain') url = consoleUrl({ region, domain: node.summary.name!, owner: node.summary.owner! });
    else if (node?.kind === 'repository') url = consoleUrl({ region, domain: node.ref.domain, owner: node.ref.domainOwner!, repository: node.ref.repository });
    else if (node?.kind === 'package' || node?.kind === 'version') {
      const p = node.kind === 'package' ? node : node.parent;
      url = consoleUrl({
        region,
        domain: p.ref.domain,
        owner: p.ref.domainOwner!,
        repository: p.ref.repository,
        format: p.ref.format,
        namespace: p.ref.namespace,
        packageName: p.ref.name,
        version: node.kind === 'version' ? node.summary.version : undefined,
      });
    }
    if (!url) throw new UserError('Run "Open in AWS Console" on a domain, repository, package or version.');
    await vscode.env.openExternal(vscode.Uri.parse(url));
    return url;
  });
}
