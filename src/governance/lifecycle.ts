// A package's lifecycle from the tree: version status (Published / Unlisted / Archived), dispose, delete
// versions, delete the package, copy (promote) versions between repositories, and the package's origin
// controls. Destructive ones ask a modal question naming exactly what goes; scripted, only `confirm: true` agrees.
import type { PackageVersionStatus } from '@aws-sdk/client-codeartifact';
import type { CodeArtifact, RepositoryPackageRef } from '../core/aws/client';
import * as gov from '../core/aws/governance';
import type { CommandContext } from '../commands/registry';
import type { ExplorerNode } from '../explorer/nodes';
import type { ExplorerCommandDeps } from '../explorer/commands/deps';
import { askPackage, askVersions, nameOf, packageRowOf, report } from './ask';

const STATUSES: readonly PackageVersionStatus[] = ['Published', 'Unlisted', 'Archived'];

export function registerLifecycleCommands(deps: ExplorerCommandDeps): void {
  const client = () => deps.connection.client();
  const { commands, provider } = deps;

  commands.register('codeartifact.setPackageVersionStatus', async (ctx, node) => {
    const { ref } = await askPackage(ctx.ui, client, node, 'Set the status of versions of…');
    const versions = await askVersions(ctx, client, node, ref, `Versions of ${nameOf(ref)} to change`);
    const status = await ctx.ui.pick(
      'status',
      STATUSES.map((s) => ({
        label: s,
        value: s,
        description: s === 'Unlisted' ? 'hidden from listings, still installable' : s === 'Archived' ? 'no longer installable, assets kept' : 'installable',
      })),
      { title: `New status of ${nameOf(ref)} ${versions.join(', ')}` },
    );
    const o = await gov.updateVersionsStatus(await client(), ref, versions, status);
    provider.packageChanged(ref);
    ctx.log.info(`Set ${status} on ${nameOf(ref)} ${versions.join(', ')} in ${ref.domain}/${ref.repository}`);
    return report(ctx.ui, o, `${status}:`, `Setting ${status}`);
  });

  commands.register('codeartifact.disposePackageVersions', (ctx, node) =>
    destroyVersions(deps, ctx, node, {
      verb: 'Dispose',
      effect: 'Their assets are deleted and the versions stay listed as Disposed',
      run: gov.disposeVersions,
    }),
  );
  commands.register('codeartifact.deletePackageVersions', (ctx, node) =>
    destroyVersions(deps, ctx, node, {
      verb: 'Delete',
      effect: 'The versions and their assets are removed for good',
      run: gov.deleteVersions,
    }),
  );

  commands.register('codeartifact.deletePackage', async (ctx, node) => {
    const { ref } = await askPackage(ctx.ui, client, node, 'Delete the package…');
    await ctx.ui.confirm('confirm', {
      message: `Delete the package ${nameOf(ref)} (${ref.format}) with all its versions and assets from ${ref.domain}/${ref.repository}? This cannot be undone.`,
      action: 'Delete Package',
      refused: `Nothing was deleted: pass "confirm": true to delete ${nameOf(ref)} from ${ref.domain}/${ref.repository}.`,
    });
    const deleted = await gov.deletePackage(await client(), ref);
    provider.packagesChanged(ref);
    ctx.log.info(`Deleted package ${nameOf(ref)} from ${ref.domain}/${ref.repository}`);
    ctx.ui.info(`Deleted ${nameOf(ref)} from ${ref.repository}.`);
    return deleted;
  });

  commands.register('codeartifact.copyPackageVersions', (ctx, node) => copyCommand(deps, ctx, node));

  commands.register('codeartifact.setPackageOrigin', async (ctx, node) => {
    const { ref } = await askPackage(ctx.ui, client, node, 'Set the origin controls of…');
    const modes = (what: string) => [
      { label: 'ALLOW', value: 'ALLOW' as const, description: `new versions may come by ${what}` },
      { label: 'BLOCK', value: 'BLOCK' as const, description: `no new versions by ${what}` },
    ];
    const publish = await ctx.ui.pick('publish', modes('publishing'), { title: `Publishing of ${nameOf(ref)} in ${ref.repository}` });
    const upstream = await ctx.ui.pick('upstream', modes('upstream repositories and external connections'), { title: `Upstream of ${nameOf(ref)} in ${ref.repository}` });
    const config = await gov.putPackageOrigin(await client(), ref, publish, upstream);
    provider.packageOriginChanged(ref, config);
    ctx.log.info(`Origin controls of ${nameOf(ref)} in ${ref.domain}/${ref.repository}: publish ${publish}, upstream ${upstream}`);
    return config;
  });
}

