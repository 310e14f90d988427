// The logged-in state: one CodeArtifact login at a time (domain/repository, tools, token, expiry), kept in
// SecretStorage, mirrored into every tool's user config file and into the terminal environment, refreshed
// before it expires. Files and environment are always updated together.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { CodeArtifact, type RepositoryRef } from '../core/aws/client';
import { resolveConnection, type ConnectionSettings } from '../core/aws/settings';
import type { ToolFormat } from '../core/coordinates';
import { formatsOf, type ToolId } from '../core/tools';
import { applyLogin, loginEnvironment, removeLogin, type FileOutcome, type LoginInput, type LoginRecord } from '../core/login/loginPlan';
import { TokenScheduler, validateTokenDuration, type Clock } from '../core/login/tokenSchedule';
import type { Connection } from '../connection';

const SECRET_KEY = 'codeartifact.login';

/** What SecretStorage holds: the token, its expiry and the record of what was written (for logout). */
export interface StoredLogin {
  domain: string;
  domainOwner?: string;
  repository: string;
  namespace?: string;
  tools: ToolId[];
  durationSeconds?: number;
  endpoints: Partial<Record<ToolFormat, string>>;
  token: string;
  issuedAt: number;
  expiresAt: number;
  record: LoginRecord;
  /** The profile, region and endpoint the login was made with: refreshes use them, whatever the explorer shows. */
  connection?: ConnectionSettings;
}

export interface LoginRequest extends RepositoryRef {
  tools: ToolId[];
  namespace?: string;
  durationSeconds?: number;
}

export interface LoginResult {
  login: StoredLogin;
  outcomes: FileOutcome[];
}

/** The wall clock plus an offset the integration tests move (a "fake clock" over real timers). */
export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  setInterval(fn: () => void, ms: number): unknown {
    return setInterval(fn, ms);
  }
  clearInterval(handle: unknown): void {
    clearInterval(handle as NodeJS.Timeout);
  }
}

