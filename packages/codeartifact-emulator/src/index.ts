// The package's main export: start an emulator in-process, or parse the command line the bin takes.
export { startEmulator, type Emulator, type EmulatorContext, type EmulatorOptions, type PublicUpstreamName } from './server';
export { parseArgs } from './main';
export type { Seed, SeedDomain, SeedPackage, SeedRepository, SeedVersion } from './state';
