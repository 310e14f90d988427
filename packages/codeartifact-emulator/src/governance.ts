// Origin governance of the data plane: whether a repository may take a new version of a package by
// publishing, from its external connection or from its upstream repositories. Two layers decide, as in
// the service: the package's own origin configuration in that repository (publish / upstream ALLOW or
// BLOCK, PutPackageOriginConfiguration) and the restrictions of the package's package group (PUBLISH,
// EXTERNAL_UPSTREAM, INTERNAL_UPSTREAM, resolved up the group hierarchy); either one blocking blocks.
// The registries ask here before they publish, ingest or walk upstreams. A leaf over ./groups and ./state.
import { groupAllows } from './groups';
import { packageKey, type Domain, type Format, type Package, type Repository, type Restriction } from './state';

/** Format, namespace and name back from a packageKey() (`format\0namespace\0name`). */
function coordinatesOf(key: string): { format: Format; namespace: string | undefined; name: string } {
  const [format, namespace, name] = key.split('\u0000');
  return { format: format as Format, namespace: namespace || undefined, name };
}

/** Why publishing the package (by its packageKey) to `repo` is refused, or undefined when it is allowed. */
export function publishRefusal(domain: Domain, repo: Repository, key: string): string | undefined {
  if (repo.packages[key]?.originConfiguration.restrictions.publish === 'BLOCK') return 'blocked by its package origin controls';
  const c = coordinatesOf(key);
  if (!groupAllows(domain, 'PUBLISH', repo.name, c.format, c.namespace, c.name)) return 'blocked by the origin controls of its package group';
  return undefined;
}

/** True when `repo` may ingest new versions of the package from its external connection. */
export function externalUpstreamAllowed(domain: Domain, repo: Repository, key: string): boolean {
  if (repo.packages[key]?.originConfiguration.restrictions.upstream === 'BLOCK') return false;
  const c = coordinatesOf(key);
  return groupAllows(domain, 'EXTERNAL_UPSTREAM', repo.name, c.format, c.namespace, c.name);
}

/** True when `repo` may take (retain) versions of the package from its upstream repositories. */
export function internalUpstreamAllowed(domain: Domain, repo: Repository, key: string): boolean {
  if (repo.packages[key]?.originConfiguration.restrictions.upstream === 'BLOCK') return false;
  const c = coordinatesOf(key);
  return groupAllows(domain, 'INTERNAL_UPSTREAM', repo.name, c.format, c.namespace, c.name);
}

/**
 * The origin configuration in force for a package in a repository, as DescribePackage and ListPackages
 * show it: publish is BLOCK when publishing is refused; upstream is BLOCK when every way the repository
 * has of taking versions from elsewhere (its external connection, its upstreams; both when it has
 * neither) is blocked.
 */
export function effectiveOrigin(domain: Domain, repo: Repository, pkg: Package): { restrictions: { publish: Restriction; upstream: Restriction } } {
  const key = packageKey(pkg.format, pkg.namespace, pkg.name);
  const publish: Restriction = publishRefusal(domain, repo, key) ? 'BLOCK' : 'ALLOW';
  const ways: boolean[] = [];
  if (repo.externalConnection || repo.upstreams.length === 0) ways.push(externalUpstreamAllowed(domain, repo, key));
  if (repo.upstreams.length > 0 || !repo.externalConnection) ways.push(internalUpstreamAllowed(domain, repo, key));
  const upstream: Restriction = ways.some((ok) => ok) ? 'ALLOW' : 'BLOCK';
  return { restrictions: { publish, upstream } };
}
