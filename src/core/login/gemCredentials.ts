// RubyGems' credentials file (YAML; `gem push` refuses it unless its mode is 0600): one line keyed by the push
// host, `"{endpoint without trailing slash}": Bearer TOKEN`, the key `gem push` looks up for that host (and for
// RUBYGEMS_HOST, which the terminal environment sets to the same URL). Other keys (`:rubygems_api_key:`, other
// hosts) stay byte for byte.
import { parseDocument, isMap } from 'yaml';
import { LoginFileError, LoginInputError } from './errors';
import { LineEditor, binaryProblem, type LineFileRecord } from './lineEdits';
import type { FileEditResult } from './npmrc';

export interface GemSettings {
  /** GetRepositoryEndpoint URL for format ruby. */
  endpoint: string;
  token: string;
}

/** The push host as `gem push --host` and RUBYGEMS_HOST name it: the endpoint without its trailing slash. */
export const gemPushHost = (endpoint: string) => endpoint.replace(/\/$/, '');

export function applyGemCredentials(file: string, text: string | null, s: GemSettings): FileEditResult<LineFileRecord> {
  if (!s.token || /[\s"]/.test(s.token)) throw new LoginInputError('invalid token');
  const src = text ?? '';
  const bin = binaryProblem(src);
  if (bin) throw new LoginFileError(file, bin);
  const doc = parseDocument(src);
  if (doc.errors.length > 0) throw new LoginFileError(file, `not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new LoginFileError(file, 'top level is not a mapping');
  const host = gemPushHost(s.endpoint);
  const line = `${JSON.stringify(host)}: Bearer ${s.token}`;
  const ed = new LineEditor(src);
  const at = ed.lines.findIndex((l) => {
    const m = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"][^#]*?)\s*:(\s|$)/.exec(l.text);
    if (!m) return false;
    const key = m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : m[1].replace(/^'|'$/g, '');
    return key === host;
  });
  if (at < 0) ed.insert(ed.lines.length, [line]);
  else if (ed.lines[at].text !== line) ed.replace(at, at + 1, [line]);
  const record: LineFileRecord = { kind: 'lines', file, edits: ed.edits, created: text === null };
  if (ed.terminatedLastLine !== undefined) record.terminatedLastLine = ed.terminatedLastLine;
  return { text: ed.text(), record };
}
