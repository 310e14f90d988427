// How a command asks the user. Handlers ask through this one interface and never check how they were called:
// from the palette or a tree row the answers come from QuickPicks, input boxes and modal dialogs
// (vscodeUi.ts); called with an argument object (tasks, keybindings, tests, other extensions) the object is
// the set of answers (scriptedUi.ts), so nothing is shown and a missing answer is an error naming its key.
import type { CodeArtifact, RepositoryRef } from '../core/aws/client';

/** A problem the user can fix, shown as is (no "Error:" prefix, no stack). */
export class UserError extends Error {}

/** The user dismissed a prompt: the command ends quietly, returning undefined. */
export class Cancelled extends Error {
  constructor() {
    super('Cancelled');
  }
}

export interface Choice<T> {
  label: string;
  description?: string;
  detail?: string;
  /** Pre-selected in a multi-select; also the scripted answer when the argument object leaves the key out. */
  picked?: boolean;
  value: T;
  /** How an argument object names this choice; String(value) when absent. */
  id?: string;
}

export interface InputOptions {
  title: string;
  prompt?: string;
  value?: string;
  /** A message when the text is not acceptable. */
  validate?: (text: string) => string | undefined;
}

export interface ConfirmOptions {
  message: string;
  /** The button that goes ahead. */
  action: string;
  /** Scripted: `true` goes ahead without asking (the argument object is the consent); otherwise the key must be true. */
  scriptedConsent?: boolean;
  /** Scripted and not consented: the message of the error. */
  refused: string;
}

export interface RepositorySuggestion {
  ref: RepositoryRef;
  description: string;
}

export interface Ui {
  /** True when the answers come from an argument object. */
  readonly scripted: boolean;
  pick<T>(key: string, choices: readonly Choice<T>[], options: { title: string; placeHolder?: string }): Promise<T>;
  pickMany<T>(key: string, choices: readonly Choice<T>[], options: { title: string }): Promise<T[]>;
  input(key: string, options: InputOptions): Promise<string>;
  /** Resolves when the user agrees; throws Cancelled (or, scripted, UserError) otherwise. `key` undefined: a script can never agree. */
  confirm(key: string | undefined, options: ConfirmOptions): Promise<void>;
  /** A repository: `domain`, `domainOwner`, `repository` when scripted; suggestions first, then every repository. */
  repository(options: { title: string; client: () => Promise<CodeArtifact>; suggestions?: RepositorySuggestion[] }): Promise<RepositoryRef>;
  /** A workspace folder path (`folder` when scripted). */
  folder(options: { placeHolder: string; folders: readonly string[] }): Promise<string>;
  /** An optional value only an argument object gives (nothing is asked for it). */
  given<T>(key: string): T | undefined;
  /** A confirmation nobody needs to answer: shown when interactive, left out when scripted. */
  info(message: string): void;
  /** A warning: shown either way. */
  warn(message: string): void;
  /** Files to read: an open dialog; scripted, `key` holds a path or an array of paths. */
  files(key: string, options: { title: string }): Promise<string[]>;
  /** A file to write: a save dialog; scripted, `key` holds the path. */
  saveAs(key: string, options: { title: string; defaultName: string }): Promise<string>;
}
