// The open project's dependencies in the editor: codeartifact.checkDependencies {folder, probe?}, diagnostics on
// each dependency's line of package.json and pom.xml, and checks on open and save of manifests and lockfiles.
import { basename, dirname } from 'node:path';
import { GetAssociatedPackageGroupCommand, type PackageFormat } from '@aws-sdk/client-codeartifact';
import * as vscode from 'vscode';
import type { RepositoryRef } from '../core/aws/client';
import { CheckCache, checkDependencies, type DependencyResult, type DependencyStatus, type ProbeAccess } from '../core/deps/check';
import { folderDependencies, locateDependencies, locationKey, WATCHED_FILES, type ManifestLocation } from '../core/deps/manifest';
import type { CommandRegistry } from '../commands/registry';
import { UserError } from '../commands/ui';
import type { Connection } from '../connection';
import { configuredRepository, workspaceFolderPaths } from '../login/commands';
import type { LoginSession } from '../login/session';

const SEVERITY: Partial<Record<DependencyStatus, vscode.DiagnosticSeverity>> = {
  blocked: vscode.DiagnosticSeverity.Error,
  missing: vscode.DiagnosticSeverity.Error,
  archived: vscode.DiagnosticSeverity.Warning,
  unlisted: vscode.DiagnosticSeverity.Warning,
  disposed: vscode.DiagnosticSeverity.Warning,
  error: vscode.DiagnosticSeverity.Warning,
  'not-ingested': vscode.DiagnosticSeverity.Information,
  ingesting: vscode.DiagnosticSeverity.Information,
};

/** One folder's last check: what was checked, against which repository, and where each dependency is written. */
export interface FolderCheck {
  folder: string;
  repository: RepositoryRef;
  results: DependencyResult[];
  locations: Map<string, ManifestLocation>;
  /** Lockfiles or manifests that could not be read. */
  errors: string[];
}

export class DependencyChecker implements vscode.Disposable {
  readonly cache = new CheckCache();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('CodeArtifact');
  private readonly byFolder = new Map<string, FolderCheck>();
  /** Manifests that got diagnostics per folder, so a new check clears the ones it no longer has. */
  private readonly files = new Map<string, string[]>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the folder after each check. */
  readonly onDidCheck = this.changed.event;

  constructor(
    private readonly connection: Connection,
    private readonly session: LoginSession,
  ) {}

  dispose(): void {
    this.diagnostics.dispose();
    this.changed.dispose();
  }

  folders(): FolderCheck[] {
    return [...this.byFolder.values()];
  }

  /** The repository the folder uses: codeartifact.repository, else the login's; undefined when neither is set. */
  repository(): RepositoryRef | undefined {
    const configured = configuredRepository();
    if (configured) return configured;
    const cur = this.session.current;
    return cur ? { domain: cur.domain, domainOwner: cur.domainOwner, repository: cur.repository } : undefined;
  }

  async check(folder: string, probe = false): Promise<DependencyResult[]> {
    const repository = this.repository();
    if (!repository) throw new UserError('No CodeArtifact repository for this folder: set codeartifact.repository or log in first.');
    const { entries, errors } = folderDependencies(folder);
    const client = await this.connection.client();
    const results = await checkDependencies({ client, repository, dependencies: entries, cache: this.cache, probe: probe ? await this.probeAccess(repository) : undefined });
    const { files, locations } = locateDependencies(folder);
    this.byFolder.set(folder, { folder, repository, results, locations, errors: errors.map((e) => e.message) });
    this.publish(folder, files, results, locations);
    this.changed.fire(folder);
    return results;
  }

  /** The data-plane endpoints and token: the login's when it is this repository, else a token of its own (kept in memory only). */
  private async probeAccess(repository: RepositoryRef): Promise<ProbeAccess> {
    const cur = this.session.current;
    if (cur && cur.domain === repository.domain && cur.repository === repository.repository) return { endpoints: cur.endpoints, token: cur.token };
    const ca = await this.connection.client();
    const { token } = await ca.getAuthorizationToken(repository, 900);
    const endpoints: Record<string, string> = {};
    for (const format of ['npm', 'maven', 'pypi']) endpoints[format] = await ca.getRepositoryEndpoint(repository, format);
    return { endpoints, token };
  }

  private publish(folder: string, files: string[], results: DependencyResult[], locations: Map<string, ManifestLocation>): void {
    const perFile = new Map<string, vscode.Diagnostic[]>(files.map((f) => [f, []]));
    for (const r of results) {
      const severity = SEVERITY[r.status];
      const at = locations.get(locationKey(r));
      if (severity === undefined || !at) continue;
      const d = new vscode.Diagnostic(new vscode.Range(at.line, at.startColumn, at.line, at.endColumn), `${r.status}: ${r.detail}`, severity);
      d.source = 'CodeArtifact';
      d.code = r.status;
      perFile.get(at.file)?.push(d);
    }
    for (const old of this.files.get(folder) ?? []) if (!perFile.has(old)) this.diagnostics.delete(vscode.Uri.file(old));
    for (const [file, list] of perFile) this.diagnostics.set(vscode.Uri.file(file), list);
    this.files.set(folder, [...perFile.keys()]);
  }
}

