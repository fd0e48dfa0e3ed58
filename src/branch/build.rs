//! Building fix branches in the object database: run each transform over in-memory files,
//! write blobs and nested trees, stack commits on the base, and move only the branch ref
//! (compare-and-swap), never the index, the work tree or HEAD.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::{Commit, Oid, Repository, Signature, Tree};
use rayon::prelude::*;

use super::message::{self, FixNote, Notes, TransformInfo};
use crate::context::Project;
use crate::edit::Applicability;
use crate::engine::FileOutcome;
use crate::error::RemedyError;

/// Runs one transform over one file: (repository-relative path, bytes, project) → outcome.
pub type Fixer<'a> = dyn Fn(&Path, &[u8], &Project) -> FileOutcome + Sync + 'a;

/// One transform as the branch builder sees it: what to call it and how to run it.
pub struct Job<'a> {
    pub info: TransformInfo,
    pub fixer: Box<Fixer<'a>>,
}

/// What one transform changed in a set of files.
#[derive(Default)]
pub struct TransformRun {
    pub changed: BTreeMap<PathBuf, Vec<u8>>,
    pub notes: Notes,
    /// Files the engine skipped or left unchanged, with why.
    pub problems: Vec<(PathBuf, String)>,
}

fn slash_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Runs `job` over `targets` (read from `contents`) in parallel.
pub fn run_transform(
    job: &Job,
    contents: &BTreeMap<PathBuf, Arc<[u8]>>,
    targets: &[PathBuf],
    project: &Project,
    unsafe_fixes: bool,
) -> TransformRun {
    let outcomes: Vec<(PathBuf, FileOutcome, Arc<[u8]>)> = targets
        .par_iter()
        .filter_map(|path| {
            let bytes = contents.get(path)?.clone();
            let outcome = (job.fixer)(path, &bytes, project);
            Some((path.clone(), outcome, bytes))
        })
        .collect();
    let mut run = TransformRun::default();
    for (path, outcome, bytes) in outcomes {
        let shown = slash_path(&path);
        if let Some(problem) = &outcome.problem {
            run.problems.push((path.clone(), problem.to_string()));
        }
        for f in &outcome.findings {
            let note = FixNote {
                path: shown.clone(),
                line: f.start.line,
                column: f.start.column,
                message: f.message.clone(),
                fix: f.fix.as_ref().map(|x| x.description.clone()),
                applicability: f.applicability().map(Applicability::as_str),
            };
            match f.applicability() {
                _ if f.applied => run.notes.fixed.push(note),
                Some(Applicability::Unsafe) if !unsafe_fixes => run.notes.unsafe_skipped.push(note),
                _ => run.notes.needs_person.push(note),
            }
        }
        if let Some(fixed) = outcome.fixed_bytes()
            && fixed[..] != bytes[..]
        {
            run.changed.insert(path, fixed);
        }
    }
    run
}

/// Writes `tree` with `changes` (repository-relative path → new content) applied, creating
/// nested trees as needed, and returns the new tree's id. Executable bits are kept.
pub fn write_tree(
    repo: &Repository,
    tree: Option<&Tree>,
    changes: &BTreeMap<PathBuf, &[u8]>,
) -> Result<Oid, git2::Error> {
    let mut builder = repo.treebuilder(tree)?;
    let mut subdirs: BTreeMap<String, BTreeMap<PathBuf, &[u8]>> = BTreeMap::new();
    for (path, bytes) in changes {
        let mut components = path.components();
        let Some(first) = components.next() else {
            continue;
        };
        let first = first.as_os_str().to_string_lossy().into_owned();
        let rest = components.as_path();
        if rest.as_os_str().is_empty() {
            let executable = tree
                .and_then(|t| t.get_name(&first))
                .is_some_and(|e| e.filemode() == 0o100755);
            let blob = repo.blob(bytes)?;
            builder.insert(&first, blob, if executable { 0o100755 } else { 0o100644 })?;
        } else {
            subdirs
                .entry(first)
                .or_default()
                .insert(rest.to_path_buf(), bytes);
        }
    }
    for (dir, sub) in subdirs {
        let existing = match tree.and_then(|t| t.get_name(&dir)) {
            Some(entry) if entry.kind() == Some(git2::ObjectType::Tree) => {
                Some(repo.find_tree(entry.id())?)
            }
            _ => None,
        };
        let id = write_tree(repo, existing.as_ref(), &sub)?;
        builder.insert(&dir, id, 0o040000)?;
    }
    builder.write()
}

