// Every one of the 48 CodeArtifact operations through the real AWS CLI v2 (Debian's `awscli`, /usr/bin/aws;
// scripts/install-test-tools.sh installs it) against its own emulator (src/testing/allOperations.ts), then the
// service's errors as v2 prints them. Debian's v2 2.9.x has a CodeArtifact model without package groups (36
// operations): the pass adds the newer model of the preinstalled v1's botocore with `aws configure add-model`
// (in its throw-away HOME) and names the operations that needed it in a diagnostic.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AWS_V2, cliError, cliJson, codeartifactCli, ensureModel, everyOperation, SDK_OPERATIONS, seed, startEmulator, type CliRun, type Emulator } from '../src/testing';

describe(
  'every CodeArtifact operation through the AWS CLI v2 (/usr/bin/aws)',
  { skip: !existsSync(AWS_V2) && `${AWS_V2} is absent: AWS CLI v2 not installed (scripts/install-test-tools.sh installs Debian's awscli)` },
  () => {
    let emu: Emulator;
    let home: string;
    let lacking: string[];
    before(async () => {
      home = mkdtempSync(join(tmpdir(), 'ca-cli-all-v2-'));
      emu = await startEmulator({ seed: seed().build() });
      lacking = await ensureModel(AWS_V2, home);
    });
    after(async () => {
      await emu?.close();
      if (home) rmSync(home, { recursive: true, force: true });
    });

    it('runs all 48, each exiting 0 with the fields a user looks at', async (t: TestContext) => {
      if (lacking.length > 0) {
        t.diagnostic(`the CLI v2's own model lacks ${lacking.length} operations (${lacking.join(', ')}): run with the newer model added by aws configure add-model`);
      }
      const ran = await everyOperation(emu, home, AWS_V2);
      assert.deepEqual([...ran].sort(), SDK_OPERATIONS);
    });

    it('prints the service errors: ConflictException, ResourceNotFoundException, ValidationException (exit 254)', async () => {
      const cli = codeartifactCli(emu.url, home, AWS_V2);
      // v2 exits 254 when the service answered with an error (v1: 255).
      const fails = (r: CliRun, type: string, operation: string) => cliError(r, type, operation, 254);
      cliJson(await cli('create-domain', '--domain', 'errs'));
      fails(await cli('create-domain', '--domain', 'errs'), 'ConflictException', 'CreateDomain');
      cliJson(await cli('create-repository', '--domain', 'errs', '--repository', 'repo'));
      fails(await cli('create-repository', '--domain', 'errs', '--repository', 'repo'), 'ConflictException', 'CreateRepository');
      const missing = await cli('describe-repository', '--domain', 'errs', '--repository', 'nope');
      fails(missing, 'ResourceNotFoundException', 'DescribeRepository');
      assert.match(missing.stderr, /nope/);
      fails(await cli('get-domain-permissions-policy', '--domain', 'errs'), 'ResourceNotFoundException', 'GetDomainPermissionsPolicy');
      fails(await cli('describe-domain', '--domain', 'nowhere'), 'ResourceNotFoundException', 'DescribeDomain');
      fails(await cli('get-authorization-token', '--domain', 'errs', '--duration-seconds', '60'), 'ValidationException', 'GetAuthorizationToken');
      fails(await cli('create-package-group', '--domain', 'errs', '--package-group', '/pypi//Acme_Tools$'), 'ValidationException', 'CreatePackageGroup');
      fails(await cli('put-domain-permissions-policy', '--domain', 'errs', '--policy-document', '[1]'), 'ValidationException', 'PutDomainPermissionsPolicy');
    });
  },
);
