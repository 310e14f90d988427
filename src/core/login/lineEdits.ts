// A line-preserving model of a text file and the reversible edits we make to it. Every line keeps its own
// terminator, so untouched lines stay byte-for-byte; an edit records the exact lines we inserted and the lines
// they replaced, so logout can put back exactly what was there.

export interface Line {
  text: string;
  /** '\n', '\r\n' or '' (only the last line can lack a terminator). */
  eol: string;
}

/** One reversible change: `lines` (without terminators) sit where `previous` was (null: nothing, an insertion). */
export interface LineEdit {
  lines: string[];
  previous: string[] | null;
  /** A block that starts a new section: removed only when no foreign line has been added to that section. */
  sectionBlock?: boolean;
  /**
   * Index of the block's first line right after this edit. Logout reverts edits last-first, so while nobody else
   * has changed the file the block is exactly there, even when an identical line sits elsewhere in the file.
   */
  at?: number;
  /** Terminators of the replaced lines but the last (kept as they were, in files that mix LF and CRLF). */
  previousEols?: string[];
}

export interface LineFileRecord {
  kind: 'lines';
  file: string;
  edits: LineEdit[];
  /** We added a terminator to the file's last line (which lacked one) before appending. */
  terminatedLastLine?: string;
  /** The file did not exist before login; logout deletes it when it ends up empty. */
  created: boolean;
}

export function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /\r?\n/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    out.push({ text: text.slice(start, m.index), eol: m[0] });
    start = m.index + m[0].length;
  }
  if (start < text.length) out.push({ text: text.slice(start), eol: '' });
  return out;
}

export function joinLines(lines: readonly Line[]): string {
  return lines.map((l) => l.text + l.eol).join('');
}

/** The file's dominant line terminator (CRLF files stay CRLF). */
export function detectEol(lines: readonly Line[]): string {
  let crlf = 0;
  let lf = 0;
  for (const l of lines) {
    if (l.eol === '\r\n') crlf++;
    else if (l.eol === '\n') lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** A reason the text is not a text file we should edit, or null. */
export function binaryProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains NUL bytes (not a text file)';
  if (text.includes('\uFFFD')) return 'is not valid UTF-8';
  return null;
}

/**
 * Mutable editing session over a file's lines. Insertions keep the file's EOL style; appending to a file whose
 * last line lacks a terminator adds one and remembers it.
 */
export class LineEditor {
  readonly lines: Line[];
  readonly eol: string;
  readonly edits: LineEdit[] = [];
  terminatedLastLine: string | undefined;

  constructor(text: string) {
    this.lines = splitLines(text);
    this.eol = detectEol(this.lines);
  }

  /** Replaces lines [start, end) with `lines`, recording the change. */
  replace(start: number, end: number, lines: string[]): void {
    const previous = this.lines.slice(start, end);
    const lastEol = previous.length > 0 ? previous[previous.length - 1].eol : this.eol;
    const repl = lines.map((text, i) => ({ text, eol: i === lines.length - 1 ? lastEol : this.eol }));
    this.lines.splice(start, end - start, ...repl);
    const edit: LineEdit = { lines, previous: previous.map((l) => l.text), at: start };
    if (previous.length > 1) edit.previousEols = previous.slice(0, -1).map((l) => l.eol);
    this.edits.push(edit);
  }

  /** Inserts `lines` before index `at` (at === length appends), recording the change. */
  insert(at: number, lines: string[], sectionBlock = false): void {
    if (lines.length === 0) return;
    if (at > 0 && this.lines[at - 1].eol === '') {
      // A last line ending in a lone '\r' gets '\r\n': with '\n' its '\r' would read back as part of a CRLF.
      this.lines[at - 1].eol = this.lines[at - 1].text.endsWith('\r') ? '\r\n' : this.eol;
      this.terminatedLastLine = this.lines[at - 1].text;
    }
    this.lines.splice(at, 0, ...lines.map((text) => ({ text, eol: this.eol })));
    this.edits.push(sectionBlock ? { lines, previous: null, sectionBlock, at } : { lines, previous: null, at });
  }

  text(): string {
    return joinLines(this.lines);
  }
}

/** Where `block` sits: at `at` when it is there, else its last occurrence (-1: nowhere). */
function findBlock(lines: readonly Line[], block: readonly string[], at?: number): number {
  if (at !== undefined && at + block.length <= lines.length && block.every((b, j) => lines[at + j].text === b)) return at;
  for (let i = lines.length - block.length; i >= 0; i--) {
    if (block.every((b, j) => lines[i + j].text === b)) return i;
  }
  return -1;
}

export interface RevertResult {
  /** New text, or null when the file should be deleted (we created it and nothing else is left). */
  text: string | null;
  /** Edits we could not revert because the lines were changed by someone else since login. */
  skipped: LineEdit[];
}

/**
 * Undoes `record` on `text`: each inserted block is located by its exact lines (last occurrence) and replaced by
 * what it replaced. Lines changed by someone else since login are left alone and reported.
 * `isSectionContent(line)` tells whether a line following a section block belongs to that section.
 */
export function revertLineEdits(
  text: string | null,
  record: Pick<LineFileRecord, 'edits' | 'terminatedLastLine' | 'created'>,
  isSectionHeader: (line: string) => boolean = () => false,
): RevertResult {
  if (text === null) return { text: null, skipped: [] };
  const lines = splitLines(text);
  const eol = detectEol(lines);
  const skipped: LineEdit[] = [];
  // The line whose terminator we added, as it reads now: when an edit we revert had replaced that line, it
  // reads as it did before that edit.
  let terminated = record.terminatedLastLine;
  for (const edit of [...record.edits].reverse()) {
    const i = findBlock(lines, edit.lines, edit.at);
    if (i < 0) {
      skipped.push(edit);
      continue;
    }
    const count = edit.lines.length;
    if (edit.sectionBlock) {
      // Keep the header when someone added their own keys to the section after login.
      const next = lines.slice(i + count).find((l) => l.text.trim() !== '' && !/^\s*[#;]/.test(l.text));
      if (next && !isSectionHeader(next.text)) {
        const headerAt = edit.lines.findIndex((l) => isSectionHeader(l));
        const keep = headerAt >= 0 ? headerAt + 1 : 0;
        lines.splice(i + keep, count - keep);
        continue;
      }
    }
    const lastEol = lines[i + count - 1].eol;
    const prev = (edit.previous ?? []).map((t, j, a) => ({ text: t, eol: j === a.length - 1 ? lastEol : (edit.previousEols?.[j] ?? eol) }));
    if (prev.length > 0 && edit.lines[count - 1] === terminated) terminated = prev[prev.length - 1].text;
    if (prev.length === 0 && lastEol === '' && i > 0) {
      // Removing the unterminated last line: the line before becomes the last one, as it was.
      lines[i - 1].eol = '';
    }
    lines.splice(i, count, ...prev);
  }
  if (terminated !== undefined && lines.length > 0) {
    const last = lines[lines.length - 1];
    if (last.text === terminated && last.eol !== '') last.eol = '';
  }
  const out = joinLines(lines);
  if (record.created && out.trim() === '') return { text: null, skipped };
  return { text: out, skipped };
}
