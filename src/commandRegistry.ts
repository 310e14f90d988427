// Registers every command through one wrapper: errors become one clear message and one log line.
// A command called with a plain args object (tests, keybindings, other extensions) gets the error back
// as a rejection; one started from the UI only shows it.
import * as vscode from 'vscode';
import { describeProblem } from './core/aws/errors';
import type { Connection } from './connection';

export type Handler = (...args: unknown[]) => unknown;

export function isPlainArgs(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !('kind' in value) && !(value instanceof vscode.Uri);
}

export class UserError extends Error {}

export function registerCommand(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, connection: Connection, id: string, handler: Handler): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        const message = e instanceof UserError ? e.message : describeProblem(e, connection.problemContext()).message;
        log.error(`${id}: ${message}`);
        if (isPlainArgs(args[0])) throw e instanceof Error ? e : new Error(message);
        void vscode.window.showErrorMessage(message);
        return undefined;
      }
    }),
  );
}
