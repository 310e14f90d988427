// The chaos run: the emulator started with `--fail-rate 0.2 --throttle-rate 0.2 --latency-ms 30` while the core
// browses (domains → repositories → packages), logs in (token + endpoints + every config writer) and refreshes the
// login again and again. Every operation ends within a bound, with a result or a clear message (never a hang, never
// a raw stack); after every step each config file parses and holds exactly one entry of ours; once the faults stop
// (POST /_emulator/settings) one more round succeeds entirely and logout restores every file byte for byte.
// The figures are printed and kept in test-output/chaos.json.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { startEmulatorProcess, type EmulatorProcess } from 'codeartifact-emulator/testing';
import { CodeArtifact } from '../../../src/core/aws/client';
import { describeProblem } from '../../../src/core/aws/errors';
import { applyLogin, removeLogin, type LoginRecord } from '../../../src/core/login/loginPlan';
import { resolveLocations } from '../../../src/core/login/locations';
import { npmrcProblem } from '../../../src/core/login/npmrc';
import { pipConfigProblem } from '../../../src/core/login/pipConfig';
import { parsePyIni } from '../../../src/core/login/pyIni';
import { mavenSettingsProblem } from '../../../src/core/login/mavenSettings';
import { redact } from '../../../src/core/redact';

const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 12);
/** No single operation (a call with the SDK's own retries) may take longer than this. */
const OP_BOUND_MS = 15_000;

interface Figures {
  flags: string[];
  rounds: number;
  requests: number;
  faultsInjected: number;
  operations: { completed: number; failedWithMessage: number; slowestMs: number };
  messages: Record<string, number>;
  /** One message per kind, as the user reads it. */
  examples: Record<string, string>;
  filesChecked: number;
  corruptedFiles: number;
  recoveredAfterFaults: boolean;
  durationMs: number;
}

/**
 * A pass-through proxy in front of the emulator that counts every request and every injected fault (the 500s
 * and 429s it answers), including the attempts the SDK retries on its own and never reports.
 */
function countingProxy(target: string): Promise<{ url: string; server: Server; counts: { requests: number; faults: number } }> {
  const counts = { requests: 0, faults: 0 };
  const t = new URL(target);
  const server = createServer((req, res) => {
    const admin = (req.url ?? '').startsWith('/_emulator/');
    if (!admin) counts.requests++;
    const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      if (!admin && (r.statusCode === 500 || r.statusCode === 429)) counts.faults++;
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, counts })));
}

