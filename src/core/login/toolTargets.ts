// The login targets of NuGet/dotnet, Swift, pip-in-netrc-mode, Cargo, RubyGems, Poetry and uv: where each file is
// and what goes into it. loginPlan.ts applies and reverts them like the others (locked, atomic, recorded).
import type { LoginFormat, LoginTarget, ToolId } from '../tools';
import { LoginInputError } from './errors';
import type { LineFileRecord } from './lineEdits';
import type { Env, LocationInputs } from './locations';
import type { XmlFileRecord } from './mavenSettings';
import { applyGemCredentials } from './gemCredentials';
import { applyNetrc, type NetrcEntry } from './netrc';
import { applyNugetConfig } from './nugetConfig';
import { applySwiftRegistries, type JsonFileRecord } from './swiftRegistries';
import { applyTomlTables } from './tomlTables';
import { registryName } from './toolEnv';
import { cargoConfigPath, gemCredentialsPath, netrcPath, nugetConfigPath, poetryConfigPath, swiftRegistriesPath, uvConfigPath } from './toolLocations';

export type NewTarget = Extract<LoginTarget, 'nugetConfig' | 'swiftRegistries' | 'netrc' | 'cargoConfig' | 'gemCredentials' | 'poetryConfig' | 'uvConfig'>;

const NEW_TARGETS: ReadonlySet<LoginTarget> = new Set<NewTarget>(['nugetConfig', 'swiftRegistries', 'netrc', 'cargoConfig', 'gemCredentials', 'poetryConfig', 'uvConfig']);

export function isNewTarget(t: LoginTarget): t is NewTarget {
  return NEW_TARGETS.has(t);
}

/** Files among these that hold the token itself (written with mode 0600). */
export const NEW_TOKEN_FILES: readonly LoginTarget[] = ['netrc', 'gemCredentials'];

export interface NewTargetInput {
  domain: string;
  repository: string;
  endpoints: Partial<Record<LoginFormat, string>>;
  token: string;
  namespace?: string;
  tools: readonly ToolId[];
  options?: { cargoReplaceCratesIo?: boolean };
}

export interface NewTargetContext extends LocationInputs {
  env: Env;
  /** The project folder SwiftPM's registries.json goes into (the one with Package.swift); none: the user-level file. */
  swiftProject?: string;
}

function endpointOf(input: NewTargetInput, f: LoginFormat): string {
  const e = input.endpoints[f];
  if (!e) throw new LoginInputError(`no ${f} endpoint for ${input.domain}/${input.repository}`);
  return e;
}

export function newTargetPath(target: NewTarget, ctx: NewTargetContext): string {
  switch (target) {
    case 'nugetConfig':
      return nugetConfigPath(ctx);
    case 'swiftRegistries':
      return swiftRegistriesPath(ctx, ctx.swiftProject);
    case 'netrc':
      return netrcPath(ctx);
    case 'cargoConfig':
      return cargoConfigPath(ctx);
    case 'gemCredentials':
      return gemCredentialsPath(ctx);
    case 'poetryConfig':
      return poetryConfigPath(ctx);
    case 'uvConfig':
      return uvConfigPath(ctx);
  }
}

/**
 * The netrc lines for the tools that read ~/.netrc: SwiftPM as the CLI writes it (`login token`), pip in netrc
 * mode with `login aws` (pip sends them as Basic credentials). Both on one host share one line (`login aws`:
 * SwiftPM sends only the password as its token).
 */
function netrcEntries(input: NewTargetInput, netrcTools: readonly ToolId[]): NetrcEntry[] {
  const entries: NetrcEntry[] = [];
  const host = (f: LoginFormat) => new URL(endpointOf(input, f)).hostname;
  if (netrcTools.includes('swift')) entries.push({ host: host('swift'), login: 'token', password: input.token });
  if (netrcTools.includes('pip')) entries.push({ host: host('pypi'), login: 'aws', password: input.token });
  return entries;
}

export function applyNewTarget(
  target: NewTarget,
  file: string,
  text: string | null,
  input: NewTargetInput,
  tools: readonly ToolId[],
): { text: string; record: LineFileRecord | XmlFileRecord | JsonFileRecord; warnings: string[] } {
  const name = registryName(input.domain, input.repository);
  switch (target) {
    case 'nugetConfig':
      return applyNugetConfig(file, text, { domain: input.domain, repository: input.repository, endpoint: endpointOf(input, 'nuget') });
    case 'swiftRegistries':
      return { ...applySwiftRegistries(file, text, { endpoint: endpointOf(input, 'swift'), scope: input.namespace?.replace(/^@/, '') }), warnings: [] };
    case 'netrc':
      return { ...applyNetrc(file, text, netrcEntries(input, tools)), warnings: [] };
    case 'cargoConfig': {
      const tables = [
        {
          path: ['registries', name],
          keys: [
            ['index', `sparse+${endpointOf(input, 'cargo')}`],
            ['credential-provider', 'cargo:token'],
          ] as [string, string][],
        },
      ];
      if (input.options?.cargoReplaceCratesIo) tables.push({ path: ['source', 'crates-io'], keys: [['replace-with', name]] });
      return { ...applyTomlTables(file, text, tables), warnings: [] };
    }
    case 'gemCredentials':
      return { ...applyGemCredentials(file, text, { endpoint: endpointOf(input, 'ruby'), token: input.token }), warnings: [] };
    case 'poetryConfig':
      return { ...applyTomlTables(file, text, [{ path: ['repositories', name], keys: [['url', endpointOf(input, 'pypi')]] }]), warnings: [] };
    case 'uvConfig': {
      const pypi = endpointOf(input, 'pypi');
      const keys: [string, string][] = [
        ['name', name],
        ['url', `${pypi}simple/`],
        ['publish-url', pypi],
      ];
      return { ...applyTomlTables(file, text, [{ path: ['index'], keys, arrayMatch: 'name' }]), warnings: [] };
    }
  }
}
