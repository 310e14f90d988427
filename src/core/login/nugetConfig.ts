// The user-level NuGet.Config for `nuget` and `dotnet`: the package source `{domain}/{repository}` pointing at
// `{endpoint}v3/index.json`, username `aws`, as `aws codeartifact login --tool nuget|dotnet` adds it (through
// `nuget sources add` / `dotnet nuget add source`). The password is not the token but the macro
// `%CODEARTIFACT_AUTH_TOKEN%`: NuGet expands environment variables in nuget.config values ("Using environment
// variable macros in nuget.config", Microsoft's "Consuming packages from authenticated feeds"), and the integrated
// terminal carries that variable, so no token is written to the file. Edits are insertions, as for settings.xml.
import { LoginFileError } from './errors';
import { binaryProblem } from './lineEdits';
import { detectIndent, insertFor, type Insert, type Wanted, type XmlFileRecord } from './mavenSettings';
import { XmlError, parseXml, type XmlElement } from '../xml';

export interface NugetSettings {
  domain: string;
  repository: string;
  /** GetRepositoryEndpoint URL for format nuget. */
  endpoint: string;
  /** Environment variable holding the token (default CODEARTIFACT_AUTH_TOKEN). */
  tokenEnvVar?: string;
}

export const nugetSourceName = (domain: string, repository: string) => `${domain}/${repository}`;
export const nugetIndexUrl = (endpoint: string) => `${endpoint}v3/index.json`;

/**
 * The element name NuGet uses for a source under <packageSourceCredentials>: the source name encoded as .NET's
 * XmlConvert.EncodeLocalName does (a character not allowed in an XML name as `_xHHHH_`, e.g. '/' → `_x002F_`).
 */
export function nugetCredentialElement(source: string): string {
  return [...source]
    .map((c, i) => {
      const ok = i === 0 ? /[A-Za-z_]/.test(c) : /[A-Za-z0-9_.-]/.test(c);
      const escapeUnderscore = c === '_' && /^x[0-9A-Fa-f]{4}_/.test(source.slice(i + 1));
      return ok && !escapeUnderscore ? c : `_x${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}_`;
    })
    .join('');
}

const NEW_FILE = (eol: string) => `<?xml version="1.0" encoding="utf-8"?>${eol}<configuration>${eol}</configuration>${eol}`;

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** The value of an attribute in an element's start tag (entities left as written). */
function attribute(src: string, el: XmlElement, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(src.slice(el.start, el.openEnd));
  return m ? (m[1] ?? m[2]) : undefined;
}

export function applyNugetConfig(file: string, text: string | null, s: NugetSettings): { text: string; record: XmlFileRecord; warnings: string[] } {
  const eol = text && /\r\n/.test(text) && !/[^\r]\n/.test(text) ? '\r\n' : '\n';
  const src = text ?? NEW_FILE(eol);
  const bin = binaryProblem(src);
  if (bin) throw new LoginFileError(file, bin);
  let root: XmlElement;
  try {
    root = parseXml(src);
  } catch (e) {
    if (e instanceof XmlError) throw new LoginFileError(file, `not well-formed XML: line ${e.line}: ${e.message}`);
    throw e;
  }
  if (root.name !== 'configuration') throw new LoginFileError(file, `root element is <${root.name}>, not <configuration>`);
  const source = nugetSourceName(s.domain, s.repository);
  const credName = nugetCredentialElement(source);
  const env = s.tokenEnvVar ?? 'CODEARTIFACT_AUTH_TOKEN';
  const wanted: Wanted[] = [
    {
      container: 'packageSources',
      child: 'add',
      node: `<add key="${escapeAttr(source)}" value="${escapeAttr(nugetIndexUrl(s.endpoint))}" />`,
      exists: (c) => attribute(src, c, 'key') === escapeAttr(source),
    },
    {
      container: 'packageSourceCredentials',
      child: credName,
      node: [credName, ['<add key="Username" value="aws" />', `<add key="ClearTextPassword" value="%${env}%" />`]],
      exists: () => true,
    },
  ];
  const unit = detectIndent(src, root);
  const warnings: string[] = [];
  const inserts: Insert[] = [];
  for (const w of wanted) {
    const container = root.children.find((c) => c.name === w.container);
    if (container?.children.some((c) => c.name === w.child && w.exists(c))) {
      warnings.push(`${file} already has ${w.container === 'packageSources' ? `a package source named ${source}` : `credentials for ${source}`}; left as they are`);
      continue;
    }
    inserts.push(insertFor(src, root, w, unit, eol));
  }
  let out = src;
  const ordered = inserts.map((x, i) => ({ ...x, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  for (const x of ordered) out = out.slice(0, x.at) + x.edit.inserted + out.slice(x.end);
  const record: XmlFileRecord = { kind: 'xml', file, created: text === null, edits: inserts.map((x) => x.edit) };
  if (text === null) record.skeleton = src;
  return { text: out, record, warnings };
}
