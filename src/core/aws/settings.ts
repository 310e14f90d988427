// The connection settings the extension reads (codeartifact.profile / region / endpoint), validated.
import { loadSharedFiles, profileExists, profileRegion } from './profiles';

export interface ConnectionSettings {
  profile?: string;
  region?: string;
  /** A custom control-plane URL (VPC endpoint, the local emulator). */
  endpoint?: string;
  /** SDK attempts per call (retries on throttling and 5xx); default 3. */
  maxAttempts?: number;
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

export function validateEndpoint(endpoint: string): string {
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
  return endpoint.replace(/\/+$/, '');
}

/**
 * Checks the settings against the environment and the shared AWS files, and settles the region:
 * the setting, else AWS_REGION / AWS_DEFAULT_REGION, else the profile's region.
 */
export async function resolveConnection(settings: ConnectionSettings, env: NodeJS.ProcessEnv = process.env, home?: string): Promise<ResolvedConnection> {
  const endpoint = settings.endpoint?.trim() ? validateEndpoint(settings.endpoint.trim()) : undefined;
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
