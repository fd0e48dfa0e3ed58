//! SARIF 2.1.0 output for code-scanning upload (filled in by the CI-report work).

use super::FileReport;

/// Builds the SARIF log for a run.
#[derive(Default)]
pub struct SarifLog {
    reports: Vec<(String, Vec<crate::engine::Reported>)>,
}

impl SarifLog {
    pub fn add(&mut self, report: &FileReport) {
        self.reports.push((
            report.path.to_string_lossy().replace('\\', "/"),
            report.findings.clone(),
        ));
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [{
                "tool": {"driver": {"name": "remedy", "version": env!("CARGO_PKG_VERSION"), "rules": []}},
                "results": self.reports.iter().flat_map(|(path, findings)| findings.iter().map(move |f| serde_json::json!({
                    "ruleId": f.transform,
                    "level": "error",
                    "message": {"text": f.message},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": path},
                        "region": {"startLine": f.start.line, "startColumn": f.start.column, "endLine": f.end.line, "endColumn": f.end.column}
                    }}]
                }))).collect::<Vec<_>>()
            }]
        })
    }
}
