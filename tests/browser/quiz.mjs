// Quiz behaviour in headless Chromium, on the fixture course that
// tests/integration/quiz.rs builds (kinds.html: one question of every kind;
// toml.html: an mdbook-quiz file). Checks, for every kind, that a wrong answer
// says Incorrect and a right one Correct; that progress survives a reload and
// shows on the home page; an order question solved with the keyboard alone;
// hints and their links; the page with scripts off; that author text such as
// <script> stays text; storage that throws; and axe on the answered page.
// Prints every failed check; exits 1 if there is any.
//
// usage: node tests/browser/quiz.mjs <siteDir>

import path from 'node:path';
import { HERE, launch, serve, settle, siteDirArg, watchdog, checkRun } from './lib.mjs';

const USAGE = 'node tests/browser/quiz.mjs <siteDir>';
const AXE_JS = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');

watchdog(4 * 60_000, 'quiz');
const siteDir = await siteDirArg(USAGE);
const { expect, group, failures, report } = checkRun('QUIZ_VERBOSE');

const site = await serve(siteDir);
const browser = await launch();
const errors = [];

/** A fresh page of `context` that records console errors and exceptions. */
async function open(context, rel) {
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  page.on('pageerror', (e) => errors.push(`${rel}: ${e.message}`));
  // Chromium asks for /favicon.ico on its own; the site has none.
  page.on('console', (m) => m.type() === 'error' && !m.location().url.endsWith('/favicon.ico') && errors.push(`${rel}: ${m.text()}`));
  await page.goto(site.url(rel), { waitUntil: 'load' });
  // settle() runs a script, which a context with scripts off never finishes.
  if (context.jsEnabled !== false) await settle(page);
  return page;
}

const q = (page, key) => page.locator(`.cg-question[data-key="${key}"]`);
const verdict = async (page, key) => (await q(page, key).locator('.cg-verdict-title').textContent())?.trim();

/** Presses Check of question `key` and returns the verdict's first line. */
async function check(page, key) {
  await q(page, key).getByRole('button', { name: 'Check', exact: true }).click();
  return verdict(page, key);
}

/** Moves the order question's lines into the right order with the keyboard
 * alone: focus on a "Move up" button, then Enter. */
async function solveOrderByKeyboard(page, key) {
  const list = q(page, key).locator('.cg-order');
  const n = await list.locator(':scope > li').count();
  for (let target = 0; target < n; target++) {
    for (let guard = 0; guard < n; guard++) {
      const lines = await list.locator(':scope > li').evaluateAll((lis) => lis.map((li) => Number(li.dataset.line)));
      const at = lines.indexOf(target);
      if (at === target) break;
      await list.locator(`:scope > li[data-line="${target}"] .cg-order-move[data-dir="up"]`).focus();
      await page.keyboard.press('Enter');
    }
  }
}

