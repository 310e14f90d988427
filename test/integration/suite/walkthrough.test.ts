// The first-run walkthrough as the installed extension contributes it: four steps in the order the README tells
// the story (profile and region → explorer → log in → install with retry), each with an image that ships in the
// package and command links to commands this VS Code knows, and the workbench opens it by its id.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { activatedExtension, EXTENSION_ID } from '../helpers';

interface Step {
  id: string;
  description: string;
  media: { image: string };
  completionEvents?: string[];
}

suite('walkthrough', function () {
  this.timeout(60_000);

  test('is contributed with four steps, each with an image and existing commands', async () => {
    const ext = await activatedExtension();
    const walkthroughs = (ext.packageJSON as { contributes: { walkthroughs?: { id: string; steps: Step[] }[] } }).contributes.walkthroughs ?? [];
    assert.deepEqual(
      walkthroughs.map((w) => w.id),
      ['codeartifact.gettingStarted'],
    );
    const steps = walkthroughs[0].steps;
    assert.deepEqual(
      steps.map((s) => s.id),
      ['profile', 'explorer', 'login', 'install'],
    );
    const known = new Set(await vscode.commands.getCommands(true));
    const expected = [
      ['codeartifact.chooseProfile', 'codeartifact.setRegion'],
      ['workbench.view.extension.codeartifact'],
      ['codeartifact.login'],
      ['codeartifact.installWithRetry'],
    ];
    steps.forEach((s, i) => {
      const linked = [...s.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.deepEqual(linked, expected[i], s.id);
      for (const c of linked) assert.ok(known.has(c), `${s.id}: command ${c} is not registered`);
      assert.ok(existsSync(join(ext.extensionPath, s.media.image)), `${s.id}: ${s.media.image} is not in the package`);
    });
    // The workbench knows it by id (an unknown id opens nothing and leaves no editor).
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#codeartifact.gettingStarted`, false);
    await new Promise((r) => setTimeout(r, 500));
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
    assert.ok(
      tabs.some((l) => /Welcome|Walkthrough|Get started/i.test(l)),
      `no walkthrough tab: ${tabs.join(', ')}`,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
