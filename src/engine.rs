//! The fix engine: parse once, run the selected transforms, apply non-overlapping fixes,
//! re-parse, repeat until nothing changes; never return text that does not parse.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use aho_corasick::AhoCorasick;
use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;
use ruff_text_size::{TextRange, TextSize};

use crate::bindings::Bindings;
use crate::context::{FileContext, Project};
use crate::edit::{Applicability, Edit, Fix, apply_edits};
use crate::finding::Finding;
use crate::source::{DecodeError, Lines, Position, SourceText};
use crate::suppression::Suppressions;
use crate::transforms::Registered;

/// How many fix rounds a file may take before remedy gives up on converging.
pub const MAX_ROUNDS: usize = 10;

/// Files whose estimated syntax-tree depth ([`nesting_depth`]) exceeds this are refused before
/// parsing: the parser, the binding model, the transforms and dropping the tree all recurse
/// once per level. CPython itself cannot compile expressions nested about 1000 deep, so no
/// working program is refused.
pub const MAX_NESTING_DEPTH: usize = 2000;

/// A finding as reported: with positions in the original text and whether its fix was applied.
#[derive(Clone, Debug)]
pub struct Reported {
    pub transform: &'static str,
    pub range: TextRange,
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub fix: Option<Fix>,
    /// True when the fix was applied to the returned text.
    pub applied: bool,
    /// For an applied fix, the ranges of the original text it changed. A fix applied in a
    /// later round has its edits mapped back here; one that fell inside text an earlier
    /// round wrote is widened to that earlier edit (and `fix` then lists only the edits
    /// that have an exact place in the original).
    pub changed: Vec<TextRange>,
}

impl Reported {
    pub fn applicability(&self) -> Option<Applicability> {
        self.fix.as_ref().map(|f| f.applicability)
    }
}

/// Why a file got no fixes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    #[error("skipped: {0}")]
    Undecodable(#[from] DecodeError),
    #[error("skipped: syntax error at line {line}, column {column}: {message}")]
    SyntaxError {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("skipped: cannot read: {0}")]
    Unreadable(String),
    #[error(
        "skipped: expressions or blocks nested deeper than {MAX_NESTING_DEPTH} levels (CPython cannot compile this either)"
    )]
    TooDeeplyNested,
    #[error(
        "not fixed: applying fixes from {transforms} produced a syntax error at line {line} ({message}); the file was left unchanged"
    )]
    FixBrokeSyntax {
        transforms: String,
        line: usize,
        message: String,
    },
    #[error("fixes did not converge after {MAX_ROUNDS} rounds; the file was left unchanged")]
    NotConverged,
    #[error("internal error in transform {transform}: {message}; the file was left unchanged")]
    TransformPanicked {
        transform: &'static str,
        message: String,
    },
}

impl FileProblem {
    /// Problems that mean the file was not analysed at all.
    pub fn is_skip(&self) -> bool {
        matches!(
            self,
            FileProblem::Undecodable(_)
                | FileProblem::Unreadable(_)
                | FileProblem::SyntaxError { .. }
                | FileProblem::TooDeeplyNested
        )
    }
}

/// The result of running the engine over one file.
#[derive(Debug)]
pub struct FileOutcome {
    pub path: PathBuf,
    /// The decoded text, when some transform looked at the file (None when its bytes were not
    /// text, or no transform's prefilter matched).
    pub original: Option<SourceText>,
    /// The fixed text, when fixes were requested and changed something.
    pub fixed: Option<SourceText>,
    pub findings: Vec<Reported>,
    pub problem: Option<FileProblem>,
}

impl FileOutcome {
    pub fn fixed_bytes(&self) -> Option<Vec<u8>> {
        self.fixed.as_ref().map(SourceText::to_bytes)
    }

    pub fn applied_count(&self) -> usize {
        self.findings.iter().filter(|f| f.applied).count()
    }
}

/// The selected transforms, each with its byte-level prefilter.
pub struct Engine {
    transforms: Vec<&'static Registered>,
    /// Per transform, a test for its trigger words (None: runs on every file).
    triggers: Vec<Option<TriggerWords>>,
    pub unsafe_fixes: bool,
}

