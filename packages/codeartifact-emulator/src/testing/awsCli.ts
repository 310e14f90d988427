// The real AWS CLI (`aws` v1 on PATH) against an emulator, with a throw-away HOME and fixed credentials.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aws ARGS` with HOME=`home` (no user config), region us-west-2 and key AKIDEXAMPLE. */
export function aws(home: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      'aws',
      args,
      {
        timeout: 30_000,
        env: { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_DEFAULT_REGION: 'us-west-2', AWS_PAGER: '' },
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** `aws --endpoint-url URL --output json codeartifact ARGS`. */
export function codeartifactCli(url: string, home: string) {
  return (...args: string[]) => aws(home, ['--endpoint-url', url, '--output', 'json', 'codeartifact', ...args]);
}

/** The JSON a successful run printed (fails the test with its stderr otherwise). */
export function cliJson(r: CliRun): Record<string, unknown> {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
}

/** Asserts the run failed with the service error `type` for `operation` (exit 255, the CLI's message). */
export function cliError(r: CliRun, type: string, operation: string): void {
  assert.equal(r.code, 255, `expected ${type}; stdout: ${r.stdout}`);
  assert.match(r.stderr, new RegExp(`An error occurred \\(${type}\\) when calling the ${operation} operation`), r.stderr);
}
