// npm run package (after the production bundle): packs out/codeartifact-explorer.vsix with @vscode/vsce,
// offline. --no-dependencies because esbuild already bundled them; .vscodeignore decides the content.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
// vsce does not create the output folder (a fresh clone has no out/).
mkdirSync(join(root, 'out'), { recursive: true });
const vsce = join(root, 'node_modules', '@vscode', 'vsce', createRequire(import.meta.url)('@vscode/vsce/package.json').bin.vsce);
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', join(root, 'out', 'codeartifact-explorer.vsix')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
