// The explorer inside real VS Code against the emulator (test/integration/seed.json): every row type,
// paging, filter, errors with their actions, and both external-connection commands.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { CodeartifactClient, DescribeRepositoryCommand } from '@aws-sdk/client-codeartifact';
import type { CodeArtifactApi } from '../../../src/extension';
import type { ExplorerNode } from '../../../src/explorer/nodes';
import { activatedExtension, emulatorStats, emulatorUrl, resetEmulatorStats, resetSettings, waitFor } from '../helpers';

let api: CodeArtifactApi;

async function children(node?: ExplorerNode): Promise<ExplorerNode[]> {
  return api.explorer.getChildren(node);
}
function item(node: ExplorerNode): vscode.TreeItem {
  return api.explorer.getTreeItem(node);
}
function label(node: ExplorerNode): string {
  const l = item(node).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}
function description(node: ExplorerNode): string {
  const d = item(node).description;
  return typeof d === 'string' ? d : '';
}
function tooltip(node: ExplorerNode): string {
  const t = item(node).tooltip;
  return typeof t === 'string' ? t : (t?.value ?? '');
}
async function child(node: ExplorerNode | undefined, name: string): Promise<ExplorerNode> {
  const rows = await children(node);
  const found = rows.find((r) => label(r) === name);
  assert.ok(found, `no row "${name}" under ${node ? label(node) : 'the root'}; rows: ${rows.map(label).join(', ')}`);
  return found;
}
async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('codeartifact').update(key, value, vscode.ConfigurationTarget.Global);
}

function sdk(): CodeartifactClient {
  return new CodeartifactClient({ endpoint: emulatorUrl(), region: 'us-west-2', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, maxAttempts: 1 });
}

