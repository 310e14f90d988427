// The file lock and atomic writes on real files: a stale lock is broken by exactly one of many concurrent
// waiters (never two holders at once), a live holder is never broken, and symbolic links stay links.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateFile, withFileLock } from '../../../src/core/login/atomicFile';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

void describe('file lock', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'ca-lock-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function holdersNeverOverlap(path: string, waiters: number, staleMs: number): Promise<number[]> {
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: waiters }, (_, i) =>
        withFileLock(
          path,
          async () => {
            inside++;
            most = Math.max(most, inside);
            order.push(i);
            await pause(10);
            inside--;
          },
          { staleMs, timeoutMs: 20_000 },
        ),
      ),
    );
    assert.equal(most, 1, 'two waiters held the lock at the same time');
    return order;
  }

  void it('forty concurrent waiters on a stale lock: one breaks it, each then holds the lock alone', async () => {
    for (const content of ['0123456789abcdef0123456789abcdef\n', '', '4242\n']) {
      const path = join(dir, `stale-${content.length}`);
      writeFileSync(`${path}.lock`, content);
      const old = new Date(Date.now() - 60_000);
      utimesSync(`${path}.lock`, old, old);
      const order = await holdersNeverOverlap(path, 40, 1_000);
      assert.equal(order.length, 40);
      assert.ok(!readdirSync(dir).includes(`stale-${content.length}.lock`), 'the lock is released at the end');
      assert.ok(!readdirSync(dir).some((n) => n.includes('.broken-')), 'no renamed lock is left behind');
    }
  });

  void it('a holder working longer than the stale age keeps its lock (it touches it while it works)', async () => {
    const path = join(dir, 'slow');
    let inside = 0;
    let most = 0;
    const hold = (ms: number) =>
      withFileLock(
        path,
        async () => {
          inside++;
          most = Math.max(most, inside);
          await pause(ms);
          inside--;
        },
        { staleMs: 300, timeoutMs: 20_000 },
      );
    await Promise.all([hold(1_200), pause(50).then(() => hold(10)), pause(80).then(() => hold(10))]);
    assert.equal(most, 1);
  });
});

void describe('symbolic links', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'ca-link-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  void it('a write through a linked dotfile goes to the target and the link stays a link, also when emptied', async () => {
    mkdirSync(join(dir, 'dotfiles'));
    const target = join(dir, 'dotfiles', 'npmrc');
    writeFileSync(target, 'color=false\n');
    const link = join(dir, '.npmrc');
    symlinkSync('dotfiles/npmrc', link);
    await updateFile(link, (t) => `${t}//host/:_authToken=T1\n`, { mode: 0o600 });
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), 'dotfiles/npmrc');
    assert.equal(readFileSync(target, 'utf8'), 'color=false\n//host/:_authToken=T1\n');
    assert.equal(lstatSync(target).mode & 0o777, 0o600);
    await updateFile(link, () => null);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(target, 'utf8'), '');
  });
});