/// One commit remedy means to make.
#[derive(Clone, Debug)]
pub struct PlannedCommit {
    pub info: TransformInfo,
    pub tree: Oid,
    pub message: String,
    pub notes: Notes,
    pub files: Vec<String>,
}

/// One branch remedy means to have, with the transforms considered for it.
pub struct PlannedBranch {
    /// The short branch name (`remedy/utcnow-to-aware`).
    pub name: String,
    pub commits: Vec<PlannedCommit>,
    pub problems: Vec<(PathBuf, String)>,
}

fn git_err(context: &str) -> impl Fn(git2::Error) -> RemedyError + '_ {
    move |e| RemedyError::Git(format!("{context}: {}", e.message()))
}

/// How jobs map to branches.
#[derive(Clone, Copy, Debug)]
pub struct Layout<'a> {
    /// Branch name prefix for one branch per job.
    pub prefix: &'a str,
    /// One stacked branch of this name instead.
    pub single: Option<&'a str>,
    pub unsafe_fixes: bool,
}

/// Plans one branch per job (`single` = None) or one branch `single` stacking one commit per
/// job, each job seeing the files as the previous commits left them.
pub fn plan_branches(
    repo: &Repository,
    base: &Commit,
    contents: &BTreeMap<PathBuf, Arc<[u8]>>,
    targets: &[PathBuf],
    jobs: &[Job],
    layout: Layout,
) -> Result<Vec<PlannedBranch>, RemedyError> {
    let base_tree = base.tree().map_err(git_err("cannot read the base tree"))?;
    let mut branches = Vec::new();
    let Layout {
        prefix,
        single,
        unsafe_fixes,
    } = layout;
    match single {
        None => {
            let project = Project::snapshot(PathBuf::new(), contents.clone());
            for job in jobs {
                let run = run_transform(job, contents, targets, &project, unsafe_fixes);
                let mut commits = Vec::new();
                if !run.changed.is_empty() {
                    commits.push(plan_commit(repo, &base_tree, job, &run)?);
                }
                branches.push(PlannedBranch {
                    name: format!("{prefix}{}", job.info.id),
                    commits,
                    problems: run.problems,
                });
            }
        }
        Some(name) => {
            let mut current = contents.clone();
            let mut tree = base_tree;
            let mut commits = Vec::new();
            let mut problems = Vec::new();
            for job in jobs {
                let project = Project::snapshot(PathBuf::new(), current.clone());
                let run = run_transform(job, &current, targets, &project, unsafe_fixes);
                problems.extend(run.problems.iter().cloned());
                if run.changed.is_empty() {
                    continue;
                }
                let planned = plan_commit(repo, &tree, job, &run)?;
                tree = repo
                    .find_tree(planned.tree)
                    .map_err(git_err("cannot read a written tree"))?;
                for (path, bytes) in run.changed {
                    current.insert(path, Arc::from(bytes));
                }
                commits.push(planned);
            }
            problems.sort();
            problems.dedup();
            branches.push(PlannedBranch {
                name: name.to_string(),
                commits,
                problems,
            });
        }
    }
    Ok(branches)
}

fn plan_commit(
    repo: &Repository,
    parent_tree: &Tree,
    job: &Job,
    run: &TransformRun,
) -> Result<PlannedCommit, RemedyError> {
    let changes: BTreeMap<PathBuf, &[u8]> = run
        .changed
        .iter()
        .map(|(p, b)| (p.clone(), &b[..]))
        .collect();
    let tree =
        write_tree(repo, Some(parent_tree), &changes).map_err(git_err("cannot write a tree"))?;
    Ok(PlannedCommit {
        info: job.info.clone(),
        tree,
        message: message::commit_message(&job.info, &run.notes, tree),
        notes: run.notes.clone(),
        files: run.changed.keys().map(|p| slash_path(p)).collect(),
    })
}

/// What happened (or, in a dry run, would happen) to a branch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Create,
    /// Rebuilt because the base moved or the fixes changed.
    Update,
    UpToDate,
    /// Left alone: it holds work remedy did not make, or is checked out.
    Refuse(String),
    /// Overwritten with `--force` although it held work remedy did not make.
    Force,
    /// No fixes any more; kept (pass `--prune`). `foreign` when people committed to it.
    Stale {
        foreign: bool,
    },
    Prune,
}

