//! Asking git which files have uncommitted changes (cargo fix's dirty-tree rule).

use std::path::{Path, PathBuf};

/// Files among `paths` that git considers modified, staged or untracked. Empty when `cwd`
/// is not inside a git work tree (nothing to protect against).
pub fn dirty_files(cwd: &Path, paths: &[PathBuf]) -> Vec<PathBuf> {
    let Ok(repo) = git2::Repository::discover(cwd) else {
        return Vec::new();
    };
    let Some(workdir) = repo.workdir() else {
        return Vec::new();
    };
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    paths
        .iter()
        .filter(|p| {
            let absolute = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
            let Ok(relative) = absolute.strip_prefix(&workdir) else {
                return false;
            };
            match repo.status_file(relative) {
                Ok(status) => !(status.is_empty() || status.contains(git2::Status::IGNORED)),
                Err(_) => false,
            }
        })
        .cloned()
        .collect()
}
