// The model card's "At a glance" table is the one source of the accuracy figures the page and
// the README show. This module reads it; run as a script it writes the page's copy of it, an
// ES module, so that a new model with a new card cannot leave a stale claim on the page:
//   node www/tools/model-card.mjs models/MODEL_CARD.md www/dist/model-card.js
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const COLUMNS = ['key', 'model', 'set', 'producedBy', 'solved', 'paper', 'command'];

/** The rows between the card's `glance: begin` and `glance: end` markers, by key. */
export function readGlance(markdown) {
  const begin = markdown.indexOf('<!-- glance: begin');
  const end = markdown.indexOf('<!-- glance: end -->');
  if (begin < 0 || end < begin) throw new Error('the model card has no "glance: begin" ... "glance: end" table');
  const lines = markdown.slice(begin, end).split('\n').filter((l) => l.startsWith('|')).slice(2);
  const rows = {};
  for (const line of lines) {
    const cells = line.slice(1, line.lastIndexOf('|')).split('|').map((c) => c.trim());
    if (cells.length !== COLUMNS.length) throw new Error(`a glance row has ${cells.length} cells, not ${COLUMNS.length}: ${line}`);
    const row = Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]]));
    for (const c of ['solved', 'paper']) {
      if (row[c] && !/^\d+(\.\d)?%$/.test(row[c])) throw new Error(`glance row ${row.key}: ${c} "${row[c]}" is not a percentage like 95.7%`);
    }
    if (rows[row.key]) throw new Error(`glance row ${row.key} appears twice`);
    rows[row.key] = row;
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [card, out] = process.argv.slice(2);
  if (!card || !out) {
    console.error('usage: node www/tools/model-card.mjs MODEL_CARD.md OUT.js');
    process.exit(2);
  }
  const glance = readGlance(readFileSync(card, 'utf8'));
  writeFileSync(out, `// Generated from ${card} by www/tools/model-card.mjs; edit the card, not this.\nexport const GLANCE = ${JSON.stringify(glance, null, 1)};\n`);
}
