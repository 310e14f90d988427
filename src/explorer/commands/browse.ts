// Moving around the tree: refresh, load more, filter packages, reveal an upstream repository.
import { parsePackageFilter } from '../../core/aws/names';
import { UserError } from '../../commands/ui';
import type { PackagesNode } from '../nodes';
import type { ExplorerCommandDeps } from './deps';
import { packagesRowOf } from './targets';

export function registerBrowseCommands({ commands, provider, treeView }: ExplorerCommandDeps): void {
  commands.register('codeartifact.refresh', (_ctx, node) => provider.refresh(node));

  commands.register('codeartifact.loadMore', async (_ctx, node) => {
    if (node?.kind === 'loadMore') await provider.loadMore(node.parent);
  });

  commands.register(
    'codeartifact.filterPackages',
    async ({ ui }, node) => {
      const target = packagesRowOf(node);
      if (!target) throw new UserError('Run "Filter Packages" on a repository or its Packages row.');
      const text = await ui.input('filter', {
        title: `Filter packages of ${target.parent.ref.repository}`,
        prompt: 'A package-name prefix, or a namespace and prefix: @scope/name, group.id:artifact. Empty clears the filter.',
        value: filterText(target),
      });
      provider.setPackageFilter(target, parsePackageFilter(text));
      await treeView.reveal(target, { expand: true, select: false, focus: false }).then(undefined, () => undefined);
    },
    { positional: ['filter'] },
  );

  commands.register('codeartifact.clearPackageFilter', (_ctx, node) => {
    const target = packagesRowOf(node);
    if (target) provider.setPackageFilter(target, {});
  });

  commands.register('codeartifact.revealRepository', async (_ctx, node) => {
    if (node?.kind !== 'upstream') return;
    const domain = node.parent.parent.parent;
    const repo = await provider.loadRepository(domain, node.repositoryName);
    if (!repo) throw new UserError(`Repository ${node.repositoryName} was not found in domain ${domain.summary.name}.`);
    await treeView.reveal(repo, { select: true, focus: true, expand: false });
  });
}

/** The filter as the user types it, for the input box's initial value. */
function filterText(node: PackagesNode): string {
  const f = node.filter;
  if (!f.namespace) return f.packagePrefix ?? '';
  return f.namespace.includes('.') ? `${f.namespace}:${f.packagePrefix ?? ''}` : `@${f.namespace}/${f.packagePrefix ?? ''}`;
}
