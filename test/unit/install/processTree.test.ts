import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcessGroup } from '../../../src/core/install/processTree';
import { installWithRetry } from '../../../src/core/install/retry';

const TREE = join(__dirname, 'fixtures', 'bin', 'tree.sh');
const dirs: string[] = [];
const leftovers: number[] = [];
after(() => {
  // Whatever a failed assertion left behind must not outlive the test run.
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** Alive = signalable and not a zombie (a zombie only waits for its parent to reap it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

function pidsOf(file: string): number[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split(/\s+/).filter(Boolean).map(Number) : [];
}

describe('cancellation ends the whole process tree', { skip: process.platform === 'win32' && 'POSIX process groups' }, () => {
  it('abort kills the child, its child and its grandchild (SIGTERM)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tree-'));
    dirs.push(dir);
    const pidFile = join(dir, 'pids');
    const ac = new AbortController();
    let out = '';
    const running = runInProcessGroup({
      file: TREE,
      args: [],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', PIDS: pidFile },
      signal: ac.signal,
      onOutput: (c) => (out += c),
    });
    await waitFor(() => pidsOf(pidFile).length === 3 && out.includes('started'), 10000);
    const pids = pidsOf(pidFile);
    leftovers.push(...pids);
    assert.equal(pids.length, 3, 'sleep grandchild, child shell and the script itself started');
    assert.ok(pids.every(alive), 'all running before the abort');
    ac.abort();
    const r = await running;
    assert.equal(r.cancelled, true);
    await waitFor(() => !pids.some(alive), 2000);
    assert.deepEqual(pids.filter(alive), [], 'no process of the tree survives');
  });

  it('a tree that ignores SIGTERM is killed with SIGKILL after the grace period', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tree-'));
    dirs.push(dir);
    const pidFile = join(dir, 'pids');
    const ac = new AbortController();
    const running = runInProcessGroup({
      file: TREE,
      args: [],
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', PIDS: pidFile, IGNORE_TERM: '1' },
      signal: ac.signal,
      killGraceMs: 300,
    });
    await waitFor(() => pidsOf(pidFile).length === 3, 10000);
    const pids = pidsOf(pidFile);
    leftovers.push(...pids);
    const t0 = Date.now();
    ac.abort();
    await new Promise((r) => setTimeout(r, 150));
    assert.ok(pids.every(alive), 'SIGTERM alone did not end it');
    const r = await running;
    assert.equal(r.cancelled, true);
    await waitFor(() => !pids.some(alive), 2000);
    assert.deepEqual(pids.filter(alive), []);
    assert.ok(Date.now() - t0 >= 300, 'waited for the grace period');
  });

  it('installWithRetry: cancelling a running install leaves no process behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tree-'));
    dirs.push(dir);
    const pidFile = join(dir, 'pids');
    const ac = new AbortController();
    const running = installWithRetry({
      command: { tool: 'npm', file: TREE, args: [], cwd: dir, display: 'npm ci' },
      env: { PATH: process.env.PATH ?? '', PIDS: pidFile },
      signal: ac.signal,
    });
    await waitFor(() => pidsOf(pidFile).length === 3, 10000);
    const pids = pidsOf(pidFile);
    leftovers.push(...pids);
    ac.abort();
    const r = await running;
    assert.equal(r.outcome, 'cancelled');
    assert.equal(r.attempts, 1);
    await waitFor(() => !pids.some(alive), 2000);
    assert.deepEqual(pids.filter(alive), []);
  });
});
