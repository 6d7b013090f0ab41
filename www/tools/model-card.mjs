// The model card's "At a glance" table is the one source of the accuracy figures the page and
// the README show. This module reads it; run as a script it writes the page's copy of it, an
// ES module, so that a new model with a new card cannot leave a stale claim on the page:
//   node www/tools/model-card.mjs models/MODEL_CARD.md www/dist/model-card.js
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const COLUMNS = ['key', 'model', 'set', 'producedBy', 'solved', 'paper', 'command'];

/** The rows of a markdown table between `<!-- NAME: begin` and `<!-- NAME: end -->`, by their
 * first column, each cell named by `columns`; `check(row)` refuses a row it cannot use. */
export function readMarkedTable(markdown, name, columns, check = () => {}) {
  const begin = markdown.indexOf(`<!-- ${name}: begin`);
  const end = markdown.indexOf(`<!-- ${name}: end -->`);
  if (begin < 0 || end < begin) throw new Error(`no "${name}: begin" ... "${name}: end" table`);
  const lines = markdown.slice(begin, end).split('\n').filter((l) => l.startsWith('|')).slice(2);
  const rows = {};
  for (const line of lines) {
    const cells = line.slice(1, line.lastIndexOf('|')).split('|').map((c) => c.trim());
    if (cells.length !== columns.length) throw new Error(`a ${name} row has ${cells.length} cells, not ${columns.length}: ${line}`);
    const row = Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
    check(row);
    if (rows[row[columns[0]]]) throw new Error(`${name} row ${row[columns[0]]} appears twice`);
    rows[row[columns[0]]] = row;
  }
  return rows;
}

/** The model card's "At a glance" rows, by key. */
export function readGlance(markdown) {
  return readMarkedTable(markdown, 'glance', COLUMNS, (row) => {
    for (const c of ['solved', 'paper']) {
      if (row[c] && !/^\d+(\.\d)?%$/.test(row[c])) throw new Error(`glance row ${row.key}: ${c} "${row[c]}" is not a percentage like 95.7%`);
    }
  });
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
