// Feeds the network settings (src/core/net/settings.ts) from VS Code's configuration: `http.proxy`,
// `http.proxyStrictSSL`, `http.noProxy`, `http.systemCertificates` and `codeartifact.caFile` /
// `codeartifact.connectTimeoutMs` / `codeartifact.requestTimeoutMs`.
import * as tls from 'node:tls';
import * as vscode from 'vscode';
import { configureNetwork, type NetworkSettings } from './core/net/settings';

const KEYS = [
  'http.proxy',
  'http.proxyStrictSSL',
  'http.noProxy',
  'http.systemCertificates',
  'codeartifact.caFile',
  'codeartifact.connectTimeoutMs',
  'codeartifact.requestTimeoutMs',
];

export function affectsNetwork(e: vscode.ConfigurationChangeEvent): boolean {
  return KEYS.some((k) => e.affectsConfiguration(k));
}

/** Reads the settings and hands them to both planes. */
export function applyNetworkSettings(): NetworkSettings {
  const http = vscode.workspace.getConfiguration('http');
  const ca = vscode.workspace.getConfiguration('codeartifact');
  // Node 22.15+ can read the OS's store; with a CA file of ours, VS Code no longer adds it, so we do.
  const system = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  const settings: NetworkSettings = {
    proxy: http.get<string>('proxy') || undefined,
    strictSSL: http.get<boolean>('proxyStrictSSL') ?? true,
    noProxy: http.get<string[]>('noProxy') ?? [],
    caFile: ca.get<string>('caFile') || undefined,
    extraCertificates: http.get<boolean>('systemCertificates') !== false && system ? safe(() => system('system')) : undefined,
    connectTimeoutMs: ca.get<number>('connectTimeoutMs') || undefined,
    requestTimeoutMs: ca.get<number>('requestTimeoutMs') || undefined,
  };
  configureNetwork(settings);
  return settings;
}

function safe(f: () => string[]): string[] | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
