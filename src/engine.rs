//! The fix engine: parse once, run the selected transforms, apply non-overlapping fixes,
//! re-parse, repeat until nothing changes; never return text that does not parse.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use aho_corasick::AhoCorasick;
use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;
use ruff_text_size::TextRange;

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
                        outcome.findings[i].applied = true;
                    }
                    // Later rounds fix findings that conflicted in round one: mark the first
                    // unapplied finding of the same transform and message.
                    for (transform, message) in applied_later {
                        if let Some(r) = outcome.findings.iter_mut().find(|r| {
                            !r.applied && r.transform == transform && r.message == message
                        }) {
                            r.applied = true;
                        }
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
            let edits: Vec<&Edit> = chosen.iter().flat_map(|f| f.edits.iter()).collect();
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
            for &i in &chosen_findings {
                if round == 0 {
                    result.applied_first_round.push(i);
                } else {
                    result
                        .applied_later
                        .push((findings[i].transform, findings[i].message.clone()));
                }
            }
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
    applied_later: Vec<(&'static str, String)>,
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
