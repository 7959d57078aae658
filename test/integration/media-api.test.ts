import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNREADABLE_IMAGE, uploadImage } from '../../src/newsroom/upload-media.js';
import { buildTestServer, type Client, signIn, simpleBody } from '../admin.js';
import { BOUNDARY, multipartBody, type Part } from '../multipart.js';
import { countRows, openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
let app: FastifyInstance;
beforeEach(async () => {
  newsroom = await openTestNewsroom();
  app = await buildTestServer(newsroom);
});
afterEach(async () => {
  await app.close();
  await newsroom.dispose();
});

/** Posts an upload form as `client` (or anonymously when null), with its CSRF token unless told not to. */
function postForm(
  client: Client | null,
  parts: Part[],
  options: { csrf?: string | null } = {},
): Promise<LightMyRequestResponse> {
  const csrf = options.csrf === undefined ? client?.csrf : options.csrf;
  return app.inject({
    method: 'POST',
    url: '/api/media',
    headers: {
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      ...(client ? { cookie: client.cookie } : {}),
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
    },
    payload: multipartBody(parts),
  });
}

function filePart(bytes: Uint8Array, filename = 'photo.png', contentType = 'image/png'): Part {
  return { name: 'file', filename, contentType, bytes };
}

function formParts(
  bytes: Uint8Array,
  fields: Record<string, string> = {},
  file: { filename?: string; contentType?: string } = {},
): Part[] {
  const text = {
    alt: 'Protesters outside the city council',
    caption: 'The council met behind closed doors.',
    credit: 'EPA / Grigory Sysoev / Sputnik',
    ...fields,
  };
  return [
    ...Object.entries(text).map(([name, value]) => ({ name, value })),
    filePart(bytes, file.filename, file.contentType),
  ];
}

async function solidPng(width = 64, height = 48): Promise<Buffer> {
  return await sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 40, b: 30 } },
  })
    .png()
    .toBuffer();
}

/** A JPEG with real scan data (a solid colour is almost all header), so cutting it truncates pixels. */
async function noisyJpeg(): Promise<Buffer> {
  const width = 320;
  const height = 240;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;
  return await sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();
}

/** Every file under media/ and the private originals/ folder. */
async function mediaDirFiles(): Promise<string[]> {
  const list = async (folder: string) =>
    (await readdir(join(newsroom.dataDir, folder)).catch(() => [])).map(
      (name) => `${folder}/${name}`,
    );
  return [...(await list('media')), ...(await list('originals'))];
}

/** Rows of every content table and the audit log: equal before and after means nothing was written. */
async function tableRows(): Promise<Record<string, number>> {
  return await countRows(newsroom);
}

