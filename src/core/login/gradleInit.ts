// A Gradle init script in <GRADLE_USER_HOME>/init.d/ (Gradle runs every *.gradle file there) that puts the
// CodeArtifact repository first for plugins (pluginManagement), settings-level dependency resolution (Gradle >= 6.8)
// and every project, with credentials username aws and the password read from CODEARTIFACT_AUTH_TOKEN at build time.
// The token itself is never written. The file is wholly ours: login creates it, logout deletes it if unchanged.
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface GradleSettings {
  domain: string;
  repository: string;
  endpoint: string;
  tokenEnvVar?: string;
}

export interface GradleFileRecord {
  kind: 'gradle';
  file: string;
  writtenSha256: string;
  /** What was at that path before (a file with our name we replaced), restored on logout. */
  previousText: string | null;
}

export function gradleInitScriptPath(initDir: string, s: Pick<GradleSettings, 'domain' | 'repository'>): string {
  return join(initDir, `codeartifact-${s.domain}-${s.repository}.init.gradle`.replace(/[^A-Za-z0-9._-]/g, '_'));
}

const groovyString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function gradleInitScript(s: GradleSettings): string {
  const env = s.tokenEnvVar ?? 'CODEARTIFACT_AUTH_TOKEN';
  return `// Added by CodeArtifact Explorer (login to ${s.domain}/${s.repository}); removed again on logout.
// The token is read from the environment at build time; it is never stored in this file.
def caUrl = ${groovyString(s.endpoint)}
def caAdd = { repos ->
    def r = repos.maven {
        name = ${groovyString(`codeartifact-${s.domain}-${s.repository}`)}
        url = caUrl
        credentials {
            username = 'aws'
            password = System.getenv(${groovyString(env)})
        }
    }
    // First, so CodeArtifact is asked before any other repository.
    repos.remove(r)
    repos.addFirst(r)
}
def caSettingsMode = null
gradle.settingsEvaluated { settings ->
    def pluginRepos = settings.pluginManagement.repositories
    if (pluginRepos.isEmpty()) pluginRepos.gradlePluginPortal() // keep Gradle's default source of plugins
    caAdd(pluginRepos)
    try {
        def drm = settings.dependencyResolutionManagement
        caAdd(drm.repositories)
        caSettingsMode = drm.repositoriesMode.getOrNull()?.toString()
    } catch (MissingPropertyException ignored) {
        // Gradle < 6.8 has no settings-level repositories.
    }
}
gradle.allprojects { project ->
    // Project repositories would fail (FAIL_ON_PROJECT_REPOS) or be ignored (PREFER_SETTINGS) there.
    if (caSettingsMode != 'FAIL_ON_PROJECT_REPOS' && caSettingsMode != 'PREFER_SETTINGS') {
        caAdd(project.repositories)
    }
}
`;
}

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export function applyGradleInit(file: string, current: string | null, s: GradleSettings): { text: string; record: GradleFileRecord } {
  const text = gradleInitScript(s);
  return { text, record: { kind: 'gradle', file, writtenSha256: sha256(text), previousText: current } };
}

export function removeGradleInit(current: string | null, record: GradleFileRecord): { text: string | null; skipped: string[] } {
  if (current === null) return { text: null, skipped: [] };
  if (sha256(current) !== record.writtenSha256) return { text: current, skipped: [`${record.file} was changed since login; left as it is`] };
  return { text: record.previousText, skipped: [] };
}
