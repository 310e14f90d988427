// Package groups from the tree: create (the pattern validated as you type, then the existing packages it
// would take shown before it is made), delete (modal; scripted only with confirm: true) and the origin
// restrictions (ALLOW, BLOCK, ALLOW_SPECIFIC_REPOSITORIES, INHERIT) with their allowed repositories.
import type { PackageGroupAllowedRepository } from '@aws-sdk/client-codeartifact';
import type { CodeArtifact, DomainRef } from '../core/aws/client';
import { packageDisplayName } from '../core/coordinates';
import * as gov from '../core/aws/governance';
import {
  parseAllowedRepositories,
  parseRestrictions,
  patternProblem,
  RESTRICTION_MODES,
  RESTRICTION_TYPES,
  type RestrictionMode,
  type RestrictionType,
} from '../core/packageGroupPattern';
import { UserError, type Ui } from '../commands/ui';
import type { ExplorerNode } from '../explorer/nodes';
import type { ExplorerCommandDeps } from '../explorer/commands/deps';
import { askDomain } from './ask';

/** The pattern of the group row the command ran on. */
function groupOf(node: ExplorerNode | undefined): string | undefined {
  return node?.kind === 'packageGroup' ? node.summary.pattern : undefined;
}

/** Packages already in the domain that a new group with this pattern would take (first page of the preview). */
async function preview(ca: CodeArtifact, domain: DomainRef, pattern: string): Promise<string[]> {
  const page = await gov.listAssociatedPackages(ca, domain, pattern, undefined, 20, true);
  return page.items.map((p) => `${packageDisplayName(p.format, p.namespace, p.package!)} (${p.format})`);
}

async function askPattern(ui: Ui, domain: DomainRef, key: string, given: string | undefined): Promise<string> {
  if (given) return given;
  return ui.input(key, {
    title: `Package group in ${domain.domain}`,
    prompt: 'Pattern: /format/namespace/* (all in a namespace), /format/namespace/prefix~, /format/namespace/name$ (empty namespace: /pypi//name$)',
    validate: patternProblem,
  });
}

function parsed<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new UserError((e as Error).message);
  }
}

export function registerGroupCommands({ commands, connection, provider }: ExplorerCommandDeps): void {
  const client = () => connection.client();

  commands.register('codeartifact.createPackageGroup', async ({ ui, log }, node) => {
    const domain = await askDomain(ui, client, node, 'Create a package group in…');
    const pattern = await askPattern(ui, domain, 'packageGroup', undefined);
    const ca = await client();
    const taken = await preview(ca, domain, pattern).catch(() => undefined);
    const description = ui.given<string>('description');
    if (taken?.length) ui.info(`${pattern} takes ${taken.length === 20 ? 'at least 20' : taken.length} existing package(s): ${taken.join(', ')}`);
    const group = await gov.createPackageGroup(ca, domain, pattern, description || undefined, ui.given<string>('contactInfo'));
    provider.packageGroupsChanged(domain);
    log.info(`Created package group ${pattern} in ${domain.domain}`);
    return group;
  });

  commands.register('codeartifact.deletePackageGroup', async ({ ui, log }, node) => {
    const domain = await askDomain(ui, client, node, 'Delete a package group of…');
    const pattern = groupOf(node) ?? (await askPattern(ui, domain, 'packageGroup', undefined));
    await ui.confirm('confirm', {
      message: `Delete the package group ${pattern} of ${domain.domain}? Its packages fall back to its parent group's origin controls.`,
      action: 'Delete Group',
      refused: `Nothing was deleted: pass "confirm": true to delete the package group ${pattern} of ${domain.domain}.`,
    });
    const group = await gov.deletePackageGroup(await client(), domain, pattern);
    provider.packageGroupsChanged(domain);
    log.info(`Deleted package group ${pattern} of ${domain.domain}`);
    return group;
  });

  commands.register('codeartifact.setPackageGroupOrigin', async ({ ui, log }, node) => {
    const domain = await askDomain(ui, client, node, 'Set the origin controls of a package group of…');
    const pattern = groupOf(node) ?? (await askPattern(ui, domain, 'packageGroup', undefined));
    const ca = await client();
    const givenRestrictions = ui.given<unknown>('restrictions');
    const givenAllowed = ui.given<unknown>('allowedRepositories');
    let restrictions: Partial<Record<RestrictionType, RestrictionMode>>;
    let allowed: Partial<Record<RestrictionType, string[]>> = {};
    if (givenRestrictions !== undefined || givenAllowed !== undefined) {
      restrictions = givenRestrictions === undefined ? {} : parsed(() => parseRestrictions(givenRestrictions));
      if (givenAllowed !== undefined) allowed = parsed(() => parseAllowedRepositories(givenAllowed));
    } else {
      const type = await ui.pick(
        'restrictionType',
        RESTRICTION_TYPES.map((t) => ({
          label: t,
          value: t,
          description: t === 'PUBLISH' ? 'publishing' : t === 'EXTERNAL_UPSTREAM' ? 'from public registries' : 'from upstream repositories',
        })),
        { title: `Which origin of ${pattern}` },
      );
      const mode = await ui.pick(
        'mode',
        RESTRICTION_MODES.map((m) => ({ label: m, value: m })),
        { title: `${type} of ${pattern}` },
      );
      restrictions = { [type]: mode };
      if (mode === 'ALLOW_SPECIFIC_REPOSITORIES') {
        const repos = await ca.listRepositoriesInDomain(domain, undefined, 1000);
        allowed = {
          [type]: await ui.pickMany(
            'allowedRepositories',
            repos.items.map((r) => ({ label: r.name!, value: r.name! })),
            { title: `Repositories allowed ${type} for ${pattern}` },
          ),
        };
      }
    }
    if (!Object.keys(restrictions).length && !Object.keys(allowed).length) throw new UserError('Give "restrictions" and/or "allowedRepositories".');
    const { add, remove } = await allowedChanges(ca, domain, pattern, allowed);
    const group = await gov.updatePackageGroupOrigin(ca, domain, pattern, { restrictions, addAllowedRepositories: add, removeAllowedRepositories: remove });
    provider.packageGroupsChanged(domain);
    log.info(`Origin controls of package group ${pattern} in ${domain.domain}: ${JSON.stringify(restrictions)}`);
    return group;
  });
}

/** The allowed-repository lists become exactly the given ones: what to add and what to remove per type. */
async function allowedChanges(
  ca: CodeArtifact,
  domain: DomainRef,
  pattern: string,
  allowed: Partial<Record<RestrictionType, string[]>>,
): Promise<{ add: PackageGroupAllowedRepository[]; remove: PackageGroupAllowedRepository[] }> {
  const add: PackageGroupAllowedRepository[] = [];
  const remove: PackageGroupAllowedRepository[] = [];
  for (const [type, wanted] of Object.entries(allowed) as [RestrictionType, string[]][]) {
    const current: string[] = [];
    let token: string | undefined;
    do {
      const page = await gov.listAllowedRepositories(ca, domain, pattern, type, token);
      current.push(...page.items);
      token = page.nextToken;
    } while (token);
    for (const r of wanted) if (!current.includes(r)) add.push({ repositoryName: r, originRestrictionType: type });
    for (const r of current) if (!wanted.includes(r)) remove.push({ repositoryName: r, originRestrictionType: type });
  }
  return { add, remove };
}
