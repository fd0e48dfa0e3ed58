//! Transform `verify-stripe-webhook` (review finding CRIT-Q1): Stripe webhook handlers that
//! build the event from the request body without checking the `Stripe-Signature` header get
//! `stripe.Webhook.construct_event(<raw body>, <signature>, <secret>)` in front of them, with
//! the framework's 400 response when verification fails.
//!
//! Shapes handled: `event = json.loads(body)` / `request.get_json()` / `await request.json()`
//! (verification is inserted before the parse, which stays: since stripe 15 a verified
//! `stripe.Event` is no longer a `dict`, and handlers calling `.get()` on it would break),
//! `event = stripe.Event.construct_from(...)` (replaced by the verified event), and
//! "verify only if a secret is set, else trust the body" (the trusting path is removed).

use std::path::Path;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::ast_util::{self, callee_name, child_suites, dotted_name, keyword, string_literal};
use crate::context::FileContext;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::imports;
use crate::source;
use crate::transforms::Transform;

pub struct ThisTransform;
pub static TRANSFORM: ThisTransform = ThisTransform;

const ID: &str = "verify-stripe-webhook";

/// The first stripe-python release exposing `stripe.SignatureVerificationError` at top level
/// (`stripe.error` was deprecated then and is gone in 14.x).
const TOP_LEVEL_ERROR_SINCE: (u64, u64, u64) = (7, 8, 0);

impl Transform for ThisTransform {
    fn id(&self) -> &'static str {
        ID
    }

    /// Tests post fixtures and stub the SDK; they never receive Stripe's requests.
    fn skips_test_files(&self) -> bool {
        true
    }

    fn triggers(&self) -> &'static [&'static str] {
        &["stripe"]
    }

    fn check(&self, ctx: &FileContext) -> Vec<Finding> {
        let mut functions = Vec::new();
        collect_functions(&ctx.module().body, &mut functions);
        let vendored = is_vendored_sdk(ctx);
        let mut findings = Vec::new();
        for function in functions {
            for finding in check_function(ctx, function) {
                if vendored {
                    findings.push(Finding::declined(
                        ID,
                        finding.range,
                        "this file looks like a vendored copy of the stripe SDK; remedy does not edit it",
                    ));
                } else {
                    findings.push(finding);
                }
            }
        }
        findings
    }
}

fn collect_functions<'a>(suite: &'a [Stmt], out: &mut Vec<&'a ast::StmtFunctionDef>) {
    for stmt in suite {
        if let Stmt::FunctionDef(f) = stmt {
            out.push(f);
        }
        for child in child_suites(stmt) {
            collect_functions(child, out);
        }
    }
}

/// A path inside an installed or vendored stripe package, or a file defining the SDK's own
/// webhook helpers.
fn is_vendored_sdk(ctx: &FileContext) -> bool {
    let in_package = ctx.relative_path.components().any(|c| {
        let c = c.as_os_str();
        c == "stripe" || c == "site-packages"
    });
    let defines_sdk = ctx.module().body.iter().any(|s| match s {
        Stmt::ClassDef(c) => matches!(c.name.as_str(), "Webhook" | "WebhookSignature"),
        _ => false,
    });
    in_package || defines_sdk
}

// ---------------------------------------------------------------------------------------------
// Walking one function

/// A statement with the suite it sits in (nested functions and classes are not entered).
#[derive(Clone, Copy)]
struct Placed<'a> {
    stmt: &'a Stmt,
    suite: &'a [Stmt],
}

fn walk_suite<'a>(suite: &'a [Stmt], out: &mut Vec<Placed<'a>>) {
    for stmt in suite {
        out.push(Placed { stmt, suite });
        if matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            continue;
        }
        for child in child_suites(stmt) {
            walk_suite(child, out);
        }
    }
}

/// Every expression in `suite` (nested function and class bodies excluded), in source order.
fn exprs_in(suite: &[Stmt]) -> Vec<&Expr> {
    struct Collect<'a> {
        out: Vec<&'a Expr>,
    }
    impl<'a> Visitor<'a> for Collect<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                return;
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            self.out.push(expr);
            visitor::walk_expr(self, expr);
        }
    }
    let mut c = Collect { out: Vec::new() };
    c.visit_body(suite);
    c.out
}

fn calls_named<'a>(suite: &'a [Stmt], name: &str) -> Vec<&'a ast::ExprCall> {
    exprs_in(suite)
        .into_iter()
        .filter_map(|e| match e {
            Expr::Call(c) if callee_name(c) == Some(name) => Some(c),
            _ => None,
        })
        .collect()
}

/// Where the unverified event comes from.
enum Source<'a> {
    /// `json.loads(arg)`: the raw body expression handed to it.
    JsonLoads(&'a Expr),
    /// Flask `request.get_json()` / `request.json`: the request object's name.
    FlaskJson(String),
    /// Starlette `await request.json()`: the request object's name.
    StarletteJson(String),
    /// `stripe.Event.construct_from(data, key)`: the data argument.
    ConstructFrom(&'a Expr),
}

impl Source<'_> {
    fn yields_dict(&self) -> bool {
        !matches!(self, Source::ConstructFrom(_))
    }
}

struct Candidate<'a> {
    placed: Placed<'a>,
    target: String,
    /// The annotation of `event: <annotation> = <parse>`.
    annotation: Option<String>,
    source: Source<'a>,
}

fn classify_source<'a>(ctx: &FileContext, value: &'a Expr) -> Option<Source<'a>> {
    let b = ctx.bindings;
    match value {
        Expr::Call(call) => {
            let qualified = b.qualified_name(&call.func);
            if qualified.as_deref() == Some("json.loads") {
                return call.arguments.args.first().map(Source::JsonLoads);
            }
            let dotted = dotted_name(&call.func).unwrap_or_default();
            if qualified.as_deref() == Some("stripe.Event.construct_from")
                || dotted.ends_with("Event.construct_from")
            {
                let data = call
                    .arguments
                    .args
                    .first()
                    .or_else(|| keyword(call, "values").map(|k| &k.value))?;
                return Some(Source::ConstructFrom(data));
            }
            // Flask's request only: `response.get_json()` of a test client parses a response.
            if let Expr::Attribute(attr) = call.func.as_ref()
                && attr.attr.as_str() == "get_json"
                && b.qualified_name(&attr.value).as_deref() == Some("flask.request")
            {
                return request_name(&attr.value).map(Source::FlaskJson);
            }
            None
        }
        Expr::Attribute(attr) if attr.attr.as_str() == "json" => {
            let name = request_name(&attr.value)?;
            let is_flask = matches!(attr.value.as_ref(), Expr::Name(n)
                if b.qualified_name(&Expr::Name(n.clone())).as_deref() == Some("flask.request"));
            is_flask.then_some(Source::FlaskJson(name))
        }
        Expr::Await(a) => match a.value.as_ref() {
            Expr::Call(call) if call.arguments.is_empty() => match call.func.as_ref() {
                Expr::Attribute(attr) if attr.attr.as_str() == "json" => {
                    request_name(&attr.value).map(Source::StarletteJson)
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn request_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Name(n) => Some(n.id.to_string()),
        _ => None,
    }
}

fn candidates<'a>(ctx: &FileContext, function: &'a ast::StmtFunctionDef) -> Vec<Candidate<'a>> {
    let mut placed = Vec::new();
    walk_suite(&function.body, &mut placed);
    placed
        .into_iter()
        .filter_map(|p| {
            // `event = <parse>` or `event: dict = <parse>`.
            let (target, value, annotation) = match p.stmt {
                Stmt::Assign(assign) => match assign.targets.as_slice() {
                    [Expr::Name(target)] => (target, assign.value.as_ref(), None),
                    _ => return None,
                },
                Stmt::AnnAssign(assign) => match (assign.target.as_ref(), &assign.value) {
                    (Expr::Name(target), Some(value)) => (
                        target,
                        value.as_ref(),
                        Some(ctx.slice(assign.annotation.range()).to_string()),
                    ),
                    _ => return None,
                },
                _ => return None,
            };
            let source = classify_source(ctx, value)?;
            // `await resp.json()` of an HTTP client response is not the request body.
            if let Source::StarletteJson(req) = &source
                && !function.parameters.iter().any(|p| p.name().as_str() == req)
            {
                return None;
            }
            Some(Candidate {
                placed: p,
                target: target.id.to_string(),
                annotation,
                source,
            })
        })
        .collect()
}

