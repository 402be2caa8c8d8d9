// Live reload in real Chromium, against a running `coursegen serve`:
//   node reload.mjs <server URL> <course folder>
// Opens one.html, scrolls down, edits content/one.md and waits for the new
// text to appear without a manual reload (scroll kept); breaks the quiz on
// two.md and waits for the error overlay on the open page; fixes it and waits
// for the overlay to go. Exit 0 on success, 1 with a reason otherwise.
// Driven by tests/integration/serve.rs, which starts and stops the server.

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fail, launch, watchdog } from './lib.mjs';

const [url, course] = process.argv.slice(2);
if (!url || !course) fail(2, 'usage: node reload.mjs <server URL> <course folder>');
watchdog(120_000, 'reload.mjs');

const one = path.join(course, 'content', 'one.md');
const two = path.join(course, 'content', 'two.md');
const WAIT = { timeout: 30_000, polling: 50 };

/** Runs `step`; on failure, exits 1 saying which step failed. */
async function step(name, fn) {
  try {
    await fn();
    console.log(`ok: ${name}`);
  } catch (e) {
    fail(1, `FAILED: ${name}: ${e.message.split('\n')[0]}`);
  }
}

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  let loads = 0;
  page.on('load', () => loads++);
  await page.goto(new URL('one.html', url).href);
  await step('the lesson is served', () => page.waitForFunction(() => document.body.innerText.includes('Paragraph 40'), null, WAIT));
  await page.evaluate(() => window.scrollTo(0, 900));
  const before = await page.evaluate(() => window.scrollY);
  if (before < 800) fail(1, `FAILED: the page did not scroll (scrollY ${before})`);

  const original = await readFile(one, 'utf8');
  await writeFile(one, original.replace('Paragraph 1.', 'Paragraph 1. Edited while the page was open.'));
  await step('an edit shows without a manual reload', () =>
    page.waitForFunction(() => document.body.innerText.includes('Edited while the page was open.'), null, WAIT),
  );
  if (loads < 1) fail(1, 'FAILED: the new text appeared without a page load?');
  await step('the scroll position is kept', () =>
    page.waitForFunction((y) => Math.abs(window.scrollY - y) < 50, before, WAIT),
  );

  const quiz = await readFile(two, 'utf8');
  await writeFile(two, quiz.replace('options: [Yes, No]', 'options: [Yes, No'));
  await step('a broken quiz shows the overlay on the open page', () =>
    page.waitForFunction(
      () => document.getElementById('coursegen-overlay')?.innerText.includes('content/two.md:'),
      null,
      WAIT,
    ),
  );
  await step('the last good page is still under the overlay', async () => {
    const text = await page.evaluate(() => document.body.innerText);
    if (!text.includes('Edited while the page was open.')) throw new Error('lesson text missing');
  });
  await writeFile(two, quiz);
  await step('fixing the quiz removes the overlay', () =>
    page.waitForFunction(() => !document.getElementById('coursegen-overlay'), null, WAIT),
  );
} finally {
  await browser.close();
}
console.log('reload.mjs: all checks passed');
