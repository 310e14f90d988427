// A reader for the INI dialect of Python's configparser.RawConfigParser (defaults: '=' and ':' delimiters,
// full-line '#'/';' comments, indented continuation lines, strict: no duplicate sections or options), which is
// what pip reads pip.conf with and what `aws codeartifact login --tool twine` reads ~/.pypirc with. A file that
// configparser would reject is "malformed" for us too, and we leave it alone.
import { splitLines, type Line } from './lineEdits';

export interface PyOption {
  /** Lower-cased, as configparser's optionxform does. */
  key: string;
  /** Index of the `key = value` line and of its last continuation line (inclusive). */
  start: number;
  end: number;
  /** The value with continuation lines joined by '\n' (trailing empty lines dropped), as configparser returns it. */
  value: string;
}

export interface PySection {
  name: string;
  header: number;
  options: PyOption[];
}

export interface PyIni {
  lines: Line[];
  sections: PySection[];
}

export class PyIniError extends Error {}

const SECTION_RE = /^\[(.+)\]/;
const OPTION_RE = /^(.*?)\s*([=:])\s*(.*)$/;

export function isPyIniHeader(line: string): boolean {
  return SECTION_RE.test(line.trim()) && !/^\s/.test(line);
}

export function parsePyIni(text: string): PyIni {
  const lines = splitLines(text);
  const sections: PySection[] = [];
  let cur: PySection | null = null;
  let opt: (PyOption & { parts: string[] }) | null = null;
  let indentLevel = 0;
  const finish = () => {
    if (opt) {
      while (opt.parts.length > 1 && opt.parts[opt.parts.length - 1] === '') opt.parts.pop();
      opt.value = opt.parts.join('\n').trim();
    }
  };
  lines.forEach((l, i) => {
    const n = i + 1;
    const stripped = l.text.trim();
    if (stripped.startsWith('#') || stripped.startsWith(';')) return; // comments do not end a value
    if (stripped === '') {
      if (opt) opt.parts.push('');
      return;
    }
    const indent = l.text.length - l.text.trimStart().length;
    if (cur && opt && indent > indentLevel) {
      opt.parts.push(stripped);
      opt.end = i;
      return;
    }
    indentLevel = indent;
    const sm = SECTION_RE.exec(stripped);
    if (sm) {
      finish();
      opt = null;
      const name = sm[1];
      if (sections.some((s) => s.name === name)) throw new PyIniError(`line ${n}: a section header repeats an earlier one`);
      cur = { name, header: i, options: [] };
      sections.push(cur);
      return;
    }
    // Messages name the line by its number only: a line of a credentials file may hold a secret.
    if (!cur) throw new PyIniError(`line ${n}: a value comes before any [section] header`);
    const om = OPTION_RE.exec(stripped);
    const key = om ? om[1].trimEnd().toLowerCase() : '';
    if (!om || key === '') throw new PyIniError(`line ${n}: not a "key = value" line`);
    finish();
    const section: PySection = cur;
    const first = section.options.find((o) => o.key === key);
    if (first) throw new PyIniError(`line ${n}: an option appears twice in the same section (first on line ${first.start + 1})`);
    opt = { key, start: i, end: i, value: '', parts: [om[3]] };
    section.options.push(opt);
  });
  finish();
  for (const s of sections) for (const o of s.options) delete (o as Partial<PyOption & { parts: string[] }>).parts;
  return { lines, sections };
}

/** Index after the section's last key/continuation line (where a new key goes), skipping trailing blanks/comments. */
export function sectionInsertPoint(s: PySection): number {
  const last = s.options.length > 0 ? s.options[s.options.length - 1].end : s.header;
  return last + 1;
}
