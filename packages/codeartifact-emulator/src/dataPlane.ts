// Registries (npm, PyPI, Maven, RubyGems) at /{format}/d/{domain}-{owner}/{repository}/...: this file creates
// the data plane (ingestion, public upstreams), parses the path, authenticates the token and hands the
// request to the registry of its format. What the registries share lives in ./registries/shared.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countCall, type EmulatorContext } from './context';
import { ApiError } from './errors';
import { IngestionManager } from './ingestion';
import { fakeFromSeedExtra, publicSource, type FakePublicSource, type PublicSource } from './publicRegistry';
import { handleCargo } from './registries/cargo';
import { handleMaven } from './registries/maven';
import { handleNpm } from './registries/npm';
import { handleNuget } from './registries/nuget';
import { handlePypi } from './registries/pypi';
import { handleRuby } from './registries/ruby';
import { handleSwift } from './registries/swift';
import { RegistryError, safeDecode, sendRegistryError, type DataPlane, type RegistryFormat, type RegistryRequest } from './registries/shared';
import { checkToken, domainKey, EXTERNAL_CONNECTIONS, type Domain, type Format, type Repository } from './state';
import { authorize } from './auth';
import { repositoryArn } from './control/shapes';

export type { DataPlane } from './registries/shared';

export function createDataPlane(ctx: EmulatorContext): DataPlane {
  const ingestion = new IngestionManager();
  ingestion.onStart = (key) => countCall(ctx, `ingestion:${key.split('/')[3] ?? 'unknown'}`);
  let fake: FakePublicSource | undefined;
  let real: { key: string; source: PublicSource } | undefined;
  return {
    ctx,
    ingestion,
    publicSource() {
      fake ??= fakeFromSeedExtra(ctx.state.extra);
      const urls = ctx.options.upstreams;
      const key = JSON.stringify(urls);
      if (!real || real.key !== key) real = { key, source: publicSource(urls, fake) };
      return real.source;
    },
    close() {
      ingestion.close();
    },
  };
}

const SERVED = new Set(['npm', 'pypi', 'maven', 'ruby', 'cargo', 'nuget', 'swift']);
const REGISTRY_PATH = /^\/([a-z]+)\/d\/([^/]*)\/([^/]*)(?:\/(.*))?$/;
const DOMAIN_SEGMENT = /^([a-z][a-z0-9-]*)-([0-9]{12})$/;

/** Returns false when the path is not a registry path (the server then answers 404). */
export async function handleDataPlane(dp: DataPlane, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const m = REGISTRY_PATH.exec(url.pathname);
  if (!m) {
    if (!/^\/(npm|pypi|maven|ruby|cargo|nuget|swift)(\/|$)/.test(url.pathname)) return false;
    sendRegistryError(res, formatOf(url.pathname), new RegistryError(400, `Bad registry path ${url.pathname}: expected /{format}/d/{domain}-{owner}/{repository}/...`));
    req.resume();
    return true;
  }
  const [, fmt, domainSeg, repoName, rest = ''] = m;
  const format = fmt as RegistryFormat;
  try {
    if (!SERVED.has(fmt)) {
      if (!Object.values(EXTERNAL_CONNECTIONS).includes(fmt as Format)) return false;
      throw new RegistryError(404, `The emulator does not serve ${fmt} repositories`);
    }
    const dm = DOMAIN_SEGMENT.exec(safeDecode(domainSeg));
    if (!dm) throw new RegistryError(400, `Bad domain segment "${domainSeg}": expected {domain}-{12-digit owner}`);
    const domain = dp.ctx.state.domains[domainKey(dm[2], dm[1])];
    if (!domain || domain.status !== 'Active') throw new RegistryError(404, `Domain ${dm[1]} (owner ${dm[2]}) not found`);
    if (rest.split('/').some((s) => ['.', '..'].includes(safeDecode(s)))) throw new RegistryError(400, 'Path segments "." and ".." are not allowed');
    const token = tokenOf(req);
    const verdict = checkToken(dp.ctx.state, dp.ctx.clock, token, domain);
    if (verdict !== 'ok') {
      const why = {
        missing: 'No authorization token',
        unknown: 'Invalid authorization token',
        expired: 'The security token included in the request is expired',
        'wrong-domain': 'The authorization token is not valid for this domain',
      }[verdict];
      throw new RegistryError(401, why, {
        reasonPhrase: 'Unauthorized',
        headers: { 'WWW-Authenticate': format === 'npm' || format === 'cargo' || format === 'swift' ? 'Bearer realm="CodeArtifact"' : 'Basic realm="CodeArtifact"' },
      });
    }
    const repo = domain.repositories[safeDecode(repoName)];
    if (!repo) throw new RegistryError(404, `Repository ${safeDecode(repoName)} not found in domain ${domain.name}`);
    authorizeToken(dp, token!, domain, repo, req.method ?? 'GET');
    const rr: RegistryRequest = {
      dp,
      ctx: dp.ctx,
      req,
      res,
      url,
      format,
      domain,
      repo,
      rest,
      endpoint: `${dp.ctx.baseUrl}/${format}/d/${domain.name}-${domain.owner}/${repo.name}/`,
    };
    if (format === 'npm') await handleNpm(rr);
    else if (format === 'pypi') await handlePypi(rr);
    else if (format === 'ruby') await handleRuby(rr);
    else if (format === 'cargo') await handleCargo(rr);
    else if (format === 'nuget') await handleNuget(rr);
    else if (format === 'swift') await handleSwift(rr);
    else await handleMaven(rr);
  } catch (e) {
    let re: RegistryError;
    if (e instanceof RegistryError) re = e;
    else if (e instanceof ApiError) re = new RegistryError(e.status, e.message);
    else throw e;
    if (!req.complete) req.resume();
    if (res.headersSent) res.destroy();
    else sendRegistryError(res, format, re);
  }
  return true;
}

/**
 * When the seed declares principals, the key a token was issued to needs ReadFromRepository (GET, HEAD) or
 * PublishPackageVersion (any other method) on the repository, from its own grants or the domain's or repository's
 * permissions policy (./auth.ts). Tokens issued without a key (test helpers) are not checked.
 */
function authorizeToken(dp: DataPlane, token: string, domain: Domain, repo: Repository, method: string): void {
  const accessKeyId = dp.ctx.state.tokens[token]?.accessKeyId;
  if (accessKeyId === undefined) return;
  const action = method === 'GET' || method === 'HEAD' ? 'codeartifact:ReadFromRepository' : 'codeartifact:PublishPackageVersion';
  const policies = [domain.policy?.document, repo.policy?.document].filter((d): d is string => d !== undefined);
  authorize(dp.ctx.state, accessKeyId, action, repositoryArn(dp.ctx.state, domain.owner, domain.name, repo.name), policies);
}

function formatOf(pathname: string): RegistryFormat {
  const f = /^\/([a-z]+)/.exec(pathname)?.[1];
  return f && SERVED.has(f) ? (f as RegistryFormat) : 'maven';
}

function tokenOf(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const sp = h.indexOf(' ');
  const scheme = h.slice(0, sp).toLowerCase();
  const value = h.slice(sp + 1).trim();
  if (scheme === 'bearer') return value;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}
