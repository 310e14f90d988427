// Install benchmark (issue 6): one emulator, one set of settings (ingestion delay 3 s, request timeout 1 s), a tree
// of 160 public npm packages whose lockfile was made a while ago: it pins 1.0.0 everywhere while the public
// registry has moved on to 1.1.0, so ingesting the newest versions does not bring the ones the lockfile asks
// for (the usual case with a committed lockfile). Compared three ways, each in a domain of its own so every run
// ingests from scratch:
//   (a) manual   - rerun `npm install` right after each failure, as a developer does by hand
//   (b) retry    - the extension's retry loop alone (backoff with jitter), no pre-warm
//   (c) prewarm  - pre-warm every lockfile entry concurrently, then one install
// plus (d) one clean install of the same tree once everything is ingested, the yardstick for (c).
// Run: npm run bench (or npx tsx scripts/bench/install.ts). Prints a table and writes test-output/bench/install.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installCommand } from '../../src/core/install/commands';
import { parsePackageLock } from '../../src/core/install/lockfiles';
import { prewarm } from '../../src/core/install/prewarm';
import { installWithRetry } from '../../src/core/install/retry';
import { issueToken, startEmulator, type Emulator } from 'codeartifact-emulator/testing';

const DELAY_MS = Number(process.env.BENCH_INGESTION_DELAY_MS ?? 3000);
const TIMEOUT_MS = Number(process.env.BENCH_INGESTION_TIMEOUT_MS ?? 1000);
const ROOT = 'bench-lib-000';
const LIBS = 160;
const OWNER = '111122223333';
const DOMAINS = ['bench-lock', 'bench-a', 'bench-b', 'bench-c'];

/** bench-lib-000 .. -159 as a binary tree (i depends on 2i+1 and 2i+2 with ^1.0.0). */
function libs(versions: string[]) {
  const name = (i: number) => `bench-lib-${String(i).padStart(3, '0')}`;
  return Array.from({ length: LIBS }, (_, i) => ({
    name: name(i),
    versions: versions.map((version, v) => ({
      version,
      publishedTime: `${2020 + v}-01-01T00:00:00Z`,
      dependencies: Object.fromEntries([2 * i + 1, 2 * i + 2].filter((j) => j < LIBS).map((j) => [name(j), '^1.0.0'])),
    })),
  }));
}

interface Row {
  scenario: string;
  wallSeconds: number;
  installRuns: number;
  packages?: number;
  note?: string;
}

function seed(versions: string[]) {
  return {
    accountId: OWNER,
    publicPackages: { npm: libs(versions), npmTree: { root: 'tree-root', prefix: 'tree-node', size: 0 } },
    domains: DOMAINS.map((name) => ({
      name,
      repositories: [
        { name: 'npm-store', externalConnection: 'public:npmjs' },
        { name: 'app', upstreams: ['npm-store'] },
      ],
    })),
  };
}

function endpoint(emu: Emulator, domain: string): string {
  return `${emu.url}/npm/d/${domain}-${OWNER}/app/`;
}

