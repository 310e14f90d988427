// The emulator's command line: the one line it prints, serving, clean exit on SIGINT/SIGTERM, --state.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateRepositoryCommand, DescribeRepositoryCommand } from '@aws-sdk/client-codeartifact';
import { raw, sdkClient } from './control/testkit';

const ROOT = resolve(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const LINE = /^CodeArtifact emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/;

interface Started {
  child: ChildProcess;
  url: string;
  firstLine: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

/** Starts a command and waits (at most 60 s) for its first stdout line. */
function start(cmd: string, args: string[], detached = false): Promise<Started> {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached });
  children.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return new Promise((res, rej) => {
    let out = '';
    let errText = '';
    const timer = setTimeout(() => rej(new Error(`no line within 60 s; stderr: ${errText}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => (errText += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        const firstLine = out.slice(0, nl);
        res({ child, firstLine, url: LINE.exec(firstLine)?.[1] ?? '', exited });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      rej(new Error(`exited before printing; stderr: ${errText}`));
    });
  });
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`${what}: not within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('emulator command line', () => {
  after(() => {
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null && c.pid) {
        try {
          process.kill(c.spawnargs[0] === 'npx' ? -c.pid : c.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  });

  it('npx tsx test/emulator/main.ts --port 0 prints exactly one line, serves, and stops on Ctrl-C', async () => {
    // detached: its own process group, so the SIGINT below reaches every process as a terminal's Ctrl-C does.
    const s = await start('npx', ['tsx', 'test/emulator/main.ts', '--port', '0'], true);
    assert.match(s.firstLine, LINE);
    const port = Number(LINE.exec(s.firstLine)![2]);
    assert.ok(port > 0);
    const r = await raw(s.url, 'POST', '/v1/domains');
    assert.equal(r.status, 200);
    process.kill(-s.child.pid!, 'SIGINT');
    await within(s.exited, 15_000, 'npx exit');
    for (let i = 0; i < 100 && groupAlive(s.child.pid!); i++) await new Promise((res) => setTimeout(res, 100));
    assert.ok(!groupAlive(s.child.pid!), 'every process of the emulator has exited');
    await assert.rejects(fetch(`${s.url}/v1/domains`, { method: 'POST', signal: AbortSignal.timeout(3000) }));
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits 0 on ${signal}`, async () => {
      const s = await start(TSX, ['test/emulator/main.ts', '--port', '0']);
      assert.match(s.firstLine, LINE);
      assert.equal((await raw(s.url, 'POST', '/v1/domains')).status, 200);
      s.child.kill(signal);
      const { code } = await within(s.exited, 15_000, 'exit');
      assert.equal(code, 0);
    });
  }

  it('--state FILE keeps a created repository across a restart, replacing the file atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-state-'));
    const file = join(dir, 'state.json');
    try {
      const first = await start(TSX, ['test/emulator/main.ts', '--port', '0', '--state', file]);
      assert.ok(existsSync(file), 'state written at start-up');
      // A hard link keeps the start-up version: a write in place would change it, a rename leaves it alone.
      const startCopy = join(dir, 'at-start.json');
      linkSync(file, startCopy);
      const contentAtStart = readFileSync(startCopy, 'utf8');
      const ca = sdkClient(first.url);
      await ca.send(new CreateRepositoryCommand({ domain: 'sandbox', repository: 'kept', description: 'survives restarts' }));
      ca.destroy();
      first.child.kill('SIGTERM');
      assert.equal((await within(first.exited, 15_000, 'exit')).code, 0);
      // Written by rename of a temporary file: the old file untouched, a new inode, no temporary left behind.
      assert.equal(readFileSync(startCopy, 'utf8'), contentAtStart);
      assert.notEqual(statSync(file).ino, statSync(startCopy).ino);
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { domains: Record<string, { repositories: Record<string, unknown> }> };
      assert.ok(saved.domains['111122223333/sandbox'].repositories.kept);
      assert.deepEqual(readdirSync(dir).sort(), ['at-start.json', 'state.json']);
      assert.equal(statSync(file).mode & 0o777, 0o600);

      const second = await start(TSX, ['test/emulator/main.ts', '--port', '0', '--state', file]);
      const ca2 = sdkClient(second.url);
      const r = await ca2.send(new DescribeRepositoryCommand({ domain: 'sandbox', repository: 'kept' }));
      assert.equal(r.repository?.description, 'survives restarts');
      ca2.destroy();
      second.child.kill('SIGTERM');
      assert.equal((await within(second.exited, 15_000, 'exit')).code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
