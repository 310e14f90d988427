// The network the extension talks through: proxy, trusted CAs and timeouts, one value for the whole extension
// host. The VS Code layer (src/network.ts) fills it from `http.proxy`, `http.proxyStrictSSL`, `http.noProxy`,
// `codeartifact.caFile` and the timeout settings; both planes (the AWS SDK client and the data-plane fetch) and
// the install runs read it. Plain Node: nothing here imports `vscode`.
//
// What the extension host already does (VS Code 1.90–current, `@vscode/proxy-agent`, read in the copy code-server
// 4.100.3 bundles): with `http.proxySupport` "override" (the default) it patches the `http`/`https` modules an
// extension requires. A request through a proxy (`http.proxy`, the environment's, the system's or a PAC file)
// gets VS Code's own agent, which replaces ours unless the target is localhost; a request's own `ca` option
// survives, and so does the `ca` of an explicit `https.Agent`, but not that of a proxy agent; when no CA is given
// it adds the system certificates (`http.systemCertificates`). `http.fetchAdditionalSupport` (1.94+) does the same
// for the global `fetch` (undici). What it does not do: `codeartifact.caFile`, timeouts, proxies for the child
// processes of an install (npm, pip, Maven and Gradle read their own settings), and any of it outside VS Code
// (the Node test tier, other hosts). So we build our own agents (https-proxy-agent / http-proxy-agent with the CA
// bundle) for both planes, and the data-plane requests carry the CA as a request option as well. With
// `http.proxySupport` "off" or "on", our agents do the proxying themselves.

export interface NetworkSettings {
  /** `http.proxy`: wins over the environment. May carry `user:password@` (Basic auth). */
  proxy?: string;
  /** `http.proxyStrictSSL` (default true): false accepts a proxy or server certificate nothing trusts. */
  strictSSL?: boolean;
  /** `http.noProxy`: hosts (and `.suffix`es, `*`) reached directly; added to NO_PROXY. */
  noProxy?: string[];
  /** `codeartifact.caFile`: PEM file of extra CAs both planes trust. */
  caFile?: string;
  /** Certificates VS Code or the OS add (PEM strings). */
  extraCertificates?: string[];
  /** Time to open a connection (TCP + TLS, or through the proxy); default 5000 ms. */
  connectTimeoutMs?: number;
  /** Time for a whole control-plane request; default 30000 ms. */
  requestTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30000;

let current: NetworkSettings = {};
let generation = 0;

/** Replaces the network settings; clients and agents built afterwards use them. */
export function configureNetwork(settings: NetworkSettings): void {
  current = { ...settings };
  generation++;
}

export function networkSettings(): NetworkSettings {
  return current;
}

/** Changes whenever configureNetwork is called: caches keyed by it drop their agents. */
export function networkGeneration(): number {
  return generation;
}

/** The proxy URL a request to `target` goes through, or undefined for a direct connection. */
export function proxyFor(target: string | URL, settings: NetworkSettings = current, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = typeof target === 'string' ? new URL(target) : target;
  const noProxy = [...(settings.noProxy ?? []), ...splitList(env.NO_PROXY ?? env.no_proxy ?? '')];
  if (bypasses(url, noProxy)) return undefined;
  const fromEnv = url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  const proxy = settings.proxy?.trim() || fromEnv?.trim();
  if (!proxy) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function splitList(s: string): string[] {
  return s
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** NO_PROXY semantics as curl and npm read them: `*`, a host, `.suffix` or `suffix` (subdomains too), optional `:port`. */
export function bypasses(url: URL, noProxy: string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.some((raw) => {
    const entry = raw.toLowerCase();
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\]$/g, ''))!;
    const name = m[1].replace(/^\*?\./, '');
    if (m[2] && m[2] !== port) return false;
    return host === name || host.endsWith(`.${name}`);
  });
}

/** The proxy URL with its password replaced, for messages and logs. */
export function displayProxy(proxy: string): string {
  try {
    const u = new URL(proxy);
    if (u.password) u.password = '****';
    return u.toString().replace(/\/$/, '');
  } catch {
    return proxy.replace(/\/\/[^@/]*@/, '//****@');
  }
}
