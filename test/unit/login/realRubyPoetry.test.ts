// gem, Bundler and Poetry for real (Debian's ruby, ruby-bundler and python3-poetry) against an in-process emulator,
// configured only by what applyLogin wrote into a temp HOME and by loginEnvironment (the variables the integrated
// terminal gets): `gem push` of a locally built gem, `bundle install` of it, `poetry install` of a PyPI package
// through the repository's external connection. After removeLogin the files are back byte for byte and the same
// commands, run again without the login's variables, fail with 401: it was our login that made them work.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { GetRepositoryEndpointCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { run, sdkClient, seed, startEmulator, TempDirs, tokenFor, toolEnv, type Emulator } from 'codeartifact-emulator/testing';
import { applyLogin, loginEnvironment, removeLogin, type LoginInput } from '../../../src/core/login/loginPlan';
import type { LoginFormat, ToolId } from '../../../src/core/tools';

const HAVE_RUBY = existsSync('/usr/bin/gem') && existsSync('/usr/bin/bundle');
const HAVE_POETRY = spawnSync('poetry', ['--version']).status === 0;

const realSeed = () =>
  seed()
    .domain('acme')
    .repo('ruby-store', { externalConnection: 'public:ruby-gems-org' })
    .repo('pypi-store', { externalConnection: 'public:pypi' })
    .repo('app', { upstreams: ['ruby-store', 'pypi-store'] })
    .build();

async function versions(emu: Emulator, format: 'ruby' | 'pypi', pkg: string): Promise<string[]> {
  try {
    const out = await sdkClient(emu.url).send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'app', format, package: pkg }));
    return (out.versions ?? []).map((v) => v.version!).sort();
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return [];
    throw e;
  }
}

/** The files login wrote, each with its text, so logout can be checked byte for byte. */
function snapshot(files: string[]): Map<string, string | null> {
  return new Map(files.map((f) => [f, existsSync(f) ? readFileSync(f, 'utf8') : null]));
}

