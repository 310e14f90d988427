// ~/.m2/settings.xml for CodeArtifact, as the AWS docs describe it: a <server> (username aws, password
// ${env.CODEARTIFACT_AUTH_TOKEN}; the token itself is never written here), a <profile> with a <repository> and a
// <pluginRepository>, an <activeProfile>, and optionally a <mirror> of central. All share the id
// `codeartifact-<domain>-<repository>`, which is how Maven matches credentials and how we recognise our elements.
// Edits are text insertions at the right places, so comments and formatting elsewhere stay byte-for-byte.
import { LoginFileError } from './errors';
import { binaryProblem } from './lineEdits';
import { XmlError, elementText, escapeXml, parseXml, type XmlElement } from '../xml';

export interface MavenSettings {
  domain: string;
  repository: string;
  /** GetRepositoryEndpoint URL for format maven. */
  endpoint: string;
  mirrorCentral?: boolean;
  /** Environment variable holding the token (default CODEARTIFACT_AUTH_TOKEN). */
  tokenEnvVar?: string;
}

/** One inserted fragment: logout replaces `inserted` by `original`; if it is not found whole, removes `inner`. */
export interface XmlEdit {
  inserted: string;
  original: string;
  inner?: string;
}

export interface XmlFileRecord {
  kind: 'xml';
  file: string;
  created: boolean;
  edits: XmlEdit[];
  /** The empty file login created (when not Maven's settings skeleton): logout deletes the file when only it is left. */
  skeleton?: string;
}

export function mavenId(domain: string, repository: string): string {
  return `codeartifact-${domain}-${repository}`;
}

/** An element with text or children, or one line of markup written as it is (an element with attributes). */
export type XmlNode = [string, string | XmlNode[]] | string;
type Node = XmlNode;

function render(node: Node, level: number, unit: string, eol: string): string[] {
  const pad = unit.repeat(level);
  if (typeof node === 'string') return [`${pad}${node}`];
  const [name, content] = node;
  if (typeof content === 'string') return [`${pad}<${name}>${escapeXml(content)}</${name}>`];
  return [`${pad}<${name}>`, ...content.flatMap((c) => render(c, level + 1, unit, eol)), `${pad}</${name}>`];
}

