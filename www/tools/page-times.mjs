// BENCHMARKS.md's "page-times" table (what a visitor waits for a view's default solve, measured
// by www/bench/page-solve.mjs) is the one source of the times the page states before a solve.
// This module reads it; run as a script it writes the page's copy, an ES module:
//   node www/tools/page-times.mjs BENCHMARKS.md www/dist/page-times.js
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readMarkedTable } from './model-card.mjs';

const COLUMNS = ['key', 'view', 'example', 'producedBy', 'seconds', 'machine', 'command'];

/** The rows of the "page-times" table, by key. */
export function readPageTimes(markdown) {
  return readMarkedTable(markdown, 'page-times', COLUMNS, (row) => {
    if (!/^\d+(\.\d)?$/.test(row.seconds)) throw new Error(`page-times row ${row.key}: seconds "${row.seconds}" is not a number like 15.9`);
    if (!row.machine || !row.command) throw new Error(`page-times row ${row.key}: which machine, with which command`);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [source, out] = process.argv.slice(2);
  if (!source || !out) {
    console.error('usage: node www/tools/page-times.mjs BENCHMARKS.md OUT.js');
    process.exit(2);
  }
  const times = readPageTimes(readFileSync(source, 'utf8'));
  writeFileSync(out, `// Generated from ${source} by www/tools/page-times.mjs; edit the benchmarks, not this.\nexport const PAGE_TIMES = ${JSON.stringify(times, null, 1)};\n`);
}
