// PublishPackageVersion (the generic format's way in: one asset per call, its bytes the request body,
// checked against the SHA-256 the caller declares; `unfinished` keeps the version open for more assets)
// and DeletePackage (the package and all its versions).
import { createHash } from 'node:crypto';
import { err } from '../errors';
import { ensurePackage } from '../registries/shared';
import { newRevision, nowSeconds, packageKey, putBlob } from '../state';
import { constraint, type Input } from './input';
import { coordinates } from './packageOps';
import { findPackage, packageSummary } from './shapes';
import type { OpContext } from './types';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const SHA256 = /^[0-9a-f]{64}$/;

function assetNameOf(input: Input): string {
  const name = input.req('asset');
  if (name.length > 255) constraint('asset', name, 'Member must have length less than or equal to 255');
  if (CONTROL.test(name)) constraint('asset', name, 'Member must satisfy regular expression pattern: \\P{C}+');
  return name;
}

function unfinishedOf(input: Input): boolean {
  const v = input.opt('unfinished');
  if (v === undefined) return false;
  if (v !== 'true' && v !== 'false') constraint('unfinished', v, 'Member must be a boolean');
  return v === 'true';
}

export function publishPackageVersion(op: OpContext, input: Input) {
  const format = input.format(true);
  if (format !== 'generic') throw err.validation(`PublishPackageVersion supports only the generic format, not ${format}`);
  if (input.namespace() === undefined) constraint('namespace', undefined, 'Member must not be null for generic packages');
  const version = input.version();
  const assetName = assetNameOf(input);
  const unfinished = unfinishedOf(input);
  const declared = op.headers?.['x-amz-content-sha256'];
  if (typeof declared !== 'string' || declared === '') constraint('assetSHA256', undefined, 'Member must not be null');
  if (!SHA256.test(declared)) constraint('assetSHA256', declared, 'Member must satisfy regular expression pattern: [0-9a-f]{64}');
  const data = op.rawBody ?? Buffer.alloc(0);
  const actual = createHash('sha256').update(data).digest('hex');
  if (actual !== declared) throw err.validation(`The SHA256 hash of the asset content (${actual}) does not match assetSHA256 (${declared})`);
  const c = coordinates(op, input);
  const existing = c.repo.packages[packageKey(c.format, c.namespace, c.name)];
  if (existing?.originConfiguration.restrictions.publish === 'BLOCK') {
    throw err.accessDenied(`Publishing ${c.namespace}/${c.name} to ${c.repo.name} is blocked by its package origin controls`);
  }
  const ev = existing?.versions[version];
  if (ev && ev.status !== 'Unfinished') {
    throw err.conflict(
      `Package version ${c.namespace}/${c.name}@${version} already exists with status ${ev.status}; only an Unfinished version takes more assets`,
      'package-version',
      version,
    );
  }
  if (ev?.assets.some((a) => a.name === assetName)) throw err.conflict(`Asset ${assetName} already exists in ${c.namespace}/${c.name}@${version}`, 'asset', assetName);
  const pkg = ensurePackage(c.repo, 'generic', c.namespace, c.name);
  const asset = putBlob(op.ctx.state, assetName, data);
  const status = unfinished ? 'Unfinished' : 'Published';
  const v = (pkg.versions[version] = ev ?? {
    version,
    revision: '',
    status,
    publishedTime: nowSeconds(op.ctx.clock),
    origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: c.repo.name } },
    assets: [],
  });
  v.assets.push(asset);
  v.status = status;
  v.revision = newRevision();
  op.ctx.persist();
  return {
    format: pkg.format,
    namespace: pkg.namespace,
    package: pkg.name,
    version,
    versionRevision: v.revision,
    status,
    asset: { name: asset.name, size: asset.size, hashes: asset.hashes },
  };
}

export function deletePackage(op: OpContext, input: Input) {
  const c = coordinates(op, input);
  const pkg = findPackage(c.repo, c.format, c.namespace, c.name);
  delete c.repo.packages[packageKey(pkg.format, pkg.namespace, pkg.name)];
  op.ctx.persist();
  return { deletedPackage: packageSummary(pkg) };
}
