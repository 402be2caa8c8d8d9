// Step-player check of a built site in headless Chromium. On every page with
// an execution table (figure.cg-steps), served on 127.0.0.1:
//   - Next, Previous, Reset and the arrow keys move aria-current="step" between
//     rows, mark the row's code lines with aria-current="true" in the player's
//     copy of the code (never in the sample, which another table may share), show the
//     variables of that step and write the step to the URL hash; the other
//     tables on the page do not move;
//   - every link on the page to a row (prose, quiz hints: their <details> are
//     opened first) moves that row's player there when clicked;
//   - a tracker derived from the table marks the column holding the
//     current step's values;
//   - opening the page at #<row id> starts the player at that row;
//   - with a step current (row and code lines marked), axe-core finds no
//     violation in the tables and samples, in light and dark;
//   - with JavaScript disabled every row is present and visible, the player
//     controls are not, and #<row id> still names a row.
// Prints every problem; exits 1 if there is any, 2 on bad usage.
//
// usage: node tests/browser/steps.mjs <siteDir>

import path from 'node:path';
import { HERE, allPages, launch, serve, settle, siteDirArg, watchdog } from './lib.mjs';

const USAGE = 'node tests/browser/steps.mjs <siteDir>';
const AXE_JS = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');

watchdog(5 * 60_000, 'steps');
const siteDir = await siteDirArg(USAGE);
const pages = await allPages(siteDir);
const problems = [];
let tables = 0;
let checkedPages = 0;

/** The state of every player on the page, in document order. */
function snapshot() {
  return [...document.querySelectorAll('figure.cg-steps')].map((fig) => {
    const rows = [...fig.querySelectorAll('tbody tr[id]')];
    const code = document.getElementById(fig.dataset.code || '');
    const current = rows.flatMap((r, i) => (r.getAttribute('aria-current') === 'step' ? [i + 1] : []));
    const row = rows[current[0] - 1];
    const json = fig.querySelector('script.cg-steps-data');
    const values = json ? JSON.parse(json.textContent) : [];
    const plain = (html) => {
      const d = document.createElement('div');
      d.innerHTML = html;
      return d.textContent;
    };
    return {
      ids: rows.map((r) => r.id),
      current,
      wantLines: (row?.dataset.lines ?? '').split('-').filter(Boolean).map(Number),
      // The player marks its own copy of the code; the sample itself is left
      // alone, so that two tables on one sample cannot clear each other's marks.
      lines: [...fig.querySelectorAll('.cg-player-code .cg-line[aria-current="true"]')].map((l) => +l.dataset.line),
      sampleMarked: code ? code.querySelectorAll('.cg-line[aria-current]').length : 0,
      hasCode: !!code,
      playerVisible: !!fig.querySelector('.cg-player') && fig.querySelector('.cg-player').checkVisibility(),
      status: fig.querySelector('.cg-player-status')?.textContent ?? '',
      vars: [...fig.querySelectorAll('.cg-player-vars dd')].map((d) => d.textContent),
      wantVars: (values[current[0] ?? 0] ?? []).map(plain),
      hash: location.hash,
      // Per derived tracker of this table: the steps of its columns and of the
      // marked ones (every cell of a marked column must be marked).
      trackers: [...document.querySelectorAll('figure.cg-tracker[data-steps]')]
        .filter((t) => t.dataset.steps === (fig.id || ''))
        .map((t) => {
          const heads = [...t.querySelectorAll('thead th')];
          const marked = new Set();
          let ragged = false;
          heads.forEach((th, i) => {
            const cells = [...t.querySelectorAll('tr')].map((tr) => tr.children[i]);
            const on = cells.filter((c) => c.classList.contains('cg-now')).length;
            if (on > 0 && on !== cells.length) ragged = true;
            if (on > 0) marked.add(+th.dataset.step);
          });
          const steps = heads.filter((th) => th.dataset.step).map((th) => +th.dataset.step);
          return { steps, marked: [...marked], ragged };
        }),
    };
  });
}

/** Records a problem unless the player `f` of `state` is at step `n` (0: start)
 * with its code lines, variables and status to match; the others at `others`. */
