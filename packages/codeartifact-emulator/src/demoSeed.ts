// The built-in demo seed, used when the emulator starts without --seed (npm run emulator, npm run demo).
import type { Seed } from './state';

export function demoSeed(): Seed {
  return {
    accountId: '111122223333',
    region: 'us-west-2',
    domains: [
      {
        name: 'acme',
        repositories: [
          { name: 'npm-store', description: 'Proxy of the public npm registry', externalConnection: 'public:npmjs' },
          {
            name: 'app',
            description: 'Packages the app team uses and publishes',
            upstreams: ['npm-store'],
            packages: [
              {
                format: 'npm',
                namespace: 'acme',
                name: 'ui',
                versions: [
                  { version: '1.0.0', publishedTime: '2026-01-02T03:04:05Z', dependencies: { 'left-pad': '^1.3.0' }, readme: '# @acme/ui\nShared UI components.' },
                  { version: '1.1.0', publishedTime: '2026-03-04T05:06:07Z', dependencies: { 'left-pad': '^1.3.0' } },
                ],
              },
            ],
            generatedPackages: { count: 300, prefix: 'internal-lib' },
          },
          { name: 'maven-store', description: 'Proxy of Maven Central', externalConnection: 'public:maven-central' },
          {
            name: 'java-libs',
            description: 'Java libraries',
            upstreams: ['maven-store'],
            packages: [{ format: 'maven', namespace: 'com.acme', name: 'core', versions: [{ version: '2.4.0', publishedTime: '2026-02-01T00:00:00Z' }] }],
          },
          { name: 'pypi-store', description: 'Proxy of PyPI', externalConnection: 'public:pypi' },
          {
            name: 'python',
            description: 'Python packages',
            upstreams: ['pypi-store'],
            packages: [{ format: 'pypi', name: 'acme_tools', versions: [{ version: '0.3.1', publishedTime: '2026-02-10T00:00:00Z' }] }],
          },
        ],
      },
      { name: 'sandbox', repositories: [{ name: 'scratch', description: 'Try things here' }] },
    ],
  };
}
