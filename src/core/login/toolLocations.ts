// Where NuGet, SwiftPM, Cargo, RubyGems, Poetry and uv read their user-level config (and where pip and SwiftPM
// read ~/.netrc), from explicit home / env / platform like locations.ts, so tests can try every OS's rules.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve, win32, posix } from 'node:path';
import { getEnvCaseInsensitive, type LocationInputs } from './locations';

function env(i: LocationInputs, name: string): string | undefined {
  const v = (i.platform ?? 'linux') === 'win32' ? getEnvCaseInsensitive(i.env, name) : i.env[name];
  return v === '' ? undefined : v;
}

/** Path joining by the target OS's rules (tests compute Windows paths on Linux). */
function joiner(i: LocationInputs): (...parts: string[]) => string {
  if (i.platform === undefined) return join;
  return i.platform === 'win32' ? win32.join : posix.join;
}

function absolute(i: LocationInputs, p: string): string {
  return isAbsolute(p) || win32.isAbsolute(p) ? p : resolve(i.cwd ?? i.home, p);
}

/** NuGet's user config: %APPDATA%\NuGet\NuGet.Config on Windows, ~/.nuget/NuGet/NuGet.Config elsewhere. */
export function nugetConfigPath(i: LocationInputs): string {
  const j = joiner(i);
  if ((i.platform ?? 'linux') === 'win32') return j(env(i, 'APPDATA') ?? j(i.home, 'AppData', 'Roaming'), 'NuGet', 'NuGet.Config');
  return j(i.home, '.nuget', 'NuGet', 'NuGet.Config');
}

/** ~/.netrc, the file `aws codeartifact login --tool swift` writes and pip (through requests) reads too. */
export function netrcPath(i: LocationInputs): string {
  return joiner(i)(i.home, '.netrc');
}

/** $CARGO_HOME/config.toml (default ~/.cargo/config.toml, %USERPROFILE%\.cargo\config.toml on Windows). */
export function cargoConfigPath(i: LocationInputs): string {
  const j = joiner(i);
  const home = env(i, 'CARGO_HOME');
  return j(home ? absolute(i, home) : j(i.home, '.cargo'), 'config.toml');
}

/**
 * RubyGems' credentials file: ~/.gem/credentials when it exists, else $XDG_DATA_HOME/gem/credentials (default
 * ~/.local/share/gem/credentials), which is where RubyGems 3.3+ looks when there is no ~/.gem/credentials.
 */
export function gemCredentialsPath(i: LocationInputs): string {
  const j = joiner(i);
  const exists = i.exists ?? existsSync;
  const legacy = j(i.home, '.gem', 'credentials');
  if (exists(legacy)) return legacy;
  const data = env(i, 'XDG_DATA_HOME');
  return j(data ? absolute(i, data) : j(i.home, '.local', 'share'), 'gem', 'credentials');
}

/** Poetry's config.toml: $POETRY_CONFIG_DIR, else the platformdirs user config folder `pypoetry`. */
export function poetryConfigPath(i: LocationInputs): string {
  const j = joiner(i);
  const dir = env(i, 'POETRY_CONFIG_DIR');
  if (dir) return j(absolute(i, dir), 'config.toml');
  const platform = i.platform ?? 'linux';
  if (platform === 'win32') return j(env(i, 'APPDATA') ?? j(i.home, 'AppData', 'Roaming'), 'pypoetry', 'config.toml');
  if (platform === 'darwin') return j(i.home, 'Library', 'Application Support', 'pypoetry', 'config.toml');
  const xdg = env(i, 'XDG_CONFIG_HOME');
  return j(xdg ? absolute(i, xdg) : j(i.home, '.config'), 'pypoetry', 'config.toml');
}

/** uv's user uv.toml: $UV_CONFIG_FILE, else $XDG_CONFIG_HOME/uv/uv.toml or ~/.config/uv/uv.toml, %APPDATA%\uv\uv.toml on Windows. */
export function uvConfigPath(i: LocationInputs): string {
  const j = joiner(i);
  const file = env(i, 'UV_CONFIG_FILE');
  if (file) return absolute(i, file);
  if ((i.platform ?? 'linux') === 'win32') return j(env(i, 'APPDATA') ?? j(i.home, 'AppData', 'Roaming'), 'uv', 'uv.toml');
  const xdg = env(i, 'XDG_CONFIG_HOME');
  return j(xdg ? absolute(i, xdg) : j(i.home, '.config'), 'uv', 'uv.toml');
}

/** SwiftPM's registries.json: the project's (`swift package-registry set`), or the user-level one (`--global`). */
export function swiftRegistriesPath(i: LocationInputs, projectFolder?: string): string {
  const j = joiner(i);
  return j(projectFolder ?? i.home, '.swiftpm', 'configuration', 'registries.json');
}
