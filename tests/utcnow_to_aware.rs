//! Tests of `utcnow-to-aware` beyond its case snapshots: the project-aware variant (tests that
//! patch `utcnow.return_value`), `.pyi` stubs, Safe-only runs, line endings, and running the
//! fixed code under python3 to prove the `...Z` output and the converted comparisons.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use remedy::context::Project;
use remedy::edit::Applicability;
use remedy::engine::{self, FileOutcome};

const ID: &str = "utcnow-to-aware";

fn transform() -> Vec<&'static remedy::transforms::Registered> {
    vec![remedy::transforms::find(ID).expect("registered")]
}

fn case(name: &str) -> String {
    std::fs::read_to_string(
        common::repo_root()
            .join("transforms")
            .join(ID)
            .join("cases")
            .join(name),
    )
    .unwrap()
}

fn run_in_project(files: &[(&str, &str)], path: &str, unsafe_fixes: bool) -> FileOutcome {
    let map: BTreeMap<PathBuf, Arc<[u8]>> = files
        .iter()
        .map(|(p, t)| (PathBuf::from(p), Arc::from(t.as_bytes())))
        .collect();
    let project = Project::snapshot(".", map);
    let text = files.iter().find(|(p, _)| *p == path).unwrap().1;
    engine::fix_text_in(text, Path::new(path), &project, transform(), unsafe_fixes)
}

const BILLING: &str = "from datetime import datetime\n\n\ndef expiry_day():\n    return datetime.utcnow().strftime(\"%Y-%m-%d\")\n";

#[test]
fn module_patched_in_tests_is_unsafe_and_names_the_test_file() {
    let test = "from unittest.mock import patch\n\n\n@patch(\"app.services.billing.datetime\")\ndef test_expiry(mock_dt):\n    mock_dt.utcnow.return_value = None\n";
    let files = [
        ("app/services/billing.py", BILLING),
        ("tests/test_billing.py", test),
    ];
    let outcome = run_in_project(&files, "app/services/billing.py", false);
    assert_eq!(outcome.findings.len(), 1, "{:?}", outcome.findings);
    let finding = &outcome.findings[0];
    assert_eq!(
        finding.applicability(),
        Some(Applicability::Unsafe),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains("tests/test_billing.py"),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains("app.services.billing.datetime"),
        "{}",
        finding.message
    );
    assert!(
        outcome.fixed.is_none(),
        "an Unsafe fix must not be applied without --unsafe-fixes"
    );

    // The same module with the test patching a different module: Safe, applied.
    let other = test.replace(
        "app.services.billing.datetime",
        "app.services.invoices.datetime",
    );
    let files = [
        ("app/services/billing.py", BILLING),
        ("tests/test_billing.py", other.as_str()),
    ];
    let outcome = run_in_project(&files, "app/services/billing.py", false);
    assert_eq!(
        outcome.findings[0].applicability(),
        Some(Applicability::Safe),
        "{}",
        outcome.findings[0].message
    );
    assert!(
        outcome
            .fixed
            .unwrap()
            .text
            .contains("datetime.now(timezone.utc)")
    );
}

#[test]
fn module_alias_patch_target_is_matched() {
    let source = "import datetime as dt\n\n\ndef year():\n    return dt.datetime.utcnow().year\n";
    let test = "import mock\n\ndef test_year():\n    with mock.patch('src.app.clock.dt') as m:\n        m.datetime.utcnow.return_value = 1\n";
    let files = [("src/app/clock.py", source), ("tests/test_clock.py", test)];
    let outcome = run_in_project(&files, "src/app/clock.py", true);
    assert_eq!(
        outcome.findings[0].applicability(),
        Some(Applicability::Unsafe)
    );
    assert!(
        outcome.findings[0].message.contains("tests/test_clock.py"),
        "{}",
        outcome.findings[0].message
    );
}

#[test]
fn stub_files_are_left_alone() {
    let source = "from datetime import datetime\nNOW = datetime.utcnow()\n";
    let outcome = engine::fix_text(source, Path::new("types.pyi"), transform(), true);
    assert!(outcome.findings.is_empty());
    assert!(outcome.fixed.is_none());
    // The same text as a .py file is found (so the test above can fail).
    let outcome = engine::fix_text(source, Path::new("types.py"), transform(), true);
    assert_eq!(outcome.findings.len(), 1);
}

