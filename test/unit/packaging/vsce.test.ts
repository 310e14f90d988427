// The Marketplace package as `npm run package` makes it: a production bundle into a temp folder, then the real
// `vsce package` (offline, --no-dependencies, no --allow-missing-repository): it must print no warning and ask
// nothing, the .vsix and the bundle must stay under 1 MB, and the package must hold the 128×128 icon, every
// explorer format icon and the walkthrough images the manifest names.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const MB = 1024 * 1024;

/** The files in a .vsix (a zip) with their bytes, read by Python's zipfile (a second, independent zip reader). */
function zipEntries(file: string): Map<string, Buffer> {
  const py = 'import zipfile,sys,json,base64\nz=zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({n: base64.b64encode(z.read(n)).decode() for n in z.namelist()}))';
  const r = spawnSync('python3', ['-c', py, file], { encoding: 'utf8', maxBuffer: 64 * MB });
  assert.equal(r.status, 0, r.stderr);
  return new Map(Object.entries(JSON.parse(r.stdout) as Record<string, string>).map(([n, b]) => [n, Buffer.from(b, 'base64')]));
}

void describe('Marketplace package (vsce)', () => {
  let dir: string;
  let vsix: Buffer;
  let output: string;
  before(() => {
    // A copy of what vsce reads, so the suite's own dist/ and out/ are left alone.
    dir = mkdtempSync(join(tmpdir(), 'ca-vsce-'));
    const copied = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media', 'src', 'esbuild.mjs', 'tsconfig.json'];
    for (const f of copied) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: dir, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    const vsce = join(ROOT, 'node_modules', '@vscode', 'vsce', (createRequire(__filename)('@vscode/vsce/package.json') as { bin: { vsce: string } }).bin.vsce);
    const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', join(dir, 'x.vsix')], { cwd: dir, encoding: 'utf8', input: '' });
    output = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 0, output);
    vsix = readFileSync(join(dir, 'x.vsix'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  void it('prints no warning', () => {
    assert.doesNotMatch(output, /WARNING|warning|\[y\/N\]/, output);
  });

  void it('the .vsix and the bundle stay under 1 MB', () => {
    assert.ok(vsix.length < MB, `${vsix.length} bytes`);
    assert.ok(statSync(join(dir, 'dist', 'extension.js')).size < MB, `${statSync(join(dir, 'dist', 'extension.js')).size} bytes`);
  });

  void it('holds the 128×128 PNG icon, every format icon and the walkthrough images', () => {
    const files = zipEntries(join(dir, 'x.vsix'));
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { icon: string; contributes: { walkthroughs: { steps: { media: { image: string } }[] }[] } };
    const icon = files.get(`extension/${manifest.icon}`);
    assert.ok(icon, manifest.icon);
    assert.equal(icon.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
    for (const f of ['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo']) {
      assert.ok(files.has(`extension/media/${f}.svg`), f);
    }
    for (const s of manifest.contributes.walkthroughs[0].steps) {
      assert.ok(files.has(`extension/${s.media.image}`), s.media.image);
    }
  });
});
