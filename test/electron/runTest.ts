// npm run test:electron: the same integration suite (out/integration/index.js) through
// @vscode/test-electron, which downloads desktop VS Code (needs internet; cached in .vscode-test/).
// Offline, use npm run test:integration (code-server + Chromium) instead. Same emulator, seed, settings
// and environment as the code-server runner; on Linux without a display, run it under xvfb-run.
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import {
  baselineSettings,
  editorEnv,
  INTEGRATION_SEED,
  killStragglers,
  makeProfile,
  printResults,
  readResults,
  ROOT,
  run,
  startEmulator,
  stopGroup,
  SUITE_INDEX,
  writeUserSettings,
  type Profile,
  type RunningEmulator,
} from '../../scripts/integration/harness';

const RESULTS_FILE = join(ROOT, 'test-output', 'electron', 'results.json');

async function main(): Promise<number> {
  run(process.execPath, [join(ROOT, 'esbuild.mjs')]);
  run(process.execPath, [join(ROOT, 'scripts', 'integration', 'build-suite.mjs')]);

  let vscodeExecutablePath: string;
  const version = process.env.VSCODE_TEST_VERSION ?? 'stable';
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: join(ROOT, '.vscode-test'), timeout: 20_000 });
  } catch (e) {
    console.error(
      `test:electron: could not download VS Code ${version} (${(e as Error).message}).\n` +
        '@vscode/test-electron needs internet access to update.code.visualstudio.com the first time.\n' +
        'Offline (and in CI) run the same suite with: npm run test:integration',
    );
    return 2;
  }

  let emulator: RunningEmulator | undefined;
  let profile: Profile | undefined;
  try {
    emulator = await startEmulator({ seedFile: INTEGRATION_SEED });
    profile = makeProfile('codeartifact-electron');
    writeUserSettings(profile, baselineSettings(emulator.url));
    const env = editorEnv(profile, emulator.url, {
      CODEARTIFACT_TEST_RESULTS: RESULTS_FILE,
      // The test suites read the terminal environment (it holds the token) through the API; only then is it exported.
      CODEARTIFACT_TEST_API: '1',
      CODEARTIFACT_EXTENSION_MODE: 'development',
      CODEARTIFACT_EXTENSION_ROOT: ROOT,
      CODEARTIFACT_EXTENSIONS_DIR: profile.extensionsDir,
      ...(process.env.CODEARTIFACT_TEST_GREP ? { CODEARTIFACT_TEST_GREP: process.env.CODEARTIFACT_TEST_GREP } : {}),
    });
    // runTests merges process.env under extensionTestsEnv: drop a developer's AWS_* so only the fake keys reach VS Code.
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      console.warn('test:electron: no DISPLAY; desktop VS Code needs one (run: xvfb-run -a npm run test:electron)');
    }
    let code: number;
    try {
      code = await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: ROOT,
        extensionTestsPath: SUITE_INDEX,
        extensionTestsEnv: env,
        launchArgs: [profile.workspace, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--disable-gpu'],
      });
    } catch (e) {
      // runTests rejects with TestRunFailedError when the suite's run() rejected.
      console.error(`test:electron: ${(e as Error).message}`);
      code = 1;
    }
    const results = readResults(RESULTS_FILE);
    let passed = 0;
    let failed = 0;
    if (results) ({ passed, failed } = printResults(results, 'Integration suite in VS Code (test-electron)'));
    else console.log(`no results file (${RESULTS_FILE}): the suite did not load`);
    if (code !== 0 && failed === 0) failed = 1;
    console.log(`${passed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  } finally {
    await stopGroup(emulator?.child);
    if (profile) {
      await killStragglers(profile.root);
      profile.dispose();
    }
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`test:electron: ${(e as Error)?.stack ?? String(e)}`);
    process.exit(1);
  },
);
