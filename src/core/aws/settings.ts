// The connection settings the extension reads (codeartifact.profile / region / endpoint), validated.
import { loadSharedFiles, profileExists, profileRegion } from './profiles';

export interface ConnectionSettings {
  profile?: string;
  region?: string;
  /** A custom control-plane URL (VPC endpoint, the local emulator). */
  endpoint?: string;
  /** SDK attempts per call (retries on throttling and 5xx); default 3. */
  maxAttempts?: number;
  /** `codeartifact.allowInsecureEndpoint` (user settings only): accept an `http://` endpoint on another host than loopback. */
  allowInsecureEndpoint?: boolean;
}

/** What `WorkspaceConfiguration.inspect()` returns, by level. */
export interface SettingLevels<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * A setting that decides where credentials and user-wide config point (`machine` scope in the manifest): the user's
 * value, never a workspace's, trusted or not. Read defensively too, should a workspace value get through anyway.
 */
export function userValue<T>(v: SettingLevels<T> | undefined): T | undefined {
  return v?.globalValue ?? v?.defaultValue;
}

/** A setting a workspace may set, but only a trusted one (like tasks): an untrusted workspace's values are ignored. */
export function trustedValue<T>(v: SettingLevels<T> | undefined, trusted: boolean): T | undefined {
  return trusted ? (v?.workspaceFolderValue ?? v?.workspaceValue ?? userValue(v)) : userValue(v);
}

/** localhost, 127.0.0.0/8, ::1. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export interface ResolvedConnection {
  profile?: string;
  region: string;
  endpoint?: string;
  maxAttempts: number;
}

export type ConfigProblem = 'badEndpoint' | 'noRegion' | 'unknownProfile';

/** A configuration mistake the user fixes in settings or ~/.aws; `setting` names what to change. */
export class ConfigError extends Error {
  constructor(
    readonly problem: ConfigProblem,
    message: string,
    readonly setting: string,
  ) {
    super(message);
  }
}

export function validateEndpoint(endpoint: string, allowInsecure = false): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigError(
      'badEndpoint',
      `codeartifact.endpoint "${endpoint}" is not a valid URL. Use a full URL such as https://codeartifact.us-west-2.amazonaws.com or http://127.0.0.1:4567.`,
      'codeartifact.endpoint',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('badEndpoint', `codeartifact.endpoint "${endpoint}" must start with https:// or http://.`, 'codeartifact.endpoint');
  }
  // Plain http would carry AWS-signed requests and the token in clear: only to this machine, unless the user says so.
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecure) {
    throw new ConfigError(
      'badEndpoint',
      `codeartifact.endpoint "${endpoint}" uses http:// on ${url.hostname}, which is not this machine. Use https://, or allow it with codeartifact.allowInsecureEndpoint in your user settings.`,
      'codeartifact.endpoint',
    );
  }
  return endpoint.replace(/\/+$/, '');
}

/**
 * Checks the settings against the environment and the shared AWS files, and settles the region:
 * the setting, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's region.
 */
export async function resolveConnection(settings: ConnectionSettings, env: NodeJS.ProcessEnv = process.env, home?: string): Promise<ResolvedConnection> {
  const endpoint = settings.endpoint?.trim() ? validateEndpoint(settings.endpoint.trim(), settings.allowInsecureEndpoint) : undefined;
  const files = await loadSharedFiles(env, home);
  const profile = settings.profile?.trim() || undefined;
  if (profile && !profileExists(files, profile)) {
    throw new ConfigError(
      'unknownProfile',
      `AWS profile "${profile}" is not in ${files.configFile} or ${files.credentialsFile}. Choose another profile or run "aws configure --profile ${profile}".`,
      'codeartifact.profile',
    );
  }
  const region = settings.region?.trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || profileRegion(files, profile ?? env.AWS_PROFILE ?? 'default');
  if (!region) {
    throw new ConfigError('noRegion', 'No AWS region is set. Set codeartifact.region (for example us-west-2), or a region in your AWS profile.', 'codeartifact.region');
  }
  return { profile, region, endpoint, maxAttempts: settings.maxAttempts ?? 3 };
}
