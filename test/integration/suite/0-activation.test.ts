// Runs first (file order): the extension activated at start-up, before any test touched it, without calling
// CodeArtifact - the explorer loads only once its view is shown.
import * as assert from 'node:assert/strict';
import type { CodeArtifactApi } from '../../../src/extension';
import { activatedExtension, emulatorStats } from '../helpers';

suite('activation', () => {
  test('activating makes no call to CodeArtifact before the view is shown', async () => {
    const ext = await activatedExtension<CodeArtifactApi>();
    assert.equal(ext.isActive, true);
    const stats = await emulatorStats();
    assert.deepEqual(stats, {}, `calls made before the view was shown: ${JSON.stringify(stats)}`);
    assert.ok(ext.exports.activationMs >= 0 && ext.exports.activationMs < 2000, `activation took ${ext.exports.activationMs} ms`);
    console.log(`activation: ${ext.exports.activationMs.toFixed(1)} ms`);
  });
});
