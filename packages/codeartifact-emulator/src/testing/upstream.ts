// A stand-in for a real public npm registry (what `--upstream npmjs=URL` points at): serves the given
// versions' packuments and tarballs and records every path it was asked for.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildNpmTarball, npmTarballName } from '../registries/build';

export interface FakeNpmUpstream {
  url: string;
  /** Paths requested so far, in order. */
  hits: string[];
  close(): Promise<void>;
}

export async function fakeNpmUpstream(packages: Record<string, string[]>): Promise<FakeNpmUpstream> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.push(path);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const [name, versions] of Object.entries(packages)) {
      if (path === `/${name}`) {
        const entries = versions.map((version) => [version, { name, version, dist: { tarball: `${base}/${name}/-/${npmTarballName(name, version)}` } }]);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ name, 'dist-tags': { latest: versions.at(-1) }, versions: Object.fromEntries(entries) }));
        return;
      }
      const version = versions.find((v) => path === `/${name}/-/${npmTarballName(name, v)}`);
      if (version) {
        res.end(buildNpmTarball({ name, version }));
        return;
      }
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Starts every task at once; resolves with their names in the order they finished. */
export async function settleOrder(tasks: Record<string, () => Promise<unknown>>): Promise<string[]> {
  const order: string[] = [];
  await Promise.all(Object.entries(tasks).map(([name, task]) => task().then(() => order.push(name))));
  return order;
}
