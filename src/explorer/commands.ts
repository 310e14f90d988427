// The explorer's commands. Each takes a tree row, nothing (palette: asks with QuickPicks) or a plain args
// object (asks nothing).
import * as vscode from 'vscode';
import { EXTERNAL_CONNECTIONS, type RepositoryRef } from '../core/aws/client';
import { describeProblem } from '../core/aws/errors';
import { consoleUrl, installSnippets, parsePackageFilter } from '../core/aws/names';
import { loadSharedFiles, profileNames } from '../core/aws/profiles';
import type { Connection } from '../connection';
import { isPlainArgs, registerCommand, UserError } from '../commandRegistry';
import { pickRepository } from '../pickers';
import type { ExplorerNode, PackagesNode } from './nodes';
import type { ExplorerProvider } from './provider';

interface ConnectionArgs {
  domain: string;
  domainOwner?: string;
  repository: string;
  externalConnection: string;
  /** With args, an existing connection is only replaced when this is true. */
  replace?: boolean;
}

function repositoryRefOf(node: ExplorerNode | undefined): RepositoryRef | undefined {
  if (!node) return undefined;
  if (node.kind === 'repository') return node.ref;
  if (node.kind === 'externalConnection' || node.kind === 'packages' || node.kind === 'upstreams') return node.parent.ref;
  return undefined;
}

function requireArgs(args: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) {
    if (typeof args[k] !== 'string' || !args[k]) throw new UserError(`Missing "${k}" in the command arguments.`);
  }
}

