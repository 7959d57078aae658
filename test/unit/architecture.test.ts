import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The dependency direction of DESIGN.md, enforced: http, cli → newsroom →
// store → core; formats and site → core only. core imports nothing of ours and
// does no I/O.
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

const ALLOWED: Record<string, string[]> = {
  core: [],
  formats: ['core'],
  site: ['core'],
  store: ['core'],
  newsroom: ['core', 'store', 'formats'],
  http: ['core', 'newsroom', 'site'],
};
const IO_MODULES =
  /^(node:)?(fs|fs\/promises|net|http|https|child_process|dgram|os|process|worker_threads)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? '',
  );
}

const files = sourceFiles(SRC).map((file) => ({
  file,
  folder: relative(SRC, file).split('/')[0] ?? '',
}));

describe('dependency direction', () => {
  it('finds the source folders it checks', () => {
    expect(new Set(files.map((f) => f.folder))).toEqual(
      new Set([...Object.keys(ALLOWED), 'config.ts', 'main.ts', 'cli.ts']),
    );
  });

  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only from ${allowed.length ? allowed.join(', ') : 'itself'}`, () => {
      const violations = files
        .filter((f) => f.folder === folder)
        .flatMap(({ file }) =>
          importsOf(file)
            .filter((spec) => spec.startsWith('.'))
            .map((spec) => relative(SRC, join(file, '..', spec)).split('/')[0] ?? '')
            .filter((target) => target !== folder && !allowed.includes(target))
            .map((target) => `${relative(SRC, file)} → ${target}`),
        );
      expect(violations).toEqual([]);
    });
  }

  it('keeps core/, formats/ and site/ free of I/O modules', () => {
    const violations = files
      .filter((f) => ['core', 'formats', 'site'].includes(f.folder))
      .flatMap(({ file }) =>
        importsOf(file)
          .filter((spec) => IO_MODULES.test(spec))
          .map((spec) => `${relative(SRC, file)} → ${spec}`),
      );
    expect(violations).toEqual([]);
  });
});
