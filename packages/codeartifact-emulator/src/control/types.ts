// Shared types of the control-plane operation handlers.
import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorContext } from '../context';

export interface OpContext {
  ctx: EmulatorContext;
  /** Access key id the request was signed with. */
  accessKeyId: string;
  /** The request body as sent (PublishPackageVersion's asset bytes) and the request headers. */
  rawBody?: Buffer;
  headers?: IncomingHttpHeaders;
}

/** A non-JSON answer (GetPackageVersionAsset's bytes). */
export class BinaryResult {
  constructor(
    readonly data: Buffer,
    readonly headers: Record<string, string>,
  ) {}
}
