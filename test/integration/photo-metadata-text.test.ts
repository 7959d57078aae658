import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestServer, signIn } from '../admin.js';
import { exiftool } from '../exiftool.js';
import { postUpload } from '../multipart.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

// What agencies' files really hold, written by ExifTool (test/exiftool.ts): XMP text with
// characters XML escapes, and an IIM credit cut at its 32-byte limit beside
// the whole line in XMP.

let newsroom: TestNewsroom;
let app: FastifyInstance;
let workDir: string;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom, { sample: false });
  workDir = await mkdtemp(join(tmpdir(), 'masthead-photo-text-'));
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
  await rm(workDir, { recursive: true, force: true });
});

/** A JPEG carrying the given exiftool tag assignments ("-Group:Tag=value"). */
async function photoWith(tags: string[]): Promise<Buffer> {
  const file = join(workDir, 'photo.jpg');
  await sharp({ create: { width: 320, height: 200, channels: 3, background: '#446688' } })
    .jpeg()
    .toFile(file);
  await exiftool([
    '-overwrite_original',
    '-charset',
    'iptc=UTF8',
    '-IPTC:CodedCharacterSet=UTF8',
    ...tags,
    file,
  ]);
  return await readFile(file);
}

/** Uploads `photo` with the form's alt text (empty: the file's own is used). */
async function upload(photo: Buffer, alt = 'Two men shake hands') {
  const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
  const response = await postUpload(app, editor, [
    { name: 'alt', value: alt },
    { name: 'file', filename: 'photo.jpg', contentType: 'image/jpeg', bytes: photo },
  ]);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('text from a photo’s metadata', () => {
  it('stores XMP text as it was written, not as escaped XML', async () => {
    const media = await upload(
      await photoWith([
        '-XMP-iptcCore:AltTextAccessibility=<img src=x onerror=alert(1)> & "Tom’s"',
        '-XMP-dc:Description=Fish &amp; chips <b>',
        '-XMP-dc:Subject=R&D',
        '-XMP-photoshop:Credit=AP & Reuters',
      ]),
      '',
    );
    expect(media).toMatchObject({
      alt: '<img src=x onerror=alert(1)> & "Tom’s"',
      caption: 'Fish &amp; chips <b>',
      keywords: ['R&D'],
      creditLine: 'AP & Reuters',
    });
  });

  it('takes the whole XMP credit when the IIM one was cut at 32 bytes', async () => {
    const whole = 'EPA / Grigory Sysoev / Sputnik / Kremlin';
    const photo = await photoWith([`-IPTC:Credit=${whole}`, `-XMP-photoshop:Credit=${whole}`]);
    // The file really holds the cut line: exiftool keeps IIM's limit.
    const { stdout } = await exiftool(['-s3', '-IPTC:Credit', join(workDir, 'photo.jpg')]);
    expect(stdout.trim()).toBe('EPA / Grigory Sysoev / Sputnik /');
    const media = await upload(photo);
    expect(media.creditLine).toBe(whole);
    expect(media.credit).toEqual([
      { name: 'EPA', role: 'agency' },
      { name: 'Grigory Sysoev', role: 'photographer' },
      { name: 'Sputnik', role: 'distributor' },
      { name: 'Kremlin', role: 'pool' },
    ]);
  });

  it('takes the whole XMP credit when the cut fell inside a Cyrillic letter', async () => {
    const whole = 'EPA / Григорий Сысоев / Sputnik';
    const media = await upload(
      await photoWith([`-IPTC:Credit=${whole}`, `-XMP-photoshop:Credit=${whole}`]),
    );
    expect(media.creditLine).toBe(whole);
  });
});
