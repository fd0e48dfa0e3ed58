//! The command line as typed: clap definitions only. `plan.rs` validates these into a plan.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Repair security findings in Python web backends (Flask, FastAPI, Django) \
with minimal, reviewable edits.";

const AFTER_HELP: &str = "\
Examples:
  remedy check                      report findings under the current directory (CI dry run)
  remedy diff app/                  print every fix as a patch `git apply` accepts
  remedy apply --unsafe-fixes       write safe and unsafe fixes to disk
  remedy branch --push origin       one reviewable git branch per transform
  remedy list                       the transforms and what they remediate
  remedy explain utcnow-to-aware    a transform's documentation

Safe fixes apply by default; --unsafe-fixes adds fixes that change behaviour on purpose
(a required secret, a restored guard). Display-only findings are never edited: remedy says why.

Exit codes: 0 nothing found (or done), 1 findings exist (check) or fixes applied with
--exit-non-zero-on-fix (apply), 2 usage, configuration, I/O or git error.

Configuration: [tool.remedy] in pyproject.toml, or remedy.toml, found by walking up from the
current directory. Keys: select, ignore, exclude, unsafe-fixes, per-file-ignores.";

#[derive(Debug, Parser)]
#[command(name = "remedy", version, about = ABOUT, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

const CHECK_HELP: &str = "\
Examples:
  remedy check                              every Python file under the current directory
  remedy check app/ --select utcnow-to-aware one transform on one directory
  remedy check --output-format sarif > remedy.sarif   for GitHub code scanning
  remedy check --output-format github       workflow annotations on the pull request
  remedy check --diff --unsafe-fixes        the findings and the patch that would fix them

Each finding prints as `path:line:col: <transform-id> <message> [fix]` ([fix] applies by
default, [unsafe fix] with --unsafe-fixes, no marker: a person must fix it, and the message
says why).

Exit codes: 0 no findings (or --exit-zero), 1 findings exist, 2 usage, configuration or I/O
error.";

const DIFF_HELP: &str = "\
Examples:
  remedy diff | git apply                   apply every safe fix
  remedy diff --unsafe-fixes app/ > fix.patch   review the unsafe ones too

Paths in the patch are relative to the current directory (`a/` and `b/` prefixes), so PATHs
must lie inside it. Nothing is written. Exit codes: 0 done, 2 usage, configuration or I/O
error.";

const APPLY_HELP: &str = "\
Examples:
  remedy apply                              write the safe fixes
  remedy apply --unsafe-fixes app/          also the unsafe ones (read their messages first)
  remedy apply --exit-non-zero-on-fix       for pre-commit: fail when files were changed

In a git work tree, files with uncommitted changes are refused (listed) unless --allow-dirty:
commit or stash first, so that the fix is a reviewable diff of its own.

Exit codes: 0 done, 1 fixes applied with --exit-non-zero-on-fix, 2 usage, configuration, I/O
or write error (other files are still fixed), 130 interrupted (each file left whole).";

const BRANCH_HELP: &str = "\
Examples:
  remedy branch                             refs/heads/remedy/<transform-id> on HEAD
  remedy branch --base origin/main --push origin   build on the remote's main and push
  remedy branch --single security-fixes     one branch, one commit per transform
  remedy branch --dry-run --output-format json     what would change, with PR titles/bodies

Files are read from --base, not from the work tree; the work tree, index and HEAD are never
touched. An unchanged branch is left alone; a branch with commits remedy did not make is
refused (--force overwrites it); a branch whose fixes are gone is reported stale (--prune
deletes it).

Exit codes: 0 done, 1 some branch was refused, 2 usage, git error or failed push.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report findings without changing anything (the CI dry run). Exit 1 when any exist.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Print all fixes as one unified diff that `git apply` accepts from here.
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
    /// Write fixes to the files, atomically; refuses files with uncommitted changes.
    #[command(after_help = APPLY_HELP)]
    Apply(ApplyArgs),
    /// Commit each transform's fixes to its own branch, without touching the work tree.
    #[command(after_help = BRANCH_HELP)]
    Branch(BranchArgs),
    /// List the transforms: id, title, review findings remediated, fix safety.
    List(ListArgs),
    /// Show a transform's documentation.
    Explain(ExplainArgs),
}

/// Options every file-processing command shares.
#[derive(Debug, Args, Clone, Default)]
pub struct FileArgs {
    /// Files or directories to process [default: .]
    pub paths: Vec<PathBuf>,
    /// Only run these transforms (comma-separated ids; repeatable).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub select: Vec<String>,
    /// Do not run these transforms (comma-separated ids; repeatable).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub ignore: Vec<String>,
    /// Also apply fixes marked unsafe (they change behaviour on purpose; review them).
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    pub unsafe_fixes: bool,
    /// Only apply safe fixes, even if the configuration enables unsafe ones.
    #[arg(long, overrides_with = "unsafe_fixes")]
    pub no_unsafe_fixes: bool,
    /// Skip paths matching this glob (repeatable), in addition to the default excludes.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Read configuration from this file instead of searching for one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only print errors and the essential result.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    /// One line per finding, then a summary.
    #[default]
    Text,
    /// A JSON document with every finding and its fix.
    Json,
    /// GitHub Actions workflow annotations (`::error file=...`).
    Github,
    /// SARIF 2.1.0 for code-scanning upload.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum SimpleFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub files: FileArgs,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t)]
    pub output_format: ReportFormat,
    /// Also print the patch the fixes would make (inside the document for json and sarif).
    #[arg(long)]
    pub diff: bool,
    /// Exit 0 even when findings exist.
    #[arg(long)]
    pub exit_zero: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub files: FileArgs,
    /// Colour the diff: auto (only on a terminal), always, never.
    #[arg(long, value_enum, default_value_t)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub files: FileArgs,
    /// Modify files even if they have uncommitted changes.
    #[arg(long)]
    pub allow_dirty: bool,
    /// Exit 1 when any fix was applied (as `ruff --exit-non-zero-on-fix`).
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,
    /// How to print what changed.
    #[arg(long, value_enum, default_value_t)]
    pub output_format: SimpleFormat,
}

#[derive(Debug, Args)]
pub struct BranchArgs {
    #[command(flatten)]
    pub files: FileArgs,
    /// The commit to read files from and build on.
    #[arg(long, default_value = "HEAD", value_name = "REF")]
    pub base: String,
    /// Branch name prefix: branches are refs/heads/<prefix><transform-id>.
    #[arg(long, default_value = "remedy/", value_name = "PREFIX")]
    pub prefix: String,
    /// Make one branch NAME with one commit per transform instead of a branch per transform.
    #[arg(long, value_name = "NAME")]
    pub single: Option<String>,
    /// Author and committer as `Name <email>` (default: git config user.name/user.email).
    #[arg(long, value_name = "NAME <EMAIL>")]
    pub author: Option<String>,
    /// Overwrite branches that hold commits remedy did not make.
    #[arg(long)]
    pub force: bool,
    /// Delete branches whose transform no longer has fixes.
    #[arg(long)]
    pub prune: bool,
    /// Push created, updated or pruned branches to this configured remote with the system
    /// `git`, leasing on the remote-tracking ref remedy saw.
    #[arg(long, value_name = "REMOTE")]
    pub push: Option<String>,
    /// Say what would happen; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How to print the result.
    #[arg(long, value_enum, default_value_t)]
    pub output_format: SimpleFormat,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t)]
    pub output_format: SimpleFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The transform id (see `remedy list`).
    pub id: String,
}
