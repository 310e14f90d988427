// Page-driving helpers for UI tests of the real VS Code workbench (code-server in headless Chromium).
// They find things the way a user does (activity-bar icon, tree rows by their label) and, when
// something is missing, fail with what *is* on screen so the message says what to fix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export interface TreeRow {
  /** The row's visible label (`.label-name`). */
  label: string;
  description: string;
  ariaLabel: string;
  /** 1 = top level. */
  level: number;
  /** undefined for leaves. */
  expanded: boolean | undefined;
  index: number;
}

/** What a UI test gets from the runner. */
export interface UiContext {
  page: Page;
  workbench: Workbench;
  /** Project root (package.json, test/integration/seed.json). */
  root: string;
  /** Folder for screenshots and other artefacts of UI tests (test-output/ui). */
  outputDir: string;
  emulatorUrl: string;
  /** HOME of the editor (and so of the extension host): where ~/.aws and the tools' config files are. */
  home: string;
  /** Rewrites the user settings.json to the runner's baseline plus `values`; reload the window for it to take effect. */
  settings(values: Record<string, unknown>): Promise<void>;
  log(message: string): void;
}

/** A UI test module (test/integration/ui/*.ui.ts) exports these. */
export interface UiTest {
  name: string;
  run(ctx: UiContext): Promise<void>;
}

const ROW_TIMEOUT_MS = 15_000;

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly root: string,
  ) {}

  /** Loads the workbench at `url` and waits until the activity bar is there. */
  async open(url: string, timeoutMs = 90_000): Promise<void> {
    await this.page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await this.page.locator('.monaco-workbench .part.activitybar').first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  /** The title the manifest gives a contributed activity-bar container (its icon's aria-label starts with it). */
  containerTitle(containerId: string): string {
    const pkg = JSON.parse(readFileSync(join(this.root, 'package.json'), 'utf8')) as {
      contributes?: { viewsContainers?: { activitybar?: { id: string; title: string }[] } };
    };
    const c = pkg.contributes?.viewsContainers?.activitybar?.find((x) => x.id === containerId);
    if (!c) {
      const ids = (pkg.contributes?.viewsContainers?.activitybar ?? []).map((x) => x.id);
      throw new Error(
        `package.json contributes no activity-bar view container "${containerId}" (contributes.viewsContainers.activitybar: ${ids.length ? ids.join(', ') : 'none'})`,
      );
    }
    return c.title;
  }

  async activityBarLabels(): Promise<string[]> {
    return this.page
      .locator('.part.activitybar li.action-item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || e.querySelector('a.action-label')?.getAttribute('aria-label') || e.textContent || '?'));
  }

  /** Clicks the container's activity-bar icon (unless its view is already showing) and waits for the side bar. */
  async openViewContainer(containerId: string, timeoutMs = 30_000): Promise<void> {
    const title = this.containerTitle(containerId);
    // The label sits on the item's <a class="action-label"> (view containers) or on the <li> (global items).
    const t = cssString(title);
    const item = this.page.locator(`.part.activitybar li.action-item[aria-label^="${t}"], .part.activitybar li.action-item:has(> a.action-label[aria-label^="${t}"])`).first();
    try {
      await item.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      throw new Error(
        `no activity-bar icon labelled "${title}" (container "${containerId}") appeared within ${timeoutMs} ms; icons shown: ${(await this.activityBarLabels()).join(' | ')}`,
      );
    }
    const checked = ((await item.getAttribute('class')) ?? '').split(/\s+/).includes('checked');
    if (!checked) await item.click();
    const composite = this.page.locator(`.part.sidebar [id="workbench.view.extension.${cssString(containerId)}"]`).first();
    try {
      await composite.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      throw new Error(`clicked "${title}" but the side bar did not show container "${containerId}" within ${timeoutMs} ms`);
    }
  }

  /** Tree rows currently rendered in the side bar (a virtual list: rows scrolled far away are not in the DOM). */
  async treeRows(): Promise<TreeRow[]> {
    return this.page.locator('.part.sidebar .monaco-list-row').evaluateAll((els) =>
      els.map((e, index) => {
        const expanded = e.getAttribute('aria-expanded');
        return {
          label: e.querySelector('.label-name')?.textContent?.trim() ?? '',
          description: e.querySelector('.label-description')?.textContent?.trim() ?? '',
          ariaLabel: e.getAttribute('aria-label') ?? '',
          level: Number(e.getAttribute('aria-level') ?? '0'),
          expanded: expanded === null ? undefined : expanded === 'true',
          index,
        };
      }),
    );
  }

  /** Children of the row labelled `parent` (rows after it, one level deeper, until the level returns). */
  async childrenOf(parent: string): Promise<TreeRow[]> {
    const rows = await this.treeRows();
    const i = rows.findIndex((r) => r.label === parent);
    if (i < 0) throw new Error(`no row "${parent}"; rows shown: ${describeRows(rows)}`);
    const out: TreeRow[] = [];
    for (const r of rows.slice(i + 1)) {
      if (r.level <= rows[i].level) break;
      if (r.level === rows[i].level + 1) out.push(r);
    }
    return out;
  }

  /** Waits for a row with this label (and level, when given). */
  async waitForRow(label: string, opts: { level?: number; timeoutMs?: number } = {}): Promise<TreeRow> {
    const deadline = Date.now() + (opts.timeoutMs ?? ROW_TIMEOUT_MS);
    let rows: TreeRow[] = [];
    for (;;) {
      rows = await this.treeRows();
      const row = rows.find((r) => r.label === label && (opts.level === undefined || r.level === opts.level));
      if (row) return row;
      if (Date.now() > deadline) break;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`no tree row "${label}"${opts.level ? ` at level ${opts.level}` : ''} within ${opts.timeoutMs ?? ROW_TIMEOUT_MS} ms; rows shown: ${describeRows(rows)}`);
  }

  /** Expands the row labelled `label` and waits until its children are rendered; returns them. */
  async expand(label: string, opts: { level?: number; timeoutMs?: number } = {}): Promise<TreeRow[]> {
    const row = await this.waitForRow(label, opts);
    if (row.expanded === undefined) throw new Error(`row "${label}" is not expandable`);
    if (!row.expanded) {
      await this.page.locator('.part.sidebar .monaco-list-row').nth(row.index).click();
    }
    const deadline = Date.now() + (opts.timeoutMs ?? ROW_TIMEOUT_MS);
    for (;;) {
      const rows = await this.treeRows();
      const i = rows.findIndex((r) => r.label === label && r.level === row.level);
      if (i >= 0 && rows[i].expanded) {
        const next = rows[i + 1];
        // Children are there once the next row is deeper; a "loading" child counts as not yet.
        if (next && next.level === row.level + 1 && !/loading/i.test(next.label)) return this.childrenOf(label);
      }
      if (Date.now() > deadline) throw new Error(`row "${label}" did not show children within ${opts.timeoutMs ?? ROW_TIMEOUT_MS} ms; rows shown: ${describeRows(rows)}`);
      await this.page.waitForTimeout(100);
    }
  }

  async screenshot(file: string): Promise<void> {
    await this.page.screenshot({ path: file });
  }
}

export function describeRows(rows: TreeRow[]): string {
  if (rows.length === 0) return '(none)';
  return rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label}${r.description ? ` [${r.description}]` : ''}`).join(' | ');
}

function cssString(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}
