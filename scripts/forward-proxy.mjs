#!/usr/bin/env node
// A real forward proxy for the test tiers (the `proxy` package: CONNECT tunnels and plain-HTTP forwarding).
//   node scripts/forward-proxy.mjs [--port N] [--auth USER:PASSWORD] [--map NAME=ADDRESS ...]
// Prints "forward proxy listening on http://127.0.0.1:PORT", then one line per request it serves:
// "CONNECT host:port" or "GET http://host:port/path" (and "407 ..." for a request it refused). --map makes
// the proxy (and only the proxy) resolve NAME to ADDRESS, so a client that reaches NAME proves it went
// through the proxy (e.g. the emulator under --public-host codeartifact.test.invalid).
import dns from 'node:dns';
import http from 'node:http';
import { createProxy } from 'proxy';

const args = process.argv.slice(2);
let port = 0;
let auth;
const map = new Map();
for (let i = 0; i < args.length; i++) {
  const v = args[i + 1];
  if (args[i] === '--port') {
    port = Number(v);
    i++;
  } else if (args[i] === '--auth') {
    auth = v;
    i++;
  } else if (args[i] === '--map') {
    const [name, address] = v.split('=');
    map.set(name.toLowerCase(), address);
    i++;
  } else {
    console.error(`forward-proxy: unknown option ${args[i]}`);
    process.exit(2);
  }
}

const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  const address = map.get(String(hostname).toLowerCase());
  if (!address) return lookup.apply(this, arguments);
  const cb = typeof options === 'function' ? options : callback;
  const all = typeof options === 'object' && options?.all;
  process.nextTick(() => (all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4)));
};

const server = createProxy(http.createServer());
const expected = auth ? `Basic ${Buffer.from(auth).toString('base64')}` : undefined;
server.authenticate = (req) => {
  const line = req.method === 'CONNECT' ? `CONNECT ${req.url}` : `${req.method} ${req.url}`;
  const ok = !expected || req.headers['proxy-authorization'] === expected;
  console.log(ok ? line : `407 ${line}`);
  return ok;
};
server.listen(port, '127.0.0.1', () => console.log(`forward proxy listening on http://127.0.0.1:${server.address().port}`));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => process.exit(0));
