// One Node process and one Chromium for every browser check of a test run
// (issue 16: each script starting its own Chromium was most of the suite's
// time). tests/integration/node.rs starts this once per test binary and sends
// it jobs; each job runs one of the check scripts exactly as
// `node tests/browser/<script> <args…>` would, and gets back its exit code and
// everything it printed.
//
// Protocol, one JSON object a line:
//   stdin:  {"id": 1, "script": "smoke.mjs", "args": ["/tmp/site"]}
//   stdout: {"id": 1, "code": 0, "output": "…"}
// Jobs run one at a time: a script sees process.argv, console, process.exit
// and its watchdog as if it had the process to itself. What it opened in the
// shared browser (contexts, pages) and the servers it started are closed when
// it ends, even when it ended through process.exit in a callback.
// The process exits when stdin closes (the test binary is done).

import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { HERE, launchOwn, runnerHooks } from './lib.mjs';

/** Thrown by the stand-in process.exit, to end a job where it stands. */
class Exit {
  constructor(code) {
    this.code = code;
  }
}

const realExit = process.exit.bind(process);
const realWrite = process.stdout.write.bind(process.stdout);
const realErrWrite = process.stderr.write.bind(process.stderr);
const browser = await launchOwn();

/** The job being run: its output and what must be closed after it. */
let current = null;

const capture = (chunk) => {
  if (current) current.output.push(String(chunk));
  return true;
};

process.exit = (code = 0) => {
  if (!current) realExit(code);
  current.finish(code);
  throw new Exit(code);
};

// A process.exit from a timer or an event handler (a watchdog, a failed
// step) surfaces here: the job has ended already.
process.on('uncaughtException', (err) => {
  if (err instanceof Exit) return;
  if (current) {
    current.output.push(`uncaught exception: ${err?.stack ?? err}\n`);
    current.finish(1);
  } else {
    realErrWrite(`runner: ${err?.stack ?? err}\n`);
  }
});
process.on('unhandledRejection', (err) => {
  if (err instanceof Exit) return;
  if (current) {
    current.output.push(`unhandled rejection: ${err?.stack ?? err}\n`);
    current.finish(1);
  }
});

/** Runs one job to its end; resolves to { code, output }. */
async function run(job) {
  const output = [];
  const closers = [];
  const timers = [];
  let settle;
  const done = new Promise((resolve) => (settle = resolve));
  let finished = false;
  current = {
    output,
    finish(code) {
      if (!finished) {
        finished = true;
        settle(code);
      }
    },
  };
  runnerHooks.browser = () => browser;
  runnerHooks.onContext = (ctx) => closers.push(() => ctx.close());
  runnerHooks.onServer = (server) => closers.push(() => server.close());
  runnerHooks.onTimer = (t) => timers.push(t);
  process.argv = [process.argv[0], path.join(HERE, job.script), ...job.args];
  process.stdout.write = capture;
  process.stderr.write = capture;
  // A query makes each import a fresh module, so its top level runs again.
  const url = `${pathToFileURL(path.join(HERE, job.script)).href}?job=${job.id}`;
  import(url).then(
    () => current?.finish(0),
    (err) => {
      if (err instanceof Exit) return;
      output.push(`${err?.stack ?? err}\n`);
      current?.finish(1);
    },
  );
  const code = await done;
  for (const t of timers) clearTimeout(t);
  for (const close of closers.reverse()) await Promise.resolve().then(close).catch(() => {});
  process.stdout.write = realWrite;
  process.stderr.write = realErrWrite;
  current = null;
  return { code, output: output.join('') };
}

const queue = [];
let busy = false;

async function drain() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const job = queue.shift();
    let reply;
    try {
      reply = { id: job.id, ...(await run(job)) };
    } catch (err) {
      reply = { id: job.id, code: 1, output: `runner: ${err?.stack ?? err}\n` };
    }
    realWrite(JSON.stringify(reply) + '\n');
  }
  busy = false;
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  queue.push(JSON.parse(line));
  drain();
});
lines.on('close', async () => {
  while (busy || queue.length) await new Promise((r) => setTimeout(r, 50));
  await browser.close().catch(() => {});
  realExit(0);
});
