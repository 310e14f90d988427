// Property tests for every login config writer (.npmrc, .yarnrc.yml, pip.conf, .pypirc, settings.xml, Gradle init):
// whatever a user's file holds, login then logout gives it back byte for byte; a refresh (revert + login again
// with a new token) leaves exactly one entry and logout still restores the original; a file the writer refuses
// is refused with LoginFileError (nothing else is thrown) and left unchanged on disk; no call takes over 100 ms.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { LoginFileError } from '../../../src/core/login/errors';
import { applyNpmrc, readNpmrcKey } from '../../../src/core/login/npmrc';
import { applyPipConfig, readPipKey } from '../../../src/core/login/pipConfig';
import { applyPypirc } from '../../../src/core/login/pypirc';
import { applyYarnrc, removeYarnrc } from '../../../src/core/login/yarnrc';
import { applyMavenSettings, removeMavenSettings } from '../../../src/core/login/mavenSettings';
import { applyGradleInit, removeGradleInit } from '../../../src/core/login/gradleInit';
import { revertLineEdits, type LineFileRecord } from '../../../src/core/login/lineEdits';
import { isPyIniHeader } from '../../../src/core/login/pyIni';
import { applyLogin, removeLogin } from '../../../src/core/login/loginPlan';
import { resolveLocations } from '../../../src/core/login/locations';
import { anyText, linesText, mutated, params, timed } from './propertyKit';

const NPM = 'http://127.0.0.1:4321/npm/d/acme-111122223333/app/';
const PYPI = 'http://127.0.0.1:4321/pypi/d/acme-111122223333/app/';
const MAVEN = 'http://127.0.0.1:4321/maven/d/acme-111122223333/app/';
const AUTH_KEY = '//127.0.0.1:4321/npm/d/acme-111122223333/app/:_authToken';
/** Tokens as GetAuthorizationToken returns them: URL-safe base64-ish, long; one length, so none contains another. */
const token = fc.stringMatching(/^[A-Za-z0-9_-]{40}$/);

const word = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/);
const safeValue = fc.stringMatching(/^[A-Za-z0-9:/._@${}-]{0,24}$/);

/** What logout does to a line file (the login plan's revert for 'lines' records). */
const revertLines = (text: string, record: LineFileRecord) => revertLineEdits(text, record, isPyIniHeader).text;

/**
 * Checks the round trips of one writer on `text`: login → logout is the identity, and login → refresh → logout
 * too. Returns the logged-in text, or null when the writer refused the file (with LoginFileError).
 */
function roundTrip<R>(
  what: string,
  text: string | null,
  apply: (base: string | null, tok: string) => { text: string; record: R },
  revert: (text: string, record: R) => string | null,
  tokens: [string, string],
): string | null {
  const first = timed(`${what} login`, () => apply(text, tokens[0]));
  if (first.error !== undefined) {
    assert.ok(first.error instanceof LoginFileError, `${what}: threw ${String(first.error)} instead of LoginFileError`);
    assert.ok(!first.error.message.includes(tokens[0]), 'the error message does not carry the token');
    return null;
  }
  const loggedIn = first.value!;
  const out = timed(`${what} logout`, () => revert(loggedIn.text, loggedIn.record));
  assert.equal(out.error, undefined, `${what} logout threw ${String(out.error)}`);
  assert.equal(out.value, text, `${what}: login → logout is byte for byte`);
  // A refresh reverts the previous edits then logs in with the new token, in one write.
  const base = revert(loggedIn.text, loggedIn.record);
  const refreshed = timed(`${what} refresh`, () => apply(base, tokens[1]));
  assert.equal(refreshed.error, undefined, `${what}: refresh of a file login accepted threw ${String(refreshed.error)}`);
  assert.equal(revert(refreshed.value!.text, refreshed.value!.record), text, `${what}: login → refresh → logout is byte for byte`);
  return refreshed.value!.text;
}

/** Count of non-overlapping occurrences. */
const count = (hay: string, needle: string) => hay.split(needle).length - 1;

// ---- .npmrc -------------------------------------------------------------------------------------

