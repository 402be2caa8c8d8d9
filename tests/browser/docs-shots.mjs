// The README's screenshots of the example course, each showing a feature at
// work: the step player paused on a step (on a desktop and a phone), an
// answered quiz question, the branching flow on a phone. Light and dark.
//
// usage: node tests/browser/docs-shots.mjs <siteDir> <outDir>

import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { serve, launch, siteDirArg, fail, watchdog, settle } from './lib.mjs';

const USAGE = 'node tests/browser/docs-shots.mjs <siteDir> <outDir>';
watchdog(5 * 60_000, 'docs-shots');
const siteDir = await siteDirArg(USAGE);
if (!process.argv[3]) fail(2, `usage: ${USAGE}`);
const outDir = path.resolve(process.argv[3]);
await mkdir(outDir, { recursive: true });

const DESKTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Each shot: a name, a device, a page, and what to do before the picture. */
const SHOTS = [
  {
    name: 'lesson-desktop',
    device: DESKTOP,
    page: 'flask/secret-key.html#step-2',
    // The execution table with the player at step 2: its code line marked,
    // the next step's lines too, the row under them.
    prepare: async (page) => page.locator('#execution-table').evaluate((e) => e.scrollIntoView()),
  },
  {
    name: 'quiz-desktop',
    device: DESKTOP,
    page: 'flask/secret-key-quiz.html',
    prepare: async (page) => {
      const q = page.locator('.cg-question').first();
      await q.locator('input[type=radio]').first().check();
      await q.getByRole('button', { name: 'Check' }).click();
      await q.evaluate((e) => e.scrollIntoView());
    },
  },
  {
    name: 'player-mobile',
    device: PHONE,
    page: 'flask/secret-key.html',
    // The sticky player on a phone: Next pressed three times, the row under the code.
    prepare: async (page) => {
      const next = page.locator('figure.cg-steps .cg-player-next').first();
      await page.locator('#execution-table').evaluate((e) => e.scrollIntoView());
      for (let i = 0; i < 3; i++) await next.click();
    },
  },
  {
    name: 'lesson-mobile',
    device: PHONE,
    page: 'flask/secret-key.html',
    prepare: async (page) => page.locator('#concept-flow').evaluate((e) => e.scrollIntoView()),
  },
  {
    name: 'branching-mobile',
    device: PHONE,
    page: 'flask/missing-secret-key.html',
    prepare: async (page) => page.locator('.cg-flow').first().evaluate((e) => e.scrollIntoView()),
  },
];

const site = await serve(siteDir);
const browser = await launch();
try {
  for (const shot of SHOTS) {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ ...shot.device, deviceScaleFactor: 1, colorScheme: scheme, reducedMotion: 'reduce' });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const [rel, hash] = shot.page.split('#');
      const response = await page.goto(site.url(rel) + (hash ? `#${hash}` : ''), { waitUntil: 'load' });
      if (!response?.ok()) throw new Error(`${shot.page}: HTTP ${response?.status()}`);
      await settle(page);
      await shot.prepare(page);
      await settle(page);
      const file = path.join(outDir, `${shot.name}-${scheme}.png`);
      await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
      console.log(file);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await site.close();
}
