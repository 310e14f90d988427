// Bundles the integration suite for VS Code's extension host: test/integration/index.ts and every
// test/integration/suite/**/*.test.ts become out/integration/{index,suite/**/*.test}.js (CommonJS).
// `vscode` is provided by the host; mocha stays external and is required from node_modules at run
// time (its reporters are loaded dynamically, which bundling breaks).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'test', 'integration');

function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const entryPoints = [join(src, 'index.ts'), ...collect(join(src, 'suite'), [])];
const outdir = join(root, 'out', 'integration');
// Stale bundles of deleted suite files would still be run: start from an empty folder.
rmSync(join(outdir, 'suite'), { recursive: true, force: true });

await esbuild.build({
  entryPoints,
  outdir,
  outbase: src,
  bundle: true,
  external: ['vscode', 'mocha'],
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  sourcesContent: false,
  logLevel: 'warning',
});
console.log(
  `out/integration: index + ${entryPoints.length - 1} suite file(s): ${entryPoints
    .slice(1)
    .map((f) => relative(src, f))
    .join(', ')}`,
);
