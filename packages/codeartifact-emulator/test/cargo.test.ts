// The Cargo registry with the real cargo (the machine's, sparse protocol): `cargo fetch` through
// team -> app -> crates-store (public:crates-io) with ingestion 404s, `cargo publish` and yank, the
// wire protocol (config.json, index paths, the publish body) and governance, tokens.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DescribePackageCommand, ListPackagesCommand, ListPackageVersionAssetsCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { admin, endpoint, run, sdkClient, seed, TempDirs, tokenFor, toolEnv } from '../src/testing';
import { startEmulator, type Emulator } from '../src/server';
import { buildCrate, cargoIndexPath } from '../src/registries/cargo';

const HAS_CARGO = spawnSync('cargo', ['--version']).status === 0;

const registrySeed = () =>
  seed()
    .domain('acme')
    .repo('crates-store', { externalConnection: 'public:crates-io' })
    .repo('app', { upstreams: ['crates-store'] })
    .repo('team', { upstreams: ['app'] })
    .repo('locked', { upstreams: ['crates-store'] })
    .packageGroup('/cargo//blocked-crate$', { restrictions: { PUBLISH: 'BLOCK' } })
    .build();

async function versionsOf(emu: Emulator, repository: string, pkg: string) {
  const out = await sdkClient(emu.url).send(new ListPackageVersionsCommand({ domain: 'acme', repository, format: 'cargo', package: pkg }));
  return Object.fromEntries((out.versions ?? []).map((v) => [v.version!, { status: v.status, origin: v.origin }]));
}

function publishBody(meta: Record<string, unknown>, crate: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(meta));
  const a = Buffer.alloc(4);
  a.writeUInt32LE(json.length);
  const b = Buffer.alloc(4);
  b.writeUInt32LE(crate.length);
  return Buffer.concat([a, json, b, crate]);
}

/** A CARGO_HOME whose config.toml names the registry `ca` as the AWS User Guide's Cargo setup does. */
function cargoEnv(dirs: TempDirs, emu: Emulator, repo: string, token: string): NodeJS.ProcessEnv {
  const home = dirs.make('cargo-home');
  writeFileSync(join(home, 'config.toml'), `[registries.ca]\nindex = "sparse+${endpoint(emu, 'cargo', repo)}"\ncredential-provider = "cargo:token"\n\n[net]\nretry = 0\n`);
  return toolEnv(home, {
    CARGO_HOME: home,
    CARGO_REGISTRIES_CA_TOKEN: `Bearer ${token}`,
    CARGO_TERM_COLOR: 'never',
    RUSTUP_HOME: process.env.RUSTUP_HOME ?? join(homedir(), '.rustup'),
  });
}

function project(dirs: TempDirs, name: string, deps: string): string {
  const dir = dirs.make('cargo-proj');
  writeFileSync(
    join(dir, 'Cargo.toml'),
    `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\ndescription = "demo"\nlicense = "MIT"\npublish = ["ca"]\n\n[dependencies]\n${deps}`,
  );
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'lib.rs'), 'pub fn f() {}\n');
  return dir;
}

