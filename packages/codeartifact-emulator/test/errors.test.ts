// Error answers: each error type through the real SDK (name and modeled fields), bad input over raw HTTP,
// authentication and the principals' allow lists, and a fuzz loop that must never crash the server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateRepositoryCommand,
  DescribeRepositoryCommand,
  GetAuthorizationTokenCommand,
  ListDomainsCommand,
  ListPackagesCommand,
  ListPackageVersionsCommand,
  UpdateRepositoryCommand,
  type PackageFormat,
} from '@aws-sdk/client-codeartifact';
import { startEmulator, type Emulator } from '../src/server';
import { actionMatches } from '../src/auth';
import { raw, rejection, sdkClient, testSeed } from '../src/testing';

type Meta = { $metadata?: { httpStatusCode?: number }; $fault?: string };

describe('error types through the AWS SDK', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: testSeed() });
  });
  after(async () => {
    await emu.close();
  });

  it('ValidationException: bad names, enums and durations, with reason', async () => {
    const ca = sdkClient(emu.url);
    const name = await rejection(ca.send(new DescribeRepositoryCommand({ domain: 'Bad_Domain', repository: 'app' })));
    assert.equal(name.name, 'ValidationException');
    assert.equal(name.reason, 'FIELD_VALIDATION_FAILED');
    assert.match(name.message, /Bad_Domain/);
    assert.equal((name as Meta).$metadata?.httpStatusCode, 400);
    const format = await rejection(ca.send(new ListPackagesCommand({ domain: 'acme', repository: 'app', format: 'rubygems' as PackageFormat })));
    assert.equal(format.name, 'ValidationException');
    assert.match(format.message, /rubygems/);
    const dur = await rejection(ca.send(new GetAuthorizationTokenCommand({ domain: 'acme', durationSeconds: 60 })));
    assert.equal(dur.name, 'ValidationException');
    ca.destroy();
  });

  it('ResourceNotFoundException and ConflictException carry resourceType and resourceId', async () => {
    const ca = sdkClient(emu.url);
    const nf = await rejection(ca.send(new ListPackageVersionsCommand({ domain: 'acme', repository: 'app', format: 'npm', package: 'does-not-exist' })));
    assert.equal(nf.name, 'ResourceNotFoundException');
    assert.equal(nf.resourceType, 'package');
    assert.equal(nf.resourceId, 'does-not-exist');
    const cf = await rejection(ca.send(new CreateRepositoryCommand({ domain: 'acme', repository: 'app' })));
    assert.equal(cf.name, 'ConflictException');
    assert.equal(cf.resourceType, 'repository');
    assert.equal(cf.resourceId, 'app');
    assert.equal((cf as Meta).$metadata?.httpStatusCode, 409);
    ca.destroy();
  });

  it('ServiceQuotaExceededException (402) for an 11th upstream', async () => {
    const ca = sdkClient(emu.url);
    const e = await rejection(
      ca.send(new UpdateRepositoryCommand({ domain: 'acme', repository: 'staging', upstreams: Array.from({ length: 11 }, () => ({ repositoryName: 'app' })) })),
    );
    assert.equal(e.name, 'ServiceQuotaExceededException');
    assert.equal((e as Meta).$metadata?.httpStatusCode, 402);
    ca.destroy();
  });

  it('ThrottlingException with Retry-After, InternalServerException as a server fault', async () => {
    const throttled = await startEmulator({ seed: testSeed(), throttleRate: 1 });
    const failing = await startEmulator({ seed: testSeed(), failRate: 1 });
    try {
      const t = await rejection(sdkClient(throttled.url).send(new ListDomainsCommand({})));
      assert.equal(t.name, 'ThrottlingException');
      assert.equal(t.retryAfterSeconds, 1);
      assert.equal((t as Meta).$metadata?.httpStatusCode, 429);
      const f = await rejection(sdkClient(failing.url).send(new ListDomainsCommand({})));
      assert.equal(f.name, 'InternalServerException');
      assert.equal((f as Meta).$fault, 'server');
      assert.equal((f as Meta).$metadata?.httpStatusCode, 500);
    } finally {
      await throttled.close();
      await failing.close();
    }
  });
});

