// One source for every accuracy figure: the model card's "At a glance" table. The page's
// notes are built from it (www/model-notes.js over the generated model-card.js), the page's
// sources hold no percentage of their own, and the README's table shows only figures the
// card has. Node only: the page's modules are loaded from a temporary folder beside the
// generated table, as scripts/build-site.sh puts them in www/dist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './harness.mjs';
import { readGlance } from '../tools/model-card.mjs';
import { readPageTimes } from '../tools/page-times.mjs';
import { SHIPPED_SHA256 } from '../src/default-model.js';

const CARD = join(ROOT, 'models/MODEL_CARD.md');
const glance = readGlance(readFileSync(CARD, 'utf8'));
const percentages = (text) => [...text.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => Number(m[1]));
const known = new Set(Object.values(glance).flatMap((r) => [r.solved, r.paper]).filter(Boolean).map((p) => Number(p.slice(0, -1))));

async function pageNotes() {
  const dir = mkdtempSync(join(tmpdir(), 'trm-notes-'));
  execFileSync(process.execPath, [join(ROOT, 'www/tools/model-card.mjs'), CARD, join(dir, 'model-card.js')]);
  execFileSync(process.execPath, [join(ROOT, 'www/tools/page-times.mjs'), join(ROOT, 'BENCHMARKS.md'), join(dir, 'page-times.js')]);
  copyFileSync(join(ROOT, 'www/model-notes.js'), join(dir, 'model-notes.js'));
  return import(pathToFileURL(join(dir, 'model-notes.js')).href);
}

test('the glance table has a row for every bundled model, each with a figure and a command', () => {
  const models = readdirSync(join(ROOT, 'models')).filter((f) => f.endsWith('.safetensors')).map((f) => f.replace('.safetensors', ''));
  for (const m of models) assert.ok(Object.values(glance).some((r) => r.model === m), `no glance row for models/${m}.safetensors`);
  for (const r of Object.values(glance)) {
    assert.match(r.solved, /%$/, `${r.key}: a solved share`);
    assert.ok(r.producedBy && r.set && r.command, `${r.key}: what produced the figure, on which set, with which command`);
  }
});

test('the glance reader refuses a table it cannot read', () => {
  assert.throws(() => readGlance('# no table'), /no "glance: begin"/);
  const bad = '<!-- glance: begin -->\n| key | model | set | by | solved | paper | cmd |\n|---|\n| a | b | c | d | about half | | e |\n<!-- glance: end -->';
  assert.throws(() => readGlance(bad), /not a percentage/);
});

test('the page\'s notes carry the card\'s figures and no others', async () => {
  const { MODEL_NOTES, MODEL_SHORT } = await pageNotes();
  for (const m of Object.keys(SHIPPED_SHA256)) assert.ok(MODEL_NOTES[m], `a note for the bundled ${m} model`);
  assert.ok(MODEL_NOTES.sudoku.includes(glance['sudoku.easy'].solved));
  assert.ok(MODEL_NOTES.sudoku.includes(glance['sudoku.extreme'].solved));
  assert.ok(MODEL_NOTES.maze11.includes(glance['maze11.one'].solved));
  for (const text of [...Object.values(MODEL_NOTES), ...Object.values(MODEL_SHORT)]) {
    for (const p of percentages(text)) assert.ok(known.has(p), `${p}% in the page's note is not in the model card's glance table: ${text}`);
  }
});

test('the page\'s own sources write no percentage (they all come from the card)', () => {
  const files = ['www/index.html', 'www/shell.js', 'www/app.js', 'www/model-notes.js', 'www/timeline.js',
    ...readdirSync(join(ROOT, 'www/views')).map((f) => `www/views/${f}`)];
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), 'utf8');
    // A figure is digits before '%' in prose; style sizes (width: 100%) are not figures.
    const found = [...text.matchAll(/[^\w:(\-]\s?(\d+(?:\.\d+)?)%(?![\w;)])/g)].map((m) => m[0].trim());
    assert.deepEqual(found, [], `${f} writes a percentage by hand: take it from the model card's glance table`);
  }
});

test('the README\'s table shows only figures the card has', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('## What works'), readme.indexOf('## The npm package'));
  const found = percentages(table);
  assert.ok(found.length >= 8, 'the README\'s table states the models\' figures');
  for (const p of found) assert.ok(known.has(p), `${p}% in the README's "What works" table is not in the model card's glance table`);
});

test('the time the ARC view states before a solve is BENCHMARKS.md\'s measured one', async () => {
  const times = readPageTimes(readFileSync(join(ROOT, 'BENCHMARKS.md'), 'utf8'));
  const { MODEL_WAIT } = await pageNotes();
  const t = times['arc.solve'];
  assert.ok(t, 'BENCHMARKS.md\'s page-times table has the ARC row');
  assert.ok(MODEL_WAIT.arc.includes(`${t.seconds} s`) && MODEL_WAIT.arc.includes(t.machine), MODEL_WAIT.arc);
  assert.match(t.command, /page-solve\.mjs/, 'measured by the page benchmark');
  const bad = '<!-- page-times: begin -->\n| key | view | example | by | s | machine | cmd |\n|---|\n| a.solve | a | b | c | about 40 | m | x |\n<!-- page-times: end -->';
  assert.throws(() => readPageTimes(bad), /not a number/);
  assert.throws(() => readPageTimes('# none'), /no "page-times: begin"/);
});
