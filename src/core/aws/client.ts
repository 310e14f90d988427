// The one place that talks to the CodeArtifact control plane. Every list call is one page: callers keep
// the nextToken and ask for the next page when the user wants it (nothing fetches every page up front).
import {
  AssociateExternalConnectionCommand,
  CodeartifactClient,
  DescribeDomainCommand,
  DescribePackageCommand,
  DescribeRepositoryCommand,
  DisassociateExternalConnectionCommand,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
  ListDomainsCommand,
  ListPackageVersionAssetsCommand,
  ListPackageVersionsCommand,
  ListPackagesCommand,
  ListRepositoriesInDomainCommand,
  type AssetSummary,
  type DomainDescription,
  type DomainSummary,
  type PackageDescription,
  type PackageFormat,
  type PackageSummary,
  type PackageVersionSummary,
  type RepositoryDescription,
  type RepositorySummary,
} from '@aws-sdk/client-codeartifact';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, networkSettings } from '../net/settings';
import { newAgentFor } from '../net/transport';
import type { PackageCoordinates } from '../coordinates';
import type { ResolvedConnection } from './settings';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface DomainRef {
  domain: string;
  domainOwner?: string;
}
export interface RepositoryRef extends DomainRef {
  repository: string;
}
/** A package in a repository: the repository and the package's coordinates. */
export interface RepositoryPackageRef extends RepositoryRef, PackageCoordinates {}
export interface PackageFilter {
  namespace?: string;
  packagePrefix?: string;
  format?: string;
}

export interface VersionsPage extends Page<PackageVersionSummary> {
  defaultDisplayVersion?: string;
}

/** The ten public external connections and the package format each serves. */
export const EXTERNAL_CONNECTIONS: ReadonlyArray<{ name: string; format: string; description: string }> = [
  { name: 'public:npmjs', format: 'npm', description: 'npm public registry' },
  { name: 'public:pypi', format: 'pypi', description: 'Python Package Index' },
  { name: 'public:maven-central', format: 'maven', description: 'Maven Central' },
  { name: 'public:maven-googleandroid', format: 'maven', description: 'Google Android repository' },
  { name: 'public:maven-gradleplugins', format: 'maven', description: 'Gradle plugins' },
  { name: 'public:maven-commonsware', format: 'maven', description: 'CommonsWare Android' },
  { name: 'public:maven-clojars', format: 'maven', description: 'Clojars' },
  { name: 'public:nuget-org', format: 'nuget', description: 'NuGet Gallery' },
  { name: 'public:ruby-gems-org', format: 'ruby', description: 'RubyGems.org' },
  { name: 'public:crates-io', format: 'cargo', description: 'crates.io' },
];

function owner(ref: DomainRef): { domainOwner?: string } {
  return ref.domainOwner ? { domainOwner: ref.domainOwner } : {};
}

/** The coordinates every package-level operation takes. */
function packageInput(ref: RepositoryPackageRef) {
  return { domain: ref.domain, ...owner(ref), repository: ref.repository, format: ref.format, namespace: ref.namespace, package: ref.name };
}

export class CodeArtifact {
  readonly client: CodeartifactClient;

  constructor(readonly connection: ResolvedConnection) {
    // The transport: our own agents (proxy, CA bundle; see src/core/net/settings.ts), a connect timeout and a
    // request timeout that throws, and the adaptive retry mode (it slows down on throttling, client-side).
    const net = networkSettings();
    const endpoint = connection.endpoint ?? `https://codeartifact.${connection.region}.amazonaws.com`;
    const agent = newAgentFor(endpoint);
    this.client = new CodeartifactClient({
      region: connection.region,
      endpoint: connection.endpoint,
      maxAttempts: connection.maxAttempts,
      retryMode: 'adaptive',
      requestHandler: new NodeHttpHandler({
        ...(endpoint.startsWith('https:') ? { httpsAgent: agent } : { httpAgent: agent }),
        connectionTimeout: net.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        requestTimeout: net.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        throwOnRequestTimeout: true,
      }),
      // ignoreCache: read ~/.aws/config and credentials afresh, so edits made while VS Code runs take effect.
      credentials: fromNodeProviderChain({ ...(connection.profile ? { profile: connection.profile } : {}), ignoreCache: true }),
    });
  }

  dispose(): void {
    this.client.destroy();
  }

