//! Machine-readable findings: one JSON document per run.

use serde::Serialize;

use super::{FileReport, Summary};

#[derive(Serialize)]
pub struct JsonEdit {
    pub start: usize,
    pub end: usize,
    pub content: String,
}

#[derive(Serialize)]
pub struct JsonFix {
    pub applicability: &'static str,
    pub description: String,
    pub applied: bool,
    pub edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
pub struct JsonFinding {
    pub path: String,
    pub transform: &'static str,
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub fix: Option<JsonFix>,
}

#[derive(Serialize)]
pub struct JsonProblem {
    pub path: String,
    pub message: String,
}

#[derive(Serialize, Default)]
pub struct JsonReport {
    pub findings: Vec<JsonFinding>,
    pub problems: Vec<JsonProblem>,
    pub summary: Summary,
    /// With `check --diff`: the patch of every fix, as `remedy diff` prints it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

impl JsonReport {
    pub fn add(&mut self, report: &FileReport) {
        let path = report.path.to_string_lossy().replace('\\', "/");
        for f in &report.findings {
            self.findings.push(JsonFinding {
                path: path.clone(),
                transform: f.transform,
                message: f.message.clone(),
                line: f.start.line,
                column: f.start.column,
                end_line: f.end.line,
                end_column: f.end.column,
                fix: f.fix.as_ref().map(|fix| JsonFix {
                    applicability: fix.applicability.as_str(),
                    description: fix.description.clone(),
                    applied: f.applied,
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| JsonEdit {
                            start: e.range.start().into(),
                            end: e.range.end().into(),
                            content: e.content.clone(),
                        })
                        .collect(),
                }),
            });
        }
        if let Some(p) = &report.problem {
            self.problems.push(JsonProblem {
                path,
                message: p.to_string(),
            });
        }
    }
}
