// Domain, repository, token and endpoint operations.
import { dict, issueToken, EXTERNAL_CONNECTIONS, domainKey, nowSeconds, upstreamCycle, type Domain, type Repository } from '../state';
import { err } from '../errors';
import { paginate, parseMaxResults } from '../paging';
import { constraint, enumValue, type Input } from './input';
import { domainDescription, domainSummary, findDomain, findRepository, repositoryDescription, repositorySummary } from './shapes';
import { tagsAtCreate } from './tagOps';
import type { OpContext } from './types';

const MAX_UPSTREAMS = 10;

export function listDomains({ ctx }: OpContext, input: Input) {
  const { state } = ctx;
  const nextToken = input.body.nextToken;
  if (nextToken !== undefined && nextToken !== null && typeof nextToken !== 'string') constraint('nextToken', nextToken, 'Member must be a string');
  const max = parseMaxResults(input.body.maxResults, 'maxResults', 100);
  // AWS lists the domains the caller's account owns.
  const entries = Object.values(state.domains)
    .filter((d) => d.owner === state.accountId && d.status === 'Active')
    .map((d) => ({ key: d.name, item: domainSummary(state, d) }));
  const page = paginate('ListDomains', entries, max, (nextToken as string | null | undefined) || undefined);
  return { domains: page.items, nextToken: page.nextToken };
}

