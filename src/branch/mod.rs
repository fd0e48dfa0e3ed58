//! `remedy branch`: one reviewable git branch per transform (or one stacked branch), built
//! from a base commit in the object database. It never checks out and never touches the
//! index, the working tree or HEAD, so it works the same in a bare clone.

pub mod build;
pub mod message;
pub mod source;

use std::path::{Path, PathBuf};
use std::process::Command;

use git2::{Oid, Repository, Signature};
use serde::Serialize;

use crate::Io;
use crate::cli::{BranchArgs, SimpleFormat};
use crate::engine::Engine;
use crate::error::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, RemedyError};
use crate::plan::FilePlan;
use build::{Action, BranchOutcome, Job, RefPolicy};
use message::TransformInfo;

fn io_err(e: std::io::Error) -> RemedyError {
    RemedyError::Io {
        path: PathBuf::from("<output>"),
        message: e.to_string(),
    }
}

fn git_err(context: &str) -> impl Fn(git2::Error) -> RemedyError + '_ {
    move |e| RemedyError::Git(format!("{context}: {}", e.message()))
}

pub fn run(args: &BranchArgs, io: &mut Io) -> Result<i32, RemedyError> {
    let plan = FilePlan::new(&args.files, &io.cwd)?;
    if let Some(name) = &args.single
        && !git2::Reference::is_valid_name(&format!("refs/heads/{name}"))
    {
        {
            return Err(RemedyError::Usage(format!(
                "--single: `{name}` is not a valid branch name"
            )));
        }
    }
    if args.single.is_none()
        && let Some(bad) = plan
            .transforms
            .iter()
            .map(|r| format!("{}{}", args.prefix, r.id()))
            .find(|name| !git2::Reference::is_valid_name(&format!("refs/heads/{name}")))
    {
        return Err(RemedyError::Usage(format!(
            "--prefix `{}`: `{bad}` is not a valid branch name",
            args.prefix
        )));
    }
    let repo = Repository::discover(&io.cwd).map_err(|_| {
        RemedyError::Git(format!(
            "{} is not in a git repository (`remedy branch` commits to git branches)",
            io.cwd.display()
        ))
    })?;
    if let Some(remote) = &args.push
        && repo.find_remote(remote).is_err()
    {
        let configured: Vec<String> = repo
            .remotes()
            .map(|names| names.iter().flatten().map(str::to_string).collect())
            .unwrap_or_default();
        return Err(RemedyError::Git(format!(
            "--push: `{remote}` is not a configured remote ({}); add it with `git remote add {remote} URL`",
            if configured.is_empty() {
                "this repository has none".to_string()
            } else {
                format!("configured: {}", configured.join(", "))
            }
        )));
    }
    let base = resolve_base(&repo, &args.base)?;
    let signature = signature(&repo, args.author.as_deref(), args.dry_run)?;

    // Where repository paths live on disk, spelled like the current directory (for excludes,
    // per-file-ignores and PATH arguments).
    let workdir = repo
        .workdir()
        .map(|w| w.canonicalize().unwrap_or_else(|_| w.to_path_buf()));
    let anchor = workdir
        .as_ref()
        .and_then(|w| {
            io.cwd
                .ancestors()
                .find(|a| a.canonicalize().is_ok_and(|c| &c == w))
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| io.cwd.clone());
    let cwd_in_repo = io
        .cwd
        .strip_prefix(&anchor)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let prefixes = source::repo_prefixes(&plan.paths, &cwd_in_repo, workdir.as_deref())?;
    let base_tree = base.tree().map_err(git_err("cannot read the base tree"))?;
    if let Some(missing) = source::unmatched_prefixes(&prefixes, &base_tree).first() {
        return Err(RemedyError::Usage(format!(
            "{}: no such path in {} ({})",
            missing.display(),
            args.base,
            build::short(base.id())
        )));
    }
    let scope = source::Scope {
        prefixes,
        excludes: &plan.excludes,
        anchor: anchor.clone(),
        root: plan.root.clone(),
    };
    let files = source::read_tree(&repo, &base_tree, &scope)?;
    for skipped in &files.skipped {
        writeln!(io.stderr, "warning: {skipped}: path is not UTF-8; skipped").map_err(io_err)?;
    }

    // A dry run writes its blobs, trees and commits to memory only.
    let odb = repo
        .odb()
        .map_err(git_err("cannot open the object database"))?;
    let _in_memory = if args.dry_run {
        Some(
            odb.add_new_mempack_backend(1000)
                .map_err(git_err("cannot set up a dry run"))?,
        )
    } else {
        None
    };

    crate::run::init_thread_pool();
    let engines: Vec<Engine> = plan
        .transforms
        .iter()
        .map(|r| Engine::new(vec![*r], plan.unsafe_fixes))
        .collect();
    let jobs: Vec<Job> = plan
        .transforms
        .iter()
        .zip(&engines)
        .map(|(r, engine)| {
            let meta = r.meta();
            let plan = &plan;
            let anchor = &anchor;
            Job {
                info: TransformInfo {
                    id: r.id().to_string(),
                    title: meta.title.clone(),
                    summary: meta.summary.clone(),
                    findings: meta.findings.clone(),
                    cwe: meta.cwe.clone(),
                },
                fixer: Box::new(
                    move |path: &Path, bytes: &[u8], project: &crate::context::Project| {
                        let ignored = plan.ignored_for(&anchor.join(path));
                        engine.process(path, bytes, project, true, &ignored)
                    },
                ),
            }
        })
        .collect();

    let planned = build::plan_branches(
        &repo,
        &base,
        &files.contents,
        &files.targets,
        &jobs,
        build::Layout {
            prefix: &args.prefix,
            single: args.single.as_deref(),
            unsafe_fixes: plan.unsafe_fixes,
        },
    )?;
    let mut problems: Vec<(PathBuf, String)> = planned
        .iter()
        .flat_map(|b| b.problems.iter().cloned())
        .collect();
    problems.sort();
    problems.dedup();
    for (path, problem) in &problems {
        writeln!(io.stderr, "warning: {}: {problem}", path.display()).map_err(io_err)?;
    }

    let checked_out = checked_out_refs(&repo);
    let policy = RefPolicy {
        force: args.force,
        prune: args.prune,
        dry_run: args.dry_run,
    };
    let mut outcomes = Vec::new();
    for branch in planned {
        if let Some(outcome) =
            build::reconcile(&repo, &base, branch, &signature, policy, &checked_out)?
        {
            outcomes.push(outcome);
        }
    }

    let mut pushes: Vec<Option<Result<(), String>>> = vec![None; outcomes.len()];
    if let Some(remote) = &args.push
        && !args.dry_run
    {
        {
            for (i, o) in outcomes.iter().enumerate() {
                pushes[i] = push(&repo, remote, o);
            }
        }
    }

    let reports: Vec<BranchReport> = outcomes
        .iter()
        .zip(&pushes)
        .map(|(o, p)| BranchReport::new(o, base.id(), plan.unsafe_fixes, p.as_ref()))
        .collect();
    match args.output_format {
        SimpleFormat::Json => {
            let doc = JsonDocument {
                base: base.id().to_string(),
                dry_run: args.dry_run,
                branches: &reports,
            };
            serde_json::to_writer_pretty(&mut *io.stdout, &doc).map_err(|e| io_err(e.into()))?;
            writeln!(io.stdout).map_err(io_err)?;
        }
        SimpleFormat::Text => write_text(io, &outcomes, &pushes, args, base.id(), plan.quiet)?,
    }
    let push_failed = pushes.iter().any(|p| matches!(p, Some(Err(_))));
    let refused = outcomes
        .iter()
        .any(|o| matches!(o.action, Action::Refuse(_)));
    Ok(if push_failed {
        EXIT_ERROR
    } else if refused {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn resolve_base<'r>(repo: &'r Repository, base: &str) -> Result<git2::Commit<'r>, RemedyError> {
    if base == "HEAD" {
        match repo.head() {
            Err(e) if e.code() == git2::ErrorCode::UnbornBranch => {
                return Err(RemedyError::Git(
                    "HEAD is unborn (the repository has no commits yet); commit first or pass --base REF".to_string(),
                ));
            }
            Err(e) if e.code() == git2::ErrorCode::NotFound => {
                return Err(RemedyError::Git(
                    "HEAD does not point to a commit; pass --base REF".to_string(),
                ));
            }
            _ => {}
        }
    }
    let object = repo.revparse_single(base).map_err(|_| {
        RemedyError::Git(format!(
            "unknown base `{base}`: no such commit, branch or tag"
        ))
    })?;
    object
        .peel_to_commit()
        .map_err(|_| RemedyError::Git(format!("base `{base}` does not name a commit")))
}

/// The author and committer: `--author`, else git config, else (dry run only) a placeholder.
fn signature(
    repo: &Repository,
    author: Option<&str>,
    dry_run: bool,
) -> Result<Signature<'static>, RemedyError> {
    if let Some(text) = author {
        let (name, email) = parse_author(text).ok_or_else(|| {
            RemedyError::Usage(format!("--author `{text}`: expected `Name <email>`"))
        })?;
        return Signature::now(name, email)
            .map_err(|e| RemedyError::Usage(format!("--author `{text}`: {}", e.message())));
    }
    match repo.signature() {
        Ok(s) => Ok(s.to_owned()),
        Err(_) if dry_run => Ok(Signature::now("remedy", "remedy@localhost").expect("valid placeholder")),
        Err(_) => Err(RemedyError::Git(
            "no git identity to commit as: set `git config user.name` and `git config user.email`, or pass --author \"Name <email>\""
                .to_string(),
        )),
    }
}

/// Splits `Name <email>`.
pub fn parse_author(text: &str) -> Option<(&str, &str)> {
    let open = text.rfind('<')?;
    let rest = text[open + 1..].strip_suffix('>')?;
    let name = text[..open].trim();
    let email = rest.trim();
    (!name.is_empty() && !email.is_empty() && !email.contains(['<', '>'])).then_some((name, email))
}

/// Branch refs that HEAD or a linked work tree's HEAD points to (never moved by remedy).
fn checked_out_refs(repo: &Repository) -> Vec<(String, PathBuf)> {
    let mut refs = Vec::new();
    let here = repo.workdir().unwrap_or(repo.path()).to_path_buf();
    if let Ok(head) = repo.find_reference("HEAD")
        && let Some(target) = head.symbolic_target()
    {
        refs.push((target.to_string(), here));
    }
    if let Ok(names) = repo.worktrees() {
        for name in names.iter().flatten() {
            let Ok(worktree) = repo.find_worktree(name) else {
                continue;
            };
            let Ok(wt_repo) = Repository::open_from_worktree(&worktree) else {
                continue;
            };
            if let Ok(head) = wt_repo.find_reference("HEAD")
                && let Some(target) = head.symbolic_target()
            {
                refs.push((target.to_string(), worktree.path().to_path_buf()));
            }
        }
    }
    refs
}

/// Pushes a branch (or its deletion) with the system `git`, leasing on the remote-tracking
/// ref remedy saw. None when there is nothing to push.
fn push(repo: &Repository, remote: &str, outcome: &BranchOutcome) -> Option<Result<(), String>> {
    let refname = format!("refs/heads/{}", outcome.name);
    let tracking = repo
        .find_reference(&format!("refs/remotes/{remote}/{}", outcome.name))
        .ok()
        .and_then(|r| r.target());
    let refspec = match (&outcome.action, outcome.head) {
        (Action::Prune, _) => {
            tracking?;
            format!(":{refname}")
        }
        (action, Some(head)) if action.has_head() => {
            if tracking == Some(head) {
                return None;
            }
            format!("{refname}:{refname}")
        }
        _ => return None,
    };
    let lease = format!(
        "--force-with-lease={refname}:{}",
        tracking.map(|t| t.to_string()).unwrap_or_default()
    );
    let dir = repo.workdir().unwrap_or(repo.path());
    let result = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["push", "--porcelain", remote, &lease, &refspec])
        .output();
    Some(match result {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let lines: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with("To ") && *l != "Done")
                .collect();
            Err(lines.join("; "))
        }
        Err(e) => Err(format!("cannot run git: {e}")),
    })
}

