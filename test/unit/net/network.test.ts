// The transport against real things: the emulator over TLS under --public-host, a real forward proxy with Basic
// auth that alone resolves that host name, the AWS SDK client and the data-plane fetch; and the pure rules
// (which proxy a URL takes, NO_PROXY, install environments, Retry-After, error classification).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, tokenFor, type Emulator } from 'codeartifact-emulator/testing';
import { CodeArtifact } from '../../../src/core/aws/client';
import { describeProblem } from '../../../src/core/aws/errors';
import { proxyEnvironment, javaProxyOptions } from '../../../src/core/net/env';
import { classifyNetworkError } from '../../../src/core/net/errors';
import { bypasses, configureNetwork, proxyFor, type NetworkSettings } from '../../../src/core/net/settings';
import { netFetch } from '../../../src/core/net/transport';
import { prewarm, retryAfterMs } from '../../../src/core/install/prewarm';
import { startForwardProxy, type ForwardProxy } from './forwardProxy';

describe('which proxy a request takes', () => {
  it('http.proxy wins over the environment; NO_PROXY and http.noProxy go direct', () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:3128', HTTP_PROXY: 'http://plain-proxy:3128', NO_PROXY: 'internal.example,.corp' };
    assert.equal(proxyFor('https://codeartifact.us-west-2.amazonaws.com', {}, env), 'http://env-proxy:3128');
    assert.equal(proxyFor('http://registry.example', {}, env), 'http://plain-proxy:3128');
    assert.equal(proxyFor('https://x.example', { proxy: 'settings-proxy:8080' }, env), 'http://settings-proxy:8080');
    assert.equal(proxyFor('https://internal.example/v1', { proxy: 'p:1' }, env), undefined);
    assert.equal(proxyFor('https://a.b.corp', {}, env), undefined);
    assert.equal(proxyFor('https://a.b.corp', { noProxy: [] }, {}), undefined);
    assert.equal(proxyFor('https://emu.test', { proxy: 'p:1', noProxy: ['emu.test'] }, {}), undefined);
    assert.equal(proxyFor('https://emu.test', {}, {}), undefined);
  });

  it('NO_PROXY entries: *, suffixes, ports', () => {
    const u = new URL('https://repo.acme.example:8443/x');
    assert.equal(bypasses(u, ['*']), true);
    assert.equal(bypasses(u, ['acme.example']), true);
    assert.equal(bypasses(u, ['.acme.example']), true);
    assert.equal(bypasses(u, ['*.acme.example']), true);
    assert.equal(bypasses(u, ['acme.example:443']), false);
    assert.equal(bypasses(u, ['acme.example:8443']), true);
    assert.equal(bypasses(u, ['other.example', 'me.example']), false);
  });

  it('install runs get the proxy as each tool reads it, never overriding what is set', () => {
    const s: NetworkSettings = { proxy: 'http://proxy.corp:3128', noProxy: ['.internal'], caFile: '/etc/corp-ca.pem' };
    const e = proxyEnvironment({}, s);
    assert.equal(e.HTTPS_PROXY, 'http://proxy.corp:3128');
    assert.equal(e.http_proxy, 'http://proxy.corp:3128');
    assert.equal(e.NO_PROXY, '.internal');
    assert.equal(e.MAVEN_OPTS, '-Dhttps.proxyHost=proxy.corp -Dhttps.proxyPort=3128 -Dhttp.proxyHost=proxy.corp -Dhttp.proxyPort=3128 -Dhttp.nonProxyHosts=*.internal');
    assert.equal(e.GRADLE_OPTS, e.MAVEN_OPTS);
    assert.equal(e.NODE_EXTRA_CA_CERTS, '/etc/corp-ca.pem');
    const mine = proxyEnvironment({ HTTPS_PROXY: 'http://mine:1', http_proxy: 'http://mine:1', MAVEN_OPTS: '-Xmx1g -Dhttps.proxyHost=mine', NODE_EXTRA_CA_CERTS: '/mine.pem' }, s);
    assert.equal(mine.HTTPS_PROXY, undefined);
    assert.equal(mine.HTTP_PROXY, undefined);
    assert.equal(mine.MAVEN_OPTS, undefined);
    assert.equal(mine.NODE_EXTRA_CA_CERTS, undefined);
    assert.match(mine.GRADLE_OPTS, /-Dhttps.proxyHost=proxy.corp/);
    // From the environment alone, only the JVM tools need telling.
    assert.deepEqual(Object.keys(proxyEnvironment({ HTTPS_PROXY: 'http://u:secret@env:8080' }, {})).sort(), ['GRADLE_OPTS', 'MAVEN_OPTS']);
    // A proxy password never goes into -D options (they end up on a command line).
    assert.doesNotMatch(javaProxyOptions('http://u:secret@env:8080', '')!, /secret|u:/);
  });

  it('Retry-After: seconds or a date, bounded', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(retryAfterMs('99999'), 300_000);
    assert.equal(retryAfterMs(null), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
  });

  it('failures name the host and the cause', () => {
    const at = 'https://codeartifact.us-west-2.amazonaws.com/v1/domains';
    assert.match(
      classifyNetworkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), at)!.message,
      /codeartifact\.us-west-2\.amazonaws\.com cannot be resolved \(ENOTFOUND\)/,
    );
    assert.match(classifyNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }), at)!.message, /connection to codeartifact\.us-west-2\.amazonaws\.com was reset/);
    const viaProxy = classifyNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), at, 'http://user:pw@proxy.corp:3128')!;
    assert.match(viaProxy.message, /proxy http:\/\/user:\*\*\*\*@proxy\.corp:3128 on the way to codeartifact/);
    assert.equal(viaProxy.setting, 'http.proxy');
    assert.equal(classifyNetworkError(new Error('AccessDenied'), at), undefined);
  });
});

