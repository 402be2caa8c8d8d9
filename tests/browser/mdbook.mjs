// Checks coursegen's blocks inside a book built by mdBook, in headless
// Chromium, once per mdBook theme (light, rust, coal, navy, ayu):
//   - no console error and no uncaught exception,
//   - our stylesheet and script are on the page, and the --cg-* palette follows
//     the theme (a block's text colour is mdBook's --fg; data-theme, which the
//     code colours read, says dark in coal, navy and ayu),
//   - the flow diagram is there, and where it is an SVG it draws: mdBook 0.5
//     lowercases attribute names, so viewBox must still be read as one,
//   - the step table shows its rows and the sample it points at keeps its id
//     and coursegen's highlighting (mdBook's highlight.js must skip it); with
//     the step player on the page, Next twice makes row 2 current and marks
//     that row's code lines,
//   - a quiz shows its questions; with the quiz script on the page, checking
//     an answer gives a verdict, without it the answer opens.
// Prints every problem; exits 1 if there is any.
//
// With `--svg <page>`, checks instead that every diagram SVG on that page of
// the book draws (sizes, viewBox, marker and text attributes mdBook 0.5 wrote
// in lowercase are read in their SVG case).
//
// With `--print <tracing page>` (an mdbook-quiz book), checks instead that
// print.html, which holds every chapter, gives each question exactly one set
// of controls and no console error, and that on the page named, a Tracing
// question that does not compile is answered by ticking "It does not compile".
//
// usage: node tests/browser/mdbook.mjs <bookDir> [--svg <page> | --print <page>]

import { launch, serve, siteDirArg, watchdog } from './lib.mjs';

const USAGE = 'node tests/browser/mdbook.mjs <bookDir> [--svg <page> | --print <page>]';
const THEMES = ['light', 'rust', 'coal', 'navy', 'ayu'];
const LESSON = 'flask/secret-key.html';
const QUIZ_PAGE = 'flask/secret-key-quiz.html';

watchdog(5 * 60_000, 'mdbook');
const bookDir = await siteDirArg(USAGE);
const server = await serve(bookDir);
const browser = await launch();
const problems = [];

/** Opens `rel` with mdBook's theme set to `theme`; collects errors into `errors`. */
async function open(context, rel, theme, errors) {
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && errors.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.addInitScript((t) => localStorage.setItem('mdbook-theme', t), theme);
  await page.goto(server.url(rel), { waitUntil: 'load' });
  return page;
}

/** What the lesson page shows, measured in the page. */
function measureLesson() {
  const out = { theme: [...document.documentElement.classList] };
  out.style = !!document.querySelector('style.coursegen');
  const probe = (value) => {
    const el = document.createElement('span');
    el.style.color = value;
    document.querySelector('main').append(el);
    const c = getComputedStyle(el).color;
    el.remove();
    return c;
  };
  out.fg = probe('var(--fg)');
  out.cgFg = probe('var(--cg-fg)');
  const flow = document.querySelector('figure.cg-flow');
  out.flow = !!flow;
  const svg = flow?.querySelector('svg');
  if (svg) {
    const vb = svg.viewBox?.baseVal;
    const box = svg.getBoundingClientRect();
    const shapes = [...svg.querySelectorAll('rect, path, polygon, ellipse, circle, line')];
    out.svg = {
      viewBox: vb ? [vb.width, vb.height] : null,
      size: [box.width, box.height],
      drawnShapes: shapes.filter((s) => { const b = s.getBBox(); return b.width > 0 || b.height > 0; }).length,
      labels: [...svg.querySelectorAll('text')].map((t) => t.textContent.trim()).filter(Boolean).length,
    };
  }
  const steps = document.querySelector('figure.cg-steps');
  out.stepRows = steps ? [...steps.querySelectorAll('tbody tr[id]')].filter((r) => r.getBoundingClientRect().height > 0).length : 0;
  out.step2 = !!document.getElementById('step-2');
  const code = steps?.dataset.code;
  const sample = code ? document.getElementById(code) : null;
  out.sample = code ? !!sample : null;
  // highlight.js must leave coursegen's highlighting (and line spans) alone.
  const sampleCode = sample?.querySelector('code');
  out.sampleHighlight = sampleCode ? { ours: !!sampleCode.querySelector('[class*="hl-"]'), hljs: !!sampleCode.querySelector('[class*="hljs-"]') } : null;
  out.dataTheme = document.documentElement.getAttribute('data-theme');
  return out;
}

