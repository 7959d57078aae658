import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, signIn } from '../admin.js';
import { exiftool } from '../exiftool.js';
import { postUpload } from '../multipart.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Photos as agencies send them: IPTC IIM and XMP written into a real JPEG by
// ExifTool (installed by npm ci, see test/exiftool.ts), plus the
// GPS position and camera serial number that must never be served.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let workDir: string;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
  workDir = await mkdtemp(join(tmpdir(), 'masthead-photo-'));
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
  await rm(workDir, { recursive: true, force: true });
});

async function agencyPhoto(): Promise<Buffer> {
  const file = join(workDir, 'agency.jpg');
  await sharp({ create: { width: 1400, height: 875, channels: 3, background: '#446688' } })
    .jpeg()
    .toFile(file);
  await exiftool([
    '-overwrite_original',
    '-charset',
    'iptc=UTF8',
    '-IPTC:CodedCharacterSet=UTF8',
    '-IPTC:By-line=Григорий Сысоев',
    '-IPTC:Credit=EPA / Sputnik / Kremlin',
    '-IPTC:Source=Sputnik',
    '-IPTC:Caption-Abstract=Алиев и Путин в Душанбе',
    '-IPTC:Keywords=Azerbaijan',
    '-IPTC:Keywords=Russia',
    '-XMP-dc:Rights=© Sputnik',
    '-XMP-iptcCore:AltTextAccessibility=Two men shake hands in a gilded hall',
    '-XMP-iptcExt:DigitalSourceType=http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture',
    '-GPSLatitude=38.5',
    '-GPSLatitudeRef=N',
    '-GPSLongitude=68.7',
    '-GPSLongitudeRef=E',
    '-SerialNumber=CAM-0042',
    file,
  ]);
  return await readFile(file);
}

/**
 * What of the photo's metadata a file still carries, by two independent
 * checks: sharp (libvips) reads the EXIF, IPTC and XMP blocks of JPEG, WebP
 * and AVIF alike, and the raw bytes are searched for the serial number and
 * the photographer's name. exifr alone cannot read WebP or AVIF.
 */
async function leftoverMetadata(bytes: Buffer): Promise<string[]> {
  const metadata = await sharp(bytes).metadata();
  return [
    ...(metadata.exif ? ['exif'] : []),
    ...(metadata.iptc ? ['iptc'] : []),
    ...(metadata.xmp ? ['xmp'] : []),
    ...(bytes.includes('CAM-0042') ? ['serial number'] : []),
    ...(bytes.includes(Buffer.from('Сысоев')) ? ['photographer'] : []),
  ];
}

