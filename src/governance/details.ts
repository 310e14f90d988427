// codeartifact.showPackageVersion: a details editor (webview) for one package version: status, origin, licenses,
// source control, the readme rendered, the dependencies (each a link that reveals the package in the tree, or
// says it is not in this repository) and the assets with size and hashes. Strict CSP: one nonce'd script.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { AssetSummary, PackageDependency, PackageVersionDescription } from '@aws-sdk/client-codeartifact';
import type { CodeArtifact, RepositoryPackageRef } from '../core/aws/client';
import { describeProblem } from '../core/aws/errors';
import { humanSize } from '../core/aws/names';
import { packageDisplayName } from '../core/coordinates';
import * as gov from '../core/aws/governance';
import type { ExplorerCommandDeps } from '../explorer/commands/deps';
import { askPackage, nameOf } from './ask';

const escape = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Details {
  ref: RepositoryPackageRef;
  version: string;
  description: PackageVersionDescription;
  readmeHtml?: string;
  dependencies: PackageDependency[];
  assets: AssetSummary[];
}

async function load(ca: CodeArtifact, ref: RepositoryPackageRef, version: string): Promise<Details> {
  const [description, readme, dependencies, assets] = await Promise.all([
    gov.describeVersion(ca, ref, version),
    gov.versionReadme(ca, ref, version).catch(() => undefined),
    gov.versionDependencies(ca, ref, version).then(
      (p) => p.items,
      () => [],
    ),
    ca.listPackageVersionAssets(ref, version, undefined, 1000).then((p) => p.items),
  ]);
  const readmeHtml = readme ? await vscode.commands.executeCommand<string>('markdown.api.render', readme).then(undefined, () => `<pre>${escape(readme)}</pre>`) : undefined;
  return { ref, version, description, readmeHtml, dependencies, assets };
}

function html(d: Details, webview: vscode.Webview): string {
  const nonce = randomBytes(16).toString('base64');
  const v = d.description;
  const origin = v.origin?.originType
    ? `${v.origin.originType}${v.origin.domainEntryPoint?.externalConnectionName ? ` via ${v.origin.domainEntryPoint.externalConnectionName}` : ''}`
    : '';
  const facts = [
    ['Status', v.status],
    ['Origin', origin],
    ['Published', v.publishedTime?.toISOString()],
    ['Licenses', (v.licenses ?? []).map((l) => l.name ?? l.url).join(', ')],
    ['Source control', v.sourceCodeRepository],
    ['Home page', v.homePage],
    ['Revision', v.revision],
  ].filter(([, x]) => x);
  const deps = d.dependencies
    .map(
      (dep, i) =>
        `<li><a href="#" class="dep" data-index="${i}">${escape(packageDisplayName(d.ref.format, dep.namespace, dep.package!))}</a> <span class="muted">${escape(dep.versionRequirement)} ${escape(dep.dependencyType)}</span> <span class="note" id="note-${i}"></span></li>`,
    )
    .join('');
  const assets = d.assets
    .map(
      (a) =>
        `<tr><td>${escape(a.name)}</td><td>${escape(humanSize(a.size))}</td><td><code>${Object.entries(a.hashes ?? {})
          .map(([k, h]) => `${escape(k)}: ${escape(h)}`)
          .join('<br>')}</code></td></tr>`,
    )
    .join('');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} https: data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); padding: 0 1.5em; }
a { color: var(--vscode-textLink-foreground); } .muted, .note { color: var(--vscode-descriptionForeground); }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid var(--vscode-panel-border); padding: 4px 8px; text-align: left; vertical-align: top; }
.readme { border-top: 1px solid var(--vscode-panel-border); margin-top: 1em; }
</style></head><body>
<h1>${escape(nameOf(d.ref))}@${escape(d.version)}</h1>
<p class="muted">${escape(d.ref.format)} · ${escape(d.ref.domain)}/${escape(d.ref.repository)}${v.summary ? ` · ${escape(v.summary)}` : ''}</p>
<table>${facts.map(([k, x]) => `<tr><th>${escape(k)}</th><td>${escape(x)}</td></tr>`).join('')}</table>
<h2>Dependencies</h2>${deps ? `<ul>${deps}</ul>` : '<p class="muted">None listed.</p>'}
<h2>Assets</h2>${assets ? `<table><tr><th>Name</th><th>Size</th><th>Hashes</th></tr>${assets}</table>` : '<p class="muted">None.</p>'}
<div class="readme"><h2>Readme</h2>${d.readmeHtml ?? '<p class="muted">No readme.</p>'}</div>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
for (const a of document.querySelectorAll('a.dep')) a.addEventListener('click', (e) => { e.preventDefault(); vscode.postMessage({ type: 'reveal', index: Number(a.dataset.index) }); });
window.addEventListener('message', (e) => { const m = e.data; if (m.type === 'note') document.getElementById('note-' + m.index).textContent = m.text; });
</script></body></html>`;
}

export function registerDetailsCommands({ commands, connection, provider, treeView }: ExplorerCommandDeps): void {
  const client = () => connection.client();
  commands.register('codeartifact.showPackageVersion', async ({ ui }, node) => {
    const { ref } = await askPackage(ui, client, node, 'Show a version of…');
    const version =
      node?.kind === 'version' ? node.summary.version! : await ui.input('version', { title: `Version of ${nameOf(ref)}`, validate: (t) => (t ? undefined : 'Give a version') });
    const details = await load(await client(), ref, version);
    const panel = vscode.window.createWebviewPanel('codeartifact.packageVersion', `${nameOf(ref)}@${version}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
    });
    panel.webview.html = html(details, panel.webview);
    panel.webview.onDidReceiveMessage(async (m: { type?: string; index?: number }) => {
      const dep = m.type === 'reveal' && typeof m.index === 'number' ? details.dependencies[m.index] : undefined;
      if (!dep) return;
      const depRef: RepositoryPackageRef = { ...ref, namespace: dep.namespace, name: dep.package! };
      const text = await revealPackage(depRef).catch((e: unknown) => describeProblem(e, connection.problemContext()).message);
      void panel.webview.postMessage({ type: 'note', index: m.index, text });
    });
    return { title: panel.title, html: panel.webview.html };
  });

  /** Shows the package's row: the repository's Packages row filtered to its name, then the row selected. */
  async function revealPackage(depRef: RepositoryPackageRef): Promise<string> {
    const ca = await client();
    const found = await ca.describePackage(depRef).then(
      () => true,
      (e: unknown) => (describeProblem(e).kind === 'notFound' ? false : Promise.reject(e)),
    );
    if (!found) return `— not in ${depRef.repository}`;
    const row = await provider.revealablePackage(depRef);
    if (!row) return `— in ${depRef.repository}, not loaded in the tree`;
    await treeView.reveal(row, { select: true, focus: true, expand: false });
    return '';
  }
}