/// True when the function reads `name["type"]`, `name.get("type")` or `name.type`.
fn reads_event_type(function: &ast::StmtFunctionDef, name: &str) -> bool {
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    exprs_in(&function.body).into_iter().any(|e| match e {
        Expr::Subscript(s) => {
            is_name(&s.value) && string_literal(&s.slice).as_deref() == Some("type")
        }
        Expr::Attribute(a) => is_name(&a.value) && a.attr.as_str() == "type",
        Expr::Call(c) => match c.func.as_ref() {
            Expr::Attribute(a) if a.attr.as_str() == "get" && is_name(&a.value) => {
                c.arguments.args.first().and_then(string_literal).as_deref() == Some("type")
            }
            _ => false,
        },
        _ => false,
    })
}

/// Route decorators or the function name mention a webhook.
fn looks_like_webhook_route(ctx: &FileContext, function: &ast::StmtFunctionDef) -> bool {
    function.name.as_str().to_lowercase().contains("webhook")
        || function
            .decorator_list
            .iter()
            .any(|d| ctx.slice(d.range()).to_lowercase().contains("webhook"))
}

fn check_function(ctx: &FileContext, function: &ast::StmtFunctionDef) -> Vec<Finding> {
    let text = ctx.slice(function.range()).to_lowercase();
    if !text.contains("stripe") {
        return Vec::new();
    }
    let commented = commented_verification(ctx, function);
    let found = candidates(ctx, function);
    let mut findings = Vec::new();
    for candidate in &found {
        let handles_events = matches!(candidate.source, Source::ConstructFrom(_))
            || commented.is_some()
            || reads_event_type(function, &candidate.target)
            || looks_like_webhook_route(ctx, function);
        if !handles_events {
            continue;
        }
        if let Some(finding) = check_candidate(ctx, function, candidate, commented.as_ref()) {
            findings.push(finding);
        }
    }
    // Several unverified parses in one handler (one per branch, or a fallback inside a
    // fallback): which one carries the webhook is a judgement call, and fixing each on its own
    // stacks verifications. Report them all, fix none.
    if findings.len() > 1 && findings.iter().any(|f| f.fix.is_some()) {
        let count = findings.len();
        for finding in &mut findings {
            if finding.fix.take().is_some() {
                finding.message = format!(
                    "{}; not fixed: the handler builds the event in {count} places, so remedy \
                     cannot tell which one to verify",
                    finding.message
                );
            }
        }
    }
    if found.is_empty()
        && let Some(finding) = parsed_body_only(ctx, function)
    {
        findings.push(finding);
    }
    findings
}

const MESSAGE: &str = "Stripe webhook event is built from the request body without verifying the \
`Stripe-Signature` header: anyone can POST a forged event (CRIT-Q1)";

/// The finding for a handler that verifies only when a secret is configured: the fix that makes
/// verification unconditional, or the decline (`when`: where the event goes unverified).
fn unverified_without_secret(range: TextRange, fix: Result<Fix, String>, when: &str) -> Finding {
    match fix {
        Ok(fix) => Finding::new(
            ID,
            range,
            format!("{MESSAGE} when no webhook secret is configured"),
            Some(fix),
        ),
        Err(why) => Finding::declined(ID, range, format!("{MESSAGE} {when}; not fixed: {why}")),
    }
}

fn check_candidate(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    candidate: &Candidate,
    commented: Option<&Commented>,
) -> Option<Finding> {
    let stmt = candidate.placed.stmt;
    let range = stmt.range();
    // "Verify if a secret is set, else trust the body."
    if let Some(result) = trust_branch_fix(ctx, function, candidate) {
        return Some(unverified_without_secret(
            range,
            result,
            "on one branch of the handler",
        ));
    }
    // `construct_event` already runs before the event is built: nothing to do when it rejects
    // forgeries; reported when its failure is ignored or it runs only sometimes.
    match verification_before(ctx, function, stmt) {
        Some(Ok(())) => return None,
        Some(Err(reason)) => {
            if let Some(result) = conditional_verification_fix(ctx, function, candidate) {
                return Some(unverified_without_secret(
                    range,
                    result,
                    "unless `construct_event` runs",
                ));
            }
            return Some(Finding::declined(
                ID,
                range,
                format!(
                    "{MESSAGE}: `construct_event` is called before, but {reason}, so the event is \
                     built whether or not the signature checks out; not fixed: make a failed \
                     verification answer 400 by hand"
                ),
            ));
        }
        None => {}
    }
    if custom_verification(ctx, function) {
        return Some(Finding::declined(
            ID,
            range,
            "Stripe webhook event is parsed without `stripe.Webhook.construct_event`; the handler \
             seems to check the signature itself (HMAC / verify_header), so remedy leaves it to a human",
        ));
    }
    if let Source::ConstructFrom(data) = &candidate.source
        && let Some(param) = dict_parameter(ctx, function, data)
    {
        return Some(Finding::declined(ID, range, parsed_body_reason(&param)));
    }
    Some(match build_fix(ctx, function, candidate, commented) {
        Ok(fix) => Finding::new(ID, range, MESSAGE, Some(fix)),
        Err(reason) => Finding::declined(ID, range, format!("{MESSAGE}; not fixed: {reason}")),
    })
}

/// The statements of `suite` containing `range`, outermost first (nested function and class
/// bodies are not entered).
fn enclosing<'a>(suite: &'a [Stmt], range: TextRange, out: &mut Vec<&'a Stmt>) {
    for stmt in suite {
        if stmt.range().contains_range(range) {
            out.push(stmt);
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                for child in child_suites(stmt) {
                    enclosing(child, range, out);
                }
            }
            return;
        }
    }
}

/// True when a suite never falls through: a top-level `return`/`raise` or `abort()`/`sys.exit()`.
fn leaves(suite: &[Stmt]) -> bool {
    suite.iter().any(|s| match s {
        Stmt::Return(_) | Stmt::Raise(_) => true,
        Stmt::Expr(e) => matches!(e.value.as_ref(), Expr::Call(c)
        if dotted_name(&c.func).is_some_and(|n| matches!(
            n.rsplit('.').next().unwrap_or_default(),
            "abort" | "exit" | "_exit" | "quit"
        ))),
        _ => false,
    })
}

/// Whether an `except` clause of this type catches a failed verification (`ValueError`,
/// `SignatureVerificationError`, a stripe error base, `Exception`, or everything).
fn catches_verification_error(type_: Option<&Expr>) -> bool {
    match type_ {
        None => true,
        Some(Expr::Tuple(t)) => t.elts.iter().any(|e| catches_verification_error(Some(e))),
        Some(e) => dotted_name(e).is_some_and(|n| {
            matches!(
                n.rsplit('.').next().unwrap_or_default(),
                "Exception"
                    | "BaseException"
                    | "ValueError"
                    | "SignatureVerificationError"
                    | "StripeError"
            )
        }),
    }
}

/// Whether the `construct_event` call at `call` stops the handler before `stmt` when the
/// signature is wrong: it is not inside an `if`, loop or `match` that `stmt` is outside of,
/// and no `except` around it (that `stmt` is outside of) swallows the failure. `skip` is a
/// statement not to judge (an `if` about to be unwrapped).
fn verification_effective(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    call: TextRange,
    stmt: &Stmt,
    skip: Option<&Stmt>,
) -> Result<(), String> {
    let mut chain = Vec::new();
    enclosing(&function.body, call, &mut chain);
    for outer in chain {
        if outer.range().contains_range(stmt.range())
            || skip.is_some_and(|s| std::ptr::eq(s, outer))
        {
            continue;
        }
        let line = |at: TextSize| ctx.lines.position(at).line;
        match outer {
            Stmt::Try(t) if t.body.iter().any(|s| s.range().contains_range(call)) => {
                for handler in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    if catches_verification_error(h.type_.as_deref()) && !leaves(&h.body) {
                        return Err(format!(
                            "its failure is caught and ignored (the `except` on line {})",
                            line(h.start())
                        ));
                    }
                }
            }
            Stmt::If(i) if i.body.iter().any(|s| s.range().contains_range(call)) => {
                return Err(format!(
                    "it only runs under `if {}:`",
                    ctx.slice(i.test.range())
                ));
            }
            Stmt::If(i) => {
                return Err(format!(
                    "it only runs on one branch of the `if` on line {}",
                    line(i.start())
                ));
            }
            Stmt::For(_) | Stmt::While(_) => return Err("it runs inside a loop".to_string()),
            Stmt::Match(_) => return Err("it only runs in one `case`".to_string()),
            _ => {}
        }
    }
    Ok(())
}

