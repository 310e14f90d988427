// Login, refresh and logout as transactions across processes (each process is one VS Code window sharing the
// secret and the lock), against the emulator through the real SDK: the two-window refresh race leaves no token
// anywhere after logout; logout keeps what it could not clean and retries it; several logins side by side.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed, startEmulator, type Emulator } from 'codeartifact-emulator/testing';
import { LoginTransactions, accountOf, parseLogins } from '../../../src/core/login/loginStore';
import type { ToolId } from '../../../src/core/tools';
import { fileSlot, freshLogin } from './fixtures/sessionWindow';

const USER_NPMRC = '; my own settings\ncolor=false\nregistry=https://registry.example.org/\n';

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

void describe('login transactions', () => {
  let emu: Emulator;
  let root: string;
  before(async () => {
    emu = await startEmulator({ seed: seed().domain('acme').repo('app').repo('corp').build() });
    root = mkdtempSync(join(tmpdir(), 'ca-tx-'));
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
  });
  after(async () => {
    await emu.close();
    rmSync(root, { recursive: true, force: true });
  });

  function setup(name: string) {
    const home = join(root, name);
    const state = join(root, `${name}-vscode`);
    mkdirSync(home, { recursive: true });
    mkdirSync(state, { recursive: true });
    writeFileSync(join(home, '.npmrc'), USER_NPMRC);
    const secret = join(state, 'secret.json');
    const lock = join(state, 'login-session');
    const window = (action: string, extra: Record<string, string> = {}) =>
      new Promise<unknown>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'sessionWindow.ts')], {
          env: { ...process.env, WINDOW_ACTION: action, WINDOW_HOME: home, WINDOW_SECRET: secret, WINDOW_LOCK: lock, WINDOW_URL: emu.url, ...extra },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.stderr.on('data', (d: Buffer) => (err += d.toString()));
        p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${action} exited ${code}: ${err}`))));
      });
    const tx = new LoginTransactions(fileSlot(secret), { lockPath: lock, files: { home, env: {} } });
    return { home, secret, window, tx };
  }

  void it('two windows refresh from the same record at once: one refreshes, the other adopts it; after logout no token is left anywhere', async () => {
    const { home, secret, window } = setup('race');
    const t1 = (await window('login')) as string;
    const tokens = [t1];
    // Window A and window B both restored T1 and tick at the same moment.
    const startAt = String(Date.now() + 5000); // after both processes have started, even on a busy machine
    const results = (await Promise.all([
      window('refresh', { WINDOW_SEEN_TOKEN: t1, WINDOW_START_AT: startAt }),
      window('refresh', { WINDOW_SEEN_TOKEN: t1, WINDOW_START_AT: startAt }),
    ])) as {
      status: string;
      token: string;
    }[];
    assert.deepEqual(results.map((r) => r.status).sort(), ['alreadyRefreshed', 'refreshed']);
    const t2 = results[0].token;
    assert.equal(results[1].token, t2, 'both windows end with the same token');
    assert.notEqual(t2, t1);
    tokens.push(t2);
    // Window B again from its stale record (it still thinks T1 is current): nothing is written.
    const before = readFileSync(join(home, '.npmrc'), 'utf8');
    assert.deepEqual(await window('refresh', { WINDOW_SEEN_TOKEN: t1 }), { status: 'alreadyRefreshed', token: t2 });
    assert.equal(readFileSync(join(home, '.npmrc'), 'utf8'), before);
    assert.equal(before.split(':_authToken=').length, 2, 'one token entry');
    assert.ok(before.includes(`:_authToken=${t2}\n`));
    assert.equal(parseLogins(readFileSync(secret, 'utf8'))[0].token, t2);

    await window('logout');
    assert.equal(readFileSync(join(home, '.npmrc'), 'utf8'), USER_NPMRC);
    assert.ok(!existsSync(secret), 'the secret is gone');
    for (const f of allFiles(home)) for (const t of tokens) assert.ok(!readFileSync(f, 'utf8').includes(t), `${f} still holds a token`);
  });

  void it('logout keeps the login while a file cannot be reverted (lock held elsewhere), says which, and the next logout finishes it', async () => {
    const { home, secret } = setup('retry');
    // Another program holds settings.xml's lock (a fresh one, never broken) longer than logout waits.
    const tx = new LoginTransactions(fileSlot(secret), { lockPath: join(root, 'retry-vscode', 'login-session'), files: { home, env: {}, lock: { timeoutMs: 300 } } });
    const f = await freshLogin(emu.url, { domain: 'acme', repository: 'app', tools: ['npm', 'maven'] });
    f.input.endpoints.maven = f.login.endpoints.maven = f.login.endpoints.npm!.replace('/npm/', '/maven/');
    await tx.login(f.login, f.input);
    const settings = join(home, '.m2', 'settings.xml');
    writeFileSync(`${settings}.lock`, 'feedface\n');
    const first = await tx.logout();
    assert.equal(readFileSync(join(home, '.npmrc'), 'utf8'), USER_NPMRC, 'what could be reverted is');
    assert.deepEqual(
      first.kept.flatMap((l) => l.record.files.map((x) => x.record.file)),
      [settings],
    );
    assert.ok(first.outcomes.some((o) => !o.ok && o.file === settings && o.error!.includes(settings)));
    assert.equal(parseLogins(readFileSync(secret, 'utf8')).length, 1, 'the record stays for a retry');
    rmSync(`${settings}.lock`); // the other program is done
    const second = await tx.logout();
    assert.deepEqual(second.kept, []);
    assert.ok(!existsSync(secret));
    assert.ok(!existsSync(settings), 'settings.xml, which login created, is gone again');
  });

  void it('a lock released while logout runs: the retry inside the same logout cleans the file', async () => {
    const { home, secret } = setup('retry-soon');
    const tx = new LoginTransactions(fileSlot(secret), { lockPath: join(root, 'retry-soon-vscode', 'login-session'), files: { home, env: {}, lock: { timeoutMs: 300 } } });
    const f = await freshLogin(emu.url, { domain: 'acme', repository: 'app', tools: ['npm'] });
    await tx.login(f.login, f.input);
    writeFileSync(join(home, '.npmrc.lock'), 'feedface\n');
    setTimeout(() => rmSync(join(home, '.npmrc.lock')), 450);
    const r = await tx.logout();
    assert.deepEqual(r.kept, []);
    assert.ok(r.outcomes.every((o) => o.ok));
    assert.equal(readFileSync(join(home, '.npmrc'), 'utf8'), USER_NPMRC);
    assert.ok(!existsSync(secret));
  });

  void it('npm default and @corp side by side: logging one out leaves the other byte for byte; the account comes from the endpoint', async () => {
    const { home, tx } = setup('two');
    const npmrc = join(home, '.npmrc');
    const a = await freshLogin(emu.url, { domain: 'acme', repository: 'app', tools: ['npm'] });
    await tx.login(a.login, a.input);
    const afterA = readFileSync(npmrc, 'utf8');
    const c = await freshLogin(emu.url, { domain: 'acme', repository: 'corp', namespace: '@corp', tools: ['npm'] });
    await tx.login(c.login, c.input);
    assert.equal((await tx.read()).length, 2);
    const both = readFileSync(npmrc, 'utf8');
    assert.ok(both.includes(`registry=${a.login.endpoints.npm}`) && both.includes(`@corp:registry=${c.login.endpoints.npm}`));
    assert.equal(accountOf(a.login), '111122223333');
    // Logging in to @corp again (a refresh) keeps the default login's lines as they are.
    const c2 = await freshLogin(emu.url, { domain: 'acme', repository: 'corp', namespace: '@corp', tools: ['npm'] });
    await tx.login(c2.login, c2.input);
    assert.equal((await tx.read()).length, 2);
    await tx.logout({ domain: 'acme', repository: 'corp', namespace: '@corp' });
    assert.equal(readFileSync(npmrc, 'utf8'), afterA);
    assert.deepEqual(
      (await tx.read()).map((l) => l.repository),
      ['app'],
    );
    await tx.logout();
    assert.equal(readFileSync(npmrc, 'utf8'), USER_NPMRC);
  });

  void it('Maven to two repositories and pip to a primary plus an extra index, side by side; one logs out cleanly', async () => {
    const { home, tx } = setup('maven-pip');
    const settings = join(home, '.m2', 'settings.xml');
    const pip = join(home, '.config', 'pip', 'pip.conf');
    const login = async (repository: string, extraIndex: boolean) => {
      const f = await freshLogin(emu.url, { domain: 'acme', repository, tools: ['maven', 'pip'] });
      const base = f.login.endpoints.npm!;
      f.login.endpoints = f.input.endpoints = { maven: base.replace('/npm/', '/maven/'), pypi: base.replace('/npm/', '/pypi/') };
      f.input.options = { pipUseExtraIndexUrl: extraIndex };
      await tx.login(f.login, f.input);
    };
    await login('app', false);
    const first = { xml: readFileSync(settings, 'utf8'), pip: readFileSync(pip, 'utf8') };
    await login('corp', true);
    const xml = readFileSync(settings, 'utf8');
    assert.ok(xml.includes('<id>codeartifact-acme-app</id>') && xml.includes('<id>codeartifact-acme-corp</id>'), xml);
    const conf = readFileSync(pip, 'utf8');
    assert.match(conf, /^index-url = .*\/pypi\/d\/acme-111122223333\/app\/simple\/$/m);
    assert.match(conf, /^extra-index-url = .*\/pypi\/d\/acme-111122223333\/corp\/simple\/$/m);
    await tx.logout({ domain: 'acme', repository: 'corp' });
    assert.equal(readFileSync(settings, 'utf8'), first.xml);
    assert.equal(readFileSync(pip, 'utf8'), first.pip);
    await tx.logout();
  });

  void it('symlinked ~/.npmrc and ~/.m2/settings.xml stay links through login, refresh and logout; the targets hold the login', async () => {
    const { home, tx } = setup('links');
    const dotfiles = join(home, 'dotfiles');
    mkdirSync(join(home, '.m2'));
    mkdirSync(dotfiles);
    writeFileSync(join(dotfiles, 'npmrc'), USER_NPMRC);
    const userXml = '<?xml version="1.0"?>\n<settings>\n  <offline>false</offline>\n</settings>\n';
    writeFileSync(join(dotfiles, 'settings.xml'), userXml);
    rmSync(join(home, '.npmrc'));
    symlinkSync(join(dotfiles, 'npmrc'), join(home, '.npmrc'));
    symlinkSync('../dotfiles/settings.xml', join(home, '.m2', 'settings.xml'));
    const links = () => [join(home, '.npmrc'), join(home, '.m2', 'settings.xml')].every((l) => lstatSync(l).isSymbolicLink());
    const key = { domain: 'acme', repository: 'app', tools: ['npm', 'maven'] as ToolId[] };
    const go = async () => {
      const f = await freshLogin(emu.url, key);
      f.login.endpoints.maven = f.input.endpoints.maven = f.login.endpoints.npm!.replace('/npm/', '/maven/');
      return f;
    };
    const f1 = await go();
    await tx.login(f1.login, f1.input);
    assert.ok(links());
    assert.ok(readFileSync(join(dotfiles, 'npmrc'), 'utf8').includes(`:_authToken=${f1.login.token}`));
    assert.ok(readFileSync(join(dotfiles, 'settings.xml'), 'utf8').includes('codeartifact-acme-app'));
    const r = await tx.refresh(key, f1.login.token, () => go());
    assert.equal(r.status, 'refreshed');
    assert.ok(links());
    const npmText = readFileSync(join(dotfiles, 'npmrc'), 'utf8');
    assert.ok('login' in r && npmText.includes(`:_authToken=${r.login.token}`) && !npmText.includes(f1.login.token));
    await tx.logout();
    assert.ok(links());
    assert.equal(readFileSync(join(dotfiles, 'npmrc'), 'utf8'), USER_NPMRC);
    assert.equal(readFileSync(join(dotfiles, 'settings.xml'), 'utf8'), userXml);
  });
});
