// ~/.netrc entries (`machine HOST login USER password TOKEN`, one line each, as `aws codeartifact login --tool
// swift` writes them): pip in netrc mode and SwiftPM read the token from here. An existing entry for the host is
// replaced in place (all its lines), otherwise ours is appended; logout puts back exactly what was there.
import { LoginFileError, LoginInputError } from './errors';
import { LineEditor, binaryProblem, type LineFileRecord } from './lineEdits';
import type { FileEditResult } from './npmrc';

export interface NetrcEntry {
  host: string;
  login: string;
  password: string;
}

interface Token {
  value: string;
  line: number;
}

/** The whitespace-separated tokens of a netrc file with their line numbers; `#` comment lines are skipped. */
function tokens(lines: readonly { text: string }[]): Token[] {
  const out: Token[] = [];
  let inMacro = false;
  lines.forEach((l, i) => {
    if (inMacro) {
      // A macro definition runs to the next empty line.
      if (l.text.trim() === '') inMacro = false;
      return;
    }
    if (/^\s*#/.test(l.text)) return;
    for (const v of l.text.split(/\s+/).filter(Boolean)) out.push({ value: v, line: i });
    if (out.length >= 2 && out[out.length - 2]?.value === 'macdef') inMacro = true;
  });
  return out;
}

/** Lines [start, end] of the entry for `host` (its `machine` line through its last token's line), if any. */
function entryLines(lines: readonly { text: string }[], host: string): { start: number; end: number } | undefined {
  const t = tokens(lines);
  for (let i = 0; i < t.length; i++) {
    if (t[i].value !== 'machine' || t[i + 1]?.value !== host) continue;
    let j = i + 2;
    while (j < t.length && t[j].value !== 'machine' && t[j].value !== 'default') j++;
    const start = t[i].line;
    const end = t[j - 1].line;
    // Only whole lines of this entry: a line shared with the previous or next entry is not ours to replace.
    const shared = t.some((x, k) => (k < i || k >= j) && x.line >= start && x.line <= end);
    if (shared) throw new LoginInputError(`the netrc entry for ${host} shares a line with another entry`);
    return { start, end };
  }
  return undefined;
}

export function netrcLine(e: NetrcEntry): string {
  return `machine ${e.host} login ${e.login} password ${e.password}`;
}

/** Sets one line per host (later entries for the same host win). */
export function applyNetrc(file: string, text: string | null, entries: readonly NetrcEntry[]): FileEditResult<LineFileRecord> {
  for (const e of entries) {
    if ([e.host, e.login, e.password].some((v) => !v || /\s/.test(v))) throw new LoginInputError(`invalid netrc entry for ${e.host || '(no host)'}`);
  }
  const src = text ?? '';
  const bin = binaryProblem(src);
  if (bin) throw new LoginFileError(file, bin);
  const byHost = new Map(entries.map((e) => [e.host, e]));
  const ed = new LineEditor(src);
  for (const e of byHost.values()) {
    let range: { start: number; end: number } | undefined;
    try {
      range = entryLines(ed.lines, e.host);
    } catch (err) {
      throw new LoginFileError(file, (err as Error).message);
    }
    const line = netrcLine(e);
    if (!range) ed.insert(ed.lines.length, [line]);
    else if (!(range.start === range.end && ed.lines[range.start].text === line)) ed.replace(range.start, range.end + 1, [line]);
  }
  const record: LineFileRecord = { kind: 'lines', file, edits: ed.edits, created: text === null };
  if (ed.terminatedLastLine !== undefined) record.terminatedLastLine = ed.terminatedLastLine;
  return { text: ed.text(), record };
}
