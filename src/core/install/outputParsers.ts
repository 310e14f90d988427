// Reads a failed install's output and says why it failed: an ingestion 404 (retry), a plain 404
// (the package is missing: check it with the API, then stop), an auth error (stop, offer login), or
// anything else (stop, show the tool's own message). Patterns were checked against output captured
// from the real tools talking to the emulator (test/unit/install/fixtures/captured).
import { normalizePypiName, packageKey, splitNpmName, type PackageRef } from '../coordinates';
import type { InstallTool } from '../tools';

export type FailureKind = 'ingestion' | 'not-found' | 'auth' | 'other';

export interface FailureClassification {
  kind: FailureKind;
  /** For 'ingestion' and 'not-found': the packages the failing requests were for (deduplicated). */
  packages: PackageRef[];
  /** The lines that decided the classification, or the last lines of output for 'other'. */
  message: string;
}

// CodeArtifact's text ("Ingestion is in progress. Please try again later.") and any reason phrase
// that mentions ingestion (the emulator puts one in the status line for Maven and pip).
const INGESTION = /ingestion/i;

// ANSI colour codes (Maven colours its ERROR prefix, npm may colour too).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

/** Removes `user:password@` from URLs so a token in a pip index URL never reaches a message. */
export function stripUrlCredentials(s: string): string {
  return s.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@'"]*@/gi, '$1');
}

function lastLines(text: string, n: number): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim());
  return lines.slice(-n).join('\n');
}

function dedupeRefs(refs: PackageRef[]): PackageRef[] {
  const seen = new Map<string, PackageRef>();
  for (const r of refs) {
    const k = packageKey(r);
    if (!seen.has(k)) seen.set(k, r);
  }
  // A ref without a version is redundant when the same package is also named with one.
  const all = [...seen.values()];
  return all.filter(
    (r) => r.version !== undefined || !all.some((o) => o !== r && o.version !== undefined && o.name === r.name && o.namespace === r.namespace && o.format === r.format),
  );
}

// ---- URL -> package --------------------------------------------------------------------------

