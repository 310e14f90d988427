// Malformed registry requests: each gets a 4xx with a message, and the stored state is byte-for-byte
// what it was before.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { tarGz, zip } from '../src/archive';
import { basic, proxiedSeed } from '../src/testing';
import { buildNpmTarball, buildWheel } from '../src/registries/build';
import { startEmulator, type Emulator } from '../src/server';
import { issueToken } from '../src/state';

const badInputSeed = () => proxiedSeed('public:npmjs', 'npm-store', 'app').build();

const LIMIT = 64 * 1024;

function multipart(fields: Record<string, string>, file?: { name: string; filename: string; data: Buffer }): { body: Buffer; type: string } {
  const boundary = 'XyZbOuNdArY';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

/** A GET sent as written (fetch would normalise '..' away). */
function rawGet(url: string, authorization: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function npmPublishBody(name: string, version: string, tarball: Buffer): string {
  return JSON.stringify({
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: { [version]: { name, version } },
    _attachments: { [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  });
}

/** A PUT of a multipart body. */
const putForm = (m: { body: Buffer; type: string }) => ({ method: 'PUT', body: m.body, headers: { 'content-type': m.type } });

describe('malformed registry requests', () => {
  let emu: Emulator;
  let token: string;

  before(async () => {
    emu = await startEmulator({ seed: badInputSeed(), maxBodyBytes: LIMIT, ingestionDelayMs: 0 });
    token = issueToken(emu.ctx.state, emu.ctx.clock, emu.ctx.state.domains['111122223333/acme'], 3600).token;
  });
  after(async () => {
    await emu?.close();
  });

  /** Sends the request and checks: 4xx (the expected status), a message, the state unchanged. */
  async function refused(path: string, init: RequestInit, status: number, message: RegExp): Promise<void> {
    const before = JSON.stringify(emu.ctx.state);
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', path.startsWith('/npm') ? `Bearer ${token}` : basic(token));
    const res = await fetch(`${emu.url}${path}`, { ...init, headers });
    const text = await res.text();
    assert.equal(res.status, status, `${init.method ?? 'GET'} ${path}: ${text}`);
    assert.match(text, message, `${init.method ?? 'GET'} ${path}`);
    assert.equal(JSON.stringify(emu.ctx.state), before, `${init.method ?? 'GET'} ${path} changed the state`);
  }

  const npmRepo = '/npm/d/acme-111122223333/app/';
  const pypiRepo = '/pypi/d/acme-111122223333/app/';
  const mavenRepo = '/maven/d/acme-111122223333/app/';

  it('bad paths', async () => {
    await refused('/npm/d/acme/app/left-pad', {}, 400, /domain segment/);
    await refused('/npm/d/', {}, 400, /Bad registry path/);
    await refused(`${npmRepo}%E0%A4%A`, {}, 400, /percent-encoding/);
    await refused(`${npmRepo}..%2F..%2Fetc`, {}, 400, /not allowed|Invalid package name/);
    await refused(`${npmRepo}Bad Name!`, {}, 400, /Invalid package name/);
    await refused(`${npmRepo}left-pad/-/other-1.0.0.tgz`, {}, 400, /does not match/);
    await refused('/npm/d/acme-111122223333/no-such-repo/left-pad', {}, 404, /Repository no-such-repo not found/);
    await refused('/npm/d/other-111122223333/app/left-pad', {}, 404, /Domain other/);
    await refused(`${mavenRepo}com/acme/x/1.0/other-1.0.jar`, {}, 400, /Maven naming/);
    await refused(`${mavenRepo}com/acme/x/../x-1.0.jar`, {}, 400, /Bad Maven path/); // URLs fold the '..' away
    const raw = await rawGet(`${emu.url}${mavenRepo}com/acme/x/../1.0/x-1.0.jar`, basic(token));
    assert.equal(raw.status, 400);
    assert.match(raw.body, /Maven naming/, 'the server resolves ".." inside the URL first, so it never leaves the repository');
    await refused(`${pypiRepo}simple/bad%20name!/`, {}, 400, /Invalid project name/);
  });

  it('Cargo, NuGet and Swift: bad paths and malformed publishes', async () => {
    const cargoRepo = '/cargo/d/acme-111122223333/app/';
    const nugetRepo = '/nuget/d/acme-111122223333/app/';
    const swiftRepo = '/swift/d/acme-111122223333/app/';
    const octets = { 'content-type': 'application/octet-stream' };
    await refused(`${cargoRepo}zz/zz/left-pad`, {}, 404, /No Cargo route/);
    await refused(`${cargoRepo}api/v1/crates/new`, { method: 'PUT', body: Buffer.from([9, 0, 0, 0, 123]), headers: octets }, 400, /Malformed publish body/);
    await refused(`${cargoRepo}api/v1/crates/new`, { method: 'PUT', body: Buffer.alloc(LIMIT + 8, 1), headers: octets }, 413, /larger than the limit/);
    await refused(`${nugetRepo}v3/package/bad%20id/index.json`, {}, 404, /No NuGet route/);
    await refused(`${nugetRepo}v3/publish`, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } }, 415, /multipart\/form-data/);
    await refused(`${nugetRepo}v3/publish`, putForm(multipart({}, { name: 'package', filename: 'x.nupkg', data: Buffer.from('PK junk') })), 400, /not a valid .nupkg/);
    await refused(`${swiftRepo}bad--scope/x`, {}, 404, /No Swift registry route/);
    await refused(`${swiftRepo}acme/kit/1.0.0`, putForm(multipart({ metadata: '{}' })), 400, /source-archive/);
    await refused(`${swiftRepo}acme/kit/not-semver`, putForm(multipart({})), 400, /semantic version/);
  });

  it('npm publish: wrong content type, bad JSON, bad tarball, mismatched package, too large', async () => {
    const good = buildNpmTarball({ name: '@acme/widget', version: '1.0.0' });
    const json = { 'content-type': 'application/json' };
    await refused(
      `${npmRepo}@acme%2fwidget`,
      { method: 'PUT', body: npmPublishBody('@acme/widget', '1.0.0', good), headers: { 'content-type': 'text/plain' } },
      415,
      /application\/json/,
    );
    await refused(`${npmRepo}@acme%2fwidget`, { method: 'PUT', body: '{"name": ', headers: json }, 400, /not valid JSON/);
    await refused(
      `${npmRepo}@acme%2fwidget`,
      { method: 'PUT', body: npmPublishBody('@acme/widget', '1.0.0', Buffer.from('garbage, not gzip')), headers: json },
      400,
      /Bad tarball: not a gzip stream/,
    );
    const noPkgJson = tarGz([{ path: 'package/index.js', data: '1' }]);
    await refused(`${npmRepo}@acme%2fwidget`, { method: 'PUT', body: npmPublishBody('@acme/widget', '1.0.0', noPkgJson), headers: json }, 400, /no package\/package.json/);
    const other = buildNpmTarball({ name: '@acme/other', version: '1.0.0' });
    await refused(`${npmRepo}@acme%2fwidget`, { method: 'PUT', body: npmPublishBody('@acme/widget', '1.0.0', other), headers: json }, 400, /expected @acme\/widget@1.0.0/);
    await refused(`${npmRepo}@acme%2fwidget`, { method: 'PUT', body: npmPublishBody('@acme/other', '1.0.0', other), headers: json }, 400, /URL names/);
    const big = Buffer.alloc(LIMIT, 7);
    await refused(`${npmRepo}@acme%2fwidget`, { method: 'PUT', body: npmPublishBody('@acme/widget', '1.0.0', big), headers: json }, 413, /larger than the limit of 65536 bytes/);
    // The same publish done right is accepted (so the refusals above were about the input).
    const ok = await fetch(`${emu.url}${npmRepo}@acme%2fwidget`, {
      method: 'PUT',
      body: npmPublishBody('@acme/widget', '1.0.0', good),
      headers: { ...json, authorization: `Bearer ${token}` },
    });
    assert.equal(ok.status, 200);
  });

  it('PyPI upload: wrong content type, missing fields, mismatched or corrupt files, too large', async () => {
    const wheel = buildWheel({ name: 'acme-lib', version: '1.0.0' });
    const fields = { ':action': 'file_upload', name: 'acme-lib', version: '1.0.0', protocol_version: '1' };
    const up = (m: { body: Buffer; type: string }) => ({ method: 'POST', body: m.body, headers: { 'content-type': m.type } });
    await refused(pypiRepo, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }, 415, /multipart\/form-data/);
    await refused(pypiRepo, up(multipart({ name: 'acme-lib', version: '1.0.0' }, { name: 'content', filename: wheel.filename, data: wheel.data })), 400, /:action/);
    await refused(pypiRepo, up(multipart(fields)), 400, /Missing file content/);
    await refused(pypiRepo, up(multipart({ ...fields, name: 'other-lib' }, { name: 'content', filename: wheel.filename, data: wheel.data })), 400, /does not belong/);
    await refused(pypiRepo, up(multipart(fields, { name: 'content', filename: wheel.filename, data: Buffer.from('PK not a zip') })), 400, /Invalid distribution file/);
    await refused(
      pypiRepo,
      up(multipart({ ...fields, sha256_digest: '0'.repeat(64) }, { name: 'content', filename: wheel.filename, data: wheel.data })),
      400,
      /sha256_digest does not match/,
    );
    await refused(pypiRepo, { method: 'POST', body: 'no boundary here', headers: { 'content-type': 'multipart/form-data; boundary=abc' } }, 400, /Malformed multipart/);
    await refused(pypiRepo, up(multipart(fields, { name: 'content', filename: wheel.filename, data: Buffer.alloc(LIMIT + 1) })), 413, /larger than the limit/);
  });

  it('Maven PUT: empty and oversized bodies', async () => {
    await refused(`${mavenRepo}com/acme/x/1.0/x-1.0.jar`, { method: 'PUT', body: '' }, 400, /Empty upload/);
    await refused(`${mavenRepo}com/acme/x/1.0/x-1.0.jar`, { method: 'PUT', body: Buffer.alloc(LIMIT + 10) }, 413, /larger than the limit/);
    await refused(`${mavenRepo}com/acme/x/1.0/x-1.0.jar`, { method: 'DELETE' }, 405, /not allowed/);
  });

  it('inflation bombs, XML character references out of range and prototype names (issue 15)', async () => {
    const json = { 'content-type': 'application/json' };
    // 16 KiB of gzip that inflates to 16 MiB, far beyond this emulator's 64 KiB upload limit.
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    assert.ok(bomb.length < LIMIT / 2);
    await refused(`${npmRepo}bomb`, { method: 'PUT', body: npmPublishBody('bomb', '1.0.0', bomb), headers: json }, 400, /expands beyond the limit of 65536 bytes/);
    const fields = { ':action': 'file_upload', name: 'bomb', version: '1.0.0', protocol_version: '1' };
    const sdist = multipart(fields, { name: 'content', filename: 'bomb-1.0.0.tar.gz', data: bomb });
    await refused(pypiRepo, { method: 'POST', body: sdist.body, headers: { 'content-type': sdist.type } }, 400, /expands beyond the limit/);
    const zipBomb = zip([{ path: 'bomb.nuspec', data: Buffer.alloc(8 * 1024 * 1024, 32) }]);
    assert.ok(zipBomb.length < LIMIT / 2);
    const nugetRepo = '/nuget/d/acme-111122223333/app/';
    await refused(`${nugetRepo}v3/publish`, putForm(multipart({}, { name: 'package', filename: 'bomb.nupkg', data: zipBomb })), 400, /expands beyond the limit/);

    // A character reference to a code point that is not an XML character is the parser's error: a 400 naming it.
    const pom = (artifact: string) =>
      `<?xml version="1.0"?>\n<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>${artifact}</artifactId><version>1.0</version></project>\n`;
    await refused(
      `${mavenRepo}com/acme/x/1.0/x-1.0.pom`,
      { method: 'PUT', body: pom('x&#x110000;') },
      400,
      /x-1\.0\.pom: character reference &#x110000; is not a valid XML character/,
    );
    await refused(`${mavenRepo}com/acme/x/1.0/x-1.0.pom`, { method: 'PUT', body: pom('x&#0;') }, 400, /&#0; is not a valid XML character/);
    await refused(`${mavenRepo}com/acme/x/1.0/x-1.0.pom`, { method: 'PUT', body: pom('x&nbsp;') }, 400, /unknown entity &nbsp;/);
    const nuspec = (id: string) => `<?xml version="1.0"?><package><metadata><id>${id}</id><version>1.0.0</version><description>d</description></metadata></package>`;
    const nupkg = (id: string) => zip([{ path: 'tiny.nuspec', data: nuspec(id) }]);
    await refused(
      `${nugetRepo}v3/publish`,
      putForm(multipart({}, { name: 'package', filename: 'x.nupkg', data: nupkg('Tiny&#x110000;') })),
      400,
      /<id>: character reference &#x110000;/,
    );
    await refused(
      `${nugetRepo}v3/publish`,
      putForm(multipart({}, { name: 'package', filename: 'x.nupkg', data: nupkg('Tiny&#1114112;') })),
      400,
      /&#1114112; is not a valid XML character/,
    );
    // In range, the reference is decoded like any parser would (and the POM is stored).
    const okPom = await fetch(`${emu.url}${mavenRepo}com/acme/x/1.0/x-1.0.pom`, { method: 'PUT', body: pom('x&#x2D;y'), headers: { authorization: basic(token) } });
    assert.equal(okPom.status, 201);

    // Names that are Object.prototype members are names like any other: not found, never a 500.
    for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf']) {
      await refused(`${npmRepo}${name}`, {}, 404, /./);
      await refused(`${pypiRepo}simple/${name}/`, {}, name === '__proto__' ? 400 : 404, /./); // PEP 508: a name starts with a letter or digit
      await refused(`${mavenRepo}com/acme/${name}/1.0/${name}-1.0.jar`, {}, 404, /./);
      await refused(`/npm/d/acme-111122223333/${name}/left-pad`, {}, 404, /not found/);
    }
  });

  it('RubyGems: bad pushes, bad gem names, methods, missing gems and unserved indexes', async () => {
    const rubyRepo = '/ruby/d/acme-111122223333/app/';
    const push = (body: Buffer | string) => ({ method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
    await refused(`${rubyRepo}api/v1/gems`, push(''), 400, /Empty request body/);
    await refused(`${rubyRepo}api/v1/gems`, push('not a gem at all'), 422, /cannot process this gem/);
    await refused(`${rubyRepo}api/v1/gems`, push(Buffer.alloc(1024)), 422, /metadata\.gz and data\.tar\.gz/);
    await refused(`${rubyRepo}api/v1/gems`, push(tarGz([{ path: 'metadata.gz', data: 'x' }])), 422, /cannot process this gem/);
    await refused(`${rubyRepo}api/v1/gems`, push(Buffer.alloc(LIMIT + 1)), 413, /larger than the limit/);
    await refused(`${rubyRepo}api/v1/gems`, { method: 'PUT', body: 'x' }, 405, /not allowed/);
    await refused(`${rubyRepo}gems/x-1.0.gem`, { method: 'DELETE' }, 405, /not allowed/);
    await refused(`${rubyRepo}api/v1/dependencies?gems=bad%20name`, {}, 400, /Invalid gem name/);
    await refused(`${rubyRepo}api/v1/dependencies?gems=${Array.from({ length: 201 }, (_, i) => `g${i}`).join(',')}`, {}, 422, /Too many gems/);
    await refused(`${rubyRepo}gems/no-such-gem-1.0.0.gem`, {}, 404, /Not Found/);
    await refused(`${rubyRepo}quick/Marshal.4.8/no-such-gem-1.0.0.gemspec.rz`, {}, 404, /Not Found/);
    for (const index of ['versions', 'info/x', 'specs.4.8.gz']) await refused(`${rubyRepo}${index}`, {}, 404, /No RubyGems route/);
    await refused('/ruby/d/acme/app/versions', {}, 400, /domain segment/);
  });

  it('missing, invalid and wrong-domain tokens get 401', async () => {
    await refused(`${npmRepo}left-pad`, { headers: { authorization: 'Bearer nope' } }, 401, /Invalid authorization token/);
    await refused(`${mavenRepo}com/acme/x/1.0/x-1.0.jar`, { headers: { authorization: 'Basic !!!' } }, 401, /Invalid authorization token|No authorization token/);
    const res = await fetch(`${emu.url}${npmRepo}left-pad`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
  });
});
