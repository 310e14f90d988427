// Control-plane authentication and authorisation, close enough to AWS for clients to behave as they would:
// an unsigned request gets 403 MissingAuthenticationTokenException, a malformed SigV4 header 403
// IncompleteSignatureException (signatures themselves are not verified), and when the seed declares
// principals, an action neither the key's allow list nor a domain or repository permissions policy grants (or one
// such a policy explicitly denies) gets AccessDeniedException naming the action. The registries apply the same
// check to the key a token was issued to (ReadFromRepository, PublishPackageVersion).
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

/** One statement of a resource policy, as far as the emulator reads it. */
interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
  Resource?: unknown;
}

const asList = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Whether a statement's Principal names the caller: `"*"`, `{"AWS": "*"}`, the user's ARN or its access key id. */
function principalMatches(principal: unknown, user: string, accessKeyId: string): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return asList((principal as Record<string, unknown>).AWS).some((p) => p === '*' || p === user || p === accessKeyId);
}

/** The statements of the policy documents that name this caller, action and resource (unparseable documents name nothing). */
function matchingStatements(documents: string[], user: string, accessKeyId: string, action: string, resourceArn: string): Statement[] {
  const out: Statement[] = [];
  for (const doc of documents) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(doc);
    } catch {
      continue;
    }
    const raw = (parsed as { Statement?: unknown })?.Statement;
    const statements = (Array.isArray(raw) ? raw : [raw]).filter((x): x is Statement => typeof x === 'object' && x !== null);
    for (const st of statements) {
      if (!principalMatches(st.Principal, user, accessKeyId)) continue;
      if (!asList(st.Action).some((a) => actionMatches(a, action))) continue;
      if (st.Resource !== undefined && !asList(st.Resource).some((r) => actionMatches(r, resourceArn))) continue;
      out.push(st);
    }
  }
  return out;
}

/**
 * Throws AccessDeniedException unless the key may perform `action` (e.g. "codeartifact:ListPackages") on
 * `resourceArn`. Open when the seed declares no principals. Otherwise, as IAM evaluates a same-account request:
 * an unknown key is denied; an explicit `Deny` in a resource policy that names the caller wins; else an `Allow` from
 * the key's own grants (the seed's `allow` list) or from a resource policy statement naming the caller grants; else
 * it is denied.
 * `policies` are the documents of the resource's domain and repository policies.
 */
export function authorize(state: EmulatorState, accessKeyId: string, action: string, resourceArn: string, policies: string[] = []): void {
  if (state.principals.length === 0) return;
  const principal = state.principals.find((p) => p.accessKeyId === accessKeyId);
  const user = `arn:aws:iam::${state.accountId}:user/${accessKeyId}`;
  const denied = (why: string) => new ApiError('AccessDeniedException', 403, `User: ${user} is not authorized to perform: ${action} on resource: ${resourceArn} ${why}`);
  const noGrant = `because no identity-based policy allows the ${action} action`;
  if (!principal) throw denied(noGrant);
  const statements = matchingStatements(policies, user, accessKeyId, action, resourceArn);
  if (statements.some((st) => st.Effect === 'Deny')) throw denied('with an explicit deny in a resource-based policy');
  if (statements.some((st) => st.Effect === 'Allow')) return;
  if (!principal.allow.some((p) => actionMatches(p, action))) throw denied(noGrant);
}
