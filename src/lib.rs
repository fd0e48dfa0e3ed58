//! remedy: repairs security findings in Python web backends with minimal, byte-exact edits.
//!
//! The library holds everything; `main.rs` only calls [`run_with_args`], which CLI tests
//! call in-process with captured output.

pub mod ast_util;
pub mod bindings;
pub mod branch;
pub mod cli;
pub mod config;
pub mod context;
pub mod edit;
pub mod engine;
pub mod error;
pub mod finding;
pub mod gitstate;
pub mod imports;
pub mod plan;
pub mod report;
pub mod run;
pub mod source;
pub mod suppression;
pub mod transforms;
pub mod walk;
pub mod write;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::Parser;

pub use error::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, RemedyError};

/// Where a run reads and writes: its working directory, output streams, and whether those
/// are terminals (for colour and progress).
pub struct Io<'a> {
    pub cwd: PathBuf,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
}

/// Runs remedy with `args` (including the program name) and returns the exit code.
pub fn run_with_args<I, T>(args: I, io: &mut Io) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let text = if io.stderr_is_terminal {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            if e.use_stderr() {
                let _ = io.stderr.write_all(text.as_bytes());
            } else {
                let _ = io.stdout.write_all(text.as_bytes());
            }
            return code;
        }
    };
    match run::run(cli, io) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(io.stderr, "error: {e}");
            e.exit_code()
        }
    }
}