/// "Does any of a transform's trigger words occur?", asked of every file, so it must be
/// close to memory speed. One test per transform rather than one automaton for all: each stops
/// at its first hit, and a small word set keeps the search vectorised (measured on CPython's
/// standard library: a combined automaton scanned slower). A few words are searched one by one
/// with memmem, which beats aho-corasick's multi-pattern prefilter for them (two words: 5x).
enum TriggerWords {
    Few(Vec<memchr::memmem::Finder<'static>>),
    Many(AhoCorasick),
}

/// Up to this many words are searched one by one.
const FEW_TRIGGER_WORDS: usize = 3;

impl TriggerWords {
    fn new(words: &'static [&'static str]) -> Option<Self> {
        if words.is_empty() {
            None
        } else if words.len() <= FEW_TRIGGER_WORDS {
            Some(Self::Few(
                words.iter().map(memchr::memmem::Finder::new).collect(),
            ))
        } else {
            Some(Self::Many(
                AhoCorasick::new(words).expect("trigger patterns are valid"),
            ))
        }
    }

    fn occur_in(&self, text: &str) -> bool {
        match self {
            Self::Few(finders) => finders.iter().any(|f| f.find(text.as_bytes()).is_some()),
            Self::Many(automaton) => automaton.is_match(text),
        }
    }
}

impl Engine {
    pub fn new(transforms: Vec<&'static Registered>, unsafe_fixes: bool) -> Self {
        let triggers = transforms
            .iter()
            .map(|r| TriggerWords::new(r.transform.triggers()))
            .collect();
        Self {
            transforms,
            triggers,
            unsafe_fixes,
        }
    }

    pub fn transforms(&self) -> &[&'static Registered] {
        &self.transforms
    }

    /// Which transforms may match `text` (indices into `transforms`): the file is not test
    /// code for a transform that skips test files (decided from the path alone), a trigger
    /// word occurs, and the transform's own cheap look (`may_match`) does not rule it out.
    pub fn candidates(&self, text: &str, is_test_file: bool) -> Vec<usize> {
        (0..self.transforms.len())
            .filter(|&i| !(is_test_file && self.transforms[i].transform.skips_test_files()))
            .filter(|&i| self.triggers[i].as_ref().is_none_or(|t| t.occur_in(text)))
            .filter(|&i| self.transforms[i].transform.may_match(text))
            .collect()
    }

