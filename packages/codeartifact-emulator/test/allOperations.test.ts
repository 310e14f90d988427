// Every one of the 48 CodeArtifact operations through the real AWS CLI v1 (`aws` on PATH) against an emulator
// (src/testing/allOperations.ts): the list is the SDK's `*Command` exports, so an operation the SDK has and
// the sequence does not run fails here. The v2 pass is test/allOperationsV2.test.ts.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { everyOperation, SDK_OPERATIONS, seed, startEmulator, type Emulator } from '../src/testing';

/** `aws` on PATH; a pyenv shim resolved to the script it runs (a second Python start-up less per call). */
function awsV1(): string {
  try {
    return execFileSync('pyenv', ['which', 'aws'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || 'aws';
  } catch {
    return 'aws';
  }
}

describe('every CodeArtifact operation through the AWS CLI v1', () => {
  let emu: Emulator | undefined;
  const home = mkdtempSync(join(tmpdir(), 'ca-cli-all-v1-'));
  after(async () => {
    await emu?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('the SDK names the 48 operations', () => {
    assert.equal(SDK_OPERATIONS.length, 48, SDK_OPERATIONS.join(' '));
  });

  it('AWS CLI v1 (aws on PATH) runs all 48, each exiting 0 with the fields a user looks at', async () => {
    emu = await startEmulator({ seed: seed().build() });
    const ran = await everyOperation(emu, home, awsV1());
    assert.deepEqual([...ran].sort(), SDK_OPERATIONS);
  });
});
