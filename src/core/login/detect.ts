// Which package tools a workspace folder uses, from the files at its root. Multi-root workspaces call
// detectTools per folder and merge the results with mergeDetections.
import { promises as fs } from 'node:fs';

export const TOOL_IDS = ['npm', 'pnpm', 'yarn', 'pip', 'twine', 'maven', 'gradle'] as const;
export type ToolId = (typeof TOOL_IDS)[number];

export function isToolId(s: string): s is ToolId {
  return (TOOL_IDS as readonly string[]).includes(s);
}

export interface Detection {
  tools: ToolId[];
  /** Why each tool was detected: the file names that triggered it. */
  reasons: Partial<Record<ToolId, string[]>>;
  /** Yarn flavour when yarn was detected: berry (.yarnrc.yml present) or classic (v1, reads .npmrc). */
  yarnFlavor?: 'berry' | 'classic';
}

function sortTools(tools: Iterable<ToolId>): ToolId[] {
  const set = new Set(tools);
  return TOOL_IDS.filter((t) => set.has(t));
}

export async function detectTools(folder: string): Promise<Detection> {
  let names: string[];
  try {
    names = (await fs.readdir(folder, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
  } catch {
    return { tools: [], reasons: {} };
  }
  const has = (n: string) => names.includes(n);
  const reasons: Partial<Record<ToolId, string[]>> = {};
  const add = (t: ToolId, why: string[]) => {
    if (why.length > 0) reasons[t] = [...(reasons[t] ?? []), ...why];
  };

  if (has('package.json') && has('package-lock.json')) add('npm', ['package.json', 'package-lock.json']);
  if (has('pnpm-lock.yaml')) add('pnpm', ['pnpm-lock.yaml']);
  let yarnFlavor: Detection['yarnFlavor'];
  if (has('yarn.lock')) {
    yarnFlavor = has('.yarnrc.yml') ? 'berry' : 'classic';
    add('yarn', yarnFlavor === 'berry' ? ['yarn.lock', '.yarnrc.yml'] : ['yarn.lock']);
  }
  if (has('pom.xml')) add('maven', ['pom.xml']);
  add('gradle', ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'].filter(has));
  const python = names.filter((n) => /^requirements.*\.txt$/.test(n) || n === 'pyproject.toml' || n === 'setup.py').sort();
  add('pip', python);
  add('twine', python);

  const tools = sortTools(Object.keys(reasons) as ToolId[]);
  return yarnFlavor ? { tools, reasons, yarnFlavor } : { tools, reasons };
}

/** Union of several folders' detections; berry wins over classic when folders disagree (we then write both). */
export function mergeDetections(ds: readonly Detection[]): Detection {
  const reasons: Partial<Record<ToolId, string[]>> = {};
  let yarnFlavor: Detection['yarnFlavor'];
  for (const d of ds) {
    for (const [t, why] of Object.entries(d.reasons) as [ToolId, string[]][]) {
      reasons[t] = [...new Set([...(reasons[t] ?? []), ...why])];
    }
    if (d.yarnFlavor === 'berry' || (d.yarnFlavor === 'classic' && !yarnFlavor)) yarnFlavor = d.yarnFlavor;
  }
  const tools = sortTools(Object.keys(reasons) as ToolId[]);
  return yarnFlavor ? { tools, reasons, yarnFlavor } : { tools, reasons };
}
