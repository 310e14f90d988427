// Pieces shared by the integration runner (code-server + Chromium), the test-electron runner and
// `npm run demo`: building and packaging, the emulator as a child process, a throw-away VS Code
// profile (user data, extensions, HOME, workspace) and stopping every process we started.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { EMULATOR_BIN } from 'codeartifact-emulator/testing';

export const ROOT = resolve(__dirname, '..', '..');
export const CODE_SERVER_BIN = join(ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
export const SUITE_INDEX = join(ROOT, 'out', 'integration', 'index.js');
export const VSIX = join(ROOT, 'out', 'codeartifact-explorer.vsix');
export const INTEGRATION_SEED = join(ROOT, 'test', 'integration', 'seed.json');
export const REGION = 'us-west-2';

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  contributes?: {
    viewsContainers?: Record<string, { id: string; title: string }[]>;
    configuration?: { properties?: Record<string, unknown> } | { properties?: Record<string, unknown> }[];
  };
}

export function manifest(): Manifest {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
}

export function extensionId(): string {
  const m = manifest();
  return `${m.publisher}.${m.name}`;
}

export function log(msg: string): void {
  console.log(`[integration] ${msg}`);
}

/** Runs a command to completion with inherited output; throws when it fails. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): void {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, stdio: 'inherit', env: opts.env ?? process.env });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

export function installCodeServer(): void {
  run('bash', [join(ROOT, 'scripts', 'install-code-server.sh')]);
}

/** Production bundle + .vsix (npm run package) + the bundled suite (out/integration). */
export function buildAll(opts: { packageVsix: boolean }): void {
  if (opts.packageVsix) run('npm', ['run', '--silent', 'package']);
  else run(process.execPath, [join(ROOT, 'esbuild.mjs'), '--production']);
  run(process.execPath, [join(ROOT, 'scripts', 'integration', 'build-suite.mjs')]);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Sends a signal to a child's whole process group (children were spawned `detached`, so pgid = pid). */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group, then SIGKILL after `graceMs` if anything of it is still there. */
export async function stopGroup(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  const pid = child?.pid;
  if (!pid) return;
  if (!signalGroup(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid) && !groupAlive(pid)) return;
    await sleep(100);
  }
  signalGroup(pid, 'SIGKILL');
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Processes whose command line mentions `marker` (our unique temp folder). Anything VS Code started
 * in a new session (setsid) escapes the process group; this finds it so nothing is left behind.
 */
export function processesMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const cwd = (() => {
        try {
          return readlinkSync(`/proc/${name}/cwd`);
        } catch {
          return '';
        }
      })();
      if (cmdline.includes(marker) || cwd.startsWith(marker)) pids.push(Number(name));
    } catch {
      // gone already
    }
  }
  return pids;
}

export async function killStragglers(marker: string): Promise<number[]> {
  const found = processesMentioning(marker);
  for (const pid of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  if (found.length) await sleep(200);
  return found;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Waits until `pattern` matches a line of the child's stdout/stderr; rejects on exit or timeout.
 * Output is kept (last 200 lines) for error messages and echoed when `echo` is set.
 */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, what: string, echo?: (line: string) => void): Promise<RegExpExecArray> {
  return new Promise((resolveMatch, reject) => {
    const tail: string[] = [];
    let done = false;
    const finish = (err?: Error, m?: RegExpExecArray) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolveMatch(m!);
    };
    const timer = setTimeout(() => finish(new Error(`${what}: nothing matched ${pattern} within ${timeoutMs} ms. Output:\n${tail.join('\n')}`)), timeoutMs);
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 200) tail.shift();
      echo?.(line);
      const m = pattern.exec(line);
      if (m) finish(undefined, m);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
    }
    const onExit = (code: number | null, signal: string | null) => finish(new Error(`${what} exited (${code ?? signal}) before it was ready. Output:\n${tail.join('\n')}`));
    child.once('exit', onExit);
  });
}

export interface RunningEmulator {
  url: string;
  child: ChildProcess;
}