const npmrcLine = fc.oneof(
  fc.constantFrom('', '   ', '; comment', '# comment = x', '[section]', '[ ]', 'registry=https://registry.npmjs.org/', `${AUTH_KEY}=old`, '@corp:registry=https://x/'),
  fc
    .tuple(fc.oneof(word, fc.constantFrom('registry', '@corp:registry', AUTH_KEY, '//other/:_authToken')), safeValue, fc.constantFrom('=', ' = '))
    .map(([k, v, eq]) => `${k}${eq}${v}`),
  fc.tuple(word, fc.string({ maxLength: 10 })).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
  fc.tuple(word, fc.stringMatching(/^[a-z ;#\\]{0,10}$/)).map(([k, v]) => `${k} = ${v}`),
);
const npmrcText = linesText(npmrcLine);
const npmrcAny = fc.oneof(npmrcText, mutated(npmrcText), anyText);

void describe('property: .npmrc', () => {
  void it('any file npm config accepts survives login → logout and login → refresh → logout byte for byte, with one registry entry', () => {
    fc.assert(
      fc.property(npmrcAny, fc.option(fc.constantFrom('corp', '@acme')), token, token, (text, namespace, t1, t2) => {
        const apply = (base: string | null, tok: string) => applyNpmrc('/h/.npmrc', base, { endpoint: NPM, token: tok, namespace: namespace ?? undefined });
        const loggedIn = roundTrip('.npmrc', text, apply, revertLines, [t1, t2]);
        if (loggedIn === null) return;
        assert.equal(readNpmrcKey(loggedIn, AUTH_KEY), t2, 'npm reads the refreshed token');
        assert.equal(count(loggedIn, t1), 0, 'the old token is gone after a refresh');
        assert.equal(count(loggedIn, `${AUTH_KEY}=${t2}`), 1, 'exactly one auth entry');
      }),
      params(300),
    );
  });

  void it('regressions the property found: an unterminated last line we replaced, a last line ending in a lone CR', () => {
    for (const [text, namespace] of [
      ['@corp:registry=', 'corp'],
      ['registry=https://x/', undefined],
      ['\r', undefined],
      ['a=1\r', undefined],
    ] as const) {
      roundTrip('.npmrc', text, (base, tok) => applyNpmrc('/h/.npmrc', base, { endpoint: NPM, token: tok, namespace }), revertLines, [
        'token-one-1234567890',
        'token-two-1234567890',
      ]);
    }
  });

  void it('a file that does not exist yet is created and removed again', () => {
    fc.assert(
      fc.property(token, token, (t1, t2) => {
        roundTrip('.npmrc', null, (base, tok) => applyNpmrc('/h/.npmrc', base, { endpoint: NPM, token: tok }), revertLines, [t1, t2]);
      }),
      params(20),
    );
  });
});

// ---- pip.conf and .pypirc (configparser INI) --------------------------------------------------------

const iniKey = fc.oneof(word, fc.constantFrom('index-url', 'index_url', 'extra-index-url', 'timeout', 'index-servers', 'repository', 'username', 'password', 'Index-URL'));
const iniLine = fc.oneof(
  fc.constantFrom('', '  ', '# comment', '; comment', '[global]', '[install]', '[distutils]', '[pypi]', '[codeartifact]', 'index-servers =', '    pypi', '\tcodeartifact'),
  fc.tuple(iniKey, fc.constantFrom(' = ', '=', ': ', ' :'), safeValue).map(([k, d, v]) => `${k}${d}${v}`),
  fc.tuple(fc.constantFrom('  ', '\t', '    '), safeValue).map(([i, v]) => `${i}${v}`),
);
const iniText = linesText(iniLine, 16);
const iniAny = fc.oneof({ weight: 3, arbitrary: iniText }, { weight: 1, arbitrary: mutated(iniText) }, { weight: 1, arbitrary: anyText });

void describe('property: pip.conf', () => {
  void it('any pip.conf configparser accepts survives login → logout and refresh byte for byte; pip reads our index', () => {
    fc.assert(
      fc.property(iniAny, fc.boolean(), token, token, (text, extra, t1, t2) => {
        const apply = (base: string | null, tok: string) => applyPipConfig('/h/pip.conf', base, { endpoint: PYPI, token: tok, useExtraIndexUrl: extra });
        const loggedIn = roundTrip('pip.conf', text, apply, revertLines, [t1, t2]);
        if (loggedIn === null) return;
        const url = `http://aws:${t2}@127.0.0.1:4321/pypi/d/acme-111122223333/app/simple/`;
        const value = readPipKey(loggedIn, 'global', extra ? 'extra-index-url' : 'index-url') ?? '';
        assert.ok(value.split(/\s+/).includes(url), `pip reads our index from [global]: ${JSON.stringify(value)}`);
        assert.equal(count(loggedIn, t1), 0, 'the old token is gone after a refresh');
        assert.equal(count(loggedIn, url), 1, 'exactly one index entry');
      }),
      params(300),
    );
  });

  void it('regression the property found: a replaced multi-line value in a file mixing LF and CRLF comes back as it was', () => {
    const text = '[global]\nextra-index-url = \r\nindex-url = \n  _\r\n';
    roundTrip('pip.conf', text, (base, tok) => applyPipConfig('/h/pip.conf', base, { endpoint: PYPI, token: tok }), revertLines, ['token-one-1234567890', 'token-two-1234567890']);
  });

  void it('a refused pip.conf names the file and a line number, never the line itself', () => {
    fc.assert(
      fc.property(iniAny, fc.stringMatching(/^[A-Za-z0-9]{12,20}$/), (text, secret) => {
        const withSecret = `${text}\npassword${secret}\n`;
        const r = timed('pip.conf login', () => applyPipConfig('/h/pip.conf', withSecret, { endpoint: PYPI, token: 'tok-tok-tok-tok' }));
        if (r.error === undefined) return;
        assert.ok(r.error instanceof LoginFileError, String(r.error));
        assert.ok(!r.error.message.includes(secret), `message echoes file content: ${r.error.message}`);
        assert.match(r.error.message, /^\/h\/pip\.conf: /);
      }),
      params(150),
    );
  });
});

const pypircText = fc
  .tuple(
    fc.constantFrom('index-servers =', 'index-servers = pypi', 'index-servers=', 'Index-Servers ='),
    fc.array(fc.constantFrom('pypi', 'testpypi', 'codeartifact'), { maxLength: 3 }),
    iniText,
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([head, servers, rest, eol]) => ['[distutils]', head, ...servers.map((s) => `    ${s}`)].join(eol) + eol + rest);
const pypircAny = fc.oneof(
  { weight: 3, arbitrary: pypircText },
  { weight: 1, arbitrary: mutated(pypircText) },
  { weight: 1, arbitrary: iniText },
  { weight: 1, arbitrary: anyText },
);

void describe('property: .pypirc', () => {
  void it('any .pypirc the CLI accepts survives login → logout and refresh byte for byte, with one codeartifact server', () => {
    fc.assert(
      fc.property(pypircAny, token, token, (text, t1, t2) => {
        const apply = (base: string | null, tok: string) => applyPypirc('/h/.pypirc', base, { endpoint: PYPI, token: tok });
        const loggedIn = roundTrip('.pypirc', text, apply, revertLines, [t1, t2]);
        if (loggedIn === null) return;
        assert.equal(readPipKey(loggedIn, 'codeartifact', 'password'), t2, 'twine reads the refreshed token');
        assert.equal(count(loggedIn, t1), 0);
        const listed = (t: string) => (readPipKey(t, 'distutils', 'index-servers') ?? '').split(/\s+/).filter((s) => s === 'codeartifact').length;
        assert.equal(listed(loggedIn), Math.max(1, listed(text)), 'codeartifact listed in index-servers, and added only when it was not');
      }),
      params(300),
    );
  });

  void it('regressions the property found: logout removes the line login added (not an identical one elsewhere) and restores mixed line ends', () => {
    for (const text of ['[distutils]\nindex-servers =\nindex-url = \n\tcodeartifact', '[distutils]\nindex-servers =\n[codeartifact]\npassword = \n  \r\n  .']) {
      roundTrip('.pypirc', text, (base, tok) => applyPypirc('/h/.pypirc', base, { endpoint: PYPI, token: tok }), revertLines, ['token-one-1234567890', 'token-two-1234567890']);
    }
  });

  void it('a refused .pypirc names the file and a line number, never the line itself', () => {
    fc.assert(
      fc.property(pypircAny, fc.stringMatching(/^[A-Za-z0-9]{12,20}$/), (text, secret) => {
        const r = timed('.pypirc login', () => applyPypirc('/h/.pypirc', `${text}\n${secret}\n`, { endpoint: PYPI, token: 'tok-tok-tok-tok' }));
        if (r.error === undefined) return;
        assert.ok(r.error instanceof LoginFileError, String(r.error));
        assert.ok(!r.error.message.includes(secret), `message echoes file content: ${r.error.message}`);
      }),
      params(150),
    );
  });
});

// ---- .yarnrc.yml ------------------------------------------------------------------------------------

const yamlValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('map'),
  ),
  map: fc.dictionary(fc.oneof(word, fc.constantFrom('npmRegistryServer', 'npmRegistries', 'npmScopes', 'corp', '//127.0.0.1:4321/npm/d/acme-111122223333/app')), tie('value'), {
    maxKeys: 4,
  }),
}));
const yarnrcText = fc
  .tuple(yamlValue.map, fc.array(fc.constantFrom('# a comment', ''), { maxLength: 2 }))
  .map(([obj, comments]) => comments.map((c) => `${c}\n`).join('') + (Object.keys(obj).length > 0 ? yamlStringify(obj) : ''));
