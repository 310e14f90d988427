// Data-plane helpers for tests: temp folders, running real client
// tools with bounded time and no token in argv, and emulator admin calls.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAuthorizationTokenCommand } from '@aws-sdk/client-codeartifact';
import { sdkClient } from './testkit';
import type { Emulator } from '../server';
import { domainKey, issueToken } from '../state';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for assertions on what a user sees. */
  output: string;
  ms: number;
}

/** Runs a command (no shell), killing it after `timeoutMs`. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output: stdout + stderr, ms: Date.now() - started });
    });
  });
}

export class TempDirs {
  private dirs: string[] = [];
  make(prefix: string): string {
    const d = mkdtempSync(join(tmpdir(), `emu-${prefix}-`));
    this.dirs.push(d);
    return d;
  }
  cleanup(): void {
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
    this.dirs = [];
  }
}

/** Writes a file holding a secret: mode 0600. */
export function writeSecret(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
}

/** A token for the domain through the real SDK (GetAuthorizationToken); falls back to the state helper. */
export async function tokenFor(emu: Emulator, domain = 'acme', seconds = 3600): Promise<string> {
  try {
    const out = await sdkClient(emu.url).send(new GetAuthorizationTokenCommand({ domain, durationSeconds: seconds }));
    if (out.authorizationToken) return out.authorizationToken;
  } catch {
    // Control plane not available: issue directly.
  }
  const d = emu.ctx.state.domains[domainKey(emu.ctx.state.accountId, domain)];
  return issueToken(emu.ctx.state, emu.ctx.clock, d, seconds).token;
}

export async function admin(emu: Emulator, path: string, body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${emu.url}/_emulator/${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return (await res.json()) as Record<string, unknown>;
}

export function endpoint(emu: Emulator, format: 'npm' | 'pypi' | 'maven' | 'ruby' | 'cargo' | 'nuget' | 'swift', repo: string, domain = 'acme', owner = '111122223333'): string {
  return `${emu.url}/${format}/d/${domain}-${owner}/${repo}/`;
}

export function basic(token: string): string {
  return 'Basic ' + Buffer.from(`aws:${token}`).toString('base64');
}

/** An environment for child tools: HOME in a temp folder so no user config leaks in. */
export function toolEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', ...extra };
  for (const k of ['PYENV_ROOT', 'PYENV_VERSION', 'JAVA_HOME']) if (process.env[k]) env[k] = process.env[k];
  return env;
}
