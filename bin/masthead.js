#!/usr/bin/env node
// The `masthead` command. TypeScript sources run through tsx, so a fresh clone
// needs no build step before `npx masthead` works.
import { register } from 'tsx/esm/api';

// React renders the reader pages: its production build is several times faster
// than the development one, which it picks when NODE_ENV is unset.
process.env.NODE_ENV ??= 'production';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
