import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installCommand, splitCommandLine } from '../../../src/core/install/commands';
import { detectInstallTool } from '../../../src/core/tools';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function project(files: string[]): string {
  const d = mkdtempSync(join(tmpdir(), 'cmd-'));
  dirs.push(d);
  for (const f of files) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), '');
  }
  return d;
}

describe('install commands', () => {
  it('npm ci with a lockfile, npm install without', () => {
    assert.deepEqual(installCommand(project(['package.json', 'package-lock.json']), 'npm').args, ['ci']);
    assert.deepEqual(installCommand(project(['package.json']), 'npm').args, ['install']);
  });
  it('maven always passes -U (Maven caches a 404 otherwise) and prefers ./mvnw', () => {
    const c = installCommand(project(['pom.xml']), 'maven', { platform: 'linux' });
    assert.equal(c.file, 'mvn');
    assert.deepEqual(c.args, ['-B', '-U', 'dependency:resolve-plugins', 'dependency:resolve']);
    assert.equal(installCommand(project(['pom.xml', 'mvnw']), 'maven', { platform: 'linux' }).file, './mvnw');
  });
  it('gradle: the wrapper when present', () => {
    assert.equal(installCommand(project(['build.gradle']), 'gradle', { platform: 'linux' }).file, 'gradle');
    const w = installCommand(project(['build.gradle', 'gradlew']), 'gradle', { platform: 'linux' });
    assert.equal(w.file, './gradlew');
    assert.deepEqual(w.args, ['dependencies', '--refresh-dependencies', '--console=plain']);
    assert.equal(installCommand(project(['build.gradle', 'gradlew.bat']), 'gradle', { platform: 'win32' }).file, '.\\gradlew.bat');
  });
  it('pip: requirements.txt, a log file outside the project, the project venv when present', () => {
    const d = project(['requirements.txt', '.venv/bin/python']);
    const c = installCommand(d, 'pip', { platform: 'linux', logDir: '/tmp' });
    assert.equal(c.file, join(d, '.venv/bin/python'));
    assert.deepEqual(c.args.slice(0, 4), ['-m', 'pip', 'install', '--no-input']);
    assert.ok(c.logFile?.startsWith('/tmp/codeartifact-pip-'));
    assert.ok(c.args.includes(c.logFile!));
  });
  it('a configured command line replaces the default; quotes group', () => {
    const c = installCommand(project(['pom.xml']), 'maven', { configured: 'mvn -B -Pci "-Dfoo=a b" verify' });
    assert.equal(c.file, 'mvn');
    assert.deepEqual(c.args, ['-B', '-Pci', '-Dfoo=a b', 'verify']);
    assert.throws(() => splitCommandLine('mvn "oops'), /unclosed/);
  });
  it('detects the tool from the files', () => {
    assert.equal(detectInstallTool(project(['package.json', 'yarn.lock'])), 'yarn');
    assert.equal(detectInstallTool(project(['pnpm-lock.yaml', 'package.json'])), 'pnpm');
    assert.equal(detectInstallTool(project(['settings.gradle.kts'])), 'gradle');
    assert.equal(detectInstallTool(project(['requirements.txt'])), 'pip');
    assert.equal(detectInstallTool(project([])), undefined);
  });
});
