//! Hostile and odd inputs: remedy must never break or lose a file, whatever it is given.
//! Each test builds a temp tree, runs the CLI (in-process, or the built binary where a crash
//! must be observed from outside) and checks every byte on disk afterwards.
//!
//! Tests that need a fix use `utcnow-to-aware` on `datetime.utcnow()`; the expected output is
//! computed by the engine itself, so these tests check the *file handling* (encodings, line
//! endings, permissions, paths), not the transform's wording.

mod common;

use std::path::{Path, PathBuf};

use common::remedy;

const SNIPPET: &str =
    "from datetime import datetime\n\n\ndef stamp():\n    return datetime.utcnow()\n";
const BOM: &[u8] = b"\xef\xbb\xbf";

/// What `utcnow-to-aware` makes of `source` (as the engine computes it).
fn expected_fix(source: &str) -> String {
    // On a thread with a large stack, like remedy's workers: some inputs nest deeply.
    let owned = source.to_string();
    let outcome = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || common::fix_with("utcnow-to-aware", "app.py", &owned))
        .unwrap()
        .join()
        .unwrap();
    assert!(outcome.problem.is_none(), "{:?}", outcome.problem);
    let findings = format!("{:?}", outcome.findings);
    outcome.fixed.map(|f| f.text).unwrap_or_else(|| {
        panic!("utcnow-to-aware found nothing to fix in {source:?} (this test needs the real transform): {findings}")
    })
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

/// Files remedy may have left behind (temp files of an interrupted or failed write).
fn stray_temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let ty = entry.file_type().unwrap();
            if ty.is_dir() {
                stack.push(entry.path());
            } else if entry.file_name().to_string_lossy().starts_with(".remedy-") {
                found.push(entry.path());
            }
        }
    }
    found
}

fn is_root() -> bool {
    // Uid line of /proc/self/status: real, effective, saved, fs.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn non_utf8_file_is_skipped_by_name_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = b"# -*- coding: latin-1 -*-\nfrom datetime import datetime\nname = '\xe9t\xe9'\ndef f():\n    return datetime.utcnow()\n";
    write(dir.path(), "latin1.py", latin1);
    write(dir.path(), "good.py", SNIPPET.as_bytes());

    let check = remedy(dir.path(), &["check", "--exit-zero"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("latin1.py") && check.stderr.contains("not valid UTF-8"),
        "the skip names the file and says why: {}",
        check.stderr
    );

    let apply = remedy(dir.path(), &["apply", "--unsafe-fixes", "--allow-dirty"]);
    assert_eq!(
        apply.code, 0,
        "a skipped file is not an error: {}",
        apply.stderr
    );
    assert!(apply.stderr.contains("latin1.py"), "{}", apply.stderr);
    assert_eq!(read(dir.path(), "latin1.py"), latin1);
    assert_eq!(
        read(dir.path(), "good.py"),
        expected_fix(SNIPPET).as_bytes(),
        "other files are still fixed"
    );
}

#[test]
fn nul_bytes_are_skipped_by_name_and_left_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let with_nul = b"from datetime import datetime\nx = datetime.utcnow()\ny = '\0'\n";
    write(dir.path(), "nul.py", with_nul);
    write(dir.path(), "good.py", SNIPPET.as_bytes());
    let apply = remedy(dir.path(), &["apply", "--unsafe-fixes", "--allow-dirty"]);
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert!(
        apply.stderr.contains("nul.py") && apply.stderr.contains("NUL"),
        "{}",
        apply.stderr
    );
    assert_eq!(read(dir.path(), "nul.py"), with_nul);
    assert_eq!(
        read(dir.path(), "good.py"),
        expected_fix(SNIPPET).as_bytes()
    );
}

#[test]
fn utf8_bom_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let plain = "import os\n\nprint(os.sep)\n";
    write(
        dir.path(),
        "untouched.py",
        &[BOM, plain.as_bytes()].concat(),
    );
    write(dir.path(), "fixme.py", &[BOM, SNIPPET.as_bytes()].concat());

    // A BOM is not a problem: the file parses and is checked like any other.
    let check = remedy(
        dir.path(),
        &[
            "check",
            "--output-format",
            "json",
            "--exit-zero",
            "untouched.py",
        ],
    );
    assert_eq!(
        json(&check.stdout)["problems"],
        serde_json::json!([]),
        "{}",
        check.stdout
    );

    let apply = remedy(dir.path(), &["apply", "--unsafe-fixes", "--allow-dirty"]);
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert_eq!(
        read(dir.path(), "untouched.py"),
        [BOM, plain.as_bytes()].concat()
    );
    let fixed = read(dir.path(), "fixme.py");
    assert!(fixed.starts_with(BOM), "BOM kept");
    assert_eq!(&fixed[3..], expected_fix(SNIPPET).as_bytes());
    assert!(!fixed[3..].starts_with(BOM), "BOM not doubled");
}

