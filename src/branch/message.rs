//! What a branch says about itself: commit messages (with the trailers that let remedy
//! recognise its own commits) and the markdown pull-request body.

use serde::Serialize;

/// The trailer naming the transform a commit came from.
pub const TRANSFORM_TRAILER: &str = "Remedy-Transform";
/// The trailer recording the tree remedy committed: a commit whose tree differs from it was
/// amended by someone, so it is no longer remedy's to rewrite.
pub const TREE_TRAILER: &str = "Remedy-Tree";

/// What the messages say about a transform.
#[derive(Clone, Debug, Serialize)]
pub struct TransformInfo {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Review finding ids (e.g. `WARN-Q1`).
    pub findings: Vec<String>,
    pub cwe: Vec<String>,
}

/// One finding as listed in a commit message, PR body or JSON report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FixNote {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// What the fix changes; None for findings without a fix.
    pub fix: Option<String>,
    pub applicability: Option<&'static str>,
}

/// The findings of one transform in the files of one commit.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Notes {
    /// Fixes applied in the commit.
    pub fixed: Vec<FixNote>,
    /// Findings remedy does not fix: display-only, declined, or fixes that could not apply.
    pub needs_person: Vec<FixNote>,
    /// Unsafe fixes left out because `--unsafe-fixes` was not given.
    pub unsafe_skipped: Vec<FixNote>,
}

pub fn commit_title(info: &TransformInfo) -> String {
    format!("fix(security): {}", info.title)
}

fn review_line(info: &TransformInfo) -> String {
    let findings = if info.findings.is_empty() {
        "-".to_string()
    } else {
        info.findings.join(", ")
    };
    let cwe = if info.cwe.is_empty() {
        "-".to_string()
    } else {
        info.cwe.join(", ")
    };
    format!("Review findings: {findings}; CWE: {cwe}")
}

/// The full commit message, trailers last.
pub fn commit_message(info: &TransformInfo, notes: &Notes, tree: git2::Oid) -> String {
    let mut m = commit_title(info);
    m.push_str("\n\n");
    if !info.summary.is_empty() {
        m.push_str(&info.summary);
        m.push_str("\n\n");
    }
    m.push_str(&review_line(info));
    m.push_str("\n\n");
    if !notes.fixed.is_empty() {
        m.push_str("Fixed:\n");
        for n in &notes.fixed {
            m.push_str(&format!(
                "- {}:{}: {}\n  finding: {}\n",
                n.path,
                n.line,
                n.fix.as_deref().unwrap_or("fix"),
                n.message
            ));
        }
        m.push('\n');
    }
    if !notes.needs_person.is_empty() {
        m.push_str("Not fixed (needs a person):\n");
        for n in &notes.needs_person {
            m.push_str(&format!("- {}:{}: {}\n", n.path, n.line, n.message));
        }
        m.push('\n');
    }
    if !notes.unsafe_skipped.is_empty() {
        m.push_str("Not applied (unsafe fixes; review with `remedy diff --unsafe-fixes`):\n");
        for n in &notes.unsafe_skipped {
            m.push_str(&format!(
                "- {}:{}: {}\n",
                n.path,
                n.line,
                n.fix.as_deref().unwrap_or(&n.message)
            ));
        }
        m.push('\n');
    }
    m.push_str(&format!(
        "{TRANSFORM_TRAILER}: {}\n{TREE_TRAILER}: {tree}\n",
        info.id
    ));
    m
}

/// The value of trailer `key` in a commit message, if present in its trailer block.
pub fn trailer(message: &str, key: &str) -> Option<String> {
    let trailers = git2::message_trailers_strs(message).ok()?;
    trailers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.trim().to_string())
}

/// The pull-request title for a branch of one or several transforms.
pub fn pr_title(infos: &[&TransformInfo]) -> String {
    match infos {
        [one] => commit_title(one),
        many => format!("fix(security): {} security remediations", many.len()),
    }
}

