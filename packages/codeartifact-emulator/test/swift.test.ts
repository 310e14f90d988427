// The Swift package registry over HTTP, against SE-0292 (swift is not installable here): publish
// (multipart PUT), releases, release info with checksum, source archive, Package.swift, identifiers,
// login, upstream walks, name normalisation, API version negotiation, origin controls, tokens.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { GetRepositoryEndpointCommand, ListPackagesCommand, ListPackageVersionAssetsCommand, ListPackageVersionsCommand } from '@aws-sdk/client-codeartifact';
import { basic, endpoint, sdkClient, seed, tokenFor } from '../src/testing';
import { startEmulator, type Emulator } from '../src/server';
import { zip } from '../src/archive';

const registrySeed = () =>
  seed()
    .domain('acme')
    .repo('swift-internal')
    .repo('app', { upstreams: ['swift-internal'] })
    .packageGroup('/swift/blocked/*', { restrictions: { PUBLISH: 'BLOCK' } })
    .build();

const ACCEPT = 'application/vnd.swift.registry.v1+json';

function sourceArchive(name: string): Buffer {
  return zip([
    { path: `${name}/Package.swift`, data: `// swift-tools-version:5.7\nimport PackageDescription\nlet package = Package(name: "${name}", targets: [.target(name: "${name}")])\n` },
    { path: `${name}/Sources/${name}/${name}.swift`, data: 'public let greeting = "hello"\n' },
  ]);
}

