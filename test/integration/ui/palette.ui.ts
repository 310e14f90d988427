// UI test: the palette flows a user goes through with the keyboard. "Add External Connection…" asks for the
// repository, then the connection (checked with the real SDK); "Log In…" asks for the repository, then the tools,
// and the status bar then shows the login and its time left.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { CodeartifactClient, DescribeRepositoryCommand, DisassociateExternalConnectionCommand } from '@aws-sdk/client-codeartifact';
import type { Page } from 'playwright-core';
import type { UiContext } from './workbench';

export const name = 'palette: add an external connection and log in through QuickPicks; the status bar shows the login';

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** Types into the open QuickPick and accepts the row whose label is exactly `label` once it is listed. */
async function pick(page: Page, label: string, placeholderHint?: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (placeholderHint) await widget.locator(`input[placeholder*="${placeholderHint}"], .quick-input-title:has-text("${placeholderHint}")`).first().waitFor({ timeout: 15_000 });
  const input = widget.locator('input.input');
  await input.fill(label);
  const row = widget.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
}

export async function run(ctx: UiContext): Promise<void> {
  const { page } = ctx;
  const sdk = new CodeartifactClient({ endpoint: ctx.emulatorUrl, region: 'us-west-2', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, maxAttempts: 1 });
  const connections = async () =>
    ((await sdk.send(new DescribeRepositoryCommand({ domain: 'corp', repository: 'team' }))).repository?.externalConnections ?? []).map((c) => c.externalConnectionName);
  // Set up what this test needs, whatever ran before: the extension up (its view lists the domains), corp/team
  // without an external connection, nobody logged in.
  await ctx.workbench.openViewContainer('codeartifact');
  await ctx.workbench.waitForRow('corp', { timeoutMs: 60_000 });
  for (const externalConnection of await connections()) {
    await sdk.send(new DisassociateExternalConnectionCommand({ domain: 'corp', repository: 'team', externalConnection }));
  }
  assert.deepEqual(await connections(), [], 'corp/team starts without an external connection');
  if (
    await page
      .locator('.statusbar-item', { hasText: /·/ })
      .first()
      .isVisible()
      .catch(() => false)
  ) {
    await runCommand(page, 'CodeArtifact: Log Out');
    await page.locator('.statusbar-item', { hasText: /·/ }).first().waitFor({ state: 'hidden', timeout: 15_000 });
  }

  // Add External Connection…: repository, then connection.
  await runCommand(page, 'CodeArtifact: Add External Connection…');
  await pick(page, 'corp/team', 'Add an external connection to');
  await pick(page, 'public:pypi', 'External connection for corp/team');
  const deadline = Date.now() + 15_000;
  while ((await connections()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(await connections(), ['public:pypi']);
  await sdk.send(new DisassociateExternalConnectionCommand({ domain: 'corp', repository: 'team', externalConnection: 'public:pypi' }));

  // Log In…: repository, then tools (multi-select), then the status bar shows it.
  await runCommand(page, 'CodeArtifact: Log In…');
  const widget = page.locator('.quick-input-widget');
  const another = widget.locator('.quick-input-list .monaco-list-row', { hasText: 'Another repository…' });
  if (await another.isVisible().catch(() => false)) await another.click();
  await pick(page, 'corp/team', 'Log in to which CodeArtifact repository?');
  await widget.locator('.quick-input-title', { hasText: 'Configure which tools' }).waitFor({ timeout: 15_000 });
  const input = widget.locator('input.input');
  await input.fill('npm');
  const npmRow = widget.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^npm$/ }) }).first();
  await npmRow.waitFor({ timeout: 10_000 });
  // Clicking a row of a multi-select QuickPick ticks it; the count beside the input says so.
  if ((await npmRow.getAttribute('aria-checked')) !== 'true') await npmRow.click();
  await widget.locator('.quick-input-count', { hasText: '1 Selected' }).waitFor({ timeout: 5_000 });
  await page.screenshot({ path: join(ctx.outputDir, 'login-tools.png') });
  await page.keyboard.press('Enter');

  const status = page.locator('.statusbar-item', { hasText: 'corp/team' }).first();
  await status.waitFor({ timeout: 20_000 });
  const text = (await status.innerText()).trim();
  assert.match(text, /corp\/team · (1[01]h \d+m|12h 0m)/, `status bar shows "${text}"`);
  await page.screenshot({ path: join(ctx.outputDir, 'status-bar.png') });
  ctx.log(`status bar: "${text}"; screenshots: ${join(ctx.outputDir, 'login-tools.png')}, status-bar.png`);

  await runCommand(page, 'CodeArtifact: Log Out');
  await status.waitFor({ state: 'hidden', timeout: 15_000 });
}
