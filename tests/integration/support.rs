//! What every integration test module needs: temp folders, the repository root,
//! running the real `coursegen` binary, and writing a course from a file list.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

/// The repository root: the crate, and the example course it builds.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh directory under the system temp dir, removed on drop unless the test is
/// failing (then kept, and its path printed, to look at).
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `coursegen-<label>-<pid>-<nanos>` under `std::env::temp_dir()`.
    pub fn new(label: &str) -> Self {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let name = format!("coursegen-{label}-{}-{nanos}", std::process::id());
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir(&path).unwrap_or_else(|err| panic!("cannot create {}: {err}", path.display()));
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept for inspection: {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Runs the `coursegen` binary with `args` in `cwd`.
pub fn coursegen(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coursegen")).args(args).current_dir(cwd).output().expect("cannot run the coursegen binary")
}

/// Runs `coursegen <args>` in `cwd`, killed and the test failed after a
/// minute: for cases whose point is that coursegen ends at all. Stderr goes
/// through a file, since a pipe nobody reads stops a run that warns a lot.
pub fn coursegen_bounded(cwd: &Path, args: &[&str]) -> Output {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let log = std::env::temp_dir().join(format!("coursegen-stderr-{}-{nanos}", std::process::id()));
    let mut child = Command::new(env!("CARGO_BIN_EXE_coursegen"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("a file for stderr"))
        .spawn()
        .expect("cannot run the coursegen binary");
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for coursegen") {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("coursegen {args:?} did not finish within a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let stderr = std::fs::read(&log).expect("read stderr");
    let _ = std::fs::remove_file(&log);
    Output { status, stdout: Vec::new(), stderr }
}

/// Runs `coursegen mdbook <args>` as mdBook does, with `stdin` as its input.
pub fn preprocess(stdin: &[u8], args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_coursegen"))
        .arg("mdbook")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run coursegen");
    let mut input = child.stdin.take().expect("stdin");
    // A preprocessor may answer before reading all of it (`supports`).
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().expect("coursegen runs")
}

/// Writes `(relative path, bytes)` files under `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &[u8])]) {
    for (rel, bytes) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, bytes).expect("write file");
    }
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A course written into a fresh temp folder, for a test to build and read
/// (after mdBook's `BookTest`): `book.toml` with `src = "content"`, and the
/// files the test adds.
///
/// ```ignore
/// let course = Course::new("label").lesson("a.md", "# A\n");
/// let run = course.build();
/// assert!(run.ok(), "{}", run.stderr());
/// assert!(course.read("book/a.html").contains("<h1"));
/// ```
pub struct Course {
    dir: TempDir,
    /// SUMMARY.md entries added by [`Course::lesson`], in order.
    lessons: Vec<String>,
}

impl Course {
    /// A course titled after `label`, with no pages yet.
    pub fn new(label: &str) -> Self {
        let dir = TempDir::new(label);
        write_files(dir.path(), &[("book.toml", format!("[book]\ntitle = \"{label}\"\nsrc = \"content\"\n").as_bytes())]);
        Course { dir, lessons: Vec::new() }
    }

    /// Sets the course's title in book.toml.
    pub fn title(self, title: &str) -> Self {
        let toml = format!("[book]\ntitle = \"{title}\"\nsrc = \"content\"\n");
        self.file("book.toml", toml.as_bytes())
    }

    /// Adds a page at `content/<rel>` and lists it in SUMMARY.md.
    pub fn lesson(mut self, rel: &str, text: &str) -> Self {
        self.lessons.push(format!("- [{}]({rel})\n", rel.trim_end_matches(".md")));
        let summary = self.lessons.concat();
        self.file(&format!("content/{rel}"), text.as_bytes()).file("content/SUMMARY.md", summary.as_bytes())
    }

    /// Writes (or replaces) a file at `rel`, relative to the course folder.
    pub fn file(self, rel: &str, bytes: &[u8]) -> Self {
        write_files(self.dir.path(), &[(rel, bytes)]);
        self
    }

    /// The course folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `coursegen <args>` in the course folder.
    pub fn run(&self, args: &[&str]) -> Run {
        Run(coursegen(self.path(), args))
    }

    /// Runs `coursegen build` in the course folder.
    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// The text of a file under the course folder (`book/a.html` after a build).
    pub fn read(&self, rel: &str) -> String {
        let path = self.path().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

/// What a run of `coursegen` gave.
pub struct Run(pub Output);

impl Run {
    /// Whether it exited 0.
    pub fn ok(&self) -> bool {
        self.0.status.success()
    }

    /// Its exit code (`None`: killed by a signal).
    pub fn code(&self) -> Option<i32> {
        self.0.status.code()
    }

    /// What it printed to stderr.
    pub fn stderr(&self) -> String {
        stderr(&self.0)
    }

    /// Its `error:` lines, without the closing summary.
    pub fn errors(&self) -> Vec<String> {
        self.stderr().lines().filter(|l| l.contains(": error: ") && !l.starts_with("coursegen:")).map(str::to_string).collect()
    }
}

/// Whether `probe` succeeds, for tests that need a privilege this machine may
/// not grant (user namespaces for `unshare`). When it fails, the tests
/// `what` skip with a banner printed once per `banner` and naming `needs`,
/// or fail when `COURSEGEN_BROWSER_TESTS=require` (CI) says they must run.
pub fn can_run(probe: &mut Command, what: &str, needs: &str, banner: &std::sync::Once) -> bool {
    let why = match probe.output() {
        Ok(out) if out.status.success() => return true,
        Ok(out) => format!("`{needs}` failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr).trim()),
        Err(e) => format!("cannot run {needs}: {e}"),
    };
    assert!(
        std::env::var("COURSEGEN_BROWSER_TESTS").as_deref() != Ok("require"),
        "COURSEGEN_BROWSER_TESTS=require, but the {what} tests cannot run: {why}"
    );
    banner.call_once(|| {
        // Straight to stderr: the harness captures eprintln! of a passing test.
        let line = "!".repeat(72);
        let _ = writeln!(
            std::io::stderr(),
            "\n{line}\n!! {} TESTS SKIPPED: {why}\n\
             !! They pass here without having run. They need `{needs}` (util-linux)\n\
             !! and user namespaces. Set COURSEGEN_BROWSER_TESTS=require to make this a failure.\n{line}\n",
            what.to_uppercase()
        );
    });
    false
}
