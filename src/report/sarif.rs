//! SARIF 2.1.0 output for code-scanning upload: one rule per transform (with its
//! documentation as help, its review finding ids and CWE), one result per finding, and for
//! fixable findings the fix as `artifactChanges` replacements, so code-scanning UIs can show
//! them. Columns are counted in Unicode code points (`columnKind: unicodeCodePoints`).

use serde_json::{Value, json};

use super::FileReport;
use crate::edit::Applicability;
use crate::engine::Reported;
use crate::source::{Lines, SourceText};
use crate::transforms::{self, Registered};

/// One file's findings with the text their offsets refer to.
struct FileEntry {
    uri: String,
    findings: Vec<Reported>,
    source: Option<SourceText>,
    problem: Option<String>,
}

/// Collects a run's findings and renders them as one SARIF log.
#[derive(Default)]
pub struct SarifLog {
    files: Vec<FileEntry>,
}

impl SarifLog {
    /// Adds a file's findings. Without the file's bytes no fixes can be described.
    pub fn add(&mut self, report: &FileReport) {
        self.add_with_source(report, None);
    }

    /// Adds a file's findings; `bytes` (the file as read) lets fixes carry exact regions.
    pub fn add_with_source(&mut self, report: &FileReport, bytes: Option<&[u8]>) {
        // Only files with something to say are kept (with their text, for exact regions), so
        // the log's memory grows with the findings, not with the number of files.
        if report.findings.is_empty() && report.problem.is_none() {
            return;
        }
        let bytes = bytes.filter(|_| !report.findings.is_empty());
        let path = report.path.to_string_lossy().replace('\\', "/");
        self.files.push(FileEntry {
            uri: encode_uri(&path),
            findings: report.findings.clone(),
            source: bytes.and_then(|b| SourceText::decode(b).ok()),
            problem: report.problem.as_ref().map(ToString::to_string),
        });
    }

    /// The log with `patch` (the unified diff of every fix) in the run's property bag, where
    /// `check --diff` puts it so the output stays one valid SARIF document.
    pub fn to_json_with_diff(&self, patch: Option<&str>) -> Value {
        let mut log = self.to_json();
        if let Some(patch) = patch {
            log["runs"][0]["properties"] = json!({ "diff": patch });
        }
        log
    }

    pub fn to_json(&self) -> Value {
        let registry = transforms::registry();
        let rules: Vec<Value> = registry.iter().map(rule).collect();
        let mut results = Vec::new();
        let mut notifications = Vec::new();
        for file in &self.files {
            let lines = file.source.as_ref().map(|s| Lines::new(&s.text));
            let bom = file.source.as_ref().is_some_and(|s| s.has_bom);
            for f in &file.findings {
                results.push(result(f, &file.uri, registry, lines.as_ref(), bom));
            }
            if let Some(problem) = &file.problem {
                notifications.push(json!({
                    "level": "warning",
                    "message": {"text": problem},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": file.uri}}}],
                }));
            }
        }
        json!({
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [{
                "tool": {"driver": {
                    "name": "remedy",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/remedy-security/remedy",
                    "rules": rules,
                }},
                "columnKind": "unicodeCodePoints",
                "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": notifications}],
                "results": results,
            }]
        })
    }
}

/// The reporting descriptor of one transform.
fn rule(r: &Registered) -> Value {
    let meta = r.meta();
    let mut tags = vec!["security".to_string()];
    tags.extend(
        meta.cwe
            .iter()
            .map(|c| format!("external/cwe/{}", c.to_ascii_lowercase())),
    );
    json!({
        "id": r.id(),
        "name": pascal_case(r.id()),
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.summary},
        "help": {"text": r.doc, "markdown": r.doc},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": tags,
            "reviewFindings": meta.findings,
            "cwe": meta.cwe,
            "fixSafety": meta.fix_safety,
        },
    })
}

fn result(
    f: &Reported,
    uri: &str,
    registry: &[Registered],
    lines: Option<&Lines>,
    bom: bool,
) -> Value {
    let rule_index = registry.iter().position(|r| r.id() == f.transform);
    let region = json!({
        "startLine": f.start.line,
        "startColumn": column(f.start.line, f.start.column, bom),
        "endLine": f.end.line,
        "endColumn": column(f.end.line, f.end.column, bom),
    });
    let mut result = json!({
        "ruleId": f.transform,
        "level": "error",
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
        "properties": {
            "fixSafety": f.applicability().map(Applicability::as_str).unwrap_or("display-only"),
            "fixApplied": f.applied,
        },
    });
    if let Some(i) = rule_index {
        result["ruleIndex"] = json!(i);
    }
    if let (Some(fix), Some(lines)) = (&f.fix, lines)
        && fix.applicability != Applicability::DisplayOnly
        && !fix.edits.is_empty()
    {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                let start = lines.position(e.range.start());
                let end = lines.position(e.range.end());
                json!({
                    "deletedRegion": {
                        "startLine": start.line,
                        "startColumn": column(start.line, start.column, bom),
                        "endLine": end.line,
                        "endColumn": column(end.line, end.column, bom),
                    },
                    "insertedContent": {"text": e.content},
                })
            })
            .collect();
        result["fixes"] = json!([{
            "description": {"text": format!("{} ({} fix)", fix.description, fix.applicability.as_str())},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": replacements}],
        }]);
    }
    result
}

/// Columns on the first line move right by one when the file starts with a byte-order mark
/// (a code point the engine strips before computing positions).
fn column(line: usize, column: usize, bom: bool) -> usize {
    if bom && line == 1 { column + 1 } else { column }
}

fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Percent-encodes a relative path into a URI reference (keeps `/` and unreserved bytes).
fn encode_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_names() {
        assert_eq!(encode_uri("app/my file#1.py"), "app/my%20file%231.py");
        assert_eq!(encode_uri("app/é.py"), "app/%C3%A9.py");
        assert_eq!(pascal_case("utcnow-to-aware"), "UtcnowToAware");
    }
}
