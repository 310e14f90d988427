// Agents for both planes and the data-plane fetch, built from the network settings: a proxy agent
// (https-proxy-agent for https targets, http-proxy-agent for http ones) or a plain keep-alive agent, each with
// the CA bundle (Node's roots, NODE_EXTRA_CA_CERTS, VS Code's system certificates, codeartifact.caFile).
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import * as tls from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { DEFAULT_CONNECT_TIMEOUT_MS, networkGeneration, networkSettings, proxyFor, type NetworkSettings } from './settings';
import { NetworkError } from './errors';

/** A CA file we cannot read or that holds no certificate: the message names the setting and the file. */
export class CaFileError extends Error {
  readonly setting = 'codeartifact.caFile';
}

/**
 * The certificates to trust, or undefined when Node's defaults do (no CA file, no extra certificates).
 * Passing `ca` replaces Node's store, so the bundle repeats its roots and NODE_EXTRA_CA_CERTS.
 */
export function caBundle(settings: NetworkSettings = networkSettings(), env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const file = settings.caFile?.trim();
  if (!file && !settings.extraCertificates?.length) return undefined;
  const out = [...tls.rootCertificates, ...(settings.extraCertificates ?? [])];
  if (env.NODE_EXTRA_CA_CERTS) {
    try {
      out.push(readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8'));
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at start-up; nothing to add.
    }
  }
  if (file) {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CaFileError(`codeartifact.caFile "${file}" cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Point it at a PEM file of your CA.`);
    }
    if (!/-----BEGIN CERTIFICATE-----/.test(pem)) throw new CaFileError(`codeartifact.caFile "${file}" holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
    out.push(pem);
  }
  return out;
}

let cache: { generation: number; agents: Map<string, http.Agent> } = { generation: -1, agents: new Map() };

/** The agent for requests to `target` (one per proxy, protocol and settings generation; keep-alive). */
export function agentFor(target: string | URL): http.Agent {
  const url = typeof target === 'string' ? new URL(target) : target;
  if (cache.generation !== networkGeneration()) {
    for (const a of cache.agents.values()) a.destroy();
    cache = { generation: networkGeneration(), agents: new Map() };
  }
  const settings = networkSettings();
  const proxy = proxyFor(url, settings);
  const key = `${url.protocol}|${proxy ?? ''}`;
  let agent = cache.agents.get(key);
  if (!agent) {
    agent = buildAgent(url.protocol, proxy, settings);
    cache.agents.set(key, agent);
  }
  return agent;
}

/** A new agent of its own for `target` (the SDK client destroys its agents with itself). */
export function newAgentFor(target: string): http.Agent {
  const url = new URL(target);
  const settings = networkSettings();
  return buildAgent(url.protocol, proxyFor(url, settings), settings);
}

function buildAgent(protocol: string, proxy: string | undefined, settings: NetworkSettings): http.Agent {
  const ca = caBundle(settings);
  const rejectUnauthorized = settings.strictSSL !== false;
  const timeout = settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const tlsOptions = { ...(ca ? { ca } : {}), rejectUnauthorized };
  if (proxy) {
    // The proxy agents answer a 407 with the credentials of the proxy URL (Basic) and fail with the 407 otherwise.
    if (protocol === 'https:') return new TargetTlsProxyAgent(proxy, tlsOptions, { keepAlive: true, timeout, ...tlsOptions });
    return new HttpProxyAgent(proxy, { keepAlive: true, timeout, ...tlsOptions });
  }
  if (protocol === 'https:') return new https.Agent({ keepAlive: true, timeout, ...tlsOptions });
  return new http.Agent({ keepAlive: true, timeout });
}

/**
 * https-proxy-agent applies its constructor's TLS options to the connection to the proxy only; the TLS session
 * with the target, inside the tunnel, takes the request's. This one adds ours (CA bundle, strictness) there too.
 */
class TargetTlsProxyAgent extends HttpsProxyAgent<string> {
  constructor(
    proxy: string,
    private readonly targetTls: tls.ConnectionOptions,
    opts: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
  ) {
    super(proxy, opts);
  }
  override connect(req: http.ClientRequest, opts: Parameters<HttpsProxyAgent<string>['connect']>[1]) {
    return super.connect(req, { ...opts, ...this.targetTls });
  }
}

export interface DataPlaneRequest {
  method?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * A `fetch` for the data plane (pre-warm, probes, dependency checks) over the same agents as the SDK: honours
 * the proxy and CA settings where the global fetch would not, and turns a connection failure into a
 * NetworkError naming the host and the cause. Only GET-like requests (no body).
 */
export function netFetch(input: string | URL, init: DataPlaneRequest = {}): Promise<Response> {
  const url = typeof input === 'string' ? new URL(input) : input;
  const connectTimeoutMs = networkSettings().connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise<Response>((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    // The CA also rides on the request: VS Code's proxy patch may swap the agent for its own, and keeps a request's `ca`.
    const settings = networkSettings();
    const ca = url.protocol === 'https:' ? caBundle(settings) : undefined;
    const tlsOptions = ca ? { ca, rejectUnauthorized: settings.strictSSL !== false } : {};
    const req = mod.request(url, { method: init.method ?? 'GET', headers: init.headers, agent: agentFor(url), signal: init.signal, ...tlsOptions }, (res) => {
      clearTimeout(connectTimer);
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
        else if (v !== undefined) headers.set(k, v);
      }
      const status = res.statusCode ?? 0;
      if (status === 407) {
        res.resume();
        return reject(NetworkError.proxyAuth(url, proxyFor(url)));
      }
      const body = status === 204 || status === 304 || init.method === 'HEAD' ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      if (!body) res.resume();
      resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers }));
    });
    // Waiting for the socket (proxy CONNECT, TLS) is bounded; a slow answer is the caller's timeout to set.
    const connectTimer = setTimeout(() => req.destroy(Object.assign(new Error(`no connection within ${connectTimeoutMs} ms`), { code: 'ETIMEDOUT' })), connectTimeoutMs);
    req.on('socket', (s) => {
      if (s.connecting) s.once('connect', () => clearTimeout(connectTimer));
      else clearTimeout(connectTimer);
    });
    req.on('error', (e) => {
      clearTimeout(connectTimer);
      if (init.signal?.aborted) return reject(init.signal.reason ?? e);
      reject(NetworkError.from(e, url, proxyFor(url)));
    });
    req.end();
  });
}
