import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { endpoint, npmPackage, proxiedSeed, sdkClient, startEmulator, tokenFor, type Emulator } from 'codeartifact-emulator/testing';
import { packageDisplayName } from '../../../src/core/coordinates';
import { parsePackageLock, type LockEntry } from '../../../src/core/install/lockfiles';

const entryDisplayName = (e: LockEntry) => packageDisplayName(e.format, e.namespace, e.name);
import { answerToAttempt, createProbe, prewarm, prewarmUrl, type PrewarmProgress } from '../../../src/core/install/prewarm';

/** `app` (npm), `java-libs` (Maven) and `python` (PyPI), each upstream of a store on its public registry. */
const prewarmSeed = () =>
  proxiedSeed('public:npmjs', 'npm-store', 'app', [npmPackage('@acme/ui', [{ version: '1.1.0', dependencies: { 'left-pad': '^1.3.0' } }])])
    .repo('maven-store', { externalConnection: 'public:maven-central' })
    .repo('java-libs', { upstreams: ['maven-store'] })
    .repo('pypi-store', { externalConnection: 'public:pypi' })
    .repo('python', { upstreams: ['pypi-store'] })
    .build();

describe('prewarm against the emulator (ingestion delay 300 ms > timeout 50 ms unless a test says otherwise)', () => {
  const emus: Emulator[] = [];
  after(async () => {
    for (const e of emus) await e.close();
  });

  /** Each test its own emulator: none depends on what another ingested or changed. */
  async function setup(ingestionDelayMs = 300) {
    const emu = await startEmulator({ seed: prewarmSeed(), ingestionDelayMs, ingestionTimeoutMs: 50 });
    emus.push(emu);
    const token = await tokenFor(emu);
    const endpoints = { npm: endpoint(emu, 'npm', 'app'), pypi: endpoint(emu, 'pypi', 'python'), maven: endpoint(emu, 'maven', 'java-libs') };
    return { emu, token, endpoints };
  }

  it('every locked version becomes ready; a missing one fails as not found', async () => {
    const { emu, token, endpoints } = await setup();
    // A lockfile real npm wrote against the emulator (scripts/capture-install-fixtures.mjs).
    const npm = parsePackageLock(readFileSync(join(__dirname, 'fixtures', 'lockfiles', 'package-lock.emulator.json'), 'utf8')).entries;
    assert.equal(npm.length, 5);
    const entries: LockEntry[] = [
      ...npm,
      { format: 'maven', namespace: 'org.example', name: 'greeter', version: '1.0.0' },
      { format: 'maven', namespace: 'org.example', name: 'strings', version: '1.2.0' },
      { format: 'pypi', name: 'tinyfmt', version: '1.1.0' },
      { format: 'npm', name: 'no-such-package-xyz', version: '1.0.0' },
    ];
    const progress: PrewarmProgress[] = [];
    const logged: string[] = [];
    const r = await prewarm({
      entries,
      endpoints,
      token,
      backoff: { baseMs: 100, capMs: 400 },
      maxWaitSeconds: 20,
      onProgress: (p) => {
        progress.push(p);
        logged.push(JSON.stringify(p));
      },
    });
    assert.deepEqual(r.ready.map(entryDisplayName).sort(), ['@acme/ui', 'is-even', 'is-odd', 'left-pad', 'org.example:greeter', 'org.example:strings', 'pad-utils', 'tinyfmt']);
    assert.deepEqual(
      r.failed.map((f) => [entryDisplayName(f.entry), f.reason]),
      [['no-such-package-xyz', 'not-found']],
    );
    assert.equal(progress.at(-1)?.text, '8 of 9 packages ready');
    assert.ok(r.requests > entries.length, 'ingestion 404s were retried');
    assert.doesNotMatch(logged.join('\n'), new RegExp(token));

    // What a user sees afterwards: the versions are in the repositories, ingested as EXTERNAL.
    const v = await sdkClient(emu.url).send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'npm-store', format: 'npm', package: 'left-pad' }));
    assert.deepEqual(v.versions?.find((x) => x.version === '1.3.0')?.origin, { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:npmjs' } });
    const m = await sdkClient(emu.url).send(
      new ListPackageVersionsCommand({ domain: 'acme', repository: 'java-libs', format: 'maven', namespace: 'org.example', package: 'greeter' }),
    );
    assert.ok(m.versions?.some((x) => x.version === '1.0.0'));
  });

  it('ingestions run in parallel: more of a 40-package tree are asked for than there are request slots before the first is ready', async () => {
    const { token, endpoints } = await setup(500);
    const entries: LockEntry[] = Array.from({ length: 40 }, (_, i) => ({ format: 'npm', name: `tree-node-${String(100 + i).padStart(3, '0')}`, version: '1.0.1' }));
    // The first request for a version is what makes the repository start ingesting it.
    const asked = new Set<string>();
    const countingFetch: typeof fetch = (input, init) => {
      asked.add(String(input));
      return fetch(input, init);
    };
    let askedAtFirstReady: number | undefined;
    const onProgress = (p: PrewarmProgress) => {
      if (p.ready > 0 && askedAtFirstReady === undefined) askedAtFirstReady = asked.size;
    };
    const r = await prewarm({ entries, endpoints, token, fetch: countingFetch, backoff: { baseMs: 100, capMs: 200 }, maxWaitSeconds: 20, onProgress });
    assert.equal(r.ready.length, 40, JSON.stringify(r.failed));
    // One at a time, one package would have been asked for by then; holding the 16 request slots through the waits, 16.
    // A slot is held only while a request is out, so the rest of the tree is asked for (and starts ingesting) meanwhile.
    assert.ok(askedAtFirstReady! > 16, `${askedAtFirstReady} packages had been asked for when the first package was ready`);
  });

  it('an invalid token: every entry fails as auth, and the run stops at once', async () => {
    const { endpoints } = await setup();
    const entries: LockEntry[] = Array.from({ length: 30 }, (_, i) => ({ format: 'npm', name: `tree-node-${String(i).padStart(3, '0')}`, version: '1.0.0' }));
    const r = await prewarm({ entries, endpoints, token: 'not-a-valid-token', concurrency: 2 });
    assert.equal(r.ready.length, 0);
    assert.ok(r.failed.every((f) => f.reason === 'auth'));
    assert.ok(r.requests <= 3, `${r.requests} requests`);
  });

  it('the probe tells "still ingesting" from "missing" for a Maven "could not find"', async () => {
    const { token, endpoints } = await setup();
    const probe = createProbe({ endpoints, token });
    const [ing, missing] = await probe([
      { format: 'maven', namespace: 'org.example', name: 'strings', version: '1.0.0' },
      { format: 'maven', namespace: 'org.example', name: 'no-such-artifact', version: '1.0.0' },
    ]);
    assert.equal(ing.state, 'ingesting');
    assert.equal(missing.state, 'not-found');
    // Once the ingestion is done, the same probe says "available" (asked until then; the guard only stops a hang).
    const states: string[] = [];
    for (const guard = Date.now() + 10_000; states.at(-1) !== 'available' && Date.now() < guard;) {
      const [later] = await probe([{ format: 'maven', namespace: 'org.example', name: 'strings', version: '1.0.0' }]);
      states.push(later.state);
    }
    assert.equal(states.at(-1), 'available', states.join(' '));
    assert.ok(
      states.slice(0, -1).every((s) => s === 'ingesting'),
      states.join(' '),
    );
    // A URL on another host never gets the token.
    const [other] = await probe([{ format: 'npm', name: 'x', url: 'http://127.0.0.2:1/npm/x' }]);
    assert.equal(other.state, 'unknown');
  });
});