describe('through a real proxy to the emulator over TLS under --public-host', () => {
  const HOST = 'codeartifact.test.invalid';
  let emu: Emulator;
  let proxy: ForwardProxy;
  let endpoint: string;
  let proxyUrl: string;
  const saved = { ...process.env };

  before(async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'NODE_EXTRA_CA_CERTS']) delete process.env[k];
    emu = await startEmulator({ tls: true, publicHost: HOST, ingestionDelayMs: 100 });
    endpoint = emu.publicUrl;
    proxy = await startForwardProxy(['--auth', 'alice:s3cret', '--map', `${HOST}=127.0.0.1`]);
    proxyUrl = proxy.url.replace('http://', 'http://alice:s3cret@');
  });
  after(async () => {
    configureNetwork({});
    await proxy?.stop();
    await emu?.close();
    process.env = saved;
  });

  const client = () => new CodeArtifact({ region: 'us-west-2', endpoint, maxAttempts: 3 });

  it('the SDK and the data plane go through the proxy (Basic auth), trusting the CA of codeartifact.caFile', async () => {
    assert.match(endpoint, /^https:\/\/codeartifact\.test\.invalid:\d+$/);
    configureNetwork({ proxy: proxyUrl, caFile: emu.caFile });
    const ca = client();
    try {
      const domains = await ca.listDomains();
      assert.deepEqual(domains.items.map((d) => d.name).sort(), ['acme', 'sandbox']);
      const npm = await ca.getRepositoryEndpoint({ domain: 'acme', repository: 'app' }, 'npm');
      assert.equal(new URL(npm).hostname, HOST);
      const { token } = await ca.getAuthorizationToken({ domain: 'acme' });
      const res = await netFetch(`${npm}left-pad`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { name: string }).name, 'left-pad');
    } finally {
      ca.dispose();
    }
    // The host name resolves only inside the proxy: every request went through it, and it logged each.
    assert.ok(proxy.log().filter((l) => l === `CONNECT ${HOST}:${emu.port}`).length >= 1, proxy.log().join('\n'));
    assert.deepEqual(
      proxy.log().filter((l) => !l.startsWith('CONNECT ')),
      [],
    );
  });

  it('without the CA: an untrusted-certificate message that names the fix', async () => {
    configureNetwork({ proxy: proxyUrl });
    const ca = client();
    try {
      const e = await ca.listDomains().then(
        () => undefined,
        (x: unknown) => x,
      );
      const p = describeProblem(e, { endpoint });
      assert.equal(p.kind, 'unreachable');
      assert.match(p.message, /certificate of codeartifact\.test\.invalid:\d+ is not trusted/);
      assert.match(p.message, /codeartifact\.caFile/);
      assert.equal(p.setting, 'codeartifact.caFile');
    } finally {
      ca.dispose();
    }
    await assert.rejects(netFetch(`${endpoint}/npm/d/acme-111122223333/app/left-pad`), /is not trusted.*codeartifact\.caFile/);
  });

  it('a wrong proxy password: the 407, named', async () => {
    configureNetwork({ proxy: proxy.url.replace('http://', 'http://alice:wrong@'), caFile: emu.caFile });
    await assert.rejects(netFetch(`${endpoint}/npm/d/acme-111122223333/app/left-pad`), /407 Proxy Authentication Required.*http\.proxy/);
    const ca = client();
    try {
      const p = describeProblem(await ca.listDomains().catch((x: unknown) => x), { endpoint });
      assert.match(p.message, /407/);
    } finally {
      ca.dispose();
    }
    assert.ok(proxy.log().some((l) => l.startsWith('407 CONNECT')));
  });

  it('with the proxy stopped, the SDK, the data plane and pre-warm fail fast naming the proxy', async () => {
    const token = await tokenFor(emu);
    const down = await startForwardProxy([]);
    const downUrl = down.url;
    await down.stop();
    configureNetwork({ proxy: downUrl, caFile: emu.caFile });
    const t0 = Date.now();
    const ca = client();
    try {
      const p = describeProblem(await ca.listDomains().catch((x: unknown) => x), { endpoint });
      assert.match(p.message, /Cannot reach the proxy http:\/\/127\.0\.0\.1:\d+ on the way to codeartifact\.test\.invalid/);
    } finally {
      ca.dispose();
    }
    const sdkMs = Date.now() - t0;
    const r = await prewarm({
      entries: [
        { format: 'npm', name: 'left-pad', version: '1.3.0' },
        { format: 'npm', name: 'is-odd', version: '3.0.1' },
      ],
      endpoints: { npm: `${endpoint}/npm/d/acme-111122223333/app/` },
      token,
      maxWaitSeconds: 600,
    });
    const totalMs = Date.now() - t0;
    assert.deepEqual(
      r.failed.map((f) => f.reason),
      ['network', 'network'],
    );
    assert.match(r.failed[0].message, /Cannot reach the proxy/);
    assert.ok(sdkMs < 5000 && totalMs < 5000, `SDK ${sdkMs} ms, with pre-warm ${totalMs} ms`);
  });
});