function expectAt(where, state, f, n, others) {
  const s = state[f];
  const label = `${where}: table ${f + 1}`;
  const got = JSON.stringify(s.current);
  if (got !== JSON.stringify(n === 0 ? [] : [n])) problems.push(`${label}: current row ${got}, expected step ${n}`);
  if (n > 0 && s.hasCode && s.wantLines.length === 2) {
    const want = [];
    for (let l = s.wantLines[0]; l <= s.wantLines[1]; l++) want.push(l);
    if (JSON.stringify(s.lines) !== JSON.stringify(want)) {
      problems.push(`${label}: code lines ${JSON.stringify(s.lines)} are current at step ${n}, expected ${JSON.stringify(want)}`);
    }
  } else if (s.lines.length > 0 && (n === 0 || s.wantLines.length === 0)) {
    problems.push(`${label}: code lines ${JSON.stringify(s.lines)} are current at step ${n}, expected none`);
  }
  if (s.sampleMarked) problems.push(`${label}: the player marked ${s.sampleMarked} lines of the sample itself, not of its copy`);
  if (JSON.stringify(s.vars) !== JSON.stringify(s.wantVars)) {
    problems.push(`${label}: variables show ${JSON.stringify(s.vars)} at step ${n}, expected ${JSON.stringify(s.wantVars)}`);
  }
  for (const t of s.trackers) {
    const best = n === 0 ? [] : [Math.max(...t.steps.filter((k) => k <= n))];
    if (JSON.stringify(t.marked) !== JSON.stringify(best) || t.ragged) {
      problems.push(`${label}: tracker marks the column after step ${JSON.stringify(t.marked)} at step ${n}, expected ${JSON.stringify(best)}`);
    }
  }
  const status = n === 0 ? 'Start' : `Step ${n} of ${s.ids.length}`;
  if (!s.status.includes(status)) problems.push(`${label}: status says ${JSON.stringify(s.status)}, expected ${status}`);
  state.forEach((o, i) => {
    if (i !== f && JSON.stringify(o.current) !== JSON.stringify(others[i] ?? [])) {
      problems.push(`${where}: table ${i + 1} moved to ${JSON.stringify(o.current)} when table ${f + 1} did`);
    }
  });
}

/** Buttons and keys, table by table, from a fresh load without a hash. */
async function checkControls(page, url, rel) {
  await page.goto(url, { waitUntil: 'load' });
  const figs = page.locator('figure.cg-steps');
  const count = await figs.count();
  for (let f = 0; f < count; f++) {
    const fig = figs.nth(f);
    const at = async (what, n) => expectAt(`${rel} after ${what}`, await page.evaluate(snapshot), f, n, []);
    const first = (await page.evaluate(snapshot))[f];
    if (!first.playerVisible) {
      problems.push(`${rel}: table ${f + 1}: the player controls are not shown with scripts on`);
      continue;
    }
    tables++;
    await at('loading', 0);
    const steps = first.ids.length;
    await fig.getByRole('button', { name: 'Next' }).click();
    await at('Next', 1);
    if (!(await page.evaluate(snapshot))[f].hash.endsWith(first.ids[0])) problems.push(`${rel}: table ${f + 1}: Next did not put #${first.ids[0]} in the URL`);
    if (steps >= 2) {
      await fig.getByRole('button', { name: 'Next' }).click();
      await at('Next, Next', 2);
      await fig.getByRole('button', { name: 'Previous' }).click();
      await at('Next, Next, Previous', 1);
      await fig.getByRole('button', { name: 'Next' }).focus();
      await page.keyboard.press('ArrowRight');
      await at('→', 2);
      await page.keyboard.press('ArrowLeft');
      await at('→, ←', 1);
    }
    // Past the end: Next is aria-disabled (Playwright needs `force`) and does nothing.
    for (let i = 1; i < steps + 2; i++) await fig.getByRole('button', { name: 'Next' }).click({ force: true });
    await at(`Next past the end`, steps);
    await fig.getByRole('button', { name: 'Reset' }).click();
    await at('Reset', 0);
  }
}

/** Every same-page link to a row, clicked from a fresh load. */
/** Two tables on one sample keep their own marks: the first stays at step 1
 * with its lines marked while the second moves. */
async function checkSharedSample(page, url, rel) {
  await page.goto(url, { waitUntil: 'load' });
  const pairs = await page.evaluate(() => {
    const figs = [...document.querySelectorAll('figure.cg-steps[data-code]')];
    const out = [];
    figs.forEach((a, i) => figs.forEach((b, j) => {
      if (i < j && a.dataset.code === b.dataset.code && !out.some((p) => p[0] === i)) out.push([i, j]);
    }));
    return out;
  });
  for (const [i, j] of pairs) {
    const figs = page.locator('figure.cg-steps');
    await figs.nth(i).getByRole('button', { name: 'Next' }).click();
    const before = (await page.evaluate(snapshot))[i].lines;
    await figs.nth(j).getByRole('button', { name: 'Next' }).click();
    await figs.nth(j).getByRole('button', { name: 'Next' }).click();
    const s = (await page.evaluate(snapshot))[i];
    if (JSON.stringify(s.lines) !== JSON.stringify(before) || s.current[0] !== 1) {
      problems.push(`${rel}: table ${i + 1} marks ${JSON.stringify(s.lines)} after table ${j + 1}, on the same sample, moved (it marked ${JSON.stringify(before)})`);
    }
  }
}

