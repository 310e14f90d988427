// The logged-in state: one or more CodeArtifact logins (domain/repository/namespace, tools, token, expiry), kept in
// SecretStorage, mirrored into every tool's user config file and into the terminal environment, each refreshed
// before it expires with the connection it was made with. Login, refresh and logout run as transactions over the
// secret and the files (src/core/login/loginStore.ts), so several windows never work from a stale record.
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CodeArtifact, type RepositoryRef } from '../core/aws/client';
import { resolveConnection, type ConnectionSettings } from '../core/aws/settings';
import { formatsOf, type LoginFormat, type ToolId } from '../core/tools';
import { loginEnvironment, type FileOutcome, type LoginInput } from '../core/login/loginPlan';
import { LoginTransactions, loginLabel, sameLogin, type LoginKey, type LogoutResult, type StoredLogin } from '../core/login/loginStore';
import { TokenScheduler, validateTokenDuration, type Clock } from '../core/login/tokenSchedule';
import type { Connection } from '../connection';
import { swiftProjectFolder } from './swiftProject';

export type { StoredLogin } from '../core/login/loginStore';

const SECRET_KEY = 'codeartifact.login';
/** Restored windows refresh a due token within this spread, not all in the same second. */
const STARTUP_JITTER_MS = 5_000;

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

const keyOf = (k: LoginKey) => JSON.stringify([k.domain, k.domainOwner ?? '', k.repository, k.namespace ?? '']);