impl Action {
    pub fn verb(&self, dry_run: bool) -> &'static str {
        match (self, dry_run) {
            (Action::Create, false) => "created",
            (Action::Create, true) => "would create",
            (Action::Update, false) => "updated",
            (Action::Update, true) => "would update",
            (Action::Force, false) => "overwrote",
            (Action::Force, true) => "would overwrite",
            (Action::Prune, false) => "deleted",
            (Action::Prune, true) => "would delete",
            (Action::UpToDate, _) => "up to date",
            (Action::Refuse(_), _) => "refused",
            (Action::Stale { .. }, _) => "stale",
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::UpToDate => "up-to-date",
            Action::Refuse(_) => "refuse",
            Action::Force => "force",
            Action::Stale { .. } => "stale",
            Action::Prune => "prune",
        }
    }

    /// Whether the branch's head after this action is one remedy built or verified.
    pub fn has_head(&self) -> bool {
        matches!(
            self,
            Action::Create | Action::Update | Action::UpToDate | Action::Force
        )
    }
}

/// The result for one branch.
pub struct BranchOutcome {
    pub name: String,
    pub action: Action,
    /// The branch's commit before this run.
    pub previous: Option<Oid>,
    /// The branch's commit after this run (what it would be, in a dry run).
    pub head: Option<Oid>,
    pub commits: Vec<PlannedCommit>,
}

/// True for commits remedy made and nobody changed since: one parent, remedy's trailers,
/// and the recorded tree still the commit's tree.
pub fn is_remedy_commit(commit: &Commit) -> bool {
    let Some(text) = commit.message() else {
        return false;
    };
    commit.parent_count() == 1
        && message::trailer(text, message::TRANSFORM_TRAILER).is_some()
        && message::trailer(text, message::TREE_TRAILER)
            .is_some_and(|t| t == commit.tree_id().to_string())
}

/// What an existing branch holds relative to `base`.
enum History<'r> {
    /// Only remedy commits: the first-parent chain from the tip down, and the commit below it.
    Remedy { chain: Vec<Commit<'r>>, below: Oid },
    /// A commit remedy did not make (or one people changed).
    Foreign { id: Oid, summary: String },
}

fn examine<'r>(repo: &'r Repository, tip: Oid, base: Oid) -> Result<History<'r>, RemedyError> {
    let mut walk = repo.revwalk().map_err(git_err("cannot walk history"))?;
    walk.push(tip).map_err(git_err("cannot walk history"))?;
    walk.hide(base).map_err(git_err("cannot walk history"))?;
    for id in walk {
        let id = id.map_err(git_err("cannot walk history"))?;
        let commit = repo
            .find_commit(id)
            .map_err(git_err("cannot read a commit"))?;
        if !is_remedy_commit(&commit) {
            return Ok(History::Foreign {
                id,
                summary: commit.summary().unwrap_or("").to_string(),
            });
        }
    }
    let mut chain = Vec::new();
    let mut current = repo
        .find_commit(tip)
        .map_err(git_err("cannot read a commit"))?;
    loop {
        if !is_remedy_commit(&current) {
            let below = current.id();
            return Ok(History::Remedy { chain, below });
        }
        let parent = current.parent(0).map_err(git_err("cannot read a commit"))?;
        chain.push(current);
        current = parent;
    }
}

/// Options that decide how existing branches are treated.
#[derive(Clone, Copy, Debug, Default)]
pub struct RefPolicy {
    pub force: bool,
    pub prune: bool,
    pub dry_run: bool,
}

