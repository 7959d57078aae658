import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import exifr from 'exifr';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, signIn } from '../admin.js';
import { postUpload } from '../multipart.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// Photos as agencies send them: IPTC IIM and XMP written into a real JPEG by
// exiftool (Debian's libimage-exiftool-perl, installed by .ci/run), plus the
// GPS position and camera serial number that must never be served.

const run = promisify(execFile);
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
  await sharp({ create: { width: 320, height: 200, channels: 3, background: '#446688' } })
    .jpeg()
    .toFile(file);
  await run('exiftool', [
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

    const served = (await app.inject(media.url)).rawPayload;
    expect(await exifr.gps(served).catch(() => undefined)).toBeUndefined();
    const tags =
      (await exifr
        .parse(served, { tiff: true, exif: true, gps: true, iptc: true, xmp: true })
        .catch(() => undefined)) ?? {};
    expect(JSON.stringify(tags)).not.toMatch(/CAM-0042|38\.5|Sysoev|Сысоев/);
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
