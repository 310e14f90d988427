// Token lifecycle: refresh time, status text and colour thresholds, duration validation, and the scheduler
// driven by a fake clock (including a jump over a sleep).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenScheduler, formatRemaining, nextRefreshAt, tokenStatus, validateTokenDuration, type Clock } from '../../../src/core/login/tokenSchedule';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);

void describe('tokenSchedule', () => {
  void it('refreshes refreshMinutesBeforeExpiry before expiry, at half-life for short tokens, now when overdue', () => {
    assert.equal(nextRefreshAt({ expiresAt: T0 + 720 * MIN, refreshMinutesBeforeExpiry: 30, now: T0 }), T0 + 690 * MIN);
    assert.equal(nextRefreshAt({ expiresAt: T0 + 15 * MIN, issuedAt: T0, refreshMinutesBeforeExpiry: 30, now: T0 }), T0 + 7.5 * MIN);
    assert.equal(nextRefreshAt({ expiresAt: T0 - MIN, refreshMinutesBeforeExpiry: 30, now: T0 }), T0);
  });

  void it('status text and severity thresholds', () => {
    assert.deepEqual(tokenStatus({ domain: 'acme', repository: 'app', expiresAt: T0 + (11 * 60 + 42) * MIN + 59_000, now: T0 }), {
      text: 'acme/app · 11h 42m',
      severity: 'ok',
      remainingMs: (11 * 60 + 42) * MIN + 59_000,
    });
    assert.equal(tokenStatus({ domain: 'acme', repository: 'app', expiresAt: T0 + 60 * MIN, now: T0 }).severity, 'ok');
    assert.equal(tokenStatus({ domain: 'acme', repository: 'app', expiresAt: T0 + 60 * MIN - 1, now: T0 }).severity, 'warning');
    assert.equal(tokenStatus({ domain: 'acme', repository: 'app', expiresAt: T0 + 59 * MIN, now: T0 }).text, 'acme/app · 59m');
    assert.deepEqual(tokenStatus({ domain: 'acme', repository: 'app', expiresAt: T0, now: T0 }).severity, 'expired');
    assert.equal(tokenStatus({ domain: 'acme', repository: 'app', expiresAt: T0 - 1, now: T0 }).text, 'acme/app · expired');
    assert.equal(formatRemaining(30_000), '<1m');
  });

  void it('validates the token duration as the service does', () => {
    for (const ok of [0, 900, 43200, 3600]) assert.equal(validateTokenDuration(ok), null, String(ok));
    for (const bad of [1, 899, 43201, -1, 1.5, '900']) assert.notEqual(validateTokenDuration(bad), null, String(bad));
  });

  void it('the scheduler refreshes a 900 s token before expiry and at once after a sleep past expiry', async () => {
    let now = T0;
    let tick: (() => void) | undefined;
    const clock: Clock = { now: () => now, setInterval: (fn) => ((tick = fn), 1), clearInterval: () => (tick = undefined) };
    const refreshedAt: number[] = [];
    const s = new TokenScheduler({
      clock,
      refreshMinutesBeforeExpiry: 30,
      tickMs: 30_000,
      refresh: () => {
        refreshedAt.push(now);
        return Promise.resolve({ expiresAt: now + 15 * MIN, issuedAt: now });
      },
    });
    s.start(T0 + 15 * MIN, T0);
    assert.ok(tick);
    for (let i = 0; i < 30; i++) {
      now += 30_000;
      await s.tick();
    }
    assert.deepEqual(refreshedAt, [T0 + 7.5 * MIN, T0 + 15 * MIN], 'every half-life, always before expiry');
    now += 60 * MIN; // the machine slept past expiry
    await s.tick();
    assert.equal(refreshedAt.at(-1), now);
    s.stop();
    assert.equal(tick, undefined);
  });

  void it('backs off after a failed refresh', async () => {
    let now = T0;
    const clock: Clock = { now: () => now, setInterval: () => 1, clearInterval: () => undefined };
    let calls = 0;
    const errors: unknown[] = [];
    const s = new TokenScheduler({ clock, refreshMinutesBeforeExpiry: 30, refresh: () => (calls++, Promise.reject(new Error('offline'))), onError: (e) => errors.push(e) });
    s.start(T0 - MIN);
    await s.tick();
    await s.tick();
    assert.equal(calls, 1);
    now += MIN;
    await s.tick();
    assert.equal(calls, 2);
    assert.equal(errors.length, 2);
  });

  void it('a new token (login or manual refresh) forgets the back-off of earlier failed refreshes', async () => {
    let now = T0;
    const clock: Clock = { now: () => now, setInterval: () => 1, clearInterval: () => undefined };
    let fail = true;
    let calls = 0;
    const s = new TokenScheduler({
      clock,
      refreshMinutesBeforeExpiry: 10,
      refresh: () => (calls++, fail ? Promise.reject(new Error('offline')) : Promise.resolve({ expiresAt: now + 15 * MIN, issuedAt: now })),
    });
    s.start(T0 - MIN);
    // Failures back off 1, 2, 4, 8 minutes: the next attempt would be at T0 + 15 minutes.
    for (const at of [0, 1, 3, 7]) {
      now = T0 + at * MIN;
      await s.tick();
    }
    assert.equal(calls, 4);
    fail = false;
    s.start(now + 15 * MIN, now); // the user refreshed by hand at T0 + 7: a fresh 15-minute token
    now = T0 + 14.6 * MIN; // past half its life: due, and still inside the old back-off window
    await s.tick();
    assert.equal(calls, 5, 'the new token is refreshed when due, not after the old back-off');
  });
});
