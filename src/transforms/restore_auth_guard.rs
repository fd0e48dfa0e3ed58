//! Transform `restore-auth-guard`: puts back an authorization check that was disabled by
//! commenting it out (review finding CRIT-D1), but only when the commented text is a complete
//! guard that will run correctly where it sits; otherwise it reports why it left it alone.
//!
//! Detection works on comment tokens: consecutive comment-only lines at the same column form a
//! run; the text after `#` (one following space stripped when every line has it) is dedented and
//! handed to the parser. A run is a candidate when it mentions denial vocabulary (a trigger) and
//! some line starts like code (`if`, `raise`, `return`, `abort(`, `@`).

use ruff_python_ast::comparable::{ComparableExpr, ComparableStmt};
use ruff_python_ast::token::{Token, TokenKind};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::ast_util::{callee_name, child_suites, int_literal, keyword_value_in};
use crate::bindings::{Binding, BindingKind, is_builtin};
use crate::context::FileContext;
use crate::edit::{Edit, Fix};
use crate::finding::Finding;
use crate::source;
use crate::transforms::Transform;

const ID: &str = "restore-auth-guard";

/// Denial vocabulary. Every guard this transform recognises contains one of these (its status
/// code, exception name or decorator name), so a file with none of them is never looked at.
const TRIGGERS: &[&str] = &[
    "401",
    "402",
    "403",
    "UNAUTHORIZED",
    "PAYMENT_REQUIRED",
    "FORBIDDEN",
    "HTTPException",
    "abort(",
    "PermissionDenied",
    "Forbidden",
    "Unauthori",
    "NotAuthenticated",
    "AuthenticationFailed",
    "AccessDenied",
    "NotAuthorized",
    "_required",
    "requires_",
];

/// Exception class names (substrings) that deny access by themselves.
const DENIAL_EXCEPTIONS: &[&str] = &[
    "PermissionDenied",
    "Forbidden",
    "Unauthori",
    "NotAuthenticated",
    "AuthenticationFailed",
    "AccessDenied",
    "NotAuthorized",
];

/// Words (lowercase substrings of identifiers and strings) that make a condition one about who
/// the caller is or what they may do.
const AUTH_WORDS: &[&str] = &[
    "tier",
    "plan",
    "role",
    "perm",
    "admin",
    "owner",
    "auth",
    "login",
    "logged",
    "premium",
    "subscri",
    "staff",
    "superuser",
    "user",
    "scope",
    "access",
    "token",
    "credential",
    "api_key",
    "apikey",
    "group",
    "member",
    "paid",
    "entitle",
    "jwt",
    "account",
];

/// Method names of route-registering decorators (`@app.route`, `@router.get`, `@bp.post`, ...).
const ROUTE_METHODS: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "trace",
    "api_route",
    "websocket",
];

/// Longest block of commented lines tried as one piece of code.
const MAX_BLOCK_LINES: usize = 40;

const PROBE_FUNCTION: &str = "def __remedy_probe__():\n    pass\n";

pub struct ThisTransform;
pub static TRANSFORM: ThisTransform = ThisTransform;

impl Transform for ThisTransform {
    fn id(&self) -> &'static str {
        ID
    }

    /// Test code is not production code: nothing there is reported.
    fn skips_test_files(&self) -> bool {
        true
    }

    /// Guards are commented out, so a file needs a comment; the denial words are looked for on
    /// comment lines only (`may_match`), which is much cheaper than scanning all the text.
    fn triggers(&self) -> &'static [&'static str] {
        &["#"]
    }

    /// Every guard this transform restores has a denial word on a comment-only line.
    fn may_match(&self, text: &str) -> bool {
        static PATTERNS: std::sync::OnceLock<aho_corasick::AhoCorasick> =
            std::sync::OnceLock::new();
        let patterns = PATTERNS
            .get_or_init(|| aho_corasick::AhoCorasick::new(TRIGGERS).expect("valid patterns"));
        crate::prefilter::any_comment_only_line_matching(text, patterns)
    }

    fn check(&self, ctx: &FileContext) -> Vec<Finding> {
        let lines = comment_only_lines(ctx);
        runs(ctx.source, &lines)
            .into_iter()
            .filter_map(|run| analyze_run(ctx, run))
            .collect()
    }
}

/// A line holding nothing but a comment.
#[derive(Clone, Copy)]
struct CommentLine<'a> {
    comment: TextRange,
    line_start: TextSize,
    /// The whitespace before `#`.
    column: &'a str,
    /// The text after `#`, with the one following space removed when the whole run has it.
    text: &'a str,
    /// How many bytes after `#` were stripped (0 or 1).
    stripped: usize,
    /// The comment sits inside an open bracket (a multi-line call, list, ...).
    in_brackets: bool,
}

fn comment_only_lines<'a>(ctx: &FileContext<'a>) -> Vec<CommentLine<'a>> {
    let mut out = Vec::new();
    let mut tokens = ctx.tokens().iter_with_context();
    while let Some(token) = tokens.next() {
        if token.kind() != TokenKind::Comment
            || !source::is_first_on_line(ctx.source, token.start())
        {
            continue;
        }
        let range = token.range();
        let line_start = source::line_start(ctx.source, range.start());
        out.push(CommentLine {
            comment: range,
            line_start,
            column: &ctx.source[TextRange::new(line_start, range.start())],
            text: &ctx.source[TextRange::new(range.start() + TextSize::new(1), range.end())],
            stripped: 0,
            in_brackets: tokens.in_parenthesized_context(),
        });
    }
    out
}

/// Groups comment-only lines into runs: adjacent lines, same column, same bracket context.
/// Strips one space after `#` in a run when every non-blank line of it has one.
fn runs<'a, 'b>(text: &str, lines: &'b [CommentLine<'a>]) -> Vec<Vec<CommentLine<'a>>> {
    let mut out: Vec<Vec<CommentLine<'a>>> = Vec::new();
    for line in lines {
        let joins = out.last().and_then(|run| run.last()).is_some_and(|prev| {
            source::full_line_end(text, prev.comment.end()) == line.line_start
                && prev.column == line.column
                && prev.in_brackets == line.in_brackets
        });
        let copy = CommentLine {
            stripped: 0,
            ..*line
        };
        if joins {
            out.last_mut().unwrap().push(copy);
        } else {
            out.push(vec![copy]);
        }
    }
    for run in &mut out {
        let strip = run
            .iter()
            .all(|l| l.text.trim().is_empty() || l.text.starts_with(' '));
        if strip {
            for l in run.iter_mut() {
                if l.text.starts_with(' ') {
                    l.text = &l.text[1..];
                    l.stripped = 1;
                }
            }
        }
    }
    out
}

fn leading_ws(text: &str) -> &str {
    &text[..text.len() - text.trim_start_matches([' ', '\t', '\x0c']).len()]
}

/// Indentation width, tabs to the next multiple of 8 (as Python's tokenizer counts them).
fn indent_width(ws: &str) -> usize {
    ws.chars()
        .fold(0, |w, c| if c == '\t' { (w / 8 + 1) * 8 } else { w + 1 })
}

