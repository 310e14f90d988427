// Where each tool itself looks for its user-level config. Everything is derived from explicit inputs
// (home, env, platform) so tests run against temp folders and the VS Code layer passes process values.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { devNull } from 'node:os';

export type Env = Readonly<Record<string, string | undefined>>;

export interface LocationInputs {
  home: string;
  env: Env;
  /** process.platform; default 'linux'. */
  platform?: NodeJS.Platform;
  /** Used to resolve relative paths given in env vars; default home. */
  cwd?: string;
  /** Existence check (pip on macOS picks a folder only if it exists); default fs.existsSync. */
  exists?: (path: string) => boolean;
}

export interface ToolLocations {
  /** npm, pnpm and Yarn 1 user config. */
  npmrc: string;
  /** Yarn berry home rc file. */
  yarnrc: string;
  /** pip's user config file (or PIP_CONFIG_FILE), null when PIP_CONFIG_FILE disables config (os.devNull). */
  pipConf: string | null;
  /** twine. */
  pypirc: string;
  mavenSettings: string;
  gradleInitDir: string;
}

/** Env lookup that ignores case, as npm does for npm_config_* (and as Windows does for every name). */
export function getEnvCaseInsensitive(env: Env, name: string): string | undefined {
  if (env[name] !== undefined) return env[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(env)) {
    if (k.toLowerCase() === lower && v !== undefined) return v;
  }
  return undefined;
}

function getEnv(env: Env, name: string, platform: NodeJS.Platform): string | undefined {
  const v = platform === 'win32' ? getEnvCaseInsensitive(env, name) : env[name];
  return v === '' ? undefined : v;
}

function expandPath(p: string, home: string, cwd: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return join(home, p.slice(2));
  return isAbsolute(p) ? p : resolve(cwd, p);
}

export function npmUserConfigPath(i: LocationInputs): string {
  const v = getEnvCaseInsensitive(i.env, 'npm_config_userconfig');
  return v ? expandPath(v, i.home, i.cwd ?? i.home) : join(i.home, '.npmrc');
}

/** Yarn berry reads `${home}/${YARN_RC_FILENAME ?? '.yarnrc.yml'}`. */
export function yarnrcPath(i: LocationInputs): string {
  const name = getEnv(i.env, 'YARN_RC_FILENAME', i.platform ?? 'linux');
  return join(i.home, name && !name.includes('/') && !name.includes('\\') ? name : '.yarnrc.yml');
}

/**
 * The file `pip config set` (user scope) writes and pip reads last: PIP_CONFIG_FILE if set, else the
 * platformdirs user config dir: $XDG_CONFIG_HOME/pip/pip.conf (default ~/.config/pip/pip.conf) on Linux,
 * ~/Library/Application Support/pip/pip.conf on macOS when that folder exists, %APPDATA%\pip\pip.ini on Windows.
 */
export function pipConfigPath(i: LocationInputs): string | null {
  const platform = i.platform ?? 'linux';
  const exists = i.exists ?? existsSync;
  const fromEnv = getEnv(i.env, 'PIP_CONFIG_FILE', platform);
  if (fromEnv !== undefined) {
    if (fromEnv === devNull || fromEnv.toLowerCase() === 'nul') return null;
    return expandPath(fromEnv, i.home, i.cwd ?? i.home);
  }
  if (platform === 'win32') {
    const appData = getEnv(i.env, 'APPDATA', platform) ?? join(i.home, 'AppData', 'Roaming');
    return join(appData, 'pip', 'pip.ini');
  }
  if (platform === 'darwin') {
    const appSupport = join(i.home, 'Library', 'Application Support', 'pip');
    if (exists(appSupport)) return join(appSupport, 'pip.conf');
    return join(i.home, '.config', 'pip', 'pip.conf');
  }
  const xdg = getEnv(i.env, 'XDG_CONFIG_HOME', platform)?.trim();
  // platformdirs falls back to ~/.config when XDG_CONFIG_HOME is unset or blank.
  const base = xdg ? expandPath(xdg, i.home, i.cwd ?? i.home) : join(i.home, '.config');
  return join(base, 'pip', 'pip.conf');
}

export function gradleUserHome(i: LocationInputs): string {
  const v = getEnv(i.env, 'GRADLE_USER_HOME', i.platform ?? 'linux');
  return v ? expandPath(v, i.home, i.cwd ?? i.home) : join(i.home, '.gradle');
}

export function resolveLocations(i: LocationInputs): ToolLocations {
  return {
    npmrc: npmUserConfigPath(i),
    yarnrc: yarnrcPath(i),
    pipConf: pipConfigPath(i),
    pypirc: join(i.home, '.pypirc'),
    mavenSettings: join(i.home, '.m2', 'settings.xml'),
    gradleInitDir: join(gradleUserHome(i), 'init.d'),
  };
}
