// Issue 15's emulator row: names that are Object.prototype members work like any other name (through the real
// SDK, and across a --state restart), the admin routes refuse bad JSON and non-numbers with a 400 naming the
// field, and issued tokens are pruned once expired.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  CreateDomainCommand,
  CreateRepositoryCommand,
  DeleteDomainCommand,
  DeleteRepositoryCommand,
  DescribeDomainCommand,
  DescribePackageVersionCommand,
  DescribeRepositoryCommand,
  GetAuthorizationTokenCommand,
  ListPackagesCommand,
  ListPackageVersionsCommand,
  ListRepositoriesInDomainCommand,
  PublishPackageVersionCommand,
  UpdateRepositoryCommand,
  type CodeartifactClient,
} from '@aws-sdk/client-codeartifact';
import { startEmulator, type Emulator } from '../src/server';
import { EXPIRED_TOKEN_GRACE_SECONDS } from '../src/state';
import { admin, raw, rejection, sdkClient, testSeed } from '../src/testing';

const REPOSITORY_NAMES = ['toString', 'constructor', 'hasOwnProperty', 'valueOf'];
const PACKAGE_NAMES = ['toString', 'constructor', 'hasOwnProperty', '__proto__'];

describe('prototype names, admin input and token pruning', () => {
  let emu: Emulator;
  let ca: CodeartifactClient;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ca-names-'));
    emu = await startEmulator({ seed: testSeed(), stateFile: join(dir, 'state.json') });
    ca = sdkClient(emu.url);
  });
  after(async () => {
    ca.destroy();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('repositories, domains, packages and versions named toString, constructor, hasOwnProperty, __proto__', async () => {
    for (const repository of REPOSITORY_NAMES) {
      const missing = await rejection(ca.send(new DescribeRepositoryCommand({ domain: 'acme', repository })));
      assert.equal(missing.name, 'ResourceNotFoundException', `${repository}: ${String(missing.message)}`);
      const created = await ca.send(new CreateRepositoryCommand({ domain: 'acme', repository, upstreams: [{ repositoryName: 'app' }] }));
      assert.equal(created.repository?.name, repository);
      assert.equal((await ca.send(new DescribeRepositoryCommand({ domain: 'acme', repository }))).repository?.upstreams?.[0].repositoryName, 'app');
      await ca.send(new UpdateRepositoryCommand({ domain: 'acme', repository, description: `named ${repository}` }));
    }
    const listed = (await ca.send(new ListRepositoriesInDomainCommand({ domain: 'acme' }))).repositories?.map((r) => r.name);
    for (const repository of REPOSITORY_NAMES) assert.ok(listed?.includes(repository), `${repository} listed`);
    // `__proto__` is not a valid repository name (it must start with a letter or digit): a validation error, not a 500.
    const proto = await rejection(ca.send(new CreateRepositoryCommand({ domain: 'acme', repository: '__proto__' })));
    assert.equal(proto.name, 'ValidationException');

    assert.equal((await rejection(ca.send(new DescribeDomainCommand({ domain: 'constructor' })))).name, 'ResourceNotFoundException');
    assert.equal((await ca.send(new CreateDomainCommand({ domain: 'constructor' }))).domain?.name, 'constructor');
    assert.equal((await ca.send(new DescribeDomainCommand({ domain: 'constructor' }))).domain?.repositoryCount, 0);

    const data = Buffer.from('bytes');
    const sha = createHash('sha256').update(data).digest('hex');
    for (const name of PACKAGE_NAMES) {
      for (const version of ['constructor', '__proto__', '1.0.0']) {
        const coords = { domain: 'acme', repository: 'toString', format: 'generic' as const, namespace: 'hasOwnProperty', package: name, packageVersion: version };
        const missing = await rejection(ca.send(new DescribePackageVersionCommand(coords)));
        assert.equal(missing.name, 'ResourceNotFoundException', `${name}@${version}: ${String(missing.message)}`);
        const published = await ca.send(new PublishPackageVersionCommand({ ...coords, assetContent: data, assetName: 'a.bin', assetSHA256: sha }));
        assert.equal(published.version, version);
      }
      const versions = await ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'toString', format: 'generic', namespace: 'hasOwnProperty', package: name }));
      assert.deepEqual(versions.versions?.map((v) => v.version).sort(), ['1.0.0', '__proto__', 'constructor']);
    }
    const packages = await ca.send(new ListPackagesCommand({ domain: 'acme', repository: 'toString' }));
    assert.deepEqual(packages.packages?.map((p) => p.package).sort(), [...PACKAGE_NAMES].sort());
  });

  it('the names survive a --state restart', async () => {
    await emu.close();
    emu = await startEmulator({ seed: testSeed(), stateFile: join(dir, 'state.json') });
    ca.destroy();
    ca = sdkClient(emu.url);
    assert.equal((await ca.send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'toString' }))).repository?.description, 'named toString');
    const v = await ca.send(
      new DescribePackageVersionCommand({
        domain: 'acme',
        repository: 'toString',
        format: 'generic',
        namespace: 'hasOwnProperty',
        package: '__proto__',
        packageVersion: 'constructor',
      }),
    );
    assert.equal(v.packageVersion?.packageName, '__proto__');
    assert.equal(
      (await ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'toString', format: 'generic', namespace: 'hasOwnProperty', package: '__proto__' }))).versions
        ?.length,
      3,
    );
    for (const repository of REPOSITORY_NAMES) await ca.send(new DeleteRepositoryCommand({ domain: 'acme', repository }));
    await ca.send(new DeleteDomainCommand({ domain: 'constructor' }));
    assert.equal((await rejection(ca.send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'toString' })))).name, 'ResourceNotFoundException');
  });

  it('/_emulator/clock and /_emulator/settings: non-numbers and bad JSON are a 400 naming the field; the clock does not move', async () => {
    const before = (await admin(emu, 'clock', {})) as { now: number };
    for (const [path, body, message] of [
      ['/_emulator/clock', '{"advanceSeconds":"abc"}', /advanceSeconds: expected a number .* got "abc"/],
      ['/_emulator/clock', '{"advanceSeconds":-5}', /advanceSeconds: expected a number from 0/],
      ['/_emulator/clock', '{"advanceSeconds":null}', /advanceSeconds/],
      ['/_emulator/clock', '{"advanceSeconds": ', /not valid JSON/],
      ['/_emulator/clock', '[1]', /must be a JSON object/],
      ['/_emulator/settings', '{"failRate":"0.5"}', /failRate: expected a number from 0 to 1, got "0.5"/],
      ['/_emulator/settings', '{"throttleRate":7}', /throttleRate: expected a number from 0 to 1, got 7/],
      ['/_emulator/settings', 'nope', /not valid JSON/],
      ['/_emulator/stats/reset', '{', /not valid JSON/],
    ] as const) {
      const r = await raw(emu.url, 'POST', path, { body, auth: false });
      assert.equal(r.status, 400, `${path} ${body}: ${r.text}`);
      assert.equal(r.errorType, 'ValidationException');
      assert.match(String(r.json?.message), message);
    }
    const afterwards = (await admin(emu, 'clock', {})) as { now: number };
    assert.ok(afterwards.now - before.now < 60, 'the clock did not jump');
    assert.equal(emu.ctx.options.failRate, 0);
  });

  it('issued tokens are pruned once expired (after an hour of grace answering "expired")', async () => {
    const token = async () => (await ca.send(new GetAuthorizationTokenCommand({ domain: 'acme', durationSeconds: 900 }))).authorizationToken!;
    const first = await token();
    assert.ok(emu.ctx.state.tokens[first]);
    await admin(emu, 'clock', { advanceSeconds: 901 });
    const second = await token();
    const expired = await fetch(`${emu.url}/npm/d/acme-111122223333/app/left-pad`, { headers: { authorization: `Bearer ${first}` } });
    assert.equal(expired.status, 401);
    assert.match(await expired.text(), /expired/);
    assert.ok(emu.ctx.state.tokens[first], 'kept during the grace period');
    await admin(emu, 'clock', { advanceSeconds: EXPIRED_TOKEN_GRACE_SECONDS });
    await token();
    assert.equal(emu.ctx.state.tokens[first], undefined, 'pruned');
    assert.ok(emu.ctx.state.tokens[second], 'a token still in its grace period stays');
    const size = Object.keys(emu.ctx.state.tokens).length;
    for (let i = 0; i < 20; i++) {
      await token();
      await admin(emu, 'clock', { advanceSeconds: 900 + EXPIRED_TOKEN_GRACE_SECONDS });
    }
    assert.ok(Object.keys(emu.ctx.state.tokens).length <= 2, `the token map stays bounded (was ${size}, now ${Object.keys(emu.ctx.state.tokens).length})`);
  });
});
