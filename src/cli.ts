import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { NEWSLETTER_HELP, newsletterCommand } from './cli-newsletter.js';
import { ConfigError, loadConfig } from './config.js';
import { ALL_PAGES } from './core/cache-tags.js';
import { isDomainError } from './core/errors.js';
import { toIsoDate } from './core/import-bundle.js';
import { importFormatNames } from './formats/detect.js';
import { buildWxr } from './formats/wxr-export.js';
import { createServer, mediaBytesFor, openNewsroom } from './main.js';
import { createSigningKey, parsePublicKey, readSigningKey, signingKeyFile } from './mirror/keys.js';
import { verifyMirror } from './mirror/verify.js';
import { type BackupSummary, exportBackup, restoreBackup } from './newsroom/backup.js';
import { fetchImportedMedia } from './newsroom/fetch-media.js';
import { type PreparedImport, prepareImport } from './newsroom/import-file.js';
import {
  formatReportLine,
  type ImportProgress,
  type ImportSource,
  summarize,
} from './newsroom/import-report.js';
import { publishMirrorPublicKey, readMirrorPublicKey } from './newsroom/mirrors.js';
import { SYSTEM_ACTOR } from './newsroom/newsroom.js';
import { readExportSources } from './newsroom/read-export.js';
import { readAllPublishedItems } from './newsroom/read-feeds.js';
import { readSiteChrome } from './newsroom/read-site.js';
import { installSampleContent } from './newsroom/sample-content.js';
import { recordServerPublicUrl, serverPublicUrl } from './newsroom/server-address.js';
import { addUser, changeRole, disableUser, listUsers, resetTotp } from './newsroom/staff.js';
import { uploadImage } from './newsroom/upload-media.js';
import { articleToNinjs } from './site/ninjs.js';
import { exportAsWxr } from './site/wxr.js';
import { databaseName } from './store/database.js';
import { s3Address } from './store/media-bytes.js';
import { writeInBatches } from './store/write-batches.js';

const HELP = `masthead — a publishing platform for independent newsrooms

Usage:
  masthead serve [--sample-content]   start the site (--sample-content fills an empty site)
  masthead import <file|dir> [--format F] [--published-at ISO-DATE] [--old-site URL]
                                      import a file (seed page, WordPress WXR, Ghost
                                      export, ninjs, NewsML-G2; found from its content)
                                      or a directory's files; --old-site: where a Ghost
                                      site was, to fetch its pictures from
  masthead migrate                    create or upgrade the database schema
  masthead media add <file> [--alt T] [--caption T] [--credit "A / B"] [--own-photo]
                                      add a photo to the library; empty fields are
                                      read from its IPTC/XMP metadata
  masthead media fetch [--limit N] [--timeout S] [--allow-private]
                                      download the files of imported photos from
                                      their old addresses, a few at a time (checked
                                      like uploads; private and local networks refused
                                      unless allowed; a photo that fails is listed and
                                      skipped; S seconds per photo, 30 by default)
  masthead export ninjs <dir>         write every published article as IPTC ninjs 2.1
                                      (one <uuid>.ninjs.json file each) into <dir>
  masthead export wxr <file>          write the whole site (articles in any state,
                                      pages, photos, sections, tags, people) as
                                      WordPress WXR 1.2
  masthead export backup <file>       write everything (database rows, photos, originals)
                                      as one checksummed archive (.tar.gz)
  masthead restore <file>             restore a backup into an empty MASTHEAD_DATA
  masthead keys init [--replace]      make the Ed25519 key that signs mirrors (private half
                                      in MASTHEAD_DATA/keys, 0600; public half published at
                                      /.well-known/masthead-key)
  masthead mirror build <dir> [--base-url URL] [--full]
                                      write the public site as signed static files (links
                                      relative: any host, any path, file://); a second build
                                      into <dir> writes only what changed
  masthead mirror verify <dir|URL> [--public-key KEY]
                                      check every file of a mirror against its signed
                                      manifest (default key: this newsroom's); exit 1 on
                                      any missing, added or altered file
  masthead user add --email E --name N --role R [--password-stdin] [--link-person]
                                      create a staff account; prints a one-time
                                      link to set the password (or reads it from stdin)
  masthead user list                  list staff accounts
  masthead user role <email> <role>   change a role (contributor, author, editor,
                                      editor-in-chief)
  masthead user disable <email>       disable an account and end its sessions
  masthead user reset-2fa <email>     turn two-factor sign-in off (lost phone); the
                                      user signs in with the password and sets it up again
${NEWSLETTER_HELP}
  masthead help                       show this text

Settings (environment): PORT (3000), HOST (127.0.0.1), MASTHEAD_DATA (./data),
MASTHEAD_PUBLIC_URL (serve: http://localhost:PORT; other commands: the address the
server started with), LOG_LEVEL (info), MASTHEAD_MAX_UPLOAD_MB (25),
MASTHEAD_TRUST_PROXY (false), MASTHEAD_WEBSUB_HUB (none).`;

