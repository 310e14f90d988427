// Latency budgets (npm run bench sets BENCH_LOGIN=1; skipped otherwise): inside real VS Code, against an emulator
// that delays every answer by 100 ms (one round trip), the time of a first login with three tools, a token
// refresh, and expanding a domain, a repository, its Packages row and a package. Writes
// test-output/bench/latency.json (read by scripts/bench/report.mjs when present).
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from 'codeartifact-emulator/testing';
import type { CodeArtifactApi } from '../../../src/extension';
import type { ExplorerNode } from '../../../src/explorer/nodes';
import { activatedExtension, loggedOut, resetSettings } from '../helpers';

const RT = 100;
const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

(process.env.BENCH_LOGIN ? suite : suite.skip)('bench: latency budgets', function () {
  this.timeout(300_000);
  let emu: Emulator;
  suiteSetup(async () => {
    emu = await startEmulator({ latencyMs: RT });
  });
  suiteTeardown(async () => {
    await loggedOut();
    await resetSettings();
    await emu?.close();
  });

  test('bench latency: login, refresh, expanding rows at 100 ms per round trip', async () => {
    const api = (await activatedExtension<CodeArtifactApi>()).exports;
    await resetSettings();
    await vscode.workspace.getConfiguration('codeartifact').update('endpoint', emu.url, vscode.ConfigurationTarget.Global);
    const find = (nodes: ExplorerNode[], kind: ExplorerNode['kind'], label?: string) =>
      nodes.find((n) => n.kind === kind && (!label || ('summary' in n && (n.summary as { name?: string }).name === label)));
    const samples: Record<string, number[]> = { login: [], refresh: [], domain: [], repository: [], packages: [], package: [] };
    for (let i = 0; i < RUNS; i++) {
      await loggedOut();
      samples.login.push(
        (await timed(() => Promise.resolve(vscode.commands.executeCommand('codeartifact.login', { domain: 'acme', repository: 'app', tools: ['npm', 'pip', 'maven'] })))).ms,
      );
      samples.refresh.push((await timed(() => Promise.resolve(vscode.commands.executeCommand('codeartifact.refreshToken')))).ms);
      api.explorer.refresh();
      const domains = await api.explorer.getChildren();
      const acme = find(domains, 'domain', 'acme');
      assert.ok(acme, JSON.stringify(domains.map((d) => d.kind)));
      const repos = await timed(() => api.explorer.getChildren(acme));
      samples.domain.push(repos.ms);
      const app = find(repos.value, 'repository', 'app')!;
      const rows = await timed(() => api.explorer.getChildren(app));
      samples.repository.push(rows.ms);
      const packagesRow = find(rows.value, 'packages')!;
      const pkgs = await timed(() => api.explorer.getChildren(packagesRow));
      samples.packages.push(pkgs.ms);
      const pkg = find(pkgs.value, 'package')!;
      samples.package.push((await timed(() => api.explorer.getChildren(pkg))).ms);
    }
    const result = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.round(median(v))]));
    const dir = join(process.env.CODEARTIFACT_EXTENSION_ROOT ?? process.cwd(), 'test-output', 'bench');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latency.json'), JSON.stringify({ roundTripMs: RT, medianMs: result, samples }, null, 2));
    console.log(`bench latency (median ms at ${RT} ms per round trip): ${JSON.stringify(result)}`);
  });
});