/// One branch in the JSON report: ready for `gh pr create --title ... --body-file ...`.
#[derive(Serialize)]
struct BranchReport {
    name: String,
    action: &'static str,
    reason: Option<String>,
    base: String,
    previous: Option<String>,
    head: Option<String>,
    files: Vec<String>,
    transforms: Vec<String>,
    fixes: Vec<message::FixNote>,
    not_fixed: Vec<message::FixNote>,
    unsafe_not_applied: Vec<message::FixNote>,
    title: String,
    body: String,
    pushed: Option<bool>,
    push_error: Option<String>,
}

impl BranchReport {
    fn new(
        o: &BranchOutcome,
        base: Oid,
        unsafe_fixes: bool,
        push: Option<&Result<(), String>>,
    ) -> Self {
        let mut files: Vec<String> = o
            .commits
            .iter()
            .flat_map(|c| c.files.iter().cloned())
            .collect();
        files.sort();
        files.dedup();
        let infos: Vec<&TransformInfo> = o.commits.iter().map(|c| &c.info).collect();
        let sections: Vec<(&TransformInfo, &message::Notes)> =
            o.commits.iter().map(|c| (&c.info, &c.notes)).collect();
        let (title, body) = if o.commits.is_empty() {
            (String::new(), String::new())
        } else {
            (
                message::pr_title(&infos),
                message::pr_body(&sections, base, unsafe_fixes),
            )
        };
        Self {
            name: o.name.clone(),
            action: o.action.key(),
            reason: match &o.action {
                Action::Refuse(r) => Some(r.clone()),
                _ => None,
            },
            base: base.to_string(),
            previous: o.previous.map(|p| p.to_string()),
            head: o.head.map(|h| h.to_string()),
            files,
            transforms: infos.iter().map(|i| i.id.clone()).collect(),
            fixes: o
                .commits
                .iter()
                .flat_map(|c| c.notes.fixed.iter().cloned())
                .collect(),
            not_fixed: o
                .commits
                .iter()
                .flat_map(|c| c.notes.needs_person.iter().cloned())
                .collect(),
            unsafe_not_applied: o
                .commits
                .iter()
                .flat_map(|c| c.notes.unsafe_skipped.iter().cloned())
                .collect(),
            title,
            body,
            pushed: push.map(Result::is_ok),
            push_error: push.and_then(|p| p.as_ref().err().cloned()),
        }
    }
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    base: String,
    dry_run: bool,
    branches: &'a [BranchReport],
}

