// The login files of NuGet/dotnet, Swift, Cargo, uv, Poetry, RubyGems and pip-in-netrc-mode through the login plan
// (applyLogin / removeLogin in a temp HOME): exactly the content each tool's documentation (and, for Swift,
// `aws codeartifact login --tool swift --dry-run`) describes, parsed back with real parsers, the token only where
// the tool needs it, mode 0600 for files that hold it, and logout restoring every file byte for byte. Then where
// each file lives by Linux, macOS and Windows rules.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { GetRepositoryEndpointCommand } from '@aws-sdk/client-codeartifact';
import { sdkClient, seed, startEmulator, tokenFor, type Emulator } from 'codeartifact-emulator/testing';
import { applyLogin, loginEnvironment, removeLogin, type LoginInput } from '../../../src/core/login/loginPlan';
import { nugetCredentialElement } from '../../../src/core/login/nugetConfig';
import { cargoConfigPath, gemCredentialsPath, netrcPath, nugetConfigPath, poetryConfigPath, swiftRegistriesPath, uvConfigPath } from '../../../src/core/login/toolLocations';
import { parseXml } from '../../../src/core/xml';
import type { ToolId } from '../../../src/core/tools';

const TOKEN = 'eyJ2ZXIiOjF9.c2lnbmF0dXJl-_x';
const HOST = 'acme-111122223333.d.codeartifact.us-west-2.amazonaws.com';
const ep = (f: string) => `https://${HOST}/${f}/app/`;
const ENDPOINTS = { nuget: ep('nuget'), swift: ep('swift'), cargo: ep('cargo'), pypi: ep('pypi'), ruby: ep('ruby') };

let root: string;
let n = 0;
before(() => (root = mkdtempSync(join(tmpdir(), 'ca-newtools-'))));
after(() => rmSync(root, { recursive: true, force: true }));

function input(tools: ToolId[], extra: Partial<LoginInput> = {}): LoginInput {
  return { domain: 'acme', domainOwner: '111122223333', repository: 'app', endpoints: ENDPOINTS, token: TOKEN, expiresAt: 0, tools, ...extra };
}

/** A fresh HOME, optionally holding files (relative path → content) before login. */
function home(files: Record<string, string> = {}): string {
  const h = join(root, String(n++));
  mkdirSync(h, { recursive: true });
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(h, p)), { recursive: true });
    writeFileSync(join(h, p), text);
  }
  return h;
}

const read = (p: string) => readFileSync(p, 'utf8');
const mode = (p: string) => statSync(p).mode & 0o777;