const DEBOUNCE_MS = 800;

/** Checks a folder when one of its manifests or lockfiles is opened, saved, created or changed on disk (debounced). */
function watchFolders(context: vscode.ExtensionContext, checker: DependencyChecker, log: vscode.LogOutputChannel): void {
  const timers = new Map<string, NodeJS.Timeout>();
  const schedule = (uri: vscode.Uri) => {
    if (uri.scheme !== 'file' || !(WATCHED_FILES as readonly string[]).includes(basename(uri.fsPath))) return;
    let folder = dirname(uri.fsPath);
    if (basename(folder) === 'gradle') folder = dirname(folder);
    if (!checker.repository()) return;
    clearTimeout(timers.get(folder));
    timers.set(
      folder,
      setTimeout(() => {
        timers.delete(folder);
        checker.check(folder).catch((e: unknown) => log.warn(`Dependency check of ${folder}: ${(e as Error).message}`));
      }, DEBOUNCE_MS),
    );
  };
  const watcher = vscode.workspace.createFileSystemWatcher(`**/{${WATCHED_FILES.join(',')}}`);
  context.subscriptions.push(
    watcher,
    watcher.onDidChange(schedule),
    watcher.onDidCreate(schedule),
    vscode.workspace.onDidOpenTextDocument((d) => schedule(d.uri)),
    vscode.workspace.onDidSaveTextDocument((d) => schedule(d.uri)),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  for (const d of vscode.workspace.textDocuments) schedule(d.uri);
}

export function registerDependencyCommands(
  commands: CommandRegistry,
  context: vscode.ExtensionContext,
  connection: Connection,
  session: LoginSession,
  log: vscode.LogOutputChannel,
): DependencyChecker {
  const checker = new DependencyChecker(connection, session);
  context.subscriptions.push(checker);
  commands.register('codeartifact.checkDependencies', async ({ ui }) => {
    const folders = workspaceFolderPaths();
    if (!ui.scripted && folders.length === 0) throw new UserError('Open a project folder first.');
    const folder = await ui.folder({ placeHolder: 'Check the dependencies of which folder?', folders });
    const probe = ui.given<unknown>('probe');
    if (probe !== undefined && typeof probe !== 'boolean') throw new UserError(`codeartifact.checkDependencies: "probe" must be true or false, not ${JSON.stringify(probe)}`);
    const results = await checker.check(folder, probe === true);
    if (!ui.scripted) {
      const counts = new Map<string, number>();
      for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      ui.info(`${results.length} dependencies checked: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ') || 'none found'}.`);
    }
    return results;
  });
  watchFolders(context, checker, log);
  registerDependencyHover(context, checker, connection);
  return checker;
}

/** Hover on a checked dependency: its status, the newest versions in CodeArtifact with their origin, its package group. */
function registerDependencyHover(context: vscode.ExtensionContext, checker: DependencyChecker, connection: Connection): void {
  const provideHover = async (doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> => {
    const check = checker.folders().find((f) => f.folder === dirname(doc.uri.fsPath));
    if (!check) return undefined;
    const hit = [...check.locations].find(([, l]) => l.file === doc.uri.fsPath && l.line === pos.line && pos.character >= l.startColumn && pos.character <= l.endColumn);
    if (!hit) return undefined;
    const results = check.results.filter((r) => locationKey(r) === hit[0]);
    if (!results.length) return undefined;
    const md = new vscode.MarkdownString();
    for (const r of results) md.appendMarkdown(`**${r.name}@${r.version}**: \`${r.status}\`: ${r.detail}\n\n`);
    const r = results[0];
    const ref = { ...check.repository, repository: r.repository ?? check.repository.repository, format: r.format as PackageFormat, namespace: r.namespace, name: r.name };
    try {
      const ca = await connection.client();
      const page = await ca.listPackageVersions(ref, undefined, 5);
      const rows = page.items.map((v) => {
        const via = v.origin?.domainEntryPoint?.externalConnectionName;
        return `- ${v.version} (${v.status}, ${v.origin?.originType ?? 'UNKNOWN'}${via ? ` via ${via}` : ''})`;
      });
      if (rows.length) md.appendMarkdown(`Versions in ${ref.repository}, newest first:\n\n${rows.join('\n')}\n\n`);
    } catch {
      // The package is not in that repository yet: nothing to list.
    }
    try {
      const ca = await connection.client();
      const g = await ca.client.send(
        new GetAssociatedPackageGroupCommand({
          domain: ref.domain,
          ...(ref.domainOwner ? { domainOwner: ref.domainOwner } : {}),
          format: ref.format,
          namespace: r.namespace,
          package: r.name,
        }),
      );
      if (g.packageGroup?.pattern) md.appendMarkdown(`Package group: \`${g.packageGroup.pattern}\``);
    } catch {
      // No group visible with these credentials.
    }
    return new vscode.Hover(md, new vscode.Range(hit[1].line, hit[1].startColumn, hit[1].line, hit[1].endColumn));
  };
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(
      [
        { scheme: 'file', pattern: '**/package.json' },
        { scheme: 'file', pattern: '**/pom.xml' },
      ],
      { provideHover },
    ),
  );
}
