// Adding, replacing and removing a repository's external connection (public:npmjs, public:pypi, ...).
import { EXTERNAL_CONNECTIONS, type RepositoryRef } from '../../core/aws/client';
import { describeProblem } from '../../core/aws/errors';
import type { RepositoryDescription } from '@aws-sdk/client-codeartifact';
import type { CommandContext } from '../../commands/registry';
import { UserError } from '../../commands/ui';
import type { ExplorerNode } from '../nodes';
import type { ExplorerCommandDeps } from './deps';
import { repositoryRefOf } from './targets';

export function registerConnectionCommands(deps: ExplorerCommandDeps): void {
  deps.commands.register('codeartifact.associateExternalConnection', (ctx, node) => associate(deps, ctx, node));
  deps.commands.register('codeartifact.disassociateExternalConnection', (ctx, node) => disassociate(deps, ctx, node));
}

async function associate({ connection, provider }: ExplorerCommandDeps, { ui, log }: CommandContext, node: ExplorerNode | undefined): Promise<RepositoryDescription> {
  const client = () => connection.client();
  const ref: RepositoryRef = repositoryRefOf(node) ?? (await ui.repository({ title: 'Add an external connection to…', client }));
  const name = await ui.pick(
    'externalConnection',
    EXTERNAL_CONNECTIONS.map((c) => ({ label: c.name, description: c.format, detail: c.description, value: c.name })),
    { title: `External connection for ${ref.domain}/${ref.repository}` },
  );
  const ca = await client();
  const described = await ca.describeRepository(ref);
  const current = described.externalConnections?.[0]?.externalConnectionName;
  if (current === name) {
    ui.info(`${ref.repository} is already connected to ${name}.`);
    return described;
  }
  if (!current) {
    const detail = await ca.associateExternalConnection(ref, name);
    provider.applyRepositoryDetail(ref, detail);
    log.info(`Associated ${name} with ${ref.domain}/${ref.repository}`);
    ui.info(`${ref.repository} now fetches from ${name}.`);
    return detail;
  }
  // A repository holds at most one external connection: say so, and replace only when asked.
  await ui.confirm('replace', {
    message: `Repository ${ref.repository} already has the external connection ${current}. A repository can have only one. Replace it with ${name}?`,
    action: 'Replace',
    refused: `Repository ${ref.repository} already has the external connection ${current}; a repository can have only one. Pass "replace": true to replace it.`,
  });
  provider.applyRepositoryDetail(ref, await ca.disassociateExternalConnection(ref, current));
  try {
    const detail = await ca.associateExternalConnection(ref, name);
    provider.applyRepositoryDetail(ref, detail);
    log.info(`Replaced ${current} with ${name} on ${ref.domain}/${ref.repository}`);
    ui.info(`${ref.repository} now fetches from ${name} instead of ${current}.`);
    return detail;
  } catch (e) {
    // Put the old connection back rather than leave the repository with none.
    const restored = await ca.associateExternalConnection(ref, current).then(
      (d) => (provider.applyRepositoryDetail(ref, d), true),
      () => false,
    );
    const why = describeProblem(e, connection.problemContext()).message;
    throw new UserError(
      restored
        ? `Could not connect ${ref.repository} to ${name} (${why}); it keeps ${current}.`
        : `Could not connect ${ref.repository} to ${name} (${why}), and restoring ${current} failed too: the repository has no external connection now.`,
    );
  }
}

async function disassociate({ connection, provider }: ExplorerCommandDeps, { ui, log }: CommandContext, node: ExplorerNode | undefined): Promise<RepositoryDescription> {
  const client = () => connection.client();
  const ref: RepositoryRef = repositoryRefOf(node) ?? (await ui.repository({ title: 'Remove the external connection of…', client }));
  const ca = await client();
  const current = (await ca.describeRepository(ref)).externalConnections?.[0]?.externalConnectionName;
  const name = ui.given<string>('externalConnection') ?? current;
  if (!name || !current) throw new UserError(`Repository ${ref.repository} has no external connection.`);
  await ui.confirm('confirm', {
    message: `Remove the external connection ${name} from ${ref.repository}? Packages already fetched stay; new ones from ${name} will not be fetched.`,
    action: 'Remove',
    // The argument object naming the repository is the consent, as it always was for this command.
    scriptedConsent: true,
    refused: '',
  });
  const detail = await ca.disassociateExternalConnection(ref, name);
  provider.applyRepositoryDetail(ref, detail);
  log.info(`Disassociated ${name} from ${ref.domain}/${ref.repository}`);
  return detail;
}