void describe('NuGet and dotnet: the user NuGet.Config', () => {
  void it('adds the source {domain}/{repository} → {endpoint}v3/index.json with username aws and the token as %CODEARTIFACT_AUTH_TOKEN%', async () => {
    const h = home();
    const ctx = { home: h, env: {}, platform: 'linux' as const };
    const { record, outcomes } = await applyLogin(input(['nuget', 'dotnet']), ctx);
    assert.deepEqual(
      outcomes.map((o) => [o.file, o.tools, o.ok]),
      [[join(h, '.nuget', 'NuGet', 'NuGet.Config'), ['nuget', 'dotnet'], true]],
    );
    const text = read(outcomes[0].file);
    assert.equal(
      text,
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<configuration>',
        '  <packageSources>',
        `    <add key="acme/app" value="${ENDPOINTS.nuget}v3/index.json" />`,
        '  </packageSources>',
        '  <packageSourceCredentials>',
        '    <acme_x002F_app>',
        '      <add key="Username" value="aws" />',
        '      <add key="ClearTextPassword" value="%CODEARTIFACT_AUTH_TOKEN%" />',
        '    </acme_x002F_app>',
        '  </packageSourceCredentials>',
        '</configuration>',
        '',
      ].join('\n'),
    );
    assert.ok(!text.includes(TOKEN), 'the token itself is not in NuGet.Config');
    parseXml(text);
    await removeLogin(record, ctx);
    assert.equal(existsSync(outcomes[0].file), false, 'a NuGet.Config login created is removed again');
  });

  void it('inserts into an existing NuGet.Config (CRLF, comments) and logout restores it byte for byte', async () => {
    const before =
      '<?xml version="1.0" encoding="utf-8"?>\r\n<configuration>\r\n\t<!-- mine -->\r\n\t<packageSources>\r\n\t\t<add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />\r\n\t</packageSources>\r\n</configuration>\r\n';
    const h = home({ '.nuget/NuGet/NuGet.Config': before });
    const ctx = { home: h, env: {}, platform: 'linux' as const };
    const { record, outcomes } = await applyLogin(input(['dotnet']), ctx);
    const text = read(outcomes[0].file);
    assert.ok(
      text.includes(
        `\t\t<add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />\r\n\t\t<add key="acme/app" value="${ENDPOINTS.nuget}v3/index.json" />\r\n\t</packageSources>`,
      ),
      text,
    );
    assert.ok(!/[^\r]\n/.test(text), 'stays CRLF');
    const root = parseXml(text);
    assert.equal(root.children.map((c) => c.name).join(','), 'packageSources,packageSourceCredentials');
    await removeLogin(record, ctx);
    assert.equal(read(outcomes[0].file), before);
  });

  void it('a NuGet.Config that is not XML is left unchanged, and the message names the file', async () => {
    const bad = '<configuration><packageSources></configuration>';
    const h = home({ '.nuget/NuGet/NuGet.Config': bad });
    const { outcomes } = await applyLogin(input(['nuget']), { home: h, env: {}, platform: 'linux' });
    assert.equal(outcomes[0].ok, false);
    assert.match(outcomes[0].error!, /NuGet\.Config: not well-formed XML: line 1/);
    assert.equal(read(join(h, '.nuget/NuGet/NuGet.Config')), bad);
  });

  void it('encodes source names into credential element names as XmlConvert.EncodeLocalName does', () => {
    assert.equal(nugetCredentialElement('acme/app'), 'acme_x002F_app');
    assert.equal(nugetCredentialElement('my domain/app.v2'), 'my_x0020_domain_x002F_app.v2');
    assert.equal(nugetCredentialElement('1team/app'), '_x0031_team_x002F_app');
  });
});

void describe('Swift: registries.json and ~/.netrc', () => {
  void it('writes the project registries.json as swift package-registry set/login leave it, and the netrc line the CLI writes', async () => {
    const h = home();
    const project = join(h, 'proj');
    mkdirSync(project);
    const ctx = { home: h, env: {}, platform: 'linux' as const, swiftProject: project };
    const { record, outcomes } = await applyLogin(input(['swift']), ctx);
    assert.deepEqual(
      outcomes.map((o) => o.file),
      [join(project, '.swiftpm', 'configuration', 'registries.json'), join(h, '.netrc')],
    );
    assert.deepEqual(JSON.parse(read(outcomes[0].file)), {
      registries: { '[default]': { supportsAvailability: false, url: ENDPOINTS.swift } },
      authentication: { [HOST]: { loginAPIPath: '/swift/app/login', type: 'token' } },
      version: 1,
    });
    assert.ok(!read(outcomes[0].file).includes(TOKEN));
    assert.equal(read(outcomes[1].file), `machine ${HOST} login token password ${TOKEN}\n`);
    assert.equal(mode(outcomes[1].file), 0o600);
    await removeLogin(record, ctx);
    assert.deepEqual([existsSync(outcomes[0].file), existsSync(outcomes[1].file)], [false, false]);
  });

  void it('a scope goes under its name; an existing registries.json and netrc come back byte for byte', async () => {
    const reg = '{\n  "registries" : {\n    "other" : { "url" : "https://example.com/" }\n  },\n  "version" : 1\n}\n';
    const netrc = `# mine\nmachine example.com\n  login me\n  password secret\nmachine ${HOST} login old password stale\n`;
    const h = home({ 'proj/.swiftpm/configuration/registries.json': reg, '.netrc': netrc });
    const ctx = { home: h, env: {}, platform: 'linux' as const, swiftProject: join(h, 'proj') };
    const { record, outcomes } = await applyLogin(input(['swift'], { namespace: 'acme' }), ctx);
    const doc = JSON.parse(read(outcomes[0].file)) as { registries: Record<string, unknown> };
    assert.deepEqual(Object.keys(doc.registries), ['other', 'acme']);
    assert.equal(read(outcomes[1].file), `# mine\nmachine example.com\n  login me\n  password secret\nmachine ${HOST} login token password ${TOKEN}\n`);
    await removeLogin(record, ctx);
    assert.deepEqual([read(outcomes[0].file), read(outcomes[1].file)], [reg, netrc]);
  });

  void it('refuses a scope SwiftPM would refuse, naming it', async () => {
    const { outcomes } = await applyLogin(input(['swift'], { namespace: '-bad_scope' }), { home: home(), env: {}, platform: 'linux' });
    assert.match(outcomes[0].error!, /namespace "-bad_scope" is not a valid Swift registry scope/);
  });
});

