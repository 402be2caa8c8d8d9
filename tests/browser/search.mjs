// Search in headless Chromium, on the fixture course that
// tests/integration/search.rs builds from tests/fixtures/search (plus a long
// page, so the pages' texts fill three scripts). Checks that
// `/` opens the search box, that a word of a quiz prompt finds its page, that
// a Chinese word finds its page (from a page one folder down, so the results'
// URLs get the page's root), the keyboard (↓, Enter, Escape), that `s` typed
// in a quiz answer stays there, that a query of HTML is shown as text and runs
// nothing, that the box works from file:// and is hidden with scripts off, and
// axe with the box open in light and dark. Exits 1 on any failed check.
//
// usage: node tests/browser/search.mjs <siteDir>

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HERE, launch, serve, settle, siteDirArg, watchdog, checkRun } from './lib.mjs';

const USAGE = 'node tests/browser/search.mjs <siteDir>';
const AXE_JS = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const XSS = '<img src=x onerror=alert(1)>';

watchdog(3 * 60_000, 'search');
const siteDir = await siteDirArg(USAGE);
const { expect, group, failures, report } = checkRun('SEARCH_VERBOSE');

const site = await serve(siteDir);
const browser = await launch();
const errors = [];
const dialogs = [];

async function open(context, url) {
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  page.on('pageerror', (e) => errors.push(`${url}: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && errors.push(`${url}: ${m.text()}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  await page.goto(url, { waitUntil: 'load' });
  if (context.jsEnabled !== false) await settle(page);
  return page;
}

/** Opens the box with `/`, types `query` and waits for the status line. */
async function query(page, text) {
  await page.locator('main').click({ position: { x: 1, y: 1 } });
  await page.keyboard.press('/');
  const box = page.getByRole('searchbox', { name: 'Search the course' });
  await box.waitFor({ state: 'visible' });
  await box.fill(text);
  await page.waitForFunction(() => {
    const s = document.querySelector('.cg-search-status').textContent;
    return s && !s.startsWith('Loading');
  });
  return box;
}

/** The results' hrefs as the page resolves them. */
const hrefs = (page) => page.locator('.cg-search-results [role=option]').evaluateAll((as) => as.map((a) => a.href));

try {
  const context = await browser.newContext();

  await group('a quiz prompt word', async () => {
    const page = await open(context, site.url('index.html'));
    expect(!(await page.locator('#cg-search-panel').isVisible()), 'the box starts closed');
    await query(page, 'marmoset');
    const found = await hrefs(page);
    expect(found.length === 1 && found[0] === site.url('quiz.html'), `"marmoset" finds quiz.html: ${found}`);
    await page.locator('.cg-search-excerpt mark').first().waitFor();
    const mark = await page.locator('.cg-search-excerpt mark').allTextContents();
    expect(mark.map((m) => m.toLowerCase()).includes('marmoset'), `the term is marked in the excerpt: ${mark}`);
    await page.keyboard.press('ArrowDown');
    const selected = await page.locator('[role=option][aria-selected=true]').count();
    expect(selected === 1, 'ArrowDown selects a result');
    const active = await page.getByRole('searchbox').getAttribute('aria-activedescendant');
    expect(active === 'cg-search-option-0', `aria-activedescendant follows: ${active}`);
    await Promise.all([page.waitForURL(site.url('quiz.html')), page.keyboard.press('Enter')]);
    await page.close();
  });

  await group('Chinese from a page one folder down', async () => {
    const page = await open(context, site.url('zh/keys.html'));
    await query(page, '密钥');
    const found = await hrefs(page);
    expect(found.length >= 1 && found[0].startsWith(site.url('zh/keys.html')), `"密钥" finds zh/keys.html: ${found}`);
    await page.locator('.cg-search-excerpt mark').first().waitFor();
    const mark = await page.locator('.cg-search-results mark').allTextContents();
    expect(mark.includes('密钥'), `the Chinese word is marked: ${mark}`);
    await query(page, '环境变量');
    expect((await hrefs(page))[0]?.startsWith(site.url('zh/keys.html')), 'a word in the middle of the page is found');
    // 钥 and 密 are both on the page, never in this order: the page's text
    // drops what the per-character filter let through.
    await query(page, '钥密');
    await page.waitForFunction(() => document.querySelector('.cg-search-status').textContent.startsWith('No results'));
    // The Chinese page is the fourth; its text is in the third script (the
    // long page fills the second), and only that one was needed.
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name.split('/js/search/')[1]).filter(Boolean));
    expect(loaded.includes('2.js') && !loaded.includes('1.js'), `the Chinese page's text script alone was loaded: ${loaded}`);
    await query(page, 'cookies');
    const all = await hrefs(page);
    expect(all.includes(site.url('sessions.html')), `English from a page one folder down points at the root: ${all}`);
    await page.keyboard.press('Escape');
    expect(!(await page.locator('#cg-search-panel').isVisible()), 'Escape closes the box');
    const focused = await page.evaluate(() => document.activeElement?.className);
    expect(String(focused).includes('cg-search-toggle'), `focus returns to the button: ${focused}`);
    await page.close();
  });

  await group('prefixes, accents, diagrams and quiz code', async () => {
    const page = await open(context, site.url('index.html'));
    // Waits until the results are `want` (hrefs), as texts arrive.
    const settled = async (text, want) => {
      await query(page, text);
      await page.waitForFunction((w) => {
        const got = Array.from(document.querySelectorAll('.cg-search-results [role=option]')).map((a) => a.href);
        return JSON.stringify(got.sort()) === JSON.stringify(w.slice().sort());
      }, want, { timeout: 3_000 }).catch(() => {});
      return hrefs(page);
    };
    let found = await settled('sess', [site.url('sessions.html'), site.url('quiz.html'), site.url('long.html')].slice(0, 2));
    expect(found.includes(site.url('sessions.html')) && found.includes(site.url('quiz.html')), `"sess" finds the pages with "session": ${found}`);
    const marks = await page.locator('.cg-search-results mark').allTextContents();
    expect(marks.some((m) => m.toLowerCase() === 'sess'), `the prefix is marked: ${marks}`);
    found = await settled('marmo', [site.url('quiz.html')]);
    expect(found.length === 1 && found[0] === site.url('quiz.html'), `"marmo" finds marmoset, not the marmalade page: ${found}`);
    found = await settled('sessx', []);
    await page.waitForFunction(() => document.querySelector('.cg-search-status').textContent.startsWith('No results'));
    expect(found.length === 0, `a prefix no word has finds nothing once the texts say so: ${found}`);
    found = await settled('lecon', [site.url('sessions.html')]);
    expect(found[0] === site.url('sessions.html'), `"lecon" finds "leçon": ${found}`);
    await page.locator('.cg-search-excerpt mark').first().waitFor();
    const accented = await page.locator('.cg-search-excerpt mark').allTextContents();
    expect(accented.includes('leçon'), `the accented word is marked as written: ${accented}`);
    found = await settled('wombat', [site.url('sessions.html')]);
    expect(found[0] === site.url('sessions.html'), `a diagram label finds its page: ${found}`);
    found = await settled('okapi_count', [site.url('quiz.html')]);
    expect(found[0] === site.url('quiz.html'), `code in a quiz finds its page: ${found}`);
    await page.close();
  });

  await group('HTML in the query is text', async () => {
    const page = await open(context, site.url('index.html'));
    await query(page, XSS);
    await page.waitForTimeout(200);
    const status = await page.locator('.cg-search-status').textContent();
    expect(status.includes(XSS), `the query is shown as text: ${status}`);
    expect((await page.locator('.cg-search img, img[src="x"]').count()) === 0, 'no <img> was made');
    await query(page, 'script alert');
    expect((await page.locator('.cg-search-results script').count()) === 0, 'author text with <script> stays text');
    await page.close();
  });

  await group('keys typed into a quiz stay there', async () => {
    const page = await open(context, site.url('quiz.html'));
    const answer = page.locator('.cg-question[data-key] input[type=text]').first();
    await answer.click();
    await page.keyboard.type('s/s');
    expect((await answer.inputValue()) === 's/s', 'the answer got the keys');
    expect(!(await page.locator('#cg-search-panel').isVisible()), 'the box stayed closed');
    await page.locator('main h1').first().click();
    await page.keyboard.press('s');
    expect(await page.locator('#cg-search-panel').isVisible(), '`s` outside a field opens the box');
    await page.close();
  });

  await group('axe with the box open', async () => {
    for (const scheme of ['light', 'dark']) {
      const ctx = await browser.newContext({ colorScheme: scheme });
      const page = await open(ctx, site.url('sessions.html'));
      await query(page, 'key');
      await page.keyboard.press('ArrowDown');
      await page.addScriptTag({ path: AXE_JS });
      const violations = await page.evaluate(async () => {
        /* global axe */
        const rules = {};
        for (const rule of axe.getRules(['wcag2a', 'wcag2aa'])) {
          if (!rule.tags.includes('deprecated')) rules[rule.ruleId] = { enabled: true };
        }
        const r = await axe.run(document, { rules, resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
      });
      expect(violations.length === 0, `axe (${scheme}, search open): ${violations.join('; ')}`);
      await ctx.close();
    }
  });

  await context.close();

  await group('file://', async () => {
    const ctx = await browser.newContext();
    const page = await open(ctx, pathToFileURL(path.join(siteDir, 'zh', 'keys.html')).href);
    await query(page, 'marmoset');
    const found = await hrefs(page);
    const want = pathToFileURL(path.join(siteDir, 'quiz.html')).href;
    expect(found[0] === want, `from file:// the result is ${found[0]}, not ${want}`);
    await ctx.close();
  });

  await group('scripts off', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(site.url('index.html'), { waitUntil: 'load' });
    expect(await page.locator('.cg-search').isHidden(), 'the search box is hidden without scripts');
    await ctx.close();
  });
} finally {
  await browser.close();
  await site.close();
}

for (const d of dialogs) failures.push(`a dialog opened: ${d}`);
for (const e of errors) failures.push(`console or page error: ${e}`);
report('search');
