import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AssetUrls } from '../site/assets.js';

export type Asset = { body: Buffer; contentType: string };

export type LoadedAssets = { urls: AssetUrls; files: Map<string, Asset> };

const SOURCES = {
  stylesheet: { file: 'site.css', contentType: 'text/css; charset=utf-8' },
  printStylesheet: { file: 'print.css', contentType: 'text/css; charset=utf-8' },
  script: { file: 'site.js', contentType: 'text/javascript; charset=utf-8' },
  mirrorSearchScript: { file: 'mirror-search.js', contentType: 'text/javascript; charset=utf-8' },
  icon: { file: 'icon.svg', contentType: 'image/svg+xml' },
} as const;

/**
 * Reads the reader-side assets once and names each by its content hash
 * ("site.3f2a9c1d.css"), so they can be cached forever and change name when edited.
 */
export async function loadAssets(): Promise<LoadedAssets> {
  const directory = new URL('../site/assets/', import.meta.url);
  const files = new Map<string, Asset>();
  const urls: Partial<Record<keyof AssetUrls, string>> = {};
  for (const [key, source] of Object.entries(SOURCES) as [
    keyof AssetUrls,
    (typeof SOURCES)[keyof AssetUrls],
  ][]) {
    const body = await readFile(new URL(source.file, directory));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
    const name = source.file.replace(/\.(\w+)$/, `.${hash}.$1`);
    files.set(name, { body, contentType: source.contentType });
    urls[key] = `/assets/${name}`;
  }
  return { urls: urls as AssetUrls, files };
}
