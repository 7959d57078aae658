import { describe, expect, it } from 'vitest';
import {
  largePreviewOf,
  parseRenditionName,
  renditionName,
  renditionsOf,
  renditionWidths,
  srcsetFor,
} from './renditions.js';

const MASTER = '0123456789abcdef0123456789abcdef.jpg';

describe('renditions', () => {
  it('never upscales: only widths below the original are made', () => {
    expect(renditionWidths(1600)).toEqual([320, 640, 960, 1280]);
    expect(renditionWidths(700)).toEqual([320, 640]);
    expect(renditionWidths(300)).toEqual([]);
    expect(renditionWidths(null)).toEqual([]);
  });

  it('names renditions after the master and reads the names back', () => {
    const name = renditionName(MASTER, 640, 'webp');
    expect(name).toBe('0123456789abcdef0123456789abcdef-640.webp');
    expect(parseRenditionName(name)).toEqual({ master: MASTER, width: 640, format: 'webp' });
  });

  it('refuses widths outside the list, other formats and anything path-like', () => {
    expect(parseRenditionName('0123456789abcdef0123456789abcdef-641.webp')).toBeNull();
    expect(parseRenditionName('0123456789abcdef0123456789abcdef-640.png')).toBeNull();
    expect(parseRenditionName('../0123456789abcdef0123456789abcdef-640.jpg')).toBeNull();
  });

  it('lists every rendition in the srcset, with the master as the largest JPEG', () => {
    expect(srcsetFor(MASTER, 1000, 'avif', '/media/')).toBe(
      '/media/0123456789abcdef0123456789abcdef-320.avif 320w, /media/0123456789abcdef0123456789abcdef-640.avif 640w, /media/0123456789abcdef0123456789abcdef-960.avif 960w',
    );
    expect(srcsetFor(MASTER, 1000, 'jpg', '/media/').endsWith(`/media/${MASTER} 1000w`)).toBe(true);
  });

  it('lists every served file of a photo: three formats per width, then the master', () => {
    const all = renditionsOf(MASTER, 1000, '/media/');
    expect(all).toHaveLength(3 * 3 + 1);
    expect(all.filter((r) => r.format === 'avif').map((r) => r.width)).toEqual([320, 640, 960]);
    expect(all.at(-1)).toEqual({ url: `/media/${MASTER}`, width: 1000, format: 'jpg' });
  });

  it('offers search engines the smallest JPEG at least 1200 px wide, else the master', () => {
    expect(largePreviewOf(MASTER, 4000, '/media/')).toEqual({
      url: '/media/0123456789abcdef0123456789abcdef-1280.jpg',
      width: 1280,
      format: 'jpg',
    });
    expect(largePreviewOf(MASTER, 1250, '/media/').url).toBe(`/media/${MASTER}`);
    expect(largePreviewOf(MASTER, 800, '/media/').width).toBe(800);
  });
});
