// Prints what `npm run bench` measured: the emulator's latencies against their targets, the install
// comparison, login timings inside real VS Code beside the AWS CLI, activation time, and the size of the
// production bundle and .vsix.
import { existsSync, readFileSync, statSync } from 'node:fs';

const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined);
const kib = (f) => (existsSync(f) ? `${(statSync(f).size / 1024).toFixed(1)} KiB` : 'missing');

console.log('\n== Benchmark summary ==');
const emulator = read('test-output/bench/emulator.json');
if (emulator) {
  console.log(`Emulator latencies, medians of ${emulator.runs} runs:`);
  for (const r of emulator.rows) console.log(`  ${r.ok ? 'ok' : 'MISSED'} ${r.name}: ${r.medianMs.toFixed(0)} ms (target ${r.minMs}-${r.maxMs} ms)`);
}
const login = read('test-output/bench/login.json');
if (login) {
  console.log(`VS Code ${login.vscode} (code-server), medians of ${login.runs} runs:`);
  for (const [tools, ms] of Object.entries(login.extensionLoginMedianMs)) console.log(`  codeartifact.login (${tools}): ${ms.toFixed(0)} ms`);
  console.log(`  aws codeartifact login --tool npm: ${login.awsCliLoginNpmMedianMs.toFixed(0)} ms`);
  console.log(`  extension activation: ${login.activationMs.toFixed(1)} ms`);
}
const install = read('test-output/bench/install.json');
if (install) {
  console.log(`Install, ${install.packages} packages, ingestion delay ${install.delayMs} ms, timeout ${install.timeoutMs} ms:`);
  for (const r of install.rows) console.log(`  ${r.scenario}: ${r.wallSeconds.toFixed(1)} s, ${r.installRuns} install run(s)${r.note ? `; ${r.note}` : ''}`);
  console.log(`  target for (c): ~${install.budgetSeconds.toFixed(1)} s`);
}
const domainMap = read('test-output/bench/domainmap.json');
if (domainMap)
  console.log(`Domain map of ${domainMap.repositories} repositories: ${domainMap.ms} ms (target ${domainMap.targetMs} ms), ${domainMap.maxInFlight} DescribeRepository in flight`);
const deps = read('test-output/bench/deps.json');
if (deps) {
  console.log(`Dependency check, ${deps.count} locked versions, emulator latency ${deps.latencyMs} ms (budget ${deps.budgetMs} ms):`);
  for (const r of deps.rows) console.log(`  ${r.ok ? 'ok' : 'MISSED'} ${r.scenario}: ${r.ms.toFixed(0)} ms, ${r.calls} control-plane calls`);
}
console.log(`Bundle dist/extension.js (production): ${kib('dist/extension.js')}; package out/codeartifact-explorer.vsix: ${kib('out/codeartifact-explorer.vsix')}`);
