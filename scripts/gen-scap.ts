/**
 * Write a deterministic synthetic .scap capture (src/sources/scap/synth.ts).
 *
 *   node --import tsx scripts/gen-scap.ts --out FILE [--events N] [--seed S] [--gzip] [--no-incident] [--procinfo]
 *   node --import tsx scripts/gen-scap.ts --fixture     # rewrites fixtures/scap/incident.scap
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { synthesize } from '../src/sources/scap/synth.js';
import { ScapWriter } from '../src/sources/scap/writer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    events: { type: 'string' },
    seed: { type: 'string' },
    gzip: { type: 'boolean', default: false },
    'no-incident': { type: 'boolean', default: false },
    procinfo: { type: 'boolean', default: false },
    fixture: { type: 'boolean', default: false },
  },
});

/** The committed fixture: the intrusion story in ~6,000 events of background traffic, gzip. */
const FIXTURE = { out: path.resolve(here, '../fixtures/scap/incident.scap'), events: 6000, seed: 7, gzip: true };

const out = values.fixture ? FIXTURE.out : values.out;
if (!out) {
  console.error('usage: gen-scap.ts --out FILE [--events N] [--seed S] [--gzip] [--no-incident] [--procinfo] | --fixture');
  process.exit(2);
}
const events = values.fixture ? FIXTURE.events : Number(values.events ?? 10000);
const seed = values.fixture ? FIXTURE.seed : Number(values.seed ?? 1);
const gzip = values.fixture ? FIXTURE.gzip : values.gzip;

mkdirSync(path.dirname(out), { recursive: true });
const w = new ScapWriter(out, { gzip });
let n = 0;
for (const b of synthesize({ events, seed, incident: !values['no-incident'], procinfo: values.procinfo })) {
  w.block(b);
  if (b.kind === 'event') n++;
  await w.maybeFlush();
}
await w.close();
console.log(`wrote ${out}: ${n} events (seed ${seed}${gzip ? ', gzip' : ''})`);