describe('prewarm concurrency bound (local server measuring requests in flight)', () => {
  let server: Server;
  let url: string;
  let inFlight = 0;
  let maxInFlight = 0;
  let requestCount = 0;
  let onRequest: (() => void) | undefined;
  const seen = new Map<string, number>();
  const auth: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      inFlight++;
      requestCount++;
      onRequest?.();
      maxInFlight = Math.max(maxInFlight, inFlight);
      auth.push(req.headers.authorization ?? '');
      const n = (seen.get(req.url!) ?? 0) + 1;
      seen.set(req.url!, n);
      setTimeout(() => {
        inFlight--;
        if (n < 3) {
          res.writeHead(404, 'Ingestion is in progress. Please try again later.', { 'content-type': 'text/plain' });
          res.end('Ingestion is in progress. Please try again later.');
        } else {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(Buffer.alloc(64 * 1024));
        }
      }, 20);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/maven/r/`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('never more than `concurrency` requests at once, and all become ready', async () => {
    const entries: LockEntry[] = Array.from({ length: 50 }, (_, i) => ({ format: 'maven', namespace: 'com.acme', name: `lib${i}`, version: '1.0' }));
    const r = await prewarm({ entries, endpoints: { maven: url }, token: 'tok', concurrency: 5, backoff: { baseMs: 10, capMs: 20 } });
    assert.equal(r.ready.length, 50);
    assert.equal(r.requests, 150);
    assert.equal(maxInFlight, 5);
    assert.ok(auth.every((a) => a === `Basic ${Buffer.from('aws:tok').toString('base64')}`));
    assert.equal(seen.has(new URL(prewarmUrl(entries[0], url)).pathname), true);
  });

  // A cancel that did not cut the 10-minute backoff would hang here; the timeout only turns that hang into a failure.
  it('cancel stops it at once: no request starts after it, and pending backoffs are cut short', { timeout: 30_000 }, async () => {
    const entries: LockEntry[] = Array.from({ length: 50 }, (_, i) => ({ format: 'maven', namespace: 'com.acme', name: `c${i}`, version: '1.0' }));
    const ac = new AbortController();
    const start = requestCount;
    let atAbort = 0;
    // Cancel once the first four requests (one per slot) have arrived; every entry would then wait 10 minutes.
    onRequest = () => {
      if (requestCount - start === 4) {
        atAbort = requestCount;
        ac.abort();
      }
    };
    try {
      const r = await prewarm({ entries, endpoints: { maven: url }, token: 'tok', concurrency: 4, signal: ac.signal, backoff: { baseMs: 600_000, capMs: 600_000 } });
      assert.equal(r.cancelled, true);
      assert.equal(r.ready.length, 0);
      assert.equal(requestCount, atAbort, 'no request after the cancel');
    } finally {
      onRequest = undefined;
    }
  });
});

describe('prewarmUrl', () => {
  it('npm tarball, PyPI simple page, Maven POM', () => {
    assert.equal(prewarmUrl({ format: 'npm', namespace: 'acme', name: 'ui', version: '1.1.0' }, 'http://h/npm/app/'), 'http://h/npm/app/@acme/ui/-/ui-1.1.0.tgz');
    assert.equal(prewarmUrl({ format: 'npm', name: 'left-pad', version: '1.3.0' }, 'http://h/npm/app'), 'http://h/npm/app/left-pad/-/left-pad-1.3.0.tgz');
    assert.equal(prewarmUrl({ format: 'pypi', name: 'Typing_Extensions', version: '4.12.2' }, 'http://h/pypi/py/'), 'http://h/pypi/py/simple/typing-extensions/');
    assert.equal(
      prewarmUrl({ format: 'maven', namespace: 'org.apache.commons', name: 'commons-lang3', version: '3.14.0' }, 'http://h/maven/j/'),
      'http://h/maven/j/org/apache/commons/commons-lang3/3.14.0/commons-lang3-3.14.0.pom',
    );
  });
});

describe('answerToAttempt: what a non-200 answer means for one package', () => {
  it('an ingestion 404 (in the body or the status text), 429 and 5xx: ask again', () => {
    assert.deepEqual(answerToAttempt(404, 'Not Found', 'Ingestion is in progress. Please try again later.'), { kind: 'wait', status: 404, message: 'ingestion in progress' });
    assert.equal(answerToAttempt(404, 'Ingestion in progress', '').kind, 'wait');
    assert.deepEqual(answerToAttempt(429, 'Too Many Requests', ''), { kind: 'wait', status: 429, message: 'HTTP 429 Too Many Requests' });
    assert.deepEqual(answerToAttempt(503, 'Service Unavailable', 'busy'), { kind: 'wait', status: 503, message: 'HTTP 503 Service Unavailable' });
  });

  it("a plain 404, 401/403 and other statuses: stop, with the server's words on one line", () => {
    assert.deepEqual(answerToAttempt(404, 'Not Found', '{"error":\n  "no such package"}'), {
      kind: 'fail',
      reason: 'not-found',
      status: 404,
      message: 'not found in the repository or its upstreams ({"error": "no such package"})',
    });
    const plain = answerToAttempt(404, 'Not Found', '');
    assert.ok(plain.kind === 'fail');
    assert.match(plain.message, /\(Not Found\)$/);
    for (const status of [401, 403]) {
      const a = answerToAttempt(status, 'Forbidden', '');
      assert.ok(a.kind === 'fail');
      assert.equal(a.reason, 'auth');
      assert.match(a.message, new RegExp(`^HTTP ${status}: the token is missing, expired or not allowed \\(Forbidden\\)$`));
    }
    assert.deepEqual(answerToAttempt(400, 'Bad Request', 'bad  path'), { kind: 'fail', reason: 'error', status: 400, message: 'HTTP 400 Bad Request: bad path' });
  });
});
