import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describePackageRef } from '../../../src/core/coordinates';
import {
  classifyFailure,
  failuresInSuccessfulRun,
  mavenPackageFromUrl,
  npmPackageFromUrl,
  pypiPackageFromUrl,
  stripAnsi,
  stripUrlCredentials,
  type FailureKind,
} from '../../../src/core/install/outputParsers';
import type { InstallTool } from '../../../src/core/tools';

const CAPTURED = join(__dirname, 'fixtures', 'captured');
const captured = (f: string) => readFileSync(join(CAPTURED, f), 'utf8');

/**
 * Output captured from the real tools against the emulator (scripts/capture-install-fixtures.mjs).
 * Maven and Gradle print an ingestion 404 as "could not find" (they drop the reason phrase), so their
 * ingestion cases classify as not-found here; the retry loop's probe tells them apart.
 */
const CASES: [file: string, tool: InstallTool, kind: FailureKind, packages: string[]][] = [
  ['npm-ingestion-packument.txt', 'npm', 'ingestion', ['left-pad']],
  ['npm-ingestion-tarball.txt', 'npm', 'ingestion', ['pad-utils@2.0.0']],
  ['npm-notfound.txt', 'npm', 'not-found', ['no-such-package-xyz']],
  ['npm-blocked.txt', 'npm', 'not-found', ['blocked-pkg']],
  ['npm-auth.txt', 'npm', 'auth', []],
  ['npm-notarget.txt', 'npm', 'other', []],
  ['pip-ingestion.txt', 'pip', 'ingestion', ['tinyfmt']],
  ['pip-notfound.txt', 'pip', 'not-found', ['no-such-project==1.0']],
  ['pip-auth.txt', 'pip', 'auth', []],
  ['maven-ingestion-plugin.txt', 'maven', 'not-found', ['org.example.emulator:resolve-maven-plugin:1.0.0']],
  ['maven-ingestion.txt', 'maven', 'not-found', ['org.example:greeter:1.0.0']],
  ['maven-ingestion-run3.txt', 'maven', 'not-found', ['org.example:strings:1.2.0']],
  ['maven-ingestion-run4.txt', 'maven', 'not-found', ['org.codehaus.plexus:plexus-utils:1.1']],
  ['maven-notfound.txt', 'maven', 'not-found', ['org.example:no-such-artifact:1.0.0']],
  ['maven-auth.txt', 'maven', 'auth', []],
  ['maven-other.txt', 'maven', 'other', []],
  ['gradle-ingestion.txt', 'gradle', 'not-found', ['org.example:greeter:1.0.0']],
  ['gradle-notfound.txt', 'gradle', 'not-found', ['org.example:no-such-artifact:1.0.0']],
  ['gradle-auth.txt', 'gradle', 'auth', []],
];

