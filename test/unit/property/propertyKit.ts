// What the property tests share: one fixed fast-check seed (FC_SEED overrides it; fast-check prints the seed and
// the shrunk counterexample on failure), run counts sized so the whole property tier stays well under a minute on
// two busy cores, and a stopwatch that fails a property when one call of a reader takes longer than its bound.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';

const SEED = Number(process.env.FC_SEED ?? 20261202);

/** fast-check parameters: fixed seed, `numRuns` runs (FC_RUNS multiplies them for a longer local run). */
export function params(numRuns: number): fc.Parameters<unknown> {
  const factor = Number(process.env.FC_RUNS_FACTOR ?? 1);
  return { seed: SEED, numRuns: Math.max(1, Math.round(numRuns * factor)) };
}

/** The bound the issue sets for one reader call on any input. */
export const MAX_CALL_MS = 100;

/**
 * Runs `fn`, failing when it takes longer than MAX_CALL_MS; returns its result or the error it threw. A call is
 * too long when both its wall-clock time and this process's CPU time exceed the bound: on a machine shared with
 * other jobs the wall clock also counts time other processes ran, and the CPU time also counts the garbage
 * collector's helper threads; neither alone says the reader is slow.
 */
export function timed<T>(what: string, fn: () => T): { value?: T; error?: unknown } {
  const t0 = process.cpuUsage();
  const w0 = performance.now();
  let out: { value?: T; error?: unknown };
  try {
    out = { value: fn() };
  } catch (e) {
    out = { error: e };
  }
  const wall = performance.now() - w0;
  const cpu = process.cpuUsage(t0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  assert.ok(Math.min(wall, cpuMs) <= MAX_CALL_MS, `${what} took ${wall.toFixed(1)} ms (${cpuMs.toFixed(1)} ms of CPU; bound ${MAX_CALL_MS} ms)`);
  return out;
}

/** Lines joined with a per-line terminator (LF or CRLF), the last one optionally unterminated. */
export function linesText(lines: fc.Arbitrary<string>, maxLength = 14): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.tuple(lines, fc.constantFrom('\n', '\n', '\r\n')), { maxLength }), fc.boolean())
    .map(([ls, terminated]) => ls.map(([l, eol], i) => l + (i === ls.length - 1 && !terminated ? '' : eol)).join(''));
}

/** Text that is almost anything: printable, control characters, non-BMP, lone surrogates, NUL. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom('[', ']', '=', ':', '"', "'", '\n', '\r', ' ', '\t', '#', ';', '<', '>', '/', '\\', '{', '}', '-', 'a', '0', '\u0000', '\uFFFD'),
    maxLength: 120,
  }),
);

/** `base` with a slice replaced by `junk`: valid files with a local defect, which readers must refuse cleanly. */
export function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(base, fc.nat(), fc.nat(), anyText).map(([b, i, n, junk]) => {
    const at = b.length === 0 ? 0 : i % b.length;
    return b.slice(0, at) + junk.slice(0, 40) + b.slice(at + (n % 8));
  });
}
