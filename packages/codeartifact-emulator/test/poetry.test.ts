// Poetry (Debian's python3-poetry, scripts/install-test-tools.sh) against the emulator's PyPI registry, for real:
// `poetry publish` of a library to a repository configured only by environment variables, then `poetry install` of
// a project whose one source is that repository, which resolves the published library and a public package
// (tinyfmt, and its dependency tinycolors) through the external connection. The token is passed through
// POETRY_HTTP_BASIC_<SOURCE>_PASSWORD, never argv.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListPackageVersionAssetsCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { endpoint, proxiedSeed, run, sdkClient, TempDirs, tokenFor, toolEnv } from '../src/testing';
import { startEmulator, type Emulator } from '../src/server';

const POETRY = '/usr/bin/poetry';

describe('Poetry against the PyPI registry', () => {
  let emu: Emulator;
  const dirs = new TempDirs();
  let home: string;

  before(async () => {
    emu = await startEmulator({ seed: proxiedSeed('public:pypi', 'pypi-store', 'python').build(), ingestionDelayMs: 0 });
    home = dirs.make('poetry-home');
  });
  after(async () => {
    dirs.cleanup();
    await emu?.close();
  });

  /** Poetry's environment: a throw-away HOME and cache, no keyring, the `ca` source's URL and credentials. */
  const poetryEnv = (token: string, extra: Record<string, string> = {}) =>
    toolEnv(home, {
      POETRY_CACHE_DIR: join(home, 'cache'),
      POETRY_CONFIG_DIR: join(home, 'config'),
      POETRY_NO_INTERACTION: '1',
      PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
      POETRY_VIRTUALENVS_IN_PROJECT: 'true',
      POETRY_REPOSITORIES_CA_URL: endpoint(emu, 'pypi', 'python'),
      POETRY_HTTP_BASIC_CA_USERNAME: 'aws',
      POETRY_HTTP_BASIC_CA_PASSWORD: token,
      ...extra,
    });

  it('poetry publish to the repository, then poetry install of it and of a public package through the external connection', async () => {
    const token = await tokenFor(emu);
    const lib = dirs.make('poetry-lib');
    mkdirSync(join(lib, 'hello_poetry'));
    writeFileSync(join(lib, 'hello_poetry', '__init__.py'), 'def hello():\n    return "hello from poetry"\n');
    writeFileSync(
      join(lib, 'pyproject.toml'),
      [
        '[tool.poetry]',
        'name = "hello-poetry"',
        'version = "0.1.0"',
        'description = "published by poetry to the emulator"',
        'authors = ["Emulator Tests <tests@example.com>"]',
        'packages = [{ include = "hello_poetry" }]',
        '',
        '[tool.poetry.dependencies]',
        'python = ">=3.7"',
        '',
        '[build-system]',
        'requires = ["poetry-core>=1.0.0"]',
        'build-backend = "poetry.core.masonry.api"',
        '',
      ].join('\n'),
    );
    const published = await run(POETRY, ['publish', '--build', '-r', 'ca'], { cwd: lib, env: poetryEnv(token), timeoutMs: 60000 });
    assert.equal(published.code, 0, published.output);
    assert.doesNotMatch(published.output, new RegExp(token), 'poetry does not print the token');
    const ca = sdkClient(emu.url);
    const assets = await ca.send(new ListPackageVersionAssetsCommand({ domain: 'acme', repository: 'python', format: 'pypi', package: 'hello-poetry', packageVersion: '0.1.0' }));
    assert.deepEqual(assets.assets?.map((a) => a.name).sort(), ['hello_poetry-0.1.0-py3-none-any.whl', 'hello_poetry-0.1.0.tar.gz']);

    const app = dirs.make('poetry-app');
    writeFileSync(
      join(app, 'pyproject.toml'),
      [
        '[tool.poetry]',
        'name = "app"',
        'version = "0.1.0"',
        'description = "installs through the emulator"',
        'authors = ["Emulator Tests <tests@example.com>"]',
        '',
        '[tool.poetry.dependencies]',
        'python = ">=3.7"',
        'hello-poetry = "0.1.0"',
        'tinyfmt = "*"',
        '',
        '[[tool.poetry.source]]',
        'name = "ca"',
        `url = "${endpoint(emu, 'pypi', 'python')}simple/"`,
        'default = true',
        '',
      ].join('\n'),
    );
    const installed = await run(POETRY, ['install', '--no-root'], { cwd: app, env: poetryEnv(token), timeoutMs: 90000 });
    assert.equal(installed.code, 0, installed.output);
    assert.match(installed.output, /Installing hello-poetry \(0\.1\.0\)/);
    assert.match(installed.output, /Installing tinyfmt/);
    assert.match(installed.output, /Installing tinycolors/, 'the public package brings its dependency');
    const lock = readFileSync(join(app, 'poetry.lock'), 'utf8');
    assert.doesNotMatch(lock, new RegExp(token), 'the lock file holds no token');
    const python = join(app, '.venv', 'bin', 'python');
    assert.ok(existsSync(python));
    const used = await run(python, ['-c', 'import hello_poetry, tinyfmt; print(hello_poetry.hello()); print(tinyfmt.hello())'], { env: toolEnv(home) });
    assert.equal(used.code, 0, used.output);
    assert.match(used.stdout, /hello from poetry/);
    const versions = await ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'python', format: 'pypi', package: 'tinyfmt' }));
    assert.ok(
      versions.versions?.some((v) => v.origin?.originType === 'EXTERNAL'),
      'tinyfmt was ingested from public:pypi',
    );
    ca.destroy();

    // A wrong password is refused, and poetry says so.
    const refused = await run(POETRY, ['publish', '-r', 'ca'], { cwd: lib, env: poetryEnv('not-a-token'), timeoutMs: 60000 });
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /401|Unauthorized|Invalid/i);
  });
});
