// Screenshots of a built site for the README: each named page at desktop
// (1280x900) and mobile (390x844) size, in the light and the dark colour
// scheme, as PNG files in outDir named <page>-<viewport>-<scheme>.png, where
// <page> is the page path without ".html" and with "/" turned into "-"
// (flask/secret-key.html -> flask-secret-key-desktop-dark.png).
//
// usage: node tests/browser/screenshots.mjs <siteDir> <outDir> <page> [<page>...]

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { allPages, fail, launch, serve, settle, siteDirArg, watchdog } from './lib.mjs';

const USAGE = 'node tests/browser/screenshots.mjs <siteDir> <outDir> <page> [<page>...]';
const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false },
  { name: 'mobile', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
];
const SCHEMES = ['light', 'dark'];

watchdog(10 * 60_000, 'screenshots');
const siteDir = await siteDirArg(USAGE);
const [outArg, ...wanted] = process.argv.slice(3);
if (!outArg || wanted.length === 0) fail(2, `usage: ${USAGE}`);
const outDir = path.resolve(outArg);
const known = new Set(await allPages(siteDir));
const missing = wanted.filter((p) => !known.has(p));
if (missing.length > 0) fail(2, `screenshots: no such page under ${siteDir}: ${missing.join(', ')}`);
await mkdir(outDir, { recursive: true });

/** Deterministic file name for a page, viewport and scheme. */
const fileName = (rel, viewport, scheme) =>
  `${rel.replace(/\.html$/, '').split('/').join('-')}-${viewport}-${scheme}.png`;

const site = await serve(siteDir);
const browser = await launch();
const written = [];
try {
  for (const { name, ...options } of VIEWPORTS) {
    for (const scheme of SCHEMES) {
      const context = await browser.newContext({
        ...options,
        deviceScaleFactor: 1,
        colorScheme: scheme,
        reducedMotion: 'reduce',
        locale: 'en-US',
        timezoneId: 'UTC',
      });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      for (const rel of wanted) {
        const response = await page.goto(site.url(rel), { waitUntil: 'load' });
        if (!response?.ok()) throw new Error(`${rel}: HTTP ${response?.status()}`);
        await settle(page);
        const file = path.join(outDir, fileName(rel, name, scheme));
        await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
        written.push(file);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await site.close();
}
for (const file of written) console.log(file);
console.log(`screenshots: ${written.length} files in ${outDir}`);
