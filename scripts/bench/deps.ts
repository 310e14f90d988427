// Dependency-check benchmark (issue 12): a 1,000-entry package-lock.json checked against the emulator answering every
// call after 50 ms (`--latency-ms 50`), all 1,000 versions held by the repository. Measures the first check (target:
// at most one control-plane call per dependency, within 4 s), a re-check within the cache window (target: no call)
// and a check after 10 lockfile entries changed (target: 10 calls). Call counts come from the emulator's
// /_emulator/stats. Run: npm run bench (or npx tsx scripts/bench/deps.ts); writes test-output/bench/deps.json and
// exits non-zero when a target is missed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { seed, startEmulator, type Emulator } from 'codeartifact-emulator/testing';
import { CodeArtifact } from '../../src/core/aws/client';
import { CheckCache, checkDependencies } from '../../src/core/deps/check';
import { parsePackageLock } from '../../src/core/install/lockfiles';

const COUNT = 1000;
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const BUDGET_MS = 4000;

function lockfile(names: string[]): string {
  const packages: Record<string, unknown> = { '': { name: 'bench', version: '1.0.0' } };
  for (const n of names) packages[`node_modules/${n}`] = { version: '1.0.0', resolved: `https://example.invalid/npm/${n}/-/${n}-1.0.0.tgz` };
  return JSON.stringify({ name: 'bench', lockfileVersion: 3, packages });
}

async function stats(emu: Emulator): Promise<Record<string, number>> {
  const s = ((await (await fetch(`${emu.url}/_emulator/stats`)).json()) as { stats: Record<string, number> }).stats;
  await fetch(`${emu.url}/_emulator/stats/reset`, { method: 'POST' });
  return s;
}
const calls = (s: Record<string, number>) =>
  Object.entries(s)
    .filter(([k]) => /^[A-Z]/.test(k))
    .reduce((n, [, v]) => n + v, 0);

async function main(): Promise<void> {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-west-2' });
  const emu = await startEmulator({
    port: 0,
    latencyMs: LATENCY_MS,
    seed: seed()
      .domain('acme')
      .repo('npm-store', { externalConnection: 'public:npmjs' })
      .repo('app', { upstreams: ['npm-store'], generatedPackages: { count: 2 * COUNT, prefix: 'lib' } })
      .build(),
  });
  const ca = new CodeArtifact({ region: 'us-west-2', endpoint: emu.url, maxAttempts: 3 });
  const name = (i: number) => `lib-${String(i).padStart(4, '0')}`;
  const names = Array.from({ length: COUNT }, (_, i) => name(i));
  const cache = new CheckCache();
  const repository = { domain: 'acme', repository: 'app' };
  const run = async (text: string) => {
    const started = performance.now();
    const results = await checkDependencies({ client: ca, repository, dependencies: parsePackageLock(text).entries, cache });
    const ms = performance.now() - started;
    const s = await stats(emu);
    const available = results.filter((r) => r.status === 'available').length;
    return { ms, calls: calls(s), byOperation: s, checked: results.length, available };
  };
  try {
    await stats(emu);
    const first = await run(lockfile(names));
    const again = await run(lockfile(names));
    const changedNames = [...names.slice(10), ...Array.from({ length: 10 }, (_, i) => name(COUNT + i))];
    const changed = await run(lockfile(changedNames));
    const rows = [
      { scenario: 'first check', ...first, ok: first.ms <= BUDGET_MS && first.calls <= COUNT + 5 && first.available === COUNT },
      { scenario: 're-check within the cache window', ...again, ok: again.calls === 0 },
      { scenario: 'after 10 lockfile entries changed', ...changed, ok: changed.calls === 10 },
    ];
    console.log(`Dependency check, ${COUNT} locked versions, emulator latency ${LATENCY_MS} ms:`);
    for (const r of rows) {
      console.log(
        `  ${r.ok ? 'ok' : 'MISSED'} ${r.scenario}: ${r.ms.toFixed(0)} ms, ${r.calls} control-plane calls ${JSON.stringify(r.byOperation)}, ${r.available}/${r.checked} available`,
      );
    }
    mkdirSync('test-output/bench', { recursive: true });
    writeFileSync('test-output/bench/deps.json', JSON.stringify({ count: COUNT, latencyMs: LATENCY_MS, budgetMs: BUDGET_MS, rows }, null, 2));
    if (rows.some((r) => !r.ok)) process.exitCode = 1;
  } finally {
    ca.dispose();
    await emu.close();
  }
}

void main();