    fn should_apply(&self, fix: &Fix) -> bool {
        match fix.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => self.unsafe_fixes,
            Applicability::DisplayOnly => false,
        }
    }

    /// Runs the engine on one file's bytes. `fix` asks for fixed text; `ignored` lists
    /// transform ids switched off for this file (per-file-ignores).
    pub fn process(
        &self,
        path: &Path,
        bytes: &[u8],
        project: &Project,
        fix: bool,
        ignored: &[String],
    ) -> FileOutcome {
        let mut outcome = FileOutcome {
            path: path.to_path_buf(),
            original: None,
            fixed: None,
            findings: Vec::new(),
            problem: None,
        };
        let (has_bom, text) = match SourceText::borrow(bytes) {
            Ok(decoded) => decoded,
            Err(e) => {
                outcome.problem = Some(e.into());
                return outcome;
            }
        };
        let is_test_file = crate::context::is_test_path(&project.relative_path(path));
        let active: Vec<usize> = self
            .candidates(text, is_test_file)
            .into_iter()
            .filter(|&i| !ignored.iter().any(|id| id == self.transforms[i].id()))
            .collect();
        if active.is_empty() {
            // Nothing to look for: the text is not copied (most files of a run end here).
            return outcome;
        }
        let source = SourceText {
            has_bom,
            text: text.to_string(),
        };
        if nesting_depth(&source.text) > MAX_NESTING_DEPTH {
            outcome.original = Some(source);
            outcome.problem = Some(FileProblem::TooDeeplyNested);
            return outcome;
        }
        let parsed = match parse(&source.text) {
            Ok(p) => p,
            Err(problem) => {
                outcome.original = Some(source);
                outcome.problem = Some(problem);
                return outcome;
            }
        };
        let first = match self.run_round(path, &source.text, &parsed, project, &active) {
            Ok(f) => f,
            Err(problem) => {
                outcome.original = Some(source);
                outcome.problem = Some(problem);
                return outcome;
            }
        };
        let lines = Lines::new(&source.text);
        outcome.findings = first
            .iter()
            .map(|f| Reported {
                transform: f.transform,
                range: f.range,
                start: lines.position(f.range.start()),
                end: lines.position(f.range.end()),
                message: f.message.clone(),
                fix: f.fix.clone(),
                applied: false,
                changed: Vec::new(),
            })
            .collect();
        drop(lines);
        if fix {
            match self.fix_loop(path, &source.text, parsed, first, project, &active) {
                Ok(FixResult {
                    text,
                    applied_first_round,
                    applied_later,
                }) => {
                    for i in applied_first_round {
                        let f = &mut outcome.findings[i];
                        f.applied = true;
                        f.changed = f
                            .fix
                            .iter()
                            .flat_map(|x| x.edits.iter().map(|e| e.range))
                            .collect();
                    }
                    // Later rounds fix what round one could not (a conflict, or a decline
                    // whose reason an earlier fix removed). Each is matched to round one's
                    // finding at the same place, which then reports the fix actually applied.
                    let lines = Lines::new(&source.text);
                    for later in applied_later {
                        attribute_later_fix(&mut outcome.findings, later, &lines);
                    }
                    if text != source.text {
                        outcome.fixed = Some(source.with_text(text));
                    }
                }
                Err(problem) => outcome.problem = Some(problem),
            }
        }
        outcome.original = Some(source);
        outcome
    }

    fn run_round(
        &self,
        path: &Path,
        text: &str,
        parsed: &Parsed<ModModule>,
        project: &Project,
        active: &[usize],
    ) -> Result<Vec<Finding>, FileProblem> {
        let bindings = Bindings::build(parsed.syntax());
        let ctx = FileContext::new(path, text, parsed, &bindings, project);
        let suppressions = Suppressions::from_comments(text, ctx.comment_ranges());
        let mut findings = Vec::new();
        for &i in active {
            let transform = self.transforms[i].transform;
            let found =
                catch_unwind(AssertUnwindSafe(|| transform.check(&ctx))).map_err(|payload| {
                    FileProblem::TransformPanicked {
                        transform: transform.id(),
                        message: panic_message(&payload),
                    }
                })?;
            findings.extend(
                found
                    .into_iter()
                    .filter(|f| !suppressions.suppresses(f.transform, f.range.start())),
            );
        }
        findings.sort_by_key(|f| (f.range.start(), f.range.end(), f.transform));
        Ok(findings)
    }

    fn fix_loop(
        &self,
        path: &Path,
        original: &str,
        parsed: Parsed<ModModule>,
        first: Vec<Finding>,
        project: &Project,
        active: &[usize],
    ) -> Result<FixResult, FileProblem> {
        let mut text = original.to_string();
        let mut findings = first;
        let mut result = FixResult {
            text: String::new(),
            applied_first_round: Vec::new(),
            applied_later: Vec::new(),
        };
        let mut _parsed = parsed;
        // The edits each applied round made, as (replaced range in that round's input,
        // length of the new text), sorted: enough to map later rounds back to the original.
        let mut rounds: Vec<Vec<(TextRange, TextSize)>> = Vec::new();
        for round in 0..MAX_ROUNDS {
            let mut chosen: Vec<&Fix> = Vec::new();
            let mut chosen_findings = Vec::new();
            for (i, f) in findings.iter().enumerate() {
                let Some(fix) = &f.fix else { continue };
                if fix.edits.is_empty() || !self.should_apply(fix) {
                    continue;
                }
                if chosen.iter().any(|c| c.conflicts_with(fix)) {
                    continue;
                }
                chosen.push(fix);
                chosen_findings.push(i);
            }
            if chosen.is_empty() {
                result.text = text;
                return Ok(result);
            }
            let mut edits: Vec<&Edit> = chosen.iter().flat_map(|f| f.edits.iter()).collect();
            edits.sort_by_key(|e| (e.range.start(), e.range.end()));
            edits.dedup();
            let new_text = apply_edits(&text, &edits);
            if new_text == text {
                result.text = text;
                return Ok(result);
            }
            let new_parsed = match ruff_python_parser::parse_module(&new_text) {
                Ok(p) => p,
                Err(e) => {
                    let mut ids: Vec<&str> = chosen_findings
                        .iter()
                        .map(|&i| findings[i].transform)
                        .collect();
                    ids.sort();
                    ids.dedup();
                    let line = Lines::new(&new_text).position(e.location.start()).line;
                    return Err(FileProblem::FixBrokeSyntax {
                        transforms: ids.join(", "),
                        line,
                        message: e.error.to_string(),
                    });
                }
            };
            for (&i, fix) in chosen_findings.iter().zip(&chosen) {
                if round == 0 {
                    result.applied_first_round.push(i);
                } else {
                    result
                        .applied_later
                        .push(LaterFix::mapped(&findings[i], fix, &rounds));
                }
            }
            rounds.push(
                edits
                    .iter()
                    .map(|e| (e.range, TextSize::of(e.content.as_str())))
                    .collect(),
            );
            text = new_text;
            findings = self.run_round(path, &text, &new_parsed, project, active)?;
            _parsed = new_parsed;
        }
        // Still finding fixes after MAX_ROUNDS: something oscillates. Keep the file as it was.
        let _ = original;
        Err(FileProblem::NotConverged)
    }
}

