// Seed builders for tests, benchmarks and demos: every test builds the seed it needs in a few lines
// instead of copying one JSON document between files. The result is a plain seed object, the same
// format `--seed FILE` reads (see ../state.ts), so a test can also write it to a file for the command line.
//
//   seed().domain('acme')
//     .repo('npm-store', { externalConnection: 'public:npmjs' })
//     .repo('app', { upstreams: ['npm-store'], packages: [npmPackage('left-pad', ['1.3.0'])] })
//     .build()
import type { Principal, Seed, SeedDomain, SeedPackage, SeedPackageGroup, SeedRepository, SeedVersion } from '../state';

export const DEFAULT_ACCOUNT = '111122223333';

export class SeedBuilder {
  private readonly seed: Seed;
  private current: SeedDomain | undefined;

  constructor(opts: { accountId?: string; region?: string } = {}) {
    this.seed = { accountId: opts.accountId ?? DEFAULT_ACCOUNT, region: opts.region ?? 'us-west-2', domains: [] };
  }

  /** Adds a domain (owner: the seed's account unless given); the repositories that follow go into it. */
  domain(name: string, opts: { owner?: string } = {}): this {
    this.current = { name, ...opts, repositories: [] };
    this.seed.domains!.push(this.current);
    return this;
  }

  /** Adds a repository to the last domain added. */
  repo(name: string, opts: Omit<SeedRepository, 'name'> = {}): this {
    if (!this.current) throw new Error(`seed: repo("${name}") needs a domain() first`);
    this.current.repositories!.push({ name, ...opts });
    return this;
  }

  /** Adds a package group (or sets the root `/*`'s restrictions) to the last domain added. */
  packageGroup(pattern: string, opts: Omit<SeedPackageGroup, 'pattern'> = {}): this {
    if (!this.current) throw new Error(`seed: packageGroup("${pattern}") needs a domain() first`);
    (this.current.packageGroups ??= []).push({ pattern, ...opts });
    return this;
  }

  /** Adds an IAM-style principal: only declared access keys may call, and only the actions allowed. */
  principal(accessKeyId: string, allow: string[]): this {
    (this.seed.principals ??= [] as Principal[]).push({ accessKeyId, allow });
    return this;
  }

  /** Extends the fake public registries (`publicPackages` in the seed format, see ../publicRegistry.ts). */
  publicPackages(packages: Record<string, unknown>): this {
    this.seed.publicPackages = { ...(this.seed.publicPackages as Record<string, unknown> | undefined), ...packages };
    return this;
  }

  /** A deep copy: the builder may go on and the seed handed out is the caller's to change. */
  build(): Seed {
    return JSON.parse(JSON.stringify(this.seed)) as Seed;
  }
}

export function seed(opts: { accountId?: string; region?: string } = {}): SeedBuilder {
  return new SeedBuilder(opts);
}

type VersionSpec = string | SeedVersion;
const versions = (vs: VersionSpec[]): SeedVersion[] => vs.map((v) => (typeof v === 'string' ? { version: v } : v));

/** An npm package; `name` may be scoped (`@acme/ui`). */
export function npmPackage(name: string, vs: VersionSpec[], extra: Omit<SeedPackage, 'format' | 'name' | 'namespace' | 'versions'> = {}): SeedPackage {
  const m = /^@([^/]+)\/(.+)$/.exec(name);
  return { format: 'npm', ...(m ? { namespace: m[1], name: m[2] } : { name }), versions: versions(vs), ...extra };
}

export function pypiPackage(name: string, vs: VersionSpec[], extra: Omit<SeedPackage, 'format' | 'name' | 'versions'> = {}): SeedPackage {
  return { format: 'pypi', name, versions: versions(vs), ...extra };
}

/** A Maven package from `groupId:artifactId`. */
export function mavenPackage(coordinates: string, vs: VersionSpec[], extra: Omit<SeedPackage, 'format' | 'name' | 'namespace' | 'versions'> = {}): SeedPackage {
  const [namespace, name] = coordinates.split(':');
  return { format: 'maven', namespace, name, versions: versions(vs), ...extra };
}

/** The package's upstream restriction set to BLOCK: nothing of it comes from upstreams or the public registry. */
export const blockUpstream = { originConfiguration: { restrictions: { upstream: 'BLOCK' as const } } };

/**
 * The domain most tests start from: `acme` with a public npm proxy `npm-store` and `app` upstream of it,
 * plus `staging` (empty) and a second account's domain `partner`. Packages of `app` are the caller's.
 */
export function acmeSeed(appPackages: SeedPackage[] = []): SeedBuilder {
  return seed()
    .domain('acme')
    .repo('npm-store', { description: 'public npm', externalConnection: 'public:npmjs' })
    .repo('app', { description: 'team packages', upstreams: ['npm-store'], packages: appPackages })
    .repo('staging', { description: 'copies land here' })
    .domain('partner', { owner: '444455556666' })
    .repo('shared');
}

/** Domain `acme`: `store` on a public external connection (any of state.ts's EXTERNAL_CONNECTIONS), `repo` upstream of it holding `packages`. */
export function proxiedSeed(connection: string, store: string, repo: string, packages: SeedPackage[] = []): SeedBuilder {
  return seed()
    .domain('acme')
    .repo(store, { externalConnection: connection })
    .repo(repo, { upstreams: [store], packages });
}