/// Does this commented line start like a statement or decorator?
fn starts_like_code(text: &str) -> bool {
    let t = text.trim_start();
    if let Some(rest) = t.strip_prefix('@') {
        return rest.starts_with(|c: char| c.is_alphabetic() || c == '_');
    }
    let word_end = t
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(t.len());
    let (word, rest) = t.split_at(word_end);
    match word {
        "if" | "raise" | "return" => rest.is_empty() || rest.starts_with([' ', '(', '[', '\t']),
        "def" | "class" | "async" => rest.starts_with(' '),
        _ => (word == "abort" || word.ends_with(".abort")) && rest.starts_with('('),
    }
}

/// The commented lines `first..=last` of a run, dedented by the first line's indentation,
/// or None when a later line is indented less than the first.
fn dedented_block(run: &[CommentLine], first: usize, last: usize) -> Option<String> {
    let base = leading_ws(run[first].text);
    let mut out = String::new();
    for line in &run[first..=last] {
        if line.text.trim().is_empty() {
            out.push('\n');
            continue;
        }
        out.push_str(line.text.strip_prefix(base)?.trim_end());
        out.push('\n');
    }
    Some(out)
}

/// A commented block that parsed, with where it is in the run.
struct Block {
    first: usize,
    last: usize,
    text: String,
    parsed: ruff_python_parser::Parsed<ast::ModModule>,
    is_decorator: bool,
}

fn parse_block(run: &[CommentLine], first: usize, last: usize) -> Option<Block> {
    let text = dedented_block(run, first, last)?;
    let is_decorator = run[first].text.trim_start().starts_with('@');
    let probe = if is_decorator {
        format!("{text}{PROBE_FUNCTION}")
    } else {
        text.clone()
    };
    let parsed = ruff_python_parser::parse_module(&probe).ok()?;
    if parsed.syntax().body.is_empty() {
        return None;
    }
    Some(Block {
        first,
        last,
        text,
        parsed,
        is_decorator,
    })
}

fn run_range(run: &[CommentLine], first: usize, last: usize) -> TextRange {
    TextRange::new(run[first].comment.start(), run[last].comment.end())
}

fn analyze_run(ctx: &FileContext, run: Vec<CommentLine>) -> Option<Finding> {
    survey_run(ctx, run).1
}

/// How far a comment run got through detection (counted by the corpus survey in the tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Stage {
    /// No denial vocabulary: not looked at.
    NoVocabulary,
    /// Vocabulary inside an open bracket (declined when it looks like code).
    InBrackets,
    /// Vocabulary, but no line starts like a statement or decorator (prose).
    NoCodeLine,
    /// A line starts like code, but no block from it parses (prose or a fragment).
    Unparsed,
    /// Some block parsed as Python, but none denies access: not a guard, skipped.
    ParsedNoDenial,
    /// A parsed block that denies access: restored, or declined with a reason.
    Denial,
}

fn survey_run(ctx: &FileContext, run: Vec<CommentLine>) -> (Stage, Option<Finding>) {
    let joined: String = run.iter().map(|l| l.text).collect::<Vec<_>>().join("\n");
    if !TRIGGERS.iter().any(|t| joined.contains(t)) {
        return (Stage::NoVocabulary, None);
    }
    let code_starts: Vec<usize> = (0..run.len())
        .filter(|&k| starts_like_code(run[k].text))
        .collect();
    if run[0].in_brackets {
        let argument_like =
            ruff_python_parser::parse_module(&format!("f(\n{}\n)\n", dedent_all(&run))).is_ok();
        if code_starts.is_empty() && !argument_like {
            return (Stage::InBrackets, None);
        }
        return (
            Stage::InBrackets,
            Some(Finding::declined(
                ID,
                run_range(&run, 0, run.len() - 1),
                "commented-out code inside an open bracket (a commented alternative inside a multi-line call \
                 or literal) is not a statement that can be restored; review it by hand",
            )),
        );
    }
    if code_starts.is_empty() {
        return (Stage::NoCodeLine, None);
    }
    let mut unparsed_start: Option<usize> = None;
    let mut next_allowed = 0;
    let mut parsed_any = false;
    for &first in &code_starts {
        if first < next_allowed {
            continue;
        }
        let last_limit = (first + MAX_BLOCK_LINES - 1).min(run.len() - 1);
        let block = (first..=last_limit)
            .rev()
            .find_map(|last| parse_block(&run, first, last));
        match block {
            Some(block) if block_denies(&block) => {
                let finding = match block.is_decorator {
                    true => restore_decorators(ctx, &run, &block),
                    false => restore_statements(ctx, &run, &block),
                };
                return (Stage::Denial, Some(finding));
            }
            Some(block) => {
                parsed_any = true;
                next_allowed = block.last + 1;
            }
            None => {
                unparsed_start.get_or_insert(first);
            }
        }
    }
    let stage = if parsed_any {
        Stage::ParsedNoDenial
    } else {
        Stage::Unparsed
    };
    let Some(start) = unparsed_start else {
        return (stage, None);
    };
    let rest: String = run[start..]
        .iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n");
    if !TRIGGERS.iter().any(|t| rest.contains(t)) {
        return (stage, None);
    }
    (
        stage,
        Some(Finding::declined(
            ID,
            run_range(&run, start, run.len() - 1),
            "commented text mentions denying access but is not complete Python (prose, or a fragment such as \
             an `if` without its body); nothing to restore",
        )),
    )
}

/// A statement that prose can parse as: `TODO: fix` / `Note: admins` (a bare annotation), a
/// lone word (`FIXME`), a string or other literal.
fn is_prose_like(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::AnnAssign(a) => a.value.is_none() && a.target.is_name_expr(),
        Stmt::Expr(e) => matches!(
            e.value.as_ref(),
            Expr::Name(_)
                | Expr::Attribute(_)
                | Expr::StringLiteral(_)
                | Expr::NumberLiteral(_)
                | Expr::BooleanLiteral(_)
                | Expr::NoneLiteral(_)
                | Expr::EllipsisLiteral(_)
        ),
        _ => false,
    }
}

/// The first line of commented code (not prose) in the run above the guard block: lines that
/// parse as statements by themselves (`items = [...]`), or that parse together with the guard
/// as code it is nested in (`for item in items:` above an indented `if`).
fn commented_code_before(run: &[CommentLine], block: &Block) -> Option<String> {
    let line_text = |k: usize| run[k].text.trim().to_string();
    for start in 0..block.first {
        if run[start].text.trim().is_empty() {
            continue;
        }
        let alone = dedent_all(&run[start..block.first]);
        if let Ok(parsed) = ruff_python_parser::parse_module(&format!("{alone}\n"))
            && parsed.syntax().body.iter().any(|s| !is_prose_like(s))
        {
            return Some(line_text(start));
        }
        let together = dedent_all(&run[start..=block.last]);
        let guard_offset: usize = together
            .split('\n')
            .take(block.first - start)
            .map(|l| l.len() + 1)
            .sum();
        if let Ok(parsed) = ruff_python_parser::parse_module(&format!("{together}\n"))
            && parsed
                .syntax()
                .body
                .iter()
                .any(|s| usize::from(s.start()) < guard_offset && !is_prose_like(s))
        {
            return Some(line_text(start));
        }
    }
    None
}

