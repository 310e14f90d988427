// What the server hands to the control plane, the data plane and the registries: the options, the
// per-emulator context (state, clock, call counts) and the small helpers every request handler uses.
// A leaf module: it imports only types and the error helpers, so the planes never import the server.
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors';
import type { Clock, EmulatorState } from './state';

export type PublicUpstreamName = 'npmjs' | 'pypi' | 'maven-central';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** A parsed seed object; wins over seedFile. */
  seed?: unknown;
  seedFile?: string;
  stateFile?: string;
  /** How long ingesting one package version from a public upstream takes (default 2000). */
  ingestionDelayMs?: number;
  /** How long a registry request waits for ingestion before answering 404 (default 40000, as AWS). */
  ingestionTimeoutMs?: number;
  /** Real registries to use instead of the built-in fake public ones. */
  upstreams?: Partial<Record<PublicUpstreamName, string>>;
  latencyMs?: number;
  failRate?: number;
  throttleRate?: number;
  faultSeed?: number;
  /** Largest accepted request body (uploads), default 64 MiB. */
  maxBodyBytes?: number;
  /** Serve HTTPS with a certificate from a CA made at start (--tls). */
  tls?: boolean;
  /** The host name the returned endpoints carry instead of the bound address (--public-host). */
  publicHost?: string;
}

export interface EmulatorContext {
  state: EmulatorState;
  clock: Clock;
  options: Required<Omit<EmulatorOptions, 'seed' | 'seedFile' | 'stateFile' | 'port' | 'host' | 'tls' | 'publicHost'>> & Pick<EmulatorOptions, 'stateFile'>;
  /** Base URL clients reach this emulator at, e.g. http://127.0.0.1:4321 (no trailing slash). */
  baseUrl: string;
  /** Call counts per operation name (ListPackages, npm:packument, ...), read by tests through /_emulator/stats. */
  stats: Record<string, number>;
  /** Records that state changed; persisted (debounced, atomic) when --state is set. */
  persist(): void;
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new ApiError('ValidationException', 413, `Request body is larger than the limit of ${limit} bytes`, { reason: 'OTHER' });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function countCall(ctx: EmulatorContext, name: string): void {
  ctx.stats[name] = (ctx.stats[name] ?? 0) + 1;
}
