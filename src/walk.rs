//! Finding the Python files to work on: explicit files, directories walked with
//! `.gitignore` honoured, default and user excludes applied, output sorted.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::RemedyError;

/// Directory names never descended into.
pub const DEFAULT_EXCLUDED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "site-packages",
    "node_modules",
    "__pycache__",
    "build",
    "dist",
    ".eggs",
];

pub fn is_default_excluded_dir(name: &OsStr) -> bool {
    DEFAULT_EXCLUDED_DIRS.iter().any(|d| OsStr::new(d) == name)
}

/// User `--exclude` globs, matched against the path relative to the project root, the path
/// as given, and the file or directory name.
#[derive(Clone, Debug, Default)]
pub struct Excludes {
    set: Option<GlobSet>,
}

impl Excludes {
    pub fn new(patterns: &[String]) -> Result<Self, RemedyError> {
        if patterns.is_empty() {
            return Ok(Self::default());
        }
        let mut builder = GlobSetBuilder::new();
        for p in patterns {
            let glob = Glob::new(p)
                .map_err(|e| RemedyError::Usage(format!("invalid --exclude pattern `{p}`: {e}")))?;
            builder.add(glob);
            // `dir` also excludes everything below it.
            if !p.ends_with("/**")
                && let Ok(g) = Glob::new(&format!("{}/**", p.trim_end_matches('/')))
            {
                builder.add(g);
            }
        }
        let set = builder
            .build()
            .map_err(|e| RemedyError::Usage(format!("invalid --exclude pattern: {e}")))?;
        Ok(Self { set: Some(set) })
    }

    pub fn is_excluded(&self, path: &Path, root: &Path) -> bool {
        let Some(set) = &self.set else { return false };
        let relative = path.strip_prefix(root).unwrap_or(path);
        let relative = relative.strip_prefix("./").unwrap_or(relative);
        set.is_match(relative)
            || set.is_match(path)
            || path.file_name().is_some_and(|n| set.is_match(Path::new(n)))
    }
}

/// A problem met while walking (unreadable directory, broken link): reported, not fatal.
#[derive(Debug, Clone)]
pub struct WalkWarning {
    pub path: PathBuf,
    pub message: String,
}

/// Collects the `*.py` files under `paths` (relative to `cwd` when relative), sorted.
/// Explicitly named files are taken whatever their extension, except `.pyi` stubs.
pub fn collect_files(
    paths: &[PathBuf],
    cwd: &Path,
    root: &Path,
    excludes: &Excludes,
) -> Result<(Vec<PathBuf>, Vec<WalkWarning>), RemedyError> {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for given in paths {
        let absolute = absolute_path(given, cwd);
        let meta = std::fs::metadata(&absolute).map_err(|e| RemedyError::Io {
            path: given.clone(),
            message: e.to_string(),
        })?;
        if meta.is_file() {
            if absolute.extension().is_some_and(|e| e == "pyi") {
                continue;
            }
            files.push(absolute);
            continue;
        }
        let excludes_for_filter = excludes.clone();
        let root_for_filter = root.to_path_buf();
        let walker = ignore::WalkBuilder::new(&absolute)
            .hidden(false)
            .require_git(false)
            .follow_links(false)
            .filter_entry(move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                if is_dir && e.depth() > 0 && is_default_excluded_dir(e.file_name()) {
                    return false;
                }
                !(e.depth() > 0 && excludes_for_filter.is_excluded(e.path(), &root_for_filter))
            })
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    if e.file_type().is_some_and(|t| t.is_file())
                        && e.path().extension().is_some_and(|x| x == "py")
                    {
                        files.push(e.into_path());
                    }
                }
                Err(err) => warnings.push(WalkWarning {
                    path: err_path(&err).unwrap_or_else(|| absolute.clone()),
                    message: err.to_string(),
                }),
            }
        }
    }
    files.sort();
    files.dedup();
    Ok((files, warnings))
}

fn err_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => err_path(err),
        ignore::Error::WithLineNumber { err, .. } => err_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// `path` with `.` and `..` components resolved lexically (`/r/app/../lib/x.py` →
/// `/r/lib/x.py`), so that displayed and patched paths never climb through `..`.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A PATH argument as an absolute, normalized path; spelled below `cwd` whenever it is there
/// (also when reached through a symlink), so that it displays relative to `cwd`.
pub fn absolute_path(given: &Path, cwd: &Path) -> PathBuf {
    let absolute = normalize(&cwd.join(given));
    if absolute.starts_with(cwd) {
        return absolute;
    }
    match (absolute.canonicalize(), cwd.canonicalize()) {
        (Ok(real), Ok(real_cwd)) if real.starts_with(&real_cwd) => {
            cwd.join(real.strip_prefix(&real_cwd).unwrap_or(&real))
        }
        _ => absolute,
    }
}

/// `path` relative to `cwd` for display and diffs (unchanged when outside `cwd`).
pub fn display_path(path: &Path, cwd: &Path) -> PathBuf {
    path.strip_prefix(cwd)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_dot_dot_and_displays_relative_paths() {
        assert_eq!(
            normalize(Path::new("/r/app/../lib/./x.py")),
            PathBuf::from("/r/lib/x.py")
        );
        assert_eq!(
            display_path(
                &normalize(Path::new("/r/app/../app/m.py")),
                Path::new("/r/app")
            ),
            PathBuf::from("m.py")
        );
        assert_eq!(
            display_path(Path::new("/elsewhere/m.py"), Path::new("/r")),
            PathBuf::from("/elsewhere/m.py")
        );
    }
}