/** Every diagram SVG on the page, measured. */
function measureSvgs() {
  return [...document.querySelectorAll('figure.cg-flow svg')].map((svg) => {
    const vb = svg.viewBox.baseVal;
    const box = svg.getBoundingClientRect();
    const marker = svg.querySelector('marker');
    const text = svg.querySelector('text[textLength]');
    return {
      viewBox: vb ? [vb.width, vb.height] : null,
      size: [box.width, box.height],
      marker: marker ? [marker.markerWidth.baseVal.value, marker.refX.baseVal.value] : null,
      textLength: text ? text.textLength.baseVal.value : null,
      lowercase: [...svg.querySelectorAll('*')].concat(svg).flatMap((el) => [...el.attributes].map((a) => a.name)).filter((n) => ['viewbox', 'markerwidth', 'refx', 'textlength'].includes(n)),
    };
  });
}

/** Ends a one-page mode: prints its problems (exit 1) or `summary` (exit 0). */
async function finish(context, errors, summary) {
  problems.push(...errors);
  await context.close();
  await browser.close();
  await server.close();
  for (const p of problems) console.log(`PROBLEM ${p}`);
  if (problems.length) process.exit(1);
  console.log(summary);
  process.exit(0);
}

if (process.argv[3] === '--svg') {
  const context = await browser.newContext();
  const errors = [];
  const page = await open(context, process.argv[4], 'light', errors);
  const svgs = await page.evaluate(measureSvgs);
  if (svgs.length === 0) problems.push('no diagram SVG on the page');
  for (const m of svgs) {
    if (!m.viewBox || m.viewBox[0] <= 0) problems.push(`viewBox not read: ${JSON.stringify(m)}`);
    if (m.size[0] <= 0 || m.size[1] <= 0) problems.push(`not drawn: ${JSON.stringify(m)}`);
    if (m.marker && m.marker[0] <= 0) problems.push(`marker attributes not read: ${JSON.stringify(m)}`);
    if (m.textLength === 0) problems.push(`textLength not read: ${JSON.stringify(m)}`);
    if (m.lowercase.length) problems.push(`attributes left in lowercase: ${m.lowercase.join(', ')}`);
  }
  await finish(context, errors, `mdbook --svg: ${svgs.length} diagram(s) draw`);
}

if (process.argv[3] === '--print') {
  const context = await browser.newContext();
  // mdBook's own playground asks play.rust-lang.org for its crate list on any
  // page with Rust code; the tests run offline, so it gets an empty one.
  await context.route('https://play.rust-lang.org/**', (r) =>
    r.fulfill({ status: 200, contentType: 'application/json', body: '{"crates":[]}' }));
  const errors = [];
  const print = await open(context, 'print.html', 'light', errors);
  const sets = await print.evaluate(() =>
    [...document.querySelectorAll('li.cg-question')].map((li) => li.querySelectorAll('button.cg-check').length));
  if (sets.length === 0) problems.push('print.html has no question');
  const wrong = sets.filter((n) => n !== 1).length;
  if (wrong) problems.push(`${wrong} of ${sets.length} questions in print.html have other than one Check button: ${sets.join(',')}`);
  const page = await open(context, process.argv[4], 'light', errors);
  const tracing = page.locator('li.cg-question[data-kind="tracing"]').first();
  if ((await tracing.count()) === 0) {
    problems.push(`no Tracing question on ${process.argv[4]}`);
  } else {
    await tracing.locator('input.cg-no-compile').check();
    await tracing.getByRole('button', { name: 'Check', exact: true }).click();
    const verdict = ((await tracing.locator('.cg-verdict').textContent()) ?? '').trim();
    if (!/^correct/i.test(verdict)) problems.push(`"It does not compile" is not taken as right: ${JSON.stringify(verdict)}`);
  }
  await finish(context, errors, `mdbook --print: ${sets.length} questions, one set of controls each`);
}

/** The step player (when the theme ships js/steps.js): Next twice makes row 2
 * current and marks that row's code lines, which highlight.js must not have
 * rewritten away. */