fn dedent_all(run: &[CommentLine]) -> String {
    let min = run
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| leading_ws(l.text).len())
        .min()
        .unwrap_or(0);
    run.iter()
        .map(|l| l.text.get(min..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------------
// What denies access

/// How a statement denies access.
#[derive(Clone, Debug)]
struct Denial {
    /// "the 403", "`PermissionDenied`".
    what: String,
    /// The exception class it raises (for `try:` checks); None for `return ..., 403`.
    raises: Option<String>,
}

fn status_code(expr: &Expr) -> Option<u16> {
    if let Some(n) = int_literal(expr) {
        return (401..=403).contains(&n).then_some(n as u16);
    }
    let last = match expr {
        Expr::Attribute(a) => a.attr.as_str(),
        Expr::Name(n) => n.id.as_str(),
        _ => return None,
    };
    match last {
        "UNAUTHORIZED" => Some(401),
        "PAYMENT_REQUIRED" => Some(402),
        "FORBIDDEN" => Some(403),
        _ => ["401", "402", "403"]
            .iter()
            .find(|code| last.starts_with(&format!("HTTP_{code}")))
            .and_then(|code| code.parse().ok()),
    }
}

/// The status a call passes: `status_code=`/`status=`/`code=`, or its first positional argument.
fn call_status(call: &ast::ExprCall) -> Option<u16> {
    call_status_argument(call).and_then(status_code)
}

/// The argument [`call_status`] reads the status from.
fn call_status_argument(call: &ast::ExprCall) -> Option<&Expr> {
    keyword_value_in(call, &["status_code", "status", "code"])
        .or_else(|| call.arguments.args.first())
}

/// The value of a response's `status_code=`/`status=` keyword (`JSONResponse(..., status_code=403)`).
fn response_status_argument(call: &ast::ExprCall) -> Option<&Expr> {
    keyword_value_in(call, &["status_code", "status"])
}

fn last_segment(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => Some(a.attr.as_str()),
        Expr::Call(c) => last_segment(&c.func),
        _ => None,
    }
}

fn is_denial_exception(name: &str) -> bool {
    DENIAL_EXCEPTIONS.iter().any(|d| name.contains(d))
}

fn status_text(code: u16) -> String {
    format!("the {code}")
}

/// How one statement denies access, if it does.
fn denial_of(stmt: &Stmt) -> Option<Denial> {
    match stmt {
        Stmt::Raise(r) => {
            let exc = r.exc.as_deref()?;
            let class = last_segment(exc)?.to_string();
            if let Expr::Call(call) = exc
                && let Some(code) = call_status(call)
            {
                return Some(Denial {
                    what: status_text(code),
                    raises: Some(class),
                });
            }
            is_denial_exception(&class).then(|| Denial {
                what: format!("`{class}`"),
                raises: Some(class),
            })
        }
        Stmt::Expr(e) => abort_denial(e.value.as_ref()),
        Stmt::Return(r) => {
            let value = r.value.as_deref()?;
            if let Some(denial) = abort_denial(value) {
                return Some(denial);
            }
            match value {
                Expr::Tuple(t) => t.elts.iter().skip(1).find_map(status_code),
                Expr::Call(call) => response_status_argument(call).and_then(status_code),
                _ => None,
            }
            .map(|code| Denial {
                what: status_text(code),
                raises: None,
            })
            .or_else(|| {
                let name = last_segment(value)?;
                (matches!(value, Expr::Call(_)) && is_denial_exception(name)).then(|| Denial {
                    what: format!("`{name}`"),
                    raises: None,
                })
            })
        }
        _ => None,
    }
}

/// A callee that may be Flask's `abort`: `abort`, `flask.abort`, or an alias such as
/// `flask_abort` (which must then resolve to a framework's `abort`, see [`origin_problem`]).
fn is_abort_callee(call: &ast::ExprCall) -> bool {
    callee_name(call).is_some_and(|n| n == "abort" || n.ends_with("_abort"))
}

/// `abort(401|402|403)` (also as `return abort(403)`).
fn abort_denial(expr: &Expr) -> Option<Denial> {
    let Expr::Call(call) = expr else { return None };
    if !is_abort_callee(call) {
        return None;
    }
    let code = call.arguments.args.first().and_then(status_code)?;
    Some(Denial {
        what: status_text(code),
        raises: Some("HTTPException".to_string()),
    })
}

/// True when some statement of the block (at any depth) denies access, or it is a decorator
/// block naming an authorization decorator.
fn block_denies(block: &Block) -> bool {
    fn any_denial(suite: &[Stmt]) -> bool {
        suite
            .iter()
            .any(|s| denial_of(s).is_some() || child_suites(s).into_iter().any(any_denial))
    }
    let body = &block.parsed.syntax().body;
    if block.is_decorator {
        return probe_decorators(block)
            .iter()
            .any(|d| is_auth_decorator(&d.expression));
    }
    any_denial(body)
}

fn probe_decorators(block: &Block) -> &[ast::Decorator] {
    match block.parsed.syntax().body.last() {
        Some(Stmt::FunctionDef(f)) => &f.decorator_list,
        _ => &[],
    }
}

fn is_auth_decorator(expr: &Expr) -> bool {
    // Django's `@method_decorator(login_required)` wraps the real one.
    if let Expr::Call(call) = expr
        && last_segment(&call.func) == Some("method_decorator")
    {
        return call.arguments.args.first().is_some_and(is_auth_decorator);
    }
    let Some(name) = last_segment(expr) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    (lower.ends_with("_required") || lower.starts_with("requires_"))
        && AUTH_WORDS.iter().any(|w| lower.contains(w))
}

fn is_route_decorator(expr: &Expr) -> bool {
    matches!(expr, Expr::Call(c) if matches!(c.func.as_ref(), Expr::Attribute(a) if ROUTE_METHODS.contains(&a.attr.as_str())))
}

/// Collects identifiers, attribute names and string values of an expression, lowercased.
#[derive(Default)]
struct Words(Vec<String>);

impl<'a> Visitor<'a> for Words {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(n) => self.0.push(n.id.to_ascii_lowercase()),
            Expr::Attribute(a) => self.0.push(a.attr.to_ascii_lowercase()),
            Expr::StringLiteral(s) => self.0.push(s.value.to_str().to_ascii_lowercase()),
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}

fn is_auth_condition(test: &Expr) -> bool {
    let mut words = Words::default();
    words.visit_expr(test);
    words
        .0
        .iter()
        .any(|w| AUTH_WORDS.iter().any(|a| w.contains(a)))
}

/// A logging call, allowed in a guard's body before the denial.
fn is_log_call(stmt: &Stmt) -> bool {
    let Stmt::Expr(e) = stmt else { return false };
    let Expr::Call(call) = e.value.as_ref() else {
        return false;
    };
    let mut head = call.func.as_ref();
    while let Expr::Attribute(a) = head {
        head = &a.value;
    }
    matches!(head, Expr::Name(n) if n.id.to_ascii_lowercase().contains("log") || n.id.as_str() == "current_app")
}

/// One restorable guard: `if <auth condition>: <deny>` (elif clauses allowed, no else).
struct Guard {
    condition: String,
    denial: Denial,
}

fn guard_of(stmt: &Stmt, text: &str) -> Result<Vec<Guard>, &'static str> {
    match stmt {
        Stmt::If(if_stmt) => {
            let mut clauses = vec![(Some(if_stmt.test.as_ref()), &if_stmt.body)];
            clauses.extend(
                if_stmt
                    .elif_else_clauses
                    .iter()
                    .map(|c| (c.test.as_ref(), &c.body)),
            );
            let mut guards = Vec::new();
            for (test, body) in clauses {
                let Some(test) = test else {
                    return Err("it has an `else` branch, so it is more than a guard");
                };
                let (last, before) = body.split_last().expect("a parsed suite is never empty");
                let Some(denial) = denial_of(last).filter(|_| before.iter().all(is_log_call))
                else {
                    return Err("its body does more than deny access");
                };
                if !is_auth_condition(test) {
                    return Err(
                        "its condition is not about the caller's tier, plan, role, permission or authentication",
                    );
                }
                guards.push(Guard {
                    condition: text[test.range()].to_string(),
                    denial,
                });
            }
            Ok(guards)
        }
        Stmt::FunctionDef(_) | Stmt::ClassDef(_) => Err(
            "it is a commented-out function or class, not a guard; restoring it is a code change to review by hand",
        ),
        s if denial_of(s).is_some() => Err(
            "the denial is unconditional; restoring it would refuse every request that reaches it",
        ),
        _ => Err("it is more than a guard (business logic around the check); restore it by hand"),
    }
}

