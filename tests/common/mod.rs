//! Test support shared by the integration tests: in-process CLI runs, temp git repos,
//! python3 as an independent parser, and a throwaway venv for running fixed code.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The result of one in-process `remedy` run.
pub struct RunResult {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs remedy in-process with `args` (without the program name) in `cwd`.
pub fn remedy(cwd: &Path, args: &[&str]) -> RunResult {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = {
        let mut io = remedy::Io {
            cwd: cwd.to_path_buf(),
            stdout: &mut out,
            stderr: &mut err,
            stdout_is_terminal: false,
            stderr_is_terminal: false,
        };
        let mut full = vec!["remedy"];
        full.extend_from_slice(args);
        remedy::run_with_args(full, &mut io)
    };
    RunResult {
        code,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// The repository root (where Cargo.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `git` in `dir`, panicking with its output on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Test Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A temp dir that is a git repo with a committer configured, holding `files`, all committed.
pub fn git_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["config", "user.name", "Test Author"]);
    git(dir.path(), &["config", "user.email", "author@example.com"]);
    git(dir.path(), &["config", "commit.gpgsign", "false"]);
    write_files(dir.path(), files);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "initial"]);
    dir
}

pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, content) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
}

/// Whether python3 is available; prints the reason once when it is not.
pub fn python3() -> Option<&'static str> {
    static FOUND: OnceLock<bool> = OnceLock::new();
    let found = *FOUND.get_or_init(|| {
        let ok = Command::new("python3")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("SKIP: python3 not found; python checks are skipped");
        }
        ok
    });
    found.then_some("python3")
}

/// Parses `source` with python3's `ast`. None when python3 is unavailable; Err with
/// python's message when it does not parse.
pub fn python_ast_parses(source: &str) -> Option<Result<(), String>> {
    let py = python3()?;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("case.py");
    std::fs::write(&file, source).unwrap();
    let out = Command::new(py)
        .args([
            "-c",
            "import ast, sys; ast.parse(open(sys.argv[1], encoding='utf-8').read())",
        ])
        .arg(&file)
        .output()
        .unwrap();
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

/// A virtualenv with `packages` installed from PyPI, shared by all tests (created once, under
/// `target/`, guarded by a lock file). None, with the reason printed, when it cannot be made.
pub fn python_venv() -> Option<PathBuf> {
    static VENV: OnceLock<Option<PathBuf>> = OnceLock::new();
    VENV.get_or_init(|| {
        python3()?;
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo_root().join("target"));
        let venv = target.join("test-venv");
        let ready = venv.join(".ready");
        std::fs::create_dir_all(&target).ok()?;
        let lock_path = target.join("test-venv.lock");
        let _lock = FileLock::acquire(&lock_path);
        if ready.exists() {
            return Some(venv);
        }
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("SKIP: could not create a virtualenv; runtime tests are skipped");
            return None;
        }
        let pip = venv.join("bin/pip");
        let out = Command::new(&pip)
            .args([
                "install",
                "-q",
                "--disable-pip-version-check",
                "fastapi",
                "httpx",
                "flask",
                "stripe",
                "django",
            ])
            .output();
        match out {
            Ok(o) if o.status.success() => {
                std::fs::write(&ready, "").ok()?;
                Some(venv)
            }
            Ok(o) => {
                eprintln!(
                    "SKIP: pip install failed; runtime tests are skipped: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                None
            }
            Err(e) => {
                eprintln!("SKIP: pip could not run ({e}); runtime tests are skipped");
                None
            }
        }
    })
    .clone()
}

/// The venv's python, for running fixed code.
pub fn venv_python() -> Option<PathBuf> {
    python_venv().map(|v| v.join("bin/python"))
}

/// A crude cross-process lock: a file created exclusively, removed on drop.
struct FileLock(PathBuf);

impl FileLock {
    fn acquire(path: &Path) -> Self {
        let start = std::time::Instant::now();
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(_) => return Self(path.to_path_buf()),
                Err(_) if start.elapsed().as_secs() > 900 => {
                    // A stale lock from a killed run.
                    let _ = std::fs::remove_file(path);
                }
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(200)),
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs the engine with one transform (unsafe fixes included) over `source`, as file `name`.
pub fn fix_with(id: &str, name: &str, source: &str) -> remedy::engine::FileOutcome {
    let registered = remedy::transforms::find(id).expect("transform exists");
    remedy::engine::fix_text(source, Path::new(name), vec![registered], true)
}

/// The fixed text of `source` under transform `id` (the source itself when nothing changed).
pub fn fixed_text(id: &str, name: &str, source: &str) -> String {
    let outcome = fix_with(id, name, source);
    assert!(outcome.problem.is_none(), "{name}: {:?}", outcome.problem);
    outcome
        .fixed
        .map(|f| f.text)
        .unwrap_or_else(|| source.to_string())
}

/// Runs python `code` with the venv's interpreter in `dir`; returns (success, stdout, stderr).
pub fn run_python(
    python: &Path,
    dir: &Path,
    code: &str,
    env: &[(&str, &str)],
) -> (bool, String, String) {
    let mut cmd = Command::new(python);
    cmd.arg("-c").arg(code).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("python runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
