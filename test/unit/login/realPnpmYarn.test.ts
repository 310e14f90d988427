// The user files login writes for pnpm (~/.npmrc) and Yarn berry (~/.yarnrc.yml), proven with the real tools
// (pinned devDependencies, run through node) against an in-process emulator: after applyLogin in a temp HOME they
// install from the repository endpoint with nothing else configured; after removeLogin the files are back byte for
// byte and the same install fails with 401, so it was our config that made it work.
//
// Offline guard: every run gets a dead-end HTTPS proxy on loopback (HTTPS_PROXY for pnpm, YARN_HTTPS_PROXY for
// Yarn; the emulator is plain http on 127.0.0.1 and bypasses it), so a fallback to registry.npmjs.org or
// registry.yarnpkg.com fails fast instead of leaving the machine; the guard counts such attempts and the
// successful installs must make none.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { parse as parseYaml } from 'yaml';
import { endpoint, npmPackage, proxiedSeed, run, sdkClient, startEmulator, TempDirs, tokenFor, toolEnv, type Emulator, type RunResult } from 'codeartifact-emulator/testing';
import { applyLogin, removeLogin, type LoginInput } from '../../../src/core/login/loginPlan';
import type { ToolId } from '../../../src/core/tools';

const ROOT = resolve(__dirname, '..', '..', '..');
const PNPM = join(ROOT, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
const YARN = join(ROOT, 'node_modules', '@yarnpkg', 'cli-dist', 'bin', 'yarn.js');

// Seeded versions are dated in the past: Yarn 4 quarantines versions younger than npmMinimalAgeGate (1 day).
const OLD = '2024-01-02T03:04:05Z';
const loginSeed = () =>
  proxiedSeed('public:npmjs', 'npm-store', 'app', [
    npmPackage('@acme/ui', [{ version: '1.0.0', status: 'Published', publishedTime: OLD, dependencies: { 'left-pad': '^1.3.0' } }]),
    // No unscoped dependencies: with a scoped login everything else would go to the (blocked) public registry.
    npmPackage('@acme/icons', [{ version: '1.0.0', status: 'Published', publishedTime: OLD }]),
  ]).build();

/** A loopback "proxy" that drops every connection and counts them: any request meant for a public host lands here. */
async function startGuard(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((s) => {
    hits++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits: () => hits, close: () => new Promise((r) => server.close(() => r())) };
}

async function versionsIn(emu: Emulator, repository: string, pkg: string): Promise<string[]> {
  try {
    const out = await sdkClient(emu.url).send(new ListPackageVersionsCommand({ domain: 'acme', repository, format: 'npm', package: pkg }));
    return (out.versions ?? []).map((v) => v.version!).sort();
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return [];
    throw e;
  }
}

function project(dir: string, deps: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo-app', version: '1.0.0', private: true, dependencies: deps }, null, 2));
  return dir;
}

const installedVersion = (dir: string, pkg: string) => (JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

/** Every file under `dir` (Yarn's metadata cache layout is an internal detail; we only look for its contents). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

function loginInput(emu: Emulator, token: string, tools: ToolId[], namespace?: string): LoginInput {
  return {
    domain: 'acme',
    domainOwner: '111122223333',
    repository: 'app',
    endpoints: { npm: endpoint(emu, 'npm', 'app') },
    token,
    expiresAt: Date.now() + 3_600_000,
    tools,
    ...(namespace ? { namespace } : {}),
  };
}

/** Tarball URLs in a pnpm lockfile (written with lockfile-include-tarball-url). */
const lockTarballs = (dir: string) => [...readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8').matchAll(/tarball: ([^\s,}]+)/g)].map((m) => m[1]);

const show = (r: RunResult) => `exit ${String(r.code)}\n${r.output}`;

void describe('real pnpm with the ~/.npmrc login writes', () => {
  let emu: Emulator;
  let guard: Awaited<ReturnType<typeof startGuard>>;
  const dirs = new TempDirs();
  before(async () => {
    emu = await startEmulator({ seed: loginSeed(), ingestionDelayMs: 100 });
    guard = await startGuard();
  });
  after(async () => {
    await emu?.close();
    await guard?.close();
    dirs.cleanup();
  });

  // Store, cache and pnpm's own XDG dirs in the temp folder; the registry and token come only from ~/.npmrc.
  const pnpm = (cwd: string, home: string, work: string, extraEnv: Record<string, string> = {}) =>
    run(process.execPath, [PNPM, 'install', '--store-dir', join(work, 'store'), '--cache-dir', join(work, 'cache'), '--config.lockfile-include-tarball-url=true'], {
      cwd,
      timeoutMs: 60_000,
      env: toolEnv(home, {
        XDG_CONFIG_HOME: join(work, 'xdg-config'),
        XDG_CACHE_HOME: join(work, 'xdg-cache'),
        XDG_DATA_HOME: join(work, 'xdg-data'),
        XDG_STATE_HOME: join(work, 'xdg-state'),
        HTTPS_PROXY: guard.url,
        HTTP_PROXY: guard.url,
        NO_PROXY: '127.0.0.1',
        npm_config_update_notifier: 'false',
        npm_config_fetch_retries: '0',
        ...extraEnv,
      }),
    });

  void it('installs pad-utils from the repository endpoint; logout restores ~/.npmrc and the next install gets 401', async () => {
    const home = dirs.make('pnpm-home');
    const work = dirs.make('pnpm-work');
    const original = '# personal settings\nfund=false\n';
    writeFileSync(join(home, '.npmrc'), original);
    const ep = endpoint(emu, 'npm', 'app');
    assert.deepEqual(await versionsIn(emu, 'app', 'pad-utils'), [], 'not in app before the install');

    const { record, outcomes } = await applyLogin(loginInput(emu, await tokenFor(emu), ['pnpm']), { home, env: {} });
    assert.deepEqual(
      outcomes.map((o) => [o.target, o.ok, o.error]),
      [['npmrc', true, undefined]],
    );

    const proj = project(join(work, 'proj'), { 'pad-utils': '2.0.0' });
    const first = await pnpm(proj, home, work);
    assert.equal(first.code, 0, show(first));
    assert.equal(installedVersion(proj, 'pad-utils'), '2.0.0');
    assert.equal(installedVersion(join(proj, 'node_modules', '.pnpm'), 'left-pad'), '1.3.0');
    // The lockfile names where each tarball came from: the repository endpoint, nothing else.
    const tarballs = lockTarballs(proj);
    assert.ok(tarballs.includes(`${ep}pad-utils/-/pad-utils-2.0.0.tgz`), tarballs.join('\n'));
    assert.equal(tarballs.length, 4, tarballs.join('\n')); // pad-utils, left-pad, is-even, is-odd
    for (const t of tarballs) assert.ok(t.startsWith(ep), t);
    // The repository now holds it: fetched through app, not from anywhere else.
    assert.deepEqual(await versionsIn(emu, 'app', 'pad-utils'), ['2.0.0']);
    assert.equal(guard.hits(), 0, 'no request left loopback');

    const out = await removeLogin(record, { home, env: {} });
    assert.ok(
      out.every((o) => o.ok),
      JSON.stringify(out),
    );
    assert.equal(readFileSync(join(home, '.npmrc'), 'utf8'), original);

    // Same registry (as the default, through the environment) but no token any more: a fresh install is refused.
    const work2 = dirs.make('pnpm-work2');
    const proj2 = project(join(work2, 'proj'), { 'pad-utils': '2.0.0' });
    const second = await pnpm(proj2, home, work2, { npm_config_registry: ep });
    assert.notEqual(second.code, 0, show(second));
    assert.match(second.output, /ERR_PNPM_FETCH_401/);
    assert.match(second.output, /No authorization header was set/);
    assert.equal(existsSync(join(proj2, 'node_modules', 'pad-utils')), false);
    assert.equal(guard.hits(), 0);
  });

  void it('scoped (@acme:registry): installs @acme/icons while the default registry stays public; logout removes the file', async () => {
    const home = dirs.make('pnpm-scoped-home');
    const work = dirs.make('pnpm-scoped-work');
    const ep = endpoint(emu, 'npm', 'app');
    const { record, outcomes } = await applyLogin(loginInput(emu, await tokenFor(emu), ['pnpm'], 'acme'), { home, env: {} });
    assert.deepEqual(
      outcomes.map((o) => [o.target, o.ok, o.error]),
      [['npmrc', true, undefined]],
    );
    assert.doesNotMatch(readFileSync(join(home, '.npmrc'), 'utf8'), /^registry=/m, 'a scoped login leaves the default registry alone');

    const proj = project(join(work, 'proj'), { '@acme/icons': '1.0.0' });
    const first = await pnpm(proj, home, work);
    assert.equal(first.code, 0, show(first));
    assert.equal(installedVersion(proj, '@acme/icons'), '1.0.0');
    assert.deepEqual(lockTarballs(proj), [`${ep}@acme/icons/-/icons-1.0.0.tgz`]);
    assert.equal(guard.hits(), 0, 'no request left loopback');

    // Unscoped packages still go to the public default, which the guard blocks: it fails fast, without a request out.
    const proj3 = project(join(work, 'proj-unscoped'), { 'left-pad': '1.3.0' });
    const blocked = await pnpm(proj3, home, work);
    assert.notEqual(blocked.code, 0, show(blocked));
    assert.match(blocked.output, /registry\.npmjs\.org\/left-pad/);
    assert.ok(guard.hits() > 0, 'the guard caught the attempt');

    const out = await removeLogin(record, { home, env: {} });
    assert.ok(
      out.every((o) => o.ok),
      JSON.stringify(out),
    );
    assert.equal(existsSync(join(home, '.npmrc')), false, 'login created the file, logout removes it');

    const work2 = dirs.make('pnpm-scoped-work2');
    const proj2 = project(join(work2, 'proj'), { '@acme/icons': '1.0.0' });
    const second = await pnpm(proj2, home, work2, { npm_config_registry: ep });
    assert.notEqual(second.code, 0, show(second));
    assert.match(second.output, /ERR_PNPM_FETCH_401/);
  });
});

void describe('real Yarn berry with the ~/.yarnrc.yml login writes', () => {
  let emu: Emulator;
  let guard: Awaited<ReturnType<typeof startGuard>>;
  const dirs = new TempDirs();
  before(async () => {
    emu = await startEmulator({ seed: loginSeed(), ingestionDelayMs: 100 });
    guard = await startGuard();
  });
  after(async () => {
    await emu?.close();
    await guard?.close();
    dirs.cleanup();
  });

  // Berry's CLI straight from the pinned package (no corepack, packageManager unset). Its cache and global folder
  // (metadata cache) are per run; node-modules linker so the result is plain files. unsafeHttpWhitelist only
  // because the emulator is plain http (CodeArtifact itself is https).
  const yarn = (args: string[], cwd: string, home: string, work: string, extraEnv: Record<string, string> = {}) =>
    run(process.execPath, [YARN, ...args], {
      cwd,
      timeoutMs: 60_000,
      env: toolEnv(home, {
        YARN_ENABLE_TELEMETRY: '0',
        YARN_ENABLE_GLOBAL_CACHE: '0',
        YARN_CACHE_FOLDER: join(work, 'yarn-cache'),
        YARN_GLOBAL_FOLDER: join(work, 'yarn-global'),
        YARN_NODE_LINKER: 'node-modules',
        YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
        YARN_HTTPS_PROXY: guard.url,
        YARN_HTTP_RETRY: '0',
        YARN_ENABLE_PROGRESS_BARS: '0',
        YARN_ENABLE_COLORS: '0',
        YARN_IGNORE_PATH: '1',
        ...extraEnv,
      }),
    });

  /** The tarball URL Yarn resolved for pkg@version, from its metadata cache (the lockfile is registry-agnostic). */
  const cachedTarball = (work: string, pkg: string, version: string): string | undefined => {
    for (const f of filesUnder(join(work, 'yarn-global', 'metadata'))) {
      const doc = JSON.parse(readFileSync(f, 'utf8')) as { metadata?: { versions?: Record<string, { name?: string; dist?: { tarball?: string } }> } };
      const v = doc.metadata?.versions?.[version];
      if (v?.name === pkg) return v.dist?.tarball;
    }
    return undefined;
  };

  void it('unscoped (npmRegistryServer): installs pad-utils and @acme/ui; logout restores the file and the next install gets 401', async () => {
    const home = dirs.make('yarn-home');
    const work = dirs.make('yarn-work');
    const original = '# personal Yarn settings\nenableTelemetry: false\nnpmRegistries:\n  "//npm.example.invalid":\n    npmAlwaysAuth: false\n';
    writeFileSync(join(home, '.yarnrc.yml'), original);
    const ep = endpoint(emu, 'npm', 'app');
    assert.deepEqual(await versionsIn(emu, 'app', 'pad-utils'), [], 'not in app before the install');

    const { record, outcomes } = await applyLogin(loginInput(emu, await tokenFor(emu), ['yarn']), { home, env: {} });
    assert.deepEqual(
      outcomes.map((o) => [o.target, o.ok, o.error]),
      [['yarnrc', true, undefined]],
    );

    const proj = project(join(work, 'proj'), { 'pad-utils': '2.0.0', '@acme/ui': '1.0.0' });
    const first = await yarn(['install'], proj, home, work);
    assert.equal(first.code, 0, show(first));
    assert.equal(installedVersion(proj, 'pad-utils'), '2.0.0');
    assert.equal(installedVersion(proj, '@acme/ui'), '1.0.0');
    assert.equal(installedVersion(proj, 'left-pad'), '1.3.0');
    const lock = readFileSync(join(proj, 'yarn.lock'), 'utf8');
    assert.match(lock, /resolution: "pad-utils@npm:2\.0\.0"/);
    assert.match(lock, /resolution: "@acme\/ui@npm:1\.0\.0"/);
    assert.equal(cachedTarball(work, 'pad-utils', '2.0.0'), `${ep}pad-utils/-/pad-utils-2.0.0.tgz`);
    assert.equal(cachedTarball(work, '@acme/ui', '1.0.0'), `${ep}@acme/ui/-/ui-1.0.0.tgz`);
    assert.deepEqual(await versionsIn(emu, 'app', 'pad-utils'), ['2.0.0']);
    assert.equal(guard.hits(), 0, 'no request left loopback');

    const out = await removeLogin(record, { home, env: {} });
    assert.ok(
      out.every((o) => o.ok),
      JSON.stringify(out),
    );
    assert.equal(readFileSync(join(home, '.yarnrc.yml'), 'utf8'), original);

    const work2 = dirs.make('yarn-work2');
    const proj2 = project(join(work2, 'proj'), { 'pad-utils': '2.0.0' });
    const second = await yarn(['install'], proj2, home, work2, { YARN_NPM_REGISTRY_SERVER: ep });
    assert.notEqual(second.code, 0, show(second));
    if (process.env.EMU_SHOW_OUTPUT) console.log(second.output);
    assert.match(second.output, /YN0041|authentication/i);
    assert.equal(existsSync(join(proj2, 'node_modules', 'pad-utils')), false);
    assert.equal(guard.hits(), 0);
  });

  void it('scoped (npmScopes.acme): installs @acme/icons while the default registry stays public; logout removes the file', async () => {
    const home = dirs.make('yarn-scoped-home');
    const work = dirs.make('yarn-scoped-work');
    const ep = endpoint(emu, 'npm', 'app');
    const { record, outcomes } = await applyLogin(loginInput(emu, await tokenFor(emu), ['yarn'], 'acme'), { home, env: {} });
    assert.deepEqual(
      outcomes.map((o) => [o.target, o.ok, o.error]),
      [['yarnrc', true, undefined]],
    );
    const rc = parseYaml(readFileSync(join(home, '.yarnrc.yml'), 'utf8')) as Record<string, unknown>;
    assert.equal(rc.npmRegistryServer, undefined, 'a scoped login leaves the default registry alone');

    const proj = project(join(work, 'proj'), { '@acme/icons': '1.0.0' });
    const cfg = await yarn(['config', 'get', 'npmRegistryServer'], proj, home, work);
    assert.equal(cfg.stdout.trim(), 'https://registry.yarnpkg.com', show(cfg));
    const first = await yarn(['install'], proj, home, work);
    assert.equal(first.code, 0, show(first));
    assert.equal(installedVersion(proj, '@acme/icons'), '1.0.0');
    assert.match(readFileSync(join(proj, 'yarn.lock'), 'utf8'), /resolution: "@acme\/icons@npm:1\.0\.0"/);
    assert.equal(cachedTarball(work, '@acme/icons', '1.0.0'), `${ep}@acme/icons/-/icons-1.0.0.tgz`);
    assert.equal(guard.hits(), 0, 'no request left loopback');

    const out = await removeLogin(record, { home, env: {} });
    assert.ok(
      out.every((o) => o.ok),
      JSON.stringify(out),
    );
    assert.equal(existsSync(join(home, '.yarnrc.yml')), false, 'login created the file, logout removes it');

    const work2 = dirs.make('yarn-scoped-work2');
    const proj2 = project(join(work2, 'proj'), { '@acme/icons': '1.0.0' });
    const second = await yarn(['install'], proj2, home, work2, { YARN_NPM_REGISTRY_SERVER: ep });
    assert.notEqual(second.code, 0, show(second));
    if (process.env.EMU_SHOW_OUTPUT) console.log(second.output);
    assert.match(second.output, /YN0041|authentication/i);
    assert.equal(existsSync(join(proj2, 'node_modules', '@acme', 'icons')), false);
  });
});
