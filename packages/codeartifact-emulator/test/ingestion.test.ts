// Ingestion and upstream walks over plain HTTP: a request that may wait gets the package, one that may
// not gets 404 "Ingestion is in progress" until the ingestion it started is done, one ingestion for
// concurrent requests, npm's dependency closure, BLOCK, per-package delays from the seed, reason phrases,
// and a configured "real" upstream URL. Every test starts its own emulator. Assertions are on answers,
// their order and counts, never on how long something took beyond "not before the delay": measured
// latencies against targets are in `npm run bench` (bench/latency.ts).
import { afterEach, after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DescribePackageCommand, ListPackageVersionAssetsCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { basic, blockUpstream, endpoint, fakeNpmUpstream, npmPackage, rejection, sdkClient, seed, settleOrder, tokenFor, type FakeNpmUpstream } from '../src/testing';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/server';

const IN_PROGRESS = 'Ingestion is in progress. Please try again later.';

const ingestionSeed = () =>
  seed()
    .publicPackages({
      npm: [
        // Far longer than any test waits: a request for it can only ever see "in progress".
        { name: 'slow-pkg', ingestionDelayMs: 60_000, versions: [{ version: '1.0.0' }] },
        { name: 'left-pad', versions: [{ version: '9.9.9' }] },
        { name: 'shared-pkg', versions: [{ version: '1.0.0' }] },
      ],
      npmTree: { root: 'tree-root', prefix: 'tree-node', size: 0 },
    })
    .domain('acme')
    .repo('npm-store', { externalConnection: 'public:npmjs' })
    .repo('app', { upstreams: ['npm-store'], packages: [npmPackage('is-odd', [], blockUpstream)] })
    .repo('other', { upstreams: ['npm-store'] })
    .repo('pypi-store', { externalConnection: 'public:pypi' })
    .repo('maven-store', { externalConnection: 'public:maven-central' })
    // Walk order: top -> [ra, rb], ra -> [rc]: rc is visited before rb.
    .repo('rc', { packages: [npmPackage('walked', [{ version: '1.0.0', dependencies: { 'from-c': '1.0.0' } }])] })
    .repo('ra', { upstreams: ['rc'] })
    .repo('rb', { packages: [npmPackage('walked', [{ version: '1.0.0', dependencies: { 'from-b': '1.0.0' } }])] })
    .repo('top', { upstreams: ['ra', 'rb'] })
    .build();

interface Answer {
  status: number;
  statusText: string;
  body: string;
}

async function get(url: string, token: string, auth: 'bearer' | 'basic' = 'bearer'): Promise<Answer> {
  const res = await fetch(url, { headers: { authorization: auth === 'bearer' ? `Bearer ${token}` : basic(token) } });
  return { status: res.status, statusText: res.statusText, body: await res.text() };
}

/** Asks until the answer is not 404 (at most `max` times); returns every answer in order. */
async function untilServed(url: string, token: string, auth: 'bearer' | 'basic' = 'bearer', max = 400): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < max; i++) {
    const a = await get(url, token, auth);
    answers.push(a);
    if (a.status !== 404) return answers;
  }
  assert.fail(`still 404 after ${max} requests: ${answers.at(-1)?.body}`);
}

async function stats(emu: Emulator): Promise<Record<string, number>> {
  return ((await (await fetch(`${emu.url}/_emulator/stats`)).json()) as { stats: Record<string, number> }).stats;
}

