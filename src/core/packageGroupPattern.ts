// Package group patterns as the user types them: what is wrong with one (for an input box that validates as
// you type), and which package a pattern's text describes. The service has the last word; this only catches
// what it would refuse, with a sentence that says how to write it.
import type { PackageFormat } from './coordinates';

const FORMATS: readonly PackageFormat[] = ['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo'];
const WITHOUT_NAMESPACE: readonly string[] = ['pypi', 'nuget', 'ruby', 'cargo'];
const BAD_CHARACTERS = /[#\s*~$]/;

/** Why `text` is not a package group pattern, or undefined when it is one. */
export function patternProblem(text: string): string | undefined {
  if (!text) return 'Type a pattern such as /npm/acme/* (every package of the scope), /npm//left-pad$ or /pypi//requests~';
  if (!text.startsWith('/')) return 'A pattern starts with "/", e.g. /npm/acme/*';
  if (text === '/*') return undefined;
  const end = text[text.length - 1];
  if (end !== '*' && end !== '~' && end !== '$') return 'A pattern ends with "*" (every package below), "~" (a prefix) or "$" (exactly this name)';
  const parts = text.slice(1, -1).split('/');
  const format = parts[0];
  if (!FORMATS.includes(format as PackageFormat)) return `"${format}" is not a package format; use one of ${FORMATS.join(', ')}`;
  if (end === '*') {
    if (parts[parts.length - 1] !== '') return '"*" comes right after a "/": /npm/* or /npm/acme/*';
    if (parts.length > 3) return 'A pattern has at most a format, a namespace and a name';
  } else if (end === '$' && parts.length !== 3) return '"$" ends a full path: /format/namespace/name$ (an empty namespace for formats without one: /pypi//requests$)';
  else if (end === '~' && (parts.length < 2 || parts.length > 3)) return '"~" ends a namespace prefix (/npm/ac~) or a name prefix (/npm/acme/ui-~)';
  const components = parts.slice(1).filter((_c, i, all) => !(end === '*' && i === all.length - 1));
  const bad = components.find((c) => BAD_CHARACTERS.test(c));
  if (bad !== undefined) return `"${bad}" may not contain spaces, "#", "*", "~" or "$"`;
  const namespace = components[0] ?? '';
  if (WITHOUT_NAMESPACE.includes(format) && (namespace !== '' || (end === '~' && parts.length === 2))) {
    return `${format} packages have no namespace: leave it empty, e.g. /${format}//name$`;
  }
  if (end !== '*' && parts.length === 3 && parts[2] === '') return 'The name part is empty';
  return undefined;
}

/** Modes and restriction types of a package group's origin configuration, checked from an argument object. */
export const RESTRICTION_TYPES = ['PUBLISH', 'EXTERNAL_UPSTREAM', 'INTERNAL_UPSTREAM'] as const;
export type RestrictionType = (typeof RESTRICTION_TYPES)[number];
export const RESTRICTION_MODES = ['ALLOW', 'BLOCK', 'ALLOW_SPECIFIC_REPOSITORIES', 'INHERIT'] as const;
export type RestrictionMode = (typeof RESTRICTION_MODES)[number];

/** Reads `{PUBLISH?: mode, ...}`; throws an Error naming the bad key or value. */
export function parseRestrictions(value: unknown, key = 'restrictions'): Partial<Record<RestrictionType, RestrictionMode>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`"${key}" must be an object such as {"EXTERNAL_UPSTREAM": "BLOCK"}`);
  const out: Partial<Record<RestrictionType, RestrictionMode>> = {};
  for (const [type, mode] of Object.entries(value)) {
    if (!RESTRICTION_TYPES.includes(type as RestrictionType)) throw new Error(`"${key}.${type}" is not a restriction type; use ${RESTRICTION_TYPES.join(', ')}`);
    if (!RESTRICTION_MODES.includes(mode as RestrictionMode)) throw new Error(`"${key}.${type}" is "${String(mode)}"; use ${RESTRICTION_MODES.join(', ')}`);
    out[type as RestrictionType] = mode as RestrictionMode;
  }
  return out;
}

/** Reads `{PUBLISH?: [repository, ...], ...}`; throws an Error naming the bad key or value. */
export function parseAllowedRepositories(value: unknown, key = 'allowedRepositories'): Partial<Record<RestrictionType, string[]>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`"${key}" must be an object such as {"PUBLISH": ["release"]}`);
  const out: Partial<Record<RestrictionType, string[]>> = {};
  for (const [type, list] of Object.entries(value)) {
    if (!RESTRICTION_TYPES.includes(type as RestrictionType)) throw new Error(`"${key}.${type}" is not a restriction type; use ${RESTRICTION_TYPES.join(', ')}`);
    if (!Array.isArray(list) || !list.every((r) => typeof r === 'string' && r)) throw new Error(`"${key}.${type}" must be an array of repository names`);
    out[type as RestrictionType] = list as string[];
  }
  return out;
}