describe('principals and SigV4', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      seed: {
        ...testSeed(),
        principals: [
          { accessKeyId: 'AKIDREADONLY', allow: ['codeartifact:List*', 'codeartifact:Describe*'] },
          { accessKeyId: 'AKIDADMIN', allow: ['codeartifact:*'] },
        ],
      },
    });
  });
  after(async () => {
    await emu.close();
  });

  it('a read-only key may list and describe, and is refused other actions by name', async () => {
    const ro = sdkClient(emu.url, 'AKIDREADONLY');
    const r = await ro.send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'app' }));
    assert.equal(r.repository?.name, 'app');
    const e = await rejection(ro.send(new GetAuthorizationTokenCommand({ domain: 'acme' })));
    assert.equal(e.name, 'AccessDeniedException');
    assert.equal((e as Meta).$metadata?.httpStatusCode, 403);
    assert.match(
      e.message,
      /User: arn:aws:iam::111122223333:user\/AKIDREADONLY is not authorized to perform: codeartifact:GetAuthorizationToken on resource: arn:aws:codeartifact:us-west-2:111122223333:domain\/acme/,
    );
    const c = await rejection(ro.send(new CreateRepositoryCommand({ domain: 'acme', repository: 'new-repo' })));
    assert.match(c.message, /codeartifact:CreateRepository on resource: arn:aws:codeartifact:us-west-2:111122223333:repository\/acme\/new-repo/);
    ro.destroy();
  });

  it('an admin key may do anything; an undeclared key nothing', async () => {
    const admin = sdkClient(emu.url, 'AKIDADMIN');
    const t = await admin.send(new GetAuthorizationTokenCommand({ domain: 'acme' }));
    assert.ok(t.authorizationToken);
    const stranger = await rejection(sdkClient(emu.url, 'AKIDSTRANGER').send(new ListDomainsCommand({})));
    assert.equal(stranger.name, 'AccessDeniedException');
    assert.match(stranger.message, /codeartifact:ListDomains/);
    admin.destroy();
  });

  it('without principals any key may do anything', async () => {
    const open = await startEmulator({ seed: testSeed() });
    try {
      const t = await sdkClient(open.url, 'AKIDANYONE').send(new GetAuthorizationTokenCommand({ domain: 'acme' }));
      assert.ok(t.authorizationToken);
    } finally {
      await open.close();
    }
  });

  it('an unsigned request is refused with 403', async () => {
    const r = await raw(emu.url, 'GET', '/v1/repository?domain=acme&repository=app', { auth: false });
    assert.equal(r.status, 403);
    assert.equal(r.errorType, 'MissingAuthenticationTokenException');
    assert.equal(r.json?.__type, 'MissingAuthenticationTokenException');
    const basic = await raw(emu.url, 'GET', '/v1/repository?domain=acme&repository=app', { auth: false, headers: { authorization: 'Basic YXdzOnNlY3JldA==' } });
    assert.equal(basic.status, 403);
    assert.equal(basic.errorType, 'IncompleteSignatureException');
  });

  it('action patterns match like IAM wildcards', () => {
    assert.ok(actionMatches('codeartifact:List*', 'codeartifact:ListPackages'));
    assert.ok(actionMatches('codeartifact:*', 'codeartifact:CreateDomain'));
    assert.ok(actionMatches('*', 'codeartifact:CreateDomain'));
    assert.ok(actionMatches('codeartifact:describe*', 'codeartifact:DescribeDomain'));
    assert.ok(!actionMatches('codeartifact:List*', 'codeartifact:DescribeDomain'));
    assert.ok(!actionMatches('codeartifact:Get?', 'codeartifact:GetAuthorizationToken'));
  });
});