async function checkLinks(page, url, rel) {
  await page.goto(url, { waitUntil: 'load' });
  const links = await page.evaluate(() => {
    const rows = new Set([...document.querySelectorAll('figure.cg-steps tbody tr[id]')].map((r) => r.id));
    return [...document.querySelectorAll('a[href^="#"]')]
      .map((a, i) => ({ i, id: a.getAttribute('href').slice(1), inTable: !!a.closest('table') }))
      .filter((l) => rows.has(l.id) && !l.inTable)
      .map(({ i, id }) => ({ i, id }));
  });
  for (const { i, id } of links) {
    await page.goto(url, { waitUntil: 'load' });
    const link = page.locator('a[href^="#"]').nth(i);
    // A hint's link is inside a closed <details> (scripts off) or behind the quiz
    // script's "Hint" button: open it as a reader would.
    const hintButton = await link.evaluate((a) => {
      for (let d = a.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
      const body = a.closest('[hidden]');
      return body && body.id ? body.id : null;
    });
    if (hintButton) await page.locator(`[aria-controls="${hintButton}"]`).click();
    await link.click();
    const state = await page.evaluate(snapshot);
    const f = state.findIndex((s) => s.ids.includes(id));
    expectAt(`${rel} after clicking the link to #${id}`, state, f, state[f].ids.indexOf(id) + 1, []);
  }
  return links.length;
}

/** Opening the page at each table's last row. */
async function checkHash(page, url, rel) {
  await page.goto(url, { waitUntil: 'load' });
  const ids = (await page.evaluate(snapshot)).map((s) => s.ids);
  for (let f = 0; f < ids.length; f++) {
    const last = ids[f][ids[f].length - 1];
    await page.goto('about:blank');
    await page.goto(`${url}#${last}`, { waitUntil: 'load' });
    expectAt(`${rel}#${last} opened`, await page.evaluate(snapshot), f, ids[f].length, []);
  }
}

/** axe-core on the tables and code samples while a step with code lines is
 * current (the marked row and lines are only there with the player on). */
async function checkAxe(browser, url, rel) {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    const id = await page.evaluate(() => document.querySelector('figure.cg-steps[data-code] tr[data-lines]')?.id);
    if (id) await page.goto(`${url}#${id}`, { waitUntil: 'load' });
    await settle(page);
    await page.addScriptTag({ path: AXE_JS });
    const found = await page.evaluate(async () => {
      /* global axe */
      const rules = {};
      for (const rule of axe.getRules(['wcag2a', 'wcag2aa'])) {
        if (!rule.tags.includes('deprecated')) rules[rule.ruleId] = { enabled: true };
      }
      const include = [...document.querySelectorAll('figure.cg-steps, figure.cg-code-figure, figure.cg-tracker')];
      const r = await axe.run({ include }, { rules, resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    });
    for (const v of found) problems.push(`${rel}#${id} [${colorScheme}]: axe: ${v}`);
    await context.close();
  }
}

/** With scripts off: the whole table, no player, anchors in place. */
async function checkNoScript(page, url, rel, want) {
  await page.goto(url, { waitUntil: 'load' });
  const state = await page.evaluate(() =>
    [...document.querySelectorAll('figure.cg-steps')].map((fig) => ({
      rows: [...fig.querySelectorAll('tbody tr[id]')].filter((r) => r.checkVisibility()).map((r) => r.id),
      player: !!fig.querySelector('.cg-player')?.checkVisibility(),
      current: fig.querySelectorAll('[aria-current]').length,
    })),
  );
  state.forEach((s, f) => {
    if (JSON.stringify(s.rows) !== JSON.stringify(want[f])) {
      problems.push(`${rel} without JavaScript: table ${f + 1} shows rows ${JSON.stringify(s.rows)}, expected ${JSON.stringify(want[f])}`);
    }
    if (s.player) problems.push(`${rel} without JavaScript: table ${f + 1} shows player controls that cannot work`);
  });
  for (const id of want.flat()) {
    const found = await page.evaluate((i) => !!document.getElementById(i)?.closest('tr'), id);
    if (!found) problems.push(`${rel} without JavaScript: #${id} names no row`);
  }
}

const site = await serve(siteDir);
const browser = await launch();
let linkCount = 0;
try {
  const on = await browser.newPage();
  on.setDefaultTimeout(10_000);
  on.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  const off = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  for (const rel of pages) {
    const url = site.url(rel);
    await on.goto(url, { waitUntil: 'load' });
    const ids = (await on.evaluate(snapshot)).map((s) => s.ids);
    if (ids.length === 0) continue;
    checkedPages++;
    await checkControls(on, url, rel);
    await checkSharedSample(on, url, rel);
    linkCount += await checkLinks(on, url, rel);
    await checkHash(on, url, rel);
    await checkAxe(browser, url, rel);
    await checkNoScript(off, url, rel, ids);
  }
} finally {
  await browser.close();
  await site.close();
}

for (const p of problems) console.log(`PROBLEM ${p}`);
console.log(`steps: ${tables} tables on ${checkedPages} pages, ${linkCount} links to rows clicked`);
if (checkedPages === 0) {
  console.log('steps: no page has an execution table');
  process.exit(1);
}
if (problems.length > 0) {
  console.log(`steps: ${problems.length} problems`);
  process.exit(1);
}
console.log('steps: 0 problems');