/// Whether `construct_event` runs before `stmt`: None when it is never called before it,
/// Ok when one call rejects forgeries before `stmt`, else why none does.
fn verification_before(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    stmt: &Stmt,
) -> Option<Result<(), String>> {
    let mut reason = None;
    for call in calls_named(&function.body, "construct_event") {
        if call.start() >= stmt.start() {
            continue;
        }
        match verification_effective(ctx, function, call.range(), stmt, None) {
            Ok(()) => return Some(Ok(())),
            Err(why) => {
                reason.get_or_insert(why);
            }
        }
    }
    reason.map(Err)
}

/// "Verify if a secret is set" before the parse: `if secret: <construct_event ...>` (no
/// `else`) earlier in the candidate's suite, whose verification works when it runs. The fix
/// unwraps that `if`, so verification always runs; the handler's own parse stays.
fn conditional_verification_fix(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    candidate: &Candidate,
) -> Option<Result<Fix, String>> {
    let stmt = candidate.placed.stmt;
    let suite = candidate.placed.suite;
    let index = suite.iter().position(|s| std::ptr::eq(s, stmt))?;
    let verify_if = suite[..index].iter().rev().find_map(|s| match s {
        Stmt::If(i) if i.elif_else_clauses.is_empty() && contains_construct_event(&i.body) => {
            Some((s, i))
        }
        _ => None,
    });
    let (if_stmt, verify_if) = verify_if?;
    let works = calls_named(&verify_if.body, "construct_event")
        .iter()
        .any(|c| verification_effective(ctx, function, c.range(), stmt, Some(if_stmt)).is_ok());
    if !works {
        return None;
    }
    let result = (|| {
        trust_branch_shape(ctx, &verify_if.test, &verify_if.body, &candidate.target)?;
        let edits = unwrap_branch(ctx, if_stmt, verify_if.start(), &verify_if.body)?;
        Ok(Fix::unsafe_(
            "remove the `if` that skips verification when no secret is configured; always verify the signature",
            edits,
        ))
    })();
    Some(result)
}

fn custom_verification(ctx: &FileContext, function: &ast::StmtFunctionDef) -> bool {
    exprs_in(&function.body).into_iter().any(|e| match e {
        Expr::Call(c) => {
            let q = ctx.bindings.qualified_name(&c.func).unwrap_or_default();
            matches!(
                q.as_str(),
                "hmac.compare_digest" | "hmac.new" | "secrets.compare_digest"
            ) || callee_name(c) == Some("verify_header")
        }
        _ => false,
    })
}

// ---------------------------------------------------------------------------------------------
// Already-parsed bodies

fn is_dict_annotation(expr: &Expr) -> bool {
    match expr {
        Expr::Name(n) => matches!(n.id.as_str(), "dict" | "Dict"),
        Expr::Attribute(a) => matches!(a.attr.as_str(), "Dict"),
        Expr::Subscript(s) => is_dict_annotation(&s.value),
        _ => false,
    }
}

/// The name of a `dict`-annotated parameter that `data` is (or is bound to).
fn dict_parameter(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    data: &Expr,
) -> Option<String> {
    let Expr::Name(n) = data else { return None };
    function
        .parameters
        .iter()
        .find(|p| {
            p.name().as_str() == n.id.as_str() && p.annotation().is_some_and(is_dict_annotation)
        })
        .filter(|_| {
            ctx.bindings
                .resolve(&n.id, n.start())
                .iter()
                .all(|b| b.kind == crate::bindings::BindingKind::Parameter)
        })
        .map(|p| p.name().to_string())
}

fn parsed_body_reason(param: &str) -> String {
    format!(
        "Stripe webhook handler receives an already-parsed body (`{param}: dict`), so the raw bytes \
         the signature covers are gone and nothing can be verified (CRIT-Q1); not fixed: take \
         `request: Request`, read `await request.body()` and pass it to `stripe.Webhook.construct_event`"
    )
}

/// A handler whose only event source is a `dict` parameter read as a Stripe event.
fn parsed_body_only(ctx: &FileContext, function: &ast::StmtFunctionDef) -> Option<Finding> {
    if !calls_named(&function.body, "construct_event").is_empty() {
        return None;
    }
    let param = function.parameters.iter().find(|p| {
        p.annotation().is_some_and(is_dict_annotation)
            && (reads_event_type(function, p.name().as_str())
                || looks_like_webhook_route(ctx, function))
    })?;
    Some(Finding::declined(
        ID,
        param.range(),
        parsed_body_reason(param.name().as_str()),
    ))
}

// ---------------------------------------------------------------------------------------------
// Commented-out verification code

/// A commented-out verification snippet that parses as Python.
struct Commented {
    /// The full lines holding the snippet, to delete.
    lines: TextRange,
    /// `name = expr` assignments in the snippet (value as source text).
    assignments: Vec<(String, String)>,
    payload: Option<String>,
    sig_header: Option<String>,
    secret: Option<String>,
}

fn commented_verification(ctx: &FileContext, function: &ast::StmtFunctionDef) -> Option<Commented> {
    let text = ctx.source;
    // Runs of whole-line comments on consecutive lines.
    let mut runs: Vec<Vec<TextRange>> = Vec::new();
    for &c in ctx.comment_ranges() {
        if !function.range().contains_range(c) || !source::is_first_on_line(text, c.start()) {
            continue;
        }
        match runs.last_mut() {
            Some(run)
                if source::full_line_end(text, run.last().unwrap().start())
                    == source::line_start(text, c.start()) =>
            {
                run.push(c)
            }
            _ => runs.push(vec![c]),
        }
    }
    for run in runs {
        let lines: Vec<String> = run
            .iter()
            .map(|&c| {
                let body = &ctx.slice(c)[1..];
                body.strip_prefix(' ').unwrap_or(body).to_string()
            })
            .collect();
        let Some(key) = lines.iter().position(|l| l.contains("construct_event")) else {
            continue;
        };
        // The largest window around the call that parses as code.
        let n = lines.len();
        let mut best: Option<(usize, usize, ast::ModModule)> = None;
        'search: for len in (1..=n).rev() {
            for start in 0..=n - len {
                let end = start + len;
                if !(start..end).contains(&key) {
                    continue;
                }
                let snippet = dedent(&lines[start..end]);
                let Ok(parsed) = ruff_python_parser::parse_module(&snippet) else {
                    continue;
                };
                let module = parsed.into_syntax();
                if module.body.iter().all(is_code_statement) {
                    best = Some((start, end, module));
                    break 'search;
                }
            }
        }
        let Some((start, end, module)) = best else {
            continue;
        };
        let snippet = dedent(&lines[start..end]);
        let mut out = Commented {
            lines: TextRange::new(
                source::line_start(text, run[start].start()),
                source::full_line_end(text, run[end - 1].start()),
            ),
            assignments: Vec::new(),
            payload: None,
            sig_header: None,
            secret: None,
        };
        let exprs = exprs_in(&module.body);
        let Some(call) = exprs.iter().find_map(|e| match e {
            Expr::Call(c) if callee_name(c) == Some("construct_event") => Some(c),
            _ => None,
        }) else {
            continue;
        };
        let arg = |index: usize, name: &str| {
            call.arguments
                .args
                .get(index)
                .or_else(|| keyword(call, name).map(|k| &k.value))
                .map(|e| snippet[e.range()].to_string())
        };
        out.payload = arg(0, "payload");
        out.sig_header = arg(1, "sig_header");
        out.secret = arg(2, "secret");
        let mut placed = Vec::new();
        walk_suite(&module.body, &mut placed);
        for p in placed {
            if let Stmt::Assign(a) = p.stmt
                && let [Expr::Name(t)] = a.targets.as_slice()
            {
                out.assignments
                    .push((t.id.to_string(), snippet[a.value.range()].to_string()));
            }
        }
        return Some(out);
    }
    None
}

fn is_code_statement(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Expr(e) => matches!(e.value.as_ref(), Expr::Call(_) | Expr::Await(_)),
        Stmt::Assign(_)
        | Stmt::AnnAssign(_)
        | Stmt::Try(_)
        | Stmt::If(_)
        | Stmt::Return(_)
        | Stmt::Raise(_) => true,
        _ => false,
    }
}

fn dedent(lines: &[String]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for l in lines {
        out.push_str(l.get(indent..).unwrap_or(""));
        out.push('\n');
    }
    out
}

