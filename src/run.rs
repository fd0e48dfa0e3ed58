//! The commands: each turns a validated plan into engine runs and reports.

use std::path::{Path, PathBuf};
use std::sync::Once;

use rayon::prelude::*;

use crate::cli::{
    ApplyArgs, CheckArgs, Cli, ColorChoice, Command, DiffArgs, ExplainArgs, ListArgs, ReportFormat,
    SimpleFormat,
};
use crate::context::Project;
use crate::engine::{Engine, FileOutcome, FileProblem};
use crate::error::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, RemedyError};
use crate::plan::FilePlan;
use crate::report::{self, FileReport, Summary};
use crate::walk;
use crate::{Io, gitstate, transforms, write};

/// Files are processed in parallel in chunks of this size, and reported in order as each
/// chunk completes: output streams and memory stays bounded by the chunk.
const CHUNK: usize = 256;

/// Each worker gets a large stack: deeply nested expressions recurse in the parser.
const WORKER_STACK: usize = 256 * 1024 * 1024;

pub fn run(cli: Cli, io: &mut Io) -> Result<i32, RemedyError> {
    match cli.command {
        Command::Check(args) => check(&args, io),
        Command::Diff(args) => diff(&args, io),
        Command::Apply(args) => apply(&args, io),
        Command::Branch(args) => crate::branch::run(&args, io),
        Command::List(args) => list(&args, io),
        Command::Explain(args) => explain(&args, io),
    }
}

/// Sets up rayon's global pool with large worker stacks (once per process).
pub fn init_thread_pool() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let _ = rayon::ThreadPoolBuilder::new()
            .stack_size(WORKER_STACK)
            .build_global();
    });
}

fn io_err(e: std::io::Error) -> RemedyError {
    RemedyError::Io {
        path: PathBuf::from("<output>"),
        message: e.to_string(),
    }
}

/// Walks the plan's paths and runs the engine over every file, calling `each` in path order.
pub fn process_files(
    plan: &FilePlan,
    fix: bool,
    io: &mut Io,
    mut each: impl FnMut(&mut Io, FileOutcome, &[u8]) -> Result<(), RemedyError>,
) -> Result<usize, RemedyError> {
    init_thread_pool();
    let (files, warnings) =
        walk::collect_files(&plan.paths, &plan.cwd, &plan.root, &plan.excludes)?;
    for w in &warnings {
        writeln!(
            io.stderr,
            "warning: {}: {}",
            walk::display_path(&w.path, &plan.cwd).display(),
            w.message
        )
        .map_err(io_err)?;
    }
    let engine = Engine::new(plan.transforms.clone(), plan.unsafe_fixes);
    let project = Project::on_disk(&plan.root);
    let progress = progress_bar(io, files.len());
    for chunk in files.chunks(CHUNK) {
        // Inside `rayon::scope` the work runs on a pool worker (with its large stack) even
        // when the chunk holds one file; a bare `par_iter` would run a lone item on this thread.
        let outcomes: Vec<(FileOutcome, Vec<u8>)> = rayon::scope(|_| {
            chunk
                .par_iter()
                .map(|path| {
                    let display = walk::display_path(path, &plan.cwd);
                    READ_BUFFER.with_borrow_mut(|buffer| match read_into(path, buffer) {
                        Ok(()) => {
                            let ignored = plan.ignored_for(path);
                            let mut outcome = engine.process(path, buffer, &project, fix, &ignored);
                            outcome.path = display;
                            // The bytes go on only where a report or a write needs them.
                            let keep = !outcome.findings.is_empty() || outcome.fixed.is_some();
                            let bytes = if keep { buffer.clone() } else { Vec::new() };
                            (outcome, bytes)
                        }
                        Err(e) => (
                            FileOutcome {
                                path: display,
                                original: None,
                                fixed: None,
                                findings: Vec::new(),
                                problem: Some(FileProblem::Unreadable(e.to_string())),
                            },
                            Vec::new(),
                        ),
                    })
                })
                .collect()
        });
        for (outcome, bytes) in outcomes {
            if let Some(pb) = &progress {
                pb.inc(1);
            }
            each(io, outcome, &bytes)?;
        }
    }
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    Ok(files.len())
}

