//! Turning engine outcomes into what users read: text lines, JSON, GitHub annotations,
//! SARIF, and unified diffs.

pub mod diff;
pub mod github;
pub mod json;
pub mod sarif;
pub mod text;

use std::path::PathBuf;

use crate::edit::Applicability;
use crate::engine::{FileOutcome, FileProblem, Reported};

/// One file's findings, ready to print: the display path and the findings.
pub struct FileReport {
    pub path: PathBuf,
    pub findings: Vec<Reported>,
    pub problem: Option<FileProblem>,
    /// Original and fixed text, when a diff is wanted and the file changed.
    pub diff: Option<(String, String)>,
    /// True when the file was actually written (apply).
    pub written: bool,
}

impl FileReport {
    pub fn from_outcome(outcome: FileOutcome, display: PathBuf, keep_diff: bool) -> Self {
        let diff = if keep_diff {
            match (&outcome.original, &outcome.fixed) {
                (Some(o), Some(f)) => Some((o.text.clone(), f.text.clone())),
                _ => None,
            }
        } else {
            None
        };
        Self {
            path: display,
            findings: outcome.findings,
            problem: outcome.problem,
            diff,
            written: false,
        }
    }
}

/// Counts over a whole run.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub files_checked: usize,
    pub files_skipped: usize,
    pub findings: usize,
    pub fixable_safe: usize,
    pub fixable_unsafe: usize,
    pub display_only: usize,
    pub applied: usize,
    pub files_changed: usize,
}

impl Summary {
    pub fn add(&mut self, report: &FileReport) {
        self.files_checked += 1;
        if report.problem.as_ref().is_some_and(FileProblem::is_skip) {
            self.files_skipped += 1;
        }
        for f in &report.findings {
            self.findings += 1;
            if f.applied {
                self.applied += 1;
            }
            match f.applicability() {
                Some(Applicability::Safe) => self.fixable_safe += 1,
                Some(Applicability::Unsafe) => self.fixable_unsafe += 1,
                _ => self.display_only += 1,
            }
        }
        if report.written || (report.diff.is_some() && report.problem.is_none()) {
            self.files_changed += 1;
        }
    }
}

/// How a finding's fix is described in text output.
pub fn fix_marker(f: &Reported) -> &'static str {
    match f.applicability() {
        Some(Applicability::Safe) => "[fix]",
        Some(Applicability::Unsafe) => "[unsafe fix]",
        Some(Applicability::DisplayOnly) | None => "",
    }
}
