// Waiting between attempts: exponential backoff with "equal jitter", and a sleep that a cancel ends early.
// Used by install with retry, pre-warm, the token refresh scheduler and the config-file lock.

export interface Backoff {
  /** First delay, before jitter. */
  baseMs: number;
  /** Growth per retry. */
  factor: number;
  /** Largest delay, before jitter. */
  capMs: number;
}

/** The delay before retry number `retry` (0-based) without jitter: base·factor^retry, at most the cap. */
export function nominalDelay(retry: number, b: Backoff): number {
  return Math.min(b.capMs, b.baseMs * Math.pow(b.factor, Math.max(0, retry)));
}

/**
 * Delay before retry number `retry` (0-based): "equal jitter", half fixed and half random, so retries of many
 * users do not line up while each still waits at least half the nominal delay.
 */
export function backoffDelay(retry: number, b: Backoff, random: () => number = Math.random): number {
  const nominal = nominalDelay(retry, b);
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

/** Resolves after `ms`, or early (without throwing) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