/// Brings branch `planned` to its planned state: creates its commits on `base` and moves
/// `refs/heads/<name>` with compare-and-swap, unless it is up to date or not remedy's.
/// `checked_out` lists refs that a work tree has checked out (never moved).
pub fn reconcile(
    repo: &Repository,
    base: &Commit,
    planned: PlannedBranch,
    signature: &Signature,
    policy: RefPolicy,
    checked_out: &[(String, PathBuf)],
) -> Result<Option<BranchOutcome>, RemedyError> {
    let refname = format!("refs/heads/{}", planned.name);
    if !git2::Reference::is_valid_name(&refname) {
        return Err(RemedyError::Usage(format!(
            "`{}` is not a valid branch name",
            planned.name
        )));
    }
    let existing = match repo.find_reference(&refname) {
        Ok(r) => Some(r.target().ok_or_else(|| {
            RemedyError::Git(format!(
                "{refname} is a symbolic reference; remedy leaves it alone"
            ))
        })?),
        Err(e) if e.code() == git2::ErrorCode::NotFound => None,
        Err(e) => return Err(git_err("cannot read branches")(e)),
    };
    let outcome = |action, head| BranchOutcome {
        name: planned.name.clone(),
        action,
        previous: existing,
        head,
        commits: planned.commits.clone(),
    };
    let checked_out_at = checked_out
        .iter()
        .find(|(r, _)| *r == refname)
        .map(|(_, p)| p.clone());

    let Some(tip) = existing else {
        if planned.commits.is_empty() {
            return Ok(None);
        }
        if let Some(at) = checked_out_at {
            return Ok(Some(outcome(
                Action::Refuse(format!("it is checked out (unborn) at {}", at.display())),
                None,
            )));
        }
        if let Some(reason) = name_collision(repo, &planned.name) {
            return Ok(Some(outcome(Action::Refuse(reason), None)));
        }
        let head = write_commits(repo, base, &planned.commits, signature)?;
        if !policy.dry_run {
            repo.reference(
                &refname,
                head,
                false,
                &format!("remedy branch: create on {}", short(base.id())),
            )
            .map_err(|e| moved_error(&refname, e))?;
        }
        return Ok(Some(outcome(Action::Create, Some(head))));
    };

    let history = examine(repo, tip, base.id())?;
    if let Some(at) = &checked_out_at {
        let up_to_date = matches!(&history, History::Remedy { chain, below } if matches_plan(chain, *below, base.id(), &planned.commits));
        if !up_to_date {
            return Ok(Some(outcome(
                Action::Refuse(format!(
                    "it is checked out at {}; remedy never touches a work tree",
                    at.display()
                )),
                Some(tip),
            )));
        }
    }
    if planned.commits.is_empty() {
        let foreign = matches!(history, History::Foreign { .. });
        if policy.prune && (!foreign || policy.force) {
            if !policy.dry_run {
                let mut reference = repo
                    .find_reference(&refname)
                    .map_err(git_err("cannot read branches"))?;
                if reference.target() != Some(tip) {
                    return Err(RemedyError::Git(format!(
                        "{refname} moved while remedy was working; run it again"
                    )));
                }
                reference.delete().map_err(|e| moved_error(&refname, e))?;
            }
            return Ok(Some(outcome(Action::Prune, None)));
        }
        return Ok(Some(outcome(Action::Stale { foreign }, Some(tip))));
    }
    let action = match &history {
        History::Remedy { chain, below }
            if matches_plan(chain, *below, base.id(), &planned.commits) =>
        {
            return Ok(Some(outcome(Action::UpToDate, Some(tip))));
        }
        History::Remedy { .. } => Action::Update,
        History::Foreign { id, summary } if !policy.force => {
            return Ok(Some(outcome(
                Action::Refuse(format!(
                    "it holds commit {} \"{}\" that remedy did not make; pass --force to overwrite it",
                    short(*id),
                    summary
                )),
                Some(tip),
            )));
        }
        History::Foreign { .. } => Action::Force,
    };
    let head = write_commits(repo, base, &planned.commits, signature)?;
    if !policy.dry_run {
        repo.reference_matching(
            &refname,
            head,
            true,
            tip,
            &format!("remedy branch: rebuild on {}", short(base.id())),
        )
        .map_err(|e| moved_error(&refname, e))?;
    }
    Ok(Some(outcome(action, Some(head))))
}

/// Why branch `name` cannot be created although no branch of that name exists: git refs are
/// files and directories, so `fx/a` cannot coexist with a branch `fx`, nor `a` with `a/b`.
fn name_collision(repo: &Repository, name: &str) -> Option<String> {
    let mut prefix = String::new();
    for part in name.split('/').collect::<Vec<_>>().split_last()?.1 {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        if repo.find_reference(&format!("refs/heads/{prefix}")).is_ok() {
            return Some(format!(
                "a branch `{prefix}` exists, and git cannot have both `{prefix}` and `{name}`; pass another --prefix (or --single NAME)"
            ));
        }
    }
    let below = repo
        .references_glob(&format!("refs/heads/{name}/*"))
        .ok()?
        .flatten()
        .find_map(|r| r.shorthand().map(str::to_string));
    below.map(|other| {
        format!(
            "a branch `{other}` exists, and git cannot have both `{other}` and `{name}`; pass another --prefix (or --single NAME)"
        )
    })
}

