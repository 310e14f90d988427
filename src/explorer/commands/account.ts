// Where the explorer's credentials come from: AWS profile, region, SSO login, the extension's settings.
import * as vscode from 'vscode';
import { loadSharedFiles, profileNames } from '../../core/aws/profiles';
import { ssoLoginCommandLine, terminalShellKind } from '../../core/aws/ssoLogin';
import type { ExplorerCommandDeps } from './deps';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export function registerAccountCommands({ commands, connection }: ExplorerCommandDeps): void {
  commands.register('codeartifact.ssoLogin', () => {
    const profile = connection.problemContext().profile ?? 'default';
    // Quoted for the shell the new terminal runs (the default profile's): bash, PowerShell or cmd.exe.
    const line = ssoLoginCommandLine(profile, terminalShellKind(vscode.env.shell, process.platform));
    const terminal = vscode.window.createTerminal({ name: 'AWS SSO login' });
    terminal.show();
    terminal.sendText(line);
    return profile;
  });

  commands.register('codeartifact.chooseProfile', async ({ ui }) => {
    const files = await loadSharedFiles();
    const names = profileNames(files);
    const value = await ui.pick<string | undefined>(
      'profile',
      [{ label: '(default credential chain)', description: 'environment, default profile, SSO, process', value: undefined, id: '' }, ...names.map((n) => ({ label: n, value: n }))],
      { title: 'AWS profile for CodeArtifact', placeHolder: names.length ? undefined : `No profiles in ${files.configFile}` },
    );
    await vscode.workspace.getConfiguration('codeartifact').update('profile', value, vscode.ConfigurationTarget.Global);
    return value;
  });

  commands.register('codeartifact.setRegion', async ({ ui }) => {
    const value = await ui.input('region', {
      title: 'AWS region for CodeArtifact',
      value: connection.settings().region ?? 'us-east-1',
      validate: (v) => (REGION.test(v.trim()) ? undefined : 'A region such as us-west-2 or eu-central-1'),
    });
    await vscode.workspace.getConfiguration('codeartifact').update('region', value.trim(), vscode.ConfigurationTarget.Global);
    return value.trim();
  });

  commands.register('codeartifact.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:codeartifact-explorer.codeartifact-explorer'));
}