const NEW_FILE = (eol: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>${eol}<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0"${eol}          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"${eol}          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.0.0 https://maven.apache.org/xsd/settings-1.0.0.xsd">${eol}</settings>${eol}`;

export function mavenSettingsProblem(text: string): string | null {
  const bin = binaryProblem(text);
  if (bin) return bin;
  try {
    const root = parseXml(text);
    if (root.name.replace(/^.*:/, '') !== 'settings') return `root element is <${root.name}>, not <settings>`;
    return null;
  } catch (e) {
    if (e instanceof XmlError) return `not well-formed XML: line ${e.line}: ${e.message}`;
    throw e;
  }
}

export interface MavenApplyResult {
  text: string;
  record: XmlFileRecord;
  warnings: string[];
}

/** An element login adds: under which container, and how an existing one with our id is recognised. */
export interface Wanted {
  container: string;
  child: string;
  node: Node;
  exists: (c: XmlElement) => boolean;
}

/** The server, optional mirror, profile and active profile, all with the id `codeartifact-<domain>-<repository>`. */
function wantedElements(src: string, s: MavenSettings): Wanted[] {
  const id = mavenId(s.domain, s.repository);
  const env = s.tokenEnvVar ?? 'CODEARTIFACT_AUTH_TOKEN';
  const hasId = (c: XmlElement) => {
    const idEl = c.children.find((x) => x.name === 'id');
    return idEl !== undefined && elementText(src, idEl) === id;
  };
  const repo = (tag: string): Node => [
    tag,
    [
      ['id', id],
      ['url', s.endpoint],
    ],
  ];
  const server: Node = [
    'server',
    [
      ['id', id],
      ['username', 'aws'],
      ['password', `\${env.${env}}`],
    ],
  ];
  const mirror: Node = [
    'mirror',
    [
      ['id', id],
      ['name', `CodeArtifact ${s.domain}/${s.repository}`],
      ['url', s.endpoint],
      ['mirrorOf', 'central'],
    ],
  ];
  const profile: Node = [
    'profile',
    [
      ['id', id],
      ['repositories', [repo('repository')]],
      ['pluginRepositories', [repo('pluginRepository')]],
    ],
  ];
  return [
    { container: 'servers', child: 'server', node: server, exists: hasId },
    ...(s.mirrorCentral ? [{ container: 'mirrors', child: 'mirror', node: mirror, exists: hasId }] : []),
    { container: 'profiles', child: 'profile', node: profile, exists: hasId },
    { container: 'activeProfiles', child: 'activeProfile', node: ['activeProfile', id], exists: (c) => elementText(src, c) === id },
  ];
}

export interface Insert {
  at: number;
  end: number;
  edit: XmlEdit;
}

/** Where and what to insert for one wanted element: into its container, or a new container under the root. */
export function insertFor(src: string, root: XmlElement, w: Wanted, unit: string, eol: string): Insert {
  const container = root.children.find((c) => c.name === w.container);
  const inner = render(w.node, 2, unit, eol);
  if (container && !container.selfClosing) {
    const { at, text: ins } = insertBeforeClose(src, container, inner, 1, unit, eol);
    return { at, end: at, edit: { inserted: ins, original: '' } };
  }
  if (container) {
    const orig = src.slice(container.start, container.end);
    const ins = [`<${w.container}>`, ...inner, `${unit}</${w.container}>`].join(eol);
    return { at: container.start, end: container.end, edit: { inserted: ins, original: orig, inner: inner.join(eol) + eol } };
  }
  const block = [`${unit}<${w.container}>`, ...inner, `${unit}</${w.container}>`];
  const { at, text: ins } = insertBeforeClose(src, root, block, 0, unit, eol);
  return { at, end: at, edit: { inserted: ins, original: '', inner: inner.join(eol) + eol } };
}

export function applyMavenSettings(file: string, text: string | null, s: MavenSettings): MavenApplyResult {
  const eol = text && /\r\n/.test(text) && !/[^\r]\n/.test(text) ? '\r\n' : '\n';
  const src = text ?? NEW_FILE(eol);
  const problem = mavenSettingsProblem(src);
  if (problem) throw new LoginFileError(file, problem);
  const root = parseXml(src);
  const id = mavenId(s.domain, s.repository);
  const unit = detectIndent(src, root);
  const warnings: string[] = [];
  const inserts: Insert[] = [];
  for (const w of wantedElements(src, s)) {
    const container = root.children.find((c) => c.name === w.container);
    if (container?.children.some((c) => c.name === w.child && w.exists(c))) {
      warnings.push(`${file} already has a <${w.child}> with id ${id}; left as it is`);
      continue;
    }
    inserts.push(insertFor(src, root, w, unit, eol));
  }
  let out = src;
  // Apply from the end so offsets stay valid; equal offsets in reverse so the final order is the listed one.
  const ordered = inserts.map((x, i) => ({ ...x, i })).sort((a, b) => b.at - a.at || b.i - a.i);
  for (const x of ordered) out = out.slice(0, x.at) + x.edit.inserted + out.slice(x.end);
  return { text: out, record: { kind: 'xml', file, created: text === null, edits: inserts.map((x) => x.edit) }, warnings };
}

/** Indentation unit: the leading whitespace of the root's first child (default two spaces). */
export function detectIndent(text: string, root: XmlElement): string {
  const first = root.children[0];
  if (first) {
    const lineStart = text.lastIndexOf('\n', first.start) + 1;
    const ws = text.slice(lineStart, first.start);
    if (/^[ \t]+$/.test(ws)) return ws;
  }
  return '  ';
}

/** Text and offset that put `lines` (already indented for children of `parent`) just before parent's end tag. */
function insertBeforeClose(src: string, parent: XmlElement, lines: string[], level: number, unit: string, eol: string): { at: number; text: string } {
  const lineStart = src.lastIndexOf('\n', parent.closeStart - 1) + 1;
  if (/^[ \t]*$/.test(src.slice(lineStart, parent.closeStart)) && lineStart > parent.openEnd) {
    return { at: lineStart, text: lines.join(eol) + eol };
  }
  return { at: parent.closeStart, text: eol + lines.join(eol) + eol + unit.repeat(level) };
}

export function removeMavenSettings(text: string | null, record: XmlFileRecord): { text: string | null; skipped: XmlEdit[] } {
  if (text === null) return { text: null, skipped: [] };
  let out = text;
  const skipped: XmlEdit[] = [];
  for (const e of [...record.edits].reverse()) {
    const i = out.lastIndexOf(e.inserted);
    if (i >= 0) {
      out = out.slice(0, i) + e.original + out.slice(i + e.inserted.length);
      continue;
    }
    const j = e.inner ? out.lastIndexOf(e.inner) : -1;
    if (j >= 0 && e.inner) {
      const lineStart = out.lastIndexOf('\n', j - 1) + 1;
      const from = /^[ \t]*$/.test(out.slice(lineStart, j)) ? lineStart : j;
      out = out.slice(0, from) + out.slice(j + e.inner.length);
      continue;
    }
    skipped.push(e);
  }
  // A file we created goes away again when only our empty skeleton is left.
  const skeletons = record.skeleton !== undefined ? [record.skeleton] : [NEW_FILE('\n'), NEW_FILE('\r\n')];
  if (record.created && skeletons.includes(out)) return { text: null, skipped };
  return { text: out, skipped };
}
