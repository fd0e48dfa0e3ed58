//! What a transform sees: one parsed file, its bindings and comments, and lazily
//! computed facts about the project around it (its tests, its pinned requirements).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use ruff_python_ast::ModModule;
use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_python_parser::Parsed;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::bindings::Bindings;
use crate::source::{self, Lines};

/// Where project files are read from: the file system, or a snapshot (a git tree in branch mode).
enum ProjectFiles {
    FileSystem,
    Snapshot(BTreeMap<PathBuf, Arc<[u8]>>),
}

/// A project file's path (relative to the project root) and text.
#[derive(Clone, Debug)]
pub struct ProjectFile {
    pub path: PathBuf,
    pub text: String,
}

/// The project a file belongs to. Project-wide questions are answered lazily and memoized,
/// so a run that never asks pays nothing.
pub struct Project {
    pub root: PathBuf,
    files: ProjectFiles,
    python_paths: OnceLock<Vec<PathBuf>>,
    searches: Mutex<HashMap<String, Arc<Vec<ProjectFile>>>>,
}

impl Project {
    pub fn on_disk(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            files: ProjectFiles::FileSystem,
            python_paths: OnceLock::new(),
            searches: Mutex::new(HashMap::new()),
        }
    }

    /// A project whose files are given in memory, keyed by path relative to the root.
    pub fn snapshot(root: impl Into<PathBuf>, files: BTreeMap<PathBuf, Arc<[u8]>>) -> Self {
        Self {
            root: root.into(),
            files: ProjectFiles::Snapshot(files),
            python_paths: OnceLock::new(),
            searches: Mutex::new(HashMap::new()),
        }
    }

    /// Reads a project file by path relative to the root, as text.
    pub fn read_text(&self, relative: &Path) -> Option<String> {
        match &self.files {
            ProjectFiles::FileSystem => std::fs::read_to_string(self.root.join(relative)).ok(),
            ProjectFiles::Snapshot(map) => map
                .get(relative)
                .and_then(|b| String::from_utf8(b.to_vec()).ok()),
        }
    }

    /// Every `*.py` file of the project (tests included, virtualenvs and caches excluded),
    /// relative to the root.
    pub fn python_paths(&self) -> &[PathBuf] {
        self.python_paths.get_or_init(|| match &self.files {
            ProjectFiles::Snapshot(map) => map
                .keys()
                .filter(|p| p.extension().is_some_and(|e| e == "py"))
                .cloned()
                .collect(),
            ProjectFiles::FileSystem => {
                let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(&self.root)
                    .hidden(true)
                    .filter_entry(|e| !crate::walk::is_default_excluded_dir(e.file_name()))
                    .build()
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                    .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
                    .filter_map(|e| {
                        e.path()
                            .strip_prefix(&self.root)
                            .ok()
                            .map(Path::to_path_buf)
                    })
                    .collect();
                out.sort();
                out
            }
        })
    }

    /// The Python files of the project whose text contains `needle`, memoized per needle.
    pub fn python_files_containing(&self, needle: &str) -> Arc<Vec<ProjectFile>> {
        if let Some(hit) = self.searches.lock().unwrap().get(needle) {
            return hit.clone();
        }
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let found: Vec<ProjectFile> = self
            .python_paths()
            .iter()
            .filter_map(|p| {
                let text = self.read_text(p)?;
                finder.find(text.as_bytes()).map(|_| ProjectFile {
                    path: p.clone(),
                    text,
                })
            })
            .collect();
        let found = Arc::new(found);
        self.searches
            .lock()
            .unwrap()
            .insert(needle.to_string(), found.clone());
        found
    }

    /// The dotted module names a file may be imported as (`app/core/x.py` → `app.core.x`,
    /// and without a leading `src.`).
    pub fn module_names(&self, relative: &Path) -> Vec<String> {
        let mut parts: Vec<String> = relative
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|l| l == "__init__") {
            parts.pop();
        }
        let mut names = Vec::new();
        for start in 0..parts.len() {
            names.push(parts[start..].join("."));
        }
        names
    }

    /// `relative` made relative to this project's root when it is absolute.
    pub fn relative_path(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Everything a transform may look at for one file.
pub struct FileContext<'a> {
    /// The path as given to remedy (for messages).
    pub path: &'a Path,
    /// The path relative to the project root (for project lookups).
    pub relative_path: PathBuf,
    pub source: &'a str,
    pub parsed: &'a Parsed<ModModule>,
    pub bindings: &'a Bindings,
    pub project: &'a Project,
    pub lines: Lines<'a>,
    comments: Vec<TextRange>,
}

impl<'a> FileContext<'a> {
    pub fn new(
        path: &'a Path,
        source: &'a str,
        parsed: &'a Parsed<ModModule>,
        bindings: &'a Bindings,
        project: &'a Project,
    ) -> Self {
        let comments = parsed
            .tokens()
            .iter()
            .filter(|t| t.kind() == TokenKind::Comment)
            .map(Ranged::range)
            .collect();
        Self {
            path,
            relative_path: project.relative_path(path),
            source,
            parsed,
            bindings,
            project,
            lines: Lines::new(source),
            comments,
        }
    }

    pub fn module(&self) -> &'a ModModule {
        self.parsed.syntax()
    }

    pub fn tokens(&self) -> &'a Tokens {
        self.parsed.tokens()
    }

    /// The ranges of every `#` comment (from the `#` to the end of the line), in order.
    pub fn comment_ranges(&self) -> &[TextRange] {
        &self.comments
    }

    pub fn slice(&self, range: TextRange) -> &'a str {
        &self.source[range]
    }

    /// The line ending new lines should use.
    pub fn line_ending(&self) -> &'static str {
        source::line_ending(self.source)
    }

    pub fn indentation_at(&self, offset: TextSize) -> &'a str {
        source::indentation_at(self.source, offset)
    }
}

/// True for paths under a `tests`/`test` directory and pytest-style test module names.
pub fn is_test_path(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with("test_")
        || name.ends_with("_test.py")
        || name == "conftest.py"
        || path.components().any(|c| {
            let c = c.as_os_str();
            c == "tests" || c == "test"
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_and_test_paths() {
        let p = Project::on_disk("/nonexistent");
        assert_eq!(
            p.module_names(Path::new("src/app/x.py")),
            vec!["src.app.x", "app.x", "x"]
        );
        assert_eq!(p.module_names(Path::new("app/__init__.py")), vec!["app"]);
        assert!(is_test_path(Path::new("tests/foo.py")));
        assert!(is_test_path(Path::new("app/test_foo.py")));
        assert!(!is_test_path(Path::new("app/contest.py")));
    }

    #[test]
    fn snapshot_search() {
        let mut files = BTreeMap::new();
        files.insert(
            PathBuf::from("tests/test_a.py"),
            Arc::from(&b"patch('app.x.datetime')"[..]),
        );
        files.insert(
            PathBuf::from("app/x.py"),
            Arc::from(&b"import datetime"[..]),
        );
        let p = Project::snapshot("/r", files);
        let hits = p.python_files_containing("patch(");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].path, PathBuf::from("tests/test_a.py"));
    }
}
