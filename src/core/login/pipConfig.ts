// pip's user config: `[global] index-url = http(s)://aws:TOKEN@host/path/simple/`, the same setting
// `pip config set global.index-url` writes for `aws codeartifact login --tool pip`, but as a line edit that keeps
// comments and layout (pip itself re-serialises the file). Optionally extra-index-url instead, appended to the
// existing list so other indexes keep working.
import { LoginFileError, LoginInputError } from './errors';
import { LineEditor, binaryProblem, type LineFileRecord } from './lineEdits';
import { PyIniError, parsePyIni, sectionInsertPoint, type PySection } from './pyIni';
import type { FileEditResult } from './npmrc';

export interface PipSettings {
  /** GetRepositoryEndpoint URL for format pypi, with its trailing slash. */
  endpoint: string;
  token: string;
  useExtraIndexUrl?: boolean;
  /** The URL without credentials: the token goes to ~/.netrc instead (`codeartifact.pip.credentials: "netrc"`). */
  netrc?: boolean;
}

/** The index URL the CLI builds: credentials embedded raw (CodeArtifact tokens are URL-safe), then `simple/`. */
export function pipIndexUrl(endpoint: string, token: string): string {
  const u = new URL(endpoint);
  if (/[@/:?#%\s]/.test(token)) throw new LoginInputError('token is not URL-safe');
  return `${u.protocol}//aws:${token}@${u.host}${u.pathname}simple/`;
}

/** pip treats `index_url` and `index-url` alike. */
const pipKey = (k: string) => k.toLowerCase().replace(/_/g, '-');

export function pipConfigProblem(text: string): string | null {
  const bin = binaryProblem(text);
  if (bin) return bin;
  try {
    parsePyIni(text);
    return null;
  } catch (e) {
    if (e instanceof PyIniError) return e.message;
    throw e;
  }
}

export interface PipApplyResult extends FileEditResult<LineFileRecord> {
  warnings: string[];
}

export function applyPipConfig(file: string, text: string | null, s: PipSettings, env: Readonly<Record<string, string | undefined>> = {}): PipApplyResult {
  const url = s.netrc ? `${s.endpoint}simple/` : pipIndexUrl(s.endpoint, s.token);
  const src = text ?? '';
  const problem = pipConfigProblem(src);
  if (problem) throw new LoginFileError(file, problem);
  const ini = parsePyIni(src);
  const ed = new LineEditor(src);
  const key = s.useExtraIndexUrl ? 'extra-index-url' : 'index-url';
  const global = ini.sections.find((x) => x.name === 'global');
  const opt = global?.options.find((o) => pipKey(o.key) === key);
  if (!global) {
    const block = [...(ed.lines.length > 0 && ed.lines[ed.lines.length - 1].text.trim() !== '' ? [''] : []), '[global]', `${key} = ${url}`];
    ed.insert(ed.lines.length, block, true);
  } else if (!opt) {
    ed.insert(sectionInsertPoint(global), [`${key} = ${url}`]);
  } else if (s.useExtraIndexUrl) {
    // extra-index-url holds a whitespace-separated list: add ours as one more continuation line.
    if (!opt.value.split(/\s+/).includes(url)) {
      const contIndent = opt.end > opt.start ? /^\s*/.exec(ed.lines[opt.end].text)![0] : '    ';
      ed.insert(opt.end + 1, [`${contIndent}${url}`]);
    }
  } else if (!(opt.start === opt.end && opt.value === url)) {
    ed.replace(opt.start, opt.end + 1, [`${key} = ${url}`]);
  }
  const record: LineFileRecord = { kind: 'lines', file, edits: ed.edits, created: text === null };
  if (ed.terminatedLastLine !== undefined) record.terminatedLastLine = ed.terminatedLastLine;
  return { text: ed.text(), record, warnings: pipWarnings(ini.sections, key, env) };
}

/** Settings that would override ours, so the user is told rather than surprised. */
function pipWarnings(sections: PySection[], key: string, env: Readonly<Record<string, string | undefined>>): string[] {
  const w: string[] = [];
  for (const s of sections) {
    if (s.name !== 'global' && s.options.some((o) => pipKey(o.key) === key)) w.push(`[${s.name}] ${key} in the pip config overrides global.${key}`);
  }
  const envName = `PIP_${key.toUpperCase().replace(/-/g, '_')}`;
  if (env[envName]) w.push(`${envName} is set in the environment and overrides the pip config`);
  return w;
}

/** Reads `section.key` as pip would (normalising '_' to '-'). */
export function readPipKey(text: string, section: string, key: string): string | undefined {
  const s = parsePyIni(text).sections.find((x) => x.name === section);
  return s?.options.find((o) => pipKey(o.key) === pipKey(key))?.value;
}
