//! End-to-end CLI behaviour, run in-process in temp dirs and temp git repos: exit codes,
//! patches `git apply` accepts, idempotent apply, byte preservation, skipped files,
//! the dirty-tree rule, configuration and suppression comments.

mod common;

use common::{git, git_repo, remedy, write_files};

const UTCNOW: &str =
    "from datetime import datetime\n\n\ndef stamp():\n    return datetime.utcnow()\n";

#[test]
fn list_and_explain() {
    let dir = tempfile::tempdir().unwrap();
    let r = remedy(dir.path(), &["list"]);
    assert_eq!(r.code, 0);
    for id in [
        "pickle-to-json",
        "require-secrets",
        "restore-auth-guard",
        "utcnow-to-aware",
        "verify-stripe-webhook",
    ] {
        assert!(r.stdout.contains(id), "list lacks {id}:\n{}", r.stdout);
    }
    assert!(r.stdout.contains("WARN-Q1"));
    let r = remedy(dir.path(), &["list", "--output-format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        remedy::transforms::registry().len()
    );
    let r = remedy(dir.path(), &["explain", "utcnow-to-aware"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("## Fix safety"));
    let r = remedy(dir.path(), &["explain", "no-such-thing"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown transform `no-such-thing`"),
        "{}",
        r.stderr
    );
}

#[test]
fn help_teaches_and_bad_usage_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let r = remedy(dir.path(), &["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Exit codes"), "{}", r.stdout);
    assert!(r.stdout.contains("--unsafe-fixes"));
    let r = remedy(dir.path(), &["check", "--no-such-flag"]);
    assert_eq!(r.code, 2);
    let r = remedy(dir.path(), &["check", "--select", "bogus"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown transform `bogus`"),
        "{}",
        r.stderr
    );
    let r = remedy(dir.path(), &["check", "missing-dir"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing-dir"), "{}", r.stderr);
}

#[test]
fn check_exit_codes_and_line_format() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("clean.py", "x = 1\n")]);
    let r = remedy(dir.path(), &["check"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("No findings in 1 file"), "{}", r.stdout);

    write_files(dir.path(), &[("app/stamp.py", UTCNOW)]);
    let r = remedy(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let line = r
        .stdout
        .lines()
        .find(|l| l.starts_with("app/stamp.py:5:"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(line.contains(" utcnow-to-aware "), "{line}");
    assert!(line.contains("fix]"), "a fix marker: {line}");
    let r = remedy(dir.path(), &["check", "--exit-zero"]);
    assert_eq!(r.code, 0);
    // check never writes.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app/stamp.py")).unwrap(),
        UTCNOW
    );
    // A single file works as a path.
    let r = remedy(
        dir.path(),
        &["check", "app/stamp.py", "--output-format", "json"],
    );
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["findings"][0]["path"], "app/stamp.py");
    assert_eq!(v["findings"][0]["line"], 5);
}

#[test]
fn diff_applies_with_git_and_apply_is_idempotent() {
    let repo = git_repo(&[("svc/stamp.py", UTCNOW), ("svc/other.py", "y = 2\n")]);
    let dir = repo.path();
    let r = remedy(dir, &["diff", "--unsafe-fixes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("--- a/svc/stamp.py\n+++ b/svc/stamp.py\n"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains('\x1b'), "no colour in pipes");
    let patch = dir.join("fix.patch");
    std::fs::write(&patch, &r.stdout).unwrap();
    git(dir, &["apply", "--check", "fix.patch"]);
    std::fs::remove_file(&patch).unwrap();

    let r = remedy(dir, &["apply", "--unsafe-fixes"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("Fixed 1 finding in svc/stamp.py"),
        "{}",
        r.stdout
    );
    let fixed = std::fs::read_to_string(dir.join("svc/stamp.py")).unwrap();
    assert!(fixed.contains("datetime.now(timezone.utc)"), "{fixed}");
    assert!(ruff_python_parser::parse_module(&fixed).is_ok());
    // The patch from `diff` and the result of `apply` agree.
    git(dir, &["stash", "-q"]);
    std::fs::write(&patch, remedy(dir, &["diff", "--unsafe-fixes"]).stdout).unwrap();
    git(dir, &["apply", "fix.patch"]);
    std::fs::remove_file(&patch).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("svc/stamp.py")).unwrap(),
        fixed
    );
    git(dir, &["checkout", "-q", "--", "."]);
    git(dir, &["stash", "pop", "-q"]);

    git(dir, &["commit", "-qam", "fixed"]);
    let r = remedy(dir, &["apply", "--unsafe-fixes"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Applied 0 fixes"), "{}", r.stdout);
    assert_eq!(
        std::fs::read_to_string(dir.join("svc/stamp.py")).unwrap(),
        fixed
    );
    assert_eq!(git(dir, &["status", "--porcelain"]), "");
}

#[test]
fn exit_non_zero_on_fix() {
    let repo = git_repo(&[("a.py", UTCNOW)]);
    let r = remedy(
        repo.path(),
        &["apply", "--unsafe-fixes", "--exit-non-zero-on-fix"],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    git(repo.path(), &["commit", "-qam", "fixed"]);
    let r = remedy(
        repo.path(),
        &["apply", "--unsafe-fixes", "--exit-non-zero-on-fix"],
    );
    assert_eq!(r.code, 0);
}

#[test]
fn crlf_bom_and_tabs_survive() {
    let dir = tempfile::tempdir().unwrap();
    let original = "\u{feff}from datetime import datetime\r\n\r\n\r\nclass A:\r\n\tdef f(self):\r\n\t\treturn datetime.utcnow()  # keep me\r\n";
    write_files(dir.path(), &[("a.py", original)]);
    let r = remedy(dir.path(), &["apply", "--unsafe-fixes"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let fixed = std::fs::read(dir.path().join("a.py")).unwrap();
    assert!(fixed.starts_with(b"\xef\xbb\xbf"), "BOM kept");
    let text = String::from_utf8(fixed).unwrap();
    assert_ne!(text, original, "was fixed");
    assert_eq!(
        text.matches("\r\n").count(),
        text.matches('\n').count(),
        "only CRLF line endings: {text:?}"
    );
    assert!(text.contains("\t\treturn datetime.now("), "{text:?}");
    assert!(text.contains("# keep me\r\n"));
}

#[test]
fn undecodable_and_broken_files_are_skipped_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let latin1: &[u8] = b"# caf\xe9\nfrom datetime import datetime\nx = datetime.utcnow()\n";
    let broken = "from datetime import datetime\nx = datetime.utcnow(\n";
    std::fs::write(dir.path().join("latin1.py"), latin1).unwrap();
    write_files(dir.path(), &[("broken.py", broken), ("good.py", UTCNOW)]);
    let r = remedy(dir.path(), &["apply", "--unsafe-fixes"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("latin1.py: skipped: not valid UTF-8"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("broken.py: skipped: syntax error at line"),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stderr.matches("broken.py").count(),
        1,
        "said once: {}",
        r.stderr
    );
    assert_eq!(std::fs::read(dir.path().join("latin1.py")).unwrap(), latin1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("broken.py")).unwrap(),
        broken
    );
    assert_ne!(
        std::fs::read_to_string(dir.path().join("good.py")).unwrap(),
        UTCNOW,
        "the good file is still fixed"
    );
}

#[test]
fn refuses_dirty_files_unless_allowed() {
    let repo = git_repo(&[("a.py", UTCNOW), ("b.py", UTCNOW)]);
    let dir = repo.path();
    let dirty = format!("{UTCNOW}# local edit\n");
    std::fs::write(dir.join("a.py"), &dirty).unwrap();
    let r = remedy(dir, &["apply", "--unsafe-fixes"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("uncommitted changes"), "{}", r.stderr);
    assert!(
        r.stderr.contains("  a.py"),
        "lists the dirty file: {}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("  b.py"),
        "lists only dirty files: {}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("a.py")).unwrap(),
        dirty,
        "nothing written"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("b.py")).unwrap(),
        UTCNOW,
        "nothing written"
    );
    let r = remedy(dir, &["apply", "--unsafe-fixes", "--allow-dirty"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::read_to_string(dir.join("a.py"))
            .unwrap()
            .contains("# local edit")
    );
    assert_ne!(std::fs::read_to_string(dir.join("a.py")).unwrap(), dirty);
}

#[test]
fn configuration_and_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "pyproject.toml",
                "[tool.remedy]\nunsafe-fixes = true\nexclude = [\"vendored\"]\n[tool.remedy.per-file-ignores]\n\"legacy/*\" = [\"utcnow-to-aware\"]\n",
            ),
            ("app.py", UTCNOW),
            ("legacy/old.py", UTCNOW),
            ("vendored/lib.py", UTCNOW),
            (
                "quiet.py",
                "from datetime import datetime\nx = datetime.utcnow()  # remedy: ignore[utcnow-to-aware]\ny = datetime.utcnow()  # remedy: ignore\n",
            ),
            (
                "other.py",
                "from datetime import datetime\nx = datetime.utcnow()  # remedy: ignore[pickle-to-json]\n",
            ),
        ],
    );
    let r = remedy(dir.path(), &["check", "--output-format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["app.py", "other.py"], "{}", r.stdout);
    // unsafe-fixes = true from the config: the summary offers them without the flag.
    let r = remedy(
        dir.path(),
        &[
            "check",
            "--select",
            "utcnow-to-aware",
            "--ignore",
            "utcnow-to-aware",
        ],
    );
    assert_eq!(r.code, 0, "nothing selected: {}", r.stdout);

    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.remedy]\nselects = [\"x\"]\n",
    )
    .unwrap();
    let r = remedy(dir.path(), &["check"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("selects") && r.stderr.contains("pyproject.toml"),
        "{}",
        r.stderr
    );
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.remedy]\nselect = [\"nope\"]\n",
    )
    .unwrap();
    let r = remedy(dir.path(), &["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope"), "{}", r.stderr);
}

#[test]
fn default_excludes_and_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (".gitignore", "generated/\n"),
            ("generated/a.py", UTCNOW),
            (".venv/lib/x.py", UTCNOW),
            ("node_modules/y.py", UTCNOW),
            ("__pycache__/z.py", UTCNOW),
            ("stubs/s.pyi", UTCNOW),
            ("real.py", UTCNOW),
        ],
    );
    let r = remedy(dir.path(), &["check", "--output-format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["real.py"], "{}", r.stdout);
    let r = remedy(dir.path(), &["check", "--exclude", "real.py"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn diff_paths_are_relative_to_the_current_directory_and_apply_there() {
    let repo = git_repo(&[("svc/stamp.py", UTCNOW), ("lib/other.py", UTCNOW)]);
    let dir = repo.path();
    let sub = dir.join("svc");
    // `..` in a PATH never reaches the patch; an absolute PATH inside the cwd is relative too.
    for given in ["../svc/stamp.py", "./stamp.py"] {
        let r = remedy(&sub, &["diff", "--unsafe-fixes", given]);
        assert_eq!(r.code, 0, "{given}: {}", r.stderr);
        assert!(
            r.stdout.starts_with("--- a/stamp.py\n+++ b/stamp.py\n"),
            "{given}: {}",
            r.stdout
        );
        std::fs::write(dir.join("fix.patch"), &r.stdout).unwrap();
        git(&sub, &["apply", "--check", "../fix.patch"]);
    }
    let absolute = sub.join("stamp.py");
    let r = remedy(
        &sub,
        &["diff", "--unsafe-fixes", absolute.to_str().unwrap()],
    );
    assert!(r.stdout.starts_with("--- a/stamp.py\n"), "{}", r.stdout);
    // A file outside the current directory cannot be patched from here: refused, not a
    // patch `git apply` rejects.
    for outside in ["../lib/other.py", dir.join("lib").to_str().unwrap()] {
        let r = remedy(&sub, &["diff", outside]);
        assert_eq!(r.code, 2, "{outside}: {}{}", r.stdout, r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        assert!(
            r.stderr.contains("outside the current directory"),
            "{}",
            r.stderr
        );
        let r = remedy(&sub, &["check", "--diff", outside]);
        assert_eq!(r.code, 2, "{}", r.stderr);
    }
    // check and apply take such paths.
    let r = remedy(&sub, &["check", "../lib/other.py"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("lib/other.py:5:"), "{}", r.stdout);
    assert!(!r.stdout.contains(".."), "{}", r.stdout);
}

#[test]
fn dirty_files_are_refused_from_outside_their_repository() {
    let repo = git_repo(&[("a.py", UTCNOW)]);
    let dirty = format!("{UTCNOW}# local edit\n");
    std::fs::write(repo.path().join("a.py"), &dirty).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = repo.path().join("a.py");
    let r = remedy(
        elsewhere.path(),
        &["apply", "--unsafe-fixes", target.to_str().unwrap()],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("uncommitted changes"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), dirty);
}

#[test]
fn configuration_errors_name_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            (
                "pyproject.toml",
                "[project]\nname = \"x\"\n\n[tool.remedy]\nunsafe-fixes = \"yes\"\n",
            ),
            ("a.py", UTCNOW),
        ],
    );
    let r = remedy(dir.path(), &["check"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("pyproject.toml: line 5, column 16")
            && r.stderr.contains("`unsafe-fixes`")
            && r.stderr.contains("expected a boolean"),
        "{}",
        r.stderr
    );
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.remedy]\nexclude = [\"[bad\"]\n",
    )
    .unwrap();
    let r = remedy(dir.path(), &["check"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("pyproject.toml: exclude: invalid glob `[bad`"),
        "the error names the file, not --exclude: {}",
        r.stderr
    );
}

#[test]
fn subcommand_help_gives_examples_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["check", "diff", "apply", "branch"] {
        let r = remedy(dir.path(), &[command, "--help"]);
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.contains("Examples:") && r.stdout.contains("Exit codes:"),
            "{command} --help: {}",
            r.stdout
        );
    }
}

#[test]
fn config_flag_quiet_repeated_excludes_and_deterministic_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, &str)> = (0..300)
        .map(|i| (format!("pkg{}/m{i}.py", i % 7), UTCNOW))
        .collect();
    files.push((
        "cfg/only-pickle.toml".into(),
        "[tool.remedy]\nselect = [\"pickle-to-json\"]\n",
    ));
    files.push(("cfg/remedy.toml".into(), "unsafe-fixes = true\n"));
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    write_files(dir.path(), &borrowed);

    // Output order is the sorted path order, the same on every run (files run in parallel).
    let first = remedy(dir.path(), &["check"]);
    assert_eq!(first.code, 1);
    let paths: Vec<&str> = first
        .stdout
        .lines()
        .filter_map(|l| l.split(':').next().filter(|p| p.ends_with(".py")))
        .collect();
    assert_eq!(paths.len(), 300);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    for _ in 0..3 {
        assert_eq!(remedy(dir.path(), &["check"]).stdout, first.stdout);
    }

    // --config names the file to use (pyproject-style table or remedy.toml top level).
    let r = remedy(dir.path(), &["check", "--config", "cfg/only-pickle.toml"]);
    assert_eq!(r.code, 0, "only pickle-to-json selected: {}", r.stdout);
    let r = remedy(
        dir.path(),
        &["diff", "--config", "cfg/remedy.toml", "pkg0/m0.py"],
    );
    assert!(
        r.stdout.contains("+++ b/pkg0/m0.py"),
        "unsafe-fixes from --config: {}",
        r.stdout
    );
    let r = remedy(
        dir.path(),
        &[
            "diff",
            "--config",
            "cfg/remedy.toml",
            "--no-unsafe-fixes",
            "pkg0/m0.py",
        ],
    );
    assert!(r.stdout.is_empty(), "--no-unsafe-fixes wins: {}", r.stdout);
    let r = remedy(dir.path(), &["check", "--config", "cfg/missing.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cfg/missing.toml"), "{}", r.stderr);

    // -q drops the summary; --exclude repeats (a directory, a glob, a file).
    let r = remedy(
        dir.path(),
        &[
            "check",
            "-q",
            "--exclude",
            "pkg1",
            "--exclude",
            "pkg2/**",
            "--exclude",
            "pkg3/m3.py",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains("Found"), "{}", r.stdout);
    let listed = r.stdout.lines().count();
    let expected = (0..300)
        .filter(|i| i % 7 != 1 && i % 7 != 2 && *i != 3)
        .count();
    assert_eq!(listed, expected, "{}", r.stdout);
}
