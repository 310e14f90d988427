// The `aws sso login` line the "Sign in with AWS SSO" fix types into a terminal, quoted for the shell that
// terminal runs: POSIX shells (bash, zsh, fish's compatible subset), PowerShell and cmd.exe quote differently,
// and a profile name is user text.

export type TerminalShell = 'posix' | 'powershell' | 'cmd';

/** The shell a terminal runs, from its executable path (VS Code's `env.shell`); unknown: the platform default. */
export function terminalShellKind(shellPath: string | undefined, platform: NodeJS.Platform): TerminalShell {
  const name = (shellPath ?? '')
    .split(/[\\/]/)
    .pop()!
    .toLowerCase()
    .replace(/\.exe$/, '');
  if (name === 'pwsh' || name === 'powershell') return 'powershell';
  if (name === 'cmd') return 'cmd';
  if (name === '') return platform === 'win32' ? 'powershell' : 'posix';
  return 'posix';
}

const PLAIN = /^[A-Za-z0-9._-]+$/;

/** `value` as one argument for `shell`; throws when that shell cannot pass it through unchanged. */
export function quoteForShell(value: string, shell: TerminalShell): string {
  if ([...value].some((c) => c < ' ' || c === '\x7f')) throw new Error(`"${JSON.stringify(value).slice(1, -1)}" has a control character and cannot be typed into a terminal`);
  if (PLAIN.test(value)) return value;
  switch (shell) {
    case 'posix':
      // Single quotes take everything literally; a single quote itself is closed, escaped and reopened.
      return `'${value.replace(/'/g, `'\\''`)}'`;
    case 'powershell':
      // Windows PowerShell 5.1 drops or splits embedded double quotes when it passes arguments to a program.
      if (value.includes('"')) throw new Error(`${value}: PowerShell cannot pass a double quote to aws; rename the profile`);
      // Single-quoted: literal ($ and ` too); each kind of single quote PowerShell knows is doubled.
      return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
    case 'cmd':
      // Inside double quotes cmd.exe takes & | < > ^ literally but still expands %VAR% (and !VAR! with delayed
      // expansion), and a double quote cannot be escaped at all.
      if (/["%!]/.test(value)) throw new Error(`${value}: cmd.exe cannot pass " % or ! to aws unchanged; rename the profile or use PowerShell`);
      return `"${value}"`;
  }
}

export function ssoLoginCommandLine(profile: string, shell: TerminalShell): string {
  return `aws sso login --profile ${quoteForShell(profile, shell)}`;
}
