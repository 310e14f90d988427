// The explorer's paging engine on its own: pages append in order, one request per page however often
// the tree asks, and a refresh (reset) while a page is in flight drops the late page and its error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PagedList, type Page } from '../../../src/core/paging';

/** A fetcher whose pages the test releases one by one, recording the tokens asked for. */
function gatedFetcher() {
  const asked: (string | undefined)[] = [];
  const waiting: { resolve: (p: Page<string>) => void; reject: (e: Error) => void }[] = [];
  const fetch = (token: string | undefined) => {
    asked.push(token);
    return new Promise<Page<string>>((resolve, reject) => waiting.push({ resolve, reject }));
  };
  const release = (page: Page<string>) => waiting.shift()!.resolve(page);
  const fail = (message: string) => waiting.shift()!.reject(new Error(message));
  return { fetch, asked, release, fail, pending: () => waiting.length };
}

const describeError = (e: unknown) => (e as Error).message;
const tick = () => new Promise((r) => setImmediate(r));

/** A list with its first page (`a`, then token `t1`) loaded through `f`. */
async function firstPageLoaded(f: ReturnType<typeof gatedFetcher>): Promise<PagedList<string, string>> {
  const list = new PagedList<string, string>(describeError);
  const first = list.ensureLoaded(f.fetch);
  await tick();
  f.release({ items: ['a'], nextToken: 't1' });
  await first;
  return list;
}

describe('PagedList', () => {
  it('loads the first page, then the next pages in order, until there is no token', async () => {
    const f = gatedFetcher();
    const list = new PagedList<string, string>(describeError);
    const first = list.ensureLoaded(f.fetch);
    await tick();
    f.release({ items: ['a', 'b'], nextToken: 't1' });
    await first;
    assert.deepEqual(list.items, ['a', 'b']);
    assert.equal(list.loaded, true);
    assert.equal(list.hasMore, true);

    const second = list.loadNext(f.fetch);
    await tick();
    f.release({ items: ['c'] });
    assert.equal(await second, true);
    assert.deepEqual(list.items, ['a', 'b', 'c']);
    assert.equal(list.hasMore, false);
    assert.equal(await list.loadNext(f.fetch), false, 'no page after the last');
    assert.deepEqual(f.asked, [undefined, 't1']);
  });

  it('asks once when the tree asks for the same page several times while it loads', async () => {
    const f = gatedFetcher();
    const list = new PagedList<string, string>(describeError);
    const calls = [list.ensureLoaded(f.fetch), list.ensureLoaded(f.fetch), list.loadNext(f.fetch)];
    await tick();
    assert.equal(f.pending(), 1);
    f.release({ items: ['a'], nextToken: 't1' });
    await Promise.all(calls);
    assert.deepEqual(list.items, ['a']);
    assert.deepEqual(f.asked, [undefined]);
    // Once loaded, ensureLoaded does not ask again.
    await list.ensureLoaded(f.fetch);
    assert.deepEqual(f.asked, [undefined]);
  });

  it('drops a page that arrives after a refresh and does not mark the new list loaded with it', async () => {
    const f = gatedFetcher();
    const list = new PagedList<string, string>(describeError);
    const stale = list.ensureLoaded(f.fetch);
    await tick();
    list.reset();
    const fresh = list.ensureLoaded(f.fetch);
    await tick();
    assert.equal(f.pending(), 2, 'the refreshed list asks again instead of waiting for the stale page');
    f.release({ items: ['old'], nextToken: 'old-token' });
    await stale;
    assert.deepEqual(list.items, []);
    assert.equal(list.loaded, false, 'the stale page must not mark the refreshed list loaded');
    assert.equal(list.loading, true);
    f.release({ items: ['new'] });
    await fresh;
    assert.deepEqual(list.items, ['new']);
    assert.equal(list.loaded, true);
    assert.equal(list.hasMore, false);
  });

  it('drops an error that arrives after a refresh', async () => {
    const f = gatedFetcher();
    const list = new PagedList<string, string>(describeError);
    const stale = list.ensureLoaded(f.fetch);
    await tick();
    list.reset();
    f.fail('throttled');
    await stale;
    assert.equal(list.error, undefined);
    assert.equal(list.loaded, false);
  });

  it('keeps the rows and the token when a later page fails, so the same page can be asked again', async () => {
    const f = gatedFetcher();
    const list = await firstPageLoaded(f);
    const next = list.loadNext(f.fetch);
    await tick();
    f.fail('ThrottlingException');
    await next;
    assert.equal(list.error, 'ThrottlingException');
    assert.deepEqual(list.items, ['a']);
    assert.equal(list.nextToken, 't1');
    const again = list.loadNext(f.fetch);
    await tick();
    f.release({ items: ['b'] });
    await again;
    assert.equal(list.error, undefined);
    assert.deepEqual(list.items, ['a', 'b']);
    assert.deepEqual(f.asked, [undefined, 't1', 't1']);
  });

  it('settles even when the fetcher throws synchronously', async () => {
    const list = new PagedList<string, string>(describeError);
    await list.ensureLoaded(() => {
      throw new Error('bad settings');
    });
    assert.equal(list.error, 'bad settings');
    assert.equal(list.loading, false);
    assert.equal(list.loaded, true);
  });

  it('starts again from the first page after a reset', async () => {
    const f = gatedFetcher();
    const list = await firstPageLoaded(f);
    const generation = list.generation;
    list.reset();
    assert.equal(list.generation, generation + 1);
    assert.deepEqual(list.items, []);
    assert.equal(list.hasMore, false);
    const again = list.ensureLoaded(f.fetch);
    await tick();
    f.release({ items: ['a2'] });
    await again;
    assert.deepEqual(list.items, ['a2']);
    assert.deepEqual(f.asked, [undefined, undefined]);
  });
});