void describe('Cargo: config.toml and CARGO_REGISTRIES_<NAME>_TOKEN', () => {
  void it('adds [registries.acme-app] with the sparse index and cargo:token; the token only in the environment', async () => {
    const h = home();
    const ctx = { home: h, env: {}, platform: 'linux' as const };
    const { record, outcomes } = await applyLogin(input(['cargo']), ctx);
    assert.equal(outcomes[0].file, join(h, '.cargo', 'config.toml'));
    assert.equal(read(outcomes[0].file), `[registries.acme-app]\nindex = "sparse+${ENDPOINTS.cargo}"\ncredential-provider = "cargo:token"\n`);
    assert.deepEqual(JSON.parse(JSON.stringify(parseToml(read(outcomes[0].file)))), {
      registries: { 'acme-app': { index: `sparse+${ENDPOINTS.cargo}`, 'credential-provider': 'cargo:token' } },
    });
    const env = loginEnvironment({ ...input(['cargo']), tools: ['cargo'] });
    assert.equal(env.CARGO_REGISTRIES_ACME_APP_TOKEN, `Bearer ${TOKEN}`);
    await removeLogin(record, ctx);
    assert.equal(existsSync(outcomes[0].file), false);
  });

  void it('with replaceCratesIo also [source.crates-io] replace-with; an existing config keeps its bytes', async () => {
    const before = '# my cargo config\n[net]\nretry = 3\n\n[registries.acme-app]\nindex = "sparse+https://old.example/"\n';
    const h = home({ 'cargo-home/config.toml': before });
    const ctx = { home: h, env: { CARGO_HOME: join(h, 'cargo-home') }, platform: 'linux' as const };
    const { record, outcomes } = await applyLogin(input(['cargo'], { options: { cargoReplaceCratesIo: true } }), ctx);
    assert.equal(outcomes[0].file, join(h, 'cargo-home', 'config.toml'));
    assert.equal(
      read(outcomes[0].file),
      `# my cargo config\n[net]\nretry = 3\n\n[registries.acme-app]\nindex = "sparse+${ENDPOINTS.cargo}"\ncredential-provider = "cargo:token"\n\n[source.crates-io]\nreplace-with = "acme-app"\n`,
    );
    await removeLogin(record, ctx);
    assert.equal(read(outcomes[0].file), before);
  });

  void it('a config.toml that is not TOML, or defines the registry inline, is left unchanged with a message', async () => {
    const broken = '[registries\nindex = 1\n';
    const inline = 'registries = { acme-app = { index = "x" } }\n';
    for (const text of [broken, inline]) {
      const h = home({ '.cargo/config.toml': text });
      const { outcomes } = await applyLogin(input(['cargo']), { home: h, env: {}, platform: 'linux' });
      assert.equal(outcomes[0].ok, false);
      assert.match(outcomes[0].error!, text === broken ? /config\.toml: not valid TOML: line 1/ : /defines registries\.acme-app in a form login does not edit/);
      assert.equal(read(join(h, '.cargo/config.toml')), text);
    }
  });
});

