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
    // How long it took is measured by npm run bench, not asserted here.
    console.log(`activation: ${ext.exports.activationMs.toFixed(1)} ms`);
  });
});
