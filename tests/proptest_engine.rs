//! Property test ("fuzzing" on stable Rust) over the engine with every transform and unsafe
//! fixes on. For any generated input that parses:
//! - the fixed output parses (ruff here, python3's `ast` in one batch at the end);
//! - a second pass over the output changes nothing;
//! - every changed line is a line some reported fix edits (bytes elsewhere are identical),
//!   and a BOM is kept;
//! - no transform panics, breaks syntax or fails to converge.
//!
//! Inputs are built from the transforms' cases (`transforms/*/cases/*.py`, read at test time,
//! so new cases widen the search) and the seed corpus in `tests/fuzz-seeds/`, then mutated:
//! CRLF, tabs, re-indentation, comments, form feeds, identifier renames (often to names that
//! collide with imports), splicing lines of one snippet into another, wrapping in a
//! function/class/`if`, deleting and duplicating lines, a BOM.
//!
//! By default a CI-sized run (`REMEDY_FUZZ_CASES`, default 1000). Set `REMEDY_FUZZ_SECONDS=600`
//! for a long run with fresh random seeds until the time is up (`REMEDY_FUZZ_IGNORE=id,...`
//! leaves transforms out). A failure prints the input
//! and saves it under `$CARGO_TARGET_DIR/fuzz-failures/`; add it to `tests/fuzz-seeds/` once
//! fixed.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use remedy::context::Project;
use remedy::engine::{Engine, FileProblem};

/// Every snippet the generator combines: (name, text).
fn corpus() -> Vec<(String, String)> {
    let root = common::repo_root();
    let mut paths: Vec<PathBuf> = Vec::new();
    for dir in std::fs::read_dir(root.join("transforms"))
        .unwrap()
        .flatten()
    {
        if let Ok(cases) = std::fs::read_dir(dir.path().join("cases")) {
            paths.extend(cases.flatten().map(|e| e.path()));
        }
    }
    paths.extend(
        std::fs::read_dir(root.join("tests/fuzz-seeds"))
            .unwrap()
            .flatten()
            .map(|e| e.path()),
    );
    paths.retain(|p| p.extension().is_some_and(|e| e == "py"));
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.strip_prefix(&root).unwrap().display().to_string(), text)
        })
        .collect()
}

/// Names a rename may introduce: mostly ones the transforms care about, to provoke shadowing.
const NAMES: &[&str] = &[
    "datetime",
    "dt",
    "timezone",
    "utcnow",
    "now",
    "utc",
    "pickle",
    "json",
    "loads",
    "dumps",
    "stripe",
    "Webhook",
    "construct_event",
    "settings",
    "os",
    "environ",
    "getenv",
    "request",
    "app",
    "Depends",
    "user",
    "x",
    "_",
    "self",
    "cls",
    "time",
    "json_loads",
    "tz",
];

#[derive(Clone, Debug)]
enum Mutation {
    Crlf,
    CrlfOneLine(usize),
    Tabs,
    Reindent(usize),
    CommentLine(usize),
    TrailingComment(usize),
    FormFeed(usize),
    Rename {
        which: usize,
        to: usize,
    },
    Splice {
        from: usize,
        start: usize,
        len: usize,
        at: usize,
    },
    Wrap(usize),
    DeleteLine(usize),
    DuplicateLine(usize),
}

#[derive(Clone, Debug)]
struct Recipe {
    base: usize,
    mutations: Vec<Mutation>,
    bom: bool,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let n = 0..10_000usize;
    prop_oneof![
        Just(Mutation::Crlf),
        n.clone().prop_map(Mutation::CrlfOneLine),
        Just(Mutation::Tabs),
        (1..9usize).prop_map(Mutation::Reindent),
        n.clone().prop_map(Mutation::CommentLine),
        n.clone().prop_map(Mutation::TrailingComment),
        n.clone().prop_map(Mutation::FormFeed),
        (n.clone(), 0..NAMES.len()).prop_map(|(which, to)| Mutation::Rename { which, to }),
        (n.clone(), n.clone(), 1..12usize, n.clone()).prop_map(|(from, start, len, at)| {
            Mutation::Splice {
                from,
                start,
                len,
                at,
            }
        }),
        (0..4usize).prop_map(Mutation::Wrap),
        n.clone().prop_map(Mutation::DeleteLine),
        n.prop_map(Mutation::DuplicateLine),
    ]
}

