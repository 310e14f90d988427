// Starts scripts/forward-proxy.mjs (a real forward proxy) in its own process and reads its request log.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ForwardProxy {
  url: string;
  /** The request lines it logged so far ("CONNECT host:port", "GET http://…", "407 …"). */
  log(): string[];
  stop(): Promise<void>;
}

/** `root`: the repository (the integration suite, bundled elsewhere, passes CODEARTIFACT_EXTENSION_ROOT). */
export function startForwardProxy(args: string[], root = join(__dirname, '..', '..', '..')): Promise<ForwardProxy> {
  const child: ChildProcess = spawn(process.execPath, [join(root, 'scripts', 'forward-proxy.mjs'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // Inside an Electron extension host, execPath is Electron: run it as Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  let out = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^forward proxy listening on (\S+)\n/.exec(out);
      if (!m) return;
      resolve({
        url: m[1],
        log: () => out.split('\n').slice(1).filter(Boolean),
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(() => reject(new Error(`forward proxy exited: ${out}`)));
  });
}