export class LoginSession implements vscode.Disposable {
  private currentLogin?: StoredLogin;
  private readonly changed = new vscode.EventEmitter<StoredLogin | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly scheduler: TokenScheduler;
  private readonly ticked = new vscode.EventEmitter<number>();
  /** Fires on every clock check (status bar countdown). */
  readonly onTick = this.ticked.event;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly connection: Connection,
    private readonly log: vscode.LogOutputChannel,
    readonly clock: OffsetClock = new OffsetClock(),
  ) {
    context.environmentVariableCollection.persistent = false; // the token must not be written to VS Code's storage
    context.environmentVariableCollection.description = 'CodeArtifact token and endpoints (CODEARTIFACT_*)';
    this.scheduler = new TokenScheduler({
      clock,
      refreshMinutesBeforeExpiry: () => this.refreshMinutes(),
      tickMs: 30_000,
      refresh: async () => {
        const l = await this.refresh();
        return { expiresAt: l.expiresAt, issuedAt: l.issuedAt };
      },
      onTick: (now) => this.ticked.fire(now),
      onError: (e) => this.log.warn(`Automatic token refresh failed: ${(e as Error).message ?? e}`),
    });
  }

  get current(): StoredLogin | undefined {
    return this.currentLogin;
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('codeartifact');
  }

  private refreshMinutes(): number {
    return this.config().get<number>('refreshMinutesBeforeExpiry', 30);
  }

  /** Restores the login kept in SecretStorage (no network) and re-fills the terminal environment. */
  async restore(): Promise<void> {
    // Another window that logs in, refreshes or logs out changes the secret: follow it.
    this.context.subscriptions.push(
      this.context.secrets.onDidChange((e) => {
        if (e.key !== SECRET_KEY) return;
        this.serial(() => this.syncFromSecrets()).catch((err: unknown) => this.log.warn(`Could not read the stored CodeArtifact login: ${(err as Error).message}`));
      }),
    );
    await this.serial(() => this.syncFromSecrets());
    // After a restart (or a long sleep) the token may already be due: the first tick refreshes it.
    if (this.currentLogin) void this.scheduler.tick();
  }

  private async readStored(): Promise<StoredLogin | undefined> {
    const raw = await this.context.secrets.get(SECRET_KEY);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as StoredLogin;
    } catch {
      this.log.warn('The stored CodeArtifact login could not be read; log in again.');
      return undefined;
    }
  }

  /** Makes this window's state (environment, schedule, status bar) match the stored login. */
  private async syncFromSecrets(): Promise<StoredLogin | undefined> {
    const stored = await this.readStored();
    if (stored?.token === this.currentLogin?.token) return this.currentLogin;
    this.currentLogin = stored;
    if (stored) {
      this.applyEnvironment(stored);
      this.startScheduler();
    } else {
      this.scheduler.stop();
      this.context.environmentVariableCollection.clear();
    }
    this.changed.fire(stored);
    return stored;
  }

  /** One login/refresh/logout at a time in this window; files are additionally locked across windows. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  login(req: LoginRequest): Promise<LoginResult> {
    return this.serial(() => this.doLogin(req, this.currentLogin?.record));
  }

  refresh(): Promise<StoredLogin> {
    return this.serial(async () => {
      const before = this.currentLogin?.token;
      // Another window may have logged out, switched or refreshed already: then there is nothing to do here.
      const cur = await this.syncFromSecrets();
      if (!cur) throw new Error('Not logged in to CodeArtifact.');
      if (cur.token !== before) return cur;
      const { login } = await this.doLogin(
        { domain: cur.domain, domainOwner: cur.domainOwner, repository: cur.repository, tools: cur.tools, namespace: cur.namespace, durationSeconds: cur.durationSeconds },
        cur.record,
        cur.connection,
      );
      this.log.info(`Refreshed the CodeArtifact token for ${cur.domain}/${cur.repository}; it expires ${new Date(login.expiresAt).toISOString()}`);
      return login;
    });
  }

  logout(): Promise<FileOutcome[]> {
    return this.serial(async () => {
      const cur = this.currentLogin;
      this.scheduler.stop();
      this.context.environmentVariableCollection.clear();
      this.currentLogin = undefined;
      await this.context.secrets.delete(SECRET_KEY);
      const outcomes = cur ? await removeLogin(cur.record, this.loginContext()) : [];
      this.changed.fire(undefined);
      this.log.info(cur ? `Logged out of ${cur.domain}/${cur.repository}` : 'Logged out');
      return outcomes;
    });
  }

  private loginContext() {
    return { home: homedir(), env: process.env };
  }

  private durationSeconds(requested?: number): number | undefined {
    const seconds = requested ?? this.config().get<number>('tokenDurationSeconds', 0);
    const problem = validateTokenDuration(seconds);
    if (problem) throw new Error(`codeartifact.tokenDurationSeconds: ${problem}`);
    return seconds || undefined;
  }

  private async doLogin(req: LoginRequest, prior: LoginRecord | undefined, madeWith?: ConnectionSettings): Promise<LoginResult> {
    if (req.tools.length === 0) throw new Error('Choose at least one tool to log in.');
    const connection = madeWith ?? this.connection.settings();
    // A refresh goes where the login went, even if the explorer now points elsewhere.
    const ca = madeWith ? new CodeArtifact(await resolveConnection(madeWith)) : await this.connection.client();
    try {
      return await this.loginWith(ca, req, prior, connection);
    } finally {
      if (madeWith) ca.dispose();
    }
  }

  private async loginWith(ca: CodeArtifact, req: LoginRequest, prior: LoginRecord | undefined, connection: ConnectionSettings): Promise<LoginResult> {
    const durationSeconds = this.durationSeconds(req.durationSeconds);
    const issuedAt = this.clock.now();
    const endpoints: Partial<Record<ToolFormat, string>> = {};
    // The token and the endpoints do not depend on each other: one round trip for all of them.
    const [{ token, expiration }] = await Promise.all([
      ca.getAuthorizationToken(req, durationSeconds),
      Promise.all(formatsOf(req.tools).map(async (f) => (endpoints[f] = await ca.getRepositoryEndpoint(req, f)))),
    ]);
    const c = this.config();
    const input: LoginInput = {
      domain: req.domain,
      domainOwner: req.domainOwner,
      repository: req.repository,
      endpoints,
      token,
      expiresAt: expiration.getTime(),
      namespace: req.namespace,
      tools: req.tools,
      options: {
        pipUseExtraIndexUrl: c.get<boolean>('pip.useExtraIndexUrl', false),
        mavenMirrorCentral: c.get<boolean>('maven.mirrorCentral', false),
        yarnClassic: c.get<boolean>('yarn.writeNpmrc', false),
      },
    };
    const { record, outcomes } = await applyLogin(input, this.loginContext(), prior);
    const login: StoredLogin = {
      domain: req.domain,
      domainOwner: req.domainOwner,
      repository: req.repository,
      namespace: req.namespace,
      tools: req.tools,
      durationSeconds: req.durationSeconds,
      endpoints,
      token,
      issuedAt,
      expiresAt: expiration.getTime(),
      record,
      connection,
    };
    await this.context.secrets.store(SECRET_KEY, JSON.stringify(login));
    this.currentLogin = login;
    this.applyEnvironment(login);
    this.startScheduler();
    this.changed.fire(login);
    for (const o of outcomes) {
      if (o.ok) this.log.info(`${o.changed ? 'Updated' : 'Unchanged'} ${o.file} (${o.tools.join(', ') || o.target})`);
      else this.log.error(`Not changed: ${o.error}`);
      for (const w of o.warnings) this.log.warn(w);
    }
    return { login, outcomes };
  }

  private applyEnvironment(login: StoredLogin): void {
    const env = this.context.environmentVariableCollection;
    env.clear();
    for (const [k, v] of Object.entries(loginEnvironment(login))) env.replace(k, v);
  }

  /** Applies a change of codeartifact.autoRefresh at once. */
  reschedule(): void {
    this.startScheduler();
  }

  private startScheduler(): void {
    if (!this.config().get<boolean>('autoRefresh', true) || !this.currentLogin) {
      this.scheduler.stop();
      return;
    }
    this.scheduler.start(this.currentLogin.expiresAt, this.currentLogin.issuedAt);
  }

  /** One clock check now (tests, and the window regaining focus after sleep). */
  checkNow(): Promise<void> {
    if (!this.currentLogin) return Promise.resolve();
    if (!this.config().get<boolean>('autoRefresh', true)) {
      this.ticked.fire(this.clock.now());
      return Promise.resolve();
    }
    return this.scheduler.tick();
  }

  dispose(): void {
    this.scheduler.stop();
    this.changed.dispose();
    this.ticked.dispose();
  }
}
