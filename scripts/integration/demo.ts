// npm run demo [-- --port N]
// A sandbox in one command: builds and packages the extension, starts the emulator with the demo seed
// (scripts/integration/demo-seed.json: acme/app with npm, Maven and PyPI upstreams), installs the .vsix into
// code-server (fake AWS keys, settings pointing at the emulator, a copy of test/integration/demo-workspace, which
// names acme/app in its settings and holds an npm and a Maven project whose public dependencies are not ingested
// yet) and prints the URL to open. The walkthrough's steps can each be tried there. Ctrl-C stops it all.
import { join } from 'node:path';
import {
  baselineSettings,
  editorEnv,
  installCodeServer,
  installVsix,
  killStragglers,
  makeProfile,
  ROOT,
  run,
  startCodeServer,
  startEmulator,
  stopGroup,
  writeUserSettings,
  type CodeServer,
  type Profile,
  type RunningEmulator,
} from './harness';

function parsePort(argv: string[]): number {
  const i = argv.indexOf('--port');
  if (i < 0) return Number(process.env.PORT ?? 8080);
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`--port: expected 1..65535, got ${argv[i + 1]}`);
  return n;
}

async function main(): Promise<void> {
  const port = parsePort(process.argv.slice(2));
  installCodeServer();
  run('npm', ['run', '--silent', 'package']);

  let emulator: RunningEmulator | undefined;
  let cs: CodeServer | undefined;
  let profile: Profile | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping code-server and the emulator...');
    await stopGroup(cs?.child);
    await stopGroup(emulator?.child);
    if (profile) {
      await killStragglers(profile.root);
      profile.dispose();
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    emulator = await startEmulator({ seedFile: join(ROOT, 'scripts', 'integration', 'demo-seed.json') });
    profile = makeProfile('codeartifact-demo', join(ROOT, 'test', 'integration', 'demo-workspace'));
    writeUserSettings(profile, baselineSettings(emulator.url));
    const env = editorEnv(profile, emulator.url);
    installVsix(profile, env);
    cs = await startCodeServer(profile, port, env, profile.workspace, join(ROOT, 'test-output', 'demo', 'code-server.log'));
  } catch (e) {
    console.error(`demo: ${(e as Error).message}`);
    await stop(1);
    return;
  }
  cs.child.once('exit', (code) => {
    if (stopping) return;
    console.error(`demo: code-server exited (${code}); see test-output/demo/code-server.log`);
    void stop(1);
  });
  emulator.child.once('exit', (code) => {
    if (stopping) return;
    console.error(`demo: the emulator exited (${code})`);
    void stop(1);
  });
  console.log(`
CodeArtifact Explorer demo
  emulator:   ${emulator.url} (demo seed: domains acme and sandbox; the workspace uses acme/app)
  workspace:  ${profile.workspace}
  AWS keys:   fake (AKIDEXAMPLE), region us-west-2

  Open ${cs.base}/?folder=${encodeURIComponent(profile.workspace)}
  and click the CodeArtifact icon in the activity bar (or run "Welcome: Open Walkthrough…" →
  "Get started with CodeArtifact"). Ctrl-C stops everything.
`);
}

void main();