describe('photo metadata on upload', () => {
  it('fills alt text, caption, credit chain, creator, source, copyright and keywords from IPTC/XMP', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const photo = await agencyPhoto();
    // The sender's own check that the fixture carries what the test claims.
    expect((await exifr.gps(photo))?.latitude).toBeCloseTo(38.5);
    const response = await postUpload(app, editor, [
      { name: 'alt', value: '' },
      { name: 'file', filename: 'agency.jpg', contentType: 'image/jpeg', bytes: photo },
    ]);
    expect(response.statusCode, response.body).toBe(201);
    const media = response.json();
    expect(media).toMatchObject({
      alt: 'Two men shake hands in a gilded hall',
      caption: 'Алиев и Путин в Душанбе',
      creditLine: 'EPA / Григорий Сысоев / Sputnik / Kremlin',
      creator: 'Григорий Сысоев',
      source: 'Sputnik',
      copyright: '© Sputnik',
      digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture',
      keywords: ['Azerbaijan', 'Russia'],
    });
    expect(media.credit.map((part: { role: string }) => part.role)).toEqual([
      'agency',
      'photographer',
      'distributor',
      'pool',
    ]);

    const master = await app.inject(media.url);
    expect(master.statusCode).toBe(200);
    expect(await exifr.gps(master.rawPayload).catch(() => undefined)).toBeUndefined();
    expect(await leftoverMetadata(master.rawPayload)).toEqual([]);
  });

  it('serves every rendition without GPS or serial number, and keeps the original for editors only', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const photo = await agencyPhoto();
    const media = (
      await postUpload(app, editor, [
        { name: 'alt', value: 'Two men' },
        { name: 'file', filename: 'agency.jpg', contentType: 'image/jpeg', bytes: photo },
      ])
    ).json();
    // The check itself sees metadata that WebP and AVIF files keep (control).
    for (const format of ['webp', 'avif'] as const) {
      const kept = await sharp(photo).keepMetadata().toFormat(format, { effort: 0 }).toBuffer();
      expect(await leftoverMetadata(kept), format).toContain('exif');
    }
    // 1400 px wide: 320, 640, 960 and 1280 in three formats, plus the master.
    expect(media.renditions).toHaveLength(13);
    expect(media.largePreview).toMatchObject({ width: 1280, format: 'jpg' });
    for (const rendition of media.renditions as { url: string; format: string }[]) {
      const served = await app.inject(rendition.url);
      expect(served.statusCode, rendition.url).toBe(200);
      expect(served.headers['cache-control']).toContain('immutable');
      expect(await leftoverMetadata(served.rawPayload), rendition.url).toEqual([]);
    }

    // The upload as it arrived is kept outside the public folder…
    const download = await editor.send('GET', `/api/media/${media.id}/original`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="[a-f0-9]{32}\.jpg"$/,
    );
    expect(Buffer.compare(download.rawPayload, photo)).toBe(0);
    expect((await exifr.gps(download.rawPayload))?.latitude).toBeCloseTo(38.5);
    const name = /filename="(.+)"/.exec(String(download.headers['content-disposition']))?.[1];
    // (the public file of that name is the clean master, never the original)
    const sameName = await app.inject(`/media/${name}`);
    expect(Buffer.compare(sameName.rawPayload, photo)).not.toBe(0);
    expect(await exifr.gps(sameName.rawPayload).catch(() => undefined)).toBeUndefined();
    expect((await app.inject(`/originals/${name}`)).statusCode).toBe(404);
    // …and only editors may have it.
    const author = await signIn(app, newsroom, 'author', 'Ann Author');
    const refused = await author.send('GET', `/api/media/${media.id}/original`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('not_allowed_for_role');
  });

  it('reads the same fields from XMP alone, as many agencies now send them', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const file = join(workDir, 'xmp-only.jpg');
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#335566' } })
      .jpeg()
      .toFile(file);
    await exiftool([
      '-overwrite_original',
      '-XMP-dc:Creator=Maarit Koski',
      '-XMP-photoshop:Credit=Reuters',
      '-XMP-photoshop:Source=Lehtikuva',
      '-XMP-dc:Description=Ice on the harbour at dawn',
      '-XMP-dc:Rights=© Reuters',
      '-XMP-dc:Subject=Harbour',
      '-XMP-dc:Subject=Winter',
      '-XMP-iptcCore:AltTextAccessibility=Ice floes between moored boats',
      '-XMP-iptcExt:DigitalSourceType=http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture',
      file,
    ]);
    const bytes = await readFile(file);
    // The fixture really carries no IPTC IIM: everything comes from XMP.
    expect((await sharp(bytes).metadata()).iptc).toBeUndefined();
    const response = await postUpload(app, editor, [
      { name: 'alt', value: '' },
      { name: 'file', filename: 'xmp.jpg', contentType: 'image/jpeg', bytes },
    ]);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      alt: 'Ice floes between moored boats',
      caption: 'Ice on the harbour at dawn',
      creditLine: 'Reuters / Maarit Koski',
      creator: 'Maarit Koski',
      source: 'Lehtikuva',
      copyright: '© Reuters',
      digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture',
      keywords: ['Harbour', 'Winter'],
    });
  });

  it('keeps what the editor typed over what the file says', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const response = await postUpload(app, editor, [
      { name: 'alt', value: 'Our own description' },
      { name: 'credit', value: 'Reuters / Jane Doe' },
      {
        name: 'file',
        filename: 'agency.jpg',
        contentType: 'image/jpeg',
        bytes: await agencyPhoto(),
      },
    ]);
    expect(response.json()).toMatchObject({
      alt: 'Our own description',
      creditLine: 'Reuters / Jane Doe',
      creator: 'Григорий Сысоев',
    });
  });
});