#[test]
fn crlf_cr_and_mixed_line_endings_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let crlf = SNIPPET.replace('\n', "\r\n");
    let cr = SNIPPET.replace('\n', "\r");
    let mixed =
        "import os\r\nfrom datetime import datetime\ny = 1\r\nx = datetime.utcnow()\nz = 2\r\n";
    write(dir.path(), "crlf.py", crlf.as_bytes());
    write(dir.path(), "cr.py", cr.as_bytes());
    write(dir.path(), "mixed.py", mixed.as_bytes());
    let apply = remedy(dir.path(), &["apply", "--unsafe-fixes", "--allow-dirty"]);
    assert_eq!(apply.code, 0, "{}", apply.stderr);

    let fixed_crlf = String::from_utf8(read(dir.path(), "crlf.py")).unwrap();
    assert_eq!(fixed_crlf, expected_fix(&crlf));
    assert_eq!(
        fixed_crlf.matches('\n').count(),
        fixed_crlf.matches("\r\n").count(),
        "no bare LF: {fixed_crlf:?}"
    );

    let fixed_cr = String::from_utf8(read(dir.path(), "cr.py")).unwrap();
    assert_eq!(fixed_cr, expected_fix(&cr));
    assert!(
        !fixed_cr.contains('\n'),
        "CR-only file stays CR-only: {fixed_cr:?}"
    );

    let fixed_mixed = String::from_utf8(read(dir.path(), "mixed.py")).unwrap();
    assert_eq!(fixed_mixed, expected_fix(mixed));
    // Lines the fix is not about keep their own line endings, byte for byte.
    for line in ["import os\r\n", "y = 1\r\n", "z = 2\r\n"] {
        assert!(
            fixed_mixed.contains(line),
            "{line:?} kept in {fixed_mixed:?}"
        );
    }
    for name in ["crlf.py", "cr.py", "mixed.py"] {
        if let Some(Err(e)) =
            common::python_ast_parses(&String::from_utf8(read(dir.path(), name)).unwrap())
        {
            panic!("{name} does not parse after the fix: {e}");
        }
    }
}

#[test]
fn form_feeds_and_tabs_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let source = "\x0cfrom datetime import datetime\n\x0c\n\ndef f():\n\tx = datetime.utcnow()\n\x0c\treturn x\n";
    write(dir.path(), "ff.py", source.as_bytes());
    let apply = remedy(dir.path(), &["apply", "--unsafe-fixes", "--allow-dirty"]);
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    let fixed = String::from_utf8(read(dir.path(), "ff.py")).unwrap();
    assert_eq!(fixed, expected_fix(source));
    assert_ne!(fixed, source);
    assert_eq!(
        fixed.matches('\x0c').count(),
        3,
        "form feeds kept: {fixed:?}"
    );
    assert!(fixed.contains("\n\x0c\treturn x\n"), "{fixed:?}");
    assert!(
        !fixed.contains("\n    "),
        "tab indentation never turned into spaces: {fixed:?}"
    );
    if let Some(Err(e)) = common::python_ast_parses(&fixed) {
        panic!("does not parse after the fix: {e}");
    }
}