type Output = { out: (line: string) => void; err: (line: string) => void };

const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs one CLI command; returns the process exit code (errors are printed, not thrown). */
/** Reads all of standard input (for --password-stdin). */
export type Input = () => Promise<string>;

const stdinInput: Input = async () => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export async function runCli(
  argv: string[],
  output: Output = consoleOutput,
  input: Input = stdinInput,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, output);
      case 'import':
        return await importCommand(rest, output);
      case 'migrate':
        return await migrate(output);
      case 'user':
        return await userCommand(rest, output, input);
      case 'media':
        return await mediaCommand(rest, output);
      case 'export':
        return await exportCommand(rest, output);
      case 'restore':
        return await restoreCommand(rest, output);
      case 'keys':
        return await keysCommand(rest, output);
      case 'mirror':
        return await mirrorCommand(rest, output);
      case 'newsletter':
        return await newsletterCommand(rest, output, withNewsroom);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        output.out(HELP);
        return 0;
      default:
        output.err(`masthead: unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
  } catch (error) {
    if (isDomainError(error) || error instanceof ConfigError) {
      output.err(`masthead: ${error.message}`);
      return 1;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      output.err(`masthead: ${error.message}\n\n${HELP}`);
      return 2;
    }
    // A bug or an environment problem (disk full, database locked): one line,
    // the stack only when asked for.
    output.err(
      `masthead: unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (process.env.LOG_LEVEL === 'debug' && error instanceof Error)
      output.err(String(error.stack));
    return 1;
  }
}

async function serve(args: string[], output: Output): Promise<number> {
  const { values } = parseArgs({ args, options: { 'sample-content': { type: 'boolean' } } });
  const config = loadConfig();
  const newsroom = await openNewsroom(config);
  if (values['sample-content']) {
    const lines = await installSampleContent(newsroom);
    if (lines.length > 0) output.out(`installed sample content (${lines.length} items)`);
  }
  const server = await createServer(newsroom, config);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
  await server.listen({ port: config.port, host: config.host });
  await recordServerPublicUrl(newsroom);
  const photos = config.mediaStorage ? `, photos in ${s3Address(config.mediaStorage.public)}` : '';
  output.out(`Masthead is serving ${config.publicUrl} (data in ${config.dataDir}${photos})`);
  return await new Promise<number>(() => {});
}