void describe('uv and Poetry: the index in their user config, credentials in the environment', () => {
  void it('uv.toml gets an [[index]] named acme-app; UV_INDEX_ACME_APP_USERNAME/PASSWORD carry the credential', async () => {
    const before = '[[index]]\nname = "internal"\nurl = "https://pypi.internal/simple/"\n';
    const h = home({ '.config/uv/uv.toml': before });
    const ctx = { home: h, env: {}, platform: 'linux' as const };
    const { record, outcomes } = await applyLogin(input(['uv']), ctx);
    assert.equal(read(outcomes[0].file), `${before}\n[[index]]\nname = "acme-app"\nurl = "${ENDPOINTS.pypi}simple/"\npublish-url = "${ENDPOINTS.pypi}"\n`);
    const doc = parseToml(read(outcomes[0].file)) as { index: { name: string }[] };
    assert.deepEqual(
      doc.index.map((i) => i.name),
      ['internal', 'acme-app'],
    );
    assert.ok(!read(outcomes[0].file).includes(TOKEN));
    const env = loginEnvironment({ ...input(['uv']), tools: ['uv'] });
    assert.deepEqual([env.UV_INDEX_ACME_APP_USERNAME, env.UV_INDEX_ACME_APP_PASSWORD], ['aws', TOKEN]);
    await removeLogin(record, ctx);
    assert.equal(read(outcomes[0].file), before);
  });

  void it('Poetry config.toml gets repositories.acme-app.url (for publish); POETRY_HTTP_BASIC_ACME_APP_* the credential', async () => {
    const h = home();
    const ctx = { home: h, env: {}, platform: 'linux' as const };
    const { record, outcomes } = await applyLogin(input(['poetry']), ctx);
    assert.equal(outcomes[0].file, join(h, '.config', 'pypoetry', 'config.toml'));
    assert.equal(read(outcomes[0].file), `[repositories.acme-app]\nurl = "${ENDPOINTS.pypi}"\n`);
    const env = loginEnvironment({ ...input(['poetry']), tools: ['poetry'] });
    assert.deepEqual([env.POETRY_HTTP_BASIC_ACME_APP_USERNAME, env.POETRY_HTTP_BASIC_ACME_APP_PASSWORD], ['aws', TOKEN]);
    await removeLogin(record, ctx);
    assert.equal(existsSync(outcomes[0].file), false);
  });
});

void describe('pip with codeartifact.pip.credentials "netrc"', () => {
  void it('writes the index URL without the token and the token to ~/.netrc (0600); logout restores both', async () => {
    const netrc = 'machine example.com login me password secret';
    const h = home({ '.netrc': netrc });
    const ctx = { home: h, env: {}, platform: 'linux' as const };
    const { record, outcomes } = await applyLogin(input(['pip'], { options: { pipCredentials: 'netrc' } }), ctx);
    const [pip, rc] = outcomes.map((o) => o.file);
    assert.equal(read(pip), `[global]\nindex-url = ${ENDPOINTS.pypi}simple/\n`);
    assert.equal(read(rc), `${netrc}\nmachine ${HOST} login aws password ${TOKEN}\n`);
    assert.equal(mode(rc), 0o600);
    await removeLogin(record, ctx);
    assert.equal(existsSync(pip), false);
    assert.equal(read(rc), netrc);
  });

  void it('pip and Swift on the same host share one netrc line', async () => {
    const h = home();
    const { outcomes } = await applyLogin(input(['pip', 'swift'], { options: { pipCredentials: 'netrc' } }), { home: h, env: {}, platform: 'linux' });
    assert.equal(read(join(h, '.netrc')), `machine ${HOST} login aws password ${TOKEN}\n`);
    assert.deepEqual(outcomes.find((o) => o.target === 'netrc')?.tools, ['pip', 'swift']);
  });
});

