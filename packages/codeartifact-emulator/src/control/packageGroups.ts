// Package-group operations (Create/Describe/Update/Delete/List package groups, sub-groups, the group of a
// package, origin configuration and allowed repositories, associated packages) and the per-package
// PutPackageOriginConfiguration. The model (patterns, matching, hierarchy, inheritance) is ../groups.ts;
// what the restrictions do to the registries is ../governance.ts.
import { ApiError, err } from '../errors';
import {
  ROOT_PATTERN,
  PatternError,
  allowedRepositories,
  associatedGroup,
  packageGroupArn,
  childrenOf,
  groupsOf,
  newGroup,
  parentOf,
  parsePattern,
  resolveRestriction,
} from '../groups';
import { paginate, parseMaxResults } from '../paging';
import {
  ORIGIN_RESTRICTION_MODES,
  ORIGIN_RESTRICTION_TYPES,
  nowSeconds,
  packageKey,
  type Domain,
  type EmulatorState,
  type OriginRestrictionMode,
  type OriginRestrictionType,
  type PackageGroup,
  type Restriction,
} from '../state';
import { checkRepositoryName, constraint, enumValue, type Input } from './input';
import { findDomain, findPackage, findRepository } from './shapes';
import type { OpContext } from './types';
import { tagsAtCreate } from './tagOps';

// ---- inputs ----------------------------------------------------------------------------------------

const PATTERN_CHARS = /^[^\p{C}\s]+$/u;
const TEXT_CHARS = /^\P{C}*$/u;

/** The package group pattern (query `package-group` or body `packageGroup`), checked against the model and the syntax. */
function patternInput(input: Input, from: 'query' | 'body'): string {
  const field = from === 'query' ? 'package-group' : 'packageGroup';
  const v = from === 'query' ? input.opt(field) : input.body[field];
  if (v === undefined || v === null) constraint(field, undefined, 'Member must not be null');
  if (typeof v !== 'string') constraint(field, v, 'Member must be a string');
  if (v.length < 2 || v.length > 520) constraint(field, v, 'Member must have length between 2 and 520');
  if (!PATTERN_CHARS.test(v)) constraint(field, v, 'Member must satisfy regular expression pattern: [^\\p{C}\\p{IsWhitespace}]+');
  try {
    parsePattern(v);
  } catch (e) {
    if (e instanceof PatternError) throw err.validation(e.message);
    throw e;
  }
  return v;
}

function textInput(input: Input, name: string): string | undefined {
  const v = input.bodyString(name, 1000);
  if (v !== undefined && !TEXT_CHARS.test(v)) constraint(name, v, 'Member must satisfy regular expression pattern: \\P{C}*');
  return v;
}

function groupNotFound(domain: Domain, pattern: string): ApiError {
  return new ApiError('ResourceNotFoundException', 404, `Package group not found: ${pattern} in domain ${domain.name}`, { resourceId: pattern });
}

function findGroup(domain: Domain, pattern: string): PackageGroup {
  const g = groupsOf(domain)[pattern];
  if (!g) throw groupNotFound(domain, pattern);
  return g;
}

function domainOf({ ctx }: OpContext, input: Input): Domain {
  const name = input.domain();
  const owner = input.domainOwner();
  return findDomain(ctx.state, name, owner);
}

// ---- shapes ----------------------------------------------------------------------------------------

function groupRef(state: EmulatorState, domain: Domain, g: PackageGroup) {
  return { arn: packageGroupArn(state, domain, g.pattern), pattern: g.pattern };
}

/** PackageGroupDescription (and PackageGroupSummary, which has the same members). */
function groupDescription(state: EmulatorState, domain: Domain, g: PackageGroup) {
  const restrictions: Record<string, unknown> = {};
  for (const type of ORIGIN_RESTRICTION_TYPES) {
    const r = resolveRestriction(domain, g, type);
    restrictions[type] = {
      mode: r.mode,
      effectiveMode: r.effectiveMode,
      ...(r.source !== g ? { inheritedFrom: groupRef(state, domain, r.source) } : {}),
      repositoriesCount: allowedRepositories(domain, r.source, type).length,
    };
  }
  const parent = parentOf(domain, g);
  return {
    ...groupRef(state, domain, g),
    domainName: domain.name,
    domainOwner: domain.owner,
    createdTime: g.createdTime,
    contactInfo: g.contactInfo,
    description: g.description,
    originConfiguration: { restrictions },
    parent: parent ? groupRef(state, domain, parent) : undefined,
  };
}

// ---- operations ------------------------------------------------------------------------------------

export function createPackageGroup(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const pattern = patternInput(input, 'body');
  const contactInfo = textInput(input, 'contactInfo');
  const description = textInput(input, 'description');
  const tags = tagsAtCreate(input);
  const groups = groupsOf(domain);
  if (groups[pattern]) {
    throw new ApiError('ConflictException', 409, `Package group ${pattern} already exists in domain ${domain.name}`, { resourceId: pattern });
  }
  const g = newGroup(pattern, nowSeconds(op.ctx.clock));
  if (contactInfo !== undefined) g.contactInfo = contactInfo;
  if (description !== undefined) g.description = description;
  if (tags?.length) g.tags = tags;
  groups[pattern] = g;
  op.ctx.persist();
  return { packageGroup: groupDescription(op.ctx.state, domain, g) };
}

