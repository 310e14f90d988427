// Login/logout for a set of tools as one plan over the user-level files. Each file is updated under its lock in
// one atomic write; a refresh (login again with the previous record) first reverts our previous edits and then
// applies the new ones, so the record always remembers the values from before the first login and logout puts
// them back. A file that fails (malformed, unwritable) is reported and left unchanged; the others still proceed.
//
// The returned LoginRecord is JSON and contains replaced values (which can be other tokens): keep it in
// SecretStorage, next to the token.
import { join } from 'node:path';
import { redact } from '../redact';
import { isToolId, toolTarget, type LoginFormat, type LoginTarget, type ToolId } from '../tools';
import { updateFile, type LockOptions } from './atomicFile';
import { LoginInputError, errorMessage } from './errors';
import { applyGradleInit, gradleInitScriptPath, removeGradleInit, type GradleFileRecord } from './gradleInit';
import { revertLineEdits, type LineFileRecord } from './lineEdits';
import { resolveLocations, type Env } from './locations';
import { applyMavenSettings, removeMavenSettings, type XmlFileRecord } from './mavenSettings';
import { applyNpmrc } from './npmrc';
import { applyPipConfig } from './pipConfig';
import { isPyIniHeader } from './pyIni';
import { applyPypirc } from './pypirc';
import { applyYarnrc, removeYarnrc, type YamlFileRecord } from './yarnrc';
import { removeSwiftRegistries, type JsonFileRecord } from './swiftRegistries';
import { toolEnvironment } from './toolEnv';
import { applyNewTarget, isNewTarget, NEW_TOKEN_FILES, newTargetPath } from './toolTargets';

export interface LoginInput {
  domain: string;
  domainOwner?: string;
  repository: string;
  /** GetRepositoryEndpoint URLs (with trailing slash) for the formats the tools need. */
  endpoints: Partial<Record<LoginFormat, string>>;
  token: string;
  /** Expiry, epoch ms (kept in the record for the status bar). */
  expiresAt: number;
  /** npm scope for npm/pnpm/yarn (`@scope:registry`). */
  namespace?: string;
  tools: ToolId[];
  options?: {
    pipUseExtraIndexUrl?: boolean;
    mavenMirrorCentral?: boolean;
    /** Also write ~/.npmrc for yarn (Yarn 1 reads .npmrc, not .yarnrc.yml). */
    yarnClassic?: boolean;
    /** `netrc`: pip's index URL without the token, the token in ~/.netrc (codeartifact.pip.credentials). */
    pipCredentials?: 'url' | 'netrc';
    /** Also `[source.crates-io] replace-with` the repository's Cargo registry (codeartifact.cargo.replaceCratesIo). */
    cargoReplaceCratesIo?: boolean;
  };
}

export interface LoginContext {
  home: string;
  env: Env;
  platform?: NodeJS.Platform;
  lock?: LockOptions;
  /** The project folder with Package.swift (SwiftPM's registries.json goes there); none: the user-level file. */
  swiftProject?: string;
}

export type FileRecord = LineFileRecord | YamlFileRecord | XmlFileRecord | GradleFileRecord | JsonFileRecord;

export interface LoginRecord {
  version: 1;
  domain: string;
  domainOwner?: string;
  repository: string;
  tools: ToolId[];
  expiresAt: number;
  files: { target: LoginTarget; record: FileRecord }[];
}

export interface FileOutcome {
  target: LoginTarget;
  file: string;
  tools: ToolId[];
  ok: boolean;
  changed: boolean;
  /** The file and the problem, e.g. "/home/u/.npmrc: line 3: unterminated quoted value". Never contains a token. */
  error?: string;
  warnings: string[];
}

/** Files holding the token itself get mode 0600. */
const TOKEN_FILES: ReadonlySet<LoginTarget> = new Set<LoginTarget>(['npmrc', 'yarnrc', 'pipConf', 'pypirc', ...NEW_TOKEN_FILES]);

function targetsFor(tools: readonly ToolId[], options: LoginInput['options'] = {}): Map<LoginTarget, ToolId[]> {
  const m = new Map<LoginTarget, ToolId[]>();
  const add = (t: LoginTarget, tool: ToolId) => m.set(t, [...(m.get(t) ?? []), tool]);
  for (const tool of tools) {
    const target = toolTarget(tool);
    if (target) add(target, tool);
    // Yarn 1 reads ~/.npmrc, not ~/.yarnrc.yml.
    if (tool === 'yarn' && options.yarnClassic) add('npmrc', tool);
    // SwiftPM (on Linux and Windows) and pip in netrc mode read the token from ~/.netrc.
    if (tool === 'swift' || (tool === 'pip' && options.pipCredentials === 'netrc')) add('netrc', tool);
  }
  return m;
}

