// The emulator's HTTP server: fault injection, then dispatch to the control plane (/v1/...),
// the registries (/{format}/d/{domain}-{owner}/{repository}/...) or the test-only admin routes (/_emulator/...).
// The options and the per-request context live in ./context, which the planes import (no cycle back here).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { ApiError, err, sendApiError, sendJson } from './errors';
import { readBody, type EmulatorContext, type EmulatorOptions } from './context';
import { withSeedPackageGroups } from './groups';
import { Clock, loadStateFile, saveStateFile, stateFromSeed, type EmulatorState } from './state';
import { handleControlPlane } from './controlPlane';
import { handleDataPlane, type DataPlane, createDataPlane } from './dataPlane';
import { demoSeed } from './demoSeed';
import { makeTlsMaterial, type TlsMaterial } from './tls';

export type { EmulatorContext, EmulatorOptions, PublicUpstreamName } from './context';

export interface Emulator {
  /** Where it listens, e.g. http://127.0.0.1:4321 (https:// with --tls). */
  url: string;
  /** The base of the endpoints it returns: `url` with the --public-host name, if one was given. */
  publicUrl: string;
  /** With --tls: the PEM file of the CA that signed its certificate. */
  caFile?: string;
  port: number;
  ctx: EmulatorContext;
  dataPlane: DataPlane;
  close(): Promise<void>;
}

/** A small deterministic PRNG so --fault-seed runs repeat exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function loadInitialState(opts: EmulatorOptions, clock: Clock): EmulatorState {
  if (opts.stateFile) {
    try {
      return loadStateFile(opts.stateFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  const fromSeed = (seed: unknown, source: string) => withSeedPackageGroups(stateFromSeed(seed, clock, source), seed, source);
  if (opts.seed !== undefined) return fromSeed(opts.seed, 'seed');
  if (opts.seedFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(opts.seedFile, 'utf8'));
    } catch (e) {
      throw new Error(`${opts.seedFile}: ${(e as Error).message}`);
    }
    return fromSeed(parsed, opts.seedFile);
  }
  return fromSeed(demoSeed(), 'demo seed');
}

/** The options with their defaults filled in, as the handlers read them. */
function resolvedOptions(opts: EmulatorOptions): EmulatorContext['options'] {
  return {
    stateFile: opts.stateFile,
    ingestionDelayMs: opts.ingestionDelayMs ?? 2000,
    ingestionTimeoutMs: opts.ingestionTimeoutMs ?? 40000,
    upstreams: opts.upstreams ?? {},
    latencyMs: opts.latencyMs ?? 0,
    failRate: opts.failRate ?? 0,
    throttleRate: opts.throttleRate ?? 0,
    faultSeed: opts.faultSeed ?? 1,
    maxBodyBytes: opts.maxBodyBytes ?? 64 * 1024 * 1024,
  };
}

/** One request: admin routes first, then the injected latency and faults, then the control or data plane. */
function requestHandler(ctx: EmulatorContext, dataPlane: DataPlane, random: () => number): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (url.pathname.startsWith('/_emulator/')) {
      await handleAdmin(ctx, req, res, url);
      return;
    }
    if (ctx.options.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.options.latencyMs));
    if (ctx.options.throttleRate > 0 && random() < ctx.options.throttleRate) {
      req.resume();
      sendApiError(res, err.throttling(1));
      return;
    }
    if (ctx.options.failRate > 0 && random() < ctx.options.failRate) {
      req.resume();
      sendApiError(res, err.internal('Injected fault (--fail-rate)'));
      return;
    }
    if (url.pathname.startsWith('/v1/')) {
      await handleControlPlane(ctx, req, res, url);
      return;
    }
    if (await handleDataPlane(dataPlane, req, res, url)) return;
    req.resume();
    sendApiError(res, err.unknownOperation(req.method ?? 'GET', url.pathname));
  };
}

