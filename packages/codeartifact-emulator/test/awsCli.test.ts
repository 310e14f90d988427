// The real AWS CLI (`aws` v1 on PATH) against the emulator, with a throw-away HOME.
// `login --dry-run` prints tokens in clear: assertions here never put that output in their messages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../src/server';
import { aws, cliJson, codeartifactCli, testSeed } from '../src/testing';

describe('AWS CLI against the emulator', () => {
  let emu: Emulator;
  let home: string;
  const ca = (...args: string[]) => codeartifactCli(emu.url, home)(...args);
  const json = cliJson;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'ca-cli-'));
    const seed = testSeed();
    seed.domains![0].repositories!.push({ name: 'bulk', generatedPackages: { count: 250 } });
    emu = await startEmulator({ seed });
  });
  after(async () => {
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('list-domains and describe-repository', async () => {
    const domains = json(await ca('list-domains')).domains as { name: string; createdTime: number }[];
    assert.deepEqual(
      domains.map((d) => d.name),
      ['acme'],
    );
    assert.equal(typeof domains[0].createdTime, 'number');
    const repo = json(await ca('describe-repository', '--domain', 'acme', '--repository', 'app')).repository as { upstreams: unknown };
    assert.deepEqual(repo.upstreams, [{ repositoryName: 'npm-store' }]);
  });

  it('the documented npm example: list-package-version-assets names the tarball package.tgz, get-package-version-asset --asset package.tgz', async () => {
    // The registry URL keeps npm's {base}-{version}.tgz; only the control plane's asset name is the service's.
    const token = json(await ca('get-authorization-token', '--domain', 'acme', '--query', '{authorizationToken: authorizationToken}')).authorizationToken as string;
    const tgz = await fetch(`${emu.url}/npm/d/acme-111122223333/app/@acme/ui/-/ui-1.1.0.tgz`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(tgz.status, 200);
    const data = Buffer.from(await tgz.arrayBuffer());
    const coords = ['--domain', 'acme', '--repository', 'app', '--format', 'npm', '--namespace', 'acme', '--package', 'ui', '--package-version', '1.1.0'];
    const listed = json(await ca('list-package-version-assets', ...coords)).assets as { name: string; size: number }[];
    assert.deepEqual(
      listed.map((a) => [a.name, a.size]),
      [['package.tgz', data.length]],
    );
    const out = join(home, 'package.tgz');
    const got = json(await ca('get-package-version-asset', ...coords, '--asset', 'package.tgz', out));
    assert.equal(got.assetName, 'package.tgz');
    assert.deepEqual(readFileSync(out), data);
  });

  it('list-packages follows nextToken through 250 packages', async () => {
    const before = emu.ctx.stats.ListPackages ?? 0;
    const pkgs = json(await ca('list-packages', '--domain', 'acme', '--repository', 'bulk')).packages as { package: string }[];
    assert.equal(pkgs.length, 250);
    assert.equal(new Set(pkgs.map((p) => p.package)).size, 250);
    assert.equal(pkgs[0].package, 'pkg-000');
    assert.equal(pkgs[249].package, 'pkg-249');
    assert.equal((emu.ctx.stats.ListPackages ?? 0) - before, 3);
  });

  it('associate-external-connection, then disassociate it', async () => {
    const a = json(await ca('associate-external-connection', '--domain', 'acme', '--repository', 'staging', '--external-connection', 'public:npmjs')).repository as {
      externalConnections: unknown;
    };
    assert.deepEqual(a.externalConnections, [{ externalConnectionName: 'public:npmjs', packageFormat: 'npm', status: 'Available' }]);
    const again = await ca('associate-external-connection', '--domain', 'acme', '--repository', 'staging', '--external-connection', 'public:pypi');
    assert.equal(again.code, 255);
    assert.match(again.stderr, /ConflictException.*AssociateExternalConnection/);
    const d = json(await ca('disassociate-external-connection', '--domain', 'acme', '--repository', 'staging', '--external-connection', 'public:npmjs')).repository as {
      externalConnections: unknown;
    };
    assert.deepEqual(d.externalConnections, []);
  });

  it('get-authorization-token --duration-seconds 900', async () => {
    const r = json(await ca('get-authorization-token', '--domain', 'acme', '--duration-seconds', '900'));
    const token = r.authorizationToken as string;
    // The token the CLI printed is the one the registries take.
    const packument = await fetch(`${emu.url}/npm/d/acme-111122223333/app/@acme/ui`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(packument.status, 200, 'the npm registry takes the token');
    await packument.arrayBuffer();
    assert.ok(Math.abs((r.expiration as number) - (Date.now() / 1000 + 900)) < 10);
    const bad = await ca('get-authorization-token', '--domain', 'acme', '--duration-seconds', '60');
    assert.equal(bad.code, 255);
    assert.match(bad.stderr, /ValidationException/);
  });

  it('get-repository-endpoint', async () => {
    const r = json(await ca('get-repository-endpoint', '--domain', 'acme', '--repository', 'app', '--format', 'pypi'));
    assert.equal(r.repositoryEndpoint, `${emu.url}/pypi/d/acme-111122223333/app/`);
  });

  it('errors print the service error type and message', async () => {
    const r = await ca('describe-repository', '--domain', 'acme', '--repository', 'nope');
    assert.equal(r.code, 255);
    assert.match(r.stderr, /An error occurred \(ResourceNotFoundException\) when calling the DescribeRepository operation: .*nope/);
  });

  /** Runs a login dry run and returns its output plus the tokens the emulator issued during it. */
  const login = async (tool: string) => {
    const known = new Set(Object.keys(emu.ctx.state.tokens));
    const r = await aws(home, ['codeartifact', 'login', '--tool', tool, '--dry-run', '--domain', 'acme', '--repository', 'app', '--endpoint-url', emu.url]);
    assert.equal(r.code, 0, `login --tool ${tool} failed (stderr has ${r.stderr.length} chars)`);
    const issued = Object.keys(emu.ctx.state.tokens).filter((t) => !known.has(t));
    assert.equal(issued.length, 1, 'one token issued per login');
    return { out: r.stdout, token: issued[0] };
  };

  it('login --tool npm --dry-run prints npm config commands with the endpoint and the issued token', async () => {
    const { out, token } = await login('npm');
    const path = `${emu.url.replace('http:', '')}/npm/d/acme-111122223333/app/`;
    const expected = [
      `npm config set registry ${emu.url}/npm/d/acme-111122223333/app/`,
      `npm config set ${path}:always-auth true`,
      `npm config set ${path}:_authToken ${token}`,
    ].join('\n\n');
    assert.ok(out.trim() === expected, 'npm dry-run output differs from the three expected commands');
  });

  it('login --tool pip --dry-run prints pip config with the token in the index URL', async () => {
    const { out, token } = await login('pip');
    const host = emu.url.replace('http://', '');
    assert.ok(out.trim() === `pip config set global.index-url http://aws:${token}@${host}/pypi/d/acme-111122223333/app/simple/`, 'pip dry-run output differs');
  });

  it('login --tool twine --dry-run prints the .pypirc it would write', async () => {
    const { out, token } = await login('twine');
    assert.ok(out.includes('Dryrun mode is enabled, not writing to pypirc.'));
    assert.ok(out.includes(`repository = ${emu.url}/pypi/d/acme-111122223333/app/\n`), 'repository line');
    assert.ok(out.includes('username = aws\n'));
    assert.ok(out.includes(`password = ${token}\n`), 'password is the issued token');
  });
});
