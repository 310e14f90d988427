import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstallCommand } from '../../../src/core/install/commands';
import { describePackageRef, type PackageRef } from '../../../src/core/coordinates';
import type { InstallTool } from '../../../src/core/tools';
import type { ProbeResult } from '../../../src/core/install/prewarm';
import { installWithRetry, type InstallEvent, type NotFoundVerdict } from '../../../src/core/install/retry';

const FIX = join(__dirname, 'fixtures');
const FAKE = join(FIX, 'bin', 'fake-tool.mjs');
const cap = (f: string) => join(FIX, 'captured', f);
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'retry-test-'));
  dirs.push(d);
  return d;
}

/** A fake clock whose sleep moves time forward at once and records each delay. */
function fakeTime() {
  let t = 1_000_000;
  const delays: number[] = [];
  return {
    delays,
    now: () => t,
    sleep: async (ms: number) => {
      delays.push(ms);
      t += ms;
    },
  };
}

function fake(tool: InstallTool, env: Record<string, string>, extra: Partial<InstallCommand> = {}) {
  const dir = tempDir();
  const state = join(dir, 'runs');
  const command: InstallCommand = { tool, file: process.execPath, args: [FAKE], cwd: dir, display: `${tool} install`, ...extra };
  return {
    command,
    env: { PATH: process.env.PATH ?? '', FAKE_STATE: state, ...env },
    runs: () => (existsSync(state) ? Number(readFileSync(state, 'utf8')) : 0),
  };
}

