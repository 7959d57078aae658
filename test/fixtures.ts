import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared fixtures, read in place (never copied into the project). */
export const FIXTURES_DIR = fileURLToPath(new URL('../../shared/fixtures/', import.meta.url));

export const SEED_FILE = `${FIXTURES_DIR}seed/000_987c6400eb76061d.txt`;

export const SEED_ARTICLE_PATH =
  '/news/politics/azerbaijans-aliyev-accuses-russian-forces-of-deliberately-targeting-his-countrys-embassy-in-kyiv';

export function readSeed(): Buffer {
  return readFileSync(SEED_FILE);
}
