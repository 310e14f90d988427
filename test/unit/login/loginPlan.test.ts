// The login plan on real files in a temp HOME: every tool's file written, token files 0600, logout byte-identical,
// refresh keeps one entry, malformed files untouched with a message, concurrent logins from two processes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { applyLogin, removeLogin, writeProjectNpmrc, loginEnvironment, type LoginInput } from '../../../src/core/login/loginPlan';
import { readNpmrcKey } from '../../../src/core/login/npmrc';
import { parsePyIni } from '../../../src/core/login/pyIni';

const fx = (n: string) => readFileSync(join(__dirname, 'fixtures', n), 'utf8');
const input = (token: string, extra: Partial<LoginInput> = {}): LoginInput => ({
  domain: 'acme',
  repository: 'app',
  endpoints: { npm: 'http://127.0.0.1:4321/npm/app/', pypi: 'http://127.0.0.1:4321/pypi/app/', maven: 'http://127.0.0.1:4321/maven/app/' },
  token,
  expiresAt: Date.now() + 3_600_000,
  tools: ['npm', 'pnpm', 'yarn', 'pip', 'twine', 'maven', 'gradle'],
  ...extra,
});

void describe('login plan', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'ca-login-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  const files = (h: string) => ({
    npmrc: join(h, '.npmrc'),
    yarnrc: join(h, '.yarnrc.yml'),
    pip: join(h, '.config', 'pip', 'pip.conf'),
    pypirc: join(h, '.pypirc'),
    settings: join(h, '.m2', 'settings.xml'),
  });

  void it('pip configuration disabled by PIP_CONFIG_FILE=/dev/null: pip is reported, the other tools are still logged in', async () => {
    const h = join(home, 'pip-disabled');
    const r = await applyLogin(input('TOKEN1', { tools: ['npm', 'pip'] }), { home: h, env: { PIP_CONFIG_FILE: '/dev/null' } });
    const byTarget = Object.fromEntries(r.outcomes.map((o) => [o.target, o]));
    assert.equal(byTarget.npmrc.ok, true);
    assert.equal(byTarget.pipConf.ok, false);
    assert.match(byTarget.pipConf.error!, /pip configuration is disabled/);
    assert.deepEqual(
      r.record.files.map((f) => f.target),
      ['npmrc'],
    );
    assert.equal(readNpmrcKey(readFileSync(join(h, '.npmrc'), 'utf8'), '//127.0.0.1:4321/npm/app/:_authToken'), 'TOKEN1');
  });

  void it('writes every tool, 0600 for token files, refreshes in place and logs out byte-identically', async () => {
    const h = join(home, 'a');
    const f = files(h);
    mkdirSync(join(h, '.config', 'pip'), { recursive: true });
    mkdirSync(join(h, '.m2'), { recursive: true });
    writeFileSync(f.npmrc, fx('npmrc-existing'));
    chmodSync(f.npmrc, 0o644);
    writeFileSync(f.pip, fx('pip-existing.conf'));
    writeFileSync(f.pypirc, fx('pypirc-existing'));
    writeFileSync(f.settings, fx('settings-existing.xml'));
    writeFileSync(f.yarnrc, fx('yarnrc-existing.yml'));
    const snapshot = () => Object.fromEntries(Object.entries(f).map(([k, p]) => [k, existsSync(p) ? readFileSync(p, 'utf8') : null]));
    const before = snapshot();

    const first = await applyLogin(input('TOKEN1'), { home: h, env: {} });
    assert.deepEqual(
      first.outcomes.filter((o) => !o.ok),
      [],
    );
    for (const p of [f.npmrc, f.yarnrc, f.pip, f.pypirc]) assert.equal(statSync(p).mode & 0o777, 0o600, p);
    assert.equal(readNpmrcKey(readFileSync(f.npmrc, 'utf8'), '//127.0.0.1:4321/npm/app/:_authToken'), 'TOKEN1');
    assert.doesNotMatch(readFileSync(f.settings, 'utf8'), /TOKEN1/);
    const initDir = join(h, '.gradle', 'init.d');
    assert.deepEqual(readdirSync(initDir), ['codeartifact-acme-app.init.gradle']);

    // Refresh: the new token replaces the old one everywhere, no duplicates.
    const second = await applyLogin(input('TOKEN2'), { home: h, env: {} }, JSON.parse(JSON.stringify(first.record)));
    assert.deepEqual(
      second.outcomes.filter((o) => !o.ok),
      [],
    );
    const all = Object.values(snapshot()).join('\n');
    assert.doesNotMatch(all, /TOKEN1/);
    assert.equal(readFileSync(f.npmrc, 'utf8').match(/:_authToken=TOKEN2/g)?.length, 1);
    assert.equal(readFileSync(f.settings, 'utf8').match(/<id>codeartifact-acme-app<\/id>/g)?.length, 4, 'server, profile, repository, pluginRepository');

    const out = await removeLogin(second.record, { home: h, env: {} });
    assert.deepEqual(
      out.filter((o) => !o.ok || o.warnings.length > 0),
      [],
    );
    assert.deepEqual(snapshot(), before);
    assert.deepEqual(readdirSync(initDir), []);
  });

  void it('leaves a malformed file byte-for-byte unchanged, names it, and still does the other tools', async () => {
    const h = join(home, 'b');
    const f = files(h);
    mkdirSync(join(h, '.m2'), { recursive: true });
    writeFileSync(f.npmrc, fx('npmrc-malformed'));
    writeFileSync(f.settings, fx('settings-malformed.xml'));
    writeFileSync(f.pypirc, fx('pypirc-nodistutils'));
    const r = await applyLogin(input('SECRETTOKEN'), { home: h, env: {} });
    const failed = r.outcomes.filter((o) => !o.ok);
    assert.deepEqual(failed.map((o) => o.target).sort(), ['mavenSettings', 'npmrc', 'pypirc']);
    for (const o of failed) {
      assert.ok(o.error!.startsWith(o.file + ': '), o.error);
      assert.doesNotMatch(o.error!, /SECRETTOKEN/);
    }
    assert.equal(readFileSync(f.npmrc, 'utf8'), fx('npmrc-malformed'));
    assert.equal(readFileSync(f.settings, 'utf8'), fx('settings-malformed.xml'));
    assert.equal(readFileSync(f.pypirc, 'utf8'), fx('pypirc-nodistutils'));
    assert.ok(existsSync(f.pip), 'pip was still configured');
    await removeLogin(r.record, { home: h, env: {} });
    assert.ok(!existsSync(f.pip));
  });

  void it('honours NPM_CONFIG_USERCONFIG (any case), PIP_CONFIG_FILE and GRADLE_USER_HOME', async () => {
    const h = join(home, 'c');
    const env = { npm_config_userconfig: join(h, 'custom-npmrc'), PIP_CONFIG_FILE: join(h, 'pip-custom.ini'), GRADLE_USER_HOME: join(h, 'gh') };
    const r = await applyLogin(input('T', { tools: ['npm', 'pip', 'gradle'] }), { home: h, env });
    assert.deepEqual(r.outcomes.map((o) => o.file).sort(), [env.npm_config_userconfig, env.PIP_CONFIG_FILE, join(h, 'gh', 'init.d', 'codeartifact-acme-app.init.gradle')].sort());
    assert.ok(!existsSync(join(h, '.npmrc')));
  });

  void it('a write that fails midway (file size limit) leaves the old file intact', async () => {
    const h = join(home, 'd');
    mkdirSync(h, { recursive: true });
    const p = join(h, '.npmrc');
    writeFileSync(p, 'keep=me\n');
    const child = join(__dirname, 'fixtures', 'writeChild.ts');
    // ulimit -f 1: any write past 1 KiB fails (EFBIG/SIGXFSZ), like a full disk.
    const code = await new Promise<number | null>((resolve) => {
      const c = spawn('bash', ['-c', `ulimit -f 1; exec "${process.execPath}" --import tsx "${child}"`], { env: { ...process.env, CHILD_FILE: p }, stdio: 'ignore' });
      c.on('exit', (n) => resolve(n));
    });
    assert.notEqual(code, 0);
    assert.equal(readFileSync(p, 'utf8'), 'keep=me\n');
  });

  void it('project-level .npmrc holds ${CODEARTIFACT_AUTH_TOKEN}, not the token; environment for terminals', async () => {
    const ws = join(home, 'ws');
    mkdirSync(ws);
    await writeProjectNpmrc(ws, input('T'));
    assert.equal(readFileSync(join(ws, '.npmrc'), 'utf8'), 'registry=http://127.0.0.1:4321/npm/app/\n//127.0.0.1:4321/npm/app/:_authToken=${CODEARTIFACT_AUTH_TOKEN}\n');
    assert.deepEqual(loginEnvironment(input('T')), {
      CODEARTIFACT_AUTH_TOKEN: 'T',
      CODEARTIFACT_DOMAIN: 'acme',
      CODEARTIFACT_REPOSITORY: 'app',
      CODEARTIFACT_ENDPOINT_NPM: 'http://127.0.0.1:4321/npm/app/',
      CODEARTIFACT_ENDPOINT_PYPI: 'http://127.0.0.1:4321/pypi/app/',
      CODEARTIFACT_ENDPOINT_MAVEN: 'http://127.0.0.1:4321/maven/app/',
    });
  });

  void it('two processes logging in at once: every update lands, the files stay valid with one entry per key', async () => {
    const h = join(home, 'e');
    mkdirSync(h, { recursive: true });
    const child = join(__dirname, 'fixtures', 'loginChild.ts');
    const startAt = Date.now() + 2500;
    const run = (prefix: string, token: string) =>
      new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', child], {
          env: { ...process.env, CHILD_HOME: h, CHILD_PREFIX: prefix, CHILD_TOKEN: token, CHILD_START_AT: String(startAt) },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        p.stderr.on('data', (d: Buffer) => (err += d.toString()));
        const timer = setTimeout(() => p.kill(), 30_000);
        p.on('exit', (code) => {
          clearTimeout(timer);
          if (code === 0) resolve(err);
          else reject(new Error(`child ${prefix} exited ${code}: ${err}`));
        });
      });
    await Promise.all([run('a', 'TOKA'), run('b', 'TOKB')]);
    const npmrc = readFileSync(join(h, '.npmrc'), 'utf8');
    for (const s of ['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2', 'b3', 'b4']) assert.equal(npmrc.split(`@${s}:registry=`).length, 2, `@${s} once`);
    assert.equal(npmrc.match(/:_authToken=/g)?.length, 1);
    const pypirc = parsePyIni(readFileSync(join(h, '.pypirc'), 'utf8'));
    assert.deepEqual(pypirc.sections.find((s) => s.name === 'distutils')!.options[0].value.split(/\s+/), ['pypi', 'codeartifact']);
    assert.ok(!existsSync(join(h, '.npmrc.lock')));
  });
});
