// Tags: TagResource, UntagResource and ListTagsForResource on domain, repository and package-group
// ARNs, and the validation of `tags` given at create (CreateDomain, CreateRepository, CreatePackageGroup).
// Limits as the service documents them: at most 50 tags a resource, keys of 1..128 characters (not
// starting with "aws:"), values of 0..256, no control characters.
import { err } from '../errors';
import { DOMAIN_NAME, type Domain, type EmulatorState } from '../state';
import { checkRepositoryName, constraint, type Input } from './input';
import { findDomain, findRepository } from './shapes';
import type { OpContext } from './types';

export interface Tag {
  key: string;
  value: string;
}

interface Taggable {
  tags?: Tag[];
}

const MAX_TAGS = 50;
const MAX_LIST = 200;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function checkKey(field: string, key: string): void {
  if (key.length < 1 || key.length > 128) constraint(field, key, 'Member must have length between 1 and 128');
  if (CONTROL.test(key)) constraint(field, key, 'Member must satisfy regular expression pattern: \\P{C}+');
  if (key.toLowerCase().startsWith('aws:')) throw err.validation(`Tag keys starting with "aws:" are reserved for AWS use: ${key}`);
}

/** The `tags` member of a request body, validated; undefined when absent. */
function bodyTagList(input: Input): Tag[] | undefined {
  const tags = input.bodyTags();
  if (tags === undefined) return undefined;
  if (tags.length > MAX_LIST) constraint('tags', `${tags.length} tags`, `Member must have length less than or equal to ${MAX_LIST}`);
  tags.forEach((t, i) => {
    checkKey(`tags.${i + 1}.member.key`, t.key);
    if (t.value.length > 256) constraint(`tags.${i + 1}.member.value`, t.value, 'Member must have length less than or equal to 256');
    if (CONTROL.test(t.value)) constraint(`tags.${i + 1}.member.value`, t.value, 'Member must satisfy regular expression pattern: \\P{C}*');
  });
  return tags;
}

/** `existing` with `added` applied: a key given again takes the new value, in place. */
function merged(existing: Tag[], added: Tag[]): Tag[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of added) {
    const at = out.find((x) => x.key === t.key);
    if (at) at.value = t.value;
    else out.push({ key: t.key, value: t.value });
  }
  return out;
}

/**
 * The `tags` given to a create operation (CreateDomain, CreateRepository, CreatePackageGroup):
 * validated, duplicates folded (the last value wins), at most 50; undefined when none were given.
 */
export function tagsAtCreate(input: Input): Tag[] | undefined {
  const tags = bodyTagList(input);
  if (tags === undefined) return undefined;
  const out = merged([], tags);
  if (out.length > MAX_TAGS) constraint('tags', `${out.length} tags`, `Member must have length less than or equal to ${MAX_TAGS}`);
  return out;
}

/** The package group with `pattern` in `domain`; undefined when there is none. */
function findPackageGroup(domain: Domain, pattern: string): Taggable | undefined {
  const groups = domain.packageGroups;
  return groups && Object.prototype.hasOwnProperty.call(groups, pattern) ? groups[pattern] : undefined;
}

const ARN = /^arn:aws:codeartifact:([a-z0-9-]+):([0-9]{12}):(domain|repository|package-group)\/(.+)$/;

/** The resource an ARN names: a domain, a repository or a package group (ResourceNotFound when absent). */
function taggable(state: EmulatorState, arn: string): { resource: Taggable; kind: string; id: string } {
  const m = ARN.exec(arn);
  if (!m) {
    throw err.validation(
      `Invalid resourceArn ${arn}: expected arn:aws:codeartifact:REGION:ACCOUNT:domain/DOMAIN, …:repository/DOMAIN/REPOSITORY or …:package-group/DOMAIN/PATTERN`,
    );
  }
  const [, region, owner, type, rest] = m;
  const slash = rest.indexOf('/');
  const domainName = type === 'domain' ? rest : rest.slice(0, slash < 0 ? rest.length : slash);
  if (!DOMAIN_NAME.test(domainName)) throw err.validation(`Invalid resourceArn ${arn}: "${domainName}" is not a domain name`);
  if (type !== 'domain' && slash < 0) throw err.validation(`Invalid resourceArn ${arn}: no ${type} after the domain`);
  if (region !== state.region) throw err.notFound(`Resource not found: ${arn} (this emulator serves ${state.region})`, type, arn);
  const domain = findDomain(state, domainName, owner);
  if (type === 'domain') return { resource: domain, kind: 'domain', id: domain.name };
  const tail = rest.slice(slash + 1);
  if (type === 'repository') {
    const repo = findRepository(domain, checkRepositoryName(tail, 'resourceArn'));
    return { resource: repo, kind: 'repository', id: repo.name };
  }
  let pattern: string;
  try {
    pattern = decodeURIComponent(tail);
  } catch {
    throw err.validation(`Invalid resourceArn ${arn}: bad percent-encoding in the package group pattern`);
  }
  if (!pattern.startsWith('/')) pattern = `/${pattern}`;
  const group = findPackageGroup(domain, pattern);
  if (!group) throw err.notFound(`Package group not found: ${pattern} in domain ${domain.name}`, 'package-group', pattern);
  return { resource: group, kind: 'package-group', id: pattern };
}

function resourceArn(input: Input): string {
  const arn = input.req('resourceArn');
  if (arn.length > 1011 || /\s/.test(arn)) constraint('resourceArn', arn, 'Member must satisfy regular expression pattern: \\S+ (at most 1011 characters)');
  return arn;
}

export function tagResource({ ctx }: OpContext, input: Input) {
  const arn = resourceArn(input);
  const tags = bodyTagList(input);
  if (tags === undefined) constraint('tags', undefined, 'Member must not be null');
  const { resource, kind, id } = taggable(ctx.state, arn);
  const next = merged(resource.tags ?? [], tags);
  if (next.length > MAX_TAGS) throw err.quota(`A resource can have at most ${MAX_TAGS} tags; ${kind} ${id} would have ${next.length}`, kind, id);
  resource.tags = next;
  ctx.persist();
  return {};
}

export function untagResource({ ctx }: OpContext, input: Input) {
  const arn = resourceArn(input);
  const keys = input.body.tagKeys;
  if (keys === undefined || keys === null) constraint('tagKeys', undefined, 'Member must not be null');
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) constraint('tagKeys', keys, 'Member must be a list of strings');
  if (keys.length > MAX_LIST) constraint('tagKeys', `${keys.length} keys`, `Member must have length less than or equal to ${MAX_LIST}`);
  (keys as string[]).forEach((k, i) => {
    if (k.length < 1 || k.length > 128) constraint(`tagKeys.${i + 1}.member`, k, 'Member must have length between 1 and 128');
  });
  const { resource } = taggable(ctx.state, arn);
  const drop = new Set(keys as string[]);
  resource.tags = (resource.tags ?? []).filter((t) => !drop.has(t.key));
  ctx.persist();
  return {};
}

export function listTagsForResource({ ctx }: OpContext, input: Input) {
  const { resource } = taggable(ctx.state, resourceArn(input));
  return { tags: (resource.tags ?? []).map((t) => ({ key: t.key, value: t.value })) };
}
