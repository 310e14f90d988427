import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LockfileError,
  parsePackageLock,
  parsePnpmLock,
  parseVersionCatalog,
  parseYarnLock,
  readPom,
  readProjectLockfilesEach,
  readRequirements,
  type LockEntry,
} from '../../../src/core/install/lockfiles';
import { packageDisplayName } from '../../../src/core/coordinates';

const FIX = join(__dirname, 'fixtures', 'lockfiles');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');
/** Sorted `name@version` strings: what a user would compare against the lockfile. */
const names = (entries: LockEntry[]) => entries.map((e) => `${packageDisplayName(e.format, e.namespace, e.name)}@${e.version}`).sort();

describe('package-lock.json', () => {
  it('v3: packages map, skipping root, workspaces, links, bundled and git; aliases fetch the real name', () => {
    const r = parsePackageLock(read('package-lock.v3.json'), 'package-lock.json');
    assert.deepEqual(names(r.entries), ['@acme/ui@1.1.0', 'has-bundle@1.0.0', 'is-even@1.0.0', 'is-odd@3.0.1', 'left-pad@1.1.3', 'left-pad@1.3.0']);
    const ui = r.entries.find((e) => e.name === 'ui');
    assert.deepEqual(ui, { format: 'npm', namespace: 'acme', name: 'ui', version: '1.1.0' });
  });

  it('a lockfile written by real npm 11 against the emulator', () => {
    const r = parsePackageLock(read('package-lock.emulator.json'));
    assert.deepEqual(names(r.entries), ['@acme/ui@1.1.0', 'is-even@1.0.0', 'is-odd@1.1.0', 'left-pad@1.3.0', 'pad-utils@2.0.0']);
  });

  it('v1: nested dependencies, npm: aliases, git versions skipped', () => {
    const r = parsePackageLock(read('package-lock.v1.json'));
    assert.deepEqual(names(r.entries), ['@types/node@20.11.5', 'left-pad@1.1.3', 'left-pad@1.3.0', 'minimist@1.2.8', 'mkdirp@0.5.6']);
  });

  it('malformed JSON names the file', () => {
    assert.throws(
      () => parsePackageLock(read('bad/package-lock.json'), 'bad/package-lock.json'),
      (e: Error) => e instanceof LockfileError && /^bad\/package-lock\.json: not valid JSON/.test(e.message),
    );
    assert.throws(() => parsePackageLock('{"name":"x"}', 'p.json'), /p\.json: no "packages" map/);
    assert.throws(() => parsePackageLock('{"lockfileVersion":3,"packages":{"node_modules/a":{}}}', 'p.json'), /p\.json: packages\["node_modules\/a"\] has no version/);
  });
});

describe('pnpm-lock.yaml', () => {
  const expected = ['@acme/ui@1.1.0', 'js-tokens@4.0.0', 'left-pad@1.3.0', 'loose-envify@1.4.0', 'react@18.2.0'];
  it('v6 keys (/name@version(peers)), tarball deps skipped', () => {
    assert.deepEqual(names(parsePnpmLock(read('pnpm-lock.v6.yaml')).entries), expected);
  });
  it('v9 keys (name@version), snapshots not double counted', () => {
    assert.deepEqual(names(parsePnpmLock(read('pnpm-lock.v9.yaml')).entries), expected);
  });
  it('v5 keys (/name/version_peer)', () => {
    const text =
      'lockfileVersion: 5.4\npackages:\n  /left-pad/1.3.0:\n    resolution: {integrity: sha512-x}\n  /@acme/ui/1.1.0_react@18.2.0:\n    resolution: {integrity: sha512-y}\n';
    assert.deepEqual(names(parsePnpmLock(text).entries), ['@acme/ui@1.1.0', 'left-pad@1.3.0']);
  });
  it('malformed input names the file', () => {
    assert.throws(() => parsePnpmLock('packages: [1, 2', 'pnpm-lock.yaml'), /pnpm-lock\.yaml: not valid YAML/);
    assert.throws(() => parsePnpmLock('foo: 1\n', 'pnpm-lock.yaml'), /pnpm-lock\.yaml: no lockfileVersion/);
  });
});