#[test]
fn without_unsafe_fixes_only_safe_groups_change() {
    let source = case("08_compare_together.py");
    let outcome = engine::fix_text(&source, Path::new("08.py"), transform(), false);
    let fixed = outcome.fixed.expect("safe fixes applied").text;
    // Both values of `is_expired` converted together ...
    assert!(
        fixed.contains("issued = datetime.fromtimestamp(token_payload[\"iat\"], tz=timezone.utc)")
    );
    assert!(fixed.contains("return datetime.now(timezone.utc) - issued > timedelta(hours=1)"));
    // ... the comparisons with values of unknown awareness left as they were.
    assert!(fixed.contains("return datetime.utcnow() > record.updated_at"));
    assert!(fixed.contains("return datetime.utcnow() - cutoff"));
    // Every finding of a converted group carries the whole group's edits.
    let first = outcome.findings.iter().find(|f| f.start.line == 9).unwrap();
    assert_eq!(
        first.fix.as_ref().unwrap().edits.len(),
        4,
        "two rewrites + `tz=` + import"
    );
}

#[test]
fn crlf_and_tabs_are_kept() {
    let source =
        "from datetime import datetime\r\n\r\ndef f():\r\n\treturn datetime.utcnow().date()\r\n";
    let fixed = common::fixed_text(ID, "crlf.py", source);
    assert_eq!(
        fixed,
        "from datetime import datetime, timezone\r\n\r\ndef f():\r\n\treturn datetime.now(timezone.utc).date()\r\n"
    );
}

#[test]
fn local_import_gets_a_top_level_timezone_import() {
    let source = "\"\"\"Doc.\"\"\"\nimport os\n\n\ndef f():\n    from datetime import datetime\n    return datetime.utcnow().year\n";
    let fixed = common::fixed_text(ID, "local.py", source);
    assert_eq!(
        fixed,
        "\"\"\"Doc.\"\"\"\nimport os\nfrom datetime import timezone\n\n\ndef f():\n    from datetime import datetime\n    return datetime.now(timezone.utc).year\n"
    );
}

/// Python that loads `module.py` twice (original and fixed), freezes "now" in both, and prints
/// each function's result as JSON: `{"original": {...}, "fixed": {...}}`.
const DRIVER: &str = r#"
import datetime as _dt, importlib.util, json, sys

def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

FROZEN = _dt.datetime(2024, 5, 6, 7, 8, 9, int(sys.argv[1]))

class Frozen(_dt.datetime):
    @classmethod
    def utcnow(cls):
        return FROZEN
    @classmethod
    def now(cls, tz=None):
        assert tz is not None, "fixed code must ask for an aware now()"
        return tz.fromutc(FROZEN.replace(tzinfo=tz))

out = {}
for label, path in (("original", "original.py"), ("fixed", "fixed.py")):
    module = load(path, label)
    module.datetime = Frozen
    results = {}
    for name in sys.argv[2].split(","):
        fn = getattr(module, name)
        results[name] = fn(1714979289) if fn.__code__.co_argcount else fn()
    out[label] = results
print(json.dumps(out, sort_keys=True))
"#;

fn run_both(
    source: &str,
    fixed: &str,
    microsecond: u32,
    functions: &[&str],
) -> Option<serde_json::Value> {
    let python = common::python3()?;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("original.py"), source).unwrap();
    std::fs::write(dir.path().join("fixed.py"), fixed).unwrap();
    let out = std::process::Command::new(python)
        .args(["-c", DRIVER, &microsecond.to_string(), &functions.join(",")])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap())
}

