// The lesson's parts on the example lesson: an open key moment marks the
// rows it names and closing it clears them (another open moment keeps its
// own); a transcript paragraph's step link goes to its row; without scripts
// every part is shown and a moment still opens; axe finds nothing with the
// moments open, light and dark, at 360 and 1280 px.
//
// usage: node tests/browser/parts.mjs <siteDir>   (the example course)

import path from 'node:path';
import { HERE, launch, serve, settle, siteDirArg, watchdog, checkRun } from './lib.mjs';

const USAGE = 'node tests/browser/parts.mjs <siteDir>';
const AXE_JS = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const LESSON = 'flask/secret-key.html';

watchdog(2 * 60_000, 'parts');
const siteDir = await siteDirArg(USAGE);
const { expect, group, report } = checkRun('PARTS_VERBOSE');
const site = await serve(siteDir);
const browser = await launch();

// Waits (briefly) for the marked rows to be `want`: the toggle event comes
// after the click, and a page that never marks must fail the check, not hang.
const settled = (page, want) => page.waitForFunction(
  (w) => [...document.querySelectorAll('tr.cg-moment-row')].map((r) => r.id).sort().join(' ') === w, want, { timeout: 3_000 },
).catch(() => {});
const marked = (page) => page.evaluate(() => [...document.querySelectorAll('tr.cg-moment-row')].map((r) => r.id).sort().join(' '));

try {
  await group('an open moment marks its rows', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    await page.goto(site.url(LESSON), { waitUntil: 'load' });
    await settle(page);
    const moments = page.locator('details.cg-moment');
    expect((await moments.count()) === 2, `two moments: ${await moments.count()}`);
    expect((await marked(page)) === '', 'no row is marked before a moment opens');
    await moments.nth(0).locator('summary').click();
    await settled(page, 'step-5');
    expect((await marked(page)) === 'step-5', `the first moment marks step 5: ${await marked(page)}`);
    await moments.nth(1).locator('summary').focus();
    await page.keyboard.press('Enter');
    await settled(page, 'step-2 step-5');
    expect((await marked(page)) === 'step-2 step-5', `both open, both marked: ${await marked(page)}`);
    await moments.nth(0).locator('summary').click();
    await settled(page, 'step-2');
    expect((await marked(page)) === 'step-2', `closing one keeps the other's: ${await marked(page)}`);
    await page.locator('.cg-narration[data-step="step-3"] a').click();
    await page.waitForURL(/#step-3$/);
    const inView = await page.evaluate(() => {
      const r = document.getElementById('step-3').getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(inView, 'a transcript paragraph links to its row, which comes into view');
    await context.close();
  });
  await group('the transcript follows the player, and the player the transcript', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    page.setDefaultTimeout(5_000);
    const current = () => page.evaluate(() => [...document.querySelectorAll('.cg-narration[aria-current="step"]')].map((n) => n.dataset.step).join(' '));
    await page.goto(site.url(LESSON), { waitUntil: 'load' });
    await settle(page);
    expect((await current()) === '', `nothing marked at the start: ${await current()}`);
    const next = page.locator('figure.cg-steps .cg-player-next').first();
    await next.click();
    await next.click();
    expect((await current()) === 'step-2', `after two steps, the step 2 paragraph: ${await current()}`);
    await page.locator('.cg-narration[data-step="step-4"] a').click();
    const status = await page.locator('figure.cg-steps .cg-player-status').first().textContent();
    expect(status.startsWith('Step 4 of 6'), `its link moves the player: ${status}`);
    expect((await current()) === 'step-4', `and marks its paragraph: ${await current()}`);
    await page.goto(`${site.url(LESSON)}#step-3`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('.cg-narration[data-step="step-3"][aria-current="step"]'), null, { timeout: 3_000 }).catch(() => {});
    expect((await current()) === 'step-3', `a page opened at a step marks its paragraph: ${await current()}`);
    await context.close();
  });
  await group('without scripts', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(site.url(LESSON), { waitUntil: 'load' });
    const shown = await page.evaluate(() => ['.cg-moments', '.cg-snapshot', '.cg-transcript'].map((s) => {
      const e = document.querySelector(s);
      return Boolean(e && e.getBoundingClientRect().height > 0);
    }));
    expect(shown.every(Boolean), `every part is shown: ${shown}`);
    await page.locator('details.cg-moment summary').first().click();
    expect(await page.locator('details.cg-moment').first().evaluate((d) => d.open), 'a moment opens on its own');
    expect((await page.locator('.cg-narration').count()) === 7, 'the transcript has its seven paragraphs');
    await context.close();
  });
  for (const scheme of ['light', 'dark']) {
    for (const width of [360, 1280]) {
      await group(`axe, moments open, ${scheme}, ${width} px`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
        const page = await context.newPage();
        await page.goto(site.url(LESSON), { waitUntil: 'load' });
        await settle(page);
        await page.evaluate(() => document.querySelectorAll('details.cg-moment').forEach((d) => { d.open = true; }));
        await page.addScriptTag({ path: AXE_JS });
        const result = await page.evaluate(async () => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }));
        const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
        expect(found.length === 0, `axe: ${found.join('; ')}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow <= 0, `the page does not scroll sideways: ${overflow} px`);
        await context.close();
      });
    }
  }
} finally {
  await browser.close();
  await site.close();
}
report('parts');
