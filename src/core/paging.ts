// A list loaded one page at a time, as the explorer shows domains, repositories, packages, versions and
// assets. Plain TypeScript (no VS Code) so the races it settles are tested on their own:
// - a second load while one is in flight waits for the same page instead of asking twice;
// - a reset (refresh) starts a new generation: a page or error of an older generation is dropped and
//   never marks the new list loaded.

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Fetches one page; `nextToken` undefined asks for the first. */
export type PageFetcher<T> = (nextToken: string | undefined) => Promise<Page<T>>;

export class PagedList<T, E = unknown> {
  private rows: T[] = [];
  private token?: string;
  private isLoaded = false;
  private failure?: E;
  private inFlight?: Promise<void>;
  private gen = 0;

  /** `describe` turns a thrown error into what the list keeps (and shows) as its error. */
  constructor(private readonly describe: (e: unknown) => E) {}

  get items(): readonly T[] {
    return this.rows;
  }
  /** The token of the page after the last one loaded; undefined when there is none (or nothing loaded). */
  get nextToken(): string | undefined {
    return this.token;
  }
  get hasMore(): boolean {
    return this.token !== undefined;
  }
  /** True once the first page (or its error) arrived for the current generation. */
  get loaded(): boolean {
    return this.isLoaded;
  }
  get error(): E | undefined {
    return this.failure;
  }
  get generation(): number {
    return this.gen;
  }
  get loading(): boolean {
    return this.inFlight !== undefined;
  }

  /** Loads the first page unless it is loaded (or loading: then waits for it). */
  ensureLoaded(fetch: PageFetcher<T>): Promise<void> {
    if (this.isLoaded && !this.inFlight) return Promise.resolve();
    return this.load(fetch, undefined);
  }

  /** Appends the next page; resolves to false when there was none to load. */
  async loadNext(fetch: PageFetcher<T>): Promise<boolean> {
    if (this.inFlight) {
      await this.inFlight;
      return true;
    }
    if (!this.isLoaded) {
      await this.load(fetch, undefined);
      return true;
    }
    if (this.token === undefined) return false;
    await this.load(fetch, this.token);
    return true;
  }

  /** Forgets every page: the next ensureLoaded starts again from the first. */
  reset(): void {
    this.gen++;
    this.rows = [];
    this.token = undefined;
    this.isLoaded = false;
    this.failure = undefined;
    this.inFlight = undefined;
  }

  private load(fetch: PageFetcher<T>, nextToken: string | undefined): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const generation = this.gen;
    // Declared first: the promise compares itself with inFlight in its own finally.
    let p: Promise<void> | undefined = undefined;
    p = (async () => {
      try {
        // Yield first, so even a fetcher that throws synchronously settles after inFlight is set.
        await Promise.resolve();
        const page = await fetch(nextToken);
        if (this.gen !== generation) return;
        this.rows.push(...page.items);
        this.token = page.nextToken || undefined;
        this.failure = undefined;
      } catch (e) {
        if (this.gen !== generation) return;
        // The token stays: "Load more" (or Retry) asks for the same page again.
        this.failure = this.describe(e);
      } finally {
        if (this.gen === generation) {
          this.isLoaded = true;
          if (this.inFlight === p) this.inFlight = undefined;
        }
      }
    })();
    this.inFlight = p;
    return p;
  }
}