/** An HTTP server that never crashes on a request: anything unexpected becomes a 500 (or the ApiError it is). */
function createEmulatorServer(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>, tls?: TlsMaterial): Server {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof ApiError) sendApiError(res, e);
      else {
        console.error('emulator: unexpected error', e);
        sendApiError(res, err.internal(String((e as Error)?.message ?? e)));
      }
    });
  };
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createServer(listener);
  server.keepAliveTimeout = 5000;
  return server;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const clock = new Clock();
  const state = loadInitialState(opts, clock);
  let saveTimer: NodeJS.Timeout | undefined;
  const ctx: EmulatorContext = {
    state,
    clock,
    baseUrl: '',
    stats: {},
    options: resolvedOptions(opts),
    persist() {
      if (!opts.stateFile || saveTimer) return;
      saveTimer = setTimeout(() => {
        saveTimer = undefined;
        saveStateFile(opts.stateFile!, state);
      }, 50);
    },
  };
  const dataPlane = createDataPlane(ctx);
  const host = opts.host ?? '127.0.0.1';
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const tls = opts.tls ? makeTlsMaterial([shownHost, opts.publicHost ?? '']) : undefined;
  const server = createEmulatorServer(requestHandler(ctx, dataPlane, mulberry32(opts.faultSeed ?? 1)), tls);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const scheme = tls ? 'https' : 'http';
  const url = `${scheme}://${shownHost}:${address.port}`;
  ctx.baseUrl = opts.publicHost ? `${scheme}://${opts.publicHost}:${address.port}` : url;
  if (opts.stateFile) saveStateFile(opts.stateFile, state);

  return {
    url,
    publicUrl: ctx.baseUrl,
    caFile: tls?.caFile,
    port: address.port,
    ctx,
    dataPlane,
    close: async () => {
      dataPlane.close();
      if (saveTimer) {
        clearTimeout(saveTimer);
        saveTimer = undefined;
      }
      if (opts.stateFile) saveStateFile(opts.stateFile, state);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Test-only routes: call counts, a movable clock, runtime settings. Not part of CodeArtifact. */
async function handleAdmin(ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const input = adminInput(await readBody(req, 1024 * 1024));
  switch (`${req.method} ${url.pathname}`) {
    case 'GET /_emulator/stats':
      sendJson(res, 200, { stats: ctx.stats });
      return;
    case 'POST /_emulator/stats/reset':
      for (const k of Object.keys(ctx.stats)) delete ctx.stats[k];
      sendJson(res, 200, {});
      return;
    case 'POST /_emulator/clock':
      // {advanceSeconds: N} moves the emulator's clock forward (token expiry tests).
      ctx.clock.offsetMs += adminNumber(input, 'advanceSeconds', 0, 10 * 365 * 86400) * 1000;
      sendJson(res, 200, { now: Math.floor(ctx.clock.now() / 1000) });
      return;
    case 'POST /_emulator/settings':
      // Change ingestion and fault settings of a running emulator.
      for (const k of ['ingestionDelayMs', 'ingestionTimeoutMs', 'latencyMs', 'failRate', 'throttleRate'] as const) {
        const max = k === 'failRate' || k === 'throttleRate' ? 1 : 3_600_000;
        if (input[k] !== undefined) ctx.options[k] = adminNumber(input, k, 0, max);
      }
      sendJson(res, 200, { settings: ctx.options });
      return;
    default:
      sendApiError(res, err.unknownOperation(req.method ?? 'GET', url.pathname));
  }
}

/** An admin route's body: empty, or a JSON object; anything else is a 400 saying what is wrong. */
function adminInput(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw err.validation(`The body is not valid JSON: ${(e as Error).message}`, 'CANNOT_PARSE');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw err.validation('The body must be a JSON object', 'CANNOT_PARSE');
  return parsed as Record<string, unknown>;
}

/** `input[field]`: absent is 0; else a finite number in [min, max], or a 400 naming the field and the value. */
function adminNumber(input: Record<string, unknown>, field: string, min: number, max: number): number {
  const v = input[field];
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw err.validation(`${field}: expected a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}
