// The npm registry with the real npm client: installs through app -> npm-store (public:npmjs) with
// ingestion 404s, publish of a scoped package, and an expired token.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetPackageVersionReadmeCommand, ListPackageVersionAssetsCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { admin, endpoint, npmPackage, proxiedSeed, run, sdkClient, TempDirs, tokenFor, toolEnv, writeSecret } from '../src/testing';
import { startEmulator, type Emulator } from '../src/server';

const registrySeed = () =>
  proxiedSeed('public:npmjs', 'npm-store', 'app', [npmPackage('@acme/ui', [{ version: '1.0.0', dependencies: { 'left-pad': '^1.3.0' }, readme: '# @acme/ui' }])]).build();

/** A project folder whose .npmrc points at the repository with a token, as `aws codeartifact login --tool npm` would. */
function project(dirs: TempDirs, emu: Emulator, token: string, deps: Record<string, string>): string {
  const dir = dirs.make('npm-proj');
  const reg = endpoint(emu, 'npm', 'app');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo-app', version: '1.0.0', private: true, dependencies: deps }, null, 2));
  writeSecret(join(dir, '.npmrc'), `registry=${reg}\n${reg.replace(/^http:/, '')}:_authToken=${token}\nupdate-notifier=false\n`);
  return dir;
}

function npmInstall(dir: string, home: string, cache: string) {
  return run('npm', ['install', '--no-audit', '--no-fund', '--cache', cache], { cwd: dir, env: toolEnv(home), timeoutMs: 120000 });
}

async function versionsOf(emu: Emulator, repository: string, pkg: string, namespace?: string) {
  const out = await sdkClient(emu.url).send(new ListPackageVersionsCommand({ domain: 'acme', repository, format: 'npm', namespace, package: pkg }));
  return Object.fromEntries((out.versions ?? []).map((v) => [v.version!, v.origin]));
}

