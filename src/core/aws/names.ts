// How packages are installed in each ecosystem, and where the AWS console shows them.
import { packageDisplayName } from '../coordinates';
import { registryName } from '../login/toolEnv';

export interface InstallSnippet {
  label: string;
  text: string;
}

/** The repository a version is in (the generic download command names it). */
export interface SnippetRepository {
  domain: string;
  domainOwner?: string;
  repository: string;
}

/** `aws codeartifact get-package-version-asset` for one generic asset (the only way to fetch a generic package). */
function genericDownload(repo: SnippetRepository | undefined, namespace: string | undefined, name: string, version: string): string {
  const r = repo ?? { domain: 'DOMAIN', repository: 'REPOSITORY' };
  return [
    `aws codeartifact get-package-version-asset --domain ${r.domain}${r.domainOwner ? ` --domain-owner ${r.domainOwner}` : ''} --repository ${r.repository}`,
    `  --format generic${namespace ? ` --namespace ${namespace}` : ''} --package ${name} --package-version ${version}`,
    `  --asset ASSET_NAME ASSET_NAME`,
  ].join(' \\\n');
}

/**
 * Snippets a developer pastes to depend on one version: the manifest line where the ecosystem has one (Maven,
 * Gradle, PackageReference, Cargo.toml, Gemfile, Package.swift) and the install command.
 */
export function installSnippets(format: string | undefined, namespace: string | undefined, name: string, version: string, repo?: SnippetRepository): InstallSnippet[] {
  switch (format) {
    case 'npm':
      return [{ label: 'npm', text: `npm install ${packageDisplayName('npm', namespace, name)}@${version}` }];
    case 'pypi':
      return [{ label: 'pip', text: `pip install ${name}==${version}` }];
    case 'maven':
      return [
        {
          label: 'Maven',
          text: ['<dependency>', `  <groupId>${namespace ?? ''}</groupId>`, `  <artifactId>${name}</artifactId>`, `  <version>${version}</version>`, '</dependency>'].join('\n'),
        },
        { label: 'Gradle (Kotlin)', text: `implementation("${namespace}:${name}:${version}")` },
        { label: 'Gradle (Groovy)', text: `implementation '${namespace}:${name}:${version}'` },
      ];
    case 'nuget':
      return [
        { label: 'PackageReference', text: `<PackageReference Include="${name}" Version="${version}" />` },
        { label: 'dotnet', text: `dotnet add package ${name} --version ${version}` },
      ];
    case 'cargo': {
      // The registry name login gives the repository in Cargo's config.toml.
      const registry = repo ? registryName(repo.domain, repo.repository) : undefined;
      return [
        { label: 'Cargo.toml', text: `${name} = { version = "=${version}"${registry ? `, registry = "${registry}"` : ''} }` },
        { label: 'cargo', text: `cargo add ${name}@${version}${registry ? ` --registry ${registry}` : ''}` },
      ];
    }
    case 'ruby':
      return [
        { label: 'Gemfile', text: `gem "${name}", "${version}"` },
        { label: 'gem', text: `gem install ${name} -v ${version}` },
      ];
    case 'swift':
      return [{ label: 'Package.swift', text: `.package(id: "${namespace ?? 'scope'}.${name}", exact: "${version}")` }];
    case 'generic':
      return [{ label: 'aws codeartifact', text: genericDownload(repo, namespace, name, version) }];
    default:
      return [{ label: format ?? 'package', text: `${packageDisplayName(format, namespace, name)}@${version}` }];
  }
}

export function humanSize(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export interface ConsoleTarget {
  region: string;
  domain: string;
  owner: string;
  repository?: string;
  format?: string;
  namespace?: string;
  packageName?: string;
  version?: string;
}

/** The AWS console page for a domain, repository, package or version. */
export function consoleUrl(t: ConsoleTarget): string {
  const e = encodeURIComponent;
  let path = `d/${e(t.owner)}/${e(t.domain)}`;
  if (t.repository) {
    path += `/r/${e(t.repository)}`;
    if (t.format && t.packageName) {
      path += `/p/${e(t.format)}/${t.namespace ? `${e(t.namespace)}/` : ''}${e(t.packageName)}`;
      path += t.version ? `/versions/${e(t.version)}` : '/versions';
    }
  }
  return `https://${t.region}.console.aws.amazon.com/codesuite/codeartifact/${path}?region=${e(t.region)}`;
}

/**
 * "@scope/pre" -> npm namespace + prefix; "group.id:art" -> Maven namespace + prefix; "ns/pre" -> namespace +
 * prefix; anything else is a package-name prefix. Both filters are prefix matches on the service side.
 */
export function parsePackageFilter(text: string): { namespace?: string; packagePrefix?: string } {
  const t = text.trim();
  if (!t) return {};
  let m = /^@([^/\s]+)\/?(.*)$/.exec(t);
  if (m) return { namespace: m[1], packagePrefix: m[2] || undefined };
  m = /^([^:\s]+):(.*)$/.exec(t);
  if (m) return { namespace: m[1], packagePrefix: m[2] || undefined };
  m = /^([^/\s]+)\/(.*)$/.exec(t);
  if (m) return { namespace: m[1], packagePrefix: m[2] || undefined };
  return { packagePrefix: t };
}
