// npm run bench:media — how fast a 24-megapixel photo becomes the renditions
// reader pages ask for. Prints renditions per second for each format, and the
// ratio against a reference measured in the same run on the same machine: one
// plain sharp resize to JPEG of the same photo (the least any pipeline does).
//
// Then the memory attack of issue 14, against a server on 127.0.0.1 in a
// process of its own (scripts/lib/bench-media-server.ts): four 100-megapixel
// PNGs of one colour (a few hundred KB each) uploaded at once, then every
// rendition of one of them asked for at once by anonymous readers. Printed:
// the server's RSS before, its peak during each burst, and some seconds after,
// with Masthead's image limits and, in the same run, without them (no bound
// on sharp pipelines, sharp's default cache), and the ratio of the two.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { RENDITION_FORMATS, renditionName, renditionWidths } from '../src/core/renditions.js';
import { IMAGE_PIPELINES, mediaFilesAt, setServerImageSettings } from '../src/store/media-files.js';
import { freePort, waitFor } from './lib/server-process.js';

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

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ATTACK_SIDE = 10_000;
const ATTACK_UPLOADS = 4;
const SETTLE_SECONDS = 10;
const EMAIL = 'bench@news.example';
const PASSWORD = 'bench password that is long enough';

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

type Burst = { start: number; peak: number; seconds: number };

/** Runs `burst` while sampling the process's RSS every 20 ms: RSS at the start, its peak, and how long the burst took. */
async function peakDuring(pid: number, burst: () => Promise<void>): Promise<Burst> {
  const start = await rssMiB(pid);
  let peak = start;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssMiB(pid));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const time = await seconds(burst);
  sampling = false;
  await sampler;
  return { start, peak: Math.max(peak, await rssMiB(pid)), seconds: time };
}

type AttackResult = { uploads: Burst; renditions: Burst; after: number };

/** The attack against a fresh server, with Masthead's image limits or without them. */
async function attack(
  directory: string,
  pngs: Buffer[],
  limits: 'on' | 'off',
): Promise<AttackResult> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'lib', 'bench-media-server.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        MASTHEAD_DATA: join(directory, `attack-${limits}`),
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        BENCH_IMAGE_LIMITS: limits,
        BENCH_EMAIL: EMAIL,
        BENCH_PASSWORD: PASSWORD,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    const origin = `http://127.0.0.1:${port}`;
    await waitFor(`${origin}/healthz`, child);
    const pid = child.pid ?? Number.NaN;
    const session = await fetch(`${origin}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const renditionUrls: string[] = [];
    const uploads = await peakDuring(pid, async () => {
      await Promise.all(
        pngs.map(async (png, index) => {
          const form = new FormData();
          form.set('alt', `A plain square, number ${index + 1}`);
          form.set('credit', 'Masthead bench');
          form.set(
            'file',
            new Blob([new Uint8Array(png)], { type: 'image/png' }),
            `square-${index + 1}.png`,
          );
          const response = await fetch(`${origin}/api/media`, {
            method: 'POST',
            headers: { cookie, 'x-csrf-token': csrfToken },
            body: form,
          });
          if (response.status !== 201)
            throw new Error(`upload ${index + 1}: ${response.status} ${await response.text()}`);
          const media = (await response.json()) as { renditions: { url: string }[] };
          if (index === 0) renditionUrls.push(...media.renditions.map((r) => r.url));
        }),
      );
    });
    const renditions = await peakDuring(pid, async () => {
      await Promise.all(
        renditionUrls.map(async (url) => {
          const response = await fetch(`${origin}${url}`);
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`${url}: ${response.status}`);
        }),
      );
    });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
    const after = await rssMiB(pid);
    const mib = (value: number, width: number) => value.toFixed(0).padStart(width);
    console.log(
      `  ${limits.padEnd(6)} ${mib(uploads.start, 7)} ${mib(uploads.peak, 7)} in ${uploads.seconds.toFixed(1).padStart(4)} s ${mib(renditions.start, 7)} ${mib(renditions.peak, 7)} in ${renditions.seconds.toFixed(1).padStart(4)} s ${mib(after, 10)}`,
    );
    return { uploads, renditions, after };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  }
}

/** Four 100-megapixel PNGs of one colour each: a few hundred KB that decode to 300 MB of pixels. */
async function attackPngs(): Promise<Buffer[]> {
  const colours = [
    { r: 200, g: 40, b: 30 },
    { r: 30, g: 120, b: 200 },
    { r: 40, g: 160, b: 60 },
    { r: 220, g: 200, b: 40 },
  ];
  return await Promise.all(
    colours.slice(0, ATTACK_UPLOADS).map((background) =>
      sharp({ create: { width: ATTACK_SIDE, height: ATTACK_SIDE, channels: 3, background } })
        .png({ compressionLevel: 9 })
        .toBuffer(),
    ),
  );
}

async function memoryAttack(directory: string): Promise<void> {
  const pngs = await attackPngs();
  console.log(
    `\nmemory attack: ${pngs.length} uploads at once of ${ATTACK_SIDE}×${ATTACK_SIDE} PNGs (${Math.round((pngs[0]?.length ?? 0) / 1000)} KB each), then all files of one photo (its renditions and master) asked for at once by readers`,
  );
  console.log(
    `  server RSS in MiB. limits on: at most ${IMAGE_PIPELINES} sharp pipelines, sharp's cache off, 1 thread each; off: as before (no bound, sharp's defaults)`,
  );
  console.log(
    `  limits  ──────── uploads ─────── ────── renditions ─────── ${SETTLE_SECONDS} s after`,
  );
  console.log('           start    peak               start    peak');
  const on = await attack(directory, pngs, 'on');
  const off = await attack(directory, pngs, 'off');
  const growth = (burst: Burst) => burst.peak - burst.start;
  const held = (result: AttackResult) => result.after - result.uploads.start;
  console.log(
    `  growth at the peak, off/on: uploads ${(growth(off.uploads) / growth(on.uploads)).toFixed(1)}× (${growth(off.uploads).toFixed(0)} / ${growth(on.uploads).toFixed(0)} MiB), renditions ${(growth(off.renditions) / growth(on.renditions)).toFixed(1)}× (${growth(off.renditions).toFixed(0)} / ${growth(on.renditions).toFixed(0)} MiB)`,
  );
  console.log(
    `  still held ${SETTLE_SECONDS} s after, above the start: ${held(off).toFixed(0)} MiB off, ${held(on).toFixed(0)} MiB on`,
  );
}

const directory = await mkdtemp(join(tmpdir(), 'masthead-bench-media-'));
try {
  // As the server runs it.
  setServerImageSettings();
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

  await memoryAttack(directory);
} finally {
  await rm(directory, { recursive: true, force: true });
}
