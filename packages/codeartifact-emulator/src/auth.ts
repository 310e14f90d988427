// Control-plane authentication and authorisation, close enough to AWS for clients to behave as they would:
// an unsigned request gets 403 MissingAuthenticationTokenException, a malformed SigV4 header 403
// IncompleteSignatureException (signatures themselves are not verified), and when the seed declares
// principals, an action outside a key's allow list gets AccessDeniedException naming the action.
import type { IncomingMessage } from 'node:http';
import { ApiError } from './errors';
import type { EmulatorState } from './state';

// AWS4-HMAC-SHA256 Credential=AKID/20261126/us-west-2/codeartifact/aws4_request, SignedHeaders=..., Signature=...
const SIGV4 = /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,/;

/** The access key id a request is signed with; throws the 403 AWS answers for unsigned or malformed requests. */
export function authenticate(req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw new ApiError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token');
  }
  const m = SIGV4.exec(header);
  if (!m) {
    throw new ApiError('IncompleteSignatureException', 403, `Authorization header requires a SigV4 'Credential=AKID/date/region/codeartifact/aws4_request' parameter`);
  }
  if (m[4] !== 'codeartifact') {
    throw new ApiError('InvalidSignatureException', 403, `Credential should be scoped to correct service: 'codeartifact'.`);
  }
  return m[1];
}

/** IAM-style pattern match: `*` is any run of characters, `?` one character, case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    'i',
  );
  return re.test(action);
}

/** Throws AccessDeniedException unless the key may perform `action` (e.g. "codeartifact:ListPackages"). */
export function authorize(state: EmulatorState, accessKeyId: string, action: string, resourceArn: string): void {
  if (state.principals.length === 0) return;
  const principal = state.principals.find((p) => p.accessKeyId === accessKeyId);
  const user = `arn:aws:iam::${state.accountId}:user/${accessKeyId}`;
  if (!principal) {
    throw new ApiError(
      'AccessDeniedException',
      403,
      `User: ${user} is not authorized to perform: ${action} on resource: ${resourceArn} because no identity-based policy allows the ${action} action`,
    );
  }
  if (!principal.allow.some((p) => actionMatches(p, action))) {
    throw new ApiError(
      'AccessDeniedException',
      403,
      `User: ${user} is not authorized to perform: ${action} on resource: ${resourceArn} because no identity-based policy allows the ${action} action`,
    );
  }
}
