// What the Ruby registry needs of the RubyGems formats, written here (no Ruby at run time): building a
// .gem (a plain tar of metadata.gz, data.tar.gz, checksums.yaml.gz), reading the gemspec YAML of a
// pushed .gem, and Ruby's Marshal 4.8 encoding for the Dependencies API (/api/v1/dependencies).
import { createHash } from 'node:crypto';
import { deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { readTarGz, tarGz } from '../archive';

export interface GemSpec {
  name: string;
  version: string;
  platform: string;
  summary?: string;
  homepage?: string;
  licenses: string[];
  /** Runtime dependencies: name -> requirement ("~> 1.0, >= 1.0.1"). */
  dependencies: Record<string, string>;
}

export const GEM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;
export const GEM_VERSION = /^[0-9]+[0-9A-Za-z.-]{0,127}$/;

export function gemFileName(spec: { name: string; version: string; platform?: string }): string {
  const platform = spec.platform && spec.platform !== 'ruby' ? `-${spec.platform}` : '';
  return `${spec.name}-${spec.version}${platform}.gem`;
}

// ---- building --------------------------------------------------------------------------------

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

function requirementYaml(req: string, indent: string): string {
  const parts = req
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => /^(~>|>=|<=|!=|>|<|=)?\s*(.+)$/.exec(p)!)
    .map((m) => `${indent}- - ${JSON.stringify(m[1] ?? '=')}\n${indent}  - !ruby/object:Gem::Version\n${indent}    version: ${q(m[2])}\n`);
  return `${indent}requirements:\n${parts.join('')}`;
}

function metadataYaml(spec: GemSpec, date: string): string {
  const deps = Object.entries(spec.dependencies)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([n, r]) => {
      const req = requirementYaml(r || '>= 0', '    ');
      return `- !ruby/object:Gem::Dependency\n  name: ${q(n)}\n  requirement: !ruby/object:Gem::Requirement\n${req}  type: :runtime\n  prerelease: false\n  version_requirements: !ruby/object:Gem::Requirement\n${req}`;
    })
    .join('');
  const any = requirementYaml('>= 0', '  ');
  return [
    '--- !ruby/object:Gem::Specification',
    `name: ${q(spec.name)}`,
    'version: !ruby/object:Gem::Version',
    `  version: ${q(spec.version)}`,
    `platform: ${spec.platform}`,
    'authors:',
    "- 'CodeArtifact emulator'",
    'bindir: bin',
    'cert_chain: []',
    `date: ${date} 00:00:00.000000000 Z`,
    deps ? `dependencies:\n${deps.trimEnd()}` : 'dependencies: []',
    'executables: []',
    'extensions: []',
    'extra_rdoc_files: []',
    'files:',
    `- ${q(`lib/${spec.name}.rb`)}`,
    spec.homepage ? `homepage: ${q(spec.homepage)}` : 'homepage:',
    spec.licenses.length ? `licenses:\n${spec.licenses.map((l) => `- ${q(l)}`).join('\n')}` : 'licenses: []',
    'metadata: {}',
    'rdoc_options: []',
    'require_paths:',
    '- lib',
    `required_ruby_version: !ruby/object:Gem::Requirement\n${any.trimEnd()}`,
    `required_rubygems_version: !ruby/object:Gem::Requirement\n${any.trimEnd()}`,
    'requirements: []',
    'rubygems_version: 3.3.15',
    'specification_version: 4',
    `summary: ${q(spec.summary ?? `${spec.name} (emulator fixture)`)}`,
    'test_files: []',
    '',
  ].join('\n');
}

/** A .gem RubyGems installs: lib/NAME.rb defines a module answering `hello`. Deterministic bytes. */
export function buildGem(spec: GemSpec, date = '1985-10-26'): Buffer {
  const modName = spec.name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((s) => s[0].toUpperCase() + s.slice(1))
    .join('');
  const lib = `module ${/^[A-Z]/.test(modName) ? modName : `Gem${modName}`}\n  def self.hello\n    ${JSON.stringify(`hello from ${spec.name} ${spec.version}`)}\n  end\nend\n`;
  const metadata = gzipSync(Buffer.from(metadataYaml(spec, date), 'utf8'), { level: 9 });
  const data = tarGz([{ path: `lib/${spec.name}.rb`, data: lib }]);
  const sum = (algo: string, b: Buffer) => createHash(algo).update(b).digest('hex');
  const checksums = gzipSync(
    Buffer.from(
      `---\nSHA256:\n  metadata.gz: ${sum('sha256', metadata)}\n  data.tar.gz: ${sum('sha256', data)}\nSHA512:\n  metadata.gz: ${sum('sha512', metadata)}\n  data.tar.gz: ${sum('sha512', data)}\n`,
    ),
    { level: 9 },
  );
  const tar = gunzipSync(
    tarGz([
      { path: 'metadata.gz', data: metadata, mode: 0o444 },
      { path: 'data.tar.gz', data, mode: 0o444 },
      { path: 'checksums.yaml.gz', data: checksums, mode: 0o444 },
    ]),
  );
  return tar;
}

