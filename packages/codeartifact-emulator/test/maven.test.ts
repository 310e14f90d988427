// The Maven registry with real mvn (offline except for the emulator): a project's dependencies resolved
// through java-app -> maven-store (public:maven-central) by Maven's own resolver, driven by the tiny
// plugin the fake Maven Central serves; plus PUT, metadata and checksums over HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssociateExternalConnectionCommand, CreateRepositoryCommand, ListPackageVersionAssetsCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { basic, endpoint, mavenPackage, proxiedSeed, run, sdkClient, TempDirs, tokenFor, toolEnv } from '../src/testing';
import { startEmulator, type Emulator } from '../src/server';

const registrySeed = () => proxiedSeed('public:maven-central', 'maven-store', 'java-app', [mavenPackage('com.acme:core', ['2.4.0'])]).build();

const MVN = '/usr/bin/mvn';

export function mavenSettings(url: string): string {
  return `<settings>
  <mirrors>
    <mirror><id>codeartifact</id><mirrorOf>*</mirrorOf><url>${url}</url></mirror>
  </mirrors>
  <servers>
    <server><id>codeartifact</id><username>aws</username><password>\${env.CODEARTIFACT_AUTH_TOKEN}</password></server>
  </servers>
</settings>
`;
}

const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>demo</artifactId>
  <version>1.0</version>
  <dependencies>
    <dependency><groupId>org.example</groupId><artifactId>greeter</artifactId><version>1.0.0</version></dependency>
    <dependency><groupId>com.acme</groupId><artifactId>core</artifactId><version>2.4.0</version></dependency>
  </dependencies>