suite('explorer', function () {
  this.timeout(60_000);

  suiteSetup(async () => {
    api = (await activatedExtension<CodeArtifactApi>()).exports;
    await resetSettings();
  });
  setup(async () => {
    await resetSettings();
    api.explorer.refresh();
  });

  test('domain rows show owner, repository count and asset size', async () => {
    const acme = await child(undefined, 'acme');
    assert.equal(acme.kind, 'domain');
    assert.match(description(acme), /^111122223333 · 3 repositories · \d/);
    assert.match(tooltip(acme), /Owner: 111122223333/);
    assert.equal(item(acme).contextValue, 'domain');
    assert.equal(api.explorer.state, 'ok');
  });

  test('expanding a domain costs one ListRepositoriesInDomain call and no DescribeRepository', async () => {
    const acme = await child(undefined, 'acme');
    await resetEmulatorStats();
    const repos = await children(acme);
    const stats = await emulatorStats();
    assert.deepEqual(repos.map(label), ['app', 'big', 'npm-store', 'Package groups', 'Permissions policy']);
    assert.equal(stats.ListRepositoriesInDomain, 1);
    assert.equal(stats.DescribeRepository ?? 0, 0);
    assert.equal(description(repos[2]), 'public npm');
  });

  test('a repository shows its upstreams, external connection and packages; an upstream reveals its repository', async () => {
    const acme = await child(undefined, 'acme');
    const app = await child(acme, 'app');
    await resetEmulatorStats();
    const rows = await children(app);
    assert.equal((await emulatorStats()).DescribeRepository, 1);
    assert.deepEqual(rows.map(label), ['Upstreams', 'Add external connection…', 'Packages', 'Permissions policy']);
    assert.equal(item(rows[1]).command?.command, 'codeartifact.associateExternalConnection');
    assert.equal(item(app).contextValue, 'repository;noExternalConnection');

    const upstreams = await children(rows[0]);
    assert.deepEqual(upstreams.map(label), ['npm-store']);
    assert.equal(description(upstreams[0]), '#1');
    const cmd = item(upstreams[0]).command!;
    assert.equal(cmd.command, 'codeartifact.revealRepository');
    await vscode.commands.executeCommand('workbench.view.extension.codeartifact');
    await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
    await waitFor(() => api.treeView.selection[0]?.kind === 'repository' && label(api.treeView.selection[0]) === 'npm-store', 'npm-store to be selected');

    const store = await child(acme, 'npm-store');
    const storeRows = await children(store);
    const conn = storeRows.find((r) => r.kind === 'externalConnection')!;
    assert.equal(label(conn), 'public:npmjs');
    assert.match(description(conn), /^npm · /);
    assert.match(description(store), /public:npmjs/, 'the connection shows inline once known');
    assert.equal(item(store).contextValue, 'repository;hasExternalConnection');
  });

  test('packages, versions (default marked, origin) and assets (size, SHA-256)', async () => {
    // Fetch the tarball once through the registry so the version has a real asset.
    const ca = await api.connection.client();
    const { token } = await ca.getAuthorizationToken({ domain: 'acme' }, 900);
    const endpoint = await ca.getRepositoryEndpoint({ domain: 'acme', repository: 'app' }, 'npm');
    const auth = { authorization: `Bearer ${token}` };
    const packument = (await (await fetch(`${endpoint}@acme%2fui`, { headers: auth })).json()) as { versions: Record<string, { dist: { tarball: string } }> };
    const tarball = Buffer.from(await (await fetch(packument.versions['1.0.0'].dist.tarball, { headers: auth })).arrayBuffer());
    const sha256 = createHash('sha256').update(tarball).digest('hex');

    const app = await child(await child(undefined, 'acme'), 'app');
    const pkgs = await children(await child(app, 'Packages'));
    const ui = pkgs.find((p) => label(p) === '@acme/ui');
    assert.ok(ui, `@acme/ui not in ${pkgs.map(label).join(', ')}`);
    assert.equal(description(ui), 'npm');
    const versions = await children(ui);
    const v100 = versions.find((v) => label(v) === '1.0.0')!;
    assert.ok(v100);
    assert.match(description(v100), /★ default · Published · INTERNAL/);
    const assets = await children(v100);
    assert.equal(assets.length, 1);
    assert.equal(assets[0].kind, 'asset');
    assert.match(label(assets[0]), /\.tgz$/);
    assert.ok(description(assets[0]).length > 0);
    assert.match(tooltip(assets[0]), new RegExp(sha256));
    const snippet = await vscode.commands.executeCommand<string>('codeartifact.copyInstallSnippet', v100);
    assert.equal(snippet, 'npm install @acme/ui@1.0.0');
    assert.equal(await vscode.env.clipboard.readText(), 'npm install @acme/ui@1.0.0');
  });

  test('a package with origin restrictions says so', async () => {
    const locked = await child(await child(undefined, 'corp'), 'locked');
    const pkgs = await children((await children(locked)).find((r) => r.kind === 'packages')!);
    const isOdd = pkgs.find((p) => label(p) === 'is-odd');
    assert.ok(isOdd, pkgs.map(label).join(', '));
    assert.equal(description(isOdd), 'npm · upstream blocked');
    assert.match(tooltip(isOdd), /publish ALLOW, upstream BLOCK/);
  });

  test('paging: the first page of 2,500 packages costs one ListPackages call; Load more brings the next 100', async () => {
    const big = await child(await child(undefined, 'acme'), 'big');
    const packagesRow = (await children(big)).find((r) => r.kind === 'packages')!;
    await resetEmulatorStats();
    const first = await children(packagesRow);
    assert.equal((await emulatorStats()).ListPackages, 1);
    assert.equal(first.length, 101);
    const more = first[100];
    assert.equal(more.kind, 'loadMore');
    assert.equal(label(more), 'Load more…');
    await vscode.commands.executeCommand('codeartifact.loadMore', more);
    const second = await children(packagesRow);
    assert.equal((await emulatorStats()).ListPackages, 2);
    assert.equal(second.length, 201);
    const names = second.filter((r) => r.kind === 'package').map(label);
    assert.equal(new Set(names).size, 200, 'no package twice');
    assert.deepEqual(names.slice(0, 3), ['pkg-0000', 'pkg-0001', 'pkg-0002']);
    assert.equal(names[199], 'pkg-0199');
  });

  test('the page size setting is honoured', async () => {
    await setSetting('pageSize', 25);
    const big = await child(await child(undefined, 'acme'), 'big');
    const rows = await children((await children(big)).find((r) => r.kind === 'packages')!);
    assert.equal(rows.filter((r) => r.kind === 'package').length, 25);
    assert.equal(rows[25].kind, 'loadMore');
  });

  test('filter narrows packages server-side and can be cleared', async () => {
    const big = await child(await child(undefined, 'acme'), 'big');
    const packagesRow = (await children(big)).find((r) => r.kind === 'packages')!;
    await resetEmulatorStats();
    await vscode.commands.executeCommand('codeartifact.filterPackages', packagesRow, 'pkg-001');
    const rows = await children(packagesRow);
    assert.deepEqual(
      rows.map(label),
      Array.from({ length: 10 }, (_, i) => `pkg-001${i}`),
    );
    assert.equal((await emulatorStats()).ListPackages, 1);
    assert.match(description(packagesRow), /filter: prefix pkg-001/);
    assert.equal(item(packagesRow).contextValue, 'packages;filtered');
    await vscode.commands.executeCommand('codeartifact.clearPackageFilter', packagesRow);
    assert.equal((await children(packagesRow)).length, 101);
  });

  test('associate and disassociate an external connection with args; the tree updates in place', async () => {
    const acme = await child(undefined, 'acme');
    const app = await child(acme, 'app');
    await children(app);
    await vscode.commands.executeCommand('codeartifact.associateExternalConnection', { domain: 'acme', repository: 'app', externalConnection: 'public:pypi' });
    const described = await sdk().send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'app' }));
    assert.deepEqual(
      described.repository?.externalConnections?.map((c) => c.externalConnectionName),
      ['public:pypi'],
    );
    assert.match(description(app), /public:pypi/);
    assert.equal(label((await children(app)).find((r) => r.kind === 'externalConnection')!), 'public:pypi');

    // A second connection is refused with a clear message unless replace is asked for.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('codeartifact.associateExternalConnection', { domain: 'acme', repository: 'app', externalConnection: 'public:npmjs' })),
      /already has the external connection public:pypi/,
    );
    await vscode.commands.executeCommand('codeartifact.associateExternalConnection', { domain: 'acme', repository: 'app', externalConnection: 'public:npmjs', replace: true });
    const replaced = await sdk().send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'app' }));
    assert.deepEqual(
      replaced.repository?.externalConnections?.map((c) => c.externalConnectionName),
      ['public:npmjs'],
    );

    await vscode.commands.executeCommand('codeartifact.disassociateExternalConnection', { domain: 'acme', repository: 'app' });
    const after = await sdk().send(new DescribeRepositoryCommand({ domain: 'acme', repository: 'app' }));
    assert.deepEqual(after.repository?.externalConnections ?? [], []);
    assert.equal(label((await children(app)).find((r) => r.kind === 'externalConnection')!), 'Add external connection…');
    assert.equal(item(app).contextValue, 'repository;noExternalConnection');
  });

  test('copy the repository endpoint for a format', async () => {
    const url = await vscode.commands.executeCommand<string>('codeartifact.copyRepositoryEndpoint', { domain: 'acme', repository: 'app', format: 'maven' });
    assert.equal(url, `${emulatorUrl()}/maven/d/acme-111122223333/app/`);
    assert.equal(await vscode.env.clipboard.readText(), url);
  });

  suite('bad configuration shows a row that says what is wrong', () => {
    const rootRow = async () => {
      api.explorer.refresh();
      const rows = await children();
      assert.equal(rows.length, 1, `expected one error row, got ${rows.map(label).join(', ')}`);
      assert.equal(rows[0].kind, 'error');
      return rows[0];
    };

    test('malformed endpoint URL', async () => {
      await setSetting('endpoint', 'not a url');
      const row = await rootRow();
      assert.match(label(row), /codeartifact\.endpoint "not a url" is not a valid URL/);
      assert.equal(item(row).contextValue, 'error;badEndpoint');
      assert.equal(item(row).command?.command, 'workbench.action.openSettings');
      assert.equal(api.explorer.state, 'error');
    });

    test('unreachable endpoint', async () => {
      await setSetting('maxAttempts', 1);
      await setSetting('endpoint', 'http://127.0.0.1:9');
      const row = await rootRow();
      assert.match(label(row), /127\.0\.0\.1:9 refused the connection \(ECONNREFUSED\)/);
      assert.equal(item(row).contextValue, 'error;unreachable');
    });

    test('unknown profile', async () => {
      await setSetting('profile', 'no-such-profile');
      const row = await rootRow();
      assert.match(label(row), /AWS profile "no-such-profile" is not in/);
      assert.equal(item(row).command?.command, 'codeartifact.chooseProfile');
    });

    test('no region', async function () {
      if (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION) this.skip();
      await setSetting('region', '');
      const row = await rootRow();
      assert.match(label(row), /No AWS region is set/);
      assert.equal(item(row).command?.command, 'codeartifact.setRegion');
    });

    test('expired SSO session offers aws sso login', async () => {
      const aws = join(homedir(), '.aws');
      mkdirSync(join(aws, 'sso', 'cache'), { recursive: true });
      const startUrl = 'https://acme.awsapps.com/start';
      writeFileSync(
        join(aws, 'config'),
        `[profile sso-dev]\nsso_start_url = ${startUrl}\nsso_region = us-west-2\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-west-2\n`,
      );
      const cacheName = createHash('sha1').update(startUrl).digest('hex');
      writeFileSync(join(aws, 'sso', 'cache', `${cacheName}.json`), JSON.stringify({ startUrl, region: 'us-west-2', accessToken: 'expired', expiresAt: '2020-01-01T00:00:00Z' }));
      await setSetting('profile', 'sso-dev');
      const row = await rootRow();
      assert.match(label(row), /SSO session of profile "sso-dev" has expired/);
      assert.equal(item(row).contextValue, 'error;ssoExpired');
      assert.equal(item(row).command?.command, 'codeartifact.ssoLogin');
    });

    test('access denied names the action, on the row of the list that was refused', async () => {
      const aws = join(homedir(), '.aws');
      mkdirSync(aws, { recursive: true });
      writeFileSync(join(aws, 'credentials'), '[browse-only]\naws_access_key_id = AKIDBROWSEONLY\naws_secret_access_key = x\n');
      await setSetting('profile', 'browse-only');
      const acme = await child(undefined, 'acme');
      const app = await child(acme, 'app');
      const packagesRow = (await children(app)).find((r) => r.kind === 'packages')!;
      const rows = await children(packagesRow);
      assert.equal(rows.length, 1);
      assert.equal(label(rows[0]), 'Access denied: codeartifact:ListPackages');
      assert.equal(item(rows[0]).contextValue, 'error;accessDenied');
    });
  });
});
