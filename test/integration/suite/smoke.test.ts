// First real test inside VS Code: the extension under test is there, activates, and runs in the
// mode the runner asked for (installed from the .vsix, or from the source folder).
import * as assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import { activatedExtension, emulatorStats, emulatorUrl, EXTENSION_ID } from '../helpers';

suite('smoke', () => {
  test('the extension is present and activates', async () => {
    const ext = await activatedExtension();
    assert.equal(ext.isActive, true);
    assert.equal(ext.id.toLowerCase(), EXTENSION_ID);
  });

  test('reports the VS Code version it runs in', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    console.log(`vscode.version = ${vscode.version}`);
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

  test('settings point at the emulator, which answers', async () => {
    const config = vscode.workspace.getConfiguration('codeartifact');
    assert.equal(config.get('endpoint'), emulatorUrl());
    assert.equal(config.get('region'), 'us-west-2');
    assert.equal(typeof (await emulatorStats()), 'object');
  });
});
