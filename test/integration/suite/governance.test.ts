// Governing a domain from the editor, inside real VS Code against the emulator: every governance command
// called with its argument object, its effect read back through the real SDK; destructive ones change nothing
// without confirm: true; generic publish and download byte for byte; the Package groups rows.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  CodeartifactClient,
  CreateRepositoryCommand,
  DescribePackageCommand,
  DescribePackageGroupCommand,
  DescribePackageVersionCommand,
  ListAllowedRepositoriesForGroupCommand,
  ListPackagesCommand,
  ListPackageVersionAssetsCommand,
  ListPackageVersionsCommand,
  PublishPackageVersionCommand,
  PutRepositoryPermissionsPolicyCommand,
  TagResourceCommand,
  DescribeRepositoryCommand,
} from '@aws-sdk/client-codeartifact';
import type { CodeArtifactApi } from '../../../src/extension';
import type { ExplorerNode } from '../../../src/explorer/nodes';
import type { InstallRunResult } from '../../../src/install/installCommand';
import { activatedExtension, emulatorStats, emulatorUrl, freshRepository, loggedIn, loggedOut, resetEmulatorStats, resetSettings } from '../helpers';

let api: CodeArtifactApi;
let sdk: CodeartifactClient;

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

async function rejection(command: string, args: unknown): Promise<string> {
  try {
    await vscode.commands.executeCommand(command, args);
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail(`${command} resolved; a rejection was expected`);
}

/** Publishes a one-asset generic version through the SDK (setup, not the command under test). */
async function seedGeneric(domain: string, repository: string, name: string, versions: string[]): Promise<void> {
  for (const version of versions) {
    const content = Buffer.from(`${name} ${version}\n`);
    await sdk.send(
      new PublishPackageVersionCommand({
        domain,
        repository,
        format: 'generic',
        namespace: 'gov',
        package: name,
        packageVersion: version,
        assetName: `${name}.txt`,
        assetContent: content,
        assetSHA256: sha256(content),
      }),
    );
  }
}

async function statuses(domain: string, repository: string, name: string): Promise<Record<string, string>> {
  const r = await sdk.send(new ListPackageVersionsCommand({ domain, repository, format: 'generic', namespace: 'gov', package: name }));
  return Object.fromEntries((r.versions ?? []).map((v) => [v.version!, v.status!]));
}

function label(node: ExplorerNode): string {
  const l = api.explorer.getTreeItem(node).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}
function description(node: ExplorerNode): string {
  const d = api.explorer.getTreeItem(node).description;
  return typeof d === 'string' ? d : '';
}
async function child(node: ExplorerNode | undefined, name: string): Promise<ExplorerNode> {
  const rows = await api.explorer.getChildren(node);
  const found = rows.find((r) => label(r) === name);
  assert.ok(found, `no row "${name}"; rows: ${rows.map(label).join(', ')}`);
  return found;
}

suite('governance', function () {
  this.timeout(60_000);
  let domain: string;
  const pkg = (name: string) => ({ domain, repository: 'app', format: 'generic', namespace: 'gov', package: name });
  const copyArgs = (name: string, versions: string[]) => ({
    domain,
    sourceRepository: 'app',
    destinationRepository: 'release',
    format: 'generic',
    namespace: 'gov',
    package: name,
    versions,
  });

  suiteSetup(async () => {
    api = (await activatedExtension<CodeArtifactApi>()).exports;
    await resetSettings();
    sdk = new CodeartifactClient({ endpoint: emulatorUrl(), region: 'us-west-2', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, maxAttempts: 1 });
    ({ domain } = await freshRepository());
    await sdk.send(new CreateRepositoryCommand({ domain, repository: 'release' }));
  });
  suiteTeardown(async () => {
    sdk?.destroy();
    await loggedOut();
  });

  test('setPackageVersionStatus changes several versions at once; the result lists each', async () => {
    await seedGeneric(domain, 'app', 'status', ['1.0.0', '1.1.0', '2.0.0']);
    const o = await vscode.commands.executeCommand<{ succeeded: { version: string }[] }>('codeartifact.setPackageVersionStatus', {
      ...pkg('status'),
      versions: ['1.0.0', '1.1.0'],
      status: 'Archived',
    });
    assert.deepEqual(o.succeeded.map((s) => s.version).sort(), ['1.0.0', '1.1.0']);
    await vscode.commands.executeCommand('codeartifact.setPackageVersionStatus', { ...pkg('status'), versions: ['2.0.0'], status: 'Unlisted' });
    assert.deepEqual(await statuses(domain, 'app', 'status'), { '1.0.0': 'Archived', '1.1.0': 'Archived', '2.0.0': 'Unlisted' });
    assert.match(
      await rejection('codeartifact.setPackageVersionStatus', { ...pkg('status'), versions: ['1.0.0'], status: 'Gone' }),
      /"Gone" is not a valid "status".*Published, Unlisted, Archived/,
    );
  });

  test('dispose, delete versions and delete package change nothing without confirm: true', async () => {
    await seedGeneric(domain, 'app', 'doomed', ['1.0.0', '2.0.0', '3.0.0']);
    assert.match(await rejection('codeartifact.disposePackageVersions', { ...pkg('doomed'), versions: ['1.0.0'] }), /Nothing was changed: pass "confirm": true/);
    assert.match(await rejection('codeartifact.deletePackageVersions', { ...pkg('doomed'), versions: ['2.0.0'], confirm: false }), /Nothing was changed/);
    assert.match(await rejection('codeartifact.deletePackage', pkg('doomed')), /Nothing was deleted: pass "confirm": true to delete gov\/doomed/);
    assert.deepEqual(await statuses(domain, 'app', 'doomed'), { '1.0.0': 'Published', '2.0.0': 'Published', '3.0.0': 'Published' });

    await vscode.commands.executeCommand('codeartifact.disposePackageVersions', { ...pkg('doomed'), versions: ['1.0.0'], confirm: true });
    await vscode.commands.executeCommand('codeartifact.deletePackageVersions', { ...pkg('doomed'), versions: ['2.0.0'], confirm: true });
    assert.deepEqual(await statuses(domain, 'app', 'doomed'), { '1.0.0': 'Disposed', '3.0.0': 'Published' });
    const assets = await sdk.send(
      new ListPackageVersionAssetsCommand({ domain, repository: 'app', format: 'generic', namespace: 'gov', package: 'doomed', packageVersion: '3.0.0' }),
    );
    assert.equal(assets.assets?.length, 1, 'the version left alone keeps its asset');

    await vscode.commands.executeCommand('codeartifact.deletePackage', { ...pkg('doomed'), confirm: true });
    await assert.rejects(
      sdk.send(new DescribePackageCommand({ domain, repository: 'app', format: 'generic', namespace: 'gov', package: 'doomed' })),
      (e: Error) => e.name === 'ResourceNotFoundException',
    );
  });

  test('copyPackageVersions promotes versions and lists each failure with its reason', async () => {
    await seedGeneric(domain, 'app', 'promo', ['1.0.0', '1.1.0']);
    const o = await vscode.commands.executeCommand<{ succeeded: { version: string }[]; failed: { version: string; reason: string }[] }>(
      'codeartifact.copyPackageVersions',
      copyArgs('promo', ['1.0.0', '9.9.9']),
    );
    assert.deepEqual(
      o.succeeded.map((s) => s.version),
      ['1.0.0'],
    );
    assert.equal(o.failed.length, 1);
    assert.equal(o.failed[0].version, '9.9.9');
    assert.ok(o.failed[0].reason.length > 0, 'a failed version says why');
    assert.deepEqual(await statuses(domain, 'release', 'promo'), { '1.0.0': 'Published' });
    // Copying it again without allowOverwrite fails for that version and says so.
    const again = await rejection('codeartifact.copyPackageVersions', copyArgs('promo', ['1.0.0']));
    assert.match(again, /Copying to release failed for every version: 1\.0\.0: /);
  });

  test('setPackageOrigin sets publish and upstream restrictions', async () => {
    await seedGeneric(domain, 'app', 'origin', ['1.0.0']);
    await vscode.commands.executeCommand('codeartifact.setPackageOrigin', { ...pkg('origin'), publish: 'BLOCK', upstream: 'ALLOW' });
    const d = await sdk.send(new DescribePackageCommand({ domain, repository: 'app', format: 'generic', namespace: 'gov', package: 'origin' }));
    assert.deepEqual(d.package?.originConfiguration?.restrictions, { publish: 'BLOCK', upstream: 'ALLOW' });
    assert.match(await rejection('codeartifact.setPackageOrigin', { ...pkg('origin'), publish: 'MAYBE', upstream: 'ALLOW' }), /"MAYBE" is not a valid "publish"/);
  });

  test('package groups: create, restrict with allowed repositories, show in the tree, delete only with confirm', async () => {
    const pattern = '/generic/gov/*';
    assert.match(await rejection('codeartifact.createPackageGroup', { domain, packageGroup: 'generic/gov' }), /"packageGroup".*starts with "\/"/);
    await vscode.commands.executeCommand('codeartifact.createPackageGroup', { domain, packageGroup: pattern, description: 'governed', contactInfo: 'ops@example.com' });
    const created = await sdk.send(new DescribePackageGroupCommand({ domain, packageGroup: pattern }));
    assert.equal(created.packageGroup?.description, 'governed');
    assert.equal(created.packageGroup?.contactInfo, 'ops@example.com');

    await vscode.commands.executeCommand('codeartifact.setPackageGroupOrigin', {
      domain,
      packageGroup: pattern,
      restrictions: { PUBLISH: 'ALLOW_SPECIFIC_REPOSITORIES', EXTERNAL_UPSTREAM: 'BLOCK' },
      allowedRepositories: { PUBLISH: ['release', 'app'] },
    });
    const restricted = await sdk.send(new DescribePackageGroupCommand({ domain, packageGroup: pattern }));
    assert.equal(restricted.packageGroup?.originConfiguration?.restrictions?.PUBLISH?.mode, 'ALLOW_SPECIFIC_REPOSITORIES');
    assert.equal(restricted.packageGroup?.originConfiguration?.restrictions?.EXTERNAL_UPSTREAM?.mode, 'BLOCK');
    const allowed = await sdk.send(new ListAllowedRepositoriesForGroupCommand({ domain, packageGroup: pattern, originRestrictionType: 'PUBLISH' }));
    assert.deepEqual(allowed.allowedRepositories?.sort(), ['app', 'release']);
    assert.match(
      await rejection('codeartifact.setPackageGroupOrigin', { domain, packageGroup: pattern, restrictions: { PUBLISH: 'SOMETIMES' } }),
      /"restrictions.PUBLISH" is "SOMETIMES"; use ALLOW, BLOCK, ALLOW_SPECIFIC_REPOSITORIES, INHERIT/,
    );

    // The tree: Package groups under the domain, /* at the top, the new group under it with its restrictions.
    api.explorer.refresh();
    const dom = await child(undefined, domain);
    const groupsRow = await child(dom, 'Package groups');
    await resetEmulatorStats();
    const tops = await api.explorer.getChildren(groupsRow);
    const stats = await emulatorStats();
    assert.deepEqual(Object.keys(stats), ['ListPackageGroups'], `the Package groups row costs only ListPackageGroups: ${JSON.stringify(stats)}`);
    assert.deepEqual(tops.map(label), ['/*']);
    const row = await child(tops[0], pattern);
    assert.match(description(row), /PUBLISH ALLOW 2 repos · EXTERNAL_UPSTREAM BLOCK · governed/);

    // Inherited restrictions are marked as such on a subgroup.
    await vscode.commands.executeCommand('codeartifact.createPackageGroup', { domain, packageGroup: '/generic/gov/promo$' });
    await vscode.commands.executeCommand('codeartifact.setPackageGroupOrigin', { domain, packageGroup: '/generic/gov/promo$', restrictions: { EXTERNAL_UPSTREAM: 'INHERIT' } });
    api.explorer.refresh();
    const sub = await child(await child((await api.explorer.getChildren(await child(await child(undefined, domain), 'Package groups')))[0], pattern), '/generic/gov/promo$');
    assert.match(description(sub), /EXTERNAL_UPSTREAM BLOCK \(inherited\)/);
    const associated = (await api.explorer.getChildren(sub)).map(label);
    assert.deepEqual(associated, ['gov/promo']);

    assert.match(await rejection('codeartifact.deletePackageGroup', { domain, packageGroup: '/generic/gov/promo$' }), /Nothing was deleted/);
    await sdk.send(new DescribePackageGroupCommand({ domain, packageGroup: '/generic/gov/promo$' }));
    await vscode.commands.executeCommand('codeartifact.deletePackageGroup', { domain, packageGroup: '/generic/gov/promo$', confirm: true });
    await assert.rejects(sdk.send(new DescribePackageGroupCommand({ domain, packageGroup: '/generic/gov/promo$' })), (e: Error) => e.name === 'ResourceNotFoundException');
  });

  test('publishGenericPackage publishes each file as an asset with its SHA-256; downloadAsset gets the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ca-generic-'));
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const small = Buffer.from('release notes\n');
    writeFileSync(join(dir, 'tool.bin'), big);
    writeFileSync(join(dir, 'NOTES.txt'), small);
    const result = await vscode.commands.executeCommand<{ status: string; assets: { name: string; sha256: string }[] }>('codeartifact.publishGenericPackage', {
      domain,
      repository: 'app',
      namespace: 'gov',
      package: 'tool',
      version: '1.0.0',
      files: [join(dir, 'tool.bin'), join(dir, 'NOTES.txt')],
    });
    assert.equal(result.status, 'Published');
    const listed = await sdk.send(
      new ListPackageVersionAssetsCommand({ domain, repository: 'app', format: 'generic', namespace: 'gov', package: 'tool', packageVersion: '1.0.0' }),
    );
    assert.deepEqual((listed.assets ?? []).map((a) => [a.name, a.size, a.hashes?.['SHA-256']]).sort(), [
      ['NOTES.txt', small.length, sha256(small)],
      ['tool.bin', big.length, sha256(big)],
    ]);
    const version = await sdk.send(new DescribePackageVersionCommand({ domain, repository: 'app', format: 'generic', namespace: 'gov', package: 'tool', packageVersion: '1.0.0' }));
    assert.equal(version.packageVersion?.status, 'Published');

    const target = join(dir, 'downloaded.bin');
    const got = await vscode.commands.executeCommand<{ size: number; sha256: string }>('codeartifact.downloadAsset', {
      domain,
      repository: 'app',
      format: 'generic',
      namespace: 'gov',
      package: 'tool',
      version: '1.0.0',
      asset: 'tool.bin',
      target,
    });
    assert.ok(readFileSync(target).equals(big), 'the downloaded file is byte for byte the published one');
    assert.equal(got.sha256, sha256(big));
    assert.match(await rejection('codeartifact.publishGenericPackage', { domain, repository: 'app', namespace: 'gov', package: 'tool', version: '2.0.0', files: [] }), /"files"/);
  });

  test('a copied package appears under the destination repository once its Packages row is reloaded by the command', async () => {
    api.explorer.refresh();
    const release = await child(await child(undefined, domain), 'release');
    const packagesRow = await child(release, 'Packages');
    const before = (await api.explorer.getChildren(packagesRow)).map(label);
    await seedGeneric(domain, 'app', 'later', ['1.0.0']);
    await vscode.commands.executeCommand('codeartifact.copyPackageVersions', copyArgs('later', ['1.0.0']));
    const after = (await api.explorer.getChildren(packagesRow)).map(label);
    assert.ok(!before.includes('gov/later') && after.includes('gov/later'), `before: ${before.join(', ')}; after: ${after.join(', ')}`);
    const listed = await sdk.send(new ListPackagesCommand({ domain, repository: 'release' }));
    assert.ok(listed.packages?.some((p) => p.package === 'later'));
  });

  test('a group made with EXTERNAL_UPSTREAM: BLOCK makes install-with-retry name a matching npm package as blocked after one attempt', async () => {
    const fresh = await freshRepository(['public:npmjs']);
    await vscode.commands.executeCommand('codeartifact.createPackageGroup', { domain: fresh.domain, packageGroup: '/npm//is-even$' });
    await vscode.commands.executeCommand('codeartifact.setPackageGroupOrigin', {
      domain: fresh.domain,
      packageGroup: '/npm//is-even$',
      restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' },
    });
    await loggedIn({ domain: fresh.domain, repository: fresh.repository, tools: ['npm'] });
    const dir = mkdtempSync(join(tmpdir(), 'ca-blocked-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'demo', version: '1.0.0', private: true, dependencies: { 'is-even': '1.0.0' } }));
    const r = await vscode.commands.executeCommand<InstallRunResult>('codeartifact.installWithRetry', { folder: dir, maxWaitSeconds: 60, prewarm: false });
    assert.equal(r.outcome, 'blocked', r.message);
    assert.equal(r.attempts, 1);
    assert.match(r.message, /is-even is blocked: the package group \/npm\/\/is-even\$ sets EXTERNAL_UPSTREAM=BLOCK/);
  });

  test('tree: repository tags on hover, the policy as a read-only document, Archived dimmed, the package group on hover', async () => {
    await seedGeneric(domain, 'app', 'shown', ['1.0.0', '2.0.0']);
    await vscode.commands.executeCommand('codeartifact.setPackageVersionStatus', { ...pkg('shown'), versions: ['1.0.0'], status: 'Archived' });
    const arn = (await sdk.send(new DescribeRepositoryCommand({ domain, repository: 'app' }))).repository!.arn!;
    await sdk.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'team', value: 'platform' }] }));
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'readers', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['codeartifact:ReadFromRepository'], Resource: '*' }],
    };
    await sdk.send(new PutRepositoryPermissionsPolicyCommand({ domain, repository: 'app', policyDocument: JSON.stringify(policy) }));

    api.explorer.refresh();
    const app = await child(await child(undefined, domain), 'app');
    const resolved = await api.explorer.resolveTreeItem(api.explorer.getTreeItem(app), app);
    assert.match((resolved.tooltip as vscode.MarkdownString).value, /Tags: `team=platform`/);

    const policyRow = await child(app, 'Permissions policy');
    const open = api.explorer.getTreeItem(policyRow).command!;
    const uri = await vscode.commands.executeCommand<string>(open.command, ...(open.arguments ?? []));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)!;
    assert.equal(doc.uri.scheme, 'codeartifact-policy', 'a virtual document, not a file');
    assert.deepEqual(JSON.parse(doc.getText()), policy);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    const shown = await child(await child(app, 'Packages'), 'gov/shown');
    const versions = await api.explorer.getChildren(shown);
    const icon = (n: ExplorerNode) => api.explorer.getTreeItem(n).iconPath as vscode.ThemeIcon;
    const archived = versions.find((v) => label(v) === '1.0.0')!;
    assert.match(description(archived), /Archived/);
    assert.equal((icon(archived).color as unknown as { id: string } | undefined)?.id, 'disabledForeground');
    assert.equal(icon(versions.find((v) => label(v) === '2.0.0')!).color, undefined);

    const hovered = await api.explorer.resolveTreeItem(api.explorer.getTreeItem(shown), shown);
    assert.match((hovered.tooltip as vscode.MarkdownString).value, /Package group: `\/generic\/gov\/\*` — PUBLISH ALLOW_SPECIFIC_REPOSITORIES, EXTERNAL_UPSTREAM BLOCK/);
  });

  test('showPackageVersion opens a details editor with the readme rendered, a dependency link, status and assets', async () => {
    const shown = await vscode.commands.executeCommand<{ title: string; html: string }>('codeartifact.showPackageVersion', {
      domain: 'acme',
      repository: 'app',
      format: 'npm',
      namespace: 'acme',
      package: 'ui',
      version: '1.0.0',
    });
    assert.equal(shown.title, '@acme/ui@1.0.0');
    assert.match(shown.html, /Buttons and <strong>forms<\/strong> for Acme apps\./, 'the readme is rendered as HTML');
    assert.match(shown.html, /<a href="#" class="dep" data-index="0">left-pad<\/a>/);
    assert.match(shown.html, /<th>Status<\/th><td>Published<\/td>/);
    assert.match(shown.html, /Content-Security-Policy" content="default-src 'none';/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('dropping version rows on a repository row copies them there, only once confirmed (a simulated drop)', async () => {
    await seedGeneric(domain, 'app', 'dragged', ['1.0.0', '2.0.0']);
    api.explorer.refresh();
    const dom = await child(undefined, domain);
    const app = await child(dom, 'app');
    const release = await child(dom, 'release');
    const dragged = await child(await child(app, 'Packages'), 'gov/dragged');
    const v1 = await child(dragged, '1.0.0');
    const drop = async (args: Record<string, unknown>) => {
      const dt = new vscode.DataTransfer();
      api.dragAndDrop.handleDrag([v1], dt);
      dt.set('application/vnd.codeartifact.drop-arguments', new vscode.DataTransferItem(args));
      await api.dragAndDrop.handleDrop(release, dt);
    };
    await assert.rejects(drop({}), /Nothing was copied/);
    const none = await sdk.send(new ListPackagesCommand({ domain, repository: 'release', packagePrefix: 'dragged' }));
    assert.equal(none.packages?.length ?? 0, 0, 'an unconfirmed drop copies nothing');
    await drop({ confirm: true });
    assert.deepEqual(await statuses(domain, 'release', 'dragged'), { '1.0.0': 'Published' });
    assert.deepEqual(
      api.dragAndDrop.lastDrop.map((o) => o.succeeded.map((x) => x.version)),
      [['1.0.0']],
    );
  });

  test('showDomainMap draws every repository and the external connection as nodes, with a strict CSP', async () => {
    const shown = await vscode.commands.executeCommand<{ title: string; html: string; nodes: string[] }>('codeartifact.showDomainMap', { domain });
    assert.deepEqual([...shown.nodes].sort(), ['app', 'npmjs-store', 'public:npmjs', 'release']);
    for (const name of ['app', 'npmjs-store', 'release']) assert.match(shown.html, new RegExp(`data-name="${name}" data-kind="repository"`));
    assert.match(shown.html, /data-name="public:npmjs" data-kind="external"/);
    assert.match(shown.html, /Package-group restrictions:\n\/generic\/gov\/\*: PUBLISH ALLOW_SPECIFIC_REPOSITORIES, EXTERNAL_UPSTREAM BLOCK/);
    assert.match(shown.html, /Content-Security-Policy" content="default-src 'none';/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
