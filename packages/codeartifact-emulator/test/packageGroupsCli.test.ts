// Package groups and origin configuration through the real AWS CLI v1 (`aws` on PATH): every operation
// at least once, and the errors as the CLI reports the service's answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../src/server';
import { testSeed } from '../src/testing';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('package groups through the AWS CLI', () => {
  let emu: Emulator;
  let home: string;
  const ca = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        'aws',
        ['--endpoint-url', emu.url, '--output', 'json', 'codeartifact', ...args],
        {
          timeout: 30_000,
          env: { PATH: process.env.PATH, HOME: home, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_DEFAULT_REGION: 'us-west-2', AWS_PAGER: '' },
        },
        (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  const json = async (p: Promise<Run>) => {
    const r = await p;
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const fails = async (p: Promise<Run>, error: RegExp) => {
    const r = await p;
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, error);
  };
  const d = ['--domain', 'acme'];

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'ca-cli-groups-'));
    emu = await startEmulator({ seed: testSeed() });
  });
  after(async () => {
    await emu.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('create, describe, update, list and delete package groups', async () => {
    const created = await json(ca('create-package-group', ...d, '--package-group', '/npm/*', '--description', 'all npm', '--contact-info', 'npm@acme.example'));
    assert.equal(created.packageGroup.pattern, '/npm/*');
    assert.equal(created.packageGroup.parent.pattern, '/*');
    assert.equal(created.packageGroup.originConfiguration.restrictions.PUBLISH.mode, 'INHERIT');
    await json(ca('create-package-group', ...d, '--package-group', '/npm/acme/*'));
    await fails(ca('create-package-group', ...d, '--package-group', '/npm/*'), /ConflictException/);
    await fails(ca('create-package-group', ...d, '--package-group', '/pypi//Acme_Tools$'), /ValidationException.*normalised/);

    const described = await json(ca('describe-package-group', ...d, '--package-group', '/npm/acme/*'));
    assert.equal(described.packageGroup.parent.pattern, '/npm/*');
    const updated = await json(ca('update-package-group', ...d, '--package-group', '/npm/*', '--description', 'every npm package'));
    assert.equal(updated.packageGroup.description, 'every npm package');
    assert.equal(updated.packageGroup.contactInfo, 'npm@acme.example');

    const listed = await json(ca('list-package-groups', ...d, '--prefix', '/npm'));
    assert.deepEqual(
      listed.packageGroups.map((g: { pattern: string }) => g.pattern),
      ['/npm/*', '/npm/acme/*'],
    );
    // The CLI pages on its own (max-items over the service's pages).
    const paged = await json(ca('list-package-groups', ...d, '--page-size', '1'));
    assert.equal(paged.packageGroups.length, 3);
    const subs = await json(ca('list-sub-package-groups', ...d, '--package-group', '/npm/*'));
    assert.deepEqual(
      subs.packageGroups.map((g: { pattern: string }) => g.pattern),
      ['/npm/acme/*'],
    );

    await fails(ca('delete-package-group', ...d, '--package-group', '/npm/*'), /ConflictException/);
    await fails(ca('delete-package-group', ...d, '--package-group', '/*'), /ValidationException/);
    const deleted = await json(ca('delete-package-group', ...d, '--package-group', '/npm/acme/*'));
    assert.equal(deleted.packageGroup.pattern, '/npm/acme/*');
    await fails(ca('describe-package-group', ...d, '--package-group', '/npm/acme/*'), /ResourceNotFoundException/);
  });

  it('origin configuration, allowed repositories, associated packages and the group of a package', async () => {
    await json(ca('create-package-group', ...d, '--package-group', '/npm/acme/*'));
    const upd = await json(
      ca(
        'update-package-group-origin-configuration',
        ...d,
        '--package-group',
        '/npm/acme/*',
        '--restrictions',
        'PUBLISH=ALLOW_SPECIFIC_REPOSITORIES,EXTERNAL_UPSTREAM=BLOCK',
        '--add-allowed-repositories',
        'repositoryName=app,originRestrictionType=PUBLISH',
      ),
    );
    assert.deepEqual(upd.allowedRepositoryUpdates, { PUBLISH: { ADDED: ['app'] } });
    assert.equal(upd.packageGroup.originConfiguration.restrictions.EXTERNAL_UPSTREAM.effectiveMode, 'BLOCK');
    assert.equal(upd.packageGroup.originConfiguration.restrictions.INTERNAL_UPSTREAM.inheritedFrom.pattern, '/*');
    await fails(ca('update-package-group-origin-configuration', ...d, '--package-group', '/npm/acme/*', '--restrictions', 'PUBLISH=SOMETIMES'), /ValidationException|Invalid/);

    const allowed = await json(ca('list-allowed-repositories-for-group', ...d, '--package-group', '/npm/acme/*', '--origin-restriction-type', 'PUBLISH'));
    assert.deepEqual(allowed.allowedRepositories, ['app']);
    const assoc = await json(ca('list-associated-packages', ...d, '--package-group', '/npm/acme/*'));
    assert.deepEqual(assoc.packages, [{ format: 'npm', namespace: 'acme', package: 'ui', associationType: 'STRONG' }]);
    const preview = await json(ca('list-associated-packages', ...d, '--package-group', '/maven/com.acme~', '--preview'));
    assert.deepEqual(preview.packages, [{ format: 'maven', namespace: 'com.acme', package: 'core', associationType: 'STRONG' }]);
    const group = await json(ca('get-associated-package-group', ...d, '--format', 'npm', '--namespace', 'acme', '--package', 'ui'));
    assert.equal(group.packageGroup.pattern, '/npm/acme/*');
    assert.equal(group.associationType, 'STRONG');

    const put = await json(
      ca('put-package-origin-configuration', ...d, '--repository', 'app', '--format', 'npm', '--package', 'left-pad', '--restrictions', 'publish=BLOCK,upstream=ALLOW'),
    );
    assert.deepEqual(put.originConfiguration, { restrictions: { publish: 'BLOCK', upstream: 'ALLOW' } });
    const described = await json(ca('describe-package', ...d, '--repository', 'app', '--format', 'npm', '--package', 'left-pad'));
    assert.deepEqual(described.package.originConfiguration, { restrictions: { publish: 'BLOCK', upstream: 'ALLOW' } });
    await fails(
      ca('put-package-origin-configuration', ...d, '--repository', 'app', '--format', 'npm', '--package', 'nope', '--restrictions', 'publish=BLOCK,upstream=BLOCK'),
      /ResourceNotFoundException/,
    );
  });
});
