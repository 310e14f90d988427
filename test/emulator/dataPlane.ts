// Registries (npm, PyPI, Maven) at /{format}/d/{domain}-{owner}/{repository}/..., upstream walks and ingestion.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorContext } from './server';

export interface DataPlane {
  ctx: EmulatorContext;
  close(): void;
}

export function createDataPlane(ctx: EmulatorContext): DataPlane {
  return { ctx, close() {} };
}

/** Returns false when the path is not a registry path (the server then answers 404). */
export async function handleDataPlane(_dp: DataPlane, _req: IncomingMessage, _res: ServerResponse, _url: URL): Promise<boolean> {
  return false;
}
