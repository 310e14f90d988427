// Control-plane helpers for tests: the real AWS SDK client pointed at an emulator, plain signed-looking
// HTTP requests, and the error a call rejects with.
import assert from 'node:assert/strict';
import { CodeartifactClient } from '@aws-sdk/client-codeartifact';
import type { Seed } from '../state';
import { acmeSeed, blockUpstream, mavenPackage, npmPackage, pypiPackage } from './seed';

/** A small domain with npm, PyPI and Maven packages, an upstream, an external connection and a second account's domain. */
export const testSeed = (): Seed =>
  acmeSeed([
    npmPackage(
      '@acme/ui',
      [
        { version: '1.0.0', publishedTime: '2026-01-02T03:04:05Z', readme: '# ui', summary: 'UI kit', licenses: [{ name: 'MIT' }] },
        { version: '1.1.0', publishedTime: '2026-03-04T05:06:07Z' },
        { version: '2.0.0-beta.1', publishedTime: '2026-05-01T00:00:00Z' },
      ],
      { distTags: { latest: '1.1.0' } },
    ),
    pypiPackage('Acme_Tools', [
      { version: '0.3.1', publishedTime: '2026-02-10T00:00:00Z' },
      { version: '0.4.0', publishedTime: '2026-02-11T00:00:00Z' },
    ]),
    mavenPackage('com.acme:core', [
      { version: '2.4.0', publishedTime: '2026-02-01T00:00:00Z' },
      { version: '2.5.0', publishedTime: '2026-02-02T00:00:00Z', status: 'Unlisted' },
    ]),
    npmPackage('left-pad', ['1.3.0'], blockUpstream),
  ]).build();

export function sdkClient(url: string, accessKeyId = 'AKIDEXAMPLE'): CodeartifactClient {
  return new CodeartifactClient({ endpoint: url, region: 'us-west-2', credentials: { accessKeyId, secretAccessKey: 'x' }, maxAttempts: 1 });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  assert.fail('expected the call to fail');
}

/** A syntactically valid SigV4 header (the emulator does not verify signatures). */
export function sigv4Header(accessKeyId = 'AKIDEXAMPLE'): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261126/us-west-2/codeartifact/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
}

export interface RawAnswer {
  status: number;
  errorType: string | null;
  contentType: string | null;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** A plain HTTP request (node fetch), signed-looking unless `auth` is false. */
export async function raw(
  base: string,
  method: string,
  pathAndQuery: string,
  opts: { body?: string | Buffer; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = { ...(opts.auth === false ? {} : { authorization: sigv4Header() }), ...opts.headers };
  const r = await fetch(`${base}${pathAndQuery}`, { method, headers, body: opts.body, signal: AbortSignal.timeout(10_000) });
  const text = await r.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: r.status, errorType: r.headers.get('x-amzn-errortype'), contentType: r.headers.get('content-type'), text, json };
}
