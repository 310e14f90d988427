// Governing a domain from the explorer: version lifecycle and promotion, origin controls, package groups,
// generic publish and asset download. Each command works from a tree row, the palette or an argument object.
import type { ExplorerCommandDeps } from '../explorer/commands/deps';
import { registerDetailsCommands } from './details';
import { registerDomainMapCommands } from './domainMapView';
import { registerGenericCommands } from './generic';
import { registerGroupCommands } from './groups';
import { registerLifecycleCommands } from './lifecycle';
import { registerPolicyCommands } from './policy';

export function registerGovernanceCommands(deps: ExplorerCommandDeps): void {
  registerLifecycleCommands(deps);
  registerGroupCommands(deps);
  registerGenericCommands(deps);
  registerPolicyCommands(deps);
  registerDetailsCommands(deps);
  registerDomainMapCommands(deps);
}
