import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';

const CLI = fileURLToPath(new URL('../../bin/masthead.js', import.meta.url));

/** Starts `masthead serve` as its own process with `env`, resolving once it is listening. */
async function startServer(env: Record<string, string>): Promise<{ stop: () => Promise<void> }> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...inherited, HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('Masthead is serving')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`masthead serve exited (${code}):\n${printed}`)));
  });
  return {
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

let dataDir: string;
let out: string[];
let err: string[];
const output = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'masthead-users-'));
  process.env.MASTHEAD_DATA = dataDir;
  process.env.MASTHEAD_PUBLIC_URL = 'https://news.example';
  out = [];
  err = [];
});
afterEach(async () => {
  delete process.env.MASTHEAD_DATA;
  delete process.env.MASTHEAD_PUBLIC_URL;
  await rm(dataDir, { recursive: true, force: true });
});

describe('masthead user', () => {
  it('adds an account and prints a one-time link to set its password', async () => {
    const code = await runCli(
      [
        'user',
        'add',
        '--email',
        'Kirill@News.Example',
        '--name',
        'Kirill Martynov',
        '--role',
        'editor-in-chief',
      ],
      output,
    );
    expect(code).toBe(0);
    expect(out[0]).toBe('created editor-in-chief Kirill Martynov <kirill@news.example>');
    expect(out[1]).toMatch(
      /^set the password within 7 days at: https:\/\/news\.example\/admin\/#\/set-password\/[\w-]{40,}$/,
    );
  });

  it('links to the address the server started with, not one made from its own PORT', async () => {
    const add = async (email: string) => {
      out = [];
      const args = ['user', 'add', '--email', email, '--name', email, '--role', 'author'];
      expect(await runCli(args, output), err.join('\n')).toBe(0);
      return out[1]?.replace(/set-password\/[\w-]+$/, 'set-password/…');
    };
    // This shell has neither the server's MASTHEAD_PUBLIC_URL nor its port.
    delete process.env.MASTHEAD_PUBLIC_URL;
    process.env.PORT = '4999';
    try {
      // No server has run on this database yet: the address made from PORT.
      expect(await add('a@news.example')).toBe(
        'set the password within 7 days at: http://localhost:4999/admin/#/set-password/…',
      );
      const server = await startServer({
        MASTHEAD_DATA: dataDir,
        MASTHEAD_PUBLIC_URL: 'https://news.example',
        PORT: '0',
      });
      try {
        expect(await add('b@news.example')).toBe(
          'set the password within 7 days at: https://news.example/admin/#/set-password/…',
        );
      } finally {
        await server.stop();
      }
      // An address this shell gives still wins.
      process.env.MASTHEAD_PUBLIC_URL = 'https://staff.example';
      expect(await add('c@news.example')).toBe(
        'set the password within 7 days at: https://staff.example/admin/#/set-password/…',
      );
    } finally {
      delete process.env.PORT;
    }
  });

  it('reads the password from standard input with --password-stdin, for scripts', async () => {
    const code = await runCli(
      [
        'user',
        'add',
        '--email',
        'a@news.example',
        '--name',
        'Ann Author',
        '--role',
        'author',
        '--password-stdin',
      ],
      output,
      async () => 'a long enough password\n',
    );
    expect(code).toBe(0);
    expect(out).toEqual(['created author Ann Author <a@news.example>']);
    out = [];
    await runCli(['user', 'list'], output);
    expect(out).toEqual(['a@news.example\tauthor\tAnn Author\tactive']);
  });

  it('changes a role and disables an account', async () => {
    await runCli(
      ['user', 'add', '--email', 'c@news.example', '--name', 'Cy Writer', '--role', 'contributor'],
      output,
    );
    out = [];
    expect(await runCli(['user', 'role', 'c@news.example', 'editor'], output)).toBe(0);
    expect(await runCli(['user', 'disable', 'c@news.example'], output)).toBe(0);
    await runCli(['user', 'list'], output);
    expect(out).toEqual([
      'c@news.example is now editor',
      'c@news.example is disabled and signed out everywhere',
      'c@news.example\teditor\tCy Writer\tdisabled',
    ]);
  });

  it('turns two-factor off with reset-2fa, naming a missing or unknown account', async () => {
    expect(await runCli(['user', 'reset-2fa'], output)).toBe(2);
    expect(err.at(-1)).toBe('masthead user reset-2fa: give one e-mail address');
    expect(await runCli(['user', 'reset-2fa', 'nobody@news.example'], output)).toBe(1);
    expect(err.at(-1)).toBe('masthead: no account for nobody@news.example');
    await runCli(
      ['user', 'add', '--email', 'd@news.example', '--name', 'Di Editor', '--role', 'editor'],
      output,
    );
    out = [];
    expect(await runCli(['user', 'reset-2fa', 'd@news.example'], output)).toBe(0);
    expect(out).toEqual([
      'two-factor sign-in is off for d@news.example: they sign in with the password and set it up again',
    ]);
  });

  it('explains a bad role, a duplicate and a short password', async () => {
    expect(
      await runCli(
        ['user', 'add', '--email', 'x@news.example', '--name', 'X Y', '--role', 'owner'],
        output,
      ),
    ).toBe(1);
    expect(err.at(-1)).toBe(
      'masthead: unknown role "owner": use contributor, author, editor or editor-in-chief',
    );
    await runCli(
      ['user', 'add', '--email', 'x@news.example', '--name', 'X Y', '--role', 'author'],
      output,
    );
    expect(
      await runCli(
        ['user', 'add', '--email', 'x@news.example', '--name', 'Other', '--role', 'author'],
        output,
      ),
    ).toBe(1);
    expect(err.at(-1)).toBe('masthead: there is already an account for x@news.example');
    const short = await runCli(
      [
        'user',
        'add',
        '--email',
        'y@news.example',
        '--name',
        'Y Z',
        '--role',
        'author',
        '--password-stdin',
      ],
      output,
      async () => 'short',
    );
    expect(short).toBe(1);
    expect(err.at(-1)).toBe('masthead: a password needs at least 12 characters');
  });
});

describe('masthead media add', () => {
  it('adds a photo to the library with its credit chain', async () => {
    const file = join(dataDir, 'photo.png');
    await sharp({ create: { width: 80, height: 60, channels: 3, background: '#224466' } })
      .png()
      .toFile(file);
    const code = await runCli(
      [
        'media',
        'add',
        file,
        '--alt',
        'A quay at dawn',
        '--credit',
        'EPA / Grigory Sysoev / Sputnik',
      ],
      output,
    );
    expect(code, err.join('\n')).toBe(0);
    expect(out[0]).toMatch(/^created media #1 80×60 \/media\/[a-f0-9]{32}\.jpg$/);
    expect(out[1]).toBe(
      'credit: EPA (agency) / Grigory Sysoev (photographer) / Sputnik (distributor)',
    );
  });

  it('refuses a file that is not an image, naming the problem', async () => {
    const file = join(dataDir, 'notes.jpg');
    await writeFile(file, 'not an image at all');
    expect(await runCli(['media', 'add', file, '--alt', 'x'], output)).toBe(1);
    expect(err.at(-1)).toMatch(/^masthead: the file is not a photo Masthead can read/);
  });
});
