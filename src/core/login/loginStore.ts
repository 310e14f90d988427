// The logins kept in secret storage, and login / refresh / logout as one transaction across windows and
// processes: each holds one lock file around read-secret → revert → write files → store-secret, and re-reads
// the secret inside it, so a window never reverts or re-records against a stale copy of the record.
//
// Several logins live side by side (npm's default registry on one repository and `@corp` on another, Maven on
// two repositories): a login is identified by domain, owner, repository and npm namespace.
import type { ConnectionSettings } from '../aws/settings';
import type { LoginFormat, ToolId } from '../tools';
import { sleep } from '../backoff';
import { withFileLock } from './atomicFile';
import { applyLogin, removeLogin, type FileOutcome, type LoginContext, type LoginInput, type LoginRecord } from './loginPlan';

/** One login as secret storage holds it: the token, its expiry and the record of what was written (for logout). */
export interface StoredLogin {
  domain: string;
  domainOwner?: string;
  repository: string;
  namespace?: string;
  tools: ToolId[];
  durationSeconds?: number;
  endpoints: Partial<Record<LoginFormat, string>>;
  token: string;
  issuedAt: number;
  expiresAt: number;
  record: LoginRecord;
  /** The profile, region and endpoint the login was made with: refreshes use them, whatever the explorer shows. */
  connection?: ConnectionSettings;
}

/** Which login an operation is about. */
export interface LoginKey {
  domain: string;
  domainOwner?: string;
  repository: string;
  namespace?: string;
}

/** The one secret-storage entry (VS Code's SecretStorage in the extension, a file in tests). */
export interface SecretSlot {
  get(): Promise<string | undefined>;
  store(value: string): Promise<void>;
  delete(): Promise<void>;
}

export function sameLogin(a: LoginKey, b: LoginKey): boolean {
  return a.domain === b.domain && (a.domainOwner ?? '') === (b.domainOwner ?? '') && a.repository === b.repository && (a.namespace ?? '') === (b.namespace ?? '');
}

const NPM_FAMILY: readonly ToolId[] = ['npm', 'pnpm', 'yarn'];

/**
 * Whether a new login takes the place of an existing one: the same repository and namespace (a refresh or a
 * login again), or the same npm registry slot (the default registry, or one scope), which holds one repository.
 * Everything else (another scope, Maven or Gradle to another repository) goes beside it.
 */
export function replaces(existing: StoredLogin, incoming: LoginKey & { tools: readonly ToolId[] }): boolean {
  if (sameLogin(existing, incoming)) return true;
  const npm = (tools: readonly ToolId[]) => tools.some((t) => NPM_FAMILY.includes(t));
  return (existing.namespace ?? '') === (incoming.namespace ?? '') && npm(existing.tools) && npm(incoming.tools);
}

/** `acme/app`, `acme/app @corp`. */
export function loginLabel(k: LoginKey): string {
  return `${k.domain}/${k.repository}${k.namespace ? ` ${k.namespace}` : ''}`;
}

/**
 * The AWS account that owns the login's domain: the domain owner given, else the one in a repository endpoint
 * (`https://{domain}-{owner}.d.codeartifact…` on AWS, `/{format}/d/{domain}-{owner}/` on the emulator).
 */
export function accountOf(l: Pick<StoredLogin, 'domain' | 'domainOwner' | 'endpoints'>): string | undefined {
  if (l.domainOwner) return l.domainOwner;
  for (const url of Object.values(l.endpoints)) {
    const m = url ? new RegExp(`(?:^https?://|/d/)${l.domain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d{12})[./]`).exec(url) : null;
    if (m) return m[1];
  }
  return undefined;
}

/** Reads the stored logins: the current form `{version: 2, logins}`, or one login as earlier versions stored it. */
export function parseLogins(raw: string | undefined): StoredLogin[] {
  if (!raw) return [];
  const v = JSON.parse(raw) as { version?: number; logins?: StoredLogin[] } & Partial<StoredLogin>;
  if (v.version === 2 && Array.isArray(v.logins)) return v.logins;
  if (typeof v.token === 'string' && v.record) return [v as StoredLogin];
  throw new Error('unrecognised shape');
}

const RETRY_AFTER_MS = 500;

/** `l` with only the files whose revert failed in `outcomes` (what a later logout still has to clean). */
function onlyFiles(l: StoredLogin, outcomes: FileOutcome[]): StoredLogin {
  const bad = new Set(outcomes.filter((o) => !o.ok).map((o) => o.file));
  return { ...l, record: { ...l.record, files: l.record.files.filter((f) => bad.has(f.record.file)) } };
}

export interface TransactionOptions {
  /** The lock guarding the secret and every file it records (one per VS Code profile). */
  lockPath: string;
  files: LoginContext;
  /** How long a window waits for another one's login or logout (default 60 s). */
  timeoutMs?: number;
}

export interface LogoutResult {
  outcomes: FileOutcome[];
  /** Logins kept because a file could not be reverted: the record still names what each file holds. */
  kept: StoredLogin[];
}