  async listDomains(nextToken?: string, maxResults?: number): Promise<Page<DomainSummary>> {
    const r = await this.client.send(new ListDomainsCommand({ nextToken, maxResults }));
    return { items: r.domains ?? [], nextToken: r.nextToken || undefined };
  }

  async describeDomain(ref: DomainRef): Promise<DomainDescription> {
    const r = await this.client.send(new DescribeDomainCommand({ domain: ref.domain, ...owner(ref) }));
    return r.domain ?? {};
  }

  async listRepositoriesInDomain(ref: DomainRef, nextToken?: string, maxResults?: number): Promise<Page<RepositorySummary>> {
    const r = await this.client.send(new ListRepositoriesInDomainCommand({ domain: ref.domain, ...owner(ref), nextToken, maxResults }));
    return { items: r.repositories ?? [], nextToken: r.nextToken || undefined };
  }

  async describeRepository(ref: RepositoryRef): Promise<RepositoryDescription> {
    const r = await this.client.send(new DescribeRepositoryCommand({ domain: ref.domain, ...owner(ref), repository: ref.repository }));
    return r.repository ?? {};
  }

  async listPackages(ref: RepositoryRef, filter: PackageFilter, nextToken?: string, maxResults?: number): Promise<Page<PackageSummary>> {
    const r = await this.client.send(
      new ListPackagesCommand({
        domain: ref.domain,
        ...owner(ref),
        repository: ref.repository,
        format: filter.format as PackageFormat | undefined,
        namespace: filter.namespace || undefined,
        packagePrefix: filter.packagePrefix || undefined,
        nextToken,
        maxResults,
      }),
    );
    return { items: r.packages ?? [], nextToken: r.nextToken || undefined };
  }

  async describePackage(ref: RepositoryPackageRef): Promise<PackageDescription> {
    const r = await this.client.send(new DescribePackageCommand(packageInput(ref)));
    return r.package ?? {};
  }

  async listPackageVersions(ref: RepositoryPackageRef, nextToken?: string, maxResults?: number): Promise<VersionsPage> {
    const r = await this.client.send(
      new ListPackageVersionsCommand({
        ...packageInput(ref),
        sortBy: 'PUBLISHED_TIME',
        nextToken,
        maxResults,
      }),
    );
    return { items: r.versions ?? [], nextToken: r.nextToken || undefined, defaultDisplayVersion: r.defaultDisplayVersion };
  }

  async listPackageVersionAssets(ref: RepositoryPackageRef, version: string, nextToken?: string, maxResults?: number): Promise<Page<AssetSummary>> {
    const r = await this.client.send(
      new ListPackageVersionAssetsCommand({
        ...packageInput(ref),
        packageVersion: version,
        nextToken,
        maxResults,
      }),
    );
    return { items: r.assets ?? [], nextToken: r.nextToken || undefined };
  }

  async associateExternalConnection(ref: RepositoryRef, externalConnection: string): Promise<RepositoryDescription> {
    const r = await this.client.send(new AssociateExternalConnectionCommand({ domain: ref.domain, ...owner(ref), repository: ref.repository, externalConnection }));
    return r.repository ?? {};
  }

  async disassociateExternalConnection(ref: RepositoryRef, externalConnection: string): Promise<RepositoryDescription> {
    const r = await this.client.send(new DisassociateExternalConnectionCommand({ domain: ref.domain, ...owner(ref), repository: ref.repository, externalConnection }));
    return r.repository ?? {};
  }

  async getRepositoryEndpoint(ref: RepositoryRef, format: string): Promise<string> {
    const r = await this.client.send(new GetRepositoryEndpointCommand({ domain: ref.domain, ...owner(ref), repository: ref.repository, format: format as PackageFormat }));
    if (!r.repositoryEndpoint) throw new Error(`CodeArtifact returned no ${format} endpoint for ${ref.domain}/${ref.repository}`);
    return r.repositoryEndpoint;
  }

  async getAuthorizationToken(ref: DomainRef, durationSeconds?: number): Promise<{ token: string; expiration: Date }> {
    const r = await this.client.send(new GetAuthorizationTokenCommand({ domain: ref.domain, ...owner(ref), durationSeconds: durationSeconds || undefined }));
    if (!r.authorizationToken || !r.expiration) throw new Error(`CodeArtifact returned no authorization token for domain ${ref.domain}`);
    return { token: r.authorizationToken, expiration: r.expiration };
  }
}
