import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleUrl, humanSize, installSnippets, parsePackageFilter } from '../../../src/core/aws/names';
import { formatDisplayName, packageDisplayName } from '../../../src/core/coordinates';

test('package names read as each ecosystem writes them', () => {
  assert.equal(packageDisplayName('npm', 'acme', 'ui'), '@acme/ui');
  assert.equal(packageDisplayName('npm', undefined, 'left-pad'), 'left-pad');
  assert.equal(packageDisplayName('maven', 'com.acme', 'core'), 'com.acme:core');
  assert.equal(packageDisplayName('pypi', undefined, 'acme-tools'), 'acme-tools');
});

test('install snippets for npm, pip, Maven and Gradle', () => {
  assert.deepEqual(
    installSnippets('npm', 'acme', 'ui', '1.0.0').map((s) => s.text),
    ['npm install @acme/ui@1.0.0'],
  );
  assert.deepEqual(
    installSnippets('pypi', undefined, 'requests', '2.31.0').map((s) => s.text),
    ['pip install requests==2.31.0'],
  );
  const maven = installSnippets('maven', 'com.acme', 'core', '2.4.0');
  assert.equal(maven[0].text, '<dependency>\n  <groupId>com.acme</groupId>\n  <artifactId>core</artifactId>\n  <version>2.4.0</version>\n</dependency>');
  assert.equal(maven[1].text, 'implementation("com.acme:core:2.4.0")');
});

test('every format has a display name and an icon in media/', () => {
  const formats = ['npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo'];
  assert.deepEqual(formats.map(formatDisplayName), ['npm', 'PyPI', 'Maven', 'NuGet', 'Generic', 'Ruby', 'Swift', 'Cargo']);
  for (const f of formats) assert.match(readFileSync(join(__dirname, '..', '..', '..', 'media', `${f}.svg`), 'utf8'), /^<svg [^>]*viewBox="0 0 16 16"/, f);
});

test('install snippets for NuGet, Cargo, Ruby, Swift and generic name the manifest line and the repository', () => {
  const repo = { domain: 'acme', domainOwner: '111122223333', repository: 'app' };
  const texts = (format: string, ns: string | undefined, name: string, v: string) => installSnippets(format, ns, name, v, repo).map((s) => [s.label, s.text]);
  assert.deepEqual(texts('nuget', undefined, 'Tiny.Json', '1.1.0'), [
    ['PackageReference', '<PackageReference Include="Tiny.Json" Version="1.1.0" />'],
    ['dotnet', 'dotnet add package Tiny.Json --version 1.1.0'],
  ]);
  assert.deepEqual(texts('cargo', undefined, 'tinyrand', '0.2.0'), [
    ['Cargo.toml', 'tinyrand = { version = "=0.2.0", registry = "acme-app" }'],
    ['cargo', 'cargo add tinyrand@0.2.0 --registry acme-app'],
  ]);
  assert.deepEqual(texts('ruby', undefined, 'tiny-ruby', '1.0.0'), [
    ['Gemfile', 'gem "tiny-ruby", "1.0.0"'],
    ['gem', 'gem install tiny-ruby -v 1.0.0'],
  ]);
  assert.deepEqual(texts('swift', 'acme', 'logging', '1.2.0'), [['Package.swift', '.package(id: "acme.logging", exact: "1.2.0")']]);
  assert.deepEqual(texts('generic', 'tools', 'cli', '2.0.0'), [
    [
      'aws codeartifact',
      'aws codeartifact get-package-version-asset --domain acme --domain-owner 111122223333 --repository app \\\n' +
        '  --format generic --namespace tools --package cli --package-version 2.0.0 \\\n' +
        '  --asset ASSET_NAME ASSET_NAME',
    ],
  ]);
});

test('filter text becomes namespace and package-prefix', () => {
  assert.deepEqual(parsePackageFilter(''), {});
  assert.deepEqual(parsePackageFilter('left'), { packagePrefix: 'left' });
  assert.deepEqual(parsePackageFilter('@acme/'), { namespace: 'acme', packagePrefix: undefined });
  assert.deepEqual(parsePackageFilter('@acme/u'), { namespace: 'acme', packagePrefix: 'u' });
  assert.deepEqual(parsePackageFilter('com.acme:co'), { namespace: 'com.acme', packagePrefix: 'co' });
});

test('sizes are human-readable', () => {
  assert.equal(humanSize(512), '512 B');
  assert.equal(humanSize(1536), '1.5 KiB');
  assert.equal(humanSize(50 * 1024 * 1024), '50 MiB');
  assert.equal(humanSize(undefined), '');
});

test('console links point at the resource', () => {
  assert.equal(
    consoleUrl({ region: 'us-west-2', domain: 'acme', owner: '111122223333' }),
    'https://us-west-2.console.aws.amazon.com/codesuite/codeartifact/d/111122223333/acme?region=us-west-2',
  );
  assert.equal(
    consoleUrl({ region: 'eu-west-1', domain: 'acme', owner: '111122223333', repository: 'app', format: 'npm', namespace: 'acme', packageName: 'ui', version: '1.0.0' }),
    'https://eu-west-1.console.aws.amazon.com/codesuite/codeartifact/d/111122223333/acme/r/app/p/npm/acme/ui/versions/1.0.0?region=eu-west-1',
  );
});