async function draftWithLead(client: Client, leadMediaId: number): Promise<{ id: number }> {
  const response = await client.send('POST', '/api/articles', {
    title: 'Council meets behind closed doors',
    section: 'news/politics',
    language: 'en',
    body: simpleBody,
    leadMediaId,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

describe('POST /api/media', () => {
  it('stores a PNG as a JPEG and answers 201 with the parsed credit chain and a working URL', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const response = await postForm(editor, formParts(await solidPng()));
    expect(response.statusCode, response.body).toBe(201);
    const media = response.json();
    expect(media).toEqual({
      id: expect.any(Number),
      alt: 'Protesters outside the city council',
      caption: 'The council met behind closed doors.',
      credit: [
        { name: 'EPA', role: 'agency' },
        { name: 'Grigory Sysoev', role: 'photographer' },
        { name: 'Sputnik', role: 'distributor' },
      ],
      creditLine: 'EPA / Grigory Sysoev / Sputnik',
      isOwnPhoto: false,
      // A generated PNG carries no IPTC/XMP.
      creator: '',
      source: '',
      copyright: '',
      digitalSourceType: '',
      keywords: [],
      // No focal point yet: crops keep the centre.
      focus: null,
      width: 64,
      height: 48,
      url: expect.stringMatching(/^\/media\/[a-f0-9]{32}\.jpg$/),
      // Too small for any rendition: the master is the only file, and the preview.
      renditions: [{ url: expect.stringMatching(/^\/media\//), width: 64, format: 'jpg' }],
      largePreview: { url: expect.stringMatching(/^\/media\//), width: 64, format: 'jpg' },
    });
    expect(media.renditions[0].url).toBe(media.url);

    const image = await app.inject(media.url);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    const stored = await sharp(image.rawPayload).metadata();
    expect([stored.format, stored.width, stored.height]).toEqual(['jpeg', 64, 48]);

    const audit = await newsroom.store.db
      .selectFrom('audit_log')
      .select(['action', 'subject', 'user_id'])
      .where('action', '=', 'media.upload')
      .execute();
    expect(audit).toEqual([
      { action: 'media.upload', subject: `media:${media.id}`, user_id: editor.userId },
    ]);
  });

  it('takes an explicit credit chain as a JSON array, and names the part at fault in a bad one', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const chain = [
      { name: 'Reuters', role: 'agency' },
      { name: 'Jane Roe', role: 'photographer' },
    ];
    const accepted = await postForm(
      editor,
      formParts(await solidPng(), { credit: JSON.stringify(chain), isOwnPhoto: 'false' }),
    );
    expect(accepted.statusCode, accepted.body).toBe(201);
    expect(accepted.json()).toMatchObject({ credit: chain, creditLine: 'Reuters / Jane Roe' });

    const refused = await postForm(
      editor,
      formParts(await solidPng(), {
        credit: JSON.stringify([{ name: 'Jane Roe', role: 'stringer' }]),
      }),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'invalid_input', field: 'credit.0.role' });
  });

  it('refuses a text file named .jpg with 400 on field "file", leaving no row and no file', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const before = { rows: await tableRows(), files: await mediaDirFiles() };
    const response = await postForm(
      editor,
      formParts(
        Buffer.from('Minutes of the council meeting, not a picture.\n'),
        {},
        {
          filename: 'minutes.jpg',
          contentType: 'image/jpeg',
        },
      ),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_input', field: 'file' });
    // In plain words, without the image library's own message.
    expect(response.json().error.message).toBe(UNREADABLE_IMAGE);
    expect(await tableRows()).toEqual(before.rows);
    expect(await mediaDirFiles()).toEqual(before.files);
  });

  it('refuses a truncated JPEG the same way, leaving no row and no file', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const before = { rows: await tableRows(), files: await mediaDirFiles() };
    const jpeg = await noisyJpeg();
    const response = await postForm(
      editor,
      formParts(
        jpeg.subarray(0, Math.floor(jpeg.length * 0.6)),
        {},
        {
          filename: 'cut.jpg',
          contentType: 'image/jpeg',
        },
      ),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_input', field: 'file' });
    expect(response.json().error.message).toBe(UNREADABLE_IMAGE);
    expect(await tableRows()).toEqual(before.rows);
    expect(await mediaDirFiles()).toEqual(before.files);
  });

  it('refuses an upload without alt text, or with over-long alt text or caption, storing nothing', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const png = await solidPng();
    const before = { rows: await tableRows(), files: await mediaDirFiles() };
    const missing = await postForm(editor, [{ name: 'credit', value: 'AP' }, filePart(png)]);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'invalid_input', field: 'alt' });
    const blank = await postForm(editor, formParts(png, { alt: '   ' }));
    expect(blank.json().error).toMatchObject({ code: 'invalid_input', field: 'alt' });
    const longAlt = await postForm(editor, formParts(png, { alt: 'a'.repeat(1001) }));
    expect(longAlt.json().error).toMatchObject({ code: 'invalid_input', field: 'alt' });
    const longCaption = await postForm(editor, formParts(png, { caption: 'c'.repeat(2001) }));
    expect(longCaption.json().error).toMatchObject({ code: 'invalid_input', field: 'caption' });
    expect(await tableRows()).toEqual(before.rows);
    expect(await mediaDirFiles()).toEqual(before.files);
  });

  it('refuses a form without a file, and a body that is not multipart', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const noFile = await postForm(editor, [{ name: 'alt', value: 'A photo' }]);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error).toMatchObject({ code: 'invalid_input', field: 'file' });
    const json = await editor.send('POST', '/api/media', { alt: 'A photo' });
    expect(json.statusCode).toBe(400);
    expect(json.json().error).toMatchObject({ code: 'invalid_input', field: 'file' });
  });

  it('answers an image over 25 MB with 413 file_too_large, storing nothing', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const before = { rows: await tableRows(), files: await mediaDirFiles() };
    const response = await postForm(
      editor,
      formParts(Buffer.alloc(25 * 1024 * 1024 + 1), {}, { filename: 'huge.jpg' }),
    );
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      error: {
        code: 'file_too_large',
        message: expect.stringContaining('25 MB'),
        field: 'file',
      },
    });
    expect(await tableRows()).toEqual(before.rows);
    expect(await mediaDirFiles()).toEqual(before.files);
  });

  it('answers 401 without a session and 403 without the CSRF token, storing nothing', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const png = await solidPng();
    const before = { rows: await tableRows(), files: await mediaDirFiles() };
    const anonymous = await postForm(null, formParts(png));
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('unauthenticated');
    for (const csrf of [null, 'forged']) {
      const response = await postForm(editor, formParts(png), { csrf });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('csrf_invalid');
    }
    expect(await tableRows()).toEqual(before.rows);
    expect(await mediaDirFiles()).toEqual(before.files);
  });

  it('accepts WebP, AVIF and GIF as well, each stored as a JPEG master', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const base = sharp({ create: { width: 80, height: 60, channels: 3, background: '#224466' } });
    for (const [format, bytes] of [
      ['webp', await base.clone().webp().toBuffer()],
      ['avif', await base.clone().avif({ effort: 0 }).toBuffer()],
      ['gif', await base.clone().gif().toBuffer()],
    ] as const) {
      // Named .bin: the type is read from the bytes, not the name.
      const response = await postForm(
        editor,
        formParts(
          bytes,
          {},
          { filename: `photo-${format}.bin`, contentType: 'application/octet-stream' },
        ),
      );
      expect(response.statusCode, `${format}: ${response.body}`).toBe(201);
      const stored = await sharp((await app.inject(response.json().url)).rawPayload).metadata();
      expect([format, stored.format, stored.width]).toEqual([format, 'jpeg', 80]);
    }
  });

  it('lets a contributor upload', async () => {
    const contributor = await signIn(app, newsroom, 'contributor', 'Cy Contributor');
    const response = await postForm(contributor, formParts(await solidPng()));
    expect(response.statusCode, response.body).toBe(201);
  });
});

