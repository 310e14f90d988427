// ~/.npmrc edits equivalent to what `aws codeartifact login --tool npm` runs (`npm config set registry` or
// `@scope:registry`, then `//host/path/:_authToken`), done as line edits so every other line stays byte-for-byte.
// The CLI's third key, `:always-auth`, is rejected by npm >= 9 and the CLI ignores that failure, so we skip it.
import { LoginFileError, LoginInputError } from './errors';
import { LineEditor, binaryProblem, splitLines, type LineFileRecord } from './lineEdits';

export interface NpmrcSettings {
  /** GetRepositoryEndpoint URL for format npm, with its trailing slash. */
  endpoint: string;
  /** The token, or `${CODEARTIFACT_AUTH_TOKEN}` for a project-level file. */
  token: string;
  /** npm scope, with or without '@'; sets `@scope:registry` instead of `registry`. */
  namespace?: string;
}

/** `@scope` as the CLI normalises and validates it. */
export function normaliseNpmScope(namespace: string): string {
  const scope = namespace.startsWith('@') ? namespace : `@${namespace}`;
  if (!/^@[a-z0-9-~][a-z0-9-._~]*$/.test(scope)) throw new LoginInputError(`Invalid npm scope: ${namespace}`);
  return scope;
}

/** `//host[:port]/path/` of an endpoint, as the CLI derives it (urlsplit netloc + path). */
export function nerfDart(endpoint: string): string {
  const u = new URL(endpoint);
  const auth = u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  return `//${auth}${u.host}${u.pathname}`;
}

export function npmrcKeys(s: Pick<NpmrcSettings, 'endpoint' | 'namespace'>): { registryKey: string; authKey: string } {
  return {
    registryKey: s.namespace ? `${normaliseNpmScope(s.namespace)}:registry` : 'registry',
    authKey: `${nerfDart(s.endpoint)}:_authToken`,
  };
}

/** A value as npm's ini writer emits it: JSON-quoted when it has '=', newlines, outer spaces or looks quoted. */
export function iniValue(v: string): string {
  const looksQuoted = v.length > 1 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")));
  if (/[=\r\n]/.test(v) || v.startsWith('[') || looksQuoted || v !== v.trim()) return JSON.stringify(v);
  return v.replace(/;/g, '\\;').replace(/#/g, '\\#');
}

/** A value as npm's ini reader understands it. */
export function iniUnquote(raw: string): string {
  const v = raw.trim();
  if (v.length > 1 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) {
    try {
      return JSON.parse(v.startsWith("'") ? JSON.stringify(v.slice(1, -1)) : v) as string;
    } catch {
      return v;
    }
  }
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '\\' && i + 1 < v.length && ';#\\'.includes(v[i + 1])) out += v[++i];
    else if (c === ';' || c === '#') break;
    else out += c;
  }
  return out.trim();
}

interface NpmrcLine {
  kind: 'blank' | 'comment' | 'section' | 'kv';
  key?: string;
  value?: string;
}

function classify(text: string): NpmrcLine {
  const t = text.trim();
  if (t === '') return { kind: 'blank' };
  if (t.startsWith(';') || t.startsWith('#')) return { kind: 'comment' };
  if (/^\[[^\]]*\]$/.test(t)) return { kind: 'section' };
  const eq = t.indexOf('=');
  const key = iniUnquote(eq < 0 ? t : t.slice(0, eq));
  return { kind: 'kv', key, value: eq < 0 ? 'true' : iniUnquote(t.slice(eq + 1)) };
}

/**
 * What we call a malformed .npmrc (npm's reader accepts almost anything and would silently misread these):
 * binary content, an unterminated quoted value or key, an unterminated [section] header, a merge conflict marker.
 */
export function npmrcProblem(text: string): string | null {
  const bin = binaryProblem(text);
  if (bin) return bin;
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].text.trim();
    const n = i + 1;
    if (t === '' || t.startsWith(';') || t.startsWith('#')) continue;
    if (/^(<{7}|>{7})( |$)/.test(t)) return `line ${n}: merge conflict marker`;
    if (t.startsWith('[') && !/^\[[^\]]*\]$/.test(t)) return `line ${n}: unterminated [section] header`;
    const eq = t.indexOf('=');
    for (const part of eq < 0 ? [t] : [t.slice(0, eq), t.slice(eq + 1)]) {
      const p = part.trim();
      const q = p[0];
      if ((q === '"' || q === "'") && (p.length < 2 || p[p.length - 1] !== q)) return `line ${n}: unterminated quoted value`;
      if (q === '"' && p.length >= 2) {
        try {
          JSON.parse(p);
        } catch {
          return `line ${n}: invalid quoted value`;
        }
      }
    }
  }
  return null;
}

/** Reads the effective top-level value of a key (the last assignment before any [section]), as npm would. */
export function readNpmrcKey(text: string, key: string): string | undefined {
  let value: string | undefined;
  for (const l of splitLines(text)) {
    const c = classify(l.text);
    if (c.kind === 'section') break;
    if (c.kind === 'kv' && c.key === key) value = c.value;
  }
  return value;
}

export interface FileEditResult<R> {
  text: string;
  record: R;
}

/**
 * Sets our keys in `text` (null: no file yet). An existing assignment of a key (the effective, last one) is
 * replaced in place and remembered for logout; new keys go after the last top-level line (before any
 * [section], where npm would not see them as top-level).
 */
export function applyNpmrc(file: string, text: string | null, s: NpmrcSettings): FileEditResult<LineFileRecord> {
  if (!s.token) throw new LoginInputError('empty token');
  if (text !== null) {
    const problem = npmrcProblem(text);
    if (problem) throw new LoginFileError(file, problem);
  }
  const { registryKey, authKey } = npmrcKeys(s);
  const ed = new LineEditor(text ?? '');
  const wanted: [string, string][] = [
    [registryKey, s.endpoint],
    [authKey, s.token],
  ];
  for (const [key, value] of wanted) {
    const line = `${key}=${iniValue(value)}`;
    let firstSection = ed.lines.length;
    let existing = -1;
    for (let i = 0; i < ed.lines.length; i++) {
      const c = classify(ed.lines[i].text);
      if (c.kind === 'section') {
        firstSection = i;
        break;
      }
      if (c.kind === 'kv' && c.key === key) existing = i;
    }
    if (existing >= 0) {
      if (ed.lines[existing].text !== line) ed.replace(existing, existing + 1, [line]);
    } else {
      let at = firstSection;
      while (at > 0 && ed.lines[at - 1].text.trim() === '' && at < ed.lines.length) at--; // keep blank lines before a section
      ed.insert(at, [line]);
    }
  }
  const record: LineFileRecord = { kind: 'lines', file, edits: ed.edits, created: text === null };
  if (ed.terminatedLastLine !== undefined) record.terminatedLastLine = ed.terminatedLastLine;
  return { text: ed.text(), record };
}
