// Real networks inside real VS Code: a real forward proxy (scripts/forward-proxy.mjs, the `proxy` package) in
// its own process that alone resolves the emulator's --public-host name, set as VS Code's http.proxy; and the
// emulator over TLS with its CA given through codeartifact.caFile, or not given.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from 'codeartifact-emulator/testing';
import type { CodeArtifactApi } from '../../../src/extension';
import type { ExplorerNode } from '../../../src/explorer/nodes';
import type { InstallRunResult } from '../../../src/install/installCommand';
import { startForwardProxy } from '../../unit/net/forwardProxy';
import { activatedExtension, loggedIn, loggedOut, resetSettings } from '../helpers';

const HOST = 'codeartifact.test.invalid';

const startProxy = () => startForwardProxy(['--map', `${HOST}=127.0.0.1`], process.env.CODEARTIFACT_EXTENSION_ROOT ?? process.cwd());

const rowsText = (nodes: ExplorerNode[]) => nodes.map((n) => (n.kind === 'error' ? `error: ${n.problem.message}` : n.kind === 'domain' ? n.summary.name : n.kind));

suite('networks: a forward proxy and private CAs', function () {
  this.timeout(180_000);
  let api: CodeArtifactApi;
  const emus: Emulator[] = [];
  let dir: string;

  suiteSetup(async () => {
    api = (await activatedExtension<CodeArtifactApi>()).exports;
  });
  suiteTeardown(async () => {
    await loggedOut();
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await resetSettings();
    for (const e of emus) await e.close();
  });
  setup(async () => {
    await resetSettings();
    dir = mkdtempSync(join(tmpdir(), 'network-'));
  });
  teardown(async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('codeartifact').update('allowInsecureEndpoint', undefined, vscode.ConfigurationTarget.Global);
    rmSync(dir, { recursive: true, force: true });
  });

  async function settings(values: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(values)) {
      const [section, key] = k.split(/\.(.*)/);
      await vscode.workspace.getConfiguration(section).update(key, v, vscode.ConfigurationTarget.Global);
    }
  }

  test('through http.proxy: explorer, login, pre-warm and an npm install; the proxy saw every request; stopped, each fails fast', async () => {
    const emu = await startEmulator({ publicHost: HOST, ingestionDelayMs: 200 });
    emus.push(emu);
    const proxy = await startProxy();
    try {
      // The public host is not loopback: plain http to it needs the user's explicit allowance. The endpoint changes
      // before the proxy does, so no reload of the previous endpoint goes through the proxy and into its log.
      await settings({ 'codeartifact.allowInsecureEndpoint': true, 'codeartifact.endpoint': emu.publicUrl, 'http.proxy': proxy.url });
      api.explorer.refresh();
      assert.deepEqual(rowsText(await api.explorer.getChildren()).sort(), ['acme', 'sandbox']);
      const login = await loggedIn({ domain: 'acme', repository: 'app', tools: ['npm'] });
      assert.equal(new URL(login.endpoints.npm!).hostname, HOST);

      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo', version: '1.0.0', private: true, dependencies: { 'left-pad': '1.3.0' } }));
      writeFileSync(
        join(dir, 'package-lock.json'),
        JSON.stringify({
          name: 'demo',
          version: '1.0.0',
          lockfileVersion: 3,
          requires: true,
          packages: { '': { name: 'demo', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }, 'node_modules/left-pad': { version: '1.3.0' } },
        }),
      );
      const r = await vscode.commands.executeCommand<InstallRunResult>('codeartifact.installWithRetry', { folder: dir, tool: 'npm', maxWaitSeconds: 60 });
      assert.equal(r.outcome, 'success', `${r.outcome}: ${r.message}`);
      assert.equal(r.prewarm?.ready, 1, JSON.stringify(r.prewarm));
      // Only the proxy resolves the host name: what reached the emulator went through it, and it logged it.
      const log = proxy.log();
      assert.ok(
        log.some((l) => l.startsWith(`GET http://${HOST}:${emu.port}/v1/domains`) || l.startsWith(`POST http://${HOST}:${emu.port}/v1/domains`)),
        log.join('\n'),
      );
      assert.ok(
        log.some((l) => l.includes('/npm/d/acme-') && l.includes('left-pad')),
        log.join('\n'),
      );
      assert.ok(
        log.every((l) => l.includes(`${HOST}:${emu.port}`)),
        log.join('\n'),
      );
    } finally {
      await proxy.stop();
    }

    // The proxy is gone: the explorer, login and the install each fail within 5 s, saying why.
    const t0 = Date.now();
    api.explorer.refresh();
    const rows = rowsText(await api.explorer.getChildren());
    assert.equal(rows.length, 1);
    assert.match(rows[0] ?? '', /^error: .*(proxy|cannot be resolved|refused)/i);
    assert.ok(Date.now() - t0 < 5000, `explorer took ${Date.now() - t0} ms`);
    const t1 = Date.now();
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('codeartifact.login', { domain: 'acme', repository: 'app', tools: ['npm'] })),
      /proxy|cannot be resolved|refused/i,
    );
    assert.ok(Date.now() - t1 < 5000, `login took ${Date.now() - t1} ms`);
  });

  test('over TLS: trusted through codeartifact.caFile; without it, the untrusted-certificate message', async () => {
    const emu = await startEmulator({ tls: true });
    emus.push(emu);
    await settings({ 'codeartifact.endpoint': emu.url, 'codeartifact.caFile': emu.caFile });
    api.explorer.refresh();
    assert.deepEqual(rowsText(await api.explorer.getChildren()).sort(), ['acme', 'sandbox']);

    await settings({ 'codeartifact.caFile': undefined });
    api.explorer.refresh();
    const rows = rowsText(await api.explorer.getChildren());
    assert.equal(rows.length, 1);
    assert.match(rows[0] ?? '', /^error: The certificate of 127\.0\.0\.1:\d+ is not trusted .*Set codeartifact\.caFile/);
  });
});