/** A project folder with its own user config (HOME), npm cache and .npmrc pointing at `domain`. */
function setup(emu: Emulator, domain: string, lock?: string): { dir: string; env: NodeJS.ProcessEnv; token: string } {
  const dir = mkdtempSync(join(tmpdir(), `bench-${domain}-`));
  const home = join(dir, 'home');
  mkdirSync(home);
  const d = emu.ctx.state.domains[`${OWNER}/${domain}`];
  const token = issueToken(emu.ctx.state, emu.ctx.clock, d, 43200).token;
  const ep = endpoint(emu, domain);
  writeFileSync(join(home, '.npmrc'), `registry=${ep}\n${ep.replace(/^http:/, '')}:_authToken=${token}\n`, { mode: 0o600 });
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bench', version: '1.0.0', private: true, dependencies: { [ROOT]: '^1.0.0' } }));
  if (lock) writeFileSync(join(project, 'package-lock.json'), lock);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    npm_config_cache: join(dir, 'cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  return { dir: project, env, token };
}

/** Runs `npm install` asynchronously: the emulator serves from this same process, so nothing may block it. */
function npmInstall(dir: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['install'], { cwd: dir, env, stdio: 'ignore' });
    child.on('close', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const cleanup: string[] = [];
  // The lockfile in git, made last year when only 1.0.0 existed (an emulator of its own, instant ingestion).
  const lastYear = await startEmulator({ seed: seed(['1.0.0']), ingestionDelayMs: 0 });
  let oldLock: string;
  try {
    const maker = setup(lastYear, 'bench-lock');
    cleanup.push(join(maker.dir, '..'));
    if ((await npmInstall(maker.dir, maker.env)) !== 0) throw new Error('could not make the lockfile');
    oldLock = readFileSync(join(maker.dir, 'package-lock.json'), 'utf8').split(lastYear.url).join('ORIGIN');
  } finally {
    await lastYear.close();
  }
  const emu = await startEmulator({ seed: seed(['1.0.0', '1.1.0']), ingestionDelayMs: DELAY_MS, ingestionTimeoutMs: TIMEOUT_MS });
  try {
    const lockFor = (domain: string) => oldLock.split(`ORIGIN/npm/d/bench-lock-${OWNER}/app/`).join(`${emu.url}/npm/d/${domain}-${OWNER}/app/`);
    const lockText = lockFor('bench-lock');
    const entries = parsePackageLock(lockText).entries;
    if (entries.length < 150 || entries.some((e) => e.version !== '1.0.0')) throw new Error(`unexpected lockfile: ${entries.length} entries`);

    // (d) is measured first, in bench-lock, with instant ingestion; then the real settings apply.
    emu.ctx.options.ingestionDelayMs = 0;
    emu.ctx.options.ingestionTimeoutMs = 40000;
    const warm = setup(emu, 'bench-lock', lockText);
    cleanup.push(join(warm.dir, '..'));
    if ((await npmInstall(warm.dir, warm.env)) !== 0) throw new Error('could not ingest the tree for the clean install');

    // (d) a clean install: everything ingested already, empty cache and node_modules.
    const clean = setup(emu, 'bench-lock', lockText);
    cleanup.push(join(clean.dir, '..'));
    let t = Date.now();
    if ((await npmInstall(clean.dir, clean.env)) !== 0) throw new Error('clean install failed');
    const cleanSeconds = (Date.now() - t) / 1000;

    emu.ctx.options.ingestionDelayMs = DELAY_MS;
    emu.ctx.options.ingestionTimeoutMs = TIMEOUT_MS;

    // (a) manual: rerun right after each failure.
    const a = setup(emu, 'bench-a', lockFor('bench-a'));
    cleanup.push(join(a.dir, '..'));
    t = Date.now();
    let runs = 0;
    for (;;) {
      runs++;
      if ((await npmInstall(a.dir, a.env)) === 0) break;
      if (runs > 200) throw new Error('manual reruns did not converge');
    }
    rows.push({ scenario: '(a) manual: rerun npm install after each failure', wallSeconds: (Date.now() - t) / 1000, installRuns: runs });

    // (b) the retry loop alone.
    const b = setup(emu, 'bench-b', lockFor('bench-b'));
    cleanup.push(join(b.dir, '..'));
    t = Date.now();
    const rb = await installWithRetry({ command: installCommand(b.dir, 'npm'), env: b.env, maxWaitSeconds: 900, secrets: [b.token] });
    if (rb.outcome !== 'success') throw new Error(`(b) ended ${rb.outcome}: ${rb.message}`);
    rows.push({ scenario: '(b) install with retry (backoff + jitter)', wallSeconds: (Date.now() - t) / 1000, installRuns: rb.attempts });

    // (c) pre-warm, then install once.
    const c = setup(emu, 'bench-c', lockFor('bench-c'));
    cleanup.push(join(c.dir, '..'));
    t = Date.now();
    const pw = await prewarm({ entries, endpoints: { npm: endpoint(emu, 'bench-c') }, token: c.token, maxWaitSeconds: 900 });
    const prewarmSeconds = (Date.now() - t) / 1000;
    const rc = await installWithRetry({ command: installCommand(c.dir, 'npm'), env: c.env, maxWaitSeconds: 900, secrets: [c.token] });
    if (rc.outcome !== 'success') throw new Error(`(c) ended ${rc.outcome}: ${rc.message}`);
    rows.push({
      scenario: '(c) pre-warm, then install',
      wallSeconds: (Date.now() - t) / 1000,
      installRuns: rc.attempts,
      packages: pw.total,
      note: `pre-warm ${prewarmSeconds.toFixed(1)} s (${pw.ready.length}/${pw.total} ready, ${pw.requests} requests)`,
    });
    rows.push({ scenario: '(d) clean install, all ingested (yardstick)', wallSeconds: cleanSeconds, installRuns: 1 });

    const budget = 2 * (DELAY_MS / 1000) + cleanSeconds;
    console.log(`\nInstall benchmark: ${entries.length} npm packages pinned by an older lockfile, ingestion delay ${DELAY_MS} ms, request timeout ${TIMEOUT_MS} ms\n`);
    console.log(`${'scenario'.padEnd(52)} ${'wall s'.padStart(8)} ${'installs'.padStart(9)}  note`);
    for (const r of rows) console.log(`${r.scenario.padEnd(52)} ${r.wallSeconds.toFixed(1).padStart(8)} ${String(r.installRuns).padStart(9)}  ${r.note ?? ''}`);
    const cRow = rows[2];
    console.log(
      `\n(c) ${cRow.wallSeconds.toFixed(1)} s against the target of about 2 x ingestion delay + one clean install = ${budget.toFixed(1)} s: ${cRow.wallSeconds <= budget * 1.25 ? 'within' : 'OVER'}`,
    );
    mkdirSync('test-output/bench', { recursive: true });
    writeFileSync('test-output/bench/install.json', JSON.stringify({ delayMs: DELAY_MS, timeoutMs: TIMEOUT_MS, packages: entries.length, rows, budgetSeconds: budget }, null, 2));
  } finally {
    await emu.close();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
