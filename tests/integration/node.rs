//! The browser checks' one Node process (`tests/browser/runner.mjs`) and its
//! one Chromium, shared by every browser test of this binary (issue 16: a
//! Node and a Chromium per check was most of the suite's time).
//!
//! [`run`] hands the runner a script and its arguments, as
//! `node tests/browser/<script> <args…>` would take them, and waits for its
//! exit code and output. The runner starts on first use and ends when this
//! binary exits (its stdin closes).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{ChildStdin, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::repo_root;

/// How long one job may take, queue included, before the test gives up: the
/// scripts' own watchdogs are at most 10 minutes.
const JOB_LIMIT: Duration = Duration::from_secs(20 * 60);

/// The running runner: where jobs are written, and who waits for which reply.
struct Runner {
    /// The runner's stdin, and the last job id given.
    stdin: Mutex<(ChildStdin, u64)>,
    /// Shared with the thread reading replies, for the whole run.
    waiting: &'static Waiting,
}

/// Job id → the test waiting for its exit code and output.
type Waiting = Mutex<HashMap<u64, Sender<(i32, String)>>>;

static RUNNER: OnceLock<Result<Runner, String>> = OnceLock::new();

/// Runs `tests/browser/<script>` with `args` in the shared runner: its exit
/// code as the status, everything it printed as stdout.
pub fn run(script: &str, args: &[&Path]) -> Output {
    let runner = match RUNNER.get_or_init(start) {
        Ok(r) => r,
        Err(why) => panic!("the browser runner could not start: {why}"),
    };
    let (tx, rx) = channel();
    {
        let mut stdin = runner.stdin.lock().unwrap_or_else(|p| p.into_inner());
        stdin.1 += 1;
        let id = stdin.1;
        runner.waiting.lock().unwrap_or_else(|p| p.into_inner()).insert(id, tx);
        let args: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
        let line = json!({ "id": id, "script": script, "args": args }).to_string();
        writeln!(stdin.0, "{line}").and_then(|()| stdin.0.flush()).expect("write a job to the browser runner");
    }
    let (code, output) = rx.recv_timeout(JOB_LIMIT).unwrap_or_else(|e| panic!("{script}: no answer from the browser runner: {e}"));
    Output { status: ExitStatus::from_raw(code << 8), stdout: output.into_bytes(), stderr: Vec::new() }
}

/// Starts `node tests/browser/runner.mjs` and a thread that hands each reply
/// to the test waiting for it.
fn start() -> Result<Runner, String> {
    let script = repo_root().join("tests/browser/runner.mjs");
    let mut child = Command::new("node")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("node {}: {e}", script.display()))?;
    let stdin = child.stdin.take().ok_or("no stdin")?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    // The runner lives in a static for the whole run, and so does this map.
    let waiting: &'static Waiting = Box::leak(Box::default());
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let Ok(reply) = serde_json::from_str::<Value>(&line) else { continue };
            let (Some(id), Some(code)) = (reply["id"].as_u64(), reply["code"].as_i64()) else { continue };
            let output = reply["output"].as_str().unwrap_or_default().to_string();
            deliver(waiting, id, code as i32, output);
        }
        // The runner died: nobody will answer the jobs still waiting.
        let pending: Vec<u64> = waiting.lock().unwrap_or_else(|p| p.into_inner()).keys().copied().collect();
        for id in pending {
            deliver(waiting, id, 1, "the browser runner exited".into());
        }
    });
    Ok(Runner { stdin: Mutex::new((stdin, 0)), waiting })
}

fn deliver(waiting: &Waiting, id: u64, code: i32, output: String) {
    if let Some(tx) = waiting.lock().unwrap_or_else(|p| p.into_inner()).remove(&id) {
        let _ = tx.send((code, output));
    }
}
