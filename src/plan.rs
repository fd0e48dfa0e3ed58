//! Raw CLI arguments and configuration, validated into a plan before any file is touched
//! (ripgrep's low-args → high-args).

use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};

use crate::cli::FileArgs;
use crate::config;
use crate::error::RemedyError;
use crate::transforms::{self, Registered};
use crate::walk::Excludes;

/// What a file-processing command will do, fully validated.
pub struct FilePlan {
    pub cwd: PathBuf,
    /// The project root: the config file's directory, else the git work tree, else `cwd`.
    pub root: PathBuf,
    pub paths: Vec<PathBuf>,
    pub transforms: Vec<&'static Registered>,
    pub unsafe_fixes: bool,
    pub excludes: Excludes,
    per_file_ignores: Vec<(GlobMatcher, Vec<String>)>,
    pub quiet: bool,
    pub config_file: Option<PathBuf>,
}

impl FilePlan {
    pub fn new(args: &FileArgs, cwd: &Path) -> Result<Self, RemedyError> {
        // Validate what needs no I/O first.
        check_ids(&args.select, "--select")?;
        check_ids(&args.ignore, "--ignore")?;
        let config = config::load(args.config.as_deref(), cwd)?;
        let options = &config.options;
        let config_err = |message: String| RemedyError::Config {
            path: config.file.clone().unwrap_or_default(),
            message,
        };
        if let Some(select) = &options.select {
            check_ids(select, "select").map_err(|e| config_err(e.to_string()))?;
        }
        if let Some(ignore) = &options.ignore {
            check_ids(ignore, "ignore").map_err(|e| config_err(e.to_string()))?;
        }
        let select: Vec<String> = if !args.select.is_empty() {
            args.select.clone()
        } else {
            options.select.clone().unwrap_or_default()
        };
        let mut ignore: Vec<String> = options.ignore.clone().unwrap_or_default();
        ignore.extend(args.ignore.iter().cloned());
        let transforms: Vec<&'static Registered> = transforms::registry()
            .iter()
            .filter(|r| select.is_empty() || select.iter().any(|s| s == r.id()))
            .filter(|r| !ignore.iter().any(|s| s == r.id()))
            .collect();
        let unsafe_fixes = if args.unsafe_fixes {
            true
        } else if args.no_unsafe_fixes {
            false
        } else {
            options.unsafe_fixes.unwrap_or(false)
        };
        for pattern in options.exclude.iter().flatten() {
            Glob::new(pattern)
                .map_err(|e| config_err(format!("exclude: invalid glob `{pattern}`: {e}")))?;
        }
        let mut exclude = options.exclude.clone().unwrap_or_default();
        exclude.extend(args.exclude.iter().cloned());
        let excludes = Excludes::new(&exclude)?;
        let mut per_file_ignores = Vec::new();
        for (pattern, ids) in options.per_file_ignores.clone().unwrap_or_default() {
            check_ids(&ids, "per-file-ignores").map_err(|e| config_err(e.to_string()))?;
            let glob = Glob::new(&pattern).map_err(|e| {
                config_err(format!("per-file-ignores: invalid glob `{pattern}`: {e}"))
            })?;
            per_file_ignores.push((glob.compile_matcher(), ids));
        }
        let root = config
            .root()
            .map(Path::to_path_buf)
            .or_else(|| git_root(cwd))
            .unwrap_or_else(|| cwd.to_path_buf());
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        Ok(Self {
            cwd: cwd.to_path_buf(),
            root,
            paths,
            transforms,
            unsafe_fixes,
            excludes,
            per_file_ignores,
            quiet: args.quiet,
            config_file: config.file.clone(),
        })
    }

    /// Transform ids switched off for `path` by per-file-ignores.
    pub fn ignored_for(&self, path: &Path) -> Vec<String> {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        self.per_file_ignores
            .iter()
            .filter(|(m, _)| m.is_match(relative) || m.is_match(path))
            .flat_map(|(_, ids)| ids.iter().cloned())
            .collect()
    }
}

fn check_ids(ids: &[String], origin: &str) -> Result<(), RemedyError> {
    for id in ids {
        if transforms::find(id).is_none() {
            return Err(RemedyError::Usage(format!(
                "unknown transform `{id}` in {origin} (run `remedy list` to see them all)"
            )));
        }
    }
    Ok(())
}

/// The nearest ancestor of `start` holding a `.git` entry.
pub fn git_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}