function endpoint(input: LoginInput, f: LoginFormat): string {
  const e = input.endpoints[f];
  if (!e) throw new LoginInputError(`no ${f} endpoint for ${input.domain}/${input.repository}`);
  return e;
}

function targetPath(target: LoginTarget, input: LoginInput, ctx: LoginContext): string {
  const loc = resolveLocations(ctx);
  // Gradle reads every script in its init.d folder: one per repository. Every other target is one file.
  if (target === 'gradleInit') return gradleInitScriptPath(loc.gradleInitDir, input);
  if (isNewTarget(target)) return newTargetPath(target, ctx);
  const path = loc[target];
  if (path === null) throw new LoginInputError('pip configuration is disabled (PIP_CONFIG_FILE points at the null device)');
  return path;
}

/** Reverts one of our earlier edits (used by logout and, before re-applying, by refresh). */
function revert(text: string | null, r: FileRecord): { text: string | null; skipped: number } {
  switch (r.kind) {
    case 'lines': {
      // Only the INI writers (pip, pypirc) add section blocks, so their header test serves every line file.
      const res = revertLineEdits(text, r, isPyIniHeader);
      return { text: res.text, skipped: res.skipped.length };
    }
    case 'yaml': {
      const res = removeYarnrc(text, r);
      return { text: res.text, skipped: res.skipped.length };
    }
    case 'xml': {
      const res = removeMavenSettings(text, r);
      return { text: res.text, skipped: res.skipped.length };
    }
    case 'gradle': {
      const res = removeGradleInit(text, r);
      return { text: res.text, skipped: res.skipped.length };
    }
    case 'json': {
      const res = removeSwiftRegistries(text, r);
      return { text: res.text, skipped: res.skipped.length };
    }
  }
}

function applyTarget(
  target: LoginTarget,
  file: string,
  text: string | null,
  input: LoginInput,
  env: Env,
  tools: ToolId[],
): { text: string; record: FileRecord; warnings: string[] } {
  const o = input.options ?? {};
  if (isNewTarget(target)) return applyNewTarget(target, file, text, input, tools);
  switch (target) {
    case 'npmrc':
      return { ...applyNpmrc(file, text, { endpoint: endpoint(input, 'npm'), token: input.token, namespace: input.namespace }), warnings: [] };
    case 'yarnrc':
      return { ...applyYarnrc(file, text, { endpoint: endpoint(input, 'npm'), token: input.token, namespace: input.namespace }), warnings: [] };
    case 'pipConf':
      return applyPipConfig(
        file,
        text,
        { endpoint: endpoint(input, 'pypi'), token: input.token, useExtraIndexUrl: o.pipUseExtraIndexUrl, netrc: o.pipCredentials === 'netrc' },
        env,
      );
    case 'pypirc':
      return { ...applyPypirc(file, text, { endpoint: endpoint(input, 'pypi'), token: input.token }), warnings: [] };
    case 'mavenSettings':
      return applyMavenSettings(file, text, { domain: input.domain, repository: input.repository, endpoint: endpoint(input, 'maven'), mirrorCentral: o.mavenMirrorCentral });
    case 'gradleInit':
      return { ...applyGradleInit(file, text, { domain: input.domain, repository: input.repository, endpoint: endpoint(input, 'maven') }), warnings: [] };
  }
}

/**
 * Writes every tool's user config for `input`. With `prior` (the record of the current login), our earlier edits
 * are reverted first, in the same locked write, so a refresh or a switch of repository leaves exactly one entry.
 */