void describe('RubyGems and Bundler', () => {
  void it('gem credentials keyed by the push host (0600), RUBYGEMS_HOST and BUNDLE_<HOST> in the environment', async () => {
    const before = '---\n:rubygems_api_key: rubygems_0123\n';
    const h = home({ '.gem/credentials': before });
    const ctx = { home: h, env: {}, platform: 'linux' as const };
    const { record, outcomes } = await applyLogin(input(['gem', 'bundler']), ctx);
    assert.deepEqual(
      outcomes.map((o) => [o.file, o.tools]),
      [[join(h, '.gem', 'credentials'), ['gem']]],
      'Bundler has no file: its credential is in the environment',
    );
    const text = read(outcomes[0].file);
    assert.equal(text, `${before}"https://${HOST}/ruby/app": Bearer ${TOKEN}\n`);
    assert.deepEqual(parseYaml(text), { ':rubygems_api_key': 'rubygems_0123', [`https://${HOST}/ruby/app`]: `Bearer ${TOKEN}` });
    assert.equal(mode(outcomes[0].file), 0o600);
    const env = loginEnvironment({ ...input(['gem', 'bundler']), tools: ['gem', 'bundler'] });
    assert.equal(env.RUBYGEMS_HOST, `https://${HOST}/ruby/app`);
    assert.equal(env.BUNDLE_ACME___111122223333__D__CODEARTIFACT__US___WEST___2__AMAZONAWS__COM, `aws:${TOKEN}`);
    await removeLogin(record, ctx);
    assert.equal(read(outcomes[0].file), before);
  });

  void it('the environment names only the tools logged in', () => {
    const env = loginEnvironment({ ...input(['npm']), tools: ['npm'] });
    assert.deepEqual(
      Object.keys(env).filter((k) => !k.startsWith('CODEARTIFACT_')),
      [],
    );
  });
});

void describe('where each file lives, by OS', () => {
  const cases: [NodeJS.Platform, Record<string, string>, Record<string, string>][] = [
    [
      'linux',
      {},
      {
        nuget: '/home/u/.nuget/NuGet/NuGet.Config',
        netrc: '/home/u/.netrc',
        cargo: '/home/u/.cargo/config.toml',
        gem: '/home/u/.local/share/gem/credentials',
        poetry: '/home/u/.config/pypoetry/config.toml',
        uv: '/home/u/.config/uv/uv.toml',
        swift: '/home/u/.swiftpm/configuration/registries.json',
      },
    ],
    [
      'linux',
      { CARGO_HOME: '/opt/cargo', XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: '/data', POETRY_CONFIG_DIR: '/poetry', UV_CONFIG_FILE: '/etc/my-uv.toml' },
      {
        nuget: '/home/u/.nuget/NuGet/NuGet.Config',
        netrc: '/home/u/.netrc',
        cargo: '/opt/cargo/config.toml',
        gem: '/data/gem/credentials',
        poetry: '/poetry/config.toml',
        uv: '/etc/my-uv.toml',
        swift: '/home/u/.swiftpm/configuration/registries.json',
      },
    ],
    [
      'darwin',
      {},
      {
        nuget: '/home/u/.nuget/NuGet/NuGet.Config',
        netrc: '/home/u/.netrc',
        cargo: '/home/u/.cargo/config.toml',
        gem: '/home/u/.local/share/gem/credentials',
        poetry: '/home/u/Library/Application Support/pypoetry/config.toml',
        uv: '/home/u/.config/uv/uv.toml',
        swift: '/home/u/.swiftpm/configuration/registries.json',
      },
    ],
    [
      'win32',
      { appdata: 'C:\\Users\\u\\AppData\\Roaming' },
      {
        nuget: 'C:\\Users\\u\\AppData\\Roaming\\NuGet\\NuGet.Config',
        netrc: 'C:\\Users\\u\\.netrc',
        cargo: 'C:\\Users\\u\\.cargo\\config.toml',
        gem: 'C:\\Users\\u\\.local\\share\\gem\\credentials',
        poetry: 'C:\\Users\\u\\AppData\\Roaming\\pypoetry\\config.toml',
        uv: 'C:\\Users\\u\\AppData\\Roaming\\uv\\uv.toml',
        swift: 'C:\\Users\\u\\.swiftpm\\configuration\\registries.json',
      },
    ],
  ];
  for (const [platform, env, want] of cases) {
    void it(`${platform} ${Object.keys(env).join(', ') || '(defaults)'}`, () => {
      const i = { home: platform === 'win32' ? 'C:\\Users\\u' : '/home/u', env, platform, exists: () => false };
      assert.deepEqual(
        {
          nuget: nugetConfigPath(i),
          netrc: netrcPath(i),
          cargo: cargoConfigPath(i),
          gem: gemCredentialsPath(i),
          poetry: poetryConfigPath(i),
          uv: uvConfigPath(i),
          swift: swiftRegistriesPath(i),
        },
        want,
      );
    });
  }

  void it('RubyGems keeps using ~/.gem/credentials when it exists; SwiftPM uses the project folder when there is one', () => {
    const i = { home: '/home/u', env: {}, platform: 'linux' as const, exists: (p: string) => p === '/home/u/.gem/credentials' };
    assert.equal(gemCredentialsPath(i), '/home/u/.gem/credentials');
    assert.equal(swiftRegistriesPath(i, '/work/app'), '/work/app/.swiftpm/configuration/registries.json');
  });
});

