// The worker pool (createWorkerSolver({ workers })) in headless Chromium: a solve's copies
// split over two workers, merged by Rust (mergeSteps), give the same steps as one worker
// running them all, and a cancel mid-solve leaves no worker running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { browser, ROOT, serve } from './harness.mjs';

test('a pool of two workers solves as one worker does (Sudoku and ARC), and stops cleanly', { timeout: 600_000 }, async () => {
  const site = await serve(resolve(ROOT, 'www/dist'));
  const b = await browser({ webgpu: false });
  try {
    const page = await b.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.url}/index.html?backend=cpu`);
    const r = await page.evaluate(async () => {
      const { createWorkerSolver } = await import('./src/worker-client.js');
      const ex = (await (await fetch('examples/sudoku.json')).json())[8].puzzle;
      const one = await createWorkerSolver({ backend: 'cpu' });
      const two = await createWorkerSolver({ backend: 'cpu', workers: 2 });
      const run = async (s, opts, puzzle = ex) => {
        const out = [];
        let info = null;
        for await (const st of s.solve(puzzle, { ...opts, onPuzzle: (i) => { info = i; } })) out.push(st);
        return { out, info };
      };
      const opts = { copies: 5, steps: 3, seed: 7 };
      const a = await run(one, opts);
      const p = await run(two, opts);
      // Stopping at the first verified copy: the same step, the same copy.
      const stopOpts = { copies: 8, steps: 16, seed: 0, stopWhenVerified: true };
      const sa = await run(one, stopOpts);
      const sp = await run(two, stopOpts);
      // Copies starting over: each share draws the fresh augmentations one worker would. One
      // step per attempt, so that a copy starts over unless the model solves this Extreme puzzle
      // in a single step (it solves 7% of held-out Extreme by then).
      const restartOpts = { copies: 4, steps: 6, seed: 3, restartAfter: 1 };
      const ra = await run(one, restartOpts);
      const rp = await run(two, restartOpts);
      // Cancel after the first merged step of a long solve.
      const long = [];
      for await (const st of two.solve(ex, { copies: 4, steps: 200, seed: 1 })) {
        long.push(st.step);
        if (st.step === 1) two.cancel();
      }
      const busyAfter = two.busy;
      const again = await run(two, { copies: 4, steps: 2, seed: 2 });
      one.terminate();
      two.terminate();
      // ARC: the vote's two leading answers (pass@2) come out of the merge as out of one batch.
      const task = (await (await fetch('examples/arc.json')).json())[0].task;
      const arcOne = await createWorkerSolver({ backend: 'cpu', model: 'arc' });
      const arcTwo = await createWorkerSolver({ backend: 'cpu', model: 'arc', workers: 2 });
      const arcOpts = { copies: 4, steps: 2, seed: 0 };
      const aa = await run(arcOne, arcOpts, task);
      const ap = await run(arcTwo, arcOpts, task);
      arcOne.terminate();
      arcTwo.terminate();
      const view = (x) => x.out.map((s) => ({
        step: s.step, answer: s.answer, verdict: s.verdict, chosen: s.chosen, votes: s.votes, networkSteps: s.networkSteps,
        copies: s.copies.map((c) => [c.augmentation, c.attempt, c.answer, c.verdict, c.verifiedAt]), done: s.done,
        ranked: s.ranked, confidence: s.confidence, qHalt: s.qHalt,
      }));
      const keys = (x) => Object.keys(x.out[0]).sort();
      return { aa: view(aa), ap: view(ap), a: view(a), p: view(p), sa: view(sa), sp: view(sp), ra: view(ra), rp: view(rp), infoA: a.info, infoP: p.info, workers: two.workers, long, busyAfter, again: again.out.length, keysA: keys(a), keysP: keys(p) };
    });
    assert.equal(r.workers, 2);
    assert.deepEqual(r.p, r.a, 'the pool steps are the single worker\'s');
    assert.deepEqual(r.infoP.augmentations, r.infoA.augmentations);
    assert.deepEqual(r.sp, r.sa, 'stopping at the first verified copy: same steps');
    assert.ok(r.sa.at(-1).done);
    assert.deepEqual(r.rp, r.ra, 'with restarts: same steps, attempts and augmentations');
    assert.ok(r.ra.at(-1).copies.some((c) => c[1] > 0), 'some copy started over within 6 steps');
    assert.deepEqual(r.long, [1], 'no step is delivered after the cancel');
    assert.deepEqual(r.keysP, r.keysA, 'a pool step has the fields of a single worker\'s');
    assert.equal(r.busyAfter, false, 'no worker runs after a cancel');
    assert.equal(r.again, 2, 'the pool solves again after a cancel');
    assert.deepEqual(r.ap, r.aa, 'ARC: the pool\'s steps and vote are one worker\'s');
    assert.equal(r.aa.length, 2);
    assert.ok(r.aa[0].ranked.length >= 1 && r.aa[0].copies.length === 4);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
    site.server.close();
  }
});

test('the page on the CPU engine starts its pool once: one worker per pool member, each reading the model once', { timeout: 300_000 }, async () => {
  const site = await serve(resolve(ROOT, 'www/dist'));
  const b = await browser({ webgpu: false });
  try {
    const page = await b.newPage();
    // Every worker the page makes, counted (the model is read once per worker it starts).
    await page.addInitScript(() => {
      const Made = window.Worker;
      window.__workersMade = 0;
      window.Worker = class extends Made {
        constructor(...args) {
          super(...args);
          window.__workersMade++;
        }
      };
    });
    await page.goto(`${site.url}/index.html?backend=cpu`);
    await page.waitForFunction(() => window.__trm?.ready, null, { timeout: 240_000, polling: 100 });
    const r = await page.evaluate(async () => ({ made: window.__workersMade, stats: await window.__trm.stats(), cores: navigator.hardwareConcurrency }));
    const members = r.stats.workers?.length ?? 1;
    assert.equal(members, Math.max(1, Math.min(4, r.cores)), 'a worker per core, up to 4');
    assert.equal(r.made, members, 'no worker started and ended before the pool');
  } finally {
    await b.close();
    site.server.close();
  }
});

test('a worker that cannot start says which script it tried', { timeout: 120_000 }, async () => {
  const site = await serve(resolve(ROOT, 'www/dist'));
  const b = await browser({ webgpu: false });
  try {
    const page = await b.newPage();
    await page.goto(`${site.url}/index.html?backend=cpu`);
    const message = await page.evaluate(async () => {
      const { createWorkerSolver } = await import('./src/worker-client.js');
      try {
        await createWorkerSolver({ backend: 'cpu', workerUrl: new URL('/missing/worker.js', location.href) });
        return 'started';
      } catch (e) {
        return `${e.name}: ${e.message}`;
      }
    });
    assert.match(message, /^TrmError: the solver worker http:\/\/127\.0\.0\.1:\d+\/missing\/worker\.js failed: its script did not load .*\(the server answered: HTTP 404, /);
  } finally {
    await b.close();
    site.server.close();
  }
});
