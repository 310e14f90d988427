// Reads the codeartifact.* connection settings and hands out one CodeArtifact client for them,
// rebuilt when the settings change. Creating it makes no network call.
import * as vscode from 'vscode';
import { CodeArtifact } from './core/aws/client';
import { resolveConnection, userValue, type ConnectionSettings, type ResolvedConnection } from './core/aws/settings';
import { affectsNetwork, applyNetworkSettings } from './network';

export class Connection implements vscode.Disposable {
  private current?: Promise<CodeArtifact>;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a connection setting changed (profile, region, endpoint). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    applyNetworkSettings();
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      const network = affectsNetwork(e);
      if (network) applyNetworkSettings();
      if (network || ['profile', 'region', 'endpoint', 'maxAttempts', 'allowInsecureEndpoint'].some((k) => e.affectsConfiguration(`codeartifact.${k}`))) {
        this.reset();
        this.changed.fire();
      }
    });
  }

  settings(): ConnectionSettings {
    const c = vscode.workspace.getConfiguration('codeartifact');
    return {
      profile: c.get<string>('profile') || undefined,
      region: c.get<string>('region') || undefined,
      // Where login sends credentials and which registry URLs land in user-wide config: never from a workspace.
      endpoint: userValue(c.inspect<string>('endpoint')) || undefined,
      maxAttempts: c.get<number>('maxAttempts'),
      allowInsecureEndpoint: userValue(c.inspect<boolean>('allowInsecureEndpoint')) === true,
    };
  }

  /** What error messages need to name the fix: the profile in use (setting, else AWS_PROFILE) and the endpoint. */
  problemContext(): { profile?: string; endpoint?: string } {
    const s = this.settings();
    return { profile: s.profile ?? (process.env.AWS_PROFILE || undefined), endpoint: s.endpoint };
  }

  /** The client for the current settings; rejects with a ConfigError when they are wrong. */
  client(): Promise<CodeArtifact> {
    if (!this.current) {
      const p = resolveConnection(this.settings()).then((resolved: ResolvedConnection) => new CodeArtifact(resolved));
      // A failed resolution is not cached: the user may fix ~/.aws without touching settings.
      p.catch(() => {
        if (this.current === p) this.current = undefined;
      });
      this.current = p;
    }
    return this.current;
  }

  reset(): void {
    const old = this.current;
    this.current = undefined;
    old?.then(
      (c) => c.dispose(),
      () => undefined,
    );
  }

  dispose(): void {
    this.reset();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
