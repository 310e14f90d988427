// The explorer's commands, by theme. Each takes a tree row, nothing (the palette: it asks) or an argument
// object (the answers; nothing is asked). See ../../commands/ui.ts.
import { registerGovernanceCommands } from '../../governance/index';
import { registerAccountCommands } from './account';
import { registerBrowseCommands } from './browse';
import { registerConnectionCommands } from './connections';
import type { ExplorerCommandDeps } from './deps';
import { registerLinkCommands } from './links';

export function registerExplorerCommands(deps: ExplorerCommandDeps): void {
  registerBrowseCommands(deps);
  registerConnectionCommands(deps);
  registerLinkCommands(deps);
  registerAccountCommands(deps);
  registerGovernanceCommands(deps);
}