#[test]
fn z_suffix_output_is_unchanged_when_run() {
    let source = case("05_isoformat_z.py");
    let fixed = common::fixed_text(ID, "05.py", &source);
    assert!(
        !fixed.contains("utcnow") || fixed.contains("def template"),
        "{fixed}"
    );
    let same_output = [
        "event",
        "event_single_quotes",
        "via_variable",
        "in_fstring",
        "strftime_z",
        "from_timestamp",
        "from_timestamp_fstring",
    ];
    // With and without microseconds (isoformat() omits a zero fraction).
    for microsecond in [123456, 0] {
        let mut functions = same_output.to_vec();
        functions.push("plain_isoformat");
        let Some(out) = run_both(&source, &fixed, microsecond, &functions) else {
            return;
        };
        for name in same_output {
            let (before, after) = (&out["original"][name], &out["fixed"][name]);
            assert_eq!(before, after, "{name}: output changed");
            let text = after.to_string();
            assert!(
                text.contains('Z') && !text.contains("+00:00"),
                "{name}: {text}"
            );
        }
        // The Unsafe one does change, exactly as its message says.
        let before = out["original"]["plain_isoformat"]["timestamp"]
            .as_str()
            .unwrap()
            .to_string();
        let after = out["fixed"]["plain_isoformat"]["timestamp"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(format!("{before}+00:00"), after);
    }
}

#[test]
fn converted_comparisons_run_and_agree() {
    let source = case("08_compare_together.py");
    let fixed = common::fixed_text(ID, "08.py", &source);
    let probe = r#"
import importlib.util, json, time
def load(path):
    spec = importlib.util.spec_from_file_location("m", path)
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); return m
out = []
for path in ("original.py", "fixed.py"):
    m = load(path)
    now = time.time()
    out.append([m.is_expired({"iat": now - 7200}), m.is_expired({"iat": now - 60}),
                m.seconds_left(now - 10), m.seconds_left(now + 3600) > 3500])
print(json.dumps(out))
"#;
    let Some(python) = common::python3() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("original.py"), &source).unwrap();
    std::fs::write(dir.path().join("fixed.py"), &fixed).unwrap();
    let out = std::process::Command::new(python)
        .args(["-c", probe])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: serde_json::Value =
        serde_json::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap();
    assert_eq!(results[0], serde_json::json!([true, false, 0, true]));
    assert_eq!(
        results[0], results[1],
        "fixed code must give the same answers"
    );
}

#[test]
fn default_factory_lambda_stays_a_factory() {
    let source = "from dataclasses import dataclass, field\nfrom datetime import datetime\n\n\n@dataclass\nclass Job:\n    queued_at: datetime = field(default_factory=datetime.utcnow)\n";
    let fixed = common::fixed_text(ID, "job.py", source);
    assert!(
        fixed.contains("field(default_factory=lambda: datetime.now(timezone.utc))"),
        "{fixed}"
    );
    let Some(python) = common::python3() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("job.py"), &fixed).unwrap();
    let probe =
        "import job\na = job.Job().queued_at\nb = job.Job().queued_at\nprint(a.tzinfo, a is not b)";
    let out = std::process::Command::new(python)
        .args(["-c", probe])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "UTC True");
}

#[test]
fn naive_constants_converted_in_place_give_the_same_results() {
    let source = case("12_known_naive_operands.py");
    let fixed = common::fixed_text(ID, "12.py", &source);
    assert!(
        fixed.contains("datetime(1970, 1, 1).replace(tzinfo=timezone.utc)")
            && fixed.contains("now < datetime.max.replace(tzinfo=timezone.utc)"),
        "{fixed}"
    );
    // What must be changed by hand is left exactly as it was.
    for untouched in [
        "(datetime.utcnow() - EPOCH).days",
        "datetime.utcnow() - datetime.now()",
        "(last_seen or datetime.min) < datetime.utcnow()",
        "datetime(2000, 1, 1) < datetime.utcnow() < deadline",
    ] {
        assert!(fixed.contains(untouched), "{untouched}:\n{fixed}");
    }
    let functions = ["epoch_seconds", "after_launch", "before_max"];
    let Some(out) = run_both(&source, &fixed, 123456, &functions) else {
        return;
    };
    for name in functions {
        assert_eq!(
            out["original"][name], out["fixed"][name],
            "{name}: result changed"
        );
    }
    assert_eq!(out["fixed"]["epoch_seconds"], true);
}

#[test]
fn more_z_suffix_variants_keep_their_output_when_run() {
    let source = case("13_z_suffix_variants.py");
    let fixed = common::fixed_text(ID, "13.py", &source);
    let same_output = [
        "with_prefix",
        "parenthesized",
        "multi_line",
        "via_str",
        "text_in_a_variable",
    ];
    for microsecond in [123456, 0] {
        let Some(out) = run_both(&source, &fixed, microsecond, &same_output) else {
            return;
        };
        for name in same_output {
            let (before, after) = (&out["original"][name], &out["fixed"][name]);
            assert_eq!(before, after, "{name}: output changed");
            let text = after.as_str().unwrap();
            assert!(
                text.ends_with('Z') && !text.contains("+00:00"),
                "{name}: {text}"
            );
        }
    }
    // The declined variants are left exactly as they were.
    for declined in [
        "implicit_concatenation",
        "fstring_then_literal",
        "percent_then_plus",
        "percent_tuple",
        "joined",
    ] {
        let body = |text: &str| {
            let start = text.find(&format!("def {declined}")).unwrap();
            text[start..].split("\n\n\n").next().unwrap().to_string()
        };
        assert_eq!(body(&source), body(&fixed), "{declined} was changed");
    }
}
