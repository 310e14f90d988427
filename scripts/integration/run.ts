// npm run test:integration [-- --dev] [--grep RE] [--no-ui] [--no-suite] [--no-build] [--no-install] [--timeout-ms N]
//
// Runs the mocha suite (test/integration/suite) inside real VS Code: code-server in headless Chromium
// (playwright-core), the extension talking to the emulator started from test/integration/seed.json.
// By default the packaged .vsix is installed into code-server and tested (what users install is what
// is tested); --dev loads the extension from the source folder (extensionDevelopmentPath) instead.
// Then the UI tests (test/integration/ui/*.ui.ts) drive the same browser (--grep selects them by "ui: NAME" too;
// --no-suite --grep RE runs only the UI tests it matches). Prints every test and a
// final line "N passed, N failed"; exits non-zero on any failure or when the whole run times out.
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Workbench, type UiTest } from '../../test/integration/ui/workbench';
import {
  baselineSettings,
  buildAll,
  editorEnv,
  freePort,
  installCodeServer,
  installVsix,
  INTEGRATION_SEED,
  killStragglers,
  log,
  makeProfile,
  printResults,
  readResults,
  ROOT,
  startCodeServer,
  startEmulator,
  stopGroup,
  SUITE_INDEX,
  VSIX,
  writeUserSettings,
  type CodeServer,
  type Profile,
  type RunningEmulator,
} from './harness';

