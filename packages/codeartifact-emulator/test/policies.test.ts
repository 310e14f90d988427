// Permissions policies of domains and repositories through the real AWS SDK and the real AWS CLI:
// put, get, delete, optimistic locking with policyRevision, JSON validation, not found.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteDomainPermissionsPolicyCommand,
  DeleteRepositoryPermissionsPolicyCommand,
  GetDomainPermissionsPolicyCommand,
  GetRepositoryPermissionsPolicyCommand,
  PutDomainPermissionsPolicyCommand,
  PutRepositoryPermissionsPolicyCommand,
} from '@aws-sdk/client-codeartifact';
import { startEmulator, type Emulator } from '../src/server';
import { cliError, cliJson, codeartifactCli, rejection, sdkClient, testSeed } from '../src/testing';

const policy = (action: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: [action], Resource: '*' }],
  });

describe('permissions policies', () => {
  let emu: Emulator;
  let home: string;
  const ca = (...args: string[]) => codeartifactCli(emu.url, home)(...args);

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'ca-pol-'));
    emu = await startEmulator({ seed: testSeed() });
  });
  after(async () => {
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('domain policy via the SDK: none, put, replace with the current revision, stale revision, delete', async () => {
    const ca = sdkClient(emu.url);
    const none = await rejection(ca.send(new GetDomainPermissionsPolicyCommand({ domain: 'acme' })));
    assert.equal(none.name, 'ResourceNotFoundException');
    assert.equal(none.resourceType, 'domain');

    const first = await ca.send(new PutDomainPermissionsPolicyCommand({ domain: 'acme', policyDocument: policy('codeartifact:ReadFromRepository') }));
    assert.equal(first.policy?.resourceArn, 'arn:aws:codeartifact:us-west-2:111122223333:domain/acme');
    assert.equal(first.policy?.document, policy('codeartifact:ReadFromRepository'));
    assert.ok(first.policy?.revision);
    const got = await ca.send(new GetDomainPermissionsPolicyCommand({ domain: 'acme', domainOwner: '111122223333' }));
    assert.deepEqual(got.policy, first.policy);

    const second = await ca.send(
      new PutDomainPermissionsPolicyCommand({ domain: 'acme', policyRevision: first.policy!.revision, policyDocument: policy('codeartifact:GetAuthorizationToken') }),
    );
    assert.notEqual(second.policy?.revision, first.policy?.revision);
    const stale = await rejection(ca.send(new PutDomainPermissionsPolicyCommand({ domain: 'acme', policyRevision: first.policy!.revision, policyDocument: policy('x:Y') })));
    assert.equal(stale.name, 'ConflictException');
    assert.equal((await ca.send(new GetDomainPermissionsPolicyCommand({ domain: 'acme' }))).policy?.revision, second.policy?.revision, 'the stale put changed nothing');

    const staleDelete = await rejection(ca.send(new DeleteDomainPermissionsPolicyCommand({ domain: 'acme', policyRevision: first.policy!.revision })));
    assert.equal(staleDelete.name, 'ConflictException');
    const deleted = await ca.send(new DeleteDomainPermissionsPolicyCommand({ domain: 'acme', policyRevision: second.policy!.revision }));
    assert.deepEqual(deleted.policy, second.policy);
    assert.equal((await rejection(ca.send(new DeleteDomainPermissionsPolicyCommand({ domain: 'acme' })))).name, 'ResourceNotFoundException');
    assert.equal((await rejection(ca.send(new GetDomainPermissionsPolicyCommand({ domain: 'acme' })))).name, 'ResourceNotFoundException');
    ca.destroy();
  });

  it('policy documents must be JSON objects; unknown domains and repositories are not found', async () => {
    const ca = sdkClient(emu.url);
    for (const doc of ['{"Version": ', 'not json', '[1,2]', '"a string"']) {
      const e = await rejection(ca.send(new PutRepositoryPermissionsPolicyCommand({ domain: 'acme', repository: 'app', policyDocument: doc })));
      assert.equal(e.name, 'ValidationException', doc);
    }
    const big = await rejection(ca.send(new PutRepositoryPermissionsPolicyCommand({ domain: 'acme', repository: 'app', policyDocument: `{"a":"${'x'.repeat(7200)}"}` })));
    assert.equal(big.name, 'ValidationException');
    const noRepo = await rejection(ca.send(new PutRepositoryPermissionsPolicyCommand({ domain: 'acme', repository: 'nope', policyDocument: policy('a:B') })));
    assert.equal(noRepo.name, 'ResourceNotFoundException');
    assert.equal(noRepo.resourceType, 'repository');
    const noDomain = await rejection(ca.send(new PutDomainPermissionsPolicyCommand({ domain: 'nope', policyDocument: policy('a:B') })));
    assert.equal(noDomain.name, 'ResourceNotFoundException');
    assert.equal((await rejection(ca.send(new GetRepositoryPermissionsPolicyCommand({ domain: 'acme', repository: 'app' })))).name, 'ResourceNotFoundException');
    assert.equal(emu.ctx.state.domains['111122223333/acme'].repositories.app.policy, undefined, 'nothing stored by the refused calls');
    ca.destroy();
  });

  it('repository policy via the CLI: put, get, stale revision, delete, not found', async () => {
    const put = cliJson(await ca('put-repository-permissions-policy', '--domain', 'acme', '--repository', 'app', '--policy-document', policy('codeartifact:ReadFromRepository')));
    const p = put.policy as { resourceArn: string; revision: string; document: string };
    assert.equal(p.resourceArn, 'arn:aws:codeartifact:us-west-2:111122223333:repository/acme/app');
    assert.equal(JSON.parse(p.document).Statement[0].Action[0], 'codeartifact:ReadFromRepository');
    const got = cliJson(await ca('get-repository-permissions-policy', '--domain', 'acme', '--repository', 'app'));
    assert.deepEqual(got.policy, p);
    cliError(
      await ca('put-repository-permissions-policy', '--domain', 'acme', '--repository', 'app', '--policy-revision', 'stale-revision', '--policy-document', policy('a:B')),
      'ConflictException',
      'PutRepositoryPermissionsPolicy',
    );
    cliError(
      await ca('put-repository-permissions-policy', '--domain', 'acme', '--repository', 'app', '--policy-document', '{oops'),
      'ValidationException',
      'PutRepositoryPermissionsPolicy',
    );
    cliError(
      await ca('delete-repository-permissions-policy', '--domain', 'acme', '--repository', 'app', '--policy-revision', 'stale-revision'),
      'ConflictException',
      'DeleteRepositoryPermissionsPolicy',
    );
    const deleted = cliJson(await ca('delete-repository-permissions-policy', '--domain', 'acme', '--repository', 'app', '--policy-revision', p.revision));
    assert.deepEqual(deleted.policy, p);
    cliError(await ca('get-repository-permissions-policy', '--domain', 'acme', '--repository', 'app'), 'ResourceNotFoundException', 'GetRepositoryPermissionsPolicy');
    cliError(await ca('delete-repository-permissions-policy', '--domain', 'acme', '--repository', 'app'), 'ResourceNotFoundException', 'DeleteRepositoryPermissionsPolicy');
  });

  it('domain policy via the CLI: put, get, delete', async () => {
    const put = cliJson(await ca('put-domain-permissions-policy', '--domain', 'acme', '--policy-document', policy('codeartifact:GetAuthorizationToken')));
    const p = put.policy as { resourceArn: string; revision: string };
    assert.equal(p.resourceArn, 'arn:aws:codeartifact:us-west-2:111122223333:domain/acme');
    assert.deepEqual(cliJson(await ca('get-domain-permissions-policy', '--domain', 'acme')).policy, put.policy);
    cliError(await ca('put-domain-permissions-policy', '--domain', 'nope', '--policy-document', policy('a:B')), 'ResourceNotFoundException', 'PutDomainPermissionsPolicy');
    assert.deepEqual(cliJson(await ca('delete-domain-permissions-policy', '--domain', 'acme')).policy, put.policy);
    cliError(await ca('get-domain-permissions-policy', '--domain', 'acme'), 'ResourceNotFoundException', 'GetDomainPermissionsPolicy');
  });

  it('a policy goes with its repository', async () => {
    const ca = sdkClient(emu.url);
    await ca.send(new PutRepositoryPermissionsPolicyCommand({ domain: 'acme', repository: 'staging', policyDocument: policy('a:B') }));
    const r = emu.ctx.state.domains['111122223333/acme'].repositories.staging;
    assert.equal(r.policy?.document, policy('a:B'));
    await ca.send(new DeleteRepositoryPermissionsPolicyCommand({ domain: 'acme', repository: 'staging' }));
    assert.equal(r.policy, undefined);
    ca.destroy();
  });
});
