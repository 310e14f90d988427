// Every control-plane operation through the real AWS SDK v3 client, against an in-process emulator.
// Each test gets a fresh emulator from the same seed, so none depends on what another one changed.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateExternalConnectionCommand,
  CodeartifactClient,
  CopyPackageVersionsCommand,
  CreateDomainCommand,
  CreateRepositoryCommand,
  DeleteDomainCommand,
  DeletePackageVersionsCommand,
  DeleteRepositoryCommand,
  DescribeDomainCommand,
  DescribePackageCommand,
  DescribePackageVersionCommand,
  DescribeRepositoryCommand,
  DisassociateExternalConnectionCommand,
  DisposePackageVersionsCommand,
  GetAuthorizationTokenCommand,
  GetPackageVersionAssetCommand,
  GetPackageVersionReadmeCommand,
  GetRepositoryEndpointCommand,
  ListDomainsCommand,
  ListPackagesCommand,
  ListPackageVersionAssetsCommand,
  ListPackageVersionsCommand,
  ListRepositoriesCommand,
  ListRepositoriesInDomainCommand,
  UpdatePackageVersionsStatusCommand,
  UpdateRepositoryCommand,
} from '@aws-sdk/client-codeartifact';
import { createHash } from 'node:crypto';
import { startEmulator, type Emulator } from '../src/server';
import { endpoint, raw, rejection, sdkClient, testSeed } from '../src/testing';