// ---------------------------------------------------------------------------------------------
// Where the code goes

/// The statements containing an offset, outermost first, each with its suite and index.
fn statement_chain(module: &ast::ModModule, offset: TextSize) -> Vec<(&Stmt, &[Stmt], usize)> {
    let mut chain = Vec::new();
    let mut suite: &[Stmt] = &module.body;
    'outer: loop {
        for (index, stmt) in suite.iter().enumerate() {
            if stmt.range().contains_inclusive(offset) {
                chain.push((stmt, suite, index));
                for child in child_suites(stmt) {
                    if child.iter().any(|s| s.range().contains_inclusive(offset)) {
                        suite = child;
                        continue 'outer;
                    }
                }
                break 'outer;
            }
        }
        break;
    }
    chain
}

fn is_trivia(token: &Token) -> bool {
    matches!(
        token.kind(),
        TokenKind::Comment
            | TokenKind::NonLogicalNewline
            | TokenKind::Newline
            | TokenKind::Indent
            | TokenKind::Dedent
            | TokenKind::EndOfFile
    )
}

fn next_code_token(ctx: &FileContext, offset: TextSize) -> Option<Token> {
    ctx.tokens()
        .after(offset)
        .iter()
        .find(|t| !is_trivia(t))
        .copied()
}

fn previous_code_token(ctx: &FileContext, offset: TextSize) -> Option<Token> {
    ctx.tokens()
        .before(offset)
        .iter()
        .rev()
        .find(|t| !is_trivia(t))
        .copied()
}

/// Where restored statements go: before a statement (joining its suite) or after one.
struct Anchor<'a> {
    stmt: &'a Stmt,
    suite: &'a [Stmt],
    index: usize,
    before: bool,
    /// Enclosing statements, outermost first (not including `stmt`).
    ancestors: Vec<&'a Stmt>,
    indent: String,
}

impl Anchor<'_> {
    /// The offset at which the restored code runs, for name resolution.
    fn offset(&self) -> TextSize {
        if self.before {
            self.stmt.start()
        } else {
            self.stmt.end()
        }
    }
}

/// Does the commented code's own indentation (ws right after `#`) match `width`, as when an
/// editor put `#` in column 0 in front of the original line?
fn raw_indent_matches(line: &CommentLine, width: usize) -> bool {
    let raw = indent_width(leading_ws(&line.text_with_stripped()));
    raw == width || raw == width + 1
}

impl CommentLine<'_> {
    fn text_with_stripped(&self) -> String {
        format!("{}{}", " ".repeat(self.stripped), self.text)
    }
}

fn find_anchor<'a>(
    ctx: &FileContext<'a>,
    run: &[CommentLine],
    block: &Block,
) -> Result<Anchor<'a>, String> {
    let module = ctx.module();
    let column = run[block.first].column;
    let first_start = run[block.first].comment.start();
    let last_end = run[block.last].comment.end();
    let next = next_code_token(ctx, last_end)
        .filter(|t| {
            !matches!(
                t.kind(),
                TokenKind::Else | TokenKind::Elif | TokenKind::Except | TokenKind::Finally
            )
        })
        .and_then(|t| {
            let chain = statement_chain(module, t.start());
            let pos = chain.iter().position(|(s, _, _)| s.start() == t.start())?;
            Some((chain, pos))
        });
    let make = |chain: &[(&'a Stmt, &'a [Stmt], usize)], pos: usize, before: bool, indent: &str| {
        let (stmt, suite, index) = chain[pos];
        Anchor {
            stmt,
            suite,
            index,
            before,
            ancestors: chain[..pos].iter().map(|(s, _, _)| *s).collect(),
            indent: indent.to_string(),
        }
    };
    if let Some((chain, pos)) = &next {
        let indent = ctx.indentation_at(chain[*pos].0.start());
        if indent == column {
            return Ok(make(chain, *pos, true, indent));
        }
    }
    if let Some(prev) = previous_code_token(ctx, first_start) {
        let chain = statement_chain(module, prev.end());
        let found = chain.iter().rposition(|(s, _, _)| {
            s.end() == prev.end() && ctx.indentation_at(s.start()) == column
        });
        if let Some(pos) = found {
            return Ok(make(&chain, pos, false, column));
        }
    }
    if let Some((chain, pos)) = &next {
        let indent = ctx.indentation_at(chain[*pos].0.start());
        if indent.len() > column.len()
            && raw_indent_matches(&run[block.first], indent_width(indent))
        {
            return Ok(make(chain, *pos, true, indent));
        }
    }
    Err(
        "its column matches neither the statement after it nor the one before it, so the block it \
         belongs to is unclear"
            .to_string(),
    )
}

/// Converts the commented code's relative indentation to the target block's style.
fn relative_indent(rel_ws: &str, unit: usize, target: &str) -> String {
    if rel_ws.is_empty() {
        return String::new();
    }
    let levels = indent_width(rel_ws) / unit.max(1);
    if target.contains('\t') {
        "\t".repeat(levels)
    } else if rel_ws.contains('\t') {
        "    ".repeat(levels)
    } else {
        rel_ws.to_string()
    }
}