describe('Cargo registry (sparse index)', () => {
  let emu: Emulator;
  const dirs = new TempDirs();

  before(async () => {
    emu = await startEmulator({ seed: registrySeed(), ingestionDelayMs: 600, ingestionTimeoutMs: 100 });
  });
  after(async () => {
    dirs.cleanup();
    await emu?.close();
  });

  it('serves config.json and index files at the name-length paths; tokens are required', async () => {
    assert.equal(cargoIndexPath('a'), '1/a');
    assert.equal(cargoIndexPath('ab'), '2/ab');
    assert.equal(cargoIndexPath('abc'), '3/a/abc');
    assert.equal(cargoIndexPath('TinyLog'), 'ti/ny/tinylog');
    const ep = endpoint(emu, 'cargo', 'app');
    const out = await sdkClient(emu.url).send(
      new (await import('@aws-sdk/client-codeartifact')).GetRepositoryEndpointCommand({ domain: 'acme', repository: 'app', format: 'cargo' }),
    );
    assert.equal(out.repositoryEndpoint, ep);
    const anon = await fetch(ep + 'config.json');
    assert.equal(anon.status, 401);
    const token = await tokenFor(emu);
    const auth = { authorization: `Bearer ${token}` };
    const config = (await (await fetch(ep + 'config.json', { headers: auth })).json()) as Record<string, unknown>;
    assert.deepEqual(config, { dl: `${ep}api/v1/crates`, api: ep.replace(/\/$/, ''), 'auth-required': true });
    const index = await fetch(ep + 'ti/ny/tinyrand', { headers: auth });
    assert.equal(index.status, 200);
    const lines = (await index.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { vers: string; cksum: string });
    assert.deepEqual(
      lines.map((l) => l.vers),
      ['0.1.0', '0.2.0'],
    );
    assert.match(lines[0].cksum, /^[0-9a-f]{64}$/);
    assert.equal((await fetch(ep + 'no/ne/nonexistent', { headers: auth })).status, 404);
    assert.equal((await fetch(ep + 'xx/ny/tinyrand', { headers: auth })).status, 404, 'a wrong prefix is not an index file');
    const bad = await fetch(ep + 'config.json', { headers: { authorization: 'Bearer nope' } });
    assert.equal(bad.status, 401);
    assert.deepEqual(await bad.json(), { errors: [{ detail: 'Invalid authorization token' }] });
  });

  it('a download through team ingests from public:crates-io: 404 "Ingestion is in progress", then the .crate', async () => {
    const token = await tokenFor(emu);
    const url = endpoint(emu, 'cargo', 'team') + 'api/v1/crates/tinyrand/0.1.0/download';
    const first = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(first.status, 404);
    assert.deepEqual(await first.json(), { errors: [{ detail: 'Ingestion is in progress. Please try again later.' }] });
    await new Promise((r) => setTimeout(r, 900));
    const second = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(second.status, 200);
    assert.deepEqual(Buffer.from(await second.arrayBuffer()), buildCrate('tinyrand', '0.1.0'));
    for (const repo of ['crates-store', 'team']) {
      assert.deepEqual(
        (await versionsOf(emu, repo, 'tinyrand'))['0.1.0'].origin,
        { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:crates-io' } },
        repo,
      );
    }
    const assets = await sdkClient(emu.url).send(
      new ListPackageVersionAssetsCommand({ domain: 'acme', repository: 'team', format: 'cargo', package: 'tinyrand', packageVersion: '0.1.0' }),
    );
    assert.deepEqual(
      assets.assets?.map((a) => a.name),
      ['tinyrand-0.1.0.crate'],
    );
  });

  it('publish (length-prefixed JSON + .crate), conflicts, yank, origin controls and bad bodies', async () => {
    const token = await tokenFor(emu);
    const ep = endpoint(emu, 'cargo', 'app');
    const put = (body: Buffer, repo = 'app') =>
      fetch(endpoint(emu, 'cargo', repo) + 'api/v1/crates/new', { method: 'PUT', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' } });
    const meta = {
      name: 'acme-core',
      vers: '0.3.0',
      deps: [{ name: 'tinyrand', version_req: '^0.2', features: [], optional: false, default_features: true, target: null, kind: 'normal' }],
      features: {},
      description: 'Core',
    };
    const crate = buildCrate('acme-core', '0.3.0');
    const ok = await put(publishBody(meta, crate));
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.deepEqual(await ok.json(), { warnings: { invalid_categories: [], invalid_badges: [], other: [] } });
    const again = await put(publishBody(meta, crate));
    assert.equal(again.status, 409);
    const line = JSON.parse(await (await fetch(ep + 'ac/me/acme-core', { headers: { authorization: `Bearer ${token}` } })).text()) as Record<string, unknown>;
    assert.equal(line.vers, '0.3.0');
    assert.deepEqual(line.deps, [{ name: 'tinyrand', req: '^0.2', features: [], optional: false, default_features: true, target: null, kind: 'normal' }]);
    assert.equal(line.yanked, false);
    assert.deepEqual(await versionsOf(emu, 'app', 'acme-core'), {
      '0.3.0': { status: 'Published', origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: 'app' } } },
    });
    // Yank makes the version Unlisted (still downloadable, yanked in the index); unyank brings it back.
    const yank = await fetch(ep + 'api/v1/crates/acme-core/0.3.0/yank', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    assert.equal(yank.status, 200);
    assert.equal((await versionsOf(emu, 'app', 'acme-core'))['0.3.0'].status, 'Unlisted');
    assert.match(await (await fetch(endpoint(emu, 'cargo', 'team') + 'ac/me/acme-core', { headers: { authorization: `Bearer ${token}` } })).text(), /"yanked":true/);
    assert.equal((await fetch(ep + 'api/v1/crates/acme-core/0.3.0/unyank', { method: 'PUT', headers: { authorization: `Bearer ${token}` } })).status, 200);
    // The package group blocks publishing blocked-crate.
    const blocked = await put(publishBody({ name: 'blocked-crate', vers: '1.0.0', deps: [] }, buildCrate('blocked-crate', '1.0.0')));
    assert.equal(blocked.status, 403);
    const described = await sdkClient(emu.url).send(new DescribePackageCommand({ domain: 'acme', repository: 'app', format: 'cargo', package: 'acme-core' }));
    assert.deepEqual(described.package?.originConfiguration, { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } });
    // Bad bodies: 400, nothing stored.
    for (const body of [
      Buffer.alloc(2),
      Buffer.from([255, 255, 0, 0, 1]),
      publishBody({ name: 'x y', vers: '1.0.0' }, crate),
      publishBody({ name: 'acme-core', vers: '0.4.0' }, Buffer.from('junk')),
    ]) {
      assert.equal((await put(body)).status, 400);
    }
    const pkgs = await sdkClient(emu.url).send(new ListPackagesCommand({ domain: 'acme', repository: 'app', format: 'cargo' }));
    assert.deepEqual(
      pkgs.packages?.map((p) => p.package),
      ['acme-core'],
    );
    assert.deepEqual(Object.keys(await admin(emu, 'stats')).length > 0, true);
  });

  it('an upstream BLOCK makes a not-yet-ingested crate a plain 404', async () => {
    const token = await tokenFor(emu);
    const emuLocked = emu.ctx.state.domains['111122223333/acme'].repositories.locked;
    emuLocked.packages['cargo\u0000\u0000tinylog'] = {
      format: 'cargo',
      name: 'tinylog',
      originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } },
      versions: {},
    };
    const res = await fetch(endpoint(emu, 'cargo', 'locked') + 'api/v1/crates/tinylog/1.0.0/download', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { errors: [{ detail: 'Not Found' }] });
  });

  it('real cargo: fetch through team (ingestion 404, then success), publish --no-verify, fetch what was published', { skip: !HAS_CARGO && 'cargo is not installed' }, async () => {
    const token = await tokenFor(emu);
    const env = cargoEnv(dirs, emu, 'team', token);
    const dir = project(dirs, 'demo-app', 'tinylog = { version = "1", registry = "ca" }\n');
    const first = await run('cargo', ['fetch'], { cwd: dir, env, timeoutMs: 120000 });
    assert.notEqual(first.code, 0, first.output);
    assert.match(first.output, /404/);
    assert.match(first.output, /Ingestion is in progress/);
    await new Promise((r) => setTimeout(r, 900));
    const second = await run('cargo', ['fetch'], { cwd: dir, env, timeoutMs: 120000 });
    assert.equal(second.code, 0, second.output);
    assert.deepEqual(Object.keys(await versionsOf(emu, 'team', 'tinylog')), ['1.0.0']);
    assert.ok(Object.keys(await versionsOf(emu, 'team', 'tinyrand')).includes('0.2.0'), 'the dependency was fetched too');

    const lib = project(dirs, 'acme-widgets', 'tinyrand = { version = "0.2", registry = "ca" }\n');
    const pub = await run('cargo', ['publish', '--no-verify', '--allow-dirty', '--registry', 'ca'], { cwd: lib, env: cargoEnv(dirs, emu, 'app', token), timeoutMs: 120000 });
    assert.equal(pub.code, 0, pub.output);
    assert.equal((await versionsOf(emu, 'app', 'acme-widgets'))['0.1.0'].origin?.originType, 'INTERNAL');
    const user = project(dirs, 'widget-user', 'acme-widgets = { version = "0.1", registry = "ca" }\n');
    const fetched = await run('cargo', ['fetch'], { cwd: user, env, timeoutMs: 120000 });
    assert.equal(fetched.code, 0, fetched.output);
    const bad = await run('cargo', ['fetch'], { cwd: dirs.make('cargo-proj2'), env: { ...env, CARGO_REGISTRIES_CA_TOKEN: 'Bearer nope' }, timeoutMs: 60000 });
    assert.notEqual(bad.code, 0);
    const denied = project(dirs, 'denied', 'tinylog = { version = "1", registry = "ca" }\n');
    const refused = await run('cargo', ['fetch'], { cwd: denied, env: { ...env, CARGO_REGISTRIES_CA_TOKEN: 'Bearer nope' }, timeoutMs: 60000 });
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /401|Invalid authorization token/);
  });
});