/** The path of an absolute URL, parsed leniently (captured output may hold placeholders like <PORT>). */
function urlPath(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(\/[^?#]*)?/i.exec(url);
  return m ? (m[1] ?? '/') : undefined;
}

function decodeSeg(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * npm URLs: a packument `{endpoint}{name}` (scoped `@scope%2fname` or `@scope/name`) or a tarball
 * `{endpoint}{name}/-/{unscoped}-{version}.tgz`. Endpoint path segments never start with '@'
 * (repository names cannot), which is what tells a scope from the endpoint.
 */
export function npmPackageFromUrl(url: string): PackageRef | undefined {
  const path = urlPath(url);
  if (path === undefined) return undefined;
  const segs = path.split('/').filter(Boolean).map(decodeSeg);
  const dash = segs.indexOf('-');
  const clean = stripUrlCredentials(url);
  if (dash > 0 && dash === segs.length - 2) {
    const file = segs[dash + 1];
    const before = segs[dash - 1];
    const scope = dash >= 2 && segs[dash - 2].startsWith('@') ? segs[dash - 2] : undefined;
    const full = before.includes('/') ? before : scope ? `${scope}/${before}` : before;
    const { namespace, name } = splitNpmName(full);
    const m = new RegExp(`^${escapeRe(name)}-(.+)\\.tgz$`).exec(file);
    return { format: 'npm', namespace, name, version: m?.[1], url: clean };
  }
  const last = segs[segs.length - 1];
  if (!last) return undefined;
  if (last.startsWith('@') && last.includes('/')) return { format: 'npm', ...splitNpmName(last), url: clean };
  const prev = segs[segs.length - 2];
  if (prev?.startsWith('@')) return { format: 'npm', namespace: prev.slice(1), name: last, url: clean };
  return { format: 'npm', name: last, url: clean };
}

/** Maven repository layout: `.../{group/path}/{artifact}/{version}/{artifact}-{version}[-classifier].{ext}`. */
export function mavenPackageFromUrl(url: string, endpointPath?: string): PackageRef | undefined {
  let path = urlPath(url);
  if (path === undefined) return undefined;
  if (endpointPath && path.startsWith(endpointPath)) path = path.slice(endpointPath.length);
  const segs = path.split('/').filter(Boolean).map(decodeSeg);
  const clean = stripUrlCredentials(url);
  if (segs.length < 3) return undefined;
  const file = segs[segs.length - 1];
  if (file === 'maven-metadata.xml' || /^maven-metadata\.xml\./.test(file)) {
    // group/artifact/maven-metadata.xml or group/artifact/version/maven-metadata.xml (snapshots)
    const isVersionDir = /^\d/.test(segs[segs.length - 2]);
    const artifactIdx = isVersionDir ? segs.length - 3 : segs.length - 2;
    const group = groupFrom(segs.slice(0, artifactIdx), endpointPath === undefined);
    return group ? { format: 'maven', namespace: group, name: segs[artifactIdx], version: isVersionDir ? segs[segs.length - 2] : undefined, url: clean } : undefined;
  }
  if (segs.length < 4) return undefined;
  const version = segs[segs.length - 2];
  const artifact = segs[segs.length - 3];
  if (!file.startsWith(`${artifact}-`)) return undefined;
  const group = groupFrom(segs.slice(0, segs.length - 3), endpointPath === undefined);
  return group ? { format: 'maven', namespace: group, name: artifact, version, url: clean } : undefined;
}

/**
 * Without the endpoint path we do not know where the repository prefix ends. CodeArtifact's maven
 * endpoint is `/maven/{repository}/` (emulator: `/maven/d/{domain}-{owner}/{repository}/`); strip those.
 */
function groupFrom(segs: string[], guessPrefix: boolean): string | undefined {
  let s = segs;
  if (guessPrefix) {
    const m = s.indexOf('maven');
    if (m >= 0) s = s[m + 1] === 'd' ? s.slice(m + 4) : s.slice(m + 2);
  }
  return s.length ? s.join('.') : undefined;
}

/** PyPI simple URLs: `{endpoint}simple/{name}/`; files `.../{name}-{version}(-...).whl|.tar.gz`. */
export function pypiPackageFromUrl(url: string): PackageRef | undefined {
  const path = urlPath(url);
  if (path === undefined) return undefined;
  const segs = path.split('/').filter(Boolean).map(decodeSeg);
  const clean = stripUrlCredentials(url);
  const si = segs.lastIndexOf('simple');
  if (si >= 0 && segs[si + 1]) return { format: 'pypi', name: normalizePypiName(segs[si + 1]), url: clean };
  const file = segs[segs.length - 1];
  const m = /^([A-Za-z0-9_.]+?)-(\d[^-]*?)(?:-[^/]*)?\.(?:whl|tar\.gz|zip)$/.exec(file ?? '');
  if (m) return { format: 'pypi', name: normalizePypiName(m[1]), version: m[2], url: clean };
  return undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---- per tool --------------------------------------------------------------------------------

const URL_RE = /\bhttps?:\/\/[^\s'"()<>]+/g;

function urlsIn(line: string): string[] {
  return [...line.matchAll(URL_RE)].map((m) => m[0].replace(/[.,:;]+$/, ''));
}

interface Finding {
  kind: FailureKind;
  refs: PackageRef[];
  line: string;
}

function classifyNpm(lines: string[]): Finding[] {
  const out: Finding[] = [];
  for (const line of lines) {
    // npm 7-11: "npm error 404 Not Found - GET <url> - <reason>"; npm 6: "npm ERR! 404 Not Found: ..."
    const m = /\b(40[134])\b[^\n]*?\b(?:GET|HEAD)\s+(https?:\/\/\S+)(?:\s+-\s+(.*))?$/.exec(line);
    if (m) {
      const status = m[1];
      const ref = npmPackageFromUrl(m[2]);
      const kind: FailureKind = status === '404' ? (INGESTION.test(m[3] ?? '') ? 'ingestion' : 'not-found') : 'auth';
      out.push({ kind, refs: ref ? [ref] : [], line });
      continue;
    }
    if (/\bcode E40[13]\b/.test(line) || /\bE40[13]\b/.test(line) || /Unable to authenticate|need auth|ERR_PNPM_FETCH_40[13]/i.test(line)) {
      out.push({ kind: 'auth', refs: [], line });
      continue;
    }
    // pnpm: "ERR_PNPM_FETCH_404  GET <url>: Not Found - 404"; yarn v1: "<url>: Request failed \"404 Not Found\""
    const p = /(?:ERR_PNPM_FETCH_404|Request failed \\?"?404|Response Code: 404)/.exec(line);
    if (p) {
      const urls = urlsIn(line);
      out.push({ kind: INGESTION.test(line) ? 'ingestion' : 'not-found', refs: urls.map(npmPackageFromUrl).filter((r): r is PackageRef => !!r), line });
    }
  }
  return out;
}

function classifyMaven(lines: string[]): Finding[] {
  const out: Finding[] = [];
  for (const line of lines) {
    // "Could not transfer artifact g:a:ext:v from/to id (url): status code: 404, reason phrase: ... (404)"
    // "Could not find artifact g:a:ext:v in id (url)" (a 404 the resolver saw as 'not there')
    // "Could not resolve ... : status code: 401" / "Not authorized" / "Return code is: 401"
    const coords = [
      ...line.matchAll(/(?:artifact|resolve)\s+([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+):(?:[A-Za-z0-9_.-]+:){0,2}([A-Za-z0-9_.+-]+)\b(?=\s+(?:from\/to|in)\b|\s*:|\s*$)/g),
    ];
    const status = /status code:?\s*(\d{3})/i.exec(line)?.[1] ?? /Return code is:?\s*(\d{3})/i.exec(line)?.[1] ?? /\b(40[134])\b/.exec(line)?.[1];
    const notAuthorized = /Not authorized|Unauthorized|Forbidden|status code:?\s*40[13]\b|Return code is:?\s*40[13]\b/i.test(line);
    const notFoundPhrase = /Could not find artifact/.test(line);
    if (!status && !notAuthorized && !notFoundPhrase) continue;
    if (!/Could not (?:transfer|find|resolve)|Failed to (?:collect|read|execute)|Non-resolvable/.test(line)) continue;
    const refs: PackageRef[] = coords.map((c) => ({ format: 'maven' as const, namespace: c[1], name: c[2], version: c[3] }));
    if (!refs.length) {
      for (const u of urlsIn(line)) {
        const r = mavenPackageFromUrl(u);
        if (r) refs.push(r);
      }
    }
    if (notAuthorized) out.push({ kind: 'auth', refs, line });
    else if (status === '404' || notFoundPhrase) out.push({ kind: INGESTION.test(line) ? 'ingestion' : 'not-found', refs, line });
  }
  return out;
}

function classifyGradle(lines: string[]): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    // "> Could not GET '<url>'. Received status code 404 from server: <reason phrase>"
    const m = /Could not (?:GET|HEAD) '([^']+)'\. Received status code (\d{3}) from server:?\s*(.*)$/.exec(line);
    if (m) {
      const ref = mavenPackageFromUrl(m[1]);
      const status = m[2];
      const kind: FailureKind = status === '401' || status === '403' ? 'auth' : status === '404' ? (INGESTION.test(m[3]) ? 'ingestion' : 'not-found') : 'other';
      if (kind !== 'other') out.push({ kind, refs: ref ? [ref] : [], line });
      continue;
    }
    // "> Could not find com.example:lib:1.0." (Gradle's word for a 404 on every repository)
    const nf = /Could not find ([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+):([A-Za-z0-9_.+-]+?)\.?$/.exec(line.trim());
    if (nf) out.push({ kind: 'not-found', refs: [{ format: 'maven', namespace: nf[1], name: nf[2], version: nf[3] }], line });
    if (/Username must not be null|status code 40[13]\b/.test(line) && !m) out.push({ kind: 'auth', refs: [], line });
    const report = gradleReportFailure(line);
    if (report) out.push({ kind: 'not-found', refs: [report], line });
  }
  return out;
}

/** A dependency report line `+--- g:a:1.0 FAILED` or `\--- g:a:1.0 -> 1.2 FAILED`. */
function gradleReportFailure(line: string): PackageRef | undefined {
  const m = /[+\\]--- ([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+):(\S+?)(?: -> (\S+))? FAILED\s*$/.exec(line);
  return m ? { format: 'maven', namespace: m[1], name: m[2], version: m[4] ?? m[3] } : undefined;
}

/**
 * Failures a tool reports while still exiting 0: Gradle's `dependencies` task marks what it could not
 * resolve with FAILED in the report and succeeds. The caller treats a non-empty answer as a failure.
 */
export function failuresInSuccessfulRun(tool: InstallTool, output: string): PackageRef[] {
  if (tool !== 'gradle') return [];
  return dedupeRefs(
    stripAnsi(output)
      .split(/\r?\n/)
      .map(gradleReportFailure)
      .filter((r): r is PackageRef => !!r),
  );
}

function classifyPip(lines: string[]): Finding[] {
  const out: Finding[] = [];
  for (const line of lines) {
    // requests: "404 Client Error: <reason> for url: <url>" (pip logs it when a page fetch fails)
    const m = /\b(40[134]) Client Error:?\s*(.*?)\s+for url:?\s+(\S+)/.exec(line);
    if (m) {
      const ref = pypiPackageFromUrl(m[3]);
      const kind: FailureKind = m[1] === '404' ? (INGESTION.test(m[2]) ? 'ingestion' : 'not-found') : 'auth';
      out.push({ kind, refs: ref ? [ref] : [], line });
      continue;
    }
    if (/\b401 Error, Credentials not correct|User for [^:]+:|ERROR: 40[13]\b/.test(line)) out.push({ kind: 'auth', refs: [], line });
  }
  // pip turns a missing index page into "no versions"; name the requirement then.
  if (!out.some((f) => f.kind === 'ingestion')) {
    for (const line of lines) {
      const nf = /No matching distribution found for ([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:===?\s*([^\s,;]+))?/.exec(line);
      if (nf) out.push({ kind: 'not-found', refs: [{ format: 'pypi', name: normalizePypiName(nf[1]), version: nf[2] }], line });
    }
  }
  return out;
}

const CLASSIFIERS: Record<InstallTool, (lines: string[]) => Finding[]> = {
  npm: classifyNpm,
  pnpm: classifyNpm,
  yarn: classifyNpm,
  maven: classifyMaven,
  gradle: classifyGradle,
  pip: classifyPip,
};

/**
 * Classifies the output of a failed run. Priority: auth (retrying cannot help and the user must act),
 * then ingestion (some package is on its way: retry, even if another 404 shows beside it), then
 * not-found, else 'other' with the last lines of output.
 */
export function classifyFailure(tool: InstallTool, output: string): FailureClassification {
  const lines = stripUrlCredentials(stripAnsi(output)).split(/\r?\n/);
  const findings = CLASSIFIERS[tool](lines);
  for (const kind of ['auth', 'ingestion', 'not-found'] as const) {
    const hits = findings.filter((f) => f.kind === kind);
    if (hits.length) {
      return {
        kind,
        packages: dedupeRefs(hits.flatMap((h) => h.refs)),
        message: [...new Set(hits.map((h) => h.line.trim()))].slice(0, 20).join('\n'),
      };
    }
  }
  return { kind: 'other', packages: [], message: lastLines(stripUrlCredentials(stripAnsi(output)), 20) };
}
