// Dragging version or package rows onto a repository row copies those versions there (CopyPackageVersions),
// after a confirmation that names them. A drop that carries an argument object (DROP_ARGUMENTS_MIME, e.g.
// {confirm: true, allowOverwrite: true}) asks nothing, as a command called with arguments does.
import * as vscode from 'vscode';
import { ScriptedUi } from '../commands/scriptedUi';
import { Cancelled, UserError } from '../commands/ui';
import { VsCodeUi } from '../commands/vscodeUi';
import { describeProblem } from '../core/aws/errors';
import type { Connection } from '../connection';
import { copyTo, type CopyResult } from '../governance/lifecycle';
import { nameOf } from '../governance/ask';
import type { ExplorerNode, PackageNode, RepositoryNode } from './nodes';
import type { ExplorerProvider } from './provider';

const ROWS_MIME = 'application/vnd.code.tree.codeartifact.explorer';
/** A drop's argument object: `{confirm: true, allowOverwrite?, includeFromUpstream?}`. */
export const DROP_ARGUMENTS_MIME = 'application/vnd.codeartifact.drop-arguments';

export class ExplorerDragAndDrop implements vscode.TreeDragAndDropController<ExplorerNode> {
  readonly dragMimeTypes = [ROWS_MIME];
  readonly dropMimeTypes = [ROWS_MIME];
  /** What the last drop copied, per package (for the caller that simulated it). */
  lastDrop: CopyResult[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly provider: ExplorerProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  handleDrag(source: readonly ExplorerNode[], dataTransfer: vscode.DataTransfer): void {
    const rows = source.filter((n) => n.kind === 'version' || n.kind === 'package');
    if (rows.length) dataTransfer.set(ROWS_MIME, new vscode.DataTransferItem(rows));
  }

  async handleDrop(target: ExplorerNode | undefined, dataTransfer: vscode.DataTransfer): Promise<void> {
    this.lastDrop = [];
    if (target?.kind !== 'repository') return;
    const rows = (dataTransfer.get(ROWS_MIME)?.value ?? []) as ExplorerNode[];
    const args = dataTransfer.get(DROP_ARGUMENTS_MIME)?.value as Record<string, unknown> | undefined;
    const ui = args ? new ScriptedUi('drop on a repository', args) : new VsCodeUi();
    try {
      const plan = await this.plan(rows, target);
      if (!plan.length) return;
      const what = plan.map((p) => `${nameOf(p.row.ref)} ${p.versions.join(', ')}`).join('; ');
      await ui.confirm('confirm', {
        message: `Copy ${what} from ${plan[0].row.ref.repository} to ${target.ref.repository}?`,
        action: 'Copy',
        refused: `Nothing was copied: the drop's arguments need "confirm": true.`,
      });
      const client = () => this.connection.client();
      for (const p of plan) this.lastDrop.push(await copyTo(client, this.provider, { ui, log: this.log }, p.row.ref, p.versions, target.ref.repository));
    } catch (e) {
      if (e instanceof Cancelled) return;
      const message = e instanceof UserError ? e.message : describeProblem(e, this.connection.problemContext()).message;
      this.log.error(`drop on ${target.ref.repository}: ${message}`);
      // A drop with arguments answers like a command with arguments: with a rejection.
      if (args) throw new Error(message);
      void vscode.window.showErrorMessage(message);
    }
  }

  /** Per package: the dropped versions, or every listed version when the package row itself was dropped. */
  private async plan(rows: ExplorerNode[], target: RepositoryNode): Promise<{ row: PackageNode; versions: string[] }[]> {
    const byPackage = new Map<PackageNode, Set<string>>();
    for (const n of rows) {
      const row = n.kind === 'version' ? n.parent : n.kind === 'package' ? n : undefined;
      if (!row || (row.ref.repository === target.ref.repository && row.ref.domain === target.ref.domain)) continue;
      const set = byPackage.get(row) ?? new Set<string>();
      if (n.kind === 'version') set.add(n.summary.version!);
      else {
        const page = await (await this.connection.client()).listPackageVersions(row.ref, undefined, 1000);
        for (const v of page.items) set.add(v.version!);
      }
      byPackage.set(row, set);
    }
    return [...byPackage].map(([row, set]) => ({ row, versions: [...set] }));
  }
}