// ---- reading a pushed .gem -------------------------------------------------------------------

function unquote(v: string): string {
  const s = v.trim();
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replace(/''/g, "'");
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  return s;
}

/** The parts of a gemspec YAML (as `gem build` writes it) the registry uses. Throws on anything else. */
export function parseGemspecYaml(yaml: string): GemSpec {
  const lines = yaml.split(/\r?\n/);
  if (!/^--- !ruby\/object:Gem::Specification\s*$/.test(lines[0] ?? '')) throw new Error('metadata is not a Gem::Specification');
  const top = new Map<string, { value: string; block: string[] }>();
  let current: { value: string; block: string[] } | undefined;
  for (const line of lines.slice(1)) {
    const m = /^([a-z_]+):(?:\s(.*))?$/.exec(line);
    if (m) {
      current = { value: (m[2] ?? '').trim(), block: [] };
      top.set(m[1], current);
    } else if (current && line.length) current.block.push(line);
  }
  const name = unquote(top.get('name')?.value ?? '');
  const versionLine = top.get('version')?.block.find((l) => /^\s+version:/.test(l));
  const version = versionLine ? unquote(versionLine.replace(/^\s+version:/, '')) : '';
  if (!GEM_NAME.test(name)) throw new Error(`invalid gem name "${name}"`);
  if (!GEM_VERSION.test(version)) throw new Error(`invalid gem version "${version}"`);
  const platform = unquote(top.get('platform')?.value ?? 'ruby') || 'ruby';
  const listOf = (key: string) =>
    (top.get(key)?.block ?? [])
      .filter((l) => l.startsWith('- '))
      .map((l) => unquote(l.slice(2)))
      .filter(Boolean);
  const dependencies: Record<string, string> = {};
  let dep: { name?: string; reqs: string[]; op?: string; runtime: boolean; inRequirement: boolean } | undefined;
  const flush = () => {
    if (dep?.name && dep.runtime) dependencies[dep.name] = dep.reqs.join(', ') || '>= 0';
  };
  for (const l of top.get('dependencies')?.block ?? []) {
    if (l.startsWith('- ')) {
      flush();
      dep = { reqs: [], runtime: true, inRequirement: false };
      continue;
    }
    if (!dep) continue;
    let m: RegExpExecArray | null;
    if ((m = /^ {2}name:(.*)$/.exec(l))) dep.name = unquote(m[1]);
    else if ((m = /^ {2}type:(.*)$/.exec(l))) dep.runtime = m[1].trim() !== ':development';
    else if (/^ {2}requirement:/.test(l)) dep.inRequirement = true;
    else if (/^ {2}[a-z_]+:/.test(l)) dep.inRequirement = false;
    else if (dep.inRequirement && (m = /^\s+- - (.*)$/.exec(l))) dep.op = unquote(m[1]);
    else if (dep.inRequirement && dep.op && (m = /^\s+version:(.*)$/.exec(l))) {
      dep.reqs.push(`${dep.op} ${unquote(m[1])}`);
      dep.op = undefined;
    }
  }
  flush();
  const str = (key: string) => {
    const v = unquote(top.get(key)?.value ?? '');
    return v && !v.startsWith('|') && !v.startsWith('>') ? v : undefined;
  };
  return { name, version, platform, summary: str('summary'), homepage: str('homepage'), licenses: listOf('licenses'), dependencies };
}

/** The spec of a .gem file; throws an Error with a human message when it is not one. */
export function readGem(gem: Buffer): GemSpec {
  let entries;
  try {
    entries = readTarGz(gzipSync(gem));
  } catch (e) {
    throw new Error(`not a gem (tar) file: ${(e as Error).message}`);
  }
  const metadata = entries.find((e) => e.path === 'metadata.gz');
  if (!metadata || !entries.some((e) => e.path === 'data.tar.gz')) throw new Error('a gem holds metadata.gz and data.tar.gz');
  let yaml: string;
  try {
    yaml = gunzipSync(metadata.data, { maxOutputLength: 16 * 1024 * 1024 }).toString('utf8');
  } catch {
    throw new Error('metadata.gz is not gzip (or over 16 MiB unpacked)');
  }
  return parseGemspecYaml(yaml);
}

// ---- Marshal 4.8 -----------------------------------------------------------------------------