describe('yarn.lock', () => {
  const expected = ['@acme/ui@1.1.0', 'js-tokens@4.0.0', 'left-pad@1.1.3', 'left-pad@1.3.0', 'loose-envify@1.4.0'];
  it('v1: multi-specifier headers, npm: aliases, git and file skipped', () => {
    assert.deepEqual(names(parseYarnLock(read('yarn.v1.lock')).entries), expected);
  });
  it('berry: resolution npm: only (workspaces and patches skipped)', () => {
    assert.deepEqual(names(parseYarnLock(read('yarn.berry.lock')).entries), ['@acme/ui@1.1.0', 'js-tokens@4.0.0', 'left-pad@1.1.3', 'left-pad@1.3.0', 'resolve@1.22.8']);
  });
  it('malformed v1 names the file and line', () => {
    assert.throws(() => parseYarnLock(read('bad/yarn.lock'), 'yarn.lock'), /yarn\.lock: line 3: expected "name@range:"/);
  });
});

describe('pom.xml', () => {
  it('local parent: inherited properties (child wins), dependencyManagement, BOM import, plugins; system scope skipped', () => {
    const r = readPom(join(FIX, 'maven-multi', 'app', 'pom.xml'));
    assert.deepEqual(names(r.entries), [
      'com.acme:acme-core@3.1.0',
      'com.fasterxml.jackson.core:jackson-databind@2.17.2',
      'org.apache.commons:commons-lang3@3.14.0',
      'org.apache.maven.plugins:maven-surefire-plugin@3.2.5',
      'org.codehaus.mojo:exec-maven-plugin@3.3.0',
      'org.junit:junit-bom@5.10.2',
      'org.slf4j:slf4j-api@2.0.13',
    ]);
    // junit-jupiter's version comes from the BOM, which is not local: skipped with a warning, not guessed.
    assert.ok(r.warnings.some((w) => w.includes('org.junit.jupiter:junit-jupiter')));
  });

  it('a parent from the repository is itself fetched', () => {
    const r = readPom(join(FIX, 'maven-remote-parent', 'pom.xml'));
    assert.deepEqual(names(r.entries), ['com.google.guava:guava@33.2.1-jre', 'org.springframework.boot:spring-boot-starter-parent@3.3.0']);
    assert.ok(r.warnings.some((w) => w.includes('spring-boot-starter-web')));
  });

  it('malformed XML and undefined properties name the file and line', () => {
    assert.throws(
      () => readPom(join(FIX, 'bad', 'pom.xml')),
      (e: Error) => e instanceof LockfileError && /bad\/pom\.xml: line 5: end tag <\/dependencies> does not match <dependency> opened on line 3/.test(e.message),
    );
    const text = '<project><dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId><version>${nope}</version></dependency></dependencies></project>';
    assert.throws(() => readPom('/x/pom.xml', text), /\/x\/pom\.xml: line 1: a:b version "\$\{nope\}" uses a property that is not defined/);
    assert.throws(() => readPom('/x/pom.xml', '<settings/>'), /root element is <settings>/);
  });

  it('properties that refer to each other resolve through several levels; a property that refers to itself ends as undefined', () => {
    const dep = (version: string) => `<dependency><groupId>g</groupId><artifactId>a</artifactId><version>${version}</version></dependency>`;
    const pom = (props: string, version: string) => `<project><properties>${props}</properties><dependencies>${dep(version)}</dependencies></project>`;
    const chained = readPom('/x/pom.xml', pom('<major>2</major><minor>${major}.5</minor><lib.version>${minor}.1</lib.version>', '${lib.version}'));
    assert.deepEqual(names(chained.entries), ['g:a@2.5.1']);
    assert.throws(() => readPom('/x/pom.xml', pom('<loop>${loop}</loop>', '${loop}')), /g:a version "\$\{loop\}" uses a property that is not defined/);
  });

  it('nested ${a}${a} properties in a 1 KB pom.xml end at once with an error naming the property, not a huge version', () => {
    const dep = `<dependency><groupId>g</groupId><artifactId>a</artifactId><version>\${p0}</version></dependency>`;
    const props = Array.from({ length: 40 }, (_, i) => `<p${i}>\${p${i + 1}}\${p${i + 1}}</p${i}>`).join('') + '<p40>1</p40>';
    const text = `<project><properties>${props}</properties><dependencies>${dep}</dependencies></project>`;
    assert.ok(text.length < 1200, `the pom is ${text.length} characters`);
    const started = performance.now();
    assert.throws(
      () => readPom('/x/pom.xml', text),
      (e: Error) => e instanceof LockfileError && /^\/x\/pom\.xml: property "p0" expands to more than 4096 characters/.test(e.message) && e.message.length < 300,
    );
    assert.ok(performance.now() - started < 500, `took ${Math.round(performance.now() - started)} ms`);
    // A wide but shallow expansion that stays small still resolves: each property is expanded once.
    const ok = `<project><properties><v>1</v><w>\${v}.\${v}</w><x>\${w}.\${w}</x></properties><dependencies>${dep.replace('p0', 'x')}</dependencies></project>`;
    assert.deepEqual(names(readPom('/x/pom.xml', ok).entries), ['g:a@1.1.1.1']);
  });
});

