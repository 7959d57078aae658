import { afterEach, describe, expect, it } from 'vitest';
import { loadAssets } from '../../src/http/assets.js';
import { buildServer } from '../../src/http/server.js';
import { signIn } from '../admin.js';
import { postUpload } from '../multipart.js';
import { openTestNewsroom, type TestNewsroom } from '../newsroom.js';

let newsroom: TestNewsroom;
afterEach(async () => {
  await newsroom.dispose();
});

describe('the upload limit', () => {
  it('follows MASTHEAD_MAX_UPLOAD_MB and says what it is', async () => {
    newsroom = await openTestNewsroom();
    const app = await buildServer({
      newsroom,
      assets: await loadAssets(),
      logLevel: 'silent',
      maxUploadMb: 1,
    });
    const editor = await signIn(app, newsroom, 'editor', 'Ada Editor');
    const response = await postUpload(app, editor, [
      { name: 'alt', value: 'Too big' },
      {
        name: 'file',
        filename: 'big.jpg',
        contentType: 'image/jpeg',
        bytes: Buffer.alloc(2 * 1024 * 1024, 1),
      },
    ]);
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toMatchObject({ code: 'file_too_large', field: 'file' });
    expect(response.json().error.message).toMatch(/larger than 1 MB/);
    await app.close();
  });
});
