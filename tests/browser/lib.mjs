// Shared helpers for the browser checks: a static file server bound to
// 127.0.0.1, a Chromium launcher with the flags CI requires, page listing and
// small utilities, and the hooks through which runner.mjs shares one Chromium
// between the checks. Used by every check script.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** Directory of this file (tests/browser). */
export const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Chromium from Debian's `chromium` package; COURSEGEN_CHROMIUM overrides it. */
export const CHROMIUM = process.env.COURSEGEN_CHROMIUM || '/usr/bin/chromium';

/** Flags every Chromium run uses: headless, no sandbox (root in CI), no
 * background traffic to any host. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/** Content types by file extension; anything else is application/octet-stream. */
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** Content type for a file name. */
export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/**
 * Resolves a URL path to a file under `root` (already a real path).
 * Returns { file }, { redirect } (a directory asked for without its trailing
 * slash) or null (not found, or outside root).
 */
async function resolveUnder(root, urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  let file = path.resolve(root, '.' + rel);
  let info;
  try {
    file = await realpath(file);
    info = await stat(file);
  } catch {
    return null;
  }
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  if (info.isDirectory()) {
    if (!urlPath.endsWith('/')) return { redirect: urlPath + '/' };
    return resolveUnder(root, urlPath + 'index.html');
  }
  return info.isFile() ? { file } : null;
}

/**
 * Serves `siteDir` on 127.0.0.1 on an ephemeral port. Only files under the
 * directory are served; a directory serves its index.html; anything else is
 * 404. Resolves to { origin, url(rel), close() }.
 */
export async function serve(siteDir) {
  const root = await realpath(siteDir);
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    const found = await resolveUnder(root, pathname);
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 Not Found\n');
      return;
    }
    if (found.redirect) {
      res.writeHead(301, { Location: found.redirect }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': contentType(found.file), 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  runnerHooks.onServer?.({
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return {
    origin,
    /** URL of a site-relative path such as "flask/secret-key.html". */
    url: (rel) => `${origin}/${rel.split('/').map(encodeURIComponent).join('/')}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Set by runner.mjs when the checks run as jobs of one process (issue 16):
 * `browser()` gives the shared Chromium, and the `on…` hooks collect what a
 * job opened, to close it when the job ends. Empty when a script runs alone.
 */
export const runnerHooks = {};

/** Launches headless Chromium: the one the runner shares, when a script runs
 * as one of its jobs, else a browser of the script's own. */
export async function launch() {
  if (!runnerHooks.browser) return launchOwn();
  const shared = runnerHooks.browser();
  const context = async (options) => {
    const ctx = await shared.newContext(options);
    runnerHooks.onContext(ctx);
    return ctx;
  };
  // The script's own view of the browser: what it opens is its own and is
  // closed after it; closing "the browser" leaves the shared one running.
  return {
    newContext: context,
    newPage: async (options) => (await context(options)).newPage(),
    close: async () => {},
    version: () => shared.version(),
  };
}

/** Launches a Chromium of this process's own. Playwright gives it a fresh
 * temporary user-data-dir and deletes it on close. */
export async function launchOwn() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** Every .html file under `siteDir`, as sorted site-relative paths with "/". */
export async function allPages(siteDir) {
  const entries = await readdir(siteDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.html'))
    .map((e) => path.relative(siteDir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
    .sort();
}

/**
 * Checks that argv names an existing directory (the site) and returns its
 * absolute path; prints usage and exits 2 otherwise.
 */
export async function siteDirArg(usage) {
  const dir = process.argv[2];
  if (!dir) fail(2, `usage: ${usage}`);
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) fail(2, `${path.basename(process.argv[1])}: not a directory: ${dir}\nusage: ${usage}`);
  return path.resolve(dir);
}

/** Prints a message to stderr and exits with `code`. */
export function fail(code, message) {
  console.error(message);
  process.exit(code);
}

/** Kills the process (exit 1) if it is still running after `ms`, so a hung
 * browser cannot stall CI. */
export function watchdog(ms, name) {
  const timer = setTimeout(() => fail(1, `${name}: timed out after ${Math.round(ms / 1000)} s`), ms).unref();
  runnerHooks.onTimer?.(timer);
}

/** Waits until web fonts are loaded and two frames have been painted. */
export async function settle(page) {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

/** Shortens an HTML snippet for printing. */
export function snippet(html, max = 240) {
  const s = String(html ?? '').replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/**
 * A run of named checks for a browser script. `expect(ok, what)` records a
 * failure unless `ok`; `group(name, fn)` runs a group of checks, an exception
 * failing that group rather than the run (set env `verbose` to list groups);
 * `report(name)` prints the failures and the count, and exits 1 on any failure.
 */
export function checkRun(verbose) {
  const failures = [];
  let count = 0;
  return {
    failures,
    expect(ok, what) {
      count++;
      if (!ok) failures.push(what);
    },
    async group(name, fn) {
      if (process.env[verbose]) console.log(`-- ${name}`);
      try {
        await fn();
      } catch (err) {
        failures.push(`${name}: ${err.message.split('\n')[0]}`);
      }
    },
    report(name) {
      for (const f of failures) console.log(`FAIL ${f}`);
      console.log(`${name}: ${count} checks, ${failures.length} failed`);
      process.exit(failures.length ? 1 : 0);
    },
  };
}
