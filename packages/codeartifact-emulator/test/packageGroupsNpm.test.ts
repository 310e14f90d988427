// Package group origin controls govern the npm registry, driven by the real npm client: EXTERNAL_UPSTREAM
// BLOCK turns an install of a not-yet-ingested public package into a plain 404, ALLOW_SPECIFIC_REPOSITORIES
// lets only the listed repository ingest, and PUBLISH BLOCK refuses `npm publish`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreatePackageGroupCommand,
  DescribePackageCommand,
  ListPackageVersionsCommand,
  UpdatePackageGroupOriginConfigurationCommand,
  type CodeartifactClient,
  type PackageGroupOriginRestrictionMode,
  type PackageGroupOriginRestrictionType,
} from '@aws-sdk/client-codeartifact';
import { endpoint, npmPackage, rejection, run, sdkClient, seed, TempDirs, tokenFor, toolEnv, writeSecret } from '../src/testing';
import { startEmulator, type Emulator } from '../src/server';

const domain = 'acme';

describe('package group origin controls with the real npm client', () => {
  let emu: Emulator;
  let ca: CodeartifactClient;
  let token: string;
  const dirs = new TempDirs();
  let home: string;

  before(async () => {
    const s = seed()
      .domain(domain)
      .repo('npm-store', { externalConnection: 'public:npmjs', packages: [npmPackage('left-pad', ['1.0.0'])] })
      .repo('other-store', { externalConnection: 'public:npmjs' })
      .repo('app', { upstreams: ['npm-store'] })
      .repo('other-app', { upstreams: ['other-store'] })
      .build();
    emu = await startEmulator({ seed: s, ingestionDelayMs: 20, ingestionTimeoutMs: 30000 });
    ca = sdkClient(emu.url);
    token = await tokenFor(emu);
    home = dirs.make('npm-home');
    await ca.send(new CreatePackageGroupCommand({ domain, packageGroup: '/npm/*' }));
  });
  after(async () => {
    ca?.destroy();
    dirs.cleanup();
    await emu?.close();
  });

  const setGroup = (
    packageGroup: string,
    restrictions: Partial<Record<PackageGroupOriginRestrictionType, PackageGroupOriginRestrictionMode>>,
    add: [string, PackageGroupOriginRestrictionType][] = [],
  ) =>
    ca.send(
      new UpdatePackageGroupOriginConfigurationCommand({
        domain,
        packageGroup,
        restrictions,
        addAllowedRepositories: add.map(([repositoryName, originRestrictionType]) => ({ repositoryName, originRestrictionType })),
      }),
    );

  function npmrc(dir: string, repo: string): void {
    const reg = endpoint(emu, 'npm', repo);
    writeSecret(join(dir, '.npmrc'), `registry=${reg}\n${reg.replace(/^http:/, '')}:_authToken=${token}\nupdate-notifier=false\n`);
  }

  function install(repo: string, deps: Record<string, string>) {
    const dir = dirs.make('npm-proj');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo-app', version: '1.0.0', private: true, dependencies: deps }));
    npmrc(dir, repo);
    return run('npm', ['install', '--no-audit', '--no-fund', '--cache', dirs.make('npm-cache')], { cwd: dir, env: toolEnv(home), timeoutMs: 120000 });
  }

  const versions = async (repository: string, pkg: string) => {
    try {
      const r = await ca.send(new ListPackageVersionsCommand({ domain, repository, format: 'npm', package: pkg }));
      return (r.versions ?? []).map((v) => v.version!).sort();
    } catch (e) {
      if ((e as Error).name === 'ResourceNotFoundException') return [];
      throw e;
    }
  };

  it('EXTERNAL_UPSTREAM BLOCK on /npm/*: npm install of a not-yet-ingested package is a plain 404; DescribePackage shows upstream BLOCK', async () => {
    await setGroup('/npm/*', { EXTERNAL_UPSTREAM: 'BLOCK' });
    const res = await install('app', { 'is-odd': '^1.0.0' });
    assert.notEqual(res.code, 0, res.output);
    assert.match(res.output, /E404/);
    assert.match(res.output, /404 Not Found - GET http:\/\/127\.0\.0\.1:\d+\/npm\/d\/acme-111122223333\/app\/is-odd/);
    assert.doesNotMatch(res.output, /Ingestion is in progress/);
    assert.deepEqual(await versions('npm-store', 'is-odd'), []);
    const d = await ca.send(new DescribePackageCommand({ domain, repository: 'npm-store', format: 'npm', package: 'left-pad' }));
    assert.deepEqual(d.package?.originConfiguration?.restrictions, { publish: 'ALLOW', upstream: 'BLOCK' });
    // What the store already holds still reaches app through its upstream (INTERNAL_UPSTREAM stays ALLOW).
    const held = await install('app', { 'left-pad': '1.0.0' });
    assert.equal(held.code, 0, held.output);
    assert.deepEqual(await versions('app', 'left-pad'), ['1.0.0']);
  });

  it('ALLOW_SPECIFIC_REPOSITORIES lets exactly the listed repository ingest', async () => {
    await setGroup('/npm/*', { EXTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES' }, [['npm-store', 'EXTERNAL_UPSTREAM']]);
    const ok = await install('app', { 'is-even': '^1.0.0' });
    assert.equal(ok.code, 0, ok.output);
    assert.deepEqual(await versions('npm-store', 'is-even'), ['1.0.0']);
    assert.deepEqual(await versions('app', 'is-even'), ['1.0.0']);

    const refused = await install('other-app', { 'is-even': '^1.0.0' });
    assert.notEqual(refused.code, 0, refused.output);
    assert.match(refused.output, /E404/);
    assert.doesNotMatch(refused.output, /Ingestion is in progress/);
    assert.deepEqual(await versions('other-store', 'is-even'), []);
    const d = await rejection(ca.send(new DescribePackageCommand({ domain, repository: 'other-store', format: 'npm', package: 'is-even' })));
    assert.equal(d.name, 'ResourceNotFoundException');
  });

  it('PUBLISH BLOCK refuses npm publish; an allowed-repository list admits only its repositories', async () => {
    await ca.send(new CreatePackageGroupCommand({ domain, packageGroup: '/npm/acme/*' }));
    await setGroup('/npm/acme/*', { PUBLISH: 'BLOCK' });
    const dir = dirs.make('npm-pub');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@acme/widget', version: '1.0.0', main: 'index.js' }));
    writeFileSync(join(dir, 'index.js'), 'module.exports = 1;\n');
    npmrc(dir, 'app');
    const publish = () => run('npm', ['publish', '--cache', dirs.make('npm-cache')], { cwd: dir, env: toolEnv(home), timeoutMs: 60000 });

    const blocked = await publish();
    assert.notEqual(blocked.code, 0, blocked.output);
    assert.match(blocked.output, /E403/);
    assert.match(blocked.output, /blocked by the origin controls of its package group/);

    await setGroup('/npm/acme/*', { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES' }, [['other-app', 'PUBLISH']]);
    const notListed = await publish();
    assert.notEqual(notListed.code, 0, notListed.output);
    assert.match(notListed.output, /E403/);

    await setGroup('/npm/acme/*', {}, [['app', 'PUBLISH']]);
    const allowed = await publish();
    assert.equal(allowed.code, 0, allowed.output);
    const d = await ca.send(new DescribePackageCommand({ domain, repository: 'app', format: 'npm', namespace: 'acme', package: 'widget' }));
    assert.deepEqual(d.package?.originConfiguration?.restrictions, { publish: 'ALLOW', upstream: 'ALLOW' });
  });
});
