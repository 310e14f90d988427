// Entry point of the integration suite inside VS Code's extension host (code-server or test-electron):
// `extensionTestsPath` points at its bundle, out/integration/index.js. It runs every bundled
// suite file (out/integration/suite/**/*.test.js) with mocha and writes the results as JSON to
// $CODEARTIFACT_TEST_RESULTS so the runner outside can print which test failed.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface TestResult {
  title: string;
  fullTitle: string;
  file?: string;
  durationMs?: number;
  error?: string;
  stack?: string;
}

export interface SuiteResults {
  passes: TestResult[];
  failures: TestResult[];
  pending: TestResult[];
  durationMs: number;
  vscodeVersion?: string;
}

function suiteFiles(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) suiteFiles(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

function writeResults(file: string, results: SuiteResults): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(results, null, 2));
  renameSync(tmp, file);
}

export function run(): Promise<void> {
  const started = Date.now();
  const resultsFile = process.env.CODEARTIFACT_TEST_RESULTS ?? join(__dirname, '..', '..', 'test-output', 'integration', 'results.json');
  const grep = process.env.CODEARTIFACT_TEST_GREP;
  const mocha = new Mocha({
    color: false,
    // The extension host shows no terminal; `spec` output lands in its log, the JSON file is what the runner reads.
    reporter: 'spec',
    timeout: Number(process.env.CODEARTIFACT_TEST_TIMEOUT_MS ?? 30_000),
    grep: grep ? new RegExp(grep) : undefined,
  });
  // Both interfaces: suite files may use suite()/test() (tdd) or describe()/it() (bdd).
  mocha.ui('tdd');
  mocha.ui('bdd');
  const suiteDir = join(__dirname, 'suite');
  const files = suiteFiles(suiteDir);
  for (const f of files) mocha.addFile(f);

  const results: SuiteResults = { passes: [], failures: [], pending: [], durationMs: 0 };
  const describe = (t: Mocha.Runnable, extra: Partial<TestResult> = {}): TestResult => ({
    title: t.title,
    fullTitle: t.fullTitle(),
    file: t.file ? relative(suiteDir, t.file) : undefined,
    durationMs: t.duration,
    ...extra,
  });

  return new Promise<void>((resolve, reject) => {
    const vscodeVersion = vscode.version;
    const finish = (failures: number) => {
      results.durationMs = Date.now() - started;
      results.vscodeVersion = vscodeVersion;
      try {
        writeResults(resultsFile, results);
      } catch (e) {
        console.error(`integration: could not write ${resultsFile}: ${(e as Error).message}`);
      }
      if (failures > 0 || results.passes.length === 0) {
        reject(new Error(results.passes.length === 0 && failures === 0 ? 'no tests ran' : `${failures} test(s) failed`));
      } else {
        resolve();
      }
    };
    try {
      if (files.length === 0) throw new Error(`no suite files (*.test.js) under ${suiteDir}`);
      const runner = mocha.run((failures) => finish(failures));
      runner.on('pass', (t) => results.passes.push(describe(t)));
      runner.on('pending', (t) => results.pending.push(describe(t)));
      runner.on('fail', (t, err: Error) => {
        results.failures.push(describe(t, { error: String(err?.message ?? err), stack: err?.stack }));
      });
    } catch (e) {
      // A suite file that throws while loading would otherwise leave no trace outside the extension host.
      results.failures.push({ title: 'loading the suite', fullTitle: 'loading the suite', error: String((e as Error)?.message ?? e), stack: (e as Error)?.stack });
      finish(1);
    }
  });
}
