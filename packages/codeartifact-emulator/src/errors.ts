// Service errors as CodeArtifact sends them: `x-amzn-ErrorType` header plus `{__type, message, ...}` body.
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

export class ApiError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const err = {
  validation: (message: string, reason = 'FIELD_VALIDATION_FAILED') => new ApiError('ValidationException', 400, message, { reason }),
  quota: (message: string, resourceType: string, resourceId: string) => new ApiError('ServiceQuotaExceededException', 402, message, { resourceType, resourceId }),
  accessDenied: (message: string) => new ApiError('AccessDeniedException', 403, message),
  notFound: (message: string, resourceType: string, resourceId: string) => new ApiError('ResourceNotFoundException', 404, message, { resourceType, resourceId }),
  conflict: (message: string, resourceType: string, resourceId: string) => new ApiError('ConflictException', 409, message, { resourceType, resourceId }),
  throttling: (retryAfterSeconds: number) => new ApiError('ThrottlingException', 429, 'Rate exceeded', {}, { 'Retry-After': String(retryAfterSeconds) }),
  internal: (message = 'An internal error occurred') => new ApiError('InternalServerException', 500, message),
  unknownOperation: (method: string, path: string) => new ApiError('UnknownOperationException', 404, `No operation matches ${method} ${path}`),
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  res.end(text);
}

export function sendApiError(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.status, { __type: e.type, message: e.message, ...e.extra }, { 'x-amzn-ErrorType': e.type, ...e.headers });
}