describe('bad input over raw HTTP', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: testSeed() });
  });
  after(async () => {
    await emu.close();
  });

  function assertError(r: Awaited<ReturnType<typeof raw>>, status: number, type: string): void {
    assert.equal(r.status, status, r.text);
    assert.equal(r.errorType, type);
    assert.equal(r.json?.__type, type);
    assert.equal(typeof r.json?.message, 'string');
    assert.match(r.contentType ?? '', /application\/json/);
  }

  it('malformed JSON body: ValidationException CANNOT_PARSE', async () => {
    const r = await raw(emu.url, 'POST', '/v1/repository?domain=acme&repository=x1', { body: '{"description": ', headers: { 'content-type': 'application/json' } });
    assertError(r, 400, 'ValidationException');
    assert.equal(r.json?.reason, 'CANNOT_PARSE');
    const notObject = await raw(emu.url, 'POST', '/v1/domains', { body: '[1,2]' });
    assertError(notObject, 400, 'ValidationException');
    assert.equal(notObject.json?.reason, 'CANNOT_PARSE');
  });

  it('ListDomains reads maxResults and nextToken from the body', async () => {
    const r = await raw(emu.url, 'POST', '/v1/domains', { body: '{"maxResults":0}', headers: { 'content-type': 'application/json' } });
    assertError(r, 400, 'ValidationException');
    assert.match(r.json!.message as string, /'maxResults'/);
    const t = await raw(emu.url, 'POST', '/v1/domains', { body: '{"nextToken":"bm90LWEtdG9rZW4"}' });
    assertError(t, 400, 'ValidationException');
  });

  it('empty body, {} and no Content-Type are all accepted', async () => {
    for (const body of [undefined, '', '{}']) {
      const r = await raw(emu.url, 'POST', '/v1/domains', { body });
      assert.equal(r.status, 200, r.text);
      assert.ok(Array.isArray(r.json?.domains));
    }
    const created = await raw(emu.url, 'POST', '/v1/repository?domain=acme&repository=no-ctype', { body: '{"description":"d"}' });
    assert.equal(created.status, 200, created.text);
    assert.equal((created.json?.repository as { description?: string }).description, 'd');
  });

  it('unknown route: 404 UnknownOperationException', async () => {
    assertError(await raw(emu.url, 'GET', '/v1/nothing-here'), 404, 'UnknownOperationException');
    assertError(await raw(emu.url, 'PATCH', '/v1/repository?domain=acme&repository=app'), 404, 'UnknownOperationException');
    assertError(await raw(emu.url, 'GET', '/not-a-route'), 404, 'UnknownOperationException');
  });

  it('missing required query parameter: ValidationException naming it', async () => {
    const r = await raw(emu.url, 'GET', '/v1/repository?domain=acme');
    assertError(r, 400, 'ValidationException');
    assert.match(r.json!.message as string, /'repository'/);
    const v = await raw(emu.url, 'GET', '/v1/package/version?domain=acme&repository=app&format=npm&package=ui');
    assertError(v, 400, 'ValidationException');
    assert.match(v.json!.message as string, /'version'/);
    const copy = await raw(emu.url, 'POST', '/v1/package/versions/copy?domain=acme&source-repository=app&format=npm&package=ui', { body: '{"versions":["1.0.0"]}' });
    assert.match(copy.json!.message as string, /'destination-repository'/);
  });

  it('invalid enum values: ValidationException naming the value', async () => {
    const cases: [string, string, string][] = [
      ['POST', '/v1/packages?domain=acme&repository=app&format=rubygem', 'rubygem'],
      ['POST', '/v1/package/versions?domain=acme&repository=app&format=npm&namespace=acme&package=ui&status=Gone', 'Gone'],
      ['POST', '/v1/package/versions?domain=acme&repository=app&format=npm&namespace=acme&package=ui&originType=ELSEWHERE', 'ELSEWHERE'],
      ['POST', '/v1/package/versions?domain=acme&repository=app&format=npm&namespace=acme&package=ui&sortBy=NAME', 'NAME'],
      ['GET', '/v1/repository/endpoint?domain=acme&repository=app&format=npm&endpointType=ipv6', 'ipv6'],
      ['POST', '/v1/packages?domain=acme&repository=app&upstream=MAYBE', 'MAYBE'],
      ['POST', '/v1/packages?domain=acme&repository=app&publish=NEVER', 'NEVER'],
    ];
    for (const [method, path, value] of cases) {
      const r = await raw(emu.url, method, path);
      assertError(r, 400, 'ValidationException');
      assert.ok((r.json!.message as string).includes(value), `${path}: ${r.json!.message as string}`);
    }
    const target = await raw(emu.url, 'POST', '/v1/package/versions/update_status?domain=acme&repository=app&format=npm&namespace=acme&package=ui', {
      body: '{"versions":["1.0.0"],"targetStatus":"Shiny"}',
    });
    assertError(target, 400, 'ValidationException');
    assert.match(target.json!.message as string, /Shiny/);
  });

  it('fuzz: a few hundred random requests never crash the server and always answer JSON', async () => {
    // Deterministic PRNG so a failure repeats.
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
    const paths = [
      '/v1/domains',
      '/v1/domain',
      '/v1/repositories',
      '/v1/domain/repositories',
      '/v1/repository',
      '/v1/repository/external-connection',
      '/v1/packages',
      '/v1/package',
      '/v1/package/versions',
      '/v1/package/version',
      '/v1/package/version/assets',
      '/v1/package/version/readme',
      '/v1/package/version/asset',
      '/v1/authorization-token',
      '/v1/repository/endpoint',
      '/v1/package/versions/delete',
      '/v1/package/versions/dispose',
      '/v1/package/versions/update_status',
      '/v1/package/versions/copy',
      '/v1/package/version/publish',
      '/v1/package/version/dependencies',
      '/v1/domain/permissions/policy',
      '/v1/repository/permissions/policy',
      '/v1/repository/permissions/policies',
      '/v1/tag',
      '/v1/untag',
      '/v1/tags',
      '/v1/package-group',
      '/v1/package-groups',
      '/v1/package-groups/sub-groups',
      '/v1/get-associated-package-group',
      '/v1/package-group-origin-configuration',
      '/v1/package-group-allowed-repositories',
      '/v1/list-associated-packages',
      '/v1/',
      '/v1//domain',
      '/v1/domain/',
      '/v1/%ZZ',
      '/v1/domain%00',
    ];
    const keys = [
      'domain',
      'domain-owner',
      'repository',
      'format',
      'namespace',
      'package',
      'version',
      'max-results',
      'next-token',
      'duration',
      'status',
      'sortBy',
      'originType',
      'asset',
      'external-connection',
      'source-repository',
      'destination-repository',
      'endpointType',
      'revision',
      'resourceArn',
      'policy-revision',
      'unfinished',
      'package-group',
      'prefix',
      'preview',
      'originRestrictionType',
    ];
    const values = [
      'acme',
      'app',
      'npm',
      'pypi',
      'ui',
      '1.0.0',
      '',
      '0',
      '-1',
      '1001',
      '50',
      '%',
      '%E0%A4%A',
      'a'.repeat(300),
      '../..',
      'public:npmjs',
      'PUBLISHED_TIME',
      'null',
      '111122223333',
      '%00',
      'caf%C3%A9',
      'x y',
      '#',
      '@acme',
      'generic',
      'true',
      'arn:aws:codeartifact:us-west-2:111122223333:domain/acme',
      'arn:aws:codeartifact:us-west-2:111122223333:package-group/acme/%2F*',
      '/*',
      '/npm/*',
      '/npm/acme~',
      '/pypi//Acme$',
      'PUBLISH',
    ];
    const bodies = [
      undefined,
      '',
      '{}',
      '[]',
      'null',
      '{"upstreams":[{"repositoryName":"app"}]}',
      '{"versions":["1.0.0"]}',
      '{"versions":"x"}',
      '{"maxResults":"a"}',
      '{"nextToken":5}',
      '{"upstreams":[null]}',
      '{"versionRevisions":{"1.0.0":1}}',
      '{"tags":[{"key":1}]}',
      '{"tags":[{"key":"aws:x","value":"v"}]}',
      '{"tagKeys":[1]}',
      '{"policyDocument":"{"}',
      '{"domain":"acme","policyDocument":"[]"}',
      '{"packageGroup":"/npm/*"}',
      '{"packageGroup":"/npm/x/y/z$"}',
      '{"restrictions":{"PUBLISH":"SOMETIMES"}}',
      '{"restrictions":{"publish":"BLOCK"}}',
      '{"addAllowedRepositories":[{"repositoryName":"app"}]}',
      '\u0000\u00ff',
      '{"a":',
      'true',
    ];
    for (let i = 0; i < 300; i++) {
      const q = Array.from({ length: Math.floor(rnd() * 6) }, () => `${pick(keys)}=${pick(values)}`).join('&');
      const method = pick(methods);
      const body = method === 'GET' ? undefined : pick(bodies);
      const r = await raw(emu.url, method, `${pick(paths)}${q ? `?${q}` : ''}`, { body, auth: rnd() > 0.1 });
      assert.ok(r.json !== undefined, `request ${i} answered non-JSON: ${r.status} ${r.text.slice(0, 200)}`);
      if (r.status !== 200) {
        assert.ok(r.status >= 400 && r.status < 500, `request ${i}: status ${r.status} ${r.text}`);
        assert.equal(typeof r.json.__type, 'string');
        assert.equal(r.errorType, r.json.__type);
      }
    }
    // Still serving.
    const ok = await raw(emu.url, 'POST', '/v1/domains');
    assert.equal(ok.status, 200);
    assert.ok(Array.isArray(ok.json?.domains));
  });
});
