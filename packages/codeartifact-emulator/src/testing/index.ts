// `codeartifact-emulator/testing`: everything other test tiers, benchmarks and demos use from the
// emulator, in one place. In-process emulators, the bin as a process, seed builders, the AWS SDK client
// and raw requests, tokens, endpoints and running real client tools.
export { startEmulator, type Emulator, type EmulatorOptions } from '../server';
export { issueToken, domainKey, packageKey, type Seed } from '../state';
export { EMULATOR_BIN, LISTENING_LINE, processGroupAlive, runEmulatorToExit, startEmulatorProcess, type EmulatorProcess } from './cli';
export { fakeNpmUpstream, settleOrder, type FakeNpmUpstream } from './upstream';
export { acmeSeed, blockUpstream, DEFAULT_ACCOUNT, mavenPackage, npmPackage, proxiedSeed, pypiPackage, seed, SeedBuilder } from './seed';
export { raw, rejection, sdkClient, sigv4Header, testSeed, type RawAnswer } from './testkit';
export { admin, basic, endpoint, run, TempDirs, tokenFor, toolEnv, writeSecret, type RunResult } from './dataPlaneKit';
export { aws, AWS_V2, awsBinary, cliError, cliJson, codeartifactCli, type CliRun } from './awsCli';
export { ensureModel, everyOperation, SDK_OPERATIONS } from './allOperations';
