// Login benchmark (npm run bench sets BENCH_LOGIN=1; skipped otherwise): the time from the codeartifact.login
// command to done inside real VS Code, beside the wall time of `aws codeartifact login --tool npm` against the
// same emulator. Writes test-output/bench/login.json.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CodeArtifactApi } from '../../../src/extension';
import { activatedExtension, emulatorUrl, resetSettings } from '../helpers';

const RUNS = 5;

/** The extension host's PATH comes from a login shell and may miss pyenv, where the machine's `aws` (v1) lives. */
function awsCli(): string {
  const candidates = [process.env.AWS_CLI, process.env.PYENV_ROOT && join(process.env.PYENV_ROOT, 'shims', 'aws'), '/usr/local/bin/aws', '/usr/bin/aws'];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? 'aws';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

(process.env.BENCH_LOGIN ? suite : suite.skip)('bench', function () {
  this.timeout(300_000);

  test('login: extension command vs aws codeartifact login --tool npm', async () => {
    const api = (await activatedExtension<CodeArtifactApi>()).exports;
    await resetSettings();
    const ours: Record<string, number[]> = { npm: [], 'npm,pip,twine,maven,gradle': [] };
    for (const tools of Object.keys(ours)) {
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await vscode.commands.executeCommand('codeartifact.login', { domain: 'corp', repository: 'team', tools: tools.split(',') });
        ours[tools].push(performance.now() - t);
      }
    }
    await vscode.commands.executeCommand('codeartifact.logout', {});

    const cli: number[] = [];
    const home = mkdtempSync(join(tmpdir(), 'bench-cli-'));
    try {
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const r = spawnSync(awsCli(), ['--endpoint-url', emulatorUrl(), 'codeartifact', 'login', '--tool', 'npm', '--domain', 'corp', '--repository', 'team'], {
          env: { ...process.env, HOME: home, AWS_DEFAULT_REGION: 'us-west-2', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' },
          encoding: 'utf8',
        });
        cli.push(performance.now() - t);
        assert.equal(r.status, 0, `${r.error?.message ?? ''} ${r.stderr}`);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    const result = {
      vscode: vscode.version,
      runs: RUNS,
      activationMs: api.activationMs,
      extensionLoginMedianMs: Object.fromEntries(Object.entries(ours).map(([k, v]) => [k, median(v)])),
      awsCliLoginNpmMedianMs: median(cli),
      samples: { ours, cli },
    };
    mkdirSync(join(process.env.CODEARTIFACT_EXTENSION_ROOT ?? process.cwd(), 'test-output', 'bench'), { recursive: true });
    writeFileSync(join(process.env.CODEARTIFACT_EXTENSION_ROOT ?? process.cwd(), 'test-output', 'bench', 'login.json'), JSON.stringify(result, null, 2));
    console.log(`bench login: ${JSON.stringify(result.extensionLoginMedianMs)} ms (extension), ${result.awsCliLoginNpmMedianMs.toFixed(0)} ms (aws codeartifact login --tool npm)`);
  });
});
