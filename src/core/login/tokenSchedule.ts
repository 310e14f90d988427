// Token lifecycle, as pure functions of (expiry, settings, now): when to refresh, what the status bar says and
// in which colour. A small scheduler on top polls a clock instead of trusting one long timer, because timers
// stall while the machine sleeps and the wall clock jumps on wake.
import { nominalDelay, type Backoff } from '../backoff';

export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43_200;
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** After a failed refresh: try again in 1, 2, 4 ... minutes, at most 15. */
const FAILED_REFRESH_BACKOFF: Backoff = { baseMs: MINUTE, factor: 2, capMs: 15 * MINUTE };

/** `codeartifact.tokenDurationSeconds`: 0 (service default, 12 h) or 900..43200 whole seconds. */
export function validateTokenDuration(seconds: unknown): string | null {
  if (typeof seconds !== 'number' || !Number.isInteger(seconds)) return 'token duration must be a whole number of seconds';
  if (seconds === 0 || (seconds >= MIN_DURATION_SECONDS && seconds <= MAX_DURATION_SECONDS)) return null;
  return `token duration must be 0 (service default) or between ${MIN_DURATION_SECONDS} and ${MAX_DURATION_SECONDS} seconds, got ${seconds}`;
}

export interface RefreshInputs {
  /** Expiry, epoch ms. */
  expiresAt: number;
  /** When the token was issued, epoch ms; lets a short token refresh at half-life instead of immediately. */
  issuedAt?: number;
  refreshMinutesBeforeExpiry: number;
  now: number;
}

/**
 * When the next refresh is due (epoch ms): `refreshMinutesBeforeExpiry` before expiry, but never earlier than half
 * the token's life (a 15-minute token with a 30-minute margin would otherwise refresh in a loop); `now` when that
 * moment has passed (e.g. after sleep).
 */
export function nextRefreshAt(i: RefreshInputs): number {
  let lead = Math.max(0, i.refreshMinutesBeforeExpiry) * MINUTE;
  if (i.issuedAt !== undefined && i.expiresAt > i.issuedAt) lead = Math.min(lead, (i.expiresAt - i.issuedAt) / 2);
  return Math.max(i.now, i.expiresAt - lead);
}

export type Severity = 'ok' | 'warning' | 'expired';

export function severity(expiresAt: number, now: number): Severity {
  const left = expiresAt - now;
  if (left <= 0) return 'expired';
  return left < HOUR ? 'warning' : 'ok';
}

/** `11h 42m`, `42m`, `<1m` (whole minutes, rounded down so it never promises more than is left). */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'expired';
  if (ms < MINUTE) return '<1m';
  const totalMin = Math.floor(ms / MINUTE);
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  return h > 0 ? `${h}h ${m}m` : `${m}m`;
}

export interface TokenStatus {
  /** e.g. `acme/app · 11h 42m` or `acme/app · expired`. */
  text: string;
  severity: Severity;
  remainingMs: number;
}

export function tokenStatus(s: { domain: string; repository: string; expiresAt: number; now: number }): TokenStatus {
  const remainingMs = s.expiresAt - s.now;
  return { text: `${s.domain}/${s.repository} · ${formatRemaining(remainingMs)}`, severity: severity(s.expiresAt, s.now), remainingMs };
}

export interface Clock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface SchedulerOptions {
  clock: Clock;
  /** A number, or a function read at every check (so a settings change applies at once). */
  refreshMinutesBeforeExpiry: number | (() => number);
  /** How often the clock is checked (default 30 s); also how often onTick fires for the status bar. */
  tickMs?: number;
  /** Fetch a new token and rewrite files/env; resolves with the new expiry (and issue time). */
  refresh: () => Promise<{ expiresAt: number; issuedAt?: number }>;
  onTick?: (now: number) => void;
  onError?: (e: unknown) => void;
}

/** Polls the clock and calls `refresh` once it is due; one refresh at a time; retries a failed one on a later tick. */
export class TokenScheduler {
  private handle: unknown;
  private expiresAt = 0;
  private issuedAt: number | undefined;
  private running: Promise<void> | null = null;
  private failures = 0;
  private nextAttemptAt = 0;

  constructor(private readonly o: SchedulerOptions) {}

  start(expiresAt: number, issuedAt?: number): void {
    this.expiresAt = expiresAt;
    this.issuedAt = issuedAt;
    // A new token (login, manual refresh) starts a new schedule: earlier failures no longer hold it back.
    this.failures = 0;
    this.nextAttemptAt = 0;
    this.stop();
    this.handle = this.o.clock.setInterval(() => void this.tick(), this.o.tickMs ?? 30_000);
  }

  stop(): void {
    if (this.handle !== undefined) this.o.clock.clearInterval(this.handle);
    this.handle = undefined;
  }

  dueAt(): number {
    const lead = this.o.refreshMinutesBeforeExpiry;
    return nextRefreshAt({ expiresAt: this.expiresAt, issuedAt: this.issuedAt, refreshMinutesBeforeExpiry: typeof lead === 'function' ? lead() : lead, now: this.o.clock.now() });
  }

  /** One check; exposed so tests (and a wake-from-sleep event) can drive it. */
  async tick(): Promise<void> {
    const now = this.o.clock.now();
    this.o.onTick?.(now);
    if (this.running) return this.running;
    if (now < this.dueAt() || now < this.nextAttemptAt) return;
    this.running = (async () => {
      try {
        const r = await this.o.refresh();
        this.expiresAt = r.expiresAt;
        this.issuedAt = r.issuedAt;
        this.failures = 0;
        this.nextAttemptAt = 0;
      } catch (e) {
        // Back off 1, 2, 4 ... up to 15 minutes so an offline machine does not hammer the service.
        this.failures++;
        this.nextAttemptAt = this.o.clock.now() + nominalDelay(this.failures - 1, FAILED_REFRESH_BACKOFF);
        this.o.onError?.(e);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
