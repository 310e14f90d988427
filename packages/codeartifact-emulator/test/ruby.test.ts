// The RubyGems registry with Debian's real `gem` and `bundle`: gem push of a locally built gem, bundle
// install of it through a downstream repository (gems -> ruby-store (public:ruby-gems-org)), and the
// wire protocol the service serves (Dependencies API only: no compact index, no specs.4.8.gz).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribePackageCommand,
  GetRepositoryEndpointCommand,
  ListPackagesCommand,
  ListPackageVersionAssetsCommand,
  ListPackageVersionDependenciesCommand,
  ListPackageVersionsCommand,
} from '@aws-sdk/client-codeartifact';
import { basic, endpoint, run, sdkClient, seed, TempDirs, tokenFor, toolEnv } from '../src/testing';
import { startEmulator, type Emulator } from '../src/server';

const HAVE_RUBY = existsSync('/usr/bin/gem') && existsSync('/usr/bin/bundle');

const rubySeed = () =>
  seed()
    .domain('acme')
    .repo('ruby-store', { externalConnection: 'public:ruby-gems-org' })
    .repo('gems', { upstreams: ['ruby-store'] })
    .repo('app', { upstreams: ['gems'] })
    .packageGroup('/ruby//blocked-gem$', { restrictions: { PUBLISH: 'BLOCK' } })
    .packageGroup('/ruby//tiny-greeter$', { restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' } })
    .publicPackages({ ruby: [{ name: 'slow-gem', ingestionDelayMs: 1500, versions: [{ version: '2.0.0' }] }] })
    .build();

async function versionsOf(emu: Emulator, repository: string, pkg: string) {
  const out = await sdkClient(emu.url).send(new ListPackageVersionsCommand({ domain: 'acme', repository, format: 'ruby', package: pkg }));
  return Object.fromEntries((out.versions ?? []).map((v) => [v.version!, v.origin]));
}

/** A gem built by the real `gem build` from a tiny gemspec in a temp dir. */
async function buildLocalGem(dir: string, home: string, name: string, version: string, deps: string[] = []): Promise<string> {
  mkdirSync(join(dir, 'lib'), { recursive: true });
  writeFileSync(join(dir, 'lib', `${name}.rb`), `module HelloCa\n  def self.hello\n    "hello from ${name} ${version}"\n  end\nend\n`);
  writeFileSync(
    join(dir, `${name}.gemspec`),
    `Gem::Specification.new do |s|\n  s.name = ${JSON.stringify(name)}\n  s.version = ${JSON.stringify(version)}\n  s.summary = "Test gem"\n  s.authors = ["Acme"]\n  s.license = "MIT"\n  s.files = ["lib/${name}.rb"]\n${deps.map((d) => `  s.add_dependency ${d}\n`).join('')}end\n`,
  );
  const r = await run('gem', ['build', `${name}.gemspec`], { cwd: dir, env: toolEnv(home) });
  assert.equal(r.code, 0, r.output);
  return join(dir, `${name}-${version}.gem`);
}

describe('RubyGems registry with real gem and bundle', { skip: !HAVE_RUBY && 'Debian ruby / ruby-bundler are not installed (scripts/install-test-tools.sh)' }, () => {
  let emu: Emulator;
  const dirs = new TempDirs();
  let home: string;

  before(async () => {
    emu = await startEmulator({ seed: rubySeed(), ingestionDelayMs: 0, ingestionTimeoutMs: 10000 });
    home = dirs.make('ruby-home');
  });
  after(async () => {
    dirs.cleanup();
    await emu?.close();
  });

  it('GetRepositoryEndpoint answers the /ruby/d/ endpoint; the service has no compact index and no spec indexes', async () => {
    const out = await sdkClient(emu.url).send(new GetRepositoryEndpointCommand({ domain: 'acme', repository: 'gems', format: 'ruby' }));
    assert.equal(out.repositoryEndpoint, endpoint(emu, 'ruby', 'gems'));
    const token = await tokenFor(emu);
    const get = (path: string, auth: string | null = basic(token)) => fetch(endpoint(emu, 'ruby', 'gems') + path, { headers: auth ? { authorization: auth } : {} });
    for (const path of ['versions', 'info/tiny-ruby', 'specs.4.8.gz', 'latest_specs.4.8.gz']) assert.equal((await get(path)).status, 404, path);
    const anonymous = await get('api/v1/dependencies', null);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Basic realm="CodeArtifact"');
    assert.equal((await get('api/v1/dependencies', `Bearer ${token}`)).status, 200, 'Bearer is accepted (gem push sends it)');
    const json = (await (await get('api/v1/dependencies.json?gems=tiny-greeter,tiny-ruby')).json()) as { name: string; number: string; dependencies: string[][] }[];
    assert.deepEqual(
      json.map((e) => `${e.name} ${e.number} ${JSON.stringify(e.dependencies)}`).sort(),
      // tiny-greeter's group blocks EXTERNAL_UPSTREAM: nothing of it comes from the public registry.
      ['tiny-ruby 1.0.0 []', 'tiny-ruby 1.1.0 []'],
    );
    const blocked = await get('gems/tiny-greeter-0.2.0.gem');
    assert.equal(blocked.status, 404);
    assert.doesNotMatch(await blocked.text(), /Ingestion is in progress/);
    assert.equal((await get('api/v1/dependencies?gems=bad%20name')).status, 400);
  });

  it('gem push publishes a locally built gem (INTERNAL, asset NAME-VERSION.gem); a repush is refused', async () => {
    const token = await tokenFor(emu);
    const gem = await buildLocalGem(dirs.make('gem-src'), home, 'hello-ca', '0.1.0', ['"tiny-ruby", "~> 1.0"']);
    const host = endpoint(emu, 'ruby', 'gems').replace(/\/$/, '');
    const env = toolEnv(home, { GEM_HOST_API_KEY: `Bearer ${token}` });
    const r = await run('gem', ['push', gem, '--host', host], { env, timeoutMs: 60000 });
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /Successfully registered gem: hello-ca \(0\.1\.0\)/);
    assert.deepEqual((await versionsOf(emu, 'gems', 'hello-ca'))['0.1.0'], { originType: 'INTERNAL', domainEntryPoint: { repositoryName: 'gems' } });
    const assets = await sdkClient(emu.url).send(
      new ListPackageVersionAssetsCommand({ domain: 'acme', repository: 'gems', format: 'ruby', package: 'hello-ca', packageVersion: '0.1.0' }),
    );
    assert.deepEqual(
      assets.assets?.map((a) => a.name),
      ['hello-ca-0.1.0.gem'],
    );
    const deps = await sdkClient(emu.url).send(
      new ListPackageVersionDependenciesCommand({ domain: 'acme', repository: 'gems', format: 'ruby', package: 'hello-ca', packageVersion: '0.1.0' }),
    );
    assert.deepEqual(deps.dependencies, [{ package: 'tiny-ruby', dependencyType: 'runtime', versionRequirement: '~> 1.0' }]);
    const again = await run('gem', ['push', gem, '--host', host], { env, timeoutMs: 60000 });
    assert.notEqual(again.code, 0);
    assert.match(again.output, /Repushing of gem versions is not allowed/);
    const bad = await run('gem', ['push', gem, '--host', host], { env: toolEnv(home, { GEM_HOST_API_KEY: 'Bearer not-a-token' }), timeoutMs: 60000 });
    assert.notEqual(bad.code, 0);
  });

  it('bundle install takes the pushed gem through the downstream repository, credentials from BUNDLE_<HOST>', async () => {
    const token = await tokenFor(emu);
    const project = dirs.make('bundle-project');
    writeFileSync(join(project, 'Gemfile'), `source ${JSON.stringify(endpoint(emu, 'ruby', 'app'))}\n\ngem "hello-ca", "0.1.0"\n`);
    const host = new URL(emu.url).hostname;
    const env = toolEnv(home, {
      // Bundler's per-host credentials through its environment: no token in any file of the project.
      [`BUNDLE_${host.replace(/\./g, '__').replace(/-/g, '___').toUpperCase()}`]: `aws:${token}`,
      BUNDLE_PATH: join(project, 'vendor'),
      BUNDLE_APP_CONFIG: join(project, '.bundle'),
      BUNDLE_DISABLE_VERSION_CHECK: 'true',
    });
    const r = await run('bundle', ['install'], { cwd: project, env, timeoutMs: 180000 });
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /Installing hello-ca 0\.1\.0/);
    assert.match(r.output, /Installing tiny-ruby 1\.1\.0/);
    const ruby = await run('bundle', ['exec', 'ruby', '-e', 'require "hello-ca"; puts HelloCa.hello'], { cwd: project, env });
    assert.equal(ruby.stdout.trim(), 'hello from hello-ca 0.1.0', ruby.output);
    // The walk copied what was fetched into the repository asked; the public gem is EXTERNAL in the store.
    assert.deepEqual((await versionsOf(emu, 'app', 'hello-ca'))['0.1.0'], { originType: 'INTERNAL', domainEntryPoint: { repositoryName: 'gems' } });
    for (const repo of ['ruby-store', 'app']) {
      assert.deepEqual((await versionsOf(emu, repo, 'tiny-ruby'))['1.1.0'], { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:ruby-gems-org' } }, repo);
    }
    const listed = await sdkClient(emu.url).send(new ListPackagesCommand({ domain: 'acme', repository: 'app', format: 'ruby' }));
    assert.deepEqual(listed.packages?.map((p) => p.package).sort(), ['hello-ca', 'tiny-ruby']);
  });

  it('a package group blocking PUBLISH refuses gem push with 403', async () => {
    const token = await tokenFor(emu);
    const gem = await buildLocalGem(dirs.make('gem-src'), home, 'blocked-gem', '1.0.0');
    const r = await run('gem', ['push', gem, '--host', endpoint(emu, 'ruby', 'gems').replace(/\/$/, '')], {
      env: toolEnv(home, { GEM_HOST_API_KEY: `Bearer ${token}` }),
      timeoutMs: 60000,
    });
    assert.notEqual(r.code, 0);
    assert.match(r.output, /blocked by the origin controls of its package group/);
    const d = await sdkClient(emu.url).send(new DescribePackageCommand({ domain: 'acme', repository: 'ruby-store', format: 'ruby', package: 'tiny-ruby' }));
    assert.equal(d.package?.originConfiguration?.restrictions?.upstream, 'ALLOW');
  });

  it('gem install through public:ruby-gems-org: remote resolution needs an index the service lacks; the served gem installs', async () => {
    const token = await tokenFor(emu);
    const source = endpoint(emu, 'ruby', 'app').replace('http://', `http://aws:${token}@`);
    // RubyGems' own resolver (gem install NAME) asks for the compact index (versions) and then the full
    // index (specs.4.8.gz); CodeArtifact serves neither (only the Dependencies API), and neither do we.
    const remote = await run('gem', ['install', '--no-document', '--clear-sources', '--source', source, '--install-dir', dirs.make('gem-install'), 'tiny-ruby'], {
      env: toolEnv(home),
      timeoutMs: 120000,
    });
    assert.notEqual(remote.code, 0);
    assert.match(remote.output, /specs\.4\.8\.gz/);
    // What gem install would fetch once resolved: the Dependencies API answer and the .gem, through the
    // downstream repository and the external connection; the real gem installs those bytes.
    const auth = { authorization: basic(token) };
    const deps = (await (await fetch(endpoint(emu, 'ruby', 'app') + 'api/v1/dependencies.json?gems=tiny-ruby', { headers: auth })).json()) as { number: string }[];
    assert.deepEqual(deps.map((d) => d.number).sort(), ['1.0.0', '1.1.0']);
    const res = await fetch(endpoint(emu, 'ruby', 'app') + 'gems/tiny-ruby-1.0.0.gem', { headers: auth });
    assert.equal(res.status, 200);
    const dir = dirs.make('gem-install');
    const file = join(dir, 'tiny-ruby-1.0.0.gem');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const target = join(dir, 'gems');
    const local = await run('gem', ['install', '--no-document', '--local', '--install-dir', target, file], { env: toolEnv(home), timeoutMs: 120000 });
    assert.equal(local.code, 0, local.output);
    const hello = await run('ruby', ['-I', join(target, 'gems', 'tiny-ruby-1.0.0', 'lib'), '-e', 'require "tiny-ruby"; puts TinyRuby.hello'], { env: toolEnv(home) });
    assert.equal(hello.stdout.trim(), 'hello from tiny-ruby 1.0.0', hello.output);
    for (const repo of ['ruby-store', 'app']) {
      assert.deepEqual((await versionsOf(emu, repo, 'tiny-ruby'))['1.0.0'], { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:ruby-gems-org' } }, repo);
    }
  });

  it('first request for a slow public gem is 404 "Ingestion is in progress"; a retry gets it', async () => {
    const token = await tokenFor(emu);
    await fetch(`${emu.url}/_emulator/settings`, { method: 'POST', body: JSON.stringify({ ingestionTimeoutMs: 100 }) });
    try {
      const get = () => fetch(endpoint(emu, 'ruby', 'ruby-store') + 'gems/slow-gem-2.0.0.gem', { headers: { authorization: basic(token) } });
      const first = await get();
      assert.equal(first.status, 404);
      assert.equal(first.statusText, 'Ingestion is in progress. Please try again later.');
      await new Promise((r) => setTimeout(r, 2000));
      const second = await get();
      assert.equal(second.status, 200);
      assert.equal((await second.arrayBuffer()).byteLength > 0, true);
    } finally {
      await fetch(`${emu.url}/_emulator/settings`, { method: 'POST', body: JSON.stringify({ ingestionTimeoutMs: 10000 }) });
    }
  });
});
