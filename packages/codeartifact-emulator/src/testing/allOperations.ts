// Every CodeArtifact operation (the `*Command` exports of @aws-sdk/client-codeartifact) through the real AWS
// CLI against an emulator, in an order that builds what later operations need and deletes it all at the end:
// test/allOperations.test.ts (v1, `aws` on PATH) and test/allOperationsV2.test.ts (v2, Debian's /usr/bin/aws),
// one file each for the test tier's per-file time budget (each CLI call is a Python start-up of 1-3 s).
//
// Debian's v2 (2.9.x) ships a CodeArtifact model older than package groups (36 of the 48 operations). For the
// operations its model lacks, the v2 pass teaches it the newer model of the preinstalled v1's botocore with the
// CLI's own `aws configure add-model` (in the pass's throw-away HOME) and says so in a test diagnostic.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as sdk from '@aws-sdk/client-codeartifact';
import type { Emulator } from '../server';
import { awsBinary, cliJson, codeartifactCli } from './awsCli';

/** The service's operations: every `XxxCommand` the SDK exports. */
export const SDK_OPERATIONS = Object.keys(sdk)
  .filter((k) => /^[A-Z]\w*Command$/.test(k))
  .map((k) => k.slice(0, -'Command'.length))
  .sort();

const kebab = (op: string) => op.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** The codeartifact subcommands `binary` knows, from its "Invalid choice, valid choices are:" answer. */
async function cliSubcommands(binary: string, home: string): Promise<Set<string>> {
  const r = await awsBinary(binary, home, ['codeartifact', 'no-such-operation']);
  const list = /valid choices are:([\s\S]*?)(Invalid choice|$)/.exec(r.stderr);
  assert.ok(list, `no list of choices from ${binary}: ${r.stderr}`);
  return new Set(list[1].match(/[a-z][a-z-]+/g) ?? []);
}

/** The newest CodeArtifact model on the machine: the preinstalled v1's botocore (as JSON text). */
export function botocoreModel(): string {
  const dir = execFileSync('python3', ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'], { encoding: 'utf8' }).trim();
  const file = join(dir, 'data', 'codeartifact', '2018-09-22', 'service-2.json');
  return existsSync(file) ? readFileSync(file, 'utf8') : gunzipSync(readFileSync(`${file}.gz`)).toString('utf8');
}

/** Makes `binary` (with HOME=`home`) know every operation; returns the ones its own model lacked. */
export async function ensureModel(binary: string, home: string): Promise<string[]> {
  const known = await cliSubcommands(binary, home);
  const lacking = SDK_OPERATIONS.filter((op) => !known.has(kebab(op)));
  if (lacking.length === 0) return [];
  const model = botocoreModel();
  const operations = Object.keys((JSON.parse(model) as { operations: Json }).operations).sort();
  assert.deepEqual(operations, SDK_OPERATIONS, 'the botocore model on this machine has every operation');
  const file = join(home, 'codeartifact-service-2.json');
  writeFileSync(file, model);
  cliJson(await awsBinary(binary, home, ['configure', 'add-model', '--service-model', `file://${file}`, '--service-name', 'codeartifact']));
  const now = await cliSubcommands(binary, home);
  assert.deepEqual(
    SDK_OPERATIONS.filter((op) => !now.has(kebab(op))),
    [],
    'after add-model the CLI knows every operation',
  );
  return lacking;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const POLICY = (resource: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['codeartifact:ReadFromRepository'], Resource: resource }],
  });

