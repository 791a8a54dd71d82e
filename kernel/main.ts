/**
 * Entry point Jupyter starts: `node --import tsx kernel/main.ts CONNECTION_FILE`
 * (the kernelspec written by `stratolab kernel install`).
 */
import { KernelServer } from './server.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: stratolab-kernel CONNECTION_FILE\n');
  process.exit(2);
}
process.on('uncaughtException', (e) => process.stderr.write(`uncaught: ${e.stack ?? e}\n`));
process.on('unhandledRejection', (e) => process.stderr.write(`unhandled rejection: ${(e as Error)?.stack ?? e}\n`));
// a checkout of stratolab: make `from "stratolab"` resolve to it (a no-op for installed packages)
await import('../scripts/link-self.mjs' as string).catch(() => undefined);
await new KernelServer(file).start();
