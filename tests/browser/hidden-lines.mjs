// Rust's hidden lines (`# ` in front, as mdBook writes them): out of view
// until the reader ticks "Show hidden lines", with scripts on and off, since
// the toggle is a checkbox the stylesheet reads.
//
// usage: node tests/browser/hidden-lines.mjs <siteDir> <page>   (tests/fixtures/mdbook-book, built)

import { launch, serve, siteDirArg, watchdog, checkRun } from './lib.mjs';

const USAGE = 'node tests/browser/hidden-lines.mjs <siteDir> <page>';
watchdog(60_000, 'hidden-lines');
const siteDir = await siteDirArg(USAGE);
const pagePath = process.argv[3] || 'listings.html';
const { expect, group, report } = checkRun('HIDDEN_VERBOSE');
const site = await serve(siteDir);
const browser = await launch();

/** How many hidden lines the first sample with some shows, and how many it has. */
async function shown(page) {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll('.cg-has-boring .cg-boring')];
    return { total: lines.length, visible: lines.filter((l) => l.getClientRects().length > 0).length };
  });
}

try {
  for (const javaScriptEnabled of [true, false]) {
    await group(`scripts ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(site.url(pagePath), { waitUntil: 'load' });
      const before = await shown(page);
      expect(before.total > 0, `${pagePath} has hidden lines (${before.total})`);
      expect(before.visible === 0, `hidden lines are out of view at first (${before.visible} shown)`);
      await page.locator('.cg-boring-toggle').first().click();
      const after = await shown(page);
      expect(after.visible === after.total, `ticking the toggle shows them all (${after.visible} of ${after.total})`);
      await context.close();
    });
  }
} finally {
  await browser.close();
  await site.close();
}
report('hidden-lines');