#[test]
fn empty_and_blank_files_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &[u8])] = &[
        ("empty.py", b""),
        ("bom_only.py", BOM),
        ("newline.py", b"\n"),
        ("blank.py", b" \t\x0c\r\n\n"),
        ("comment.py", b"# utcnow"),
    ];
    for (name, bytes) in files {
        write(dir.path(), name, bytes);
    }
    let check = remedy(dir.path(), &["check", "--output-format", "json"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let report = json(&check.stdout);
    assert_eq!(
        report["problems"],
        serde_json::json!([]),
        "{}",
        check.stdout
    );
    assert_eq!(report["summary"]["files_checked"], 5);
    let apply = remedy(dir.path(), &["apply", "--unsafe-fixes", "--allow-dirty"]);
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    for (name, bytes) in files {
        assert_eq!(read(dir.path(), name), *bytes, "{name}");
    }
}

#[test]
fn twenty_megabyte_file_is_processed() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::with_capacity(21 << 20);
    big.push_str(SNIPPET);
    let filler = "a".repeat(1000);
    let mut i = 0;
    while big.len() < 20 << 20 {
        big.push_str(&format!("v{i} = \"{filler}\"  # {i}\n"));
        i += 1;
    }
    big.push_str("def g():\n    return datetime.utcnow()\n");
    write(dir.path(), "big.py", big.as_bytes());
    let apply = remedy(dir.path(), &["apply", "--unsafe-fixes", "--allow-dirty"]);
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert!(!apply.stderr.contains("warning"), "{}", apply.stderr);
    let fixed = String::from_utf8(read(dir.path(), "big.py")).unwrap();
    // The fix touches the snippet at the top and the last line; the 20 MB between are identical.
    let fixed_head = expected_fix(SNIPPET);
    let head_len = SNIPPET.len();
    let middle = &big[head_len..big.len() - "def g():\n    return datetime.utcnow()\n".len()];
    assert!(
        fixed.starts_with(&fixed_head[..fixed_head.find("def stamp").unwrap()]),
        "head fixed"
    );
    let middle_at = fixed.find("v0 = ").expect("filler kept");
    assert_eq!(
        &fixed[middle_at..middle_at + middle.len()],
        middle,
        "the 20 MB in between are byte-identical"
    );
    assert!(!fixed.contains("utcnow"), "both calls fixed");
}

/// Files that nest deeper than any compiler accepts: each must be skipped with a message
/// naming it, never crash remedy (a stack overflow would abort this whole test binary).
#[test]
fn deep_nesting_never_overflows_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let head = SNIPPET; // a trigger, so every transform parses the file
    let n = 100_000;
    let deep: Vec<(&str, String)> = vec![
        (
            "brackets.py",
            format!("{head}y = {}1{}\n", "(".repeat(10_000), ")".repeat(10_000)),
        ),
        (
            "lists.py",
            format!("{head}y = {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
        ),
        (
            "plus_chain.py",
            format!("{head}y = {}\n", vec!["1"; n].join("+")),
        ),
        (
            "attribute_chain.py",
            format!("{head}y = a{}\n", ".b".repeat(n)),
        ),
        ("unary_chain.py", format!("{head}y = {}1\n", "-".repeat(n))),
        ("not_chain.py", format!("{head}y = {}x\n", "not ".repeat(n))),
        ("call_chain.py", format!("{head}y = f{}\n", "()".repeat(n))),
        (
            "subscript_chain.py",
            format!("{head}y = a{}\n", "[0]".repeat(n)),
        ),
        (
            "conditional_chain.py",
            format!("{head}y = {}2\n", "1 if c else ".repeat(n)),
        ),
        (
            "power_chain.py",
            format!("{head}y = {}\n", vec!["2"; n].join("**")),
        ),
        (
            "lambda_chain.py",
            format!("{head}y = {}1\n", "lambda: ".repeat(20_000)),
        ),
        (
            "await_chain.py",
            format!("{head}async def g():\n    y = {}x\n", "await ".repeat(n)),
        ),
        (
            "blocks.py",
            format!(
                "{head}{}{}pass\n",
                (0..3000)
                    .map(|i| format!("{}if x:\n", " ".repeat(i)))
                    .collect::<String>(),
                " ".repeat(3000)
            ),
        ),
    ];
    for (name, text) in &deep {
        write(dir.path(), name, text.as_bytes());
    }
    // Deep, but within what real code can be: processed and fixed normally.
    let nested_ok = format!(
        "{head}y = {}{}\nz = {}\n",
        "[".repeat(900),
        "]".repeat(900),
        vec!["1"; 900].join("+")
    );
    write(dir.path(), "nested_ok.py", nested_ok.as_bytes());

    let out = remedy(dir.path(), &["apply", "--unsafe-fixes", "--allow-dirty"]);
    let stderr = out.stderr;
    assert_eq!(out.code, 0, "{stderr}");
    for (name, text) in &deep {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(name) && l.contains("nested deeper")),
            "{name} skipped with a message: {stderr}"
        );
        assert_eq!(read(dir.path(), name), text.as_bytes(), "{name} untouched");
    }
    assert!(!stderr.contains("nested_ok.py"), "{stderr}");
    assert_eq!(
        String::from_utf8(read(dir.path(), "nested_ok.py")).unwrap(),
        expected_fix(&nested_ok)
    );

    // One file alone, in-process: a single-file run must get the large worker stack too.
    let single = remedy(dir.path(), &["check", "--exit-zero", "plus_chain.py"]);
    assert_eq!(single.code, 0, "{}", single.stderr);
    assert!(single.stderr.contains("nested deeper"), "{}", single.stderr);
}

