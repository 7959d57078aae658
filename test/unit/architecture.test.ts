import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The dependency direction of DESIGN.md, enforced: http, cli → newsroom →
// store → core; formats and site → core only. core, formats and site do no
// I/O and read no clock, randomness or environment.
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

const ALLOWED: Record<string, string[]> = {
  core: [],
  formats: ['core'],
  site: ['core'],
  store: ['core'],
  newsroom: ['core', 'store', 'formats'],
  http: ['core', 'newsroom', 'site'],
  // The newsroom app speaks to the server only through the admin API; it shares core's document schema.
  admin: ['core'],
  // Mirrors are the public site as files: rendered by http/'s own routes, read through newsroom/.
  mirror: ['core', 'newsroom', 'http'],
};
const PURE_FOLDERS = ['core', 'formats', 'site'];
const IMPURE_MODULES =
  /^(node:)?(fs|fs\/promises|net|http|https|child_process|dgram|os|process|worker_threads|crypto)$|^(better-sqlite3|pg|kysely|sharp|pino|fastify|@fastify\/.*)$/;
const IMPURE_CALLS = /\bnew Date\(\)|\bDate\.now\(|\bMath\.random\(|\bprocess\.(env|argv|exit)\b/;
const IMPORT_PATTERNS = [
  /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm, // import x from 'y'
  /^\s*import\s+['"]([^'"]+)['"]/gm, // import 'y', for its side effects
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, // import('y')
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return IMPORT_PATTERNS.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1] ?? ''));
}

const files = sourceFiles(SRC).map((file) => ({
  file,
  name: relative(SRC, file),
  folder: relative(SRC, file).split('/')[0] ?? '',
}));
const pure = files.filter((f) => PURE_FOLDERS.includes(f.folder));

describe('dependency direction', () => {
  it('finds the source folders it checks', () => {
    expect(new Set(files.map((f) => f.folder))).toEqual(
      new Set([...Object.keys(ALLOWED), 'config.ts', 'main.ts', 'cli.ts', 'cli-newsletter.ts']),
    );
  });

  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only from ${allowed.length ? allowed.join(', ') : 'itself'}`, () => {
      const violations = files
        .filter((f) => f.folder === folder)
        .flatMap(({ file, name }) =>
          importsOf(file)
            .filter((spec) => spec.startsWith('.'))
            .map((spec) => relative(SRC, join(file, '..', spec)).split('/')[0] ?? '')
            .filter((target) => target !== folder && !allowed.includes(target))
            .map((target) => `${name} → ${target}`),
        );
      expect(violations).toEqual([]);
    });
  }

  it('keeps core/, formats/ and site/ free of I/O, database and server modules', () => {
    const violations = pure.flatMap(({ file, name }) =>
      importsOf(file)
        .filter((spec) => IMPURE_MODULES.test(spec))
        .map((spec) => `${name} → ${spec}`),
    );
    expect(violations).toEqual([]);
  });

  it('keeps core/, formats/ and site/ free of the clock, randomness and the environment', () => {
    const violations = pure.flatMap(({ file, name }) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) =>
          IMPURE_CALLS.test(line) ? [`${name}:${index + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(violations).toEqual([]);
  });
});
