//! `remedy branch` in temporary repositories: the work tree, index and HEAD stay untouched;
//! re-runs are no-ops; a moved base rebuilds; people's commits are never overwritten (unless
//! --force); --single; --prune; --push with a lease; bare clones; dry runs; refusals; and each
//! branch equals the base plus `remedy diff --select ID` applied with `git apply`.
//! These use the real `utcnow-to-aware` transform.

mod common;

use std::path::Path;
use std::process::Command;

use common::{git, git_repo, remedy, write_files};

const BRANCH: &str = "remedy/utcnow-to-aware";
const UTCNOW: &str =
    "from datetime import datetime\nx = datetime.utcnow().strftime(\"%Y-%m-%d %H:%M\")\n";

fn project() -> tempfile::TempDir {
    git_repo(&[
        ("app/models.py", UTCNOW),
        ("app/clean.py", "y = 1\n"),
        ("README.md", "hi\n"),
    ])
}

fn rev(dir: &Path, what: &str) -> String {
    git(dir, &["rev-parse", what]).trim().to_string()
}

fn has_ref(dir: &Path, name: &str) -> bool {
    Command::new("git")
        .args(["rev-parse", "--verify", "-q", name])
        .current_dir(dir)
        .output()
        .unwrap()
        .status
        .success()
}

