// The activation API is readable by any installed extension: nothing reachable from it may lead to the token.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CodeArtifactApi } from '../../../src/extension';
import { activatedExtension, loggedIn, loggedOut } from '../helpers';

/**
 * Every string reachable from `root` through own data properties (private fields included: they are plain
 * properties at run time; getters are not called), with the path to it. Bounded, cycles skipped.
 */
function reachableStrings(root: unknown, skip: ReadonlySet<unknown>, limit = 200_000): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<unknown>();
  const queue: [unknown, string][] = [[root, 'api']];
  while (queue.length > 0 && seen.size < limit) {
    const [v, path] = queue.shift()!;
    if (typeof v === 'string') {
      if (!out.has(v)) out.set(v, path);
      continue;
    }
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v) || skip.has(v)) continue;
    seen.add(v);
    const entries: [string, unknown][] = v instanceof Map ? [...v.entries()].map(([k, x]) => [String(k), x]) : v instanceof Set ? [...v].map((x, i) => [String(i), x]) : [];
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(v))) if ('value' in d) entries.push([key, d.value]);
    for (const [key, x] of entries) queue.push([x, `${path}.${key}`]);
  }
  return out;
}

suite('activation API', () => {
  test('exports no session, and nothing reachable from it holds the token, logged in or after a refresh', async function () {
    this.timeout(60_000);
    const api = (await activatedExtension<CodeArtifactApi>()).exports;
    assert.equal('session' in api, false);
    await loggedIn({ domain: 'corp', repository: 'team', tools: ['npm'] });
    await vscode.commands.executeCommand('codeartifact.refreshToken');
    try {
      // The terminal environment collection carries the token by design (it is what terminals get).
      const token = api.environment!.get('CODEARTIFACT_AUTH_TOKEN')!.value;
      assert.ok(token.length > 20);
      const view = api.login.current()!;
      assert.equal(view.domain, 'corp');
      assert.ok(view.expiresAt > Date.now());
      const found = [...reachableStrings(api, new Set([api.environment!]))].filter(([s]) => s.includes(token));
      assert.deepEqual(
        found.map(([, path]) => path),
        [],
        'paths from the API to the token',
      );
    } finally {
      await loggedOut();
    }
  });
});
