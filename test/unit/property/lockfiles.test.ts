// Property tests for every lockfile reader (package-lock.json, pnpm-lock.yaml, yarn.lock v1 and berry,
// requirements.txt, gradle/libs.versions.toml, pom.xml): a generated lockfile reads back exactly the packages it
// pins; any other input either reads or is refused with LockfileError naming the file — nothing else is thrown —
// and no call takes more than 100 ms.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import {
  LockfileError,
  parsePackageLock,
  parsePnpmLock,
  parseVersionCatalog,
  parseYarnLock,
  readPom,
  readRequirements,
  type LockfileResult,
} from '../../../src/core/install/lockfiles';
import { anyText, mutated, params, timed } from './propertyKit';

/** A package a lockfile pins: npm name (maybe scoped), exact semver version. */
const npmName = fc.tuple(fc.option(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/)), fc.stringMatching(/^[a-z][a-z0-9._-]{0,12}$/)).map(([scope, n]) => (scope ? `@${scope}/${n}` : n));
const semverVersion = fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30), fc.option(fc.constantFrom('beta.1', 'rc.2'))).map(([a, b, c, pre]) => `${a}.${b}.${c}${pre ? `-${pre}` : ''}`);
const npmPins = fc.uniqueArray(fc.tuple(npmName, semverVersion), { selector: ([n]) => n, maxLength: 8 });

/** The readers' output as a sorted `name@version` list (npm scope re-attached). */
function pins(r: LockfileResult): string[] {
  return r.entries.map((e) => `${e.namespace ? (e.format === 'npm' ? `@${e.namespace}/` : `${e.namespace}:`) : ''}${e.name}@${e.version}`).sort();
}
const expected = (ps: [string, string][]) => ps.map(([n, v]) => `${n}@${v}`).sort();

/** requirements.txt is read from disk (for its `-r` includes): each input is written to this one file first. */
const reqFile = join(mkdtempSync(join(tmpdir(), 'ca-prop-req-')), 'requirements.txt');
after(() => rmSync(dirname(reqFile), { recursive: true, force: true }));
const readReq = (text: string) => {
  writeFileSync(reqFile, text);
  return readRequirements(reqFile);
};

/** Calls `read` on `text`; it must return or throw LockfileError naming `file`, within the time bound. */
function readsOrRefuses(what: string, file: string, read: () => LockfileResult): LockfileResult | undefined {
  const r = timed(what, read);
  if (r.error === undefined) return r.value;
  assert.ok(r.error instanceof LockfileError, `${what}: threw ${r.error instanceof Error ? `${r.error.name}: ${r.error.message}` : String(r.error)} instead of LockfileError`);
  assert.ok(r.error.message.startsWith(`${file}: `) || r.error.message.includes(file), `${what}: the message names the file: ${r.error.message}`);
  return undefined;
}

// ---- generated valid lockfiles ------------------------------------------------------------------------

const packageLock = npmPins.map((ps) => ({
  ps,
  text: JSON.stringify(
    {
      name: 'app',
      lockfileVersion: 3,
      packages: { '': { name: 'app' }, ...Object.fromEntries(ps.map(([n, v]) => [`node_modules/${n}`, { version: v, resolved: `https://registry.npmjs.org/${n}/-/x-${v}.tgz` }])) },
    },
    null,
    2,
  ),
}));
const pnpmLock = npmPins.map((ps) => ({
  ps,
  text: yamlStringify({
    lockfileVersion: '9.0',
    importers: { '.': {} },
    packages: Object.fromEntries(ps.map(([n, v]) => [`${n}@${v}`, { resolution: { integrity: 'sha512-x' } }])),
  }),
}));
const yarnV1 = npmPins.map((ps) => ({
  ps,
  text: '# yarn lockfile v1\n\n' + ps.map(([n, v]) => `"${n}@^${v}":\n  version "${v}"\n  resolved "https://registry.yarnpkg.com/${n}/-/x-${v}.tgz"\n`).join('\n'),
}));
const yarnBerry = npmPins.map((ps) => ({
  ps,
  text: yamlStringify({ __metadata: { version: 8 }, ...Object.fromEntries(ps.map(([n, v]) => [`${n}@npm:^${v}`, { version: v, resolution: `${n}@npm:${v}` }])) }),
}));
const pyName = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}[a-z0-9]$/).filter((n) => !/--/.test(n));
const pyPins = fc.uniqueArray(
  fc.tuple(
    pyName,
    semverVersion.map((v) => v.replace(/-.*$/, '')),
  ),
  { selector: ([n]) => n, maxLength: 8 },
);
const requirements = fc
  .tuple(pyPins, fc.array(fc.constantFrom('# comment', '-i https://pypi.org/simple', 'unpinned>=1.0', '', 'pkg @ https://x/y.whl'), { maxLength: 4 }))
  .map(([ps, noise]) => ({
    ps,
    text: [...noise, ...ps.map(([n, v]) => `${n}==${v}`)].join('\n') + '\n',
  }));