export class LoginSession implements vscode.Disposable {
  private stored: StoredLogin[] = [];
  private readonly changed = new vscode.EventEmitter<StoredLogin | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly schedulers = new Map<string, TokenScheduler>();
  private readonly ticked = new vscode.EventEmitter<number>();
  /** Fires on every clock check (status bar countdown). */
  readonly onTick = this.ticked.event;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly tx: LoginTransactions;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly connection: Connection,
    private readonly log: vscode.LogOutputChannel,
    readonly clock: OffsetClock = new OffsetClock(),
  ) {
    context.environmentVariableCollection.persistent = false; // the token must not be written to VS Code's storage
    context.environmentVariableCollection.description = 'CodeArtifact token and endpoints (CODEARTIFACT_*)';
    const secrets = context.secrets;
    this.tx = new LoginTransactions(
      {
        get: () => Promise.resolve(secrets.get(SECRET_KEY)),
        store: (v) => Promise.resolve(secrets.store(SECRET_KEY, v)),
        delete: () => Promise.resolve(secrets.delete(SECRET_KEY)),
      },
      // Secret storage is per VS Code profile, and so is global storage: one lock for every window sharing the secret.
      {
        lockPath: join(context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : join(homedir(), '.codeartifact-vscode'), 'login-session'),
        files: {
          home: homedir(),
          env: process.env,
          // The open Swift project (its .swiftpm/configuration/registries.json), read at each login and logout.
          get swiftProject() {
            return swiftProjectFolder();
          },
        },
      },
    );
  }

  /** The login made last (the one a new command offers first); undefined when logged out. */
  get current(): StoredLogin | undefined {
    return this.stored.at(-1);
  }

  /** Every login, oldest first. */
  get logins(): readonly StoredLogin[] {
    return this.stored;
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('codeartifact');
  }

  private refreshMinutes(): number {
    return this.config().get<number>('refreshMinutesBeforeExpiry', 30);
  }

  /** Restores the logins kept in SecretStorage (no network) and re-fills the terminal environment. */
  async restore(): Promise<void> {
    // Another window that logs in, refreshes or logs out changes the secret: follow it.
    this.context.subscriptions.push(
      this.context.secrets.onDidChange((e) => {
        if (e.key !== SECRET_KEY) return;
        this.serial(() => this.syncFromSecrets()).catch((err: unknown) => this.log.warn(`Could not read the stored CodeArtifact login: ${(err as Error).message}`));
      }),
    );
    await this.serial(() => this.syncFromSecrets());
    // After a restart (or a long sleep) a token may already be due. Every restored window would see that at the
    // same moment: each waits a random while, and the transaction lets the first one refresh and the rest adopt it.
    if (this.stored.length) setTimeout(() => void this.checkNow(), Math.random() * STARTUP_JITTER_MS).unref?.();
  }

  private async readStored(): Promise<StoredLogin[]> {
    try {
      return await this.tx.read();
    } catch {
      this.log.warn('The stored CodeArtifact login could not be read; log in again.');
      return [];
    }
  }

  /** Makes this window's state (environment, schedules, status bar) match the stored logins. */
  private async syncFromSecrets(): Promise<StoredLogin[]> {
    const stored = await this.readStored();
    const same = stored.length === this.stored.length && stored.every((l, i) => sameLogin(l, this.stored[i]) && l.token === this.stored[i].token);
    if (same) return this.stored;
    this.stored = stored;
    this.applyEnvironment();
    this.startSchedulers();
    this.changed.fire(this.current);
    return stored;
  }

  /** One login/refresh/logout at a time in this window; the transactions are also locked across windows. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  login(req: LoginRequest): Promise<LoginResult> {
    return this.serial(async () => {
      const next = await this.prepare(req, undefined);
      const result = await this.tx.login(next.login, next.input);
      await this.syncFromSecrets();
      this.report(result.outcomes);
      return result;
    });
  }

  /** Refreshes one login (the current one when no key is given); skipped when another window already did. */
  refresh(key: LoginKey | undefined = this.current): Promise<StoredLogin> {
    return this.serial(async () => {
      const known = key && this.stored.find((l) => sameLogin(l, key));
      if (!known) throw new Error('Not logged in to CodeArtifact.');
      const r = await this.tx.refresh(known, known.token, (cur) => this.prepare(cur, cur.connection));
      await this.syncFromSecrets();
      if (r.status === 'loggedOut') throw new Error(`Not logged in to CodeArtifact ${loginLabel(known)} any more (logged out in another window).`);
      this.report(r.outcomes);
      if (r.status === 'refreshed') this.log.info(`Refreshed the CodeArtifact token for ${loginLabel(known)}; it expires ${new Date(r.login.expiresAt).toISOString()}`);
      else this.log.info(`The CodeArtifact token for ${loginLabel(known)} was already refreshed by another window`);
      return r.login;
    });
  }

  /** Logs out of one login, or of all; files that could not be cleaned stay recorded for the next logout. */
  logout(key?: LoginKey): Promise<LogoutResult> {
    return this.serial(async () => {
      const result = await this.tx.logout(key);
      await this.syncFromSecrets();
      const what = key ? loginLabel(key) : 'CodeArtifact';
      if (result.kept.length) {
        this.log.warn(
          `Logged out of ${what}, but ${result.kept.flatMap((l) => l.record.files.map((f) => f.record.file)).join(', ')} still hold a token; Log Out again retries them`,
        );
      } else this.log.info(`Logged out of ${what}`);
      return result;
    });
  }

  private durationSeconds(requested?: number): number | undefined {
    const seconds = requested ?? this.config().get<number>('tokenDurationSeconds', 0);
    const problem = validateTokenDuration(seconds);
    if (problem) throw new Error(`codeartifact.tokenDurationSeconds: ${problem}`);
    return seconds || undefined;
  }

  /** The network part of a login: a token and the endpoints, through the connection the login is made with. */
  private async prepare(req: LoginRequest, madeWith: ConnectionSettings | undefined): Promise<{ login: Omit<StoredLogin, 'record'>; input: LoginInput }> {
    if (req.tools.length === 0) throw new Error('Choose at least one tool to log in.');
    const connection = madeWith ?? this.connection.settings();
    // A refresh goes where the login went, even if the explorer now points elsewhere.
    const ca = madeWith ? new CodeArtifact(await resolveConnection(madeWith)) : await this.connection.client();
    try {
      return await this.fetchToken(ca, req, connection);
    } finally {
      if (madeWith) ca.dispose();
    }
  }

  private async fetchToken(ca: CodeArtifact, req: LoginRequest, connection: ConnectionSettings): Promise<{ login: Omit<StoredLogin, 'record'>; input: LoginInput }> {
    const durationSeconds = this.durationSeconds(req.durationSeconds);
    const issuedAt = this.clock.now();
    const endpoints: Partial<Record<LoginFormat, string>> = {};
    // The token and the endpoints do not depend on each other: one round trip for all of them.
    const [{ token, expiration }] = await Promise.all([
      ca.getAuthorizationToken(req, durationSeconds),
      Promise.all(formatsOf(req.tools).map(async (f) => (endpoints[f] = await ca.getRepositoryEndpoint(req, f)))),
    ]);
    const c = this.config();
    // pip has one index: a second repository logged in for pip goes in as an extra index beside the first.
    const otherPip = this.stored.some((l) => !sameLogin(l, req) && l.tools.includes('pip'));
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
        pipUseExtraIndexUrl: c.get<boolean>('pip.useExtraIndexUrl', false) || otherPip,
        mavenMirrorCentral: c.get<boolean>('maven.mirrorCentral', false),
        yarnClassic: c.get<boolean>('yarn.writeNpmrc', false),
        pipCredentials: c.get<'url' | 'netrc'>('pip.credentials', 'url'),
        cargoReplaceCratesIo: c.get<boolean>('cargo.replaceCratesIo', false),
      },
    };
    const login: Omit<StoredLogin, 'record'> = {
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
      connection,
    };
    return { login, input };
  }

  private report(outcomes: FileOutcome[]): void {
    for (const o of outcomes) {
      if (o.ok) this.log.info(`${o.changed ? 'Updated' : 'Unchanged'} ${o.file} (${o.tools.join(', ') || o.target})`);
      else this.log.error(`Not changed: ${o.error}`);
      for (const w of o.warnings) this.log.warn(w);
    }
  }

  /** The terminal environment: every login's endpoints; the token and names of the newest login without a scope. */
  private applyEnvironment(): void {
    const env = this.context.environmentVariableCollection;
    env.clear();
    const primary = [...this.stored].reverse().find((l) => !l.namespace) ?? this.current;
    for (const l of [...this.stored.filter((x) => x !== primary), ...(primary ? [primary] : [])]) {
      for (const [k, v] of Object.entries(loginEnvironment(l))) env.replace(k, v);
    }
  }

  /** Applies a change of codeartifact.autoRefresh at once. */
  reschedule(): void {
    this.startSchedulers();
  }

  private startSchedulers(): void {
    const on = this.config().get<boolean>('autoRefresh', true);
    const wanted = new Set(on ? this.stored.map(keyOf) : []);
    for (const [k, s] of this.schedulers) {
      if (wanted.has(k)) continue;
      s.stop();
      this.schedulers.delete(k);
    }
    if (!on) return;
    for (const l of this.stored) {
      const k = keyOf(l);
      let s = this.schedulers.get(k);
      if (!s) {
        const key: LoginKey = { domain: l.domain, domainOwner: l.domainOwner, repository: l.repository, namespace: l.namespace };
        s = new TokenScheduler({
          clock: this.clock,
          refreshMinutesBeforeExpiry: () => this.refreshMinutes(),
          tickMs: 30_000,
          refresh: async () => {
            const r = await this.refresh(key);
            return { expiresAt: r.expiresAt, issuedAt: r.issuedAt };
          },
          onTick: (now) => this.ticked.fire(now),
          onError: (e) => this.log.warn(`Automatic token refresh of ${loginLabel(key)} failed: ${(e as Error).message ?? e}`),
        });
        this.schedulers.set(k, s);
      }
      s.start(l.expiresAt, l.issuedAt);
    }
  }

  /** One clock check now for every login (tests, and the window regaining focus after sleep). */
  async checkNow(): Promise<void> {
    if (!this.stored.length) return;
    if (!this.config().get<boolean>('autoRefresh', true)) {
      this.ticked.fire(this.clock.now());
      return;
    }
    // The autoRefresh change event can reach this window after the setting reads as on: start what is missing.
    if (this.stored.some((l) => !this.schedulers.has(keyOf(l)))) this.startSchedulers();
    await Promise.all([...this.schedulers.values()].map((s) => s.tick()));
  }

  dispose(): void {
    for (const s of this.schedulers.values()) s.stop();
    this.changed.dispose();
    this.ticked.dispose();
  }
}
