//! Reading the files remedy works on from a commit's tree instead of the working tree: the
//! Python files to fix (scoped by PATH arguments and excludes) and the project snapshot the
//! transforms may consult (Python files, `requirements*.txt`, `pyproject.toml`).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use git2::{Repository, Tree, TreeWalkMode, TreeWalkResult};

use crate::error::RemedyError;
use crate::walk::{Excludes, is_default_excluded_dir};

/// The files of one commit that a branch run needs.
#[derive(Default)]
pub struct BaseFiles {
    /// Every snapshot file, by path relative to the repository root.
    pub contents: BTreeMap<PathBuf, Arc<[u8]>>,
    /// The Python files to run the transforms on (a subset of `contents`), sorted.
    pub targets: Vec<PathBuf>,
    /// Paths remedy could not represent (not UTF-8), skipped with a warning.
    pub skipped: Vec<String>,
}

/// Decides which tree paths are fix targets.
pub struct Scope<'a> {
    /// Repository-relative prefixes from the PATH arguments (an empty path selects everything).
    pub prefixes: Vec<PathBuf>,
    pub excludes: &'a Excludes,
    /// Where repository-relative paths are anchored on disk (the work tree, or the current
    /// directory of a bare repository), for matching excludes against the project root.
    pub anchor: PathBuf,
    pub root: PathBuf,
}

impl Scope<'_> {
    fn selects(&self, path: &Path) -> bool {
        let explicitly_named = self.prefixes.iter().any(|p| p == path);
        let python = path.extension().is_some_and(|e| e == "py");
        if !(python || explicitly_named) || path.extension().is_some_and(|e| e == "pyi") {
            return false;
        }
        if !self.prefixes.iter().any(|p| path.starts_with(p)) {
            return false;
        }
        // An exclude matching the file or any directory above it removes it, as in the walk.
        let mut partial = PathBuf::new();
        for component in path.components() {
            partial.push(component);
            if self
                .excludes
                .is_excluded(&self.anchor.join(&partial), &self.root)
            {
                return false;
            }
        }
        true
    }
}

/// True for files the project snapshot holds besides Python sources.
fn is_project_file(name: &str) -> bool {
    name == "pyproject.toml" || (name.starts_with("requirements") && name.ends_with(".txt"))
}

/// Reads the snapshot files of `tree` and picks the fix targets in `scope`.
pub fn read_tree(repo: &Repository, tree: &Tree, scope: &Scope) -> Result<BaseFiles, RemedyError> {
    let mut files = BaseFiles::default();
    let mut failure: Option<git2::Error> = None;
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        let Some(name) = entry.name() else {
            files.skipped.push(format!(
                "{dir}{}",
                String::from_utf8_lossy(entry.name_bytes())
            ));
            return TreeWalkResult::Skip;
        };
        match entry.kind() {
            Some(git2::ObjectType::Tree) => {
                if is_default_excluded_dir(std::ffi::OsStr::new(name)) {
                    TreeWalkResult::Skip
                } else {
                    TreeWalkResult::Ok
                }
            }
            Some(git2::ObjectType::Blob) => {
                // Regular files only: symlinks (0o120000) are not followed.
                if entry.filemode() != 0o100644 && entry.filemode() != 0o100755 {
                    return TreeWalkResult::Ok;
                }
                let path = PathBuf::from(format!("{dir}{name}"));
                let is_target = scope.selects(&path);
                if !(is_target || name.ends_with(".py") || is_project_file(name)) {
                    return TreeWalkResult::Ok;
                }
                match repo.find_blob(entry.id()) {
                    Ok(blob) => {
                        files
                            .contents
                            .insert(path.clone(), Arc::from(blob.content()));
                        if is_target {
                            files.targets.push(path);
                        }
                        TreeWalkResult::Ok
                    }
                    Err(e) => {
                        failure = Some(e);
                        TreeWalkResult::Abort
                    }
                }
            }
            _ => TreeWalkResult::Ok,
        }
    })
    .ok();
    if let Some(e) = failure {
        return Err(RemedyError::Git(format!(
            "cannot read the base tree: {}",
            e.message()
        )));
    }
    files.targets.sort();
    Ok(files)
}

/// Turns PATH arguments (relative to `cwd`) into repository-relative prefixes. `cwd_in_repo`
/// is the current directory relative to the work tree (empty for a bare repository).
pub fn repo_prefixes(
    paths: &[PathBuf],
    cwd_in_repo: &Path,
    workdir: Option<&Path>,
) -> Result<Vec<PathBuf>, RemedyError> {
    let mut prefixes = Vec::new();
    for given in paths {
        let joined = if given.is_absolute() {
            let inside = workdir.and_then(|w| {
                let canonical = given.canonicalize().unwrap_or_else(|_| given.clone());
                canonical.strip_prefix(w).ok().map(Path::to_path_buf)
            });
            inside.ok_or_else(|| {
                RemedyError::Usage(format!("{}: outside the repository", given.display()))
            })?
        } else {
            cwd_in_repo.join(given)
        };
        let mut normal = PathBuf::new();
        for component in joined.components() {
            match component {
                Component::CurDir => {}
                Component::ParentDir => {
                    if !normal.pop() {
                        return Err(RemedyError::Usage(format!(
                            "{}: outside the repository",
                            given.display()
                        )));
                    }
                }
                Component::Normal(part) => normal.push(part),
                Component::RootDir | Component::Prefix(_) => {}
            }
        }
        prefixes.push(normal);
    }
    Ok(prefixes)
}

/// PATH prefixes that name nothing in the tree (reported as errors, like a missing path).
pub fn unmatched_prefixes<'a>(prefixes: &'a [PathBuf], tree: &Tree) -> Vec<&'a PathBuf> {
    prefixes
        .iter()
        .filter(|p| !p.as_os_str().is_empty() && tree.get_path(p).is_err())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_relative_to_the_repository_root() {
        let got = repo_prefixes(
            &[PathBuf::from("."), PathBuf::from("../lib/x.py")],
            Path::new("app"),
            None,
        )
        .unwrap();
        assert_eq!(got, vec![PathBuf::from("app"), PathBuf::from("lib/x.py")]);
        assert!(repo_prefixes(&[PathBuf::from("..")], Path::new(""), None).is_err());
    }

    #[test]
    fn scope_honours_excludes_on_directories() {
        let excludes = Excludes::new(&["legacy".to_string()]).unwrap();
        let scope = Scope {
            prefixes: vec![PathBuf::new()],
            excludes: &excludes,
            anchor: PathBuf::from("/r"),
            root: PathBuf::from("/r"),
        };
        assert!(scope.selects(Path::new("app/x.py")));
        assert!(!scope.selects(Path::new("app/legacy/x.py")));
        assert!(!scope.selects(Path::new("app/x.pyi")));
        assert!(!scope.selects(Path::new("app/README.md")));
    }
}
