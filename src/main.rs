//! The `coursegen` command line: parses arguments and calls one library function
//! per subcommand. Everything it prints goes to stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

// Highlighting allocates on nearly every token (issue 8: see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns Markdown lessons and quizzes into a static HTML course.
#[derive(Parser)]
#[command(name = "coursegen", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the course into a folder of static HTML.
    Build {
        /// The course folder (with book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder, relative to the course folder [default: `[build] build-dir`, else `book`].
        #[arg(short = 'd', long = "dest-dir", value_name = "OUT")]
        dest_dir: Option<PathBuf>,
    },
    /// Check links, anchors, images and quiz explanations without writing anything.
    Check {
        /// The course folder (with book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also check `http(s)://` links by asking their servers (needs a network).
        #[arg(long)]
        external: bool,
    },
    /// Build the course in memory, serve it on this machine and rebuild when a file changes.
    Serve {
        /// The course folder (with book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on; 0 picks a free one.
        #[arg(short = 'p', long, default_value_t = 3000)]
        port: u16,
        /// Address to listen on; anything but loopback makes the course reachable from other machines.
        #[arg(short = 'n', long, default_value = "127.0.0.1")]
        hostname: String,
        /// Open the course in a browser.
        #[arg(short = 'o', long)]
        open: bool,
        /// Quiet time in milliseconds before changes trigger a rebuild (0: rebuild
        /// at the first change; changes during a rebuild go into the next one).
        #[arg(long, default_value_t = 0, hide = true)]
        debounce_ms: u64,
        /// Watch by polling instead of inotify.
        #[arg(long, hide = true)]
        poll: bool,
        /// Stop after this many seconds (tests and benchmarks).
        #[arg(long, hide = true, value_name = "SECS")]
        stop_after: Option<u64>,
    },
    /// Create a small working course that uses every block kind.
    Init {
        /// Where to create it: a new or empty folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Use a folder that already has files: add only the missing ones, overwriting nothing.
        #[arg(long)]
        force: bool,
    },
    /// Run as an mdBook preprocessor: reads `[context, book]` JSON on stdin and
    /// writes the book to stdout. Set up with `[preprocessor.coursegen]` and
    /// `command = "coursegen mdbook"` in book.toml.
    Mdbook {
        #[command(subcommand)]
        command: Option<MdbookCommand>,
    },
}

#[derive(Subcommand)]
enum MdbookCommand {
    /// Exit 0 when the output suits mdBook's `renderer` (only `html`), 1 otherwise.
    Supports {
        /// The renderer's name, as mdBook passes it.
        renderer: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Not locked for the whole run: a worker thread that writes to stderr (a
    // panic message) would wait for the lock forever, and the build would
    // hang instead of failing.
    let mut stderr = std::io::stderr();
    let result = match &cli.command {
        Command::Build { dir, dest_dir } => coursegen::cmd::build(dir, dest_dir.as_deref(), &mut stderr).map(|_| ()),
        Command::Check { dir, external } => {
            let links = if *external { coursegen::cmd::Links::External } else { coursegen::cmd::Links::Internal };
            coursegen::cmd::check(dir, links, &mut stderr).map(|_| ())
        }
        Command::Init { dir, force } => coursegen::cmd::init(dir, *force, &mut stderr),
        Command::Mdbook { command: Some(MdbookCommand::Supports { renderer }) } => {
            return if coursegen::cmd::mdbook::supports(renderer) { ExitCode::SUCCESS } else { ExitCode::FAILURE };
        }
        Command::Mdbook { command: None } => {
            // Stdout is mdBook's protocol: only the book may be written there.
            let result = coursegen::cmd::mdbook::run(&mut std::io::stdin().lock(), &mut std::io::stdout().lock(), &mut stderr);
            return match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("coursegen: error: {e}");
                    ExitCode::FAILURE
                }
            };
        }
        Command::Serve { dir, port, hostname, open, debounce_ms, poll, stop_after } => {
            coursegen::cmd::serve::serve(&coursegen::cmd::serve::Options {
                root: dir.clone(),
                port: *port,
                hostname: hostname.clone(),
                open: *open,
                debounce: std::time::Duration::from_millis(*debounce_ms),
                poll: *poll,
                stop_after: stop_after.map(std::time::Duration::from_secs),
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("coursegen: error: {e}");
            ExitCode::FAILURE
        }
    }
}
