import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { describeProblem } from '../../../src/core/aws/errors';
import { loadSharedFiles, profileNames } from '../../../src/core/aws/profiles';
import { ConfigError, resolveConnection, trustedValue, userValue } from '../../../src/core/aws/settings';

const home = mkdtempSync(join(tmpdir(), 'ca-settings-'));
after(() => rmSync(home, { recursive: true, force: true }));
mkdirSync(join(home, '.aws'));
writeFileSync(join(home, '.aws', 'config'), '[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-2\n[sso-session corp]\nsso_region = us-east-1\n');
writeFileSync(join(home, '.aws', 'credentials'), '[ci]\naws_access_key_id = AKID\naws_secret_access_key = s\n');

test('profiles come from both shared files; sso-session sections are not profiles', async () => {
  assert.deepEqual(profileNames(await loadSharedFiles({}, home)), ['ci', 'default', 'dev']);
});

test('region: the setting, then AWS_REGION, then the profile', async () => {
  assert.equal((await resolveConnection({ region: 'ap-south-1', profile: 'dev' }, { AWS_REGION: 'sa-east-1' }, home)).region, 'ap-south-1');
  assert.equal((await resolveConnection({ profile: 'dev' }, { AWS_REGION: 'sa-east-1' }, home)).region, 'sa-east-1');
  assert.equal((await resolveConnection({ profile: 'dev' }, {}, home)).region, 'us-east-2');
  assert.equal((await resolveConnection({}, {}, home)).region, 'eu-west-1');
});

test('no region anywhere names the setting to fix', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'ca-empty-'));
  try {
    await assert.rejects(resolveConnection({}, {}, empty), (e: unknown) => e instanceof ConfigError && e.problem === 'noRegion' && /codeartifact\.region/.test(e.message));
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('an unknown profile and a malformed endpoint are refused with what to change', async () => {
  await assert.rejects(resolveConnection({ profile: 'nope', region: 'us-west-2' }, {}, home), /AWS profile "nope" is not in .*config or .*credentials/);
  await assert.rejects(resolveConnection({ endpoint: 'not a url', region: 'us-west-2' }, {}, home), /codeartifact\.endpoint "not a url" is not a valid URL/);
  await assert.rejects(resolveConnection({ endpoint: 'ftp://x', region: 'us-west-2' }, {}, home), /must start with https:\/\/ or http:\/\//);
  assert.equal((await resolveConnection({ endpoint: 'http://127.0.0.1:4567/', region: 'us-west-2' }, {}, home)).endpoint, 'http://127.0.0.1:4567');
});

test('SDK errors become problems that say what to do', () => {
  const denied = Object.assign(new Error('User: arn:aws:iam::1:user/x is not authorized to perform: codeartifact:ListPackages on resource: arn'), {
    name: 'AccessDeniedException',
  });
  assert.deepEqual(describeProblem(denied).deniedAction, 'codeartifact:ListPackages');
  const sso = Object.assign(new Error('The SSO session associated with this profile has expired. To refresh...'), { name: 'CredentialsProviderError' });
  assert.equal(describeProblem(sso, { profile: 'dev' }).kind, 'ssoExpired');
  assert.match(describeProblem(sso, { profile: 'dev' }).message, /aws sso login --profile dev/);
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  assert.equal(describeProblem(refused, { endpoint: 'http://127.0.0.1:9' }).kind, 'unreachable');
});

test('http:// endpoints only on this machine unless the user allows it; https anywhere', async () => {
  for (const ok of ['http://127.0.0.1:4567', 'http://localhost:8080', 'http://[::1]:9000', 'https://vpce-1.codeartifact.us-west-2.vpce.amazonaws.com']) {
    assert.ok((await resolveConnection({ endpoint: ok, region: 'us-west-2' }, {}, home)).endpoint);
  }
  await assert.rejects(
    resolveConnection({ endpoint: 'http://ca.attacker.example:80', region: 'us-west-2' }, {}, home),
    (e: unknown) => e instanceof ConfigError && e.setting === 'codeartifact.endpoint' && /http:\/\/ on ca\.attacker\.example.*allowInsecureEndpoint/.test(e.message),
  );
  await assert.rejects(resolveConnection({ endpoint: 'http://127.0.0.1.attacker.example', region: 'us-west-2' }, {}, home), ConfigError);
  assert.equal((await resolveConnection({ endpoint: 'http://10.0.0.5:4567', region: 'us-west-2', allowInsecureEndpoint: true }, {}, home)).endpoint, 'http://10.0.0.5:4567');
});

test('settings that decide where credentials go take the user value only; install commands from a workspace only when trusted', () => {
  const levels = { defaultValue: '', globalValue: 'http://127.0.0.1:4567', workspaceValue: 'https://evil.example', workspaceFolderValue: 'https://evil2.example' };
  assert.equal(userValue(levels), 'http://127.0.0.1:4567');
  assert.equal(userValue({ defaultValue: '', workspaceValue: 'https://evil.example' }), '');
  const commands = { defaultValue: {}, globalValue: { npm: 'npm ci' }, workspaceValue: { npm: './planted.sh' } };
  assert.deepEqual(trustedValue(commands, false), { npm: 'npm ci' });
  assert.deepEqual(trustedValue(commands, true), { npm: './planted.sh' });
});