describe('ingestion', () => {
  const started: Emulator[] = [];
  afterEach(async () => {
    for (const e of started.splice(0)) await e.close();
  });
  async function emulator(opts: EmulatorOptions): Promise<{ emu: Emulator; token: string; npm: (repo?: string) => string }> {
    const emu = await startEmulator({ seed: ingestionSeed(), ...opts });
    started.push(emu);
    return { emu, token: await tokenFor(emu), npm: (repo = 'app') => endpoint(emu, 'npm', repo) };
  }

  it('a request that may wait the whole ingestion gets the package at once, and the next request ingests nothing', async () => {
    const { emu, token, npm } = await emulator({ ingestionDelayMs: 300, ingestionTimeoutMs: 60_000 });
    const t0 = performance.now();
    const first = await get(`${npm()}is-even`, token);
    const ms = performance.now() - t0;
    assert.equal(first.status, 200, first.body);
    assert.ok(ms >= 300, `answered after ${ms.toFixed(0)} ms, before the 300 ms ingestion delay`);
    const ingested = (await stats(emu))['ingestion:npm'];
    assert.ok(ingested >= 1);
    const again = await get(`${npm()}is-even`, token);
    assert.equal(again.status, 200);
    assert.deepEqual(JSON.parse(again.body), JSON.parse(first.body));
    assert.equal((await stats(emu))['ingestion:npm'], ingested, 'held now: served without another ingestion');
  });

  it('answers 404 "Ingestion is in progress" while the ingestion goes on, then serves it; the retries join that one ingestion', async () => {
    const { emu, token, npm } = await emulator({ ingestionDelayMs: 400, ingestionTimeoutMs: 50 });
    const t0 = performance.now();
    const first = await get(`${npm()}pad-utils`, token);
    assert.equal(first.status, 404);
    assert.deepEqual(JSON.parse(first.body), { error: IN_PROGRESS });
    const ingestions = (await stats(emu))['ingestion:npm'];
    const answers = await untilServed(`${npm()}pad-utils`, token);
    const servedAfter = performance.now() - t0;
    const last = answers.pop()!;
    assert.equal(last.status, 200, last.body);
    for (const a of answers) assert.deepEqual([a.status, JSON.parse(a.body)], [404, { error: IN_PROGRESS }]);
    assert.ok(servedAfter >= 400, `served after ${servedAfter.toFixed(0)} ms, before the 400 ms ingestion delay`);
    assert.equal((await stats(emu))['ingestion:npm'], ingestions, `${answers.length} retries started no other ingestion`);
    assert.equal((await get(`${npm()}pad-utils`, token)).status, 200, 'and it stays served');
  });

  it('concurrent requests for the same version share one ingestion', async () => {
    const { emu, token, npm } = await emulator({ ingestionDelayMs: 300, ingestionTimeoutMs: 60_000 });
    const results = await Promise.all(Array.from({ length: 8 }, () => get(`${npm('other')}shared-pkg`, token)));
    assert.deepEqual(
      results.map((r) => r.status),
      Array(8).fill(200),
    );
    const s = await stats(emu);
    assert.equal(s['ingestion:npm'], 1);
    assert.equal(s['npm:packument'], 8);
  });

  it('a request for a held package is answered before one still waiting for an ingestion it started earlier', async () => {
    const { token, npm } = await emulator({ ingestionDelayMs: 2000, ingestionTimeoutMs: 60_000 });
    const order = await settleOrder({
      'is-even (ingesting)': async () => assert.equal((await get(`${npm()}is-even`, token)).status, 200),
      'walked (held)': async () => assert.equal((await get(`${npm('rc')}walked`, token)).status, 200),
    });
    assert.deepEqual(order, ['walked (held)', 'is-even (ingesting)']);
  });

  it('npm ingestion brings, for each dependency, the newest satisfying version and latest; seed overrides the fixture', async () => {
    const { emu, token, npm } = await emulator({ ingestionDelayMs: 0, ingestionTimeoutMs: 60_000 });
    for (const url of [`${npm()}is-even`, `${npm()}pad-utils`, `${npm('other')}shared-pkg`]) assert.equal((await get(url, token)).status, 200, url);
    const ca = sdkClient(emu.url);
    try {
      const held = async (name: string) => {
        const r = await ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'npm-store', format: 'npm', package: name }));
        return (r.versions ?? []).map((v) => v.version).sort();
      };
      // pad-utils 2.0.0 -> left-pad ^1.1.0 and is-even ^1.0.0 -> is-odd ^1.0.0. The seed's left-pad
      // replaced the fixture's: only 9.9.9, which ^1.1.0 does not match, but it is latest so it comes.
      assert.deepEqual(await held('pad-utils'), ['2.0.0']);
      assert.deepEqual(await held('left-pad'), ['9.9.9']);
      assert.deepEqual(await held('shared-pkg'), ['1.0.0'], 'seed packages extend the fixture');
      assert.deepEqual(await held('is-even'), ['1.0.0']);
      assert.deepEqual(await held('is-odd'), ['1.1.0', '2.0.0']);
      const coords = { domain: 'acme', repository: 'npm-store', format: 'npm' as const, package: 'is-odd' };
      const v = await ca.send(new ListPackageVersionsCommand(coords));
      assert.deepEqual(v.versions?.find((x) => x.version === '2.0.0')?.origin, { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:npmjs' } });
      const assets = await ca.send(new ListPackageVersionAssetsCommand({ ...coords, packageVersion: '2.0.0' }));
      assert.deepEqual(
        assets.assets?.map((a) => a.name),
        ['package.tgz'],
      );
    } finally {
      ca.destroy();
    }
  });

  it('a per-package ingestionDelayMs from the seed wins over the flag', async () => {
    // The flag says "no delay"; the seed gives slow-pkg a minute. A request that waits one second gets
    // every other public package, and "in progress" for slow-pkg.
    const { token, npm } = await emulator({ ingestionDelayMs: 0, ingestionTimeoutMs: 1000 });
    assert.equal((await get(`${npm()}is-even`, token)).status, 200);
    const slow = await get(`${npm()}slow-pkg`, token);
    assert.deepEqual([slow.status, JSON.parse(slow.body)], [404, { error: IN_PROGRESS }]);
  });

  it('BLOCK and packages missing upstream get a plain 404, no ingestion', async () => {
    const { emu, token, npm } = await emulator({ ingestionDelayMs: 0, ingestionTimeoutMs: 60_000 });
    const blocked = await get(`${npm()}is-odd/-/is-odd-2.0.0.tgz`, token);
    assert.equal(blocked.status, 404);
    assert.doesNotMatch(blocked.body, /Ingestion/);
    const blockedDoc = await get(`${npm()}is-odd`, token);
    assert.equal(blockedDoc.status, 404);
    const missing = await get(`${npm()}no-such-package-anywhere`, token);
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), { error: 'Not found' });
    assert.equal((await stats(emu))['ingestion:npm'], undefined);
  });

  it('PyPI and Maven put the message in the reason phrase, then serve what was ingested', async () => {
    const { emu, token } = await emulator({ ingestionDelayMs: 400, ingestionTimeoutMs: 50 });
    const py = await get(`${endpoint(emu, 'pypi', 'pypi-store')}simple/tinyfmt/`, token, 'basic');
    assert.equal(py.status, 404);
    assert.equal(py.statusText, IN_PROGRESS);
    const jar = `${endpoint(emu, 'maven', 'maven-store')}org/example/strings/1.0.0/strings-1.0.0.jar`;
    const mvn = await get(jar, token, 'basic');
    assert.equal(mvn.status, 404);
    assert.equal(mvn.statusText, IN_PROGRESS);
    const answers = await untilServed(jar, token, 'basic');
    assert.equal(answers.at(-1)!.status, 200);
    for (const a of answers.slice(0, -1)) assert.equal(a.statusText, IN_PROGRESS);
    // Maven ingests the version asked only, not the other versions.
    const ca = sdkClient(emu.url);
    try {
      const strings = await ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'maven-store', format: 'maven', namespace: 'org.example', package: 'strings' }));
      assert.deepEqual(
        strings.versions?.map((v) => v.version),
        ['1.0.0'],
      );
    } finally {
      ca.destroy();
    }
    const missing = await get(`${endpoint(emu, 'maven', 'maven-store')}org/example/nothing/1.0.0/nothing-1.0.0.jar`, token, 'basic');
    assert.equal(missing.status, 404);
    assert.equal(missing.statusText, 'Not Found');
  });

  it('walks upstreams depth-first in order and copies what it serves into the repository asked', async () => {
    const { emu, token, npm } = await emulator({ ingestionDelayMs: 0 });
    const doc = JSON.parse((await get(`${npm('top')}walked`, token)).body) as { versions: Record<string, { dependencies: Record<string, string>; dist: { tarball: string } }> };
    assert.deepEqual(doc.versions['1.0.0'].dependencies, { 'from-c': '1.0.0' });
    assert.ok(doc.versions['1.0.0'].dist.tarball.startsWith(npm('top')), 'tarball URLs point at the repository asked');
    const ca = sdkClient(emu.url);
    try {
      const coords = { domain: 'acme', repository: 'top', format: 'npm' as const, package: 'walked' };
      const before = await rejection(ca.send(new DescribePackageCommand(coords)));
      assert.equal(before.name, 'ResourceNotFoundException', 'a packument read copies nothing');
      const tgz = await fetch(doc.versions['1.0.0'].dist.tarball, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(tgz.status, 200);
      await tgz.arrayBuffer();
      const copied = await ca.send(new ListPackageVersionsCommand(coords));
      assert.deepEqual(
        copied.versions?.map((v) => v.version),
        ['1.0.0'],
      );
    } finally {
      ca.destroy();
    }
  });
});

describe('a configured upstream URL replaces the fake public registry', () => {
  let emu: Emulator;
  let upstream: FakeNpmUpstream;

  before(async () => {
    upstream = await fakeNpmUpstream({ 'remote-only': ['4.5.6'] });
    emu = await startEmulator({ seed: ingestionSeed(), ingestionDelayMs: 0, upstreams: { npmjs: upstream.url } });
  });
  after(async () => {
    await upstream.close();
    await emu?.close();
  });

  it('ingests from the URL', async () => {
    const token = await tokenFor(emu);
    const r = await get(`${endpoint(emu, 'npm', 'app')}remote-only`, token);
    assert.equal(r.status, 200, r.body);
    const doc = JSON.parse(r.body) as { versions: Record<string, unknown> };
    assert.deepEqual(Object.keys(doc.versions), ['4.5.6']);
    assert.deepEqual(upstream.hits, ['/remote-only', '/remote-only/-/remote-only-4.5.6.tgz']);
    const fakeOnly = await get(`${endpoint(emu, 'npm', 'app')}left-pad`, token);
    assert.equal(fakeOnly.status, 404, 'the fake npm registry is not consulted');
  });
});
