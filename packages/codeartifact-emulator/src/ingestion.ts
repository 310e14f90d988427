// Asynchronous ingestion from public upstreams. One job per (domain, connection repository, format,
// package, version): concurrent requests share it. A job finishes after max(delay, the time the fetch
// takes) and only then writes to the state, so a client that stops waiting (ingestion timeout -> 404
// "Ingestion is in progress") leaves it running, and a later request finds the versions stored.

export type WaitResult = 'done' | 'timeout';

interface Job {
  promise: Promise<void>;
  startedAt: number;
}

export class IngestionManager {
  private readonly jobs = new Map<string, Job>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;
  /** Called once per job started (the data plane counts them in the emulator's stats). */
  onStart: (key: string) => void = () => undefined;

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed || ms <= 0) return resolve();
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }

  /** True while a job for this key runs. */
  running(key: string): boolean {
    return this.jobs.has(key);
  }

  /**
   * Starts (or joins) the job for `key`. `fetch` gathers what to store (may take time, e.g. a real
   * upstream); `commit` writes it to the state once `delayMs` has also passed.
   */
  start<T>(key: string, delayMs: number, fetch: () => Promise<T>, commit: (value: T) => void): Promise<void> {
    const existing = this.jobs.get(key);
    if (existing) return existing.promise;
    this.onStart(key);
    const promise = (async () => {
      try {
        const [value] = await Promise.all([fetch(), this.sleep(delayMs)]);
        if (!this.closed) commit(value);
      } finally {
        this.jobs.delete(key);
      }
    })();
    // Nobody may be waiting any more (the request timed out): keep the rejection from crashing the process.
    promise.catch(() => undefined);
    this.jobs.set(key, { promise, startedAt: Date.now() });
    return promise;
  }

  /** Waits for a job at most `timeoutMs`; rethrows the job's failure. */
  async wait(job: Promise<void>, timeoutMs: number): Promise<WaitResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<WaitResult>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, timeoutMs));
    });
    try {
      return await Promise.race([job.then((): WaitResult => 'done'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops pending delays so the process can exit; running jobs finish without writing. */
  close(): void {
    this.closed = true;
    // Ending the delays early lets jobs (and requests waiting on them) settle instead of holding timers.
    for (const [t, resolve] of this.timers) {
      clearTimeout(t);
      resolve();
    }
    this.timers.clear();
  }
}