export function describePackageGroup(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const g = findGroup(domain, patternInput(input, 'query'));
  return { packageGroup: groupDescription(op.ctx.state, domain, g) };
}

export function updatePackageGroup(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const pattern = patternInput(input, 'body');
  const contactInfo = textInput(input, 'contactInfo');
  const description = textInput(input, 'description');
  const g = findGroup(domain, pattern);
  if (contactInfo !== undefined) g.contactInfo = contactInfo;
  if (description !== undefined) g.description = description;
  op.ctx.persist();
  return { packageGroup: groupDescription(op.ctx.state, domain, g) };
}

export function deletePackageGroup(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const pattern = patternInput(input, 'query');
  const g = findGroup(domain, pattern);
  if (pattern === ROOT_PATTERN) throw err.validation(`The root package group ${ROOT_PATTERN} cannot be deleted`);
  const children = childrenOf(domain, g);
  if (children.length) {
    throw new ApiError('ConflictException', 409, `Package group ${pattern} has sub-groups (${children.map((c) => c.pattern).join(', ')}); delete them first`, {
      resourceId: pattern,
    });
  }
  const described = groupDescription(op.ctx.state, domain, g);
  delete groupsOf(domain)[pattern];
  op.ctx.persist();
  return { packageGroup: described };
}

export function listPackageGroups(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const prefix = input.opt('prefix');
  if (prefix !== undefined && (prefix.length > 520 || !TEXT_CHARS.test(prefix))) constraint('prefix', prefix, 'Member must have length less than or equal to 520');
  const max = parseMaxResults(input.opt('max-results'), 'max-results', 100);
  const entries = Object.values(groupsOf(domain))
    .filter((g) => prefix === undefined || g.pattern.startsWith(prefix))
    .map((g) => ({ key: g.pattern, item: groupDescription(op.ctx.state, domain, g) }));
  const page = paginate('ListPackageGroups', entries, max, input.opt('next-token'));
  return { packageGroups: page.items, nextToken: page.nextToken };
}

export function listSubPackageGroups(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const g = findGroup(domain, patternInput(input, 'query'));
  const max = parseMaxResults(input.opt('max-results'), 'max-results', 100);
  const entries = childrenOf(domain, g).map((c) => ({ key: c.pattern, item: groupDescription(op.ctx.state, domain, c) }));
  const page = paginate(`ListSubPackageGroups:${g.pattern}`, entries, max, input.opt('next-token'));
  return { packageGroups: page.items, nextToken: page.nextToken };
}

export function getAssociatedPackageGroup(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const format = input.format(true);
  const namespace = input.namespace();
  const name = input.packageName(format);
  const g = associatedGroup(domain, format, namespace, name);
  return { packageGroup: groupDescription(op.ctx.state, domain, g), associationType: 'STRONG' };
}

function restrictionsInput(input: Input, isRoot: boolean): Partial<Record<OriginRestrictionType, OriginRestrictionMode>> | undefined {
  const v = input.body.restrictions;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) constraint('restrictions', v, 'Member must be a map of restriction type to mode');
  const out: Partial<Record<OriginRestrictionType, OriginRestrictionMode>> = {};
  for (const [type, mode] of Object.entries(v as Record<string, unknown>)) {
    const t = enumValue('restrictions.key', type, ORIGIN_RESTRICTION_TYPES);
    if (typeof mode !== 'string') constraint(`restrictions.${type}`, mode, 'Member must be a string');
    const m = enumValue(`restrictions.${type}`, mode, ORIGIN_RESTRICTION_MODES);
    if (m === 'INHERIT' && isRoot) throw err.validation(`The root package group ${ROOT_PATTERN} has no parent: ${type} cannot be INHERIT`);
    out[t] = m;
  }
  return out;
}

function allowedRepositoriesInput(input: Input, name: string): { repositoryName: string; originRestrictionType: OriginRestrictionType }[] {
  const v = input.body[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) constraint(name, v, 'Member must be a list of {repositoryName, originRestrictionType}');
  return v.map((item: unknown, i) => {
    const field = `${name}.${i + 1}.member`;
    if (typeof item !== 'object' || item === null) constraint(field, item, 'Member must be a {repositoryName, originRestrictionType} structure');
    const { repositoryName, originRestrictionType } = item as Record<string, unknown>;
    if (typeof repositoryName !== 'string') constraint(`${field}.repositoryName`, repositoryName, 'Member must not be null');
    if (typeof originRestrictionType !== 'string') constraint(`${field}.originRestrictionType`, originRestrictionType, 'Member must not be null');
    return {
      repositoryName: checkRepositoryName(repositoryName, `${field}.repositoryName`),
      originRestrictionType: enumValue(`${field}.originRestrictionType`, originRestrictionType, ORIGIN_RESTRICTION_TYPES),
    };
  });
}

