// codeartifact.checkDependencies inside real VS Code against the emulator: a fresh domain seeded through the real
// SDK and data plane (a version fetched through app, one fetched through the store only, one never fetched, one no
// source has, one blocked by a package group, one archived), an npm and a Maven project using them; the statuses
// with and without probe, and the diagnostics on the dependency's own line of package.json and pom.xml.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeartifactClient,
  CreatePackageGroupCommand,
  GetAuthorizationTokenCommand,
  GetRepositoryEndpointCommand,
  UpdatePackageGroupOriginConfigurationCommand,
  UpdatePackageVersionsStatusCommand,
} from '@aws-sdk/client-codeartifact';
import * as vscode from 'vscode';
import type { DependencyResult } from '../../../src/core/deps/check';
import { activatedExtension, emulatorAdmin, emulatorUrl, freshRepository, loggedOut, resetSettings } from '../helpers';

const PACKAGE_JSON = `{
  "name": "deps-demo",
  "version": "1.0.0",
  "dependencies": {
    "left-pad": "1.3.0",
    "is-even": "1.0.0",
    "pad-utils": "2.0.0",
    "no-such-package": "1.0.0",
    "tree-node-150": "1.0.0",
    "tree-node-000": "1.0.0"
  }
}
`;

const dep = (g: string, a: string, v: string) =>
  `    <dependency>\n      <groupId>${g}</groupId>\n      <artifactId>${a}</artifactId>\n      <version>${v}</version>\n    </dependency>\n`;
const POM_XML = `<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.demo</groupId>
  <artifactId>demo</artifactId>
  <version>1.0</version>
  <dependencies>
${dep('org.example', 'greeter', '1.0.0')}${dep('org.example', 'strings', '1.2.0')}${dep('org.codehaus.plexus', 'plexus-utils', '1.1')}${dep('org.acme', 'nowhere', '1.0')}  </dependencies>
</project>
`;

