import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { isDomainError } from './core/errors.js';
import { toIsoDate } from './core/import-bundle.js';
import { importFormatNames, parseImportFile } from './formats/detect.js';
import { createServer, openNewsroom } from './main.js';
import { applyImportBundle, formatReportLine } from './newsroom/import-items.js';
import { installSampleContent } from './newsroom/sample-content.js';

const HELP = `masthead — a publishing platform for independent newsrooms

Usage:
  masthead serve [--sample-content]   start the site (--sample-content fills an empty site)
  masthead import <file> [--format F] [--published-at ISO-DATE]
                                      import articles and pages from a file
  masthead migrate                    create or upgrade the database schema
  masthead help                       show this text

Settings (environment): PORT (3000), HOST (127.0.0.1), MASTHEAD_DATA (./data),
MASTHEAD_PUBLIC_URL (http://localhost:PORT), LOG_LEVEL (info).`;

type Output = { out: (line: string) => void; err: (line: string) => void };

const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Runs one CLI command; returns the process exit code (errors are printed, not thrown). */
export async function runCli(argv: string[], output: Output = consoleOutput): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, output);
      case 'import':
        return await importCommand(rest, output);
      case 'migrate':
        return await migrate(output);
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
  output.out(`Masthead is serving ${config.publicUrl} (data in ${config.dataDir})`);
  return await new Promise<number>(() => {});
}

async function importCommand(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string' }, 'published-at': { type: 'string' } },
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
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    output.err(`masthead import: cannot read ${path}: ${(error as Error).message}`);
    return 1;
  }
  // Parse before opening the store: a file Masthead cannot read touches no database.
  const bundle = parseImportFile(bytes, basename(path), values.format);
  const config = loadConfig();
  const newsroom = await openNewsroom(config);
  try {
    const lines = await applyImportBundle(newsroom, bundle, publishedAt ? { publishedAt } : {});
    for (const line of lines) output.out(formatReportLine(line));
    const count = (action: string) => lines.filter((line) => line.action === action).length;
    output.out(
      `imported ${basename(path)}: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged`,
    );
    return 0;
  } finally {
    await newsroom.store.close();
  }
}

async function migrate(output: Output): Promise<number> {
  const config = loadConfig();
  const newsroom = await openNewsroom(config);
  await newsroom.store.close();
  for (const name of newsroom.store.appliedMigrations) output.out(`applied migration ${name}`);
  output.out(`database at ${config.databaseFile} is up to date`);
  return 0;
}