describe('real gem, bundle and poetry with what login wrote', () => {
  let emu: Emulator;
  const dirs = new TempDirs();
  let endpoints: Partial<Record<LoginFormat, string>>;

  before(async () => {
    emu = await startEmulator({ seed: realSeed(), ingestionDelayMs: 0, ingestionTimeoutMs: 10_000 });
    const c = sdkClient(emu.url);
    const ep = async (format: LoginFormat) => (await c.send(new GetRepositoryEndpointCommand({ domain: 'acme', repository: 'app', format }))).repositoryEndpoint!;
    endpoints = { ruby: await ep('ruby'), pypi: await ep('pypi') };
  });
  after(async () => {
    dirs.cleanup();
    await emu?.close();
  });

  /** Logs in for `tools` in a fresh HOME (with `before` files), returns the terminal variables and a logout. */
  async function login(tools: ToolId[], beforeFiles: Record<string, string> = {}) {
    const home = dirs.make('home');
    for (const [p, text] of Object.entries(beforeFiles)) {
      mkdirSync(join(home, p, '..'), { recursive: true });
      writeFileSync(join(home, p), text);
    }
    const input: LoginInput = { domain: 'acme', domainOwner: '111122223333', repository: 'app', endpoints, token: await tokenFor(emu), expiresAt: 0, tools };
    const ctx = { home, env: {} };
    const { record, outcomes } = await applyLogin(input, ctx);
    for (const o of outcomes) assert.ok(o.ok, o.error);
    const files = record.files.map((f) => f.record.file);
    const beforeTexts = new Map(files.map((f) => [f, beforeFiles[f.slice(home.length + 1)] ?? null]));
    return {
      home,
      env: loginEnvironment(input),
      logout: async () => {
        for (const o of await removeLogin(record, ctx)) assert.ok(o.ok, o.error);
        assert.deepEqual(snapshot(files), beforeTexts, 'logout leaves every file as it was before login');
      },
    };
  }

  it(
    'gem push with the credentials file and RUBYGEMS_HOST; bundle install with BUNDLE_<HOST>; 401 after logout',
    { skip: !HAVE_RUBY && 'Debian ruby / ruby-bundler are not installed (scripts/install-test-tools.sh)' },
    async () => {
      const { home, env, logout } = await login(['gem', 'bundler'], { '.gem/credentials': '---\n:rubygems_api_key: rubygems_not_ours\n' });
      assert.deepEqual(Object.keys(env).filter((k) => /^(RUBYGEMS_HOST|BUNDLE_)/.test(k)).length, 2, JSON.stringify(Object.keys(env)));
      // A gem of our own, built by the real gem.
      const src = dirs.make('gem-src');
      mkdirSync(join(src, 'lib'));
      writeFileSync(join(src, 'lib', 'hello_ca.rb'), 'module HelloCa\n  def self.hello = "hello from CodeArtifact"\nend\n');
      writeFileSync(
        join(src, 'hello-ca.gemspec'),
        'Gem::Specification.new do |s|\n  s.name = "hello-ca"\n  s.version = "0.1.0"\n  s.summary = "t"\n  s.authors = ["Acme"]\n  s.license = "MIT"\n  s.files = ["lib/hello_ca.rb"]\nend\n',
      );
      const build = async (version: string) => {
        writeFileSync(join(src, 'hello-ca.gemspec'), readFileSync(join(src, 'hello-ca.gemspec'), 'utf8').replace(/s\.version = "[^"]*"/, `s.version = "${version}"`));
        assert.equal((await run('gem', ['build', 'hello-ca.gemspec'], { cwd: src, env: toolEnv(home) })).code, 0);
        return join(src, `hello-ca-${version}.gem`);
      };
      const gemFile = await build('0.1.0');

      const push = await run('gem', ['push', gemFile], { env: toolEnv(home, env), timeoutMs: 120_000 });
      assert.equal(push.code, 0, push.output);
      assert.deepEqual(await versions(emu, 'ruby', 'hello-ca'), ['0.1.0']);

      const bundleRun = async (extra: Record<string, string>) => {
        const project = dirs.make('bundle-project');
        writeFileSync(join(project, 'Gemfile'), `source ${JSON.stringify(endpoints.ruby)}\n\ngem "hello-ca", "0.1.0"\ngem "tiny-ruby", "1.0.0"\n`);
        const benv = { BUNDLE_PATH: join(project, 'vendor'), BUNDLE_USER_HOME: dirs.make('bundle-user'), BUNDLE_DISABLE_VERSION_CHECK: 'true' };
        return { project, r: await run('bundle', ['install'], { cwd: project, env: toolEnv(home, { ...benv, ...extra }), timeoutMs: 180_000 }) };
      };
      const ok = await bundleRun(env);
      assert.equal(ok.r.code, 0, ok.r.output);
      assert.deepEqual(await versions(emu, 'ruby', 'tiny-ruby'), ['1.0.0'], 'tiny-ruby came through the external connection');
      const token = env.CODEARTIFACT_AUTH_TOKEN;
      assert.ok(!readFileSync(join(ok.project, 'Gemfile.lock'), 'utf8').includes(token), 'no token in Gemfile.lock');
      assert.equal(existsSync(join(ok.project, '.bundle', 'config')), false, 'nothing in .bundle/config');

      await logout();
      const denied = await bundleRun({});
      assert.notEqual(denied.r.code, 0);
      assert.match(denied.r.output, /Authentication is required for 127\.0\.0\.1|401/, denied.r.output);
      // The same push of a new version, to the same host, without the login's credentials line: refused.
      const pushAgain = await run('gem', ['push', await build('0.2.0'), '--host', env.RUBYGEMS_HOST], { env: toolEnv(home), timeoutMs: 120_000 });
      assert.notEqual(pushAgain.code, 0, pushAgain.output);
      assert.match(pushAgain.output, /No authorization token/, 'the registry refused it (401)');
      assert.deepEqual(await versions(emu, 'ruby', 'hello-ca'), ['0.1.0']);
    },
  );

  it(
    'poetry install through the repository with POETRY_HTTP_BASIC_*; 401 after logout',
    { skip: !HAVE_POETRY && 'Debian python3-poetry is not installed (scripts/install-test-tools.sh)' },
    async () => {
      const { home, env, logout } = await login(['poetry']);
      const poetryRun = async (extra: Record<string, string>) => {
        const project = dirs.make('poetry-project');
        writeFileSync(
          join(project, 'pyproject.toml'),
          [
            '[tool.poetry]',
            'name = "demo"',
            'version = "0.1.0"',
            'description = ""',
            'authors = ["Acme <dev@example.com>"]',
            '',
            '[tool.poetry.dependencies]',
            'python = "^3.8"',
            'tinyfmt = "1.1.0"',
            '',
            '[[tool.poetry.source]]',
            'name = "acme-app"',
            `url = "${endpoints.pypi}simple/"`,
            'default = true',
            '',
          ].join('\n'),
        );
        const penv = {
          POETRY_CACHE_DIR: dirs.make('poetry-cache'),
          POETRY_VIRTUALENVS_IN_PROJECT: 'true',
          PYTHON_KEYRING_BACKEND: 'keyring.backends.null.Keyring',
          POETRY_NO_INTERACTION: '1',
        };
        return run('poetry', ['install', '--no-root'], { cwd: project, env: toolEnv(home, { ...penv, ...extra }), timeoutMs: 300_000 });
      };
      const ok = await poetryRun(env);
      assert.equal(ok.code, 0, ok.output);
      assert.match(ok.output, /Installing tinyfmt \(1\.1\.0\)/);
      assert.deepEqual(await versions(emu, 'pypi', 'tinyfmt'), ['1.1.0']);

      await logout();
      const denied = await poetryRun({});
      assert.notEqual(denied.code, 0);
      assert.match(denied.output, /Authorization error accessing http:\/\/127\.0\.0\.1|401/, denied.output);
    },
  );
});
