// codeartifact.installWithRetry inside real VS Code, with the emulator's ingestion slower than its timeout (so the
// first requests get "Ingestion is in progress" 404s, as on AWS): npm and Maven projects end green with no user
// action; a package missing upstream and a BLOCK-restricted one are named and not retried; cancelling kills the tree.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CodeArtifactApi } from '../../../src/extension';
import type { ExplorerNode } from '../../../src/explorer/nodes';
import type { InstallRunResult } from '../../../src/install/installCommand';
import { activatedExtension, emulatorAdmin, freshRepository, loggedIn, loggedOut, resetSettings, waitFor } from '../helpers';

let api: CodeArtifactApi;
const dirs: string[] = [];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'install-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
function npmProject(deps: Record<string, string>): string {
  return project({ 'package.json': JSON.stringify({ name: 'demo', version: '1.0.0', private: true, dependencies: deps }, null, 2) });
}
function install(folder: string, extra: Record<string, unknown> = {}): Thenable<InstallRunResult> {
  return vscode.commands.executeCommand<InstallRunResult>('codeartifact.installWithRetry', { folder, maxWaitSeconds: 120, ...extra });
}
function label(n: ExplorerNode): string {
  const l = api.explorer.getTreeItem(n).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}
async function versionRows(domain: string, repository: string, pkg: string): Promise<string[]> {
  api.explorer.refresh();
  const d = (await api.explorer.getChildren()).find((n) => label(n) === domain);
  assert.ok(d, `domain ${domain} is not listed`);
  const repo = (await api.explorer.getChildren(d)).find((n) => label(n) === repository)!;
  const packages = (await api.explorer.getChildren(repo)).find((n) => n.kind === 'packages')!;
  const p = (await api.explorer.getChildren(packages)).find((n) => label(n) === pkg);
  assert.ok(p, `${pkg} is not listed in ${repository}`);
  return (await api.explorer.getChildren(p)).map((v) => `${label(v)} ${api.explorer.getTreeItem(v).description}`);
}
/** Processes (pid, argv) whose working directory is under `dir`. */
function processesIn(dir: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) out.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')}`);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

