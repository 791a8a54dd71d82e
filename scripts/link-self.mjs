// postinstall: in a checkout of stratolab itself, make `import ... from "stratolab"`
// resolve to this checkout (node_modules/stratolab -> ..), as it does for users who
// install the package. Notebooks and the kernel's TypeScript compiler (which does
// not follow package self-references) need it. Does nothing inside a node_modules.
import { existsSync, lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!root.split(path.sep).includes('node_modules')) {
  const link = path.join(root, 'node_modules', 'stratolab');
  let present = false;
  try {
    lstatSync(link);
    present = true;
  } catch {
    present = false;
  }
  if (!present && existsSync(path.join(root, 'node_modules'))) {
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync('..', link, 'dir');
  }
}
