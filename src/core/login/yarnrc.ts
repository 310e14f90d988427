// Yarn berry's ~/.yarnrc.yml: npmRegistryServer (or npmScopes.<scope>.npmRegistryServer) and
// npmRegistries["//host/path"].npmAuthToken, edited through the `yaml` Document API so comments and other keys
// survive. The registry key has no trailing slash: Yarn looks registries up with the slash stripped, and only
// newer versions also strip it from the keys.
import { createHash } from 'node:crypto';
import { isMap, parseDocument, Scalar, YAMLMap, type Document } from 'yaml';
import { LoginFileError, LoginInputError } from './errors';
import { binaryProblem } from './lineEdits';
import { nerfDart, normaliseNpmScope } from './npmrc';

export interface YarnrcSettings {
  endpoint: string;
  token: string;
  namespace?: string;
}

export interface YamlSet {
  path: string[];
  value: unknown;
  /** Previous value at that path; absent when the key did not exist. */
  previous?: unknown;
  hadPrevious: boolean;
}

export interface YamlFileRecord {
  kind: 'yaml';
  file: string;
  created: boolean;
  sets: YamlSet[];
  /** Maps we created (deepest last), removed again on logout when empty. */
  createdMaps: string[][];
  /** sha256 of the text we wrote, and the text before: when the file is still exactly ours, logout restores it byte-for-byte. */
  writtenSha256: string;
  previousText: string | null;
}

export function yarnRegistryKey(endpoint: string): string {
  return nerfDart(endpoint).replace(/\/$/, '');
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

function parse(file: string, text: string): Document.Parsed {
  const bin = binaryProblem(text);
  if (bin) throw new LoginFileError(file, bin);
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new LoginFileError(file, `not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new LoginFileError(file, 'top level is not a mapping');
  return doc;
}

/** Ensures a map at `path`, creating missing ones (recorded) with quoted keys. */
function ensureMap(doc: Document, path: string[], created: string[][]): YAMLMap {
  if (doc.contents === null) doc.contents = new YAMLMap() as never;
  let node = doc.contents as unknown as YAMLMap;
  for (let i = 0; i < path.length; i++) {
    const next = node.get(path[i], true);
    if (next === undefined || next === null || (next instanceof Scalar && next.value === null)) {
      const m = new YAMLMap();
      const k = new Scalar(path[i]);
      if (path[i].includes('/') || path[i].includes(':')) k.type = Scalar.QUOTE_DOUBLE;
      node.set(k, m);
      created.push(path.slice(0, i + 1));
      node = m;
    } else if (isMap(next)) {
      node = next;
    } else {
      throw new Error(`${path.slice(0, i + 1).join('.')} is not a mapping`);
    }
  }
  return node;
}

export function applyYarnrc(file: string, text: string | null, s: YarnrcSettings): { text: string; record: YamlFileRecord } {
  if (!s.token) throw new LoginInputError('empty token');
  const doc = parse(file, text ?? '');
  const createdMaps: string[][] = [];
  const sets: YamlSet[] = [];
  const set = (parent: string[], key: string, value: unknown) => {
    let map: YAMLMap;
    try {
      map = ensureMap(doc, parent, createdMaps);
    } catch (e) {
      throw new LoginFileError(file, (e as Error).message);
    }
    const had = map.has(key);
    const previous: unknown = had ? (map.get(key) as unknown) : undefined;
    if (had && previous === value) return;
    map.set(key, value);
    sets.push(had ? { path: [...parent, key], value, previous, hadPrevious: true } : { path: [...parent, key], value, hadPrevious: false });
  };
  if (s.namespace) set(['npmScopes', normaliseNpmScope(s.namespace).slice(1)], 'npmRegistryServer', s.endpoint);
  else set([], 'npmRegistryServer', s.endpoint);
  const reg = yarnRegistryKey(s.endpoint);
  set(['npmRegistries', reg], 'npmAlwaysAuth', true);
  set(['npmRegistries', reg], 'npmAuthToken', s.token);
  const out = doc.toString();
  return {
    text: out,
    record: { kind: 'yaml', file, created: text === null, sets, createdMaps, writtenSha256: sha256(out), previousText: text },
  };
}

export function removeYarnrc(text: string | null, record: YamlFileRecord): { text: string | null; skipped: string[] } {
  if (text === null) return { text: null, skipped: [] };
  if (sha256(text) === record.writtenSha256) return { text: record.previousText, skipped: [] };
  const doc = parse(record.file, text);
  const skipped: string[] = [];
  for (const st of [...record.sets].reverse()) {
    if (doc.getIn(st.path) !== st.value) {
      skipped.push(st.path.join('.'));
      continue;
    }
    if (st.hadPrevious) doc.setIn(st.path, st.previous);
    else doc.deleteIn(st.path);
  }
  for (const p of [...record.createdMaps].reverse()) {
    const m = doc.getIn(p, true);
    if (isMap(m) && m.items.length === 0) doc.deleteIn(p);
  }
  const out = doc.toString();
  if (record.created && (doc.contents === null || (isMap(doc.contents) && doc.contents.items.length === 0))) return { text: null, skipped };
  return { text: out, skipped };
}