/** Starts the `codeartifact-emulator` bin as its own process group; no seed file = the built-in demo seed. */
export async function startEmulator(opts: { seedFile?: string; port?: number; echo?: boolean } = {}): Promise<RunningEmulator> {
  const args = [EMULATOR_BIN, '--port', String(opts.port ?? 0)];
  if (opts.seedFile) args.push('--seed', opts.seedFile);
  const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const m = await waitForOutput(child, /CodeArtifact emulator listening on (http:\/\/\S+)/, 30_000, 'emulator', opts.echo ? (l) => console.log(`[emulator] ${l}`) : undefined);
    // Keep draining its output so a chatty emulator never blocks on a full pipe.
    child.stdout?.resume();
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[emulator] ${d.toString()}`));
    return { url: m[1], child };
  } catch (e) {
    await stopGroup(child);
    throw e;
  }
}

export interface Profile {
  /** Unique temp folder holding everything below; removed by dispose(). */
  root: string;
  userDataDir: string;
  extensionsDir: string;
  home: string;
  workspace: string;
  dispose(): void;
}

/** The settings every run starts from: the extension talks to the emulator, VS Code stays quiet offline. */
export function baselineSettings(emulatorUrl: string): Record<string, unknown> {
  return {
    'codeartifact.endpoint': emulatorUrl,
    'codeartifact.region': REGION,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
  };
}

export function writeUserSettings(profile: Profile, settings: Record<string, unknown>, opts: { machine?: boolean } = {}): void {
  // code-server is a remote: a Machine settings file, where there is one, wins over the User one for machine-scoped
  // settings (codeartifact.endpoint, caFile). The suite changes settings through the API (User), so it starts with
  // none; the UI tests, which restart the window on files they write, write both.
  for (const d of opts.machine ? ['User', 'Machine'] : ['User']) {
    const dir = join(profile.userDataDir, d);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}

export function makeProfile(prefix: string, workspaceFrom?: string): Profile {
  const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const p: Profile = {
    root,
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    home: join(root, 'home'),
    workspace: join(root, 'workspace'),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const d of [p.userDataDir, p.extensionsDir, p.home, p.workspace]) mkdirSync(d, { recursive: true });
  if (workspaceFrom) cpSync(workspaceFrom, p.workspace, { recursive: true });
  return p;
}

/**
 * Environment of the editor (and so of the extension host): fake AWS keys, HOME in the profile so
 * anything the extension writes (~/.npmrc, ~/.aws) stays there, the emulator URL for the suites.
 * Inherited AWS_* variables are dropped so a developer's real credentials never reach a test.
 */
export function editorEnv(profile: Profile, emulatorUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('AWS_') && !k.startsWith('CODEARTIFACT_') && !k.startsWith('npm_') && !k.startsWith('VSCODE_')) env[k] = v;
  }
  return {
    ...env,
    HOME: profile.home,
    XDG_CONFIG_HOME: join(profile.home, '.config'),
    XDG_DATA_HOME: join(profile.home, '.local', 'share'),
    XDG_CACHE_HOME: join(profile.home, '.cache'),
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-for-the-emulator',
    AWS_EC2_METADATA_DISABLED: 'true',
    CODEARTIFACT_EMULATOR_URL: emulatorUrl,
    ...extra,
  };
}

export interface ResultEntry {
  title: string;
  fullTitle: string;
  error?: string;
  stack?: string;
}
export interface ResultsFile {
  passes: ResultEntry[];
  failures: ResultEntry[];
  pending: ResultEntry[];
  durationMs: number;
  vscodeVersion?: string;
}

export function readResults(file: string): ResultsFile | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ResultsFile;
}

/** Prints one line per test (and the error under each failure); returns the counts. */
export function printResults(results: ResultsFile, label: string): { passed: number; failed: number } {
  console.log(`\n${label}${results.vscodeVersion ? ` (VS Code ${results.vscodeVersion})` : ''}, ${(results.durationMs / 1000).toFixed(1)} s:`);
  for (const t of results.passes) console.log(`  pass  ${t.fullTitle}`);
  for (const t of results.pending) console.log(`  skip  ${t.fullTitle}`);
  for (const t of results.failures) {
    console.log(`  FAIL  ${t.fullTitle}`);
    const detail = (t.stack ?? t.error ?? '').split('\n').slice(0, 12).join('\n');
    console.log(detail.replace(/^/gm, '        '));
  }
  return { passed: results.passes.length, failed: results.failures.length };
}

export interface CodeServer {
  child: ChildProcess;
  port: number;
  base: string;
}

/** Starts code-server on 127.0.0.1 with the profile's user-data and extensions folders. */
export async function startCodeServer(profile: Profile, port: number, env: NodeJS.ProcessEnv, folder: string, logFile: string): Promise<CodeServer> {
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    profile.userDataDir,
    '--extensions-dir',
    profile.extensionsDir,
    folder,
  ];
  const child = spawn(CODE_SERVER_BIN, args, { cwd: profile.root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitForOutput(child, /HTTP server listening on/, 60_000, 'code-server');
  } catch (e) {
    await stopGroup(child);
    throw e;
  }
  // Drain the rest of its output into the log file (it is chatty about the offline gallery).
  mkdirSync(dirname(logFile), { recursive: true });
  const sink = (d: Buffer) => appendFileSync(logFile, d);
  child.stdout?.on('data', sink);
  child.stderr?.on('data', sink);
  return { child, port, base: `http://127.0.0.1:${port}` };
}

export function installVsix(profile: Profile, env: NodeJS.ProcessEnv, vsix = VSIX): void {
  run(CODE_SERVER_BIN, ['--install-extension', vsix, '--force', '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir], { env, cwd: profile.root });
}
