// Package groups and origin controls through the real AWS SDK v3: the root group, pattern syntax and its
// validation errors, the hierarchy, the group of a package, restrictions resolved up the hierarchy,
// allowed-repository lists, associated packages, per-package origin configuration and what
// DescribePackage / ListPackages show, and package groups in the seed.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeartifactClient,
  CreateDomainCommand,
  CreatePackageGroupCommand,
  DeletePackageGroupCommand,
  DeleteRepositoryCommand,
  DescribePackageCommand,
  DescribePackageGroupCommand,
  GetAssociatedPackageGroupCommand,
  ListAllowedRepositoriesForGroupCommand,
  ListAssociatedPackagesCommand,
  ListPackageGroupsCommand,
  ListPackagesCommand,
  ListSubPackageGroupsCommand,
  PutPackageOriginConfigurationCommand,
  UpdatePackageGroupCommand,
  UpdatePackageGroupOriginConfigurationCommand,
  type PackageGroupDescription,
} from '@aws-sdk/client-codeartifact';
import { startEmulator, type Emulator } from '../src/server';
import { basic, endpoint, npmPackage, raw, rejection, sdkClient, seed, testSeed, tokenFor } from '../src/testing';

const domain = 'acme';

describe('package groups through the AWS SDK v3', () => {
  let emu: Emulator;
  let ca: CodeartifactClient;
  beforeEach(async () => {
    emu = await startEmulator({ seed: testSeed() });
    ca = sdkClient(emu.url);
  });
  afterEach(async () => {
    ca.destroy();
    await emu.close();
  });

  const create = (packageGroup: string, extra: { description?: string; contactInfo?: string } = {}) =>
    ca.send(new CreatePackageGroupCommand({ domain, packageGroup, ...extra })).then((r) => r.packageGroup!);
  const describeGroup = (packageGroup: string) => ca.send(new DescribePackageGroupCommand({ domain, packageGroup })).then((r) => r.packageGroup!);
  const restriction = (g: PackageGroupDescription, type: 'PUBLISH' | 'EXTERNAL_UPSTREAM' | 'INTERNAL_UPSTREAM') => g.originConfiguration!.restrictions![type];

  it('every domain has the root group /*, all ALLOW, which can be changed but not deleted', async () => {
    const root = await describeGroup('/*');
    assert.equal(root.pattern, '/*');
    assert.equal(root.arn, 'arn:aws:codeartifact:us-west-2:111122223333:package-group/acme/*');
    assert.equal(root.domainName, 'acme');
    assert.equal(root.domainOwner, '111122223333');
    assert.ok(root.createdTime instanceof Date);
    assert.equal(root.parent, undefined);
    for (const t of ['PUBLISH', 'EXTERNAL_UPSTREAM', 'INTERNAL_UPSTREAM'] as const) {
      assert.deepEqual(restriction(root, t), { mode: 'ALLOW', effectiveMode: 'ALLOW', repositoriesCount: 0 });
    }
    const updated = await ca.send(new UpdatePackageGroupCommand({ domain, packageGroup: '/*', description: 'everything', contactInfo: 'ops@example.com' }));
    assert.equal(updated.packageGroup?.description, 'everything');
    assert.equal(updated.packageGroup?.contactInfo, 'ops@example.com');
    const del = await rejection(ca.send(new DeletePackageGroupCommand({ domain, packageGroup: '/*' })));
    assert.equal(del.name, 'ValidationException');
    const inherit = await rejection(ca.send(new UpdatePackageGroupOriginConfigurationCommand({ domain, packageGroup: '/*', restrictions: { PUBLISH: 'INHERIT' } })));
    assert.equal(inherit.name, 'ValidationException');
    // A domain created through the API has it too.
    await ca.send(new CreateDomainCommand({ domain: 'fresh' }));
    const listed = await ca.send(new ListPackageGroupsCommand({ domain: 'fresh' }));
    assert.deepEqual(
      listed.packageGroups?.map((g) => g.pattern),
      ['/*'],
    );
  });

  it('accepts every pattern form and refuses malformed ones with ValidationException', async () => {
    for (const p of ['/npm/*', '/maven/com.acme~', '/npm/space/*', '/npm/space/ui~', '/maven/org.apache/log4j-core$', '/pypi//requests$', '/npm//*', '/nuget//newtonsoft.json$']) {
      const g = await create(p);
      assert.equal(g.pattern, p);
    }
    const bad = [
      'npm/*', // no leading slash
      '/npm', // no suffix
      '/rubygem/*', // not a format
      '/npm/space*', // * not after a slash
      '/npm/a/b/c$', // too many components
      '/npm/space$', // $ needs a full path
      '/pypi/acme/tools$', // PyPI has no namespace
      '/pypi/acme~', // nor a namespace prefix
      '/pypi//Acme_Tools$', // PyPI names are normalised
      '/nuget//Newtonsoft.Json$', // NuGet names are lower case
      '/swift/Acme/kit$', // Swift namespaces are lower case
      '/maven//core$', // Maven needs a namespace with a name
      '/npm/sp ace/*', // whitespace
      '/', // too short
    ];
    for (const p of bad) {
      const e = await rejection(create(p));
      assert.equal(e.name, 'ValidationException', p);
      assert.equal((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 400);
    }
    const dup = await rejection(create('/npm/*'));
    assert.equal(dup.name, 'ConflictException');
    const missing = await rejection(describeGroup('/cargo/*'));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('builds the hierarchy: parents, sub-groups, deleting refuses a group with children', async () => {
    await create('/npm/*');
    await create('/npm/acme/*');
    await create('/npm/acme/ui~');
    await create('/npm/acme/ui-kit$');
    await create('/maven/com.acme~');
    await create('/maven/com.acme.core/*');
    const parent = async (p: string) => (await describeGroup(p)).parent?.pattern;
    assert.equal(await parent('/npm/*'), '/*');
    assert.equal(await parent('/npm/acme/*'), '/npm/*');
    assert.equal(await parent('/npm/acme/ui~'), '/npm/acme/*');
    assert.equal(await parent('/npm/acme/ui-kit$'), '/npm/acme/ui~');
    assert.equal(await parent('/maven/com.acme.core/*'), '/maven/com.acme~');
    assert.match((await describeGroup('/npm/acme/*')).parent!.arn!, /:package-group\/acme\/npm\/\*$/);

    const subs = async (p: string) => (await ca.send(new ListSubPackageGroupsCommand({ domain, packageGroup: p }))).packageGroups!.map((g) => g.pattern);
    assert.deepEqual(await subs('/*'), ['/maven/com.acme~', '/npm/*']);
    assert.deepEqual(await subs('/npm/*'), ['/npm/acme/*']);
    assert.deepEqual(await subs('/npm/acme/ui-kit$'), []);

    const conflict = await rejection(ca.send(new DeletePackageGroupCommand({ domain, packageGroup: '/npm/acme/*' })));
    assert.equal(conflict.name, 'ConflictException');
    const deleted = await ca.send(new DeletePackageGroupCommand({ domain, packageGroup: '/npm/acme/ui-kit$' }));
    assert.equal(deleted.packageGroup?.pattern, '/npm/acme/ui-kit$');
    assert.deepEqual(await subs('/npm/acme/ui~'), []);
    const gone = await rejection(ca.send(new DeletePackageGroupCommand({ domain, packageGroup: '/npm/acme/ui-kit$' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
  });

  it('ListPackageGroups filters by prefix and pages', async () => {
    for (const p of ['/npm/*', '/npm/a/*', '/npm/b/*', '/npm/c/*', '/pypi/*']) await create(p);
    const all = await ca.send(new ListPackageGroupsCommand({ domain }));
    assert.deepEqual(
      all.packageGroups?.map((g) => g.pattern),
      ['/*', '/npm/*', '/npm/a/*', '/npm/b/*', '/npm/c/*', '/pypi/*'],
    );
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await ca.send(new ListPackageGroupsCommand({ domain, prefix: '/npm/', maxResults: 2, nextToken }));
      assert.ok(page.packageGroups!.length <= 2);
      seen.push(...page.packageGroups!.map((g) => g.pattern!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(seen, ['/npm/*', '/npm/a/*', '/npm/b/*', '/npm/c/*']);
    const badMax = await rejection(ca.send(new ListPackageGroupsCommand({ domain, maxResults: 0 })));
    assert.equal(badMax.name, 'ValidationException');
  });

  it('GetAssociatedPackageGroup: the most specific matching group, with normalised names', async () => {
    for (const p of ['/npm/*', '/npm/acme/*', '/npm/acme/ui~', '/npm/acme/uikit~', '/pypi//acme-tools$', '/maven/com.acme~', '/swift/acme/*']) await create(p);
    const assoc = async (format: 'npm' | 'pypi' | 'maven' | 'swift' | 'cargo', pkg: string, namespace?: string) => {
      const r = await ca.send(new GetAssociatedPackageGroupCommand({ domain, format, namespace, package: pkg }));
      assert.equal(r.associationType, 'STRONG');
      return r.packageGroup!.pattern;
    };
    assert.equal(await assoc('npm', 'uikit-pro', 'acme'), '/npm/acme/uikit~');
    assert.equal(await assoc('npm', 'ui', 'acme'), '/npm/acme/ui~');
    assert.equal(await assoc('npm', 'forms', 'acme'), '/npm/acme/*');
    assert.equal(await assoc('npm', 'react'), '/npm/*');
    assert.equal(await assoc('pypi', 'Acme_Tools'), '/pypi//acme-tools$');
    assert.equal(await assoc('maven', 'core', 'com.acme.util'), '/maven/com.acme~');
    assert.equal(await assoc('maven', 'core', 'org.other'), '/*');
    assert.equal(await assoc('swift', 'Kit', 'Acme'), '/swift/acme/*');
    assert.equal(await assoc('cargo', 'serde'), '/*');
  });

  it('restrictions resolve up the hierarchy; allowed-repository lists are added, removed and listed', async () => {
    await create('/npm/*');
    await create('/npm/acme/*');
    const r = await ca.send(
      new UpdatePackageGroupOriginConfigurationCommand({
        domain,
        packageGroup: '/npm/*',
        restrictions: { EXTERNAL_UPSTREAM: 'BLOCK', PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES' },
        addAllowedRepositories: [
          { repositoryName: 'app', originRestrictionType: 'PUBLISH' },
          { repositoryName: 'staging', originRestrictionType: 'PUBLISH' },
        ],
      }),
    );
    assert.deepEqual(r.allowedRepositoryUpdates, { PUBLISH: { ADDED: ['app', 'staging'] } });
    assert.deepEqual(restriction(r.packageGroup!, 'EXTERNAL_UPSTREAM'), { mode: 'BLOCK', effectiveMode: 'BLOCK', repositoriesCount: 0 });
    assert.deepEqual(restriction(r.packageGroup!, 'PUBLISH'), { mode: 'ALLOW_SPECIFIC_REPOSITORIES', effectiveMode: 'ALLOW_SPECIFIC_REPOSITORIES', repositoriesCount: 2 });
    assert.deepEqual(restriction(r.packageGroup!, 'INTERNAL_UPSTREAM'), {
      mode: 'INHERIT',
      effectiveMode: 'ALLOW',
      inheritedFrom: { arn: 'arn:aws:codeartifact:us-west-2:111122223333:package-group/acme/*', pattern: '/*' },
      repositoriesCount: 0,
    });
    const child = await describeGroup('/npm/acme/*');
    assert.equal(restriction(child, 'EXTERNAL_UPSTREAM')?.mode, 'INHERIT');
    assert.equal(restriction(child, 'EXTERNAL_UPSTREAM')?.effectiveMode, 'BLOCK');
    assert.equal(restriction(child, 'EXTERNAL_UPSTREAM')?.inheritedFrom?.pattern, '/npm/*');
    assert.equal(restriction(child, 'PUBLISH')?.repositoriesCount, 2);

    const listAllowed = (type: 'PUBLISH' | 'EXTERNAL_UPSTREAM', maxResults?: number, nextToken?: string) =>
      ca.send(new ListAllowedRepositoriesForGroupCommand({ domain, packageGroup: '/npm/*', originRestrictionType: type, maxResults, nextToken }));
    const p1 = await listAllowed('PUBLISH', 1);
    assert.deepEqual(p1.allowedRepositories, ['app']);
    const p2 = await listAllowed('PUBLISH', 1, p1.nextToken);
    assert.deepEqual(p2.allowedRepositories, ['staging']);
    assert.equal(p2.nextToken, undefined);
    assert.deepEqual((await listAllowed('EXTERNAL_UPSTREAM')).allowedRepositories, []);

    const removed = await ca.send(
      new UpdatePackageGroupOriginConfigurationCommand({
        domain,
        packageGroup: '/npm/*',
        removeAllowedRepositories: [{ repositoryName: 'staging', originRestrictionType: 'PUBLISH' }],
      }),
    );
    assert.deepEqual(removed.allowedRepositoryUpdates, { PUBLISH: { REMOVED: ['staging'] } });
    assert.deepEqual((await listAllowed('PUBLISH')).allowedRepositories, ['app']);

    const unknownRepo = await rejection(
      ca.send(
        new UpdatePackageGroupOriginConfigurationCommand({
          domain,
          packageGroup: '/npm/*',
          addAllowedRepositories: [{ repositoryName: 'nope', originRestrictionType: 'PUBLISH' }],
        }),
      ),
    );
    assert.equal(unknownRepo.name, 'ResourceNotFoundException');
    const badMode = await rejection(
      ca.send(new UpdatePackageGroupOriginConfigurationCommand({ domain, packageGroup: '/npm/*', restrictions: { PUBLISH: 'SOMETIMES' as 'ALLOW' } })),
    );
    assert.equal(badMode.name, 'ValidationException');
    const badType = await rejection(ca.send(new ListAllowedRepositoriesForGroupCommand({ domain, packageGroup: '/npm/*', originRestrictionType: 'ANY' as 'PUBLISH' })));
    assert.equal(badType.name, 'ValidationException');

    // A deleted repository leaves the lists.
    await ca.send(
      new UpdatePackageGroupOriginConfigurationCommand({
        domain,
        packageGroup: '/npm/*',
        addAllowedRepositories: [{ repositoryName: 'staging', originRestrictionType: 'EXTERNAL_UPSTREAM' }],
      }),
    );
    assert.deepEqual((await listAllowed('EXTERNAL_UPSTREAM')).allowedRepositories, ['staging']);
    await ca.send(new DeleteRepositoryCommand({ domain, repository: 'staging' }));
    assert.deepEqual((await listAllowed('EXTERNAL_UPSTREAM')).allowedRepositories, []);
    assert.equal(restriction(await describeGroup('/npm/*'), 'EXTERNAL_UPSTREAM')?.repositoriesCount, 0);
  });

  it('ListAssociatedPackages lists the packages a group holds (not those of more specific groups); preview works without the group', async () => {
    await create('/npm/*');
    await create('/npm/acme/*');
    const list = async (packageGroup: string, preview?: boolean) =>
      (await ca.send(new ListAssociatedPackagesCommand({ domain, packageGroup, preview }))).packages!.map(
        (p) => `${p.format}:${p.namespace ?? ''}:${p.package}:${p.associationType}`,
      );
    assert.deepEqual(await list('/npm/acme/*'), ['npm:acme:ui:STRONG']);
    assert.deepEqual(await list('/npm/*'), ['npm::left-pad:STRONG']);
    assert.deepEqual(await list('/*'), ['maven:com.acme:core:STRONG', 'pypi::acme-tools:STRONG']);
    assert.deepEqual(await list('/pypi//acme-tools$', true), ['pypi::acme-tools:STRONG']);
    const missing = await rejection(list('/pypi//acme-tools$'));
    assert.equal(missing.name, 'ResourceNotFoundException');
    const p1 = await ca.send(new ListAssociatedPackagesCommand({ domain, packageGroup: '/*', maxResults: 1 }));
    assert.equal(p1.packages?.length, 1);
    const p2 = await ca.send(new ListAssociatedPackagesCommand({ domain, packageGroup: '/*', maxResults: 1, nextToken: p1.nextToken }));
    assert.equal(p2.packages?.[0].package, 'acme-tools');
  });

  it('PutPackageOriginConfiguration sets a package’s restrictions; DescribePackage and ListPackages show the effective ones', async () => {
    const describePkg = async (repository: string, pkg: string, namespace?: string) =>
      (await ca.send(new DescribePackageCommand({ domain, repository, format: 'npm', namespace, package: pkg }))).package!.originConfiguration!.restrictions;
    assert.deepEqual(await describePkg('app', 'ui', 'acme'), { publish: 'ALLOW', upstream: 'ALLOW' });
    const putUi = (publish: 'ALLOW' | 'BLOCK', upstream: 'ALLOW' | 'BLOCK') =>
      ca.send(new PutPackageOriginConfigurationCommand({ domain, repository: 'app', format: 'npm', namespace: 'acme', package: 'ui', restrictions: { publish, upstream } }));
    const put = await putUi('BLOCK', 'ALLOW');
    assert.deepEqual(put.originConfiguration, { restrictions: { publish: 'BLOCK', upstream: 'ALLOW' } });
    assert.deepEqual(await describePkg('app', 'ui', 'acme'), { publish: 'BLOCK', upstream: 'ALLOW' });
    const blocked = await ca.send(new ListPackagesCommand({ domain, repository: 'app', publish: 'BLOCK' }));
    assert.deepEqual(
      blocked.packages?.map((p) => p.package),
      ['ui'],
    );

    // A package group blocking upstreams (app has upstreams, no external connection: INTERNAL_UPSTREAM).
    await create('/npm/acme/*');
    await ca.send(new UpdatePackageGroupOriginConfigurationCommand({ domain, packageGroup: '/npm/acme/*', restrictions: { INTERNAL_UPSTREAM: 'BLOCK' } }));
    assert.deepEqual(await describePkg('app', 'ui', 'acme'), { publish: 'BLOCK', upstream: 'BLOCK' });
    // PUBLISH allowed for a specific repository only: app is not on the list.
    await putUi('ALLOW', 'ALLOW');
    await ca.send(
      new UpdatePackageGroupOriginConfigurationCommand({
        domain,
        packageGroup: '/npm/acme/*',
        restrictions: { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES', INTERNAL_UPSTREAM: 'INHERIT' },
        addAllowedRepositories: [{ repositoryName: 'staging', originRestrictionType: 'PUBLISH' }],
      }),
    );
    assert.deepEqual(await describePkg('app', 'ui', 'acme'), { publish: 'BLOCK', upstream: 'ALLOW' });
    const upstreamBlocked = await ca.send(new ListPackagesCommand({ domain, repository: 'app', upstream: 'BLOCK' }));
    assert.deepEqual(
      upstreamBlocked.packages?.map((p) => p.package),
      ['left-pad'],
    );

    const missing = await rejection(
      ca.send(new PutPackageOriginConfigurationCommand({ domain, repository: 'app', format: 'npm', package: 'nope', restrictions: { publish: 'BLOCK', upstream: 'BLOCK' } })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    const bad = await rejection(
      ca.send(
        new PutPackageOriginConfigurationCommand({
          domain,
          repository: 'app',
          format: 'npm',
          package: 'left-pad',
          restrictions: { publish: 'MAYBE' as 'ALLOW', upstream: 'BLOCK' },
        }),
      ),
    );
    assert.equal(bad.name, 'ValidationException');
  });
});

describe('package groups in the seed', () => {
  it('seeds groups with restrictions and allowed repositories; the root can be configured', async () => {
    const s = seed()
      .domain('acme')
      .repo('npm-store', { externalConnection: 'public:npmjs' })
      .repo('app', { upstreams: ['npm-store'], packages: [npmPackage('@acme/ui', ['1.0.0'])] })
      .packageGroup('/*', { restrictions: { PUBLISH: 'BLOCK' } })
      .packageGroup('/npm/acme/*', {
        description: 'ours',
        restrictions: { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES', EXTERNAL_UPSTREAM: 'BLOCK' },
        allowedRepositories: { PUBLISH: ['app'] },
      })
      .build();
    const emu = await startEmulator({ seed: s });
    const ca = sdkClient(emu.url);
    try {
      const groups = await ca.send(new ListPackageGroupsCommand({ domain: 'acme' }));
      assert.deepEqual(
        groups.packageGroups?.map((g) => [g.pattern, g.description, g.originConfiguration?.restrictions?.PUBLISH?.effectiveMode]),
        [
          ['/*', undefined, 'BLOCK'],
          ['/npm/acme/*', 'ours', 'ALLOW_SPECIFIC_REPOSITORIES'],
        ],
      );
      const allowed = await ca.send(new ListAllowedRepositoriesForGroupCommand({ domain: 'acme', packageGroup: '/npm/acme/*', originRestrictionType: 'PUBLISH' }));
      assert.deepEqual(allowed.allowedRepositories, ['app']);
      const d = await ca.send(new DescribePackageCommand({ domain: 'acme', repository: 'app', format: 'npm', namespace: 'acme', package: 'ui' }));
      assert.deepEqual(d.package?.originConfiguration?.restrictions, { publish: 'ALLOW', upstream: 'ALLOW' });
    } finally {
      ca.destroy();
      await emu.close();
    }
  });

  it('refuses a bad seed group naming the JSON path', async () => {
    const bad = [
      [{ pattern: '/npm/acme' }, /packageGroups\[0\]\.pattern/],
      [{ pattern: '/npm/*', restrictions: { PUBLISH: 'NEVER' } }, /packageGroups\[0\]\.restrictions\.PUBLISH/],
      [{ pattern: '/*', restrictions: { PUBLISH: 'INHERIT' } }, /root group/],
      [{ pattern: '/npm/*', allowedRepositories: { PUBLISH: ['ghost'] } }, /allowedRepositories\.PUBLISH.*ghost/],
    ] as const;
    for (const [group, message] of bad) {
      const s = seed().domain('acme').repo('app').build();
      (s.domains![0] as { packageGroups?: unknown[] }).packageGroups = [group];
      await assert.rejects(startEmulator({ seed: s }), message);
    }
  });
});

describe('package-group routes with bad input', () => {
  it('answer 4xx JSON errors, never crash, and leave the state unchanged', async () => {
    const emu = await startEmulator({ seed: testSeed() });
    try {
      const ca = sdkClient(emu.url);
      await ca.send(new CreatePackageGroupCommand({ domain, packageGroup: '/npm/*' }));
      ca.destroy();
      const before = JSON.stringify(emu.ctx.state);
      const g = 'package-group';
      const cases: [string, string, string?][] = [
        ['POST', '/v1/package-group?domain=acme', '{"packageGroup":"npm/*"}'],
        ['POST', '/v1/package-group?domain=acme', '{"packageGroup":5}'],
        ['POST', '/v1/package-group?domain=acme', '{"packageGroup":"/npm/*"}'],
        ['POST', '/v1/package-group?domain=acme', '{"packageGroup":"/npm/a/*","description":7}'],
        ['POST', '/v1/package-group?domain=acme', '{"packageGroup":"/npm/a/*","tags":[{"key":1}]}'],
        ['POST', '/v1/package-group?domain=nope', '{"packageGroup":"/npm/a/*"}'],
        ['POST', '/v1/package-group?domain=acme', '{"packageGroup":'],
        ['GET', `/v1/package-group?domain=acme&${g}=%2Fnpm%2Fzz%2F*`],
        ['GET', `/v1/package-group?domain=acme&${g}=${'x'.repeat(600)}`],
        ['PUT', '/v1/package-group?domain=acme', '{"packageGroup":"/maven/*","description":"d"}'],
        ['DELETE', `/v1/package-group?domain=acme&${g}=%2F*`],
        ['DELETE', `/v1/package-group?domain=acme&${g}=%2Fcargo%2F*`],
        ['POST', '/v1/package-groups?domain=acme&max-results=0'],
        ['POST', '/v1/package-groups?domain=acme&next-token=bm9wZQ'],
        ['POST', `/v1/package-groups/sub-groups?domain=acme&${g}=%2Fruby%2F*`],
        ['GET', '/v1/get-associated-package-group?domain=acme&format=rubygem&package=x'],
        ['GET', '/v1/get-associated-package-group?domain=acme&format=npm'],
        ['PUT', `/v1/package-group-origin-configuration?domain=acme&${g}=%2Fnpm%2F*`, '{"restrictions":{"PUBLISH":"SOMETIMES"}}'],
        ['PUT', `/v1/package-group-origin-configuration?domain=acme&${g}=%2Fnpm%2F*`, '{"restrictions":{"ANY":"BLOCK"}}'],
        ['PUT', `/v1/package-group-origin-configuration?domain=acme&${g}=%2F*`, '{"restrictions":{"PUBLISH":"INHERIT"}}'],
        [
          'PUT',
          `/v1/package-group-origin-configuration?domain=acme&${g}=%2Fnpm%2F*`,
          '{"restrictions":{"PUBLISH":"BLOCK"},"addAllowedRepositories":[{"repositoryName":"ghost","originRestrictionType":"PUBLISH"}]}',
        ],
        ['PUT', `/v1/package-group-origin-configuration?domain=acme&${g}=%2Fnpm%2F*`, '{"addAllowedRepositories":[{"repositoryName":"app"}]}'],
        ['PUT', `/v1/package-group-origin-configuration?domain=acme&${g}=%2Fnpm%2F*`, '{"removeAllowedRepositories":"app"}'],
        ['GET', `/v1/package-group-allowed-repositories?domain=acme&${g}=%2Fnpm%2F*`],
        ['GET', `/v1/package-group-allowed-repositories?domain=acme&${g}=%2Fnpm%2F*&originRestrictionType=ALL`],
        ['GET', `/v1/list-associated-packages?domain=acme&${g}=%2Fnpm%2Fq%2F*`],
        ['GET', `/v1/list-associated-packages?domain=acme&${g}=%2Fnpm%2F*&preview=maybe`],
        ['POST', '/v1/package?domain=acme&repository=app&format=npm&package=left-pad', '{"restrictions":{"publish":"BLOCK"}}'],
        ['POST', '/v1/package?domain=acme&repository=app&format=npm&package=left-pad', '{"restrictions":"BLOCK"}'],
        ['POST', '/v1/package?domain=acme&repository=app&format=npm&package=ghost', '{"restrictions":{"publish":"BLOCK","upstream":"BLOCK"}}'],
        ['POST', '/v1/package?domain=acme&repository=app&format=npm', '{"restrictions":{"publish":"BLOCK","upstream":"BLOCK"}}'],
      ];
      for (const [method, path, body] of cases) {
        const r = await raw(emu.url, method, path, { body });
        assert.ok(r.status >= 400 && r.status < 500, `${method} ${path} ${body ?? ''}: ${r.status} ${r.text}`);
        assert.equal(typeof r.json?.__type, 'string', `${method} ${path}: ${r.text}`);
        assert.equal(r.errorType, r.json?.__type);
      }
      assert.equal(JSON.stringify(emu.ctx.state), before);
      const ok = await raw(emu.url, 'GET', `/v1/package-group?domain=acme&${g}=%2Fnpm%2F*`);
      assert.equal(ok.status, 200);
    } finally {
      await emu.close();
    }
  });
});

describe('package-group origin controls in the PyPI and Maven registries', () => {
  it('EXTERNAL_UPSTREAM BLOCK is a plain 404 for pip, INTERNAL_UPSTREAM BLOCK stops the upstream walk, PUBLISH BLOCK refuses a Maven deploy', async () => {
    const s = seed()
      .domain('acme')
      .repo('pypi-store', { externalConnection: 'public:pypi' })
      .repo('py', { upstreams: ['pypi-store'] })
      .repo('maven-store', { externalConnection: 'public:maven-central' })
      .repo('mvn', { upstreams: ['maven-store'] })
      .packageGroup('/pypi/*', { restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' } })
      .packageGroup('/maven/org.example~', { restrictions: { INTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES', PUBLISH: 'BLOCK' }, allowedRepositories: { INTERNAL_UPSTREAM: [] } })
      .build();
    const emu = await startEmulator({ seed: s, ingestionDelayMs: 0, ingestionTimeoutMs: 20000 });
    try {
      const auth = { authorization: basic(await tokenFor(emu)) };
      const get = (repo: 'py' | 'mvn' | 'maven-store', format: 'pypi' | 'maven', path: string) =>
        raw(`${endpoint(emu, format, repo)}`, 'GET', path, { auth: false, headers: auth });

      const simple = await get('py', 'pypi', 'simple/tinyfmt/');
      assert.equal(simple.status, 404);
      assert.doesNotMatch(simple.text, /Ingestion is in progress/);

      const pom = 'org/example/strings/1.2.0/strings-1.2.0.pom';
      // The store may ingest (EXTERNAL_UPSTREAM inherits ALLOW); mvn may not retain from its upstream.
      assert.equal((await get('maven-store', 'maven', pom)).status, 200);
      const fromUpstream = await get('mvn', 'maven', pom);
      assert.equal(fromUpstream.status, 404);
      assert.doesNotMatch(fromUpstream.text, /Ingestion is in progress/);
      const ca = sdkClient(emu.url);
      await ca.send(
        new UpdatePackageGroupOriginConfigurationCommand({
          domain: 'acme',
          packageGroup: '/maven/org.example~',
          addAllowedRepositories: [{ repositoryName: 'mvn', originRestrictionType: 'INTERNAL_UPSTREAM' }],
        }),
      );
      ca.destroy();
      assert.equal((await get('mvn', 'maven', pom)).status, 200);

      const put = await raw(endpoint(emu, 'maven', 'mvn'), 'PUT', 'org/example/mine/1.0.0/mine-1.0.0.jar', { auth: false, headers: auth, body: 'jar bytes' });
      assert.equal(put.status, 403);
      assert.match(put.text, /package group/);
      const other = await raw(endpoint(emu, 'maven', 'mvn'), 'PUT', 'com/acme/mine/1.0.0/mine-1.0.0.jar', { auth: false, headers: auth, body: 'jar bytes' });
      assert.equal(other.status, 201);
    } finally {
      await emu.close();
    }
  });
});
