// The NuGet v3 registry over HTTP, against the published protocol (dotnet and nuget are not installable
// here): service index, flat container, registrations, push (multipart PUT) and delete, ingestion from
// public:nuget-org through upstreams, origin controls, Basic `aws:TOKEN` as the login configures it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetRepositoryEndpointCommand, ListPackagesCommand, ListPackageVersionAssetsCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { basic, endpoint, sdkClient, seed, tokenFor } from '../src/testing';
import { startEmulator, type Emulator } from '../src/server';
import { buildNupkg, normalizeNugetVersion } from '../src/registries/nuget';

const registrySeed = () =>
  seed()
    .domain('acme')
    .repo('nuget-store', { externalConnection: 'public:nuget-org' })
    .repo('app', { upstreams: ['nuget-store'] })
    .repo('team', { upstreams: ['app'] })
    .packageGroup('/nuget//tiny.log$', { restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' } })
    .packageGroup('/nuget//blocked.pkg$', { restrictions: { PUBLISH: 'BLOCK' } })
    .build();

async function versionsOf(emu: Emulator, repository: string, pkg: string) {
  const out = await sdkClient(emu.url).send(new ListPackageVersionsCommand({ domain: 'acme', repository, format: 'nuget', package: pkg }));
  return Object.fromEntries((out.versions ?? []).map((v) => [v.version!, { status: v.status, origin: v.origin }]));
}

function multipart(data: Buffer, filename = 'package.nupkg'): { body: Buffer; type: string } {
  const boundary = 'nuget-boundary-1234';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data; name="package"; filename="${filename}"\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary="${boundary}"` };
}

describe('NuGet v3 registry (wire protocol; no dotnet/nuget client here)', () => {
  let emu: Emulator;
  let auth: Record<string, string>;

  before(async () => {
    emu = await startEmulator({ seed: registrySeed(), ingestionDelayMs: 600, ingestionTimeoutMs: 100 });
    auth = { authorization: basic(await tokenFor(emu)) };
  });
  after(async () => {
    await emu?.close();
  });

  it('normalises versions as NuGet does', () => {
    assert.equal(normalizeNugetVersion('1.0'), '1.0.0');
    assert.equal(normalizeNugetVersion('01.2.3.0'), '1.2.3');
    assert.equal(normalizeNugetVersion('1.2.3.4'), '1.2.3.4');
    assert.equal(normalizeNugetVersion('1.0.0-Beta+abc'), '1.0.0-beta');
  });

  it('the service index at {endpoint}v3/index.json names the resources; no token is 401 with Basic', async () => {
    const ep = endpoint(emu, 'nuget', 'app');
    const out = await sdkClient(emu.url).send(new GetRepositoryEndpointCommand({ domain: 'acme', repository: 'app', format: 'nuget' }));
    assert.equal(out.repositoryEndpoint, ep);
    const anon = await fetch(ep + 'v3/index.json');
    assert.equal(anon.status, 401);
    assert.equal(anon.headers.get('www-authenticate'), 'Basic realm="CodeArtifact"');
    const index = (await (await fetch(ep + 'v3/index.json', { headers: auth })).json()) as { version: string; resources: { '@id': string; '@type': string }[] };
    assert.equal(index.version, '3.0.0');
    const byType = Object.fromEntries(index.resources.map((r) => [r['@type'], r['@id']]));
    assert.equal(byType['PackageBaseAddress/3.0.0'], `${ep}v3/package/`);
    assert.equal(byType['PackagePublish/2.0.0'], `${ep}v3/publish`);
    assert.equal(byType.RegistrationsBaseUrl, `${ep}v3/registrations/`);
  });

  it('flat container and registration list public versions; the .nupkg download ingests (404 in progress, then bytes)', async () => {
    const ep = endpoint(emu, 'nuget', 'team');
    const flat = await fetch(ep + 'v3/package/Tiny.Json/index.json', { headers: auth });
    assert.equal(flat.status, 200);
    assert.deepEqual(await flat.json(), { versions: ['1.0.0', '1.1.0'] });
    const reg = (await (await fetch(ep + 'v3/registrations/tiny.json/index.json', { headers: auth })).json()) as {
      count: number;
      items: { count: number; lower: string; upper: string; items: { catalogEntry: { id: string; version: string; listed: boolean }; packageContent: string }[] }[];
    };
    assert.equal(reg.count, 1);
    assert.equal(reg.items[0].lower, '1.0.0');
    assert.equal(reg.items[0].upper, '1.1.0');
    assert.equal(reg.items[0].items[1].catalogEntry.id, 'Tiny.Json');
    const url = reg.items[0].items[1].packageContent;
    assert.equal(url, `${ep}v3/package/tiny.json/1.1.0/tiny.json.1.1.0.nupkg`);
    const first = await fetch(url, { headers: auth });
    assert.equal(first.status, 404);
    assert.equal(first.statusText, 'Ingestion is in progress. Please try again later.');
    await new Promise((r) => setTimeout(r, 900));
    const second = await fetch(url, { headers: auth });
    assert.equal(second.status, 200);
    assert.deepEqual(Buffer.from(await second.arrayBuffer()), buildNupkg('Tiny.Json', '1.1.0'));
    const nuspec = await (await fetch(ep + 'v3/package/tiny.json/1.1.0/tiny.json.nuspec', { headers: auth })).text();
    assert.match(nuspec, /<id>Tiny.Json<\/id>/);
    for (const repo of ['nuget-store', 'team']) {
      assert.deepEqual(
        (await versionsOf(emu, repo, 'tiny.json'))['1.1.0'].origin,
        { originType: 'EXTERNAL', domainEntryPoint: { externalConnectionName: 'public:nuget-org' } },
        repo,
      );
    }
    const assets = await sdkClient(emu.url).send(
      new ListPackageVersionAssetsCommand({ domain: 'acme', repository: 'team', format: 'nuget', package: 'tiny.json', packageVersion: '1.1.0' }),
    );
    assert.deepEqual(
      assets.assets?.map((a) => a.name),
      ['tiny.json.1.1.0.nupkg'],
    );
  });

  it('a package group blocking EXTERNAL_UPSTREAM makes a public package a plain 404', async () => {
    const ep = endpoint(emu, 'nuget', 'app');
    const res = await fetch(ep + 'v3/package/tiny.log/2.0.0/tiny.log.2.0.0.nupkg', { headers: auth });
    assert.equal(res.status, 404);
    assert.equal(res.statusText, 'Not Found');
    assert.equal((await fetch(ep + 'v3/package/tiny.log/index.json', { headers: auth })).status, 404);
  });

  it('push (multipart PUT) publishes INTERNAL versions; duplicates 409, blocked 403, bad packages 400; delete unlists', async () => {
    const ep = endpoint(emu, 'nuget', 'app');
    const push = (data: Buffer) => {
      const m = multipart(data);
      return fetch(ep + 'v3/publish', { method: 'PUT', body: m.body, headers: { ...auth, 'content-type': m.type, 'X-NuGet-ApiKey': 'ignored' } });
    };
    const nupkg = buildNupkg('Acme.Core', '1.2', [{ id: 'Tiny.Json', range: '[1.1.0, )' }], 'Acme core');
    assert.equal((await push(nupkg)).status, 201);
    assert.equal((await push(nupkg)).status, 409);
    assert.equal((await push(buildNupkg('Blocked.Pkg', '1.0.0'))).status, 403);
    assert.equal((await push(Buffer.from('not a zip'))).status, 400);
    assert.equal((await fetch(ep + 'v3/publish', { method: 'PUT', body: 'x', headers: auth })).status, 415);
    assert.deepEqual(await versionsOf(emu, 'app', 'acme.core'), {
      '1.2.0': { status: 'Published', origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: 'app' } } },
    });
    const team = endpoint(emu, 'nuget', 'team');
    assert.deepEqual(await (await fetch(team + 'v3/package/acme.core/index.json', { headers: auth })).json(), { versions: ['1.2.0'] });
    const reg = (await (await fetch(team + 'v3/registrations/acme.core/index.json', { headers: auth })).json()) as {
      items: { items: { catalogEntry: { dependencyGroups: unknown } }[] }[];
    };
    assert.deepEqual(reg.items[0].items[0].catalogEntry.dependencyGroups, [{ targetFramework: 'netstandard2.0', dependencies: [{ id: 'Tiny.Json', range: '[1.1.0, )' }] }]);
    const got = await fetch(team + 'v3/package/acme.core/1.2.0/acme.core.1.2.0.nupkg', { headers: auth });
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), nupkg);
    assert.equal((await fetch(ep + 'v3/publish/Acme.Core/1.2.0', { method: 'DELETE', headers: auth })).status, 204);
    assert.equal((await versionsOf(emu, 'app', 'acme.core'))['1.2.0'].status, 'Unlisted');
    const pkgs = await sdkClient(emu.url).send(new ListPackagesCommand({ domain: 'acme', repository: 'app', format: 'nuget' }));
    assert.deepEqual(
      pkgs.packages?.map((p) => p.package),
      ['acme.core'],
    );
  });
});
