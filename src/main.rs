//! The `coursegen` command line: parses arguments and calls one library function
//! per subcommand. Everything it prints goes to stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    },
    /// Create a small working course that uses every block kind.
    Init {
        /// Where to create it.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut stderr = std::io::stderr().lock();
    let result = match &cli.command {
        Command::Build { dir, dest_dir } => coursegen::cmd::build(dir, dest_dir.as_deref(), &mut stderr).map(|_| ()),
        Command::Check { dir } => coursegen::cmd::check(dir, &mut stderr).map(|_| ()),
        Command::Init { dir } => coursegen::cmd::init(dir, &mut stderr),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("coursegen: error: {e}");
            ExitCode::FAILURE
        }
    }
}
