// Ingestion and upstream walks over plain HTTP: timing against the flags, one ingestion for concurrent
// requests, npm's dependency closure, BLOCK, per-package delays from the seed, reason phrases, and a
// configured "real" upstream URL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { admin, basic, endpoint, tokenFor } from './fixtures/dataPlaneKit';
import { buildNpmTarball } from './registries/build';
import { startEmulator, type Emulator } from './server';
import { packageKey } from './state';

const seed = {
  accountId: '111122223333',
  publicPackages: {
    npm: [
      { name: 'slow-pkg', ingestionDelayMs: 400, versions: [{ version: '1.0.0' }] },
      { name: 'left-pad', versions: [{ version: '9.9.9' }] },
      { name: 'shared-pkg', versions: [{ version: '1.0.0' }] },
    ],
    npmTree: { root: 'tree-root', prefix: 'tree-node', size: 0 },
  },
  domains: [{
    name: 'acme',
    repositories: [
      { name: 'npm-store', externalConnection: 'public:npmjs' },
      { name: 'app', upstreams: ['npm-store'], packages: [
        { format: 'npm', name: 'is-odd', originConfiguration: { restrictions: { upstream: 'BLOCK' } } },
      ] },
      { name: 'other', upstreams: ['npm-store'] },
      { name: 'pypi-store', externalConnection: 'public:pypi' },
      { name: 'maven-store', externalConnection: 'public:maven-central' },
      // Walk order: top -> [ra, rb], ra -> [rc]: rc is visited before rb.
      { name: 'rc', packages: [{ format: 'npm', name: 'walked', versions: [{ version: '1.0.0', dependencies: { 'from-c': '1.0.0' } }] }] },
      { name: 'ra', upstreams: ['rc'] },
      { name: 'rb', packages: [{ format: 'npm', name: 'walked', versions: [{ version: '1.0.0', dependencies: { 'from-b': '1.0.0' } }] }] },
      { name: 'top', upstreams: ['ra', 'rb'] },
    ],
  }],
};

async function timed(url: string, token: string, auth: 'bearer' | 'basic' = 'bearer') {
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization: auth === 'bearer' ? `Bearer ${token}` : basic(token) } });
  const body = await res.text();
  return { status: res.status, statusText: res.statusText, body, ms: performance.now() - started };
}

