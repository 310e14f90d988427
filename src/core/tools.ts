// The tool catalogue: for each package tool the extension knows, which package format it speaks, which user
// config file login writes for it, and how a project folder shows that it uses it. Login (which files to
// write) and install with retry (which command to run) both detect tools here, with the same rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageFormat } from './coordinates';

export const TOOL_IDS = ['npm', 'pnpm', 'yarn', 'pip', 'twine', 'poetry', 'uv', 'maven', 'gradle', 'nuget', 'dotnet', 'swift', 'cargo', 'gem', 'bundler'] as const;
export type ToolId = (typeof TOOL_IDS)[number];

/** The tools install with retry can run. */
export type InstallTool = 'npm' | 'pnpm' | 'yarn' | 'pip' | 'maven' | 'gradle';

/** The repository formats login can configure a tool for (generic packages have no client). */
export type LoginFormat = Exclude<PackageFormat, 'generic'>;

/** The user-level config file login writes (see loginPlan.ts). */
export type LoginTarget =
  | 'npmrc'
  | 'yarnrc'
  | 'pipConf'
  | 'pypirc'
  | 'mavenSettings'
  | 'gradleInit'
  | 'nugetConfig'
  | 'swiftRegistries'
  | 'netrc'
  | 'cargoConfig'
  | 'gemCredentials'
  | 'poetryConfig'
  | 'uvConfig';

interface ToolInfo {
  format: LoginFormat;
  /**
   * The file login writes for this tool (Yarn 1 also reads ~/.npmrc, Swift and pip in netrc mode also ~/.netrc:
   * see targetsFor in loginPlan.ts). None for Bundler: its credential reaches it through the terminal environment.
   */
  target?: LoginTarget;
}

const CATALOGUE: Record<ToolId, ToolInfo> = {
  npm: { format: 'npm', target: 'npmrc' },
  pnpm: { format: 'npm', target: 'npmrc' },
  yarn: { format: 'npm', target: 'yarnrc' },
  pip: { format: 'pypi', target: 'pipConf' },
  twine: { format: 'pypi', target: 'pypirc' },
  poetry: { format: 'pypi', target: 'poetryConfig' },
  uv: { format: 'pypi', target: 'uvConfig' },
  maven: { format: 'maven', target: 'mavenSettings' },
  gradle: { format: 'maven', target: 'gradleInit' },
  nuget: { format: 'nuget', target: 'nugetConfig' },
  dotnet: { format: 'nuget', target: 'nugetConfig' },
  swift: { format: 'swift', target: 'swiftRegistries' },
  cargo: { format: 'cargo', target: 'cargoConfig' },
  gem: { format: 'ruby', target: 'gemCredentials' },
  bundler: { format: 'ruby' },
};

export function isToolId(s: string): s is ToolId {
  return (TOOL_IDS as readonly string[]).includes(s);
}

function toolFormat(tool: ToolId): LoginFormat {
  return CATALOGUE[tool].format;
}

export function toolTarget(tool: ToolId): LoginTarget | undefined {
  return CATALOGUE[tool].target;
}

/** The repository endpoint formats a set of tools needs, each once. */
export function formatsOf(tools: readonly ToolId[]): LoginFormat[] {
  return [...new Set(tools.map(toolFormat))];
}

// ---- detection ---------------------------------------------------------------------------------

export interface Detection {
  tools: ToolId[];
  /** Why each tool was detected: the file names that triggered it. */
  reasons: Partial<Record<ToolId, string[]>>;
}

function sortTools(tools: Iterable<ToolId>): ToolId[] {
  const set = new Set(tools);
  return TOOL_IDS.filter((t) => set.has(t));
}

const NPM_LOCKS = ['package-lock.json', 'npm-shrinkwrap.json'];
const GRADLE_FILES = ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'];

/**
 * The tools a folder uses, from the names of the files at its root. Each lockfile names the client that wrote
 * it (pnpm-lock.yaml, yarn.lock, package-lock.json / npm-shrinkwrap.json). A package.json without the lockfile
 * of another client means npm: npm is the default client, and a project that has not installed yet (no lockfile)
 * is still an npm project to log in for and install. Python projects (requirements*.txt, pyproject.toml,
 * setup.py) use pip to install and twine to publish; Poetry and uv projects show by their lockfile or their
 * `[tool.poetry]` / `[tool.uv]` table in pyproject.toml (`readText` reads a root file; none: names only). .NET
 * projects by a `*.csproj` / `*.fsproj` / `*.vbproj`, `packages.config` or `nuget.config` (NuGet and dotnet),
 * Swift by Package.swift, Rust by Cargo.toml, Ruby by a Gemfile (Bundler installs, gem publishes) or a `*.gemspec`.
 */
