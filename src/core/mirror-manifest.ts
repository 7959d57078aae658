import { z } from 'zod';
import { DomainError } from './errors.js';

// A mirror's manifest: every file it holds with its size and SHA-256, signed
// as a whole (manifest.sig, Ed25519 over the exact bytes of manifest.json). A
// reader who trusts the key trusts every byte the manifest lists, wherever the
// folder is served from.

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
/** Files a mirror holds that the manifest cannot list: itself and its signature. */
export const UNLISTED_FILES: readonly string[] = [MANIFEST_FILE, SIGNATURE_FILE];

const fileSchema = z.object({
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  /** What the page shows, as cache tags: an incremental build rewrites the pages a change touched. */
  tags: z.array(z.string()).optional(),
});

export const mirrorManifestSchema = z.object({
  format: z.literal('masthead-mirror'),
  version: z.literal(1),
  /** What made the files (Masthead's version, layout, assets): a later build reuses them only when the same. */
  generator: z.string().optional(),
  site: z.string(),
  /** The newsroom's main address: canonical links point there. */
  origin: z.string(),
  /** Where this copy is meant to be served (`--base-url`), if said. */
  mirrorUrl: z.string().nullable(),
  builtAt: z.iso.datetime(),
  files: z.array(fileSchema),
});

export type MirrorManifest = z.infer<typeof mirrorManifestSchema>;
export type MirrorFile = MirrorManifest['files'][number];

/** The manifest as written: files in path order, one per line, so two builds of one site compare line by line. */
export function manifestBytes(manifest: MirrorManifest): Buffer {
  const { files, ...head } = manifest;
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const lines = sorted.map((file) => `    ${JSON.stringify(file)}`).join(',\n');
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return Buffer.from(`${top},\n  "files": [\n${lines}\n  ]\n}\n`);
}

/** Reads a manifest, or says what is wrong with it. */
export function parseManifest(bytes: Buffer): MirrorManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new DomainError(
      'malformed_file',
      `${MANIFEST_FILE} is not JSON (${(error as Error).message})`,
    );
  }
  const parsed = mirrorManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`,
    );
    throw new DomainError(
      'malformed_file',
      `${MANIFEST_FILE} is not a Masthead mirror manifest: ${problems.join('; ')}`,
    );
  }
  return parsed.data;
}

/** One difference between a manifest and the files found. */
export type MirrorDifference = { path: string; problem: 'missing' | 'added' | 'altered' };

/**
 * Compares what the manifest lists with what was found (`found` maps each
 * path to its size and SHA-256). When `complete` (a folder, not an address
 * that can only be asked for listed files), files the manifest does not
 * list count as added.
 */
export function compareWithManifest(
  manifest: MirrorManifest,
  found: ReadonlyMap<string, { size: number; sha256: string } | null>,
  complete: boolean,
): MirrorDifference[] {
  const differences: MirrorDifference[] = [];
  const listed = new Set<string>();
  for (const file of manifest.files) {
    listed.add(file.path);
    const actual = found.get(file.path);
    if (!actual) differences.push({ path: file.path, problem: 'missing' });
    else if (actual.size !== file.size || actual.sha256 !== file.sha256)
      differences.push({ path: file.path, problem: 'altered' });
  }
  if (complete) {
    for (const path of found.keys()) {
      if (!listed.has(path) && !UNLISTED_FILES.includes(path))
        differences.push({ path, problem: 'added' });
    }
  }
  return differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
