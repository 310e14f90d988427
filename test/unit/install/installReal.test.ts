// installWithRetry and prewarm driving the REAL npm against the emulator, whose ingestion delay is
// longer than its timeout (so every first request for a public package answers the ingestion 404).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribePackageCommand, GetAuthorizationTokenCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { blockUpstream, npmPackage, proxiedSeed, sdkClient, seed, startEmulator, type Emulator } from 'codeartifact-emulator/testing';
import { installCommand } from '../../../src/core/install/commands';
import { parsePackageLock } from '../../../src/core/install/lockfiles';
import { describePackageRef, type PackageRef } from '../../../src/core/coordinates';
import { createProbe, prewarm } from '../../../src/core/install/prewarm';
import { installWithRetry, type NotFoundVerdict } from '../../../src/core/install/retry';

const HAS_NPM = spawnSync('npm', ['--version']).status === 0;
/** `app` upstream of the public npm proxy `npm-store`, where `blocked-pkg` (public) is BLOCKed from upstream. */
const npmSeed = () =>
  seed()
    .publicPackages({ npm: [{ name: 'blocked-pkg', versions: [{ version: '1.0.0' }] }] })
    .domain('acme')
    .repo('npm-store', { externalConnection: 'public:npmjs', packages: [npmPackage('blocked-pkg', [], blockUpstream)] })
    .repo('app', { upstreams: ['npm-store'], packages: [npmPackage('@acme/ui', [{ version: '1.1.0', dependencies: { 'left-pad': '^1.3.0' } }])] })
    .build();

const dirs: string[] = [];
const emus: Emulator[] = [];
after(async () => {
  for (const e of emus) await e.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const sdk = (emu: Emulator) => sdkClient(emu.url);

async function setup(deps: Record<string, string>, lockfile?: string) {
  const emu = await startEmulator({ seed: npmSeed(), ingestionDelayMs: 300, ingestionTimeoutMs: 50 });
  emus.push(emu);
  const token = (await sdk(emu).send(new GetAuthorizationTokenCommand({ domain: 'acme' }))).authorizationToken!;
  const endpoint = `${emu.url}/npm/d/acme-111122223333/app/`;
  const dir = mkdtempSync(join(tmpdir(), 'install-real-'));
  dirs.push(dir);
  const proj = join(dir, 'proj');
  spawnSync('mkdir', ['-p', proj, join(dir, 'home')]);
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'proj', version: '1.0.0', private: true, dependencies: deps }));
  // As the login feature writes it: the token is read from the environment, the file never holds it.
  writeFileSync(join(proj, '.npmrc'), `registry=${endpoint}\n${endpoint.replace(/^http:/, '')}:_authToken=\${CODEARTIFACT_AUTH_TOKEN}\n`);
  if (lockfile) writeFileSync(join(proj, 'package-lock.json'), lockfile.split('127.0.0.1:<PORT>').join(`127.0.0.1:${emu.port}`));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: join(dir, 'home'),
    CODEARTIFACT_AUTH_TOKEN: token,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  return { emu, token, endpoint, proj, env };
}

/** The caller's hook, with the real SDK: is the package BLOCKed in the repository holding the connection? */
function checkWithApi(emu: Emulator) {
  return async (refs: PackageRef[]): Promise<NotFoundVerdict[]> =>
    Promise.all(
      refs.map(async (ref): Promise<NotFoundVerdict> => {
        try {
          const d = await sdk(emu).send(new DescribePackageCommand({ domain: 'acme', repository: 'npm-store', format: 'npm', namespace: ref.namespace, package: ref.name }));
          if (d.package?.originConfiguration?.restrictions?.upstream === 'BLOCK') {
            return { ref, status: 'blocked', detail: 'origin restriction upstream=BLOCK in acme/npm-store: new versions are never ingested' };
          }
          return { ref, status: 'missing', detail: 'known to acme/npm-store but this version is not available' };
        } catch (e) {
          if ((e as Error).name === 'ResourceNotFoundException') return { ref, status: 'missing', detail: 'not in acme/app, its upstreams or public:npmjs' };
          return { ref, status: 'unknown', detail: (e as Error).message };
        }
      }),
    );
}

