//! The CI report formats: SARIF validated against the vendored SARIF 2.1.0 schema (with
//! character-correct fix regions), GitHub annotation lines, `--diff`, `--exit-zero` and
//! `--exit-non-zero-on-fix`.

mod common;

use std::path::PathBuf;

use remedy::edit::{Edit, Fix};
use remedy::engine::Reported;
use remedy::report::{FileReport, github, sarif::SarifLog};
use remedy::source::Lines;
use ruff_text_size::{TextRange, TextSize};
use serde_json::Value;

const UTCNOW: &str =
    "from datetime import datetime\nx = datetime.utcnow().strftime(\"%Y-%m-%d %H:%M\")\n";

fn schema_validator() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(common::repo_root().join("tests/sarif-schema-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(doc: &Value) {
    let validator = schema_validator();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(doc).unwrap()
    );
}

/// A report on `text` with one fixable finding on `needle` (replaced by `replacement`) and
/// one display-only finding on `declined`.
fn constructed_report(text: &str, needle: &str, replacement: &str, declined: &str) -> FileReport {
    let lines = Lines::new(text);
    let at = |s: &str| {
        let start = text.find(s).unwrap();
        TextRange::at(TextSize::from(start as u32), TextSize::from(s.len() as u32))
    };
    let fixable = at(needle);
    let other = at(declined);
    let reported = |range: TextRange, message: &str, fix: Option<Fix>| Reported {
        transform: "utcnow-to-aware",
        range,
        start: lines.position(range.start()),
        end: lines.position(range.end()),
        message: message.to_string(),
        fix,
        applied: false,
        changed: Vec::new(),
    };
    FileReport {
        path: PathBuf::from("app/mödels.py"),
        findings: vec![
            reported(
                fixable,
                "naive datetime",
                Some(Fix::safe(
                    "make it aware",
                    vec![Edit::replacement(replacement, fixable)],
                )),
            ),
            reported(other, "declined: needs a person", None),
        ],
        problem: None,
        diff: None,
        written: false,
    }
}

#[test]
fn sarif_from_findings_validates_and_regions_count_characters() {
    // Multi-byte characters before the edit on the same line: byte and character columns differ.
    let text = "s = 'héllo wörld'; x = datetime.utcnow()\ny = risky()\n";
    let report = constructed_report(
        text,
        "datetime.utcnow()",
        "datetime.now(timezone.utc)",
        "risky()",
    );
    let mut log = SarifLog::default();
    log.add_with_source(&report, Some(text.as_bytes()));
    let doc = log.to_json();
    assert_valid_sarif(&doc);

    let run = &doc["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        remedy::transforms::registry().len(),
        "one rule per transform"
    );
    let rule = rules.iter().find(|r| r["id"] == "utcnow-to-aware").unwrap();
    assert!(
        rule["help"]["text"]
            .as_str()
            .unwrap()
            .contains("## What it fixes")
    );
    assert_eq!(
        rule["properties"]["reviewFindings"],
        serde_json::json!(["WARN-Q1"])
    );
    assert_eq!(rule["properties"]["cwe"], serde_json::json!(["CWE-477"]));

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/m%C3%B6dels.py"
    );
    let replacement = &results[0]["fixes"][0]["artifactChanges"][0]["replacements"][0];
    let char_column = text[..text.find("datetime.utcnow()").unwrap()]
        .chars()
        .count()
        + 1;
    assert_ne!(
        char_column,
        text.find("datetime.utcnow()").unwrap() + 1,
        "the case must tell bytes from characters"
    );
    assert_eq!(replacement["deletedRegion"]["startLine"], 1);
    assert_eq!(replacement["deletedRegion"]["startColumn"], char_column);
    assert_eq!(
        replacement["deletedRegion"]["endColumn"],
        char_column + "datetime.utcnow()".chars().count()
    );
    assert_eq!(
        replacement["insertedContent"]["text"],
        "datetime.now(timezone.utc)"
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startColumn"],
        char_column
    );
    // The display-only finding has a location but no fix.
    assert!(results[1].get("fixes").is_none());
    assert_eq!(
        results[1]["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );

    // Applying the replacement by its character region reproduces the fixed text.
    let chars: Vec<char> = text.lines().next().unwrap().chars().collect();
    let (start, end) = (
        char_column - 1,
        char_column - 1 + "datetime.utcnow()".chars().count(),
    );
    let fixed: String = chars[..start]
        .iter()
        .chain(
            "datetime.now(timezone.utc)"
                .chars()
                .collect::<Vec<_>>()
                .iter(),
        )
        .chain(chars[end..].iter())
        .collect();
    assert_eq!(fixed, "s = 'héllo wörld'; x = datetime.now(timezone.utc)");
}

#[test]
fn the_schema_check_rejects_invalid_sarif() {
    let text = "x = datetime.utcnow()\ny = risky()\n";
    let mut log = SarifLog::default();
    log.add_with_source(
        &constructed_report(text, "datetime.utcnow()", "z", "risky()"),
        Some(text.as_bytes()),
    );
    let mut doc = log.to_json();
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        serde_json::json!(0);
    assert!(
        !schema_validator().is_valid(&doc),
        "startLine 0 must be rejected"
    );
    let mut doc = log.to_json();
    doc["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(
        !schema_validator().is_valid(&doc),
        "a result without message must be rejected"
    );
}

/// `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=T::message`, properties escaped.
fn assert_annotation_shape(line: &str) {
    let rest = line
        .strip_prefix("::error ")
        .or_else(|| line.strip_prefix("::warning "))
        .unwrap_or_else(|| panic!("{line}"));
    let (props, message) = rest
        .split_once("::")
        .unwrap_or_else(|| panic!("no message in {line}"));
    assert!(!message.is_empty() && !message.contains('\n'));
    let keys: Vec<&str> = props
        .split(',')
        .map(|p| {
            p.split_once('=')
                .unwrap_or_else(|| panic!("{p} in {line}"))
                .0
        })
        .collect();
    assert_eq!(
        keys,
        ["file", "line", "col", "endLine", "endColumn", "title"],
        "{line}"
    );
    for p in props.split(',') {
        let (key, value) = p.split_once('=').unwrap();
        if key != "file" && key != "title" {
            assert!(
                value.parse::<usize>().is_ok_and(|n| n >= 1),
                "{key}={value} in {line}"
            );
        }
    }
}

#[test]
fn github_annotations_have_the_documented_shape() {
    let text = "x = datetime.utcnow()\ny = risky()\n";
    let mut report = constructed_report(text, "datetime.utcnow()", "z", "risky()");
    report.path = PathBuf::from("app/a,b:c.py");
    report.findings[1].message = "line one\nline two: 100%".to_string();
    let mut out = Vec::new();
    github::write_annotations(&mut out, &report).unwrap();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    for line in &lines {
        assert_annotation_shape(line);
        assert!(line.contains("file=app/a%2Cb%3Ac.py,"), "{line}");
    }
    assert!(lines[0].starts_with("::error file=app/a%2Cb%3Ac.py,line=1,col=5,endLine=1,endColumn=22,title=remedy utcnow-to-aware::"), "{}", lines[0]);
    assert!(
        lines[1].ends_with("::line one%0Aline two: 100%25"),
        "{}",
        lines[1]
    );
}

// The CLI-level tests below use the real `utcnow-to-aware` transform.

fn utcnow_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::write_files(
        dir.path(),
        &[("app/models.py", UTCNOW), ("app/clean.py", "y = 1\n")],
    );
    dir
}

