// Permissions policies are enforced when the seed declares principals: through the real AWS SDK with the
// credentials of different principals, on the control plane (DescribeRepository, ListPackages) and on the
// registry with the token each principal gets (ReadFromRepository, PublishPackageVersion).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteDomainCommand,
  DeleteDomainPermissionsPolicyCommand,
  DeleteRepositoryPermissionsPolicyCommand,
  DescribeDomainCommand,
  DescribeRepositoryCommand,
  GetAuthorizationTokenCommand,
  GetRepositoryPermissionsPolicyCommand,
  ListPackagesCommand,
  ListTagsForResourceCommand,
  PutDomainPermissionsPolicyCommand,
  PutRepositoryPermissionsPolicyCommand,
  type CodeartifactClient,
} from '@aws-sdk/client-codeartifact';
import { startEmulator, type Emulator } from '../src/server';
import { endpoint, rejection, sdkClient, testSeed, type Seed } from '../src/testing';

const user = (key: string) => `arn:aws:iam::111122223333:user/${key}`;
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('permissions policies enforced for declared principals', () => {
  let emu: Emulator;
  let admin: CodeartifactClient;
  let reader: CodeartifactClient;
  let other: CodeartifactClient;
  const app = { domain: 'acme', repository: 'app' };

  before(async () => {
    const seed = testSeed();
    seed.principals = [
      { accessKeyId: 'AKIDADMIN', allow: ['codeartifact:*'] },
      // Their own grants let them get a token and nothing else.
      { accessKeyId: 'AKIDREADER', allow: ['codeartifact:GetAuthorizationToken'] },
      { accessKeyId: 'AKIDOTHER', allow: ['codeartifact:GetAuthorizationToken'] },
    ];
    emu = await startEmulator({ seed });
    admin = sdkClient(emu.url, 'AKIDADMIN');
    reader = sdkClient(emu.url, 'AKIDREADER');
    other = sdkClient(emu.url, 'AKIDOTHER');
  });
  after(async () => {
    for (const c of [admin, reader, other]) c.destroy();
    await emu.close();
  });

  /** The HTTP status of reading @acme/ui's packument from `repository` with a token of `client`. */
  const registryRead = async (client: CodeartifactClient, repository = 'app') => {
    const token = (await client.send(new GetAuthorizationTokenCommand({ domain: 'acme' }))).authorizationToken!;
    const r = await fetch(`${endpoint(emu, 'npm', repository)}@acme%2fui`, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, text: await r.text() };
  };
  const denied = async (p: Promise<unknown>, action: string) => {
    const e = await rejection(p);
    assert.equal(e.name, 'AccessDeniedException', String(e.message));
    assert.match(String(e.message), new RegExp(`codeartifact:${action}`));
    return String(e.message);
  };

  it('a repository policy grants a second principal read access its own grants lack; others and other repositories stay closed', async () => {
    await denied(reader.send(new DescribeRepositoryCommand(app)), 'DescribeRepository');
    await denied(reader.send(new ListPackagesCommand(app)), 'ListPackages');
    const before = await registryRead(reader);
    assert.equal(before.status, 403, before.text);
    assert.match(before.text, /ReadFromRepository/);

    const policy = doc({
      Effect: 'Allow',
      Principal: { AWS: [user('AKIDREADER')] },
      Action: ['codeartifact:DescribeRepository', 'codeartifact:ListPackages', 'codeartifact:ReadFromRepository'],
      Resource: '*',
    });
    const put = await admin.send(new PutRepositoryPermissionsPolicyCommand({ ...app, policyDocument: policy }));

    assert.equal((await reader.send(new DescribeRepositoryCommand(app))).repository?.name, 'app');
    const listed = await reader.send(new ListPackagesCommand(app));
    assert.ok(listed.packages?.some((p) => p.package === 'ui' && p.namespace === 'acme'));
    assert.equal((await registryRead(reader)).status, 200);
    // Read only: publishing with the same token is refused.
    const token = (await reader.send(new GetAuthorizationTokenCommand({ domain: 'acme' }))).authorizationToken!;
    const publish = await fetch(`${endpoint(emu, 'npm', 'app')}@acme%2fnew-thing`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(publish.status, 403);
    assert.match(await publish.text(), /PublishPackageVersion/);
    // The policy is app's: another repository and another principal gain nothing.
    await denied(reader.send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'npm-store' })), 'DescribeRepository');
    assert.equal((await registryRead(reader, 'npm-store')).status, 403);
    await denied(other.send(new DescribeRepositoryCommand(app)), 'DescribeRepository');
    assert.equal((await registryRead(other)).status, 403);

    // Deleting the policy takes the access away again.
    await admin.send(new DeleteRepositoryPermissionsPolicyCommand({ ...app, policyRevision: put.policy!.revision }));
    await denied(reader.send(new DescribeRepositoryCommand(app)), 'DescribeRepository');
    assert.equal((await registryRead(reader)).status, 403);
  });

  it('a policy without a matching Allow grants nothing: other action, other principal, other resource, Deny only', async () => {
    const policy = doc(
      { Effect: 'Allow', Principal: { AWS: user('AKIDREADER') }, Action: 'codeartifact:ListPackages', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: user('AKIDOTHER') }, Action: 'codeartifact:DescribeRepository', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: user('AKIDREADER') }, Action: 'codeartifact:DescribeRepository', Resource: 'arn:aws:codeartifact:*:*:repository/acme/npm-store' },
      { Effect: 'Deny', Principal: '*', Action: 'codeartifact:DeleteRepository', Resource: '*' },
    );
    const put = await admin.send(new PutRepositoryPermissionsPolicyCommand({ ...app, policyDocument: policy }));
    assert.ok((await reader.send(new ListPackagesCommand(app))).packages?.length);
    await denied(reader.send(new DescribeRepositoryCommand(app)), 'DescribeRepository');
    assert.equal((await registryRead(reader)).status, 403);
    await admin.send(new DeleteRepositoryPermissionsPolicyCommand({ ...app, policyRevision: put.policy!.revision }));
  });

  it("an explicit Deny wins over the principal's own grants and over an Allow in another policy", async () => {
    const repoPolicy = await admin.send(
      new PutRepositoryPermissionsPolicyCommand({
        ...app,
        policyDocument: doc({ Effect: 'Allow', Principal: { AWS: user('AKIDREADER') }, Action: ['codeartifact:ListPackages', 'codeartifact:ReadFromRepository'], Resource: '*' }),
      }),
    );
    assert.equal((await registryRead(admin)).status, 200, 'the admin reads through its own grants');
    assert.ok((await reader.send(new ListPackagesCommand(app))).packages?.length);
    await admin.send(
      new PutDomainPermissionsPolicyCommand({
        domain: 'acme',
        policyDocument: doc(
          { Effect: 'Deny', Principal: { AWS: user('AKIDADMIN') }, Action: 'codeartifact:ReadFromRepository', Resource: '*' },
          { Effect: 'Deny', Principal: { AWS: 'AKIDREADER' }, Action: 'codeartifact:List*', Resource: '*' },
        ),
      }),
    );
    const read = await registryRead(admin);
    assert.equal(read.status, 403);
    assert.match(read.text, /explicit deny/);
    assert.match(await denied(reader.send(new ListPackagesCommand(app)), 'ListPackages'), /explicit deny/);
    assert.equal((await registryRead(reader)).status, 200, 'what the Deny does not name stays granted');
    assert.equal((await admin.send(new DescribeRepositoryCommand(app))).repository?.name, 'app');

    await admin.send(new DeleteDomainPermissionsPolicyCommand({ domain: 'acme' }));
    await admin.send(new DeleteRepositoryPermissionsPolicyCommand({ ...app, policyRevision: repoPolicy.policy!.revision }));
    assert.equal((await registryRead(admin)).status, 200);
  });

  it('policies and tags given in the seed (permissionsPolicy, tags) are in force from the start, and errors name their JSON path', async () => {
    const seed = testSeed();
    seed.principals = [
      { accessKeyId: 'AKIDADMIN', allow: ['codeartifact:*'] },
      { accessKeyId: 'AKIDREADER', allow: ['codeartifact:GetAuthorizationToken'] },
    ];
    const acme = seed.domains![0];
    acme.tags = [{ key: 'team', value: 'platform' }];
    acme.permissionsPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 'codeartifact:DeleteDomain', Resource: '*' }] };
    const repo = acme.repositories!.find((r) => r.name === 'app')!;
    repo.tags = [{ key: 'env', value: 'dev' }];
    repo.permissionsPolicy = doc({ Effect: 'Allow', Principal: { AWS: user('AKIDREADER') }, Action: ['codeartifact:DescribeRepository', 'codeartifact:ReadFromRepository'] });
    const seeded = await startEmulator({ seed });
    const admin2 = sdkClient(seeded.url, 'AKIDADMIN');
    const reader2 = sdkClient(seeded.url, 'AKIDREADER');
    try {
      assert.equal((await reader2.send(new DescribeRepositoryCommand(app))).repository?.name, 'app');
      const token = (await reader2.send(new GetAuthorizationTokenCommand({ domain: 'acme' }))).authorizationToken!;
      const read = await fetch(`${endpoint(seeded, 'npm', 'app')}@acme%2fui`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(read.status, 200);
      await denied(admin2.send(new DeleteDomainCommand({ domain: 'acme' })), 'DeleteDomain');
      const policy = await admin2.send(new GetRepositoryPermissionsPolicyCommand(app));
      assert.deepEqual(JSON.parse(policy.policy!.document!), JSON.parse(repo.permissionsPolicy as string));
      const repoArn = (await admin2.send(new DescribeRepositoryCommand(app))).repository!.arn!;
      assert.deepEqual((await admin2.send(new ListTagsForResourceCommand({ resourceArn: repoArn }))).tags, [{ key: 'env', value: 'dev' }]);
      const domainArn = (await admin2.send(new DescribeDomainCommand({ domain: 'acme' }))).domain!.arn!;
      assert.deepEqual((await admin2.send(new ListTagsForResourceCommand({ resourceArn: domainArn }))).tags, [{ key: 'team', value: 'platform' }]);
    } finally {
      admin2.destroy();
      reader2.destroy();
      await seeded.close();
    }

    const bad: [(s: Seed) => void, RegExp][] = [
      [(s) => (s.domains![0].tags = [{ key: 'aws:x', value: 'v' }]), /seed\.domains\[0\]\.tags\[0\]\.key: "aws:x": keys starting with "aws:" are reserved/],
      [(s) => (s.domains![0].tags = { key: 'k' } as never), /seed\.domains\[0\]\.tags: expected an array/],
      [(s) => (s.domains![0].repositories![0].tags = [{ key: 'k', value: 7 } as never]), /seed\.domains\[0\]\.repositories\[0\]\.tags\[0\]\.value: expected a string, got 7/],
      [(s) => (s.domains![0].repositories![1].permissionsPolicy = '{nope'), /seed\.domains\[0\]\.repositories\[1\]\.permissionsPolicy: not valid JSON/],
      [(s) => (s.domains![0].permissionsPolicy = [] as never), /seed\.domains\[0\]\.permissionsPolicy: expected a policy document/],
      [
        (s) => (s.domains![0].permissionsPolicy = { Statement: [{ Effect: 'Maybe' }] }),
        /seed\.domains\[0\]\.permissionsPolicy\.Statement\[0\]\.Effect: expected "Allow" or "Deny", got "Maybe"/,
      ],
    ];
    for (const [mutate, message] of bad) {
      const s = testSeed();
      mutate(s);
      await assert.rejects(startEmulator({ seed: s }), message);
    }
  });
});
