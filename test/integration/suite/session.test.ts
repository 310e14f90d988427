// Several logins at once and workspace settings that must not steer credentials, inside real VS Code against the
// emulator: npm's default registry on one repository and @corp on another both serve a real `npm install`, the
// status bar lists both, logging one out leaves the other byte for byte; a workspace endpoint has no effect.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CodeArtifactApi } from '../../../src/extension';
import { activatedExtension, emulatorUrl, freshRepository, loggedOut, resetSettings, waitFor } from '../helpers';

let api: CodeArtifactApi;
const npmrc = () => join(homedir(), '.npmrc');

/** npm as a user's terminal runs it: the extension's terminal environment, no npm_config_* from the runner. */
function npm(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  api.environment!.forEach((name, m) => (env[name] = m.value));
  for (const k of Object.keys(env)) if (k.startsWith('npm_config_')) delete env[k];
  return new Promise((resolve) => {
    const child = spawn('npm', [...args, '--no-audit', '--no-fund', '--cache', join(cwd, '.cache')], { cwd, env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

function tooltip(): string {
  const t = api.statusBar.item.tooltip;
  return typeof t === 'string' ? t : (t?.value ?? '');
}

suite('login session', function () {
  this.timeout(180_000);
  suiteSetup(async () => {
    api = (await activatedExtension<CodeArtifactApi>()).exports;
    await resetSettings();
    await loggedOut();
  });
  suiteTeardown(async () => {
    await loggedOut();
    await resetSettings();
  });

  test('npm default and @corp on two repositories: both serve npm install, the status bar lists both, logging one out leaves the other byte for byte', async () => {
    const mine = '# mine\nfund=false\n';
    writeFileSync(npmrc(), mine);
    const corp = await freshRepository();
    await vscode.commands.executeCommand('codeartifact.login', { domain: 'corp', repository: 'team', tools: ['npm'] });
    const afterDefault = readFileSync(npmrc(), 'utf8');
    await vscode.commands.executeCommand('codeartifact.login', { ...corp, tools: ['npm'], namespace: '@corp' });
    assert.equal(api.login.logins().length, 2, 'the scoped login went beside the default one');
    const both = readFileSync(npmrc(), 'utf8');
    assert.ok(both.startsWith(afterDefault), 'the default login is untouched');
    assert.ok(both.includes(`@corp:registry=${emulatorUrl()}/npm/d/${corp.domain}-111122223333/app/`), both);
    assert.match(api.statusBar.item.text, /^\$\(package\) .* · \d+h \d+m \(\+1\)$/);
    assert.ok(tooltip().includes('corp/team') && tooltip().includes(`${corp.domain}/app @corp`), tooltip());

    const dir = mkdtempSync(join(tmpdir(), 'session-npm-'));
    try {
      // A package of our own in the @corp repository, published with what login wrote.
      const pkg = join(dir, 'hello');
      mkdirSync(pkg);
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@corp/hello', version: '1.0.0', main: 'index.js' }));
      writeFileSync(join(pkg, 'index.js'), 'module.exports = "hello";\n');
      const published = await npm(['publish'], pkg);
      assert.equal(published.code, 0, published.out);
      const app = join(dir, 'app');
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: { 'left-pad': '1.3.0', '@corp/hello': '1.0.0' } }));
      const installed = await npm(['install'], app);
      assert.equal(installed.code, 0, installed.out);
      assert.ok(existsSync(join(app, 'node_modules', 'left-pad', 'package.json')) && existsSync(join(app, 'node_modules', '@corp', 'hello', 'index.js')));
      const lock = readFileSync(join(app, 'package-lock.json'), 'utf8');
      assert.ok(lock.includes('/npm/d/corp-111122223333/team/') && lock.includes(`/npm/d/${corp.domain}-111122223333/app/`), 'each package through its own repository');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    await vscode.commands.executeCommand('codeartifact.logout', { ...corp, namespace: '@corp' });
    assert.equal(readFileSync(npmrc(), 'utf8'), afterDefault, 'the default login is left byte for byte');
    assert.deepEqual(
      api.login.logins().map((l) => `${l.domain}/${l.repository}`),
      ['corp/team'],
    );
    await waitFor(() => !tooltip().includes(corp.domain), 'the tooltip drops the logged-out login');
    await vscode.commands.executeCommand('codeartifact.logout', {});
    assert.equal(readFileSync(npmrc(), 'utf8'), mine);
  });

  test("a workspace's .vscode/settings.json cannot point login at another endpoint", async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const file = join(folder, '.vscode', 'settings.json');
    const had = existsSync(file) ? readFileSync(file, 'utf8') : null;
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    // A cloned repository's settings: its own control plane (here: nothing listens), plain http allowed.
    writeFileSync(file, JSON.stringify({ 'codeartifact.endpoint': 'http://127.0.0.1:9', 'codeartifact.allowInsecureEndpoint': true }));
    try {
      await new Promise((r) => setTimeout(r, 1500)); // let VS Code read the file
      assert.equal(api.connection.settings().endpoint, emulatorUrl());
      assert.equal(api.connection.settings().allowInsecureEndpoint, false);
      await vscode.commands.executeCommand('codeartifact.login', { domain: 'corp', repository: 'team', tools: ['npm'] });
      assert.equal(api.login.current()?.connection?.endpoint, emulatorUrl(), 'the login went to the user-configured endpoint');
      assert.ok(readFileSync(npmrc(), 'utf8').includes(`registry=${emulatorUrl()}/npm/d/corp-111122223333/team/`));
    } finally {
      if (had === null) rmSync(file, { force: true });
      else writeFileSync(file, had);
      await loggedOut();
    }
  });

  test('the installed manifest declares limited support for untrusted workspaces and keeps endpoint settings out of workspaces', async () => {
    const pkg = (await activatedExtension()).packageJSON as {
      capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('codeartifact.install.commands'));
    const props = pkg.contributes.configuration.properties;
    assert.equal(props['codeartifact.endpoint'].scope, 'machine');
    assert.equal(props['codeartifact.allowInsecureEndpoint'].scope, 'machine');
    assert.equal(props['codeartifact.caFile'].scope, 'machine');
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('codeartifact.caFile'));
    // A machine-scoped setting cannot even be written to the workspace through the API.
    await assert.rejects(Promise.resolve(vscode.workspace.getConfiguration('codeartifact').update('endpoint', 'https://evil.example', vscode.ConfigurationTarget.Workspace)));
  });
});
