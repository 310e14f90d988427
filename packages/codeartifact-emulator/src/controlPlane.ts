// The CodeArtifact control plane: the REST-JSON API under /v1/... that the AWS SDK and CLI call (the
// operations: domains, repositories, upstreams, external connections, authorization tokens, endpoints,
// packages, versions and assets), with the routes, the IAM-style resource each one names and the dispatch.
// Order per request: route (404 UnknownOperationException), count the call, read the body, SigV4 header
// (403), IAM-style allow list (403 AccessDeniedException), parse the JSON body (CANNOT_PARSE), then the
// operation, whose input checks answer ValidationException naming the parameter.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { err, sendJson } from './errors';
import { countCall, readBody, type EmulatorContext } from './context';
import { authenticate, authorize } from './auth';
import { Input, parseBody } from './control/input';
import { domainArn, packageArn, repositoryArn } from './control/shapes';
import { BinaryResult, type OpContext } from './control/types';
import { domainKey } from './state';
import * as repos from './control/repositoryOps';
import * as pkgs from './control/packageOps';
import * as policies from './control/policyOps';
import * as tagging from './control/tagOps';
import { deletePackage, publishPackageVersion } from './control/publishOps';
import { listPackageVersionDependencies } from './control/dependencies';
import * as groups from './control/packageGroups';

type Handler = (op: OpContext, input: Input) => unknown;
/** What the IAM check names as the resource: the account, a domain, a repository, a package or the ARN tagged. */
type ResourceKind = 'account' | 'domain' | 'repository' | 'package' | 'copy' | 'tagged';

interface Route {
  op: string;
  /** Operations with body members parse a JSON body; 'asset' takes it as bytes (PublishPackageVersion); the others ignore whatever body comes. */
  body: boolean | 'asset';
  resource: ResourceKind;
  handler: Handler;
}

const ROUTES = new Map<string, Route>();
function route(method: string, path: string, op: string, body: Route['body'], resource: ResourceKind, handler: Handler): void {
  ROUTES.set(`${method} ${path}`, { op, body, resource, handler });
}

route('POST', '/v1/domains', 'ListDomains', true, 'account', repos.listDomains);
route('GET', '/v1/domain', 'DescribeDomain', false, 'domain', repos.describeDomain);
route('POST', '/v1/domain', 'CreateDomain', true, 'domain', repos.createDomain);
route('DELETE', '/v1/domain', 'DeleteDomain', false, 'domain', repos.deleteDomain);
route('POST', '/v1/repositories', 'ListRepositories', false, 'account', repos.listRepositories);
route('POST', '/v1/domain/repositories', 'ListRepositoriesInDomain', false, 'domain', repos.listRepositoriesInDomain);
route('GET', '/v1/repository', 'DescribeRepository', false, 'repository', repos.describeRepository);
route('POST', '/v1/repository', 'CreateRepository', true, 'repository', repos.createRepository);
route('PUT', '/v1/repository', 'UpdateRepository', true, 'repository', repos.updateRepository);
route('DELETE', '/v1/repository', 'DeleteRepository', false, 'repository', repos.deleteRepository);
route('POST', '/v1/repository/external-connection', 'AssociateExternalConnection', false, 'repository', repos.associateExternalConnection);
route('DELETE', '/v1/repository/external-connection', 'DisassociateExternalConnection', false, 'repository', repos.disassociateExternalConnection);
route('POST', '/v1/authorization-token', 'GetAuthorizationToken', false, 'domain', repos.getAuthorizationToken);
route('GET', '/v1/repository/endpoint', 'GetRepositoryEndpoint', false, 'repository', repos.getRepositoryEndpoint);
route('POST', '/v1/packages', 'ListPackages', false, 'repository', pkgs.listPackages);
route('GET', '/v1/package', 'DescribePackage', false, 'package', pkgs.describePackage);
route('POST', '/v1/package/versions', 'ListPackageVersions', false, 'package', pkgs.listPackageVersions);
route('GET', '/v1/package/version', 'DescribePackageVersion', false, 'package', pkgs.describePackageVersion);
route('POST', '/v1/package/version/assets', 'ListPackageVersionAssets', false, 'package', pkgs.listPackageVersionAssets);
route('GET', '/v1/package/version/readme', 'GetPackageVersionReadme', false, 'package', pkgs.getPackageVersionReadme);
route('GET', '/v1/package/version/asset', 'GetPackageVersionAsset', false, 'package', pkgs.getPackageVersionAsset);
route('POST', '/v1/package/versions/delete', 'DeletePackageVersions', true, 'package', pkgs.deletePackageVersions);
route('POST', '/v1/package/versions/dispose', 'DisposePackageVersions', true, 'package', pkgs.disposePackageVersions);
route('POST', '/v1/package/versions/update_status', 'UpdatePackageVersionsStatus', true, 'package', pkgs.updatePackageVersionsStatus);
route('POST', '/v1/package/versions/copy', 'CopyPackageVersions', true, 'copy', pkgs.copyPackageVersions);
route('DELETE', '/v1/package', 'DeletePackage', false, 'package', deletePackage);
route('POST', '/v1/package/version/publish', 'PublishPackageVersion', 'asset', 'package', publishPackageVersion);
route('POST', '/v1/package/version/dependencies', 'ListPackageVersionDependencies', false, 'package', listPackageVersionDependencies);
route('PUT', '/v1/domain/permissions/policy', 'PutDomainPermissionsPolicy', true, 'domain', policies.putDomainPermissionsPolicy);
route('GET', '/v1/domain/permissions/policy', 'GetDomainPermissionsPolicy', false, 'domain', policies.getDomainPermissionsPolicy);
route('DELETE', '/v1/domain/permissions/policy', 'DeleteDomainPermissionsPolicy', false, 'domain', policies.deleteDomainPermissionsPolicy);
route('PUT', '/v1/repository/permissions/policy', 'PutRepositoryPermissionsPolicy', true, 'repository', policies.putRepositoryPermissionsPolicy);
route('GET', '/v1/repository/permissions/policy', 'GetRepositoryPermissionsPolicy', false, 'repository', policies.getRepositoryPermissionsPolicy);
route('DELETE', '/v1/repository/permissions/policies', 'DeleteRepositoryPermissionsPolicy', false, 'repository', policies.deleteRepositoryPermissionsPolicy);
route('POST', '/v1/tag', 'TagResource', true, 'tagged', tagging.tagResource);
route('POST', '/v1/untag', 'UntagResource', true, 'tagged', tagging.untagResource);
route('POST', '/v1/tags', 'ListTagsForResource', false, 'tagged', tagging.listTagsForResource);
route('POST', '/v1/package', 'PutPackageOriginConfiguration', true, 'package', groups.putPackageOriginConfiguration);
route('POST', '/v1/package-group', 'CreatePackageGroup', true, 'domain', groups.createPackageGroup);
route('GET', '/v1/package-group', 'DescribePackageGroup', false, 'domain', groups.describePackageGroup);
route('PUT', '/v1/package-group', 'UpdatePackageGroup', true, 'domain', groups.updatePackageGroup);
route('DELETE', '/v1/package-group', 'DeletePackageGroup', false, 'domain', groups.deletePackageGroup);
route('POST', '/v1/package-groups', 'ListPackageGroups', false, 'domain', groups.listPackageGroups);
route('POST', '/v1/package-groups/sub-groups', 'ListSubPackageGroups', false, 'domain', groups.listSubPackageGroups);
route('GET', '/v1/get-associated-package-group', 'GetAssociatedPackageGroup', false, 'domain', groups.getAssociatedPackageGroup);
route('PUT', '/v1/package-group-origin-configuration', 'UpdatePackageGroupOriginConfiguration', true, 'domain', groups.updatePackageGroupOriginConfiguration);
route('GET', '/v1/package-group-allowed-repositories', 'ListAllowedRepositoriesForGroup', false, 'domain', groups.listAllowedRepositoriesForGroup);
route('GET', '/v1/list-associated-packages', 'ListAssociatedPackages', false, 'domain', groups.listAssociatedPackages);

