// Package groups as CodeArtifact defines them: the pattern syntax, which packages a pattern matches, the
// most specific group of a package, the parent/child hierarchy and origin restrictions resolved up it.
// A leaf module over ./state: the control plane (control/packageGroups.ts), the governance checks
// (./governance.ts) and the seed loader use it; it imports neither of them.
//
// Patterns: `/*` (everything), `/{format}/*`, `/{format}/{namespace-prefix}~`, `/{format}/{namespace}/*`,
// `/{format}/{namespace}/{name-prefix}~`, `/{format}/{namespace}/{name}$`. Formats without namespaces
// (PyPI, NuGet, Ruby, Cargo) keep an empty namespace component (`/pypi//requests$`); Maven, generic and
// Swift need a namespace when a name is given. PyPI, NuGet and Swift names (and Swift namespaces) must be
// written normalised, as the service stores them.
import {
  FORMATS,
  ORIGIN_RESTRICTION_MODES,
  ORIGIN_RESTRICTION_TYPES,
  SeedError,
  dict,
  domainKey,
  normalizePypiName,
  type Domain,
  type EmulatorState,
  type Format,
  type OriginRestrictionMode,
  type OriginRestrictionType,
  type PackageGroup,
  type Seed,
  type SeedDomain,
} from './state';

export const ROOT_PATTERN = '/*';

/** A pattern the syntax refuses; the control plane answers ValidationException with the message. */
export class PatternError extends Error {}

type Parsed =
  | { kind: 'all' }
  | { kind: 'format'; format: Format }
  | { kind: 'namespacePrefix'; format: Format; prefix: string }
  | { kind: 'namespace'; format: Format; namespace: string }
  | { kind: 'namePrefix'; format: Format; namespace: string; prefix: string }
  | { kind: 'exact'; format: Format; namespace: string; name: string };