/** Runs all operations once through `binary` against `emu`; returns the operations run. */
export async function everyOperation(emu: Emulator, home: string, binary: string): Promise<Set<string>> {
  const cli = codeartifactCli(emu.url, home, binary);
  const ran = new Set<string>();
  const call = async (op: string, ...args: string[]): Promise<Json> => {
    ran.add(op);
    const r = await cli(kebab(op), ...args);
    assert.equal(r.code, 0, `${op}: ${r.stderr}`);
    return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Json);
  };
  const d = ['--domain', 'demo'];
  const coords = (version: string) => [...d, '--repository', 'app', '--format', 'generic', '--namespace', 'tools', '--package', 'cli', '--package-version', version];
  const pkg = [...d, '--repository', 'app', '--format', 'generic', '--namespace', 'tools', '--package', 'cli'];

  // Domain and repositories.
  const domain = (await call('CreateDomain', ...d, '--tags', 'key=team,value=tools')).domain;
  assert.equal(domain.name, 'demo');
  assert.equal(domain.status, 'Active');
  assert.equal(domain.owner, '111122223333');
  const domainArn = domain.arn as string;
  assert.match(domainArn, /^arn:aws:codeartifact:us-west-2:111122223333:domain\/demo$/);
  assert.equal((await call('DescribeDomain', ...d)).domain.name, 'demo');
  assert.deepEqual(
    (await call('ListDomains')).domains.map((x: Json) => x.name),
    ['demo'],
  );
  assert.equal((await call('CreateRepository', ...d, '--repository', 'store', '--description', 'the public store')).repository.name, 'store');
  assert.equal((await call('CreateRepository', ...d, '--repository', 'staging')).repository.name, 'staging');
  const app = (await call('CreateRepository', ...d, '--repository', 'app', '--upstreams', 'repositoryName=store', '--tags', 'key=env,value=dev')).repository;
  assert.equal(app.name, 'app');
  assert.deepEqual(app.upstreams, [{ repositoryName: 'store' }]);
  const repoArn = app.arn as string;
  assert.match(repoArn, /:repository\/demo\/app$/);
  const described = (await call('DescribeRepository', ...d, '--repository', 'app')).repository;
  assert.equal(described.domainName, 'demo');
  assert.equal((await call('UpdateRepository', ...d, '--repository', 'app', '--description', 'our tools')).repository.description, 'our tools');
  assert.deepEqual(
    (await call('ListRepositories')).repositories.map((r: Json) => r.name),
    ['app', 'staging', 'store'],
  );
  assert.deepEqual(
    (await call('ListRepositoriesInDomain', ...d, '--repository-prefix', 'st')).repositories.map((r: Json) => r.name),
    ['staging', 'store'],
  );
  const associated = (await call('AssociateExternalConnection', ...d, '--repository', 'store', '--external-connection', 'public:npmjs')).repository;
  assert.deepEqual(associated.externalConnections, [{ externalConnectionName: 'public:npmjs', packageFormat: 'npm', status: 'Available' }]);
  const disassociated = (await call('DisassociateExternalConnection', ...d, '--repository', 'store', '--external-connection', 'public:npmjs')).repository;
  assert.deepEqual(disassociated.externalConnections, []);
  const token = await call('GetAuthorizationToken', ...d, '--duration-seconds', '900');
  assert.equal(typeof token.authorizationToken, 'string');
  assert.ok(token.authorizationToken.length > 20);
  assert.ok(token.expiration !== undefined);
  const ep = await call('GetRepositoryEndpoint', ...d, '--repository', 'app', '--format', 'npm');
  assert.equal(ep.repositoryEndpoint, `${emu.url}/npm/d/demo-111122223333/app/`);

  // Package groups.
  const group = '/generic/tools/*';
  const created = (await call('CreatePackageGroup', ...d, '--package-group', group, '--contact-info', 'tools@acme.example', '--tags', 'key=owner,value=tools')).packageGroup;
  assert.equal(created.pattern, group);
  assert.equal(created.parent.pattern, '/*');
  const groupArn = created.arn as string;
  assert.equal((await call('DescribePackageGroup', ...d, '--package-group', group)).packageGroup.contactInfo, 'tools@acme.example');
  assert.equal((await call('UpdatePackageGroup', ...d, '--package-group', group, '--description', 'tool bundles')).packageGroup.description, 'tool bundles');
  assert.deepEqual(
    (await call('ListPackageGroups', ...d)).packageGroups.map((g: Json) => g.pattern),
    ['/*', group],
  );
  assert.deepEqual(
    (await call('ListSubPackageGroups', ...d, '--package-group', '/*')).packageGroups.map((g: Json) => g.pattern),
    [group],
  );
  const origin = await call(
    'UpdatePackageGroupOriginConfiguration',
    ...d,
    '--package-group',
    group,
    '--restrictions',
    'EXTERNAL_UPSTREAM=ALLOW_SPECIFIC_REPOSITORIES',
    '--add-allowed-repositories',
    'repositoryName=store,originRestrictionType=EXTERNAL_UPSTREAM',
  );
  assert.deepEqual(origin.allowedRepositoryUpdates, { EXTERNAL_UPSTREAM: { ADDED: ['store'] } });
  assert.equal(origin.packageGroup.originConfiguration.restrictions.EXTERNAL_UPSTREAM.mode, 'ALLOW_SPECIFIC_REPOSITORIES');
  assert.deepEqual((await call('ListAllowedRepositoriesForGroup', ...d, '--package-group', group, '--origin-restriction-type', 'EXTERNAL_UPSTREAM')).allowedRepositories, [
    'store',
  ]);

  // A generic package: three versions published, then read every way.
  const data = Buffer.concat([Buffer.from('tool bundle\n'), Buffer.from([0, 255, 13, 10])]);
  const file = join(home, 'bundle.bin');
  writeFileSync(file, data);
  for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
    const published = await call('PublishPackageVersion', ...coords(version), '--asset-content', file, '--asset-name', 'bundle.bin', '--asset-sha256', sha256(data));
    assert.equal(published.status, 'Published');
    assert.equal(published.package, 'cli');
    assert.equal(published.version, version);
    assert.equal(published.asset.name, 'bundle.bin');
    assert.equal(published.asset.size, data.length);
  }
  const listed = (await call('ListPackages', ...d, '--repository', 'app')).packages;
  assert.deepEqual(
    listed.map((p: Json) => [p.format, p.namespace, p.package]),
    [['generic', 'tools', 'cli']],
  );
  assert.equal((await call('DescribePackage', ...pkg)).package.name, 'cli');
  const put = await call('PutPackageOriginConfiguration', ...pkg, '--restrictions', 'publish=ALLOW,upstream=BLOCK');
  assert.deepEqual(put.originConfiguration, { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } });
  const assoc = await call('GetAssociatedPackageGroup', ...d, '--format', 'generic', '--namespace', 'tools', '--package', 'cli');
  assert.equal(assoc.packageGroup.pattern, group);
  assert.equal(assoc.associationType, 'STRONG');
  assert.deepEqual((await call('ListAssociatedPackages', ...d, '--package-group', group)).packages, [
    { format: 'generic', namespace: 'tools', package: 'cli', associationType: 'STRONG' },
  ]);
  const versions = await call('ListPackageVersions', ...pkg);
  assert.deepEqual(versions.versions.map((v: Json) => v.version).sort(), ['1.0.0', '1.1.0', '1.2.0']);
  const version = (await call('DescribePackageVersion', ...coords('1.0.0'))).packageVersion;
  assert.equal(version.version, '1.0.0');
  assert.equal(version.status, 'Published');
  assert.equal(version.packageName, 'cli');
  const assets = await call('ListPackageVersionAssets', ...coords('1.0.0'));
  assert.equal(assets.assets[0].name, 'bundle.bin');
  assert.equal(assets.assets[0].hashes['SHA-256'], sha256(data));
  const back = join(home, 'back.bin');
  const got = await call('GetPackageVersionAsset', ...coords('1.0.0'), '--asset', 'bundle.bin', back);
  assert.equal(got.assetName, 'bundle.bin');
  assert.equal(got.packageVersion, '1.0.0');
  assert.ok(readFileSync(back).equals(data), 'the asset came back byte for byte');
  const readme = await call('GetPackageVersionReadme', ...coords('1.0.0'));
  assert.equal(readme.package, 'cli');
  assert.equal(readme.version, '1.0.0');
  const deps = await call('ListPackageVersionDependencies', ...coords('1.0.0'));
  assert.equal(deps.version, '1.0.0');
  assert.deepEqual(deps.dependencies, []);

  // Version operations.
  const versionsArgs = (v: string) => [...pkg, '--versions', v];
  const copied = await call(
    'CopyPackageVersions',
    ...d,
    '--source-repository',
    'app',
    '--destination-repository',
    'staging',
    '--format',
    'generic',
    '--namespace',
    'tools',
    '--package',
    'cli',
    '--versions',
    '1.0.0',
  );
  assert.equal(copied.successfulVersions['1.0.0'].status, 'Published');
  const archived = await call('UpdatePackageVersionsStatus', ...versionsArgs('1.1.0'), '--target-status', 'Archived');
  assert.equal(archived.successfulVersions['1.1.0'].status, 'Archived');
  const disposed = await call('DisposePackageVersions', ...versionsArgs('1.1.0'));
  assert.equal(disposed.successfulVersions['1.1.0'].status, 'Disposed');
  const deleted = await call('DeletePackageVersions', ...versionsArgs('1.2.0'));
  assert.equal(deleted.successfulVersions['1.2.0'].status, 'Deleted');

  // Permissions policies.
  const domainPolicy = (await call('PutDomainPermissionsPolicy', ...d, '--policy-document', POLICY('*'))).policy;
  assert.equal(domainPolicy.resourceArn, domainArn);
  assert.equal(typeof domainPolicy.revision, 'string');
  const gotDomainPolicy = (await call('GetDomainPermissionsPolicy', ...d)).policy;
  assert.deepEqual(JSON.parse(gotDomainPolicy.document), JSON.parse(POLICY('*')));
  assert.equal(gotDomainPolicy.revision, domainPolicy.revision);
  const repoPolicy = (await call('PutRepositoryPermissionsPolicy', ...d, '--repository', 'app', '--policy-document', POLICY(repoArn))).policy;
  assert.equal(repoPolicy.resourceArn, repoArn);
  assert.equal((await call('GetRepositoryPermissionsPolicy', ...d, '--repository', 'app')).policy.revision, repoPolicy.revision);

  // Tags on the three kinds of resources.
  await call('TagResource', '--resource-arn', repoArn, '--tags', 'key=cost-center,value=42');
  assert.deepEqual((await call('ListTagsForResource', '--resource-arn', repoArn)).tags, [
    { key: 'env', value: 'dev' },
    { key: 'cost-center', value: '42' },
  ]);
  await call('UntagResource', '--resource-arn', repoArn, '--tag-keys', 'env');
  assert.deepEqual((await call('ListTagsForResource', '--resource-arn', repoArn)).tags, [{ key: 'cost-center', value: '42' }]);
  assert.deepEqual((await call('ListTagsForResource', '--resource-arn', domainArn)).tags, [{ key: 'team', value: 'tools' }]);
  assert.deepEqual((await call('ListTagsForResource', '--resource-arn', groupArn)).tags, [{ key: 'owner', value: 'tools' }]);

  // Everything deleted again.
  const repoPolicyGone = await call('DeleteRepositoryPermissionsPolicy', ...d, '--repository', 'app', '--policy-revision', repoPolicy.revision);
  assert.equal(repoPolicyGone.policy.revision, repoPolicy.revision);
  assert.equal((await call('DeleteDomainPermissionsPolicy', ...d)).policy.resourceArn, domainArn);
  const gone = await call('DeletePackage', ...pkg);
  assert.equal(gone.deletedPackage.package, 'cli');
  assert.equal(gone.deletedPackage.namespace, 'tools');
  assert.equal((await call('DeletePackageGroup', ...d, '--package-group', group)).packageGroup.pattern, group);
  for (const repository of ['app', 'staging', 'store']) {
    assert.equal((await call('DeleteRepository', ...d, '--repository', repository)).repository.name, repository);
  }
  const deletedDomain = (await call('DeleteDomain', ...d)).domain;
  assert.equal(deletedDomain.name, 'demo');
  assert.equal(deletedDomain.status, 'Deleted');
  assert.deepEqual((await call('ListDomains')).domains, []);
  return ran;
}
