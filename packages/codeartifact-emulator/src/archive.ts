// Small archive writers/readers for the registries: ustar + gzip (npm tarballs, sdists) and zip
// (wheels, jars). Written here so the emulator needs no archive dependency; output is deterministic
// (fixed mtimes, sorted input order kept) so synthesised packages hash the same on every run.
import { crc32, deflateRawSync, gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';

export interface ArchiveEntry {
  path: string;
  data: Buffer | string;
  /** Unix mode, default 0o644. */
  mode?: number;
}

function toBuf(d: Buffer | string): Buffer {
  return typeof d === 'string' ? Buffer.from(d, 'utf8') : d;
}

// ---- tar ---------------------------------------------------------------------------------------

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  // length-1 octal digits then NUL, as ustar expects.
  buf.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

function tarHeader(path: string, size: number, mode: number, mtime: number): Buffer {
  const h = Buffer.alloc(512);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    // ustar splits long paths at a '/' into prefix (155) + name (100).
    const cut = path.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(path.slice(cut + 1)) > 100) throw new Error(`tar: path too long: ${path}`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  h.write(name, 0, 100, 'utf8');
  writeOctal(h, 100, 8, mode);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, mtime);
  h.fill(' ', 148, 156);
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\u000000', 257, 8, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** A gzip-compressed ustar archive of regular files. */
export function tarGz(entries: ArchiveEntry[], mtimeSeconds = 499162500): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = toBuf(e.data);
    parts.push(tarHeader(e.path, data.length, e.mode ?? 0o644, mtimeSeconds), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

function readString(buf: Buffer, offset: number, length: number): string {
  const slice = buf.subarray(offset, offset + length);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul === -1 ? length : nul).toString('utf8');
}

/** Largest expansion of an archive when the caller gives none: the default largest upload (--max-body-bytes). */
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

/** Whether zlib stopped because the output would pass maxOutputLength. */
function tooLarge(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ERR_BUFFER_TOO_LARGE' || code === 'ERR_OUT_OF_RANGE' || e instanceof RangeError;
}

/**
 * Reads the regular files of a .tar.gz (ustar, GNU and pax headers tolerated). Throws an Error with a
 * human message on anything malformed, so callers can answer 400; the tar may expand to at most `maxOutput`
 * bytes (a small upload must not inflate into gigabytes).
 */
export function readTarGz(gz: Buffer, maxOutput = DEFAULT_MAX_OUTPUT): { path: string; data: Buffer }[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: maxOutput });
  } catch (e) {
    throw new Error(tooLarge(e) ? `the archive expands beyond the limit of ${maxOutput} bytes` : 'not a gzip stream');
  }
  const out: { path: string; data: Buffer }[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) return out;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    const stored = parseInt(readString(h, 148, 8).trim() || 'x', 8);
    if (stored !== sum) throw new Error(`bad tar header checksum at offset ${off}`);
    const size = parseInt(readString(h, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error(`bad tar entry size at offset ${off}`);
    const type = String.fromCharCode(h[156] || 48);
    const prefix = readString(h, 345, 155);
    let path = prefix ? `${prefix}/${readString(h, 0, 100)}` : readString(h, 0, 100);
    const dataStart = off + 512;
    if (dataStart + size > tar.length) throw new Error('truncated tar archive');
    const data = tar.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = readString(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      if (m) longName = m[1];
      continue;
    }
    if (longName !== undefined) {
      path = longName;
      longName = undefined;
    }
    if (type === '0' || type === '\0') out.push({ path, data: Buffer.from(data) });
  }
  throw new Error('tar archive has no end marker');
}

// ---- zip ---------------------------------------------------------------------------------------

/** 1980-01-01 00:00 in DOS date/time, a fixed timestamp for reproducible archives. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** A zip archive (deflate), as wheels and jars are. */
export function zip(entries: ArchiveEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = toBuf(e.data);
    const name = Buffer.from(e.path, 'utf8');
    const crc = crc32(data);
    const deflated = deflateRawSync(data, { level: 9 });
    const useDeflate = deflated.length < data.length;
    const body = useDeflate ? deflated : data;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(useDeflate ? 8 : 0, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below is honoured
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(useDeflate ? 8 : 0, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((((e.mode ?? 0o644) | 0o100000) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Reads a zip's files (stored or deflated), expanding to at most `maxOutput` bytes in all. Throws an Error with a human message when malformed. */
export function readZip(buf: Buffer, maxOutput = DEFAULT_MAX_OUTPUT): { path: string; data: Buffer }[] {
  let budget = maxOutput;
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > buf.length) throw new Error('not a zip archive (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: { path: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip central directory');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOff = buf.readUInt32LE(p + 42);
    const path = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    if (localOff + 30 > buf.length || buf.readUInt32LE(localOff) !== 0x04034b50) throw new Error(`bad zip local header for ${path}`);
    const start = localOff + 30 + buf.readUInt16LE(localOff + 26) + buf.readUInt16LE(localOff + 28);
    const raw = buf.subarray(start, start + csize);
    if (path.endsWith('/')) continue;
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        data = budget > 0 ? inflateRawSync(raw, { maxOutputLength: budget }) : inflateRawSync(raw, { maxOutputLength: 1 });
      } catch (e) {
        throw new Error(tooLarge(e) ? `the archive expands beyond the limit of ${maxOutput} bytes` : `bad deflate data for ${path}`);
      }
    } else throw new Error(`unsupported zip compression method ${method} for ${path}`);
    budget -= data.length;
    if (budget < 0) throw new Error(`the archive expands beyond the limit of ${maxOutput} bytes`);
    out.push({ path, data });
  }
  return out;
}