describe('control plane through the AWS SDK v3', () => {
  let emu: Emulator;
  let ca: CodeartifactClient;
  const now = () => Math.floor(Date.now() / 1000);
  beforeEach(async () => {
    emu = await startEmulator({ seed: testSeed() });
    ca = sdkClient(emu.url);
  });
  afterEach(async () => {
    ca.destroy();
    await emu.close();
  });

  it('an operation the emulator does not serve fails as unknown, naming the route', async () => {
    // Every CodeArtifact operation is served, so a made-up route stands in for one that is not.
    const e = await raw(emu.url, 'POST', '/v1/not-an-operation?domain=acme');
    assert.equal(e.errorType, 'UnknownOperationException');
    assert.equal(e.status, 404);
    assert.match(e.json?.message as string, /\/v1\/not-an-operation/);
  });

  it('ListDomains lists the caller account domains with epoch-second times', async () => {
    const r = await ca.send(new ListDomainsCommand({}));
    assert.deepEqual(
      r.domains?.map((d) => d.name),
      ['acme'],
    );
    const d = r.domains![0];
    assert.equal(d.owner, '111122223333');
    assert.equal(d.arn, 'arn:aws:codeartifact:us-west-2:111122223333:domain/acme');
    assert.equal(d.status, 'Active');
    assert.ok(d.createdTime instanceof Date && Math.abs(d.createdTime.getTime() / 1000 - now()) < 60);
    assert.equal(r.nextToken, undefined);
    // Paging fields travel in the body for ListDomains.
    await ca.send(new CreateDomainCommand({ domain: 'zeta' }));
    const p1 = await ca.send(new ListDomainsCommand({ maxResults: 1 }));
    assert.deepEqual(
      p1.domains?.map((d) => d.name),
      ['acme'],
    );
    const p2 = await ca.send(new ListDomainsCommand({ maxResults: 1, nextToken: p1.nextToken }));
    assert.deepEqual(
      p2.domains?.map((d) => d.name),
      ['zeta'],
    );
    assert.equal(p2.nextToken, undefined);
    await ca.send(new DeleteDomainCommand({ domain: 'zeta' }));
  });

  it('DescribeDomain counts repositories; a wrong domain-owner is ResourceNotFound', async () => {
    const r = await ca.send(new DescribeDomainCommand({ domain: 'acme' }));
    assert.equal(r.domain?.repositoryCount, 3);
    assert.equal(r.domain?.name, 'acme');
    const other = await ca.send(new DescribeDomainCommand({ domain: 'partner', domainOwner: '444455556666' }));
    assert.equal(other.domain?.owner, '444455556666');
    const e = await rejection(ca.send(new DescribeDomainCommand({ domain: 'acme', domainOwner: '999999999999' })));
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.resourceType, 'domain');
    assert.equal(e.resourceId, 'acme');
  });

  it('CreateDomain and DeleteDomain; a domain with repositories cannot be deleted', async () => {
    const c = await ca.send(new CreateDomainCommand({ domain: 'fresh', tags: [{ key: 'team', value: 'x' }] }));
    assert.equal(c.domain?.name, 'fresh');
    assert.equal(c.domain?.repositoryCount, 0);
    const dup = await rejection(ca.send(new CreateDomainCommand({ domain: 'fresh' })));
    assert.equal(dup.name, 'ConflictException');
    const busy = await rejection(ca.send(new DeleteDomainCommand({ domain: 'acme' })));
    assert.equal(busy.name, 'ConflictException');
    assert.equal(busy.resourceType, 'domain');
    const del = await ca.send(new DeleteDomainCommand({ domain: 'fresh' }));
    assert.equal(del.domain?.name, 'fresh');
    const gone = await rejection(ca.send(new DescribeDomainCommand({ domain: 'fresh' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
  });

  it('ListRepositories and ListRepositoriesInDomain, with prefix and paging', async () => {
    const all = await ca.send(new ListRepositoriesCommand({}));
    assert.deepEqual(
      all.repositories?.map((r) => r.name),
      ['app', 'npm-store', 'staging'],
    );
    const p1 = await ca.send(new ListRepositoriesInDomainCommand({ domain: 'acme', maxResults: 2 }));
    assert.deepEqual(
      p1.repositories?.map((r) => r.name),
      ['app', 'npm-store'],
    );
    assert.ok(p1.nextToken);
    const p2 = await ca.send(new ListRepositoriesInDomainCommand({ domain: 'acme', maxResults: 2, nextToken: p1.nextToken }));
    assert.deepEqual(
      p2.repositories?.map((r) => r.name),
      ['staging'],
    );
    assert.equal(p2.nextToken, undefined);
    const pre = await ca.send(new ListRepositoriesInDomainCommand({ domain: 'acme', repositoryPrefix: 'npm' }));
    assert.deepEqual(
      pre.repositories?.map((r) => r.name),
      ['npm-store'],
    );
    const s = pre.repositories![0];
    assert.equal(s.domainName, 'acme');
    assert.equal(s.domainOwner, '111122223333');
    assert.equal(s.arn, 'arn:aws:codeartifact:us-west-2:111122223333:repository/acme/npm-store');
    assert.equal(s.description, 'public npm');
  });

  it('DescribeRepository shows upstreams and the external connection', async () => {
    const app = await ca.send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'app' }));
    assert.deepEqual(app.repository?.upstreams, [{ repositoryName: 'npm-store' }]);
    const store = await ca.send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'npm-store' }));
    assert.deepEqual(store.repository?.externalConnections, [{ externalConnectionName: 'public:npmjs', packageFormat: 'npm', status: 'Available' }]);
  });

  it('CreateRepository, UpdateRepository (ordered upstreams) and DeleteRepository', async () => {
    const c = await ca.send(
      new CreateRepositoryCommand({ domain: 'acme', repository: 'tmp-a', description: 'a', upstreams: [{ repositoryName: 'staging' }, { repositoryName: 'npm-store' }] }),
    );
    assert.deepEqual(
      c.repository?.upstreams?.map((u) => u.repositoryName),
      ['staging', 'npm-store'],
    );
    const u = await ca.send(
      new UpdateRepositoryCommand({ domain: 'acme', repository: 'tmp-a', description: 'b', upstreams: [{ repositoryName: 'npm-store' }, { repositoryName: 'staging' }] }),
    );
    assert.equal(u.repository?.description, 'b');
    assert.deepEqual(
      u.repository?.upstreams?.map((x) => x.repositoryName),
      ['npm-store', 'staging'],
    );
    // Upstream of another repository: refused until that one drops it.
    await ca.send(new CreateRepositoryCommand({ domain: 'acme', repository: 'tmp-b', upstreams: [{ repositoryName: 'tmp-a' }] }));
    const inUse = await rejection(ca.send(new DeleteRepositoryCommand({ domain: 'acme', repository: 'tmp-a' })));
    assert.equal(inUse.name, 'ConflictException');
    assert.match(inUse.message, /tmp-b/);
    // A cycle is refused.
    const cycle = await rejection(ca.send(new UpdateRepositoryCommand({ domain: 'acme', repository: 'tmp-a', upstreams: [{ repositoryName: 'tmp-b' }] })));
    assert.equal(cycle.name, 'ValidationException');
    assert.match(cycle.message, /cycle/);
    const missing = await rejection(ca.send(new CreateRepositoryCommand({ domain: 'acme', repository: 'tmp-c', upstreams: [{ repositoryName: 'nope' }] })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    const del = await ca.send(new DeleteRepositoryCommand({ domain: 'acme', repository: 'tmp-b' }));
    assert.equal(del.repository?.name, 'tmp-b');
    await ca.send(new DeleteRepositoryCommand({ domain: 'acme', repository: 'tmp-a' }));
    const gone = await rejection(ca.send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'tmp-a' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    assert.equal(gone.resourceType, 'repository');
  });

  it('at most 10 upstreams: the 11th is ServiceQuotaExceededException', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `up-${i}`);
    for (const n of names) await ca.send(new CreateRepositoryCommand({ domain: 'acme', repository: n }));
    const ten = await ca.send(new CreateRepositoryCommand({ domain: 'acme', repository: 'many', upstreams: names.slice(0, 10).map((repositoryName) => ({ repositoryName })) }));
    assert.equal(ten.repository?.upstreams?.length, 10);
    const e = await rejection(ca.send(new UpdateRepositoryCommand({ domain: 'acme', repository: 'many', upstreams: names.map((repositoryName) => ({ repositoryName })) })));
    assert.equal(e.name, 'ServiceQuotaExceededException');
    assert.equal(e.resourceType, 'repository');
    assert.equal(e.resourceId, 'many');
    assert.equal((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 402);
    await ca.send(new DeleteRepositoryCommand({ domain: 'acme', repository: 'many' }));
    for (const n of names) await ca.send(new DeleteRepositoryCommand({ domain: 'acme', repository: n }));
  });

  it('Associate/DisassociateExternalConnection: one per repository, known names only', async () => {
    const a = await ca.send(new AssociateExternalConnectionCommand({ domain: 'acme', repository: 'staging', externalConnection: 'public:pypi' }));
    assert.deepEqual(a.repository?.externalConnections, [{ externalConnectionName: 'public:pypi', packageFormat: 'pypi', status: 'Available' }]);
    const second = await rejection(ca.send(new AssociateExternalConnectionCommand({ domain: 'acme', repository: 'staging', externalConnection: 'public:npmjs' })));
    assert.equal(second.name, 'ConflictException');
    const unknown = await rejection(ca.send(new AssociateExternalConnectionCommand({ domain: 'acme', repository: 'app', externalConnection: 'public:nope' })));
    assert.equal(unknown.name, 'ValidationException');
    assert.match(unknown.message, /public:nope/);
    const d = await ca.send(new DisassociateExternalConnectionCommand({ domain: 'acme', repository: 'staging', externalConnection: 'public:pypi' }));
    assert.deepEqual(d.repository?.externalConnections, []);
    const notThere = await rejection(ca.send(new DisassociateExternalConnectionCommand({ domain: 'acme', repository: 'staging', externalConnection: 'public:pypi' })));
    assert.equal(notThere.name, 'ResourceNotFoundException');
  });

  it('ListPackages with format, namespace prefix, package-prefix and origin filters', async () => {
    const all = await ca.send(new ListPackagesCommand({ domain: 'acme', repository: 'app' }));
    // Lexical order by (format, namespace, name); PyPI names are stored normalised.
    assert.deepEqual(
      all.packages?.map((p) => `${p.format}:${p.namespace ?? ''}:${p.package}`),
      ['maven:com.acme:core', 'npm::left-pad', 'npm:acme:ui', 'pypi::acme-tools'],
    );
    assert.deepEqual(all.packages?.[2].originConfiguration, { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } });
    const npm = await ca.send(new ListPackagesCommand({ domain: 'acme', repository: 'app', format: 'npm', namespace: 'ac' }));
    assert.deepEqual(
      npm.packages?.map((p) => p.package),
      ['ui'],
    );
    const pre = await ca.send(new ListPackagesCommand({ domain: 'acme', repository: 'app', packagePrefix: 'left' }));
    assert.deepEqual(
      pre.packages?.map((p) => p.package),
      ['left-pad'],
    );
    const blocked = await ca.send(new ListPackagesCommand({ domain: 'acme', repository: 'app', upstream: 'BLOCK' }));
    assert.deepEqual(
      blocked.packages?.map((p) => p.package),
      ['left-pad'],
    );
    const py = await ca.send(new ListPackagesCommand({ domain: 'acme', repository: 'app', format: 'pypi', packagePrefix: 'Acme_T' }));
    assert.deepEqual(
      py.packages?.map((p) => p.package),
      ['acme-tools'],
    );
  });

  it('ListPackageVersions: sortBy PUBLISHED_TIME newest first, status and originType filters, defaultDisplayVersion', async () => {
    const base = { domain: 'acme', repository: 'app', format: 'npm' as const, namespace: 'acme', package: 'ui' };
    const byTime = await ca.send(new ListPackageVersionsCommand({ ...base, sortBy: 'PUBLISHED_TIME' }));
    assert.deepEqual(
      byTime.versions?.map((v) => v.version),
      ['2.0.0-beta.1', '1.1.0', '1.0.0'],
    );
    // npm: the latest dist-tag wins over the newest publish.
    assert.equal(byTime.defaultDisplayVersion, '1.1.0');
    assert.equal(byTime.package, 'ui');
    assert.equal(byTime.namespace, 'acme');
    assert.equal(byTime.versions?.[0].origin?.originType, 'INTERNAL');
    assert.equal(byTime.versions?.[0].origin?.domainEntryPoint?.repositoryName, 'app');
    const lexical = await ca.send(new ListPackageVersionsCommand(base));
    assert.deepEqual(
      lexical.versions?.map((v) => v.version),
      ['1.0.0', '1.1.0', '2.0.0-beta.1'],
    );
    const ext = await ca.send(new ListPackageVersionsCommand({ ...base, originType: 'EXTERNAL' }));
    assert.deepEqual(ext.versions, []);
    const mvn = await ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'app', format: 'maven', namespace: 'com.acme', package: 'core' }));
    // Maven: the most recently published version among the Published ones (2.5.0 is Unlisted).
    assert.equal(mvn.defaultDisplayVersion, '2.4.0');
    const unlisted = await ca.send(
      new ListPackageVersionsCommand({ domain: 'acme', repository: 'app', format: 'maven', namespace: 'com.acme', package: 'core', status: 'Unlisted' }),
    );
    assert.deepEqual(
      unlisted.versions?.map((v) => [v.version, v.status]),
      [['2.5.0', 'Unlisted']],
    );
    // PyPI names are normalised on input.
    const py = await ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'app', format: 'pypi', package: 'ACME.tools' }));
    assert.equal(py.package, 'acme-tools');
    assert.equal(py.defaultDisplayVersion, '0.4.0');
    const paged = await ca.send(new ListPackageVersionsCommand({ ...base, maxResults: 2 }));
    assert.equal(paged.versions?.length, 2);
    const rest = await ca.send(new ListPackageVersionsCommand({ ...base, maxResults: 2, nextToken: paged.nextToken }));
    assert.deepEqual(
      rest.versions?.map((v) => v.version),
      ['2.0.0-beta.1'],
    );
  });

  it('DescribePackage and DescribePackageVersion use name and packageName', async () => {
    const p = await ca.send(new DescribePackageCommand({ domain: 'acme', repository: 'app', format: 'npm', namespace: 'acme', package: 'ui' }));
    assert.deepEqual(p.package, { format: 'npm', namespace: 'acme', name: 'ui', originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } } });
    const v = await ca.send(new DescribePackageVersionCommand({ domain: 'acme', repository: 'app', format: 'npm', namespace: 'acme', package: 'ui', packageVersion: '1.0.0' }));
    const d = v.packageVersion!;
    assert.equal(d.packageName, 'ui');
    assert.equal(d.displayName, '@acme/ui');
    assert.equal(d.summary, 'UI kit');
    assert.deepEqual(d.licenses, [{ name: 'MIT' }]);
    assert.equal(d.publishedTime?.toISOString(), '2026-01-02T03:04:05.000Z');
    assert.equal(d.status, 'Published');
    assert.ok(d.revision);
    const upstreamOnly = await rejection(ca.send(new DescribePackageCommand({ domain: 'acme', repository: 'npm-store', format: 'npm', namespace: 'acme', package: 'ui' })));
    assert.equal(upstreamOnly.name, 'ResourceNotFoundException');
    assert.equal(upstreamOnly.resourceType, 'package');
    const noVersion = await rejection(
      ca.send(new DescribePackageVersionCommand({ domain: 'acme', repository: 'app', format: 'npm', namespace: 'acme', package: 'ui', packageVersion: '9.9.9' })),
    );
    assert.equal(noVersion.name, 'ResourceNotFoundException');
    assert.equal(noVersion.resourceType, 'package-version');
  });

  it('ListPackageVersionAssets, GetPackageVersionAsset and GetPackageVersionReadme', async () => {
    // The tarball npm downloads is the asset the control plane lists and serves, with its SHA-256.
    const token = (await ca.send(new GetAuthorizationTokenCommand({ domain: 'acme' }))).authorizationToken!;
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const doc = (await (await fetch(`${endpoint(emu, 'npm', 'app')}@acme/ui`, auth)).json()) as { versions: Record<string, { dist: { tarball: string } }> };
    const tgz = await fetch(doc.versions['1.0.0'].dist.tarball, auth);
    assert.equal(tgz.status, 200);
    const data = Buffer.from(await tgz.arrayBuffer());
    const coords = { domain: 'acme', repository: 'app', format: 'npm' as const, namespace: 'acme', package: 'ui', packageVersion: '1.0.0' };
    const list = await ca.send(new ListPackageVersionAssetsCommand(coords));
    const described = await ca.send(new DescribePackageVersionCommand(coords));
    assert.equal(list.versionRevision, described.packageVersion?.revision);
    assert.deepEqual(
      list.assets?.map((x) => [x.name, x.size, x.hashes?.['SHA-256']]),
      [['package.tgz', data.length, createHash('sha256').update(data).digest('hex')]],
    );
    const got = await ca.send(new GetPackageVersionAssetCommand({ ...coords, asset: 'package.tgz' }));
    assert.deepEqual(Buffer.from(await got.asset!.transformToByteArray()), data);
    assert.equal(got.assetName, 'package.tgz');
    assert.equal(got.packageVersionRevision, described.packageVersion?.revision);
    const noAsset = await rejection(ca.send(new GetPackageVersionAssetCommand({ ...coords, asset: 'other.tgz' })));
    assert.equal(noAsset.name, 'ResourceNotFoundException');
    assert.equal(noAsset.resourceType, 'asset');
    const readme = await ca.send(new GetPackageVersionReadmeCommand(coords));
    assert.equal(readme.readme, '# ui');
    assert.equal(readme.package, 'ui');
    assert.equal(readme.version, '1.0.0');
  });

  it('GetAuthorizationToken: URL-safe token the emulator remembers, expiry now+duration', async () => {
    const t = await ca.send(new GetAuthorizationTokenCommand({ domain: 'acme', durationSeconds: 900 }));
    assert.match(t.authorizationToken!, /^[A-Za-z0-9_-]+$/);
    assert.ok(Math.abs(t.expiration!.getTime() / 1000 - (now() + 900)) <= 5);
    // The registries take it (and nothing else) for this domain.
    const ping = (token: string) => fetch(`${endpoint(emu, 'npm', 'app')}@acme/ui`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    assert.equal(await ping(t.authorizationToken!), 200);
    assert.equal(await ping(`${t.authorizationToken!}x`), 401);
    const def = await ca.send(new GetAuthorizationTokenCommand({ domain: 'acme' }));
    assert.ok(Math.abs(def.expiration!.getTime() / 1000 - (now() + 43200)) <= 5);
    const zero = await ca.send(new GetAuthorizationTokenCommand({ domain: 'acme', durationSeconds: 0 }));
    assert.ok(Math.abs(zero.expiration!.getTime() / 1000 - (now() + 43200)) <= 5);
    for (const bad of [1, 899, 43201]) {
      const e = await rejection(ca.send(new GetAuthorizationTokenCommand({ domain: 'acme', durationSeconds: bad })));
      assert.equal(e.name, 'ValidationException', `duration ${bad}`);
      assert.match(e.message, /duration/);
    }
  });

  it('GetRepositoryEndpoint points at the emulator for every format', async () => {
    for (const format of ['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo'] as const) {
      const r = await ca.send(new GetRepositoryEndpointCommand({ domain: 'acme', repository: 'app', format }));
      assert.equal(r.repositoryEndpoint, `${emu.url}/${format}/d/acme-111122223333/app/`);
    }
    const ds = await ca.send(new GetRepositoryEndpointCommand({ domain: 'acme', repository: 'app', format: 'npm', endpointType: 'dualstack' }));
    assert.ok(ds.repositoryEndpoint?.endsWith('/npm/d/acme-111122223333/app/'));
  });

  it('UpdatePackageVersionsStatus, DisposePackageVersions and DeletePackageVersions report per version', async () => {
    const coords = { domain: 'acme', repository: 'app', format: 'maven' as const, namespace: 'com.acme', package: 'core' };
    const up = await ca.send(new UpdatePackageVersionsStatusCommand({ ...coords, versions: ['2.4.0', '2.5.0', '9.0.0'], expectedStatus: 'Published', targetStatus: 'Archived' }));
    assert.equal(up.successfulVersions?.['2.4.0'].status, 'Archived');
    assert.equal(up.failedVersions?.['2.5.0'].errorCode, 'MISMATCHED_STATUS');
    assert.equal(up.failedVersions?.['9.0.0'].errorCode, 'NOT_FOUND');
    const badTarget = await rejection(ca.send(new UpdatePackageVersionsStatusCommand({ ...coords, versions: ['2.4.0'], targetStatus: 'Disposed' })));
    assert.equal(badTarget.name, 'ValidationException');
    const disp = await ca.send(new DisposePackageVersionsCommand({ ...coords, versions: ['2.4.0', '2.5.0'], versionRevisions: { '2.5.0': 'wrong' } }));
    assert.equal(disp.successfulVersions?.['2.4.0'].status, 'Disposed');
    assert.equal(disp.failedVersions?.['2.5.0'].errorCode, 'MISMATCHED_REVISION');
    const desc = await ca.send(new DescribePackageVersionCommand({ ...coords, packageVersion: '2.4.0' }));
    assert.equal(desc.packageVersion?.status, 'Disposed');
    const del = await ca.send(new DeletePackageVersionsCommand({ ...coords, versions: ['2.5.0', '3.0.0'] }));
    assert.equal(del.successfulVersions?.['2.5.0'].status, 'Deleted');
    assert.equal(del.failedVersions?.['3.0.0'].errorCode, 'NOT_FOUND');
    const left = await ca.send(new ListPackageVersionsCommand(coords));
    assert.deepEqual(
      left.versions?.map((v) => v.version),
      ['2.4.0'],
    );
  });

  it('CopyPackageVersions copies between repositories, refusing overwrites unless asked', async () => {
    const base = { domain: 'acme', sourceRepository: 'app', destinationRepository: 'staging', format: 'npm' as const, namespace: 'acme', package: 'ui' };
    const c = await ca.send(new CopyPackageVersionsCommand({ ...base, versions: ['1.0.0', '1.1.0', '7.0.0'] }));
    assert.deepEqual(Object.keys(c.successfulVersions ?? {}).sort(), ['1.0.0', '1.1.0']);
    assert.equal(c.failedVersions?.['7.0.0'].errorCode, 'NOT_FOUND');
    const again = await ca.send(new CopyPackageVersionsCommand({ ...base, versions: ['1.0.0'] }));
    assert.equal(again.failedVersions?.['1.0.0'].errorCode, 'ALREADY_EXISTS');
    const over = await ca.send(new CopyPackageVersionsCommand({ ...base, versions: ['1.0.0'], allowOverwrite: true }));
    assert.equal(over.successfulVersions?.['1.0.0'].status, 'Published');
    const listed = await ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'staging', format: 'npm', namespace: 'acme', package: 'ui' }));
    assert.deepEqual(
      listed.versions?.map((v) => v.version),
      ['1.0.0', '1.1.0'],
    );
    const both = await rejection(ca.send(new CopyPackageVersionsCommand({ ...base, versions: ['1.0.0'], versionRevisions: { '1.0.0': 'x' } })));
    assert.equal(both.name, 'ValidationException');
  });

  it('normalises PyPI and Swift names on input, in seeds and requests alike', async () => {
    const other = await startEmulator({
      seed: {
        domains: [
          {
            name: 'acme',
            repositories: [
              {
                name: 'mixed',
                packages: [
                  { format: 'pypi', name: 'Pigeon_CLI', versions: [{ version: '1.0' }] },
                  { format: 'swift', namespace: 'Apple', name: 'Swift-Log', versions: [{ version: '1.5.0' }] },
                ],
              },
            ],
          },
        ],
      },
    });
    const c = sdkClient(other.url);
    try {
      const py = await c.send(new DescribePackageCommand({ domain: 'acme', repository: 'mixed', format: 'pypi', package: 'pigeon.cli' }));
      assert.equal(py.package?.name, 'pigeon-cli');
      const sw = await c.send(new DescribePackageCommand({ domain: 'acme', repository: 'mixed', format: 'swift', namespace: 'APPLE', package: 'swift-LOG' }));
      assert.equal(sw.package?.namespace, 'apple');
      assert.equal(sw.package?.name, 'swift-log');
    } finally {
      c.destroy();
      await other.close();
    }
  });

  it('counts each control-plane call by operation name in GET /_emulator/stats', async () => {
    const count = async (op: string) => ((await (await fetch(`${emu.url}/_emulator/stats`)).json()) as { stats: Record<string, number> }).stats[op] ?? 0;
    const before = await count('DescribeRepository');
    await ca.send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'app' }));
    await rejection(ca.send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'nope' })));
    assert.equal(await count('DescribeRepository'), before + 2);
  });
});
