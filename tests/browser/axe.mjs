// Accessibility check: serves a built site on 127.0.0.1, opens every .html
// page in headless Chromium in both the light and the dark colour scheme, and
// runs axe-core (its default rules, plus every non-deprecated rule tagged
// wcag2a or wcag2aa). Prints each violation; exits 1 if there is any.
//
// usage: node tests/browser/axe.mjs <siteDir>

import path from 'node:path';
import { HERE, allPages, launch, serve, settle, siteDirArg, snippet, watchdog } from './lib.mjs';

const USAGE = 'node tests/browser/axe.mjs <siteDir>';
const AXE_JS = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const SCHEMES = ['light', 'dark'];

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
  for (const scheme of SCHEMES) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.emulateMedia({ colorScheme: scheme });
    for (const rel of pages) {
      const response = await page.goto(site.url(rel), { waitUntil: 'load' });
      if (!response?.ok()) throw new Error(`${rel}: HTTP ${response?.status()}`);
      await settle(page);
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
      for (const rule of result.violations) violations.push({ scheme, page: rel, rule });
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
console.log(`axe: checked ${pages.length} pages x ${SCHEMES.length} colour schemes in ${seconds} s`);
if (violations.length > 0) {
  console.log(`axe: ${pages.length} pages, ${violations.length} violations (${nodeCount} elements)`);
  process.exit(1);
}
console.log(`axe: ${pages.length} pages, 0 violations`);