const mvnCoord = fc.tuple(fc.stringMatching(/^[a-z]{1,6}(\.[a-z]{1,6}){0,2}$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), semverVersion);
const mvnPins = fc.uniqueArray(mvnCoord, { selector: ([g, a]) => `${g}:${a}`, maxLength: 6 });
const catalog = mvnPins.map((ps) => ({
  ps: ps.map(([g, a, v]): [string, string] => [`${g}:${a}`, v]),
  text:
    '[versions]\nx = "1.0.0"\n\n[libraries]\n' +
    ps.map(([g, a, v], i) => (i % 2 ? `l${i} = "${g}:${a}:${v}"` : `l${i} = { module = "${g}:${a}", version = "${v}" }`)).join('\n') +
    '\n',
}));
const pom = mvnPins.map((ps) => ({
  ps: ps.map(([g, a, v]): [string, string] => [`${g}:${a}`, v]),
  text: `<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>y</artifactId><version>1</version><properties><v0>${ps[0]?.[2] ?? ''}</v0></properties><dependencies>${ps.map(([g, a, v], i) => `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${i === 0 ? '${v0}' : v}</version></dependency>`).join('')}</dependencies></project>`,
}));

void describe('property: lockfile readers read back what a generated lockfile pins', () => {
  const cases: [string, fc.Arbitrary<{ ps: [string, string][]; text: string }>, (text: string) => LockfileResult][] = [
    ['package-lock.json', packageLock, (t) => parsePackageLock(t)],
    ['pnpm-lock.yaml', pnpmLock, (t) => parsePnpmLock(t)],
    ['yarn.lock v1', yarnV1, (t) => parseYarnLock(t)],
    ['yarn.lock berry', yarnBerry, (t) => parseYarnLock(t)],
    ['libs.versions.toml', catalog, (t) => parseVersionCatalog(t)],
    ['pom.xml', pom, (t) => readPom('/nonexistent/p/pom.xml', t)],
    ['requirements.txt', requirements, readReq],
  ];
  for (const [name, gen, read] of cases) {
    void it(name, () => {
      fc.assert(
        fc.property(gen, ({ ps, text }) => {
          const r = timed(name, () => read(text));
          assert.equal(r.error, undefined, String(r.error));
          assert.deepEqual(pins(r.value!), expected(ps));
        }),
        params(80),
      );
    });
  }
});

// ---- anything else --------------------------------------------------------------------------------------

void describe('property: lockfile readers on arbitrary input read it or refuse it with LockfileError, fast', () => {
  const text = (valid: fc.Arbitrary<{ text: string }>) =>
    fc.oneof(
      valid.map((x) => x.text),
      mutated(valid.map((x) => x.text)),
      anyText,
    );
  const cases: [string, fc.Arbitrary<string>, (text: string) => LockfileResult][] = [
    ['package-lock.json', fc.oneof(text(packageLock), fc.json().map(String)), (t) => parsePackageLock(t)],
    ['pnpm-lock.yaml', text(pnpmLock), (t) => parsePnpmLock(t)],
    ['yarn.lock', fc.oneof(text(yarnV1), text(yarnBerry)), (t) => parseYarnLock(t)],
    ['gradle/libs.versions.toml', text(catalog), (t) => parseVersionCatalog(t)],
    ['/nonexistent/p/pom.xml', text(pom), (t) => readPom('/nonexistent/p/pom.xml', t)],
    [reqFile, fc.oneof(text(requirements), fc.constantFrom('-r requirements.txt\n', '-r missing.txt\n', '--requirement=../x\n')), readReq],
  ];
  for (const [file, gen, read] of cases) {
    void it(file, () => {
      fc.assert(
        fc.property(gen, (t) => {
          readsOrRefuses(file, file, () => read(t));
        }),
        params(250),
      );
    });
  }
});
