// Every one of the 48 operations, called through the real AWS SDK v3 (signed requests), with the raw HTTP answer
// captured before the SDK parses it (the SDK, like the CLI, drops members it does not know). Each answer is
// checked against the output shape of the service model that ships with the preinstalled AWS CLI's botocore
// (data/codeartifact/2018-09-22/service-2.json, read at test time): every member's type, enum, length and range,
// required members present, no member the model does not define; header members of GetPackageVersionAsset too.
// A few error answers are checked against their error shapes the same way.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import * as sdk from '@aws-sdk/client-codeartifact';
import { startEmulator, type Emulator } from '../src/server';
import { botocoreModel, SDK_OPERATIONS } from '../src/testing/allOperations';
import { raw, sdkClient, testSeed } from '../src/testing';

interface Member {
  shape: string;
  location?: string;
  locationName?: string;
}
interface Shape {
  type: string;
  members?: Record<string, Member>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  payload?: string;
  error?: { httpStatusCode: number };
  exception?: boolean;
}
interface Model {
  operations: Record<string, { http: { method: string; requestUri: string }; output?: { shape: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, Shape>;
}

/** Every way `value` differs from shape `name` of the model, as "path: problem" lines. */
function shapeProblems(model: Model, name: string, value: unknown, path: string, bodyOnly = true): string[] {
  const shape = model.shapes[name];
  const out: string[] = [];
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const length = (n: number, what: string) => {
    if (shape.min !== undefined && n < shape.min) out.push(`${path}: ${what} ${n} is below the model's min ${shape.min}`);
    if (shape.max !== undefined && n > shape.max) out.push(`${path}: ${what} ${n} is above the model's max ${shape.max}`);
  };
  switch (shape.type) {
    case 'structure': {
      if (kind(value) !== 'object') return [`${path}: expected an object (${name}), got ${kind(value)}`];
      const obj = value as Record<string, unknown>;
      const members = Object.entries(shape.members ?? {}).filter(([, m]) => !bodyOnly || m.location === undefined);
      const known = new Set(members.map(([k]) => k));
      for (const k of Object.keys(obj)) if (!known.has(k)) out.push(`${path}.${k}: not a member of ${name}`);
      for (const r of shape.required ?? []) if (known.has(r) && obj[r] === undefined) out.push(`${path}.${r}: required by ${name}, missing`);
      for (const [k, m] of members) if (obj[k] !== undefined) out.push(...shapeProblems(model, m.shape, obj[k], `${path}.${k}`));
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) return [`${path}: expected an array (${name}), got ${kind(value)}`];
      length(value.length, 'length');
      value.forEach((v, i) => out.push(...shapeProblems(model, shape.member!.shape, v, `${path}[${i}]`)));
      return out;
    case 'map':
      if (kind(value) !== 'object') return [`${path}: expected an object (map ${name}), got ${kind(value)}`];
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out.push(...shapeProblems(model, shape.key!.shape, k, `${path}{key ${k}}`));
        out.push(...shapeProblems(model, shape.value!.shape, v, `${path}.${k}`));
      }
      return out;
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected a string (${name}), got ${kind(value)}`];
      if (shape.enum && !shape.enum.includes(value)) out.push(`${path}: "${value}" is not one of ${name}'s ${shape.enum.join(', ')}`);
      length(value.length, 'length');
      if (shape.pattern && !javaPattern(shape.pattern).test(value)) out.push(`${path}: "${value}" does not match ${name}'s pattern ${shape.pattern}`);
      return out;
    case 'integer':
    case 'long':
      if (!Number.isInteger(value)) return [`${path}: expected an integer (${name}), got ${JSON.stringify(value)}`];
      length(value as number, 'value');
      return out;
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean (${name}), got ${kind(value)}`];
    case 'timestamp':
      // rest-json without a timestampFormat: epoch seconds as a JSON number.
      return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path}: expected epoch seconds (${name}), got ${JSON.stringify(value)}`];
    case 'blob':
      return typeof value === 'string' ? [] : [`${path}: expected base64 (${name}), got ${kind(value)}`];
    default:
      return [`${path}: shape type ${shape.type} of ${name} is not handled by this check`];
  }
}

/** A model pattern (Java regex syntax, matched anywhere as Smithy does) as a JavaScript RegExp. */
function javaPattern(pattern: string): RegExp {
  return new RegExp(
    pattern.replace(/\\p\{Is(\w+)\}/g, (_, p: string) => `\\p{${p === 'Whitespace' ? 'White_Space' : p}}`),
    'u',
  );
}