/// The markdown pull-request body.
pub fn pr_body(
    sections: &[(&TransformInfo, &Notes)],
    base: git2::Oid,
    unsafe_fixes: bool,
) -> String {
    let mut b = String::new();
    for (info, notes) in sections {
        b.push_str(&format!("### {}\n\n", info.title));
        if !info.summary.is_empty() {
            b.push_str(&format!("{}\n\n", info.summary));
        }
        let findings = info
            .findings
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        b.push_str(&format!(
            "Review findings: {} · CWE: {} · transform `{}` (see `remedy explain {}`)\n\n",
            if findings.is_empty() {
                "-".to_string()
            } else {
                findings
            },
            if info.cwe.is_empty() {
                "-".to_string()
            } else {
                info.cwe.join(", ")
            },
            info.id,
            info.id
        ));
        if !notes.fixed.is_empty() {
            b.push_str("**Fixed**\n\n");
            for n in &notes.fixed {
                b.push_str(&format!(
                    "- `{}:{}` — {} ({})\n",
                    n.path,
                    n.line,
                    n.fix.as_deref().unwrap_or("fix"),
                    n.message
                ));
            }
            b.push('\n');
        }
        if !notes.needs_person.is_empty() {
            b.push_str("**Not fixed (needs a person)**\n\n");
            for n in &notes.needs_person {
                b.push_str(&format!("- `{}:{}` — {}\n", n.path, n.line, n.message));
            }
            b.push('\n');
        }
        if !notes.unsafe_skipped.is_empty() {
            b.push_str(
                "**Unsafe fixes not applied** (review with `remedy diff --unsafe-fixes`)\n\n",
            );
            for n in &notes.unsafe_skipped {
                b.push_str(&format!(
                    "- `{}:{}` — {}\n",
                    n.path,
                    n.line,
                    n.fix.as_deref().unwrap_or(&n.message)
                ));
            }
            b.push('\n');
        }
    }
    b.push_str(&format!(
        "---\nBuilt by `remedy branch` on `{}`{}. Re-running remedy rebuilds this branch when the base or the fixes change; \
it never overwrites commits pushed by people.\n",
        &base.to_string()[..12],
        if unsafe_fixes { " with `--unsafe-fixes`" } else { "" }
    ));
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_are_parseable() {
        let info = TransformInfo {
            id: "t".into(),
            title: "Title".into(),
            summary: "Does things.".into(),
            findings: vec!["WARN-Q1".into()],
            cwe: vec!["CWE-477".into()],
        };
        let notes = Notes {
            fixed: vec![FixNote {
                path: "a.py".into(),
                line: 2,
                column: 5,
                message: "m: x".into(),
                fix: Some("f".into()),
                applicability: Some("safe"),
            }],
            needs_person: vec![FixNote {
                path: "b.py".into(),
                line: 3,
                column: 1,
                message: "declined".into(),
                fix: None,
                applicability: None,
            }],
            unsafe_skipped: vec![],
        };
        let tree = git2::Oid::from_str("4b825dc642cb6eb9a060e54bf8d69288fbee4904").unwrap();
        let m = commit_message(&info, &notes, tree);
        assert!(m.starts_with("fix(security): Title\n\n"), "{m}");
        assert!(m.contains("- a.py:2: f\n  finding: m: x\n"), "{m}");
        assert!(
            m.contains("Not fixed (needs a person):\n- b.py:3: declined\n"),
            "{m}"
        );
        assert!(m.contains("Review findings: WARN-Q1; CWE: CWE-477"), "{m}");
        assert_eq!(trailer(&m, TRANSFORM_TRAILER).as_deref(), Some("t"));
        assert_eq!(
            trailer(&m, TREE_TRAILER).as_deref(),
            Some("4b825dc642cb6eb9a060e54bf8d69288fbee4904")
        );
        assert_eq!(trailer("fix: x\n\nbody\n", TRANSFORM_TRAILER), None);
    }
}