async function checkPlayer(page, report) {
  const hasPlayer = await page.evaluate(() => [...document.querySelectorAll('script.coursegen')].some((s) => s.textContent.includes('/* coursegen: js/steps.js */')));
  if (!hasPlayer) return;
  const fig = page.locator('figure.cg-steps').first();
  const next = fig.getByRole('button', { name: 'Next' });
  if (!(await next.isVisible())) {
    report('the step player shows no Next button');
    return;
  }
  await next.click();
  await next.click();
  const state = await fig.evaluate((f) => {
    const rows = [...f.querySelectorAll('tbody tr[id]')];
    const current = rows.findIndex((r) => r.getAttribute('aria-current') === 'step') + 1;
    const row = rows[current - 1];
    const code = f.dataset.code ? document.getElementById(f.dataset.code) : null;
    return {
      current,
      wanted: row?.dataset.lines ?? null,
      // The player marks its own copy of the sample, beside the table.
      marked: code ? [...f.querySelectorAll('.cg-player-code .cg-line[aria-current="true"]')].map((l) => +l.dataset.line) : null,
    };
  });
  if (state.current !== 2) report(`Next, Next made row ${state.current} current, not 2`);
  if (state.wanted && state.marked !== null) {
    const [a, b] = state.wanted.split('-').map(Number);
    const want = Array.from({ length: b - a + 1 }, (_, i) => a + i);
    if (JSON.stringify(state.marked) !== JSON.stringify(want)) report(`step 2 marks code lines ${JSON.stringify(state.marked)}, not ${JSON.stringify(want)}`);
  }
}

for (const theme of THEMES) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  const report = (what) => problems.push(`${theme}: ${what}`);
  const page = await open(context, LESSON, theme, errors);
  const m = await page.evaluate(measureLesson);
  if (!m.theme.includes(theme)) report(`mdBook did not apply the theme (html class ${m.theme.join(' ')})`);
  if (!m.style) report('<style class="coursegen"> is not on the page');
  if (m.fg !== m.cgFg) report(`--cg-fg is ${m.cgFg}, not mdBook's --fg ${m.fg}`);
  if (!m.flow) report('no figure.cg-flow on the lesson page');
  if (m.svg) {
    if (!m.svg.viewBox || m.svg.viewBox[0] <= 0 || m.svg.viewBox[1] <= 0) report(`the diagram's viewBox is lost: ${JSON.stringify(m.svg)}`);
    if (m.svg.size[0] < 50 || m.svg.size[1] < 50) report(`the diagram is not drawn at a visible size: ${JSON.stringify(m.svg)}`);
    if (m.svg.drawnShapes === 0 || m.svg.labels === 0) report(`the diagram has no visible shapes or labels: ${JSON.stringify(m.svg)}`);
  } else if (m.flow) {
    console.log(`${theme}: note: the flow figure has no SVG (flow renderer not on this branch yet)`);
  }
  if (m.stepRows < 2 || !m.step2) report(`the step table shows ${m.stepRows} rows, step-2 ${m.step2 ? 'present' : 'missing'}`);
  if (m.sample === false) report('the code sample the steps block points at lost its id');
  if (m.sampleHighlight && (!m.sampleHighlight.ours || m.sampleHighlight.hljs)) report(`highlight.js re-highlighted coursegen's code sample: ${JSON.stringify(m.sampleHighlight)}`);
  const dark = ['coal', 'navy', 'ayu'].includes(theme);
  if (m.dataTheme !== (dark ? 'dark' : 'light')) report(`data-theme is ${m.dataTheme} in a ${dark ? 'dark' : 'light'} mdBook theme`);
  await checkPlayer(page, report);
  await page.close();

  const quizPage = await open(context, QUIZ_PAGE, theme, errors);
  const quiz = quizPage.locator('section.cg-quiz').first();
  if ((await quiz.count()) === 0) {
    report('no quiz on the quiz page');
  } else {
    const questions = await quiz.locator('li.cg-question').count();
    if (questions === 0) report('the quiz has no questions');
    const check = quiz.locator('li.cg-question[data-kind="choice"]').first().getByRole('button', { name: 'Check', exact: true });
    const answer = quiz.locator('li.cg-question details.cg-answer > summary').first();
    if ((await check.count()) > 0 && (await check.isVisible())) {
      // The quiz script is on: answering must give a verdict.
      const question = quiz.locator('li.cg-question[data-kind="choice"]').first();
      await question.locator('input').first().check();
      await check.click();
      const verdict = ((await question.locator('.cg-verdict').textContent()) ?? '').trim();
      if (!/correct/i.test(verdict)) report(`Check gave no verdict (${JSON.stringify(verdict)})`);
    } else if ((await answer.count()) > 0) {
      // No quiz script: the answer is revealed in <details>.
      await answer.click();
      const open = await answer.evaluate((s) => s.parentElement.open && s.parentElement.getBoundingClientRect().height > 20);
      if (!open) report('"Show answer" does not open');
    } else {
      report('the quiz has neither a Check button nor an answer to reveal');
    }
  }
  await quizPage.close();
  for (const e of errors) report(e);
  await context.close();
  console.log(`${theme}: checked`);
}

await browser.close();
await server.close();
if (problems.length) {
  for (const p of problems) console.log(`PROBLEM ${p}`);
  process.exit(1);
}
console.log(`mdbook: ${THEMES.length} themes, no problems`);
