// Reading and validating control-plane inputs (query string and JSON body), with AWS-style messages:
// "1 validation error detected: Value 'x' at 'domain' failed to satisfy constraint: ...".
import { err } from '../errors';
import { ACCOUNT_ID, DOMAIN_NAME, FORMATS, PACKAGE_PART, REPOSITORY_NAME, VERSION_STATUSES, normalizePypiName, type Format, type VersionStatus } from '../state';

export function constraint(field: string, value: unknown, what: string): never {
  const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  throw err.validation(`1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${what}`);
}

/** Parses a request body: empty means {}, otherwise a JSON object (CANNOT_PARSE when it is not JSON). */
export function parseBody(raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw err.validation(`Could not parse request body into json: ${(e as Error).message}`, 'CANNOT_PARSE');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw err.validation('Could not parse request body: expected a JSON object', 'CANNOT_PARSE');
  }
  return parsed as Record<string, unknown>;
}

export class Input {
  constructor(
    readonly query: URLSearchParams,
    readonly body: Record<string, unknown>,
  ) {}

  /** A query parameter; empty strings count as absent. */
  opt(name: string): string | undefined {
    const v = this.query.get(name);
    return v === null || v === '' ? undefined : v;
  }

  req(name: string): string {
    const v = this.opt(name);
    if (v === undefined) constraint(name, undefined, 'Member must not be null');
    return v;
  }

  domain(): string {
    const v = this.req('domain');
    if (!DOMAIN_NAME.test(v)) constraint('domain', v, `Member must satisfy regular expression pattern: ${DOMAIN_NAME.source}`);
    return v;
  }

  domainOwner(): string | undefined {
    const v = this.opt('domain-owner');
    if (v !== undefined && !ACCOUNT_ID.test(v)) constraint('domain-owner', v, `Member must satisfy regular expression pattern: ${ACCOUNT_ID.source}`);
    return v;
  }

  repository(name = 'repository'): string {
    return checkRepositoryName(this.req(name), name);
  }

  format(required: true): Format;
  format(required: false): Format | undefined;
  format(required: boolean): Format | undefined {
    const v = required ? this.req('format') : this.opt('format');
    if (v === undefined) return undefined;
    return enumValue('format', v, FORMATS);
  }

  namespace(): string | undefined {
    const v = this.opt('namespace');
    if (v !== undefined) checkPart('namespace', v);
    return v;
  }

  /** The package name as the service stores it: PEP 503-normalised for PyPI, lower-cased for Swift. */
  packageName(format: Format, name = 'package'): string {
    const v = checkPart(name, this.req(name));
    return format === 'pypi' ? normalizePypiName(v) : format === 'swift' ? v.toLowerCase() : v;
  }

  version(): string {
    return checkPart('version', this.req('version'));
  }

  enumOpt<T extends string>(name: string, values: readonly T[]): T | undefined {
    const v = this.opt(name);
    return v === undefined ? undefined : enumValue(name, v, values);
  }

  // ---- body members ----

  bodyString(name: string, maxLength = 1000): string | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') constraint(name, v, 'Member must be a string');
    if (v.length > maxLength) constraint(name, v, `Member must have length less than or equal to ${maxLength}`);
    return v;
  }

  bodyBoolean(name: string): boolean | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') constraint(name, v, 'Member must be a boolean');
    return v;
  }

  bodyStatus(name: string, required: true): VersionStatus;
  bodyStatus(name: string, required: false): VersionStatus | undefined;
  bodyStatus(name: string, required: boolean): VersionStatus | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) {
      if (required) constraint(name, undefined, 'Member must not be null');
      return undefined;
    }
    if (typeof v !== 'string') constraint(name, v, 'Member must be a string');
    return enumValue(name, v, VERSION_STATUSES);
  }

  /** A list of version strings, 1..100 of them (the service's limit per batch call). */
  bodyVersions(name: string, required: boolean): string[] | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) {
      if (required) constraint(name, undefined, 'Member must not be null');
      return undefined;
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) constraint(name, v, 'Member must be a list of version strings');
    if (v.length < 1 || v.length > 100) constraint(name, v, 'Member must have length between 1 and 100');
    (v as string[]).forEach((x) => checkPart(name, x));
    return [...new Set(v as string[])];
  }

  /** A version -> revision map. */
  bodyRevisions(name: string): Record<string, string> | undefined {
    const v = this.body[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) constraint(name, v, 'Member must be a map of version to revision');
    const map = v as Record<string, string>;
    const n = Object.keys(map).length;
    if (n < 1 || n > 100) constraint(name, v, 'Member must have length between 1 and 100');
    Object.keys(map).forEach((x) => checkPart(name, x));
    return map;
  }

  bodyTags(): { key: string; value: string }[] | undefined {
    const v = this.body.tags;
    if (v === undefined || v === null) return undefined;
    if (
      !Array.isArray(v) ||
      v.some((t) => typeof t !== 'object' || t === null || typeof (t as { key?: unknown }).key !== 'string' || typeof (t as { value?: unknown }).value !== 'string')
    ) {
      constraint('tags', v, 'Member must be a list of {key, value} strings');
    }
    return (v as { key: string; value: string }[]).map((t) => ({ key: t.key, value: t.value }));
  }

  /** Upstream repository names in priority order, from `[{repositoryName}]`. */
  bodyUpstreams(): string[] | undefined {
    const v = this.body.upstreams;
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) constraint('upstreams', v, 'Member must be a list of {repositoryName}');
    return v.map((u, i) => {
      const name = (u as { repositoryName?: unknown } | null)?.repositoryName;
      if (typeof name !== 'string') constraint(`upstreams.${i + 1}.member.repositoryName`, name, 'Member must not be null');
      return checkRepositoryName(name, `upstreams.${i + 1}.member.repositoryName`);
    });
  }
}

export function enumValue<T extends string>(field: string, value: string, values: readonly T[]): T {
  if (!(values as readonly string[]).includes(value)) constraint(field, value, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return value as T;
}

export function checkRepositoryName(v: string, field: string): string {
  if (!REPOSITORY_NAME.test(v)) constraint(field, v, `Member must satisfy regular expression pattern: ${REPOSITORY_NAME.source}`);
  return v;
}

function checkPart(field: string, v: string): string {
  if (!PACKAGE_PART.test(v)) constraint(field, v, `Member must satisfy regular expression pattern: [^#/\\s]+ (1 to 255 characters)`);
  return v;
}