#[test]
fn directory_symlink_loop_terminates() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pkg/app.py", SNIPPET.as_bytes());
    std::os::unix::fs::symlink("..", dir.path().join("pkg/up")).unwrap();
    std::os::unix::fs::symlink("loop_b", dir.path().join("loop_a")).unwrap();
    std::os::unix::fs::symlink("loop_a", dir.path().join("loop_b")).unwrap();
    std::os::unix::fs::symlink("self.py", dir.path().join("self.py")).unwrap();

    let check = remedy(
        dir.path(),
        &["check", "--output-format", "json", "--exit-zero"],
    );
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(
        json(&check.stdout)["summary"]["files_checked"],
        1,
        "only the real file: {}",
        check.stdout
    );

    // Named explicitly, a symlink loop is a clear error, not a hang.
    let explicit = remedy(dir.path(), &["check", "self.py"]);
    assert_eq!(explicit.code, 2, "{}", explicit.stderr);
    assert!(explicit.stderr.contains("self.py"), "{}", explicit.stderr);

    let apply = remedy(dir.path(), &["apply", "--unsafe-fixes", "--allow-dirty"]);
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert_eq!(
        read(dir.path(), "pkg/app.py"),
        expected_fix(SNIPPET).as_bytes()
    );
    assert!(
        std::fs::symlink_metadata(dir.path().join("pkg/up"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn unreadable_file_is_reported_and_others_still_fixed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.py", SNIPPET.as_bytes());
    // As root, permission bits do not stop reads; /proc/self/mem is a regular file whose
    // first bytes cannot be read by anyone (EIO), so it stands in for an unreadable file.
    let unreadable: PathBuf = if is_root() {
        eprintln!(
            "NOTE: running as root, where chmod 000 does not stop reads; using /proc/self/mem instead"
        );
        let mem = PathBuf::from("/proc/self/mem");
        if !mem.exists() {
            eprintln!(
                "SKIP: no /proc/self/mem; the unreadable-file test needs it when run as root"
            );
            return;
        }
        mem
    } else {
        use std::os::unix::fs::PermissionsExt;
        let p = write(dir.path(), "secret.py", SNIPPET.as_bytes());
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        p
    };
    let name = unreadable
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let unreadable_arg = unreadable.to_string_lossy().into_owned();
    let apply = remedy(
        dir.path(),
        &[
            "apply",
            "--unsafe-fixes",
            "--allow-dirty",
            "good.py",
            &unreadable_arg,
        ],
    );
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert!(
        apply
            .stderr
            .lines()
            .any(|l| l.contains(&name) && l.contains("cannot read")),
        "the unreadable file is named: {}",
        apply.stderr
    );
    assert_eq!(
        read(dir.path(), "good.py"),
        expected_fix(SNIPPET).as_bytes()
    );
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(std::fs::read(&unreadable).unwrap(), SNIPPET.as_bytes());
    }
}

#[test]
fn read_only_file_is_an_error_and_others_are_still_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let ro = write(dir.path(), "ro.py", SNIPPET.as_bytes());
    write(dir.path(), "rw.py", SNIPPET.as_bytes());
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let apply = remedy(dir.path(), &["apply", "--unsafe-fixes", "--allow-dirty"]);
    assert_eq!(
        apply.code, 2,
        "a file that could not be written is an error: {}",
        apply.stderr
    );
    assert!(
        apply
            .stderr
            .contains("error: ro.py: file is read-only; not modified"),
        "{}",
        apply.stderr
    );
    assert!(
        !apply.stdout.contains("Fixed 1 finding in ro.py"),
        "{}",
        apply.stdout
    );
    assert_eq!(read(dir.path(), "ro.py"), SNIPPET.as_bytes());
    assert_eq!(
        std::fs::metadata(&ro).unwrap().permissions().mode() & 0o777,
        0o444,
        "mode untouched"
    );
    assert_eq!(read(dir.path(), "rw.py"), expected_fix(SNIPPET).as_bytes());
    assert_eq!(stray_temp_files(dir.path()), Vec::<PathBuf>::new());
}