describe('uploadImage', () => {
  it('removes the file it stored when the database write fails', async () => {
    // An actor whose user id does not exist breaks the audit entry's foreign key
    // inside the transaction, after the file was written.
    const ghost = { userId: 9999, personId: null, role: 'editor' as const };
    const before = { rows: await tableRows(), files: await mediaDirFiles() };
    await expect(
      uploadImage(newsroom, ghost, {
        bytes: await solidPng(),
        alt: 'A photo',
        credit: 'AP',
      }),
    ).rejects.toThrow();
    expect(await tableRows()).toEqual(before.rows);
    expect(await mediaDirFiles()).toEqual(before.files);
  });
});

describe('GET /api/media', () => {
  it('lists the images newest first', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const before = (await editor.send('GET', '/api/media')).json().media.length;
    await postForm(editor, formParts(await solidPng(), { alt: 'First' }));
    await postForm(editor, formParts(await solidPng(32, 32), { alt: 'Second' }));
    const response = await editor.send('GET', '/api/media');
    expect(response.statusCode).toBe(200);
    const media = response.json().media as { alt: string }[];
    expect(media).toHaveLength(before + 2);
    expect(media.slice(0, 2).map((m) => m.alt)).toEqual(['Second', 'First']);
    expect((await app.inject('/api/media')).statusCode).toBe(401);
  });
});

describe('publishing with an uploaded lead photo', () => {
  it('publishes an article whose uploaded photo is credited, showing photo and credit', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const media = (await postForm(editor, formParts(await solidPng()))).json();
    const { id } = await draftWithLead(editor, media.id);
    const published = await editor.send('POST', `/api/articles/${id}/transitions/publish`);
    expect(published.statusCode, published.body).toBe(200);
    const article = published.json();
    expect(article).toMatchObject({ status: 'published', leadMediaId: media.id });
    const page = await app.inject(article.url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(media.url);
    expect(page.body).toContain('EPA / Grigory Sysoev / Sputnik');
  });

  it('refuses to publish an uncredited photo (lead_photo_needs_credit) unless it is the newsroom’s own', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const uncredited = await postForm(editor, formParts(await solidPng(), { credit: '' }));
    expect(uncredited.json()).toMatchObject({ credit: [], creditLine: '', isOwnPhoto: false });
    const refused = await editor.send(
      'POST',
      `/api/articles/${(await draftWithLead(editor, uncredited.json().id)).id}/transitions/publish`,
    );
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('lead_photo_needs_credit');

    const own = await postForm(
      editor,
      formParts(await solidPng(40, 30), { credit: '', isOwnPhoto: 'true' }),
    );
    expect(own.json()).toMatchObject({ credit: [], isOwnPhoto: true });
    const published = await editor.send(
      'POST',
      `/api/articles/${(await draftWithLead(editor, own.json().id)).id}/transitions/publish`,
    );
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().status).toBe('published');
  });
});

/** CRC-32 as PNG chunks use it. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A tiny PNG whose header claims 50 000 × 50 000 pixels: decoded, it would need 7.5 GB. */
function decompressionBomb(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(50_000, 0);
  header.writeUInt32BE(50_000, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('a decompression bomb', () => {
  it('is refused before it is decoded, leaving no row and no file', async () => {
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const before = await mediaDirFiles();
    const rowsBefore = await tableRows();
    const response = await postForm(
      editor,
      formParts(decompressionBomb(), {}, { filename: 'bomb.png' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_input', field: 'file' });
    expect(response.json().error.message).toMatch(/pixel limit/);
    expect(await tableRows()).toEqual(rowsBefore);
    expect(await mediaDirFiles()).toEqual(before);
  });
});
