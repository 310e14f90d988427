// First real test inside VS Code: the extension under test is there, comes from where the runner put it (the
// installed .vsix, or the source folder), offers its commands, and shows what the configured CodeArtifact holds.
import * as assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { CodeartifactClient, ListDomainsCommand } from '@aws-sdk/client-codeartifact';
import * as vscode from 'vscode';
import type { CodeArtifactApi } from '../../../src/extension';
import { activatedExtension, emulatorUrl, resetSettings } from '../helpers';

suite('smoke', () => {
  setup(() => resetSettings());

  test('every command the manifest offers in the palette is registered once the extension is active', async () => {
    const ext = await activatedExtension();
    const declared = ((ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands ?? []).map((c) => c.command);
    assert.ok(declared.length > 0, 'the manifest declares commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      declared.filter((c) => !registered.has(c)),
      [],
      'declared but not registered',
    );
  });

  test('the extension comes from where the runner put it', async () => {
    const ext = await activatedExtension();
    const where = realpathSync(ext.extensionPath);
    const mode = process.env.CODEARTIFACT_EXTENSION_MODE;
    if (mode === 'vsix') {
      // Installed from the packaged .vsix: what users install is what is tested.
      const extensionsDir = realpathSync(process.env.CODEARTIFACT_EXTENSIONS_DIR ?? '');
      assert.ok(where.startsWith(extensionsDir + '/'), `${where} is not under the extensions folder ${extensionsDir}`);
    } else if (mode === 'development') {
      assert.equal(where, realpathSync(process.env.CODEARTIFACT_EXTENSION_ROOT ?? ''));
    } else {
      assert.fail(`CODEARTIFACT_EXTENSION_MODE is ${JSON.stringify(mode)}; expected vsix or development`);
    }
  });

  test('the explorer lists the domains of the CodeArtifact the settings point at', async () => {
    const api = (await activatedExtension<CodeArtifactApi>()).exports;
    // What the same account sees through the real SDK, asked independently of the extension.
    const sdk = new CodeartifactClient({ endpoint: emulatorUrl(), region: 'us-west-2', maxAttempts: 1 });
    let names: string[];
    try {
      names = ((await sdk.send(new ListDomainsCommand({}))).domains ?? []).map((d) => d.name ?? '');
    } finally {
      sdk.destroy();
    }
    assert.ok(names.length > 0, 'the emulator has domains');
    api.explorer.refresh();
    const rows = (await api.explorer.getChildren()).map((n) => {
      const l = api.explorer.getTreeItem(n).label;
      return typeof l === 'string' ? l : (l?.label ?? '');
    });
    assert.deepEqual([...rows].sort(), [...names].sort());
  });
});
