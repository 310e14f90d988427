// Tool detection on temp folders and where each tool's user config lives.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectTools, mergeDetections } from '../../../src/core/tools';
import { resolveLocations } from '../../../src/core/login/locations';

void describe('detectTools', () => {
  let root: string;
  const folder = (name: string, files: string[]) => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    for (const f of files) writeFileSync(join(d, f), '');
    return d;
  };
  before(() => (root = mkdtempSync(join(tmpdir(), 'ca-detect-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  void it('finds each tool from its files', async () => {
    assert.deepEqual((await detectTools(folder('npm', ['package.json', 'package-lock.json']))).tools, ['npm']);
    // npm is the default client: a package.json without another client's lockfile is an npm project.
    assert.deepEqual((await detectTools(folder('pkgonly', ['package.json']))).tools, ['npm']);
    assert.deepEqual((await detectTools(folder('pnpm', ['package.json', 'pnpm-lock.yaml']))).tools, ['pnpm']);
    const berry = await detectTools(folder('berry', ['package.json', 'yarn.lock', '.yarnrc.yml']));
    assert.deepEqual([berry.tools, berry.reasons.yarn], [['yarn'], ['yarn.lock', '.yarnrc.yml']]);
    assert.deepEqual((await detectTools(folder('classic', ['yarn.lock']))).tools, ['yarn']);
    assert.deepEqual((await detectTools(folder('mvn', ['pom.xml']))).tools, ['maven']);
    assert.deepEqual((await detectTools(folder('gradle', ['settings.gradle.kts']))).tools, ['gradle']);
    const py = await detectTools(folder('py', ['requirements-dev.txt', 'pyproject.toml']));
    assert.deepEqual(py.tools, ['pip', 'twine']);
    assert.deepEqual(py.reasons.pip, ['pyproject.toml', 'requirements-dev.txt']);
    assert.deepEqual((await detectTools(join(root, 'missing'))).tools, []);
  });

  void it('merges multi-root folders', async () => {
    const m = mergeDetections([await detectTools(join(root, 'mvn')), await detectTools(join(root, 'classic')), await detectTools(join(root, 'berry'))]);
    assert.deepEqual(m.tools, ['yarn', 'maven']);
    assert.deepEqual(m.reasons.yarn, ['yarn.lock', '.yarnrc.yml']);
  });
});

void describe('resolveLocations', () => {
  void it('uses the defaults under home', () => {
    assert.deepEqual(resolveLocations({ home: '/h', env: {} }), {
      npmrc: '/h/.npmrc',
      yarnrc: '/h/.yarnrc.yml',
      pipConf: '/h/.config/pip/pip.conf',
      pypirc: '/h/.pypirc',
      mavenSettings: '/h/.m2/settings.xml',
      gradleInitDir: '/h/.gradle/init.d',
    });
  });

  void it('honours the environment variables each tool honours', () => {
    const l = resolveLocations({ home: '/h', env: { NPM_CONFIG_USERCONFIG: '~/x/npmrc', XDG_CONFIG_HOME: '/xdg', GRADLE_USER_HOME: '/gh', YARN_RC_FILENAME: '.yarnrc-ci.yml' } });
    assert.equal(l.npmrc, '/h/x/npmrc');
    assert.equal(l.pipConf, '/xdg/pip/pip.conf');
    assert.equal(l.gradleInitDir, '/gh/init.d');
    assert.equal(l.yarnrc, '/h/.yarnrc-ci.yml');
    assert.equal(resolveLocations({ home: '/h', env: { Npm_Config_UserConfig: '/n' } }).npmrc, '/n');
    assert.equal(resolveLocations({ home: '/h', env: { PIP_CONFIG_FILE: '/p.ini', XDG_CONFIG_HOME: '/xdg' } }).pipConf, '/p.ini');
    assert.equal(resolveLocations({ home: '/h', env: { PIP_CONFIG_FILE: '/dev/null' } }).pipConf, null);
    assert.equal(resolveLocations({ home: '/h', env: { XDG_CONFIG_HOME: '  ' } }).pipConf, '/h/.config/pip/pip.conf');
    assert.equal(resolveLocations({ home: '/h', env: {}, platform: 'darwin', exists: () => true }).pipConf, '/h/Library/Application Support/pip/pip.conf');
    assert.equal(resolveLocations({ home: '/h', env: {}, platform: 'darwin', exists: () => false }).pipConf, '/h/.config/pip/pip.conf');
  });
});
