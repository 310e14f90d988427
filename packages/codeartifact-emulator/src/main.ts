// Command line: codeartifact-emulator (or npm run emulator --) [--port N] [--host H] [--seed FILE] [--state FILE]
//   [--ingestion-delay-ms N] [--ingestion-timeout-ms N] [--upstream npmjs=URL ...]
//   [--latency-ms N] [--fail-rate P] [--throttle-rate P] [--fault-seed S] [--max-body-bytes N]
// Prints exactly one line, "CodeArtifact emulator listening on http://HOST:PORT", serves until
// SIGINT/SIGTERM, then exits 0. The flag names are relied on outside the project: keep them stable.
import type { EmulatorOptions, PublicUpstreamName } from './context';
import { startEmulator } from './server';

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
  let opts: EmulatorOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
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
