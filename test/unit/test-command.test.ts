import { describe, expect, it } from 'vitest';
import { SUITES, summaryLines } from '../../scripts/test.js';
import { ensureTestPrerequisites, type Prerequisite } from '../../scripts/test-prerequisites.js';

// `npm test` (scripts/test.ts): every suite runs, and the closing line counts
// them all in the form CI reads.

describe('npm test', () => {
  it('runs the unit, integration and browser suites, each on its own', () => {
    expect(SUITES.map((suite) => suite.name)).toEqual(['unit', 'integration', 'e2e']);
  });

  it('ends with a line per suite and a total that counts every failure', () => {
    const lines = summaryLines([
      {
        name: 'unit',
        exitCode: 1,
        seconds: 12.4,
        counts: { passed: 500, failed: 2, skipped: 0 },
      },
      {
        name: 'integration',
        exitCode: 0,
        seconds: 301,
        counts: { passed: 600, failed: 0, skipped: 3 },
      },
      { name: 'e2e', exitCode: 0, seconds: 95, counts: { passed: 90, failed: 0, skipped: 0 } },
    ]);
    expect(lines).toEqual([
      'unit:        500 passed, 2 failed in 12 s (exit code 1)',
      'integration: 600 passed, 0 failed, 3 skipped in 5 min 1 s',
      'e2e:         90 passed, 0 failed in 1 min 35 s',
      '1190 passed, 2 failed, 3 skipped',
    ]);
    // The closing line alone on its line, as CI reads it.
    expect(lines.at(-1)).toMatch(/^\d+ passed, \d+ failed(, \d+ skipped)?$/);
  });

  it('counts a suite that failed without a failing test (a crash, a file that did not load) as a failure', () => {
    const lines = summaryLines([
      { name: 'unit', exitCode: 0, seconds: 3, counts: { passed: 10, failed: 0, skipped: 0 } },
      { name: 'e2e', exitCode: 1, seconds: 1, counts: null },
    ]);
    expect(lines[1]).toBe(
      "e2e:  0 passed, 1 failed in 1 s (exit code 1 with no failing test: see vitest's output above)",
    );
    expect(lines.at(-1)).toBe('10 passed, 1 failed');
  });
});

describe('test prerequisites', () => {
  const present = (name: string): Prerequisite => ({
    what: name,
    debianPackage: name,
    isPresent: () => true,
  });
  const absent = (what: string, debianPackage: string): Prerequisite => ({
    what,
    debianPackage,
    isPresent: () => false,
  });

  it('lets the tests run when everything is there', () => {
    const lines: string[] = [];
    expect(
      ensureTestPrerequisites(
        (line) => lines.push(line),
        [present('perl')],
        () => true,
      ),
    ).toBe(true);
    expect(lines).toEqual([]);
  });

  it('installs what is missing as root on Debian, saying so, and checks again', () => {
    const lines: string[] = [];
    let installed: string[] = [];
    const chromium: Prerequisite = {
      what: 'Chromium',
      debianPackage: 'chromium',
      isPresent: () => installed.includes('chromium'),
    };
    const ok = ensureTestPrerequisites(
      (line) => lines.push(line),
      [chromium],
      (packages) => {
        installed = packages;
        return true;
      },
    );
    expect(ok).toBe(true);
    expect(installed).toEqual(['chromium']);
    expect(lines.at(-1)).toBe(
      'Installing the Debian packages chromium with apt-get (running as root on Debian).',
    );
    // An install that leaves it missing stops the run.
    expect(
      ensureTestPrerequisites(
        () => {},
        [absent('Java', 'default-jre-headless')],
        () => true,
      ),
    ).toBe(false);
  });

  it('stops at once naming the Debian packages when it may not install them', () => {
    const lines: string[] = [];
    const ok = ensureTestPrerequisites(
      (line) => lines.push(line),
      [present('perl'), absent('Chromium', 'chromium'), absent('Java', 'default-jre-headless')],
      null,
    );
    expect(ok).toBe(false);
    expect(lines.join('\n')).toContain('  - Chromium: Debian package chromium');
    expect(lines.join('\n')).toContain('  - Java: Debian package default-jre-headless');
    expect(lines.at(-1)).toBe(
      'Install them with `sudo apt-get install chromium default-jre-headless`, then run the tests again.',
    );
  });
});
