// Tags on domains, repositories and package groups through the real AWS SDK and the real AWS CLI:
// tags given at create, TagResource (add and overwrite), UntagResource, ListTagsForResource, the
// limits (50 a resource, key 1..128, value 0..256, no "aws:" keys) and ARNs that name nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateDomainCommand,
  CreatePackageGroupCommand,
  CreateRepositoryCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-codeartifact';
import { startEmulator, type Emulator } from '../src/server';
import { cliError, cliJson, codeartifactCli, rejection, sdkClient, testSeed } from '../src/testing';

const ARN = 'arn:aws:codeartifact:us-west-2:111122223333';

describe('tags', () => {
  let emu: Emulator;
  let home: string;
  const ca = (...args: string[]) => codeartifactCli(emu.url, home)(...args);

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'ca-tags-'));
    emu = await startEmulator({ seed: testSeed() });
  });
  after(async () => {
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('tags given at CreateDomain and CreateRepository are listed; TagResource adds and overwrites; UntagResource removes', async () => {
    const ca = sdkClient(emu.url);
    await ca.send(
      new CreateDomainCommand({
        domain: 'tagged',
        tags: [
          { key: 'team', value: 'web' },
          { key: 'cost-center', value: '' },
        ],
      }),
    );
    const domainArn = `${ARN}:domain/tagged`;
    assert.deepEqual((await ca.send(new ListTagsForResourceCommand({ resourceArn: domainArn }))).tags, [
      { key: 'team', value: 'web' },
      { key: 'cost-center', value: '' },
    ]);
    await ca.send(new CreateRepositoryCommand({ domain: 'tagged', repository: 'repo', tags: [{ key: 'env', value: 'dev' }] }));
    const repoArn = `${ARN}:repository/tagged/repo`;
    await ca.send(
      new TagResourceCommand({
        resourceArn: repoArn,
        tags: [
          { key: 'env', value: 'prod' },
          { key: 'owner', value: 'ana' },
        ],
      }),
    );
    assert.deepEqual((await ca.send(new ListTagsForResourceCommand({ resourceArn: repoArn }))).tags, [
      { key: 'env', value: 'prod' },
      { key: 'owner', value: 'ana' },
    ]);
    await ca.send(new UntagResourceCommand({ resourceArn: repoArn, tagKeys: ['env', 'not-there'] }));
    assert.deepEqual((await ca.send(new ListTagsForResourceCommand({ resourceArn: repoArn }))).tags, [{ key: 'owner', value: 'ana' }]);
    assert.deepEqual((await ca.send(new ListTagsForResourceCommand({ resourceArn: `${ARN}:repository/acme/app` }))).tags, [], 'no tags: an empty list');
    ca.destroy();
  });

  it('limits: 50 tags a resource (ServiceQuotaExceeded), key and value lengths, reserved keys (ValidationException)', async () => {
    const ca = sdkClient(emu.url);
    const arn = `${ARN}:repository/acme/staging`;
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}`, value: String(i) }));
    await ca.send(new TagResourceCommand({ resourceArn: arn, tags: many(50, 'k') }));
    // An overwrite keeps the count at 50.
    await ca.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'k0', value: 'overwritten' }] }));
    const over = await rejection(ca.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'one-more', value: 'x' }] })));
    assert.equal(over.name, 'ServiceQuotaExceededException');
    assert.equal((await ca.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags?.length, 50);
    const cases = [
      [{ key: '', value: 'v' }],
      [{ key: 'k'.repeat(129), value: 'v' }],
      [{ key: 'ok', value: 'v'.repeat(257) }],
      [{ key: 'aws:reserved', value: 'v' }],
      [{ key: 'bell\u0007', value: 'v' }],
    ];
    for (const tags of cases) {
      const e = await rejection(ca.send(new TagResourceCommand({ resourceArn: `${ARN}:domain/acme`, tags })));
      assert.equal(e.name, 'ValidationException', JSON.stringify(tags).slice(0, 80));
    }
    assert.equal((await rejection(ca.send(new CreateDomainCommand({ domain: 'too-many', tags: many(51, 't') })))).name, 'ValidationException');
    assert.equal(
      (await rejection(ca.send(new CreateRepositoryCommand({ domain: 'acme', repository: 'bad-tags', tags: [{ key: 'aws:x', value: '' }] })))).name,
      'ValidationException',
    );
    assert.equal(emu.ctx.state.domains['111122223333/acme'].repositories['bad-tags'], undefined, 'a refused create creates nothing');
    assert.deepEqual(emu.ctx.state.domains['111122223333/acme'].tags ?? [], [], 'refused tags are not stored');
    ca.destroy();
  });

  it('ARNs: malformed is ValidationException; unknown domain, repository, package group or other region is ResourceNotFound', async () => {
    const ca = sdkClient(emu.url);
    for (const resourceArn of ['not-an-arn', `${ARN}:package/acme/app/npm//left-pad`, `${ARN}:repository/acme`, `${ARN}:domain/Bad_Name`]) {
      const e = await rejection(ca.send(new ListTagsForResourceCommand({ resourceArn })));
      assert.equal(e.name, 'ValidationException', resourceArn);
    }
    for (const resourceArn of [
      `${ARN}:domain/nope`,
      `${ARN}:repository/acme/nope`,
      `${ARN}:package-group/acme/${encodeURIComponent('/npm/nope/*')}`,
      `${ARN}:package-group/acme/npm/nope/*`,
      'arn:aws:codeartifact:eu-west-1:111122223333:domain/acme',
    ]) {
      const e = await rejection(ca.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'a', value: 'b' }] })));
      assert.equal(e.name, 'ResourceNotFoundException', resourceArn);
    }
    ca.destroy();
  });

  it('package groups: tags given at CreatePackageGroup are listed under the encoded-pattern ARN, the root group /* takes tags too', async () => {
    const ca = sdkClient(emu.url);
    await ca.send(new CreatePackageGroupCommand({ domain: 'acme', packageGroup: '/npm/acme/*', tags: [{ key: 'team', value: 'ui' }] }));
    const arn = `${ARN}:package-group/acme/${encodeURIComponent('/npm/acme/*')}`;
    assert.deepEqual((await ca.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [{ key: 'team', value: 'ui' }]);
    await ca.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    assert.deepEqual((await ca.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, []);
    const root = `${ARN}:package-group/acme/${encodeURIComponent('/*')}`;
    await ca.send(new TagResourceCommand({ resourceArn: root, tags: [{ key: 'owner', value: 'platform' }] }));
    assert.deepEqual((await ca.send(new ListTagsForResourceCommand({ resourceArn: root }))).tags, [{ key: 'owner', value: 'platform' }]);
    const refused = await rejection(ca.send(new CreatePackageGroupCommand({ domain: 'acme', packageGroup: '/npm/other/*', tags: [{ key: 'aws:x', value: 'v' }] })));
    assert.equal(refused.name, 'ValidationException');
    ca.destroy();
  });

  it('via the CLI: tag-resource, list-tags-for-resource, untag-resource, create-domain --tags, errors', async () => {
    const created = cliJson(await ca('create-domain', '--domain', 'cli-tags', '--tags', 'key=team,value=ops'));
    assert.equal((created.domain as { name: string }).name, 'cli-tags');
    const arn = `${ARN}:domain/cli-tags`;
    assert.deepEqual(cliJson(await ca('list-tags-for-resource', '--resource-arn', arn)).tags, [{ key: 'team', value: 'ops' }]);
    cliJson(await ca('tag-resource', '--resource-arn', arn, '--tags', 'key=env,value=test', 'key=team,value=dev'));
    assert.deepEqual(cliJson(await ca('list-tags-for-resource', '--resource-arn', arn)).tags, [
      { key: 'team', value: 'dev' },
      { key: 'env', value: 'test' },
    ]);
    cliJson(await ca('untag-resource', '--resource-arn', arn, '--tag-keys', 'team'));
    assert.deepEqual(cliJson(await ca('list-tags-for-resource', '--resource-arn', arn)).tags, [{ key: 'env', value: 'test' }]);
    cliError(await ca('tag-resource', '--resource-arn', `${ARN}:repository/cli-tags/nope`, '--tags', 'key=a,value=b'), 'ResourceNotFoundException', 'TagResource');
    cliError(await ca('untag-resource', '--resource-arn', 'bogus', '--tag-keys', 'a'), 'ValidationException', 'UntagResource');
  });
});
