// The Ui of a command called with an argument object: every answer comes from the object, nothing is shown.
import * as vscode from 'vscode';
import type { RepositoryRef } from '../core/aws/client';
import { UserError, type Choice, type ConfirmOptions, type InputOptions, type Ui } from './ui';

const idOf = <T>(c: Choice<T>) => c.id ?? String(c.value);

export class ScriptedUi implements Ui {
  readonly scripted = true;

  constructor(
    private readonly command: string,
    private readonly answers: Record<string, unknown>,
  ) {}

  private missing(key: string): UserError {
    return new UserError(`Missing "${key}" in the arguments of ${this.command}.`);
  }

  private string(key: string): string {
    const v = this.answers[key];
    if (typeof v !== 'string' || !v) throw this.missing(key);
    return v;
  }

  async pick<T>(key: string, choices: readonly Choice<T>[]): Promise<T> {
    const v = this.answers[key];
    if (v === undefined || v === null) throw this.missing(key);
    const found = choices.find((c) => idOf(c) === String(v));
    if (!found) throw new UserError(`"${String(v)}" is not a valid "${key}" for ${this.command}. Use one of: ${choices.map(idOf).join(', ')}.`);
    return found.value;
  }

  async pickMany<T>(key: string, choices: readonly Choice<T>[]): Promise<T[]> {
    const v = this.answers[key];
    if (v === undefined) return choices.filter((c) => c.picked).map((c) => c.value);
    if (!Array.isArray(v)) throw new UserError(`"${key}" in the arguments of ${this.command} must be an array.`);
    const unknown = v.filter((x) => !choices.some((c) => idOf(c) === String(x)));
    if (unknown.length) throw new UserError(`Unknown "${key}" value(s) for ${this.command}: ${unknown.join(', ')}. Use ${choices.map(idOf).join(', ')}.`);
    return v.map((x) => choices.find((c) => idOf(c) === String(x))!.value);
  }

  async input(key: string, options: InputOptions): Promise<string> {
    const v = this.answers[key];
    if (typeof v !== 'string') throw this.missing(key);
    const problem = options.validate?.(v);
    if (problem) throw new UserError(`"${key}" in the arguments of ${this.command}: ${problem}.`);
    return v;
  }

  async confirm(key: string | undefined, options: ConfirmOptions): Promise<void> {
    if (options.scriptedConsent) return;
    if (key !== undefined && this.answers[key] === true) return;
    throw new UserError(options.refused);
  }

  async repository(): Promise<RepositoryRef> {
    const domainOwner = this.answers.domainOwner;
    return { domain: this.string('domain'), domainOwner: typeof domainOwner === 'string' && domainOwner ? domainOwner : undefined, repository: this.string('repository') };
  }

  async folder(): Promise<string> {
    return this.string('folder');
  }

  given<T>(key: string): T | undefined {
    return this.answers[key] as T | undefined;
  }

  info(): void {}

  warn(message: string): void {
    void vscode.window.showWarningMessage(message);
  }

  async files(key: string): Promise<string[]> {
    const v = this.answers[key];
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string' && x)) {
      throw new UserError(`"${key}" in the arguments of ${this.command} must be a file path or a non-empty array of file paths.`);
    }
    return list as string[];
  }

  async saveAs(key: string): Promise<string> {
    return this.string(key);
  }
}
