// What the tests need that `npm ci` cannot install: the browser tests drive
// the system Chromium and run the Nu Html Checker (vnu.jar) on Java, and the
// photo-metadata tests run the ExifTool that npm brings (exiftool-vendored.pl)
// on perl. `npm test` checks them before any suite runs, so a fresh machine
// learns what is missing at once rather than after minutes of tests. As root
// on Debian (CI, a fresh container) the missing packages are installed with
// apt-get; anywhere else the run stops, naming the packages to install.
//
// Run alone: `tsx scripts/test-prerequisites.ts` (exit 0 when all is there).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { CHROMIUM_PATH } from '../e2e/browser.js';

/** Something the tests run that only the system can provide. */
export type Prerequisite = {
  /** What it is and who needs it, for messages. */
  what: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  isPresent: () => boolean;
};

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when `command args` can be run and exits 0. */
function runs(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 60_000 });
  return result.error === undefined && result.status === 0;
}

export const PREREQUISITES: Prerequisite[] = [
  {
    what: `Chromium at ${CHROMIUM_PATH} (the browser tests)`,
    debianPackage: 'chromium',
    isPresent: () => isExecutable(CHROMIUM_PATH),
  },
  {
    what: 'a Java runtime, `java` (the Nu Html Checker in the browser tests)',
    debianPackage: 'default-jre-headless',
    isPresent: () => runs('java', ['-version']),
  },
  {
    what: 'perl (ExifTool, which writes metadata into the test photos)',
    debianPackage: 'perl-base',
    isPresent: () => runs('perl', ['-e', '1']),
  },
];

/** Where apt-get may be used without asking anyone: root on Debian or a derivative. */
function canInstallWithApt(): boolean {
  return (
    process.getuid?.() === 0 && existsSync('/etc/debian_version') && runs('apt-get', ['--version'])
  );
}

function apt(args: string[]): boolean {
  const result = spawnSync('apt-get', args, {
    // No standard input: apt must never wait for an answer.
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.error === undefined && result.status === 0;
}

/** Installs Debian packages with apt-get; true when it succeeded. */
export type Installer = (packages: string[]) => boolean;

const aptInstall: Installer = (packages) => apt(['update']) && apt(['install', '-y', ...packages]);

/**
 * Makes sure every prerequisite is there: installs the missing ones with
 * `installer` (by default apt-get, when running as root on Debian), saying
 * so, and otherwise prints what to install. Returns true when the tests can run.
 */
export function ensureTestPrerequisites(
  log: (line: string) => void = console.log,
  prerequisites: Prerequisite[] = PREREQUISITES,
  installer: Installer | null = canInstallWithApt() ? aptInstall : null,
): boolean {
  let missing = prerequisites.filter((item) => !item.isPresent());
  if (missing.length === 0) return true;
  const packages = missing.map((item) => item.debianPackage);
  if (installer) {
    log(`The tests need ${missing.map((item) => item.what).join('; ')}.`);
    log(
      `Installing the Debian packages ${packages.join(' ')} with apt-get (running as root on Debian).`,
    );
    if (installer(packages)) {
      missing = missing.filter((item) => !item.isPresent());
      if (missing.length === 0) return true;
    }
    log(`Still missing after apt-get: ${missing.map((item) => item.what).join('; ')}.`);
    return false;
  }
  log('The tests cannot run: this machine lacks what npm cannot install.');
  for (const item of missing) log(`  - ${item.what}: Debian package ${item.debianPackage}`);
  log(
    `Install them with \`sudo apt-get install ${packages.join(' ')}\`, then run the tests again.`,
  );
  return false;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = ensureTestPrerequisites() ? 0 : 1;
}
