import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpoint, mavenPackage, npmPackage, seed, startEmulator, tokenFor, type Emulator } from 'codeartifact-emulator/testing';
import { CodeArtifact } from '../../../src/core/aws/client';
import { CheckCache, checkDependencies, type DependencyResult } from '../../../src/core/deps/check';
import { folderDependencies, locateDependencies, locatePackageJson, locatePom, locationKey } from '../../../src/core/deps/manifest';
import type { LockEntry } from '../../../src/core/install/lockfiles';

/**
 * Domain acme: `app` (npm and Maven) with upstreams `base` (holds one version app does not) and the stores on
 * public:npmjs and public:maven-central; `lonely` has no upstream at all. A package group blocks `is-odd` from
 * external upstreams.
 */
const depsSeed = () =>
  seed()
    .domain('acme')
    .repo('npm-store', { externalConnection: 'public:npmjs' })
    .repo('maven-store', { externalConnection: 'public:maven-central' })
    .repo('base', { packages: [npmPackage('only-upstream', ['1.0.0']), mavenPackage('org.acme:base-lib', ['1.0'])] })
    .repo('app', {
      upstreams: ['base', 'npm-store', 'maven-store'],
      packages: [
        npmPackage('present', ['1.0.0', '1.1.0']),
        npmPackage('old-lib', [{ version: '1.0.0', status: 'Archived' }]),
        npmPackage('hidden', [{ version: '2.0.0', status: 'Unlisted' }]),
        mavenPackage('org.acme:core', ['2.0']),
      ],
    })
    .repo('lonely', { packages: [npmPackage('present', ['1.0.0'])] })
    .packageGroup('/npm//is-odd$', { restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' } })
    .build();

const npm = (name: string, version: string): LockEntry => ({ format: 'npm', name, version });
const byName = (rs: DependencyResult[]) => Object.fromEntries(rs.map((r) => [r.name, r.status]));

async function stats(emu: Emulator): Promise<Record<string, number>> {
  return ((await (await fetch(`${emu.url}/_emulator/stats`)).json()) as { stats: Record<string, number> }).stats;
}
async function resetStats(emu: Emulator): Promise<void> {
  await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' });
}
/** Control-plane calls (operations named like the API: DescribePackageVersion, ...) in the stats. */
const controlCalls = (s: Record<string, number>) =>
  Object.entries(s)
    .filter(([k]) => /^[A-Z]/.test(k))
    .reduce((n, [, v]) => n + v, 0);

describe('checkDependencies against the emulator', () => {
  let emu: Emulator;
  let ca: CodeArtifact;
  const saved = { ...process.env };
  before(async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-west-2' });
    emu = await startEmulator({ port: 0, seed: depsSeed(), ingestionDelayMs: 2000, ingestionTimeoutMs: 40000 });
    ca = new CodeArtifact({ region: 'us-west-2', endpoint: emu.url, maxAttempts: 3 });
  });
  after(async () => {
    ca.dispose();
    await emu.close();
    process.env = saved;
  });

  const deps = [
    npm('present', '1.0.0'),
    npm('only-upstream', '1.0.0'),
    npm('left-pad', '1.3.0'),
    npm('no-such-package', '9.9.9'),
    npm('is-odd', '3.0.1'),
    npm('old-lib', '1.0.0'),
    npm('hidden', '2.0.0'),
    { format: 'maven', namespace: 'org.acme', name: 'core', version: '2.0' },
    { format: 'maven', namespace: 'org.acme', name: 'base-lib', version: '1.0' },
  ] satisfies LockEntry[];

  it('each status as the issue defines it, with the repository that holds the version', async () => {
    const rs = await checkDependencies({ client: ca, repository: { domain: 'acme', repository: 'app' }, dependencies: deps });
    assert.deepEqual(byName(rs), {
      present: 'available',
      'only-upstream': 'available',
      'left-pad': 'not-ingested',
      'no-such-package': 'not-ingested',
      'is-odd': 'blocked',
      'old-lib': 'archived',
      hidden: 'unlisted',
      core: 'available',
      'base-lib': 'available',
    });
    assert.equal(rs.find((r) => r.name === 'only-upstream')!.repository, 'base');
    assert.match(rs.find((r) => r.name === 'is-odd')!.detail, /package group \/npm\/\/is-odd\$ blocks external upstreams/);
    assert.match(rs.find((r) => r.name === 'left-pad')!.detail, /public:npmjs \(on npm-store\)/);
  });

  it('without an external connection in the chain a version no repository holds is missing', async () => {
    const rs = await checkDependencies({ client: ca, repository: { domain: 'acme', repository: 'lonely' }, dependencies: [npm('present', '1.0.0'), npm('left-pad', '1.3.0')] });
    assert.deepEqual(byName(rs), { present: 'available', 'left-pad': 'missing' });
  });

  it('probe asks the data plane: ingesting while the service ingests, missing on a plain 404', async () => {
    const token = await tokenFor(emu);
    const probe = { endpoints: { npm: endpoint(emu, 'npm', 'app') }, token, holdMs: 500 };
    const rs = await checkDependencies({
      client: ca,
      repository: { domain: 'acme', repository: 'app' },
      dependencies: [npm('is-even', '1.0.0'), npm('no-such-package', '9.9.9')],
      probe,
    });
    assert.deepEqual(byName(rs), { 'is-even': 'ingesting', 'no-such-package': 'missing' });
    // Once ingested, the next check finds it in the chain (ingesting was not cached).
    await new Promise((r) => setTimeout(r, 2500));
    const again = await checkDependencies({ client: ca, repository: { domain: 'acme', repository: 'app' }, dependencies: [npm('is-even', '1.0.0')] });
    assert.equal(again[0].status, 'available', again[0].detail);
  });

  it('costs one control-plane call per version held; a re-check within the window costs nothing; a change costs the change', async () => {
    const cache = new CheckCache();
    const present = [npm('present', '1.0.0'), npm('present', '1.1.0'), npm('only-upstream', '1.0.0')];
    await resetStats(emu);
    await checkDependencies({ client: ca, repository: { domain: 'acme', repository: 'app' }, dependencies: present, cache });
    const first = await stats(emu);
    // 2 found in app, 1 found in base after app (2 calls), and the chain: DescribeRepository of app, base and the two stores.
    assert.equal(first.DescribePackageVersion, 4, JSON.stringify(first));
    assert.equal(first.DescribeRepository, 4, JSON.stringify(first));
    await resetStats(emu);
    await checkDependencies({ client: ca, repository: { domain: 'acme', repository: 'app' }, dependencies: present, cache });
    assert.equal(controlCalls(await stats(emu)), 0);
    await checkDependencies({ client: ca, repository: { domain: 'acme', repository: 'app' }, dependencies: [...present.slice(1), npm('old-lib', '1.0.0')], cache });
    assert.deepEqual(await stats(emu), { DescribePackageVersion: 1 });
  });
});

describe('manifest locations and folder dependencies', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'deps-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('package.json: the line and columns of each dependency key, scoped names normalised', () => {
    const text = '{\n  "name": "x",\n  "dependencies": {\n    "left-pad": "1.3.0",\n    "@acme/ui": "^1.0.0"\n  },\n  "devDependencies": { "is-odd": "3.0.1" }\n}\n';
    const at = locatePackageJson(text, 'package.json');
    assert.deepEqual(at.get(locationKey({ format: 'npm', name: 'left-pad' })), { file: 'package.json', line: 3, startColumn: 4, endColumn: 14 });
    assert.equal(at.get(locationKey({ format: 'npm', namespace: 'acme', name: 'ui' }))?.line, 4);
    assert.equal(at.get(locationKey({ format: 'npm', name: 'is-odd' }))?.line, 6);
    assert.equal(locatePackageJson('{ not json', 'p').size, 0);
  });

  it('pom.xml: the line of each dependency, plugin and parent artifactId', () => {
    const text = [
      '<project>',
      '  <parent><groupId>org.p</groupId><artifactId>parent</artifactId><version>1</version></parent>',
      '  <dependencies>',
      '    <dependency>',
      '      <groupId>org.acme</groupId>',
      '      <artifactId>core</artifactId>',
      '      <version>2.0</version>',
      '    </dependency>',
      '  </dependencies>',
      '  <build><plugins><plugin>',
      '    <artifactId>maven-jar-plugin</artifactId>',
      '  </plugin></plugins></build>',
      '</project>',
    ].join('\n');
    const at = locatePom(text, 'pom.xml');
    assert.deepEqual(at.get(locationKey({ format: 'maven', namespace: 'org.acme', name: 'core' })), { file: 'pom.xml', line: 5, startColumn: 6, endColumn: 35 });
    assert.equal(at.get(locationKey({ format: 'maven', namespace: 'org.apache.maven.plugins', name: 'maven-jar-plugin' }))?.line, 10);
    assert.equal(at.get(locationKey({ format: 'maven', namespace: 'org.p', name: 'parent' }))?.line, 1);
  });

  it('a folder without a lockfile: the exact versions of package.json; with one, the lockfile', () => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { 'left-pad': '1.3.0', 'is-odd': '^3.0.0' } }));
    assert.deepEqual(folderDependencies(dir).entries, [npm('left-pad', '1.3.0')]);
    assert.deepEqual(
      [...locateDependencies(dir).locations.values()].map((l) => l.line),
      [0, 0],
    );
  });
});