const execFileAsync = promisify(execFile);

void describe('parity with aws codeartifact login --tool swift --dry-run', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: seed().domain('acme').repo('app').build() });
  });
  after(async () => emu.close());

  void it('the same netrc line and the same registry URL as the CLI', async () => {
    const h = home();
    const env = {
      PATH: process.env.PATH,
      HOME: h,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_DEFAULT_REGION: 'us-west-2',
      AWS_CONFIG_FILE: join(h, 'c'),
      AWS_SHARED_CREDENTIALS_FILE: join(h, 'k'),
    };
    for (const k of ['PYENV_ROOT', 'PYENV_VERSION']) if (process.env[k]) Object.assign(env, { [k]: process.env[k] });
    const { stdout } = await execFileAsync('aws', ['--endpoint-url', emu.url, 'codeartifact', 'login', '--tool', 'swift', '--domain', 'acme', '--repository', 'app', '--dry-run'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const swift = (await sdkClient(emu.url).send(new GetRepositoryEndpointCommand({ domain: 'acme', repository: 'app', format: 'swift' }))).repositoryEndpoint!;
    const cliLine = /^machine \S+ login token password (\S+)$/m.exec(stdout);
    assert.ok(cliLine, stdout);
    assert.ok(stdout.includes(`swift package-registry set ${swift}`), stdout);
    assert.ok(stdout.includes(`swift package-registry login ${swift}login`), stdout);
    const token = await tokenFor(emu);
    const ctx = { home: h, env: {}, platform: 'linux' as const, swiftProject: join(h, 'p') };
    await applyLogin({ domain: 'acme', repository: 'app', endpoints: { swift }, token, expiresAt: 0, tools: ['swift'] }, ctx);
    assert.equal(read(join(h, '.netrc')), `${cliLine[0].replace(cliLine[1], token)}\n`);
    const reg = JSON.parse(read(join(h, 'p', '.swiftpm', 'configuration', 'registries.json'))) as {
      registries: Record<string, { url: string }>;
      authentication: Record<string, { loginAPIPath: string }>;
    };
    assert.equal(reg.registries['[default]'].url, swift);
    assert.equal(`${new URL(swift).origin}${Object.values(reg.authentication)[0].loginAPIPath}`, `${swift}login`);
  });
});
