// "Continue where you left off": after a lesson is opened, the course home
// offers a link back to it; stored values that are not a plain page path are
// ignored, and a stored title is text, never HTML.
//
// usage: node tests/browser/continue.mjs <siteDir>   (the example course)

import path from 'node:path';
import { HERE, launch, serve, settle, siteDirArg, watchdog, checkRun } from './lib.mjs';

const USAGE = 'node tests/browser/continue.mjs <siteDir>';
const AXE_JS = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');
const LESSON = 'flask/secret-key.html';
const KEY = 'coursegen.flask essentials.last';

watchdog(2 * 60_000, 'continue');
const siteDir = await siteDirArg(USAGE);
const { expect, group, failures, report } = checkRun('CONTINUE_VERBOSE');
const site = await serve(siteDir);
const browser = await launch();
const dialogs = [];

async function home(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(site.url('index.html'), { waitUntil: 'load' });
  await settle(page);
  return page;
}

try {
  const context = await browser.newContext();
  await group('nothing to continue on a first visit', async () => {
    const page = await home(context);
    expect((await page.locator('.cg-continue').count()) === 0, 'a first visit shows no Continue link');
  });
  await group('the last lesson opened is offered', async () => {
    const lesson = await context.newPage();
    await lesson.goto(site.url(LESSON), { waitUntil: 'load' });
    await settle(lesson);
    const page = await home(context);
    const link = page.locator('.cg-continue');
    expect((await link.count()) === 1, 'one Continue link');
    expect((await link.textContent()) === 'Continue: Secret key configuration in Flask', `link text: ${await link.textContent()}`);
    expect((await link.getAttribute('href')) === LESSON, `link target: ${await link.getAttribute('href')}`);
    await page.addScriptTag({ path: AXE_JS });
    const result = await page.evaluate(async () => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } }));
    expect(result.violations.length === 0, `axe with the link: ${result.violations.map((v) => v.id).join(', ')}`);
    await link.click();
    await page.waitForURL(/secret-key\.html$/);
    expect(true, 'the link opens the lesson');
  });
  await group('hostile stored values', async () => {
    const page = await home(context);
    await page.evaluate((k) => localStorage.setItem(k, JSON.stringify({ path: 'javascript:alert(1)//.html', title: 'x' })), KEY);
    await page.reload({ waitUntil: 'load' });
    expect((await page.locator('.cg-continue').count()) === 0, 'a javascript: path is ignored');
    await page.evaluate(([k, p]) => localStorage.setItem(k, JSON.stringify({ path: p, title: '<img src=x onerror=alert(1)>' })), [KEY, LESSON]);
    await page.reload({ waitUntil: 'load' });
    expect((await page.locator('.cg-continue img').count()) === 0, 'a stored title stays text');
    expect((await page.locator('.cg-continue').textContent()) === 'Continue: <img src=x onerror=alert(1)>', 'the title is shown as written');
    await page.evaluate((k) => localStorage.setItem(k, '{not json'), KEY);
    await page.reload({ waitUntil: 'load' });
    expect((await page.locator('.cg-continue').count()) === 0, 'broken storage is ignored');
  });
  await context.close();
} finally {
  await browser.close();
  await site.close();
}
for (const d of dialogs) failures.push(`a dialog opened: ${d}`);
report('continue');