describe('real npm through installWithRetry', { skip: !HAS_NPM && 'npm is not installed' }, () => {
  it('npm install ends green with no user action, retrying each ingestion 404; versions end up EXTERNAL', async () => {
    const s = await setup({ 'pad-utils': '2.0.0', '@acme/ui': '1.1.0' });
    let shown = '';
    const r = await installWithRetry({
      command: installCommand(s.proj, 'npm'),
      env: s.env,
      secrets: [s.token],
      backoff: { baseMs: 200, capMs: 800 },
      maxWaitSeconds: 60,
      onOutput: (c) => (shown += c),
    });
    assert.equal(r.outcome, 'success', r.message);
    assert.ok(r.attempts >= 2, `${r.attempts} attempts`);
    assert.ok(
      r.packagesAwaited.some((p) => p.name === 'pad-utils'),
      JSON.stringify(r.packagesAwaited),
    );
    assert.match(shown, /Ingestion is in progress/);
    assert.doesNotMatch(shown, new RegExp(s.token));
    assert.ok(existsSync(join(s.proj, 'node_modules', 'pad-utils', 'package.json')));
    const v = await sdk(s.emu).send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'app', format: 'npm', package: 'is-even' }));
    assert.equal(v.versions?.find((x) => x.version === '1.0.0')?.origin?.originType, 'EXTERNAL');
  });

  it('pre-warm then `npm ci`: the lockfile tree is ingested in parallel and the install runs once', async () => {
    const lock = readFileSync(join(__dirname, 'fixtures', 'lockfiles', 'package-lock.emulator.json'), 'utf8');
    const s = await setup({ 'pad-utils': '^2.0.0', '@acme/ui': '^1.1.0' }, lock);
    const entries = parsePackageLock(readFileSync(join(s.proj, 'package-lock.json'), 'utf8')).entries;
    const w = await prewarm({ entries, endpoints: { npm: s.endpoint }, token: s.token, backoff: { baseMs: 100, capMs: 400 }, maxWaitSeconds: 30 });
    assert.equal(w.ready.length, entries.length, JSON.stringify(w.failed));
    const cmd = installCommand(s.proj, 'npm');
    assert.deepEqual(cmd.args, ['ci']);
    const r = await installWithRetry({ command: cmd, env: s.env, secrets: [s.token], maxWaitSeconds: 60 });
    assert.equal(r.outcome, 'success', r.message);
    assert.equal(r.attempts, 1);
    assert.ok(existsSync(join(s.proj, 'node_modules', 'is-odd', 'package.json')));
  });

  it('a BLOCKed package is named and not retried; a package unknown upstream too', async () => {
    const s = await setup({ 'blocked-pkg': '1.0.0' });
    const probe = createProbe({ endpoints: { npm: s.endpoint }, token: s.token });
    const t0 = Date.now();
    const r = await installWithRetry({ command: installCommand(s.proj, 'npm'), env: s.env, probe, checkNotFound: checkWithApi(s.emu), maxWaitSeconds: 60 });
    assert.equal(r.outcome, 'blocked', r.message);
    assert.equal(r.attempts, 1);
    assert.deepEqual(r.packages.map(describePackageRef), ['blocked-pkg']);
    assert.match(r.message, /blocked-pkg: origin restriction upstream=BLOCK/);

    writeFileSync(join(s.proj, 'package.json'), JSON.stringify({ name: 'proj', version: '1.0.0', dependencies: { 'no-such-package-xyz': '1.0.0' } }));
    const m = await installWithRetry({ command: installCommand(s.proj, 'npm'), env: s.env, probe, checkNotFound: checkWithApi(s.emu), maxWaitSeconds: 60 });
    assert.equal(m.outcome, 'not-found', m.message);
    assert.equal(m.attempts, 1);
    assert.match(m.message, /no-such-package-xyz: not in acme\/app/);
    assert.ok(Date.now() - t0 < 30000);
  });
});

const HAS_MVN = spawnSync('mvn', ['-v']).status === 0;

describe('real mvn through installWithRetry', { skip: !HAS_MVN && 'mvn is not installed' }, () => {
  it('Maven prints ingestion 404s as "Could not find": the probe sees ingestion and the loop ends green', async () => {
    const emu = await startEmulator({
      seed: proxiedSeed('public:maven-central', 'maven-store', 'java-libs').build(),
      ingestionDelayMs: 300,
      ingestionTimeoutMs: 50,
    });
    emus.push(emu);
    const token = (await sdk(emu).send(new GetAuthorizationTokenCommand({ domain: 'acme' }))).authorizationToken!;
    const endpoint = `${emu.url}/maven/d/acme-111122223333/java-libs/`;
    const dir = mkdtempSync(join(tmpdir(), 'install-mvn-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'pom.xml'),
      `<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>app</artifactId><version>1.0</version>
  <dependencies><dependency><groupId>org.example</groupId><artifactId>greeter</artifactId><version>1.0.0</version></dependency></dependencies></project>`,
    );
    writeFileSync(
      join(dir, 'settings.xml'),
      `<settings><mirrors><mirror><id>codeartifact</id><mirrorOf>*</mirrorOf><url>${endpoint}</url></mirror></mirrors>
  <servers><server><id>codeartifact</id><username>aws</username><password>\${env.CODEARTIFACT_AUTH_TOKEN}</password></server></servers></settings>`,
    );
    // The emulator's tiny resolve plugin stands in for maven-dependency-plugin, which is not on the fake Maven Central.
    const configured = `mvn -B -U -s settings.xml -Dmaven.repo.local=${join(dir, 'm2')} org.example.emulator:resolve-maven-plugin:1.0.0:resolve`;
    const cmd = installCommand(dir, 'maven', { configured });
    const r = await installWithRetry({
      command: cmd,
      env: { PATH: process.env.PATH ?? '', HOME: dir, JAVA_HOME: process.env.JAVA_HOME ?? '', CODEARTIFACT_AUTH_TOKEN: token },
      secrets: [token],
      probe: createProbe({ endpoints: { maven: endpoint }, token }),
      backoff: { baseMs: 200, capMs: 800 },
      maxWaitSeconds: 120,
    });
    assert.equal(r.outcome, 'success', r.message);
    assert.ok(r.attempts >= 2, `${r.attempts} attempts`);
    assert.ok(
      r.packagesAwaited.some((p) => p.name === 'greeter'),
      JSON.stringify(r.packagesAwaited.map(describePackageRef)),
    );
  });
});