/// The names an expression (given as source text) loads; None if it does not parse.
fn loaded_names(text: &str) -> Option<Vec<String>> {
    let parsed = ruff_python_parser::parse_expression(text).ok()?;
    let expr = parsed.into_expr();
    let mut names = Vec::new();
    let wrapper = [Stmt::Expr(ast::StmtExpr {
        node_index: Default::default(),
        range: expr.range(),
        value: Box::new(expr),
    })];
    for e in exprs_in(&wrapper) {
        if let Expr::Name(n) = e {
            names.push(n.id.to_string());
        }
    }
    Some(names)
}

/// True when `name` refers at `at` to something bound before it: an outer-scope binding, or a
/// local one made earlier in the function.
fn bound_before(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    name: &str,
    at: TextSize,
) -> bool {
    ctx.bindings
        .resolve(name, at)
        .iter()
        .any(|b| !function.range().contains_range(b.range) || b.range.start() < at)
}

/// The snippet expression `text` made usable at `at`: names bound in the snippet itself are
/// replaced by their assigned value (one level), and every remaining name must be bound.
fn usable_expression(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    commented: &Commented,
    text: &str,
    at: TextSize,
) -> Option<String> {
    let text = text.trim();
    let substituted = match commented.assignments.iter().find(|(n, _)| n == text) {
        Some((_, value)) if !bound_before(ctx, function, text, at) => value.clone(),
        _ => text.to_string(),
    };
    let names = loaded_names(&substituted)?;
    names
        .iter()
        .all(|n| bound_before(ctx, function, n, at))
        .then_some(substituted)
}

// ---------------------------------------------------------------------------------------------
// Frameworks

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Framework {
    Starlette,
    Flask,
    Django,
}

fn framework(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    candidate: &Candidate,
) -> Option<Framework> {
    let b = ctx.bindings;
    let has = |m: &str| b.imports_of(m).next().is_some();
    // A request parameter annotated with a class of another framework (`aiohttp.web.Request`).
    let foreign_request = function.parameters.iter().any(|p| {
        p.annotation()
            .and_then(|a| b.qualified_name(a))
            .is_some_and(|q| {
                q.ends_with("Request")
                    && !["fastapi.", "starlette.", "django."]
                        .iter()
                        .any(|f| q.starts_with(f))
            })
    });
    match &candidate.source {
        Source::FlaskJson(_) => return Some(Framework::Flask),
        // `await request.json()` (the handler's parameter: see `candidates`) is Starlette's only
        // in a FastAPI or Starlette module (aiohttp requests have `.json()` too).
        Source::StarletteJson(_) => {
            let starlette = (has("fastapi") || has("starlette")) && !has("aiohttp");
            return (starlette && !foreign_request).then_some(Framework::Starlette);
        }
        _ => {}
    }
    if foreign_request {
        return None;
    }
    let uses_flask_request = b
        .bindings
        .iter()
        .any(|x| x.qualified_name().as_deref() == Some("flask.request"));
    let starlette = has("fastapi") || has("starlette");
    let flask = has("flask");
    let django = has("django");
    let request_param = function
        .parameters
        .iter()
        .find(|p| matches!(p.name().as_str(), "request" | "req"));
    match (starlette, flask, django) {
        (true, false, false) => Some(Framework::Starlette),
        (false, true, false) if uses_flask_request || request_param.is_none() => {
            Some(Framework::Flask)
        }
        (false, false, true) if request_param.is_some() => Some(Framework::Django),
        _ => None,
    }
}

/// The handler's request object: a `request`/`req` parameter (FastAPI, Django) or the name bound
/// to `flask.request`.
fn request_object(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    fw: Framework,
    at: TextSize,
) -> Option<String> {
    if fw == Framework::Flask {
        return ctx
            .bindings
            .bindings
            .iter()
            .filter(|b| b.qualified_name().as_deref() == Some("flask.request"))
            .find(|b| {
                ctx.bindings
                    .resolve_unique(&b.name, at)
                    .is_some_and(|r| r.range == b.range)
            })
            .map(|b| b.name.clone());
    }
    let annotated_request = function.parameters.iter().find(|p| {
        p.annotation().is_some_and(|a| {
            let q = ctx.bindings.qualified_name(a).unwrap_or_default();
            q.ends_with(".Request") || q.ends_with(".HttpRequest")
        })
    });
    annotated_request
        .or_else(|| {
            function
                .parameters
                .iter()
                .find(|p| matches!(p.name().as_str(), "request" | "req"))
        })
        .map(|p| p.name().to_string())
}

/// An expression reading the raw request body: `await request.body()`, `request.get_data(...)`,
/// `request.data`, `request.body`.
fn is_raw_body_read(expr: &Expr) -> bool {
    let expr = match expr {
        Expr::Await(a) => a.value.as_ref(),
        e => e,
    };
    match expr {
        Expr::Attribute(a) => {
            matches!(a.attr.as_str(), "body" | "data") && matches!(a.value.as_ref(), Expr::Name(_))
        }
        Expr::Call(c) => match c.func.as_ref() {
            Expr::Attribute(a) => {
                matches!(a.attr.as_str(), "body" | "get_data" | "read")
                    && matches!(a.value.as_ref(), Expr::Name(_))
            }
            _ => false,
        },
        _ => false,
    }
}

/// The name of the object a raw body read reads from (`request` in `await request.body()`).
fn body_read_object(expr: &Expr) -> Option<&str> {
    let expr = match expr {
        Expr::Await(a) => a.value.as_ref(),
        e => e,
    };
    let attribute = match expr {
        Expr::Attribute(a) => a,
        Expr::Call(c) => match c.func.as_ref() {
            Expr::Attribute(a) => a,
            _ => return None,
        },
        _ => return None,
    };
    match attribute.value.as_ref() {
        Expr::Name(n) => Some(n.id.as_str()),
        _ => None,
    }
}

/// A body read that returns the bytes only once (Django/WSGI `request.read()`, Flask
/// `request.get_data(cache=False)`), possibly under `.decode()`.
fn one_shot_read(expr: &Expr) -> Option<&Expr> {
    let expr = match expr {
        Expr::Call(c) if callee_name(c) == Some("decode") => match c.func.as_ref() {
            Expr::Attribute(a) => a.value.as_ref(),
            _ => expr,
        },
        e => e,
    };
    let Expr::Call(c) = expr else { return None };
    let Expr::Attribute(a) = c.func.as_ref() else {
        return None;
    };
    let uncached = || {
        keyword(c, "cache").is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if !b.value))
    };
    let once = match a.attr.as_str() {
        "read" => true,
        "get_data" => uncached(),
        _ => false,
    };
    (once && is_raw_body_read(expr)).then_some(expr)
}

/// A Flask function that is a request handler: it reads the request object itself or carries
/// a route decorator. Other functions (a helper the route calls after verifying, a task) may
/// run outside a request, where reading `request` raises.
fn is_flask_handler(ctx: &FileContext, function: &ast::StmtFunctionDef, request: &str) -> bool {
    let reads_request = ctx
        .bindings
        .references
        .iter()
        .any(|r| r.name.as_str() == request && function.range().contains_range(r.range));
    let routed = function.decorator_list.iter().any(|d| {
        let text = ctx.slice(d.expression.range());
        [".route(", ".post(", ".put(", ".patch(", ".api_route("]
            .iter()
            .any(|p| text.contains(p))
    });
    reads_request || routed
}

/// The value assigned to local `name` before `at` in the function, when there is exactly one.
fn local_value<'a>(
    function: &'a ast::StmtFunctionDef,
    name: &str,
    at: TextSize,
) -> Option<&'a Expr> {
    let mut placed = Vec::new();
    walk_suite(&function.body, &mut placed);
    let mut values = placed.iter().filter_map(|p| match p.stmt {
        Stmt::Assign(a) if a.start() < at => match a.targets.as_slice() {
            [Expr::Name(t)] if t.id.as_str() == name => Some(a.value.as_ref()),
            _ => None,
        },
        _ => None,
    });
    let first = values.next()?;
    values.next().is_none().then_some(first)
}

/// A resolved piece of the verification call: its text, and whether it was taken from the code
/// (true) or inferred by remedy (false).
struct Part {
    text: String,
    from_code: bool,
}