interface Destroy {
  verb: 'Dispose' | 'Delete';
  effect: string;
  run(ca: CodeArtifact, ref: RepositoryPackageRef, versions: string[]): Promise<gov.VersionsOutcome>;
}

async function destroyVersions({ connection, provider }: ExplorerCommandDeps, ctx: CommandContext, node: ExplorerNode | undefined, d: Destroy): Promise<gov.VersionsOutcome> {
  const client = () => connection.client();
  const { ref } = await askPackage(ctx.ui, client, node, `${d.verb} versions of…`);
  const versions = await askVersions(ctx, client, node, ref, `Versions of ${nameOf(ref)} to ${d.verb.toLowerCase()}`);
  const list = versions.join(', ');
  await ctx.ui.confirm('confirm', {
    message: `${d.verb} ${nameOf(ref)} ${list} in ${ref.domain}/${ref.repository}? ${d.effect}; this cannot be undone.`,
    action: d.verb,
    refused: `Nothing was changed: pass "confirm": true to ${d.verb.toLowerCase()} ${nameOf(ref)} ${list} in ${ref.domain}/${ref.repository}.`,
  });
  const o = await d.run(await client(), ref, versions);
  provider.packageChanged(ref);
  ctx.log.info(`${d.verb} ${nameOf(ref)} ${list} in ${ref.domain}/${ref.repository}: ${o.succeeded.length} done, ${o.failed.length} failed`);
  return report(ctx.ui, o, d.verb === 'Dispose' ? 'Disposed' : 'Deleted', d.verb);
}

/** Copies versions from the row's (or `sourceRepository`) repository to `destinationRepository`. */
async function copyCommand({ connection, provider }: ExplorerCommandDeps, ctx: CommandContext, node: ExplorerNode | undefined): Promise<gov.VersionsOutcome> {
  const client = () => connection.client();
  const row = packageRowOf(node);
  const { ui } = ctx;
  const source = row ? { ref: row.ref } : await askPackage(ui, client, undefined, 'Copy versions of…', 'sourceRepository');
  const ref = source.ref;
  const versions = await askVersions(ctx, client, node, ref, `Versions of ${nameOf(ref)} to copy`);
  const page = await (await client()).listRepositoriesInDomain(ref, undefined, 1000);
  const destination = await ui.pick(
    'destinationRepository',
    page.items.filter((r) => r.name !== ref.repository).map((r) => ({ label: r.name!, description: r.description, value: r.name! })),
    { title: `Copy ${nameOf(ref)} ${versions.join(', ')} from ${ref.repository} to…` },
  );
  return copyTo(client, provider, ctx, ref, versions, destination);
}

export type CopyResult = gov.VersionsOutcome;

export async function copyTo(
  client: () => Promise<CodeArtifact>,
  provider: ExplorerCommandDeps['provider'],
  ctx: CommandContext,
  ref: RepositoryPackageRef,
  versions: string[],
  destination: string,
): Promise<gov.VersionsOutcome> {
  const allowOverwrite = ctx.ui.given<boolean>('allowOverwrite') === true;
  const includeFromUpstream = ctx.ui.given<boolean>('includeFromUpstream') === true;
  const o = await gov.copyVersions(await client(), {
    domain: ref.domain,
    domainOwner: ref.domainOwner,
    sourceRepository: ref.repository,
    destinationRepository: destination,
    format: ref.format,
    namespace: ref.namespace,
    name: ref.name,
    versions,
    allowOverwrite,
    includeFromUpstream,
  });
  provider.packagesChanged({ ...ref, repository: destination });
  ctx.log.info(`Copied ${nameOf(ref)} ${versions.join(', ')} from ${ref.repository} to ${destination}: ${o.succeeded.length} done, ${o.failed.length} failed`);
  return report(ctx.ui, o, `Copied to ${destination}:`, `Copying to ${destination}`);
}