const yarnrcAny = fc.oneof({ weight: 3, arbitrary: yarnrcText }, { weight: 1, arbitrary: mutated(yarnrcText) }, { weight: 1, arbitrary: anyText });

void describe('property: .yarnrc.yml', () => {
  void it('any .yarnrc.yml survives login → logout and refresh byte for byte, or is refused with LoginFileError', () => {
    fc.assert(
      fc.property(yarnrcAny, fc.option(fc.constant('corp')), token, token, (text, namespace, t1, t2) => {
        const apply = (base: string | null, tok: string) => applyYarnrc('/h/.yarnrc.yml', base, { endpoint: NPM, token: tok, namespace: namespace ?? undefined });
        const loggedIn = roundTrip('.yarnrc.yml', text, apply, (t, r) => removeYarnrc(t, r).text, [t1, t2]);
        if (loggedIn === null) return;
        assert.equal(count(loggedIn, t2), 1, 'exactly one token entry');
        assert.equal(count(loggedIn, t1), 0);
      }),
      params(250),
    );
  });
});

// ---- settings.xml -------------------------------------------------------------------------------------

const ID = 'codeartifact-acme-app';
const xmlChild = fc.oneof(
  fc.constantFrom(
    '<localRepository>/tmp/m2</localRepository>',
    '<servers/>',
    '<servers></servers>',
    '<servers>\n    <server><id>nexus</id><password>${env.X}</password></server>\n  </servers>',
    '<profiles/>',
    '<profiles>\n  </profiles>',
    '<activeProfiles><activeProfile>dev</activeProfile></activeProfiles>',
    '<mirrors/>',
    `<servers><server><id>${ID}</id></server></servers>`,
    '<!-- a comment with <servers> inside -->',
    '<offline>false</offline>',
  ),
  fc.tuple(word, fc.stringMatching(/^[A-Za-z0-9 .&;]{0,10}$/)).map(([n, v]) => `<${n}>${v.replace(/&(?!amp;)/g, '&amp;').replace(/;/g, '')}</${n}>`),
);
const settingsText = fc
  .tuple(
    fc.boolean(),
    fc.constantFrom('', ' xmlns="http://maven.apache.org/SETTINGS/1.0.0"'),
    fc.array(fc.tuple(fc.constantFrom('  ', '    ', '\t'), xmlChild), { maxLength: 5 }),
    fc.constantFrom('\n', '\r\n'),
    fc.constantFrom('', '\n', '\r\n'),
    fc.boolean(),
  )
  .map(
    ([prolog, ns, kids, eol, tail, selfClosing]) =>
      (prolog ? `<?xml version="1.0" encoding="UTF-8"?>${eol}` : '') +
      (selfClosing && kids.length === 0 ? `<settings${ns}/>` : `<settings${ns}>${eol}${kids.map(([ind, k]) => `${ind}${k.replace(/\n/g, eol)}${eol}`).join('')}</settings>`) +
      tail,
  );