describe('installWithRetry with a fake tool printing captured output', () => {
  it('retries an npm ingestion 404 until the command succeeds, reporting attempts and packages awaited', async () => {
    const f = fake('npm', { FAKE_FAILS: '3', FAKE_OUTPUTS: [cap('npm-ingestion-packument.txt'), cap('npm-ingestion-tarball.txt')].join(',') });
    const t = fakeTime();
    const events: InstallEvent[] = [];
    let output = '';
    const r = await installWithRetry({
      command: f.command,
      env: f.env,
      now: t.now,
      sleep: t.sleep,
      random: () => 0.5,
      onEvent: (e) => events.push(e),
      onOutput: (c) => (output += c),
    });
    assert.equal(r.outcome, 'success', r.message);
    assert.equal(r.attempts, 4);
    assert.equal(f.runs(), 4);
    assert.deepEqual(r.packagesAwaited.map(describePackageRef), ['left-pad', 'pad-utils@2.0.0']);
    // equal jitter with random 0.5: 3/4 of 2 s, 4 s, 8 s
    assert.deepEqual(t.delays, [1500, 3000, 6000]);
    assert.equal(r.elapsedMs, 10500);
    assert.deepEqual(
      events.filter((e) => e.type === 'retry-scheduled').map((e) => e.type === 'retry-scheduled' && e.packages.map(describePackageRef).join()),
      ['left-pad', 'pad-utils@2.0.0', 'pad-utils@2.0.0'],
    );
    assert.match(output, /Ingestion is in progress/);
    assert.match(output, /added 1 package/);
  });

  it('waits twice as long before each run, never more than 30 s', async () => {
    const f = fake('npm', { FAKE_FAILS: '6', FAKE_OUTPUTS: cap('npm-ingestion-packument.txt') });
    const t = fakeTime();
    const r = await installWithRetry({ command: f.command, env: f.env, now: t.now, sleep: t.sleep, random: () => 1 });
    assert.equal(r.outcome, 'success', r.message);
    assert.deepEqual(t.delays, [2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('stops at maxWaitSeconds while ingestion never finishes', async () => {
    const f = fake('npm', { FAKE_FAILS: '100', FAKE_OUTPUTS: cap('npm-ingestion-packument.txt') });
    const t = fakeTime();
    const r = await installWithRetry({ command: f.command, env: f.env, now: t.now, sleep: t.sleep, random: () => 1, maxWaitSeconds: 10 });
    assert.equal(r.outcome, 'timeout');
    // 2 s + 4 s + (8 s cut to the 4 s left), then one last run at the limit
    assert.deepEqual(t.delays, [2000, 4000, 4000]);
    assert.equal(r.attempts, 4);
    assert.match(r.message, /left-pad/);
  });

  it('a BLOCKed package: the hook names it and the loop stops after one run', async () => {
    const f = fake('npm', { FAKE_FAILS: '100', FAKE_OUTPUTS: cap('npm-blocked.txt') });
    const asked: PackageRef[][] = [];
    const r = await installWithRetry({
      command: f.command,
      env: f.env,
      checkNotFound: async (refs): Promise<NotFoundVerdict[]> => {
        asked.push(refs);
        return refs.map((ref) => ({ ref, status: 'blocked', detail: 'origin restriction upstream=BLOCK in acme/npm-store' }));
      },
    });
    assert.equal(r.outcome, 'blocked');
    assert.equal(r.attempts, 1);
    assert.deepEqual(asked.flat().map(describePackageRef), ['blocked-pkg']);
    assert.match(r.message, /blocked-pkg: origin restriction upstream=BLOCK/);
  });

  it('a package unknown upstream: stops with its name and why', async () => {
    const f = fake('npm', { FAKE_FAILS: '100', FAKE_OUTPUTS: cap('npm-notfound.txt') });
    const r = await installWithRetry({
      command: f.command,
      env: f.env,
      checkNotFound: async (refs) => refs.map((ref) => ({ ref, status: 'missing' as const, detail: 'not in acme/app, its upstreams or public:npmjs' })),
    });
    assert.equal(r.outcome, 'not-found');
    assert.equal(f.runs(), 1);
    assert.match(r.message, /no-such-package-xyz: not in acme\/app/);
  });

  it('Maven prints an ingestion 404 as "could not find": the probe asks the repository and the loop retries', async () => {
    const f = fake('maven', { FAKE_FAILS: '3', FAKE_OUTPUTS: ['maven-ingestion-plugin.txt', 'maven-ingestion.txt', 'maven-ingestion-run3.txt'].map(cap).join(',') });
    const t = fakeTime();
    const probed: string[] = [];
    const probe = async (refs: PackageRef[]): Promise<ProbeResult[]> =>
      refs.map((ref) => {
        probed.push(describePackageRef(ref));
        return { ref, state: 'ingesting', detail: 'ingestion is in progress' };
      });
    const r = await installWithRetry({ command: f.command, env: f.env, now: t.now, sleep: t.sleep, probe });
    assert.equal(r.outcome, 'success', r.message);
    assert.equal(r.attempts, 4);
    assert.deepEqual(probed, ['org.example.emulator:resolve-maven-plugin:1.0.0', 'org.example:greeter:1.0.0', 'org.example:strings:1.2.0']);
  });

  it('Maven "could not find" that the probe confirms missing: stops', async () => {
    const f = fake('maven', { FAKE_FAILS: '100', FAKE_OUTPUTS: cap('maven-notfound.txt') });
    const r = await installWithRetry({ command: f.command, env: f.env, probe: async (refs) => refs.map((ref) => ({ ref, state: 'not-found', detail: 'Not Found' })) });
    assert.equal(r.outcome, 'not-found');
    assert.equal(r.attempts, 1);
    assert.match(r.message, /org\.example:no-such-artifact:1\.0\.0/);
  });

  it('an auth error stops at once with kind auth', async () => {
    const f = fake('npm', { FAKE_FAILS: '100', FAKE_OUTPUTS: cap('npm-auth.txt') });
    const r = await installWithRetry({ command: f.command, env: f.env });
    assert.equal(r.outcome, 'auth');
    assert.equal(f.runs(), 1);
    assert.match(r.message, /Unable to authenticate/);
  });

  it("any other failure stops at once with the tool's own message", async () => {
    const f = fake('maven', { FAKE_FAILS: '100', FAKE_OUTPUTS: cap('maven-other.txt') });
    const r = await installWithRetry({ command: f.command, env: f.env });
    assert.equal(r.outcome, 'failed');
    assert.equal(f.runs(), 1);
    assert.match(r.message, /exit code 1/);
    assert.match(r.message, /Non-parseable POM/);
  });

  it('pip: the classifier reads the --log file the terminal does not show', async () => {
    const dir = tempDir();
    const log = join(dir, 'pip.log');
    const f = fake('pip', { FAKE_FAILS: '1', FAKE_OUTPUTS: cap('pip-ingestion.txt'), FAKE_LOG: log }, { logFile: log });
    const t = fakeTime();
    let shown = '';
    const r = await installWithRetry({ command: f.command, env: f.env, now: t.now, sleep: t.sleep, onOutput: (c) => (shown += c) });
    assert.equal(r.outcome, 'success', r.message);
    assert.deepEqual(r.packagesAwaited.map(describePackageRef), ['tinyfmt']);
    assert.doesNotMatch(shown, /Ingestion is in progress/, 'the terminal only had the short error');
    assert.equal(existsSync(log), false, 'the log file is removed');
  });

  it('the token given in env never reaches the output callback or the message', async () => {
    const secret = 'tok3n-VALUE-xyz';
    const f = fake('npm', { FAKE_FAILS: '0', FAKE_PRINT_ENV: 'CODEARTIFACT_AUTH_TOKEN', CODEARTIFACT_AUTH_TOKEN: secret });
    let shown = '';
    const r = await installWithRetry({ command: f.command, env: f.env, secrets: [secret], onOutput: (c) => (shown += c) });
    assert.equal(r.outcome, 'success');
    assert.match(shown, /token is \*\*\*\*\*\*/);
    assert.doesNotMatch(shown + r.message, /tok3n/);
  });

  it('a tool that is not installed ends with a clear message', async () => {
    const dir = tempDir();
    const r = await installWithRetry({
      command: { tool: 'npm', file: 'definitely-not-a-tool-xyz', args: [], cwd: dir, display: 'x' },
      env: { PATH: process.env.PATH ?? '' },
    });
    assert.equal(r.outcome, 'failed');
    assert.match(r.message, /definitely-not-a-tool-xyz was not found/);
  });

  it('abort during the backoff wait ends the run as cancelled without another attempt', async () => {
    const f = fake('npm', { FAKE_FAILS: '100', FAKE_OUTPUTS: cap('npm-ingestion-packument.txt') });
    const ac = new AbortController();
    const r = await installWithRetry({
      command: f.command,
      env: f.env,
      signal: ac.signal,
      backoff: { baseMs: 60000 },
      onEvent: (e) => {
        if (e.type === 'retry-scheduled') setTimeout(() => ac.abort(), 50);
      },
    });
    assert.equal(r.outcome, 'cancelled');
    assert.equal(f.runs(), 1);
    assert.ok(r.elapsedMs < 10000, `ended in ${r.elapsedMs} ms`);
  });
});

describe('installWithRetry probe guard', () => {
  it('a package the repository serves while the tool keeps failing on it stops after 3 runs', async () => {
    const f = fake('maven', { FAKE_FAILS: '100', FAKE_OUTPUTS: cap('maven-notfound.txt') });
    const t = fakeTime();
    const r = await installWithRetry({
      command: f.command,
      env: f.env,
      now: t.now,
      sleep: t.sleep,
      probe: async (refs) => refs.map((ref) => ({ ref, state: 'available', detail: 'available now' })),
    });
    assert.equal(r.outcome, 'not-found');
    assert.equal(r.attempts, 3);
  });
});