void describe('chaos run', () => {
  let emu: EmulatorProcess;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let home: string;
  const flags = ['--port', '0', '--fail-rate', '0.2', '--throttle-rate', '0.2', '--latency-ms', '30', '--fault-seed', '15'];
  const saved = { ...process.env };

  before(async () => {
    emu = await startEmulatorProcess(flags);
    proxy = await countingProxy(emu.url);
    home = mkdtempSync(join(tmpdir(), 'ca-chaos-'));
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'us-west-2',
      AWS_CONFIG_FILE: join(home, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-creds'),
    });
    delete process.env.AWS_PROFILE;
  });
  after(async () => {
    process.env = saved;
    proxy?.server.close();
    await emu?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  void it('browse, log in and refresh under faults; every file stays whole; a refresh after the faults brings everything back', async () => {
    const started = Date.now();
    const ca = new CodeArtifact({ region: 'us-west-2', endpoint: proxy.url, maxAttempts: 3 });
    const ctx = { home, env: { HOME: home }, platform: 'linux' as const };
    const loc = resolveLocations(ctx);
    const files = { npmrc: loc.npmrc, yarnrc: loc.yarnrc, pipConf: loc.pipConf!, pypirc: loc.pypirc, mavenSettings: loc.mavenSettings };
    // The user's own content, which must survive everything.
    const original: Record<string, string> = {
      npmrc: '# mine\nfund=false\n',
      pipConf: '[global]\ntimeout = 60\n',
      pypirc: '[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = __token__\n',
      mavenSettings: '<settings>\n  <offline>false</offline>\n</settings>\n',
    };
    for (const [k, text] of Object.entries(original)) {
      const p = files[k as keyof typeof files];
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
    const fig: Figures = {
      flags,
      rounds: ROUNDS,
      requests: 0,
      faultsInjected: 0,
      operations: { completed: 0, failedWithMessage: 0, slowestMs: 0 },
      messages: {},
      examples: {},
      filesChecked: 0,
      corruptedFiles: 0,
      recoveredAfterFaults: false,
      durationMs: 0,
    };
    const tokensSeen: string[] = [];

    /** One operation: ends within the bound with a value, or with a Problem whose message is one clear sentence. */
    const op = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
      const t0 = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} still running after ${OP_BOUND_MS} ms`)), OP_BOUND_MS)));
      try {
        const v = await Promise.race([fn(), bound]);
        fig.operations.completed++;
        return v;
      } catch (e) {
        assert.doesNotMatch(String((e as Error).message), /still running after/, `${what}: a spinner that never ends`);
        const p = describeProblem(e, { endpoint: proxy.url });
        assert.ok(['throttled', 'unreachable', 'other'].includes(p.kind), `${what}: unexpected problem kind ${p.kind}: ${p.message}`);
        assert.ok(p.message.length > 10 && !/\n\s+at /.test(p.message), `${what}: not a clear message: ${p.message}`);
        for (const t of tokensSeen) assert.ok(!p.message.includes(t), 'no token in a message');
        fig.operations.failedWithMessage++;
        fig.messages[p.kind] = (fig.messages[p.kind] ?? 0) + 1;
        fig.examples[p.kind] ??= `${what}: ${p.message}`;
        return undefined;
      } finally {
        clearTimeout(timer);
        fig.operations.slowestMs = Math.max(fig.operations.slowestMs, Date.now() - t0);
      }
    };

    /** Every config file parses and holds at most one entry of ours (exactly one while logged in). */
    const checkFiles = (loggedIn: boolean, token?: string) => {
      const one = (text: string, needle: string, name: string) => {
        const n = text.split(needle).length - 1;
        if (loggedIn ? n !== 1 : n > 1) {
          fig.corruptedFiles++;
          assert.fail(`${name}: ${n} entries of ours (${needle.slice(0, 30)}…)`);
        }
      };
      for (const [k, p] of Object.entries(files)) {
        if (!existsSync(p)) continue;
        fig.filesChecked++;
        const text = readFileSync(p, 'utf8');
        const problem =
          k === 'npmrc'
            ? npmrcProblem(text)
            : k === 'pipConf'
              ? pipConfigProblem(text)
              : k === 'mavenSettings'
                ? mavenSettingsProblem(text)
                : k === 'yarnrc'
                  ? (parseDocument(text).errors[0]?.message ?? null)
                  : (parsePyIni(text), null);
        if (problem) {
          fig.corruptedFiles++;
          assert.fail(`${p} no longer parses: ${redact(problem, tokensSeen)}`);
        }
        if (!loggedIn || !token) continue;
        if (k === 'npmrc') one(text, ':_authToken=', p);
        if (k === 'yarnrc') one(text, 'npmAuthToken', p);
        if (k === 'pipConf') one(text, 'index-url = ', p);
        if (k === 'pypirc') one(text, '[codeartifact]', p);
        if (k === 'mavenSettings') one(text, '<activeProfile>codeartifact-', p);
        assert.ok(k === 'mavenSettings' || text.includes(token), `${p} holds the current token`);
      }
    };

    let record: LoginRecord | undefined;
    let domain: string | undefined;
    let repository: string | undefined;
    const round = async (): Promise<boolean> => {
      let ok = true;
      const domains = await op('ListDomains', () => ca.listDomains());
      if (domains) domain ??= domains.items.find((d) => d.name)?.name;
      if (!domains || !domain) return false;
      const repos = await op('ListRepositoriesInDomain', () => ca.listRepositoriesInDomain({ domain: domain! }));
      if (repos) repository ??= repos.items.find((r) => r.name)?.name;
      if (!repos || !repository) return false;
      ok = (await op('ListPackages', () => ca.listPackages({ domain: domain!, repository: repository! }, {}))) !== undefined && ok;
      // Log in (or refresh): a token and the endpoints, then every writer in one plan.
      const tok = await op('GetAuthorizationToken', () => ca.getAuthorizationToken({ domain: domain! }, 900));
      const npm = await op('GetRepositoryEndpoint npm', () => ca.getRepositoryEndpoint({ domain: domain!, repository: repository! }, 'npm'));
      const pypi = await op('GetRepositoryEndpoint pypi', () => ca.getRepositoryEndpoint({ domain: domain!, repository: repository! }, 'pypi'));
      const maven = await op('GetRepositoryEndpoint maven', () => ca.getRepositoryEndpoint({ domain: domain!, repository: repository! }, 'maven'));
      if (!tok || !npm || !pypi || !maven) {
        // A failed refresh leaves the previous login in place, whole.
        checkFiles(record !== undefined, tokensSeen.at(-1));
        return false;
      }
      tokensSeen.push(tok.token);
      const input = {
        domain: domain!,
        repository: repository!,
        endpoints: { npm, pypi, maven },
        token: tok.token,
        expiresAt: tok.expiration.getTime(),
        tools: ['npm' as const, 'yarn' as const, 'pip' as const, 'twine' as const, 'maven' as const],
      };
      const res = await applyLogin(input, ctx, record);
      assert.deepEqual(
        res.outcomes.filter((o) => !o.ok).map((o) => o.error),
        [],
      );
      record = res.record;
      checkFiles(true, tok.token);
      return ok;
    };

    for (let i = 0; i < ROUNDS; i++) await round();
    const beforeStop = (await (await fetch(`${emu.url}/_emulator/stats`)).json()) as { stats: Record<string, number> };
    // The faults stop: one refresh must bring everything back.
    await fetch(`${emu.url}/_emulator/settings`, { method: 'POST', body: JSON.stringify({ failRate: 0, throttleRate: 0, latencyMs: 0 }) });
    const failedBefore = fig.operations.failedWithMessage;
    fig.recoveredAfterFaults = (await round()) && fig.operations.failedWithMessage === failedBefore;
    assert.ok(fig.recoveredAfterFaults, 'after the faults stopped a refresh brought everything back');
    assert.ok(record, 'logged in');
    const out = await removeLogin(record, ctx);
    assert.ok(
      out.every((o) => o.ok),
      out.map((o) => o.error).join('; '),
    );
    for (const [k, text] of Object.entries(original)) assert.equal(readFileSync(files[k as keyof typeof files], 'utf8'), text, `${k} restored byte for byte after logout`);
    assert.equal(existsSync(files.yarnrc), false, 'the .yarnrc.yml login created is gone');
    checkFiles(false);

    fig.requests = proxy.counts.requests;
    fig.faultsInjected = proxy.counts.faults;
    fig.durationMs = Date.now() - started;
    mkdirSync('test-output', { recursive: true });
    writeFileSync(join('test-output', 'chaos.json'), JSON.stringify({ ...fig, statsBeforeFaultsStopped: beforeStop.stats }, null, 2) + '\n');
    console.log(
      `chaos: ${fig.requests} requests, ${fig.faultsInjected} faults injected, ${fig.operations.completed} operations completed, ${fig.operations.failedWithMessage} ended with a clear message (${JSON.stringify(fig.messages)}), slowest ${fig.operations.slowestMs} ms, ${fig.filesChecked} files checked, ${fig.corruptedFiles} corrupted, recovered: ${fig.recoveredAfterFaults}, ${fig.durationMs} ms`,
    );
    assert.equal(fig.corruptedFiles, 0);
    assert.ok(fig.faultsInjected > 0 && fig.operations.completed > 0, 'the run saw both faults and successes');
  });
});