const settingsAny = fc.oneof({ weight: 3, arbitrary: settingsText }, { weight: 1, arbitrary: mutated(settingsText) }, { weight: 1, arbitrary: anyText });

void describe('property: settings.xml', () => {
  void it('any settings.xml survives login → logout and refresh byte for byte, or is refused with LoginFileError', () => {
    fc.assert(
      fc.property(settingsAny, fc.boolean(), (text, mirror) => {
        const apply = (base: string | null) => applyMavenSettings('/h/settings.xml', base, { domain: 'acme', repository: 'app', endpoint: MAVEN, mirrorCentral: mirror });
        const loggedIn = roundTrip('settings.xml', text, apply, (t, r) => removeMavenSettings(t, r).text, ['unused-token-1', 'unused-token-2']);
        if (loggedIn === null) return;
        assert.ok(count(loggedIn, `<activeProfile>${ID}</activeProfile>`) <= 1, 'at most one active profile of ours');
        assert.ok(count(loggedIn, `<id>${ID}</id>`) >= 1, 'our server/profile is there');
      }),
      params(250),
    );
  });
});

// ---- Gradle init script ---------------------------------------------------------------------------------

void describe('property: Gradle init script', () => {
  void it('whatever sat at the init script path before login is back after logout', () => {
    fc.assert(
      fc.property(fc.option(anyText), fc.constantFrom('app', "it's", 'a\\b'), (before, repository) => {
        const apply = (base: string | null) => applyGradleInit('/h/init.d/x.gradle', base, { domain: 'acme', repository, endpoint: MAVEN });
        roundTrip('gradle init', before, apply, (t, r) => removeGradleInit(t, r).text, ['unused-token-1', 'unused-token-2']);
      }),
      params(100),
    );
  });
});

