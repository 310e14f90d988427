// Network failures, classified: what went wrong (DNS, refused, reset, timeout, an untrusted certificate, the
// proxy's 407), on which host, and what fixes it. One sentence a tree row or a notification can show as is.
import { displayProxy } from './settings';

export type NetworkFailure = 'dns' | 'refused' | 'reset' | 'timeout' | 'untrusted' | 'tls' | 'proxyAuth' | 'proxy';

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);
const TLS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ECONNABORTED']);

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly failure: NetworkFailure,
    readonly host: string,
    message: string,
    readonly code?: string,
    /** The setting that fixes it, when one does. */
    readonly setting?: string,
  ) {
    super(message);
  }

  static proxyAuth(url: URL, proxy: string | undefined): NetworkError {
    const via = proxy ? `the proxy ${displayProxy(proxy)}` : 'the proxy';
    return new NetworkError(
      'proxyAuth',
      url.host,
      `${via} refused the request to ${url.host} (407 Proxy Authentication Required). Put user:password in http.proxy (http://user:password@host:port) or HTTPS_PROXY.`,
      '407',
      'http.proxy',
    );
  }

  /** The NetworkError for what a socket, TLS or DNS failure threw, or the error unchanged when it is none. */
  static from(e: unknown, target: URL | string, proxy?: string): unknown {
    return classifyNetworkError(e, target, proxy) ?? e;
  }
}

function codeOf(e: unknown): string {
  let cur = e as { code?: unknown; cause?: unknown } | undefined;
  for (let i = 0; cur && i < 5; i++, cur = cur.cause as typeof cur) {
    if (typeof cur.code === 'string' && cur.code) return cur.code;
  }
  return '';
}

/** A NetworkError for a failure of the connection to `target`, or undefined when `e` is not one. */
export function classifyNetworkError(e: unknown, target: URL | string, proxy?: string): NetworkError | undefined {
  if (e instanceof NetworkError) return e;
  const url = typeof target === 'string' ? new URL(target) : target;
  const code = codeOf(e);
  const msg = String((e as Error)?.message ?? e);
  const status =
    (e as { $response?: { statusCode?: number }; $metadata?: { httpStatusCode?: number } })?.$response?.statusCode ??
    (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (status === 407 || code === '407' || /\b407\b.*proxy|proxy.*\b407\b/i.test(msg)) return NetworkError.proxyAuth(url, proxy);
  // Through a proxy, a failure to connect is the proxy's: the target's own failures come back as its answer.
  const viaProxy = proxy && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code);
  if (viaProxy) {
    return new NetworkError(
      'proxy',
      url.host,
      `Cannot reach the proxy ${displayProxy(proxy)} on the way to ${url.host} (${code}). Check http.proxy / HTTPS_PROXY, or that the proxy is running.`,
      code,
      'http.proxy',
    );
  }
  const host = url.host;
  if (UNTRUSTED.has(code) || /self[- ]signed certificate|unable to (verify|get (local )?issuer)/i.test(msg)) {
    return new NetworkError(
      'untrusted',
      host,
      `The certificate of ${host} is not trusted (${code || msg}): its chain ends at a CA this machine does not trust. Set codeartifact.caFile to your organisation's CA (PEM), or NODE_EXTRA_CA_CERTS.`,
      code,
      'codeartifact.caFile',
    );
  }
  if (TLS.has(code)) return new NetworkError('tls', host, `The TLS connection to ${host} failed (${code}: ${msg}).`, code);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new NetworkError(
        'dns',
        host,
        `The host name ${url.hostname} cannot be resolved (${code}). Check the URL, your DNS or your proxy settings (http.proxy, HTTPS_PROXY).`,
        code,
      );
    case 'ECONNREFUSED':
      return new NetworkError('refused', host, `${host} refused the connection (ECONNREFUSED). Is the server (or the proxy in http.proxy / HTTPS_PROXY) running?`, code);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return new NetworkError('reset', host, `The connection to ${host} was reset (${code}). A proxy or firewall may be closing it.`, code);
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new NetworkError('timeout', host, `${host} did not answer in time (${code}). Check your network, proxy, or codeartifact.connectTimeoutMs.`, code);
    default:
      return undefined;
  }
}
