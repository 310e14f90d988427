// PublishPackageVersion (the generic format's way in: one asset per call, its bytes the request body,
// checked against the SHA-256 the caller declares; `unfinished` keeps the version open for more assets)
// and DeletePackage (the package and all its versions).
import { createHash } from 'node:crypto';
import { err } from '../errors';
import { publishRefusal } from '../governance';
import { ensurePackage } from '../registries/shared';
import { newRevision, nowSeconds, packageKey, putBlob } from '../state';
import { constraint, type Input } from './input';
import { coordinates } from './packageOps';
import { findPackage, packageSummary } from './shapes';
import type { OpContext } from './types';

const SHA256 = /^[0-9a-f]{64}$/;
/** The User Guide's asset-name rules: letters (Ll Lm Lo Lt Lu), Nl, Nd, `~!@^&()-_+[]{};,.` and single inner spaces. */
const ASSET_NAME = /^[\p{Ll}\p{Lm}\p{Lo}\p{Lt}\p{Lu}\p{Nl}\p{Nd}~!@^&()\-_+[\]{};,.]+( [\p{Ll}\p{Lm}\p{Lo}\p{Lt}\p{Lu}\p{Nl}\p{Nd}~!@^&()\-_+[\]{};,.]+)*$/u;

function assetNameOf(input: Input): string {
  const name = input.req('asset');
  if (name.length > 255) constraint('asset', name, 'Member must have length less than or equal to 255');
  if (!ASSET_NAME.test(name) || name === '.' || name === '..') {
    constraint('asset', name, 'Asset names use Unicode letters and numbers, ~!@^&()-_+[]{};,. and single spaces inside the name, and are not . or ..');
  }
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
  const key = packageKey(c.format, c.namespace, c.name);
  const existing = c.repo.packages[key];
  // The package's own origin configuration, then the restrictions of its package group.
  const refused = publishRefusal(c.domain, c.repo, key);
  if (refused) throw err.accessDenied(`Publishing ${c.namespace}/${c.name} to ${c.repo.name} is ${refused}`);
  const ev = existing?.versions[version];
  const same = ev?.assets.find((a) => a.name === assetName);
  // The same asset again (same bytes) is accepted as is; other bytes under its name are a conflict.
  if (same && same.hashes['SHA-256'] !== actual) throw err.conflict(`Asset ${assetName} of ${c.namespace}/${c.name}@${version} exists with other content`, 'asset', assetName);
  if (ev && !same && ev.status !== 'Unfinished') {
    throw err.conflict(
      `Package version ${c.namespace}/${c.name}@${version} already exists with status ${ev.status}; only an Unfinished version takes more assets`,
      'package-version',
      version,
    );
  }
  const pkg = ensurePackage(c.repo, 'generic', c.namespace, c.name);
  const asset = same ?? putBlob(op.ctx.state, assetName, data);
  const v = (pkg.versions[version] = ev ?? {
    version,
    revision: '',
    status: 'Unfinished',
    publishedTime: nowSeconds(op.ctx.clock),
    origin: { originType: 'INTERNAL', domainEntryPoint: { repositoryName: c.repo.name } },
    assets: [],
  });
  if (!same) v.assets.push(asset);
  // Once Published, a version never goes back to Unfinished.
  const status = v.status !== 'Unfinished' ? v.status : unfinished ? 'Unfinished' : 'Published';
  if (!same || status !== v.status) v.revision = newRevision();
  v.status = status;
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
