// Windows command resolution, checked with Windows path rules on any OS: a configured `mvn` finds `mvn.cmd`
// through PATHEXT, a bare name never resolves in the workspace folder (where a cloned repository could plant an
// `npm.cmd`), an explicit relative path (the project's `.\mvnw.cmd`) does.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveWindowsCommand } from '../../../src/core/install/processTree';

const WS = 'C:\\work\\repo';
/** A Windows disk with these files (case-insensitive, as NTFS is). */
const disk = (...files: string[]) => {
  const set = new Set(files.map((f) => f.toLowerCase()));
  return (p: string) => set.has(p.toLowerCase());
};
const env = { Path: 'C:\\Program Files\\nodejs;C:\\tools\\maven\\bin;C:\\Windows\\system32', PATHEXT: '.COM;.EXE;.BAT;.CMD' };

void describe('resolveWindowsCommand', () => {
  void it('finds mvn.cmd and npm.cmd through PATHEXT, in PATH order', () => {
    const fs = disk('C:\\tools\\maven\\bin\\mvn.cmd', 'C:\\Program Files\\nodejs\\npm.cmd', 'C:\\Program Files\\nodejs\\node.exe', 'C:\\Windows\\system32\\where.exe');
    assert.equal(resolveWindowsCommand('mvn', env, WS, fs), 'C:\\tools\\maven\\bin\\mvn.cmd');
    assert.equal(resolveWindowsCommand('npm', env, WS, fs), 'C:\\Program Files\\nodejs\\npm.cmd');
    assert.equal(resolveWindowsCommand('npm.cmd', env, WS, fs), 'C:\\Program Files\\nodejs\\npm.cmd');
    assert.equal(resolveWindowsCommand('NODE', env, WS, fs), 'C:\\Program Files\\nodejs\\NODE.exe', 'found as the disk has it, named as asked');
    assert.equal(resolveWindowsCommand('gradle', env, WS, fs), undefined);
  });

  void it('PATHEXT order decides between mvn.exe and mvn.cmd in one folder; PATH and PATHEXT names are case-insensitive', () => {
    const fs = disk('C:\\tools\\maven\\bin\\mvn.cmd', 'C:\\tools\\maven\\bin\\mvn.exe');
    assert.equal(resolveWindowsCommand('mvn', env, WS, fs), 'C:\\tools\\maven\\bin\\mvn.exe');
    assert.equal(resolveWindowsCommand('mvn', { PATH: 'C:\\tools\\maven\\bin', pathext: '.CMD;.EXE' }, WS, fs), 'C:\\tools\\maven\\bin\\mvn.cmd');
    assert.equal(resolveWindowsCommand('mvn', { PATH: 'C:\\tools\\maven\\bin' }, WS, fs), 'C:\\tools\\maven\\bin\\mvn.exe', 'no PATHEXT: the Windows default');
  });

  void it('a bare name never resolves in the workspace folder, even when PATH lists "." or a relative folder', () => {
    const planted = disk(`${WS}\\npm.cmd`, `${WS}\\bin\\npm.cmd`, 'C:\\Program Files\\nodejs\\npm.cmd');
    for (const p of [env.Path, `.;${env.Path}`, `bin;${env.Path}`, `;${env.Path}`]) {
      assert.equal(resolveWindowsCommand('npm', { PATH: p }, WS, planted), 'C:\\Program Files\\nodejs\\npm.cmd', p);
    }
    assert.equal(resolveWindowsCommand('npm', { PATH: '.;bin' }, WS, planted), undefined);
  });

  void it('an explicit path is taken relative to the project folder; quoted PATH entries and UNC folders work', () => {
    const fs = disk(`${WS}\\mvnw.cmd`, 'D:\\jdk\\bin\\java.exe', '\\\\server\\share\\tools\\pip.exe');
    assert.equal(resolveWindowsCommand('.\\mvnw.cmd', env, WS, fs), `${WS}\\mvnw.cmd`);
    assert.equal(resolveWindowsCommand('./mvnw', env, WS, fs), `${WS}\\mvnw.cmd`);
    assert.equal(resolveWindowsCommand('D:\\jdk\\bin\\java', env, WS, fs), 'D:\\jdk\\bin\\java.exe');
    assert.equal(resolveWindowsCommand('java', { PATH: '"D:\\jdk\\bin"' }, WS, fs), 'D:\\jdk\\bin\\java.exe');
    assert.equal(resolveWindowsCommand('pip', { PATH: '\\\\server\\share\\tools' }, WS, fs), '\\\\server\\share\\tools\\pip.exe');
  });

  void it('a name with an extension outside PATHEXT is not run', () => {
    const fs = disk('C:\\tools\\maven\\bin\\mvn.ps1', 'C:\\tools\\maven\\bin\\mvn.ps1.cmd');
    assert.equal(resolveWindowsCommand('mvn', env, WS, fs), undefined);
    assert.equal(resolveWindowsCommand('mvn.ps1', env, WS, fs), 'C:\\tools\\maven\\bin\\mvn.ps1.cmd');
  });
});