export function registerExplorerCommands(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  connection: Connection,
  provider: ExplorerProvider,
  treeView: vscode.TreeView<ExplorerNode>,
): void {
  const reg = (id: string, fn: (...args: never[]) => unknown) => registerCommand(context, log, connection, id, fn as (...args: unknown[]) => unknown);

  reg('codeartifact.refresh', (node?: ExplorerNode) => provider.refresh(node));
  reg('codeartifact.loadMore', async (node: ExplorerNode) => {
    if (node?.kind === 'loadMore') await provider.loadMore(node.parent);
  });

  reg('codeartifact.filterPackages', async (node?: ExplorerNode, filter?: string) => {
    const target: PackagesNode | undefined = node?.kind === 'packages' ? node : node?.kind === 'repository' ? node.packages : undefined;
    if (!target) throw new UserError('Run "Filter Packages" on a repository or its Packages row.');
    const current = filterText(target);
    const text = typeof filter === 'string' ? filter : await vscode.window.showInputBox({
      title: `Filter packages of ${target.parent.ref.repository}`,
      prompt: 'A package-name prefix, or a namespace and prefix: @scope/name, group.id:artifact. Empty clears the filter.',
      value: current,
    });
    if (text === undefined) return;
    target.filter = parsePackageFilter(text);
    provider.refresh(target);
    await treeView.reveal(target, { expand: true, select: false, focus: false }).then(undefined, () => undefined);
  });
  reg('codeartifact.clearPackageFilter', (node?: ExplorerNode) => {
    const target = node?.kind === 'packages' ? node : node?.kind === 'repository' ? node.packages : undefined;
    if (!target) return;
    target.filter = {};
    provider.refresh(target);
  });

  reg('codeartifact.revealRepository', async (node?: ExplorerNode) => {
    if (node?.kind !== 'upstream') return;
    const domain = node.parent.parent.parent;
    const repo = await provider.loadRepository(domain, node.repositoryName);
    if (!repo) throw new UserError(`Repository ${node.repositoryName} was not found in domain ${domain.summary.name}.`);
    await treeView.reveal(repo, { select: true, focus: true, expand: false });
  });

  reg('codeartifact.associateExternalConnection', async (arg?: ExplorerNode | ConnectionArgs) => {
    const ca = await connection.client();
    let ref: RepositoryRef | undefined;
    let name: string | undefined;
    const fromArgs = isPlainArgs(arg);
    if (fromArgs) {
      requireArgs(arg as unknown as Record<string, unknown>, ['domain', 'repository', 'externalConnection']);
      const a = arg as ConnectionArgs;
      ref = { domain: a.domain, domainOwner: a.domainOwner, repository: a.repository };
      name = a.externalConnection;
    } else {
      ref = repositoryRefOf(arg as ExplorerNode | undefined) ?? (await pickRepository(ca, 'Add an external connection to…'));
      if (!ref) return undefined;
      const pick = await vscode.window.showQuickPick(
        EXTERNAL_CONNECTIONS.map((c) => ({ label: c.name, description: c.format, detail: c.description })),
        { title: `External connection for ${ref.domain}/${ref.repository}` },
      );
      if (!pick) return undefined;
      name = pick.label;
    }
    if (!EXTERNAL_CONNECTIONS.some((c) => c.name === name)) {
      throw new UserError(`"${name}" is not an external connection. Use one of: ${EXTERNAL_CONNECTIONS.map((c) => c.name).join(', ')}.`);
    }
    const described = await ca.describeRepository(ref);
    const current = described.externalConnections?.[0]?.externalConnectionName;
    if (current === name) {
      if (!fromArgs) void vscode.window.showInformationMessage(`${ref.repository} is already connected to ${name}.`);
      return described;
    }
    if (current) {
      // A repository holds at most one external connection: say so, and replace only when asked.
      if (fromArgs && !(arg as ConnectionArgs).replace) {
        throw new UserError(`Repository ${ref.repository} already has the external connection ${current}; a repository can have only one. Pass "replace": true to replace it.`);
      }
      if (!fromArgs) {
        const answer = await vscode.window.showWarningMessage(
          `Repository ${ref.repository} already has the external connection ${current}. A repository can have only one. Replace it with ${name}?`,
          { modal: true },
          'Replace',
        );
        if (answer !== 'Replace') return undefined;
      }
      provider.applyRepositoryDetail(ref, await ca.disassociateExternalConnection(ref, current));
      try {
        const detail = await ca.associateExternalConnection(ref, name!);
        provider.applyRepositoryDetail(ref, detail);
        log.info(`Replaced ${current} with ${name} on ${ref.domain}/${ref.repository}`);
        if (!fromArgs) void vscode.window.showInformationMessage(`${ref.repository} now fetches from ${name} instead of ${current}.`);
        return detail;
      } catch (e) {
        // Put the old connection back rather than leave the repository with none.
        const restored = await ca.associateExternalConnection(ref, current).then(
          (d) => (provider.applyRepositoryDetail(ref, d), true),
          () => false,
        );
        const why = describeProblem(e, connection.problemContext()).message;
        throw new UserError(
          restored
            ? `Could not connect ${ref.repository} to ${name} (${why}); it keeps ${current}.`
            : `Could not connect ${ref.repository} to ${name} (${why}), and restoring ${current} failed too: the repository has no external connection now.`,
        );
      }
    }
    const detail = await ca.associateExternalConnection(ref, name!);
    provider.applyRepositoryDetail(ref, detail);
    log.info(`Associated ${name} with ${ref.domain}/${ref.repository}`);
    if (!fromArgs) void vscode.window.showInformationMessage(`${ref.repository} now fetches from ${name}.`);
    return detail;
  });

  reg('codeartifact.disassociateExternalConnection', async (arg?: ExplorerNode | Omit<ConnectionArgs, 'externalConnection'> & { externalConnection?: string }) => {
    const ca = await connection.client();
    const fromArgs = isPlainArgs(arg);
    let ref: RepositoryRef | undefined;
    if (fromArgs) {
      requireArgs(arg as unknown as Record<string, unknown>, ['domain', 'repository']);
      const a = arg as ConnectionArgs;
      ref = { domain: a.domain, domainOwner: a.domainOwner, repository: a.repository };
    } else {
      ref = repositoryRefOf(arg as ExplorerNode | undefined) ?? (await pickRepository(ca, 'Remove the external connection of…'));
    }
    if (!ref) return undefined;
    const current = (await ca.describeRepository(ref)).externalConnections?.[0]?.externalConnectionName;
    const name = fromArgs ? ((arg as ConnectionArgs).externalConnection ?? current) : current;
    if (!name || !current) throw new UserError(`Repository ${ref.repository} has no external connection.`);
    if (!fromArgs) {
      const answer = await vscode.window.showWarningMessage(
        `Remove the external connection ${name} from ${ref.repository}? Packages already fetched stay; new ones from ${name} will not be fetched.`,
        { modal: true },
        'Remove',
      );
      if (answer !== 'Remove') return undefined;
    }
    const detail = await ca.disassociateExternalConnection(ref, name);
    provider.applyRepositoryDetail(ref, detail);
    log.info(`Disassociated ${name} from ${ref.domain}/${ref.repository}`);
    return detail;
  });

  reg('codeartifact.copyRepositoryEndpoint', async (arg?: ExplorerNode | (RepositoryRef & { format?: string })) => {
    const ca = await connection.client();
    const fromArgs = isPlainArgs(arg);
    const ref = fromArgs ? (arg as RepositoryRef) : (repositoryRefOf(arg as ExplorerNode | undefined) ?? (await pickRepository(ca, 'Copy the endpoint of…')));
    if (!ref) return undefined;
    let format = fromArgs ? (arg as { format?: string }).format : undefined;
    if (!format) {
      const formats = ['npm', 'pypi', 'maven', 'nuget', 'generic', 'swift', 'cargo', 'ruby'];
      format = (await vscode.window.showQuickPick(formats, { title: `Endpoint of ${ref.repository} for which format?` })) ?? undefined;
      if (!format) return undefined;
    }
    const url = await ca.getRepositoryEndpoint(ref, format);
    await vscode.env.clipboard.writeText(url);
    if (!fromArgs) void vscode.window.showInformationMessage(`Copied ${url}`);
    return url;
  });

  reg('codeartifact.copyInstallSnippet', async (node?: ExplorerNode) => {
    if (node?.kind !== 'version') throw new UserError('Run "Copy Install Snippet" on a package version.');
    const pkg = node.parent.summary;
    const snippets = installSnippets(pkg.format, pkg.namespace, pkg.package!, node.summary.version!);
    const chosen =
      snippets.length === 1
        ? snippets[0]
        : await vscode.window.showQuickPick(snippets.map((s) => ({ ...s, description: s.text.split('\n')[0] })), { title: 'Copy snippet for…' });
    if (!chosen) return undefined;
    await vscode.env.clipboard.writeText(chosen.text);
    void vscode.window.setStatusBarMessage(`Copied ${chosen.label} snippet`, 3000);
    return chosen.text;
  });

  reg('codeartifact.openInConsole', async (node?: ExplorerNode) => {
    const ca = await connection.client();
    const region = ca.connection.region;
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

  reg('codeartifact.ssoLogin', () => {
    const profile = connection.problemContext().profile ?? 'default';
    const terminal = vscode.window.createTerminal({ name: 'AWS SSO login' });
    terminal.show();
    terminal.sendText(`aws sso login --profile ${shellQuote(profile)}`);
    return profile;
  });

  reg('codeartifact.chooseProfile', async () => {
    const files = await loadSharedFiles();
    const names = profileNames(files);
    const picked = await vscode.window.showQuickPick(
      [{ label: '(default credential chain)', description: 'environment, default profile, SSO, process' }, ...names.map((n) => ({ label: n, description: '' }))],
      { title: 'AWS profile for CodeArtifact', placeHolder: names.length ? undefined : `No profiles in ${files.configFile}` },
    );
    if (!picked) return;
    const value = picked.label.startsWith('(') ? undefined : picked.label;
    await vscode.workspace.getConfiguration('codeartifact').update('profile', value, vscode.ConfigurationTarget.Global);
  });

  reg('codeartifact.setRegion', async () => {
    const value = await vscode.window.showInputBox({
      title: 'AWS region for CodeArtifact',
      value: connection.settings().region ?? 'us-east-1',
      validateInput: (v) => (/^[a-z]{2}(-[a-z]+)+-\d$/.test(v.trim()) ? undefined : 'A region such as us-west-2 or eu-central-1'),
    });
    if (value === undefined) return;
    await vscode.workspace.getConfiguration('codeartifact').update('region', value.trim(), vscode.ConfigurationTarget.Global);
  });

  reg('codeartifact.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:codeartifact-explorer.codeartifact-explorer'));
}

function filterText(node: PackagesNode): string {
  const f = node.filter;
  if (!f.namespace) return f.packagePrefix ?? '';
  return f.namespace.includes('.') ? `${f.namespace}:${f.packagePrefix ?? ''}` : `@${f.namespace}/${f.packagePrefix ?? ''}`;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9._-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