fn raw_body(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    candidate: &Candidate,
    commented: Option<&Commented>,
    fw: Framework,
    request: Option<&str>,
) -> Result<Part, String> {
    let at = candidate.placed.stmt.start();
    if let Some(c) = commented
        && let Some(payload) = c
            .payload
            .as_deref()
            .and_then(|p| usable_expression(ctx, function, c, p, at))
    {
        return Ok(Part {
            text: payload,
            from_code: true,
        });
    }
    let from_expr = |expr: &Expr| -> Option<Part> {
        let expr = match expr {
            // `body.decode()` / `body.decode("utf-8")`: the bytes themselves.
            Expr::Call(c) if callee_name(c) == Some("decode") => match c.func.as_ref() {
                Expr::Attribute(a) => a.value.as_ref(),
                _ => expr,
            },
            e => e,
        };
        // A read of the handler's request, not of some other object's `.body`/`.data`.
        let reads_request = |e: &Expr| {
            is_raw_body_read(e) && request.is_none_or(|r| body_read_object(e) == Some(r))
        };
        if reads_request(expr) {
            return Some(Part {
                text: ctx.slice(expr.range()).to_string(),
                from_code: true,
            });
        }
        if let Expr::Name(n) = expr {
            if !bound_before(ctx, function, &n.id, at) {
                return None;
            }
            // A module-level constant (a fixture, a sample event) is no request body.
            let local = ctx
                .bindings
                .resolve(&n.id, at)
                .iter()
                .any(|b| function.range().contains_range(b.range));
            if !local {
                return None;
            }
            let value = local_value(function, &n.id, at);
            // A local holding something that does not come from the request (a form field, a
            // cache entry, a queue message): verifying it against the header would always fail.
            if let (Some(v), Some(r)) = (value, request)
                && !reads_request(v)
                && !mentions_identifier(ctx.slice(v.range()), r)
            {
                return None;
            }
            return Some(Part {
                text: n.id.to_string(),
                from_code: value.is_some_and(reads_request),
            });
        }
        None
    };
    let synthesized = |request: Option<&str>| -> Result<Part, String> {
        let request = request.ok_or("cannot find the handler's request object")?;
        let text = match fw {
            Framework::Starlette if function.is_async => format!("await {request}.body()"),
            Framework::Starlette => {
                return Err(
                    "the FastAPI handler is not async, so it cannot await the raw body".into(),
                );
            }
            Framework::Flask => format!("{request}.get_data()"),
            Framework::Django => format!("{request}.body"),
        };
        Ok(Part {
            text,
            from_code: false,
        })
    };
    match &candidate.source {
        Source::JsonLoads(arg) => {
            // The parse stays after the verification: a stream read in it would run twice
            // and the second read would get nothing.
            if let Some(read) = one_shot_read(arg) {
                return Err(format!(
                    "the body is read from a stream (`{}`), which cannot be read twice; read it \
                     into a variable, parse that, and re-run",
                    ctx.slice(read.range())
                ));
            }
            from_expr(arg)
                .ok_or_else(|| "cannot tell which raw request body was parsed".to_string())
        }
        Source::ConstructFrom(data) => {
            // `construct_from(json.loads(payload), key)` or a name bound to such a parse.
            let parsed = match data {
                Expr::Name(n) => local_value(function, &n.id, at).unwrap_or(data),
                e => e,
            };
            match parsed {
                Expr::Call(c)
                    if ctx.bindings.qualified_name(&c.func).as_deref() == Some("json.loads") =>
                {
                    c.arguments
                        .args
                        .first()
                        .and_then(from_expr)
                        .ok_or_else(|| "cannot tell which raw request body was parsed".to_string())
                }
                _ => synthesized(request),
            }
        }
        Source::FlaskJson(req) | Source::StarletteJson(req) => synthesized(Some(req.as_str())),
    }
}

fn is_signature_header_read(ctx: &FileContext, expr: &Expr) -> bool {
    let key = match expr {
        Expr::Call(c) if callee_name(c) == Some("get") => c.arguments.args.first(),
        Expr::Subscript(s) => Some(s.slice.as_ref()),
        _ => None,
    };
    let container = match expr {
        Expr::Call(c) => match c.func.as_ref() {
            Expr::Attribute(a) => Some(a.value.as_ref()),
            _ => None,
        },
        Expr::Subscript(s) => Some(s.value.as_ref()),
        _ => None,
    };
    let key = key.and_then(string_literal).map(|k| k.to_ascii_lowercase());
    let container = container.and_then(|c| match c {
        Expr::Attribute(a) => Some(a.attr.as_str()),
        _ => None,
    });
    let _ = ctx;
    matches!(
        (container, key.as_deref()),
        (Some("headers"), Some("stripe-signature")) | (Some("META"), Some("http_stripe_signature"))
    )
}

/// A FastAPI `Header(...)` default.
fn header_default<'a>(ctx: &FileContext, default: Option<&'a Expr>) -> Option<&'a ast::ExprCall> {
    match default? {
        Expr::Call(c) => {
            let q = ctx.bindings.qualified_name(&c.func).unwrap_or_default();
            matches!(q.as_str(), "fastapi.Header" | "fastapi.params.Header").then_some(c)
        }
        _ => None,
    }
}

fn signature_header(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    candidate: &Candidate,
    commented: Option<&Commented>,
    fw: Framework,
    request: Option<&str>,
    edits: &mut Vec<Edit>,
) -> Result<Part, String> {
    let at = candidate.placed.stmt.start();
    if let Some(c) = commented
        && let Some(sig) = c
            .sig_header
            .as_deref()
            .and_then(|s| usable_expression(ctx, function, c, s, at))
        && (ctx
            .bindings
            .resolve(&sig, at)
            .iter()
            .all(|b| b.kind != crate::bindings::BindingKind::Parameter)
            || header_param_maps(ctx, function, &sig))
    {
        return Ok(Part {
            text: sig,
            from_code: true,
        });
    }
    // A local variable already holding the header.
    let mut placed = Vec::new();
    walk_suite(&function.body, &mut placed);
    for p in &placed {
        if let Stmt::Assign(a) = p.stmt
            && let [Expr::Name(t)] = a.targets.as_slice()
            && a.start() < at
            && is_signature_header_read(ctx, &a.value)
        {
            return Ok(Part {
                text: t.id.to_string(),
                from_code: true,
            });
        }
    }
    // A FastAPI Header parameter.
    for p in function.parameters.iter() {
        let Some(call) = header_default(ctx, p.default()) else {
            continue;
        };
        let name = p.name().as_str();
        if header_param_maps(ctx, function, name) {
            return Ok(Part {
                text: name.to_string(),
                from_code: true,
            });
        }
        let looks_like_signature = name.to_lowercase().contains("sig");
        if looks_like_signature && keyword(call, "alias").is_none() {
            let insertion = match (call.arguments.args.last(), call.arguments.keywords.last()) {
                (None, None) => Edit::insertion(
                    "alias=\"Stripe-Signature\"",
                    call.arguments.end() - TextSize::from(1),
                ),
                _ => {
                    let last_end = call
                        .arguments
                        .args
                        .iter()
                        .map(Ranged::end)
                        .chain(call.arguments.keywords.iter().map(Ranged::end))
                        .max()
                        .unwrap();
                    Edit::insertion(", alias=\"Stripe-Signature\"", last_end)
                }
            };
            edits.push(insertion);
            return Ok(Part {
                text: name.to_string(),
                from_code: false,
            });
        }
    }
    let request = request
        .ok_or("cannot find the handler's request object to read the Stripe-Signature header")?;
    let text = match fw {
        Framework::Django => format!("{request}.META.get(\"HTTP_STRIPE_SIGNATURE\")"),
        _ => format!("{request}.headers.get(\"Stripe-Signature\")"),
    };
    Ok(Part {
        text,
        from_code: false,
    })
}

/// True when `name` is a FastAPI `Header` parameter that receives the `stripe-signature` header.
fn header_param_maps(ctx: &FileContext, function: &ast::StmtFunctionDef, name: &str) -> bool {
    function.parameters.iter().any(|p| {
        if p.name().as_str() != name {
            return false;
        }
        let Some(call) = header_default(ctx, p.default()) else {
            return false;
        };
        match keyword(call, "alias").and_then(|k| string_literal(&k.value)) {
            Some(alias) => alias.eq_ignore_ascii_case("stripe-signature"),
            // `convert_underscores=False` reads a header spelled with underscores.
            None => {
                let converts = keyword(call, "convert_underscores")
                    .is_none_or(|k| !matches!(&k.value, Expr::BooleanLiteral(b) if !b.value));
                converts
                    && name
                        .replace('_', "-")
                        .eq_ignore_ascii_case("stripe-signature")
            }
        }
    })
}

