// The PyPI registry with real pip (install through python -> pypi-store (public:pypi)) and Debian's
// twine (upload), plus the simple index shape.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListPackageVersionAssetsCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { basic, endpoint, proxiedSeed, pypiPackage, run, sdkClient, TempDirs, tokenFor, toolEnv } from '../src/testing';
import { buildWheel } from '../src/registries/build';
import { startEmulator, type Emulator } from '../src/server';

const registrySeed = () => proxiedSeed('public:pypi', 'pypi-store', 'python', [pypiPackage('Acme_Tools', ['0.3.1'])]).build();

const TWINE = '/usr/bin/twine';

/** The index URL with credentials, passed to pip through its environment (never argv). */
function pipEnv(emu: Emulator, home: string, token: string): NodeJS.ProcessEnv {
  const index = endpoint(emu, 'pypi', 'python').replace('http://', `http://aws:${token}@`) + 'simple/';
  return toolEnv(home, { PIP_INDEX_URL: index, PIP_NO_CACHE_DIR: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' });
}

async function versionsOf(emu: Emulator, repository: string, pkg: string) {
  const out = await sdkClient(emu.url).send(new ListPackageVersionsCommand({ domain: 'acme', repository, format: 'pypi', package: pkg }));
  return Object.fromEntries((out.versions ?? []).map((v) => [v.version!, v.origin]));
}

describe('PyPI registry with real pip and twine', () => {
  let emu: Emulator;
  const dirs = new TempDirs();
  let home: string;

  before(async () => {
    emu = await startEmulator({ seed: registrySeed(), ingestionDelayMs: 50, ingestionTimeoutMs: 10000 });
    home = dirs.make('pip-home');
  });
  after(async () => {
    dirs.cleanup();
    await emu?.close();
  });

  it('simple index pages link files with #sha256= and normalise names', async () => {
    const token = await tokenFor(emu);
    const res = await fetch(endpoint(emu, 'pypi', 'python') + 'simple/acme-tools/', { headers: { authorization: basic(token) } });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<a href="acme_tools-0\.3\.1-py3-none-any\.whl#sha256=[0-9a-f]{64}">/);
    const root = await (await fetch(endpoint(emu, 'pypi', 'python') + 'simple/', { headers: { authorization: basic(token) } })).text();
    assert.match(root, /<a href="acme-tools\/">acme-tools<\/a>/);
    const none = await fetch(endpoint(emu, 'pypi', 'python') + 'simple/no-such-project/', { headers: { authorization: basic(token) } });
    assert.equal(none.status, 404);
  });

  it('pip installs a public wheel and its dependency through the external connection', async () => {
    const token = await tokenFor(emu);
    const target = dirs.make('pip-target');
    const r = await run('pip', ['install', '--target', target, 'tinyfmt'], { env: pipEnv(emu, home, token), timeoutMs: 120000 });
    assert.equal(r.code, 0, r.output);
    assert.ok(existsSync(join(target, 'tinyfmt', '__init__.py')));
    assert.ok(existsSync(join(target, 'tinycolors', '__init__.py')), 'the dependency is installed too');
    const py = await run('python3', ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(target)}); import tinyfmt; print(tinyfmt.hello())`], { env: toolEnv(home) });
    assert.equal(py.stdout.trim(), 'hello from tinyfmt 1.1.0');
    for (const repo of ['pypi-store', 'python']) {
      const v = await versionsOf(emu, repo, 'tinyfmt');
      assert.deepEqual(v['1.1.0'], { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:pypi' } }, repo);
    }
    // A seeded version without files gets a real wheel on first request.
    const seeded = await run('pip', ['install', '--target', dirs.make('pip-target'), 'acme-tools==0.3.1'], { env: pipEnv(emu, home, token), timeoutMs: 120000 });
    assert.equal(seeded.code, 0, seeded.output);
  });

  it('pip with a bad token is refused with 401 (pip -vv shows it)', async () => {
    const r = await run('pip', ['install', '-vv', '--target', dirs.make('pip-target'), 'tinyfmt'], { env: pipEnv(emu, home, 'not-a-token'), timeoutMs: 60000 });
    assert.notEqual(r.code, 0);
    assert.match(r.output, /401 Client Error: Unauthorized/);
  });

  it('twine upload (Debian twine) publishes an INTERNAL version pip can install', { skip: !existsSync(TWINE) && 'Debian twine is not installed' }, async () => {
    const token = await tokenFor(emu);
    const dist = dirs.make('twine-dist');
    const wheel = buildWheel({ name: 'acme-report', version: '0.1.0', summary: 'Reports' });
    writeFileSync(join(dist, wheel.filename), wheel.data);
    const env = toolEnv(home, { TWINE_USERNAME: 'aws', TWINE_PASSWORD: token, PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring' });
    const up = await run(TWINE, ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', endpoint(emu, 'pypi', 'python'), join(dist, wheel.filename)], {
      env,
      timeoutMs: 60000,
    });
    assert.equal(up.code, 0, up.output);
    const v = await versionsOf(emu, 'python', 'acme-report');
    assert.deepEqual(v['0.1.0'], { originType: 'INTERNAL', domainEntryPoint: { repositoryName: 'python' } });
    const assets = await sdkClient(emu.url).send(
      new ListPackageVersionAssetsCommand({ domain: 'acme', repository: 'python', format: 'pypi', package: 'acme-report', packageVersion: '0.1.0' }),
    );
    assert.equal(assets.assets?.[0]?.name, wheel.filename);
    assert.equal(assets.assets?.[0]?.size, wheel.data.length);

    const again = await run(TWINE, ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', endpoint(emu, 'pypi', 'python'), join(dist, wheel.filename)], {
      env,
      timeoutMs: 60000,
    });
    assert.notEqual(again.code, 0);
    assert.match(again.output, /File already exists/);

    const target = dirs.make('pip-target');
    const inst = await run('pip', ['install', '--target', target, 'acme-report'], { env: pipEnv(emu, home, token), timeoutMs: 120000 });
    assert.equal(inst.code, 0, inst.output);
    assert.ok(existsSync(join(target, 'acme_report', '__init__.py')));
  });
});
