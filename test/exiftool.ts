import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

// ExifTool writes IPTC IIM and XMP into test photos as agencies' software
// does. It comes with `npm ci` (exiftool-vendored.pl: Phil Harvey's Perl
// ExifTool, unchanged) and runs on the system's perl, which every Debian has
// (perl-base); no system ExifTool is needed.

const run = promisify(execFile);
/** The vendored `exiftool` script (the package's main export is its path). */
const EXIFTOOL: string = createRequire(import.meta.url)('exiftool-vendored.pl');

/** Runs `exiftool ...args` (e.g. `-overwrite_original -IPTC:Credit=… file`); rejects with its output when it fails. */
export async function exiftool(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return await run('perl', [EXIFTOOL, ...args]);
}
