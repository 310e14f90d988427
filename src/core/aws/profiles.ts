// Reads the AWS shared config and credentials files the way the AWS CLI and SDKs do, to list profiles,
// tell whether a chosen profile exists, and find its region - without any network call.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface SharedFiles {
  configFile: string;
  credentialsFile: string;
  /** profile name -> keys (config file "[profile x]" and "[default]", credentials file "[x]"). */
  config: Record<string, Record<string, string>>;
  credentials: Record<string, Record<string, string>>;
}

export function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = out[header[1].trim()] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (section && eq > 0) section[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return out;
}

async function readIni(file: string): Promise<Record<string, Record<string, string>>> {
  try {
    return parseIni(await readFile(file, 'utf8'));
  } catch {
    return {};
  }
}

export async function loadSharedFiles(env: NodeJS.ProcessEnv = process.env, home = homedir()): Promise<SharedFiles> {
  const configFile = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  const rawConfig = await readIni(configFile);
  const config: Record<string, Record<string, string>> = {};
  for (const [name, keys] of Object.entries(rawConfig)) {
    // The config file names profiles "[profile x]", except "[default]"; "[sso-session x]" is not a profile.
    if (name === 'default') config.default = keys;
    else if (name.startsWith('profile ')) config[name.slice('profile '.length).trim()] = keys;
  }
  return { configFile, credentialsFile, config, credentials: await readIni(credentialsFile) };
}

export function profileNames(files: SharedFiles): string[] {
  return [...new Set([...Object.keys(files.config), ...Object.keys(files.credentials)])].sort();
}

export function profileExists(files: SharedFiles, profile: string): boolean {
  return profile in files.config || profile in files.credentials;
}

export function profileRegion(files: SharedFiles, profile: string): string | undefined {
  return files.config[profile]?.region || undefined;
}
