// npm run bench:media — how fast a 24-megapixel photo becomes the renditions
// reader pages ask for. Prints renditions per second for each format, and the
// ratio against a reference measured in the same run on the same machine: one
// plain sharp resize to JPEG of the same photo (the least any pipeline does).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { RENDITION_FORMATS, renditionName, renditionWidths } from '../src/core/renditions.js';
import { mediaFilesAt } from '../src/store/media-files.js';

const WIDTH = 6000;
const HEIGHT = 4000;

async function photo(): Promise<Buffer> {
  // Noise, not a flat colour: encoders are fast on flat images and slow on real ones.
  const noise = Buffer.alloc(WIDTH * HEIGHT * 3);
  let state = 42;
  for (let i = 0; i < noise.length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    noise[i] = (state >>> 24) & 0xff;
  }
  return await sharp(noise, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .blur(2)
    .jpeg({ quality: 90 })
    .toBuffer();
}

async function seconds(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const directory = await mkdtemp(join(tmpdir(), 'masthead-bench-media-'));
try {
  const original = await photo();
  console.log(
    `photo: ${WIDTH}×${HEIGHT} (${(WIDTH * HEIGHT) / 1e6} MP), ${(original.length / 1e6).toFixed(1)} MB JPEG`,
  );
  const files = mediaFilesAt(join(directory, 'media'), join(directory, 'originals'));

  const reference = await seconds(() => sharp(original).resize({ width: 1280 }).jpeg().toBuffer());
  console.log(`reference, one sharp resize to a 1280 px JPEG: ${reference.toFixed(2)} s`);

  let stored = { file: '', width: 0 };
  const storing = await seconds(async () => {
    stored = await files.storeImage(original);
  });
  console.log(`upload (normalise to the stored master): ${storing.toFixed(2)} s`);

  const widths = renditionWidths(stored.width);
  let total = 0;
  let count = 0;
  for (const format of RENDITION_FORMATS) {
    const time = await seconds(async () => {
      for (const width of widths) await files.read(renditionName(stored.file, width, format));
    });
    total += time;
    count += widths.length;
    console.log(
      `${format.padEnd(4)} ${widths.length} renditions in ${time.toFixed(2)} s: ${(widths.length / time).toFixed(2)} renditions/s, ${(time / widths.length / reference).toFixed(2)}× the reference each`,
    );
  }
  console.log(
    `all formats: ${count} renditions in ${total.toFixed(2)} s: ${(count / total).toFixed(2)} renditions/s`,
  );
  const cached = await seconds(() =>
    files.read(renditionName(stored.file, widths[0] ?? 320, 'avif')),
  );
  console.log(`a cached rendition is served from disk in ${(cached * 1000).toFixed(1)} ms`);
} finally {
  await rm(directory, { recursive: true, force: true });
}
