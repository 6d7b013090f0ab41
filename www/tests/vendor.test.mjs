// The files in www/vendor are npm packages' files, copied so that ./scripts/serve.sh builds the
// page without `npm install` (www/vendor/README.md): each must equal its package's file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

const VENDORED = [
  ['gifenc.esm.js', 'gifenc/dist/gifenc.esm.js'],
  ['marked.esm.js', 'marked/lib/marked.esm.js'],
];

for (const [file, npm] of VENDORED) {
  test(`www/vendor/${file} is the npm package's ${npm}`, () => {
    const vendored = readFileSync(join(ROOT, 'www/vendor', file));
    const original = readFileSync(join(ROOT, 'www/node_modules', npm));
    assert.ok(vendored.equals(original), `www/vendor/${file} differs from ${npm} in node_modules: copy it again`);
  });
}
