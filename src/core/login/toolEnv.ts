// The names login gives a repository in the newer tools' configs (a Cargo registry, a Poetry source, a uv index)
// and the terminal variables that carry the token to the tools that read it from the environment: Cargo
// (CARGO_REGISTRIES_<NAME>_TOKEN), Bundler (BUNDLE_<HOST>), Poetry (POETRY_HTTP_BASIC_<SOURCE>_*), uv
// (UV_INDEX_<NAME>_*) and gem push (RUBYGEMS_HOST, the default push host; its key is in ~/.gem/credentials).
import type { LoginFormat, ToolId } from '../tools';

/** `{domain}-{repository}` with every character a Cargo registry, Poetry source or uv index name refuses as '-'. */
export function registryName(domain: string, repository: string): string {
  return `${domain}-${repository}`.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** The upper-case form the tools derive their variable names from: every non-alphanumeric character as '_'. */
export function envNamePart(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Cargo reads a registry's token from CARGO_REGISTRIES_<NAME>_TOKEN (name upper-cased, '-' as '_'). */
export function cargoTokenVar(name: string): string {
  return `CARGO_REGISTRIES_${envNamePart(name)}_TOKEN`;
}

/**
 * Bundler's setting name for a host's credentials, as Bundler::Settings.key_for builds it: '.' becomes '__',
 * '-' becomes '___', upper-cased, prefixed BUNDLE_ (e.g. BUNDLE_ACME___111122223333__D__CODEARTIFACT__…).
 */
export function bundlerHostVar(endpoint: string): string {
  const host = new URL(endpoint).hostname;
  return `BUNDLE_${host.replace(/\./g, '__').replace(/-/g, '___').toUpperCase()}`;
}

export interface ToolEnvInput {
  domain: string;
  repository: string;
  tools?: readonly ToolId[];
  endpoints: Partial<Record<LoginFormat, string>>;
  token: string;
}

/** The variables the logged-in tools read the token (or the push host) from; only for the tools logged in. */
export function toolEnvironment(input: ToolEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  const tools = new Set(input.tools ?? []);
  const name = registryName(input.domain, input.repository);
  const { cargo, ruby, pypi } = input.endpoints;
  // The service takes Cargo's token as a Bearer credential, and Cargo sends the variable's value as it is.
  if (tools.has('cargo') && cargo) env[cargoTokenVar(name)] = `Bearer ${input.token}`;
  if (tools.has('bundler') && ruby) env[bundlerHostVar(ruby)] = `aws:${input.token}`;
  if (tools.has('gem') && ruby) env.RUBYGEMS_HOST = ruby.replace(/\/$/, '');
  if (tools.has('poetry') && pypi) {
    env[`POETRY_HTTP_BASIC_${envNamePart(name)}_USERNAME`] = 'aws';
    env[`POETRY_HTTP_BASIC_${envNamePart(name)}_PASSWORD`] = input.token;
  }
  if (tools.has('uv') && pypi) {
    env[`UV_INDEX_${envNamePart(name)}_USERNAME`] = 'aws';
    env[`UV_INDEX_${envNamePart(name)}_PASSWORD`] = input.token;
  }
  return env;
}