describe('npm registry with the real npm client', () => {
  let emu: Emulator;
  const dirs = new TempDirs();
  let home: string;

  before(async () => {
    emu = await startEmulator({ seed: registrySeed(), ingestionDelayMs: 600, ingestionTimeoutMs: 100 });
    home = dirs.make('npm-home');
  });
  after(async () => {
    dirs.cleanup();
    await emu?.close();
  });

  it('first install hits "Ingestion is in progress", a later one succeeds, versions are EXTERNAL in both repositories', async () => {
    const token = await tokenFor(emu);
    const dir = project(dirs, emu, token, { 'is-even': '^1.0.0', '@acme/ui': '^1.0.0' });
    const cache = dirs.make('npm-cache');

    const first = await npmInstall(dir, home, cache);
    assert.notEqual(first.code, 0, first.output);
    if (process.env.EMU_SHOW_OUTPUT) console.log(first.output);
    assert.match(first.output, /E404/);
    assert.match(first.output, /404 Not Found - GET http:\/\/127\.0\.0\.1:\d+\/npm\/d\/acme-111122223333\/app\/\S+ - Ingestion is in progress\. Please try again later\./);

    await new Promise((r) => setTimeout(r, 900)); // ingestion (600 ms) goes on without the client
    const second = await npmInstall(dir, home, cache);
    assert.equal(second.code, 0, second.output);
    const installed = (p: string) => (JSON.parse(readFileSync(join(dir, 'node_modules', p, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(installed('is-even'), '1.0.0');
    assert.equal(installed('is-odd'), '1.1.0');
    assert.equal(installed('left-pad'), '1.3.0');
    assert.equal(installed('@acme/ui'), '1.0.0');

    // Ingestion brought is-odd's newest ^1 (1.1.0) and its latest (2.0.0) into the store; the app
    // repository holds only what was fetched through it.
    const store = await versionsOf(emu, 'npm-store', 'is-odd');
    assert.deepEqual(Object.keys(store).sort(), ['1.1.0', '2.0.0']);
    for (const o of Object.values(store)) assert.deepEqual(o, { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:npmjs' } });
    const app = await versionsOf(emu, 'app', 'is-odd');
    assert.deepEqual(Object.keys(app), ['1.1.0']);
    assert.equal(app['1.1.0']?.originType, 'EXTERNAL');
    for (const repo of ['npm-store', 'app']) {
      for (const pkg of ['is-even', 'left-pad']) {
        const v = await versionsOf(emu, repo, pkg);
        assert.equal(Object.values(v)[0]?.originType, 'EXTERNAL', `${pkg} in ${repo}`);
        assert.equal(Object.values(v)[0]?.domainEntryPoint?.externalConnectionName, 'public:npmjs');
      }
    }
    const ui = await versionsOf(emu, 'app', 'ui', 'acme');
    assert.equal(ui['1.0.0']?.originType, 'INTERNAL');
  });

  it('npm publish of a scoped package stores an INTERNAL version with its tarball asset and readme', async () => {
    const token = await tokenFor(emu);
    const dir = dirs.make('npm-pub');
    const reg = endpoint(emu, 'npm', 'app');
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: '@acme/widget', version: '1.2.3', description: 'A widget', main: 'index.js', dependencies: { 'left-pad': '^1.3.0' } }),
    );
    writeFileSync(join(dir, 'index.js'), 'module.exports = 42;\n');
    writeFileSync(join(dir, 'README.md'), '# @acme/widget\n\nWidgets for everyone.\n');
    writeSecret(join(dir, '.npmrc'), `registry=${reg}\n${reg.replace(/^http:/, '')}:_authToken=${token}\nupdate-notifier=false\n`);
    const pub = await run('npm', ['publish', '--cache', dirs.make('npm-cache')], { cwd: dir, env: toolEnv(home), timeoutMs: 60000 });
    assert.equal(pub.code, 0, pub.output);

    const client = sdkClient(emu.url);
    const versions = await versionsOf(emu, 'app', 'widget', 'acme');
    assert.deepEqual(versions['1.2.3'], { originType: 'INTERNAL', domainEntryPoint: { repositoryName: 'app' } });
    const assets = await client.send(
      new ListPackageVersionAssetsCommand({ domain: 'acme', repository: 'app', format: 'npm', namespace: 'acme', package: 'widget', packageVersion: '1.2.3' }),
    );
    assert.equal(assets.assets?.length, 1);
    assert.equal(assets.assets?.[0].name, 'package.tgz', 'the service names every npm asset package.tgz');
    assert.ok((assets.assets?.[0].size ?? 0) > 100);
    assert.match(assets.assets?.[0].hashes?.['SHA-256'] ?? '', /^[0-9a-f]{64}$/);
    const readme = await client.send(
      new GetPackageVersionReadmeCommand({ domain: 'acme', repository: 'app', format: 'npm', namespace: 'acme', package: 'widget', packageVersion: '1.2.3' }),
    );
    assert.match(readme.readme ?? '', /Widgets for everyone/);

    // The published tarball is what npm then installs (its integrity checked by npm).
    const consumer = project(dirs, emu, token, { '@acme/widget': '1.2.3' });
    const inst = await npmInstall(consumer, home, dirs.make('npm-cache'));
    assert.equal(inst.code, 0, inst.output);
    assert.equal(readFileSync(join(consumer, 'node_modules', '@acme', 'widget', 'index.js'), 'utf8'), 'module.exports = 42;\n');

    const again = await run('npm', ['publish', '--cache', dirs.make('npm-cache')], { cwd: dir, env: toolEnv(home), timeoutMs: 60000 });
    assert.notEqual(again.code, 0);
    assert.match(again.output, /E409|cannot publish over/i);
  });

  it('an expired token gets an auth error (E401), not a 404', async () => {
    await admin(emu, 'settings', { ingestionDelayMs: 0, ingestionTimeoutMs: 5000 });
    const token = await tokenFor(emu, 'acme', 900);
    const dir = project(dirs, emu, token, { 'left-pad': '^1.3.0' });
    await admin(emu, 'clock', { advanceSeconds: 901 });
    const res = await npmInstall(dir, home, dirs.make('npm-cache'));
    assert.notEqual(res.code, 0);
    assert.match(res.output, /E401/);
    if (process.env.EMU_SHOW_OUTPUT) console.log(res.output);
    assert.doesNotMatch(res.output, /E404/);
  });
});
