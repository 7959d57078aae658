/**
 * Responsive image renditions: every stored photo is served in AVIF, WebP and
 * JPEG at a few widths, made on first request from the stored master and
 * cached on disk. Names carry the master's content hash, the width and the
 * format ("<hash>-640.webp"), so they can be cached forever.
 */
/** Where the public photo files are served; renditions' URLs are this path (or the public origin plus it) and a name. */
export const MEDIA_PATH = '/media/';

export const RENDITION_WIDTHS = [320, 640, 960, 1280, 1600] as const;
export const RENDITION_FORMATS = ['avif', 'webp', 'jpg'] as const;
export type RenditionFormat = (typeof RENDITION_FORMATS)[number];

const NAME = /^([a-f0-9]{32})-(\d{3,4})\.(avif|webp|jpg)$/;

/** The rendition widths worth making for a photo `width` pixels wide (never upscaled). */
export function renditionWidths(width: number | null): number[] {
  if (width === null) return [];
  return RENDITION_WIDTHS.filter((candidate) => candidate < width);
}

/** "<hash>.jpg" at `width` in `format` → "<hash>-640.webp". */
export function renditionName(master: string, width: number, format: RenditionFormat): string {
  return `${master.replace(/\.jpg$/, '')}-${width}.${format}`;
}

/** The master file, width and format a rendition name asks for; null for any other name or width. */
export function parseRenditionName(
  name: string,
): { master: string; width: number; format: RenditionFormat } | null {
  const match = NAME.exec(name);
  if (!match) return null;
  const width = Number(match[2]);
  if (!(RENDITION_WIDTHS as readonly number[]).includes(width)) return null;
  return { master: `${match[1]}.jpg`, width, format: match[3] as RenditionFormat };
}

/**
 * The srcset for a photo in one format: each rendition, then the master at
 * its own width (as JPEG, the master is itself the largest rendition).
 */
export function srcsetFor(
  master: string,
  width: number,
  format: RenditionFormat,
  urlPrefix: string,
): string {
  const entries = renditionWidths(width).map(
    (w) => `${urlPrefix}${renditionName(master, w, format)} ${w}w`,
  );
  if (format === 'jpg') entries.push(`${urlPrefix}${master} ${width}w`);
  return entries.join(', ');
}

export type Rendition = { url: string; width: number; format: RenditionFormat };

/** Every file a photo is served as: each rendition in each format, then the master JPEG. */
export function renditionsOf(master: string, width: number, urlPrefix: string): Rendition[] {
  const made = RENDITION_FORMATS.flatMap((format) =>
    renditionWidths(width).map((w) => ({
      url: `${urlPrefix}${renditionName(master, w, format)}`,
      width: w,
      format,
    })),
  );
  return [...made, { url: `${urlPrefix}${master}`, width, format: 'jpg' }];
}

/** Search engines show a large preview only for images at least this wide. */
export const LARGE_PREVIEW_WIDTH = 1200;

/**
 * The JPEG to offer search engines and link previews: the smallest one at
 * least 1200 px wide, or the master itself when the photo is narrower.
 */
export function largePreviewOf(master: string, width: number, urlPrefix: string): Rendition {
  const wide = renditionWidths(width).find((w) => w >= LARGE_PREVIEW_WIDTH);
  return wide === undefined
    ? { url: `${urlPrefix}${master}`, width, format: 'jpg' }
    : { url: `${urlPrefix}${renditionName(master, wide, 'jpg')}`, width: wide, format: 'jpg' };
}

/**
 * The photo as a JPEG at most `maxWidth` wide for a message sent off the site
 * (a Telegram post, a newsletter): the largest rendition that fits, else the
 * master itself; its file name and width.
 */
export function jpegUpTo(
  master: string,
  width: number,
  maxWidth: number,
): { name: string; width: number } {
  const fits = renditionWidths(width)
    .filter((w) => w <= maxWidth)
    .at(-1);
  return fits ? { name: renditionName(master, fits, 'jpg'), width: fits } : { name: master, width };
}
