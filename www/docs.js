// Shows one of the repository's documents bundled with the site (README, model card,
// benchmarks, docs/), so that the page's links to them work on any static host, not only
// where the repository is. scripts/build-site.sh copies them to doc/ and lists them in
// doc/index.json; a link to another bundled document stays on this page, a link to a file
// that is not bundled says where it is in the repository.
import { marked } from './vendor/marked.esm.js';

const article = document.getElementById('doc');
const wanted = new URLSearchParams(location.search).get('doc') ?? 'README.md';

/** `href` as written in the document at `from`, as a path from the repository's root, or null
 * for an address outside it. */
function repoPath(href, from) {
  if (/^[a-z]+:|^\/\/|^#/i.test(href)) return null;
  const parts = from.split('/').slice(0, -1);
  for (const p of href.split('#')[0].split('/')) {
    if (p === '..') parts.pop();
    else if (p && p !== '.') parts.push(p);
  }
  return parts.join('/');
}

async function show() {
  const bundled = await (await fetch('doc/index.json')).json();
  if (!bundled.includes(wanted)) {
    article.textContent = `"${wanted}" is not one of the documents bundled with this site: ${bundled.join(', ')}.`;
    return;
  }
  const res = await fetch(`doc/${wanted}`);
  if (!res.ok) throw new Error(`doc/${wanted}: HTTP ${res.status}`);
  document.getElementById('doc-path').textContent = wanted;
  document.title = `trm-web: ${wanted}`;
  article.innerHTML = marked.parse(await res.text());
  // GitHub's heading anchors, so that links to a section (#at-a-glance) land there.
  for (const h of article.querySelectorAll('h1, h2, h3, h4')) {
    h.id = h.textContent.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
  }
  for (const a of article.querySelectorAll('a[href]')) {
    const path = repoPath(a.getAttribute('href'), wanted);
    if (path === null) continue;
    const anchor = a.getAttribute('href').split('#')[1];
    if (bundled.includes(path)) {
      a.href = `docs.html?doc=${encodeURIComponent(path)}${anchor ? `#${anchor}` : ''}`;
    } else {
      // Not on this site: the words stay, with where to find it.
      const span = document.createElement('span');
      span.className = 'repo-path';
      span.title = `${path} in the trm-web repository`;
      span.append(...a.childNodes);
      a.replaceWith(span);
    }
  }
  for (const img of article.querySelectorAll('img[src]')) {
    const path = repoPath(img.getAttribute('src'), wanted);
    if (path !== null) img.src = `doc/${path}`;
  }
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

show().catch((e) => { article.textContent = `This document could not be shown: ${e.message}`; });