// ---------------------------------------------------------------------------------------------
// The webhook secret

const SECRET_ATTRIBUTES: &[&str] = &[
    "STRIPE_WEBHOOK_SECRET",
    "stripe_webhook_secret",
    "STRIPE_ENDPOINT_SECRET",
    "stripe_endpoint_secret",
    "STRIPE_WEBHOOK_SIGNING_SECRET",
    "stripe_webhook_signing_secret",
];

fn webhook_secret(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    at: TextSize,
    commented: Option<&Commented>,
    edits: &mut Vec<Edit>,
) -> Result<Part, String> {
    if let Some(c) = commented
        && let Some(secret) = c
            .secret
            .as_deref()
            .and_then(|s| usable_expression(ctx, function, c, s, at))
    {
        return Ok(Part {
            text: secret,
            from_code: true,
        });
    }
    // A variable of this file named like a webhook secret.
    let mut names: Vec<&str> = ctx
        .bindings
        .bindings
        .iter()
        .filter(|b| {
            !b.is_import()
                || b.qualified_name()
                    .is_some_and(|q| q.to_lowercase().contains("webhook_secret"))
        })
        .map(|b| b.name.as_str())
        .filter(|n| {
            let l = n.to_lowercase();
            l.ends_with("webhook_secret")
                || l.ends_with("endpoint_secret")
                || l.ends_with("signing_secret")
        })
        .collect();
    names.sort();
    names.dedup();
    for name in names {
        if bound_before(ctx, function, name, at) {
            return Ok(Part {
                text: name.to_string(),
                from_code: false,
            });
        }
    }
    // A settings attribute defined somewhere in the project (or in this file).
    if bound_before(ctx, function, "settings", at) {
        for attr in SECRET_ATTRIBUTES {
            if defines_attribute(ctx.source, attr)
                || ctx
                    .project
                    .python_files_containing(attr)
                    .iter()
                    .any(|f| defines_attribute(&f.text, attr))
            {
                return Ok(Part {
                    text: format!("settings.{attr}"),
                    from_code: false,
                });
            }
        }
    }
    // An environment variable the project already reads.
    for var in [
        "STRIPE_WEBHOOK_SECRET",
        "STRIPE_ENDPOINT_SECRET",
        "STRIPE_WEBHOOK_SIGNING_SECRET",
    ] {
        let quoted = [format!("\"{var}\""), format!("'{var}'")];
        let in_code = quoted.iter().any(|q| {
            ctx.source.contains(q.as_str()) || !ctx.project.python_files_containing(q).is_empty()
        });
        let in_env_example = [".env.example", ".env.sample", ".env.template"]
            .iter()
            .any(|f| {
                ctx.project.read_text(Path::new(f)).is_some_and(|t| {
                    t.lines()
                        .any(|l| l.trim_start().starts_with(&format!("{var}=")))
                })
            });
        if in_code || in_env_example {
            let (os, edit) = imports::import_module(ctx, "os", at)
                .map_err(|e| format!("cannot import os: {e:?}"))?;
            edits.extend(edit);
            return Ok(Part {
                text: format!("{os}.environ[\"{var}\"]"),
                from_code: false,
            });
        }
    }
    Err(
        "no webhook signing secret found in the commented-out code, this file or the project \
         (e.g. settings.STRIPE_WEBHOOK_SECRET or the STRIPE_WEBHOOK_SECRET environment variable); \
         define one and re-run"
            .to_string(),
    )
}

/// `NAME = ...` or `NAME: type ...` at the start of a line (a module or class attribute).
fn defines_attribute(text: &str, attr: &str) -> bool {
    text.lines().any(|line| {
        let t = line.trim_start();
        t.strip_prefix(attr).is_some_and(|rest| {
            matches!(rest.trim_start().chars().next(), Some('=' | ':'))
                && !rest.trim_start().starts_with("==")
        })
    })
}

// ---------------------------------------------------------------------------------------------
// The stripe version

/// Whether the project's stripe pin predates `stripe.SignatureVerificationError` (Some(true)),
/// allows it (Some(false)), or cannot be read (None). pip installs the newest version a spec
/// allows, so only the upper bound matters.
fn stripe_pin_is_old(ctx: &FileContext) -> Option<bool> {
    let mut dirs: Vec<&Path> = ctx.relative_path.ancestors().skip(1).collect();
    if dirs.is_empty() {
        dirs.push(Path::new(""));
    }
    for dir in dirs {
        for name in [
            "requirements.txt",
            "requirements-prod.txt",
            "requirements/base.txt",
            "requirements/prod.txt",
            "requirements/production.txt",
            "pyproject.toml",
            "Pipfile",
            "setup.py",
        ] {
            let Some(text) = ctx.project.read_text(&dir.join(name)) else {
                continue;
            };
            if let Some(old) = pin_in(&text) {
                return Some(old);
            }
        }
    }
    None
}

fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .split('.');
    let mut next = || {
        parts.next().map(|p| {
            p.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
    };
    let major = next()?.parse().ok()?;
    let minor = next().and_then(|m| m.parse().ok()).unwrap_or(0);
    let patch = next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor, patch))
}

/// Reads the first stripe requirement in a requirements/pyproject/Pipfile/setup.py text.
fn pin_in(text: &str) -> Option<bool> {
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let lower = line.to_lowercase();
        let Some(pos) = lower.find("stripe") else {
            continue;
        };
        let before = lower[..pos].trim_end();
        if !(before.is_empty() || before.ends_with(['"', '\'', ',', '['])) {
            continue;
        }
        let mut rest = &line[pos + "stripe".len()..];
        if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        {
            continue; // stripe-mock, stripe_x, ...
        }
        if rest.starts_with('[') {
            rest = rest.split_once(']').map_or("", |(_, r)| r); // extras
        }
        let rest = rest.trim_start_matches(['"', '\'']).trim_start();
        let spec: String = if rest.starts_with('=') && !rest.starts_with("==") {
            // poetry / Pipfile: `stripe = "^5.4"`, `stripe = {version = "^5.4"}`.
            let value = &rest[1..];
            let value = value.split_once("version").map_or(value, |(_, v)| v);
            let quoted = value.split(['"', '\'']).nth(1).unwrap_or("");
            quoted.to_string()
        } else {
            rest.chars()
                .take_while(|&c| !matches!(c, '"' | '\'' | ';' | '}'))
                .collect()
        };
        let mut old: Option<bool> = None;
        for clause in spec.split(',') {
            let clause = clause.trim();
            let (op, version) = ["==", ">=", "<=", "~=", "!=", "<", ">", "^", "~"]
                .iter()
                .find_map(|op| clause.strip_prefix(op).map(|v| (*op, v.trim())))
                .unwrap_or(("==", clause));
            let Some(v) = parse_version(version) else {
                continue;
            };
            let dots = version.matches('.').count();
            // The exclusive upper bound a clause sets, if any.
            let upper = match op {
                "==" | "<=" => Some((v.0, v.1, v.2 + 1)),
                "<" => Some(v),
                "~=" if dots >= 2 => Some((v.0, v.1 + 1, 0)),
                "~=" => Some((v.0 + 1, 0, 0)),
                "^" if v.0 > 0 => Some((v.0 + 1, 0, 0)),
                "^" => Some((0, v.1 + 1, 0)),
                "~" => Some((v.0, v.1 + 1, 0)),
                _ => None,
            };
            if let Some(u) = upper {
                old = Some(old.unwrap_or(false) || u <= TOP_LEVEL_ERROR_SINCE);
            }
        }
        return Some(old.unwrap_or(false));
    }
    None
}

/// The text naming `SignatureVerificationError`, and the import edit it needs.
fn signature_error(ctx: &FileContext, stripe: &str, at: TextSize) -> String {
    for qualified in [
        "stripe.SignatureVerificationError",
        "stripe.error.SignatureVerificationError",
    ] {
        for b in ctx.bindings.imports_of(qualified) {
            if b.qualified_name().as_deref() == Some(qualified)
                && ctx
                    .bindings
                    .resolve_unique(&b.name, at)
                    .is_some_and(|r| r.range == b.range)
            {
                return b.name.clone();
            }
        }
    }
    let old = stripe_pin_is_old(ctx).unwrap_or_else(|| ctx.source.contains("stripe.error."));
    if old {
        format!("{stripe}.error.SignatureVerificationError")
    } else {
        format!("{stripe}.SignatureVerificationError")
    }
}

