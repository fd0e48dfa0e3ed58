//! Writing fixed files safely: refuse read-only files, detect files that changed since they
//! were read, write to a temporary file beside the original, keep its permissions, rename.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit status of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

/// Set by the signal handler [`DeferInterrupts`] installs.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn note_interrupt(_signal: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// While alive, SIGINT (Ctrl-C) and SIGTERM only raise a flag, so the file being written is
/// finished (or its temp file removed) instead of the process dying mid-write and leaving a
/// `.remedy-*.tmp` behind; the caller checks [`DeferInterrupts::interrupted`] between files.
/// Dropping it restores the previous handlers.
pub struct DeferInterrupts {
    previous: [libc::sighandler_t; 2],
}

impl DeferInterrupts {
    pub fn install() -> Self {
        INTERRUPTED.store(false, Ordering::SeqCst);
        let handler = note_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        let previous = unsafe {
            [
                libc::signal(libc::SIGINT, handler),
                libc::signal(libc::SIGTERM, handler),
            ]
        };
        Self { previous }
    }

    pub fn interrupted(&self) -> bool {
        INTERRUPTED.load(Ordering::SeqCst)
    }
}

impl Drop for DeferInterrupts {
    fn drop(&mut self) {
        // SAFETY: restores the handlers that were installed before.
        unsafe {
            libc::signal(libc::SIGINT, self.previous[0]);
            libc::signal(libc::SIGTERM, self.previous[1]);
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: file is read-only; not modified")]
    ReadOnly { path: PathBuf },
    #[error("{path}: file changed on disk since remedy read it; not modified (run remedy again)")]
    ChangedSinceRead { path: PathBuf },
    #[error("{path}: could not write: {message}")]
    Io { path: PathBuf, message: String },
}

/// Atomically replaces `path` (whose content was `expected`) with `content`.
pub fn write_atomically(path: &Path, expected: &[u8], content: &[u8]) -> Result<(), WriteError> {
    let io = |e: std::io::Error| WriteError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    // Write through symlinks: renaming over the link itself would replace it with a copy.
    let resolved = std::fs::canonicalize(path).map_err(io)?;
    let path_for_errors = path;
    let path = resolved.as_path();
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.permissions().readonly() {
        return Err(WriteError::ReadOnly {
            path: path_for_errors.to_path_buf(),
        });
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".remedy-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    temp.write_all(content).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    std::fs::set_permissions(temp.path(), meta.permissions()).map_err(io)?;
    // Last check before the rename: the file must still hold what remedy read.
    let current = std::fs::read(path).map_err(io)?;
    if current != expected {
        return Err(WriteError::ChangedSinceRead {
            path: path_for_errors.to_path_buf(),
        });
    }
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.py");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o750)).unwrap();
        write_atomically(&p, b"old", b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o750
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left behind"
        );
    }

    #[test]
    fn refuses_changed_and_read_only_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.py");
        std::fs::write(&p, "changed").unwrap();
        assert!(matches!(
            write_atomically(&p, b"old", b"new"),
            Err(WriteError::ChangedSinceRead { .. })
        ));
        assert_eq!(std::fs::read(&p).unwrap(), b"changed");
        let mut perms = std::fs::metadata(&p).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&p, perms).unwrap();
        assert!(matches!(
            write_atomically(&p, b"changed", b"new"),
            Err(WriteError::ReadOnly { .. })
        ));
    }
}
