#!/usr/bin/env node
// The `masthead` command. TypeScript sources run through tsx, so a fresh clone
// needs no build step before `npx masthead` works.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
