// SwiftPM's registries.json (`.swiftpm/configuration/registries.json` in the project, or the same path under the
// home folder for every project), as `swift package-registry set URL [--scope S]` and `swift package-registry login
// URL/login` leave it: `registries["[default]" | scope] = {url, supportsAvailability: false}` and
// `authentication[host] = {type: "token", loginAPIPath}`. No token here: SwiftPM reads it from ~/.netrc on Linux
// and Windows (see netrc.ts). A JSON file is re-serialised, so logout restores the exact bytes from before when the
// file is still as we wrote it, and otherwise undoes our keys only.
import { createHash } from 'node:crypto';
import { LoginFileError, LoginInputError } from './errors';
import { binaryProblem } from './lineEdits';

export interface SwiftSettings {
  /** GetRepositoryEndpoint URL for format swift, with its trailing slash. */
  endpoint: string;
  /** A registry scope (`--scope`); absent: the default registry. */
  scope?: string;
}

interface JsonSet {
  path: string[];
  hadPrevious: boolean;
  previous?: unknown;
}

export interface JsonFileRecord {
  kind: 'json';
  file: string;
  created: boolean;
  sets: JsonSet[];
  previousText: string | null;
  writtenSha256: string;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** A scope as SwiftPM (and the CLI) accepts it: alphanumerics and inner single hyphens, at most 39 characters. */
export function validSwiftScope(scope: string): boolean {
  return /^[a-zA-Z0-9](?:[a-zA-Z0-9]|-(?=[a-zA-Z0-9])){0,38}$/.test(scope);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(file: string, text: string): Obj {
  const bin = binaryProblem(text);
  if (bin) throw new LoginFileError(file, bin);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new LoginFileError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(doc)) throw new LoginFileError(file, 'top level is not a JSON object');
  if (doc.version !== undefined && doc.version !== 1) throw new LoginFileError(file, `version ${JSON.stringify(doc.version)} is not 1`);
  for (const k of ['registries', 'authentication']) {
    if (doc[k] !== undefined && !isObj(doc[k])) throw new LoginFileError(file, `"${k}" is not an object`);
  }
  return doc;
}

function setPath(doc: Obj, path: readonly string[], value: unknown, sets: JsonSet[]): void {
  let cur = doc;
  for (const p of path.slice(0, -1)) {
    if (!isObj(cur[p])) cur[p] = {};
    cur = cur[p] as Obj;
  }
  const last = path[path.length - 1];
  const hadPrevious = Object.prototype.hasOwnProperty.call(cur, last);
  sets.push(hadPrevious ? { path: [...path], hadPrevious, previous: cur[last] } : { path: [...path], hadPrevious });
  cur[last] = value;
}

export function applySwiftRegistries(file: string, text: string | null, s: SwiftSettings): { text: string; record: JsonFileRecord } {
  if (s.scope !== undefined && !validSwiftScope(s.scope)) {
    throw new LoginInputError(`namespace "${s.scope}" is not a valid Swift registry scope (letters, digits and inner hyphens, at most 39)`);
  }
  const doc = text === null ? {} : parse(file, text);
  const url = new URL(s.endpoint);
  const sets: JsonSet[] = [];
  setPath(doc, ['registries', s.scope ?? '[default]'], { supportsAvailability: false, url: s.endpoint }, sets);
  setPath(doc, ['authentication', url.host], { loginAPIPath: `${url.pathname}login`, type: 'token' }, sets);
  if (doc.version === undefined) setPath(doc, ['version'], 1, sets);
  const out = `${JSON.stringify(doc, null, 2)}\n`;
  return { text: out, record: { kind: 'json', file, created: text === null, sets, previousText: text, writtenSha256: sha256(out) } };
}

export function removeSwiftRegistries(text: string | null, r: JsonFileRecord): { text: string | null; skipped: JsonSet[] } {
  if (text === null) return { text: null, skipped: [] };
  if (sha256(text) === r.writtenSha256) return { text: r.previousText, skipped: [] };
  let doc: Obj;
  try {
    doc = parse(r.file, text);
  } catch {
    return { text, skipped: r.sets };
  }
  const skipped: JsonSet[] = [];
  for (const set of [...r.sets].reverse()) {
    let cur: unknown = doc;
    for (const p of set.path.slice(0, -1)) cur = isObj(cur) ? cur[p] : undefined;
    if (!isObj(cur)) {
      skipped.push(set);
      continue;
    }
    const last = set.path[set.path.length - 1];
    if (set.hadPrevious) cur[last] = set.previous;
    else delete cur[last];
  }
  if (r.created && Object.keys(doc).every((k) => (isObj(doc[k]) && Object.keys(doc[k]).length === 0) || k === 'version')) return { text: null, skipped };
  return { text: `${JSON.stringify(doc, null, 2)}\n`, skipped };
}
