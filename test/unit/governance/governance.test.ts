// The governance core against the emulator: a generic version stays Unfinished until its last asset, then is
// Published with every asset's SHA-256; package group patterns and restriction objects are checked as typed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DescribePackageVersionCommand } from '@aws-sdk/client-codeartifact';
import { sdkClient, seed, startEmulator, type Emulator } from 'codeartifact-emulator/testing';
import { CodeArtifact } from '../../../src/core/aws/client';
import { groupUpstreamBlock, publishGeneric, sha256Hex } from '../../../src/core/aws/governance';
import { parseAllowedRepositories, parseRestrictions, patternProblem } from '../../../src/core/packageGroupPattern';

let emu: Emulator;
let ca: CodeArtifact;

before(async () => {
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'secret';
  emu = await startEmulator({ seed: seed().domain('acme').repo('app').build() });
  ca = new CodeArtifact({ region: 'us-west-2', endpoint: emu.url, maxAttempts: 1 });
});
after(async () => {
  ca?.dispose();
  await emu?.close();
});

test('a generic version is Unfinished until its last asset, then Published', async () => {
  const seen: string[] = [];
  const ref = { domain: 'acme', repository: 'app', namespace: 'tools', name: 'cli', version: '1.0.0' };
  const assets = [
    { name: 'a.bin', content: new Uint8Array([1, 2, 3]) },
    { name: 'b.bin', content: new Uint8Array([4, 5]) },
    { name: 'c.txt', content: new TextEncoder().encode('hello') },
  ];
  const result = await publishGeneric(ca, ref, assets, async (done, total, name, status) => {
    seen.push(`${done}/${total} ${name} ${status}`);
  });
  assert.deepEqual(seen, ['1/3 a.bin Unfinished', '2/3 b.bin Unfinished', '3/3 c.txt Published']);
  assert.equal(result.status, 'Published');
  assert.deepEqual(
    result.assets.map((a) => a.sha256),
    assets.map((a) => sha256Hex(a.content)),
  );
  const d = await sdkClient(emu.url).send(
    new DescribePackageVersionCommand({ domain: 'acme', repository: 'app', format: 'generic', namespace: 'tools', package: 'cli', packageVersion: '1.0.0' }),
  );
  assert.equal(d.packageVersion?.status, 'Published');
});

test('package group patterns: accepted forms, and a sentence for each refused one', () => {
  for (const ok of [
    '/*',
    '/npm/*',
    '/npm/acme/*',
    '/npm//left-pad$',
    '/npm/acme/ui$',
    '/npm/ac~',
    '/npm/acme/ui-~',
    '/pypi//requests$',
    '/maven/com.acme/*',
    '/generic/tools/cli$',
  ]) {
    assert.equal(patternProblem(ok), undefined, ok);
  }
  assert.match(patternProblem('')!, /Type a pattern/);
  assert.match(patternProblem('npm/*')!, /starts with "\/"/);
  assert.match(patternProblem('/npm/acme')!, /ends with "\*"/);
  assert.match(patternProblem('/cobol/*')!, /"cobol" is not a package format/);
  assert.match(patternProblem('/npm/acme*')!, /right after a "\/"/);
  assert.match(patternProblem('/npm/acme$')!, /"\$" ends a full path/);
  assert.match(patternProblem('/pypi/ns/requests$')!, /pypi packages have no namespace/);
  assert.match(patternProblem('/npm/a b/x$')!, /may not contain spaces/);
  assert.match(patternProblem('/npm/acme/$')!, /name part is empty/);
});

test('restriction objects from an argument object name the bad key or value', () => {
  assert.deepEqual(parseRestrictions({ PUBLISH: 'BLOCK', EXTERNAL_UPSTREAM: 'INHERIT' }), { PUBLISH: 'BLOCK', EXTERNAL_UPSTREAM: 'INHERIT' });
  assert.throws(() => parseRestrictions({ UPLOAD: 'BLOCK' }), /"restrictions.UPLOAD" is not a restriction type/);
  assert.throws(() => parseRestrictions({ PUBLISH: 'NEVER' }), /"restrictions.PUBLISH" is "NEVER"/);
  assert.throws(() => parseRestrictions('BLOCK'), /must be an object/);
  assert.deepEqual(parseAllowedRepositories({ PUBLISH: ['release'] }), { PUBLISH: ['release'] });
  assert.throws(() => parseAllowedRepositories({ PUBLISH: 'release' }), /"allowedRepositories.PUBLISH" must be an array/);
});

test('a group blocks upstream when its effective EXTERNAL_UPSTREAM or INTERNAL_UPSTREAM is BLOCK', () => {
  assert.equal(groupUpstreamBlock(undefined), undefined);
  assert.equal(groupUpstreamBlock({ pattern: '/*', originConfiguration: { restrictions: { PUBLISH: { mode: 'BLOCK', effectiveMode: 'BLOCK' } } } }), undefined);
  assert.equal(
    groupUpstreamBlock({
      pattern: '/npm/acme/ui$',
      originConfiguration: { restrictions: { EXTERNAL_UPSTREAM: { mode: 'INHERIT', effectiveMode: 'BLOCK', inheritedFrom: { pattern: '/npm/acme/*' } } } },
    }),
    'the package group /npm/acme/ui$ sets EXTERNAL_UPSTREAM=BLOCK, inherited from /npm/acme/*',
  );
});