function resourceArn(ctx: EmulatorContext, kind: ResourceKind, q: URLSearchParams): string {
  const s = ctx.state;
  const owner = q.get('domain-owner') || s.accountId;
  const domain = q.get('domain') || '*';
  switch (kind) {
    case 'account':
      return `arn:aws:codeartifact:${s.region}:${s.accountId}:*`;
    case 'tagged':
      return q.get('resourceArn') || `arn:aws:codeartifact:${s.region}:${s.accountId}:*`;
    case 'domain':
      return domainArn(s, owner, domain);
    case 'repository':
      return repositoryArn(s, owner, domain, q.get('repository') || '*');
    case 'package':
    case 'copy':
      return packageArn(
        s,
        owner,
        domain,
        q.get(kind === 'copy' ? 'destination-repository' : 'repository') || '*',
        q.get('format') || '*',
        q.get('namespace') || undefined,
        q.get('package') || '*',
      );
  }
}

/** The permissions policy documents that govern a request: its domain's, and its repository's for repository and package resources. */
function policiesOf(ctx: EmulatorContext, kind: ResourceKind, q: URLSearchParams): string[] {
  const domain = ctx.state.domains[domainKey(q.get('domain-owner') || ctx.state.accountId, q.get('domain') ?? '')];
  if (!domain) return [];
  const docs = domain.policy ? [domain.policy.document] : [];
  if (kind === 'repository' || kind === 'package' || kind === 'copy') {
    const repo = domain.repositories[q.get(kind === 'copy' ? 'destination-repository' : 'repository') ?? ''];
    if (repo?.policy) docs.push(repo.policy.document);
  }
  return docs;
}

export async function handleControlPlane(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const r = ROUTES.get(`${req.method} ${url.pathname}`);
  if (!r) {
    req.resume();
    throw err.unknownOperation(req.method ?? 'GET', url.pathname);
  }
  countCall(ctx, r.op);
  const raw = await readBody(req, r.body === 'asset' ? ctx.options.maxBodyBytes : Math.min(ctx.options.maxBodyBytes, 8 * 1024 * 1024));
  const accessKeyId = authenticate(req);
  authorize(ctx.state, accessKeyId, `codeartifact:${r.op}`, resourceArn(ctx, r.resource, url.searchParams), policiesOf(ctx, r.resource, url.searchParams));
  const input = new Input(url.searchParams, r.body === true ? parseBody(raw) : {});
  const result = r.handler({ ctx, accessKeyId, rawBody: raw, headers: req.headers }, input);
  if (result instanceof BinaryResult) {
    res.writeHead(200, { ...result.headers, 'Content-Length': result.data.length, 'x-amzn-RequestId': randomUUID() });
    res.end(result.data);
    return;
  }
  sendJson(res, 200, result);
}
