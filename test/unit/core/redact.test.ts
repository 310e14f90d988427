// Redaction: a token never survives in any form a tool prints it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redact, StreamRedactor } from '../../../src/core/redact';

const TOKEN = 'eyJ2ZXIiOjEsImlzdSI6MTcwMDAwMDAwMH0.c2VjcmV0+dG9rZW4/x==';

describe('redact', () => {
  it('blanks the token as is, URL-encoded (pip index URL) and as Basic credentials (base64 of aws:token)', () => {
    const basic = Buffer.from(`aws:${TOKEN}`).toString('base64');
    const text = [
      `npm http fetch GET 200 auth=${TOKEN}`,
      `Looking in indexes: https://aws:${encodeURIComponent(TOKEN)}@acme-111122223333.d.codeartifact.us-west-2.amazonaws.com/pypi/app/simple/`,
      `> Authorization: Basic ${basic}`,
    ].join('\n');
    const out = redact(text, [TOKEN]);
    assert.equal(
      out,
      [
        'npm http fetch GET 200 auth=******',
        'Looking in indexes: https://aws:******@acme-111122223333.d.codeartifact.us-west-2.amazonaws.com/pypi/app/simple/',
        '> Authorization: Basic ******',
      ].join('\n'),
    );
  });

  it('leaves text without a secret, and secrets too short to be a token, alone', () => {
    assert.equal(redact('nothing to hide', [TOKEN]), 'nothing to hide');
    assert.equal(redact('a b c', ['a', '']), 'a b c');
    assert.equal(redact('as is', undefined), 'as is');
  });

  it('no form of the token survives, whatever surrounds it', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9._~+/=-]{4,64}$/);
    fc.assert(
      fc.property(token, fc.array(fc.string()), (t, around) => {
        const forms = [t, encodeURIComponent(t), Buffer.from(`aws:${t}`).toString('base64')];
        const text = around.map((s, i) => s + forms[i % forms.length]).join('') + t;
        const out = redact(text, [t]);
        for (const f of forms) assert.ok(!out.includes(f), `${f} survived in ${out}`);
      }),
    );
  });
});

describe('StreamRedactor', () => {
  it('a secret split across output chunks is still redacted, and nothing else is held back for good', () => {
    const secret = 'tok_ABCDEFGHIJKLMNOP';
    const r = new StreamRedactor([secret]);
    const chunks = ['npm http fetch GET 200 auth=tok_ABC', 'DEFGHIJ', 'KLMNOP done\n', 'last line tok_'];
    const out = chunks.map((c) => r.push(c)).join('') + r.flush();
    assert.equal(out, 'npm http fetch GET 200 auth=****** done\nlast line tok_');
  });

  it('however the output is cut into chunks, the stream says what redact says of the whole', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9+/=]{8,40}$/);
    fc.assert(
      fc.property(token, fc.array(fc.stringMatching(/^[ a-zA-Z:=\n]{0,12}$/), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (t, words, cuts) => {
        const basic = Buffer.from(`aws:${t}`).toString('base64');
        const text = words.join(` ${t} `) + ` Basic ${basic}`;
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points, text.length].slice(1).map((end, i, ends) => text.slice(i ? ends[i - 1] : 0, end));
        const r = new StreamRedactor([t]);
        const out = chunks.map((c) => r.push(c)).join('') + r.flush();
        assert.equal(out, redact(text, [t]));
        assert.ok(!out.includes(t));
      }),
    );
  });
});
