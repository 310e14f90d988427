// codeartifact.login / codeartifact.logout / codeartifact.refreshToken / codeartifact.createProjectNpmrc.
import * as vscode from 'vscode';
import type { RepositoryRef } from '../core/aws/client';
import { detectTools, mergeDetections, TOOL_IDS, type Detection, type ToolId } from '../core/tools';
import { writeProjectNpmrc, type FileOutcome } from '../core/login/loginPlan';
import { accountOf, loginLabel, sameLogin, type LogoutResult } from '../core/login/loginStore';
import { formatRemaining } from '../core/login/tokenSchedule';
import type { Connection } from '../connection';
import type { CommandContext, CommandRegistry } from '../commands/registry';
import { UserError } from '../commands/ui';
import type { ExplorerNode } from '../explorer/nodes';
import type { LoginSession } from './session';

/** The argument object (the scripted answers) this command takes. */
interface LoginArgs {
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
  poetry: 'Poetry (config.toml; token in the terminal environment)',
  uv: 'uv (uv.toml; token in the terminal environment)',
  maven: 'Maven (~/.m2/settings.xml)',
  gradle: 'Gradle (init script in ~/.gradle/init.d)',
  nuget: 'NuGet (user NuGet.Config)',
  dotnet: 'dotnet (user NuGet.Config)',
  swift: 'Swift (registries.json, ~/.netrc)',
  cargo: 'Cargo (~/.cargo/config.toml; token in the terminal environment)',
  gem: 'gem push (gem credentials)',
  bundler: 'Bundler (token in the terminal environment)',
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

export function registerLoginCommands(commands: CommandRegistry, connection: Connection, session: LoginSession): void {
  commands.register('codeartifact.login', (ctx, node) => login(connection, session, ctx, node));

  commands.register('codeartifact.refreshToken', async () => {
    if (!session.current) throw new UserError('Not logged in to CodeArtifact. Run "CodeArtifact: Log In".');
    const refreshed = [];
    for (const l of [...session.logins]) refreshed.push(await session.refresh(l));
    return { expiresAt: Math.min(...refreshed.map((l) => l.expiresAt)) };
  });

  commands.register('codeartifact.logout', async ({ ui }) => {
    // {domain, domainOwner?, repository, namespace?}: that login only. Nothing: every login, confirmed when several.
    const domain = ui.given<string>('domain');
    const repository = ui.given<string>('repository');
    if (domain !== undefined || repository !== undefined) {
      if (typeof domain !== 'string' || typeof repository !== 'string') {
        throw new UserError('codeartifact.logout takes "domain" and "repository" together (and optionally "domainOwner", "namespace").');
      }
      const key = { domain, repository, domainOwner: ui.given<string>('domainOwner') || undefined, namespace: ui.given<string>('namespace') || undefined };
      if (!session.logins.some((l) => sameLogin(l, key))) {
        throw new UserError(`Not logged in to ${loginLabel(key)}; logged in: ${session.logins.map(loginLabel).join(', ') || 'none'}.`);
      }
      return logoutReport(ui, await session.logout(key));
    }
    if (session.logins.length > 1) {
      await ui.confirm(undefined, {
        message: `Log out of all ${session.logins.length} CodeArtifact logins (${session.logins.map(loginLabel).join(', ')})?`,
        action: 'Log Out of All',
        scriptedConsent: true,
        refused: 'codeartifact.logout: confirm logging out of every login.',
      });
    }
    return logoutReport(ui, await session.logout());
  });

  commands.register('codeartifact.createProjectNpmrc', async ({ ui, log }) => {
    const cur = session.current;
    if (!cur?.endpoints.npm) throw new UserError('Log in for npm first: the project .npmrc uses the npm endpoint of the current login.');
    const folder = await ui.folder({ placeHolder: 'Write .npmrc into which folder?', folders: workspaceFolderPaths() });
    await writeProjectNpmrc(folder, { endpoints: cur.endpoints, namespace: cur.namespace, domain: cur.domain, repository: cur.repository });
    log.info(`Wrote ${folder}/.npmrc (token as \${CODEARTIFACT_AUTH_TOKEN})`);
    return `${folder}/.npmrc`;
  });
}

/** Says which file still holds what when a file could not be cleaned (the next Log Out retries it). */
function logoutReport(ui: CommandContext['ui'], result: LogoutResult): { outcomes: FileOutcome[]; kept: string[] } {
  const failed = result.outcomes.filter((o) => !o.ok);
  const holds = (target: string) => (['npmrc', 'yarnrc', 'pipConf', 'pypirc'].includes(target) ? 'the token' : 'the repository entries');
  const still = result.kept.flatMap((l) => l.record.files.map((f) => `${f.record.file} (${holds(f.target)} of ${loginLabel(l)})`));
  if (failed.length) ui.warn(`Logged out, but these files still hold a CodeArtifact entry: ${still.join(', ')}. ${failed.map((o) => o.error).join('; ')}. Log Out again to retry.`);
  return { outcomes: result.outcomes, kept: still };
}

/** The local folders of the workspace. */
export function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

async function login(
  connection: Connection,
  session: LoginSession,
  { ui, log }: CommandContext,
  node: ExplorerNode | undefined,
): Promise<{ expiresAt: number; outcomes: FileOutcome[] }> {
  // A repository row, the argument object, or a choice: the workspace's repository and the current login first.
  const configured = configuredRepository();
  const suggestions = [
    ...(configured ? [{ ref: configured, description: 'from codeartifact.repository' }] : []),
    ...(session.current
      ? [{ ref: { domain: session.current.domain, domainOwner: session.current.domainOwner, repository: session.current.repository }, description: 'current login' }]
      : []),
  ];
  const ref: RepositoryRef =
    node?.kind === 'repository' ? node.ref : await ui.repository({ title: 'Log in to which CodeArtifact repository?', client: () => connection.client(), suggestions });
  // The detected tools are pre-checked (and are the answer when an argument object names none).
  const detection = await detectWorkspaceTools();
  const preselected = new Set<ToolId>(detection.tools.length || ui.scripted ? detection.tools : (session.current?.tools ?? []));
  const tools = await ui.pickMany(
    'tools',
    TOOL_IDS.map((t) => ({
      label: t,
      description: TOOL_LABELS[t],
      detail: detection.reasons[t] ? `detected: ${detection.reasons[t]!.join(', ')}` : undefined,
      picked: preselected.has(t),
      value: t,
    })),
    { title: `Configure which tools for ${ref.domain}/${ref.repository}?` },
  );
  if (tools.length === 0) throw new UserError('No npm, pnpm, Yarn, Python, Maven, Gradle, .NET, Swift, Cargo or Ruby project was detected; pass "tools".');
  const input = { ...ref, tools, namespace: ui.given<LoginArgs['namespace']>('namespace'), durationSeconds: ui.given<LoginArgs['durationSeconds']>('durationSeconds') };
  const result = ui.scripted
    ? await session.login(input)
    : await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Logging in to ${ref.domain}/${ref.repository}…` }, () => session.login(input));
  const failed = result.outcomes.filter((o) => !o.ok);
  const left = formatRemaining(result.login.expiresAt - session.clock.now());
  // Profile and region may come from the workspace's settings: say which credentials and account were used.
  const profile = result.login.connection?.profile ?? process.env.AWS_PROFILE;
  const who = `with ${profile ? `AWS profile "${profile}"` : 'the default AWS credentials'}, account ${accountOf(result.login) ?? '(the caller’s)'}`;
  if (failed.length) {
    ui.warn(`Logged in to ${loginLabel(result.login)} ${who} for ${tools.join(', ')} (${left}), but these files were left unchanged: ${failed.map((o) => o.error).join('; ')}`);
  } else {
    ui.info(`Logged in to ${loginLabel(result.login)} ${who} for ${tools.join(', ')}. The token is valid for ${left} and refreshes automatically.`);
  }
  log.info(`Logged in to ${loginLabel(result.login)} ${who}`);
  return { expiresAt: result.login.expiresAt, outcomes: result.outcomes };
}
