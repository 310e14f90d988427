// The proxy and CA an install run's tools need, as the environment variables and JVM options each reads:
// npm, pnpm, Yarn and pip read HTTPS_PROXY / HTTP_PROXY / NO_PROXY; Maven and Gradle read Java's
// https.proxyHost… from MAVEN_OPTS / GRADLE_OPTS; Node-based tools add NODE_EXTRA_CA_CERTS to their CAs.
// What the user already set wins: nothing here overrides a variable or a JVM proxy option.
import { networkSettings, type NetworkSettings } from './settings';

export function proxyEnvironment(env: NodeJS.ProcessEnv = process.env, settings: NetworkSettings = networkSettings()): Record<string, string> {
  const out: Record<string, string> = {};
  const has = (k: string) => !!(env[k] ?? env[k.toLowerCase()]);
  const proxy = settings.proxy?.trim() ? withScheme(settings.proxy.trim()) : undefined;
  if (proxy) {
    for (const k of ['HTTPS_PROXY', 'HTTP_PROXY']) {
      if (!has(k)) out[k] = out[k.toLowerCase()] = proxy;
    }
  }
  if (settings.noProxy?.length) {
    const noProxy = [...new Set([...(env.NO_PROXY ?? env.no_proxy ?? '').split(',').filter(Boolean), ...settings.noProxy])].join(',');
    out.NO_PROXY = out.no_proxy = noProxy;
  }
  const effective = proxy ?? env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  const jvm = effective ? javaProxyOptions(effective, out.NO_PROXY ?? env.NO_PROXY ?? env.no_proxy ?? '') : undefined;
  if (jvm) {
    for (const k of ['MAVEN_OPTS', 'GRADLE_OPTS']) {
      const cur = env[k] ?? '';
      if (!/proxyHost/.test(cur)) out[k] = `${cur} ${jvm}`.trim();
    }
  }
  if (settings.caFile?.trim() && !env.NODE_EXTRA_CA_CERTS) out.NODE_EXTRA_CA_CERTS = settings.caFile.trim();
  return out;
}

function withScheme(proxy: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/**
 * Java's proxy system properties for a proxy URL and a NO_PROXY list. The credentials are left out on purpose:
 * a -D option ends up on the java command line, visible to every user (`ps`); an authenticating proxy for Maven
 * belongs in settings.xml's <proxies>.
 */
export function javaProxyOptions(proxy: string, noProxy: string): string | undefined {
  let url: URL;
  try {
    url = new URL(withScheme(proxy));
  } catch {
    return undefined;
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const opts = [`-Dhttps.proxyHost=${url.hostname}`, `-Dhttps.proxyPort=${port}`, `-Dhttp.proxyHost=${url.hostname}`, `-Dhttp.proxyPort=${port}`];
  const hosts = noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((h) => (h.startsWith('.') ? `*${h}` : h));
  if (hosts.length) opts.push(`-Dhttp.nonProxyHosts=${hosts.join('|')}`);
  return opts.join(' ');
}
