// The step player as a learner uses it (issue 19), on the 10-step loop lesson
// of tests/fixtures/player, at 1280x800 and 360x740: from the top of the page,
// Next is pressed until the last step, and at every step
//   - the current row is inside the viewport and not under the sticky player;
//   - the code lines of that step are marked in the player's copy of the code
//     ("now"), those of the next step marked differently ("next"), and every
//     marked line is inside both the viewport and the code pane's visible box;
//   - the variables of the step are shown in the same player;
// and Next itself stays on screen, so the learner never scrolls to step.
// Also: copying the code copies no line numbers, the two marks differ in
// more than colour (the gutter arrows), and on the phone the menu drawer keeps
// the focus until it is closed.
// Prints every problem; exits 1 if there is any, 2 on bad usage.
//
// usage: node tests/browser/player.mjs <siteDir> [page]

import { launch, serve, settle, siteDirArg, watchdog } from './lib.mjs';

const USAGE = 'node tests/browser/player.mjs <siteDir> [page]';
watchdog(3 * 60_000, 'player');
const siteDir = await siteDirArg(USAGE);
const rel = process.argv[3] || 'loop.html';
const problems = [];
const SIZES = [
  { width: 1280, height: 800 },
  { width: 360, height: 740 },
];

/** Where the current row, its marked lines and the player are, in the viewport. */
function layout() {
  const fig = document.querySelector('figure.cg-steps[data-code]');
  const player = fig.querySelector('.cg-player');
  const pane = fig.querySelector('.cg-player-code pre');
  const row = fig.querySelector('tbody tr[aria-current="step"]');
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  };
  const lines = pane ? [...pane.querySelectorAll('.cg-line[data-mark]')] : [];
  const gutter = (l) => getComputedStyle(l, '::before').content;
  return {
    vh: innerHeight,
    vw: innerWidth,
    player: box(player),
    pane: pane ? box(pane) : null,
    row: row ? { ...box(row), id: row.id, lines: row.dataset.lines || '' } : null,
    now: lines.filter((l) => l.dataset.mark === 'now').map((l) => ({ n: +l.dataset.line, ...box(l), gutter: gutter(l) })),
    next: lines.filter((l) => l.dataset.mark === 'next').map((l) => ({ n: +l.dataset.line, ...box(l), gutter: gutter(l) })),
    nextButton: box(fig.querySelector('.cg-player-next')),
    vars: [...fig.querySelectorAll('.cg-player-vars dd')].map((d) => d.textContent),
    steps: fig.querySelectorAll('tbody tr[id]').length,
  };
}

const range = (s) => {
  const [a, b] = (s || '').split('-').map(Number);
  const out = [];
  for (let l = a; a && l <= b; l++) out.push(l);
  return out;
};

const inside = (r, outer) => r.top >= outer.top - 1 && r.bottom <= outer.bottom + 1;

/** On a phone the menu opens as a drawer: Tab and Shift+Tab stay inside it
 * (its links and the button that closes it) until Escape closes it. */
async function checkDrawer(page, where) {
  await page.locator('.cg-menu-toggle').click();
  const count = await page.evaluate(() => document.querySelectorAll('#cg-sidebar a[href]').length + 1);
  const inside = () => page.evaluate(() => {
    const a = document.activeElement;
    return !!a && (a.closest('#cg-sidebar') !== null || a.classList.contains('cg-menu-toggle'));
  });
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < count + 2; i++) {
      await page.keyboard.press(key);
      if (!(await inside())) {
        const what = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80));
        problems.push(`${where}: ${key} ${i + 1} times leaves the open menu drawer for ${what}`);
        break;
      }
    }
  }
  await page.keyboard.press('Escape');
  const closed = await page.evaluate(() => !document.documentElement.classList.contains('cg-sidebar-open')
    && document.activeElement?.classList.contains('cg-menu-toggle'));
  if (!closed) problems.push(`${where}: Escape does not close the drawer and return to the menu button`);
  await page.keyboard.press('Tab');
  if (await inside()) {
    const sidebar = await page.evaluate(() => document.activeElement?.closest('#cg-sidebar') !== null);
    if (sidebar) problems.push(`${where}: after closing, Tab still goes into the drawer`);
  }
}

