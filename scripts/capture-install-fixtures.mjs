// Captures what the real tools (npm, pip, mvn, gradle) print when they meet the emulator's registries:
// ingestion 404s, plain 404s, auth errors and success. The files land in
// test/unit/install/fixtures/captured/ and test the output parsers (src/core/install/outputParsers.ts).
// The token is replaced by <TOKEN> and the emulator's port by <PORT> before anything is written.
//
//   node scripts/capture-install-fixtures.mjs [--only npm,pip,maven,gradle]
//
// Needs npm, pip and mvn on PATH (gradle optional; skipped with a note when missing). No network.
/* global fetch */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'test/unit/install/fixtures/captured');
const LOCK_OUT = join(ROOT, 'test/unit/install/fixtures/lockfiles/package-lock.emulator.json');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : ['npm', 'pip', 'maven', 'gradle'];

const work = mkdtempSync(join(tmpdir(), 'capture-install-'));
const home = join(work, 'home');
mkdirSync(home, { recursive: true });
const baseEnv = {
  PATH: process.env.PATH,
  HOME: home,
  LANG: 'C.UTF-8',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_DEFAULT_REGION: 'us-west-2',
  JAVA_HOME: process.env.JAVA_HOME,
};
for (const k of Object.keys(baseEnv)) if (baseEnv[k] === undefined) delete baseEnv[k];

const SEED = {
  accountId: '111122223333',
  region: 'us-west-2',
  publicPackages: { npm: [{ name: 'blocked-pkg', versions: [{ version: '1.0.0' }] }] },
  domains: [
    {
      name: 'acme',
      repositories: [
        {
          name: 'npm-store',
          externalConnection: 'public:npmjs',
          packages: [
            // Origin control: never ingest new versions of blocked-pkg through this repository.
            { format: 'npm', name: 'blocked-pkg', originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } } },
          ],
        },
        {
          name: 'app',
          upstreams: ['npm-store'],
          packages: [{ format: 'npm', namespace: 'acme', name: 'ui', versions: [{ version: '1.1.0', dependencies: { 'left-pad': '^1.3.0' } }] }],
        },
        { name: 'maven-store', externalConnection: 'public:maven-central' },
        { name: 'java-libs', upstreams: ['maven-store'] },
        { name: 'pypi-store', externalConnection: 'public:pypi' },
        { name: 'python', upstreams: ['pypi-store'] },
      ],
    },
  ],
};

