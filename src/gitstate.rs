//! Asking git which files have uncommitted changes (cargo fix's dirty-tree rule).

use std::path::{Path, PathBuf};

/// Files among `paths` that git considers modified, staged or untracked. Each file is asked
/// about in the repository that holds it, found from the file's own directory: a file named
/// from outside its repository, or inside a nested repository, is protected all the same.
/// Files in no git work tree have nothing to protect them and are never listed.
pub fn dirty_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| {
            let absolute = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
            let dir = absolute.parent().unwrap_or(Path::new("/"));
            let Ok(repo) = git2::Repository::discover(dir) else {
                return false;
            };
            let Some(workdir) = repo.workdir() else {
                return false;
            };
            let workdir = workdir
                .canonicalize()
                .unwrap_or_else(|_| workdir.to_path_buf());
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
