// The emulator's command line, a public contract: every flag main.ts accepts is driven through the real
// `codeartifact-emulator` bin (and `npx codeartifact-emulator`), the one line it prints is read back,
// and the answers are checked with the AWS SDK and plain registry requests as a user would.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CreateRepositoryCommand,
  DescribeRepositoryCommand,
  GetAuthorizationTokenCommand,
  ListDomainsCommand,
  ListRepositoriesInDomainCommand,
} from '@aws-sdk/client-codeartifact';
import {
  endpoint,
  fakeNpmUpstream,
  LISTENING_LINE,
  npmPackage,
  processGroupAlive,
  raw,
  rejection,
  runEmulatorToExit,
  sdkClient,
  seed,
  settleOrder,
  startEmulatorProcess,
  type EmulatorProcess,
} from '../src/testing';

const ROOT = resolve(__dirname, '..', '..', '..');
const IN_PROGRESS = 'Ingestion is in progress. Please try again later.';

const running: EmulatorProcess[] = [];
const dirs: string[] = [];

/** Starts the bin with `args` (stopped after the test). */
async function cli(...args: string[]): Promise<EmulatorProcess> {
  const p = await startEmulatorProcess(args);
  running.push(p);
  assert.match(p.firstLine, LISTENING_LINE);
  return p;
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ca-cli-'));
  dirs.push(d);
  return d;
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`${what}: not within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A registry token for `domain` through the real SDK. */
async function token(url: string, domain = 'acme'): Promise<string> {
  const ca = sdkClient(url);
  try {
    return (await ca.send(new GetAuthorizationTokenCommand({ domain }))).authorizationToken!;
  } finally {
    ca.destroy();
  }
}

async function npmGet(url: string, tok: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${tok}` } });
  return { status: res.status, body: await res.text() };
}

/** The endpoint of a repository of the demo seed's `acme` domain, on an emulator process. */
const npmApp = (p: EmulatorProcess) => endpoint({ url: p.url } as Parameters<typeof endpoint>[0], 'npm', 'app');

