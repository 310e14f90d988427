// CodeArtifact control plane (REST-JSON, /v1/...). See ../shared/codeartifact-protocol.md sections 1, 2, 5.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { err, sendApiError } from './errors';
import type { EmulatorContext } from './server';

export async function handleControlPlane(_ctx: EmulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  req.resume();
  sendApiError(res, err.unknownOperation(req.method ?? 'GET', url.pathname));
}
