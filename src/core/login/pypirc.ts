// ~/.pypirc for twine, following `aws codeartifact login --tool twine`: a missing file is created with
// [distutils] index-servers (pypi, codeartifact) and a [codeartifact] section (repository, username aws,
// password); an existing file must parse and have [distutils] index-servers, else it is "in an invalid state"
// and left alone. Unlike the CLI we edit lines instead of re-serialising, so comments survive.
import { LoginFileError, LoginInputError } from './errors';
import { LineEditor, binaryProblem, type LineFileRecord } from './lineEdits';
import { PyIniError, parsePyIni, sectionInsertPoint } from './pyIni';
import type { FileEditResult } from './npmrc';

export interface PypircSettings {
  /** GetRepositoryEndpoint URL for format pypi (twine uploads to it as is). */
  endpoint: string;
  token: string;
  /** Section name; the CLI uses `codeartifact`. */
  serverName?: string;
}

/** The file the CLI writes when there is none (RawConfigParser layout: `key = value`, tab continuations). */
export function newPypirc(s: PypircSettings): string {
  const name = s.serverName ?? 'codeartifact';
  return `[distutils]\nindex-servers = \n\tpypi\n\t${name}\n\n[${name}]\nrepository = ${s.endpoint}\nusername = aws\npassword = ${s.token}\n\n`;
}

type Ini = ReturnType<typeof parsePyIni>;
type Section = Ini['sections'][number];
/** An edit and the line it starts at: edits run bottom-up so earlier line indexes stay valid. */
type Op = { at: number; run: () => void };

/** An existing ~/.pypirc as the CLI accepts it: parsable, with [distutils] index-servers. */
function readExisting(file: string, text: string): { ini: Ini; servers: Section['options'][number] } {
  const invalid = (why: string) => new LoginFileError(file, `is in an invalid state: ${why}`);
  const bin = binaryProblem(text);
  if (bin) throw invalid(bin);
  let ini: Ini;
  try {
    ini = parsePyIni(text);
  } catch (e) {
    if (e instanceof PyIniError) throw invalid(e.message);
    throw e;
  }
  const distutils = ini.sections.find((x) => x.name === 'distutils');
  if (!distutils) throw invalid('no [distutils] section');
  const servers = distutils.options.find((o) => o.key === 'index-servers');
  if (!servers) throw invalid('no index-servers in [distutils]');
  return { ini, servers };
}

/** The server section: appended when absent, else its repository / username / password set in place. */
function serverSectionOps(ed: LineEditor, server: Section | undefined, name: string, s: PypircSettings): Op[] {
  if (!server) {
    const blank = ed.lines.length > 0 && ed.lines[ed.lines.length - 1].text.trim() !== '' ? [''] : [];
    const lines = [...blank, `[${name}]`, `repository = ${s.endpoint}`, 'username = aws', `password = ${s.token}`];
    return [{ at: ed.lines.length, run: () => ed.insert(ed.lines.length, lines, true) }];
  }
  const wanted: [string, string][] = [
    ['repository', s.endpoint],
    ['username', 'aws'],
    ['password', s.token],
  ];
  const ops: Op[] = [];
  const missing: string[] = [];
  for (const [k, v] of wanted) {
    const o = server.options.find((x) => x.key === k);
    if (!o) missing.push(`${k} = ${v}`);
    else if (!(o.start === o.end && o.value === v)) ops.push({ at: o.start, run: () => ed.replace(o.start, o.end + 1, [`${k} = ${v}`]) });
  }
  if (missing.length > 0) {
    const at = sectionInsertPoint(server);
    ops.push({ at, run: () => ed.insert(at, missing) });
  }
  return ops;
}

export function applyPypirc(file: string, text: string | null, s: PypircSettings): FileEditResult<LineFileRecord> {
  if (!s.token || /[\r\n]/.test(s.token)) throw new LoginInputError('invalid token');
  const name = s.serverName ?? 'codeartifact';
  if (text === null) {
    const ed = new LineEditor('');
    const content = newPypirc(s).split('\n');
    content.pop();
    ed.insert(0, content);
    return { text: ed.text(), record: { kind: 'lines', file, edits: ed.edits, created: true } };
  }
  const { ini, servers } = readExisting(file, text);
  const ed = new LineEditor(text);
  const ops = serverSectionOps(
    ed,
    ini.sections.find((x) => x.name === name),
    name,
    s,
  );
  if (!servers.value.split(/\s+/).includes(name)) {
    const cont = servers.end > servers.start;
    const indent = cont ? /^\s*/.exec(ed.lines[servers.end].text)![0] || '\t' : '\t';
    ops.push({ at: servers.end + 1, run: () => ed.insert(servers.end + 1, [`${indent}${name}`]) });
  }
  for (const op of ops.sort((a, b) => b.at - a.at)) op.run();
  const record: LineFileRecord = { kind: 'lines', file, edits: ed.edits, created: false };
  if (ed.terminatedLastLine !== undefined) record.terminatedLastLine = ed.terminatedLastLine;
  return { text: ed.text(), record };
}
