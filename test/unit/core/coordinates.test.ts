// Package coordinates: how names are written, normalised and keyed, per format.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describePackageRef, normalizeCoordinates, normalizePypiName, packageDisplayName, packageKey, splitNpmName } from '../../../src/core/coordinates';

describe('normalizeCoordinates, as CodeArtifact stores names', () => {
  it('PyPI: PEP 503 (lowercase, runs of - _ . become one -)', () => {
    assert.deepEqual(normalizeCoordinates({ format: 'pypi', name: 'Typing_Extensions' }), { format: 'pypi', name: 'typing-extensions' });
    assert.equal(normalizePypiName('zope.interface'), 'zope-interface');
    assert.equal(normalizePypiName('A__B-.-c'), 'a-b-c');
    assert.equal(normalizePypiName('requests'), 'requests');
  });

  it('npm: `@scope/name` splits into namespace and name; names keep their case', () => {
    assert.deepEqual(normalizeCoordinates({ format: 'npm', name: '@acme/ui' }), { format: 'npm', namespace: 'acme', name: 'ui' });
    assert.deepEqual(normalizeCoordinates({ format: 'npm', name: 'left-pad' }), { format: 'npm', name: 'left-pad' });
    assert.deepEqual(normalizeCoordinates({ format: 'npm', namespace: '@acme', name: 'ui' }), { format: 'npm', namespace: 'acme', name: 'ui' });
    assert.deepEqual(normalizeCoordinates({ format: 'npm', name: 'JSONStream' }), { format: 'npm', name: 'JSONStream' });
    // Not a scope: no name after the slash, or nothing between '@' and '/'.
    assert.deepEqual(splitNpmName('@acme/'), { name: '@acme/' });
    assert.deepEqual(splitNpmName('@/x'), { name: '@/x' });
  });

  it('Maven: `group:artifact` splits into groupId and artifactId', () => {
    assert.deepEqual(normalizeCoordinates({ format: 'maven', name: 'org.example:greeter' }), { format: 'maven', namespace: 'org.example', name: 'greeter' });
    assert.deepEqual(normalizeCoordinates({ format: 'maven', namespace: 'org.example', name: 'greeter' }), { format: 'maven', namespace: 'org.example', name: 'greeter' });
    // Maven names are case-sensitive; a version is not part of the coordinates.
    assert.deepEqual(normalizeCoordinates({ format: 'maven', name: 'Org.Example:Greeter' }), { format: 'maven', namespace: 'Org.Example', name: 'Greeter' });
    assert.deepEqual(normalizeCoordinates({ format: 'maven', name: 'g:a:1.0' }), { format: 'maven', name: 'g:a:1.0' });
  });

  it('NuGet names and Swift names and namespaces are lowercased; other formats are kept', () => {
    assert.deepEqual(normalizeCoordinates({ format: 'nuget', name: 'Newtonsoft.Json' }), { format: 'nuget', name: 'newtonsoft.json' });
    assert.deepEqual(normalizeCoordinates({ format: 'swift', namespace: 'Apple', name: 'Swift-Log' }), { format: 'swift', namespace: 'apple', name: 'swift-log' });
    assert.deepEqual(normalizeCoordinates({ format: 'generic', namespace: 'Tools', name: 'My_Tool' }), { format: 'generic', namespace: 'Tools', name: 'My_Tool' });
    assert.deepEqual(normalizeCoordinates({ format: 'cargo', name: 'Serde_Json' }), { format: 'cargo', name: 'Serde_Json' });
    assert.deepEqual(normalizeCoordinates({ format: 'ruby', name: 'Rails' }), { format: 'ruby', name: 'Rails' });
  });

  it('is idempotent for every format and name', () => {
    const format = fc.constantFrom('npm', 'pypi', 'maven', 'nuget', 'generic', 'ruby', 'swift', 'cargo' as const);
    const part = fc.stringMatching(/^[A-Za-z0-9@:._\-/]{1,20}$/);
    fc.assert(
      fc.property(format, fc.option(part, { nil: undefined }), part, (f, namespace, name) => {
        const once = normalizeCoordinates({ format: f, namespace, name });
        assert.deepEqual(normalizeCoordinates(once), once);
      }),
    );
  });

  it('PyPI: names that differ only in case and separators normalise to the same name', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 4 }),
        fc.array(fc.constantFrom('-', '_', '.', '__', '-.'), { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        (words, seps, upper) => {
          const spelled = words.map((w, i) => (i ? seps[(i - 1) % seps.length] : '') + (upper ? w.toUpperCase() : w)).join('');
          assert.equal(normalizePypiName(spelled), words.join('-'));
        },
      ),
    );
  });
});

describe('display and key', () => {
  it('names read as each ecosystem writes them', () => {
    assert.equal(packageDisplayName('npm', 'acme', 'ui'), '@acme/ui');
    assert.equal(packageDisplayName('maven', 'org.example', 'greeter'), 'org.example:greeter');
    assert.equal(packageDisplayName('swift', 'apple', 'swift-log'), 'apple/swift-log');
    assert.equal(packageDisplayName('pypi', undefined, 'tinyfmt'), 'tinyfmt');
  });

  it('a version is written the way its tool takes it', () => {
    assert.equal(describePackageRef({ format: 'npm', namespace: 'acme', name: 'ui', version: '1.1.0' }), '@acme/ui@1.1.0');
    assert.equal(describePackageRef({ format: 'maven', namespace: 'org.example', name: 'greeter', version: '1.0.0' }), 'org.example:greeter:1.0.0');
    assert.equal(describePackageRef({ format: 'pypi', name: 'tinyfmt', version: '1.1.0' }), 'tinyfmt==1.1.0');
    assert.equal(describePackageRef({ format: 'pypi', name: 'tinyfmt' }), 'tinyfmt');
  });

  it('the key tells apart what differs in any part, and only that', () => {
    const ref = fc.record({
      format: fc.constantFrom('npm', 'pypi', 'maven'),
      namespace: fc.option(fc.string(), { nil: undefined }),
      name: fc.string({ minLength: 1 }),
      version: fc.option(fc.string(), { nil: undefined }),
    });
    fc.assert(
      fc.property(ref, ref, (a, b) => {
        const same = a.format === b.format && (a.namespace ?? '') === (b.namespace ?? '') && a.name === b.name && (a.version ?? '') === (b.version ?? '');
        // Names and versions never hold NUL, which the key uses as separator.
        fc.pre(![a, b].some((r) => `${r.namespace}${r.name}${r.version}`.includes('\u0000')));
        assert.equal(packageKey(a) === packageKey(b), same);
      }),
    );
  });
});