fn commit_on_main(dir: &Path, file: &str, content: &str, message: &str) {
    write_files(dir, &[(file, content)]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

fn object_count(dir: &Path) -> usize {
    fn count(p: &Path) -> usize {
        std::fs::read_dir(p)
            .map(|rd| {
                rd.flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            count(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(&dir.join(".git/objects"))
}

#[test]
fn branch_leaves_work_tree_index_and_head_alone() {
    let repo = project();
    let dir = repo.path();
    let head = rev(dir, "HEAD");
    let r = remedy(dir, &["branch"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(&format!("created {BRANCH}")),
        "{}",
        r.stdout
    );
    assert_eq!(
        git(dir, &["status", "--porcelain"]),
        "",
        "work tree or index changed"
    );
    assert_eq!(rev(dir, "HEAD"), head);
    assert_eq!(
        git(dir, &["symbolic-ref", "HEAD"]).trim(),
        "refs/heads/main"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("app/models.py")).unwrap(),
        UTCNOW
    );
    // Only the transform with fixes got a branch, one commit on the base.
    assert_eq!(
        git(
            dir,
            &["for-each-ref", "--format=%(refname)", "refs/heads/remedy/"]
        )
        .trim(),
        format!("refs/heads/{BRANCH}")
    );
    assert_eq!(rev(dir, &format!("{BRANCH}^")), head);
    let fixed = git(dir, &["show", &format!("{BRANCH}:app/models.py")]);
    assert!(!fixed.contains("utcnow()"), "{fixed}");
    let message = git(dir, &["log", "-1", "--format=%B", BRANCH]);
    assert!(message.starts_with("fix(security): "), "{message}");
    assert!(message.contains("app/models.py:2: "), "{message}");
    assert!(
        message.contains("WARN-Q1") && message.contains("CWE-477"),
        "{message}"
    );
    let trailers = git(
        dir,
        &[
            "log",
            "-1",
            "--format=%(trailers:key=Remedy-Transform,valueonly)",
            BRANCH,
        ],
    );
    assert_eq!(trailers.trim(), "utcnow-to-aware");
    assert_eq!(
        git(dir, &["log", "-1", "--format=%an <%ae>", BRANCH]).trim(),
        "Test Author <author@example.com>"
    );
}

#[test]
fn branch_tree_equals_base_plus_the_transforms_patch() {
    let repo = project();
    let dir = repo.path();
    assert_eq!(remedy(dir, &["branch"]).code, 0);
    let patch = remedy(dir, &["diff", "--select", "utcnow-to-aware"]);
    assert!(
        patch.stdout.contains("+++ b/app/models.py"),
        "{}",
        patch.stdout
    );
    assert_eq!(
        tree_with_patch(dir, &patch.stdout),
        rev(dir, &format!("{BRANCH}^{{tree}}"))
    );
}

/// The tree id of a fresh clone of `repo`'s HEAD with `patch` applied by `git apply`.
fn tree_with_patch(repo: &Path, patch: &str) -> String {
    let copy = tempfile::tempdir().unwrap();
    git(copy.path(), &["clone", "-q", repo.to_str().unwrap(), "."]);
    std::fs::write(copy.path().join("fix.patch"), patch).unwrap();
    git(copy.path(), &["apply", "fix.patch"]);
    std::fs::remove_file(copy.path().join("fix.patch")).unwrap();
    git(copy.path(), &["add", "-A"]);
    git(copy.path(), &["write-tree"]).trim().to_string()
}

#[test]
fn every_branch_equals_the_base_plus_its_transforms_patch() {
    let secrets = "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\napp.config['SECRET_KEY'] = os.environ.get('SECRET_KEY', 'dev-key-change-in-prod')\n";
    let mixed = format!("{UTCNOW}SECRET_KEY = os.getenv('SECRET_KEY', 'changeme')\nimport os\n");
    let repo = git_repo(&[
        ("app/models.py", UTCNOW),
        ("web/app.py", secrets),
        ("web/mixed.py", &mixed),
    ]);
    let dir = repo.path();
    let r = remedy(dir, &["branch", "--unsafe-fixes"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let branches = git(
        dir,
        &[
            "for-each-ref",
            "--format=%(refname:short)",
            "refs/heads/remedy/",
        ],
    );
    let branches: Vec<&str> = branches.lines().collect();
    assert!(branches.len() >= 2, "{branches:?}\n{}", r.stdout);
    for branch in branches {
        let id = branch.strip_prefix("remedy/").unwrap();
        let patch = remedy(dir, &["diff", "--unsafe-fixes", "--select", id]);
        assert_eq!(patch.code, 0, "{}", patch.stderr);
        assert_eq!(
            tree_with_patch(dir, &patch.stdout),
            rev(dir, &format!("{branch}^{{tree}}")),
            "{branch} is not the base plus `remedy diff --select {id}`"
        );
    }
}

#[test]
fn rerun_is_a_no_op_and_a_moved_base_rebuilds() {
    let repo = project();
    let dir = repo.path();
    assert_eq!(remedy(dir, &["branch"]).code, 0);
    let first = rev(dir, BRANCH);
    let reflog = git(dir, &["reflog", "show", "--format=%H", BRANCH]);
    let again = remedy(dir, &["branch"]);
    assert_eq!(again.code, 0);
    assert!(
        again.stdout.contains(&format!("up to date {BRANCH}")),
        "{}",
        again.stdout
    );
    assert_eq!(rev(dir, BRANCH), first);
    assert_eq!(
        git(dir, &["reflog", "show", "--format=%H", BRANCH]),
        reflog,
        "the ref was rewritten"
    );

    commit_on_main(dir, "docs.txt", "more\n", "docs");
    let moved = remedy(dir, &["branch"]);
    assert_eq!(moved.code, 0);
    assert!(
        moved.stdout.contains(&format!("updated {BRANCH}")),
        "{}",
        moved.stdout
    );
    assert_eq!(rev(dir, &format!("{BRANCH}^")), rev(dir, "HEAD"));
    assert_eq!(
        git(dir, &["rev-list", "--count", &format!("HEAD..{BRANCH}")]).trim(),
        "1"
    );
    assert_eq!(git(dir, &["status", "--porcelain"]), "");
}

#[test]
fn a_human_commit_is_not_overwritten_unless_forced() {
    let repo = project();
    let dir = repo.path();
    assert_eq!(remedy(dir, &["branch"]).code, 0);
    // A reviewer adds a commit to the branch (without checking it out here).
    let tree = rev(dir, &format!("{BRANCH}^{{tree}}"));
    let human = git(
        dir,
        &["commit-tree", "-p", BRANCH, "-m", "review: tweak", &tree],
    )
    .trim()
    .to_string();
    git(
        dir,
        &["update-ref", &format!("refs/heads/{BRANCH}"), &human],
    );
    commit_on_main(dir, "docs.txt", "more\n", "docs");

    let refused = remedy(dir, &["branch"]);
    assert_eq!(refused.code, 1, "{}{}", refused.stdout, refused.stderr);
    assert!(
        refused.stdout.contains(&format!("refused {BRANCH}")) && refused.stdout.contains("--force"),
        "{}",
        refused.stdout
    );
    assert_eq!(rev(dir, BRANCH), human);

    let forced = remedy(dir, &["branch", "--force"]);
    assert_eq!(forced.code, 0, "{}{}", forced.stdout, forced.stderr);
    assert_ne!(rev(dir, BRANCH), human);
    assert_eq!(rev(dir, &format!("{BRANCH}^")), rev(dir, "HEAD"));
}

#[test]
fn single_branch_and_prune() {
    let repo = project();
    let dir = repo.path();
    let r = remedy(dir, &["branch", "--single", "security-fixes"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!has_ref(dir, BRANCH));
    assert_eq!(rev(dir, "security-fixes^"), rev(dir, "HEAD"));
    let subjects = git(dir, &["log", "--format=%s", "HEAD..security-fixes"]);
    assert_eq!(subjects.lines().count(), 1, "{subjects}");
    assert!(subjects.starts_with("fix(security): "));

    assert_eq!(remedy(dir, &["branch"]).code, 0);
    // The fix lands on main by other means: the branch goes stale.
    let fixed = git(dir, &["show", &format!("{BRANCH}:app/models.py")]);
    commit_on_main(dir, "app/models.py", &fixed, "fix utcnow by hand");
    let stale = remedy(dir, &["branch"]);
    assert_eq!(stale.code, 0);
    assert!(
        stale.stdout.contains(&format!("stale {BRANCH}")) && stale.stdout.contains("--prune"),
        "{}",
        stale.stdout
    );
    assert!(has_ref(dir, BRANCH));
    let pruned = remedy(dir, &["branch", "--prune"]);
    assert_eq!(pruned.code, 0);
    assert!(
        pruned.stdout.contains(&format!("deleted {BRANCH}")),
        "{}",
        pruned.stdout
    );
    assert!(!has_ref(dir, BRANCH));
    assert_eq!(git(dir, &["status", "--porcelain"]), "");
}

#[test]
fn push_uses_a_lease_and_fails_when_the_remote_moved() {
    let repo = project();
    let dir = repo.path();
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "-q", "--bare"]);
    git(
        dir,
        &["remote", "add", "origin", remote.path().to_str().unwrap()],
    );
    git(dir, &["push", "-q", "origin", "main"]);

    let r = remedy(dir, &["branch", "--push", "origin"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("pushed to origin"), "{}", r.stdout);
    assert_eq!(rev(remote.path(), BRANCH), rev(dir, BRANCH));
    // Up to date and already pushed: nothing to push.
    let again = remedy(dir, &["branch", "--push", "origin"]);
    assert_eq!(again.code, 0);
    assert!(!again.stdout.contains("pushed"), "{}", again.stdout);

    // Someone else pushes a review commit to the remote branch.
    let other = tempfile::tempdir().unwrap();
    git(
        other.path(),
        &["clone", "-q", remote.path().to_str().unwrap(), "."],
    );
    git(other.path(), &["checkout", "-q", BRANCH]);
    commit_on_main(other.path(), "review.txt", "looks good\n", "review notes");
    git(other.path(), &["push", "-q", "origin", BRANCH]);
    let theirs = rev(remote.path(), BRANCH);

    commit_on_main(dir, "docs.txt", "more\n", "docs");
    let leased = remedy(dir, &["branch", "--push", "origin"]);
    assert_eq!(leased.code, 2, "{}{}", leased.stdout, leased.stderr);
    assert!(
        leased
            .stderr
            .contains("push of remedy/utcnow-to-aware to origin failed"),
        "{}",
        leased.stderr
    );
    assert_eq!(
        rev(remote.path(), BRANCH),
        theirs,
        "the lease did not protect the remote branch"
    );
}

#[test]
fn works_in_a_bare_clone() {
    let repo = project();
    let bare = tempfile::tempdir().unwrap();
    git(
        bare.path(),
        &["clone", "-q", "--bare", repo.path().to_str().unwrap(), "."],
    );
    let r = remedy(
        bare.path(),
        &["branch", "--author", "Fix Bot <bot@example.com>"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        rev(bare.path(), &format!("{BRANCH}^")),
        rev(bare.path(), "main")
    );
    assert_eq!(
        git(
            bare.path(),
            &["log", "-1", "--format=%an <%ae>|%cn", BRANCH]
        )
        .trim(),
        "Fix Bot <bot@example.com>|Fix Bot"
    );
}

#[test]
fn dry_run_writes_nothing_and_json_describes_the_pr() {
    let repo = project();
    let dir = repo.path();
    let objects = object_count(dir);
    let r = remedy(dir, &["branch", "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!("would create {BRANCH}")),
        "{}",
        r.stdout
    );
    assert!(!has_ref(dir, BRANCH));
    assert_eq!(object_count(dir), objects, "a dry run wrote objects");

    let r = remedy(dir, &["branch", "--output-format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let b = &doc["branches"][0];
    assert_eq!(b["name"], BRANCH);
    assert_eq!(b["action"], "create");
    assert_eq!(b["base"], rev(dir, "HEAD"));
    assert_eq!(b["head"], rev(dir, BRANCH));
    assert_eq!(b["files"], serde_json::json!(["app/models.py"]));
    assert_eq!(b["fixes"][0]["path"], "app/models.py");
    assert_eq!(b["fixes"][0]["line"], 2);
    assert!(b["title"].as_str().unwrap().starts_with("fix(security): "));
    assert!(
        b["body"].as_str().unwrap().contains("`app/models.py:2`"),
        "{}",
        b["body"]
    );
}

#[test]
fn paths_and_excludes_scope_the_branch() {
    let repo = project();
    let dir = repo.path();
    let r = remedy(dir, &["branch", "--exclude", "app", "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains(BRANCH), "{}", r.stdout);
    let r = remedy(&dir.join("app"), &["branch", "--dry-run", "models.py"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!("would create {BRANCH}")),
        "{}",
        r.stdout
    );
    let r = remedy(dir, &["branch", "--dry-run", "nowhere"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nowhere: no such path"), "{}", r.stderr);
}

#[test]
fn clear_refusals() {
    let plain = tempfile::tempdir().unwrap();
    let r = remedy(plain.path(), &["branch"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not in a git repository"), "{}", r.stderr);

    let unborn = tempfile::tempdir().unwrap();
    git(unborn.path(), &["init", "-q"]);
    let r = remedy(unborn.path(), &["branch"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("HEAD is unborn"), "{}", r.stderr);

    let repo = project();
    let r = remedy(repo.path(), &["branch", "--base", "no-such-ref"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown base `no-such-ref`"),
        "{}",
        r.stderr
    );
    let r = remedy(repo.path(), &["branch", "--prefix", "a..b/"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("--prefix `a..b/`") && r.stderr.contains("not a valid branch name"),
        "{}",
        r.stderr
    );
    let r = remedy(repo.path(), &["branch", "--author", "nobody"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("expected `Name <email>`"), "{}", r.stderr);
}

#[test]
fn no_identity_is_a_clear_error() {
    let repo = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let run_git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(repo.path())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "A")
            .env("GIT_AUTHOR_EMAIL", "a@example.com")
            .env("GIT_COMMITTER_NAME", "A")
            .env("GIT_COMMITTER_EMAIL", "a@example.com")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run_git(&["init", "-q"]);
    write_files(repo.path(), &[("a.py", "y = 1\n")]);
    run_git(&["add", "-A"]);
    run_git(&["commit", "-q", "-m", "init"]);
    let out = Command::new(env!("CARGO_BIN_EXE_remedy"))
        .arg("branch")
        .current_dir(repo.path())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if std::path::Path::new("/etc/gitconfig").exists()
        && std::fs::read_to_string("/etc/gitconfig")
            .unwrap_or_default()
            .contains("email")
    {
        eprintln!("SKIP: the system git config sets an identity");
        return;
    }
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no git identity"), "{stderr}");
}

#[test]
fn detached_head_and_a_tag_as_base() {
    let repo = project();
    let dir = repo.path();
    git(dir, &["tag", "-a", "v1", "-m", "release 1"]);
    let tagged = rev(dir, "HEAD");
    commit_on_main(dir, "docs.txt", "more\n", "docs");
    git(dir, &["checkout", "-q", "--detach", "HEAD"]);
    let head = rev(dir, "HEAD");
    let r = remedy(dir, &["branch"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(rev(dir, &format!("{BRANCH}^")), head);
    assert_eq!(rev(dir, "HEAD"), head, "HEAD stays detached where it was");
    assert_eq!(git(dir, &["status", "--porcelain"]), "");
    // An annotated tag names the base commit.
    let r = remedy(dir, &["branch", "--base", "v1", "--prefix", "release/"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(rev(dir, "release/utcnow-to-aware^"), tagged);
}

#[test]
fn a_branch_name_git_cannot_hold_is_refused_not_an_error() {
    let repo = project();
    let dir = repo.path();
    // A branch `fixes` makes `fixes/utcnow-to-aware` impossible (refs are files and dirs).
    git(dir, &["branch", "fixes"]);
    let r = remedy(dir, &["branch", "--prefix", "fixes/"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("refused fixes/utcnow-to-aware")
            && r.stdout.contains("a branch `fixes` exists")
            && r.stdout.contains("--prefix"),
        "{}",
        r.stdout
    );
    assert!(!has_ref(dir, "refs/heads/fixes/utcnow-to-aware"));
    assert_eq!(
        rev(dir, "fixes"),
        rev(dir, "HEAD"),
        "the other branch is untouched"
    );
    // And the other way round: a branch below the name.
    git(dir, &["branch", "remedy/utcnow-to-aware/mine"]);
    let r = remedy(dir, &["branch"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("a branch `remedy/utcnow-to-aware/mine` exists"),
        "{}",
        r.stdout
    );
}

#[test]
fn push_to_an_unknown_remote_is_refused_before_anything_is_written() {
    let repo = project();
    let dir = repo.path();
    let objects = object_count(dir);
    let r = remedy(dir, &["branch", "--push", "upstream"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("`upstream` is not a configured remote"),
        "{}",
        r.stderr
    );
    assert!(!has_ref(dir, BRANCH), "no branch was made");
    assert_eq!(object_count(dir), objects, "no objects were written");
}

#[test]
fn display_only_and_unsafe_findings_are_listed_in_the_body_never_committed() {
    let source = "from datetime import datetime\n\n\ndef a():\n    return datetime.utcnow().year\n\n\ndef b():\n    return datetime.utcnow()\n\n\ndef c():\n    return \"{}Z\".format(datetime.utcnow().isoformat())\n";
    let repo = git_repo(&[("m.py", source)]);
    let dir = repo.path();
    let r = remedy(dir, &["branch", "--output-format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let b = &doc["branches"][0];
    let body = b["body"].as_str().unwrap();
    assert!(
        body.contains("**Not fixed (needs a person)**\n\n- `m.py:13`"),
        "{body}"
    );
    assert!(body.contains("**Unsafe fixes not applied**"), "{body}");
    assert!(body.contains("- `m.py:9`"), "{body}");
    assert_eq!(b["fixes"].as_array().unwrap().len(), 1);
    let committed = git(dir, &["show", &format!("{BRANCH}:m.py")]);
    assert!(
        committed.contains("datetime.now(timezone.utc).year"),
        "{committed}"
    );
    assert!(
        committed.contains("    return datetime.utcnow()\n")
            && committed.contains("\"{}Z\".format(datetime.utcnow().isoformat())"),
        "only the safe fix is committed: {committed}"
    );
    // With --unsafe-fixes the unsafe one is committed too; the display-only one never.
    let r = remedy(dir, &["branch", "--unsafe-fixes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let committed = git(dir, &["show", &format!("{BRANCH}:m.py")]);
    assert!(
        !committed.contains("    return datetime.utcnow()\n"),
        "{committed}"
    );
    assert!(
        committed.contains("\"{}Z\".format(datetime.utcnow().isoformat())"),
        "{committed}"
    );
}
