// Seed files: defaults, and bad seeds refused at start-up with a message naming the field.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ListPackageVersionsCommand, DescribeDomainCommand } from '@aws-sdk/client-codeartifact';
import { Clock, SeedError, stateFromSeed } from '../src/state';
import { startEmulator } from '../src/server';
import { sdkClient } from '../src/testing';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('seed', () => {
  it('owner defaults to accountId, status to Published, seeded versions are INTERNAL', async () => {
    const emu = await startEmulator({
      seed: {
        accountId: '222233334444',
        domains: [
          { name: 'acme', repositories: [{ name: 'app', packages: [{ format: 'npm', name: 'a', versions: [{ version: '1.0.0', publishedTime: '2026-01-02T03:04:05Z' }] }] }] },
        ],
      },
    });
    try {
      const ca = sdkClient(emu.url);
      const d = await ca.send(new DescribeDomainCommand({ domain: 'acme' }));
      assert.equal(d.domain?.owner, '222233334444');
      const v = await ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'app', format: 'npm', package: 'a' }));
      assert.equal(v.versions?.[0].status, 'Published');
      assert.equal(v.versions?.[0].origin?.originType, 'INTERNAL');
      ca.destroy();
    } finally {
      await emu.close();
    }
  });

  it('errors name the JSON path of the bad field', () => {
    const cases: [unknown, RegExp][] = [
      [{ accountId: '12' }, /seed\.accountId: "12" is not a 12-digit account id/],
      [{ domains: [{ name: 'Bad Name' }] }, /seed\.domains\[0\]\.name/],
      [{ domains: [{ name: 'acme', repositories: [{ name: 'a1', externalConnection: 'public:nowhere' }] }] }, /seed\.domains\[0\]\.repositories\[0\]\.externalConnection/],
      [{ domains: [{ name: 'acme', repositories: [{ name: 'a1', upstreams: ['missing'] }] }] }, /repositories\[a1\]\.upstreams: "missing"/],
      [
        {
          domains: [
            {
              name: 'acme',
              repositories: [
                { name: 'a1', upstreams: ['a2'] },
                { name: 'a2', upstreams: ['a1'] },
              ],
            },
          ],
        },
        /upstreams form a cycle/,
      ],
      [
        { domains: [{ name: 'acme', repositories: [{ name: 'a1', packages: [{ format: 'rpm', name: 'x' }] }] }] },
        /seed\.domains\[0\]\.repositories\[0\]\.packages\[0\]\.format: "rpm"/,
      ],
      [
        { domains: [{ name: 'acme', repositories: [{ name: 'a1', packages: [{ format: 'npm', name: 'x', versions: [{ version: '1', status: 'Live' }] }] }] }] },
        /packages\[0\]\.versions\[0\]\.status: "Live"/,
      ],
      [{ principals: [{ accessKeyId: 'AKID', allow: 'codeartifact:*' }] }, /seed\.principals\[0\]\.allow/],
    ];
    for (const [seed, message] of cases) {
      assert.throws(
        () => stateFromSeed(seed, new Clock()),
        (e: unknown) => e instanceof SeedError && message.test(e.message),
        JSON.stringify(seed),
      );
    }
  });

  it('npm run emulator -- --seed bad.json exits non-zero naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-seed-'));
    try {
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ domains: [{ name: 'acme', repositories: [{ name: 'app', externalConnection: 'public:npm' }] }] }));
      const notJson = join(dir, 'broken.json');
      writeFileSync(notJson, '{ "domains": [');
      for (const [file, message] of [
        [bad, `${bad}.domains[0].repositories[0].externalConnection: "public:npm" is not an external connection`],
        [notJson, `${notJson}:`],
      ]) {
        const r = await new Promise<{ code: number; stdout: string; stderr: string }>((res) => {
          execFile('npm', ['run', '--silent', 'emulator', '--', '--seed', file, '--port', '0'], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
            res({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
          });
        });
        assert.notEqual(r.code, 0);
        assert.ok(r.stderr.includes(message), r.stderr);
        assert.ok(!r.stdout.includes('listening'), 'it did not start');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