interface Captured {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/** A client whose every raw answer is recorded (inside the deserializer, which then reads the same bytes). */
function capturingClient(url: string, answers: Captured[]): sdk.CodeartifactClient {
  const client = sdkClient(url);
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode: number; headers: Record<string, string>; body: Readable };
      const chunks: Buffer[] = [];
      for await (const c of response.body) chunks.push(Buffer.from(c as Uint8Array));
      const body = Buffer.concat(chunks);
      answers.push({ status: response.statusCode, headers: { ...response.headers }, body });
      response.body = Readable.from([body]);
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'captureRawAnswer' },
  );
  return client;
}

/** What the raw answer of `op` gets wrong against its output shape. */
function outputProblems(model: Model, op: string, answer: Captured): string[] {
  const outName = model.operations[op].output?.shape;
  assert.ok(outName, `${op} has an output shape`);
  const shape = model.shapes[outName];
  const problems: string[] = [];
  if (shape.payload) {
    // The payload is the body itself (GetPackageVersionAsset's bytes); the other members are headers.
    for (const [k, m] of Object.entries(shape.members ?? {})) {
      if (m.location !== 'header') continue;
      const v = answer.headers[m.locationName!.toLowerCase()];
      if (v === undefined) {
        if (shape.required?.includes(k)) problems.push(`${op}: header ${m.locationName} required, missing`);
        continue;
      }
      problems.push(...shapeProblems(model, m.shape, v, `${op} header ${m.locationName}`));
    }
    return problems;
  }
  let json: unknown;
  try {
    json = answer.body.length === 0 ? {} : JSON.parse(answer.body.toString('utf8'));
  } catch {
    return [`${op}: body is not JSON: ${answer.body.toString('utf8').slice(0, 200)}`];
  }
  return shapeProblems(model, outName, json, op);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('raw answers of all 48 operations against the botocore service model', () => {
  let emu: Emulator;
  let model: Model;
  before(async () => {
    model = JSON.parse(botocoreModel()) as Model;
    emu = await startEmulator({ seed: testSeed() });
  });
  after(() => emu.close());

  it('the shape check itself finds wrong types, unknown members, missing required members and bad enums', () => {
    // DescribeDomainResult → domain: DomainDescription (status: DomainStatus enum).
    assert.deepEqual(shapeProblems(model, 'DescribeDomainResult', { domain: { name: 'demo', status: 'Active', createdTime: 1 } }, 'x'), []);
    const found = shapeProblems(model, 'DescribeDomainResult', { domain: { name: 7, status: 'Gone', createdTime: '2026', extra: 1 }, more: [] }, 'x');
    assert.ok(
      found.some((p) => p.startsWith('x.more: not a member')),
      found.join('\n'),
    );
    assert.ok(
      found.some((p) => p.startsWith('x.domain.extra: not a member')),
      found.join('\n'),
    );
    assert.ok(
      found.some((p) => p.startsWith('x.domain.name: expected a string')),
      found.join('\n'),
    );
    assert.ok(
      found.some((p) => p.startsWith('x.domain.status: "Gone" is not one of')),
      found.join('\n'),
    );
    assert.ok(
      found.some((p) => p.startsWith('x.domain.createdTime: expected epoch seconds')),
      found.join('\n'),
    );
    // AssetSummary requires name.
    assert.deepEqual(shapeProblems(model, 'AssetSummary', { size: 1 }, 'a'), ['a.name: required by AssetSummary, missing']);
  });

  it('every operation answers what its output shape allows, and the SDK reads the same bytes', async () => {
    const answers: Captured[] = [];
    const client = capturingClient(emu.url, answers);
    const ran = new Map<string, Captured[]>();
    const call = async <T>(op: string, input: Record<string, unknown>): Promise<T> => {
      const Command = (sdk as unknown as Record<string, new (i: unknown) => unknown>)[`${op}Command`];
      const before = answers.length;
      const out = (await client.send(new Command(input) as never)) as T;
      assert.equal(answers.length, before + 1, `${op}: one raw answer captured`);
      ran.set(op, [...(ran.get(op) ?? []), answers[answers.length - 1]]);
      return out;
    };
    try {
      const d = { domain: 'demo' };
      const pkg = { ...d, repository: 'app', format: 'generic', namespace: 'tools', package: 'cli' };
      const coords = (packageVersion: string) => ({ ...pkg, packageVersion });

      const domain = (await call<sdk.CreateDomainResult>('CreateDomain', { ...d, tags: [{ key: 'team', value: 'tools' }] })).domain!;
      await call('DescribeDomain', d);
      await call('ListDomains', {});
      await call('CreateRepository', { ...d, repository: 'store', description: 'the public store' });
      await call('CreateRepository', { ...d, repository: 'staging' });
      const app = (
        await call<sdk.CreateRepositoryResult>('CreateRepository', { ...d, repository: 'app', upstreams: [{ repositoryName: 'store' }], tags: [{ key: 'env', value: 'dev' }] })
      ).repository!;
      await call('DescribeRepository', { ...d, repository: 'app' });
      await call('UpdateRepository', { ...d, repository: 'app', description: 'our tools' });
      await call('ListRepositories', {});
      await call('ListRepositoriesInDomain', { ...d, repositoryPrefix: 'st' });
      await call('AssociateExternalConnection', { ...d, repository: 'store', externalConnection: 'public:npmjs' });
      await call('DisassociateExternalConnection', { ...d, repository: 'store', externalConnection: 'public:npmjs' });
      await call('GetAuthorizationToken', { ...d, durationSeconds: 900 });
      await call('GetRepositoryEndpoint', { ...d, repository: 'app', format: 'npm' });

      const group = '/generic/tools/*';
      const created = (
        await call<sdk.CreatePackageGroupResult>('CreatePackageGroup', { ...d, packageGroup: group, contactInfo: 'tools@acme.example', tags: [{ key: 'o', value: 't' }] })
      ).packageGroup!;
      await call('DescribePackageGroup', { ...d, packageGroup: group });
      await call('UpdatePackageGroup', { ...d, packageGroup: group, description: 'tool bundles' });
      await call('ListPackageGroups', d);
      await call('ListSubPackageGroups', { ...d, packageGroup: '/*' });
      await call('UpdatePackageGroupOriginConfiguration', {
        ...d,
        packageGroup: group,
        restrictions: { EXTERNAL_UPSTREAM: 'ALLOW_SPECIFIC_REPOSITORIES', PUBLISH: 'ALLOW' },
        addAllowedRepositories: [{ repositoryName: 'store', originRestrictionType: 'EXTERNAL_UPSTREAM' }],
      });
      await call('ListAllowedRepositoriesForGroup', { ...d, packageGroup: group, originRestrictionType: 'EXTERNAL_UPSTREAM' });

      const data = Buffer.from('tool bundle\n\u0000\u00ff');
      for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
        await call('PublishPackageVersion', { ...coords(version), assetContent: data, assetName: 'bundle.bin', assetSHA256: sha256(data) });
      }
      await call('ListPackages', { ...d, repository: 'app' });
      await call('DescribePackage', pkg);
      await call('PutPackageOriginConfiguration', { ...pkg, restrictions: { publish: 'ALLOW', upstream: 'BLOCK' } });
      await call('GetAssociatedPackageGroup', { ...d, format: 'generic', namespace: 'tools', package: 'cli' });
      await call('ListAssociatedPackages', { ...d, packageGroup: group });
      await call('ListPackageVersions', pkg);
      await call('DescribePackageVersion', coords('1.0.0'));
      await call('ListPackageVersionAssets', coords('1.0.0'));
      const asset = await call<sdk.GetPackageVersionAssetCommandOutput>('GetPackageVersionAsset', { ...coords('1.0.0'), asset: 'bundle.bin' });
      assert.deepEqual(Buffer.from(await asset.asset!.transformToByteArray()), data, 'the SDK still reads the captured bytes');
      await call('GetPackageVersionReadme', coords('1.0.0'));
      await call('ListPackageVersionDependencies', coords('1.0.0'));
      await call('CopyPackageVersions', {
        ...d,
        sourceRepository: 'app',
        destinationRepository: 'staging',
        format: 'generic',
        namespace: 'tools',
        package: 'cli',
        versions: ['1.0.0'],
      });
      await call('UpdatePackageVersionsStatus', { ...pkg, versions: ['1.1.0'], targetStatus: 'Archived' });
      await call('DisposePackageVersions', { ...pkg, versions: ['1.1.0'] });
      await call('DeletePackageVersions', { ...pkg, versions: ['1.2.0'] });

      const policy = (resource: string) =>
        JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'codeartifact:ReadFromRepository', Resource: resource }],
        });
      await call('PutDomainPermissionsPolicy', { ...d, policyDocument: policy('*') });
      await call('GetDomainPermissionsPolicy', d);
      const repoPolicy = (await call<sdk.PutRepositoryPermissionsPolicyResult>('PutRepositoryPermissionsPolicy', { ...d, repository: 'app', policyDocument: policy(app.arn!) }))
        .policy!;
      await call('GetRepositoryPermissionsPolicy', { ...d, repository: 'app' });
      await call('TagResource', { resourceArn: app.arn, tags: [{ key: 'cost-center', value: '42' }] });
      await call('ListTagsForResource', { resourceArn: created.arn });
      await call('UntagResource', { resourceArn: domain.arn, tagKeys: ['team'] });
      await call('DeleteRepositoryPermissionsPolicy', { ...d, repository: 'app', policyRevision: repoPolicy.revision });
      await call('DeleteDomainPermissionsPolicy', d);
      await call('DeletePackage', pkg);
      await call('DeletePackageGroup', { ...d, packageGroup: group });
      await call('DeleteRepository', { ...d, repository: 'staging' });
      for (const repository of ['app', 'store']) await call('DeleteRepository', { ...d, repository });
      await call('DeleteDomain', d);

      // The seeded domain's npm, PyPI and Maven packages (dist-tags, licenses, summaries, Unlisted, origin blocks).
      const a = { domain: 'acme', repository: 'app' };
      await call('ListPackages', a);
      await call('ListPackages', { ...a, format: 'npm', upstream: 'BLOCK' });
      const ui = { ...a, format: 'npm', namespace: 'acme', package: 'ui' };
      await call('DescribePackage', ui);
      await call('ListPackageVersions', { ...ui, sortBy: 'PUBLISHED_TIME' });
      await call('DescribePackageVersion', { ...ui, packageVersion: '1.0.0' });
      await call('ListPackageVersionDependencies', { ...ui, packageVersion: '1.0.0' });
      await call('GetPackageVersionReadme', { ...ui, packageVersion: '1.0.0' });
      const core = { ...a, format: 'maven', namespace: 'com.acme', package: 'core' };
      await call('ListPackageVersions', { ...core, status: 'Unlisted' });
      await call('DescribePackageVersion', { ...core, packageVersion: '2.4.0' });
      await call('ListPackageVersionAssets', { ...core, packageVersion: '2.4.0' });
      await call('DescribePackage', { ...a, format: 'pypi', package: 'acme-tools' });
      await call('DescribePackage', { ...a, format: 'npm', package: 'left-pad' });
      await call('GetAssociatedPackageGroup', { domain: 'acme', format: 'npm', package: 'left-pad' });
      await call('ListPackageGroups', { domain: 'acme' });
      await call('DescribeRepository', { domain: 'acme', repository: 'npm-store' });
    } finally {
      client.destroy();
    }

    assert.deepEqual([...ran.keys()].sort(), SDK_OPERATIONS, 'every operation of the SDK was called');
    assert.deepEqual(Object.keys(model.operations).sort(), SDK_OPERATIONS, "the model's operations are the SDK's");
    const problems = [...ran].flatMap(([op, list]) => list.flatMap((answer) => (answer.status >= 300 ? [`${op}: HTTP ${answer.status}`] : outputProblems(model, op, answer))));
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('error answers carry the x-amzn-ErrorType the model lists for the operation, and only members of that error shape', async () => {
    const cases: { op: string; method: string; path: string; body?: string }[] = [
      { op: 'DescribeDomain', method: 'GET', path: '/v1/domain?domain=nope' },
      { op: 'CreateDomain', method: 'POST', path: '/v1/domain?domain=acme', body: '{}' },
      { op: 'DescribeRepository', method: 'GET', path: '/v1/repository?domain=acme&repository=x%20y' },
      { op: 'GetAuthorizationToken', method: 'POST', path: '/v1/authorization-token?domain=acme&duration=99999999' },
      { op: 'GetRepositoryPermissionsPolicy', method: 'GET', path: '/v1/repository/permissions/policy?domain=acme&repository=app' },
    ];
    const problems: string[] = [];
    for (const c of cases) {
      const r = await raw(emu.url, c.method, c.path, { body: c.body, headers: c.body ? { 'content-type': 'application/json' } : {} });
      const type = r.errorType ?? '';
      const listed = model.operations[c.op].errors?.map((e) => e.shape) ?? [];
      if (!listed.includes(type)) {
        problems.push(`${c.op}: error type "${type}" is not one the model lists (${listed.join(', ')})`);
        continue;
      }
      const status = model.shapes[type].error?.httpStatusCode;
      if (status !== r.status) problems.push(`${c.op}: ${type} with HTTP ${r.status}, the model says ${status}`);
      const { __type, ...members } = r.json ?? {};
      assert.equal(__type, type);
      problems.push(...shapeProblems(model, type, members, `${c.op} ${type}`));
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  });
});
