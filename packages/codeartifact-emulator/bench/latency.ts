// `npm run bench` (root) part 1: the emulator's latencies against their targets. The tests assert order
// and counts; how long things take is measured here, as the median of several runs on a fresh emulator
// each, and a missed target makes this exit 1. Prints measured vs target; writes
// test-output/bench/emulator.json (relative to the working directory) for scripts/bench/report.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { endpoint, npmPackage, seed, startEmulator, tokenFor, type EmulatorOptions } from '../src/testing';

const RUNS = Number(process.env.EMULATOR_BENCH_RUNS ?? 5);
/** What the emulator may add to a request on top of the delays it was told to make (fixtures, tarballs, loopback). */
const OVERHEAD_MS = 50;
const OUT = resolve(process.env.EMULATOR_BENCH_OUT ?? 'test-output/bench/emulator.json');

interface Row {
  name: string;
  medianMs: number;
  runsMs: number[];
  minMs: number;
  maxMs: number;
  ok: boolean;
}

const benchSeed = () =>
  seed()
    .publicPackages({ npm: [{ name: 'slow-pkg', ingestionDelayMs: 400, versions: [{ version: '1.0.0' }] }] })
    .domain('acme')
    .repo('npm-store', { externalConnection: 'public:npmjs' })
    .repo('app', { upstreams: ['npm-store'], packages: [npmPackage('held', ['1.0.0'])] })
    .build();

/** Time of one registry GET on a fresh emulator, after a warm-up request (first connection, fixtures). */
async function once(opts: EmulatorOptions, pkg: string, expectStatus: number): Promise<number> {
  const emu = await startEmulator({ seed: benchSeed(), ...opts });
  try {
    const token = await tokenFor(emu);
    const url = (p: string) => `${endpoint(emu, 'npm', 'app')}${p}`;
    const get = async (p: string) => {
      const t0 = performance.now();
      const res = await fetch(url(p), { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - t0 };
    };
    await get('no-such-package');
    const r = await get(pkg);
    if (r.status !== expectStatus) throw new Error(`${pkg}: HTTP ${r.status}, expected ${expectStatus}`);
    return r.ms;
  } finally {
    await emu.close();
  }
}

async function measure(name: string, minMs: number, maxMs: number, run: () => Promise<number>): Promise<Row> {
  const runsMs: number[] = [];
  for (let i = 0; i < RUNS; i++) runsMs.push(await run());
  const sorted = [...runsMs].sort((a, b) => a - b);
  const medianMs = sorted[Math.floor(sorted.length / 2)];
  const row = { name, medianMs, runsMs, minMs, maxMs, ok: medianMs >= minMs && medianMs <= maxMs };
  console.log(`${row.ok ? 'ok    ' : 'MISSED'} ${name}: median ${medianMs.toFixed(0)} ms (runs ${runsMs.map((m) => m.toFixed(0)).join(', ')}), target ${minMs}-${maxMs} ms`);
  return row;
}

async function main(): Promise<void> {
  console.log(`== Emulator latencies (median of ${RUNS} runs) ==`);
  const rows = [
    // A request that may wait gets the package after the ingestion delay, plus at most 50 ms of work.
    await measure('ingestion, --ingestion-delay-ms 300', 300, 300 + OVERHEAD_MS, () => once({ ingestionDelayMs: 300, ingestionTimeoutMs: 60_000 }, 'is-even', 200)),
    // A request that may not wait answers "Ingestion is in progress" at the timeout, plus at most 50 ms.
    await measure('"in progress" 404, --ingestion-timeout-ms 150', 150, 150 + OVERHEAD_MS, () => once({ ingestionDelayMs: 60_000, ingestionTimeoutMs: 150 }, 'is-even', 404)),
    // A seed's per-package delay (400 ms) wins over the flag (0), plus at most 50 ms.
    await measure('per-package ingestion delay 400 from the seed', 400, 400 + OVERHEAD_MS, () => once({ ingestionDelayMs: 0, ingestionTimeoutMs: 60_000 }, 'slow-pkg', 200)),
    // --latency-ms adds that much to an answer, plus at most 50 ms.
    await measure('--latency-ms 200 on a held package', 200, 200 + OVERHEAD_MS, () => once({ latencyMs: 200 }, 'held', 200)),
    // A package the repository holds is served at once.
    await measure('held package, no faults', 0, OVERHEAD_MS, () => once({}, 'held', 200)),
  ];
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({ runs: RUNS, rows }, null, 2));
  const missed = rows.filter((r) => !r.ok);
  if (missed.length) {
    console.error(`emulator bench: ${missed.length} target(s) missed: ${missed.map((r) => r.name).join('; ')}`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
