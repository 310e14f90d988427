// Paging for the control plane's List* operations.
// Items are listed in ascending order of a string key; nextToken carries the last key returned (opaque,
// base64url JSON), so a page starts strictly after it: every item is returned exactly once, even when
// items are added or removed between pages.
import { err } from './errors';

export interface Keyed<T> {
  key: string;
  item: T;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

interface TokenBody {
  /** Operation the token belongs to: a token from another listing is refused. */
  o: string;
  /** Last key returned. */
  k: string;
}

export function encodeToken(op: string, lastKey: string): string {
  const body: TokenBody = { o: op, k: lastKey };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** The last key a token carries; ValidationException when it is not a token of `op`. */
export function decodeToken(op: string, token: string): string {
  const bad = () => err.validation(`Invalid pagination token: ${token.length > 60 ? `${token.slice(0, 60)}...` : token}`);
  if (token.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const t = parsed as Partial<TokenBody> | null;
  if (typeof t !== 'object' || t === null || t.o !== op || typeof t.k !== 'string') throw bad();
  return t.k;
}

/**
 * Parses a max-results value (query string text or body number): an integer 1..1000, or the default.
 * `field` names the parameter in the error.
 */
export function parseMaxResults(value: unknown, field: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw err.validation(`1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must have value between 1 and 1000`);
  }
  return n;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One page of `entries` (any order; sorted here by key) after the token's key. */
export function paginate<T>(op: string, entries: Keyed<T>[], maxResults: number, nextToken: string | undefined): Page<T> {
  const after = nextToken ? decodeToken(op, nextToken) : undefined;
  const sorted = [...entries].sort((x, y) => compare(x.key, y.key));
  const rest = after === undefined ? sorted : sorted.filter((e) => compare(e.key, after) > 0);
  const pageEntries = rest.slice(0, maxResults);
  const more = rest.length > pageEntries.length;
  return {
    items: pageEntries.map((e) => e.item),
    nextToken: more ? encodeToken(op, pageEntries[pageEntries.length - 1].key) : undefined,
  };
}

/** A key that sorts newest first for an epoch-second time, ties broken by `tail`. */
export function newestFirstKey(epochSeconds: number, tail: string): string {
  const t = Math.max(0, Math.min(99_999_999_999, Math.floor(epochSeconds)));
  return `${String(99_999_999_999 - t).padStart(11, '0')}\u0000${tail}`;
}
