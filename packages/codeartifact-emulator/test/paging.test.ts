// Paging: the pure helpers, then 2,500 packages through the real SDK paginator and explicit max-results.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListPackagesCommand, ListPackageVersionsCommand, paginateListPackages, paginateListPackageVersions, type PackageSummary } from '@aws-sdk/client-codeartifact';
import { decodeToken, encodeToken, newestFirstKey, paginate, parseMaxResults } from '../src/paging';
import { ApiError } from '../src/errors';
import { startEmulator, type Emulator } from '../src/server';
import { packageKey } from '../src/state';
import { rejection, sdkClient } from '../src/testing';

describe('paging helpers', () => {
  const entries = ['d', 'a', 'c', 'b', 'e'].map((k) => ({ key: k, item: k.toUpperCase() }));

  it('pages in key order and returns every item once', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const p = paginate('Op', entries, 2, token);
      seen.push(...p.items);
      token = p.nextToken;
      pages++;
    } while (token);
    assert.deepEqual(seen, ['A', 'B', 'C', 'D', 'E']);
    assert.equal(pages, 3);
  });

  it('an exact last page has no nextToken', () => {
    const p = paginate('Op', entries.slice(0, 2), 2, undefined);
    assert.equal(p.nextToken, undefined);
  });

  it('refuses tokens that are not its own', () => {
    assert.equal(decodeToken('Op', encodeToken('Op', 'k')), 'k');
    for (const bad of ['not a token', 'eyJ4Ijox', encodeToken('OtherOp', 'k'), 'A'.repeat(2001)]) {
      assert.throws(
        () => decodeToken('Op', bad),
        (e: unknown) => e instanceof ApiError && e.type === 'ValidationException',
        bad,
      );
    }
  });

  it('max-results is an integer from 1 to 1000', () => {
    assert.equal(parseMaxResults(undefined, 'max-results', 50), 50);
    assert.equal(parseMaxResults('1000', 'max-results', 50), 1000);
    assert.equal(parseMaxResults(1, 'maxResults', 50), 1);
    for (const bad of ['0', '1001', '-3', 'ten', '1.5', 2.5]) {
      assert.throws(
        () => parseMaxResults(bad, 'max-results', 50),
        (e: unknown) => e instanceof ApiError && /max-results/.test(e.message),
        String(bad),
      );
    }
  });

  it('newestFirstKey sorts later times first', () => {
    assert.ok(newestFirstKey(2000, 'a') < newestFirstKey(1000, 'a'));
    assert.ok(newestFirstKey(1000, 'a') < newestFirstKey(1000, 'b'));
  });
});

describe('paging 2,500 packages through the AWS SDK', () => {
  let emu: Emulator;
  const ca = () => sdkClient(emu.url);
  const expected = Array.from({ length: 2500 }, (_, i) => `pkg-${String(i).padStart(4, '0')}`);
  before(async () => {
    emu = await startEmulator({
      seed: {
        domains: [
          {
            name: 'acme',
            repositories: [
              { name: 'big', generatedPackages: { count: 2500 } },
              {
                name: 'versions',
                packages: [{ format: 'npm', name: 'many', versions: Array.from({ length: 120 }, (_, i) => ({ version: `1.0.${i}`, publishedTime: 1_700_000_000 + i * 60 })) }],
              },
            ],
          },
        ],
      },
    });
  });
  after(async () => {
    await emu.close();
  });

  it('paginateListPackages returns all 2,500 once, in order (default page size)', async () => {
    const client = ca();
    const names: string[] = [];
    const before = emu.ctx.stats.ListPackages ?? 0;
    for await (const page of paginateListPackages({ client }, { domain: 'acme', repository: 'big' })) {
      names.push(...(page.packages ?? []).map((p: PackageSummary) => p.package!));
    }
    assert.deepEqual(names, expected);
    // Default page size 100.
    assert.equal((emu.ctx.stats.ListPackages ?? 0) - before, 25);
    client.destroy();
  });

  it('explicit max-results 1000 and 333 give the same complete, ordered list', async () => {
    const client = ca();
    for (const maxResults of [1000, 333]) {
      const names: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const r = await client.send(new ListPackagesCommand({ domain: 'acme', repository: 'big', maxResults, nextToken }));
        assert.ok((r.packages?.length ?? 0) <= maxResults);
        names.push(...r.packages!.map((p) => p.package!));
        nextToken = r.nextToken;
        pages++;
      } while (nextToken);
      assert.deepEqual(names, expected, `maxResults ${maxResults}`);
      assert.equal(pages, Math.ceil(2500 / maxResults));
    }
    client.destroy();
  });

  it('packages added between pages do not cause repeats or gaps', async () => {
    const client = ca();
    const repo = emu.ctx.state.domains['111122223333/acme'].repositories.big;
    const names: string[] = [];
    let nextToken: string | undefined;
    let i = 0;
    do {
      const r = await client.send(new ListPackagesCommand({ domain: 'acme', repository: 'big', maxResults: 500, nextToken }));
      names.push(...r.packages!.map((p) => p.package!));
      nextToken = r.nextToken;
      // Insert one package before the cursor and one after it.
      for (const name of [`aaa-${i}`, `zzz-${i}`]) {
        repo.packages[packageKey('npm', undefined, name)] = { format: 'npm', name, originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'ALLOW' } }, versions: {} };
      }
      i++;
    } while (nextToken);
    assert.equal(new Set(names).size, names.length, 'no package twice');
    for (const n of expected) assert.ok(names.includes(n), n);
    assert.deepEqual([...names].sort(), names, 'still in order');
    client.destroy();
  });

  it('ListPackageVersions defaults to 50 per page; the paginator with PUBLISHED_TIME is newest first', async () => {
    const client = ca();
    const coords = { domain: 'acme', repository: 'versions', format: 'npm' as const, package: 'many' };
    const first = await client.send(new ListPackageVersionsCommand(coords));
    assert.equal(first.versions?.length, 50);
    assert.ok(first.nextToken);
    const seen: string[] = [];
    for await (const page of paginateListPackageVersions({ client, pageSize: 7 }, { ...coords, sortBy: 'PUBLISHED_TIME' })) {
      seen.push(...page.versions!.map((v) => v.version!));
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 120 }, (_, i) => `1.0.${119 - i}`),
    );
    client.destroy();
  });

  it('out-of-range max-results and bad tokens are ValidationException', async () => {
    const client = ca();
    for (const maxResults of [0, 1001]) {
      const e = await rejection(client.send(new ListPackagesCommand({ domain: 'acme', repository: 'big', maxResults })));
      assert.equal(e.name, 'ValidationException');
      assert.match(e.message, /max-results/);
    }
    const e = await rejection(client.send(new ListPackagesCommand({ domain: 'acme', repository: 'big', nextToken: 'garbage' })));
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /token/i);
    client.destroy();
  });
});