// ---------------------------------------------------------------------------------------------
// The 400 response

fn bad_request(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    fw: Framework,
    at: TextSize,
    edits: &mut Vec<Edit>,
) -> Result<String, String> {
    let taken = |e: imports::ImportError| format!("cannot import the 400 response helper: {e:?}");
    match fw {
        Framework::Starlette => {
            let existing = ctx
                .bindings
                .bindings
                .iter()
                .filter(|b| {
                    b.qualified_name().as_deref() == Some("starlette.exceptions.HTTPException")
                })
                .find(|b| {
                    ctx.bindings
                        .resolve_unique(&b.name, at)
                        .is_some_and(|r| r.range == b.range)
                })
                .map(|b| b.name.clone());
            let name = match existing {
                Some(n) => n,
                None => {
                    let (name, edit) = imports::import_member(ctx, "fastapi", "HTTPException", at)
                        .map_err(taken)?;
                    edits.extend(edit);
                    name
                }
            };
            Ok(format!(
                "raise {name}(status_code=400, detail=\"Invalid Stripe webhook signature\")"
            ))
        }
        Framework::Flask => {
            // Mirror the handler's own `return ..., <status>` style when it has one.
            let mut placed = Vec::new();
            walk_suite(&function.body, &mut placed);
            let tuple_return = placed.iter().find_map(|p| match p.stmt {
                Stmt::Return(ast::StmtReturn { value: Some(v), .. }) => match v.as_ref() {
                    Expr::Tuple(t)
                        if t.elts.len() == 2 && ast_util::int_literal(&t.elts[1]).is_some() =>
                    {
                        Some(&t.elts[0])
                    }
                    _ => None,
                },
                _ => None,
            });
            if let Some(first) = tuple_return {
                if let Expr::Call(c) = first
                    && ctx.bindings.qualified_name(&c.func).as_deref() == Some("flask.jsonify")
                {
                    let jsonify = ctx.slice(c.func.range());
                    return Ok(format!(
                        "return {jsonify}({{\"error\": \"Invalid Stripe webhook signature\"}}), 400"
                    ));
                }
                return Ok("return \"Invalid Stripe webhook signature\", 400".to_string());
            }
            match imports::import_member(ctx, "flask", "abort", at) {
                Ok((name, edit)) => {
                    edits.extend(edit);
                    Ok(format!("{name}(400)"))
                }
                Err(_) => Ok("return \"Invalid Stripe webhook signature\", 400".to_string()),
            }
        }
        Framework::Django => {
            let (name, edit) =
                imports::import_member(ctx, "django.http", "HttpResponse", at).map_err(taken)?;
            edits.extend(edit);
            Ok(format!("return {name}(status=400)"))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Building the fix

/// One indentation step of the file around `function`.
fn indent_step(ctx: &FileContext, function: &ast::StmtFunctionDef) -> String {
    let outer = ctx.indentation_at(function.name.start());
    let inner = function
        .body
        .first()
        .map(|s| ctx.indentation_at(s.start()))
        .unwrap_or("    ");
    match inner.strip_prefix(outer) {
        Some(step) if !step.is_empty() => step.to_string(),
        _ if inner.starts_with('\t') => "\t".to_string(),
        _ => "    ".to_string(),
    }
}

/// The statement must own its line(s): nothing before it, at most a comment after it.
fn trailing_comment_range(ctx: &FileContext, stmt: &Stmt) -> Result<Option<TextRange>, String> {
    if !source::is_first_on_line(ctx.source, stmt.start()) {
        return Err("the statement shares its line with other code".into());
    }
    let eol = source::line_end(ctx.source, stmt.end());
    let rest = &ctx.source[usize::from(stmt.end())..usize::from(eol)];
    let trimmed = rest.trim_start();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if !trimmed.starts_with('#') {
        return Err("the statement shares its line with other code".into());
    }
    let keep = ["# noqa", "# type:", "# pragma", "# nosec"]
        .iter()
        .any(|p| trimmed.starts_with(p));
    Ok((!keep).then(|| TextRange::new(stmt.end(), eol)))
}

fn build_fix(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    candidate: &Candidate,
    commented: Option<&Commented>,
) -> Result<Fix, String> {
    let stmt = candidate.placed.stmt;
    let at = stmt.start();
    let fw = framework(ctx, function, candidate)
        .ok_or("cannot tell the handler's web framework (FastAPI/Starlette, Flask or Django)")?;
    let request = request_object(ctx, function, fw, at);
    let mut edits = Vec::new();
    let body = raw_body(ctx, function, candidate, commented, fw, request.as_deref())?;
    let sig = signature_header(
        ctx,
        function,
        candidate,
        commented,
        fw,
        request.as_deref(),
        &mut edits,
    )?;
    if fw == Framework::Flask
        && (!body.from_code || !sig.from_code)
        && request
            .as_deref()
            .is_some_and(|r| !is_flask_handler(ctx, function, r))
    {
        return Err(format!(
            "`{}` neither reads the Flask request nor is routed, so it may run outside a request \
             (called by a route that already verified the event, or by a task), where reading \
             the request fails",
            function.name
        ));
    }
    let secret = webhook_secret(ctx, function, at, commented, &mut edits)?;
    let (stripe, stripe_edit) = imports::import_module(ctx, "stripe", at)
        .map_err(|e| format!("cannot import stripe: {e:?}"))?;
    edits.extend(stripe_edit);
    let error = signature_error(ctx, &stripe, at);
    let response = bad_request(ctx, function, fw, at, &mut edits)?;
    let comment = trailing_comment_range(ctx, stmt)?;

    let le = ctx.line_ending();
    let ind = ctx.indentation_at(at);
    let step = indent_step(ctx, function);
    let call = format!(
        "{stripe}.Webhook.construct_event({}, {}, {})",
        body.text, sig.text, secret.text
    );
    let handler = format!("{le}{ind}except (ValueError, {error}):{le}{ind}{step}{response}");
    if candidate.source.yields_dict() {
        // Verify, then keep the handler's own parse: its dict semantics stay as they were.
        edits.push(Edit::insertion(
            format!("try:{le}{ind}{step}{call}{handler}{le}{ind}"),
            at,
        ));
        if let Some(c) = comment {
            edits.push(Edit::deletion(c));
        }
    } else {
        let end = comment.map_or(stmt.end(), |c| c.end());
        edits.push(Edit::replacement(
            format!(
                "try:{le}{ind}{step}{}{} = {call}{handler}",
                candidate.target,
                candidate
                    .annotation
                    .as_ref()
                    .map(|a| format!(": {a}"))
                    .unwrap_or_default()
            ),
            TextRange::new(at, end),
        ));
        // `import json` may have served only the replaced parse.
        if let Source::ConstructFrom(Expr::Call(inner)) = &candidate.source
            && let Expr::Attribute(a) = inner.func.as_ref()
            && let Expr::Name(json) = a.value.as_ref()
            && let Some(binding) = ctx.bindings.resolve_unique(&json.id, json.start())
            && binding.qualified_name().as_deref() == Some("json")
            && !ctx.bindings.is_used_outside(binding, &[stmt.range()])
        {
            edits.extend(imports::remove_import(ctx, binding));
        }
    }
    if let Some(c) = commented {
        edits.push(Edit::deletion(c.lines));
    }
    let from_code = body.from_code && sig.from_code && secret.from_code;
    let applicability = if from_code {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    let mut inferred = Vec::new();
    if !body.from_code {
        inferred.push("raw body");
    }
    if !sig.from_code {
        inferred.push("signature header");
    }
    if !secret.from_code {
        inferred.push("secret");
    }
    let mut description = format!(
        "verify the signature with `{stripe}.Webhook.construct_event({}, {}, {})`, answering 400 on failure",
        body.text, sig.text, secret.text
    );
    if !inferred.is_empty() {
        description.push_str(&format!(" (inferred: {})", inferred.join(", ")));
    }
    Ok(Fix::new(
        applicability,
        description,
        merge_insertions(edits),
    ))
}

/// Insertions at the same offset (two new import lines) merged into one edit.
fn merge_insertions(edits: Vec<Edit>) -> Vec<Edit> {
    let mut out: Vec<Edit> = Vec::new();
    for edit in edits {
        if edit.range.is_empty()
            && let Some(prev) = out.iter_mut().find(|e| e.range == edit.range)
        {
            if prev.content != edit.content {
                prev.content.push_str(&edit.content);
            }
            continue;
        }
        out.push(edit);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// "Verify if a secret is set, else trust the body"

fn contains_construct_event(suite: &[Stmt]) -> bool {
    !calls_named(suite, "construct_event").is_empty()
}

/// The fix removing a trusting path, when the candidate is one:
/// `if secret: <verify> else: <candidate>` (either order), or
/// `<candidate>` followed by `if secret: <verify>` without an else.
fn trust_branch_fix(
    ctx: &FileContext,
    function: &ast::StmtFunctionDef,
    candidate: &Candidate,
) -> Option<Result<Fix, String>> {
    let stmt = candidate.placed.stmt;
    let mut placed = Vec::new();
    walk_suite(&function.body, &mut placed);
    // if/else with the candidate directly in one branch.
    for p in &placed {
        let Stmt::If(if_stmt) = p.stmt else { continue };
        if if_stmt.elif_else_clauses.len() != 1 || if_stmt.elif_else_clauses[0].test.is_some() {
            continue;
        }
        let else_clause = &if_stmt.elif_else_clauses[0];
        let in_body = if_stmt.body.iter().any(|s| std::ptr::eq(s, stmt));
        let in_else = else_clause.body.iter().any(|s| std::ptr::eq(s, stmt));
        if !(in_body || in_else) {
            continue;
        }
        let (keep, keep_header) = if in_else {
            (&if_stmt.body[..], if_stmt.start())
        } else {
            (&else_clause.body[..], else_clause.start())
        };
        if !contains_construct_event(keep) {
            return None;
        }
        if let Err(reason) = trust_branch_shape(ctx, &if_stmt.test, keep, &candidate.target) {
            return Some(Err(reason));
        }
        return Some(unwrap_branch(ctx, p.stmt, keep_header, keep).map(|edits| {
            Fix::unsafe_(
                "remove the branch that trusts the unverified body; always verify the signature",
                edits,
            )
        }));
    }
    // `event = json.loads(...)` (maybe alone in a try) followed by `if secret: <verify>`.
    let (holder, suite) = match placed.iter().find(|p| match p.stmt {
        Stmt::Try(t) => t.body.len() == 1 && std::ptr::eq(&t.body[0], stmt),
        _ => false,
    }) {
        Some(p) => (p.stmt, p.suite),
        None => (stmt, candidate.placed.suite),
    };
    let index = suite.iter().position(|s| std::ptr::eq(s, holder))?;
    let verify_if = suite[index + 1..].iter().find_map(|s| match s {
        Stmt::If(i)
            if i.elif_else_clauses.is_empty() && assigns_verified(&i.body, &candidate.target) =>
        {
            Some(i)
        }
        _ => None,
    })?;
    let result = (|| {
        trust_branch_shape(ctx, &verify_if.test, &verify_if.body, &candidate.target)?;
        let delete = imports::delete_statement(ctx, holder, suite)
            .ok_or("the parse shares its line with other code")?;
        let mut edits = vec![delete];
        edits.extend(unwrap_branch(
            ctx,
            &Stmt::If(verify_if.clone()),
            verify_if.start(),
            &verify_if.body,
        )?);
        Ok(Fix::unsafe_(
            "drop the unverified parse and the `if` that skipped verification; always verify the signature",
            edits,
        ))
    })();
    Some(result)
}

/// Unwrapping the verifying branch is only right when that branch is chosen by whether a
/// webhook secret is configured (`if endpoint_secret:`), not by the parsed event itself
/// (`if event is None:`), and when the code after it stays reachable.
fn trust_branch_shape(
    ctx: &FileContext,
    test: &Expr,
    keep: &[Stmt],
    target: &str,
) -> Result<(), String> {
    let condition = ctx.slice(test.range());
    if mentions_identifier(condition, target) {
        return Err(format!(
            "verification depends on the parsed `{target}` (`if {condition}:`), not on a configured secret"
        ));
    }
    if !condition.to_lowercase().contains("secret") {
        return Err(format!(
            "verification is chosen by `if {condition}:`, which is not a check for a webhook secret"
        ));
    }
    if matches!(keep.last(), Some(Stmt::Return(_) | Stmt::Raise(_))) {
        return Err(
            "the verifying branch ends by returning, so unwrapping it would make the rest of the handler unreachable"
                .into(),
        );
    }
    Ok(())
}

/// True when `text` contains `name` as a whole identifier.
fn mentions_identifier(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

fn assigns_verified(suite: &[Stmt], target: &str) -> bool {
    let mut placed = Vec::new();
    walk_suite(suite, &mut placed);
    placed.iter().any(|p| match p.stmt {
        Stmt::Assign(a) => {
            matches!(a.targets.as_slice(), [Expr::Name(t)] if t.id.as_str() == target)
                && matches!(a.value.as_ref(), Expr::Call(c) if callee_name(c) == Some("construct_event"))
        }
        _ => false,
    })
}

/// Edits replacing compound statement `outer` (whose lines it must own) by the dedented lines
/// of `keep`, the suite under the header starting at `header`.
fn unwrap_branch(
    ctx: &FileContext,
    outer: &Stmt,
    header: TextSize,
    keep: &[Stmt],
) -> Result<Vec<Edit>, String> {
    let text = ctx.source;
    let (Some(first), Some(last)) = (keep.first(), keep.last()) else {
        return Err("empty branch".into());
    };
    if source::line_start(text, first.start()) == source::line_start(text, header) {
        return Err("the branch body shares its line with its header".into());
    }
    if !source::is_first_on_line(text, outer.start()) {
        return Err("the `if` shares its line with other code".into());
    }
    let outer_indent = ctx.indentation_at(outer.start());
    let inner_indent = ctx.indentation_at(first.start());
    if !inner_indent.starts_with(outer_indent) || inner_indent == outer_indent {
        return Err("unexpected indentation".into());
    }
    let body = TextRange::new(
        source::full_line_end(text, header),
        source::full_line_end(text, last.end()),
    );
    let multiline_string = ctx.tokens().iter().any(|t| {
        matches!(t.kind(), TokenKind::String | TokenKind::FStringMiddle)
            && body.contains_range(t.range())
            && ctx.slice(t.range()).contains(['\n', '\r'])
    });
    if multiline_string {
        return Err("the branch holds a multi-line string that dedenting would change".into());
    }
    let mut out = String::new();
    for line in ctx.slice(body).split_inclusive('\n') {
        if line.trim().is_empty() {
            out.push_str(line);
        } else if let Some(rest) = line.strip_prefix(inner_indent) {
            out.push_str(outer_indent);
            out.push_str(rest);
        } else {
            return Err("a line of the branch is indented less than the branch".into());
        }
    }
    let replaced = TextRange::new(
        source::line_start(text, outer.start()),
        source::full_line_end(text, outer.end()),
    );
    Ok(vec![Edit::replacement(out, replaced)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pins() {
        assert_eq!(pin_in("flask\nstripe==5.4.0\n"), Some(true));
        assert_eq!(pin_in("stripe>=2.0,<7.0\n"), Some(true));
        assert_eq!(pin_in("stripe>=8.0\n"), Some(false));
        assert_eq!(pin_in("stripe\n"), Some(false));
        assert_eq!(pin_in("stripe-mock==1.0\n"), None);
        assert_eq!(
            pin_in("dependencies = [\n  \"stripe==7.0.0\",\n]\n"),
            Some(true)
        );
        assert_eq!(
            pin_in("[tool.poetry.dependencies]\nstripe = \"^5.4\"\n"),
            Some(true)
        );
        assert_eq!(pin_in("stripe~=7.8\n"), Some(false));
        assert_eq!(pin_in("stripe~=6.0\n"), Some(true));
        assert_eq!(pin_in("stripe==12.0.1\n"), Some(false));
    }

    #[test]
    fn attribute_definitions() {
        assert!(defines_attribute(
            "class S:\n    STRIPE_WEBHOOK_SECRET: str = ''\n",
            "STRIPE_WEBHOOK_SECRET"
        ));
        assert!(defines_attribute(
            "STRIPE_WEBHOOK_SECRET = env('X')\n",
            "STRIPE_WEBHOOK_SECRET"
        ));
        assert!(!defines_attribute(
            "if STRIPE_WEBHOOK_SECRET == 1:\n",
            "STRIPE_WEBHOOK_SECRET"
        ));
    }
}
