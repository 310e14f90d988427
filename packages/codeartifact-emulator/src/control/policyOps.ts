// Resource policies of domains and repositories: Put/Get/Delete{Domain,Repository}PermissionsPolicy.
// Stored and returned with a revision for optimistic locking (a stale policyRevision is a
// ConflictException). When the seed declares principals, ../auth.ts evaluates their statements on every request.
import { err } from '../errors';
import { ACCOUNT_ID, DOMAIN_NAME, newRevision, type StoredPolicy } from '../state';
import { constraint, type Input } from './input';
import { domainArn, findDomain, findRepository, repositoryArn } from './shapes';
import type { OpContext } from './types';

const MAX_DOCUMENT = 7168;
const REVISION = /^\S{1,100}$/;

interface PolicyHolder {
  policy?: StoredPolicy;
}

/** The policy document: a string of 1..7168 characters holding a JSON object. */
function policyDocument(input: Input): string {
  const doc = input.bodyString('policyDocument', MAX_DOCUMENT);
  if (doc === undefined || doc === '') constraint('policyDocument', undefined, 'Member must not be null');
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch (e) {
    throw err.validation(`The policy document is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw err.validation('The policy document must be a JSON object');
  return doc;
}

function checkRevision(field: string, v: string | undefined): string | undefined {
  if (v !== undefined && !REVISION.test(v)) constraint(field, v, 'Member must satisfy regular expression pattern: \\S+ (1 to 100 characters)');
  return v;
}

function shown(resourceArn: string, p: StoredPolicy) {
  return { policy: { resourceArn, revision: p.revision, document: p.document } };
}

function put(ctx: OpContext['ctx'], holder: PolicyHolder, arn: string, kind: string, id: string, document: string, revision: string | undefined) {
  if (revision !== undefined && holder.policy?.revision !== revision) {
    throw err.conflict(`The policy revision ${revision} does not match the current revision of the ${kind} policy`, kind, id);
  }
  holder.policy = { document, revision: newRevision() };
  ctx.persist();
  return shown(arn, holder.policy);
}

function get(holder: PolicyHolder, arn: string, kind: string, id: string) {
  if (!holder.policy) throw err.notFound(`No resource policy is set on ${kind} ${id}`, kind, id);
  return shown(arn, holder.policy);
}

function remove(ctx: OpContext['ctx'], holder: PolicyHolder, arn: string, kind: string, id: string, revision: string | undefined) {
  const answer = get(holder, arn, kind, id);
  if (revision !== undefined && holder.policy!.revision !== revision) {
    throw err.conflict(`The policy revision ${revision} does not match the current revision of the ${kind} policy`, kind, id);
  }
  holder.policy = undefined;
  ctx.persist();
  return answer;
}

/** PutDomainPermissionsPolicy names the domain in the body, not the query. */
function bodyDomain(input: Input) {
  const name = input.bodyString('domain', 50);
  if (name === undefined) constraint('domain', undefined, 'Member must not be null');
  if (!DOMAIN_NAME.test(name)) constraint('domain', name, `Member must satisfy regular expression pattern: ${DOMAIN_NAME.source}`);
  const owner = input.bodyString('domainOwner', 12);
  if (owner !== undefined && !ACCOUNT_ID.test(owner)) constraint('domainOwner', owner, `Member must satisfy regular expression pattern: ${ACCOUNT_ID.source}`);
  return { name, owner };
}

export function putDomainPermissionsPolicy({ ctx }: OpContext, input: Input) {
  const { name, owner } = bodyDomain(input);
  const revision = checkRevision('policyRevision', input.bodyString('policyRevision', 100));
  const document = policyDocument(input);
  const d = findDomain(ctx.state, name, owner);
  return put(ctx, d, domainArn(ctx.state, d.owner, d.name), 'domain', d.name, document, revision);
}

export function getDomainPermissionsPolicy({ ctx }: OpContext, input: Input) {
  const d = findDomain(ctx.state, input.domain(), input.domainOwner());
  return get(d, domainArn(ctx.state, d.owner, d.name), 'domain', d.name);
}

export function deleteDomainPermissionsPolicy({ ctx }: OpContext, input: Input) {
  const domainName = input.domain();
  const owner = input.domainOwner();
  const revision = checkRevision('policy-revision', input.opt('policy-revision'));
  const d = findDomain(ctx.state, domainName, owner);
  return remove(ctx, d, domainArn(ctx.state, d.owner, d.name), 'domain', d.name, revision);
}

function repositoryOf({ ctx }: OpContext, input: Input) {
  const domainName = input.domain();
  const owner = input.domainOwner();
  const repoName = input.repository();
  return { repoName, find: () => findDomain(ctx.state, domainName, owner) };
}

export function putRepositoryPermissionsPolicy(op: OpContext, input: Input) {
  const { repoName, find } = repositoryOf(op, input);
  const revision = checkRevision('policyRevision', input.bodyString('policyRevision', 100));
  const document = policyDocument(input);
  const d = find();
  const r = findRepository(d, repoName);
  return put(op.ctx, r, repositoryArn(op.ctx.state, d.owner, d.name, r.name), 'repository', r.name, document, revision);
}

export function getRepositoryPermissionsPolicy(op: OpContext, input: Input) {
  const { repoName, find } = repositoryOf(op, input);
  const d = find();
  const r = findRepository(d, repoName);
  return get(r, repositoryArn(op.ctx.state, d.owner, d.name, r.name), 'repository', r.name);
}

export function deleteRepositoryPermissionsPolicy(op: OpContext, input: Input) {
  const { repoName, find } = repositoryOf(op, input);
  const revision = checkRevision('policy-revision', input.opt('policy-revision'));
  const d = find();
  const r = findRepository(d, repoName);
  return remove(op.ctx, r, repositoryArn(op.ctx.state, d.owner, d.name, r.name), 'repository', r.name, revision);
}