try {
  const context = await browser.newContext();

  await group('every kind: wrong then right', async () => {
    const page = await open(context, 'kinds.html');
    const cases = [
      ['pick', async (x) => x.getByLabel('two').check(), async (x) => x.getByLabel('<b>one</b>').check()],
      ['many', async (x) => x.getByLabel('2').check(), async (x) => { await x.getByLabel('2').check(); await x.getByLabel('4').check(); }],
      ['word', async (x) => x.getByLabel('Your answer').fill('ValueError'), async (x) => x.getByLabel('Your answer').fill('  runtimeERROR ')],
      ['out', async (x) => x.getByLabel('Predicted output').fill('a\nc'), async (x) => x.getByLabel('Predicted output').fill('a   \nb  \n')],
    ];
    expect((await check(page, 'many')) === 'Give an answer first.', 'Check with nothing chosen asks for an answer');
    for (const [key, wrong, right] of cases) {
      await wrong(q(page, key));
      expect((await check(page, key)) === 'Incorrect', `${key}: a wrong answer says Incorrect, got ${await verdict(page, key)}`);
      expect(await q(page, key).getByRole('button', { name: 'Try again' }).isVisible(), `${key}: Try again is offered`);
      expect(await page.evaluate((k) => document.activeElement?.id === `${document.querySelector(`[data-key="${k}"]`).id}-verdict`, key),
        `${key}: focus moves to the feedback`);
      await q(page, key).getByRole('button', { name: 'Try again' }).click();
      await right(q(page, key));
      expect((await check(page, key)) === 'Correct', `${key}: a right answer says Correct, got ${await verdict(page, key)}`);
    }
    // Option feedback and the explanation follow the verdict.
    const pick = q(page, 'pick');
    await pick.getByLabel('two').check();
    await check(page, 'pick');
    expect((await pick.locator('.cg-verdict').textContent()).includes('Not <i>two</i>.'), 'pick: the chosen option\'s feedback is shown, as text');
    // A wrong answer teaches without giving the answer away (issue 19).
    const wrongText = await pick.locator('.cg-verdict').textContent();
    expect(!wrongText.includes('Because <em>one</em>.'), `pick: the explanation, which holds the answer, does not follow Incorrect: ${wrongText}`);
    expect(!wrongText.includes('Answer:'), `pick: nor does the answer: ${wrongText}`);
    expect(!(await pick.locator('details.cg-answer').evaluate((d) => d.open)), 'pick: Show answer stays closed until asked');
    expect((await pick.getByRole('button', { name: 'Hint' }).getAttribute('aria-expanded')) === 'true', 'pick: a wrong answer opens the hint');
    const mark = async (label) => (await pick.locator('.cg-options > li', { hasText: label }).locator('.cg-mark').textContent().catch(() => ''))?.trim();
    expect((await mark('two')) === '\u2717 wrong', `pick: the chosen wrong option says so in words: ${await mark('two')}`);
    expect(await pick.locator('.cg-options > li', { hasText: 'two' }).evaluate((li) => li.classList.contains('is-wrong')), 'pick: and is coloured as wrong');
    expect((await pick.locator('.cg-options .cg-mark').count()) === 1, 'pick: the correct option is not marked after a wrong answer');
    // Asking for the answer marks the right option.
    await pick.locator('details.cg-answer summary').click();
    expect((await mark('one')) === '\u2713 answer', `pick: Show answer marks the correct option: ${await mark('one')}`);
    await pick.locator('details.cg-answer summary').click();
    await pick.getByRole('button', { name: 'Try again' }).click();
    expect((await pick.locator('.cg-options .cg-mark').count()) === 0, 'pick: Try again clears the marks');
    await pick.getByLabel('<b>one</b>').check();
    await check(page, 'pick');
    const rightText = await pick.locator('.cg-verdict').textContent();
    expect(rightText.includes('Because <em>one</em>.'), 'pick: the explanation follows Correct');
    expect(rightText.includes('Answer: A.'), `pick: so does the correct answer: ${rightText}`);
    expect((await mark('one')) === '\u2713 right', `pick: the chosen right option says so: ${await mark('one')}`);
    const row = await pick.locator('.cg-actions').evaluate((a) => [...a.children].filter((b) => !b.hidden).map((b) => Math.round(b.getBoundingClientRect().top)));
    expect(new Set(row).size === 1, `pick: Check and Hint sit on one row: ${row}`);
    expect((await page.locator('.cg-verdict[aria-live="polite"]').count()) === 5, 'every verdict is an aria-live region');
    // The order question: the build's order is wrong, so Check says Incorrect.
    expect((await check(page, 'steps')) === 'Incorrect', 'steps: the shuffled order is Incorrect');
    expect((await page.locator('.cg-score').textContent()).trim() === 'Score: 4 of 5', `score reads 4 of 5, got ${await page.locator('.cg-score').textContent()}`);
    await page.close();
  });

  await group('order by keyboard, progress after reload, home summary', async () => {
    const page = await open(context, 'kinds.html');
    expect((await verdict(page, 'pick')) === 'Correct', 'pick: the saved verdict is shown again after a reload');
    expect(await q(page, 'pick').getByLabel('<b>one</b>').isChecked(), 'pick: the saved choice is restored');
    expect((await q(page, 'out').getByLabel('Predicted output').inputValue()) === 'a   \nb  \n', 'out: the saved text is restored');
    expect((await verdict(page, 'steps')) === 'Incorrect', 'steps: a saved Incorrect is shown again');
    await solveOrderByKeyboard(page, 'steps');
    await q(page, 'steps').getByRole('button', { name: 'Check', exact: true }).focus();
    await page.keyboard.press('Enter');
    expect((await verdict(page, 'steps')) === 'Correct', `steps: solved by keyboard says Correct, got ${await verdict(page, 'steps')}`);
    expect((await page.locator('.cg-score').textContent()).trim() === 'Score: 5 of 5', 'score reads 5 of 5');
    await page.reload({ waitUntil: 'load' });
    const texts = await q(page, 'steps').locator('.cg-order-text').allTextContents();
    expect(texts.join('|') === 'First|Second|Third|Fourth', `steps: the solved order is restored, got ${texts.join('|')}`);
    const keys = await page.evaluate(() => Object.keys(localStorage));
    expect(keys.includes('coursegen.quiz/quiz%20fixture/kinds.html'), `progress is stored per course and page: ${keys}`);
    const home = await open(context, 'index.html');
    const summary = (await home.locator('.cg-progress[data-page="kinds.html"]').textContent()).trim();
    expect(summary === '5 of 5 correct', `the home page summarises the lesson: ${summary}`);
    const other = (await home.locator('.cg-progress[data-page="toml.html"]').textContent()).trim();
    expect(other.startsWith('Not started'), `an untouched lesson is not started: ${other}`);
    // Reset clears the quiz and its saved progress.
    await page.getByRole('button', { name: 'Reset quiz' }).click();
    expect((await page.locator('.cg-score').textContent()).trim() === 'Score: 0 of 5', 'Reset sets the score to 0');
    await page.reload({ waitUntil: 'load' });
    expect((await q(page, 'pick').locator('.cg-verdict').textContent()) === '', 'after Reset, nothing is restored');
    await page.close();
    await home.close();
  });

  await group('drag and drop', async () => {
    const page = await open(context, 'kinds.html');
    const list = q(page, 'steps').locator('.cg-order');
    const before = await list.locator(':scope > li').evaluateAll((l) => l.map((li) => li.dataset.line).join());
    const items = list.locator(':scope > li');
    await items.nth(2).dragTo(items.nth(0), { targetPosition: { x: 10, y: 2 } });
    const after = await list.locator(':scope > li').evaluateAll((l) => l.map((li) => li.dataset.line).join());
    const b = before.split(',');
    expect(after === [b[2], b[0], b[1], b[3]].join(), `dragging the third line to the top reorders: ${before} → ${after}`);
    await page.close();
  });

  await group('hints', async () => {
    const page = await open(context, 'kinds.html');
    const hint = q(page, 'pick').getByRole('button', { name: 'Hint' });
    expect((await hint.getAttribute('aria-expanded')) === 'false', 'the hint starts hidden');
    expect(!(await q(page, 'pick').getByText('See').isVisible()), 'the hint text is hidden at first');
    await hint.press('Enter');
    expect((await hint.getAttribute('aria-expanded')) === 'true', 'Enter on Hint expands it');
    const link = q(page, 'pick').getByRole('link', { name: 'step 1' });
    expect(await link.isVisible(), 'the hint shows its link');
    await link.click();
    expect(new URL(page.url()).hash === '#step-1', `the hint link navigates to #step-1: ${page.url()}`);
    expect((await page.locator('#step-1').count()) === 1, 'the execution table row exists');
    await page.close();
  });

  await group('author text stays text', async () => {
    const page = await open(context, 'kinds.html');
    expect((await page.evaluate(() => window.pwned)) === undefined, 'a <script> in a prompt does not run');
    expect((await q(page, 'pick').locator('.cg-prompt').textContent()).includes('<script>window.pwned = 1</script>'), 'the prompt shows <script> as text');
    expect((await page.locator('.cg-question script').count()) === 0, 'no script element inside a question');
    expect((await q(page, 'pick').locator('.cg-options b').count()) === 0, 'an option\'s <b> is text');
    await q(page, 'word').getByLabel('Your answer').fill('</script><b>x</b>');
    await q(page, 'word').getByLabel('Your answer').press('Enter');
    expect((await verdict(page, 'word')) === 'Correct', 'an accepted answer with </script> survives the JSON island (checked with Enter)');
    await page.close();
  });

  await group('mdbook-quiz file', async () => {
    const page = await open(context, 'toml.html');
    const keys = await page.locator('.cg-question').evaluateAll((l) => l.map((li) => li.dataset.key));
    expect(keys.length === 4, `four TOML questions: ${keys}`);
    const [trace, broken, multi] = keys;
    await q(page, trace).getByLabel('Predicted output').fill('hello');
    expect((await check(page, trace)) === 'Incorrect', 'Tracing: wrong output is Incorrect');
    await q(page, trace).getByLabel('Predicted output').fill('hi');
    expect((await check(page, trace)) === 'Correct', 'Tracing: right output is Correct');
    await q(page, broken).getByLabel('Predicted output').fill('hi');
    expect((await check(page, broken)) === 'Incorrect', 'Tracing that does not compile: an output is Incorrect');
    await q(page, broken).getByLabel('It does not compile').check();
    expect((await check(page, broken)) === 'Correct', 'Tracing that does not compile: ticking "It does not compile" is Correct');
    await q(page, trace).getByLabel('It does not compile').check();
    expect((await check(page, trace)) === 'Incorrect', 'Tracing that compiles: "It does not compile" is Incorrect');
    expect((await q(page, broken).locator('.cg-verdict').textContent()).includes('line 2'), 'Tracing: lineNumber is in the explanation');
    expect((await q(page, multi).locator('.cg-prompt').textContent()).includes('Shared context.'), 'multipart context leads the prompt');
    await q(page, multi).getByLabel('yes').check();
    expect((await check(page, multi)) === 'Incorrect', 'several answers: one of two is Incorrect');
    await q(page, multi).getByLabel('also').check();
    expect((await check(page, multi)) === 'Correct', 'several answers: both are Correct');
    await page.close();
  });

  await group('axe on an answered quiz page', async () => {
    const page = await open(context, 'kinds.html');
    await q(page, 'pick').getByLabel('two').check();
    await check(page, 'pick');
    await q(page, 'pick').getByRole('button', { name: 'Hint' }).click();
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.addScriptTag({ path: AXE_JS });
      const ids = await page.evaluate(async () => {
        /* global axe */
        const r = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] });
        return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`);
      });
      expect(ids.length === 0, `axe (${scheme}) after answering: ${ids.join('; ')}`);
    }
    await page.close();
  });

  await context.close();

  await group('scripts off', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    noJs.jsEnabled = false;
    const page = await open(noJs, 'kinds.html');
    expect((await page.locator('.cg-options input[type=radio]').count()) === 3, 'the options show without scripts');
    expect((await page.getByRole('button', { name: 'Check' }).count()) === 0, 'no Check button without scripts');
    const answer = q(page, 'pick').locator('details.cg-answer');
    await answer.locator('summary', { hasText: 'Show answer' }).click();
    const text = await answer.textContent();
    expect(text.includes('A. <b>one</b>') && text.includes('Because <em>one</em>.'), `Show answer holds the answer and the explanation: ${text}`);
    const order = await q(page, 'steps').locator('details.cg-answer').textContent();
    expect(order.includes('First') && order.includes('Fourth'), 'the order question reveals the right order');
    await noJs.close();
  });

  await group('storage that throws', async () => {
    const locked = await browser.newContext();
    await locked.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new Error('SecurityError: storage is off'); } });
    });
    const page = await open(locked, 'kinds.html');
    await q(page, 'pick').getByLabel('<b>one</b>').check();
    expect((await check(page, 'pick')) === 'Correct', 'quizzes work when localStorage throws');
    await q(page, 'many').getByLabel('2').check();
    await q(page, 'many').getByLabel('4').check();
    await check(page, 'many');
    const score = (await page.locator('.cg-score').textContent()).trim();
    expect(score === 'Score: 2 of 5', `without storage the score is kept in memory: ${score}`);
    await locked.close();
  });
} finally {
  await browser.close();
  await site.close();
}

for (const e of errors) failures.push(`console or page error: ${e}`);
report('quiz');
