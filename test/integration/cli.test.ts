import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { SEED_ARTICLE_PATH, SEED_FILE } from '../fixtures.js';

let dataDir: string;
let out: string[];
let err: string[];
const output = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'masthead-cli-'));
  process.env.MASTHEAD_DATA = dataDir;
  out = [];
  err = [];
});
afterEach(async () => {
  delete process.env.MASTHEAD_DATA;
  await rm(dataDir, { recursive: true, force: true });
});

describe('masthead import', () => {
  it('imports the seed, saying where the publication date came from', async () => {
    expect(
      await runCli(['import', SEED_FILE, '--published-at', '2026-02-15T12:00:00Z'], output),
    ).toBe(0);
    expect(out).toContain(
      `created article ${SEED_ARTICLE_PATH} (published at 2026-02-15T12:00:00.000Z, from --published-at)`,
    );
    expect(out.at(-1)).toBe('imported 000_987c6400eb76061d.txt: 8 created, 0 updated, 0 unchanged');
    expect(err).toEqual([]);
  });

  it('reports the same file imported again as unchanged', async () => {
    await runCli(['import', SEED_FILE], output);
    out = [];
    expect(await runCli(['import', SEED_FILE], output)).toBe(0);
    expect(out).toContain(`unchanged article ${SEED_ARTICLE_PATH}`);
    expect(out.at(-1)).toBe('imported 000_987c6400eb76061d.txt: 0 created, 0 updated, 6 unchanged');
  });

  it('fails with exit code 1 on a file in no known format, naming it and the formats expected', async () => {
    const file = join(dataDir, 'minutes.docx');
    await writeFile(file, 'PK\u0003\u0004 not an article');
    expect(await runCli(['import', file], output)).toBe(1);
    expect(err.join('\n')).toMatch(
      /^masthead: minutes\.docx: not a format Masthead can import\. Expected one of: seed: /,
    );
    expect(out).toEqual([]);
    expect(existsSync(join(dataDir, 'masthead.sqlite'))).toBe(false);
  });

  it('refuses a publication date it cannot read, before touching the database', async () => {
    expect(await runCli(['import', SEED_FILE, '--published-at', 'last tuesday'], output)).toBe(2);
    expect(err[0]).toBe(
      'masthead import: --published-at: "last tuesday" is not an ISO 8601 date and time with a zone (e.g. 2026-02-15T12:00:00Z)',
    );
    expect(existsSync(join(dataDir, 'masthead.sqlite'))).toBe(false);
  });

  it('names a file it cannot read', async () => {
    expect(await runCli(['import', join(dataDir, 'missing.txt')], output)).toBe(1);
    expect(err[0]).toMatch(/^masthead import: cannot read .*missing\.txt: ENOENT/);
  });
});

describe('the masthead command', () => {
  it('runs from the package bin, as `npx masthead` does', async () => {
    const bin = new URL('../../bin/masthead.js', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'help']);
    expect(stdout).toMatch(/^masthead — a publishing platform for independent newsrooms/);
  });

  it('rejects an unknown command with usage and exit code 2', async () => {
    expect(await runCli(['publish-everything'], output)).toBe(2);
    expect(err[0]).toMatch(/unknown command "publish-everything"/);
  });

  it('migrates a fresh data directory', async () => {
    expect(await runCli(['migrate'], output)).toBe(0);
    expect(out).toEqual([
      'applied migration 001-initial',
      'applied migration 002-newsroom',
      'applied migration 003-tags',
      'applied migration 004-totp-step',
      'applied migration 005-photo-metadata',
      'applied migration 006-search',
      'applied migration 007-imports',
      'applied migration 008-import-versions',
      'applied migration 009-pending-changes',
      'applied migration 010-preview-links',
      'applied migration 011-photo-focus',
      'applied migration 012-search-and-social',
      'applied migration 013-change-log',
      'applied migration 014-import-journal',
      'applied migration 015-distribution',
      'applied migration 016-newsletters',
      'applied migration 017-newsletter-sends',
      'applied migration 018-fediverse',
      'applied migration 019-fediverse-follows',
      'applied migration 020-fediverse-authors',
      'applied migration 021-fronts',
      'applied migration 022-article-label',
      'applied migration 023-live-coverage',
      'applied migration 024-localized-names',
      'applied migration 025-person-profile',
      'applied migration 026-shared-docs',
      'applied migration 027-article-notes',
      'applied migration 028-desk',
      'applied migration 029-audience',
      `database at ${dataDir}/masthead.sqlite is up to date`,
    ]);
    out = [];
    expect(await runCli(['migrate'], output)).toBe(0);
    expect(out).toEqual([`database at ${dataDir}/masthead.sqlite is up to date`]);
  });

  it('stops with every bad setting listed', async () => {
    process.env.PORT = 'eighty';
    try {
      expect(await runCli(['migrate'], output)).toBe(1);
      expect(err[0]).toMatch(/invalid configuration:\n\s+PORT: /);
    } finally {
      delete process.env.PORT;
    }
  });
});
