// codeartifact.login inside real VS Code against the emulator: the files it writes make real npm, pip and mvn
// work; tokens stay out of argv, logs and the workspace; logout removes exactly what login added; the status bar
// and auto-refresh follow the token's expiry on a moved clock.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { CodeArtifactApi } from '../../../src/extension';
import { activatedExtension, emulatorUrl, loggedIn, loggedOut, resetSettings } from '../helpers';

let api: CodeArtifactApi;
const home = () => homedir();
const npmrc = () => join(home(), '.npmrc');
const pipConf = () => join(process.env.XDG_CONFIG_HOME ?? join(home(), '.config'), 'pip', 'pip.conf');
const pypirc = () => join(home(), '.pypirc');
const mavenSettings = () => join(home(), '.m2', 'settings.xml');
const gradleInitDir = () => join(home(), '.gradle', 'init.d');

interface Run {
  code: number | null;
  out: string;
  /** Every other process's argv seen while this one ran (to prove no token travels on a command line). */
  argvSeen: string[];
}

/** Runs a tool the way a user's terminal would: HOME and the extension's terminal environment. */
function runTool(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...terminalEnv(), ...extraEnv };
  for (const k of Object.keys(env)) if (k.startsWith('npm_config_') || k.startsWith('PIP_')) delete env[k];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env });
    let out = '';
    const argvSeen: string[] = [];
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const sample = setInterval(() => argvSeen.push(...allArgv()), 100);
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearInterval(sample);
      clearTimeout(timer);
      resolve({ code, out, argvSeen });
    });
  });
}

function allArgv(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function terminalEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  api.environment!.forEach((name, m) => (env[name] = m.value));
  return env;
}

