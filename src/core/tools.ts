// The tool catalogue: for each package tool the extension knows, which package format it speaks, which user
// config file login writes for it, and how a project folder shows that it uses it. Login (which files to
// write) and install with retry (which command to run) both detect tools here, with the same rules.
import { readdirSync } from 'node:fs';
import type { ToolFormat } from './coordinates';

export const TOOL_IDS = ['npm', 'pnpm', 'yarn', 'pip', 'twine', 'maven', 'gradle'] as const;
export type ToolId = (typeof TOOL_IDS)[number];

/** The tools install with retry can run (twine publishes, it does not install). */
export type InstallTool = Exclude<ToolId, 'twine'>;

/** The user-level config file login writes (see loginPlan.ts). */
export type LoginTarget = 'npmrc' | 'yarnrc' | 'pipConf' | 'pypirc' | 'mavenSettings' | 'gradleInit';

interface ToolInfo {
  format: ToolFormat;
  /** The file login writes for this tool (Yarn 1 also reads ~/.npmrc: see targetsFor in loginPlan.ts). */
  target: LoginTarget;
}

const CATALOGUE: Record<ToolId, ToolInfo> = {
  npm: { format: 'npm', target: 'npmrc' },
  pnpm: { format: 'npm', target: 'npmrc' },
  yarn: { format: 'npm', target: 'yarnrc' },
  pip: { format: 'pypi', target: 'pipConf' },
  twine: { format: 'pypi', target: 'pypirc' },
  maven: { format: 'maven', target: 'mavenSettings' },
  gradle: { format: 'maven', target: 'gradleInit' },
};

export function isToolId(s: string): s is ToolId {
  return (TOOL_IDS as readonly string[]).includes(s);
}

function toolFormat(tool: ToolId): ToolFormat {
  return CATALOGUE[tool].format;
}

export function toolTarget(tool: ToolId): LoginTarget {
  return CATALOGUE[tool].target;
}

/** The repository endpoint formats a set of tools needs, each once. */
export function formatsOf(tools: readonly ToolId[]): ToolFormat[] {
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
 * setup.py) use pip to install and twine to publish.
 */
function detectIn(names: readonly string[]): Detection {
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

/** The tools a workspace folder uses (none when the folder cannot be read). */
export async function detectTools(folder: string): Promise<Detection> {
  return Promise.resolve(detectIn(filesIn(folder)));
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
