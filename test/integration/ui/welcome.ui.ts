// UI test: the explorer's empty states as a user sees them. The extension sets the context key
// codeartifact.explorerState; the workbench shows the matching welcome content (text and buttons) only when the
// key really has that value: a CodeArtifact with no domains, then a profile without credentials.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startEmulator } from 'codeartifact-emulator/testing';
import type { UiContext } from './workbench';

export const name = 'welcome view: no domains, then no credentials, show their own text and buttons in the CodeArtifact view';

/** Waits until the CodeArtifact view's welcome content shows `text`; returns the buttons it offers. */
async function welcome(page: Page, text: string): Promise<string[]> {
  const content = page.locator('.part.sidebar .welcome-view-content', { hasText: text }).first();
  try {
    await content.waitFor({ state: 'visible', timeout: 30_000 });
  } catch {
    const shown = await page.locator('.part.sidebar .welcome-view-content').allInnerTexts();
    throw new Error(`the welcome content "${text}" did not show; welcome content shown: ${JSON.stringify(shown)}`);
  }
  return (await content.locator('.monaco-button').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}

export async function run(ctx: UiContext): Promise<void> {
  const { page, workbench } = ctx;
  // The settings as the window starts with them: a reload is a new window (and extension host) reading them.
  const restartWith = async (settings: Record<string, unknown>) => {
    await ctx.settings(settings);
    await workbench.open(page.url());
    await workbench.openViewContainer('codeartifact');
  };
  const empty = await startEmulator({ seed: { domains: [] } });
  const config = join(ctx.home, '.aws', 'config');
  const kept = existsSync(config) ? readFileSync(config, 'utf8') : undefined;
  try {
    await restartWith({ 'codeartifact.endpoint': empty.url });
    const noDomains = await welcome(page, 'No CodeArtifact domains are visible');
    assert.deepEqual(noDomains, ['Set Region', 'Choose AWS Profile', 'Refresh'], `buttons: ${JSON.stringify(noDomains)}`);

    mkdirSync(join(ctx.home, '.aws'), { recursive: true });
    writeFileSync(config, `${kept ?? ''}\n[profile ui-nocreds]\nregion = us-west-2\n`);
    await restartWith({ 'codeartifact.profile': 'ui-nocreds', 'codeartifact.maxAttempts': 1 });
    const noCredentials = await welcome(page, 'No AWS credentials were found');
    assert.deepEqual(noCredentials, ['Choose AWS Profile', 'Set Region', 'Open Settings'], `buttons: ${JSON.stringify(noCredentials)}`);
    await page.screenshot({ path: join(ctx.outputDir, 'welcome-no-credentials.png') });

    // Back to a CodeArtifact with domains: the welcome content goes, the domains show.
    await restartWith({});
    await workbench.waitForRow('acme', { timeoutMs: 30_000 });
    assert.equal(await page.locator('.part.sidebar .welcome-view-content', { hasText: 'No AWS credentials' }).isVisible(), false);
  } finally {
    await ctx.settings({});
    mkdirSync(join(ctx.home, '.aws'), { recursive: true });
    writeFileSync(config, kept ?? '');
    await empty.close();
  }
}