describe('classifyFailure on output captured from the real tools', () => {
  for (const [file, tool, kind, pkgs] of CASES) {
    it(`${file}: ${kind}${pkgs.length ? ` (${pkgs.join(', ')})` : ''}`, () => {
      const out = captured(file);
      const c = classifyFailure(tool, out);
      assert.equal(c.kind, kind, c.message);
      if (kind !== 'auth') assert.deepEqual(c.packages.map(describePackageRef), pkgs);
      // The message is the tool's own lines that decided it, and they show why.
      const lines = c.message.split('\n');
      for (const line of lines) assert.ok(stripUrlCredentials(stripAnsi(out)).includes(line), `not in the output: ${line}`);
      const why = {
        ingestion: /Ingestion is in progress/,
        'not-found': /404|Could not find|No matching distribution/,
        auth: /401|Unauthorized|Unable to authenticate/,
        other: /\S/,
      }[kind];
      assert.match(c.message, why);
      for (const p of c.packages) {
        assert.ok(
          lines.some((l) => l.includes(p.name)),
          `no line names ${p.name}`,
        );
      }
    });
  }

  it('every captured failure file is covered by a case above', () => {
    const files = readdirSync(CAPTURED).filter((f) => !/success/.test(f) && f !== 'gradle-ingestion-dependencies.txt');
    assert.deepEqual(files.sort(), CASES.map((c) => c[0]).sort());
  });

  it('the "other" message is the tool\'s own last lines', () => {
    const c = classifyFailure('maven', captured('maven-other.txt'));
    assert.match(c.message, /Non-parseable POM/);
    const n = classifyFailure('npm', captured('npm-notarget.txt'));
    assert.match(n.message, /No matching version found for left-pad@9\.9\.9/);
  });

  it('captured success output is not mistaken for a failure', () => {
    for (const [f, tool] of [
      ['npm-success.txt', 'npm'],
      ['pip-success.txt', 'pip'],
      ['gradle-success.txt', 'gradle'],
      ['maven-retry-success.txt', 'maven'],
    ] as const) {
      assert.equal(classifyFailure(tool, captured(f)).kind, 'other', f);
    }
    assert.deepEqual(failuresInSuccessfulRun('gradle', captured('gradle-success.txt')), []);
  });

  it('gradle `dependencies` exits 0 but marks what it could not resolve FAILED', () => {
    const out = captured('gradle-ingestion-dependencies.txt');
    assert.deepEqual(failuresInSuccessfulRun('gradle', out).map(describePackageRef), ['org.example:strings:1.2.0']);
    assert.deepEqual(failuresInSuccessfulRun('npm', out), []);
  });

  it('a token in the index URL (pip with credentials in index-url) never reaches the message or the packages', () => {
    const token = 'eyJ2ZXIiOjEsImlzdSI6MTcwMDAwMDAwMH0.c2VjcmV0LXRva2Vu';
    for (const [file, kind] of [
      ['pip-ingestion.txt', 'ingestion'],
      ['pip-notfound.txt', 'not-found'],
      ['pip-auth.txt', 'auth'],
    ] as const) {
      const out = captured(file).replaceAll('http://127.0.0.1', `http://aws:${token}@127.0.0.1`);
      assert.ok(out.includes(token));
      const c = classifyFailure('pip', out);
      assert.equal(c.kind, kind, file);
      assert.ok(!`${c.message}${JSON.stringify(c.packages)}`.includes(token), file);
    }
  });
});

describe('hand-written cases (tools or versions not installed here, from their documented output)', () => {
  it('npm 6 "npm ERR!" and a scoped packument', () => {
    const out =
      'npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://acme-111122223333.d.codeartifact.us-west-2.amazonaws.com/npm/app/@types%2fnode - Ingestion is in progress. Please try again later.\n';
    const c = classifyFailure('npm', out);
    assert.equal(c.kind, 'ingestion');
    assert.deepEqual(c.packages.map(describePackageRef), ['@types/node']);
  });
  it('npm E403 is an auth error', () => {
    assert.equal(classifyFailure('npm', 'npm error code E403\nnpm error 403 403 Forbidden - GET http://x/npm/app/left-pad - Forbidden').kind, 'auth');
  });
  it('Gradle 7/8: "Could not GET ... Received status code 404 from server: <reason>"', () => {
    const base =
      "   > Could not resolve com.google.guava:guava:33.2.1-jre.\n      > Could not get resource 'https://acme-111122223333.d.codeartifact.us-west-2.amazonaws.com/maven/app/com/google/guava/guava/33.2.1-jre/guava-33.2.1-jre.pom'.\n         > Could not GET 'https://acme-111122223333.d.codeartifact.us-west-2.amazonaws.com/maven/app/com/google/guava/guava/33.2.1-jre/guava-33.2.1-jre.pom'. Received status code 404 from server: ";
    const ing = classifyFailure('gradle', `${base}Ingestion is in progress. Please try again later.\n`);
    assert.equal(ing.kind, 'ingestion');
    assert.deepEqual(ing.packages.map(describePackageRef), ['com.google.guava:guava:33.2.1-jre']);
    assert.equal(classifyFailure('gradle', `${base}Not Found\n`).kind, 'not-found');
    assert.equal(classifyFailure('gradle', `${base.replace('404', '403')}Forbidden\n`).kind, 'auth');
  });
  it('Maven with the reason phrase (resolver transports that keep it)', () => {
    const out =
      '[ERROR] Failed to execute goal on project app: Could not resolve dependencies for project com.acme:app:jar:1.0: Could not transfer artifact org.example:greeter:pom:1.0.0 from/to codeartifact (https://acme-111122223333.d.codeartifact.us-west-2.amazonaws.com/maven/app/): status code: 404, reason phrase: Ingestion is in progress. Please try again later. (404) -> [Help 1]';
    const c = classifyFailure('maven', out);
    assert.equal(c.kind, 'ingestion');
    assert.deepEqual(c.packages.map(describePackageRef), ['org.example:greeter:1.0.0']);
  });
  it('pnpm and yarn print a 404 without the reason: not-found (the probe decides)', () => {
    const pnpm = classifyFailure(
      'pnpm',
      ' ERR_PNPM_FETCH_404  GET https://acme-111122223333.d.codeartifact.us-west-2.amazonaws.com/npm/app/left-pad/-/left-pad-1.3.0.tgz: Not Found - 404',
    );
    assert.equal(pnpm.kind, 'not-found');
    assert.deepEqual(pnpm.packages.map(describePackageRef), ['left-pad@1.3.0']);
    const yarn = classifyFailure(
      'yarn',
      'error An unexpected error occurred: "https://acme-111122223333.d.codeartifact.us-west-2.amazonaws.com/npm/app/@acme/ui/-/ui-1.1.0.tgz: Request failed \\"404 Not Found\\"".',
    );
    assert.equal(yarn.kind, 'not-found');
    assert.deepEqual(yarn.packages.map(describePackageRef), ['@acme/ui@1.1.0']);
  });
});

