// The explorer's empty states (no credentials, no domains): an empty tree and the state the extension puts into
// the context key codeartifact.explorerState. That the workbench then shows the matching welcome text and buttons
// is checked on screen by test/integration/ui/welcome.ui.ts. The status bar offers to log in when the workspace
// names a CodeArtifact repository but nobody is logged in.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CodeArtifactApi } from '../../../src/extension';
import { startEmulator, type Emulator } from 'codeartifact-emulator/testing';
import { activatedExtension, resetSettings } from '../helpers';

let api: CodeArtifactApi;
const set = (key: string, value: unknown) => vscode.workspace.getConfiguration('codeartifact').update(key, value, vscode.ConfigurationTarget.Global);

suite('welcome and status bar states', function () {
  this.timeout(60_000);
  let empty: Emulator;

  suiteSetup(async () => {
    api = (await activatedExtension<CodeArtifactApi>()).exports;
    // A second CodeArtifact with no domains at all.
    empty = await startEmulator({ seed: { domains: [] } });
  });
  suiteTeardown(async () => {
    await resetSettings();
    await empty.close();
  });
  setup(() => resetSettings());

  test('no domains: an empty view in the noDomains state', async () => {
    await set('endpoint', empty.url);
    api.explorer.refresh();
    assert.deepEqual(await api.explorer.getChildren(), []);
    assert.equal(api.explorer.state, 'noDomains');
  });

  test('no credentials: an empty view in the noCredentials state', async () => {
    const aws = join(homedir(), '.aws');
    mkdirSync(aws, { recursive: true });
    writeFileSync(join(aws, 'config'), '[profile nocreds]\nregion = us-west-2\n');
    await set('profile', 'nocreds');
    await set('maxAttempts', 1);
    api.explorer.refresh();
    assert.deepEqual(await api.explorer.getChildren(), []);
    assert.equal(api.explorer.state, 'noCredentials');
  });

  test('a workspace that names its repository but is not logged in shows "CodeArtifact: Log in"', async () => {
    if (api.login.current()) await vscode.commands.executeCommand('codeartifact.logout', {});
    await set('repository', { domain: 'corp', repository: 'team' });
    await waitForText(() => api.statusBar.item.text, '$(package) CodeArtifact: Log in');
    await set('repository', undefined);
  });
});

async function waitForText(read: () => string, want: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (read() !== want) {
    if (Date.now() > deadline) assert.equal(read(), want);
    await new Promise((r) => setTimeout(r, 50));
  }
}
