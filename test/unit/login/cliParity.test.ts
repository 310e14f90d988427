// Side by side with the real `aws codeartifact login --tool npm|pip|twine` against the emulator: the CLI logs in
// HOME A; our writers, given the same endpoint and the token the CLI got, write HOME B; npm's own ini reader,
// `pip config list` and Python's configparser must then see the same settings in both.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { GetRepositoryEndpointCommand } from '@aws-sdk/client-codeartifact';
import { sdkClient, seed, startEmulator, type Emulator } from 'codeartifact-emulator/testing';
import { applyLogin } from '../../../src/core/login/loginPlan';

const npmIni = createRequire(join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm', 'package.json'))('ini') as { parse(s: string): Record<string, unknown> };

function cleanEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_config_/i.test(k) || /^(PIP_CONFIG_FILE|XDG_CONFIG_HOME|AWS_.*)$/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: home,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_DEFAULT_REGION: 'us-west-2',
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-creds'),
  };
}

const execFileAsync = promisify(execFile);

const pyRead = `import configparser, json, sys
p = configparser.RawConfigParser()
p.read(sys.argv[1])
print(json.dumps({s: dict(p[s]) for s in p.sections()}))`;

void describe('parity with aws codeartifact login', () => {
  let emu: Emulator;
  let root: string;
  let endpoints: { npm: string; pypi: string };
  before(async () => {
    emu = await startEmulator({ seed: seed().domain('acme').repo('app').build() });
    root = mkdtempSync(join(tmpdir(), 'ca-parity-'));
    const c = sdkClient(emu.url);
    const ep = async (format: 'npm' | 'pypi') => (await c.send(new GetRepositoryEndpointCommand({ domain: 'acme', repository: 'app', format }))).repositoryEndpoint!;
    endpoints = { npm: await ep('npm'), pypi: await ep('pypi') };
  });
  after(async () => {
    await emu.close();
    rmSync(root, { recursive: true, force: true });
  });

  const homes = (name: string) => {
    const a = join(root, `${name}-cli`);
    const b = join(root, `${name}-ours`);
    mkdirSync(a);
    mkdirSync(b);
    return [a, b];
  };
  // Async: the emulator runs in this process and must keep answering while the CLI waits on it.
  const cli = async (home: string, tool: string) =>
    (
      await execFileAsync('aws', ['--endpoint-url', emu.url, 'codeartifact', 'login', '--tool', tool, '--domain', 'acme', '--repository', 'app'], {
        env: cleanEnv(home),
        cwd: home,
        encoding: 'utf8',
        timeout: 60_000,
      })
    ).stdout;

  void it('npm: same registry and _authToken, as npm reads them', async () => {
    const [a, b] = homes('npm');
    assert.match(await cli(a, 'npm'), /Successfully configured npm/);
    const theirs = npmIni.parse(readFileSync(join(a, '.npmrc'), 'utf8'));
    const authKey = Object.keys(theirs).find((k) => k.endsWith(':_authToken'))!;
    const token = theirs[authKey] as string;
    const { outcomes } = await applyLogin({ domain: 'acme', repository: 'app', endpoints, token, expiresAt: Date.now() + 3_600_000, tools: ['npm'] }, { home: b, env: {} });
    assert.ok(outcomes[0].ok, outcomes[0].error);
    const ours = npmIni.parse(readFileSync(join(b, '.npmrc'), 'utf8'));
    assert.deepEqual(ours, theirs);
    for (const h of [a, b]) assert.equal(execFileSync('npm', ['config', 'get', 'registry'], { env: cleanEnv(h), cwd: h, encoding: 'utf8' }).trim(), endpoints.npm);
    assert.equal(statSync(join(b, '.npmrc')).mode & 0o777, 0o600);
  });

  void it('pip: same `pip config list`', async () => {
    const [a, b] = homes('pip');
    await cli(a, 'pip');
    const list = (h: string) => execFileSync('pip', ['config', 'list'], { env: cleanEnv(h), cwd: h, encoding: 'utf8' });
    const theirs = list(a);
    const m = /^global\.index-url='[^:]+:\/\/aws:([^@]+)@/m.exec(theirs);
    assert.ok(m, 'the CLI set global.index-url');
    const { outcomes } = await applyLogin({ domain: 'acme', repository: 'app', endpoints, token: m[1], expiresAt: Date.now() + 3_600_000, tools: ['pip'] }, { home: b, env: {} });
    assert.ok(outcomes[0].ok, outcomes[0].error);
    assert.equal(list(b), theirs);
  });

  void it('twine: same ~/.pypirc as configparser reads it (and the same bytes)', async () => {
    const [a, b] = homes('twine');
    await cli(a, 'twine');
    const read = (h: string) => JSON.parse(execFileSync('python3', ['-c', pyRead, join(h, '.pypirc')], { encoding: 'utf8' })) as Record<string, Record<string, string>>;
    const theirs = read(a);
    const { outcomes } = await applyLogin(
      { domain: 'acme', repository: 'app', endpoints, token: theirs.codeartifact.password, expiresAt: Date.now() + 3_600_000, tools: ['twine'] },
      { home: b, env: {} },
    );
    assert.ok(outcomes[0].ok, outcomes[0].error);
    assert.deepEqual(read(b), theirs);
    assert.equal(readFileSync(join(b, '.pypirc'), 'utf8'), readFileSync(join(a, '.pypirc'), 'utf8'));
    assert.equal(statSync(join(b, '.pypirc')).mode & 0o777, 0o600);
  });
});