struct FixResult {
    text: String,
    applied_first_round: Vec<usize>,
    applied_later: Vec<LaterFix>,
}

/// A finding fixed in a later round, mapped back to the original text.
struct LaterFix {
    transform: &'static str,
    message: String,
    /// Its range in the original (widened to a whole earlier edit where it lies inside text
    /// an earlier round wrote).
    range: TextRange,
    /// The fix with those of its edits that have an exact place in the original.
    fix: Fix,
    /// Every edit's range in the original, widened where inexact.
    changed: Vec<TextRange>,
}

impl LaterFix {
    fn mapped(finding: &Finding, fix: &Fix, rounds: &[Vec<(TextRange, TextSize)>]) -> Self {
        let mut exact_edits = Vec::new();
        let mut changed = Vec::new();
        for e in &fix.edits {
            let (range, exact) = in_original(e.range, rounds);
            changed.push(range);
            if exact {
                exact_edits.push(Edit {
                    range,
                    content: e.content.clone(),
                });
            }
        }
        Self {
            transform: finding.transform,
            message: finding.message.clone(),
            range: in_original(finding.range, rounds).0,
            fix: Fix {
                edits: exact_edits,
                ..fix.clone()
            },
            changed,
        }
    }
}

/// Maps `range` of the text after `rounds` back to the original text. The bool is false when
/// an end lies inside text some round inserted; that end then widens to the inserting edit.
fn in_original(range: TextRange, rounds: &[Vec<(TextRange, TextSize)>]) -> (TextRange, bool) {
    let (mut start, mut end, mut exact) = (range.start(), range.end(), true);
    for edits in rounds.iter().rev() {
        let (s, s_exact) = position_before(start, edits, true);
        let (e, e_exact) = position_before(end, edits, false);
        (start, end) = (s, e.max(s));
        exact &= s_exact && e_exact;
    }
    (TextRange::new(start, end), exact)
}

/// Where `position` of one round's output was in its input. A position strictly inside text
/// the round inserted has no exact place: it goes to the start (`is_start`) or the end of the
/// range that text replaced, and the bool is false.
fn position_before(
    position: TextSize,
    edits: &[(TextRange, TextSize)],
    is_start: bool,
) -> (TextSize, bool) {
    let offset = |t: TextSize| i64::from(u32::from(t));
    let p = offset(position);
    // Output offset minus input offset after the edits passed so far.
    let mut shift: i64 = 0;
    for &(range, new_len) in edits {
        let out_start = offset(range.start()) + shift;
        let out_end = out_start + offset(new_len);
        if p < out_start {
            break;
        }
        if p == out_start {
            return (range.start(), true);
        }
        if p < out_end {
            return (if is_start { range.start() } else { range.end() }, false);
        }
        if p == out_end {
            return (range.end(), true);
        }
        shift += offset(new_len) - offset(range.len());
    }
    (TextSize::new(u32::try_from(p - shift).unwrap_or(0)), true)
}