interface Options {
  mode: 'vsix' | 'development';
  grep?: string;
  ui: boolean;
  suite: boolean;
  build: boolean;
  install: boolean;
  timeoutMs: number;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { mode: 'vsix', ui: true, suite: true, build: true, install: true, timeoutMs: 10 * 60_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dev') o.mode = 'development';
    else if (a === '--vsix') o.mode = 'vsix';
    else if (a === '--no-ui') o.ui = false;
    else if (a === '--no-suite') o.suite = false;
    else if (a === '--no-build') o.build = false;
    else if (a === '--no-install') o.install = false;
    else if (a === '--grep') o.grep = argv[++i];
    else if (a === '--timeout-ms') o.timeoutMs = Number(argv[++i]);
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUTPUT = join(ROOT, 'test-output');
const RESULTS_FILE = join(OUTPUT, 'integration', 'results.json');
const BROWSER_LOG = join(OUTPUT, 'integration', 'browser-console.log');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** The workbench URL; `payload` entries are VS Code's launch options (extensionDevelopmentPath, ...). */
export function workbenchUrl(cs: CodeServer, folder: string, payload: [string, string][] = []): string {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${cs.port}${p}`;
  const entries = payload.map(([k, v]) => [k, k.endsWith('Path') ? remote(v) : v]);
  const q = `?folder=${encodeURIComponent(folder)}`;
  return `${cs.base}/${q}${entries.length ? `&payload=${encodeURIComponent(JSON.stringify(entries))}` : ''}`;
}

function recordConsole(page: Page, tag: string): void {
  page.on('console', (m) => {
    const text = m.text();
    appendFileSync(BROWSER_LOG, `[${tag}] ${m.type()}: ${text}\n`);
  });
  page.on('pageerror', (e) => appendFileSync(BROWSER_LOG, `[${tag}] pageerror: ${e.message}\n`));
}

/**
 * A folder to use as extensionDevelopmentPath when testing the installed .vsix: VS Code only runs
 * extensionTestsPath in extension-development mode, so we give it an empty extension to "develop".
 */
function hostExtension(profile: Profile): string {
  const dir = join(profile.root, 'test-host-extension');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'integration-test-host', publisher: 'test', version: '0.0.0', engines: { vscode: '*' } }));
  return dir;
}

async function runSuite(browser: Browser, cs: CodeServer, devPath: string, workspace: string, timeoutMs: number): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  recordConsole(page, 'suite');
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  // The workbench calls these when extensionTestsPath's run() settles (0 = resolved).
  await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(Number(code)));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => appendFileSync(BROWSER_LOG, `[suite] ${type}: ${JSON.stringify(args)}\n`));
  const url = workbenchUrl(cs, workspace, [
    ['extensionDevelopmentPath', devPath],
    ['extensionTestsPath', SUITE_INDEX],
    ['skipWelcome', 'true'],
  ]);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`the suite did not finish within ${timeoutMs} ms (see ${BROWSER_LOG})`)), timeoutMs)),
  );
  try {
    return await Promise.race([exited, timeout]);
  } finally {
    clearTimeout(timer);
    await page.close().catch(() => undefined);
  }
}

async function runUiTests(
  browser: Browser,
  cs: CodeServer,
  devPath: string | undefined,
  profile: Profile,
  emulatorUrl: string,
  grep?: string,
): Promise<{ passed: number; failed: number }> {
  const workspace = profile.workspace;
  const dir = join(ROOT, 'test', 'integration', 'ui');
  const wanted = grep ? new RegExp(grep) : undefined;
  const tests: { f: string; test?: UiTest; name: string }[] = [];
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.ui.ts'))
    .sort()) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as Partial<UiTest> & { default?: Partial<UiTest> };
    const test = (mod.run ? mod : mod.default) as UiTest | undefined;
    const name = test?.name ?? f;
    // --grep selects UI tests by "ui: NAME" as it selects suite tests by title.
    if (!wanted || wanted.test(`ui: ${name}`)) tests.push({ f, test, name });
  }
  const outputDir = join(OUTPUT, 'ui');
  mkdirSync(outputDir, { recursive: true });
  const counts = { passed: 0, failed: 0 };
  if (tests.length === 0) return counts;
  console.log('\nUI tests (Chromium, code-server):');
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  recordConsole(page, 'ui');
  const workbench = new Workbench(page, ROOT);
  try {
    await workbench.open(
      workbenchUrl(
        cs,
        workspace,
        devPath
          ? [
              ['extensionDevelopmentPath', devPath],
              ['skipWelcome', 'true'],
            ]
          : [['skipWelcome', 'true']],
      ),
    );
  } catch (e) {
    console.log(`  FAIL  opening the workbench: ${(e as Error).message}`);
    await page.close().catch(() => undefined);
    return { passed: 0, failed: tests.length };
  }
  for (const { f, test, name } of tests) {
    const started = Date.now();
    try {
      if (!test?.run) throw new Error(`${f} exports no run(ctx)`);
      await test.run({
        page,
        workbench,
        root: ROOT,
        outputDir,
        emulatorUrl,
        home: profile.home,
        settings: async (values) => writeUserSettings(profile, { ...baselineSettings(emulatorUrl), ...values }, { machine: true }),
        log: (m) => console.log(`        ${m}`),
      });
      console.log(`  pass  ui: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      counts.passed++;
    } catch (e) {
      const shot = join(outputDir, `${f.replace(/\.ui\.ts$/, '')}-failure.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      console.log(`  FAIL  ui: ${name}\n        ${String((e as Error).message ?? e).replace(/\n/g, '\n        ')}\n        screenshot: ${shot}`);
      counts.failed++;
    }
  }
  await page.close().catch(() => undefined);
  return counts;
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv.slice(2));
  const started = Date.now();
  if (opts.install) installCodeServer();
  if (opts.build) buildAll({ packageVsix: opts.mode === 'vsix' });
  if (!existsSync(SUITE_INDEX)) throw new Error(`${SUITE_INDEX} is missing: run without --no-build`);
  rmSync(join(OUTPUT, 'integration'), { recursive: true, force: true });
  mkdirSync(join(OUTPUT, 'integration'), { recursive: true });

  let emulator: RunningEmulator | undefined;
  let cs: CodeServer | undefined;
  let browser: Browser | undefined;
  let profile: Profile | undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await browser?.close().catch(() => undefined);
    await stopGroup(cs?.child);
    await stopGroup(emulator?.child);
    if (profile) {
      const left = await killStragglers(profile.root);
      if (left.length) log(`killed ${left.length} leftover process(es): ${left.join(', ')}`);
      profile.dispose();
    }
  };
  // Bound the whole run; a hung workbench must not hang CI.
  const overall = setTimeout(() => {
    console.error(`\n[integration] timed out after ${opts.timeoutMs} ms; stopping everything`);
    void cleanup().finally(() => process.exit(124));
  }, opts.timeoutMs);
  const onSignal = (sig: NodeJS.Signals) => void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    emulator = await startEmulator({ seedFile: INTEGRATION_SEED });
    log(`emulator at ${emulator.url}`);
    profile = makeProfile('codeartifact-it');
    writeFileSync(join(profile.workspace, 'package.json'), JSON.stringify({ name: 'integration-workspace', version: '1.0.0', private: true }, null, 2));
    writeUserSettings(profile, baselineSettings(emulator.url));
    const env = editorEnv(profile, emulator.url, {
      CODEARTIFACT_TEST_RESULTS: RESULTS_FILE,
      // The test suites read the terminal environment (it holds the token) through the API; only then is it exported.
      CODEARTIFACT_TEST_API: '1',
      CODEARTIFACT_EXTENSION_MODE: opts.mode,
      CODEARTIFACT_EXTENSION_ROOT: ROOT,
      CODEARTIFACT_EXTENSIONS_DIR: profile.extensionsDir,
      ...(opts.grep ? { CODEARTIFACT_TEST_GREP: opts.grep } : {}),
    });
    let devPath = ROOT;
    if (opts.mode === 'vsix') {
      if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run without --no-build (npm run package makes it)`);
      installVsix(profile, env);
      devPath = hostExtension(profile);
    }
    cs = await startCodeServer(profile, await freePort(), env, profile.workspace, join(OUTPUT, 'integration', 'code-server.log'));
    log(`code-server at ${cs.base} (extension ${opts.mode === 'vsix' ? 'installed from the .vsix' : 'from the source folder'})`);
    browser = await launchBrowser();

    let passed = 0;
    let failed = 0;
    if (opts.suite) {
      const t0 = Date.now();
      const code = await runSuite(browser, cs, devPath, profile.workspace, Math.max(30_000, opts.timeoutMs - (Date.now() - started) - 60_000));
      const results = readResults(RESULTS_FILE);
      if (results) {
        ({ passed, failed } = printResults(results, `Integration suite in code-server (${((Date.now() - t0) / 1000).toFixed(1)} s with start-up)`));
      } else {
        console.log(`\nIntegration suite: no results file (${RESULTS_FILE}); the suite did not load. See ${BROWSER_LOG}.`);
      }
      if (code !== 0 && failed === 0) failed = 1; // the suite failed outside any test (loading, no tests)
    }

    if (opts.ui) {
      // The suite may have changed settings; the UI tests start from the baseline again.
      writeUserSettings(profile, baselineSettings(emulator.url), { machine: true });
      const ui = await runUiTests(browser, cs, opts.mode === 'development' ? ROOT : undefined, profile, emulator.url, opts.grep);
      passed += ui.passed;
      failed += ui.failed;
    }
    console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s in all; logs in test-output/integration/)`);
    console.log(`${passed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  } finally {
    clearTimeout(overall);
    await cleanup();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`[integration] ${(e as Error)?.stack ?? String(e)}`);
      process.exit(1);
    },
  );
}