// ---- the login plan on disk -------------------------------------------------------------------------------

void describe('property: the login plan on disk', () => {
  void it('login then logout leaves every user config file as it was; a file we refuse is never written', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ca-prop-plan-'));
    try {
      const ctx = { home, env: { HOME: home }, platform: 'linux' as const };
      const loc = resolveLocations(ctx);
      const targets = { npmrc: loc.npmrc, yarnrc: loc.yarnrc, pipConf: loc.pipConf!, pypirc: loc.pypirc, mavenSettings: loc.mavenSettings };
      await fc.assert(
        fc.asyncProperty(
          fc.record({ npmrc: fc.option(npmrcAny), yarnrc: fc.option(yarnrcAny), pipConf: fc.option(iniAny), pypirc: fc.option(pypircAny), mavenSettings: fc.option(settingsAny) }),
          token,
          async (files, tok) => {
            rmSync(home, { recursive: true, force: true });
            for (const [t, text] of Object.entries(files)) {
              const path = targets[t as keyof typeof targets];
              if (text === null) continue;
              mkdirSync(dirname(path), { recursive: true });
              writeFileSync(path, text);
            }
            const input = {
              domain: 'acme',
              repository: 'app',
              endpoints: { npm: NPM, pypi: PYPI, maven: MAVEN },
              token: tok,
              expiresAt: 0,
              tools: ['npm' as const, 'yarn' as const, 'pip' as const, 'twine' as const, 'maven' as const],
            };
            const { record, outcomes } = await applyLogin(input, ctx);
            for (const o of outcomes) {
              const path = targets[o.target as keyof typeof targets];
              const before = files[o.target as keyof typeof files];
              if (!o.ok) {
                assert.match(o.error ?? '', new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `), 'the error names the file');
                assert.ok(!(o.error ?? '').includes(tok));
                assert.equal(existsSync(path) ? readFileSync(path, 'utf8') : null, before, `${o.target}: a refused file is left byte for byte`);
              }
            }
            const out = await removeLogin(record, ctx);
            assert.ok(
              out.every((o) => o.ok),
              out.map((o) => o.error).join('; '),
            );
            for (const [t, before] of Object.entries(files)) {
              const path = targets[t as keyof typeof targets];
              assert.equal(existsSync(path) ? readFileSync(path, 'utf8') : null, before, `${t}: byte for byte after logout`);
            }
          },
        ),
        params(40),
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
