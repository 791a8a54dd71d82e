#!/usr/bin/env node
// The stratolab command: runs the TypeScript sources directly through tsx
// (no build step), so `npx stratolab` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
await runCli();
