//! Every `transforms/<id>/cases/*.py` file, run through its transform (unsafe fixes on), with
//! an insta snapshot per case showing findings, the diff, and whether the result re-parses.
//! Also checked: the output parses with python3's `ast`, and a second run changes nothing.

mod common;

use std::path::Path;

use remedy::engine::FileOutcome;

/// The path a case is run as: the value of a `# case-path: <path>` comment line among its
/// first lines (for cases whose behaviour depends on the path, such as test files or a vendored
/// package), else its file name.
fn run_as(name: &str, source: &str) -> String {
    source
        .lines()
        .take(5)
        .find_map(|l| l.strip_prefix("# case-path:"))
        .map(|p| p.trim().to_string())
        .unwrap_or_else(|| name.to_string())
}

fn describe(case_path: &Path, run_as: &str, source: &str, outcome: &FileOutcome) -> String {
    let mut out = String::new();
    out.push_str(&format!("case: {}\n", case_path.display()));
    if case_path
        .file_name()
        .is_none_or(|n| n.to_string_lossy() != run_as)
    {
        out.push_str(&format!("run as: {run_as}\n"));
    }
    out.push_str("findings:\n");
    if outcome.findings.is_empty() {
        out.push_str("  (none)\n");
    }
    for f in &outcome.findings {
        let fix = match &f.fix {
            Some(fix) => format!("{} fix: {}", fix.applicability.as_str(), fix.description),
            None => "no fix".to_string(),
        };
        out.push_str(&format!(
            "  {}:{} {} — {}\n    [{}{}]\n",
            f.start.line,
            f.start.column,
            f.transform,
            f.message,
            fix,
            if f.applied { ", applied" } else { "" }
        ));
    }
    if let Some(p) = &outcome.problem {
        out.push_str(&format!("problem: {p}\n"));
    }
    match &outcome.fixed {
        Some(fixed) => {
            let diff = similar::TextDiff::from_lines(source, &fixed.text);
            out.push_str("diff:\n");
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header("before", "after")
                    .to_string(),
            );
            let reparses = ruff_python_parser::parse_module(&fixed.text).is_ok();
            out.push_str(&format!(
                "reparses: {}\n",
                if reparses { "yes" } else { "NO" }
            ));
        }
        None => out.push_str("diff: (no change)\n"),
    }
    out
}

#[test]
fn transform_cases() {
    let root = common::repo_root();
    let mut failures = Vec::new();
    let mut count = 0;
    for registered in remedy::transforms::registry() {
        let id = registered.id();
        let dir = root.join("transforms").join(id).join("cases");
        let mut cases: Vec<_> = std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "py"))
                    .collect()
            })
            .unwrap_or_default();
        cases.sort();
        for case in cases {
            count += 1;
            let source = std::fs::read_to_string(&case).unwrap();
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let path = run_as(&name, &source);
            let outcome = common::fix_with(id, &path, &source);
            let relative = case.strip_prefix(&root).unwrap();
            let snapshot = describe(relative, &path, &source, &outcome);
            let snapshot_name = format!("{id}__{}", name.trim_end_matches(".py"));
            insta::with_settings!({
                snapshot_path => root.join("snapshots"),
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(snapshot_name, snapshot);
            });
            if let Some(fixed) = &outcome.fixed {
                if ruff_python_parser::parse_module(&fixed.text).is_err() {
                    failures.push(format!(
                        "{}: fixed output does not parse",
                        relative.display()
                    ));
                }
                if let Some(Err(e)) = common::python_ast_parses(&fixed.text) {
                    failures.push(format!(
                        "{}: python3 ast rejects the fixed output: {e}",
                        relative.display()
                    ));
                }
                let again = common::fix_with(id, &path, &fixed.text);
                if let Some(second) = again.fixed {
                    failures.push(format!(
                        "{}: second run changed the file again:\n{}",
                        relative.display(),
                        second.text
                    ));
                }
            }
        }
    }
    assert!(count > 0, "no cases found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
