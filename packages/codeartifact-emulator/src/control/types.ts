// Shared types of the control-plane operation handlers.
import type { EmulatorContext } from '../context';

export interface OpContext {
  ctx: EmulatorContext;
  /** Access key id the request was signed with. */
  accessKeyId: string;
}

/** A non-JSON answer (GetPackageVersionAsset's bytes). */
export class BinaryResult {
  constructor(
    readonly data: Buffer,
    readonly headers: Record<string, string>,
  ) {}
}