fn recipe() -> impl Strategy<Value = Recipe> {
    (
        0..10_000usize,
        proptest::collection::vec(mutation(), 0..6),
        proptest::bool::weighted(0.1),
    )
        .prop_map(|(base, mutations, bom)| Recipe {
            base,
            mutations,
            bom,
        })
}

fn lines(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(str::to_string).collect()
}

fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Identifiers in `text` (strings and comments included: renaming there is harmless).
fn identifiers(text: &str) -> Vec<String> {
    let mut found = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() || bytes[i] == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            if start == 0 || !(bytes[start - 1].is_ascii_digit()) {
                found.insert(text[start..i].to_string());
            }
        } else {
            i += 1;
        }
    }
    found.into_iter().collect()
}

fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with(from)
            && (i == 0 || !is_word(bytes[i - 1]))
            && bytes.get(i + from.len()).is_none_or(|&b| !is_word(b))
        {
            out.push_str(to);
            i += from.len();
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn apply(text: String, m: &Mutation, corpus: &[(String, String)]) -> String {
    let mut ls = lines(&text);
    let pick = |n: usize, len: usize| if len == 0 { 0 } else { n % len };
    match m {
        Mutation::Crlf => return text.replace("\r\n", "\n").replace('\n', "\r\n"),
        Mutation::CrlfOneLine(n) => {
            let i = pick(*n, ls.len());
            if let Some(l) = ls.get_mut(i)
                && l.ends_with('\n')
                && !l.ends_with("\r\n")
            {
                l.insert(l.len() - 1, '\r');
            }
        }
        Mutation::Tabs => {
            for l in &mut ls {
                let ind = indentation(l).to_string();
                if !ind.is_empty() && ind.bytes().all(|b| b == b' ') {
                    let tabs = "\t".repeat(ind.len() / 4) + &" ".repeat(ind.len() % 4);
                    *l = tabs + &l[ind.len()..];
                }
            }
        }
        Mutation::Reindent(width) => {
            for l in &mut ls {
                let ind = indentation(l).to_string();
                if !ind.is_empty() && ind.bytes().all(|b| b == b' ') {
                    let new = " ".repeat(ind.len() / 4 * width + ind.len() % 4);
                    *l = new + &l[ind.len()..];
                }
            }
        }
        Mutation::CommentLine(n) => {
            let i = pick(*n, ls.len() + 1);
            let ind = ls
                .get(i)
                .map(|l| indentation(l).to_string())
                .unwrap_or_default();
            ls.insert(i, format!("{ind}# utcnow pickle.loads stripe SECRET_KEY\n"));
        }
        Mutation::TrailingComment(n) => {
            let i = pick(*n, ls.len());
            if let Some(l) = ls.get_mut(i) {
                let body_end = l.trim_end_matches(['\r', '\n']).len();
                l.insert_str(body_end, "  # trailing: datetime.utcnow()");
            }
        }
        Mutation::FormFeed(n) => {
            let i = pick(*n, ls.len());
            if let Some(l) = ls.get_mut(i) {
                l.insert(0, '\x0c');
            }
        }
        Mutation::Rename { which, to } => {
            let ids = identifiers(&text);
            if ids.is_empty() {
                return text;
            }
            return replace_word(&text, &ids[which % ids.len()], NAMES[*to]);
        }
        Mutation::Splice {
            from,
            start,
            len,
            at,
        } => {
            let donor = lines(&corpus[from % corpus.len()].1);
            if donor.is_empty() {
                return text;
            }
            let s = start % donor.len();
            let chunk: Vec<&String> = donor[s..(s + len).min(donor.len())].iter().collect();
            let min_indent = chunk
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| indentation(l).len())
                .min()
                .unwrap_or(0);
            let i = pick(*at, ls.len() + 1);
            let ind = ls
                .get(i)
                .map(|l| indentation(l).to_string())
                .unwrap_or_default();
            for (k, l) in chunk.iter().enumerate() {
                let body = if l.trim().is_empty() {
                    l.trim_start_matches([' ', '\t'])
                } else {
                    &l[min_indent.min(indentation(l).len())..]
                };
                let mut line = format!("{ind}{body}");
                if !line.ends_with('\n') {
                    line.push('\n');
                }
                ls.insert(i + k, line);
            }
        }
        Mutation::Wrap(kind) => {
            let header = [
                "def wrapper():\n",
                "async def wrapper():\n",
                "class Wrapper:\n",
                "if True:\n",
            ][*kind];
            let mut out = String::from(header);
            for l in &ls {
                if l.trim().is_empty() {
                    out.push_str(l);
                } else {
                    out.push_str("    ");
                    out.push_str(l);
                }
            }
            out.push_str("    pass\n");
            return out;
        }
        Mutation::DeleteLine(n) => {
            if !ls.is_empty() {
                let i = pick(*n, ls.len());
                ls.remove(i);
            }
        }
        Mutation::DuplicateLine(n) => {
            if !ls.is_empty() {
                let i = pick(*n, ls.len());
                let l = ls[i].clone();
                ls.insert(i, l);
            }
        }
    }
    ls.concat()
}