</project>
`;

async function versionsOf(emu: Emulator, repository: string, namespace: string, pkg: string) {
  const out = await sdkClient(emu.url).send(new ListPackageVersionsCommand({ domain: 'acme', repository, format: 'maven', namespace, package: pkg }));
  return Object.fromEntries((out.versions ?? []).map((v) => [v.version!, v.origin]));
}

describe('Maven registry', () => {
  let emu: Emulator;
  const dirs = new TempDirs();

  before(async () => {
    emu = await startEmulator({ seed: registrySeed(), ingestionDelayMs: 50, ingestionTimeoutMs: 20000 });
  });
  after(async () => {
    dirs.cleanup();
    await emu?.close();
  });

  it('real mvn resolves a project dependency (and its dependency) through public:maven-central', { skip: !existsSync(MVN) && 'mvn is not installed' }, async () => {
    const token = await tokenFor(emu);
    const dir = dirs.make('mvn-proj');
    writeFileSync(join(dir, 'pom.xml'), pom);
    writeFileSync(join(dir, 'settings.xml'), mavenSettings(endpoint(emu, 'maven', 'java-app')));
    const repoLocal = dirs.make('mvn-repo');
    const r = await run(MVN, ['-B', '-s', 'settings.xml', `-Dmaven.repo.local=${repoLocal}`, 'org.example.emulator:resolve-maven-plugin:1.0.0:resolve'], {
      cwd: dir,
      env: toolEnv(dirs.make('mvn-home'), { CODEARTIFACT_AUTH_TOKEN: token }),
      timeoutMs: 180000,
    });
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /RESOLVED org\.example:greeter:1\.0\.0 /);
    assert.match(r.output, /RESOLVED org\.example:strings:1\.2\.0 /, 'the transitive dependency came through too');
    assert.match(r.output, /RESOLVED com\.acme:core:2\.4\.0 /, 'the seeded version got a synthesised jar');
    assert.match(r.output, /BUILD SUCCESS/);
    assert.ok(existsSync(join(repoLocal, 'org/example/greeter/1.0.0/greeter-1.0.0.jar')));

    for (const repo of ['maven-store', 'java-app']) {
      for (const [ns, name, v] of [
        ['org.example', 'greeter', '1.0.0'],
        ['org.example', 'strings', '1.2.0'],
      ]) {
        const versions = await versionsOf(emu, repo, ns, name);
        assert.deepEqual(versions[v], { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:maven-central' } }, `${name} in ${repo}`);
      }
    }
    // Maven ingests every file of the version asked: jar and pom.
    const assets = await sdkClient(emu.url).send(
      new ListPackageVersionAssetsCommand({ domain: 'acme', repository: 'maven-store', format: 'maven', namespace: 'org.example', package: 'greeter', packageVersion: '1.0.0' }),
    );
    assert.deepEqual(assets.assets?.map((a) => a.name).sort(), ['greeter-1.0.0.jar', 'greeter-1.0.0.pom']);
    // Nothing beyond what was asked: strings 1.0.0 exists upstream but was not ingested.
    assert.equal((await versionsOf(emu, 'maven-store', 'org.example', 'strings'))['1.0.0'], undefined);
  });

  it('PUT stores an INTERNAL version; metadata lists versions; checksums match the bytes', async () => {
    const token = await tokenFor(emu);
    const base = endpoint(emu, 'maven', 'java-app');
    const auth = { authorization: basic(token) };
    const jar = Buffer.from('not really a jar, but bytes');
    for (const [file, body] of [
      ['widget-3.0.0.jar', jar],
      ['widget-3.0.0.pom', Buffer.from('<project/>')],
      ['widget-3.0.0.jar.sha1', Buffer.from('x')],
    ] as const) {
      const res = await fetch(`${base}com/acme/widget/3.0.0/${file}`, { method: 'PUT', body, headers: auth });
      assert.equal(res.status, 201, file);
    }
    const meta = await fetch(`${base}com/acme/widget/maven-metadata.xml`, { headers: auth });
    const xml = await meta.text();
    assert.match(xml, /<latest>3\.0\.0<\/latest>/);
    assert.match(xml, /<version>3\.0\.0<\/version>/);
    const sha1 = await (await fetch(`${base}com/acme/widget/3.0.0/widget-3.0.0.jar.sha1`, { headers: auth })).text();
    assert.equal(sha1, createHash('sha1').update(jar).digest('hex'));
    const md5 = await (await fetch(`${base}com/acme/widget/3.0.0/widget-3.0.0.jar.md5`, { headers: auth })).text();
    assert.equal(md5, createHash('md5').update(jar).digest('hex'));
    const metaSha = await (await fetch(`${base}com/acme/widget/maven-metadata.xml.sha256`, { headers: auth })).text();
    assert.equal(metaSha, createHash('sha256').update(xml).digest('hex'));
    assert.deepEqual((await versionsOf(emu, 'java-app', 'com.acme', 'widget'))['3.0.0'], { originType: 'INTERNAL', domainEntryPoint: { repositoryName: 'java-app' } });
    const again = await fetch(`${base}com/acme/widget/3.0.0/widget-3.0.0.jar`, { method: 'PUT', body: jar, headers: auth });
    assert.equal(again.status, 409);
    // Maven learns of auth from the challenge.
    const anon = await fetch(`${base}com/acme/widget/3.0.0/widget-3.0.0.jar`);
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get('www-authenticate') ?? '', /^Basic /);
  });

  it('the other Maven external connections are accepted and served by the fake Maven registry', async () => {
    const client = sdkClient(emu.url);
    for (const name of ['public:maven-googleandroid', 'public:maven-gradleplugins', 'public:maven-commonsware', 'public:maven-clojars']) {
      const repository = name.replace('public:', 'ext-');
      await client.send(new CreateRepositoryCommand({ domain: 'acme', repository }));
      const r = await client.send(new AssociateExternalConnectionCommand({ domain: 'acme', repository, externalConnection: name }));
      assert.deepEqual(r.repository?.externalConnections, [{ externalConnectionName: name, packageFormat: 'maven', status: 'Available' }]);
    }
    // A repository seeded on public:maven-clojars, another upstream of it: a Maven GET through the downstream one.
    const clj = await startEmulator({ seed: proxiedSeed('public:maven-clojars', 'clojars-store', 'clj-app').build(), ingestionDelayMs: 50, ingestionTimeoutMs: 20000 });
    try {
      const auth = { authorization: basic(await tokenFor(clj)) };
      const res = await fetch(`${endpoint(clj, 'maven', 'clj-app')}org/example/greeter/1.0.0/greeter-1.0.0.pom`, { headers: auth });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /<artifactId>greeter<\/artifactId>/);
      for (const repo of ['clj-app', 'clojars-store']) {
        const versions = await versionsOf(clj, repo, 'org.example', 'greeter');
        assert.deepEqual(versions['1.0.0'], { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:maven-clojars' } }, repo);
      }
    } finally {
      await clj.close();
    }
  });
});
