// The generic format: PublishPackageVersion (SHA-256 check, namespace required, the unfinished flag,
// conflicts) and GetPackageVersionAsset returning the bytes, through the real AWS SDK and byte for byte
// through the real AWS CLI; DeletePackage.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreatePackageGroupCommand,
  DeletePackageCommand,
  DescribePackageVersionCommand,
  GetPackageVersionAssetCommand,
  ListPackagesCommand,
  ListPackageVersionAssetsCommand,
  ListPackageVersionsCommand,
  PublishPackageVersionCommand,
  UpdatePackageGroupOriginConfigurationCommand,
  type PackageFormat,
} from '@aws-sdk/client-codeartifact';
import { startEmulator, type Emulator } from '../src/server';
import { cliError, cliJson, codeartifactCli, rejection, sdkClient, testSeed } from '../src/testing';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('generic packages', () => {
  let emu: Emulator;
  let home: string;
  const ca = (...args: string[]) => codeartifactCli(emu.url, home)(...args);

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'ca-generic-'));
    emu = await startEmulator({ seed: testSeed() });
  });
  after(async () => {
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  });

  const publish = (version: string, asset: string, data: Buffer, extra: { unfinished?: boolean; sha?: string; namespace?: string; format?: string } = {}) =>
    sdkClient(emu.url).send(
      new PublishPackageVersionCommand({
        domain: 'acme',
        repository: 'app',
        format: (extra.format ?? 'generic') as PackageFormat,
        namespace: 'namespace' in extra ? extra.namespace : 'tools',
        package: 'cli-bundle',
        packageVersion: version,
        assetName: asset,
        assetContent: data,
        assetSHA256: extra.sha ?? sha256(data),
        unfinished: extra.unfinished,
      }),
    );

  it('SDK: an unfinished version takes several assets, the last publish finishes it, the bytes come back', async () => {
    const a = randomBytes(3000);
    const b = Buffer.from('second asset\n');
    const first = await publish('1.0.0', 'bundle.tar.gz', a, { unfinished: true });
    assert.equal(first.status, 'Unfinished');
    assert.equal(first.format, 'generic');
    assert.equal(first.namespace, 'tools');
    assert.equal(first.package, 'cli-bundle');
    assert.equal(first.version, '1.0.0');
    assert.deepEqual(first.asset, { name: 'bundle.tar.gz', size: 3000, hashes: first.asset!.hashes });
    assert.equal(first.asset?.hashes?.['SHA-256'], sha256(a));
    const second = await publish('1.0.0', 'checksums.txt', b);
    assert.equal(second.status, 'Published');
    assert.notEqual(second.versionRevision, first.versionRevision);

    const ca = sdkClient(emu.url);
    const coords = { domain: 'acme', repository: 'app', format: 'generic' as const, namespace: 'tools', package: 'cli-bundle', packageVersion: '1.0.0' };
    const assets = await ca.send(new ListPackageVersionAssetsCommand(coords));
    assert.deepEqual(
      assets.assets?.map((x) => [x.name, x.size]),
      [
        ['bundle.tar.gz', 3000],
        ['checksums.txt', b.length],
      ],
    );
    const got = await ca.send(new GetPackageVersionAssetCommand({ ...coords, asset: 'bundle.tar.gz' }));
    assert.ok(Buffer.from(await got.asset!.transformToByteArray()).equals(a));
    const desc = await ca.send(new DescribePackageVersionCommand(coords));
    assert.equal(desc.packageVersion?.status, 'Published');
    assert.equal(desc.packageVersion?.displayName, 'tools/cli-bundle');
    assert.equal(desc.packageVersion?.origin?.originType, 'INTERNAL');
    ca.destroy();
  });

  it('SDK: errors — SHA-256 mismatch, no namespace, other formats, a published version, an asset twice; nothing stored', async () => {
    const data = Buffer.from('x');
    const before = JSON.stringify(emu.ctx.state);
    assert.equal((await rejection(publish('2.0.0', 'a.bin', data, { sha: '0'.repeat(64) }))).name, 'ValidationException');
    assert.equal((await rejection(publish('2.0.0', 'a.bin', data, { namespace: undefined }))).name, 'ValidationException');
    assert.equal((await rejection(publish('2.0.0', 'a.bin', data, { format: 'npm' }))).name, 'ValidationException');
    const published = await rejection(publish('1.0.0', 'more.bin', data));
    assert.equal(published.name, 'ConflictException');
    for (const name of ['dir/file', ' lead', 'two  spaces', '..', 'tab\tname', 'eq=sign']) {
      assert.equal((await rejection(publish('2.0.0', name, data))).name, 'ValidationException', name);
    }
    assert.equal(JSON.stringify(emu.ctx.state), before, 'the refused publishes changed nothing');
    const open = await publish('3.0.0', 'a.bin', data, { unfinished: true });
    const again = await publish('3.0.0', 'a.bin', data, { unfinished: true });
    assert.equal(again.versionRevision, open.versionRevision, 'the same asset again is accepted and changes nothing');
    assert.equal((await rejection(publish('3.0.0', 'a.bin', Buffer.from('other'), { unfinished: true }))).name, 'ConflictException');
    assert.equal((await publish('3.0.0', 'a.bin', data)).status, 'Published', 'republishing without unfinished finishes the version');
    assert.equal((await publish('3.0.0', 'a.bin', data, { unfinished: true })).status, 'Published', 'never back to Unfinished');
    const noRepo = await rejection(
      sdkClient(emu.url).send(
        new PublishPackageVersionCommand({
          domain: 'acme',
          repository: 'nope',
          format: 'generic',
          namespace: 'tools',
          package: 'x',
          packageVersion: '1',
          assetName: 'a',
          assetContent: data,
          assetSHA256: sha256(data),
        }),
      ),
    );
    assert.equal(noRepo.name, 'ResourceNotFoundException');
  });

  it('a package group with PUBLISH BLOCK refuses the publish; allowing the repository lets it through', async () => {
    const sdk = sdkClient(emu.url);
    await sdk.send(new CreatePackageGroupCommand({ domain: 'acme', packageGroup: '/generic/locked/*' }));
    await sdk.send(new UpdatePackageGroupOriginConfigurationCommand({ domain: 'acme', packageGroup: '/generic/locked/*', restrictions: { PUBLISH: 'BLOCK' } }));
    const data = randomBytes(64);
    const refused = await rejection(publish('1.0.0', 'a.bin', data, { namespace: 'locked' }));
    assert.equal(refused.name, 'AccessDeniedException');
    assert.match(refused.message, /package group/);
    await sdk.send(
      new UpdatePackageGroupOriginConfigurationCommand({
        domain: 'acme',
        packageGroup: '/generic/locked/*',
        restrictions: { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES' },
        addAllowedRepositories: [{ repositoryName: 'app', originRestrictionType: 'PUBLISH' }],
      }),
    );
    const published = await publish('1.0.0', 'a.bin', data, { namespace: 'locked' });
    assert.equal(published.status, 'Published');
    sdk.destroy();
  });

  it('CLI: publish-package-version then get-package-version-asset round-trips a file byte for byte', async () => {
    const data = Buffer.concat([randomBytes(70_000), Buffer.from([0, 255, 13, 10, 0])]);
    const file = join(home, 'payload.bin');
    writeFileSync(file, data);
    const coords = (version: string) => [
      '--domain',
      'acme',
      '--repository',
      'app',
      '--format',
      'generic',
      '--namespace',
      'cli',
      '--package',
      'payload',
      '--package-version',
      version,
    ];
    const publishCli = (version: string, sha: string) =>
      ca('publish-package-version', ...coords(version), '--asset-content', file, '--asset-name', 'payload.bin', '--asset-sha256', sha);
    const out = cliJson(await publishCli('0.1.0', sha256(data)));
    assert.equal(out.status, 'Published');
    assert.equal((out.asset as { size: number }).size, data.length);
    const back = join(home, 'back.bin');
    const got = cliJson(await ca('get-package-version-asset', ...coords('0.1.0'), '--asset', 'payload.bin', back));
    assert.equal(got.assetName, 'payload.bin');
    assert.ok(readFileSync(back).equals(data), 'the bytes came back unchanged');
    cliError(await publishCli('0.2.0', 'f'.repeat(64)), 'ValidationException', 'PublishPackageVersion');
    writeFileSync(file, Buffer.from('other content'));
    cliError(await publishCli('0.1.0', sha256(Buffer.from('other content'))), 'ConflictException', 'PublishPackageVersion');
  });

  it('DeletePackage deletes the package and all its versions (SDK and CLI); then it is not found', async () => {
    const ca = sdkClient(emu.url);
    const deleted = await ca.send(new DeletePackageCommand({ domain: 'acme', repository: 'app', format: 'generic', namespace: 'tools', package: 'cli-bundle' }));
    assert.deepEqual(deleted.deletedPackage, {
      format: 'generic',
      namespace: 'tools',
      package: 'cli-bundle',
      originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } },
    });
    const gone = await rejection(ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'app', format: 'generic', namespace: 'tools', package: 'cli-bundle' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    const again = await rejection(ca.send(new DeletePackageCommand({ domain: 'acme', repository: 'app', format: 'generic', namespace: 'tools', package: 'cli-bundle' })));
    assert.equal(again.name, 'ResourceNotFoundException');

    const npm = cliJson(
      await codeartifactCli(emu.url, home)('delete-package', '--domain', 'acme', '--repository', 'app', '--format', 'npm', '--namespace', 'acme', '--package', 'ui'),
    );
    assert.equal((npm.deletedPackage as { package: string }).package, 'ui');
    const left = await ca.send(new ListPackagesCommand({ domain: 'acme', repository: 'app', format: 'npm' }));
    assert.ok(!left.packages?.some((p) => p.package === 'ui'));
    cliError(
      await codeartifactCli(emu.url, home)('delete-package', '--domain', 'acme', '--repository', 'app', '--format', 'npm', '--namespace', 'acme', '--package', 'ui'),
      'ResourceNotFoundException',
      'DeletePackage',
    );
    ca.destroy();
  });
});
