// The XSS corpus in headless Chromium: every page of a site built from
// tests/fixtures/xss (whose every author field carries a payload that calls
// alert() or sets window.__xss), opened and worked through so the lazy parts
// run too: the search box (queried for payloads), the step players stepped
// to the end, every quiz question answered and checked, hints, feedback and
// Show answer opened. Checks that no payload ran (no dialog, no hook, no
// element with an inline event handler, no script element that is not the
// theme's), that every href/src/xlink:href resolves to http, https or mailto
// (so relative links count as safe, `javascript:` and `data:` do not), and
// that template syntax from the fixture reads as text.
// Prints every failed check; exits 1 if there is any.
//
// usage: node tests/browser/xss.mjs <siteDir> [--blocks-only]
//
// --blocks-only: the site is mdBook's rendering of the fixture, where the
// Markdown around coursegen's blocks is mdBook's own; only the blocks (and
// what runs on the page) are held to these checks, and template syntax is
// not looked for in mdBook's chrome.

import { allPages, checkRun, launch, serve, settle, siteDirArg, snippet, watchdog } from './lib.mjs';

const USAGE = 'node tests/browser/xss.mjs <siteDir> [--blocks-only]';
const BLOCKS = '.cg-flow, .cg-steps, .cg-tracker, .cg-quiz, .cg-code-figure';
const blocksOnly = process.argv.includes('--blocks-only');

watchdog(5 * 60_000, 'xss');
const siteDir = await siteDirArg(USAGE);
const { expect, group, report } = checkRun('XSS_VERBOSE');
const site = await serve(siteDir);
const browser = await launch();
const context = await browser.newContext();
// A payload that sets the hook is caught even when it does not call alert().
await context.addInitScript(() => {
  let hits = [];
  Object.defineProperty(window, '__xss', { get: () => hits, set: (v) => hits.push(String(v)), configurable: false });
});

/** What the page shows as text, in the order a reader meets it. */
const bodyText = (page) => page.evaluate(() => document.body.innerText);

/** Every URL-bearing attribute in the DOM (or in coursegen's blocks) that does
 * not resolve to http, https or mailto, and every injected script. */
async function unsafeDom(page) {
  return page.evaluate(
    ({ scope, blocks }) => {
      const bad = [];
      const roots = scope ? [...document.querySelectorAll(scope)] : [document.documentElement];
      const els = roots.flatMap((r) => [r, ...r.querySelectorAll('*')]);
      for (const el of els) {
        for (const attr of el.attributes) {
          const name = attr.name.toLowerCase();
          if (name.startsWith('on')) bad.push(`<${el.localName} ${name}="${attr.value}">: an inline event handler`);
          if (!['href', 'src', 'xlink:href', 'action', 'formaction', 'poster', 'data', 'srcdoc'].includes(name)) continue;
          if (name === 'srcdoc') {
            bad.push(`<${el.localName} srcdoc>`);
            continue;
          }
          let protocol;
          try {
            protocol = new URL(attr.value, document.baseURI).protocol;
          } catch {
            protocol = 'unparsable';
          }
          if (!['http:', 'https:', 'mailto:'].includes(protocol)) bad.push(`<${el.localName} ${name}="${attr.value}">: ${protocol}`);
        }
        // JSON islands are data the browser never runs.
        const runs = el.localName === 'script' && !/json/.test(el.type);
        if (runs && /alert|__xss/.test(el.textContent)) bad.push(`an injected <script>${el.textContent}</script>`);
        if (['iframe', 'object', 'embed', 'foreignobject'].includes(el.localName) && el.closest(blocks)) bad.push(`an injected <${el.localName}>`);
      }
      return bad;
    },
    { scope: blocksOnly ? BLOCKS : null, blocks: BLOCKS },
  ).catch((e) => [`the DOM could not be read: ${e.message}`]);
}

/** Opens the search box, searches for each of `queries` and returns the hrefs
 * of every result shown; `null` where the page has no search box. */
