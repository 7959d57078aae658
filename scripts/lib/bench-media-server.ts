// The server `npm run bench:media` attacks, in a process of its own so that its
// memory is measured alone: Masthead as `masthead serve` starts it (MASTHEAD_DATA,
// HOST, PORT), with an editor BENCH_EMAIL / BENCH_PASSWORD to upload as. With
// BENCH_IMAGE_LIMITS=off it runs as before issue 14, for the comparison: no
// bound on sharp pipelines and sharp's own defaults (a 50 MB operation cache).
// Renditions are single-flight in both: that one is not a setting.
import sharp from 'sharp';
import { loadConfig } from '../../src/config.js';
import { createServer, openNewsroom } from '../../src/main.js';
import { SYSTEM_ACTOR } from '../../src/newsroom/newsroom.js';
import { addUser } from '../../src/newsroom/staff.js';
import { createSemaphore } from '../../src/store/concurrency.js';
import { mediaFilesAt } from '../../src/store/media-files.js';

const sharpDefaults = { concurrency: sharp.concurrency() };
const config = loadConfig();
const newsroom = await openNewsroom(config);
if (process.env.BENCH_IMAGE_LIMITS === 'off') {
  sharp.cache(true);
  sharp.concurrency(sharpDefaults.concurrency);
  newsroom.mediaFiles = mediaFilesAt(
    config.mediaDir,
    config.originalsDir,
    undefined,
    createSemaphore(Number.POSITIVE_INFINITY),
  );
}
await addUser(newsroom, SYSTEM_ACTOR, {
  email: process.env.BENCH_EMAIL ?? '',
  name: 'Bench Editor',
  role: 'editor',
  password: process.env.BENCH_PASSWORD ?? '',
});
const server = await createServer(newsroom, config);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
await server.listen({ port: config.port, host: config.host });
