// Commands called with an argument object take it as their answers: nothing is shown, a missing or wrong
// answer is a rejection that names the key, and the status-bar menu goes through the same path.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CodeArtifactApi } from '../../../src/extension';
import { activatedExtension, emulatorUrl, resetSettings } from '../helpers';

let api: CodeArtifactApi;

async function rejection(command: string, args: unknown): Promise<string> {
  try {
    await vscode.commands.executeCommand(command, args);
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail(`${command} ${JSON.stringify(args)} resolved; a rejection was expected`);
}

suite('commands with an argument object', function () {
  this.timeout(60_000);

  suiteSetup(async () => {
    api = (await activatedExtension<CodeArtifactApi>()).exports;
  });
  setup(resetSettings);

  test('a missing answer rejects at once, naming the key, instead of asking', async () => {
    assert.match(await rejection('codeartifact.copyRepositoryEndpoint', { domain: 'acme', repository: 'app' }), /Missing "format".*codeartifact\.copyRepositoryEndpoint/);
    assert.match(await rejection('codeartifact.associateExternalConnection', { domain: 'acme', externalConnection: 'public:npmjs' }), /Missing "repository"/);
    assert.match(await rejection('codeartifact.installWithRetry', { tool: 'npm' }), /Not logged in|Missing "folder"/);
  });

  test('a wrong choice rejects with the valid ones', async () => {
    const message = await rejection('codeartifact.associateExternalConnection', { domain: 'acme', repository: 'app', externalConnection: 'public:nowhere' });
    assert.match(message, /"public:nowhere" is not a valid "externalConnection"/);
    assert.match(message, /public:npmjs/);
    assert.match(await rejection('codeartifact.login', { domain: 'acme', repository: 'app', tools: ['npm', 'cobol'] }), /cobol/);
    assert.equal(api.login.current(), undefined, 'a rejected login must not log in');
  });

  test('answers given are used: the endpoint of the named format is returned and copied', async () => {
    const url = await vscode.commands.executeCommand<string>('codeartifact.copyRepositoryEndpoint', { domain: 'acme', repository: 'app', format: 'pypi' });
    assert.ok(url.startsWith(new URL(emulatorUrl()).origin), url);
    assert.match(url, /\/pypi\/d\/acme-111122223333\/app\/$/);
    assert.equal(await vscode.env.clipboard.readText(), url);
  });

  test('setRegion validates the scripted answer like the input box does', async () => {
    assert.match(await rejection('codeartifact.setRegion', { region: 'moon-1' }), /"region".*A region such as us-west-2/);
    assert.equal(await vscode.commands.executeCommand('codeartifact.setRegion', { region: 'eu-central-1' }), 'eu-central-1');
    assert.equal(vscode.workspace.getConfiguration('codeartifact').get('region'), 'eu-central-1');
  });

  test('the status-bar menu runs the chosen action through the same wrapper', async () => {
    await vscode.commands.executeCommand('codeartifact.login', { domain: 'corp', repository: 'team', tools: ['npm'] });
    try {
      const before = api.login.current()!.expiresAt;
      assert.match(await rejection('codeartifact.statusBarMenu', { action: 'dance' }), /"dance" is not a valid "action"/);
      const refreshed = (await vscode.commands.executeCommand('codeartifact.statusBarMenu', { action: 'refresh' })) as { expiresAt: number };
      assert.ok(refreshed.expiresAt >= before);
      assert.equal(api.login.current()?.expiresAt, refreshed.expiresAt);
      await vscode.commands.executeCommand('codeartifact.statusBarMenu', { action: 'logout' });
      assert.equal(api.login.current(), undefined);
    } finally {
      if (api.login.current()) await vscode.commands.executeCommand('codeartifact.logout', {});
    }
  });
});