export type RefreshResult = { status: 'refreshed' | 'alreadyRefreshed'; login: StoredLogin; outcomes: FileOutcome[] } | { status: 'loggedOut' };

/** The serialised transactions over one secret slot and the user-level files. */
export class LoginTransactions {
  constructor(
    private readonly slot: SecretSlot,
    private readonly o: TransactionOptions,
  ) {}

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withFileLock(this.o.lockPath, fn, { timeoutMs: this.o.timeoutMs ?? 60_000 });
  }

  async read(): Promise<StoredLogin[]> {
    return parseLogins(await this.slot.get());
  }

  private async write(logins: StoredLogin[]): Promise<void> {
    if (logins.length === 0) await this.slot.delete();
    else await this.slot.store(JSON.stringify({ version: 2, logins }));
  }

  /**
   * Writes the files for a new token (login, or a refresh that is still due) and stores the login beside the others.
   * A login it replaces (the same one, or the one holding the same npm registry slot) is reverted in the same write.
   */
  private async commit(logins: StoredLogin[], login: Omit<StoredLogin, 'record'>, input: LoginInput): Promise<{ login: StoredLogin; outcomes: FileOutcome[] }> {
    const replaced = logins.filter((l) => replaces(l, login));
    const prior = replaced.find((l) => sameLogin(l, login)) ?? replaced.at(-1);
    const leftover: StoredLogin[] = [];
    for (const extra of replaced.filter((l) => l !== prior).reverse()) {
      const failed = new Set((await removeLogin(extra.record, this.o.files)).filter((o) => !o.ok).map((o) => o.file));
      if (failed.size) leftover.push({ ...extra, record: { ...extra.record, files: extra.record.files.filter((f) => failed.has(f.record.file)) } });
    }
    const { record, outcomes } = await applyLogin(input, this.o.files, prior?.record);
    const stored: StoredLogin = { ...login, record };
    await this.write([...logins.filter((l) => !replaced.includes(l)), ...leftover, stored]);
    return { login: stored, outcomes };
  }

  /** Login (new, or again to the same repository and namespace, which replaces that one's entries). */
  login(login: Omit<StoredLogin, 'record'>, input: LoginInput): Promise<{ login: StoredLogin; outcomes: FileOutcome[] }> {
    return this.locked(async () => this.commit(await this.read(), login, input));
  }

  /**
   * Refresh of the login this window knows with token `seenToken`: `fresh` (the network part) runs outside the lock
   * and only when the stored login still has that token; a window that finds it already replaced (another window
   * refreshed or logged in again) or gone (logged out) takes what is stored and writes nothing.
   */
  async refresh(key: LoginKey, seenToken: string, fresh: (cur: StoredLogin) => Promise<{ login: Omit<StoredLogin, 'record'>; input: LoginInput }>): Promise<RefreshResult> {
    const check = (logins: StoredLogin[]): RefreshResult | StoredLogin => {
      const cur = logins.find((l) => sameLogin(l, key));
      if (!cur) return { status: 'loggedOut' };
      if (cur.token !== seenToken) return { status: 'alreadyRefreshed', login: cur, outcomes: [] };
      return cur;
    };
    const first = check(await this.read());
    if ('status' in first) return first;
    const next = await fresh(first);
    return this.locked(async () => {
      const logins = await this.read();
      const cur = check(logins);
      if ('status' in cur) return cur;
      return { status: 'refreshed' as const, ...(await this.commit(logins, next.login, next.input)) };
    });
  }

  /**
   * Logout of one login (`key`) or all: each file is reverted first; a login leaves the secret only once every file
   * it recorded is clean, so what failed (invalid file, lock timeout, no permission) is retried by the next logout.
   */
  logout(key?: LoginKey): Promise<LogoutResult> {
    return this.locked(async () => {
      const logins = await this.read();
      const outcomes: FileOutcome[] = [];
      const after = new Map<StoredLogin, StoredLogin | undefined>();
      // Newest first: a later login that replaced an earlier one's value (npm's default registry) puts it back.
      for (const l of [...logins].reverse()) {
        if (key && !sameLogin(l, key)) continue;
        let res = await removeLogin(l.record, this.o.files);
        // A file busy a moment ago (another program's lock) often is not a moment later: one more try.
        if (res.some((o) => !o.ok)) {
          await sleep(RETRY_AFTER_MS);
          res = [...res.filter((o) => o.ok), ...(await removeLogin(onlyFiles(l, res).record, this.o.files))];
        }
        outcomes.push(...res);
        after.set(l, res.some((o) => !o.ok) ? onlyFiles(l, res) : undefined);
      }
      const remaining = logins.flatMap((l) => (after.has(l) ? (after.get(l) ?? []) : [l]));
      await this.write(remaining);
      const kept = [...after.values()].filter((l): l is StoredLogin => l !== undefined);
      return { outcomes, kept };
    });
  }
}