function snapshot(files: string[]): Map<string, string | null> {
  return new Map(files.map((f) => [f, existsSync(f) ? readFileSync(f, 'latin1') : null]));
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (s.size < 50_000_000) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** The token as a user's terminal gets it (the API does not hand it out). */
const token = () => api.environment!.get('CODEARTIFACT_AUTH_TOKEN')!.value;
const ALL_TOOLS = ['npm', 'pip', 'twine', 'maven', 'gradle'];
/** The login most tests here start from: every tool, a 15-minute token. */
const loggedInEverywhere = () => loggedIn({ domain: 'corp', repository: 'team', tools: ALL_TOOLS, durationSeconds: 900 });

suite('login', function () {
  this.timeout(180_000);
  let before: Map<string, string | null>;
  const userFiles = () => [npmrc(), pipConf(), pypirc(), mavenSettings(), join(gradleInitDir(), 'codeartifact-corp-team.init.gradle')];

  suiteSetup(async () => {
    api = (await activatedExtension<CodeArtifactApi>()).exports;
    await resetSettings();
    await vscode.workspace.getConfiguration('codeartifact').update('maven.mirrorCentral', true, vscode.ConfigurationTarget.Global);
    await loggedOut();
    // A user ~/.npmrc with content of its own, which login must keep and logout must restore byte for byte.
    writeFileSync(npmrc(), '# my settings\nfund=false\nsave-exact=true\n');
    mkdirSync(dirname(mavenSettings()), { recursive: true });
    writeFileSync(mavenSettings(), '<?xml version="1.0"?>\n<!-- mine -->\n<settings>\n  <offline>false</offline>\n</settings>\n');
    before = snapshot(userFiles());
  });
  suiteTeardown(async () => {
    await resetSettings();
  });
  // Every test logs in itself (loggedInEverywhere) rather than relying on a login an earlier test made.

  test("login with args writes every tool's user config; token files are 0600; Maven gets ${env.CODEARTIFACT_AUTH_TOKEN}", async () => {
    const result = await vscode.commands.executeCommand<{ expiresAt: number; outcomes: { ok: boolean; error?: string }[] }>('codeartifact.login', {
      domain: 'corp',
      repository: 'team',
      tools: ALL_TOOLS,
      durationSeconds: 900,
    });
    assert.ok(
      result.outcomes.every((o) => o.ok),
      JSON.stringify(result.outcomes),
    );
    const t = token();
    const npmEndpoint = `${emulatorUrl()}/npm/d/corp-111122223333/team/`;
    const text = readFileSync(npmrc(), 'utf8');
    assert.match(text, /^# my settings\nfund=false\nsave-exact=true\n/);
    assert.ok(text.includes(`registry=${npmEndpoint}`), text);
    assert.ok(text.includes(`${npmEndpoint.replace(/^http:/, '')}:_authToken=`), text);
    for (const f of [npmrc(), pipConf(), pypirc()]) {
      assert.equal(statSync(f).mode & 0o777, 0o600, `${f} mode`);
      assert.ok(readFileSync(f, 'utf8').includes(t), `${f} holds the token`);
    }
    const xml = readFileSync(mavenSettings(), 'utf8');
    assert.ok(xml.includes('<!-- mine -->') && xml.includes('<offline>false</offline>'), 'settings.xml keeps its content');
    assert.ok(xml.includes('${env.CODEARTIFACT_AUTH_TOKEN}'));
    assert.ok(!xml.includes(t), 'the token itself is not in settings.xml');
    assert.ok(readdirSync(gradleInitDir()).some((f) => f.endsWith('.gradle')));
    const env = terminalEnv();
    assert.equal(env.CODEARTIFACT_AUTH_TOKEN, t);
    assert.equal(env.CODEARTIFACT_DOMAIN, 'corp');
    assert.equal(env.CODEARTIFACT_REPOSITORY, 'team');
    assert.equal(env.CODEARTIFACT_ENDPOINT_NPM, npmEndpoint);
    assert.equal(env.CODEARTIFACT_ENDPOINT_MAVEN, `${emulatorUrl()}/maven/d/corp-111122223333/team/`);
    assert.match(api.statusBar.item.text, /^\$\(package\) corp\/team · 1[45]m$/);
  });

  test('real npm install works with the ~/.npmrc login wrote, and no process saw the token in argv', async () => {
    await loggedInEverywhere();
    const dir = mkdtempSync(join(tmpdir(), 'login-npm-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo', version: '1.0.0', private: true, dependencies: { 'left-pad': '1.3.0' } }));
      const r = await runTool('npm', ['install', '--no-audit', '--no-fund', '--cache', join(dir, '.cache')], dir);
      assert.equal(r.code, 0, r.out);
      assert.ok(existsSync(join(dir, 'node_modules', 'left-pad', 'package.json')));
      const lock = readFileSync(join(dir, 'package-lock.json'), 'utf8');
      assert.ok(lock.includes('/npm/d/corp-111122223333/team/'), 'resolved through the CodeArtifact endpoint');
      assert.ok(r.argvSeen.length > 0);
      assert.ok(!r.argvSeen.some((a) => a.includes(token())), 'no process had the token on its command line');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('real pip install works with the pip config login wrote', async () => {
    await loggedInEverywhere();
    const dir = mkdtempSync(join(tmpdir(), 'login-pip-'));
    try {
      const r = await runTool('pip', ['install', '--no-cache-dir', '--disable-pip-version-check', '--target', join(dir, 'site'), 'tinyfmt==1.1.0'], dir);
      assert.equal(r.code, 0, r.out);
      assert.ok(
        readdirSync(join(dir, 'site')).some((n) => n.startsWith('tinyfmt')),
        r.out,
      );
      assert.ok(!r.argvSeen.some((a) => a.includes(token())));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('real mvn resolves a dependency with the settings.xml login wrote and the token from the terminal environment', async () => {
    await loggedInEverywhere();
    const dir = mkdtempSync(join(tmpdir(), 'login-mvn-'));
    try {
      writeFileSync(
        join(dir, 'pom.xml'),
        `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>com.acme</groupId><artifactId>demo</artifactId><version>1.0.0</version><packaging>pom</packaging>
<dependencies><dependency><groupId>org.example</groupId><artifactId>greeter</artifactId><version>1.0.0</version></dependency></dependencies>
</project>\n`,
      );
      // Java takes user.home from the passwd entry, not $HOME: point it where login wrote ~/.m2.
      const r = await runTool('mvn', ['-B', `-Duser.home=${home()}`, `-Dmaven.repo.local=${join(dir, 'repo')}`, 'org.example.emulator:resolve-maven-plugin:1.0.0:resolve'], dir);
      assert.equal(r.code, 0, r.out);
      assert.ok(existsSync(join(dir, 'repo', 'org', 'example', 'greeter', '1.0.0', 'greeter-1.0.0.jar')), r.out);
      assert.ok(existsSync(join(dir, 'repo', 'org', 'example', 'strings', '1.2.0', 'strings-1.2.0.jar')), 'the transitive dependency came too');
      assert.ok(!r.argvSeen.some((a) => a.includes(token())));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a project-level .npmrc, when asked for, holds ${CODEARTIFACT_AUTH_TOKEN}, and npm works with it and the terminal environment', async () => {
    await loggedInEverywhere();
    const dir = mkdtempSync(join(tmpdir(), 'login-project-'));
    const emptyHome = mkdtempSync(join(tmpdir(), 'login-home-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo', version: '1.0.0', private: true, dependencies: { 'is-even': '1.0.0' } }));
      const file = await vscode.commands.executeCommand<string>('codeartifact.createProjectNpmrc', { folder: dir });
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes('${CODEARTIFACT_AUTH_TOKEN}'), text);
      assert.ok(!text.includes(token()), 'the token itself is not in the project');
      // No user ~/.npmrc at all: only the project file and the terminal environment.
      const r = await runTool('npm', ['install', '--no-audit', '--no-fund', '--cache', join(dir, '.cache')], dir, { HOME: emptyHome });
      assert.equal(r.code, 0, r.out);
      assert.ok(existsSync(join(dir, 'node_modules', 'is-even', 'package.json')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(emptyHome, { recursive: true, force: true });
    }
  });

  test('what login and token refresh spawn never carries the token on its command line', async () => {
    // Login and refresh themselves start no process (no aws CLI, no `npm config set`); the one process they do
    // start is the AWS profile's credential_process, run by the SDK for a new client. The profile's helper waits
    // until the sampler below has seen it, so the sampling provably covers what login and refresh spawn; every
    // argv seen from before the login to after the refresh is then checked for either token.
    const work = mkdtempSync(join(tmpdir(), 'login-argv-'));
    const seen = join(work, 'seen');
    const helper = join(work, 'credential-helper.js');
    const marker = `credential-helper-${process.pid}`;
    writeFileSync(
      helper,
      `const fs = require('fs'); const deadline = Date.now() + 5000;
(function wait() {
  if (fs.existsSync(${JSON.stringify(seen)}) || Date.now() > deadline) process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDEXAMPLE', SecretAccessKey: 'x' }));
  else setTimeout(wait, 20);
})();\n`,
    );
    const config = join(home(), '.aws', 'config');
    mkdirSync(dirname(config), { recursive: true });
    const kept = existsSync(config) ? readFileSync(config, 'utf8') : '';
    writeFileSync(config, `${kept.replace(/\[profile argv-sampling\][^[]*/, '')}\n[profile argv-sampling]\ncredential_process = ${process.execPath} ${helper} ${marker}\n`);
    const argvSeen = new Set<string>();
    const helperPids = new Set<string>();
    const sample = setInterval(() => {
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
          const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
          argvSeen.add(argv);
          if (argv.includes(marker) && argv.includes(helper)) {
            helperPids.add(pid);
            writeFileSync(seen, pid);
          }
        } catch {
          // the process ended meanwhile
        }
      }
    }, 20);
    try {
      // A new profile means a new client, so the login's first call runs the credential helper.
      await vscode.workspace.getConfiguration('codeartifact').update('profile', 'argv-sampling', vscode.ConfigurationTarget.Global);
      const login = await loggedIn({ domain: 'corp', repository: 'team', tools: ALL_TOOLS, durationSeconds: 900 });
      const first = token();
      assert.equal(login.connection?.profile, 'argv-sampling');
      const atLogin = helperPids.size;
      assert.ok(atLogin >= 1, 'the credential helper the login ran was seen');
      rmSync(seen, { force: true });
      // The refresh makes a client of its own for the login's connection: the helper runs (and is seen) again.
      await vscode.commands.executeCommand('codeartifact.refreshToken');
      const refreshed = token();
      assert.notEqual(refreshed, first, 'the token was refreshed');
      assert.ok(helperPids.size > atLogin, 'the credential helper the refresh ran was seen');
      const leaks = [...argvSeen].filter((a) => a.includes(first) || a.includes(refreshed));
      assert.deepEqual(leaks, [], 'no process had a token on its command line');
    } finally {
      clearInterval(sample);
      await vscode.workspace.getConfiguration('codeartifact').update('profile', undefined, vscode.ConfigurationTarget.Global);
      writeFileSync(config, kept);
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('the token is in no log and no workspace file', async () => {
    await loggedInEverywhere();
    const t = token();
    const logsRoot = join(api.logUri.fsPath, '..', '..', '..');
    const logFiles = filesUnder(logsRoot);
    assert.ok(logFiles.length > 0, `no log files under ${logsRoot}`);
    for (const f of logFiles) assert.ok(!readFileSync(f, 'latin1').includes(t), `token found in ${f}`);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const f of filesUnder(folder.uri.fsPath).filter((p) => !p.includes('node_modules'))) {
        assert.ok(!readFileSync(f, 'latin1').includes(t), `token found in workspace file ${f}`);
      }
    }
  });

  test('status bar: warning under an hour, error when expired; auto-refresh replaces the token in every file and the environment', async () => {
    await loggedInEverywhere();
    const c = vscode.workspace.getConfiguration('codeartifact');
    const item = api.statusBar.item;
    assert.deepEqual(item.backgroundColor, new vscode.ThemeColor('statusBarItem.warningBackground'));
    const old = token();
    try {
      await c.update('autoRefresh', false, vscode.ConfigurationTarget.Global);
      api.login.clock.offsetMs = 16 * 60_000;
      await api.login.checkNow();
      assert.match(item.text, /corp\/team · expired/);
      assert.deepEqual(item.backgroundColor, new vscode.ThemeColor('statusBarItem.errorBackground'));

      // Auto-refresh at 10 minutes before expiry (at most half the token's 15-minute life).
      await c.update('autoRefresh', true, vscode.ConfigurationTarget.Global);
      await c.update('refreshMinutesBeforeExpiry', 10, vscode.ConfigurationTarget.Global);
      api.login.clock.offsetMs = 0;
      await vscode.commands.executeCommand('codeartifact.refreshToken'); // restart the schedule with a fresh 900 s token
      const issued = token();
      assert.notEqual(issued, old);
      await api.login.checkNow();
      assert.equal(token(), issued, 'not refreshed while far from expiry');
      api.login.clock.offsetMs = 8 * 60_000; // 7 minutes left: due
      await api.login.checkNow();
      const fresh = token();
      assert.notEqual(fresh, issued, 'refreshed before expiry');
      for (const f of [npmrc(), pipConf(), pypirc()]) {
        const text = readFileSync(f, 'utf8');
        assert.ok(text.includes(fresh) && !text.includes(issued), `${f} carries only the new token`);
      }
      assert.equal(terminalEnv().CODEARTIFACT_AUTH_TOKEN, fresh);
      assert.equal((readFileSync(npmrc(), 'utf8').match(/_authToken/g) ?? []).length, 1, 'one entry, not two');
    } finally {
      api.login.clock.offsetMs = 0;
      await c.update('autoRefresh', undefined, vscode.ConfigurationTarget.Global);
      await c.update('refreshMinutesBeforeExpiry', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('logout removes exactly what login added and clears the environment', async () => {
    await loggedInEverywhere();
    assert.notDeepEqual(snapshot(userFiles()), before, 'login changed the user files');
    await vscode.commands.executeCommand('codeartifact.logout', {});
    const after = snapshot(userFiles());
    for (const [f, content] of before) assert.equal(after.get(f), content, `${f} is back to what it was`);
    assert.equal(api.environment!.get('CODEARTIFACT_AUTH_TOKEN'), undefined);
    assert.equal(api.login.current(), undefined);
  });

  test('a malformed settings.xml is left byte for byte and the message names the file', async () => {
    await loggedOut();
    const broken = '<settings><servers>\n  <server>oops</servers>\n';
    writeFileSync(mavenSettings(), broken);
    const result = await vscode.commands.executeCommand<{ outcomes: { ok: boolean; file: string; error?: string }[] }>('codeartifact.login', {
      domain: 'corp',
      repository: 'team',
      tools: ['npm', 'maven'],
    });
    const maven = result.outcomes.find((o) => o.file === mavenSettings())!;
    assert.equal(maven.ok, false);
    assert.ok(maven.error?.startsWith(`${mavenSettings()}:`), maven.error);
    assert.equal(readFileSync(mavenSettings(), 'utf8'), broken);
    assert.ok(result.outcomes.find((o) => o.file === npmrc())?.ok, 'the other files still proceed');
    await vscode.commands.executeCommand('codeartifact.logout', {});
    writeFileSync(mavenSettings(), before.get(mavenSettings())!);
  });
});
