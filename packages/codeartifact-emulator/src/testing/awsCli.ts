// The real AWS CLI (`aws` v1 on PATH, or v2 at AWS_V2) against an emulator, with a throw-away HOME and fixed credentials.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aws ARGS` with HOME=`home` (no user config), region us-west-2 and key AKIDEXAMPLE. */
export function aws(home: string, args: string[]): Promise<CliRun> {
  return awsBinary('aws', home, args);
}

/** AWS CLI v2 as Debian's `awscli` installs it (scripts/install-test-tools.sh); `aws` on PATH is v1. */
export const AWS_V2 = '/usr/bin/aws';

/** Runs the AWS CLI `binary` (a name on PATH or a path) like aws(): HOME=`home`, region us-west-2, key AKIDEXAMPLE. */
export function awsBinary(binary: string, home: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      binary,
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

/** `aws --endpoint-url URL --output json codeartifact ARGS`; `binary` picks the CLI (default: `aws` on PATH, v1). */
export function codeartifactCli(url: string, home: string, binary = 'aws') {
  return (...args: string[]) => awsBinary(binary, home, ['--endpoint-url', url, '--output', 'json', 'codeartifact', ...args]);
}

/** The JSON a successful run printed (fails the test with its stderr otherwise). */
export function cliJson(r: CliRun): Record<string, unknown> {
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
}

/**
 * Asserts the run failed with the service error `type` for `operation` (the CLI's message and exit code:
 * 255 for v1, 254 for v2, which `code` gives).
 */
export function cliError(r: CliRun, type: string, operation: string, code = 255): void {
  assert.equal(r.code, code, `expected ${type}; stdout: ${r.stdout}`);
  assert.match(r.stderr, new RegExp(`An error occurred \\(${type}\\) when calling the ${operation} operation`), r.stderr);
}
