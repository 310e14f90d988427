// Fault injection (--latency-ms, --fail-rate, --throttle-rate, --fault-seed) reaches the registries,
// and the same fault seed gives the same sequence of answers.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basic, endpoint, mavenPackage, npmPackage, seed, settleOrder } from '../src/testing';
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/server';
import { issueToken } from '../src/state';

const faultSeed = () =>
  seed()
    .domain('acme')
    .repo('app', { packages: [npmPackage('local-lib', ['1.0.0']), mavenPackage('com.acme:core', ['2.4.0'])] })
    .build();

const started: Emulator[] = [];

async function emulator(opts: EmulatorOptions): Promise<{ emu: Emulator; token: string }> {
  const emu = await startEmulator({ seed: faultSeed(), ...opts });
  started.push(emu);
  // Issued directly: a control-plane call here would itself draw from the fault sequence.
  const token = issueToken(emu.ctx.state, emu.ctx.clock, emu.ctx.state.domains['111122223333/acme'], 3600).token;
  return { emu, token };
}

async function statuses(emu: Emulator, token: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${endpoint(emu, 'npm', 'app')}local-lib`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}

describe('faults on the registries', () => {
  after(async () => {
    for (const e of started) await e.close();
  });

  it('--fail-rate answers 500 InternalServerException; a fault seed repeats exactly', async () => {
    const a = await emulator({ failRate: 0.4, faultSeed: 7 });
    const b = await emulator({ failRate: 0.4, faultSeed: 7 });
    const c = await emulator({ failRate: 0.4, faultSeed: 8 });
    const sa = await statuses(a.emu, a.token, 30);
    const sb = await statuses(b.emu, b.token, 30);
    const sc = await statuses(c.emu, c.token, 30);
    assert.deepEqual(sa, sb, 'same seed, same answers');
    assert.notDeepEqual(sa, sc, 'another seed, other answers');
    assert.ok(sa.includes(500) && sa.includes(200), `both outcomes: ${sa.join(',')}`);
    const fails = sa.filter((s) => s === 500).length;
    assert.ok(fails >= 4 && fails <= 20, `${fails}/30 failed at rate 0.4`);
    const failed = await (async () => {
      for (;;) {
        const res = await fetch(`${endpoint(a.emu, 'npm', 'app')}local-lib`, { headers: { authorization: `Bearer ${a.token}` } });
        if (res.status === 500) return { type: res.headers.get('x-amzn-errortype'), body: (await res.json()) as { __type: string } };
        await res.arrayBuffer();
      }
    })();
    assert.equal(failed.type, 'InternalServerException');
    assert.equal(failed.body.__type, 'InternalServerException');
  });

  it('--throttle-rate answers 429 ThrottlingException with Retry-After on Maven and PyPI too', async () => {
    const { emu, token } = await emulator({ throttleRate: 1 });
    for (const url of [`${endpoint(emu, 'maven', 'app')}com/acme/core/2.4.0/core-2.4.0.pom`, `${endpoint(emu, 'pypi', 'app')}simple/`]) {
      const res = await fetch(url, { headers: { authorization: basic(token) } });
      assert.equal(res.status, 429, url);
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
      assert.equal(res.headers.get('x-amzn-errortype'), 'ThrottlingException');
      await res.arrayBuffer();
    }
    // Runtime settings turn it off again (what the reliability tests do).
    await fetch(`${emu.url}/_emulator/settings`, { method: 'POST', body: JSON.stringify({ throttleRate: 0 }) });
    const ok = await fetch(`${endpoint(emu, 'maven', 'app')}com/acme/core/2.4.0/core-2.4.0.pom`, { headers: { authorization: basic(token) } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<artifactId>core<\/artifactId>/);
  });

  it('--latency-ms delays every registry answer, not the test-only routes', async () => {
    const { emu, token } = await emulator({ latencyMs: 300 });
    const t0 = performance.now();
    let ms = 0;
    const order = await settleOrder({
      registry: async () => {
        const res = await fetch(`${endpoint(emu, 'npm', 'app')}local-lib`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.status, 200);
        await res.arrayBuffer();
        ms = performance.now() - t0;
      },
      stats: async () => assert.equal((await fetch(`${emu.url}/_emulator/stats`)).status, 200),
    });
    assert.deepEqual(order, ['stats', 'registry']);
    // A lower bound only: how close to 300 ms it stays is measured by `npm run bench`.
    assert.ok(ms >= 300, `answered after ${ms.toFixed(0)} ms`);
  });
});
