// Line edits of a TOML user config (Cargo's config.toml, Poetry's config.toml, uv.toml): a `[table]` or a
// `[[array]]` entry gets the keys login needs, everything else stays byte for byte. A file that does not parse
// (smol-toml, TOML 1.0) is left unchanged, and so is one that defines our table in a form we do not edit (an
// inline table or dotted keys): the error names the file and the table.
import { parse as parseToml, TomlError } from 'smol-toml';
import { LoginFileError } from './errors';
import { LineEditor, binaryProblem, type Line, type LineFileRecord } from './lineEdits';
import type { FileEditResult } from './npmrc';

export interface TomlTableEdit {
  /** The table's key path, e.g. ['registries', 'acme-app']. */
  path: string[];
  /** Keys and their string values, in the order written. */
  keys: [string, string][];
  /** An array-of-tables entry (`[[path]]`), matched by the value of this key (e.g. uv's `name`). */
  arrayMatch?: string;
}

const BARE = /^[A-Za-z0-9_-]+$/;

export function tomlKey(k: string): string {
  return BARE.test(k) ? k : JSON.stringify(k);
}

export function tomlString(v: string): string {
  return JSON.stringify(v);
}

/** The key path of a `[a.b]` or `[[a.b]]` header line, or undefined for any other line. */
function headerPath(text: string): { path: string[]; array: boolean } | undefined {
  const m = /^\s*(\[\[?)(.*?)(\]\]?)\s*(#.*)?$/.exec(text);
  if (!m || m[1].length !== m[3].length) return undefined;
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(\.|$)/gy;
  let last = '';
  let x: RegExpExecArray | null;
  while ((x = re.exec(m[2])) !== null) {
    parts.push(x[1] !== undefined ? (JSON.parse(`"${x[1]}"`) as string) : (x[2] ?? x[3]));
    last = x[4];
    if (last === '') break;
  }
  return parts.length > 0 && last === '' ? { path: parts, array: m[1] === '[[' } : undefined;
}

const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((p, i) => p === b[i]);

/** The line of a `key = …` assignment in lines [from, to), if any. */
function keyLine(lines: readonly Line[], from: number, to: number, key: string): number | undefined {
  for (let i = from; i < to; i++) {
    const m = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=/.exec(lines[i].text);
    if (!m) continue;
    const k = m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : m[1].replace(/^'|'$/g, '');
    if (k === key) return i;
  }
  return undefined;
}

function parseOrThrow(file: string, text: string): Record<string, unknown> {
  const bin = binaryProblem(text);
  if (bin) throw new LoginFileError(file, bin);
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const msg = e instanceof TomlError ? `line ${e.line}: ${e.message.split('\n')[0]}` : (e as Error).message;
    throw new LoginFileError(file, `not valid TOML: ${msg}`);
  }
}

function valueAt(doc: Record<string, unknown>, path: readonly string[]): unknown {
  let cur: unknown = doc;
  for (const p of path) cur = cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

/** Sets the keys inside the table whose header is at line `header`. */
function setKeys(ed: LineEditor, header: number, keys: readonly [string, string][]): void {
  let end = header + 1;
  while (end < ed.lines.length && !headerPath(ed.lines[end].text)) end++;
  const missing: string[] = [];
  for (const [k, v] of keys) {
    const want = `${tomlKey(k)} = ${tomlString(v)}`;
    const at = keyLine(ed.lines, header + 1, end, k);
    if (at === undefined) missing.push(want);
    else if (ed.lines[at].text !== want) ed.replace(at, at + 1, [want]);
  }
  if (missing.length === 0) return;
  let at = end;
  while (at > header + 1 && (ed.lines[at - 1].text.trim() === '' || /^\s*#/.test(ed.lines[at - 1].text))) at--;
  ed.insert(at, missing);
}

/** Applies every table edit to `text` (null: the file does not exist yet). */
export function applyTomlTables(file: string, text: string | null, tables: readonly TomlTableEdit[]): FileEditResult<LineFileRecord> {
  const src = text ?? '';
  const doc = parseOrThrow(file, src);
  const ed = new LineEditor(src);
  for (const t of tables) {
    const headers = ed.lines.map((l, i) => ({ i, h: headerPath(l.text) })).filter((x) => x.h && samePath(x.h.path, t.path));
    const existing = valueAt(doc, t.path);
    const name = t.path.join('.');
    let header: number | undefined;
    if (t.arrayMatch) {
      const matchValue = t.keys.find(([k]) => k === t.arrayMatch)?.[1];
      const entries = Array.isArray(existing) ? (existing as Record<string, unknown>[]) : [];
      if (existing !== undefined && !Array.isArray(existing)) throw new LoginFileError(file, `${name} is not an array of tables`);
      if (entries.length !== headers.filter((x) => x.h!.array).length) throw new LoginFileError(file, `${name} is written in a form login does not edit; use [[${name}]] tables`);
      const idx = entries.findIndex((e) => e && e[t.arrayMatch!] === matchValue);
      if (idx >= 0) header = headers.filter((x) => x.h!.array)[idx].i;
    } else {
      const std = headers.find((x) => !x.h!.array);
      if (std) {
        header = std.i;
      } else if (existing !== undefined) {
        throw new LoginFileError(file, `defines ${name} in a form login does not edit (an inline table or dotted keys); move it to a [${name}] table`);
      }
    }
    if (header !== undefined) {
      setKeys(ed, header, t.keys);
      continue;
    }
    const head = t.arrayMatch ? `[[${t.path.map(tomlKey).join('.')}]]` : `[${t.path.map(tomlKey).join('.')}]`;
    const blank = ed.lines.length > 0 && ed.lines[ed.lines.length - 1].text.trim() !== '' ? [''] : [];
    ed.insert(ed.lines.length, [...blank, head, ...t.keys.map(([k, v]) => `${tomlKey(k)} = ${tomlString(v)}`)], true);
  }
  const out = ed.text();
  parseOrThrow(file, out); // our own edit must leave a file the tool can read
  const record: LineFileRecord = { kind: 'lines', file, edits: ed.edits, created: text === null };
  if (ed.terminatedLastLine !== undefined) record.terminatedLastLine = ed.terminatedLastLine;
  return { text: out, record };
}