/**
 * A Ruby value for Marshal: String (UTF-8), Symbol, Integer, true/false, nil, Array, Hash (insertion
 * order), an object of a class with marshal_dump (`userMarshal`), with _dump (`userDump`, its bytes), or
 * plain instance variables (`object`).
 */
export type RubyValue =
  | string
  | number
  | boolean
  | null
  | { symbol: string }
  | { userMarshal: string; value: RubyValue }
  | { userDump: string; bytes: Buffer }
  | { object: string; ivars: [string, RubyValue][] }
  | RubyValue[]
  | Map<RubyValue, RubyValue>;

function marshalInt(n: number, out: number[]): void {
  if (n === 0) out.push(0);
  else if (n > 0 && n < 123) out.push(n + 5);
  else {
    const bytes: number[] = [];
    let v = n;
    while (v > 0) {
      bytes.push(v & 0xff);
      v = Math.floor(v / 256);
    }
    out.push(bytes.length, ...bytes);
  }
}

/** Marshal.dump of `value` (format 4.8), without object links: what Marshal.load reads back. */
export function marshalDump(value: RubyValue): Buffer {
  const out: number[] = [4, 8];
  const bytes = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    marshalInt(b.length, out);
    out.push(...b);
  };
  const symbols = new Map<string, number>();
  const symbol = (s: string) => {
    const link = symbols.get(s);
    if (link !== undefined) {
      out.push(0x3b); // ';' symlink
      marshalInt(link, out);
      return;
    }
    symbols.set(s, symbols.size);
    out.push(0x3a); // ':'
    bytes(s);
  };
  const write = (v: RubyValue): void => {
    if (v === null) out.push(0x30);
    else if (v === true) out.push(0x54);
    else if (v === false) out.push(0x46);
    else if (typeof v === 'number') {
      out.push(0x69); // 'i' (small non-negative integers only)
      marshalInt(v, out);
    } else if (typeof v === 'string') {
      out.push(0x49, 0x22); // 'I"': a String with instance variables (its encoding)
      bytes(v);
      marshalInt(1, out);
      symbol('E');
      out.push(0x54); // true: UTF-8
    } else if (Array.isArray(v)) {
      out.push(0x5b);
      marshalInt(v.length, out);
      v.forEach(write);
    } else if (v instanceof Map) {
      out.push(0x7b);
      marshalInt(v.size, out);
      for (const [k, val] of v) {
        write(k);
        write(val);
      }
    } else if ('userMarshal' in v) {
      out.push(0x55); // 'U'
      symbol(v.userMarshal);
      write(v.value);
    } else if ('userDump' in v) {
      out.push(0x75); // 'u'
      symbol(v.userDump);
      marshalInt(v.bytes.length, out);
      out.push(...v.bytes);
    } else if ('object' in v) {
      out.push(0x6f); // 'o'
      symbol(v.object);
      marshalInt(v.ivars.length, out);
      for (const [k, val] of v.ivars) {
        symbol(k);
        write(val);
      }
    } else symbol(v.symbol);
  };
  write(value);
  return Buffer.from(out);
}

const gemVersion = (v: string): RubyValue => ({ userMarshal: 'Gem::Version', value: [v] });

function gemRequirement(req: string): RubyValue {
  const parts = req
    .split(',')
    .map((p) => /^\s*(~>|>=|<=|!=|>|<|=)?\s*(\S+)\s*$/.exec(p))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1] ?? '=', gemVersion(m[2])]);
  return { userMarshal: 'Gem::Requirement', value: [parts.length ? parts : [['>=', gemVersion('0')]]] };
}

/**
 * `quick/Marshal.4.8/NAME-VERSION.gemspec.rz`: the zlib-deflated Marshal of the Gem::Specification
 * (its _dump array). Bundler reads it for required_ruby_version / required_rubygems_version.
 */
export function quickGemspec(spec: GemSpec): Buffer {
  const deps: RubyValue[] = Object.entries(spec.dependencies).map(([name, req]) => ({
    object: 'Gem::Dependency',
    ivars: [
      ['@name', name],
      ['@requirement', gemRequirement(req || '>= 0')],
      ['@type', { symbol: 'runtime' }],
      ['@prerelease', false],
    ],
  }));
  const fields: RubyValue[] = [
    '3.3.15',
    4,
    spec.name,
    gemVersion(spec.version),
    null,
    spec.summary ?? '',
    gemRequirement('>= 0'),
    gemRequirement('>= 0'),
    spec.platform,
    deps,
    '',
    null,
    ['CodeArtifact emulator'],
    null,
    spec.homepage ?? null,
    true,
    spec.platform,
    spec.licenses,
    new Map(),
  ];
  const inner = marshalDump(fields);
  return deflateSync(marshalDump({ userDump: 'Gem::Specification', bytes: inner }));
}