/// The write layer on its own (holds whatever the transforms do).
#[test]
fn write_layer_refuses_read_only_and_changed_files_and_leaves_no_temp_files() {
    use remedy::write::{WriteError, write_atomically};
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();

    let ro = write(dir.path(), "ro.py", b"old\r\n");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let err = write_atomically(&ro, b"old\r\n", b"new\r\n").unwrap_err();
    assert!(matches!(err, WriteError::ReadOnly { .. }), "{err}");
    assert!(
        err.to_string().contains("ro.py: file is read-only"),
        "{err}"
    );
    assert_eq!(std::fs::read(&ro).unwrap(), b"old\r\n");

    // Changed between read and write: another process saved the file meanwhile.
    let changed = write(dir.path(), "changed.py", b"what remedy read\n");
    std::fs::write(&changed, b"what the editor saved since\n").unwrap();
    let err = write_atomically(&changed, b"what remedy read\n", b"remedy's fix\n").unwrap_err();
    assert!(matches!(err, WriteError::ChangedSinceRead { .. }), "{err}");
    assert_eq!(
        std::fs::read(&changed).unwrap(),
        b"what the editor saved since\n",
        "nothing lost"
    );

    // Unchanged: written, mode kept.
    let ok = write(dir.path(), "ok.py", b"old\n");
    std::fs::set_permissions(&ok, std::fs::Permissions::from_mode(0o751)).unwrap();
    write_atomically(&ok, b"old\n", b"new\n").unwrap();
    assert_eq!(std::fs::read(&ok).unwrap(), b"new\n");
    assert_eq!(
        std::fs::metadata(&ok).unwrap().permissions().mode() & 0o777,
        0o751
    );

    // Deleted between read and write: an error, and no file is conjured up.
    let gone = dir.path().join("gone.py");
    assert!(write_atomically(&gone, b"old\n", b"new\n").is_err());
    assert!(!gone.exists());

    assert_eq!(stray_temp_files(dir.path()), Vec::<PathBuf>::new());
}

/// A symlinked file is written through: the link stays a link, its target gets the fix.
#[test]
fn write_through_symlinked_file_keeps_the_link() {
    use remedy::write::write_atomically;
    let dir = tempfile::tempdir().unwrap();
    let target = write(dir.path(), "real/target.py", b"old\n");
    let link = dir.path().join("link.py");
    std::os::unix::fs::symlink("real/target.py", &link).unwrap();
    write_atomically(&link, b"old\n", b"new\n").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"new\n");
    assert_eq!(stray_temp_files(dir.path()), Vec::<PathBuf>::new());

    // Through the CLI, with the link named explicitly.
    std::fs::write(&target, SNIPPET).unwrap();
    let apply = remedy(
        dir.path(),
        &["apply", "--unsafe-fixes", "--allow-dirty", "link.py"],
    );
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read(&target).unwrap(),
        expected_fix(SNIPPET).as_bytes()
    );
}

#[test]
fn paths_with_spaces_and_non_ascii_names() {
    let name = "my app/ünï cödé/файл 1.py";
    let repo = common::git_repo(&[(name, SNIPPET), ("plain.py", "print(1)\n")]);
    let dir = repo.path();

    let check = remedy(dir, &["check", "--output-format", "json", "--exit-zero"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let report = json(&check.stdout);
    assert_eq!(report["problems"], serde_json::json!([]));
    let finding_paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(finding_paths.contains(&name), "{finding_paths:?}");

    // The patch `remedy diff` prints applies with git, path and all.
    let diff = remedy(dir, &["diff", "--unsafe-fixes"]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    let patch = dir.join("..").join(format!(
        "{}.patch",
        dir.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&patch, &diff.stdout).unwrap();
    common::git(dir, &["apply", "--check", patch.to_str().unwrap()]);
    std::fs::remove_file(&patch).unwrap();

    let apply = remedy(dir, &["apply", "--unsafe-fixes"]);
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    assert!(apply.stdout.contains(name), "{}", apply.stdout);
    assert_eq!(read(dir, name), expected_fix(SNIPPET).as_bytes());
    assert_eq!(read(dir, "plain.py"), b"print(1)\n");
}
