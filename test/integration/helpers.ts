// Helpers for suite files running inside the extension host (import from '../helpers').
// The runner (scripts/integration/run.ts, test/electron/runTest.ts) starts the emulator with
// test/integration/seed.json and puts its URL in CODEARTIFACT_EMULATOR_URL.
import { AssociateExternalConnectionCommand, CodeartifactClient, CreateDomainCommand, CreateRepositoryCommand } from '@aws-sdk/client-codeartifact';
import * as vscode from 'vscode';
import type { CodeArtifactApi, LoginView } from '../../src/extension';

export const EXTENSION_ID = 'codeartifact-explorer.codeartifact-explorer';

export function emulatorUrl(): string {
  const url = process.env.CODEARTIFACT_EMULATOR_URL;
  if (!url) throw new Error('CODEARTIFACT_EMULATOR_URL is not set: run the suite through npm run test:integration or test:electron');
  return url;
}

/** The extension, activated; its `exports` is whatever activate() returns. */
export async function activatedExtension<T = unknown>(): Promise<vscode.Extension<T>> {
  const ext = vscode.extensions.getExtension<T>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  await ext.activate();
  return ext;
}

/** Call counts per operation (ListPackages, DescribeRepository, npm:packument, ...) since the last reset. */
export async function emulatorStats(): Promise<Record<string, number>> {
  const res = await fetch(`${emulatorUrl()}/_emulator/stats`);
  if (!res.ok) throw new Error(`GET /_emulator/stats: HTTP ${res.status}`);
  return ((await res.json()) as { stats: Record<string, number> }).stats;
}

export async function resetEmulatorStats(): Promise<void> {
  const res = await fetch(`${emulatorUrl()}/_emulator/stats/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`POST /_emulator/stats/reset: HTTP ${res.status}`);
}

/** POST /_emulator/settings (ingestionDelayMs, latencyMs, failRate, ...) or /_emulator/clock ({advanceSeconds}). */
export async function emulatorAdmin(route: 'settings' | 'clock', body: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`${emulatorUrl()}/_emulator/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST /_emulator/${route}: HTTP ${res.status}`);
  return res.json();
}

/** The settings the runner wrote to the user settings.json; resetSettings() returns to them. */
export function baselineSettings(): Record<string, unknown> {
  return { endpoint: emulatorUrl(), region: 'us-west-2' };
}

/**
 * Puts every `codeartifact.*` setting back to the runner's baseline at every level (user,
 * workspace, folder), so a test that changed profile/region/endpoint cannot leak into the next.
 * Call it in `setup`/`beforeEach` (or `teardown`) of suites that change settings.
 */
export async function resetSettings(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  const contributed = (ext?.packageJSON as { contributes?: { configuration?: unknown } } | undefined)?.contributes?.configuration;
  const sections = Array.isArray(contributed) ? contributed : contributed ? [contributed] : [];
  const keys = new Set<string>();
  for (const s of sections as { properties?: Record<string, unknown> }[]) {
    for (const k of Object.keys(s.properties ?? {})) if (k.startsWith('codeartifact.')) keys.add(k.slice('codeartifact.'.length));
  }
  const baseline = baselineSettings();
  for (const k of Object.keys(baseline)) keys.add(k);
  const config = vscode.workspace.getConfiguration('codeartifact');
  const hasFolder = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  for (const key of keys) {
    const inspected = config.inspect(key);
    if (hasFolder && inspected?.workspaceValue !== undefined) await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    if (hasFolder && inspected?.workspaceFolderValue !== undefined) await config.update(key, undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    const want = baseline[key];
    if (inspected?.globalValue !== want) await config.update(key, want, vscode.ConfigurationTarget.Global);
  }
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** What codeartifact.login takes as its argument object (tools: npm, pnpm, yarn, pip, twine, maven, gradle). */
export interface LoginArgs {
  domain: string;
  domainOwner?: string;
  repository: string;
  tools: string[];
  durationSeconds?: number;
}

/**
 * Logs in through the real command with these arguments and returns the stored login, so a test does not
 * depend on a login an earlier test made. Always a fresh login: a test that looks at the token gets its own.
 */
export async function loggedIn(args: LoginArgs): Promise<LoginView> {
  const api = (await activatedExtension<CodeArtifactApi>()).exports;
  await vscode.commands.executeCommand('codeartifact.login', args);
  const login = api.login.current();
  if (!login || login.domain !== args.domain || login.repository !== args.repository) throw new Error(`codeartifact.login ${args.domain}/${args.repository} left no such login`);
  return login;
}

/** Logs out through the real command when someone is logged in. */
export async function loggedOut(): Promise<void> {
  const api = (await activatedExtension<CodeArtifactApi>()).exports;
  if (api.login.current()) await vscode.commands.executeCommand('codeartifact.logout', {});
}

let freshCount = 0;

/**
 * A new domain in the emulator, made through the real SDK: one store repository per external connection
 * (`public:npmjs` -> `npmjs-store`) and `app` with those stores as upstreams. Nothing was ever ingested there,
 * so a test that needs a package to be ingested does not depend on which tests ran before it.
 */
export async function freshRepository(externalConnections: string[] = ['public:npmjs']): Promise<{ domain: string; repository: string }> {
  const sdk = new CodeartifactClient({ endpoint: emulatorUrl(), region: 'us-west-2', maxAttempts: 1 });
  try {
    const domain = `t${Date.now().toString(36)}-${++freshCount}`;
    await sdk.send(new CreateDomainCommand({ domain }));
    const stores: string[] = [];
    for (const external of externalConnections) {
      const store = `${external.replace(/^public:/, '')}-store`;
      await sdk.send(new CreateRepositoryCommand({ domain, repository: store }));
      await sdk.send(new AssociateExternalConnectionCommand({ domain, repository: store, externalConnection: external }));
      stores.push(store);
    }
    await sdk.send(new CreateRepositoryCommand({ domain, repository: 'app', upstreams: stores.map((repositoryName) => ({ repositoryName })) }));
    return { domain, repository: 'app' };
  } finally {
    sdk.destroy();
  }
}
