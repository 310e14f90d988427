// The graph of a domain for the domain map: repositories, their upstream edges in order, external connections
// as their own nodes, and the package groups whose restrictions apply. Reads one ListRepositoriesInDomain per
// page, at most one DescribeRepository per repository with 8 in flight, and the ListPackageGroups pages; lays
// the graph out with dagre (bundled: no network at run time). Plain Node: no `vscode`.
import { Graph, layout } from '@dagrejs/dagre';
import type { RepositoryDescription } from '@aws-sdk/client-codeartifact';
import type { CodeArtifact, DomainRef } from './aws/client';
import { listPackageGroups } from './aws/governance';
import { RESTRICTION_TYPES } from './packageGroupPattern';

const IN_FLIGHT = 8;
const MAX_PAGES = 50;

export interface MapNode {
  id: string;
  kind: 'repository' | 'external';
  label: string;
  /** Hover text: description, upstream order, restrictions. */
  title: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface MapEdge {
  from: string;
  to: string;
  /** 1-based upstream order; undefined for an external connection. */
  order?: number;
  points: { x: number; y: number }[];
}
export interface DomainMap {
  domain: string;
  nodes: MapNode[];
  edges: MapEdge[];
  width: number;
  height: number;
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of results. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  });
  await Promise.all(runners);
  return out;
}

export async function loadDomainMap(ca: CodeArtifact, ref: DomainRef): Promise<DomainMap> {
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await ca.listRepositoriesInDomain(ref, token, 1000);
    names.push(...page.items.map((r) => r.name!));
    token = page.nextToken;
  } while (token && ++pages < MAX_PAGES);
  const restrictionsP = groupRestrictions(ca, ref);
  const described = await pool(names, IN_FLIGHT, (repository) => ca.describeRepository({ ...ref, repository }));
  return layoutMap(ref.domain, described, await restrictionsP);
}

/** One line per package group with a restriction other than ALLOW (shown on hover of every repository). */
async function groupRestrictions(ca: CodeArtifact, ref: DomainRef): Promise<string[]> {
  const lines: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await listPackageGroups(ca, ref, token, 100);
    for (const g of page.items) {
      const all = g.originConfiguration?.restrictions ?? {};
      const r = RESTRICTION_TYPES.filter((type) => all[type]?.mode && all[type]?.mode !== 'ALLOW' && all[type]?.mode !== 'INHERIT');
      if (r.length) lines.push(`${g.pattern}: ${r.map((type) => `${type} ${all[type]?.mode}`).join(', ')}`);
    }
    token = page.nextToken;
  } while (token && ++pages < MAX_PAGES);
  return lines;
}

const WIDTH = 170;
const HEIGHT = 40;

/** Lays the repositories out top-down: a repository above its upstreams, external connections at the bottom. */
export function layoutMap(domain: string, repositories: RepositoryDescription[], restrictions: string[]): DomainMap {
  const g = new Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 60, marginx: 20, marginy: 20, ranker: 'longest-path' });
  g.setDefaultEdgeLabel(() => ({}));
  const titles = new Map<string, { kind: MapNode['kind']; label: string; title: string }>();
  const restricted = restrictions.length ? `\nPackage-group restrictions:\n${restrictions.join('\n')}` : '';
  for (const r of repositories) {
    const ups = (r.upstreams ?? []).map((u, i) => `${i + 1}. ${u.repositoryName}`).join('\n');
    titles.set(`repo:${r.name}`, { kind: 'repository', label: r.name!, title: [r.name, r.description, ups ? `Upstreams:\n${ups}` : ''].filter(Boolean).join('\n') + restricted });
    g.setNode(`repo:${r.name}`, { width: WIDTH, height: HEIGHT });
  }
  const edges: Omit<MapEdge, 'points'>[] = [];
  for (const r of repositories) {
    (r.upstreams ?? []).forEach((u, i) => {
      if (!titles.has(`repo:${u.repositoryName}`)) return;
      edges.push({ from: `repo:${r.name}`, to: `repo:${u.repositoryName}`, order: i + 1 });
    });
    for (const c of r.externalConnections ?? []) {
      const id = `ext:${c.externalConnectionName}`;
      if (!titles.has(id)) {
        titles.set(id, { kind: 'external', label: c.externalConnectionName!, title: `External connection ${c.externalConnectionName} (${c.packageFormat ?? '?'})` });
        g.setNode(id, { width: WIDTH, height: HEIGHT });
      }
      edges.push({ from: `repo:${r.name}`, to: id });
    }
  }
  for (const e of edges) g.setEdge(e.from, e.to);
  layout(g);
  const nodes: MapNode[] = [...titles].map(([id, t]) => {
    const n = g.node(id);
    return { id, ...t, x: n.x, y: n.y, width: WIDTH, height: HEIGHT };
  });
  const graph = g.graph();
  return {
    domain,
    nodes,
    edges: edges.map((e) => ({ ...e, points: g.edge(e.from, e.to)?.points ?? [] })),
    width: graph.width ?? 0,
    height: graph.height ?? 0,
  };
}