describe('package names from URLs', () => {
  it('npm packuments and tarballs, scoped or not', () => {
    const ep = 'http://127.0.0.1:9/npm/d/acme-111122223333/app/';
    assert.equal(describePackageRef(npmPackageFromUrl(`${ep}left-pad`)!), 'left-pad');
    assert.equal(describePackageRef(npmPackageFromUrl(`${ep}@acme%2fui`)!), '@acme/ui');
    assert.equal(describePackageRef(npmPackageFromUrl(`${ep}@acme/ui`)!), '@acme/ui');
    assert.equal(describePackageRef(npmPackageFromUrl(`${ep}@acme/ui/-/ui-1.1.0-beta.1.tgz`)!), '@acme/ui@1.1.0-beta.1');
    assert.equal(describePackageRef(npmPackageFromUrl(`${ep}left-pad/-/left-pad-1.3.0.tgz`)!), 'left-pad@1.3.0');
  });
  it('maven files and metadata', () => {
    assert.equal(
      describePackageRef(
        mavenPackageFromUrl('https://acme-111122223333.d.codeartifact.us-west-2.amazonaws.com/maven/app/org/apache/commons/commons-lang3/3.14.0/commons-lang3-3.14.0.pom')!,
      ),
      'org.apache.commons:commons-lang3:3.14.0',
    );
    assert.equal(
      describePackageRef(mavenPackageFromUrl('http://127.0.0.1:9/maven/d/acme-111122223333/java-libs/org/example/greeter/1.0.0/greeter-1.0.0-sources.jar')!),
      'org.example:greeter:1.0.0',
    );
    assert.equal(describePackageRef(mavenPackageFromUrl('http://127.0.0.1:9/maven/d/acme-111122223333/java-libs/org/example/greeter/maven-metadata.xml')!), 'org.example:greeter');
  });
  it('pypi simple pages and files', () => {
    assert.equal(describePackageRef(pypiPackageFromUrl('http://127.0.0.1:9/pypi/d/acme-111122223333/python/simple/Typing_Extensions/')!), 'typing-extensions');
    assert.equal(describePackageRef(pypiPackageFromUrl('http://127.0.0.1:9/pypi/d/acme-111122223333/python/simple/tinyfmt/tinyfmt-1.1.0-py3-none-any.whl')!), 'tinyfmt');
  });
});