describe('emulator command line', () => {
  afterEach(async () => {
    for (const p of running.splice(0)) await within(p.stop(), 15_000, 'stop');
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('npx codeartifact-emulator --port 0 prints exactly one line, serves, and stops on Ctrl-C', async () => {
    // detached: its own process group, so the SIGINT below reaches every process as a terminal's Ctrl-C does.
    const s = await startEmulatorProcess(['--port', '0'], { command: 'npx', commandArgs: ['codeartifact-emulator'], cwd: ROOT, detached: true });
    try {
      assert.match(s.firstLine, LISTENING_LINE);
      assert.ok(Number(LISTENING_LINE.exec(s.firstLine)![2]) > 0);
      assert.equal((await raw(s.url, 'POST', '/v1/domains')).status, 200);
      process.kill(-s.child.pid!, 'SIGINT');
      await within(s.exited, 15_000, 'npx exit');
      for (let i = 0; i < 100 && processGroupAlive(s.child.pid!); i++) await new Promise((res) => setTimeout(res, 100));
      assert.ok(!processGroupAlive(s.child.pid!), 'every process of the emulator has exited');
      assert.equal(s.stdout(), `${s.firstLine}\n`, 'nothing but the one line');
      await assert.rejects(fetch(`${s.url}/v1/domains`, { method: 'POST', signal: AbortSignal.timeout(3000) }));
    } finally {
      if (processGroupAlive(s.child.pid!)) process.kill(-s.child.pid!, 'SIGKILL');
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal}`, async () => {
      const s = await cli('--port', '0');
      assert.equal((await raw(s.url, 'POST', '/v1/domains')).status, 200);
      s.child.kill(signal);
      const { code } = await within(s.exited, 15_000, 'exit');
      assert.equal(code, 0);
    });
  }

  it('--port N --host H: listens there and prints the address clients use', async () => {
    const port = await freePort();
    const s = await cli('--port', String(port), '--host', '0.0.0.0');
    // Bound to every interface; the printed URL is one a local client can reach.
    assert.equal(s.firstLine, `CodeArtifact emulator listening on http://127.0.0.1:${port}`);
    const ca = sdkClient(s.url);
    try {
      assert.deepEqual(
        (await ca.send(new ListDomainsCommand({}))).domains?.map((d) => d.name),
        ['acme', 'sandbox'],
        'the demo seed, as no --seed was given',
      );
    } finally {
      ca.destroy();
    }
  });

  it('--seed FILE serves the seed: its account, domains, repositories and packages', async () => {
    const file = join(tempDir(), 'seed.json');
    writeFileSync(
      file,
      JSON.stringify(
        seed({ accountId: '999988887777' })
          .domain('widgets')
          .repo('libs', { packages: [npmPackage('gear', ['2.0.0'])] })
          .repo('tools')
          .build(),
      ),
    );
    const s = await cli('--port', '0', '--seed', file);
    const ca = sdkClient(s.url);
    try {
      const domains = (await ca.send(new ListDomainsCommand({}))).domains;
      assert.deepEqual(
        domains?.map((d) => [d.name, d.owner]),
        [['widgets', '999988887777']],
      );
      const repos = await ca.send(new ListRepositoriesInDomainCommand({ domain: 'widgets' }));
      assert.deepEqual(
        repos.repositories?.map((r) => r.name),
        ['libs', 'tools'],
      );
    } finally {
      ca.destroy();
    }
    const doc = await npmGet(endpoint({ url: s.url } as Parameters<typeof endpoint>[0], 'npm', 'libs', 'widgets', '999988887777') + 'gear', await token(s.url, 'widgets'));
    assert.equal(doc.status, 200, doc.body);
    assert.deepEqual(Object.keys((JSON.parse(doc.body) as { versions: object }).versions), ['2.0.0']);
  });

  it('--state FILE keeps a created repository across a restart, replacing the file atomically', async () => {
    const dir = tempDir();
    const file = join(dir, 'state.json');
    const first = await cli('--port', '0', '--state', file);
    assert.ok(existsSync(file), 'state written at start-up');
    // A hard link keeps the start-up version: a write in place would change it, a rename leaves it alone.
    const startCopy = join(dir, 'at-start.json');
    linkSync(file, startCopy);
    const contentAtStart = readFileSync(startCopy, 'utf8');
    const ca = sdkClient(first.url);
    await ca.send(new CreateRepositoryCommand({ domain: 'sandbox', repository: 'kept', description: 'survives restarts' }));
    ca.destroy();
    assert.equal((await within(first.stop(), 15_000, 'exit')).code, 0);
    // Written by rename of a temporary file: the old file untouched, a new inode, no temporary left behind.
    assert.equal(readFileSync(startCopy, 'utf8'), contentAtStart);
    assert.notEqual(statSync(file).ino, statSync(startCopy).ino);
    assert.deepEqual(readdirSync(dir).sort(), ['at-start.json', 'state.json']);
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const second = await cli('--port', '0', '--state', file);
    const ca2 = sdkClient(second.url);
    try {
      const r = await ca2.send(new DescribeRepositoryCommand({ domain: 'sandbox', repository: 'kept' }));
      assert.equal(r.repository?.description, 'survives restarts');
    } finally {
      ca2.destroy();
    }
  });

  it('--ingestion-delay-ms and --ingestion-timeout-ms: a request waits for the ingestion, or gets "in progress"', async () => {
    // A public package through the demo seed's acme/app -> npm-store -> public:npmjs.
    const quick = await cli('--port', '0', '--ingestion-delay-ms', '0', '--ingestion-timeout-ms', '60000');
    const served = await npmGet(`${npmApp(quick)}is-even`, await token(quick.url));
    assert.equal(served.status, 200, served.body);
    const slow = await cli('--port', '0', '--ingestion-delay-ms', '60000', '--ingestion-timeout-ms', '100');
    const waiting = await npmGet(`${npmApp(slow)}is-even`, await token(slow.url));
    assert.deepEqual([waiting.status, JSON.parse(waiting.body)], [404, { error: IN_PROGRESS }]);
  });

  it('--upstream npmjs=URL ingests from that registry instead of the fake public one', async () => {
    const upstream = await fakeNpmUpstream({ 'remote-only': ['4.5.6'] });
    try {
      const s = await cli('--port', '0', '--ingestion-delay-ms', '0', '--upstream', `npmjs=${upstream.url}`);
      const tok = await token(s.url);
      const doc = await npmGet(`${npmApp(s)}remote-only`, tok);
      assert.equal(doc.status, 200, doc.body);
      assert.deepEqual(Object.keys((JSON.parse(doc.body) as { versions: object }).versions), ['4.5.6']);
      assert.ok(upstream.hits.includes('/remote-only'), `the upstream was asked: ${upstream.hits.join(', ')}`);
      assert.equal((await npmGet(`${npmApp(s)}left-pad`, tok)).status, 404, 'the fake npm registry is not consulted');
    } finally {
      await upstream.close();
    }
  });

  it('--latency-ms delays the answers (the test-only routes are not delayed)', async () => {
    const s = await cli('--port', '0', '--latency-ms', '400');
    const t0 = performance.now();
    let ms = 0;
    const order = await settleOrder({
      ListDomains: async () => {
        assert.equal((await raw(s.url, 'POST', '/v1/domains')).status, 200);
        ms = performance.now() - t0;
      },
      stats: async () => assert.equal((await fetch(`${s.url}/_emulator/stats`)).status, 200),
    });
    assert.deepEqual(order, ['stats', 'ListDomains']);
    assert.ok(ms >= 400, `answered after ${ms.toFixed(0)} ms`);
  });

  it('--fail-rate P with --fault-seed S: InternalServerException for a share of calls, the same sequence for the same seed', async () => {
    const sequence = async (s: EmulatorProcess) => {
      const out: string[] = [];
      for (let i = 0; i < 24; i++) out.push((await raw(s.url, 'POST', '/v1/domains')).errorType ?? 'ok');
      return out;
    };
    const a = await sequence(await cli('--port', '0', '--fail-rate', '0.5', '--fault-seed', '7'));
    const b = await sequence(await cli('--port', '0', '--fail-rate', '0.5', '--fault-seed', '7'));
    const c = await sequence(await cli('--port', '0', '--fail-rate', '0.5', '--fault-seed', '8'));
    assert.deepEqual(new Set(a), new Set(['ok', 'InternalServerException']), a.join(','));
    assert.deepEqual(a, b, 'same seed, same answers');
    assert.notDeepEqual(a, c, 'another seed, other answers');
    const always = await cli('--port', '0', '--fail-rate', '1');
    const ca = sdkClient(always.url);
    try {
      const e = await rejection(ca.send(new ListDomainsCommand({})));
      assert.equal(e.name, 'InternalServerException');
    } finally {
      ca.destroy();
    }
  });

  it('--throttle-rate P answers ThrottlingException with Retry-After', async () => {
    const s = await cli('--port', '0', '--throttle-rate', '1');
    const ca = sdkClient(s.url);
    try {
      const e = await rejection(ca.send(new ListDomainsCommand({})));
      assert.equal(e.name, 'ThrottlingException');
      assert.equal(e.retryAfterSeconds, 1);
    } finally {
      ca.destroy();
    }
    const r = await raw(s.url, 'POST', '/v1/domains');
    assert.equal(r.status, 429);
  });

  it('--max-body-bytes N refuses larger request bodies with 413', async () => {
    const s = await cli('--port', '0', '--max-body-bytes', '1000');
    const small = await raw(s.url, 'POST', '/v1/domains', { body: JSON.stringify({ maxResults: 5 }), headers: { 'content-type': 'application/json' } });
    assert.equal(small.status, 200, small.text);
    const big = await raw(s.url, 'POST', '/v1/domains', { body: JSON.stringify({ maxResults: 5, pad: 'x'.repeat(2000) }), headers: { 'content-type': 'application/json' } });
    assert.equal(big.status, 413);
    assert.match(big.text, /larger than the limit of 1000 bytes/);
    const tok = await token(s.url);
    const publish = await fetch(`${npmApp(s)}big-pkg`, { method: 'PUT', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: 'x'.repeat(5000) });
    assert.equal(publish.status, 413);
  });

  it('refuses bad arguments with exit code 2 and one message on stderr, printing nothing on stdout', async () => {
    const cases: [string[], string][] = [
      [['--port', '70000'], '--port: expected a number from 0 to 65535, got "70000"'],
      [['--fail-rate', '2'], '--fail-rate: expected a number from 0 to 1, got "2"'],
      [['--latency-ms', 'soon'], '--latency-ms: expected a number from 0 to 600000, got "soon"'],
      [['--upstream', 'npm=http://x'], '--upstream: expected npmjs=URL, pypi=URL or maven-central=URL, got "npm=http://x"'],
      [['--state'], '--state: missing value'],
      [['--verbose'], 'unknown option "--verbose"'],
    ];
    for (const [args, message] of cases) {
      const r = await runEmulatorToExit(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `codeartifact emulator: ${message}\n`);
    }
    const missing = await runEmulatorToExit(['--port', '0', '--seed', join(tempDir(), 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^codeartifact emulator: .*nope\.json: ENOENT/);
  });

  it('--help (and -h) prints every flag parseArgs accepts on stdout and exits 0', async () => {
    // The flags are the `case '--…'` labels of parseArgs: a new flag missing from USAGE fails here.
    const source = readFileSync(resolve(__dirname, '../src/main.ts'), 'utf8');
    const flags = [...source.matchAll(/case '(--[a-z-]+)'/g)].map((m) => m[1]);
    assert.ok(flags.length >= 12, `found ${flags.length} flags in main.ts`);
    for (const args of [['--help'], ['-h'], ['--port', '0', '--help']]) {
      const r = await runEmulatorToExit(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^Usage: codeartifact-emulator/);
      for (const flag of [...flags, '--help']) assert.match(r.stdout, new RegExp(`^  (-h, )?${flag} `, 'm'), `${flag} in --help`);
    }
  });
});
