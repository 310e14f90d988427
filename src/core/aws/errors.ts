// Turns anything a CodeArtifact call can throw into what the user needs: what went wrong and the fix.
import { classifyNetworkError } from '../net/errors';
import { proxyFor } from '../net/settings';
import { CaFileError } from '../net/transport';
import { ConfigError } from './settings';

export type ProblemKind =
  'noCredentials' | 'ssoExpired' | 'accessDenied' | 'unknownProfile' | 'noRegion' | 'badEndpoint' | 'unreachable' | 'notFound' | 'throttled' | 'conflict' | 'invalid' | 'other';

export interface Problem {
  kind: ProblemKind;
  /** One sentence for a tree row or a notification; never contains a token. */
  message: string;
  /** For accessDenied: the IAM action that was refused, e.g. codeartifact:ListPackages. */
  deniedAction?: string;
  /** For configuration problems: the setting that fixes it. */
  setting?: string;
}

export function describeProblem(e: unknown, context: { profile?: string; endpoint?: string } = {}): Problem {
  if (e instanceof ConfigError) return { kind: e.problem, message: e.message, setting: e.setting };
  if (e instanceof CaFileError) return { kind: 'badEndpoint', message: e.message, setting: e.setting };
  const err = e as { name?: string; message?: string; code?: string; cause?: unknown; $metadata?: unknown };
  const name = err?.name ?? '';
  const message = String(err?.message ?? e);
  const code = err?.code ?? (err?.cause as { code?: string } | undefined)?.code ?? '';

  if (/SSO session/i.test(message) || name === 'TokenProviderError') {
    const p = context.profile ?? 'default';
    return { kind: 'ssoExpired', message: `The SSO session of profile "${p}" has expired. Run "aws sso login --profile ${p}".` };
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return {
      kind: 'noCredentials',
      message: context.profile
        ? `No credentials for AWS profile "${context.profile}": ${message}`
        : 'No AWS credentials found. Choose a profile, or configure credentials with "aws configure".',
    };
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    const action = /perform:?\s*(codeartifact:[A-Za-z]+)/.exec(message)?.[1];
    return { kind: 'accessDenied', deniedAction: action, message: action ? `Access denied: you may not ${action}.` : `Access denied: ${message}` };
  }
  if (name === 'ResourceNotFoundException') return { kind: 'notFound', message };
  if (name === 'ConflictException') {
    return {
      kind: 'conflict',
      message: `CodeArtifact refused the change because of the resource's current state: ${message} Change that first (or refresh to see it), then try again.`,
    };
  }
  if (name === 'ValidationException') return { kind: 'invalid', message: `CodeArtifact refused a value: ${message} Correct it and try again.` };
  if (name === 'ServiceQuotaExceededException') return { kind: 'other', message: `A CodeArtifact quota is reached: ${message}` };
  if (name === 'ThrottlingException') return { kind: 'throttled', message: 'CodeArtifact is throttling requests; try again in a moment.' };
  if (/Region is missing/i.test(message)) {
    return { kind: 'noRegion', message: 'No AWS region is set. Set codeartifact.region (for example us-west-2).', setting: 'codeartifact.region' };
  }
  // DNS, refused, reset, an untrusted certificate, the proxy: the message names the host and the fix.
  const target = context.endpoint ?? 'https://codeartifact.amazonaws.com';
  const net = classifyNetworkError(e, target, proxyFor(target));
  if (net) return { kind: 'unreachable', message: net.message, setting: net.setting ?? 'codeartifact.endpoint' };
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code) || name === 'TimeoutError') {
    const where = context.endpoint ? `the endpoint ${context.endpoint}` : 'CodeArtifact';
    return { kind: 'unreachable', message: `Cannot reach ${where} (${code || name}). Check codeartifact.endpoint and your network.`, setting: 'codeartifact.endpoint' };
  }
  return { kind: 'other', message: name && !message.startsWith(name) ? `${name}: ${message}` : message };
}