/// True when the remedy chain (tip first) sits on `base` and holds exactly the planned commits.
fn matches_plan(chain: &[Commit], below: Oid, base: Oid, planned: &[PlannedCommit]) -> bool {
    below == base
        && chain.len() == planned.len()
        && chain
            .iter()
            .rev()
            .zip(planned)
            .all(|(c, p)| c.tree_id() == p.tree && c.message() == Some(p.message.as_str()))
}

fn write_commits(
    repo: &Repository,
    base: &Commit,
    commits: &[PlannedCommit],
    signature: &Signature,
) -> Result<Oid, RemedyError> {
    let mut parent = base.clone();
    for planned in commits {
        let tree = repo
            .find_tree(planned.tree)
            .map_err(git_err("cannot read a written tree"))?;
        let id = repo
            .commit(
                None,
                signature,
                signature,
                &planned.message,
                &tree,
                &[&parent],
            )
            .map_err(git_err("cannot write a commit"))?;
        parent = repo
            .find_commit(id)
            .map_err(git_err("cannot read a written commit"))?;
    }
    Ok(parent.id())
}

fn moved_error(refname: &str, e: git2::Error) -> RemedyError {
    match e.code() {
        git2::ErrorCode::Modified | git2::ErrorCode::Exists | git2::ErrorCode::Locked => {
            RemedyError::Git(format!(
                "{refname} changed while remedy was working ({}); run it again",
                e.message()
            ))
        }
        _ => RemedyError::Git(format!("cannot update {refname}: {}", e.message())),
    }
}

