// The tool catalogue: one detector for login and install, across folders with various lockfiles.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectInstallTool, detectTools, formatsOf, TOOL_IDS, type ToolId } from '../../../src/core/tools';

let root: string;
let n = 0;
before(() => (root = mkdtempSync(join(tmpdir(), 'ca-tools-'))));
after(() => rmSync(root, { recursive: true, force: true }));

function folder(files: string[]): string {
  const d = join(root, String(n++));
  mkdirSync(d, { recursive: true });
  for (const f of files) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), '');
  }
  return d;
}

/** What login offers and what install runs, for a folder holding `files`. */
async function both(files: string[]): Promise<{ login: ToolId[]; install: ToolId | undefined }> {
  const d = folder(files);
  return { login: (await detectTools(d)).tools, install: detectInstallTool(d) };
}

describe('detection: login and install agree', () => {
  // [files, tools login writes config for, tool install runs]
  const CASES: [string[], ToolId[], ToolId | undefined][] = [
    [['package.json'], ['npm'], 'npm'],
    [['package.json', 'package-lock.json'], ['npm'], 'npm'],
    [['package.json', 'npm-shrinkwrap.json'], ['npm'], 'npm'],
    [['package-lock.json'], ['npm'], 'npm'],
    [['package.json', 'pnpm-lock.yaml'], ['pnpm'], 'pnpm'],
    [['package.json', 'yarn.lock'], ['yarn'], 'yarn'],
    [['package.json', 'yarn.lock', '.yarnrc.yml'], ['yarn'], 'yarn'],
    // Two clients' lockfiles: login configures both; install runs the more specific one.
    [['package.json', 'package-lock.json', 'yarn.lock'], ['npm', 'yarn'], 'yarn'],
    [['package.json', 'package-lock.json', 'pnpm-lock.yaml'], ['npm', 'pnpm'], 'pnpm'],
    [['pom.xml'], ['maven'], 'maven'],
    [['build.gradle'], ['gradle'], 'gradle'],
    [['settings.gradle.kts'], ['gradle'], 'gradle'],
    [['pom.xml', 'build.gradle.kts'], ['maven', 'gradle'], 'maven'],
    [['requirements.txt'], ['pip', 'twine'], 'pip'],
    // pip installs from requirements.txt only; login still configures pip and twine for any Python project.
    [['pyproject.toml'], ['pip', 'twine'], undefined],
    [['requirements-dev.txt', 'setup.py'], ['pip', 'twine'], undefined],
    [['package.json', 'requirements.txt'], ['npm', 'pip', 'twine'], 'npm'],
    [['README.md', 'src/package.json', 'gradle/libs.versions.toml'], [], undefined],
    // The newer tools: login configures them; install with retry does not run them.
    [['App.csproj'], ['nuget', 'dotnet'], undefined],
    [['packages.config'], ['nuget', 'dotnet'], undefined],
    [['NuGet.Config', 'Lib.fsproj'], ['nuget', 'dotnet'], undefined],
    [['Package.swift'], ['swift'], undefined],
    [['Cargo.toml', 'Cargo.lock'], ['cargo'], undefined],
    [['Gemfile', 'Gemfile.lock'], ['gem', 'bundler'], undefined],
    [['hello.gemspec'], ['gem'], undefined],
    [['pyproject.toml', 'poetry.lock'], ['pip', 'twine', 'poetry'], undefined],
    [['pyproject.toml', 'uv.lock', 'requirements.txt'], ['pip', 'twine', 'uv'], 'pip'],
    [[], [], undefined],
  ];
  for (const [files, login, install] of CASES) {
    it(`${files.join(' + ') || 'empty folder'}: login ${login.join(', ') || 'nothing'}, install ${install ?? 'nothing'}`, async () => {
      assert.deepEqual(await both(files), { login, install });
    });
  }

  it('the tool install runs is always one login configures', async () => {
    for (const [files] of CASES) {
      const r = await both(files);
      if (r.install) assert.ok(r.login.includes(r.install), files.join(' + '));
    }
  });

  it('says which files it went by', async () => {
    const d = await detectTools(folder(['package.json', 'package-lock.json', 'yarn.lock', '.yarnrc.yml']));
    assert.deepEqual(d.reasons, { npm: ['package.json', 'package-lock.json'], yarn: ['yarn.lock', '.yarnrc.yml'] });
  });

  it('a linked lockfile counts; a folder named like one does not; a missing folder has no tools', async () => {
    const d = folder(['real/pnpm-lock.yaml']);
    symlinkSync(join(d, 'real', 'pnpm-lock.yaml'), join(d, 'pnpm-lock.yaml'));
    mkdirSync(join(d, 'pom.xml'));
    assert.deepEqual((await detectTools(d)).tools, ['pnpm']);
    assert.equal(detectInstallTool(d), 'pnpm');
    assert.deepEqual((await detectTools(join(root, 'missing'))).tools, []);
    assert.equal(detectInstallTool(join(root, 'missing')), undefined);
  });
});

describe('detection from pyproject.toml tables', () => {
  it('[tool.poetry] means Poetry, [tool.uv] (or a sub-table) means uv; other tables neither', async () => {
    const cases: [string, ToolId[]][] = [
      ['[tool.poetry]\nname = "x"\n', ['pip', 'twine', 'poetry']],
      ['[project]\nname = "x"\n\n[tool.uv.sources]\nx = { index = "a" }\n', ['pip', 'twine', 'uv']],
      ['[project]\nname = "x"\n# [tool.poetry] in a comment\n[tool.poetryish]\n', ['pip', 'twine']],
    ];
    for (const [text, tools] of cases) {
      const d = folder([]);
      writeFileSync(join(d, 'pyproject.toml'), text);
      assert.deepEqual((await detectTools(d)).tools, tools, text);
    }
  });
});

describe('catalogue', () => {
  it('the endpoints login asks for: one per format the chosen tools speak', () => {
    assert.deepEqual(formatsOf(['npm', 'pnpm', 'yarn']), ['npm']);
    assert.deepEqual(formatsOf(['twine', 'gradle', 'pip', 'maven']), ['pypi', 'maven']);
    assert.deepEqual(formatsOf([...TOOL_IDS]).sort(), ['cargo', 'maven', 'npm', 'nuget', 'pypi', 'ruby', 'swift']);
    assert.deepEqual(formatsOf(['nuget', 'dotnet', 'gem', 'bundler']), ['nuget', 'ruby']);
    assert.deepEqual(formatsOf([]), []);
  });
});
