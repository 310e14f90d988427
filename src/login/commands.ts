// codeartifact.login / codeartifact.logout / codeartifact.refreshToken / codeartifact.createProjectNpmrc.
import * as vscode from 'vscode';
import type { RepositoryRef } from '../core/aws/client';
import { detectTools, isToolId, mergeDetections, TOOL_IDS, type Detection, type ToolId } from '../core/tools';
import { writeProjectNpmrc } from '../core/login/loginPlan';
import { formatRemaining } from '../core/login/tokenSchedule';
import type { Connection } from '../connection';
import { isPlainArgs, registerCommand, UserError } from '../commandRegistry';
import type { ExplorerNode } from '../explorer/nodes';
import { pickRepository } from '../pickers';
import type { LoginSession } from './session';

export interface LoginArgs {
  domain: string;
  domainOwner?: string;
  repository: string;
  tools?: string[];
  namespace?: string;
  durationSeconds?: number;
}

const TOOL_LABELS: Record<ToolId, string> = {
  npm: 'npm (~/.npmrc)',
  pnpm: 'pnpm (~/.npmrc)',
  yarn: 'Yarn (~/.yarnrc.yml)',
  pip: 'pip (user pip.conf)',
  twine: 'twine (~/.pypirc)',
  maven: 'Maven (~/.m2/settings.xml)',
  gradle: 'Gradle (init script in ~/.gradle/init.d)',
};

/** The repository named by the workspace setting codeartifact.repository, if any. */
export function configuredRepository(): RepositoryRef | undefined {
  const v = vscode.workspace.getConfiguration('codeartifact').get<Partial<RepositoryRef>>('repository');
  if (v && typeof v.domain === 'string' && typeof v.repository === 'string' && v.domain && v.repository) {
    return { domain: v.domain, domainOwner: v.domainOwner || undefined, repository: v.repository };
  }
  return undefined;
}

export async function detectWorkspaceTools(): Promise<Detection> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return mergeDetections(await Promise.all(folders.filter((f) => f.uri.scheme === 'file').map((f) => detectTools(f.uri.fsPath))));
}

export function registerLoginCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, connection: Connection, session: LoginSession): void {
  registerCommand(context, log, connection, 'codeartifact.login', async (arg?: unknown) => {
    if (isPlainArgs(arg)) {
      const a = arg as unknown as LoginArgs;
      if (!a.domain || !a.repository) throw new UserError('codeartifact.login needs "domain" and "repository".');
      const unknown = (a.tools ?? []).filter((t) => !isToolId(t));
      if (unknown.length) throw new UserError(`Unknown tool id(s): ${unknown.join(', ')}. Use ${TOOL_IDS.join(', ')}.`);
      const tools = a.tools ? (a.tools as ToolId[]) : (await detectWorkspaceTools()).tools;
      if (tools.length === 0) throw new UserError('No npm, pnpm, Yarn, pip, twine, Maven or Gradle project was detected; pass "tools".');
      const result = await session.login({ domain: a.domain, domainOwner: a.domainOwner, repository: a.repository, tools, namespace: a.namespace, durationSeconds: a.durationSeconds });
      const failed = result.outcomes.filter((o) => !o.ok);
      if (failed.length) void vscode.window.showWarningMessage(`CodeArtifact login left some files unchanged: ${failed.map((o) => o.error).join('; ')}`);
      return { expiresAt: result.login.expiresAt, outcomes: result.outcomes };
    }

    // From the palette or a repository row: repository, then the tools (detected ones pre-checked).
    const node = arg as ExplorerNode | undefined;
    let ref: RepositoryRef | undefined = node?.kind === 'repository' ? node.ref : undefined;
    if (!ref) {
      const configured = configuredRepository();
      const current = session.current;
      const quick = [configured, current].filter((r): r is RepositoryRef => !!r);
      if (quick.length) {
        const choice = await vscode.window.showQuickPick(
          [
            ...quick.map((r) => ({ label: `${r.domain}/${r.repository}`, description: r === configured ? 'from codeartifact.repository' : 'current login', ref: r as RepositoryRef | undefined })),
            { label: 'Another repository…', description: '', ref: undefined },
          ],
          { title: 'Log in to which CodeArtifact repository?' },
        );
        if (!choice) return undefined;
        ref = choice.ref;
      }
      if (!ref) ref = await pickRepository(await connection.client(), 'Log in to which CodeArtifact repository?');
      if (!ref) return undefined;
    }
    const detection = await detectWorkspaceTools();
    const preselected = new Set<ToolId>(detection.tools.length ? detection.tools : (session.current?.tools ?? []));
    const picks = await vscode.window.showQuickPick(
      TOOL_IDS.map((t) => ({
        label: t,
        description: TOOL_LABELS[t],
        detail: detection.reasons[t] ? `detected: ${detection.reasons[t]!.join(', ')}` : undefined,
        picked: preselected.has(t),
      })),
      { title: `Configure which tools for ${ref.domain}/${ref.repository}?`, canPickMany: true },
    );
    if (!picks || picks.length === 0) return undefined;
    const tools = picks.map((p) => p.label as ToolId);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Logging in to ${ref.domain}/${ref.repository}…` },
      () => session.login({ ...ref!, tools }),
    );
    const failed = result.outcomes.filter((o) => !o.ok);
    const left = formatRemaining(result.login.expiresAt - session.clock.now());
    if (failed.length) {
      void vscode.window.showWarningMessage(`Logged in for ${tools.join(', ')} (${left}), but these files were left unchanged: ${failed.map((o) => o.error).join('; ')}`);
    } else {
      void vscode.window.showInformationMessage(`Logged in to ${ref.domain}/${ref.repository} for ${tools.join(', ')}. The token is valid for ${left} and refreshes automatically.`);
    }
    return { expiresAt: result.login.expiresAt, outcomes: result.outcomes };
  });

  registerCommand(context, log, connection, 'codeartifact.refreshToken', async () => {
    if (!session.current) throw new UserError('Not logged in to CodeArtifact. Run "CodeArtifact: Log In".');
    const l = await session.refresh();
    return { expiresAt: l.expiresAt };
  });

  registerCommand(context, log, connection, 'codeartifact.logout', async () => {
    const outcomes = await session.logout();
    const failed = outcomes.filter((o) => !o.ok);
    if (failed.length) void vscode.window.showWarningMessage(`Logged out, but some files could not be cleaned: ${failed.map((o) => o.error).join('; ')}`);
    return { outcomes };
  });

  registerCommand(context, log, connection, 'codeartifact.createProjectNpmrc', async (arg?: unknown) => {
    const cur = session.current;
    if (!cur?.endpoints.npm) throw new UserError('Log in for npm first: the project .npmrc uses the npm endpoint of the current login.');
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder =
      isPlainArgs(arg) && typeof (arg as { folder?: string }).folder === 'string'
        ? (arg as { folder: string }).folder
        : folders.length === 1
          ? folders[0].uri.fsPath
          : (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Write .npmrc into which folder?' }))?.uri.fsPath;
    if (!folder) return undefined;
    await writeProjectNpmrc(folder, { endpoints: cur.endpoints, namespace: cur.namespace, domain: cur.domain, repository: cur.repository });
    log.info(`Wrote ${folder}/.npmrc (token as \${CODEARTIFACT_AUTH_TOKEN})`);
    return `${folder}/.npmrc`;
  });
}
