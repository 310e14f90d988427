// UI test: a user opens the CodeArtifact view from the activity bar and walks domain -> repository
// -> Packages; the rows on screen must match test/integration/seed.json.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRows, type UiContext } from './workbench';

interface SeedFile {
  domains: { name: string; repositories: { name: string; packages?: { format: string; namespace?: string; name: string }[] }[] }[];
}

export const name = 'CodeArtifact view: domain -> repository -> Packages shows the seeded packages';

export async function run(ctx: UiContext): Promise<void> {
  const seed = JSON.parse(readFileSync(join(ctx.root, 'test', 'integration', 'seed.json'), 'utf8')) as SeedFile;
  const domain = seed.domains.find((d) => d.name === 'acme')!;
  const repo = domain.repositories.find((r) => r.name === 'app')!;
  const wb = ctx.workbench;

  await wb.openViewContainer('codeartifact');
  const domainRow = await wb.waitForRow('acme', { timeoutMs: 30_000 });

  const repositories = await wb.expand('acme', { level: domainRow.level });
  // After the repositories: the domain's Package groups and Permissions policy rows.
  assert.deepEqual(
    repositories.map((r) => r.label),
    [...domain.repositories.map((r) => r.name).sort(), 'Package groups', 'Permissions policy'],
    `rows under acme: ${describeRows(repositories)}`,
  );

  const repoChildren = await wb.expand('app', { level: domainRow.level + 1 });
  assert.ok(
    repoChildren.some((r) => r.label === 'Packages'),
    `no "Packages" row under app; its rows: ${describeRows(repoChildren)}`,
  );

  const packages = await wb.expand('Packages', { level: domainRow.level + 2 });
  // npm packages show as @scope/name, as users write them.
  const expected = (repo.packages ?? []).map((p) => (p.format === 'npm' && p.namespace ? `@${p.namespace}/${p.name}` : p.name));
  assert.deepEqual(
    packages.map((r) => r.label),
    expected,
    `packages under app: ${describeRows(packages)}`,
  );
  assert.ok(expected.includes('@acme/ui'));

  const shot = join(ctx.outputDir, 'explorer.png');
  await wb.screenshot(shot);
  ctx.log(`screenshot: ${shot}`);
}