/// Marks the round-one finding that `later` fixed as applied, reporting the applied fix: the
/// unapplied finding of the same transform at the same place (else overlapping it, else with
/// the same message); when there is none, the later finding is reported on its own.
fn attribute_later_fix(findings: &mut Vec<Reported>, later: LaterFix, lines: &Lines) {
    let candidates = |f: &Reported| !f.applied && f.transform == later.transform;
    // Ranges share a byte; an empty range counts as the byte at its offset.
    let overlap = |a: TextRange, b: TextRange| {
        let end = |r: TextRange| r.end().max(r.start() + TextSize::new(1));
        a.start() < end(b) && b.start() < end(a)
    };
    let index = findings
        .iter()
        .position(|f| candidates(f) && f.range == later.range)
        .or_else(|| {
            findings
                .iter()
                .position(|f| candidates(f) && overlap(f.range, later.range))
        })
        .or_else(|| {
            findings
                .iter()
                .position(|f| candidates(f) && f.message == later.message)
        });
    match index {
        Some(i) => {
            let f = &mut findings[i];
            f.applied = true;
            f.message = later.message;
            f.fix = Some(later.fix);
            f.changed = later.changed;
        }
        None => {
            findings.push(Reported {
                transform: later.transform,
                range: later.range,
                start: lines.position(later.range.start()),
                end: lines.position(later.range.end()),
                message: later.message,
                fix: Some(later.fix),
                applied: true,
                changed: later.changed,
            });
            findings.sort_by_key(|f| (f.range.start(), f.range.end(), f.transform));
        }
    }
}

/// Parses `text`, turning the first syntax error into a [`FileProblem`].
pub fn parse(text: &str) -> Result<Parsed<ModModule>, FileProblem> {
    ruff_python_parser::parse_module(text).map_err(|e| {
        let position = Lines::new(text).position(e.location.start());
        FileProblem::SyntaxError {
            line: position.line,
            column: position.column,
            message: e.error.to_string(),
        }
    })
}

/// An over-estimate of the deepest syntax tree `text` parses into, computed with ruff's lexer
/// (iterative, so safe on any input): open brackets, plus indented blocks, plus the operators,
/// attribute dots, calls, subscripts and keyword operators (`not`, `await`, `lambda`,
/// `if`/`else`, ...) chained within one comma-separated element at each bracket level, since
/// each of those may add a level (`1+1+...`, `a.b.c...`, `- - -1`, `f()()()`).
pub fn nesting_depth(text: &str) -> usize {
    use ruff_python_ast::token::TokenKind as T;
    let mut lexer = ruff_python_parser::lexer::lex(text, ruff_python_parser::Mode::Module);
    // Operators chained in the current element of each open bracket level (index 0: no bracket).
    let mut chains: Vec<usize> = vec![0];
    let mut chained_total: usize = 0;
    let mut indent: usize = 0;
    let mut max = 0;
    let mut previous = T::Newline;
    loop {
        let kind = lexer.next_token();
        match kind {
            T::EndOfFile => break,
            T::Lpar | T::Lsqb | T::Lbrace | T::FStringStart | T::TStringStart => {
                // A call or subscript after an operand nests the callee one level deeper.
                if matches!(kind, T::Lpar | T::Lsqb)
                    && matches!(previous, T::Name | T::Rpar | T::Rsqb | T::String)
                {
                    bump(&mut chains, &mut chained_total);
                }
                chains.push(0);
            }
            T::Rpar | T::Rsqb | T::Rbrace | T::FStringEnd | T::TStringEnd if chains.len() > 1 => {
                chained_total -= chains.pop().unwrap_or(0);
            }
            T::Comma | T::Semi | T::Newline => {
                let last = chains.last_mut().expect("never empty");
                chained_total -= *last;
                *last = 0;
            }
            T::Indent => indent += 1,
            T::Dedent => indent = indent.saturating_sub(1),
            T::Plus
            | T::Minus
            | T::Star
            | T::Slash
            | T::DoubleSlash
            | T::Percent
            | T::DoubleStar
            | T::At
            | T::Vbar
            | T::Amper
            | T::CircumFlex
            | T::LeftShift
            | T::RightShift
            | T::Tilde
            | T::Less
            | T::Greater
            | T::EqEqual
            | T::NotEqual
            | T::LessEqual
            | T::GreaterEqual
            | T::Dot
            | T::ColonEqual
            | T::And
            | T::Or
            | T::Not
            | T::Is
            | T::In
            | T::If
            | T::Else
            | T::Lambda
            | T::Await
            | T::Yield => {
                bump(&mut chains, &mut chained_total);
            }
            _ => {}
        }
        if !matches!(kind, T::Comment | T::NonLogicalNewline) {
            previous = kind;
        }
        max = max.max(indent + chains.len() - 1 + chained_total);
    }
    max
}