thread_local! {
    /// Each worker reads every file into the same buffer: its pages stay mapped and warm, so a
    /// run does not pay a fresh allocation (and the kernel's page zeroing) per file.
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Reads the whole file at `path` into `buffer` (replacing its contents).
fn read_into(path: &Path, buffer: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    buffer.clear();
    let mut file = std::fs::File::open(path)?;
    if let Ok(meta) = file.metadata() {
        buffer.reserve(meta.len() as usize);
    }
    file.read_to_end(buffer)?;
    // A buffer grown by one huge file is not kept for the rest of the run.
    if buffer.capacity() > KEPT_BUFFER_CAPACITY && buffer.len() < KEPT_BUFFER_CAPACITY / 4 {
        buffer.shrink_to(KEPT_BUFFER_CAPACITY);
    }
    Ok(())
}

/// The largest read buffer a worker keeps between files.
const KEPT_BUFFER_CAPACITY: usize = 4 * 1024 * 1024;

/// Runs over fewer files than this finish too fast for a progress bar to help.
const PROGRESS_MIN_FILES: usize = 500;

/// A progress bar only on a terminal, for a long run, and never in CI (`CI` set).
fn shows_progress(stderr_is_terminal: bool, total: usize, in_ci: bool) -> bool {
    stderr_is_terminal && total >= PROGRESS_MIN_FILES && !in_ci
}

fn progress_bar(io: &Io, total: usize) -> Option<indicatif::ProgressBar> {
    if !shows_progress(
        io.stderr_is_terminal,
        total,
        std::env::var_os("CI").is_some(),
    ) {
        return None;
    }
    let pb = indicatif::ProgressBar::new(total as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} files {wide_bar} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(pb)
}

fn warn_problem(io: &mut Io, path: &Path, problem: &FileProblem) -> Result<(), RemedyError> {
    writeln!(io.stderr, "warning: {}: {problem}", path.display()).map_err(io_err)
}

fn check(args: &CheckArgs, io: &mut Io) -> Result<i32, RemedyError> {
    let plan = FilePlan::new(&args.files, &io.cwd)?;
    if args.diff {
        refuse_paths_outside_cwd(&plan, "remedy check --diff")?;
    }
    let mut summary = Summary::default();
    let mut json = report::json::JsonReport::default();
    let mut sarif = report::sarif::SarifLog::default();
    let mut diffs: Vec<(PathBuf, String, String)> = Vec::new();
    let format = args.output_format;
    let quiet = plan.quiet;
    process_files(&plan, args.diff, io, |io, outcome, bytes| {
        let display = outcome.path.clone();
        let report = FileReport::from_outcome(outcome, display, args.diff);
        if let Some(p) = &report.problem
            && (!quiet || p.is_skip())
        {
            warn_problem(io, &report.path, p)?;
        }
        summary.add(&report);
        match format {
            ReportFormat::Text => {
                report::text::write_findings(io.stdout, &report).map_err(io_err)?
            }
            ReportFormat::Github => {
                report::github::write_annotations(io.stdout, &report).map_err(io_err)?
            }
            ReportFormat::Json => json.add(&report),
            ReportFormat::Sarif => sarif.add_with_source(&report, Some(bytes)),
        }
        if let Some((old, new)) = report.diff {
            diffs.push((report.path, old, new));
        }
        Ok(())
    })?;
    // With --diff, the patch follows a text or GitHub report and goes inside a JSON or SARIF
    // document (which must stay one valid document).
    let mut patch = if args.diff {
        let mut patch = Vec::new();
        for (path, old, new) in &diffs {
            report::diff::write_file_diff(&mut patch, path, old, new, false).map_err(io_err)?;
        }
        Some(String::from_utf8_lossy(&patch).into_owned())
    } else {
        None
    };
    match format {
        ReportFormat::Text => {
            if !quiet {
                report::text::write_check_summary(io.stdout, &summary, plan.unsafe_fixes)
                    .map_err(io_err)?;
            }
        }
        ReportFormat::Json => {
            json.summary = summary.clone();
            json.diff = patch.take();
            serde_json::to_writer_pretty(&mut *io.stdout, &json).map_err(|e| io_err(e.into()))?;
            writeln!(io.stdout).map_err(io_err)?;
        }
        ReportFormat::Sarif => {
            let log = sarif.to_json_with_diff(patch.take().as_deref());
            serde_json::to_writer_pretty(&mut *io.stdout, &log).map_err(|e| io_err(e.into()))?;
            writeln!(io.stdout).map_err(io_err)?;
        }
        ReportFormat::Github => {}
    }
    if let Some(patch) = patch {
        io.stdout.write_all(patch.as_bytes()).map_err(io_err)?;
    }
    Ok(if summary.findings > 0 && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// `git apply` takes a patch's paths relative to where it runs and refuses `..`: a patch of
/// a file outside the current directory could not be applied from here.
fn refuse_paths_outside_cwd(plan: &FilePlan, command: &str) -> Result<(), RemedyError> {
    for given in &plan.paths {
        let absolute = walk::absolute_path(given, &plan.cwd);
        if !absolute.starts_with(&plan.cwd) {
            return Err(RemedyError::Usage(format!(
                "{}: outside the current directory; `git apply` takes patch paths relative to where it runs, so run `{command}` from a directory that contains it",
                given.display()
            )));
        }
    }
    Ok(())
}

fn diff(args: &DiffArgs, io: &mut Io) -> Result<i32, RemedyError> {
    let plan = FilePlan::new(&args.files, &io.cwd)?;
    refuse_paths_outside_cwd(&plan, "remedy diff")?;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io.stdout_is_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut summary = Summary::default();
    let quiet = plan.quiet;
    process_files(&plan, true, io, |io, outcome, _| {
        let display = outcome.path.clone();
        let report = FileReport::from_outcome(outcome, display, true);
        if let Some(p) = &report.problem {
            warn_problem(io, &report.path, p)?;
        }
        summary.add(&report);
        if let Some((old, new)) = &report.diff {
            report::diff::write_file_diff(io.stdout, &report.path, old, new, color)
                .map_err(io_err)?;
        }
        Ok(())
    })?;
    if !quiet {
        let pending = summary.findings - summary.applied;
        writeln!(
            io.stderr,
            "{} fix{} in {} file{}; {} finding{} without an applied fix (see `remedy check`).",
            summary.applied,
            if summary.applied == 1 { "" } else { "es" },
            summary.files_changed,
            report::text::plural(summary.files_changed),
            pending,
            report::text::plural(pending),
        )
        .map_err(io_err)?;
    }
    Ok(EXIT_OK)
}

struct PendingWrite {
    absolute: PathBuf,
    report: FileReport,
    original: Vec<u8>,
    fixed: Vec<u8>,
}

fn apply(args: &ApplyArgs, io: &mut Io) -> Result<i32, RemedyError> {
    let plan = FilePlan::new(&args.files, &io.cwd)?;
    let mut pending: Vec<PendingWrite> = Vec::new();
    let mut unchanged: Vec<FileReport> = Vec::new();
    process_files(&plan, true, io, |io, outcome, bytes| {
        let display = outcome.path.clone();
        let fixed = outcome.fixed_bytes();
        let report = FileReport::from_outcome(outcome, display.clone(), false);
        if let Some(p) = &report.problem {
            warn_problem(io, &report.path, p)?;
        }
        match fixed {
            Some(fixed) if fixed != bytes => pending.push(PendingWrite {
                absolute: plan.cwd.join(&display),
                report,
                original: bytes.to_vec(),
                fixed,
            }),
            _ => {
                if !report.findings.is_empty() {
                    unchanged.push(report);
                }
            }
        }
        Ok(())
    })?;
    if !args.allow_dirty && !pending.is_empty() {
        let targets: Vec<PathBuf> = pending.iter().map(|p| p.absolute.clone()).collect();
        let dirty = gitstate::dirty_files(&targets);
        if !dirty.is_empty() {
            let files = dirty
                .iter()
                .map(|p| walk::display_path(p, &plan.cwd))
                .collect();
            return Err(RemedyError::DirtyFiles { files });
        }
    }
    let mut summary = Summary::default();
    let mut failures = 0;
    let mut written: Vec<&PendingWrite> = Vec::new();
    let interrupts = write::DeferInterrupts::install();
    let mut not_written = 0;
    for p in &mut pending {
        if interrupts.interrupted() {
            not_written += 1;
            for f in &mut p.report.findings {
                f.applied = false;
            }
            continue;
        }
        match write::write_atomically(&p.absolute, &p.original, &p.fixed) {
            Ok(()) => p.report.written = true,
            Err(e) => {
                failures += 1;
                for f in &mut p.report.findings {
                    f.applied = false;
                }
                writeln!(io.stderr, "error: {}", WriteErrorDisplay(&e, &plan.cwd))
                    .map_err(io_err)?;
            }
        }
    }
    let interrupted = interrupts.interrupted();
    drop(interrupts);
    if interrupted {
        writeln!(
            io.stderr,
            "interrupted: {not_written} file{} left unchanged; every file is either as it was or fully fixed",
            report::text::plural(not_written)
        )
        .map_err(io_err)?;
    }
    for p in &pending {
        summary.add(&p.report);
        if p.report.written {
            written.push(p);
        }
    }
    for r in &unchanged {
        summary.add(r);
    }
    match args.output_format {
        SimpleFormat::Json => {
            let mut json = report::json::JsonReport::default();
            for p in &pending {
                json.add(&p.report);
            }
            for r in &unchanged {
                json.add(r);
            }
            json.summary = summary.clone();
            serde_json::to_writer_pretty(&mut *io.stdout, &json).map_err(|e| io_err(e.into()))?;
            writeln!(io.stdout).map_err(io_err)?;
        }
        SimpleFormat::Text => {
            for p in &written {
                let n = p.report.findings.iter().filter(|f| f.applied).count();
                writeln!(
                    io.stdout,
                    "Fixed {n} finding{} in {}",
                    report::text::plural(n),
                    p.report.path.display()
                )
                .map_err(io_err)?;
            }
            if !plan.quiet {
                for r in pending.iter().map(|p| &p.report).chain(unchanged.iter()) {
                    let remaining = FileReport {
                        path: r.path.clone(),
                        findings: r.findings.iter().filter(|f| !f.applied).cloned().collect(),
                        problem: None,
                        diff: None,
                        written: false,
                    };
                    report::text::write_findings(io.stdout, &remaining).map_err(io_err)?;
                }
                let left = summary.findings - summary.applied;
                writeln!(
                    io.stdout,
                    "Applied {} fix{} in {} file{}; {} finding{} left.",
                    summary.applied,
                    if summary.applied == 1 { "" } else { "es" },
                    summary.files_changed,
                    report::text::plural(summary.files_changed),
                    left,
                    report::text::plural(left)
                )
                .map_err(io_err)?;
                if !plan.unsafe_fixes && summary.fixable_unsafe > 0 {
                    writeln!(io.stdout, "{} unsafe fix{} not applied: review them with `remedy diff --unsafe-fixes`.", summary.fixable_unsafe, if summary.fixable_unsafe == 1 { "" } else { "es" }).map_err(io_err)?;
                }
            }
        }
    }
    if interrupted {
        return Ok(write::EXIT_INTERRUPTED);
    }
    if failures > 0 {
        return Ok(EXIT_ERROR);
    }
    Ok(if args.exit_non_zero_on_fix && summary.applied > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

struct WriteErrorDisplay<'a>(&'a write::WriteError, &'a Path);

impl std::fmt::Display for WriteErrorDisplay<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.0.to_string();
        let prefix = self.1.to_string_lossy().to_string() + "/";
        write!(f, "{}", text.replacen(&prefix, "", 1))
    }
}

fn list(args: &ListArgs, io: &mut Io) -> Result<i32, RemedyError> {
    let all = transforms::registry();
    match args.output_format {
        SimpleFormat::Json => {
            let metas: Vec<_> = all.iter().map(|r| r.meta()).collect();
            serde_json::to_writer_pretty(&mut *io.stdout, &metas).map_err(|e| io_err(e.into()))?;
            writeln!(io.stdout).map_err(io_err)?;
        }
        SimpleFormat::Text => {
            let width = all.iter().map(|r| r.id().len()).max().unwrap_or(0);
            for r in all {
                let m = r.meta();
                writeln!(
                    io.stdout,
                    "{:width$}  {}  [{}; fixes {}]",
                    r.id(),
                    m.title,
                    m.findings.join(", "),
                    m.fix_safety,
                )
                .map_err(io_err)?;
            }
        }
    }
    Ok(EXIT_OK)
}

fn explain(args: &ExplainArgs, io: &mut Io) -> Result<i32, RemedyError> {
    let r = transforms::find(&args.id).ok_or_else(|| RemedyError::UnknownTransform {
        id: args.id.clone(),
    })?;
    let m = r.meta();
    writeln!(io.stdout, "{} — {}", r.id(), m.title).map_err(io_err)?;
    writeln!(
        io.stdout,
        "Remediates: {}   CWE: {}   bandit: {}   ruff: {}   fix safety: {}\n",
        m.findings.join(", "),
        m.cwe.join(", "),
        if m.bandit.is_empty() {
            "-".to_string()
        } else {
            m.bandit.join(", ")
        },
        if m.ruff.is_empty() {
            "-".to_string()
        } else {
            m.ruff.join(", ")
        },
        m.fix_safety
    )
    .map_err(io_err)?;
    io.stdout.write_all(r.doc.as_bytes()).map_err(io_err)?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_only_on_a_terminal_for_long_runs_outside_ci() {
        assert!(shows_progress(true, PROGRESS_MIN_FILES, false));
        assert!(!shows_progress(false, 10_000, false), "never in pipes");
        assert!(!shows_progress(true, 10_000, true), "never in CI");
        assert!(
            !shows_progress(true, PROGRESS_MIN_FILES - 1, false),
            "short runs"
        );
    }
}
