//! remedy's typed errors and the one table that maps them to exit codes.

use std::path::PathBuf;

/// Exit code: success, nothing to report.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings exist (check), or fixes were applied with `--exit-non-zero-on-fix`.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: usage, configuration, I/O or git error.
pub const EXIT_ERROR: i32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum RemedyError {
    #[error("{0}")]
    Usage(String),
    #[error("unknown transform `{id}` (run `remedy list` to see them all)")]
    UnknownTransform { id: String },
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("refusing to modify files with uncommitted changes (commit or stash them, or pass --allow-dirty):\n{}", list(.files))]
    DirtyFiles { files: Vec<PathBuf> },
    #[error("{0}")]
    Git(String),
    #[error("some files could not be written")]
    WriteFailures,
}

fn list(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|f| format!("  {}", f.display()))
        .collect::<Vec<_>>()
        .join("\n")
}

impl RemedyError {
    /// The exit code each error ends the process with.
    pub fn exit_code(&self) -> i32 {
        match self {
            RemedyError::Usage(_)
            | RemedyError::UnknownTransform { .. }
            | RemedyError::Config { .. }
            | RemedyError::Io { .. }
            | RemedyError::DirtyFiles { .. }
            | RemedyError::Git(_)
            | RemedyError::WriteFailures => EXIT_ERROR,
        }
    }
}
