// Smoke check of a built site in headless Chromium. For every .html page,
// served on 127.0.0.1:
//   - no console error and no uncaught exception,
//   - no failed request and no HTTP error response,
//   - no request to any host but the local server (such requests are aborted),
//   - every same-site link and asset the page references answers HTTP 200,
//     and every #fragment of a same-site link names an id on its target page.
// Then the first page and the deepest page are opened from file:// and must
// have their stylesheets loaded and applied, with no console error.
// Prints every problem; exits 1 if there is any.
//
// usage: node tests/browser/smoke.mjs <siteDir>

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allPages, launch, serve, siteDirArg, watchdog } from './lib.mjs';

const USAGE = 'node tests/browser/smoke.mjs <siteDir>';

watchdog(10 * 60_000, 'smoke');
const siteDir = await siteDirArg(USAGE);
const pages = await allPages(siteDir);
if (pages.length === 0) {
  console.error(`smoke: no .html pages under ${siteDir}`);
  process.exit(1);
}

const started = Date.now();
const problems = []; // { where, what, url }: url when a request is at fault
const problem = (where, what, url = null) => problems.push({ where, what, url });

/** Every URL the current document references (links, styles, scripts, media),
 * resolved against its base URL, and every id (and a[name]) it defines. */
function collectInPage() {
  const urls = [];
  const add = (el, attr, value) => {
    const raw = (value ?? el.getAttribute(attr) ?? '').trim();
    if (raw === '') return;
    try {
      urls.push({ tag: el.localName, attr, raw, url: new URL(raw, document.baseURI).href });
    } catch {
      urls.push({ tag: el.localName, attr, raw, url: null });
    }
  };
  const srcset = (el) => {
    for (const part of (el.getAttribute('srcset') ?? '').split(',')) {
      const candidate = part.trim().split(/\s+/)[0];
      if (candidate) add(el, 'srcset', candidate);
    }
  };
  document.querySelectorAll('a[href], area[href], link[href]').forEach((el) => add(el, 'href'));
  document.querySelectorAll('[src]').forEach((el) => add(el, 'src'));
  document.querySelectorAll('[srcset]').forEach(srcset);
  document.querySelectorAll('object[data]').forEach((el) => add(el, 'data'));
  document.querySelectorAll('video[poster]').forEach((el) => add(el, 'poster'));
  document.querySelectorAll('form[action]').forEach((el) => add(el, 'action'));
  document.querySelectorAll('use').forEach((el) => {
    const v = el.getAttribute('href') ?? el.getAttribute('xlink:href');
    if (v) add(el, 'href', v);
  });
  const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
  const names = [...document.querySelectorAll('a[name]')].map((el) => el.getAttribute('name'));
  return { urls, ids: [...ids, ...names] };
}

/** Records console errors, uncaught exceptions, failed requests and HTTP
 * errors of `page` into problems, labelled by `label()`. `isLocal(url)` says
 * which requests are allowed; others are recorded and aborted. */
