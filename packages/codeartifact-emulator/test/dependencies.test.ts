// ListPackageVersionDependencies: what each format's metadata declares — npm package.json fields of a
// package published with the real npm client, a Maven POM (parent, scopes, optional), a wheel's
// Requires-Dist — through the real AWS SDK and the real AWS CLI.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListPackageVersionDependenciesCommand, type PackageFormat } from '@aws-sdk/client-codeartifact';
import { buildWheel } from '../src/registries/build';
import { startEmulator, type Emulator } from '../src/server';
import { basic, cliError, cliJson, codeartifactCli, endpoint, rejection, run, sdkClient, TempDirs, testSeed, tokenFor, toolEnv, writeSecret } from '../src/testing';

const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>7</version></parent>
  <groupId>com.acme</groupId><artifactId>service</artifactId><version>1.0.0</version>
  <dependencyManagement><dependencies>
    <dependency><groupId>managed</groupId><artifactId>only</artifactId><version>1</version></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <!-- <dependency><groupId>commented</groupId><artifactId>out</artifactId></dependency> -->
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.9</version></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>[4.13,5)</version><scope>test</scope></dependency>
    <dependency><groupId>com.acme</groupId><artifactId>extras</artifactId><version>1.1</version><optional>true</optional></dependency>
  </dependencies>
  <build><plugins><plugin><artifactId>p</artifactId><dependencies>
    <dependency><groupId>plugin</groupId><artifactId>dep</artifactId><version>1</version></dependency>
  </dependencies></plugin></plugins></build>
</project>
`;

function multipart(fields: Record<string, string>, file: { filename: string; data: Buffer }): { body: Buffer; type: string } {
  const boundary = 'DePbOuNdArY';
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

describe('ListPackageVersionDependencies', () => {
  let emu: Emulator;
  const dirs = new TempDirs();
  let home: string;
  const deps = (format: PackageFormat, pkg: string, version: string, namespace?: string) =>
    sdkClient(emu.url).send(new ListPackageVersionDependenciesCommand({ domain: 'acme', repository: 'app', format, namespace, package: pkg, packageVersion: version }));

  before(async () => {
    emu = await startEmulator({ seed: testSeed() });
    home = dirs.make('deps-home');
  });
  after(async () => {
    dirs.cleanup();
    await emu?.close();
  });

  it('npm: the four dependency fields of a package published with real npm, with their dependency types', async () => {
    const token = await tokenFor(emu);
    const dir = dirs.make('deps-npm');
    const reg = endpoint(emu, 'npm', 'app');
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: '@acme/with-deps',
        version: '2.0.0',
        main: 'index.js',
        dependencies: { 'left-pad': '^1.3.0', '@acme/ui': '~1.1.0' },
        devDependencies: { 'is-odd': '3.0.1' },
        peerDependencies: { react: '>=18' },
        optionalDependencies: { 'is-even': '*' },
      }),
    );
    writeFileSync(join(dir, 'index.js'), 'module.exports = 1;\n');
    writeSecret(join(dir, '.npmrc'), `registry=${reg}\n${reg.replace(/^http:/, '')}:_authToken=${token}\nupdate-notifier=false\n`);
    const pub = await run('npm', ['publish', '--cache', dirs.make('npm-cache')], { cwd: dir, env: toolEnv(home), timeoutMs: 60000 });
    assert.equal(pub.code, 0, pub.output);

    const out = await deps('npm', 'with-deps', '2.0.0', 'acme');
    assert.equal(out.format, 'npm');
    assert.equal(out.namespace, 'acme');
    assert.equal(out.package, 'with-deps');
    assert.equal(out.version, '2.0.0');
    assert.ok(out.versionRevision);
    const byType = (t: string) =>
      (out.dependencies ?? [])
        .filter((d) => d.dependencyType === t)
        .map((d) => [d.namespace, d.package, d.versionRequirement])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    assert.deepEqual(byType('regular'), [
      [undefined, 'left-pad', '^1.3.0'],
      ['acme', 'ui', '~1.1.0'],
    ]);
    assert.deepEqual(byType('dev'), [[undefined, 'is-odd', '3.0.1']]);
    assert.deepEqual(byType('peer'), [[undefined, 'react', '>=18']]);
    assert.deepEqual(byType('optional'), [[undefined, 'is-even', '*']]);
  });

  it('npm via the CLI; a seeded version lists its declared dependencies as regular; unknown versions are not found', async () => {
    const home2 = dirs.make('deps-cli');
    const ca = codeartifactCli(emu.url, home2);
    const out = cliJson(
      await ca('list-package-version-dependencies', '--domain', 'acme', '--repository', 'app', '--format', 'npm', '--package', 'left-pad', '--package-version', '1.3.0'),
    );
    assert.deepEqual(out.dependencies, []);
    assert.equal(out.package, 'left-pad');
    cliError(
      await ca('list-package-version-dependencies', '--domain', 'acme', '--repository', 'app', '--format', 'npm', '--package', 'left-pad', '--package-version', '9.9.9'),
      'ResourceNotFoundException',
      'ListPackageVersionDependencies',
    );
    const e = await rejection(deps('npm', 'nope', '1.0.0'));
    assert.equal(e.name, 'ResourceNotFoundException');
  });

  it('Maven: the POM parent and project dependencies with their scopes (not managed or plugin dependencies)', async () => {
    const token = await tokenFor(emu);
    const base = `${endpoint(emu, 'maven', 'app')}com/acme/service/1.0.0/service-1.0.0`;
    for (const [ext, body] of [
      ['pom', POM],
      ['jar', 'PK fake jar'],
    ]) {
      const res = await fetch(`${base}.${ext}`, { method: 'PUT', body, headers: { authorization: basic(token) } });
      assert.equal(res.status, 201, await res.text());
    }
    const out = await deps('maven', 'service', '1.0.0', 'com.acme');
    assert.deepEqual(
      out.dependencies?.map((d) => [d.namespace, d.package, d.dependencyType, d.versionRequirement]),
      [
        ['com.acme', 'acme-parent', 'parent', '7'],
        ['org.slf4j', 'slf4j-api', 'compile', '2.0.9'],
        ['junit', 'junit', 'test', '[4.13,5)'],
        ['com.acme', 'extras', 'optional', '1.1'],
      ],
    );
  });

  it('PyPI: Requires-Dist of an uploaded wheel, names normalised, markers kept in the requirement', async () => {
    const token = await tokenFor(emu);
    const wheel = buildWheel({ name: 'acme-report', version: '0.2.0', requires: ['Tiny_Colors>=0.1', 'requests (>=2.0)', 'colorama; platform_system == "Windows"', 'plain'] });
    const m = multipart({ ':action': 'file_upload', name: 'acme-report', version: '0.2.0', protocol_version: '1' }, wheel);
    const res = await fetch(endpoint(emu, 'pypi', 'app'), { method: 'POST', body: m.body, headers: { 'content-type': m.type, authorization: basic(token) } });
    assert.equal(res.status, 200, await res.text());
    const out = await deps('pypi', 'acme-report', '0.2.0');
    assert.deepEqual(
      out.dependencies?.map((d) => [d.namespace, d.package, d.dependencyType, d.versionRequirement]),
      [
        [undefined, 'tiny-colors', 'Requires-Dist', '>=0.1'],
        [undefined, 'requests', 'Requires-Dist', '(>=2.0)'],
        [undefined, 'colorama', 'Requires-Dist', '; platform_system == "Windows"'],
        [undefined, 'plain', 'Requires-Dist', undefined],
      ],
    );
  });
});