export async function applyLogin(input: LoginInput, ctx: LoginContext, prior?: LoginRecord): Promise<{ record: LoginRecord; outcomes: FileOutcome[] }> {
  for (const t of input.tools) if (!isToolId(t)) throw new LoginInputError(`unknown tool ${String(t)}`);
  const targets = targetsFor(input.tools, input.options);
  const record: LoginRecord = { version: 1, domain: input.domain, repository: input.repository, tools: [...input.tools], expiresAt: input.expiresAt, files: [] };
  if (input.domainOwner) record.domainOwner = input.domainOwner;
  const outcomes: FileOutcome[] = [];
  const priorByFile = new Map<string, { target: LoginTarget; record: FileRecord }>();
  for (const f of prior?.files ?? []) priorByFile.set(f.record.file, f);

  for (const [target, tools] of targets) {
    let file = '';
    const warnings: string[] = [];
    try {
      file = targetPath(target, input, ctx);
      const old = priorByFile.get(file);
      priorByFile.delete(file);
      let applied: ReturnType<typeof applyTarget> | undefined;
      const res = await updateFile(
        file,
        (current) => {
          const base = old ? revert(current, old.record).text : current;
          applied = applyTarget(target, file, base, input, ctx.env, tools);
          return applied.text;
        },
        { ...ctx.lock, ...(TOKEN_FILES.has(target) ? { mode: 0o600 } : {}) },
      );
      warnings.push(...applied!.warnings);
      record.files.push({ target, record: applied!.record });
      outcomes.push({ target, file, tools, ok: true, changed: res.changed, warnings });
    } catch (e) {
      outcomes.push({ target, file, tools, ok: false, changed: false, error: redact(errorMessage(e), [input.token]), warnings });
      // Keep the prior record for a file we could not update, so a later logout can still clean it.
      const old = prior?.files.find((f) => f.record.file === file);
      if (old) record.files.push(old);
    }
  }
  // Files of the previous login that this one no longer uses (tool dropped, location changed): clean them.
  for (const left of priorByFile.values()) {
    if (record.files.some((f) => f.record === left.record)) continue;
    const [o] = await revertFiles([left], ctx);
    outcomes.push(o);
    if (!o.ok) record.files.push(left);
  }
  return { record, outcomes };
}

async function revertFiles(files: LoginRecord['files'], ctx: LoginContext, tools: ToolId[] = []): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  for (const { target, record } of files) {
    try {
      let skipped = 0;
      const res = await updateFile(
        record.file,
        (current) => {
          const r = revert(current, record);
          skipped = r.skipped;
          return r.text;
        },
        { ...ctx.lock },
      );
      const warnings = skipped > 0 ? [`${record.file}: ${skipped} entr${skipped === 1 ? 'y was' : 'ies were'} changed since login and left as they are`] : [];
      outcomes.push({ target, file: record.file, tools, ok: true, changed: res.changed, warnings });
    } catch (e) {
      outcomes.push({ target, file: record.file, tools, ok: false, changed: false, error: errorMessage(e), warnings: [] });
    }
  }
  return outcomes;
}

/** Logout: removes exactly what the login recorded, restoring replaced values. */
export async function removeLogin(record: LoginRecord, ctx: LoginContext): Promise<FileOutcome[]> {
  return revertFiles(record.files, ctx, record.tools);
}

/**
 * A project-level .npmrc in `folder` (only when the user asks for one): the same keys, but the token as
 * `${CODEARTIFACT_AUTH_TOKEN}`, which npm expands from the environment, so no secret lands in the workspace.
 */
export async function writeProjectNpmrc(folder: string, input: Pick<LoginInput, 'endpoints' | 'namespace' | 'domain' | 'repository'>, lock?: LockOptions): Promise<LineFileRecord> {
  const file = join(folder, '.npmrc');
  let rec: LineFileRecord | undefined;
  await updateFile(
    file,
    (current) => {
      const r = applyNpmrc(file, current, {
        endpoint: endpoint({ ...input, token: '', expiresAt: 0, tools: [] }, 'npm'),
        token: '${CODEARTIFACT_AUTH_TOKEN}',
        namespace: input.namespace,
      });
      rec = r.record;
      return r.text;
    },
    { ...lock },
  );
  return rec!;
}

/** Variables for the integrated terminal (environmentVariableCollection), refreshed with the token. */
export function loginEnvironment(input: Pick<LoginInput, 'domain' | 'domainOwner' | 'repository' | 'endpoints' | 'token'> & { tools?: readonly ToolId[] }): Record<string, string> {
  const env: Record<string, string> = {
    CODEARTIFACT_AUTH_TOKEN: input.token,
    CODEARTIFACT_DOMAIN: input.domain,
    CODEARTIFACT_REPOSITORY: input.repository,
  };
  if (input.domainOwner) env.CODEARTIFACT_DOMAIN_OWNER = input.domainOwner;
  for (const [f, url] of Object.entries(input.endpoints)) if (url) env[`CODEARTIFACT_ENDPOINT_${f.toUpperCase()}`] = url;
  return { ...env, ...toolEnvironment(input) };
}
