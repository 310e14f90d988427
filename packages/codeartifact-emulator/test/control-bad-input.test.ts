// Bad input to the policy, tag, publish, delete-package and dependency routes over raw HTTP: every
// request gets a 4xx JSON error of the service's type, the server keeps serving, and the stored state
// is byte-for-byte what it was before.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startEmulator, type Emulator } from '../src/server';
import { raw, testSeed } from '../src/testing';

const ARN = 'arn:aws:codeartifact:us-west-2:111122223333';
const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;
const pkg = { domain: 'acme', repository: 'app', format: 'generic', namespace: 'tools', package: 'bundle', version: '1.0.0', asset: 'a.bin' };

// [method, path + query, body, headers, status, error type]
type Case = [string, string, string | undefined, Record<string, string>, number, string];
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const CASES: Case[] = [
  // Permissions policies.
  ['PUT', '/v1/domain/permissions/policy', '{"policyDocument":"{}"}', {}, 400, 'ValidationException'],
  ['PUT', '/v1/domain/permissions/policy', '{"domain":"acme"}', {}, 400, 'ValidationException'],
  ['PUT', '/v1/domain/permissions/policy', '{"domain":"acme","policyDocument":"{not json"}', {}, 400, 'ValidationException'],
  ['PUT', '/v1/domain/permissions/policy', '{"domain":"acme","policyDocument":"[]"}', {}, 400, 'ValidationException'],
  ['PUT', '/v1/domain/permissions/policy', '{"domain":"acme","policyDocument":42}', {}, 400, 'ValidationException'],
  ['PUT', '/v1/domain/permissions/policy', '{"domain":"Bad_Name","policyDocument":"{}"}', {}, 400, 'ValidationException'],
  ['PUT', '/v1/domain/permissions/policy', '{"domain":"acme","domainOwner":"12","policyDocument":"{}"}', {}, 400, 'ValidationException'],
  ['PUT', '/v1/domain/permissions/policy', '{"domain":"acme","policyRevision":"has space","policyDocument":"{}"}', {}, 400, 'ValidationException'],
  ['PUT', '/v1/domain/permissions/policy', '{"domain":"acme","policyRevision":"r1","policyDocument":"{}"}', {}, 409, 'ConflictException'],
  ['PUT', '/v1/domain/permissions/policy', '{"domain":"nope","policyDocument":"{}"}', {}, 404, 'ResourceNotFoundException'],
  ['PUT', '/v1/domain/permissions/policy', '{"domain": ', {}, 400, 'ValidationException'],
  ['GET', `/v1/domain/permissions/policy${q({ domain: 'acme' })}`, undefined, {}, 404, 'ResourceNotFoundException'],
  ['GET', '/v1/domain/permissions/policy', undefined, {}, 400, 'ValidationException'],
  ['DELETE', `/v1/domain/permissions/policy${q({ domain: 'acme' })}`, undefined, {}, 404, 'ResourceNotFoundException'],
  ['PUT', `/v1/repository/permissions/policy${q({ domain: 'acme', repository: 'app' })}`, '{"policyDocument":"x"}', {}, 400, 'ValidationException'],
  ['PUT', `/v1/repository/permissions/policy${q({ domain: 'acme', repository: 'nope' })}`, '{"policyDocument":"{}"}', {}, 404, 'ResourceNotFoundException'],
  ['PUT', `/v1/repository/permissions/policy${q({ domain: 'acme' })}`, '{"policyDocument":"{}"}', {}, 400, 'ValidationException'],
  ['GET', `/v1/repository/permissions/policy${q({ domain: 'acme', repository: 'app' })}`, undefined, {}, 404, 'ResourceNotFoundException'],
  ['DELETE', `/v1/repository/permissions/policies${q({ domain: 'acme', repository: 'app', 'policy-revision': 'r' })}`, undefined, {}, 404, 'ResourceNotFoundException'],
  ['DELETE', `/v1/repository/permissions/policy${q({ domain: 'acme', repository: 'app' })}`, undefined, {}, 404, 'UnknownOperationException'],
  // Tags.
  ['POST', '/v1/tag', '{"tags":[]}', {}, 400, 'ValidationException'],
  ['POST', `/v1/tag${q({ resourceArn: `${ARN}:domain/acme` })}`, '{}', {}, 400, 'ValidationException'],
  ['POST', `/v1/tag${q({ resourceArn: `${ARN}:domain/acme` })}`, '{"tags":"x"}', {}, 400, 'ValidationException'],
  ['POST', `/v1/tag${q({ resourceArn: `${ARN}:domain/acme` })}`, '{"tags":[{"key":"","value":""}]}', {}, 400, 'ValidationException'],
  ['POST', `/v1/tag${q({ resourceArn: `${ARN}:domain/acme` })}`, `{"tags":[{"key":"${'k'.repeat(129)}","value":""}]}`, {}, 400, 'ValidationException'],
  ['POST', `/v1/tag${q({ resourceArn: `${ARN}:domain/acme` })}`, `{"tags":[{"key":"k","value":"${'v'.repeat(257)}"}]}`, {}, 400, 'ValidationException'],
  ['POST', `/v1/tag${q({ resourceArn: `${ARN}:domain/acme` })}`, '{"tags":[{"key":"aws:k","value":"v"}]}', {}, 400, 'ValidationException'],
  ['POST', `/v1/tag${q({ resourceArn: `${ARN}:domain/acme` })}`, '{"tags":[{"key":"k"}]}', {}, 400, 'ValidationException'],
  ['POST', `/v1/tag${q({ resourceArn: 'arn:aws:s3:::bucket' })}`, '{"tags":[{"key":"k","value":"v"}]}', {}, 400, 'ValidationException'],
  ['POST', `/v1/tag${q({ resourceArn: `${ARN}:domain/nope` })}`, '{"tags":[{"key":"k","value":"v"}]}', {}, 404, 'ResourceNotFoundException'],
  ['POST', `/v1/tag${q({ resourceArn: `${ARN}:package-group/acme/%E0%A4%A` })}`, '{"tags":[{"key":"k","value":"v"}]}', {}, 400, 'ValidationException'],
  ['POST', `/v1/tag${q({ resourceArn: `${ARN}:package-group/acme/%2Fnpm%2Fnope%2F*` })}`, '{"tags":[{"key":"k","value":"v"}]}', {}, 404, 'ResourceNotFoundException'],
  ['POST', `/v1/untag${q({ resourceArn: `${ARN}:domain/acme` })}`, '{}', {}, 400, 'ValidationException'],
  ['POST', `/v1/untag${q({ resourceArn: `${ARN}:domain/acme` })}`, '{"tagKeys":[1]}', {}, 400, 'ValidationException'],
  ['POST', `/v1/untag${q({ resourceArn: `${ARN}:domain/acme` })}`, '{"tagKeys":[""]}', {}, 400, 'ValidationException'],
  ['POST', `/v1/untag${q({ resourceArn: `${ARN}:repository/acme/nope` })}`, '{"tagKeys":["a"]}', {}, 404, 'ResourceNotFoundException'],
  ['POST', '/v1/tags', undefined, {}, 400, 'ValidationException'],
  ['POST', `/v1/tags${q({ resourceArn: 'arn:aws:codeartifact:us-west-2:111122223333:repository/acme' })}`, undefined, {}, 400, 'ValidationException'],
  // Issue 15: names that are Object.prototype members, and the admin routes.
  ...['toString', 'constructor', 'hasOwnProperty', 'valueOf'].flatMap((name): Case[] => [
    ['GET', `/v1/repository${q({ domain: 'acme', repository: name })}`, undefined, {}, 404, 'ResourceNotFoundException'],
    ['DELETE', `/v1/repository${q({ domain: 'acme', repository: name })}`, undefined, {}, 404, 'ResourceNotFoundException'],
    ['POST', `/v1/repository${q({ domain: 'acme', repository: 'fresh' })}`, JSON.stringify({ upstreams: [{ repositoryName: name }] }), {}, 404, 'ResourceNotFoundException'],
    ['GET', `/v1/domain${q({ domain: name.toLowerCase() })}`, undefined, {}, 404, 'ResourceNotFoundException'],
    ['POST', `/v1/repository/external-connection${q({ domain: 'acme', repository: 'staging', 'external-connection': name })}`, undefined, {}, 400, 'ValidationException'],
    ['GET', `/v1/package${q({ domain: 'acme', repository: 'app', format: 'npm', package: name })}`, undefined, {}, 404, 'ResourceNotFoundException'],
    [
      'GET',
      `/v1/package/version${q({ domain: 'acme', repository: 'app', format: 'npm', namespace: 'acme', package: 'ui', version: name })}`,
      undefined,
      {},
      404,
      'ResourceNotFoundException',
    ],
  ]),
  ['GET', `/v1/repository${q({ domain: 'acme', repository: '__proto__' })}`, undefined, {}, 400, 'ValidationException'],
  ['GET', `/v1/package${q({ domain: 'acme', repository: 'app', format: 'npm', package: '__proto__' })}`, undefined, {}, 404, 'ResourceNotFoundException'],
  ['POST', '/_emulator/clock', '{"advanceSeconds":"abc"}', {}, 400, 'ValidationException'],
  ['POST', '/_emulator/clock', '{"advanceSeconds":', {}, 400, 'ValidationException'],
  ['POST', '/_emulator/settings', '{"latencyMs":"slow"}', {}, 400, 'ValidationException'],
  ['POST', '/_emulator/settings', '"x"', {}, 400, 'ValidationException'],
  // PublishPackageVersion, DeletePackage, ListPackageVersionDependencies.
  ['POST', `/v1/package/version/publish${q(pkg)}`, 'data', {}, 400, 'ValidationException'],
  ['POST', `/v1/package/version/publish${q(pkg)}`, 'data', { 'x-amz-content-sha256': 'zz' }, 400, 'ValidationException'],
  ['POST', `/v1/package/version/publish${q(pkg)}`, 'data', { 'x-amz-content-sha256': sha('other') }, 400, 'ValidationException'],
  ['POST', `/v1/package/version/publish${q({ ...pkg, format: 'npm' })}`, 'data', { 'x-amz-content-sha256': sha('data') }, 400, 'ValidationException'],
  ['POST', `/v1/package/version/publish${q({ ...pkg, namespace: '' })}`, 'data', { 'x-amz-content-sha256': sha('data') }, 400, 'ValidationException'],
  ['POST', `/v1/package/version/publish${q({ ...pkg, unfinished: 'maybe' })}`, 'data', { 'x-amz-content-sha256': sha('data') }, 400, 'ValidationException'],
  ['POST', `/v1/package/version/publish${q({ ...pkg, asset: '' })}`, 'data', { 'x-amz-content-sha256': sha('data') }, 400, 'ValidationException'],
  ['POST', `/v1/package/version/publish${q({ ...pkg, asset: 'tab\there' })}`, 'data', { 'x-amz-content-sha256': sha('data') }, 400, 'ValidationException'],
  ['POST', `/v1/package/version/publish${q({ ...pkg, version: 'a/b' })}`, 'data', { 'x-amz-content-sha256': sha('data') }, 400, 'ValidationException'],
  ['POST', `/v1/package/version/publish${q({ ...pkg, repository: 'nope' })}`, 'data', { 'x-amz-content-sha256': sha('data') }, 404, 'ResourceNotFoundException'],
  ['DELETE', `/v1/package${q({ domain: 'acme', repository: 'app', format: 'npm', package: 'nope' })}`, undefined, {}, 404, 'ResourceNotFoundException'],
  ['DELETE', `/v1/package${q({ domain: 'acme', repository: 'app', format: 'rubygem', package: 'x' })}`, undefined, {}, 400, 'ValidationException'],
  ['DELETE', `/v1/package${q({ domain: 'acme', repository: 'app', format: 'npm' })}`, undefined, {}, 400, 'ValidationException'],
  ['POST', `/v1/package/version/dependencies${q({ domain: 'acme', repository: 'app', format: 'npm', package: 'left-pad' })}`, undefined, {}, 400, 'ValidationException'],
  [
    'POST',
    `/v1/package/version/dependencies${q({ domain: 'acme', repository: 'app', format: 'npm', package: 'left-pad', version: '1.3.0', 'next-token': 'bm9wZQ' })}`,
    undefined,
    {},
    400,
    'ValidationException',
  ],
  [
    'POST',
    `/v1/package/version/dependencies${q({ domain: 'acme', repository: 'app', format: 'npm', package: 'left-pad', version: '0.0.1' })}`,
    undefined,
    {},
    404,
    'ResourceNotFoundException',
  ],
];

describe('bad input to the policy, tag, publish and dependency routes', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: testSeed() });
  });
  after(async () => {
    await emu.close();
  });

  it('each case: the status and error type expected, a JSON message, the state unchanged', async () => {
    for (const [method, path, body, headers, status, type] of CASES) {
      const before = JSON.stringify(emu.ctx.state);
      const r = await raw(emu.url, method, path, { body, headers });
      const what = `${method} ${path.slice(0, 160)}`;
      assert.equal(r.status, status, `${what}: ${r.text}`);
      assert.equal(r.errorType, type, what);
      assert.equal(r.json?.__type, type, what);
      assert.equal(typeof r.json?.message, 'string', what);
      assert.equal(JSON.stringify(emu.ctx.state), before, `${what} changed the state`);
    }
    const ok = await raw(emu.url, 'POST', '/v1/domains');
    assert.equal(ok.status, 200, 'still serving');
  });
});
