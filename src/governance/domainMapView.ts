// codeartifact.showDomainMap: the domain drawn as a graph in a webview (repositories, upstream edges numbered in
// their order, external connections as their own nodes, package-group restrictions on hover). Laid out in the
// extension (core/domainMap, dagre bundled) and sent as SVG; strict CSP, theme colours; a click reveals the
// repository in the tree; a refresh of the explorer redraws it.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { loadDomainMap, type DomainMap } from '../core/domainMap';
import { describeProblem } from '../core/aws/errors';
import { UserError } from '../commands/ui';
import type { ExplorerCommandDeps } from '../explorer/commands/deps';
import { askDomain } from './ask';

const escape = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function svg(map: DomainMap): string {
  const edges = map.edges
    .map((e) => {
      const d = e.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
      const mid = e.points[Math.floor(e.points.length / 2)];
      const label = e.order !== undefined && mid ? `<text class="order" x="${mid.x + 4}" y="${mid.y}">${e.order}</text>` : '';
      return `<path class="edge${e.order === undefined ? ' external' : ''}" d="${d}" marker-end="url(#arrow)"/>${label}`;
    })
    .join('');
  const nodes = map.nodes
    .map(
      (n) =>
        `<g class="node ${n.kind}" data-name="${escape(n.label)}" data-kind="${n.kind}" transform="translate(${(n.x - n.width / 2).toFixed(1)},${(n.y - n.height / 2).toFixed(1)})"><title>${escape(n.title)}</title><rect width="${n.width}" height="${n.height}" rx="${n.kind === 'external' ? 20 : 4}"/><text x="${n.width / 2}" y="${n.height / 2 + 4}">${escape(n.label)}</text></g>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${map.width}" height="${map.height}" viewBox="0 0 ${map.width} ${map.height}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>${edges}${nodes}</svg>`;
}

function page(map: DomainMap | undefined, error: string | undefined): string {
  const nonce = randomBytes(16).toString('base64');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<style nonce="${nonce}">
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); }
.node rect { fill: var(--vscode-editorWidget-background); stroke: var(--vscode-focusBorder); }
.node.external rect { stroke: var(--vscode-charts-green); stroke-dasharray: 4 2; }
.node text { fill: var(--vscode-foreground); text-anchor: middle; font-size: 12px; }
.node { cursor: pointer; } .node:hover rect { fill: var(--vscode-list-hoverBackground); }
.edge { fill: none; stroke: var(--vscode-descriptionForeground); } .edge.external { stroke-dasharray: 4 3; }
marker path { fill: var(--vscode-descriptionForeground); } .order { fill: var(--vscode-descriptionForeground); font-size: 11px; }
.error { color: var(--vscode-errorForeground); }
</style></head><body>
${error ? `<p class="error">${escape(error)}</p>` : ''}${map ? `<p>${escape(map.domain)}: ${map.nodes.filter((n) => n.kind === 'repository').length} repositories</p>${svg(map)}` : ''}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
for (const g of document.querySelectorAll('g.node.repository')) g.addEventListener('click', () => vscode.postMessage({ type: 'reveal', repository: g.dataset.name }));
</script></body></html>`;
}

export function registerDomainMapCommands({ commands, connection, provider, treeView }: ExplorerCommandDeps): void {
  const client = () => connection.client();
  commands.register('codeartifact.showDomainMap', async ({ ui, log }, node) => {
    const domain = await askDomain(ui, client, node, 'Show the map of…');
    const panel = vscode.window.createWebviewPanel('codeartifact.domainMap', `Domain map: ${domain.domain}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [],
    });
    let drawn: DomainMap | undefined;
    const draw = async () => {
      const started = performance.now();
      try {
        drawn = await loadDomainMap(await client(), domain);
        panel.webview.html = page(drawn, undefined);
        log.info(`Domain map of ${domain.domain}: ${drawn.nodes.length} nodes in ${Math.round(performance.now() - started)} ms`);
      } catch (e) {
        panel.webview.html = page(drawn, describeProblem(e, connection.problemContext()).message);
      }
    };
    await draw();
    // A full refresh of the explorer (its root) redraws the map.
    const sub = provider.onDidChangeTreeData((n) => n === undefined && void draw());
    panel.onDidDispose(() => sub.dispose());
    panel.webview.onDidReceiveMessage(async (m: { type?: string; repository?: string }) => {
      if (m.type !== 'reveal' || !m.repository) return;
      try {
        const row = await provider.revealableRepository(domain, m.repository);
        if (!row) throw new UserError(`Repository ${m.repository} is not in the tree.`);
        await treeView.reveal(row, { select: true, focus: true, expand: false });
      } catch (e) {
        void vscode.window.showErrorMessage(e instanceof UserError ? e.message : describeProblem(e).message);
      }
    });
    return { title: panel.title, html: panel.webview.html, nodes: drawn?.nodes.map((n) => n.label) ?? [] };
  });
}
