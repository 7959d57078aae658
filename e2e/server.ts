import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { SEED_ARTICLE_PATH, SEED_FILE } from '../test/fixtures.js';

export { SEED_ARTICLE_PATH, SEED_FILE };

// Starts the real `masthead` command (bin/masthead.js) against a fresh data
// directory: no in-process server, no mocks. Each call gets its own temp dir
// and port, and stop() leaves nothing behind.

const execFileAsync = promisify(execFile);

/** The repository root (cwd of every CLI run). */
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

export const SEED_PUBLISHED_AT = '2026-02-15T12:00:00Z';

/** Every kind of reader page on the seed site, with the status each must answer. */
export const SEED_SITE_PAGES: { name: string; path: string; status: number }[] = [
  { name: 'home', path: '/', status: 200 },
  { name: 'section /news', path: '/news', status: 200 },
  { name: 'section /news/politics', path: '/news/politics', status: 200 },
  { name: 'article', path: SEED_ARTICLE_PATH, status: 200 },
  { name: 'article print view', path: `${SEED_ARTICLE_PATH}?print`, status: 200 },
  { name: 'not found', path: '/no/such/page', status: 404 },
  { name: 'masthead', path: '/masthead', status: 200 },
  { name: 'terms of use', path: '/terms-of-use', status: 200 },
  { name: 'privacy policy', path: '/privacy-policy', status: 200 },
  { name: 'English home /en', path: '/en', status: 200 },
  { name: 'English section /en/news/politics', path: '/en/news/politics', status: 200 },
  { name: 'search results', path: '/search?q=embassy', status: 200 },
  { name: 'search without results', path: '/search?q=%22unbalanced', status: 200 },
  { name: 'newsletters', path: '/newsletters', status: 200 },
  { name: 'contact', path: '/contact', status: 200 },
  // The masthead's editor-in-chief: the seed article has no byline, the masthead page links them.
  { name: 'author', path: '/authors/kirill-martynov', status: 200 },
];

const CLI = join(REPO_ROOT, 'bin', 'masthead.js');
const HEALTH_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export type RunningServer = {
  /** http://127.0.0.1:PORT, no trailing slash. */
  baseUrl: string;
  port: number;
  dataDir: string;
  /** The settings it was started with (a CLI run beside it needs the same, such as its DATABASE_URL). */
  settings: Record<string, string>;
  /** Everything the server printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
};

export type ServerContent = 'seed' | 'sample';

/**
 * A fresh data directory, filled either by importing the seed page through the
 * CLI (`seed`) or by `serve --sample-content` (`sample`), then a running server
 * with these `settings` added to its environment. With `isOwnPublicUrl` the
 * server calls itself by the address it listens on (http://127.0.0.1:PORT),
 * not http://localhost:PORT: two fediverse instances must, since other
 * servers fetch and check what they sign by it.
 */
export async function startServer(
  content: ServerContent = 'seed',
  settings: Record<string, string> = {},
  options: { isOwnPublicUrl?: boolean } = {},
): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), `masthead-e2e-${content}-`));
  try {
    const env = { ...process.env, ...settings, MASTHEAD_DATA: dataDir, LOG_LEVEL: 'warn' };
    if (content === 'seed') await importSeed(env);
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [CLI, 'serve', ...(content === 'sample' ? ['--sample-content'] : [])],
      {
        cwd: REPO_ROOT,
        env: {
          ...env,
          PORT: String(port),
          HOST: '127.0.0.1',
          ...(options.isOwnPublicUrl ? { MASTHEAD_PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    // Should the test process end without stop() (a crash, a timeout), take the server along.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const baseUrl = `http://127.0.0.1:${port}`;
    const stop = async () => {
      process.removeListener('exit', killOnExit);
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    };
    try {
      await waitForHealth(baseUrl, child, () => output);
    } catch (error) {
      await stop();
      throw error;
    }
    return { baseUrl, port, dataDir, settings, output: () => output, stop };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function importSeed(env: NodeJS.ProcessEnv): Promise<void> {
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await execFileAsync(
      process.execPath,
      [CLI, 'import', SEED_FILE, '--published-at', SEED_PUBLISHED_AT],
      { cwd: REPO_ROOT, env, timeout: 60_000 },
    ));
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    throw new Error(
      `masthead import exited with ${String(failed.code)}\nstdout:\n${failed.stdout ?? ''}\nstderr:\n${failed.stderr ?? ''}`,
    );
  }
  // execFile rejects on any non-zero exit, so reaching here means exit code 0.
  const expected = `created article ${SEED_ARTICLE_PATH}`;
  if (!stdout.includes(expected)) {
    throw new Error(
      `masthead import did not report "${expected}"\nstdout:\n${stdout}\nstderr:\n${stderr}`,
    );
  }
}

/** A port that was free a moment ago: listen on port 0, read it, close. */
async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not read the probe port'));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}

async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `masthead serve exited (${child.exitCode ?? child.signalCode}) before answering /healthz\n${output()}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastProblem = `status ${response.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `masthead serve did not answer 200 on ${baseUrl}/healthz within ${HEALTH_TIMEOUT_MS} ms (${lastProblem})\n${output()}`,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Adds a staff account to a running server's newsroom through the CLI (`user add --password-stdin`). */
export function addStaff(
  server: RunningServer,
  account: { email: string; name: string; role: string; password: string },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [
        CLI,
        'user',
        'add',
        '--email',
        account.email,
        '--name',
        account.name,
        '--role',
        account.role,
        '--password-stdin',
      ],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          ...server.settings,
          MASTHEAD_DATA: server.dataDir,
          LOG_LEVEL: 'warn',
        },
      },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(),
    );
    child.stdin?.end(account.password);
  });
}

/** Signs `email` in to the newsroom app in `page` and waits for its navigation. */
export async function signInToAdmin(
  page: Page,
  server: RunningServer,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${server.baseUrl}/admin/`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Newsroom' }).waitFor();
}

/**
 * Publishes the article open in the editor as a person does (Publish, then
 * "Publish now" in the confirmation) and answers its address and the reader
 * page's HTML.
 */
export async function publishFromEditor(
  page: Page,
  server: RunningServer,
): Promise<{ url: string; html: string }> {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Publish this article?' })
    .getByRole('button', { name: 'Publish now' })
    .click();
  await page.getByText('Published.').waitFor();
  const url = (await page.locator('.article-state code').textContent()) ?? '';
  const html = await (await fetch(`${server.baseUrl}${url}`)).text();
  return { url, html };
}
