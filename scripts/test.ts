// npm test: every suite, each run to its end whatever the others did, so a
// failing unit test can no longer hide the browser tests' results. Vitest
// prints its own report for each suite as it goes; at the end comes one line
// per suite and a last line "N passed, N failed[, N skipped]" over them all
// (the form CI reads). Exits 1 when any suite failed.
//
// First the things npm cannot install are checked (test-prerequisites.ts):
// missing ones are installed as root on Debian, or the run stops at once.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ensureTestPrerequisites } from './test-prerequisites.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const VITEST = join(REPO_ROOT, 'node_modules', '.bin', 'vitest');

/** One vitest invocation: its name in the summary and the vitest projects it runs. */
export type Suite = { name: string; projects: string[] };

export const SUITES: Suite[] = [
  { name: 'unit', projects: ['unit'] },
  // integration-pg joins when TEST_DATABASE_URL is set (vitest.config.ts).
  { name: 'integration', projects: ['integration*'] },
  { name: 'e2e', projects: ['e2e'] },
];

/** What one suite's run came to: counts from vitest's JSON report, when it wrote one. */
export type SuiteResult = {
  name: string;
  exitCode: number;
  seconds: number;
  counts: { passed: number; failed: number; skipped: number } | null;
};

// The fields of vitest's JSON report read here (vitest's JsonTestResults).
const jsonReport = z.object({
  numPassedTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  numTodoTests: z.number(),
});

/**
 * The summary lines: one per suite, then the total. A suite that failed with
 * no failing test (a file that did not load, an error outside any test, a
 * crash) counts as one failure, so the total can never read "0 failed" for a
 * run that failed.
 */
export function summaryLines(results: SuiteResult[]): string[] {
  const total = { passed: 0, failed: 0, skipped: 0 };
  const width = Math.max(...results.map((result) => result.name.length)) + 1;
  const lines = results.map((result) => {
    const counts = result.counts ?? { passed: 0, failed: 0, skipped: 0 };
    const failed = result.exitCode !== 0 && counts.failed === 0 ? counts.failed + 1 : counts.failed;
    total.passed += counts.passed;
    total.failed += failed;
    total.skipped += counts.skipped;
    const problem =
      result.exitCode === 0
        ? ''
        : counts.failed === 0
          ? ` (exit code ${result.exitCode} with no failing test: see vitest's output above)`
          : ` (exit code ${result.exitCode})`;
    return `${`${result.name}:`.padEnd(width)} ${formatCounts({ ...counts, failed })} in ${formatSeconds(result.seconds)}${problem}`;
  });
  return [...lines, formatCounts(total)];
}

function formatCounts(counts: { passed: number; failed: number; skipped: number }): string {
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  return `${counts.passed} passed, ${counts.failed} failed${skipped}`;
}

function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** Runs one suite with vitest's usual report on the terminal and a JSON report for the counts. */
async function runSuite(suite: Suite, reportDir: string): Promise<SuiteResult> {
  const reportFile = join(reportDir, `${suite.name}.json`);
  const args = [
    'run',
    ...suite.projects.flatMap((project) => ['--project', project]),
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
  ];
  const started = performance.now();
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(VITEST, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`could not start vitest: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  const seconds = (performance.now() - started) / 1000;
  let counts: SuiteResult['counts'] = null;
  try {
    const report = jsonReport.parse(JSON.parse(await readFile(reportFile, 'utf8')));
    counts = {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    };
  } catch {
    // No report: vitest stopped before writing one; the exit code says it failed.
  }
  return { name: suite.name, exitCode, seconds, counts };
}

/** `npm test` runs every suite; `npm test -- unit integration` only those named. */
async function main(names: string[]): Promise<number> {
  const unknown = names.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    console.error(
      `unknown suite ${unknown.join(', ')}: use ${SUITES.map((s) => s.name).join(', ')}`,
    );
    return 2;
  }
  const suites = names.length === 0 ? SUITES : SUITES.filter((suite) => names.includes(suite.name));
  if (!ensureTestPrerequisites()) return 1;
  const reportDir = await mkdtemp(join(tmpdir(), 'masthead-test-reports-'));
  const results: SuiteResult[] = [];
  try {
    for (const suite of suites) {
      console.log(
        `\n▶ ${suite.name} (vitest run ${suite.projects.map((p) => `--project ${p}`).join(' ')})`,
      );
      results.push(await runSuite(suite, reportDir));
    }
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
  console.log('\nAll suites:');
  for (const line of summaryLines(results)) console.log(line);
  return results.every((result) => result.exitCode === 0) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