suite('install with retry', function () {
  this.timeout(240_000);

  suiteSetup(async () => {
    api = (await activatedExtension<CodeArtifactApi>()).exports;
    await resetSettings();
    // Ingestion takes longer than a request may wait: every first fetch of a public package is a 404.
    await emulatorAdmin('settings', { ingestionDelayMs: 2500, ingestionTimeoutMs: 300 });
  });
  suiteTeardown(async () => {
    await emulatorAdmin('settings', { ingestionDelayMs: 2000, ingestionTimeoutMs: 40000 });
    await loggedOut();
    await resetSettings();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  // Each test logs in to what it needs, in a domain of its own when it needs packages to be ingested there.
  setup(() => resetSettings());

  test('an npm project ends green with no user action; the tree then shows the ingested versions as EXTERNAL', async () => {
    const { domain, repository } = await freshRepository(['public:npmjs']);
    await loggedIn({ domain, repository, tools: ['npm'] });
    const dir = npmProject({ 'pad-utils': '2.0.0' });
    const r = await install(dir, { prewarm: false });
    assert.equal(r.outcome, 'success', r.message);
    assert.ok(r.attempts >= 2, `expected at least one retry, got ${r.attempts} attempt(s)`);
    assert.ok(
      r.packagesAwaited.some((p) => p.name === 'pad-utils'),
      JSON.stringify(r.packagesAwaited),
    );
    assert.ok(existsSync(join(dir, 'node_modules', 'left-pad', 'package.json')));
    const rows = await versionRows(domain, repository, 'pad-utils');
    assert.ok(
      rows.some((v) => /^2\.0\.0 .*EXTERNAL via public:npmjs/.test(v)),
      rows.join('\n'),
    );
    const store = await versionRows(domain, 'npmjs-store', 'left-pad');
    assert.ok(
      store.some((v) => /EXTERNAL via public:npmjs/.test(v)),
      store.join('\n'),
    );
  });

  test('pre-warm reads package-lock.json and readies the whole tree before one install', async () => {
    // A real lockfile for pad-utils' tree, made by npm in one repository...
    const first = await freshRepository(['public:npmjs']);
    await loggedIn({ ...first, tools: ['npm'] });
    const maker = npmProject({ 'pad-utils': '2.0.0' });
    const made = await install(maker, { prewarm: false });
    assert.equal(made.outcome, 'success', made.message);
    const lock = readFileSync(join(maker, 'package-lock.json'), 'utf8');
    // ...installed in another domain whose store has never seen these packages, so each must be ingested there.
    const second = await freshRepository(['public:npmjs']);
    await loggedIn({ ...second, tools: ['npm'] });
    const from = `/npm/d/${first.domain}-111122223333/${first.repository}/`;
    assert.ok(lock.includes(from), `the lockfile resolves through ${from}`);
    const dir = project({
      'package.json': readFileSync(join(maker, 'package.json'), 'utf8'),
      'package-lock.json': lock.split(from).join(`/npm/d/${second.domain}-111122223333/${second.repository}/`),
    });
    const r = await install(dir, { prewarm: true });
    assert.equal(r.outcome, 'success', r.message);
    assert.ok(r.prewarm, 'pre-warm ran');
    assert.equal(r.prewarm!.total, 4, JSON.stringify(r.prewarm));
    assert.equal(r.prewarm!.ready, 4);
    assert.equal(r.attempts, 1, 'one install run after pre-warm');
  });

  test('a Maven project ends green with no user action', async () => {
    // Every Maven download, plugins included, goes through the repository.
    await vscode.workspace.getConfiguration('codeartifact').update('maven.mirrorCentral', true, vscode.ConfigurationTarget.Global);
    const { domain, repository } = await freshRepository(['public:maven-central']);
    await loggedIn({ domain, repository, tools: ['maven'] });
    await vscode.workspace
      .getConfiguration('codeartifact')
      .update('install.commands', { maven: `mvn -B -U -Duser.home=${homedir()} org.example.emulator:resolve-maven-plugin:1.0.0:resolve` }, vscode.ConfigurationTarget.Global);
    const dir = project({
      'pom.xml': `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>com.acme</groupId><artifactId>svc</artifactId><version>1.0.0</version><packaging>pom</packaging>
<properties><greeter.version>1.0.0</greeter.version></properties>
<dependencies><dependency><groupId>org.example</groupId><artifactId>greeter</artifactId><version>\${greeter.version}</version></dependency></dependencies>
</project>\n`,
    });
    const r = await install(dir, { prewarm: false });
    assert.equal(r.outcome, 'success', r.message);
    assert.ok(r.attempts >= 2, `expected ingestion retries, got ${r.attempts}`);
    const rows = await versionRows(domain, repository, 'org.example:greeter');
    assert.ok(
      rows.some((v) => /^1\.0\.0 .*EXTERNAL via public:maven-central/.test(v)),
      rows.join('\n'),
    );
  });

  test('a package missing upstream ends at once with a message naming it', async () => {
    await loggedIn({ domain: 'corp', repository: 'team', tools: ['npm'] });
    const dir = npmProject({ 'no-such-package-anywhere': '1.0.0' });
    const started = Date.now();
    const r = await install(dir, { prewarm: false });
    assert.equal(r.outcome, 'not-found', r.message);
    assert.match(r.message, /no-such-package-anywhere/);
    assert.equal(r.attempts, 1);
    assert.ok(Date.now() - started < 60_000);
  });

  test('a BLOCK-restricted package is named and not retried', async () => {
    await loggedIn({ domain: 'corp', repository: 'locked', tools: ['npm'] });
    const dir = npmProject({ 'is-odd': '1.1.0' });
    const r = await install(dir, { prewarm: false });
    assert.equal(r.outcome, 'blocked', r.message);
    assert.match(r.message, /is-odd/);
    assert.match(r.message, /BLOCK/);
    assert.equal(r.attempts, 1);
  });

  test('closing the install terminal cancels the run and leaves no npm process behind', async () => {
    await emulatorAdmin('settings', { ingestionDelayMs: 60_000, ingestionTimeoutMs: 300 });
    try {
      await loggedIn({ ...(await freshRepository(['public:npmjs'])), tools: ['npm'] });
      const dir = npmProject({ 'tree-node-000': '*' });
      const earlier = new Set(vscode.window.terminals);
      const running = install(dir, { prewarm: false });
      const term = await waitFor(() => vscode.window.terminals.find((t) => !earlier.has(t) && t.name.startsWith('CodeArtifact:')), 'the install terminal');
      await waitFor(() => processesIn(dir).length > 0 || undefined, 'npm to start', 30_000);
      term.dispose();
      const r = await running;
      assert.equal(r.outcome, 'cancelled');
      await waitFor(() => processesIn(dir).length === 0, `no process left in ${dir}: ${processesIn(dir).join('; ')}`, 10_000);
      if (existsSync(join(dir, 'package-lock.json'))) JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
    } finally {
      await emulatorAdmin('settings', { ingestionDelayMs: 2500, ingestionTimeoutMs: 300 });
    }
  });
});