export function describeDomain({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  return { domain: domainDescription(ctx.state, d) };
}

export function createDomain({ ctx }: OpContext, input: Input) {
  const { state } = ctx;
  const name = input.domain();
  const encryptionKey = input.bodyString('encryptionKey', 1011);
  const tags = tagsAtCreate(input);
  const key = domainKey(state.accountId, name);
  if (state.domains[key]) throw err.conflict(`Domain already exists: ${name}`, 'domain', name);
  const d: Domain = {
    name,
    owner: state.accountId,
    createdTime: nowSeconds(ctx.clock),
    encryptionKey: encryptionKey ?? `arn:aws:kms:${state.region}:${state.accountId}:key/00000000-0000-0000-0000-000000000000`,
    status: 'Active',
    tags,
    repositories: dict(),
  };
  state.domains[key] = d;
  ctx.persist();
  return { domain: domainDescription(state, d) };
}

export function deleteDomain({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  const count = Object.keys(d.repositories).length;
  if (count > 0) {
    throw err.conflict(`Domain ${d.name} cannot be deleted because it contains ${count} repositories. Delete them first.`, 'domain', d.name);
  }
  delete ctx.state.domains[domainKey(d.owner, d.name)];
  ctx.persist();
  return { domain: { ...domainDescription(ctx.state, d), status: 'Deleted' } };
}

function listRepositoryEntries(op: string, ctx: OpContext['ctx'], domains: Domain[], input: Input, adminAccount: string | undefined) {
  const prefix = input.opt('repository-prefix');
  const max = parseMaxResults(input.opt('max-results'), 'max-results', 100);
  const entries: { key: string; item: ReturnType<typeof repositorySummary> }[] = [];
  for (const d of domains) {
    for (const r of Object.values(d.repositories)) {
      if (prefix !== undefined && !r.name.startsWith(prefix)) continue;
      if (adminAccount !== undefined && r.administratorAccount !== adminAccount) continue;
      entries.push({ key: `${r.name}\u0000${d.name}\u0000${d.owner}`, item: repositorySummary(ctx.state, d, r) });
    }
  }
  const page = paginate(op, entries, max, input.opt('next-token'));
  return { repositories: page.items, nextToken: page.nextToken };
}

export function listRepositories({ ctx }: OpContext, input: Input) {
  // The caller's repositories in every domain they can see (their own account's domains).
  const domains = Object.values(ctx.state.domains).filter((d) => d.status === 'Active');
  return listRepositoryEntries('ListRepositories', ctx, domains, input, ctx.state.accountId);
}

export function listRepositoriesInDomain({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  const admin = input.opt('administrator-account');
  if (admin !== undefined && !/^[0-9]{12}$/.test(admin)) constraint('administrator-account', admin, 'Member must satisfy regular expression pattern: [0-9]{12}');
  return listRepositoryEntries('ListRepositoriesInDomain', ctx, [d], input, admin);
}

export function describeRepository({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  const r = findRepository(d, input.repository());
  return { repository: repositoryDescription(ctx.state, d, r) };
}

/** Checks a new upstream list for `repoName`: known repositories, no duplicates, at most 10, no cycle. */
function checkUpstreams(d: Domain, repoName: string, upstreams: string[]): void {
  if (upstreams.length > MAX_UPSTREAMS) {
    // The model lists ServiceQuotaExceededException for Create/UpdateRepository; the upstream limit is a quota.
    throw err.quota(`A repository can have at most ${MAX_UPSTREAMS} upstream repositories; ${upstreams.length} were given`, 'repository', repoName);
  }
  const seen = new Set<string>();
  for (const u of upstreams) {
    if (seen.has(u)) throw err.validation(`Upstream repository ${u} is listed more than once`);
    seen.add(u);
    if (u === repoName) throw err.validation(`Repository ${repoName} cannot be its own upstream`);
    if (!d.repositories[u]) throw err.notFound(`Upstream repository not found: ${u} in domain ${d.name}`, 'repository', u);
  }
  if (upstreamCycle(d, repoName, upstreams)) {
    throw err.validation(`Adding these upstream repositories to ${repoName} would create a cycle in the upstream graph`);
  }
}

export function createRepository({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  const name = input.repository();
  const description = input.bodyString('description');
  const upstreams = input.bodyUpstreams() ?? [];
  const tags = tagsAtCreate(input);
  if (d.repositories[name]) throw err.conflict(`Repository already exists: ${name} in domain ${d.name}`, 'repository', name);
  checkUpstreams(d, name, upstreams);
  const r: Repository = {
    name,
    description,
    administratorAccount: ctx.state.accountId,
    createdTime: nowSeconds(ctx.clock),
    upstreams,
    tags,
    packages: dict(),
  };
  d.repositories[name] = r;
  ctx.persist();
  return { repository: repositoryDescription(ctx.state, d, r) };
}

export function updateRepository({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  const r = findRepository(d, input.repository());
  const description = input.bodyString('description');
  const upstreams = input.bodyUpstreams();
  if (upstreams !== undefined) checkUpstreams(d, r.name, upstreams);
  if (description !== undefined) r.description = description;
  if (upstreams !== undefined) r.upstreams = upstreams;
  ctx.persist();
  return { repository: repositoryDescription(ctx.state, d, r) };
}

export function deleteRepository({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  const r = findRepository(d, input.repository());
  const downstream = Object.values(d.repositories)
    .filter((x) => x.upstreams.includes(r.name))
    .map((x) => x.name)
    .sort();
  if (downstream.length) {
    throw err.conflict(`Repository ${r.name} is an upstream of ${downstream.join(', ')}; remove it from their upstreams first`, 'repository', r.name);
  }
  const description = repositoryDescription(ctx.state, d, r);
  delete d.repositories[r.name];
  ctx.persist();
  return { repository: description };
}

function externalConnectionName(input: Input): string {
  const name = input.req('external-connection');
  if (!(name in EXTERNAL_CONNECTIONS)) {
    enumValue('external-connection', name, Object.keys(EXTERNAL_CONNECTIONS));
  }
  return name;
}

export function associateExternalConnection({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  const r = findRepository(d, input.repository());
  const name = externalConnectionName(input);
  if (r.externalConnection) {
    throw err.conflict(`Repository ${r.name} already has an external connection (${r.externalConnection}); a repository can have only one`, 'repository', r.name);
  }
  r.externalConnection = name;
  ctx.persist();
  return { repository: repositoryDescription(ctx.state, d, r) };
}

export function disassociateExternalConnection({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  const r = findRepository(d, input.repository());
  const name = externalConnectionName(input);
  if (r.externalConnection !== name) {
    throw err.notFound(`External connection ${name} is not associated with repository ${r.name}`, 'repository', r.name);
  }
  r.externalConnection = undefined;
  ctx.persist();
  return { repository: repositoryDescription(ctx.state, d, r) };
}

export function getAuthorizationToken({ ctx, accessKeyId }: OpContext, input: Input) {
  const domainName = input.domain();
  const owner = input.domainOwner();
  const raw = input.opt('duration');
  let duration: number | undefined;
  if (raw !== undefined) {
    duration = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(duration) || (duration !== 0 && (duration < 900 || duration > 43200))) {
      constraint('duration', raw, 'Member must be 0 or a number of seconds from 900 to 43200');
    }
  }
  const d = findDomain(ctx.state, domainName, owner);
  const t = issueToken(ctx.state, ctx.clock, d, duration, accessKeyId);
  ctx.persist();
  return { authorizationToken: t.token, expiration: t.expiration };
}

export function getRepositoryEndpoint({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  const repoName = input.repository();
  const format = input.format(true);
  input.enumOpt('endpointType', ['ipv4', 'dualstack'] as const);
  const r = findRepository(d, repoName);
  // The VPC-endpoint path form, pointing at this emulator: every format has an endpoint.
  return { repositoryEndpoint: `${ctx.baseUrl}/${format}/d/${d.name}-${d.owner}/${r.name}/` };
}