async function importCommand(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      'published-at': { type: 'string' },
      'old-site': { type: 'string' },
    },
  });
  const [path, ...extra] = positionals;
  if (!path || extra.length > 0) {
    output.err('masthead import: give exactly one file to import');
    return 2;
  }
  let publishedAt: string | undefined;
  try {
    const given = values['published-at'];
    publishedAt = given === undefined ? undefined : toIsoDate(given, '--published-at');
  } catch (error) {
    output.err(`masthead import: ${(error as Error).message}`);
    return 2;
  }
  if (values.format !== undefined && !importFormatNames().includes(values.format)) {
    output.err(
      `masthead import: unknown --format "${values.format}"; known: ${importFormatNames().join(', ')}`,
    );
    return 2;
  }
  const oldSite = values['old-site'];
  if (oldSite !== undefined && !/^https?:\/\/[^/]+/i.test(oldSite)) {
    output.err(
      `masthead import: --old-site must be the old site's address, e.g. https://old.example`,
    );
    return 2;
  }
  const files = await filesToImport(path);
  if (typeof files === 'string') {
    output.err(`masthead import: ${files}`);
    return 1;
  }
  const progress = progressReporter(output);
  // Every file is checked in full before the database is opened: a file
  // Masthead cannot read touches no database.
  const prepared: { file: string; import: PreparedImport }[] = [];
  for (const file of files) {
    prepared.push({
      file,
      import: await prepareImport(await fileSource(file), {
        ...(values.format === undefined ? {} : { format: values.format }),
        ...(publishedAt ? { publishedAt } : {}),
        ...(oldSite ? { oldSiteUrl: oldSite } : {}),
        onProgress: progress(basename(file), 'checking'),
      }),
    });
  }
  // All the files as one import: a directory imports whole, or not at all.
  const results = await withNewsroom(async (newsroom) => {
    // Told in any case: on SQLite, pages rendered between the batches of a
    // failed import may show part of it.
    const told = () => newsroom.changed?.(ALL_PAGES);
    const written = await writeInBatches(newsroom.store.db, async (batches) => {
      // The servers hear of it once it is all in (below): told sooner, one
      // could read the old rows again and keep them as new.
      const inside = {
        ...newsroom,
        store: {
          ...newsroom.store,
          get db() {
            return batches.db;
          },
        },
        changed: undefined,
      };
      const done = [];
      for (const { file, import: ready } of prepared) {
        done.push({ file, result: await ready.write(inside) });
        progress.done();
        await batches.between();
      }
      return done;
    }).finally(told);
    return written;
  });
  for (const { file, result } of results) {
    for (const line of result.lines) output.out(formatReportLine(line));
    for (const line of summarize(basename(file), result)) output.out(line);
  }
  return 0;
}

/** The files an import names: the file, or a directory's files (not hidden, sorted by name). */
async function filesToImport(path: string): Promise<string[] | string> {
  try {
    if (!(await stat(path)).isDirectory()) return [path];
    const names = (await readdir(path)).filter((name) => !name.startsWith('.')).sort();
    const files: string[] = [];
    for (const name of names) {
      if ((await stat(join(path, name))).isFile()) files.push(join(path, name));
    }
    return files.length > 0 ? files : `${path} holds no files to import`;
  } catch (error) {
    return `cannot read ${path}: ${(error as Error).message}`;
  }
}

async function fileSource(path: string): Promise<ImportSource> {
  return {
    name: basename(path),
    size: (await stat(path)).size,
    open: () => createReadStream(path, { highWaterMark: 256 * 1024 }),
  };
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal, a plain line every
 * few seconds otherwise (logs stay readable), nothing for small files.
 */
function progressReporter(output: Output) {
  const isTty = process.stderr.isTTY === true;
  // The rate is per pass: the first only reads, the second writes.
  const passStarted = new Map<string, number>();
  let lastLog = 0;
  let drawn = false;
  const report = (name: string, verb: string) => (progress: ImportProgress) => {
    const now = Date.now();
    const key = `${name}:${progress.pass}`;
    if (!passStarted.has(key)) passStarted.set(key, now);
    const elapsed = Math.max((now - (passStarted.get(key) ?? now)) / 1000, 0.001);
    const phase = progress.pass === 1 ? verb : 'importing';
    const mb = (progress.bytes / 1024 / 1024).toFixed(1);
    const rate = (progress.items / elapsed).toFixed(0);
    const text = `${name}: ${phase} (pass ${progress.pass}/${progress.passes}) ${mb} MB, ${progress.items} items, ${rate} items/s`;
    if (isTty) {
      const width = 20;
      const filled = progress.totalBytes
        ? Math.round((progress.bytes / progress.totalBytes) * width)
        : (Math.floor(elapsed * 4) % width) + 1;
      process.stderr.write(`\r[${'#'.repeat(filled).padEnd(width, '.')}] ${text}\x1b[K`);
      drawn = true;
    } else if (now - lastLog >= 5000) {
      lastLog = now;
      output.err(text);
    }
  };
  return Object.assign(report, {
    done: () => {
      if (drawn) process.stderr.write('\n');
      drawn = false;
    },
  });
}

/** Downloads the files of imported photos that only have their old address. */
async function mediaFetchCommand(args: string[], output: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      limit: { type: 'string' },
      timeout: { type: 'string' },
      'allow-private': { type: 'boolean' },
    },
  });
  const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit);
  if (limit !== Number.POSITIVE_INFINITY && (!Number.isInteger(limit) || limit < 1)) {
    output.err('masthead media fetch: --limit takes a whole number above 0');
    return 2;
  }
  const timeout = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    output.err('masthead media fetch: --timeout takes a number of seconds above 0');
    return 2;
  }
  const config = loadConfig();
  // Each photo is printed as soon as it is done: a long run shows its progress.
  const lines = await withNewsroom((newsroom) =>
    fetchImportedMedia(newsroom, {
      maxBytes: config.maxUploadMb * 1024 * 1024,
      limit,
      timeoutMs: timeout * 1000,
      allowPrivate: values['allow-private'] === true,
      onLine: (line) =>
        output.out(
          line.ok
            ? `fetched media #${line.id} ${line.url} (${line.detail})`
            : `failed media #${line.id} ${line.url}: ${line.detail}`,
        ),
    }),
  );
  const failures = lines.filter((line) => !line.ok);
  if (lines.length === 0) output.out('no imported photo is waiting for its file');
  else if (failures.length === 0) output.out(`fetched ${lines.length} photos, 0 failed`);
  else {
    // The failures again, together, for whoever runs it next.
    output.out(
      `fetched ${lines.length - failures.length} photos, ${failures.length} failed (run again to retry them):`,
    );
    for (const line of failures) output.out(`  media #${line.id} ${line.url}: ${line.detail}`);
  }
  return failures.length > 0 ? 1 : 0;
}