function detectIn(names: readonly string[], readText: (name: string) => string = () => ''): Detection {
  const has = (n: string) => names.includes(n);
  const reasons: Partial<Record<ToolId, string[]>> = {};
  const add = (t: ToolId, why: string[]) => {
    if (why.length > 0) reasons[t] = [...(reasons[t] ?? []), ...why];
  };
  const npmLocks = NPM_LOCKS.filter(has);
  const otherLock = has('pnpm-lock.yaml') || has('yarn.lock');
  if (npmLocks.length || (has('package.json') && !otherLock)) add('npm', [...(has('package.json') ? ['package.json'] : []), ...npmLocks]);
  if (has('pnpm-lock.yaml')) add('pnpm', ['pnpm-lock.yaml']);
  if (has('yarn.lock')) add('yarn', has('.yarnrc.yml') ? ['yarn.lock', '.yarnrc.yml'] : ['yarn.lock']);
  if (has('pom.xml')) add('maven', ['pom.xml']);
  add('gradle', GRADLE_FILES.filter(has));
  const python = names.filter((n) => /^requirements.*\.txt$/.test(n) || n === 'pyproject.toml' || n === 'setup.py').sort();
  add('pip', python);
  add('twine', python);
  const pyproject = has('pyproject.toml') ? readText('pyproject.toml') : '';
  add('poetry', [...(has('poetry.lock') ? ['poetry.lock'] : []), ...(/^\[tool\.poetry[\].]/m.test(pyproject) ? ['pyproject.toml [tool.poetry]'] : [])]);
  add('uv', [...(has('uv.lock') ? ['uv.lock'] : []), ...(/^\[tool\.uv[\].]/m.test(pyproject) ? ['pyproject.toml [tool.uv]'] : [])]);
  const dotnet = names.filter((n) => /\.(cs|fs|vb)proj$/i.test(n) || /^(packages\.config|nuget\.config)$/i.test(n)).sort();
  add('nuget', dotnet);
  add('dotnet', dotnet);
  if (has('Package.swift')) add('swift', ['Package.swift']);
  if (has('Cargo.toml')) add('cargo', ['Cargo.toml']);
  const gemspecs = names.filter((n) => n.endsWith('.gemspec')).sort();
  if (has('Gemfile')) add('bundler', ['Gemfile']);
  add('gem', [...(has('Gemfile') ? ['Gemfile'] : []), ...gemspecs]);
  return { tools: sortTools(Object.keys(reasons) as ToolId[]), reasons };
}

/** The names of the files (and links) at a folder's root; none when it cannot be read. */
function filesIn(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((d) => d.isFile() || d.isSymbolicLink())
      .map((d) => d.name);
  } catch {
    return [];
  }
}

/** A small text file's content ('' when it cannot be read or is over 1 MB: detection never fails on it). */
function readSmall(path: string): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text.length > 1_000_000 ? '' : text;
  } catch {
    return '';
  }
}

/** The tools a workspace folder uses (none when the folder cannot be read). */
export async function detectTools(folder: string): Promise<Detection> {
  return Promise.resolve(detectIn(filesIn(folder), (name) => readSmall(join(folder, name))));
}

/** Union of several folders' detections (multi-root workspaces). */
export function mergeDetections(ds: readonly Detection[]): Detection {
  const reasons: Partial<Record<ToolId, string[]>> = {};
  for (const d of ds) {
    for (const [t, why] of Object.entries(d.reasons) as [ToolId, string[]][]) {
      reasons[t] = [...new Set([...(reasons[t] ?? []), ...why])];
    }
  }
  return { tools: sortTools(Object.keys(reasons) as ToolId[]), reasons };
}

/**
 * Which detected tool installs the folder: the most specific lockfile first (pnpm, then Yarn, then npm), then
 * Maven, Gradle, and pip when there is a requirements.txt (the file `pip install -r` reads).
 */
const INSTALL_ORDER: readonly InstallTool[] = ['pnpm', 'yarn', 'npm', 'maven', 'gradle', 'pip'];

export function detectInstallTool(folder: string): InstallTool | undefined {
  const d = detectIn(filesIn(folder));
  return INSTALL_ORDER.find((t) => d.reasons[t] && (t !== 'pip' || d.reasons.pip?.includes('requirements.txt')));
}