async function search(page, queries) {
  const toggle = page.locator('.cg-search-toggle');
  if (!(await toggle.isVisible().catch(() => false))) return null;
  await toggle.click();
  const box = page.locator('.cg-search-input');
  const hrefs = [];
  for (const q of queries) {
    await box.fill(q);
    await page.waitForFunction(() => !/Loading/.test(document.querySelector('.cg-search-status')?.textContent || ''), null, { timeout: 5_000 });
    // Each page's text arrives in its own script: give the results a moment to settle.
    await page.waitForTimeout(100);
    hrefs.push(...(await page.locator('.cg-search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))));
  }
  await page.keyboard.press('Escape');
  return hrefs;
}

/** Steps every player to its end and back. */
async function stepAll(page) {
  const figs = page.locator('figure.cg-steps');
  for (let f = 0; f < (await figs.count()); f++) {
    const next = figs.nth(f).getByRole('button', { name: 'Next' });
    if (!(await next.isVisible().catch(() => false))) continue;
    const rows = await figs.nth(f).locator('tbody tr').count();
    for (let i = 0; i <= rows; i++) await next.click({ force: true });
    await figs.nth(f).getByRole('button', { name: 'Previous' }).click({ force: true });
  }
}

/** Answers every question (wrongly, then with every option), opens its hint,
 * checks it and opens Show answer. */
async function answerAll(page) {
  const qs = page.locator('.cg-question');
  for (let i = 0; i < (await qs.count()); i++) {
    const q = qs.nth(i);
    const hint = q.getByRole('button', { name: 'Hint' });
    if (await hint.isVisible().catch(() => false)) await hint.click();
    const text = q.locator('input[type=text], textarea');
    if (await text.count()) await text.first().fill("</script><img src=x onerror=alert('typed')> {{ 7*7 }}");
    const choices = q.locator('input[type=radio], input[type=checkbox]');
    for (let c = 0; c < (await choices.count()); c++) {
      await choices.nth(c).check({ force: true });
      const check = q.getByRole('button', { name: 'Check', exact: true });
      if (await check.isVisible().catch(() => false)) await check.click();
      const again = q.getByRole('button', { name: 'Try again' });
      if (await again.isVisible().catch(() => false)) await again.click();
    }
    const check = q.getByRole('button', { name: 'Check', exact: true });
    if (await check.isVisible().catch(() => false)) await check.click();
  }
  // Show answer, hints and the diagrams' text: every <details> open.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
}

/** Template syntax in the fixture, as it must read on the page. */
const TEMPLATES = ['{{ 7*7 }}', '{% if true %}evaluated{% endif %}'];

let opened = 0;
let dialogs = 0;
let links = 0;
for (const rel of await allPages(siteDir)) {
  await group(rel, async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    const ran = [];
    page.on('dialog', async (d) => {
      ran.push(`${d.type()}(${JSON.stringify(d.message())})`);
      await d.dismiss().catch(() => {});
    });
    await page.goto(site.url(rel), { waitUntil: 'load' });
    await settle(page);
    opened++;
    const found = await search(page, ['payloadword', '<script>', 'alert', 'javascript', '{{ 7*7 }}', '\u2028']);
    await stepAll(page);
    await answerAll(page);
    await page.waitForTimeout(50);
    const hooks = await page.evaluate(() => window.__xss.slice());
    dialogs += ran.length;
    expect(ran.length === 0, `${rel}: a payload ran: ${ran.join(', ')}`);
    expect(hooks.length === 0, `${rel}: a payload set window.__xss: ${hooks.join(', ')}`);
    for (const bad of await unsafeDom(page)) expect(false, `${rel}: ${snippet(bad)}`);
    links += await page.locator('a[href]').count();
    if (found) {
      for (const href of new Set(found)) {
        const protocol = new URL(href, site.url(rel)).protocol;
        expect(protocol === 'http:', `${rel}: search result ${href} resolves to ${protocol}`);
      }
    }
    if (!blocksOnly && rel === 'index.html') {
      const text = await bodyText(page);
      expect(text.includes('{{ 7*7 }}') && (await page.title()).includes('{{ 7*7 }}'), `${rel}: the book title's {{ 7*7 }} reads as text`);
      expect(found && found.some((h) => h.includes('javascript:alert(1).html')), `${rel}: searching finds the page named javascript:alert(1).md`);
    }
    if (!blocksOnly && rel === 'intro.html') {
      const text = await bodyText(page);
      for (const t of TEMPLATES) expect(text.includes(t), `${rel}: ${t} reads as text`);
    }
    if (rel === 'quizzes.html' || rel === 'steps.html' || rel === 'flows.html') {
      const text = await page.locator(BLOCKS).evaluateAll((els) => els.map((e) => e.textContent).join('\n'));
      expect(text.includes('{{ 7*7 }}'), `${rel}: {{ 7*7 }} in a block reads as text`);
    }
    await page.close();
  });
}

await browser.close();
await site.close();
console.log(`xss: ${opened} pages opened, ${links} links looked at, ${dialogs} dialogs`);
report('xss');
