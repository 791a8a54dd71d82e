/**
 * `npm run fixtures`: regenerates every committed fixture (deterministic,
 * seeded) by running each source's generator in turn:
 *   fixtures/cloudtrail/ (+ cloudtrail-ground-truth.json), fixtures/gcp/, fixtures/scap/incident.scap
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const GENERATORS: [string, string[]][] = [
  ['gen-cloudtrail-fixture.ts', []],
  ['gen-gcp-fixture.ts', []],
  ['gen-scap.ts', ['--fixture']],
];

let failed = 0;
for (const [script, args] of GENERATORS) {
  const file = path.join(here, script);
  if (!existsSync(file)) {
    console.error(`fixtures: ${script} is not in this checkout, skipped`);
    continue;
  }
  console.error(`fixtures: ${script} ${args.join(' ')}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'inherit', cwd: path.resolve(here, '..') });
  if (r.status !== 0) {
    console.error(`fixtures: ${script} failed (exit ${r.status ?? r.signal})`);
    failed++;
  }
}
process.exitCode = failed ? 1 : 0;