const NO_NAMESPACE: readonly Format[] = ['pypi', 'nuget', 'ruby', 'cargo'];
const NAMESPACE_REQUIRED: readonly Format[] = ['maven', 'generic', 'swift'];
const COMPONENT = /^[^#/\s*~$]+$/;

/** The normalised form the service stores a name in (PyPI: PEP 503; NuGet, Swift: lower case). */
export function normalizedName(format: Format, name: string): string {
  if (format === 'pypi') return normalizePypiName(name);
  if (format === 'nuget' || format === 'swift') return name.toLowerCase();
  return name;
}

function normalizedNamespace(format: Format, namespace: string): string {
  return format === 'swift' ? namespace.toLowerCase() : namespace;
}

function invalid(pattern: string, why: string): never {
  throw new PatternError(`Invalid package group pattern '${pattern}': ${why}`);
}

/** Parses and checks a pattern; PatternError says what is wrong. */
export function parsePattern(pattern: string): Parsed {
  if (!pattern.startsWith('/')) invalid(pattern, 'a pattern starts with "/"');
  if (pattern === ROOT_PATTERN) return { kind: 'all' };
  const suffix = pattern[pattern.length - 1];
  if (suffix !== '*' && suffix !== '~' && suffix !== '$') invalid(pattern, 'a pattern ends with "*", "~" or "$"');
  const body = pattern.slice(1, -1);
  let parsed: Parsed;
  if (suffix === '*') {
    if (!body.endsWith('/')) invalid(pattern, '"*" follows a "/" and matches every value of the next component');
    const parts = body.slice(0, -1).split('/');
    if (parts.length === 1) parsed = { kind: 'format', format: formatOf(pattern, parts[0]) };
    else if (parts.length === 2) parsed = { kind: 'namespace', format: formatOf(pattern, parts[0]), namespace: parts[1] };
    else invalid(pattern, 'a pattern has at most a format, a namespace and a name');
  } else {
    const parts = body.split('/');
    if (suffix === '~' && parts.length === 2) parsed = { kind: 'namespacePrefix', format: formatOf(pattern, parts[0]), prefix: parts[1] };
    else if (suffix === '~' && parts.length === 3) parsed = { kind: 'namePrefix', format: formatOf(pattern, parts[0]), namespace: parts[1], prefix: parts[2] };
    else if (suffix === '$' && parts.length === 3) parsed = { kind: 'exact', format: formatOf(pattern, parts[0]), namespace: parts[1], name: parts[2] };
    else if (suffix === '$') invalid(pattern, '"$" ends a full package path /format/namespace/name$');
    else invalid(pattern, '"~" ends a namespace prefix (/format/prefix~) or a name prefix (/format/namespace/prefix~)');
  }
  checkComponents(pattern, parsed);
  return parsed;
}

function formatOf(pattern: string, v: string): Format {
  if (!(FORMATS as readonly string[]).includes(v)) invalid(pattern, `"${v}" is not a package format (${FORMATS.join(', ')})`);
  return v as Format;
}

function checkComponents(pattern: string, p: Parsed): void {
  if (p.kind === 'all' || p.kind === 'format') return;
  const namespace = p.kind === 'namespacePrefix' ? p.prefix : p.namespace;
  if (NO_NAMESPACE.includes(p.format)) {
    if (p.kind === 'namespacePrefix' || namespace !== '') invalid(pattern, `${p.format} packages have no namespace; leave the namespace component empty (/${p.format}//name$)`);
  } else if (namespace !== '') {
    if (!COMPONENT.test(namespace) || namespace.length > 255) invalid(pattern, `"${namespace}" is not a valid namespace`);
    const norm = normalizedNamespace(p.format, namespace);
    if (norm !== namespace) invalid(pattern, `${p.format} namespaces are normalised; write "${norm}"`);
  } else if (p.kind === 'namespacePrefix') invalid(pattern, 'a namespace prefix is not empty');
  else if (NAMESPACE_REQUIRED.includes(p.format)) invalid(pattern, `${p.format} packages have a namespace; a pattern with a name gives it`);
  const name = p.kind === 'namePrefix' ? p.prefix : p.kind === 'exact' ? p.name : undefined;
  if (name === undefined) return;
  if (!COMPONENT.test(name) || name.length > 255) invalid(pattern, `"${name}" is not a valid package name`);
  const norm = normalizedName(p.format, name);
  if (norm !== name) invalid(pattern, `${p.format} names are normalised; write "${norm}"`);
}

/** True when the package (format, namespace or undefined, name) matches the pattern. */
function matches(p: Parsed, format: Format, namespace: string | undefined, name: string): boolean {
  if (p.kind === 'all') return true;
  if (p.format !== format) return false;
  const ns = normalizedNamespace(format, namespace ?? '');
  const n = normalizedName(format, name);
  switch (p.kind) {
    case 'format':
      return true;
    case 'namespacePrefix':
      return ns !== '' && ns.startsWith(p.prefix);
    case 'namespace':
      return ns === p.namespace;
    case 'namePrefix':
      return ns === p.namespace && n.startsWith(p.prefix);
    case 'exact':
      return ns === p.namespace && n === p.name;
  }
}

/** How specific a pattern is: [level, length of its prefix]; a larger one wins. */
function specificity(p: Parsed): [number, number] {
  switch (p.kind) {
    case 'all':
      return [0, 0];
    case 'format':
      return [1, 0];
    case 'namespacePrefix':
      return [2, p.prefix.length];
    case 'namespace':
      return [3, 0];
    case 'namePrefix':
      return [4, p.prefix.length];
    case 'exact':
      return [5, 0];
  }
}

function moreSpecific(a: Parsed, b: Parsed): boolean {
  const [la, na] = specificity(a);
  const [lb, nb] = specificity(b);
  return la > lb || (la === lb && na > nb);
}

/** True when every package `g` matches also matches `h` (h is an ancestor candidate of g). */
function covers(h: Parsed, g: Parsed): boolean {
  if (h.kind === 'all') return true;
  if (g.kind === 'all' || h.format !== g.format) return false;
  switch (h.kind) {
    case 'format':
      return true;
    case 'namespacePrefix':
      if (g.kind === 'namespacePrefix') return g.prefix.startsWith(h.prefix);
      return g.kind !== 'format' && g.namespace !== '' && g.namespace.startsWith(h.prefix);
    case 'namespace':
      return (g.kind === 'namespace' || g.kind === 'namePrefix' || g.kind === 'exact') && g.namespace === h.namespace;
    case 'namePrefix':
      if (g.kind === 'namePrefix') return g.namespace === h.namespace && g.prefix.startsWith(h.prefix);
      return g.kind === 'exact' && g.namespace === h.namespace && g.name.startsWith(h.prefix);
    case 'exact':
      return false;
  }
}

// ---- the groups of a domain ----------------------------------------------------------------------

/** A package group's ARN: `…:package-group/{domain}{pattern}`, each pattern component URL-encoded. */
export function packageGroupArn(state: EmulatorState, domain: Domain, pattern: string): string {
  return `arn:aws:codeartifact:${state.region}:${domain.owner}:package-group/${domain.name}${pattern.split('/').map(encodeURIComponent).join('/')}`;
}

export function newGroup(pattern: string, createdTime: number): PackageGroup {
  const mode: OriginRestrictionMode = pattern === ROOT_PATTERN ? 'ALLOW' : 'INHERIT';
  return {
    pattern,
    createdTime,
    restrictions: { EXTERNAL_UPSTREAM: mode, INTERNAL_UPSTREAM: mode, PUBLISH: mode },
    allowedRepositories: { EXTERNAL_UPSTREAM: [], INTERNAL_UPSTREAM: [], PUBLISH: [] },
  };
}

/** The domain's groups, with the root group `/*` added when missing (domains created before groups existed). */
export function groupsOf(domain: Domain): Record<string, PackageGroup> {
  const groups = (domain.packageGroups ??= dict());
  groups[ROOT_PATTERN] ??= newGroup(ROOT_PATTERN, domain.createdTime);
  return groups;
}

const parsedCache = new Map<string, Parsed>();
function parsedOf(pattern: string): Parsed {
  let p = parsedCache.get(pattern);
  if (!p) {
    if (parsedCache.size > 10_000) parsedCache.clear();
    p = parsePattern(pattern);
    parsedCache.set(pattern, p);
  }
  return p;
}

/** The most specific of `candidates` that satisfies `test`. */
function mostSpecific(candidates: PackageGroup[], test: (p: Parsed) => boolean): PackageGroup | undefined {
  let best: PackageGroup | undefined;
  for (const g of candidates) {
    const p = parsedOf(g.pattern);
    if (test(p) && (!best || moreSpecific(p, parsedOf(best.pattern)))) best = g;
  }
  return best;
}

/** The group a package belongs to: its most specific matching group (the root group at least). */
export function associatedGroup(domain: Domain, format: Format, namespace: string | undefined, name: string, extra?: PackageGroup): PackageGroup {
  const all = Object.values(groupsOf(domain));
  if (extra && !all.includes(extra)) all.push(extra);
  return mostSpecific(all, (p) => matches(p, format, namespace, name))!;
}

/** The direct parent: the most specific other group whose pattern covers this one's (none for `/*`). */
export function parentOf(domain: Domain, group: PackageGroup): PackageGroup | undefined {
  if (group.pattern === ROOT_PATTERN) return undefined;
  const g = parsedOf(group.pattern);
  const others = Object.values(groupsOf(domain)).filter((x) => x.pattern !== group.pattern);
  return mostSpecific(others, (h) => covers(h, g));
}

export function childrenOf(domain: Domain, group: PackageGroup): PackageGroup[] {
  return Object.values(groupsOf(domain)).filter((g) => g !== group && parentOf(domain, g) === group);
}

export interface Resolved {
  /** The mode as set on the group. */
  mode: OriginRestrictionMode;
  /** The mode in force (never INHERIT). */
  effectiveMode: Exclude<OriginRestrictionMode, 'INHERIT'>;
  /** The group the effective mode comes from (the group itself unless its mode is INHERIT). */
  source: PackageGroup;
}

/** A restriction of a group resolved up the hierarchy: INHERIT takes the nearest ancestor's mode; the root defaults to ALLOW. */
export function resolveRestriction(domain: Domain, group: PackageGroup, type: OriginRestrictionType): Resolved {
  let g: PackageGroup | undefined = group;
  const seen = new Set<PackageGroup>();
  while (g && g.restrictions[type] === 'INHERIT' && !seen.has(g)) {
    seen.add(g);
    g = parentOf(domain, g);
  }
  if (!g || g.restrictions[type] === 'INHERIT') return { mode: group.restrictions[type], effectiveMode: 'ALLOW', source: groupsOf(domain)[ROOT_PATTERN] };
  return { mode: group.restrictions[type], effectiveMode: g.restrictions[type] as Resolved['effectiveMode'], source: g };
}

/** A group's allowed-repository list of one restriction type, without repositories deleted since. */
export function allowedRepositories(domain: Domain, group: PackageGroup, type: OriginRestrictionType): string[] {
  return group.allowedRepositories[type].filter((name) => domain.repositories[name] !== undefined);
}

/** Whether a package's group lets `repository` take versions in this way (publish, external or internal upstream). */
export function groupAllows(domain: Domain, type: OriginRestrictionType, repository: string, format: Format, namespace: string | undefined, name: string): boolean {
  const r = resolveRestriction(domain, associatedGroup(domain, format, namespace, name), type);
  if (r.effectiveMode === 'ALLOW') return true;
  if (r.effectiveMode === 'BLOCK') return false;
  return allowedRepositories(domain, r.source, type).includes(repository);
}

// ---- seed ------------------------------------------------------------------------------------------

/**
 * Adds each seed domain's `packageGroups` to the state built from the seed (by stateFromSeed, which has
 * already checked the domains); returns the state. Errors name the JSON path.
 */
export function withSeedPackageGroups(state: EmulatorState, seedInput: unknown, source: string): EmulatorState {
  // Every domain has the root group from the start.
  for (const domain of Object.values(state.domains)) groupsOf(domain);
  const domains = (seedInput as Seed).domains ?? [];
  domains.forEach((d, di) => {
    const domain = state.domains[domainKey(d.owner ?? state.accountId, d.name)];
    if (domain) seedPackageGroups(domain, d, `${source}.domains[${di}]`, domain.createdTime);
  });
  return state;
}

function seedPackageGroups(domain: Domain, seedDomain: SeedDomain, path: string, now: number): void {
  const list = seedDomain.packageGroups;
  if (list === undefined) return;
  const fail = (p: string, msg: string): never => {
    throw new SeedError(`${p}: ${msg}`);
  };
  if (!Array.isArray(list)) fail(`${path}.packageGroups`, 'expected an array');
  const groups = groupsOf(domain);
  list.forEach((sg, i) => {
    const gpath = `${path}.packageGroups[${i}]`;
    if (typeof sg?.pattern !== 'string') fail(`${gpath}.pattern`, 'expected a pattern such as "/npm/*"');
    try {
      parsePattern(sg.pattern);
    } catch (e) {
      fail(`${gpath}.pattern`, (e as Error).message);
    }
    if (groups[sg.pattern] && sg.pattern !== ROOT_PATTERN) fail(`${gpath}.pattern`, `package group "${sg.pattern}" is declared twice`);
    const g = groups[sg.pattern] ?? newGroup(sg.pattern, now);
    for (const k of ['description', 'contactInfo'] as const) {
      if (sg[k] !== undefined && typeof sg[k] !== 'string') fail(`${gpath}.${k}`, 'expected a string');
    }
    g.description = sg.description;
    g.contactInfo = sg.contactInfo;
    for (const [type, mode] of Object.entries(sg.restrictions ?? {})) {
      if (!(ORIGIN_RESTRICTION_TYPES as readonly string[]).includes(type)) fail(`${gpath}.restrictions`, `"${type}" is not one of ${ORIGIN_RESTRICTION_TYPES.join(', ')}`);
      if (!(ORIGIN_RESTRICTION_MODES as readonly string[]).includes(mode)) fail(`${gpath}.restrictions.${type}`, `"${mode}" is not one of ${ORIGIN_RESTRICTION_MODES.join(', ')}`);
      if (mode === 'INHERIT' && sg.pattern === ROOT_PATTERN) fail(`${gpath}.restrictions.${type}`, 'the root group /* has no parent to inherit from');
      g.restrictions[type as OriginRestrictionType] = mode;
    }
    for (const [type, repos] of Object.entries(sg.allowedRepositories ?? {})) {
      if (!(ORIGIN_RESTRICTION_TYPES as readonly string[]).includes(type)) fail(`${gpath}.allowedRepositories`, `"${type}" is not one of ${ORIGIN_RESTRICTION_TYPES.join(', ')}`);
      if (!Array.isArray(repos)) fail(`${gpath}.allowedRepositories.${type}`, 'expected an array of repository names');
      const unknown = repos.find((r) => typeof r !== 'string' || !domain.repositories[r]);
      if (unknown !== undefined) fail(`${gpath}.allowedRepositories.${type}`, `"${String(unknown)}" is not a repository of domain "${domain.name}"`);
      g.allowedRepositories[type as OriginRestrictionType] = [...new Set(repos)];
    }
    groups[sg.pattern] = g;
  });
}