async function mediaCommand(args: string[], output: Output): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'fetch') return await mediaFetchCommand(rest, output);
  if (sub !== 'add') {
    output.err(`masthead media: unknown subcommand "${sub ?? ''}"; use add or fetch`);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      alt: { type: 'string' },
      caption: { type: 'string' },
      credit: { type: 'string' },
      'own-photo': { type: 'boolean' },
    },
  });
  const [path, ...extra] = positionals;
  if (!path || extra.length > 0) {
    output.err('masthead media add: give exactly one image file');
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    output.err(`masthead media add: cannot read ${path}: ${(error as Error).message}`);
    return 1;
  }
  const media = await withNewsroom((newsroom) =>
    uploadImage(newsroom, SYSTEM_ACTOR, {
      bytes,
      alt: values.alt ?? '',
      ...(values.caption === undefined ? {} : { caption: values.caption }),
      ...(values.credit === undefined ? {} : { credit: values.credit }),
      isOwnPhoto: values['own-photo'] ?? false,
    }),
  );
  const credit = media.credit.map((part) => `${part.name} (${part.role})`).join(' / ');
  output.out(`created media #${media.id} ${media.width}×${media.height} /media/${media.file}`);
  output.out(`credit: ${credit || 'none'}`);
  return 0;
}

async function exportCommand(args: string[], output: Output): Promise<number> {
  const [format, ...rest] = args;
  const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
  const [target, ...extra] = positionals;
  if (
    (format !== 'ninjs' && format !== 'wxr' && format !== 'backup') ||
    !target ||
    extra.length > 0
  ) {
    output.err(
      'masthead export: use `masthead export ninjs <dir>`, `masthead export wxr <file>` or `masthead export backup <file>`',
    );
    return 2;
  }
  if (format === 'backup') {
    const backup = await withNewsroom((newsroom) => exportBackup(newsroom, target));
    output.out(`backed up ${describeBackup(backup)} into ${target}`);
    return 0;
  }
  if (format === 'wxr') {
    const xml = await withNewsroom(async (newsroom) =>
      buildWxr(exportAsWxr(await readExportSources(newsroom), newsroom.now().toISOString())),
    );
    // Through a temporary name: the file is complete or absent, never half-written.
    await writeFile(`${target}.tmp`, xml);
    await rename(`${target}.tmp`, target);
    output.out(`exported the site as WordPress WXR 1.2 into ${target}`);
    return 0;
  }
  await mkdir(target, { recursive: true });
  const count = await withNewsroom(async (newsroom) => {
    const chrome = await readSiteChrome(newsroom);
    let written = 0;
    for await (const item of readAllPublishedItems(newsroom)) {
      const file = join(target, `${item.article.uuid}.ninjs.json`);
      await writeFile(`${file}.tmp`, `${JSON.stringify(articleToNinjs(item, chrome), null, 2)}\n`);
      await rename(`${file}.tmp`, file);
      output.out(`exported ${item.url} → ${file}`);
      written++;
    }
    return written;
  });
  output.out(`exported ${count} article${count === 1 ? '' : 's'} as ninjs 2.1 into ${target}`);
  return 0;
}