export function updatePackageGroupOriginConfiguration(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const pattern = patternInput(input, 'query');
  const restrictions = restrictionsInput(input, pattern === ROOT_PATTERN);
  const add = allowedRepositoriesInput(input, 'addAllowedRepositories');
  const remove = allowedRepositoriesInput(input, 'removeAllowedRepositories');
  const g = findGroup(domain, pattern);
  for (const a of add) findRepository(domain, a.repositoryName);
  // Everything is checked: now change.
  Object.assign(g.restrictions, restrictions);
  const updates: Partial<Record<OriginRestrictionType, { ADDED?: string[]; REMOVED?: string[] }>> = {};
  for (const a of add) {
    const list = g.allowedRepositories[a.originRestrictionType];
    if (!list.includes(a.repositoryName)) list.push(a.repositoryName);
    ((updates[a.originRestrictionType] ??= {}).ADDED ??= []).push(a.repositoryName);
  }
  for (const r of remove) {
    const list = g.allowedRepositories[r.originRestrictionType];
    const at = list.indexOf(r.repositoryName);
    if (at >= 0) list.splice(at, 1);
    ((updates[r.originRestrictionType] ??= {}).REMOVED ??= []).push(r.repositoryName);
  }
  op.ctx.persist();
  return { packageGroup: groupDescription(op.ctx.state, domain, g), allowedRepositoryUpdates: updates };
}

export function listAllowedRepositoriesForGroup(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const pattern = patternInput(input, 'query');
  const type = enumValue('originRestrictionType', input.req('originRestrictionType'), ORIGIN_RESTRICTION_TYPES);
  const max = parseMaxResults(input.opt('max-results'), 'max-results', 100);
  const g = findGroup(domain, pattern);
  const entries = allowedRepositories(domain, g, type).map((name) => ({ key: name, item: name }));
  const page = paginate(`ListAllowedRepositoriesForGroup:${type}`, entries, max, input.opt('next-token'));
  return { allowedRepositories: page.items, nextToken: page.nextToken };
}

export function listAssociatedPackages(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const pattern = patternInput(input, 'query');
  const previewText = input.opt('preview');
  if (previewText !== undefined && previewText !== 'true' && previewText !== 'false') constraint('preview', previewText, 'Member must be a boolean');
  const preview = previewText === 'true';
  const max = parseMaxResults(input.opt('max-results'), 'max-results', 100);
  // With preview, the packages that would belong to a group of this pattern, whether or not it exists.
  const existing = groupsOf(domain)[pattern];
  if (!existing && !preview) throw groupNotFound(domain, pattern);
  const g = existing ?? newGroup(pattern, 0);
  const seen = new Map<string, { format: string; namespace?: string; package: string; associationType: 'STRONG' }>();
  for (const repo of Object.values(domain.repositories)) {
    for (const p of Object.values(repo.packages)) {
      const key = packageKey(p.format, p.namespace, p.name);
      if (seen.has(key)) continue;
      if (associatedGroup(domain, p.format, p.namespace, p.name, g) === g) {
        seen.set(key, { format: p.format, namespace: p.namespace, package: p.name, associationType: 'STRONG' });
      }
    }
  }
  const entries = [...seen].map(([key, item]) => ({ key, item }));
  const page = paginate(`ListAssociatedPackages:${pattern}`, entries, max, input.opt('next-token'));
  return { packages: page.items, nextToken: page.nextToken };
}

const PACKAGE_RESTRICTIONS = ['ALLOW', 'BLOCK'] as const;

export function putPackageOriginConfiguration(op: OpContext, input: Input) {
  const domain = domainOf(op, input);
  const repo = findRepository(domain, input.repository());
  const format = input.format(true);
  const ns = input.namespace();
  const namespace = format === 'swift' ? ns?.toLowerCase() : ns;
  const name = input.packageName(format);
  const v = input.body.restrictions;
  if (v === undefined || v === null) constraint('restrictions', undefined, 'Member must not be null');
  if (typeof v !== 'object' || Array.isArray(v)) constraint('restrictions', v, 'Member must be a {publish, upstream} structure');
  const given = v as Record<string, unknown>;
  const read = (k: 'publish' | 'upstream'): Restriction => {
    const x = given[k];
    if (x === undefined || x === null) constraint(`restrictions.${k}`, undefined, 'Member must not be null');
    if (typeof x !== 'string') constraint(`restrictions.${k}`, x, 'Member must be a string');
    return enumValue(`restrictions.${k}`, x, PACKAGE_RESTRICTIONS);
  };
  const restrictions = { publish: read('publish'), upstream: read('upstream') };
  const pkg = findPackage(repo, format, namespace, name);
  pkg.originConfiguration = { restrictions };
  op.ctx.persist();
  return { originConfiguration: { restrictions: { ...restrictions } } };
}
