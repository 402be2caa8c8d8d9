// The sidebar: every page loads the course's contents from one shared file,
// js/toc.js, which puts the list in place, marks the page being read and the
// chapters above it, and makes each link relative to the page. Without
// scripts, the sidebar frames toc.html and its links open in the whole window.
// Checked over HTTP at three depths, with scripts off, and from file://.
//
// usage: node tests/browser/sidebar.mjs <siteDir>   (the course in tests/integration/browser.rs)

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, serve, settle, siteDirArg, watchdog, checkRun } from './lib.mjs';

const USAGE = 'node tests/browser/sidebar.mjs <siteDir>';
const NESTED = 'guide/nested.html'; // a child of guide/markdown.html
const PARENT = 'guide/markdown.html';

watchdog(2 * 60_000, 'sidebar');
const siteDir = await siteDirArg(USAGE);
const { expect, group, report } = checkRun('SIDEBAR_VERBOSE');
const site = await serve(siteDir);
const browser = await launch();

/** The sidebar as the page shows it: each link's resolved URL, which is the
 * current page, and the classes of the items that hold them. */
async function sidebar(page) {
  return page.evaluate(() => {
    const nav = document.querySelector('#cg-sidebar');
    return {
      links: [...nav.querySelectorAll('a.cg-nav-link')].map((a) => a.href),
      current: [...nav.querySelectorAll('[aria-current="page"]')].map((a) => a.href),
      currentItems: nav.querySelectorAll('.cg-nav-item.is-current').length,
      open: [...nav.querySelectorAll('.cg-nav-item.is-open > a')].map((a) => a.href),
      drafts: nav.querySelectorAll('.cg-nav-draft').length,
      frames: nav.querySelectorAll('iframe').length,
      folds: [...nav.querySelectorAll('.cg-nav-fold')].map((b) => b.getAttribute('aria-expanded')),
    };
  });
}

/** The links of toc.html, resolved against `base`: what every page must list. */
async function tocLinks(context, base) {
  const page = await context.newPage();
  await page.goto(base('toc.html'), { waitUntil: 'load' });
  const hrefs = await page.evaluate(() => [...document.querySelectorAll('a.cg-nav-link')].map((a) => a.getAttribute('href')));
  await page.close();
  return hrefs.map((h) => new URL(h, base('toc.html')).href);
}

try {
  const context = await browser.newContext();
  const expected = await tocLinks(context, site.url);
  expect(expected.length === 4, `toc.html lists the fixture's 4 linked chapters: ${expected.join(', ')}`);

  for (const rel of ['index.html', 'welcome.html', PARENT, NESTED]) {
    await group(`scripts on: ${rel}`, async () => {
      const page = await context.newPage();
      await page.goto(site.url(rel), { waitUntil: 'load' });
      await settle(page);
      const s = await sidebar(page);
      expect(JSON.stringify(s.links) === JSON.stringify(expected), `${rel}: the sidebar links to every chapter, relative to the page: ${s.links.join(', ')}`);
      expect(s.drafts === 1, `${rel}: the draft chapter is listed, unlinked (${s.drafts})`);
      expect(s.frames === 0, `${rel}: no fallback frame with scripts on`);
      if (rel === 'index.html') {
        expect(s.current.length === 0 && s.currentItems === 0, `${rel}: no chapter is current on the home page`);
      } else {
        expect(JSON.stringify(s.current) === JSON.stringify([site.url(rel)]), `${rel}: exactly the page itself is current: ${s.current.join(', ')}`);
        expect(s.currentItems === 1, `${rel}: one item is-current (${s.currentItems})`);
      }
      const openExpected = rel === NESTED ? [site.url(PARENT)] : [];
      expect(JSON.stringify(s.open) === JSON.stringify(openExpected), `${rel}: the chapters above the page are open: ${s.open.join(', ')}`);
      // The parent's fold button: unfolded where it holds the current page.
      const unfolded = rel === NESTED || rel === PARENT;
      expect(JSON.stringify(s.folds) === JSON.stringify([unfolded ? 'true' : 'false']), `${rel}: fold buttons after the list arrived: ${s.folds.join(', ')}`);
      await page.close();
    });
  }

  await group('scripts on: a sidebar link opens its page, which is then current', async () => {
    const page = await context.newPage();
    await page.goto(site.url(NESTED), { waitUntil: 'load' });
    await page.locator('#cg-sidebar a.cg-nav-link', { hasText: 'Blocks' }).click();
    await page.waitForURL(/\/blocks\.html$/);
    const s = await sidebar(page);
    expect(JSON.stringify(s.current) === JSON.stringify([site.url('blocks.html')]), `after the click, Blocks is current: ${s.current.join(', ')}`);
    await page.close();
  });
  await context.close();

  await group('scripts off: the sidebar frames toc.html, whose links open in the window', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const page = await noJs.newPage();
    await page.goto(site.url(NESTED), { waitUntil: 'load' });
    const frameEl = page.locator('#cg-sidebar iframe.cg-toc-frame');
    expect((await frameEl.count()) === 1, 'one frame in the sidebar');
    expect((await frameEl.getAttribute('title')) === 'Course contents', 'the frame has a title');
    const box = await frameEl.boundingBox();
    expect(box !== null && box.height > 200 && box.width > 150, `the frame is shown at a usable size: ${JSON.stringify(box)}`);
    const frame = page.frameLocator('#cg-sidebar iframe.cg-toc-frame');
    const inFrame = await frame.locator('a.cg-nav-link').evaluateAll((as) => as.map((a) => a.href));
    expect(JSON.stringify(inFrame) === JSON.stringify(expected), `the frame lists every chapter: ${inFrame.join(', ')}`);
    await frame.locator('a.cg-nav-link', { hasText: 'Blocks' }).click();
    await page.waitForURL(/\/blocks\.html$/);
    expect(page.url() === site.url('blocks.html'), `the link opened in the window, not the frame: ${page.url()}`);
    await noJs.close();
  });

  await group('file://: the shared contents load from disk too', async () => {
    const fileContext = await browser.newContext();
    const page = await fileContext.newPage();
    const fileUrl = (rel) => pathToFileURL(path.join(siteDir, rel)).href;
    await page.goto(fileUrl(NESTED), { waitUntil: 'load' });
    const s = await sidebar(page);
    const expectedFiles = (await tocLinks(fileContext, fileUrl));
    expect(s.links.length === 4 && JSON.stringify(s.links) === JSON.stringify(expectedFiles), `from disk, every chapter is listed: ${s.links.join(', ')}`);
    expect(JSON.stringify(s.current) === JSON.stringify([fileUrl(NESTED)]), `from disk, the page is current: ${s.current.join(', ')}`);
    await fileContext.close();
  });
} finally {
  await browser.close();
  await site.close();
}
report('sidebar');
