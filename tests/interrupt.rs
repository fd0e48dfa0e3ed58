//! Interrupting `remedy apply` (SIGINT, as Ctrl-C does) at any moment leaves every file either
//! exactly as it was or exactly as fully fixed, and leaves no temporary files behind.
//! Runs the built binary on a tree of many files that need fixes and interrupts it after
//! varying delays (the delays only spread where the signal lands; nothing asserts timing).

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const FILES: usize = 400;

fn source(i: usize) -> String {
    format!(
        "\"\"\"Module {i}.\"\"\"\r\nfrom datetime import datetime\r\n\r\n\r\ndef stamp_{i}():\r\n    return datetime.utcnow()\r\n\r\n\r\ndef later_{i}(delta):\r\n    return datetime.utcnow() + delta\r\n"
    )
}

/// The fully fixed text of `source(i)`, as the engine computes it.
fn fixed(i: usize) -> String {
    let text = source(i);
    let outcome = common::fix_with("utcnow-to-aware", "app.py", &text);
    assert!(outcome.problem.is_none(), "{:?}", outcome.problem);
    let fixed = outcome.fixed.map(|f| f.text).unwrap_or_else(|| {
        panic!(
            "utcnow-to-aware found nothing to fix in {text:?}: this test needs the real transform"
        )
    });
    assert_ne!(fixed, text);
    fixed
}

fn path(dir: &Path, i: usize) -> PathBuf {
    dir.join(format!("pkg{}/module_{i}.py", i % 7))
}

fn stray_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else if !e.file_name().to_string_lossy().starts_with("module_") {
                found.push(e.path());
            }
        }
    }
    found
}

#[test]
fn sigint_leaves_every_file_original_or_fully_fixed() {
    let expected: Vec<String> = (0..FILES).map(fixed).collect();
    let bin = env!("CARGO_BIN_EXE_remedy");
    let mut seen_partial = 0;
    for delay_ms in [0u64, 10, 30, 60, 100, 150, 250, 400, 700, 1200] {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..FILES {
            let p = path(dir.path(), i);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, source(i)).unwrap();
        }
        let child = Command::new(bin)
            .args(["apply", "--unsafe-fixes", "--allow-dirty", "--quiet"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let output = child.wait_with_output().unwrap();
        let status = output.status;
        assert!(
            status.success() || status.signal() == Some(2) || status.code() == Some(130),
            "remedy ended with {status:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let (mut original, mut done) = (0, 0);
        for (i, fixed) in expected.iter().enumerate() {
            let now = std::fs::read_to_string(path(dir.path(), i)).unwrap();
            if now == source(i) {
                original += 1;
            } else if &now == fixed {
                done += 1;
            } else {
                panic!(
                    "after SIGINT at {delay_ms} ms, module_{i}.py is neither original nor fixed:\n{now}"
                );
            }
        }
        let stray = stray_files(dir.path());
        assert!(
            stray.is_empty(),
            "after SIGINT at {delay_ms} ms, files left behind: {stray:?}"
        );
        if status.success() {
            assert_eq!(done, FILES, "a completed run fixed everything");
        }
        if original > 0 && done > 0 {
            seen_partial += 1;
        }
        eprintln!("SIGINT after {delay_ms:4} ms: {status:?}; {done} fixed, {original} original");
    }
    eprintln!("{seen_partial} runs were interrupted mid-write");
}
