// Each writer on its own: insert, update in place, remove (byte-identical round trip), malformed input refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { applyNpmrc, iniValue, readNpmrcKey } from '../../../src/core/login/npmrc';
import { applyPipConfig, readPipKey } from '../../../src/core/login/pipConfig';
import { applyPypirc } from '../../../src/core/login/pypirc';
import { applyYarnrc, removeYarnrc } from '../../../src/core/login/yarnrc';
import { applyMavenSettings, removeMavenSettings } from '../../../src/core/login/mavenSettings';
import { applyGradleInit, removeGradleInit } from '../../../src/core/login/gradleInit';
import { parsePyIni } from '../../../src/core/login/pyIni';
import { parseXml } from '../../../src/core/xml';
import { LoginFileError } from '../../../src/core/login/errors';
import type { LineFileRecord } from '../../../src/core/login/lineEdits';
import { removeLogin } from '../../../src/core/login/loginPlan';
import type { LoginTarget } from '../../../src/core/tools';

const fx = (n: string) => readFileSync(join(__dirname, 'fixtures', n), 'utf8');
const NPM = 'http://127.0.0.1:4321/npm/app/';
const PYPI = 'http://127.0.0.1:4321/pypi/app/';
const MAVEN = 'http://127.0.0.1:4321/maven/app/';
const TOKEN = 'eyJ2ZXIiOjF9.c2lnbmF0dXJl-_x';

/**
 * What logout does to a file holding `text` (null: no file): the login plan's removeLogin with a record of this one
 * file. Returns the file's text afterwards (null: removed) and the warnings logout reports.
 */
