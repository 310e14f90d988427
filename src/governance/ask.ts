// What a governance command acts on: from the tree row it ran on, from the argument object, or asked.
// Rows give what they know (a version row: the package and that version); the rest is asked through ctx.ui
// with the keys the argument objects use (domain, domainOwner, repository, format, namespace, package, versions).
import type { CodeArtifact, DomainRef, RepositoryPackageRef, RepositoryRef } from '../core/aws/client';
import { packageDisplayName, splitNpmName, type PackageFormat } from '../core/coordinates';
import type { VersionsOutcome } from '../core/aws/governance';
import type { CommandContext } from '../commands/registry';
import { UserError, type Ui } from '../commands/ui';
import type { ExplorerNode, PackageNode } from '../explorer/nodes';
import { repositoryRefOf } from '../explorer/commands/targets';

export const FORMATS: readonly PackageFormat[] = ['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo'];

export function packageRowOf(node: ExplorerNode | undefined): PackageNode | undefined {
  if (node?.kind === 'package') return node;
  if (node?.kind === 'version') return node.parent;
  if (node?.kind === 'asset') return node.parent.parent;
  return undefined;
}

export function nameOf(ref: RepositoryPackageRef): string {
  return packageDisplayName(ref.format, ref.namespace, ref.name);
}

/** Splits what the user typed into namespace and name the way the format writes it. */
function splitName(format: string, text: string): { namespace?: string; name: string } {
  if (format === 'npm') return splitNpmName(text);
  const sep = format === 'maven' ? text.lastIndexOf(':') : text.lastIndexOf('/');
  return sep > 0 ? { namespace: text.slice(0, sep), name: text.slice(sep + 1) } : { name: text };
}

/** The package of the row, or asked: repository, format, then the name (`namespace` from the arguments wins). */
export async function askPackage(
  ui: Ui,
  client: () => Promise<CodeArtifact>,
  node: ExplorerNode | undefined,
  title: string,
  repoKey = 'repository',
): Promise<{ ref: RepositoryPackageRef; row?: PackageNode }> {
  const row = packageRowOf(node);
  if (row) return { ref: row.ref, row };
  const repo: RepositoryRef = repositoryRefOf(node) ?? (repoKey === 'repository' ? await ui.repository({ title, client }) : await askRepositoryAs(ui, client, repoKey, title));
  return { ref: { ...repo, ...(await askCoordinates(ui, title)) } };
}

export async function askCoordinates(ui: Ui, title: string, formats: readonly PackageFormat[] = FORMATS): Promise<{ format: PackageFormat; namespace?: string; name: string }> {
  const format = await ui.pick(
    'format',
    formats.map((f) => ({ label: f, value: f })),
    { title, placeHolder: 'Package format' },
  );
  const text = await ui.input('package', {
    title,
    prompt: format === 'npm' ? 'Package name, e.g. @scope/name or name' : format === 'maven' ? 'groupId:artifactId' : 'Package name (namespace/name when it has a namespace)',
    validate: (t) => (t.trim() ? undefined : 'Give a package name'),
  });
  const namespace = ui.given<string>('namespace');
  if (namespace !== undefined && typeof namespace !== 'string') throw new UserError('"namespace" must be a string.');
  return namespace !== undefined ? { format, namespace: namespace || undefined, name: text.trim() } : { format, ...splitName(format, text.trim()) };
}

/** A repository named by another key (copy's sourceRepository / destinationRepository). */
async function askRepositoryAs(ui: Ui, client: () => Promise<CodeArtifact>, key: string, title: string): Promise<RepositoryRef> {
  const given = ui.given<string>(key);
  if (given !== undefined) {
    if (typeof given !== 'string' || !given) throw new UserError(`"${key}" must be a repository name.`);
    const domain = ui.given<string>('domain');
    if (typeof domain !== 'string' || !domain) throw new UserError('Missing "domain" in the arguments.');
    const domainOwner = ui.given<string>('domainOwner');
    return { domain, domainOwner: domainOwner || undefined, repository: given };
  }
  return ui.repository({ title, client });
}

/** The versions to act on: the selected version rows, the `versions` argument, or a pick from the package's versions. */
export async function askVersions(
  ctx: CommandContext,
  client: () => Promise<CodeArtifact>,
  node: ExplorerNode | undefined,
  ref: RepositoryPackageRef,
  title: string,
): Promise<string[]> {
  const selected = (ctx.selection ?? (node ? [node] : [])).filter((n) => n.kind === 'version' && n.parent.ref === ref).map((n) => (n.kind === 'version' ? n.summary.version! : ''));
  if (selected.length) return selected;
  const given = ctx.ui.given<unknown>('versions');
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length === 0 || !given.every((v) => typeof v === 'string' && v)) {
      throw new UserError('"versions" must be a non-empty array of version strings.');
    }
    return given as string[];
  }
  const page = await (await client()).listPackageVersions(ref, undefined, 1000);
  if (!page.items.length) throw new UserError(`${nameOf(ref)} has no versions in ${ref.domain}/${ref.repository}.`);
  return ctx.ui.pickMany(
    'versions',
    page.items.map((v) => ({ label: v.version!, description: v.status, value: v.version! })),
    { title },
  );
}

/** A domain: the row's, or picked from the domains (scripted: `domain`, `domainOwner`). */
export async function askDomain(ui: Ui, client: () => Promise<CodeArtifact>, node: ExplorerNode | undefined, title: string): Promise<DomainRef> {
  let n: ExplorerNode | undefined = node;
  while (n && n.kind !== 'domain') n = 'parent' in n && n.parent.kind !== 'root' ? (n.parent as ExplorerNode) : undefined;
  if (n?.kind === 'domain') return { domain: n.summary.name!, domainOwner: n.summary.owner };
  const domain = ui.given<string>('domain');
  if (domain !== undefined) {
    if (typeof domain !== 'string' || !domain) throw new UserError('"domain" must be a domain name.');
    const domainOwner = ui.given<string>('domainOwner');
    return { domain, domainOwner: domainOwner || undefined };
  }
  const page = await (await client()).listDomains(undefined, 100);
  return ui.pick(
    'domain',
    page.items.map((d) => ({ label: d.name!, description: d.owner, value: { domain: d.name!, domainOwner: d.owner } as DomainRef, id: d.name! })),
    { title },
  );
}

/** One line per failed version, for a message. */
export function failures(o: VersionsOutcome): string {
  return o.failed.map((f) => `${f.version}: ${f.reason}${f.code ? ` (${f.code})` : ''}`).join('; ');
}

/** Reports a batch: everything failed is an error; some failed is a warning naming each failed version with its reason. */
export function report(ui: Ui, o: VersionsOutcome, done: string, what: string): VersionsOutcome {
  if (o.failed.length && !o.succeeded.length) {
    throw new UserError(`${what} failed for every version: ${failures(o)}`);
  }
  if (o.failed.length) ui.warn(`${done} ${o.succeeded.map((s) => s.version).join(', ')}; failed: ${failures(o)}`);
  else ui.info(`${done} ${o.succeeded.map((s) => s.version).join(', ')}.`);
  return o;
}