function multipart(parts: { name: string; type: string; data: Buffer | string }[]): { body: Buffer; type: string } {
  const boundary = 'swift-boundary-5678';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.name === 'source-archive' ? '; filename="source-archive.zip"' : ''}\r\nContent-Type: ${p.type}\r\n\r\n`,
      ),
    );
    chunks.push(Buffer.from(p.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

describe('Swift package registry (SE-0292 wire protocol; no swift client here)', () => {
  let emu: Emulator;
  let token: string;
  const archive = sourceArchive('LinkedList');

  before(async () => {
    emu = await startEmulator({ seed: registrySeed() });
    token = await tokenFor(emu);
  });
  after(async () => {
    await emu?.close();
  });

  const publish = (repo: string, path: string, parts: { name: string; type: string; data: Buffer | string }[], auth = `Bearer ${token}`) => {
    const m = multipart(parts);
    return fetch(endpoint(emu, 'swift', repo) + path, { method: 'PUT', body: m.body, headers: { authorization: auth, accept: ACCEPT, 'content-type': m.type } });
  };

  it('the endpoint is what GetRepositoryEndpoint returns; login takes Bearer and netrc Basic tokens', async () => {
    const ep = endpoint(emu, 'swift', 'app');
    const out = await sdkClient(emu.url).send(new GetRepositoryEndpointCommand({ domain: 'acme', repository: 'app', format: 'swift' }));
    assert.equal(out.repositoryEndpoint, ep);
    assert.equal((await fetch(ep + 'login', { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: ACCEPT } })).status, 200);
    assert.equal((await fetch(ep + 'login', { method: 'POST', headers: { authorization: basic(token), accept: ACCEPT } })).status, 200);
    const bad = await fetch(ep + 'login', { method: 'POST', headers: { authorization: 'Bearer nope', accept: ACCEPT } });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('content-type'), 'application/problem+json');
    assert.equal(bad.headers.get('content-version'), '1');
    assert.deepEqual(await bad.json(), { detail: 'Invalid authorization token' });
  });

  it('publish then fetch through the downstream repository: releases, release, archive, Package.swift, identifiers', async () => {
    const res = await publish('swift-internal', 'Mona/LinkedList/1.1.1', [
      { name: 'source-archive', type: 'application/zip', data: archive },
      {
        name: 'metadata',
        type: 'application/json',
        data: JSON.stringify({ description: 'One thing links to another.', repositoryURLs: ['https://github.com/mona/LinkedList.git'] }),
      },
    ]);
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal(res.headers.get('location'), endpoint(emu, 'swift', 'swift-internal') + 'mona/linkedlist/1.1.1');
    assert.equal((await publish('swift-internal', 'mona/linkedlist/1.1.1', [{ name: 'source-archive', type: 'application/zip', data: archive }])).status, 409);

    const ep = endpoint(emu, 'swift', 'app');
    const h = { authorization: `Bearer ${token}`, accept: ACCEPT };
    const list = await fetch(ep + 'mona/LinkedList', { headers: h });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('content-version'), '1');
    assert.deepEqual(await list.json(), { releases: { '1.1.1': { url: `${ep}mona/linkedlist/1.1.1` } } });
    assert.match(list.headers.get('link') ?? '', /rel="latest-version"/);
    const info = (await (await fetch(ep + 'mona/linkedlist/1.1.1', { headers: h })).json()) as Record<string, unknown>;
    const sha = createHash('sha256').update(archive).digest('hex');
    assert.equal(info.id, 'mona.linkedlist');
    assert.deepEqual(info.resources, [{ name: 'source-archive', type: 'application/zip', checksum: sha }]);
    assert.deepEqual((info.metadata as { description: string }).description, 'One thing links to another.');
    const zipRes = await fetch(ep + 'mona/linkedlist/1.1.1.zip', { headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.swift.registry.v1+zip' } });
    assert.equal(zipRes.status, 200);
    assert.equal(zipRes.headers.get('digest'), `sha-256=${createHash('sha256').update(archive).digest('base64')}`);
    assert.deepEqual(Buffer.from(await zipRes.arrayBuffer()), archive);
    const man = await fetch(ep + 'mona/linkedlist/1.1.1/Package.swift', { headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.swift.registry.v1+swift' } });
    assert.equal(man.status, 200);
    assert.match(await man.text(), /swift-tools-version:5\.7/);
    const ids = await fetch(ep + 'identifiers?url=' + encodeURIComponent('https://github.com/mona/LinkedList.git'), { headers: h });
    assert.deepEqual(await ids.json(), { identifiers: ['mona.linkedlist'] });
    // The fetch copied the version into app; the control plane sees the normalised names and the asset.
    const versions = await sdkClient(emu.url).send(
      new ListPackageVersionsCommand({ domain: 'acme', repository: 'app', format: 'swift', namespace: 'Mona', package: 'LinkedList' }),
    );
    assert.deepEqual(
      versions.versions?.map((v) => [v.version, v.origin?.originType]),
      [['1.1.1', 'INTERNAL']],
    );
    const pkgs = await sdkClient(emu.url).send(new ListPackagesCommand({ domain: 'acme', repository: 'swift-internal', format: 'swift' }));
    assert.deepEqual(
      pkgs.packages?.map((p) => [p.namespace, p.package]),
      [['mona', 'linkedlist']],
    );
    const assets = await sdkClient(emu.url).send(
      new ListPackageVersionAssetsCommand({ domain: 'acme', repository: 'swift-internal', format: 'swift', namespace: 'mona', package: 'linkedlist', packageVersion: '1.1.1' }),
    );
    assert.equal(assets.assets?.[0]?.hashes?.['SHA-256'], sha);
  });

  it('refuses what the specification and the origin controls refuse, and stores nothing', async () => {
    const ep = endpoint(emu, 'swift', 'app');
    const h = { authorization: `Bearer ${token}` };
    assert.equal((await fetch(ep + 'mona/none', { headers: { ...h, accept: ACCEPT } })).status, 404);
    assert.equal((await fetch(ep + 'mona/linkedlist', { headers: { ...h, accept: 'application/vnd.swift.registry.v2+json' } })).status, 415);
    assert.equal((await fetch(ep + 'mona/linkedlist/9.9.9', { headers: h })).status, 404);
    assert.equal((await fetch(ep + 'mona--x/linkedlist', { headers: h })).status, 404);
    assert.equal((await publish('app', 'blocked/thing/1.0.0', [{ name: 'source-archive', type: 'application/zip', data: sourceArchive('Thing') }])).status, 403);
    assert.equal((await publish('app', 'mona/other/1.0', [{ name: 'source-archive', type: 'application/zip', data: archive }])).status, 400);
    assert.equal((await publish('app', 'mona/other/1.0.0', [{ name: 'metadata', type: 'application/json', data: '{}' }])).status, 400);
    assert.equal((await publish('app', 'mona/other/1.0.0', [{ name: 'source-archive', type: 'application/zip', data: 'not a zip' }])).status, 400);
    assert.equal((await publish('app', 'mona/other/1.0.0', [{ name: 'source-archive', type: 'application/zip', data: zip([{ path: 'README.md', data: 'x' }]) }])).status, 422);
    assert.equal((await publish('app', 'mona/other/1.0.0', [{ name: 'source-archive', type: 'application/zip', data: archive }], 'Bearer nope')).status, 401);
    const pkgs = await sdkClient(emu.url).send(new ListPackagesCommand({ domain: 'acme', repository: 'app', format: 'swift' }));
    assert.deepEqual(
      pkgs.packages?.map((p) => p.package),
      ['linkedlist'],
    );
  });
});