/// Edits that turn commented lines `first..=last` back into code indented with `target`,
/// touching only each line's prefix.
fn uncomment_edits(run: &[CommentLine], first: usize, last: usize, target: &str) -> Vec<Edit> {
    let base = leading_ws(run[first].text).len();
    let unit = run[first..=last]
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| indent_width(leading_ws(&l.text[base..])))
        .filter(|w| *w > 0)
        .min()
        .unwrap_or(4);
    run[first..=last]
        .iter()
        .map(|line| {
            if line.text.trim().is_empty() {
                return Edit::deletion(TextRange::new(line.line_start, line.comment.end()));
            }
            let rel_ws = leading_ws(&line.text[base..]);
            let prefix_len = 1 + line.stripped + base + rel_ws.len();
            let end = line.comment.start() + TextSize::try_from(prefix_len).unwrap();
            Edit::replacement(
                format!("{target}{}", relative_indent(rel_ws, unit, target)),
                TextRange::new(line.line_start, end),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Names

/// Names the code reads, minus those it binds itself.
#[derive(Default)]
struct Reads {
    loads: Vec<(String, TextRange)>,
    stores: Vec<String>,
}

impl<'a> Visitor<'a> for Reads {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr {
            match n.ctx {
                ExprContext::Load => self.loads.push((n.id.to_string(), n.range)),
                _ => self.stores.push(n.id.to_string()),
            }
        }
        if let Expr::Lambda(l) = expr
            && let Some(p) = &l.parameters
        {
            self.stores
                .extend(p.iter().map(|p| p.as_parameter().name.to_string()));
        }
        visitor::walk_expr(self, expr);
    }
}

/// Why the first name the code reads will not be bound when it runs at `at`, ending with
/// `consequence` (what an unbound name does there).
fn unbound_name(
    ctx: &FileContext,
    reads: &Reads,
    at: TextSize,
    consequence: &str,
) -> Option<String> {
    let scope = ctx.bindings.scope_at(at);
    for (name, _) in &reads.loads {
        if reads.stores.contains(name) {
            continue;
        }
        let bindings = ctx.bindings.resolve(name, at);
        if bindings.is_empty() {
            if is_builtin(name) {
                continue;
            }
            return Some(format!("`{name}` is not defined there; {consequence}"));
        }
        let only_later = bindings
            .iter()
            .all(|b| b.scope == scope && b.kind != BindingKind::Parameter && b.range.start() >= at);
        if only_later {
            return Some(format!(
                "`{name}` is only assigned after that point; {consequence}"
            ));
        }
        if bindings
            .iter()
            .all(|b| b.is_import() && under_type_checking(ctx.module(), b.statement))
        {
            return Some(format!(
                "`{name}` is imported only under `if TYPE_CHECKING:`, so it is not defined when the code runs; \
                 {consequence}"
            ));
        }
        if bindings.iter().all(|b| b.scope == scope) {
            let mut why = None;
            let surely = bindings.iter().any(|b| {
                b.kind == BindingKind::Parameter
                    || (b.range.start() < at
                        && match path_condition(ctx, b, &bindings, at) {
                            None => true,
                            Some(stmt) => {
                                why.get_or_insert(stmt);
                                false
                            }
                        })
            });
            if !surely && let Some(stmt) = why {
                let header = ctx.slice(stmt.range()).lines().next().unwrap_or_default();
                return Some(format!(
                    "`{name}` is assigned before that point only inside `{header}`, so on other paths to it \
                     the name is unbound; {consequence}"
                ));
            }
        }
    }
    None
}

/// Whether an import statement sits in the body of `if TYPE_CHECKING:` (never true at runtime).
fn under_type_checking(module: &ast::ModModule, statement: TextRange) -> bool {
    statement_chain(module, statement.start())
        .iter()
        .any(|(s, _, _)| match s {
            Stmt::If(i) => {
                let flag = match i.test.as_ref() {
                    Expr::Name(n) => n.id.as_str() == "TYPE_CHECKING",
                    Expr::Attribute(a) => a.attr.as_str() == "TYPE_CHECKING",
                    _ => false,
                };
                flag && i.body.iter().any(|b| b.range().contains_range(statement))
            }
            _ => false,
        })
}

/// The compound statement (not around `at`) that makes `binding` run only on some paths to
/// `at`: an `if` without an `else` binding the name in every branch, a loop (which may run no
/// times), a `match`. None when the binding runs on every path to `at` (straight-line code, or
/// inside `with`/`try`, or an `if` whose every branch binds the name).
fn path_condition<'a>(
    ctx: &FileContext<'a>,
    binding: &Binding,
    same_name: &[&Binding],
    at: TextSize,
) -> Option<&'a Stmt> {
    let module = ctx.module();
    let around: Vec<TextRange> = statement_chain(module, at)
        .iter()
        .map(|(s, _, _)| s.range())
        .collect();
    for (stmt, _, _) in statement_chain(module, binding.statement.start()) {
        if around.contains(&stmt.range()) {
            continue;
        }
        if stmt.range() == binding.statement {
            return matches!(stmt, Stmt::For(_) | Stmt::While(_)).then_some(stmt);
        }
        match stmt {
            Stmt::Try(_) | Stmt::With(_) => {}
            Stmt::If(i) => {
                let has_else = i.elif_else_clauses.last().is_some_and(|c| c.test.is_none());
                let every_branch = child_suites(stmt).iter().all(|suite| {
                    same_name.iter().any(|other| {
                        suite
                            .iter()
                            .any(|s| s.range().contains_range(other.statement))
                    })
                });
                if !(has_else && every_branch) {
                    return Some(stmt);
                }
            }
            _ => return Some(stmt),
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// What the denying names stand for where the code runs

/// Frameworks whose `abort(status)` raises an HTTP error response.
const ABORT_MODULES: &[&str] = &[
    "flask",
    "werkzeug",
    "quart",
    "flask_restful",
    "flask_restx",
    "flask_smorest",
    "bottle",
];

/// Top-level modules whose exception classes do not take an HTTP status as `status_code=` or
/// as their first argument (werkzeug's `HTTPException(description, response)`, `http.client`'s,
/// Django's, DRF's `APIException(detail, code)`, HTTP clients' errors).
const NO_STATUS_EXCEPTION_MODULES: &[&str] = &[
    "http",
    "werkzeug",
    "flask",
    "django",
    "rest_framework",
    "requests",
    "httpx",
    "aiohttp",
    "urllib",
    "urllib3",
];

/// Frameworks where returning `(body, status)` from a view sets the response status.
const TUPLE_RESPONSE_MODULES: &[&str] = &["flask", "quart"];

/// The name at the head of `a.b.c`, `a.b(...)`.
fn head_name(expr: &Expr) -> Option<&ast::ExprName> {
    match expr {
        Expr::Name(n) => Some(n),
        Expr::Attribute(a) => head_name(&a.value),
        Expr::Call(c) => head_name(&c.func),
        _ => None,
    }
}

/// The dotted names the Name/Attribute chain `expr` (from the commented text) stands for when it
/// runs at `at`, one per binding of its head. `Err` with the head's binding kind when the head
/// is bound but not (only) by imports; `Ok(empty)` when it is unbound (a builtin or undefined).
fn qualified_at(ctx: &FileContext, expr: &Expr, at: TextSize) -> Result<Vec<String>, BindingKind> {
    let mut segments = Vec::new();
    let mut current = expr;
    while let Expr::Attribute(a) = current {
        segments.push(a.attr.as_str());
        current = &a.value;
    }
    let Expr::Name(head) = current else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for binding in ctx.bindings.resolve(&head.id, at) {
        let Some(mut q) = binding.qualified_name() else {
            return Err(binding.kind.clone());
        };
        for segment in segments.iter().rev() {
            q.push('.');
            q.push_str(segment);
        }
        out.push(q);
    }
    Ok(out)
}

fn top_module(qualified: &str) -> &str {
    qualified.split('.').next().unwrap_or_default()
}

fn kind_text(kind: &BindingKind) -> &'static str {
    match kind {
        BindingKind::Parameter => "a parameter",
        BindingKind::Assignment => "a local variable",
        BindingKind::FunctionDef => "a function",
        BindingKind::ClassDef => "a class",
        _ => "a local name",
    }
}

/// A status constant (`status.HTTP_403_FORBIDDEN`, `HTTPStatus.FORBIDDEN`, `HTTP_403_FORBIDDEN`)
/// must come from an import: a parameter or local named `status` shadows FastAPI's module.
fn status_problem(ctx: &FileContext, text: &str, expr: &Expr, at: TextSize) -> Option<String> {
    if int_literal(expr).is_some() {
        return None;
    }
    let head = head_name(expr)?;
    match qualified_at(ctx, expr, at) {
        Err(kind) => Some(format!(
            "`{}` there is {} (it shadows the status module), so `{}` would fail instead of denying",
            head.id,
            kind_text(&kind),
            &text[expr.range()]
        )),
        Ok(_) => None,
    }
}

/// Why a denying statement of the commented code would not deny access when run at `at`:
/// its exception, `abort` or status constant stands for something else there, or a
/// `(body, 403)` tuple is returned outside Flask. The names are known to be bound (or builtins).
fn origin_problem(ctx: &FileContext, text: &str, stmt: &Stmt, at: TextSize) -> Option<String> {
    match stmt {
        Stmt::Raise(r) => {
            let Some(Expr::Call(call)) = r.exc.as_deref() else {
                return None;
            };
            call_status(call)?;
            let class = &text[call.func.range()];
            let status = call_status_argument(call);
            match qualified_at(ctx, &call.func, at) {
                Ok(names) if names.is_empty() => {
                    let head = head_name(&call.func)?;
                    if is_builtin(&head.id) {
                        return Some(format!(
                            "`{class}` is a built-in exception: it does not carry an HTTP status, so the \
                             client would get a 500 instead of a denial"
                        ));
                    }
                }
                Ok(names) => {
                    if let Some(q) = names
                        .iter()
                        .find(|q| NO_STATUS_EXCEPTION_MODULES.contains(&top_module(q)))
                    {
                        return Some(format!(
                            "`{class}` there is `{q}`, which does not take an HTTP status this way: \
                             restored, it would fail (a 500) instead of denying"
                        ));
                    }
                }
                Err(_) => {}
            }
            status.and_then(|s| status_problem(ctx, text, s, at))
        }
        Stmt::Expr(e) => abort_problem(ctx, text, &e.value, at),
        Stmt::Return(r) => {
            let value = r.value.as_deref()?;
            if abort_denial(value).is_some() {
                return abort_problem(ctx, text, value, at);
            }
            match value {
                Expr::Tuple(t) => {
                    let framework = TUPLE_RESPONSE_MODULES
                        .iter()
                        .any(|m| ctx.bindings.imports_of(m).next().is_some());
                    if !framework {
                        return Some(
                            "returning `(body, status)` sets the status only in Flask; this file does not \
                             import Flask, so the client would get the tuple as a 200 response"
                                .into(),
                        );
                    }
                    t.elts
                        .iter()
                        .skip(1)
                        .find(|e| status_code(e).is_some())
                        .and_then(|e| status_problem(ctx, text, e, at))
                }
                Expr::Call(call) => response_status_argument(call)
                    .and_then(|status| status_problem(ctx, text, status, at)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `abort(403)` must be a web framework's `abort` (an alias such as `flask_abort` must be an
/// import of one; a function of this file named `abort` is taken as the app's own).
fn abort_problem(ctx: &FileContext, text: &str, expr: &Expr, at: TextSize) -> Option<String> {
    let Expr::Call(call) = expr else { return None };
    abort_denial(expr)?;
    let callee = &text[call.func.range()];
    let is_framework_abort =
        |q: &String| q.ends_with(".abort") && ABORT_MODULES.contains(&top_module(q));
    let problem = match qualified_at(ctx, &call.func, at) {
        Ok(names) if names.is_empty() => None,
        Ok(names) => names
            .iter()
            .find(|q| !is_framework_abort(q))
            .map(|q| format!("`{callee}` there is `{q}`, not a web framework's `abort`")),
        Err(BindingKind::FunctionDef | BindingKind::Assignment)
            if callee_name(call) == Some("abort") =>
        {
            None
        }
        Err(kind) => Some(format!(
            "`{callee}` there is {}, not recognisably a web framework's `abort`",
            kind_text(&kind)
        )),
    };
    problem.or_else(|| {
        call.arguments
            .args
            .first()
            .and_then(|s| status_problem(ctx, text, s, at))
    })
}

/// The first denying statement (at any depth of the block) whose names would not deny access.
fn denial_origin_problem(
    ctx: &FileContext,
    text: &str,
    suite: &[Stmt],
    at: TextSize,
) -> Option<String> {
    suite.iter().find_map(|s| {
        denial_of(s)
            .and_then(|_| origin_problem(ctx, text, s, at))
            .or_else(|| {
                child_suites(s)
                    .into_iter()
                    .find_map(|c| denial_origin_problem(ctx, text, c, at))
            })
    })
}

// ---------------------------------------------------------------------------------------------
// Restoring statements

fn restore_statements(ctx: &FileContext, run: &[CommentLine], block: &Block) -> Finding {
    let range = run_range(run, block.first, block.last);
    let decline = |why: String| {
        Finding::declined(
            ID,
            range,
            format!("commented-out guard not restored: {why}"),
        )
    };
    let stmts = &block.parsed.syntax().body;
    let mut guards = Vec::new();
    for stmt in stmts {
        match guard_of(stmt, &block.text) {
            Ok(g) => guards.extend(g),
            Err(why) => return decline(why.to_string()),
        }
    }
    if let Some(code) = commented_code_before(run, block) {
        return decline(format!(
            "the commented line above it is code too (`{code}`), not prose: the guard may depend on it \
             (or be nested in it), so restoring the guard alone could change what it checks; restore them by hand"
        ));
    }
    let anchor = match find_anchor(ctx, run, block) {
        Ok(a) => a,
        Err(why) => return decline(why),
    };
    let function_pos = anchor
        .ancestors
        .iter()
        .rposition(|s| matches!(s, Stmt::FunctionDef(_)));
    let Some(function_pos) = function_pos else {
        return decline(
            "it is not inside a function; at module or class level it would run once at import"
                .into(),
        );
    };
    if matches!(anchor.ancestors.last(), Some(Stmt::ClassDef(_))) {
        return decline("it sits in a class body, not in a function".into());
    }
    let is_docstring = |s: &Stmt| matches!(s, Stmt::Expr(e) if e.value.is_string_literal_expr());
    if anchor.before
        && anchor.index == 0
        && matches!(anchor.ancestors.last(), Some(Stmt::FunctionDef(_)))
        && is_docstring(anchor.stmt)
    {
        return decline(
            "it sits above the function's docstring; restored there, the docstring would become a plain \
             string (FastAPI shows it as the endpoint's description); move it below the docstring by hand"
                .into(),
        );
    }
    // Already restored next to its comment?
    let wanted: Vec<ComparableStmt> = stmts.iter().map(ComparableStmt::from).collect();
    let k = wanted.len();
    let around = if anchor.before {
        anchor.index
    } else {
        anchor.index + 1
    };
    let same = |slice: Option<&[Stmt]>| {
        slice.is_some_and(|s| s.iter().map(ComparableStmt::from).collect::<Vec<_>>() == wanted)
    };
    if same(anchor.suite.get(around..around + k))
        || (around >= k && same(anchor.suite.get(around - k..around)))
    {
        return decline(
            "identical code already runs right next to the comment (it was restored already)"
                .into(),
        );
    }
    // Unreachable after a return/raise?
    if around > 0
        && matches!(
            anchor.suite[around - 1],
            Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_)
        )
    {
        return decline("it follows a `return`/`raise`, so restored it would never run".into());
    }
    // A surrounding `try:` whose handler would swallow the restored exception.
    for guard in &guards {
        let Some(raised) = &guard.denial.raises else {
            continue;
        };
        for ancestor in &anchor.ancestors[function_pos + 1..] {
            if let Stmt::With(w) = ancestor
                && let Some(suppress) = suppressing_item(ctx, w, raised)
            {
                return decline(format!(
                    "inside `with {suppress}:`, the restored `{raised}` would be suppressed and the request \
                     let through anyway; move the guard above the `with`"
                ));
            }
            let Stmt::Try(t) = ancestor else { continue };
            if !t
                .body
                .iter()
                .any(|s| s.range().contains_range(anchor.stmt.range()))
            {
                continue;
            }
            if let Some(handler) = swallowing_handler(ctx, t, raised) {
                return decline(format!(
                    "inside this `try:`, `{handler}` would catch the restored `{raised}` and turn the denial into \
                     something else; re-raise it first (`except {raised}: raise`) or move the guard above the `try:`"
                ));
            }
        }
    }
    // Every name it reads must be bound there.
    let mut reads = Reads::default();
    for stmt in stmts {
        reads.visit_stmt(stmt);
    }
    if let Some(why) = unbound_name(
        ctx,
        &reads,
        anchor.offset(),
        "restoring it would make every request that reaches it fail",
    ) {
        return decline(why);
    }
    if let Some(why) = denial_origin_problem(ctx, &block.text, stmts, anchor.offset()) {
        return decline(why);
    }
    let edits = uncomment_edits(run, block.first, block.last, &anchor.indent);
    let description = guards
        .iter()
        .map(|g| {
            format!(
                "restores {} for requests where `{}`",
                g.denial.what, g.condition
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let message =
        format!("authorization check commented out: {description} (today they get through)");
    Finding::new(ID, range, message, Some(Fix::unsafe_(description, edits)))
}

/// Whether an `except` clause naming these classes (live code) catches `raised`, judged by class
/// names through aliases (`except StarletteHTTPException` is starlette's `HTTPException`, the
/// base of FastAPI's). Any `*HTTPException` or DRF's `APIException` counts as catching: they are
/// the bases of the framework denials (werkzeug's `Forbidden`, FastAPI's `HTTPException`).
fn catches_denial(ctx: &FileContext, types: &[&Expr], raised: &str) -> bool {
    types.iter().any(|e| {
        let resolved = ctx.bindings.qualified_name(e);
        let names = [
            last_segment(e).map(str::to_string),
            resolved.map(|q| q.rsplit('.').next().unwrap_or_default().to_string()),
        ];
        names.iter().flatten().any(|n| {
            matches!(n.as_str(), "Exception" | "BaseException" | "APIException")
                || n == raised
                || n.ends_with("HTTPException")
        })
    })
}

/// The `with` item (`suppress(Exception)`) that would swallow `raised`.
fn suppressing_item(ctx: &FileContext, w: &ast::StmtWith, raised: &str) -> Option<String> {
    w.items.iter().find_map(|item| {
        let Expr::Call(call) = &item.context_expr else {
            return None;
        };
        if callee_name(call) != Some("suppress") {
            return None;
        }
        let types: Vec<&Expr> = call.arguments.args.iter().collect();
        catches_denial(ctx, &types, raised)
            .then(|| ctx.slice(item.context_expr.range()).to_string())
    })
}

/// The `except` clause of `t` that would catch `raised` without re-raising it.
fn swallowing_handler(ctx: &FileContext, t: &ast::StmtTry, raised: &str) -> Option<String> {
    for handler in &t.handlers {
        let ast::ExceptHandler::ExceptHandler(h) = handler;
        let types: Vec<&Expr> = match h.type_.as_deref() {
            None => Vec::new(),
            Some(Expr::Tuple(tuple)) => tuple.elts.iter().collect(),
            Some(e) => vec![e],
        };
        let names: Vec<&str> = types.iter().filter_map(|e| last_segment(e)).collect();
        let catches = h.type_.is_none() || catches_denial(ctx, &types, raised);
        if !catches {
            continue;
        }
        let reraises = matches!(h.body.as_slice(), [Stmt::Raise(r)] if r.exc.is_none());
        if reraises {
            return None;
        }
        return Some(match h.type_.as_deref() {
            None => "except:".to_string(),
            Some(_) => format!("except {}", names.join(", ")),
        });
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Restoring decorators

fn restore_decorators(ctx: &FileContext, run: &[CommentLine], block: &Block) -> Finding {
    let range = run_range(run, block.first, block.last);
    let decline = |why: String| {
        Finding::declined(
            ID,
            range,
            format!("commented-out decorator not restored: {why}"),
        )
    };
    let decorators = probe_decorators(block);
    if let Some(other) = decorators
        .iter()
        .find(|d| !is_auth_decorator(&d.expression))
    {
        return decline(format!(
            "it comes with `@{}`, which is not an authorization decorator; restore the decorators by hand",
            &block.text[other.expression.range()]
        ));
    }
    let last_end = run[block.last].comment.end();
    let Some(next) = next_code_token(ctx, last_end) else {
        return decline("no function follows it".into());
    };
    let function = (source::line_start(ctx.source, next.start())
        == source::full_line_end(ctx.source, last_end))
    .then(|| statement_chain(ctx.module(), next.start()))
    .and_then(|chain| {
        chain.into_iter().rev().find_map(|(s, _, _)| match s {
            Stmt::FunctionDef(f)
                if f.decorator_list.iter().any(|d| d.start() == next.start())
                    || (matches!(next.kind(), TokenKind::Def | TokenKind::Async)
                        && next.start() >= f.start()
                        && next.start() < f.name.start()) =>
            {
                Some(f)
            }
            _ => None,
        })
    });
    let Some(function) = function else {
        return decline("it is not directly above a function definition".into());
    };
    let indent = ctx.indentation_at(function.start());
    let column = run[block.first].column;
    if indent != column && !raw_indent_matches(&run[block.first], indent_width(indent)) {
        return decline("its column does not match the function below it".into());
    }
    let live: Vec<ComparableExpr> = function
        .decorator_list
        .iter()
        .map(|d| ComparableExpr::from(&d.expression))
        .collect();
    if decorators
        .iter()
        .all(|d| live.contains(&ComparableExpr::from(&d.expression)))
    {
        return decline("the function already has this decorator (it was restored already)".into());
    }
    let mut reads = Reads::default();
    for d in decorators {
        reads.visit_expr(&d.expression);
    }
    if let Some(why) = unbound_name(
        ctx,
        &reads,
        function.start(),
        "restoring it would break the module at import",
    ) {
        return decline(why);
    }
    let in_class = ctx.bindings.scopes[ctx.bindings.scope_at(function.start())].kind
        == crate::bindings::ScopeKind::Class;
    let from_django = |expr: &Expr| {
        let mut head = match expr {
            Expr::Call(c) if last_segment(&c.func) == Some("method_decorator") => return false,
            Expr::Call(c) => c.func.as_ref(),
            e => e,
        };
        while let Expr::Attribute(a) = head {
            head = &a.value;
        }
        let Expr::Name(n) = head else { return false };
        ctx.bindings
            .resolve_unique(&n.id, function.start())
            .and_then(|b| b.qualified_name())
            .is_some_and(|q| q.starts_with("django."))
    };
    if in_class && decorators.iter().any(|d| from_django(&d.expression)) {
        return decline(
            "Django's view decorators cannot decorate a method directly (it would receive `self` \
             as the request); wrap it as `@method_decorator(...)` by hand"
                .into(),
        );
    }
    let names = decorators
        .iter()
        .map(|d| format!("`@{}`", &block.text[d.expression.range()]))
        .collect::<Vec<_>>()
        .join(", ");
    let route_below = function
        .decorator_list
        .iter()
        .filter(|d| d.start() > last_end && is_route_decorator(&d.expression))
        .last();
    let (edits, placement) = match route_below {
        None => (
            uncomment_edits(run, block.first, block.last, indent),
            String::new(),
        ),
        Some(route) => {
            let eol = ctx.line_ending();
            let delete = TextRange::new(
                run[block.first].line_start,
                source::full_line_end(ctx.source, last_end),
            );
            let insert_at = source::full_line_end(ctx.source, route.end());
            let text: String = block
                .text
                .lines()
                .map(|l| format!("{indent}{l}{eol}"))
                .collect();
            (
                vec![Edit::deletion(delete), Edit::insertion(text, insert_at)],
                format!(
                    ", placed below `@{}` so the registered view is the guarded one",
                    ctx.slice(route.expression.range())
                        .lines()
                        .next()
                        .unwrap_or_default()
                ),
            )
        }
    };
    let description = format!(
        "restores {names} on `{}`{placement}: callers it rejects are refused again",
        function.name
    );
    let message = format!(
        "authorization decorator commented out: {description} (today anyone reaching the view gets in)"
    );
    Finding::new(ID, range, message, Some(Fix::unsafe_(description, edits)))
}

#[cfg(test)]
mod tests {
    //! The survey counts how far each comment run of a file gets through detection, through
    //! the same code `check` runs. `survey_corpus` (ignored; run it by hand) reports the counts
    //! for a directory of real code:
    //!
    //!     REMEDY_SURVEY_DIR=/path/to/code cargo test --lib restore_auth_guard::tests::survey_corpus \
    //!         -- --ignored --nocapture

    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::bindings::Bindings;
    use crate::context::Project;

    /// One comment run's stage, its first line (1-based), its text and its finding.
    struct Surveyed {
        stage: Stage,
        line: usize,
        text: String,
        finding: Option<Finding>,
    }

    fn survey(path: &Path, text: &str) -> Option<Vec<Surveyed>> {
        if crate::engine::nesting_depth(text) > 2000 {
            return None;
        }
        let parsed = ruff_python_parser::parse_module(text).ok()?;
        let bindings = Bindings::build(parsed.syntax());
        let project = Project::snapshot(".", Default::default());
        let ctx = FileContext::new(path, text, &parsed, &bindings, &project);
        let lines = comment_only_lines(&ctx);
        let out = runs(ctx.source, &lines)
            .into_iter()
            .map(|run| {
                let line = ctx.lines.position(run[0].comment.start()).line;
                let text = run
                    .iter()
                    .map(|l| format!("#{}", l.text))
                    .collect::<Vec<_>>()
                    .join(" / ");
                let (stage, finding) = survey_run(&ctx, run);
                Surveyed {
                    stage,
                    line,
                    text,
                    finding,
                }
            })
            .collect();
        Some(out)
    }

    #[test]
    fn survey_counts_each_stage_through_the_check_code() {
        let text = r#"from fastapi import HTTPException


def f(user, items):
    # an ordinary comment
    x = 1
    # raise HTTPException for unknown symbols?
    y = 2
    # We used to return 403 here.
    z = f(
        # status_code=403,
    )
    # if len(items) > 3: print("HTTPException")
    a = 3
    # if not user.is_admin:
    #     raise HTTPException(status_code=403)
    return x
"#;
        let surveyed = survey(Path::new("app.py"), text).unwrap();
        let stages: Vec<Stage> = surveyed.iter().map(|s| s.stage).collect();
        assert_eq!(
            stages,
            [
                Stage::NoVocabulary,
                Stage::Unparsed,
                Stage::NoCodeLine,
                Stage::InBrackets,
                Stage::ParsedNoDenial,
                Stage::Denial,
            ]
        );
        let restored = surveyed
            .iter()
            .filter(|s| s.finding.as_ref().is_some_and(|f| f.fix.is_some()))
            .count();
        assert_eq!(restored, 1);
    }

    fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_symlink() {
                continue;
            }
            if path.is_dir() {
                python_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "py") {
                out.push(path);
            }
        }
    }

    #[test]
    #[ignore = "a survey of real code: set REMEDY_SURVEY_DIR and run with --ignored --nocapture"]
    fn survey_corpus() {
        let Some(dir) = std::env::var_os("REMEDY_SURVEY_DIR") else {
            eprintln!("SKIP: REMEDY_SURVEY_DIR is not set");
            return;
        };
        let dir = PathBuf::from(dir);
        // Deeply nested files need the big stack the engine's workers have.
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || survey_dir(&dir))
            .unwrap()
            .join()
            .unwrap();
    }

    fn survey_dir(dir: &Path) {
        let mut files = Vec::new();
        python_files(dir, &mut files);
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let (mut analysed, mut skipped, mut restored, mut declined) = (0, 0, 0, 0);
        for path in &files {
            let Some(text) = std::fs::read(path)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
            else {
                skipped += 1;
                continue;
            };
            let relative = path.strip_prefix(dir).unwrap_or(path);
            let Some(surveyed) = survey(relative, &text) else {
                skipped += 1;
                continue;
            };
            analysed += 1;
            for s in surveyed {
                *counts.entry(format!("{:?}", s.stage)).or_default() += 1;
                if s.stage == Stage::NoVocabulary {
                    continue;
                }
                let verdict = match &s.finding {
                    Some(f) if f.fix.is_some() => {
                        restored += 1;
                        format!("RESTORED: {}", f.message)
                    }
                    Some(f) => {
                        declined += 1;
                        format!("declined: {}", f.message)
                    }
                    None => "no finding".to_string(),
                };
                let mut text = s.text.clone();
                if text.len() > 160 {
                    let cut = (0..=160).rev().find(|&i| text.is_char_boundary(i)).unwrap();
                    text.truncate(cut);
                    text.push('…');
                }
                println!(
                    "{}:{} [{:?}] {text}\n    -> {verdict}",
                    relative.display(),
                    s.line,
                    s.stage
                );
            }
        }
        println!(
            "\nfiles: {} ({analysed} analysed, {skipped} skipped: not UTF-8, syntax error or too deep)",
            files.len()
        );
        for (stage, n) in &counts {
            println!("comment runs at stage {stage}: {n}");
        }
        println!("findings: {restored} restored, {declined} declined");
    }
}