fn build(recipe: &Recipe, corpus: &[(String, String)]) -> Vec<u8> {
    let mut text = corpus[recipe.base % corpus.len()].1.clone();
    for m in &recipe.mutations {
        text = apply(text, m, corpus);
    }
    let mut bytes = if recipe.bom {
        b"\xef\xbb\xbf".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// Counters over a run.
#[derive(Default, Debug)]
struct Stats {
    inputs: usize,
    parsed: usize,
    with_findings: usize,
    fixed: usize,
    /// (input, fixed output) pairs for python3 to judge.
    fixed_outputs: Vec<(String, String)>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The property, on one input. Err describes a violation.
fn check_one(
    engine: &Engine,
    project: &Project,
    bytes: &[u8],
    stats: &mut Stats,
) -> Result<(), String> {
    stats.inputs += 1;
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    if ruff_python_parser::parse_module(text.strip_prefix('\u{feff}').unwrap_or(text)).is_err() {
        return Ok(());
    }
    stats.parsed += 1;
    let path = Path::new("app/fuzz.py");
    let outcome = engine.process(path, bytes, project, true, &[]);
    if !outcome.findings.is_empty() {
        stats.with_findings += 1;
    }
    match &outcome.problem {
        None => {}
        Some(
            p @ (FileProblem::FixBrokeSyntax { .. }
            | FileProblem::NotConverged
            | FileProblem::TransformPanicked { .. }),
        ) => {
            return Err(format!("engine problem: {p}"));
        }
        Some(_) => return Ok(()), // skipped (too deep etc.): not this property's business
    }
    let Some(fixed) = &outcome.fixed else {
        return Ok(());
    };
    stats.fixed += 1;
    let original = outcome.original.as_ref().expect("decoded");
    if fixed.has_bom != original.has_bom {
        return Err("BOM not kept".into());
    }
    if let Err(e) = ruff_python_parser::parse_module(&fixed.text) {
        return Err(format!(
            "fixed output does not parse: {e:?}\n--- fixed ---\n{}",
            fixed.text
        ));
    }
    // Second pass: a no-op.
    let again = engine.process(path, &fixed.to_bytes(), project, true, &[]);
    if again.fixed.is_some() || again.problem.is_some() {
        return Err(format!(
            "second pass not a no-op (problem {:?})\n--- first output ---\n{}\n--- second output ---\n{}",
            again.problem,
            fixed.text,
            again.fixed.map(|f| f.text).unwrap_or_default()
        ));
    }
    // Changed lines are lines some reported fix edits (in the original's coordinates).
    // A finding's own lines count too: a later round may fix what round one declined there
    // (e.g. once an earlier fix removed the reason to decline).
    let mut touched = BTreeSet::new();
    for f in &outcome.findings {
        let (s, end) = (usize::from(f.range.start()), usize::from(f.range.end()));
        touched.extend(line_of(&original.text, s)..=line_of(&original.text, end));
        let edited = f
            .fix
            .iter()
            .flat_map(|fix| fix.edits.iter().map(|e| e.range));
        for range in edited.chain(f.changed.iter().copied()) {
            let (s, end) = (usize::from(range.start()), usize::from(range.end()));
            touched.extend(line_of(&original.text, s)..=line_of(&original.text, end));
        }
    }
    // Per diff hunk (one line of context): some line in or beside it is a finding's line, and
    // every other old line of the hunk survives verbatim among its new lines. (Line diffs
    // align duplicated lines arbitrarily, so "which copy changed" is not asked.)
    let diff = similar::TextDiff::from_lines(&original.text, &fixed.text);
    let (old_lines, new_lines) = (diff.old_slices(), diff.new_slices());
    for group in diff.grouped_ops(1) {
        if group.iter().all(|op| op.tag() == similar::DiffTag::Equal) {
            continue;
        }
        let old = group[0].old_range().start..group[group.len() - 1].old_range().end;
        let new = group[0].new_range().start..group[group.len() - 1].new_range().end;
        let near_finding = (old.start.saturating_sub(1)..=old.end).any(|l| touched.contains(&l));
        let mut survivors: Vec<&str> = new_lines[new.clone()].to_vec();
        let lost: Vec<usize> = old
            .clone()
            .filter(|l| !touched.contains(l))
            .filter(
                |&l| match survivors.iter().position(|n| *n == old_lines[l]) {
                    Some(i) => {
                        survivors.swap_remove(i);
                        false
                    }
                    None => true,
                },
            )
            .collect();
        if (!near_finding || !lost.is_empty())
            && !untouched_lines_survive(old_lines, new_lines, &touched)
        {
            return Err(format!(
                "lines {lost:?} of {old:?} changed but no reported finding covers them (finding lines: {touched:?})\n--- diff ---\n{}",
                diff.unified_diff().context_radius(2)
            ));
        }
    }
    if stats.fixed_outputs.len() < 5000 {
        stats
            .fixed_outputs
            .push((original.text.clone(), fixed.text.clone()));
    }
    Ok(())
}

/// The alignment-free form of "only finding lines change", used when a hunk looks wrong (a line
/// diff may pair an edited line with a far-away duplicate of it): is there some alignment of
/// old and new lines in which every old line no finding touches is kept verbatim, and every run
/// of inserted new lines sits next to a touched old line? Decided by dynamic programming over
/// (old line, new line, gap state); inputs here are small.
fn untouched_lines_survive(old: &[&str], new: &[&str], touched: &BTreeSet<usize>) -> bool {
    let (n, m) = (old.len(), new.len());
    // Gap state since the last kept line: bit 0 = a touched line was dropped or kept, bit 1 =
    // a new line was inserted. An insertion without a touched line next to it is a stray edit.
    let index = |i: usize, j: usize, state: usize| (i * (m + 1) + j) * 4 + state;
    let mut reached = vec![false; (n + 1) * (m + 1) * 4];
    reached[index(0, 0, 0)] = true;
    let stray = |state: usize| state == 2;
    for i in 0..=n {
        for j in 0..=m {
            for state in 0..4 {
                if !reached[index(i, j, state)] {
                    continue;
                }
                if i == n && j == m && !stray(state) {
                    return true;
                }
                if i < n && touched.contains(&i) {
                    reached[index(i + 1, j, state | 1)] = true;
                }
                if j < m {
                    reached[index(i, j + 1, state | 2)] = true;
                }
                if i < n && j < m && old[i] == new[j] {
                    let is_touched = touched.contains(&i);
                    if !stray(state) || is_touched {
                        reached[index(i + 1, j + 1, usize::from(is_touched))] = true;
                    }
                }
            }
        }
    }
    false
}

/// python3's `ast` over every fixed output whose input python3 accepts, in one process
/// (ruff's parser is more lenient than CPython's, e.g. on inconsistent tabs).
fn python_accepts_all(pairs: &[(String, String)]) -> Result<(), String> {
    if pairs.is_empty() || common::python3().is_none() {
        return Ok(());
    }
    let dir = tempfile::tempdir().unwrap();
    for (i, (input, output)) in pairs.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i}.in")), input).unwrap();
        std::fs::write(dir.path().join(format!("{i}.out")), output).unwrap();
    }
    let script = r#"
import ast, pathlib, sys, warnings
warnings.simplefilter('ignore')
def parses(p):
    try:
        ast.parse(p.read_bytes())
        return None
    except (SyntaxError, ValueError) as e:
        return str(e)
bad = []
for out in sorted(pathlib.Path(sys.argv[1]).glob('*.out')):
    err = parses(out)
    if err and parses(out.with_suffix('.in')) is None:
        bad.append(f'{out.name}: {err}')
print('\n'.join(bad))
sys.exit(1 if bad else 0)
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(dir.path())
        .output()
        .unwrap();
    if out.status.success() {
        return Ok(());
    }
    let report = String::from_utf8_lossy(&out.stdout);
    let first = report
        .lines()
        .next()
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default()
        .to_string();
    let input =
        std::fs::read_to_string(dir.path().join(&first).with_extension("in")).unwrap_or_default();
    let output = std::fs::read_to_string(dir.path().join(&first)).unwrap_or_default();
    Err(format!(
        "python3 rejects fixed outputs of inputs it accepts:\n{report}\n--- input ---\n{input}\n--- output ---\n{output}"
    ))
}

fn save_failure(bytes: &[u8]) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::repo_root().join("target"));
    let dir = target.join("fuzz-failures");
    std::fs::create_dir_all(&dir).unwrap();
    let name = format!(
        "failure-{:016x}.py",
        bytes
            .iter()
            .fold(0xcbf29ce484222325u64, |h, &b| (h ^ b as u64)
                .wrapping_mul(0x100000001b3))
    );
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Every transform, except those listed (comma-separated) in `REMEDY_FUZZ_IGNORE`: a long run
/// can keep searching the others while a transform's known failure is being fixed.
fn all_transforms_engine() -> Engine {
    let ignored = std::env::var("REMEDY_FUZZ_IGNORE").unwrap_or_default();
    let ignored: Vec<&str> = ignored
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    Engine::new(
        remedy::transforms::registry()
            .iter()
            .filter(|r| !ignored.contains(&r.id()))
            .collect(),
        true,
    )
}