fn write_text(
    io: &mut Io,
    outcomes: &[BranchOutcome],
    pushes: &[Option<Result<(), String>>],
    args: &BranchArgs,
    base: Oid,
    quiet: bool,
) -> Result<(), RemedyError> {
    for (o, p) in outcomes.iter().zip(pushes) {
        let verb = o.action.verb(args.dry_run);
        let fixes: usize = o.commits.iter().map(|c| c.notes.fixed.len()).sum();
        let files: usize = {
            let mut all: Vec<&String> = o.commits.iter().flat_map(|c| c.files.iter()).collect();
            all.sort();
            all.dedup();
            all.len()
        };
        let detail = match &o.action {
            Action::Refuse(reason) => format!(": {reason}"),
            Action::Stale { foreign: false } => ": no fixes any more (pass --prune to delete it)".to_string(),
            Action::Stale { foreign: true } => {
                ": no fixes any more, but it holds commits remedy did not make (kept; --prune --force deletes it)".to_string()
            }
            Action::Prune => String::new(),
            _ => format!(
                " at {}: {fixes} fix{} in {files} file{}",
                o.head.map(build::short).unwrap_or_default(),
                if fixes == 1 { "" } else { "es" },
                crate::report::text::plural(files)
            ),
        };
        if quiet && matches!(o.action, Action::UpToDate) {
            continue;
        }
        writeln!(io.stdout, "{verb} {}{detail}", o.name).map_err(io_err)?;
        match p {
            Some(Ok(())) => writeln!(
                io.stdout,
                "  pushed to {}",
                args.push.as_deref().unwrap_or("")
            )
            .map_err(io_err)?,
            Some(Err(e)) => writeln!(
                io.stderr,
                "error: push of {} to {} failed: {e}",
                o.name,
                args.push.as_deref().unwrap_or("")
            )
            .map_err(io_err)?,
            None => {}
        }
    }
    if !quiet && outcomes.is_empty() {
        writeln!(
            io.stdout,
            "No fixes on {}; no branches to make.",
            build::short(base)
        )
        .map_err(io_err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_parsing() {
        assert_eq!(
            parse_author("Ada Lovelace <ada@example.com>"),
            Some(("Ada Lovelace", "ada@example.com"))
        );
        assert_eq!(parse_author("ada@example.com"), None);
        assert_eq!(parse_author("<a@b>"), None);
        assert_eq!(parse_author("A <>"), None);
    }
}