describe('ingestion', () => {
  let emu: Emulator;
  let token: string;
  const npm = () => endpoint(emu, 'npm', 'app');

  before(async () => {
    emu = await startEmulator({ seed, ingestionDelayMs: 300, ingestionTimeoutMs: 10000 });
    token = await tokenFor(emu);
    // Warm up (first connection, fixture generation) so timings measure ingestion only.
    await timed(`${endpoint(emu, 'npm', 'app')}no-such-package`, token);
  });
  after(async () => {
    await emu?.close();
  });

  it('takes the configured delay (within 10%) when the request may wait that long', async () => {
    const r = await timed(`${npm()}is-even`, token);
    assert.equal(r.status, 200, r.body);
    assert.ok(r.ms >= 300 && r.ms <= 330, `took ${r.ms.toFixed(0)} ms, expected 300 ms +-10%`);
    // Held now: served at once.
    const again = await timed(`${npm()}is-even`, token);
    assert.ok(again.ms < 100, `took ${again.ms.toFixed(0)} ms`);
  });

  it('answers 404 "Ingestion is in progress" at the timeout (within 10%) while ingestion goes on', async () => {
    await admin(emu, 'settings', { ingestionDelayMs: 600, ingestionTimeoutMs: 150 });
    try {
      const r = await timed(`${npm()}pad-utils`, token);
      assert.equal(r.status, 404);
      assert.deepEqual(JSON.parse(r.body), { error: 'Ingestion is in progress. Please try again later.' });
      assert.ok(r.ms >= 150 && r.ms <= 165, `took ${r.ms.toFixed(0)} ms, expected 150 ms +-10%`);
      await new Promise((res) => setTimeout(res, 600));
      const later = await timed(`${npm()}pad-utils`, token);
      assert.equal(later.status, 200);
    } finally {
      await admin(emu, 'settings', { ingestionDelayMs: 300, ingestionTimeoutMs: 10000 });
    }
  });

  it('concurrent requests for the same version share one ingestion', async () => {
    await admin(emu, 'stats/reset');
    const results = await Promise.all(Array.from({ length: 8 }, () => timed(`${endpoint(emu, 'npm', 'other')}shared-pkg`, token)));
    assert.deepEqual(results.map((r) => r.status), Array(8).fill(200));
    const stats = (await (await fetch(`${emu.url}/_emulator/stats`)).json()) as { stats: Record<string, number> };
    assert.equal(stats.stats['ingestion:npm'], 1);
    assert.equal(stats.stats['npm:packument'], 8);
  });

  it('npm ingestion brings, for each dependency, the newest satisfying version and latest; seed overrides the fixture', () => {
    const store = emu.ctx.state.domains['111122223333/acme'].repositories['npm-store'];
    const held = (name: string) => Object.keys(store.packages[packageKey('npm', undefined, name)]?.versions ?? {}).sort();
    // pad-utils 2.0.0 -> left-pad ^1.1.0 and is-even ^1.0.0 -> is-odd ^1.0.0. The seed's left-pad
    // replaced the fixture's: only 9.9.9, which ^1.1.0 does not match, but it is latest so it comes.
    assert.deepEqual(held('pad-utils'), ['2.0.0']);
    assert.deepEqual(held('left-pad'), ['9.9.9']);
    assert.deepEqual(held('shared-pkg'), ['1.0.0'], 'seed packages extend the fixture');
    assert.deepEqual(held('is-even'), ['1.0.0']);
    assert.deepEqual(held('is-odd'), ['1.1.0', '2.0.0']);
    const v = store.packages[packageKey('npm', undefined, 'is-odd')].versions['2.0.0'];
    assert.deepEqual(v.origin, { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:npmjs' } });
    assert.equal(v.assets[0].name, 'is-odd-2.0.0.tgz');
  });

  it('a per-package ingestionDelayMs from the seed wins over the flag', async () => {
    const r = await timed(`${npm()}slow-pkg`, token);
    assert.equal(r.status, 200);
    assert.ok(r.ms >= 400 && r.ms <= 440, `took ${r.ms.toFixed(0)} ms, expected 400 ms +-10%`);
  });

  it('BLOCK and packages missing upstream get a plain 404, no ingestion', async () => {
    await admin(emu, 'stats/reset');
    const blocked = await timed(`${npm()}is-odd/-/is-odd-2.0.0.tgz`, token);
    assert.equal(blocked.status, 404);
    assert.doesNotMatch(blocked.body, /Ingestion/);
    const blockedDoc = await timed(`${npm()}is-odd`, token);
    assert.equal(blockedDoc.status, 404);
    const missing = await timed(`${npm()}no-such-package-anywhere`, token);
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), { error: 'Not found' });
    const stats = (await (await fetch(`${emu.url}/_emulator/stats`)).json()) as { stats: Record<string, number> };
    assert.equal(stats.stats['ingestion:npm'], undefined);
  });

  it('PyPI and Maven put the message in the reason phrase', async () => {
    await admin(emu, 'settings', { ingestionDelayMs: 400, ingestionTimeoutMs: 50 });
    try {
      const py = await timed(`${endpoint(emu, 'pypi', 'pypi-store')}simple/tinyfmt/`, token, 'basic');
      assert.equal(py.status, 404);
      assert.equal(py.statusText, 'Ingestion is in progress. Please try again later.');
      const mvn = await timed(`${endpoint(emu, 'maven', 'maven-store')}org/example/strings/1.0.0/strings-1.0.0.jar`, token, 'basic');
      assert.equal(mvn.status, 404);
      assert.equal(mvn.statusText, 'Ingestion is in progress. Please try again later.');
      await new Promise((res) => setTimeout(res, 450));
      assert.equal((await timed(`${endpoint(emu, 'maven', 'maven-store')}org/example/strings/1.0.0/strings-1.0.0.jar`, token, 'basic')).status, 200);
      // Maven ingests the version asked only, not the other versions.
      const strings = emu.ctx.state.domains['111122223333/acme'].repositories['maven-store'].packages[packageKey('maven', 'org.example', 'strings')];
      assert.deepEqual(Object.keys(strings.versions), ['1.0.0']);
      const missing = await timed(`${endpoint(emu, 'maven', 'maven-store')}org/example/nothing/1.0.0/nothing-1.0.0.jar`, token, 'basic');
      assert.equal(missing.status, 404);
      assert.equal(missing.statusText, 'Not Found');
    } finally {
      await admin(emu, 'settings', { ingestionDelayMs: 300, ingestionTimeoutMs: 10000 });
    }
  });

  it('walks upstreams depth-first in order and copies what it serves into the repository asked', async () => {
    const doc = JSON.parse((await timed(`${endpoint(emu, 'npm', 'top')}walked`, token)).body) as { versions: Record<string, { dependencies: Record<string, string>; dist: { tarball: string } }> };
    assert.deepEqual(doc.versions['1.0.0'].dependencies, { 'from-c': '1.0.0' });
    assert.ok(doc.versions['1.0.0'].dist.tarball.startsWith(endpoint(emu, 'npm', 'top')), 'tarball URLs point at the repository asked');
    const top = emu.ctx.state.domains['111122223333/acme'].repositories['top'];
    assert.equal(top.packages[packageKey('npm', undefined, 'walked')], undefined, 'a packument read copies nothing');
    const tgz = await fetch(doc.versions['1.0.0'].dist.tarball, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(tgz.status, 200);
    assert.deepEqual(Object.keys(top.packages[packageKey('npm', undefined, 'walked')].versions), ['1.0.0']);
  });
});

describe('a configured upstream URL replaces the fake public registry', () => {
  let emu: Emulator;
  let upstream: Server;
  let hits = 0;

  before(async () => {
    const tarball = buildNpmTarball({ name: 'remote-only', version: '4.5.6' });
    upstream = createServer((req, res) => {
      hits++;
      const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      if (req.url === '/remote-only') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ name: 'remote-only', 'dist-tags': { latest: '4.5.6' }, versions: { '4.5.6': { name: 'remote-only', version: '4.5.6', dist: { tarball: `${base}/remote-only/-/remote-only-4.5.6.tgz` } } } }));
      } else if (req.url === '/remote-only/-/remote-only-4.5.6.tgz') {
        res.end(tarball);
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    emu = await startEmulator({ seed, ingestionDelayMs: 0, upstreams: { npmjs: url } });
  });
  after(async () => {
    await new Promise<void>((r) => upstream.close(() => r()));
    await emu?.close();
  });

  it('ingests from the URL', async () => {
    const token = await tokenFor(emu);
    const r = await timed(`${endpoint(emu, 'npm', 'app')}remote-only`, token);
    assert.equal(r.status, 200, r.body);
    const doc = JSON.parse(r.body) as { versions: Record<string, unknown> };
    assert.deepEqual(Object.keys(doc.versions), ['4.5.6']);
    assert.ok(hits >= 2);
    const fakeOnly = await timed(`${endpoint(emu, 'npm', 'app')}left-pad`, token);
    assert.equal(fakeOnly.status, 404, 'the fake npm registry is not consulted');
  });
});