/// Runs `f` on a thread with a stack like remedy's workers.
fn with_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// Every seed and case, as is and with CRLF line endings and a BOM: the property holds.
#[test]
fn seeds_and_cases_satisfy_the_property() {
    with_big_stack(|| {
        let corpus = corpus();
        assert!(
            corpus
                .iter()
                .any(|(n, _)| n.starts_with("tests/fuzz-seeds")),
            "seed corpus present"
        );
        let engine = all_transforms_engine();
        let project = Project::snapshot(".", Default::default());
        let mut stats = Stats::default();
        let mut failures = Vec::new();
        for (name, text) in &corpus {
            if name.starts_with("tests/fuzz-seeds") {
                assert!(
                    ruff_python_parser::parse_module(text).is_ok(),
                    "seed {name} must parse"
                );
            }
            let crlf = text.replace('\n', "\r\n");
            let bom = [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat();
            for bytes in [text.as_bytes(), crlf.as_bytes(), &bom] {
                if let Err(e) = check_one(&engine, &project, bytes, &mut stats) {
                    failures.push(format!("{name}: {e}"));
                }
            }
        }
        if let Err(e) = python_accepts_all(&stats.fixed_outputs) {
            failures.push(e);
        }
        eprintln!(
            "seeds: {} inputs, {} parsed, {} with findings, {} fixed",
            stats.inputs, stats.parsed, stats.with_findings, stats.fixed
        );
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    });
}

/// Generated inputs. CI-sized by default; `REMEDY_FUZZ_SECONDS` for a bounded long run.
#[test]
fn generated_inputs_satisfy_the_property() {
    with_big_stack(|| {
        let corpus = corpus();
        let engine = all_transforms_engine();
        let project = Project::snapshot(".", Default::default());
        let seconds: Option<u64> = std::env::var("REMEDY_FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok());
        let cases: u32 = std::env::var("REMEDY_FUZZ_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(1000);
        let deadline = seconds.map(|s| Instant::now() + Duration::from_secs(s));
        let stats = std::cell::RefCell::new(Stats::default());
        let mut round: u64 = 0;
        let started = Instant::now();
        loop {
            // Fixed seed for the default run (reproducible in CI); fresh seeds in long runs.
            let seed: u64 = if deadline.is_some() {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    ^ round
            } else {
                0x5eed_0000 + round
            };
            let mut seed_bytes = [0u8; 32];
            seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
            let config = Config {
                cases: if deadline.is_some() { 512 } else { cases },
                failure_persistence: None,
                ..Config::default()
            };
            let mut runner = TestRunner::new_with_rng(
                config,
                TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
            );
            let result = runner.run(&recipe(), |r| {
                let bytes = build(&r, &corpus);
                check_one(&engine, &project, &bytes, &mut stats.borrow_mut())
                    .map_err(TestCaseError::fail)
            });
            if let Err(e) = result {
                let message = match &e {
                    TestError::Fail(reason, r) => {
                        let bytes = build(r, &corpus);
                        let saved = save_failure(&bytes);
                        format!(
                            "{reason}\nrecipe: {r:?}\ninput (saved to {}):\n{}",
                            saved.display(),
                            String::from_utf8_lossy(&bytes)
                        )
                    }
                    other => other.to_string(),
                };
                panic!("property violated (seed {seed:#x}):\n{message}");
            }
            {
                let mut s = stats.borrow_mut();
                let outputs = std::mem::take(&mut s.fixed_outputs);
                if let Err(e) = python_accepts_all(&outputs) {
                    panic!("{e}");
                }
            }
            round += 1;
            match deadline {
                Some(d) if Instant::now() < d => continue,
                _ => break,
            }
        }
        let s = stats.borrow();
        eprintln!(
            "fuzz: {} rounds, {} inputs, {} parsed, {} with findings, {} fixed, in {:.0?}",
            round,
            s.inputs,
            s.parsed,
            s.with_findings,
            s.fixed,
            started.elapsed()
        );
        assert!(s.parsed > 0, "the generator produced no parsable input");
    });
}

/// The alignment-free check itself: it must accept an edit whose diff pairs with a far
/// duplicate, and reject changed, removed or inserted lines away from any finding.
#[test]
fn line_survival_check_accepts_duplicates_and_rejects_stray_edits() {
    let old = ["a", "d", "d", "d", "d", "z"];
    let touched: BTreeSet<usize> = [1].into();
    let edited = ["a", "d, t", "d", "d", "d", "z"];
    assert!(untouched_lines_survive(&old, &edited, &touched));
    let inserted_at_finding = ["a", "import t", "d, t", "d", "d", "d", "z"];
    assert!(untouched_lines_survive(
        &old,
        &inserted_at_finding,
        &touched
    ));
    let stray_change = ["a", "d, t", "d", "d", "d", "Z"];
    assert!(!untouched_lines_survive(&old, &stray_change, &touched));
    let stray_removal = ["a", "d, t", "d", "d", "z"];
    assert!(!untouched_lines_survive(&old, &stray_removal, &touched));
    let stray_insertion = ["a", "d, t", "d", "d", "x", "d", "z"];
    assert!(!untouched_lines_survive(&old, &stray_insertion, &touched));
}
