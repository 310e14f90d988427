// `aws sso login --profile NAME` typed into the user's terminal: quoted for bash, PowerShell or cmd.exe. The POSIX
// form is checked by a real sh; the Windows forms by their quoting rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { quoteForShell, ssoLoginCommandLine, terminalShellKind } from '../../../src/core/aws/ssoLogin';

const NAMES = ['dev', 'my profile', "o'brien", 'a$HOME`x`', 'a;rm -rf ~', 'x&y|z<w>v^u', 'prod (eu)', '100%', 'wow!', 'say "hi"', 'ünï'];

void describe('aws sso login quoting', () => {
  void it('knows the shell from the terminal executable, and the platform default when there is none', () => {
    assert.equal(terminalShellKind('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'win32'), 'powershell');
    assert.equal(terminalShellKind('C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'win32'), 'powershell');
    assert.equal(terminalShellKind('/usr/bin/pwsh', 'linux'), 'powershell');
    assert.equal(terminalShellKind('C:\\Windows\\System32\\cmd.exe', 'win32'), 'cmd');
    assert.equal(terminalShellKind('C:\\Program Files\\Git\\bin\\bash.exe', 'win32'), 'posix');
    assert.equal(terminalShellKind('/bin/zsh', 'darwin'), 'posix');
    assert.equal(terminalShellKind('', 'win32'), 'powershell');
    assert.equal(terminalShellKind(undefined, 'linux'), 'posix');
  });

  void it('POSIX: a real sh receives every profile name as one unchanged argument', () => {
    for (const name of NAMES) {
      const line = ssoLoginCommandLine(name, 'posix');
      const r = spawnSync('sh', ['-c', `set -- ${line.replace(/^aws sso login --profile /, '')}; printf '%s\\n' "$#" "$1"`], { encoding: 'utf8' });
      assert.equal(r.stdout, `1\n${name}\n`, line);
    }
  });

  void it('PowerShell: single quotes, every kind of single quote doubled, $ and ` literal; a double quote refused', () => {
    assert.equal(ssoLoginCommandLine('dev', 'powershell'), 'aws sso login --profile dev');
    assert.equal(quoteForShell('my profile', 'powershell'), "'my profile'");
    assert.equal(quoteForShell("o'brien", 'powershell'), "'o''brien'");
    assert.equal(quoteForShell('o\u2019brien', 'powershell'), "'o\u2019\u2019brien'");
    assert.equal(quoteForShell('a$HOME`x`', 'powershell'), "'a$HOME`x`'");
    assert.equal(quoteForShell('a;rm -rf ~', 'powershell'), "'a;rm -rf ~'");
    assert.throws(() => quoteForShell('say "hi"', 'powershell'), /say "hi": PowerShell cannot pass a double quote/);
  });

  void it('cmd.exe: double quotes keep & | < > ^ ( ) literal; % ! and " cannot be passed and are refused', () => {
    assert.equal(ssoLoginCommandLine('dev', 'cmd'), 'aws sso login --profile dev');
    assert.equal(quoteForShell('x&y|z<w>v^u', 'cmd'), '"x&y|z<w>v^u"');
    assert.equal(quoteForShell('prod (eu)', 'cmd'), '"prod (eu)"');
    for (const bad of ['100%', 'wow!', 'say "hi"']) assert.throws(() => quoteForShell(bad, 'cmd'), /cmd\.exe cannot pass/);
  });

  void it('a control character (a newline would run a second command) is refused in every shell', () => {
    for (const shell of ['posix', 'powershell', 'cmd'] as const) assert.throws(() => quoteForShell('dev\nrm -rf ~', shell), /control character/);
  });
});