describe('requirements.txt', () => {
  it('== and === pins, -r includes relative to the file, names normalised; the rest skipped', () => {
    const r = readRequirements(join(FIX, 'pip', 'requirements.txt'));
    assert.deepEqual(names(r.entries), ['certifi@2024.6.2', 'django@5.0.6', 'requests@2.32.3', 'typing-extensions@4.12.2', 'zope-interface@6.4.post2']);
    assert.ok(r.entries.every((e) => e.format === 'pypi' && e.namespace === undefined));
  });
  it('a missing include names the including file', () => {
    assert.throws(() => readRequirements(join(FIX, 'bad', 'requirements.txt')), /bad\/requirements\.txt:1: cannot read included file .*missing\.txt \(ENOENT\)/);
  });
});

describe('gradle/libs.versions.toml', () => {
  it('[libraries] with version, version.ref and rich versions; BOM-managed and ranges skipped', () => {
    const r = parseVersionCatalog(read('gradle/gradle/libs.versions.toml'));
    assert.deepEqual(names(r.entries), [
      'com.google.guava:guava@33.2.1-jre',
      'com.squareup.okhttp3:okhttp@4.12.0',
      'commons-io:commons-io@2.16.1',
      'org.jetbrains.kotlin:kotlin-stdlib@2.0.0',
      'org.slf4j:slf4j-api@2.0.13',
    ]);
    assert.equal(r.warnings.length, 2);
  });
  it('an unknown version.ref names the file and library', () => {
    assert.throws(
      () => parseVersionCatalog(read('bad/libs.versions.toml'), 'libs.versions.toml'),
      /libs\.versions\.toml: \[libraries\]\.guava: version\.ref "nope" is not in \[versions\]/,
    );
    assert.throws(() => parseVersionCatalog('[libraries\n', 'libs.versions.toml'), /libs\.versions\.toml: not valid TOML/);
  });
});

describe('readProjectLockfilesEach', () => {
  it('finds the lockfiles of a folder', () => {
    const r = readProjectLockfilesEach(join(FIX, 'gradle'));
    assert.deepEqual(r.errors, []);
    assert.equal(r.results.length, 1);
    assert.equal(r.results[0].entries.length, 5);
    assert.deepEqual(
      readProjectLockfilesEach(join(FIX, 'pip')).results.map((x) => x.entries.length),
      [5],
    );
  });
  it('a malformed lockfile is reported by name and does not hide the others', () => {
    const d = mkdtempSync(join(tmpdir(), 'lockfiles-'));
    try {
      writeFileSync(join(d, 'package-lock.json'), '{"lockfileVersion": 3, ');
      writeFileSync(join(d, 'requirements.txt'), 'Tiny_Fmt==1.1.0\n');
      const r = readProjectLockfilesEach(d);
      assert.deepEqual(
        r.results.flatMap((x) => names(x.entries)),
        ['tiny-fmt@1.1.0'],
      );
      assert.equal(r.errors.length, 1);
      assert.ok(r.errors[0] instanceof LockfileError);
      assert.match(r.errors[0].message, /package-lock\.json: not valid JSON/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
