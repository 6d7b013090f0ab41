// docs.html: the repository's documents as the site bundles them (scripts/build-site.sh copies
// them to www/dist/doc/), so that the page's links to the model card and the README work on any
// static host. Checks a section link lands, the model card's glance table renders, links
// between bundled documents stay on the site, links to files that are not bundled say where
// they are, images load, and a document that is not bundled is refused by name.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, browser, ensureSite, serve } from './harness.mjs';
import { readGlance } from '../tools/model-card.mjs';

let site;
before(async () => {
  ensureSite();
  site = await serve(join(ROOT, 'www/dist'));
});
after(() => site?.server.close());

test('the page\'s documents render on the site itself', { timeout: 120_000 }, async () => {
  const b = await browser({ webgpu: false });
  try {
    const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    // The page links to the card's glance table: it renders, with the card's figures.
    const home = await b.newPage();
    await home.goto(`${site.url}/`);
    const links = await home.$$eval('footer a', (as) => as.map((a) => a.getAttribute('href')).filter((h) => h.startsWith('docs.html')));
    assert.ok(links.length >= 2, 'the footer links to the bundled documents');
    await home.close();
    await page.goto(`${site.url}/docs.html?doc=models/MODEL_CARD.md#at-a-glance`);
    await page.waitForSelector('#at-a-glance');
    assert.ok(await page.evaluate(() => scrollY > 0), 'the section link scrolls to its heading');
    const table = await page.$eval('#at-a-glance ~ table', (t) => t.textContent);
    const glance = readGlance(readFileSync(join(ROOT, 'models/MODEL_CARD.md'), 'utf8'));
    for (const r of Object.values(glance)) assert.ok(table.includes(r.solved) && table.includes(r.key), `the rendered table has ${r.key}`);

    await page.goto(`${site.url}/docs.html?doc=README.md`);
    await page.waitForSelector('#doc h1');
    const hrefs = await page.$$eval('#doc a', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.includes('docs.html?doc=models%2FMODEL_CARD.md'), 'a link to another bundled document stays on the site');
    assert.deepEqual(hrefs.filter((h) => !/^(https?:|#|docs\.html\?doc=)/.test(h)), [], 'no link points at a raw file the host may not serve');
    assert.ok((await page.$$eval('#doc .repo-path', (s) => s.map((x) => x.title))).every((t) => / in the trm-web repository$/.test(t)));
    await page.waitForFunction(() => [...document.querySelectorAll('#doc img')].every((i) => i.complete && i.naturalWidth > 0));
    assert.equal(await page.textContent('#doc-path'), 'README.md');

    await page.goto(`${site.url}/docs.html?doc=../serve.mjs`);
    await page.waitForFunction(() => !/Loading/.test(document.getElementById('doc').textContent));
    assert.match(await page.textContent('#doc'), /^"\.\.\/serve\.mjs" is not one of the documents bundled with this site: .*models\/MODEL_CARD\.md/);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});
