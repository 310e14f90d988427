// Which command installs a project's dependencies, per tool. Returned as argv (no shell) so nothing
// the user cannot see is interpreted, and so the token can only travel in the environment.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstallTool } from '../tools';

export interface InstallCommand {
  tool: InstallTool;
  file: string;
  args: string[];
  cwd: string;
  /** For the terminal header: what runs, e.g. `npm ci`. */
  display: string;
  /**
   * A log file the tool writes beside its terminal output (pip `--log`), read by the classifier:
   * pip only says why an index page failed ("404 Client Error: Ingestion is in progress") at debug
   * level, which would flood the terminal. Outside the workspace; removed after the run.
   */
  logFile?: string;
}

export interface CommandOptions {
  /** `codeartifact.install.commands[tool]`: a command line that replaces the default. */
  configured?: string;
  /** Folder for the pip log file (default: the OS temp folder). */
  logDir?: string;
  platform?: NodeJS.Platform;
}

/** Splits a command line into argv: whitespace separates, single/double quotes group, no expansion. */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let has = false;
  for (const c of line.trim()) {
    if (quote) {
      if (c === quote) quote = '';
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (quote) throw new Error(`unclosed ${quote} in command "${line}"`);
  if (has || cur) out.push(cur);
  return out;
}

export function installCommand(folder: string, tool: InstallTool, opts: CommandOptions = {}): InstallCommand {
  const win = (opts.platform ?? process.platform) === 'win32';
  const has = (f: string) => existsSync(join(folder, f));
  const make = (file: string, args: string[]): InstallCommand => ({
    tool,
    file,
    args,
    cwd: folder,
    display: [file, ...args].map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' '),
  });
  if (opts.configured?.trim()) {
    const [file, ...args] = splitCommandLine(opts.configured);
    return make(file, args);
  }
  const cmd = (name: string) => (win ? `${name}.cmd` : name);
  switch (tool) {
    case 'npm':
      // `npm ci` installs exactly the lockfile (and fails without one), `npm install` resolves.
      return make(cmd('npm'), has('package-lock.json') || has('npm-shrinkwrap.json') ? ['ci'] : ['install']);
    case 'pnpm':
      return make(cmd('pnpm'), ['install']);
    case 'yarn':
      return make(cmd('yarn'), ['install']);
    case 'maven': {
      // -U: Maven caches a 404 in the local repository ("resolution will not be reattempted until the
      // update interval has elapsed"), so without it a retry after ingestion would not ask again.
      const file = has(win ? 'mvnw.cmd' : 'mvnw') ? (win ? '.\\mvnw.cmd' : './mvnw') : cmd('mvn');
      return make(file, ['-B', '-U', 'dependency:resolve-plugins', 'dependency:resolve']);
    }
    case 'gradle': {
      const file = has(win ? 'gradlew.bat' : 'gradlew') ? (win ? '.\\gradlew.bat' : './gradlew') : win ? 'gradle.bat' : 'gradle';
      return make(file, ['dependencies', '--refresh-dependencies', '--console=plain']);
    }
    case 'pip': {
      // A project virtualenv is what the user means by "pip" in that folder. --no-input: a 401 must
      // fail, not prompt for a password nobody will type.
      const venvPython = win ? join(folder, '.venv', 'Scripts', 'python.exe') : join(folder, '.venv', 'bin', 'python');
      const logFile = join(opts.logDir ?? tmpdir(), `codeartifact-pip-${process.pid}-${randomBytes(4).toString('hex')}.log`);
      const args = ['install', '--no-input', '--log', logFile, '-r', 'requirements.txt'];
      const c = existsSync(venvPython) ? make(venvPython, ['-m', 'pip', ...args]) : make(win ? 'pip.exe' : 'pip', args);
      return { ...c, logFile };
    }
  }
}
