// Runs the Node-side test tier (test/unit and the emulator package's packages/codeartifact-emulator/test,
// *.test.ts) with node's own test runner, TypeScript loaded through tsx. Extra arguments are file filters:
// `npm run test:unit -- npmrc`. A test that runs longer than TEST_TIMEOUT_MS fails (a hang must not stall CI).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// Node applies it to every test and to every test file as a whole: generous enough for a file of real npm,
// mvn and aws CLI runs (48 operations through each CLI version) on two busy cores, far below "stalls CI".
const TEST_TIMEOUT_MS = 600_000;
const filters = process.argv.slice(2);
const files = ['test/unit', 'packages/codeartifact-emulator/test'].flatMap((d) => collect(d, [])).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
