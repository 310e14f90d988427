// A package reported missing is checked against the repository the login was made with, through the login's own
// connection (profile, region, endpoint), as a token refresh is: not through whatever the explorer shows now.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { InstallRunResult } from '../../../src/install/installCommand';
import { startEmulator, type Emulator } from 'codeartifact-emulator/testing';
import { emulatorStats, emulatorUrl, loggedIn, loggedOut, resetEmulatorStats, resetSettings } from '../helpers';

const MISSING = 'no-such-package-anywhere';

suite('install: the missing-package check follows the login, not the explorer', function () {
  this.timeout(180_000);
  let other: Emulator;
  let dir: string;

  suiteSetup(async () => {
    // Another CodeArtifact (another account, as far as the extension can tell) where corp/team exists too and
    // the package is there, blocked by origin controls: asked there, the verdict would be "blocked".
    other = await startEmulator({
      seed: {
        accountId: '111122223333',
        domains: [
          {
            name: 'corp',
            repositories: [{ name: 'team', packages: [{ format: 'npm', name: MISSING, originConfiguration: { restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } } }] }],
          },
        ],
      },
    });
  });
  suiteTeardown(async () => {
    await loggedOut();
    await resetSettings();
    await other?.close();
  });
  setup(async () => {
    await resetSettings();
    dir = mkdtempSync(join(tmpdir(), 'install-conn-'));
  });
  teardown(() => rmSync(dir, { recursive: true, force: true }));

  test("after the explorer moved to another endpoint, a missing package is checked in the login's repository", async () => {
    const login = await loggedIn({ domain: 'corp', repository: 'team', tools: ['npm'] });
    assert.equal(login.connection?.endpoint, emulatorUrl());
    // The user now browses another CodeArtifact in the explorer; the login (and ~/.npmrc) still points at the first.
    await vscode.workspace.getConfiguration('codeartifact').update('endpoint', other.url, vscode.ConfigurationTarget.Global);
    await resetEmulatorStats();
    for (const k of Object.keys(other.ctx.stats)) delete other.ctx.stats[k];

    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo', version: '1.0.0', private: true, dependencies: { [MISSING]: '1.0.0' } }));
    const r = await vscode.commands.executeCommand<InstallRunResult>('codeartifact.installWithRetry', { folder: dir, maxWaitSeconds: 60, prewarm: false });

    assert.equal(r.outcome, 'not-found', `outcome ${r.outcome}: ${r.message}`);
    assert.match(r.message, new RegExp(`${MISSING}.* is not in corp/team|${MISSING} is unknown to corp/team`));
    assert.doesNotMatch(r.message, /BLOCK/);
    const asked = await emulatorStats();
    assert.ok((asked.DescribePackage ?? 0) >= 1, `the login's CodeArtifact was not asked: ${JSON.stringify(asked)}`);
    assert.equal(other.ctx.stats.DescribePackage, undefined, `the explorer's CodeArtifact was asked: ${JSON.stringify(other.ctx.stats)}`);
  });
});