async function restoreCommand(args: string[], output: Output): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) {
    output.err('masthead restore: give exactly one backup file');
    return 2;
  }
  // Not through withNewsroom: opening the newsroom would create the database
  // the restore must find absent or empty.
  const config = loadConfig();
  const media = config.mediaStorage ? mediaBytesFor(config) : null;
  const backup = await restoreBackup(file, { ...config, media });
  output.out(
    `restored ${describeBackup(backup)} from ${file} (made ${backup.createdAt} by Masthead ${backup.mastheadVersion}) into ${config.dataDir}${config.databaseUrl ? ` and ${databaseName(config)}` : ''}${media ? `, photos into ${media.where.public}` : ''}`,
  );
  return 0;
}

function describeBackup(backup: BackupSummary): string {
  const rows = backup.tables.reduce((sum, table) => sum + table.rows, 0);
  return `${rows} rows in ${backup.tables.length} tables, ${backup.mediaFiles} photos and ${backup.originals} originals`;
}

async function keysCommand(args: string[], output: Output): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'init') {
    output.err('masthead keys: the only subcommand is "init"');
    return 2;
  }
  const { values } = parseArgs({ args: rest, options: { replace: { type: 'boolean' } } });
  const config = loadConfig();
  const key = await createSigningKey(config.dataDir, values.replace ?? false);
  await withNewsroom((newsroom) => publishMirrorPublicKey(newsroom, key.publicKey));
  output.out(
    `signing key written to ${signingKeyFile(config.dataDir)} (keep it secret, keep a copy)`,
  );
  output.out(`public key, published at /.well-known/masthead-key: ${key.publicKey}`);
  return 0;
}

async function mirrorCommand(args: string[], output: Output): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'build') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { 'base-url': { type: 'string' }, full: { type: 'boolean' } },
    });
    const [directory, ...extra] = positionals;
    if (!directory || extra.length > 0) {
      output.err('masthead mirror build: give exactly one folder');
      return 2;
    }
    const config = loadConfig();
    const key = await readSigningKey(config.dataDir);
    // The mirror is rendered by the server's own routes: loaded for this command only.
    const { buildMirror } = await import('./mirror/build.js');
    const report = await withNewsroom((newsroom) =>
      buildMirror(newsroom, {
        directory,
        baseUrl: values['base-url'] ?? null,
        key,
        full: values.full ?? false,
        progress: (message) => output.out(message),
      }),
    );
    for (const link of report.brokenLinks)
      output.out(`broken link on ${link.from}: ${link.to} answers 404`);
    output.out(
      `${report.incremental ? 'updated' : 'built'} the mirror in ${directory}: ${report.files} files, ${report.written.length} written, ${report.removed.length} removed, ${report.rendered} rendered, in ${report.seconds.toFixed(1)} s`,
    );
    return 0;
  }
  if (sub === 'verify') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { 'public-key': { type: 'string' } },
    });
    const [location, ...extra] = positionals;
    if (!location || extra.length > 0) {
      output.err('masthead mirror verify: give exactly one folder or address');
      return 2;
    }
    const keyText =
      values['public-key'] ??
      (await withNewsroom((newsroom) => readMirrorPublicKey(newsroom))) ??
      null;
    if (!keyText) {
      output.err(
        'masthead mirror verify: this newsroom has no signing key yet; pass --public-key "ed25519 …"',
      );
      return 2;
    }
    const verdict = await verifyMirror(location, parsePublicKey(keyText));
    for (const difference of verdict.differences)
      output.out(`${difference.problem}: ${difference.path}`);
    if (verdict.differences.length > 0) {
      output.err(
        `masthead: the mirror at ${location} does not match its signed manifest (${verdict.differences.length} files differ)`,
      );
      return 1;
    }
    output.out(
      `ok: all ${verdict.checked} files of ${verdict.manifest.site} (built ${verdict.manifest.builtAt}) match the signed manifest`,
    );
    return 0;
  }
  output.err('masthead mirror: use "build" or "verify"');
  return 2;
}