pub fn short(id: Oid) -> String {
    id.to_string()[..7].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Lines, SourceText};
    use ruff_text_size::{TextRange, TextSize};

    /// A fake transform: replaces every `bad()` with `good()`; `risky()` is declined.
    fn fake_fix(path: &Path, bytes: &[u8], _project: &Project) -> FileOutcome {
        let source = SourceText::decode(bytes).unwrap();
        let lines = Lines::new(&source.text);
        let mut findings = Vec::new();
        for (needle, fixable) in [("bad()", true), ("risky()", false)] {
            for (offset, _) in source.text.match_indices(needle) {
                let range = TextRange::at(
                    TextSize::from(offset as u32),
                    TextSize::from(needle.len() as u32),
                );
                let fix = fixable.then(|| {
                    crate::edit::Fix::safe(
                        "use `good()`",
                        vec![crate::edit::Edit::replacement("good()", range)],
                    )
                });
                findings.push(crate::engine::Reported {
                    transform: "fake",
                    range,
                    start: lines.position(range.start()),
                    end: lines.position(range.end()),
                    message: format!("`{needle}` is dangerous"),
                    applied: fixable,
                    changed: fix
                        .iter()
                        .flat_map(|f| f.edits.iter().map(|e| e.range))
                        .collect(),
                    fix,
                });
            }
        }
        let fixed = source.text.replace("bad()", "good()");
        FileOutcome {
            path: path.to_path_buf(),
            fixed: (fixed != source.text).then(|| source.with_text(fixed)),
            original: Some(source),
            findings,
            problem: None,
        }
    }

    fn job() -> Job<'static> {
        Job {
            info: TransformInfo {
                id: "fake".into(),
                title: "Use good".into(),
                summary: String::new(),
                findings: vec!["X-1".into()],
                cwe: vec![],
            },
            fixer: Box::new(fake_fix),
        }
    }

    fn repo_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Repository, Oid) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let mut changes = BTreeMap::new();
        for (p, c) in files {
            changes.insert(PathBuf::from(p), c.as_bytes());
        }
        let tree = write_tree(&repo, None, &changes).unwrap();
        let base = {
            let tree = repo.find_tree(tree).unwrap();
            let sig = Signature::now("T", "t@example.com").unwrap();
            repo.commit(Some("HEAD"), &sig, &sig, "initial", &tree, &[])
                .unwrap()
        };
        (dir, repo, base)
    }

    fn files_of(repo: &Repository, base: Oid) -> (BTreeMap<PathBuf, Arc<[u8]>>, Vec<PathBuf>) {
        let tree = repo.find_commit(base).unwrap().tree().unwrap();
        let mut contents = BTreeMap::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, e| {
            if e.kind() == Some(git2::ObjectType::Blob) {
                let blob = repo.find_blob(e.id()).unwrap();
                contents.insert(
                    PathBuf::from(format!("{dir}{}", e.name().unwrap())),
                    Arc::from(blob.content()),
                );
            }
            git2::TreeWalkResult::Ok
        })
        .unwrap();
        let targets = contents.keys().cloned().collect();
        (contents, targets)
    }

    fn build(repo: &Repository, base: Oid, policy: RefPolicy) -> BranchOutcome {
        let (contents, targets) = files_of(repo, base);
        let base = repo.find_commit(base).unwrap();
        let mut planned = plan_branches(
            repo,
            &base,
            &contents,
            &targets,
            &[job()],
            Layout {
                prefix: "remedy/",
                single: None,
                unsafe_fixes: false,
            },
        )
        .unwrap();
        let sig = Signature::now("R", "r@example.com").unwrap();
        reconcile(repo, &base, planned.remove(0), &sig, policy, &[])
            .unwrap()
            .unwrap()
    }

    fn blob_at(repo: &Repository, commit: Oid, path: &str) -> String {
        let tree = repo.find_commit(commit).unwrap().tree().unwrap();
        let entry = tree.get_path(Path::new(path)).unwrap();
        String::from_utf8(repo.find_blob(entry.id()).unwrap().content().to_vec()).unwrap()
    }

    #[test]
    fn builds_nested_trees_and_is_idempotent() {
        let (_dir, repo, base) = repo_with(&[
            ("app/core/x.py", "bad()\nrisky()\n"),
            ("app/y.py", "ok()\n"),
            ("run.sh", "#!/bin/sh\n"),
        ]);
        let first = build(&repo, base, RefPolicy::default());
        assert_eq!(first.action, Action::Create);
        let head = first.head.unwrap();
        assert_eq!(blob_at(&repo, head, "app/core/x.py"), "good()\nrisky()\n");
        assert_eq!(blob_at(&repo, head, "app/y.py"), "ok()\n");
        let commit = repo.find_commit(head).unwrap();
        assert_eq!(commit.parent_id(0).unwrap(), base);
        assert!(is_remedy_commit(&commit));
        let text = commit.message().unwrap();
        assert!(text.contains("- app/core/x.py:1: use `good()`"), "{text}");
        assert!(
            text.contains("Not fixed (needs a person):\n- app/core/x.py:2: `risky()` is dangerous"),
            "{text}"
        );
        assert_eq!(
            repo.find_reference("refs/heads/remedy/fake")
                .unwrap()
                .target(),
            Some(head)
        );
        // HEAD still on the base.
        assert_eq!(repo.head().unwrap().target(), Some(base));

        let again = build(&repo, base, RefPolicy::default());
        assert_eq!(again.action, Action::UpToDate);
        assert_eq!(
            repo.find_reference("refs/heads/remedy/fake")
                .unwrap()
                .target(),
            Some(head)
        );
    }

    #[test]
    fn foreign_commits_are_refused_unless_forced() {
        let (_dir, repo, base) = repo_with(&[("a.py", "bad()\n")]);
        let head = build(&repo, base, RefPolicy::default()).head.unwrap();
        // Amend remedy's commit with a different tree but the same message.
        let parent = repo.find_commit(base).unwrap();
        let mut changes = BTreeMap::new();
        changes.insert(PathBuf::from("a.py"), &b"good()  # reviewed\n"[..]);
        let tree = write_tree(&repo, Some(&parent.tree().unwrap()), &changes).unwrap();
        let tree = repo.find_tree(tree).unwrap();
        let msg = repo
            .find_commit(head)
            .unwrap()
            .message()
            .unwrap()
            .to_string();
        let sig = Signature::now("Human", "h@example.com").unwrap();
        let amended = repo
            .commit(None, &sig, &sig, &msg, &tree, &[&parent])
            .unwrap();
        repo.reference("refs/heads/remedy/fake", amended, true, "amend")
            .unwrap();

        let refused = build(&repo, base, RefPolicy::default());
        assert!(
            matches!(refused.action, Action::Refuse(_)),
            "{:?}",
            refused.action
        );
        assert_eq!(
            repo.find_reference("refs/heads/remedy/fake")
                .unwrap()
                .target(),
            Some(amended)
        );

        let forced = build(
            &repo,
            base,
            RefPolicy {
                force: true,
                ..Default::default()
            },
        );
        assert_eq!(forced.action, Action::Force);
        assert_eq!(blob_at(&repo, forced.head.unwrap(), "a.py"), "good()\n");
    }

    #[test]
    fn dry_run_writes_no_objects_and_no_refs() {
        let (dir, repo, base) = repo_with(&[("a.py", "bad()\n")]);
        let count = || walkdir_count(&dir.path().join(".git/objects"));
        let before = count();
        let odb = repo.odb().unwrap();
        let _mempack = odb.add_new_mempack_backend(1000).unwrap();
        let outcome = build(
            &repo,
            base,
            RefPolicy {
                dry_run: true,
                ..Default::default()
            },
        );
        assert_eq!(outcome.action, Action::Create);
        assert!(outcome.head.is_some());
        assert_eq!(count(), before, "dry run wrote objects to disk");
        assert!(repo.find_reference("refs/heads/remedy/fake").is_err());
    }

    fn walkdir_count(dir: &Path) -> usize {
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            n += if p.is_dir() { walkdir_count(&p) } else { 1 };
        }
        n
    }

    #[test]
    fn no_fixes_means_stale_then_pruned() {
        let (_dir, repo, base) = repo_with(&[("a.py", "bad()\n")]);
        build(&repo, base, RefPolicy::default());
        // The base now has the fix already: nothing left to do.
        let sig = Signature::now("T", "t@example.com").unwrap();
        let parent = repo.find_commit(base).unwrap();
        let mut changes = BTreeMap::new();
        changes.insert(PathBuf::from("a.py"), &b"good()\n"[..]);
        let tree = repo
            .find_tree(write_tree(&repo, Some(&parent.tree().unwrap()), &changes).unwrap())
            .unwrap();
        let fixed_base = repo
            .commit(Some("HEAD"), &sig, &sig, "fixed by hand", &tree, &[&parent])
            .unwrap();
        let stale = build(&repo, fixed_base, RefPolicy::default());
        assert_eq!(stale.action, Action::Stale { foreign: false });
        assert!(repo.find_reference("refs/heads/remedy/fake").is_ok());
        let pruned = build(
            &repo,
            fixed_base,
            RefPolicy {
                prune: true,
                ..Default::default()
            },
        );
        assert_eq!(pruned.action, Action::Prune);
        assert!(repo.find_reference("refs/heads/remedy/fake").is_err());
    }

    /// A second fake transform that only acts on what the first one produced.
    fn polish(path: &Path, bytes: &[u8], project: &Project) -> FileOutcome {
        let mut outcome = fake_fix(path, bytes, project);
        outcome.findings.clear();
        let source = SourceText::decode(bytes).unwrap();
        let polished = source.text.replace("good()", "best()");
        outcome.fixed = (polished != source.text).then(|| source.with_text(polished));
        outcome
    }

    #[test]
    fn single_branch_stacks_one_commit_per_transform() {
        let (_dir, repo, base) = repo_with(&[("a.py", "bad()\n")]);
        let (contents, targets) = files_of(&repo, base);
        let base_commit = repo.find_commit(base).unwrap();
        let mut second = job();
        second.info.id = "polish".into();
        second.fixer = Box::new(polish);
        let jobs = [job(), second];
        let layout = Layout {
            prefix: "remedy/",
            single: Some("all-fixes"),
            unsafe_fixes: false,
        };
        let mut planned =
            plan_branches(&repo, &base_commit, &contents, &targets, &jobs, layout).unwrap();
        assert_eq!(planned.len(), 1);
        assert_eq!(
            planned[0].commits.len(),
            2,
            "the second transform sees the first one's output"
        );
        let sig = Signature::now("R", "r@example.com").unwrap();
        let outcome = reconcile(
            &repo,
            &base_commit,
            planned.remove(0),
            &sig,
            RefPolicy::default(),
            &[],
        )
        .unwrap()
        .unwrap();
        let head = outcome.head.unwrap();
        assert_eq!(blob_at(&repo, head, "a.py"), "best()\n");
        let first = repo.find_commit(head).unwrap().parent(0).unwrap();
        assert_eq!(blob_at(&repo, first.id(), "a.py"), "good()\n");
        assert_eq!(first.parent_id(0).unwrap(), base);
        assert!(
            message::trailer(first.message().unwrap(), message::TRANSFORM_TRAILER)
                .is_some_and(|t| t == "fake")
        );
    }
}