/** 0-based line of the first line of `text` containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} is not in the file`);
  return i;
}

function statuses(rs: DependencyResult[]): Record<string, string> {
  return Object.fromEntries(rs.map((r) => [r.name, r.status]));
}

suite('dependencies', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  let domain: string;
  let folder: string;
  const sdk = new CodeartifactClient({ endpoint: emulatorUrl(), region: 'us-west-2', maxAttempts: 1 });

  /** GETs a version through a repository's endpoint (as a package manager would), so the repository holds it. */
  async function fetchThrough(repository: string, format: 'npm' | 'maven', path: string): Promise<void> {
    const { repositoryEndpoint } = await sdk.send(new GetRepositoryEndpointCommand({ domain, repository, format }));
    const { authorizationToken } = await sdk.send(new GetAuthorizationTokenCommand({ domain }));
    const auth = format === 'npm' ? `Bearer ${authorizationToken}` : `Basic ${Buffer.from(`aws:${authorizationToken}`).toString('base64')}`;
    const res = await fetch(`${repositoryEndpoint}${path}`, { headers: { Authorization: auth } });
    assert.equal(res.status, 200, `GET ${path} through ${repository}`);
    await res.arrayBuffer();
  }

  suiteSetup(async () => {
    await activatedExtension();
    await loggedOut();
    await resetSettings();
    ({ domain } = await freshRepository(['public:npmjs', 'public:maven-central']));
    await Promise.all([
      fetchThrough('app', 'npm', 'left-pad/-/left-pad-1.3.0.tgz'),
      fetchThrough('app', 'npm', 'tree-node-000/-/tree-node-000-1.0.0.tgz'),
      fetchThrough('npmjs-store', 'npm', 'is-even/-/is-even-1.0.0.tgz'),
      fetchThrough('app', 'maven', 'org/example/greeter/1.0.0/greeter-1.0.0.pom'),
      fetchThrough('app', 'maven', 'org/example/strings/1.2.0/strings-1.2.0.pom'),
    ]);
    for (const [format, namespace, pkg, version] of [
      ['npm', undefined, 'tree-node-000', '1.0.0'],
      ['maven', 'org.example', 'strings', '1.2.0'],
    ] as const) {
      await sdk.send(new UpdatePackageVersionsStatusCommand({ domain, repository: 'app', format, namespace, package: pkg, versions: [version], targetStatus: 'Archived' }));
    }
    await sdk.send(new CreatePackageGroupCommand({ domain, packageGroup: '/npm//tree-node-150$' }));
    await sdk.send(
      new UpdatePackageGroupOriginConfigurationCommand({
        domain,
        packageGroup: '/npm//tree-node-150$',
        restrictions: { EXTERNAL_UPSTREAM: 'BLOCK' },
      }),
    );
    folder = mkdtempSync(join(tmpdir(), 'deps-'));
    dirs.push(folder);
    writeFileSync(join(folder, 'package.json'), PACKAGE_JSON);
    writeFileSync(join(folder, 'pom.xml'), POM_XML);
    await vscode.workspace.getConfiguration('codeartifact').update('repository', { domain, repository: 'app' }, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await emulatorAdmin('settings', { ingestionDelayMs: 2000, ingestionTimeoutMs: 40000 });
    await resetSettings();
    sdk.destroy();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('checkDependencies: each case has its status, and diagnostics sit on the dependency lines', async () => {
    const rs = await vscode.commands.executeCommand<DependencyResult[]>('codeartifact.checkDependencies', { folder });
    assert.deepEqual(statuses(rs), {
      'left-pad': 'available',
      'is-even': 'available',
      'pad-utils': 'not-ingested',
      'no-such-package': 'not-ingested',
      'tree-node-150': 'blocked',
      'tree-node-000': 'archived',
      greeter: 'available',
      strings: 'archived',
      'plexus-utils': 'not-ingested',
      nowhere: 'not-ingested',
    });
    assert.equal(rs.find((r) => r.name === 'is-even')!.repository, 'npmjs-store');
    assert.deepEqual(
      rs.find((r) => r.name === 'greeter'),
      {
        format: 'maven',
        namespace: 'org.example',
        name: 'greeter',
        version: '1.0.0',
        status: 'available',
        detail: rs.find((r) => r.name === 'greeter')!.detail,
        repository: 'app',
      },
    );

    const pkg = vscode.languages.getDiagnostics(vscode.Uri.file(join(folder, 'package.json')));
    const at = (list: vscode.Diagnostic[]) => list.map((d) => `${d.range.start.line} ${d.code} ${vscode.DiagnosticSeverity[d.severity]} ${d.source}`).sort();
    assert.deepEqual(
      at(pkg),
      [
        `${lineOf(PACKAGE_JSON, '"pad-utils"')} not-ingested Information CodeArtifact`,
        `${lineOf(PACKAGE_JSON, '"no-such-package"')} not-ingested Information CodeArtifact`,
        `${lineOf(PACKAGE_JSON, '"tree-node-150"')} blocked Error CodeArtifact`,
        `${lineOf(PACKAGE_JSON, '"tree-node-000"')} archived Warning CodeArtifact`,
      ].sort(),
    );
    const pom = vscode.languages.getDiagnostics(vscode.Uri.file(join(folder, 'pom.xml')));
    assert.deepEqual(
      at(pom),
      [
        `${lineOf(POM_XML, '<artifactId>strings<')} archived Warning CodeArtifact`,
        `${lineOf(POM_XML, '<artifactId>plexus-utils<')} not-ingested Information CodeArtifact`,
        `${lineOf(POM_XML, '<artifactId>nowhere<')} not-ingested Information CodeArtifact`,
      ].sort(),
    );
  });

  test('with probe the data plane tells ingesting from missing, and the diagnostics follow', async () => {
    // Ingestion outlasts the probe's wait: a version on its way in is "ingesting".
    await emulatorAdmin('settings', { ingestionDelayMs: 8000, ingestionTimeoutMs: 40000 });
    const rs = await vscode.commands.executeCommand<DependencyResult[]>('codeartifact.checkDependencies', { folder, probe: true });
    assert.deepEqual(statuses(rs), {
      'left-pad': 'available',
      'is-even': 'available',
      'pad-utils': 'ingesting',
      'no-such-package': 'missing',
      'tree-node-150': 'blocked',
      'tree-node-000': 'archived',
      greeter: 'available',
      strings: 'archived',
      'plexus-utils': 'ingesting',
      nowhere: 'missing',
    });
    const pkg = vscode.languages.getDiagnostics(vscode.Uri.file(join(folder, 'package.json')));
    const missing = pkg.find((d) => d.code === 'missing');
    assert.equal(missing?.range.start.line, lineOf(PACKAGE_JSON, '"no-such-package"'));
    assert.equal(missing?.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(pkg.find((d) => d.range.start.line === lineOf(PACKAGE_JSON, '"pad-utils"'))?.code, 'ingesting');
  });

  test('a hover on a dependency shows its status, the versions newest first with their origin, and its package group', async () => {
    await vscode.commands.executeCommand('codeartifact.checkDependencies', { folder });
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder, 'package.json')));
    const line = lineOf(PACKAGE_JSON, '"left-pad"');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 6));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*left-pad@1\.3\.0\*\*: `available`/);
    assert.match(text, /Versions in app, newest first:\s+- 1\.3\.0 \(Published, EXTERNAL via public:npmjs\)/);
    assert.match(text, /Package group: `\/\*`/);
    const blocked = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(lineOf(PACKAGE_JSON, '"tree-node-150"'), 6));
    const blockedText = blocked.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(blockedText, /`blocked`/);
    assert.match(blockedText, /Package group: `\/npm\/\/tree-node-150\$`/);
  });

  test('a bad argument names the key', async () => {
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('codeartifact.checkDependencies', { folder, probe: 'yes' })), /"probe" must be true or false/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('codeartifact.checkDependencies', {})), /folder/);
  });
});