async function logout(target: LoginTarget, text: string | null, record: LineFileRecord): Promise<{ text: string | null; warnings: string[] }> {
  const home = mkdtempSync(join(tmpdir(), 'ca-logout-'));
  try {
    const file = join(home, 'config');
    if (text !== null) writeFileSync(file, text);
    const [o] = await removeLogin({ version: 1, domain: 'acme', repository: 'app', tools: [], expiresAt: 0, files: [{ target, record: { ...record, file } }] }, { home, env: {} });
    assert.ok(o.ok, o.error);
    return { text: existsSync(file) ? readFileSync(file, 'utf8') : null, warnings: o.warnings };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

void describe('npmrc', () => {
  void it('adds registry and the nerf-darted _authToken to a new file', async () => {
    const r = applyNpmrc('/h/.npmrc', null, { endpoint: NPM, token: TOKEN });
    assert.equal(r.text, `registry=${NPM}\n//127.0.0.1:4321/npm/app/:_authToken=${TOKEN}\n`);
    assert.equal((await logout('npmrc', r.text, r.record)).text, null, 'a file we created disappears on logout');
  });

  void it('replaces the effective registry in place, keeps every other line, and restores it on logout', async () => {
    const before = fx('npmrc-existing');
    const r = applyNpmrc('/h/.npmrc', before, { endpoint: NPM, token: TOKEN });
    assert.equal(readNpmrcKey(r.text, 'registry'), NPM);
    assert.equal(readNpmrcKey(r.text, '//127.0.0.1:4321/npm/app/:_authToken'), TOKEN);
    assert.match(r.text, /^; my npm config\nregistry=http:\/\/127\.0\.0\.1:4321\/npm\/app\/\nsave-exact=true\n\/\/registry\.npmjs\.org\/:_authToken=npm_OTHERSECRET\n/);
    // The new key is top-level: before the [section], not inside it.
    assert.ok(r.text.indexOf(':_authToken=' + TOKEN) < r.text.indexOf('[section]'));
    assert.equal((await logout('npmrc', r.text, r.record)).text, before);
  });

  void it('uses @scope:registry with a namespace and quotes values the way npm does', async () => {
    const r = applyNpmrc('/h/.npmrc', 'a=b', { endpoint: NPM, token: 'abc=', namespace: 'corp' });
    assert.equal(r.text, `a=b\n@corp:registry=${NPM}\n//127.0.0.1:4321/npm/app/:_authToken="abc="\n`);
    assert.equal((await logout('npmrc', r.text, r.record)).text, 'a=b', 'the missing final newline comes back too');
    assert.equal(iniValue('x;y'), 'x\\;y');
  });

  void it('keeps CRLF files CRLF', async () => {
    const before = 'save-exact=true\r\n';
    const r = applyNpmrc('/h/.npmrc', before, { endpoint: NPM, token: TOKEN });
    assert.ok(!/[^\r]\n/.test(r.text));
    assert.equal((await logout('npmrc', r.text, r.record)).text, before);
  });

  void it('leaves lines someone else changed since login alone', async () => {
    const r = applyNpmrc('/h/.npmrc', 'x=1\n', { endpoint: NPM, token: TOKEN });
    const edited = r.text.replace(`registry=${NPM}`, 'registry=https://elsewhere/');
    const out = await logout('npmrc', edited, r.record);
    assert.equal(out.text, 'x=1\nregistry=https://elsewhere/\n');
    assert.deepEqual(
      out.warnings.map((w) => w.replace(/^.*: /, '')),
      ['1 entry was changed since login and left as they are'],
    );
  });

  void it('refuses a malformed file and names the problem', () => {
    assert.throws(
      () => applyNpmrc('/h/.npmrc', fx('npmrc-malformed'), { endpoint: NPM, token: TOKEN }),
      (e: unknown) => e instanceof LoginFileError && e.message === '/h/.npmrc: line 2: unterminated quoted value',
    );
    assert.throws(() => applyNpmrc('/h/.npmrc', 'a=1\n<<<<<<< HEAD\n', { endpoint: NPM, token: TOKEN }), /line 2: merge conflict marker/);
  });
});

void describe('pip config', () => {
  void it('sets global.index-url like `pip config set` and restores the previous value on logout', async () => {
    const before = fx('pip-existing.conf');
    const r = applyPipConfig('/h/pip.conf', before, { endpoint: PYPI, token: TOKEN });
    assert.equal(readPipKey(r.text, 'global', 'index-url'), `http://aws:${TOKEN}@127.0.0.1:4321/pypi/app/simple/`);
    assert.match(r.text, /^# pip settings\n\[global\]\ntimeout = 60\nindex-url = http:\/\/aws:/);
    assert.equal((await logout('pipConf', r.text, r.record)).text, before);
  });

  void it('creates [global] when missing and appends to extra-index-url when asked', async () => {
    const r = applyPipConfig('/h/pip.conf', null, { endpoint: PYPI, token: TOKEN });
    assert.equal(r.text, `[global]\nindex-url = http://aws:${TOKEN}@127.0.0.1:4321/pypi/app/simple/\n`);
    assert.equal((await logout('pipConf', r.text, r.record)).text, null);
    const before = '[global]\nextra-index-url =\n    https://a/simple/\n';
    const x = applyPipConfig('/h/pip.conf', before, { endpoint: PYPI, token: TOKEN, useExtraIndexUrl: true });
    assert.deepEqual(readPipKey(x.text, 'global', 'extra-index-url')!.split(/\s+/), ['https://a/simple/', `http://aws:${TOKEN}@127.0.0.1:4321/pypi/app/simple/`]);
    assert.equal((await logout('pipConf', x.text, x.record)).text, before);
  });

  void it('keeps a [global] header the user has since added keys under', async () => {
    const r = applyPipConfig('/h/pip.conf', '[install]\nx = 1\n', { endpoint: PYPI, token: TOKEN });
    const edited = r.text + 'timeout = 5\n';
    assert.equal((await logout('pipConf', edited, r.record)).text, '[install]\nx = 1\n\n[global]\ntimeout = 5\n');
  });

  void it('warns about settings that override ours', () => {
    const r = applyPipConfig('/h/pip.conf', '[install]\nindex-url = https://x/\n', { endpoint: PYPI, token: TOKEN }, { PIP_INDEX_URL: 'https://y/' });
    assert.equal(r.warnings.length, 2);
  });

  void it('refuses what configparser would refuse', () => {
    assert.throws(() => applyPipConfig('/h/pip.conf', fx('pip-malformed.conf'), { endpoint: PYPI, token: TOKEN }), /\/h\/pip\.conf: line 1: .* before any \[section\]/);
    assert.throws(() => parsePyIni('[a]\nx=1\n[a]\n'), /line 3: a section header repeats an earlier one$/);
    assert.throws(() => parsePyIni('[a]\nx=1\nX = 2\n'), /line 3: an option appears twice in the same section \(first on line 2\)$/);
  });

  void it('names the file and the line number of a malformed line, never its content (which may be a secret)', () => {
    const secret = 'https://aws:S3CRETTOKENVALUE@host/simple/';
    for (const text of [`${secret}\n[global]\n`, `[global]\nx = 1\n[global]\n`, `[global]\n${secret} = 1\n${secret} = 2\n`]) {
      assert.throws(
        () => applyPipConfig('/h/pip.conf', text, { endpoint: PYPI, token: TOKEN }),
        (e: unknown) => e instanceof LoginFileError && /^\/h\/pip\.conf: line \d+: /.test(e.message) && !e.message.includes('S3CRET') && !e.message.includes('global'),
      );
      assert.throws(
        () => applyPypirc('/h/.pypirc', text, { endpoint: PYPI, token: TOKEN }),
        (e: unknown) => e instanceof LoginFileError && /^\/h\/\.pypirc: is in an invalid state: line \d+: /.test(e.message) && !e.message.includes('S3CRET'),
      );
    }
  });
});

void describe('pypirc', () => {
  void it('creates the file the CLI creates', async () => {
    const r = applyPypirc('/h/.pypirc', null, { endpoint: PYPI, token: TOKEN });
    assert.equal(r.text, `[distutils]\nindex-servers = \n\tpypi\n\tcodeartifact\n\n[codeartifact]\nrepository = ${PYPI}\nusername = aws\npassword = ${TOKEN}\n\n`);
    assert.equal((await logout('pypirc', r.text, r.record)).text, null);
  });

  void it('adds codeartifact to index-servers and a section, keeping comments; logout is byte-identical', async () => {
    const before = fx('pypirc-existing');
    const r = applyPypirc('/h/.pypirc', before, { endpoint: PYPI, token: TOKEN });
    const ini = parsePyIni(r.text);
    assert.deepEqual(ini.sections.find((s) => s.name === 'distutils')!.options[0].value.split(/\s+/), ['pypi', 'testpypi', 'codeartifact']);
    const ca = ini.sections.find((s) => s.name === 'codeartifact')!;
    assert.deepEqual(Object.fromEntries(ca.options.map((o) => [o.key, o.value])), { repository: PYPI, username: 'aws', password: TOKEN });
    assert.match(r.text, /# keep me/);
    assert.equal((await logout('pypirc', r.text, r.record)).text, before);
    // A second login on top (refresh) after logout gives the same file again.
    assert.equal(applyPypirc('/h/.pypirc', before, { endpoint: PYPI, token: TOKEN }).text, r.text);
  });

  void it('refuses a file without [distutils], as the CLI does', () => {
    assert.throws(
      () => applyPypirc('/h/.pypirc', fx('pypirc-nodistutils'), { endpoint: PYPI, token: TOKEN }),
      /^LoginFileError: \/h\/\.pypirc: is in an invalid state: no \[distutils\] section$/,
    );
  });
});

void describe('yarnrc.yml', () => {
  void it('sets npmRegistryServer and the registry token, keeps comments, and restores the file byte-for-byte', () => {
    const before = fx('yarnrc-existing.yml');
    const r = applyYarnrc('/h/.yarnrc.yml', before, { endpoint: NPM, token: TOKEN });
    const doc = parseDocument(r.text).toJS() as Record<string, unknown>;
    assert.equal(doc.npmRegistryServer, NPM);
    assert.deepEqual((doc.npmRegistries as Record<string, unknown>)['//127.0.0.1:4321/npm/app'], { npmAlwaysAuth: true, npmAuthToken: TOKEN });
    assert.match(r.text, /# Yarn settings/);
    assert.match(r.text, /# we like node_modules/);
    assert.equal(removeYarnrc(r.text, r.record).text, before);
  });

  void it('removes only our keys when the file changed since login', () => {
    const r = applyYarnrc('/h/.yarnrc.yml', fx('yarnrc-existing.yml'), { endpoint: NPM, token: TOKEN, namespace: '@acme' });
    const edited = r.text + 'enableTelemetry: false\n';
    const out = removeYarnrc(edited, r.record);
    const doc = parseDocument(out.text!).toJS() as Record<string, unknown>;
    assert.deepEqual(doc, { nodeLinker: 'node-modules', npmScopes: { corp: { npmRegistryServer: 'https://npm.corp.example/' } }, enableTelemetry: false });
  });

  void it('refuses invalid YAML', () => {
    assert.throws(() => applyYarnrc('/h/.yarnrc.yml', 'a: [1, 2\n', { endpoint: NPM, token: TOKEN }), /\/h\/\.yarnrc\.yml: not valid YAML/);
  });
});

void describe('settings.xml', () => {
  void it('inserts server, profile (repository + pluginRepository), activeProfile and mirror; never the token', () => {
    const before = fx('settings-existing.xml');
    const r = applyMavenSettings('/h/.m2/settings.xml', before, { domain: 'acme', repository: 'app', endpoint: MAVEN, mirrorCentral: true });
    parseXml(r.text);
    assert.match(
      r.text,
      /<server>\s*<id>codeartifact-acme-app<\/id>\s*<username>aws<\/username>\s*<password>\$\{env\.CODEARTIFACT_AUTH_TOKEN\}<\/password>\s*<\/server>\s*<\/servers>/,
    );
    assert.match(
      r.text,
      /<profiles>\s*<profile>\s*<id>codeartifact-acme-app<\/id>\s*<repositories>\s*<repository>\s*<id>codeartifact-acme-app<\/id>\s*<url>http:\/\/127\.0\.0\.1:4321\/maven\/app\/<\/url>/,
    );
    assert.match(r.text, /<pluginRepository>\s*<id>codeartifact-acme-app<\/id>/);
    assert.match(r.text, /<activeProfiles>\s*<activeProfile>codeartifact-acme-app<\/activeProfile>\s*<\/activeProfiles>/);
    assert.match(r.text, /<mirror>\s*<id>codeartifact-acme-app<\/id>[\s\S]*<mirrorOf>central<\/mirrorOf>/);
    assert.match(r.text, /<!-- corporate nexus -->/);
    assert.match(r.text, /\n {8}<server>\n {12}<id>codeartifact-acme-app/, 'indented like the file');
    assert.equal(removeMavenSettings(r.text, r.record).text, before);
  });

  void it('creates a file and removes it again', () => {
    const r = applyMavenSettings('/h/.m2/settings.xml', null, { domain: 'acme', repository: 'app', endpoint: MAVEN });
    assert.equal(parseXml(r.text).name, 'settings');
    assert.equal(removeMavenSettings(r.text, r.record).text, null);
  });

  void it('removes only our server when the user added one next to it', () => {
    const r = applyMavenSettings('/h/.m2/settings.xml', '<settings>\n</settings>\n', { domain: 'acme', repository: 'app', endpoint: MAVEN });
    const edited = r.text.replace('</servers>', '  <server><id>mine</id></server>\n  </servers>');
    const out = removeMavenSettings(edited, r.record).text!;
    assert.match(out, /<server><id>mine<\/id><\/server>/);
    assert.doesNotMatch(out, /codeartifact-acme-app/);
  });

  void it('refuses a file that is not well-formed XML and says where', () => {
    assert.throws(
      () => applyMavenSettings('/h/.m2/settings.xml', fx('settings-malformed.xml'), { domain: 'acme', repository: 'app', endpoint: MAVEN }),
      /\/h\/\.m2\/settings\.xml: not well-formed XML: line 4: end tag <\/servers> does not match <server>/,
    );
    for (const bad of ['', '<a>', '<a></a><b/>', '<a x=1/>', '<a>&nbsp</a>', 'junk<a/>', '<a><!-- x </a>']) assert.throws(() => parseXml(bad), Error, bad);
    assert.throws(() => applyMavenSettings('/f', '<project/>', { domain: 'd', repository: 'r', endpoint: MAVEN }), /root element is <project>/);
  });
});

void describe('gradle init script', () => {
  void it('reads the token from the environment and is removed only if unchanged', () => {
    const r = applyGradleInit('/g/init.d/x.gradle', null, { domain: 'acme', repository: 'app', endpoint: MAVEN });
    assert.match(r.text, /System\.getenv\('CODEARTIFACT_AUTH_TOKEN'\)/);
    assert.match(r.text, /def caUrl = 'http:\/\/127\.0\.0\.1:4321\/maven\/app\/'/);
    assert.match(r.text, /pluginManagement/);
    assert.match(r.text, /dependencyResolutionManagement/);
    assert.equal(removeGradleInit(r.text, r.record).text, null);
    assert.equal(removeGradleInit(r.text + '// mine\n', r.record).text, r.text + '// mine\n');
  });
});
