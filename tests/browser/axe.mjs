// Accessibility check: serves a built site on 127.0.0.1, opens every .html
// page in headless Chromium in both the light and the dark colour scheme, at
// 1280x800 and at 360x740, puts the page's step players and quizzes in the
// states a learner sees (a step with its code lines marked, a wrong answer
// with its marks and hint, a right one, an answer shown), and runs axe-core
// (its default rules, plus every non-deprecated rule tagged wcag2a or
// wcag2aa). Prints each violation; exits 1 if there is any.
//
// usage: node tests/browser/axe.mjs <siteDir>

import path from 'node:path';
import { HERE, allPages, launch, serve, settle, siteDirArg, snippet, watchdog } from './lib.mjs';

const USAGE = 'node tests/browser/axe.mjs <siteDir>';
const AXE_JS = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const SCHEMES = ['light', 'dark'];
const SIZES = [{ width: 1280, height: 800 }, { width: 360, height: 740 }];

/** Steps every player to its second step and answers the page's choice
 * questions: the first wrong, the second right, the third by Show answer. */
async function learnerStates(page) {
  await page.evaluate(() => {
    document.querySelectorAll('figure.cg-steps .cg-player-next').forEach((b) => { b.click(); b.click(); });
    const choice = [...document.querySelectorAll('.cg-question[data-kind="choice"]')];
    choice.forEach((q, i) => {
      const inputs = [...q.querySelectorAll('.cg-options input')];
      const check = q.querySelector('.cg-check');
      if (!check || inputs.length === 0) return;
      if (i % 3 === 2) {
        const d = q.querySelector('details.cg-answer');
        if (d) { d.hidden = false; d.open = true; }
        return;
      }
      const data = JSON.parse(q.closest('.cg-quiz').querySelector('script.cg-quiz-data').textContent)[[...q.parentNode.children].indexOf(q)];
      const right = new Set(data ? data.answer : []);
      const wrong = inputs.findIndex((_, k) => !right.has(k));
      inputs.forEach((input, k) => { input.checked = i % 3 === 0 ? k === wrong : right.has(k); });
      check.click();
    });
  });
}

watchdog(10 * 60_000, 'axe');
const siteDir = await siteDirArg(USAGE);
const pages = await allPages(siteDir);
if (pages.length === 0) {
  console.error(`axe: no .html pages under ${siteDir}`);
  process.exit(1);
}

const started = Date.now();
const site = await serve(siteDir);
const browser = await launch();
const violations = []; // { scheme, page, rule }
const reviews = new Map(); // rule id -> count of "needs review" results
try {
  for (const scheme of SCHEMES) for (const viewport of SIZES) {
    const context = await browser.newContext({ colorScheme: scheme, viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.emulateMedia({ colorScheme: scheme });
    for (const rel of pages) {
      const response = await page.goto(site.url(rel), { waitUntil: 'load' });
      if (!response?.ok()) throw new Error(`${rel}: HTTP ${response?.status()}`);
      await settle(page);
      await learnerStates(page);
      await page.addScriptTag({ path: AXE_JS });
      const result = await page.evaluate(async () => {
        /* global axe */
        const rules = {};
        for (const rule of axe.getRules(['wcag2a', 'wcag2aa'])) {
          if (!rule.tags.includes('deprecated')) rules[rule.ruleId] = { enabled: true };
        }
        const r = await axe.run(document, { rules, resultTypes: ['violations', 'incomplete'] });
        const nodes = (list) =>
          list.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary }));
        return {
          violations: r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: nodes(v.nodes),
          })),
          incomplete: r.incomplete.map((v) => ({ id: v.id, count: v.nodes.length })),
        };
      });
      for (const rule of result.violations) violations.push({ scheme: `${scheme} ${viewport.width}px`, page: rel, rule });
      for (const { id, count } of result.incomplete) reviews.set(id, (reviews.get(id) ?? 0) + count);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}

for (const { scheme, page, rule } of violations) {
  console.log(`\nVIOLATION [${scheme}] ${page}: ${rule.id} (${rule.impact}) ${rule.help}`);
  console.log(`  ${rule.helpUrl}`);
  for (const node of rule.nodes) {
    console.log(`  - target: ${JSON.stringify(node.target)}`);
    console.log(`    html:   ${snippet(node.html)}`);
    if (node.summary) console.log(`    ${snippet(node.summary, 400).replace(/\n/g, ' ')}`);
  }
}
if (reviews.size > 0) {
  const list = [...reviews].map(([id, n]) => `${id} x${n}`).join(', ');
  console.log(`axe: needs manual review (not failures): ${list}`);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const nodeCount = violations.reduce((n, v) => n + v.rule.nodes.length, 0);
console.log(`axe: checked ${pages.length} pages x ${SCHEMES.length} colour schemes x ${SIZES.length} sizes in ${seconds} s`);
if (violations.length > 0) {
  console.log(`axe: ${pages.length} pages, ${violations.length} violations (${nodeCount} elements)`);
  process.exit(1);
}
console.log(`axe: ${pages.length} pages, 0 violations`);
