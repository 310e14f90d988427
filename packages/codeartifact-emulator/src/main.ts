// Command line: codeartifact-emulator (or npm run emulator --) [--port N] [--host H] [--seed FILE] [--state FILE]
//   [--ingestion-delay-ms N] [--ingestion-timeout-ms N] [--upstream npmjs=URL ...]
//   [--latency-ms N] [--fail-rate P] [--throttle-rate P] [--fault-seed S] [--max-body-bytes N] [--tls] [--public-host NAME]
// Prints exactly one line, "CodeArtifact emulator listening on http://HOST:PORT" (with --tls: the https:// URL,
// then a second line "CA certificate: FILE"), serves until
// SIGINT/SIGTERM, then exits 0. The flag names are relied on outside the project: keep them stable.
// --help (-h) prints USAGE on stdout and exits 0; bad flags print one line on stderr and exit 2.
import type { EmulatorOptions, PublicUpstreamName } from './context';
import { startEmulator } from './server';

/** What --help prints: every flag parseArgs accepts (test/cli.test.ts checks that none is missing). */
export const USAGE = `Usage: codeartifact-emulator [options]   (or: npm run emulator -- [options])

A local AWS CodeArtifact. Prints "CodeArtifact emulator listening on http://HOST:PORT", serves until
Ctrl-C / SIGTERM, then exits 0. Bad options exit 2.

Options:
  --port N                   port to listen on; 0 (default) picks a free one
  --host H                   address to bind (default 127.0.0.1)
  --seed FILE                JSON seed; without it, the built-in demo seed
  --state FILE               keep everything across restarts (a present file wins over the seed)
  --ingestion-delay-ms N     how long ingesting one version from a public registry takes (default 2000)
  --ingestion-timeout-ms N   how long a registry request waits for ingestion before the 404 (default 40000)
  --upstream NAME=URL        a real registry instead of the fake public one; NAME is npmjs, pypi or
                             maven-central (repeatable)
  --latency-ms N             delay every answer by N ms
  --fail-rate P              answer a share P (0..1) of requests 500 InternalServerException
  --throttle-rate P          answer a share P (0..1) of requests 429 ThrottlingException
  --fault-seed S             seed of the fault sequence: the same seed gives the same answers
  --max-body-bytes N         largest accepted upload (default 64 MiB)
  --tls                      serve HTTPS with a certificate from a CA made at start; prints the https:// URL,
                             then a second line "CA certificate: FILE" (the CA's PEM, for caFile/--ca-bundle)
  --public-host NAME         the endpoints it returns (GetRepositoryEndpoint, npm tarball URLs...) carry NAME
                             instead of the bound address, e.g. a name only a proxy resolves
  -h, --help                 print this help and exit 0
`;

export function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = { port: 0, host: '127.0.0.1', upstreams: {} };
  const num = (flag: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new Error(`${flag}: expected a number from ${min} to ${max}, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag}: missing value`);
      return v;
    };
    switch (flag) {
      case '--port':
        opts.port = num(flag, value(), 0, 65535);
        break;
      case '--host':
        opts.host = value();
        break;
      case '--seed':
        opts.seedFile = value();
        break;
      case '--state':
        opts.stateFile = value();
        break;
      case '--ingestion-delay-ms':
        opts.ingestionDelayMs = num(flag, value(), 0, 3_600_000);
        break;
      case '--ingestion-timeout-ms':
        opts.ingestionTimeoutMs = num(flag, value(), 0, 3_600_000);
        break;
      case '--latency-ms':
        opts.latencyMs = num(flag, value(), 0, 600_000);
        break;
      case '--fail-rate':
        opts.failRate = num(flag, value(), 0, 1);
        break;
      case '--throttle-rate':
        opts.throttleRate = num(flag, value(), 0, 1);
        break;
      case '--fault-seed':
        opts.faultSeed = num(flag, value(), 0, 2 ** 32 - 1);
        break;
      case '--max-body-bytes':
        opts.maxBodyBytes = num(flag, value(), 1, 2 ** 31);
        break;
      case '--tls':
        opts.tls = true;
        break;
      case '--public-host': {
        const v = value();
        if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(v)) throw new Error(`--public-host: expected a host name such as codeartifact.test.invalid, got "${v}"`);
        opts.publicHost = v;
        break;
      }
      case '--upstream': {
        const v = value();
        const m = /^(npmjs|pypi|maven-central)=(https?:\/\/.+)$/.exec(v);
        if (!m) throw new Error(`--upstream: expected npmjs=URL, pypi=URL or maven-central=URL, got "${v}"`);
        opts.upstreams![m[1] as PublicUpstreamName] = m[2];
        break;
      }
      default:
        throw new Error(`unknown option "${flag}"`);
    }
  }
  return opts;
}

/** Runs the command line: parses process.argv, starts the emulator, prints the one line, serves until a signal. */
export async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  let opts: EmulatorOptions;
  try {
    opts = parseArgs(args);
  } catch (e) {
    console.error(`codeartifact emulator: ${(e as Error).message}`);
    process.exit(2);
  }
  let emulator;
  try {
    emulator = await startEmulator(opts);
  } catch (e) {
    console.error(`codeartifact emulator: ${(e as Error).message}`);
    process.exit(1);
  }
  console.log(`CodeArtifact emulator listening on ${emulator.url}`);
  if (emulator.caFile) console.log(`CA certificate: ${emulator.caFile}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  void main();
}
