// The workspace folder whose SwiftPM registries.json login writes: the first local folder with a Package.swift.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export function swiftProjectFolder(): string | undefined {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  return folders.find((f) => existsSync(join(f, 'Package.swift')));
}