let emu; // { proc, url, port }
async function startEmulator({ port = 0, delay, timeout }) {
  const seedFile = join(work, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(SEED));
  const proc = spawn(
    process.execPath,
    [
      'packages/codeartifact-emulator/bin/codeartifact-emulator.cjs',
      '--port',
      String(port),
      '--seed',
      seedFile,
      '--ingestion-delay-ms',
      String(delay),
      '--ingestion-timeout-ms',
      String(timeout),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((res, rej) => {
    let buf = '';
    const t = setTimeout(() => rej(new Error('emulator did not start in 30 s')), 30000);
    proc.stdout.on('data', (d) => {
      buf += d;
      const m = /listening on (http:\/\/\S+)/.exec(buf);
      if (m) {
        clearTimeout(t);
        res(m[1]);
      }
    });
    proc.once('exit', (c) => rej(new Error(`emulator exited ${c}`)));
  });
  emu = { proc, url, port: Number(new URL(url).port) };
  return emu;
}
async function stopEmulator() {
  if (!emu) return;
  const p = emu.proc;
  emu = undefined;
  p.kill('SIGTERM');
  await new Promise((r) => p.once('exit', r));
}
async function settings(s) {
  await fetch(`${emu.url}/_emulator/settings`, { method: 'POST', body: JSON.stringify(s) });
}
function token() {
  const r = spawnSync('aws', ['--endpoint-url', emu.url, 'codeartifact', 'get-authorization-token', '--domain', 'acme', '--query', 'authorizationToken', '--output', 'text'], {
    env: baseEnv,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`get-authorization-token failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Runs a command, returns combined output (token and port redacted) and the exit code. */
function run(file, args, { cwd, env, secrets = [] }) {
  return new Promise((res) => {
    const p = spawn(file, args, { cwd, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const t = setTimeout(() => p.kill('SIGKILL'), 180000);
    p.once('close', (code) => {
      clearTimeout(t);
      res({ code, out: redact(out, secrets) });
    });
  });
}
function redact(text, secrets) {
  let s = text;
  for (const x of secrets) if (x) s = s.split(x).join('<TOKEN>');
  if (emu) s = s.split(`127.0.0.1:${emu.port}`).join('127.0.0.1:<PORT>');
  // Paths of this temporary folder vary per run.
  return s.split(work).join('<WORK>');
}
function save(name, tool, result, note) {
  mkdirSync(OUT, { recursive: true });
  const header = `# captured ${new Date().toISOString().slice(0, 10)} by scripts/capture-install-fixtures.mjs: ${tool}; exit code ${result.code}; ${note}\n`;
  writeFileSync(join(OUT, name), header + result.out);
  console.log(`${name}: exit ${result.code} (${note})`);
}
function tool(name, args = ['--version']) {
  const r = spawnSync(name, args, { encoding: 'utf8', env: baseEnv });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split('\n')[0] : undefined;
}

// ---- npm -------------------------------------------------------------------------------------
async function captureNpm() {
  const v = tool('npm');
  if (!v) return console.log('npm not found: skipped');
  const ep = () => `${emu.url}/npm/d/acme-111122223333/app/`;
  const project = (name) => {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }));
    const host = ep().replace(/^http:/, '');
    // The token comes from the environment (npm expands ${VAR} in .npmrc), never from a file or argv.
    writeFileSync(join(dir, '.npmrc'), `registry=${ep()}\n${host}:_authToken=\${CODEARTIFACT_AUTH_TOKEN}\n`);
    return dir;
  };
  const npmArgs = (...a) => [...a, '--cache', join(work, 'npm-cache'), '--no-audit', '--no-fund', '--loglevel', 'notice'];

  await startEmulator({ delay: 3000, timeout: 100 });
  let tok = token();
  const env = () => ({ CODEARTIFACT_AUTH_TOKEN: tok });
  const secrets = () => [tok];
  save(
    'npm-ingestion-packument.txt',
    `npm ${v}`,
    await run('npm', npmArgs('install', 'left-pad@1.3.0'), { cwd: project('p1'), env: env(), secrets: secrets() }),
    'npm install left-pad@1.3.0, ingestion delay 3000 ms > timeout 100 ms',
  );
  save(
    'npm-notfound.txt',
    `npm ${v}`,
    await run('npm', npmArgs('install', 'no-such-package-xyz'), { cwd: project('p2'), env: env(), secrets: secrets() }),
    'npm install of a package the public registry does not have',
  );
  save(
    'npm-blocked.txt',
    `npm ${v}`,
    await run('npm', npmArgs('install', 'blocked-pkg@1.0.0'), { cwd: project('p3'), env: env(), secrets: secrets() }),
    'npm install blocked-pkg@1.0.0 whose origin restriction upstream=BLOCK',
  );
  save(
    'npm-auth.txt',
    `npm ${v}`,
    await run('npm', npmArgs('install', 'left-pad'), { cwd: project('p4'), env: { CODEARTIFACT_AUTH_TOKEN: 'not-a-valid-token' }, secrets: secrets() }),
    'npm install with an invalid token',
  );
  save(
    'npm-notarget.txt',
    `npm ${v}`,
    await run('npm', npmArgs('install', 'left-pad@9.9.9'), { cwd: project('p5'), env: env(), secrets: secrets() }),
    'npm install of a version that does not exist (ETARGET, not a 404)',
  );
  // A real lockfile: install a small tree with a timeout long enough to succeed.
  await settings({ ingestionDelayMs: 200, ingestionTimeoutMs: 20000 });
  const lockDir = project('lockproj');
  const ok = await run('npm', npmArgs('install', 'pad-utils@2.0.0', '@acme/ui@1.1.0'), { cwd: lockDir, env: env(), secrets: secrets() });
  save('npm-success.txt', `npm ${v}`, ok, 'npm install pad-utils@2.0.0 @acme/ui@1.1.0 after ingestion');
  writeFileSync(LOCK_OUT, redact(readFileSync(join(lockDir, 'package-lock.json'), 'utf8'), secrets()));
  const port = emu.port;
  await stopEmulator();
  // Fresh emulator on the same port (the lockfile's resolved URLs name it): `npm ci` goes straight to
  // the tarballs, so the ingestion 404 comes on a tarball URL.
  await startEmulator({ port, delay: 3000, timeout: 100 });
  tok = token();
  rmSync(join(lockDir, 'node_modules'), { recursive: true, force: true });
  rmSync(join(work, 'npm-cache'), { recursive: true, force: true });
  save(
    'npm-ingestion-tarball.txt',
    `npm ${v}`,
    await run('npm', npmArgs('ci'), { cwd: lockDir, env: env(), secrets: secrets() }),
    'npm ci with a lockfile on a fresh emulator: tarball requests, ingestion delay 3000 ms > timeout 100 ms',
  );
  await stopEmulator();
}

// ---- pip -------------------------------------------------------------------------------------
async function capturePip() {
  const v = tool('pip');
  if (!v) return console.log('pip not found: skipped');
  await startEmulator({ delay: 3000, timeout: 100 });
  const tok = token();
  const index = (t) => `${emu.url.replace('http://', `http://aws:${t}@`)}/pypi/d/acme-111122223333/python/simple/`;
  // Isolated from the machine's pip configuration (find-links, extra indexes, constraints).
  const env = { PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_CACHE_DIR: '1' };
  // pip hides why an index page failed unless it logs at debug level: the install command passes
  // `--log FILE` and the classifier reads that file too, so the fixture is the output plus the log.
  const logFile = join(work, 'pip.log');
  const pip = (t, ...a) => ['install', '--no-input', '--log', logFile, '--index-url', index(t), '--target', join(work, 'pip-target'), ...a];
  const runPip = async (args, secrets) => {
    rmSync(logFile, { force: true });
    const r = await run('pip', args, { cwd: dir, env, secrets });
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    return { code: r.code, out: `${r.out}\n# ---- pip --log file ----\n${redact(log, secrets)}` };
  };
  const dir = join(work, 'pyproj');
  mkdirSync(dir, { recursive: true });
  save('pip-ingestion.txt', `pip ${v}`, await runPip(pip(tok, 'tinyfmt==1.1.0'), [tok]), 'pip install tinyfmt==1.1.0, ingestion delay 3000 ms > timeout 100 ms');
  save('pip-notfound.txt', `pip ${v}`, await runPip(pip(tok, 'no-such-project==1.0'), [tok]), 'pip install of a project the public index does not have');
  save('pip-auth.txt', `pip ${v}`, await runPip(pip('not-a-valid-token', 'tinyfmt==1.1.0'), [tok, 'not-a-valid-token']), 'pip install with an invalid token');
  await settings({ ingestionDelayMs: 200, ingestionTimeoutMs: 20000 });
  save('pip-success.txt', `pip ${v}`, await runPip(pip(tok, 'tinyfmt==1.1.0'), [tok]), 'pip install tinyfmt==1.1.0 after ingestion');
  await stopEmulator();
}

// ---- Maven -----------------------------------------------------------------------------------
function mavenProject(dir, deps) {
  mkdirSync(dir, { recursive: true });
  const url = `${emu.url}/maven/d/acme-111122223333/java-libs/`;
  writeFileSync(
    join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>capture</artifactId>
  <version>1.0.0</version>
  <repositories><repository><id>codeartifact</id><url>${url}</url></repository></repositories>
  <pluginRepositories><pluginRepository><id>codeartifact</id><url>${url}</url></pluginRepository></pluginRepositories>
  <dependencies>
${deps.map(([g, a, v]) => `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`).join('\n')}
  </dependencies>
</project>
`,
  );
  // As AWS documents: the token from the environment, user "aws".
  writeFileSync(
    join(dir, 'settings.xml'),
    `<settings><servers><server><id>codeartifact</id><username>aws</username><password>\${env.CODEARTIFACT_AUTH_TOKEN}</password></server></servers>
  <mirrors><mirror><id>codeartifact</id><mirrorOf>*</mirrorOf><url>${url}</url></mirror></mirrors></settings>
`,
  );
  return dir;
}
async function captureMaven() {
  const v = tool('mvn', ['-v']);
  if (!v) return console.log('mvn not found: skipped');
  await startEmulator({ delay: 3000, timeout: 100 });
  let tok = token();
  const repoLocal = join(work, 'm2');
  const goal = 'org.example.emulator:resolve-maven-plugin:1.0.0:resolve';
  const mvn = (...a) => ['-B', '-U', '-s', 'settings.xml', `-Dmaven.repo.local=${repoLocal}`, ...a];
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  // What the retry loop sees: the same project and local repository, run again after each ingestion.
  const p1 = mavenProject(join(work, 'mvn1'), [['org.example', 'greeter', '1.0.0']]);
  const env = { CODEARTIFACT_AUTH_TOKEN: tok };
  save(
    'maven-ingestion-plugin.txt',
    v,
    await run('mvn', mvn(goal), { cwd: p1, env, secrets: [tok] }),
    `mvn -U ${goal}: the plugin's own ingestion, delay 3000 ms > timeout 100 ms`,
  );
  await wait(3500);
  save(
    'maven-ingestion.txt',
    v,
    await run('mvn', mvn(goal), { cwd: p1, env, secrets: [tok] }),
    `the same mvn -U run again once the plugin is ingested: now org.example:greeter:1.0.0 is being ingested`,
  );
  // Then whatever else the run needs (the transitive dependency, plugin dependencies), one per run.
  let r;
  for (let n = 3; n <= 8; n++) {
    await wait(3500);
    r = await run('mvn', mvn(goal), { cwd: p1, env, secrets: [tok] });
    if (r.code === 0) break;
    save(`maven-ingestion-run${n}.txt`, v, r, `the same mvn -U run again (run ${n}): the next package is being ingested`);
  }
  save('maven-retry-success.txt', v, r, 'the same mvn -U run once everything is ingested (same local repository as the failed runs)');
  const p2 = mavenProject(join(work, 'mvn2'), [['org.example', 'no-such-artifact', '1.0.0']]);
  save('maven-notfound.txt', v, await run('mvn', mvn(goal), { cwd: p2, env, secrets: [tok] }), 'mvn with a dependency the public repository does not have');
  // A fresh local repository, so Maven has to ask the server.
  const authArgs = ['-B', '-U', '-s', 'settings.xml', `-Dmaven.repo.local=${join(work, 'm2-auth')}`, goal];
  save(
    'maven-auth.txt',
    v,
    await run('mvn', authArgs, { cwd: p1, env: { CODEARTIFACT_AUTH_TOKEN: 'not-a-valid-token' }, secrets: [tok] }),
    'mvn with an invalid token (fresh local repository)',
  );
  // A failure that has nothing to do with dependencies: a broken pom.xml.
  const p3 = mavenProject(join(work, 'mvn3'), []);
  writeFileSync(join(p3, 'pom.xml'), readFileSync(join(p3, 'pom.xml'), 'utf8').replace('<dependencies>', '<dependencies><oops>'));
  save('maven-other.txt', v, await run('mvn', mvn(goal), { cwd: p3, env, secrets: [tok] }), 'mvn on a pom.xml that is not well-formed');
  void tok;
  tok = '';
  await stopEmulator();
}

// ---- Gradle ----------------------------------------------------------------------------------
async function captureGradle() {
  const gv = spawnSync('gradle', ['--version'], { encoding: 'utf8', env: baseEnv });
  const v = gv.status === 0 ? /^Gradle .*$/m.exec(gv.stdout)?.[0] : undefined;
  if (!v) return console.log("gradle not found: skipped (install Debian's gradle to capture)");
  await startEmulator({ delay: 3000, timeout: 100 });
  const tok = token();
  const gradleProject = (name, dep) => {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.gradle'), `rootProject.name = '${name}'\n`);
    writeFileSync(
      join(dir, 'build.gradle'),
      `apply plugin: 'java'
repositories {
  maven {
    url '${emu.url}/maven/d/acme-111122223333/java-libs/'
    credentials { username 'aws'; password System.env.CODEARTIFACT_AUTH_TOKEN }
  }
}
dependencies { compile '${dep}' }
task resolveAll { doLast { configurations.compileClasspath.resolve() } }
`,
    );
    return dir;
  };
  const env = (t) => ({ CODEARTIFACT_AUTH_TOKEN: t, GRADLE_USER_HOME: join(work, 'gradle-home') });
  const g = (...a) => ['--no-daemon', '--console=plain', '--refresh-dependencies', ...a];
  const p1 = gradleProject('g1', 'org.example:greeter:1.0.0');
  save(
    'gradle-ingestion.txt',
    v,
    await run('gradle', g('resolveAll'), { cwd: p1, env: env(tok), secrets: [tok] }),
    'gradle resolveAll with org.example:greeter:1.0.0, delay 3000 ms > timeout 100 ms',
  );
  save(
    'gradle-ingestion-dependencies.txt',
    v,
    await run('gradle', g('dependencies', '--configuration', 'compileClasspath'), { cwd: p1, env: env(tok), secrets: [tok] }),
    'gradle dependencies (the report task) during ingestion',
  );
  const p2 = gradleProject('g2', 'org.example:no-such-artifact:1.0.0');
  save('gradle-notfound.txt', v, await run('gradle', g('resolveAll'), { cwd: p2, env: env(tok), secrets: [tok] }), 'gradle with a dependency the public repository does not have');
  const p3 = gradleProject('g3', 'org.example:strings:1.0.0');
  save('gradle-auth.txt', v, await run('gradle', g('resolveAll'), { cwd: p3, env: env('not-a-valid-token'), secrets: [tok] }), 'gradle with an invalid token');
  await settings({ ingestionDelayMs: 200, ingestionTimeoutMs: 20000 });
  save('gradle-success.txt', v, await run('gradle', g('resolveAll'), { cwd: p1, env: env(tok), secrets: [tok] }), 'gradle after ingestion');
  await stopEmulator();
}

try {
  if (only.includes('npm')) await captureNpm();
  if (only.includes('pip')) await capturePip();
  if (only.includes('maven')) await captureMaven();
  if (only.includes('gradle')) await captureGradle();
} finally {
  await stopEmulator();
  if (existsSync(work)) rmSync(work, { recursive: true, force: true });
}