async function watch(page, label, isLocal) {
  const offsite = new Set();
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    offsite.add(url);
    problem(label(), `request to another host: ${url}`, url);
    return route.abort('blockedbyclient');
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      const at = loc?.url ? ` (at ${loc.url}:${loc.lineNumber})` : '';
      const failedLoad = msg.text().startsWith('Failed to load resource') ? loc?.url : null;
      problem(label(), `console error: ${msg.text()}${at}`, failedLoad ? `console:${failedLoad}` : null);
    }
  });
  page.on('pageerror', (err) => problem(label(), `uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (!offsite.has(req.url())) problem(label(), `request failed: ${req.url()} (${req.failure()?.errorText})`, req.url());
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problem(label(), `HTTP ${res.status()} for ${res.url()}`, res.url());
  });
}

const site = await serve(siteDir);
const browser = await launch();
try {
  // 1. Every page over HTTP.
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  let current = '(none)';
  const isServed = (url) => url.startsWith(site.origin + '/') || /^(data|blob|about):/.test(url);
  await watch(page, () => current, isServed);

  const referenced = new Map(); // URL without hash -> first page that references it
  const fragments = []; // { from, url, page: target path, id }
  const idsByPath = new Map(); // "/flask/secret-key.html" -> Set of ids
  for (const rel of pages) {
    current = rel;
    const response = await page.goto(site.url(rel), { waitUntil: 'load' });
    if (!response?.ok()) problem(rel, `HTTP ${response?.status()} for the page itself`);
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
    const { urls, ids } = await page.evaluate(collectInPage);
    idsByPath.set(new URL(page.url()).pathname, new Set(ids));
    for (const { tag, attr, raw, url } of urls) {
      if (url === null) {
        problem(rel, `<${tag} ${attr}="${raw}"> is not a valid URL`);
        continue;
      }
      const u = new URL(url);
      if (u.origin !== site.origin) continue; // other hosts are links, not requests: not checked
      const hash = decodeURIComponent(u.hash.slice(1));
      u.hash = '';
      if (!referenced.has(u.href)) referenced.set(u.href, `${rel} (<${tag} ${attr}="${raw}">)`);
      if (hash && hash !== 'top') fragments.push({ from: `${rel} (<${tag} ${attr}="${raw}">)`, url: u.href, id: hash });
    }
  }
  await context.close();

  // 2. Every same-site URL any page references answers 200 (redirects
  //    followed: a directory link ends at its index.html).
  const finalPath = new Map(); // referenced URL -> pathname it ended at
  for (const [url, from] of referenced) {
    try {
      const res = await fetch(url, { redirect: 'follow' });
      await res.arrayBuffer();
      if (res.status !== 200) problem(from, `link or asset ${url} answers HTTP ${res.status}`);
      else {
        const p = new URL(res.url).pathname;
        finalPath.set(url, p.endsWith('/') ? p + 'index.html' : p);
      }
    } catch (err) {
      problem(from, `link or asset ${url} cannot be fetched: ${err.message}`);
    }
  }

  // 3. Every #fragment names an id on the page it links to.
  for (const { from, url, id } of fragments) {
    const target = finalPath.get(url);
    const ids = target && idsByPath.get(target);
    if (ids && !ids.has(id)) problem(from, `no element with id "${id}" on ${target}`);
  }

  // 4. Opened from file://: stylesheets load and apply, no console errors.
  const depth = (rel) => rel.split('/').length;
  const deepest = [...pages].sort((a, b) => depth(b) - depth(a) || a.localeCompare(b))[0];
  const filePages = [...new Set([pages.includes('index.html') ? 'index.html' : pages[0], deepest])];
  const fileContext = await browser.newContext();
  const filePage = await fileContext.newPage();
  filePage.setDefaultTimeout(30_000);
  let fileCurrent = '';
  await watch(filePage, () => fileCurrent, (url) => /^(file|data|blob|about):/.test(url));
  await filePage.setContent('<!doctype html><html><head><title>x</title></head><body><p>x</p></body></html>');
  const bodyStyle = () => {
    const s = getComputedStyle(document.body);
    const props = ['background-color', 'color', 'font-family', 'margin-top', 'margin-left', 'max-width', 'line-height', 'font-size'];
    return Object.fromEntries(props.map((p) => [p, s.getPropertyValue(p)]));
  };
  const uaDefault = await filePage.evaluate(bodyStyle);
  for (const rel of filePages) {
    fileCurrent = `file://${rel}`;
    await filePage.goto(pathToFileURL(path.join(siteDir, ...rel.split('/'))).href, { waitUntil: 'load' });
    const state = await filePage.evaluate(() => ({
      sheets: [...document.querySelectorAll('link[rel~="stylesheet"]')].map((l) => ({ href: l.href, loaded: l.sheet !== null })),
      styles: document.querySelectorAll('style').length,
      cgBg: getComputedStyle(document.documentElement).getPropertyValue('--cg-bg').trim(),
    }));
    const style = await filePage.evaluate(bodyStyle);
    if (state.sheets.length === 0 && state.styles === 0) problem(fileCurrent, 'page has no stylesheet');
    for (const s of state.sheets) if (!s.loaded) problem(fileCurrent, `stylesheet did not load from file://: ${s.href}`);
    const differs = Object.keys(style).some((k) => style[k] !== uaDefault[k]);
    if (!differs && !state.cgBg) {
      problem(fileCurrent, `stylesheet not applied: body keeps the browser defaults ${JSON.stringify(style)} and --cg-bg is unset`);
    }
  }
  await fileContext.close();

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `smoke: ${pages.length} pages over http, ${referenced.size} same-site URLs, ${fragments.length} fragment links, ` +
      `${filePages.length} pages over file:// (${filePages.join(', ')}) in ${seconds} s`,
  );
} finally {
  await browser.close();
  await site.close();
}

// Chromium also logs "Failed to load resource" for a request already
// reported above: print those only when nothing else names the URL.
const reported = new Set(problems.filter((p) => p.url && !p.url.startsWith('console:')).map((p) => `${p.where} ${p.url}`));
const shown = problems.filter((p) => !(p.url?.startsWith('console:') && reported.has(`${p.where} ${p.url.slice(8)}`)));
for (const p of shown) console.log(`PROBLEM ${p.where}: ${p.what}`);
if (shown.length > 0) {
  console.log(`smoke: ${pages.length} pages, ${shown.length} problems`);
  process.exit(1);
}
console.log(`smoke: ${pages.length} pages, 0 problems`);