#[test]
fn check_sarif_output_validates_and_carries_fixes() {
    let dir = utcnow_project();
    let r = common::remedy(dir.path(), &["check", "--output-format", "sarif"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let result = results
        .iter()
        .find(|r| r["ruleId"] == "utcnow-to-aware")
        .expect("a utcnow result");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/models.py"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    let replacements = result["fixes"][0]["artifactChanges"][0]["replacements"]
        .as_array()
        .expect("fix replacements");
    assert!(!replacements.is_empty());
}

#[test]
fn check_github_format_and_diff_and_exit_zero() {
    let dir = utcnow_project();
    let r = common::remedy(dir.path(), &["check", "--output-format", "github"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert_annotation_shape(line);
    }
    assert!(
        lines[0].starts_with("::error file=app/models.py,line=2,"),
        "{}",
        lines[0]
    );

    let r = common::remedy(dir.path(), &["check", "--diff", "--exit-zero"]);
    assert_eq!(r.code, 0, "--exit-zero: {}", r.stderr);
    assert!(r.stdout.contains("app/models.py:2:"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("--- a/app/models.py\n+++ b/app/models.py\n"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("-x = datetime.utcnow()"), "{}", r.stdout);
    // check never writes.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/models.py")).unwrap(),
        UTCNOW
    );

    let clean = tempfile::tempdir().unwrap();
    common::write_files(clean.path(), &[("a.py", "y = 1\n")]);
    assert_eq!(common::remedy(clean.path(), &["check"]).code, 0);
}

#[test]
fn apply_exit_non_zero_on_fix() {
    let dir = utcnow_project();
    let r = common::remedy(
        dir.path(),
        &["apply", "--exit-non-zero-on-fix", "--allow-dirty"],
    );
    assert_eq!(r.code, 1, "fixes were applied: {}{}", r.stdout, r.stderr);
    assert_ne!(
        std::fs::read_to_string(dir.path().join("app/models.py")).unwrap(),
        UTCNOW
    );
    let again = common::remedy(
        dir.path(),
        &["apply", "--exit-non-zero-on-fix", "--allow-dirty"],
    );
    assert_eq!(
        again.code, 0,
        "nothing left to fix: {}{}",
        again.stdout, again.stderr
    );
    let plain = utcnow_project();
    assert_eq!(
        common::remedy(plain.path(), &["apply", "--allow-dirty"]).code,
        0
    );
}

#[test]
fn check_diff_with_json_or_sarif_stays_one_valid_document() {
    let dir = utcnow_project();
    let r = common::remedy(dir.path(), &["check", "--diff", "--output-format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not one JSON document ({e}):\n{}", r.stdout));
    let patch = doc["diff"].as_str().expect("the patch in the document");
    assert!(
        patch.starts_with("--- a/app/models.py\n+++ b/app/models.py\n"),
        "{patch}"
    );
    let r = common::remedy(dir.path(), &["check", "--diff", "--output-format", "sarif"]);
    let doc: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("not one SARIF document ({e}):\n{}", r.stdout));
    assert_valid_sarif(&doc);
    assert!(
        doc["runs"][0]["properties"]["diff"]
            .as_str()
            .is_some_and(|p| p.contains("+++ b/app/models.py")),
        "{doc}"
    );
    // Without --diff there is no patch.
    let r = common::remedy(dir.path(), &["check", "--output-format", "json"]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(doc.get("diff").is_none());
}