const site = await serve(siteDir);
const browser = await launch();
try {
  for (const size of SIZES) {
    const where = `${size.width}x${size.height}`;
    const context = await browser.newContext({ viewport: size });
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    page.on('pageerror', (e) => problems.push(`${where}: ${e.message}`));
    await page.goto(site.url(rel), { waitUntil: 'load' });
    await settle(page);
    const next = page.locator('figure.cg-steps[data-code] .cg-player-next');
    const first = await page.evaluate(layout);
    if (first.steps < 10) problems.push(`${where}: the lesson has ${first.steps} steps, expected at least 10`);
    const values = await page.evaluate(() =>
      JSON.parse(document.querySelector('figure.cg-steps[data-code] script.cg-steps-data').textContent));
    let rows = [];
    for (let n = 1; n <= first.steps; n++) {
      await next.click();
      const s = await page.evaluate(layout);
      const at = `${where} step ${n}`;
      const view = { top: 0, bottom: s.vh };
      if (!s.row) {
        problems.push(`${at}: no current row`);
        continue;
      }
      if (!inside(s.row, view)) problems.push(`${at}: row ${s.row.id} is at ${Math.round(s.row.top)}..${Math.round(s.row.bottom)}, outside the viewport 0..${s.vh}`);
      if (s.row.top < s.player.bottom - 1) problems.push(`${at}: row ${s.row.id} (top ${Math.round(s.row.top)}) is under the player (bottom ${Math.round(s.player.bottom)})`);
      const want = range(s.row.lines);
      const got = s.now.map((l) => l.n);
      if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${at}: marked lines ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
      for (const l of s.now.concat(s.next)) {
        if (!inside(l, view) || !s.pane || !inside(l, s.pane)) problems.push(`${at}: marked line ${l.n} is at ${Math.round(l.top)}..${Math.round(l.bottom)}, not inside the viewport and the code pane ${s.pane && Math.round(s.pane.top)}..${s.pane && Math.round(s.pane.bottom)}`);
      }
      if (s.now.some((l) => !l.gutter.includes('\u2192'))) problems.push(`${at}: a current line has no arrow in its gutter`);
      rows.push(s.row.id);
      if (n < s.steps) {
        const wantNext = await page.evaluate((k) => document.querySelectorAll('figure.cg-steps[data-code] tbody tr[id]')[k].dataset.lines || '', n);
        const nextGot = s.next.map((l) => l.n);
        const nextWant = range(wantNext).filter((l) => !want.includes(l));
        if (JSON.stringify(nextGot) !== JSON.stringify(nextWant)) problems.push(`${at}: next lines ${JSON.stringify(nextGot)}, expected ${JSON.stringify(nextWant)}`);
        if (s.next.some((l) => !l.gutter.includes('\u21e2'))) problems.push(`${at}: a next line has no dashed arrow in its gutter`);
      }
      if (!inside(s.nextButton, view)) problems.push(`${at}: the Next button is off screen`);
      const plain = values[n].map((h) => h.replace(/<[^>]*>/g, ''));
      if (JSON.stringify(s.vars) !== JSON.stringify(plain)) problems.push(`${at}: variables ${JSON.stringify(s.vars)}, expected ${JSON.stringify(plain)}`);
    }
    if (new Set(rows).size !== first.steps) problems.push(`${where}: stepped through ${new Set(rows).size} rows of ${first.steps}`);

    // Copying the sample copies its code, not the gutter's numbers.
    const copied = await page.evaluate(() => {
      const pre = document.querySelector('figure.cg-code-figure pre.cg-numbered');
      const sel = getSelection();
      sel.removeAllRanges();
      const r = document.createRange();
      r.selectNodeContents(pre);
      sel.addRange(r);
      return { text: sel.toString(), code: pre.textContent };
    });
    if (copied.text.trim() !== copied.code.trim()) problems.push(`${where}: copying the code gives ${JSON.stringify(copied.text.slice(0, 80))}, not the code`);
    if (/^\s*1\s*def/.test(copied.text)) problems.push(`${where}: copying the code copies line numbers`);
    if (size.width < 500) await checkDrawer(page, where);
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}

for (const p of problems) console.log(`FAIL ${p}`);
console.log(problems.length ? `player: ${problems.length} problem(s)` : 'player: every step shows its row and its code lines together');
process.exit(problems.length ? 1 : 0);
