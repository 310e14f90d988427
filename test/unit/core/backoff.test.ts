// Backoff bounds and the abortable sleep.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDelay, nominalDelay, sleep, type Backoff } from '../../../src/core/backoff';

const backoffs = fc.record({ baseMs: fc.integer({ min: 1, max: 10_000 }), factor: fc.double({ min: 1, max: 4, noNaN: true }), capMs: fc.integer({ min: 1, max: 120_000 }) });

describe('backoffDelay', () => {
  it('grows by the factor up to the cap', () => {
    const b: Backoff = { baseMs: 500, factor: 1.5, capMs: 2000 };
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((r) => nominalDelay(r, b)),
      [500, 750, 1125, 1687.5, 2000],
    );
  });

  it('waits between half and all of the nominal delay, never more than the cap', () => {
    fc.assert(
      fc.property(backoffs, fc.nat({ max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (b, retry, r) => {
        const nominal = nominalDelay(retry, b);
        const d = backoffDelay(retry, b, () => r);
        assert.ok(d >= Math.floor(nominal / 2) && d <= Math.ceil(nominal), `${d} outside [${nominal / 2}, ${nominal}]`);
        assert.ok(d <= Math.ceil(b.capMs));
      }),
    );
  });

  it('never waits less for a later retry (same random draw)', () => {
    fc.assert(
      fc.property(backoffs, fc.nat({ max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (b, retry, r) => {
        assert.ok(backoffDelay(retry + 1, b, () => r) >= backoffDelay(retry, b, () => r));
      }),
    );
  });
});

describe('sleep', () => {
  it('resolves after the time', async () => {
    let done = false;
    const p = sleep(20).then(() => (done = true));
    assert.equal(done, false);
    await p;
    assert.equal(done, true);
  });

  it('ends early, without throwing, when the signal aborts; at once when it already has', { timeout: 5000 }, async () => {
    const ac = new AbortController();
    const p = sleep(60_000, ac.signal);
    ac.abort();
    await p;
    await sleep(60_000, AbortSignal.abort());
  });
});