/**
 * Runs `fn` with an open newsroom, closing it afterwards. The links it makes
 * use MASTHEAD_PUBLIC_URL when this shell sets it, and otherwise the address
 * the server started with: never one made from this shell's own PORT.
 */
async function withNewsroom<T>(
  fn: (newsroom: Awaited<ReturnType<typeof openNewsroom>>) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const opened = await openNewsroom(config);
  try {
    const serverUrl = config.isPublicUrlSet ? null : await serverPublicUrl(opened);
    return await fn(serverUrl ? { ...opened, publicUrl: serverUrl } : opened);
  } finally {
    opened.mailer?.close?.();
    await opened.store.close();
  }
}

// Whoever runs the CLI has the server's shell and its data: they act as the system.
async function userCommand(args: string[], output: Output, input: Input): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          'password-stdin': { type: 'boolean' },
          'link-person': { type: 'boolean' },
        },
      });
      if (!values.email || !values.name || !values.role) {
        output.err('masthead user add: --email, --name and --role are required');
        return 2;
      }
      const password = values['password-stdin'] ? (await input()).replace(/\r?\n$/, '') : undefined;
      const { user, passwordLink } = await withNewsroom((newsroom) =>
        addUser(newsroom, SYSTEM_ACTOR, {
          email: values.email ?? '',
          name: values.name ?? '',
          role: values.role ?? '',
          ...(password === undefined ? {} : { password }),
          ...(values['link-person'] ? { linkPerson: true } : {}),
        }),
      );
      output.out(`created ${user.role} ${user.name} <${user.email}>`);
      if (passwordLink) output.out(`set the password within 7 days at: ${passwordLink}`);
      return 0;
    }
    case 'list': {
      const users = await withNewsroom((newsroom) => listUsers(newsroom, SYSTEM_ACTOR));
      for (const user of users) {
        const state = user.disabledAt ? 'disabled' : user.hasPassword ? 'active' : 'invited';
        output.out(
          `${user.email}\t${user.role}\t${user.name}\t${state}${user.hasTotp ? '\t2fa' : ''}`,
        );
      }
      if (users.length === 0) output.out('no staff accounts yet: add one with `masthead user add`');
      return 0;
    }
    case 'role': {
      const [email, role, ...extra] = rest;
      if (!email || !role || extra.length > 0) {
        output.err('masthead user role: give an e-mail address and a role');
        return 2;
      }
      const user = await withNewsroom((newsroom) =>
        changeRole(newsroom, SYSTEM_ACTOR, email, role),
      );
      output.out(`${user.email} is now ${user.role}`);
      return 0;
    }
    case 'disable': {
      const [email, ...extra] = rest;
      if (!email || extra.length > 0) {
        output.err('masthead user disable: give one e-mail address');
        return 2;
      }
      const user = await withNewsroom((newsroom) => disableUser(newsroom, SYSTEM_ACTOR, email));
      output.out(`${user.email} is disabled and signed out everywhere`);
      return 0;
    }
    case 'reset-2fa': {
      const [email, ...extra] = rest;
      if (!email || extra.length > 0) {
        output.err('masthead user reset-2fa: give one e-mail address');
        return 2;
      }
      const user = await withNewsroom((newsroom) => resetTotp(newsroom, SYSTEM_ACTOR, email));
      output.out(
        `two-factor sign-in is off for ${user.email}: they sign in with the password and set it up again`,
      );
      return 0;
    }
    default:
      output.err(
        `masthead user: unknown subcommand "${sub ?? ''}"; use add, list, role, disable or reset-2fa`,
      );
      return 2;
  }
}

async function migrate(output: Output): Promise<number> {
  // Opening the store migrates it.
  const applied = await withNewsroom(async (newsroom) => newsroom.store.appliedMigrations);
  for (const name of applied) output.out(`applied migration ${name}`);
  output.out(`database at ${databaseName(loadConfig())} is up to date`);
  return 0;
}