fn bump(chains: &mut [usize], total: &mut usize) {
    if let Some(last) = chains.last_mut() {
        *last += 1;
        *total += 1;
    }
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Convenience for tests and tools: run `transforms` on `text` as file `path` with fixes
/// (unsafe included when asked), in a project that holds no other file.
pub fn fix_text(
    text: &str,
    path: &Path,
    transforms: Vec<&'static Registered>,
    unsafe_fixes: bool,
) -> FileOutcome {
    let project = Project::snapshot(".", Default::default());
    Engine::new(transforms, unsafe_fixes).process(path, text.as_bytes(), &project, true, &[])
}

/// Like [`fix_text`], inside a given project (for transforms that read other project files).
pub fn fix_text_in(
    text: &str,
    path: &Path,
    project: &Project,
    transforms: Vec<&'static Registered>,
    unsafe_fixes: bool,
) -> FileOutcome {
    Engine::new(transforms, unsafe_fixes).process(path, text.as_bytes(), project, true, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transforms::{Transform, unregistered};
    use ruff_text_size::TextSize;

    /// A fake transform driven by a function of the source text.
    struct Fake(&'static str, fn(&str) -> Vec<Finding>);

    impl Transform for Fake {
        fn id(&self) -> &'static str {
            self.0
        }
        fn triggers(&self) -> &'static [&'static str] {
            &["x"]
        }
        fn check(&self, ctx: &FileContext) -> Vec<Finding> {
            (self.1)(ctx.source)
        }
    }

    fn leak(t: Fake) -> &'static Registered {
        Box::leak(Box::new(unregistered(Box::leak(Box::new(t)))))
    }

    fn at(text: &str, needle: &str) -> TextRange {
        let start = TextSize::try_from(text.find(needle).unwrap()).unwrap();
        TextRange::at(start, TextSize::of(needle))
    }

    fn run(t: Fake, text: &str, unsafe_fixes: bool) -> FileOutcome {
        let project = Project::snapshot(".", Default::default());
        Engine::new(vec![leak(t)], unsafe_fixes).process(
            Path::new("t.py"),
            text.as_bytes(),
            &project,
            true,
            &[],
        )
    }

    #[test]
    fn a_fix_that_breaks_syntax_reverts_the_file() {
        let out = run(
            Fake("breaker", |s| {
                let r = at(s, "x = 1");
                vec![Finding::new(
                    "breaker",
                    r,
                    "m",
                    Some(Fix::safe("d", vec![Edit::replacement("x = (", r)])),
                )]
            }),
            "x = 1\n",
            false,
        );
        assert!(out.fixed.is_none());
        assert!(
            matches!(out.problem, Some(FileProblem::FixBrokeSyntax { ref transforms, .. }) if transforms == "breaker")
        );
    }

    #[test]
    fn overlapping_fixes_apply_over_rounds_and_converge() {
        // Two findings on the same range: the second waits for the next round, then no longer
        // matches because the first fixed it.
        let out = run(
            Fake("pair", |s| {
                let Some(i) = s.find("x = 1") else {
                    return vec![];
                };
                let r = TextRange::at(TextSize::try_from(i).unwrap(), TextSize::of("x = 1"));
                vec![
                    Finding::new(
                        "pair",
                        r,
                        "a",
                        Some(Fix::safe("a", vec![Edit::replacement("x = 2", r)])),
                    ),
                    Finding::new(
                        "pair",
                        r,
                        "b",
                        Some(Fix::safe("b", vec![Edit::replacement("x = 3", r)])),
                    ),
                ]
            }),
            "x = 1\n",
            false,
        );
        assert_eq!(out.fixed.unwrap().text, "x = 2\n");
        assert_eq!(out.findings.iter().filter(|f| f.applied).count(), 1);
    }

    #[test]
    fn positions_map_back_through_applied_rounds() {
        let t = |n: u32| TextSize::new(n);
        let r = |a: u32, b: u32| TextRange::new(t(a), t(b));
        // Round one replaced 2..4 ("cd", 2 bytes) by 5 bytes and inserted 3 bytes at 8.
        let rounds = vec![vec![(r(2, 4), t(5)), (r(8, 8), t(3))]];
        assert_eq!(in_original(r(0, 2), &rounds), (r(0, 2), true));
        assert_eq!(in_original(r(7, 9), &rounds), (r(4, 6), true)); // after the first edit
        assert_eq!(in_original(r(2, 7), &rounds), (r(2, 4), true)); // exactly the new text
        assert_eq!(in_original(r(3, 5), &rounds), (r(2, 4), false)); // inside it
        assert_eq!(in_original(r(14, 15), &rounds), (r(8, 9), true)); // after both
        // Two rounds compose: round two inserted 1 byte at 0 of round one's output.
        let two = vec![rounds[0].clone(), vec![(r(0, 0), t(1))]];
        assert_eq!(in_original(r(8, 10), &two), (r(4, 6), true));
    }

    #[test]
    fn a_decline_fixed_in_a_later_round_reports_the_applied_fix() {
        // "b" is declined while "x" is in the file; round one replaces x, round two then fixes
        // b and also edits the first line. The report says b was fixed, with that edit, in the
        // original's coordinates.
        let out = run(
            Fake("later", |s| {
                let mut found = Vec::new();
                if let Some(i) = s.find("x = 1") {
                    let r = TextRange::at(TextSize::try_from(i).unwrap(), TextSize::of("x = 1"));
                    found.push(Finding::new(
                        "later",
                        r,
                        "x",
                        Some(Fix::safe("x", vec![Edit::replacement("x = 22", r)])),
                    ));
                }
                let Some(b) = s.find("b = 0") else {
                    return found;
                };
                let rb = TextRange::at(TextSize::try_from(b).unwrap(), TextSize::of("b = 0"));
                if s.contains("x = 1") {
                    found.push(Finding::declined("later", rb, "b: not fixed while x = 1"));
                } else {
                    let head = TextRange::at(TextSize::new(0), TextSize::of("# head"));
                    found.push(Finding::new(
                        "later",
                        rb,
                        "b: fixed",
                        Some(Fix::safe(
                            "b",
                            vec![
                                Edit::replacement("b = 9", rb),
                                Edit::replacement("# HEAD", head),
                            ],
                        )),
                    ));
                }
                found
            }),
            "# head\nx = 1\nb = 0\n",
            false,
        );
        assert_eq!(out.fixed.unwrap().text, "# HEAD\nx = 22\nb = 9\n");
        let b = out
            .findings
            .iter()
            .find(|f| f.message.starts_with("b"))
            .unwrap();
        assert!(b.applied);
        assert_eq!(b.message, "b: fixed");
        assert_eq!(b.start.line, 3);
        let edits = &b.fix.as_ref().unwrap().edits;
        let original = "# head\nx = 1\nb = 0\n";
        let mut spans: Vec<&str> = edits.iter().map(|e| &original[e.range]).collect();
        spans.sort();
        assert_eq!(spans, vec!["# head", "b = 0"]);
        assert_eq!(out.findings.len(), 2);
    }

    #[test]
    fn oscillating_fixes_are_reported_and_not_written() {
        let out = run(
            Fake("flip", |s| {
                let (from, to) = if s.contains("x = 1") {
                    ("x = 1", "x = 2")
                } else {
                    ("x = 2", "x = 1")
                };
                let r = at(s, from);
                vec![Finding::new(
                    "flip",
                    r,
                    "m",
                    Some(Fix::safe("d", vec![Edit::replacement(to, r)])),
                )]
            }),
            "x = 1\n",
            false,
        );
        assert!(out.fixed.is_none());
        assert_eq!(out.problem, Some(FileProblem::NotConverged));
    }

    #[test]
    fn applicability_gates_fixes() {
        fn unsafe_and_display(s: &str) -> Vec<Finding> {
            let Some(i) = s.find("x = 1") else {
                return vec![];
            };
            let r = TextRange::at(TextSize::try_from(i).unwrap(), TextSize::of("x = 1"));
            let y = at(s, "y = 1");
            vec![
                Finding::new(
                    "gate",
                    r,
                    "u",
                    Some(Fix::unsafe_("u", vec![Edit::replacement("x = 2", r)])),
                ),
                Finding::new(
                    "gate",
                    y,
                    "d",
                    Some(Fix::display_only("d", vec![Edit::replacement("y = 2", y)])),
                ),
            ]
        }
        let out = run(Fake("gate", unsafe_and_display), "x = 1\ny = 1\n", false);
        assert!(out.fixed.is_none());
        assert_eq!(out.findings.len(), 2);
        let out = run(Fake("gate", unsafe_and_display), "x = 1\ny = 1\n", true);
        assert_eq!(
            out.fixed.unwrap().text,
            "x = 2\ny = 1\n",
            "display-only never applied"
        );
    }

    #[test]
    fn a_panicking_transform_leaves_the_file_alone() {
        let out = run(Fake("boom", |_| panic!("bug")), "x = 1\n", true);
        assert!(out.fixed.is_none());
        assert!(matches!(
            out.problem,
            Some(FileProblem::TransformPanicked {
                transform: "boom",
                ..
            })
        ));
    }

    /// A fake that, like the security transforms, has nothing to say about test code.
    struct SkipsTests;

    impl Transform for SkipsTests {
        fn id(&self) -> &'static str {
            "skips-tests"
        }
        fn triggers(&self) -> &'static [&'static str] {
            &["x"]
        }
        fn skips_test_files(&self) -> bool {
            true
        }
        fn check(&self, ctx: &FileContext) -> Vec<Finding> {
            vec![Finding::new(
                "skips-tests",
                at(ctx.source, "x"),
                "found",
                None,
            )]
        }
    }

    #[test]
    fn transforms_that_skip_test_files_never_see_them() {
        let project = Project::snapshot("/p", Default::default());
        let engine = Engine::new(vec![Box::leak(Box::new(unregistered(&SkipsTests)))], false);
        let findings = |path: &str| {
            engine
                .process(Path::new(path), b"x = 1\n", &project, false, &[])
                .findings
                .len()
        };
        for test_path in [
            "/p/tests/a.py",
            "/p/pkg/test/a.py",
            "/p/test_a.py",
            "/p/a_test.py",
            "/p/conftest.py",
        ] {
            assert_eq!(findings(test_path), 0, "{test_path}");
        }
        for production_path in ["/p/app/a.py", "/p/contest.py", "/p/app/testing.py"] {
            assert_eq!(findings(production_path), 1, "{production_path}");
        }
    }

    #[test]
    fn prefilter_skips_files_without_triggers() {
        let out = run(Fake("boom", |_| panic!("must not run")), "y = 1\n", true);
        assert!(out.problem.is_none());
    }

    #[test]
    fn nesting_guard() {
        assert!(nesting_depth("f((a)[b])") >= 2);
        let deep = format!(
            "x = {}{}\n",
            "(".repeat(MAX_NESTING_DEPTH + 1),
            ")".repeat(MAX_NESTING_DEPTH + 1)
        );
        let out = run(Fake("boom", |_| panic!("must not run")), &deep, true);
        assert_eq!(out.problem, Some(FileProblem::TooDeeplyNested));
        let chained = format!("x = 1{}\n", "+1".repeat(MAX_NESTING_DEPTH + 1));
        let out = run(Fake("boom", |_| panic!("must not run")), &chained, true);
        assert_eq!(out.problem, Some(FileProblem::TooDeeplyNested));
    }
}
