//! Transform `utcnow-to-aware` (review finding WARN-Q1): `datetime.utcnow()` and
//! `datetime.utcfromtimestamp(ts)` return naive datetimes that merely *look* like UTC and are
//! deprecated since Python 3.12. They become `datetime.now(timezone.utc)` and
//! `datetime.fromtimestamp(ts, tz=timezone.utc)`.
//!
//! Naive → aware changes what comparisons and subtraction do, so every converted value's uses
//! are followed (through local variables, `+ timedelta`, `.replace()`): a fix is Safe only when
//! every use is self-contained (formatting whose output does not change, another value the same
//! fix converts, an aware column); otherwise it is Unsafe and the message says which use.
//! Values compared or subtracted with each other are converted by one fix, so they never end up
//! half naive, half aware.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{
    self as ast, CmpOp, ConversionFlag, Expr, InterpolatedStringElement, Operator, Stmt,
    StringFlags,
};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::ast_util;
use crate::bindings::{BindingKind, ScopeKind};
use crate::context::FileContext;
use crate::edit::{Edit, Fix};
use crate::finding::Finding;
use crate::imports::{self, ImportError};
use crate::transforms::Transform;

pub struct ThisTransform;
pub static TRANSFORM: ThisTransform = ThisTransform;

const ID: &str = "utcnow-to-aware";

/// How deep uses are followed (variable → use → variable ...) before giving up as Unsafe.
const MAX_USE_DEPTH: usize = 6;

/// Names tried, in order, for `datetime.timezone` when `timezone` means something else.
const TIMEZONE_ALIASES: &[&str] = &["dt_timezone", "datetime_timezone", "utc_timezone"];

impl Transform for ThisTransform {
    fn id(&self) -> &'static str {
        ID
    }

    fn triggers(&self) -> &'static [&'static str] {
        &["utcnow", "utcfromtimestamp"]
    }

    fn check(&self, ctx: &FileContext) -> Vec<Finding> {
        if ctx.path.extension().is_some_and(|e| e == "pyi") {
            return Vec::new();
        }
        let tree = Tree::build(ctx.module());
        let occurrences: Vec<Occurrence> = tree
            .candidates
            .iter()
            .filter_map(|&expr| Occurrence::new(ctx, &tree, expr))
            .collect();
        if occurrences.is_empty() {
            return Vec::new();
        }
        Analyzer::new(ctx, &tree, occurrences).findings()
    }
}

// ---------------------------------------------------------------------------------------------
// The syntax tree with parent links.

#[derive(Clone, Copy)]
enum Parent<'a> {
    Expr(&'a Expr),
    Stmt(&'a Stmt),
}

fn key(expr: &Expr) -> usize {
    expr as *const Expr as usize
}

fn same(a: &Expr, b: &Expr) -> bool {
    std::ptr::eq(a, b)
}

/// Every expression's parent, name loads by offset, and the `.utcnow`/`.utcfromtimestamp`
/// attribute expressions of one module.
struct Tree<'a> {
    parents: HashMap<usize, Parent<'a>>,
    names: HashMap<TextSize, &'a Expr>,
    candidates: Vec<&'a Expr>,
}

impl<'a> Tree<'a> {
    fn build(module: &'a ast::ModModule) -> Self {
        let mut builder = TreeBuilder {
            tree: Tree {
                parents: HashMap::new(),
                names: HashMap::new(),
                candidates: Vec::new(),
            },
            exprs: Vec::new(),
            stmts: Vec::new(),
        };
        builder.visit_body(&module.body);
        builder.tree
    }

    fn parent(&self, expr: &Expr) -> Option<Parent<'a>> {
        self.parents.get(&key(expr)).copied()
    }

    /// The call whose callee is `expr`.
    fn call_of(&self, expr: &Expr) -> Option<&'a ast::ExprCall> {
        match self.parent(expr)? {
            Parent::Expr(Expr::Call(call)) if same(&call.func, expr) => Some(call),
            _ => None,
        }
    }

    fn ancestors(&self, expr: &Expr) -> impl Iterator<Item = &'a Expr> + '_ {
        let mut current = self.parent(expr);
        std::iter::from_fn(move || match current? {
            Parent::Expr(e) => {
                current = self.parent(e);
                Some(e)
            }
            Parent::Stmt(_) => None,
        })
    }
}

struct TreeBuilder<'a> {
    tree: Tree<'a>,
    exprs: Vec<&'a Expr>,
    stmts: Vec<&'a Stmt>,
}

impl<'a> Visitor<'a> for TreeBuilder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.stmts.push(stmt);
        let saved = std::mem::take(&mut self.exprs);
        visitor::walk_stmt(self, stmt);
        self.exprs = saved;
        self.stmts.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        let parent = match self.exprs.last() {
            Some(e) => Some(Parent::Expr(e)),
            None => self.stmts.last().map(|s| Parent::Stmt(s)),
        };
        if let Some(parent) = parent {
            self.tree.parents.insert(key(expr), parent);
        }
        match expr {
            Expr::Name(n) => {
                self.tree.names.insert(n.range.start(), expr);
            }
            Expr::Attribute(a) if matches!(a.attr.as_str(), "utcnow" | "utcfromtimestamp") => {
                self.tree.candidates.push(expr);
            }
            _ => {}
        }
        self.exprs.push(expr);
        visitor::walk_expr(self, expr);
        self.exprs.pop();
    }
}

// ---------------------------------------------------------------------------------------------
// Occurrences.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `datetime.utcnow`
    Now,
    /// `datetime.utcfromtimestamp`
    FromTimestamp,
}

/// One `datetime.utcnow` / `datetime.utcfromtimestamp` reference, called or not.
struct Occurrence<'a> {
    kind: Kind,
    attribute: &'a ast::ExprAttribute,
    /// The attribute expression itself.
    expr: &'a Expr,
    call: Option<&'a ast::ExprCall>,
}

impl<'a> Occurrence<'a> {
    fn new(ctx: &FileContext, tree: &Tree<'a>, expr: &'a Expr) -> Option<Self> {
        let Expr::Attribute(attribute) = expr else {
            return None;
        };
        let kind = match ctx.bindings.qualified_name(expr)?.as_str() {
            "datetime.datetime.utcnow" => Kind::Now,
            "datetime.datetime.utcfromtimestamp" => Kind::FromTimestamp,
            _ => return None,
        };
        Some(Self {
            kind,
            attribute,
            expr,
            call: tree.call_of(expr),
        })
    }

    fn range(&self) -> TextRange {
        self.call.map_or(self.expr.range(), Ranged::range)
    }

    fn method(&self) -> &'static str {
        match self.kind {
            Kind::Now => "utcnow",
            Kind::FromTimestamp => "utcfromtimestamp",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Analysis.

/// What one occurrence needs: its edits, and why its fix could not be Safe or made at all.
#[derive(Default)]
struct Plan {
    edits: Vec<Edit>,
    /// Why the fix is Unsafe (empty: Safe).
    unsafe_reasons: Vec<String>,
    /// Why no fix is offered.
    decline: Option<String>,
    /// Other occurrences whose values this one meets in a comparison or subtraction.
    partners: Vec<usize>,
    /// Whether the edits use the `timezone` name (and so need its import).
    needs_timezone: bool,
    /// What the fix does, for the fix description.
    description: String,
    /// Why the fix is Safe when it is (set by rewrites whose result was aware already).
    safe_note: Option<&'static str>,
}

impl Plan {
    fn risk(&mut self, reason: impl Into<String>) {
        let reason = reason.into();
        if !self.unsafe_reasons.contains(&reason) {
            self.unsafe_reasons.push(reason);
        }
    }

    fn decline(&mut self, reason: impl Into<String>) {
        if self.decline.is_none() {
            self.decline = Some(reason.into());
        }
    }
}

struct Analyzer<'c, 'a> {
    ctx: &'c FileContext<'a>,
    tree: &'c Tree<'a>,
    occurrences: Vec<Occurrence<'a>>,
    /// Occurrence index by the key of its call expression.
    by_call: HashMap<usize, usize>,
    columns: std::cell::OnceCell<Columns>,
}

impl<'c, 'a> Analyzer<'c, 'a> {
    fn new(ctx: &'c FileContext<'a>, tree: &'c Tree<'a>, occurrences: Vec<Occurrence<'a>>) -> Self {
        let by_call = occurrences
            .iter()
            .enumerate()
            .filter_map(|(i, o)| o.call.map(|c| (c as *const ast::ExprCall as usize, i)))
            .collect();
        Self {
            ctx,
            tree,
            occurrences,
            by_call,
            columns: std::cell::OnceCell::new(),
        }
    }

    fn text(&self, node: &impl Ranged) -> &'a str {
        self.ctx.slice(node.range())
    }

    fn findings(&self) -> Vec<Finding> {
        let plans: Vec<Plan> = (0..self.occurrences.len()).map(|i| self.plan(i)).collect();
        let patched = self.patched_in_tests();
        // Occurrences that meet each other are converted by one fix.
        let mut groups = UnionFind::new(plans.len());
        for (i, plan) in plans.iter().enumerate() {
            for &p in &plan.partners {
                groups.union(i, p);
            }
        }
        let mut findings = Vec::new();
        for (i, plan) in plans.iter().enumerate() {
            let occurrence = &self.occurrences[i];
            let members: Vec<usize> = (0..plans.len())
                .filter(|&j| groups.find(j) == groups.find(i))
                .collect();
            let headline = format!(
                "`{}` returns a naive datetime (deprecated since Python 3.12); use an aware UTC datetime",
                self.display(occurrence)
            );
            if let Some(reason) = &plan.decline {
                findings.push(Finding::declined(
                    ID,
                    occurrence.range(),
                    format!("{headline}; not fixed: {reason}"),
                ));
                continue;
            }
            if let Some(&other) = members.iter().find(|&&j| plans[j].decline.is_some()) {
                let line = self
                    .ctx
                    .lines
                    .position(self.occurrences[other].range().start())
                    .line;
                findings.push(Finding::declined(
                    ID,
                    occurrence.range(),
                    format!(
                        "{headline}; not fixed: it meets the value on line {line} in a comparison or subtraction, and that one cannot be converted ({})",
                        plans[other].decline.as_deref().unwrap_or_default()
                    ),
                ));
                continue;
            }
            let mut edits: Vec<Edit> = members
                .iter()
                .flat_map(|&j| plans[j].edits.iter().cloned())
                .collect();
            if members.iter().any(|&j| plans[j].needs_timezone) {
                match self.timezone(self.occurrences[members[0]].range().start()) {
                    Ok((_, Some(import))) => edits.push(import),
                    Ok((_, None)) => {}
                    Err(reason) => {
                        findings.push(Finding::declined(
                            ID,
                            occurrence.range(),
                            format!("{headline}; not fixed: {reason}"),
                        ));
                        continue;
                    }
                }
            }
            edits.sort_by_key(|e| (e.range.start(), e.range.end()));
            edits.dedup();
            if edits.windows(2).any(|w| w[0].conflicts_with(&w[1])) {
                findings.push(Finding::declined(
                    ID,
                    occurrence.range(),
                    format!("{headline}; not fixed: its rewrite overlaps another one in the same expression; fix by hand"),
                ));
                continue;
            }
            let mut reasons: Vec<String> = Vec::new();
            for &j in &members {
                for r in &plans[j].unsafe_reasons {
                    let r = if j == i {
                        r.clone()
                    } else {
                        let line = self
                            .ctx
                            .lines
                            .position(self.occurrences[j].range().start())
                            .line;
                        format!(
                            "the value on line {line}, converted together with this one, is {r}"
                        )
                    };
                    if !reasons.contains(&r) {
                        reasons.push(r);
                    }
                }
            }
            if let Some(p) = &patched {
                reasons.push(p.clone());
            }
            let mut description = plan.description.clone();
            if members.len() > 1 {
                let lines: Vec<String> = members
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| {
                        self.ctx
                            .lines
                            .position(self.occurrences[j].range().start())
                            .line
                            .to_string()
                    })
                    .collect();
                description.push_str(&format!(
                    ", together with the value(s) it is compared with or subtracted from on line(s) {}",
                    lines.join(", ")
                ));
            }
            let (message, fix) = if reasons.is_empty() {
                let why = match plan.safe_note {
                    Some(note) => note,
                    None if members.len() > 1 => {
                        "every use of the value is self-contained, and the values it is compared with or subtracted from are converted by the same fix"
                    }
                    None => "every use of the value is self-contained",
                };
                (
                    format!("{headline}; safe: {why}"),
                    Fix::safe(description, edits),
                )
            } else {
                (
                    format!("{headline}; unsafe: {}", reasons.join("; ")),
                    Fix::unsafe_(description, edits),
                )
            };
            findings.push(Finding::new(ID, occurrence.range(), message, Some(fix)));
        }
        findings
    }

    /// `datetime.utcnow()` as written (receiver text + method, `()` when called).
    fn display(&self, o: &Occurrence) -> String {
        let receiver = self.text(o.attribute.value.as_ref());
        match (o.kind, o.call.is_some()) {
            (Kind::Now, true) => format!("{receiver}.utcnow()"),
            (Kind::FromTimestamp, true) => format!("{receiver}.utcfromtimestamp(...)"),
            (_, false) => format!("{receiver}.{}", o.method()),
        }
    }

    /// The expression text for `datetime.timezone` at `at`, with the import edit it needs.
    fn timezone(&self, at: TextSize) -> Result<(String, Option<Edit>), String> {
        match imports::import_member(self.ctx, "datetime", "timezone", at) {
            Ok(found) => Ok(found),
            Err(ImportError::NameTaken { .. }) => {
                if let Some((module, stmt)) = self.ctx.bindings.unknown_star_imports.first() {
                    let line = self.ctx.lines.position(stmt.start()).line;
                    return Err(format!(
                        "`from {module} import *` (line {line}) may bind `timezone` or any alias remedy would import (remedy cannot see its names); add `from datetime import timezone` after it, or fix by hand"
                    ));
                }
                let alias = TIMEZONE_ALIASES
                    .iter()
                    .find(|a| self.ctx.bindings.is_unused_name(a))
                    .ok_or_else(|| "`timezone` already means something else in this file and no alias for `datetime.timezone` is free".to_string())?;
                Ok((alias.to_string(), Some(self.import_timezone_as(alias))))
            }
        }
    }

    /// `from datetime import timezone as <alias>`, added to an existing top-level
    /// `from datetime import ...` when there is one.
    fn import_timezone_as(&self, alias: &str) -> Edit {
        let existing = self.ctx.module().body.iter().find_map(|stmt| match stmt {
            Stmt::ImportFrom(import)
                if import.level == 0
                    && import
                        .module
                        .as_ref()
                        .is_some_and(|m| m.as_str() == "datetime")
                    && !import.names.iter().any(|a| a.name.as_str() == "*") =>
            {
                import.names.last()
            }
            _ => None,
        });
        match existing {
            Some(last) => Edit::insertion(format!(", timezone as {alias}"), last.end()),
            None => imports::insert_import_line(
                self.ctx,
                &format!("from datetime import timezone as {alias}"),
            ),
        }
    }

    fn tz_text(&self, at: TextSize) -> String {
        self.timezone(at)
            .map(|(name, _)| name)
            .unwrap_or_else(|_| "timezone".to_string())
    }

    // -----------------------------------------------------------------------------------------
    // Planning one occurrence.

    fn plan(&self, index: usize) -> Plan {
        let o = &self.occurrences[index];
        let mut plan = Plan::default();
        if self.ctx.slice(o.range()).contains('#') {
            plan.decline("a comment inside the expression would be lost; fix by hand");
            return plan;
        }
        // The receiver (`datetime`, `dt.datetime`) is reused in the new code; a class-level
        // binding of its head would not be visible from a lambda.
        if let Some(head) = head_name(&o.attribute.value)
            && let Some(binding) = self.ctx.bindings.resolve_unique(head, o.expr.start())
            && self.ctx.bindings.scopes[binding.scope].kind == ScopeKind::Class
        {
            plan.decline(format!("`{head}` is bound in a class body; fix by hand"));
            return plan;
        }
        let receiver = self.text(o.attribute.value.as_ref());
        let at = o.expr.start();
        match o.call {
            Some(call) => {
                if self.plan_wrapper(o, call, &mut plan) {
                    return plan;
                }
                let tz = self.tz_text(at);
                match o.kind {
                    Kind::Now => {
                        if !call.arguments.is_empty() {
                            plan.decline("`utcnow()` is called with arguments");
                            return plan;
                        }
                        plan.edits.push(Edit::replacement(
                            format!("now({tz}.utc)"),
                            TextRange::new(o.attribute.attr.start(), call.end()),
                        ));
                        plan.description = format!(
                            "replace `{receiver}.utcnow()` with `{receiver}.now({tz}.utc)`"
                        );
                    }
                    Kind::FromTimestamp => {
                        let Some(arg) = single_positional(call) else {
                            plan.decline("`utcfromtimestamp()` is not called with exactly one positional argument");
                            return plan;
                        };
                        plan.edits
                            .push(Edit::replacement("fromtimestamp", o.attribute.attr.range()));
                        plan.edits
                            .push(Edit::insertion(format!(", tz={tz}.utc"), arg.end()));
                        plan.description = format!(
                            "replace `{receiver}.utcfromtimestamp({})` with `{receiver}.fromtimestamp({}, tz={tz}.utc)`",
                            self.text(arg),
                            self.text(arg)
                        );
                    }
                }
                plan.needs_timezone = true;
                let value: &Expr = self.call_expr(call);
                self.uses(value, &mut plan, 0);
            }
            None => {
                let tz = self.tz_text(at);
                // The lambda looks its names up when it is called, not where it is written: a
                // name bound again elsewhere in its scope may mean something else by then.
                for name in [receiver, tz.as_str()] {
                    if let Some(head) = name.split('.').next()
                        && !self.bound_the_same_everywhere(head, at)
                    {
                        plan.decline(format!(
                            "`{head}` is bound more than once in this scope, and a lambda looks it up when it is called, not here; fix by hand"
                        ));
                        return plan;
                    }
                }
                let lambda = match o.kind {
                    Kind::Now => format!("lambda: {receiver}.now({tz}.utc)"),
                    Kind::FromTimestamp => {
                        let param = if head_name(&o.attribute.value) == Some("ts") {
                            "timestamp"
                        } else {
                            "ts"
                        };
                        format!("lambda {param}: {receiver}.fromtimestamp({param}, tz={tz}.utc)")
                    }
                };
                let needs_parens = match self.tree.parent(o.expr) {
                    Some(Parent::Stmt(_)) => false,
                    Some(Parent::Expr(Expr::Call(c))) => same(&c.func, o.expr),
                    _ => true,
                };
                let content = if needs_parens {
                    format!("({lambda})")
                } else {
                    lambda
                };
                plan.edits
                    .push(Edit::replacement(content.clone(), o.expr.range()));
                plan.needs_timezone = true;
                plan.description = format!(
                    "replace the callable `{}` with `{content}`",
                    self.text(o.expr)
                );
                self.callable_uses(o.expr, &mut plan);
            }
        }
        plan
    }

    /// True when every binding of `name` in the scope it resolves to at `at` means the same
    /// import (or `name` is unbound, to be imported): then a later lookup finds the same.
    fn bound_the_same_everywhere(&self, name: &str, at: TextSize) -> bool {
        let b = self.ctx.bindings;
        let Some(binding) = b.resolve_unique(name, at) else {
            return b.resolve(name, at).is_empty();
        };
        let qualified = binding.qualified_name();
        qualified.is_some()
            && b.bindings_named(name)
                .filter(|other| other.scope == binding.scope)
                .all(|other| other.qualified_name() == qualified)
    }

    /// The `Expr` node of a call (its parent's child).
    fn call_expr(&self, call: &'a ast::ExprCall) -> &'a Expr {
        // The call's callee has the call expression as its parent.
        match self.tree.parent(&call.func) {
            Some(Parent::Expr(e)) => e,
            _ => unreachable!("a callee's parent is its call"),
        }
    }

    /// `tz.fromutc(datetime.utcnow())` and `pytz.utc.localize(datetime.utcnow())`: the result
    /// was aware already, so the whole call becomes `datetime.now(tz)`. True when handled.
    fn plan_wrapper(&self, o: &Occurrence<'a>, call: &'a ast::ExprCall, plan: &mut Plan) -> bool {
        let value = self.call_expr(call);
        let Some(Parent::Expr(outer_expr @ Expr::Call(outer))) = self.tree.parent(value) else {
            return false;
        };
        let Expr::Attribute(method) = outer.func.as_ref() else {
            return false;
        };
        let name = method.attr.as_str();
        if !matches!(name, "fromutc" | "localize")
            || !outer.arguments.args.iter().any(|a| same(a, value))
        {
            return false;
        }
        let tz_expr = method.value.as_ref();
        let tz = self.text(tz_expr);
        let simple_call = single_positional(outer).is_some_and(|a| same(a, value));
        if !simple_call {
            plan.decline(format!(
                "`{tz}.{name}()` is called with other arguments; fix by hand"
            ));
            return true;
        }
        let tz_qualified = self.pytz_origin(tz_expr);
        if name == "localize" && !matches!(tz_qualified.as_deref(), Some("pytz.utc" | "pytz.UTC")) {
            plan.decline(format!(
                "`{tz}.localize()` rejects aware datetimes, and localizing a UTC wall-clock time into another zone is usually a bug; fix by hand"
            ));
            return true;
        }
        if self.ctx.slice(outer_expr.range()).contains('#') || !is_side_effect_free(tz_expr) {
            plan.decline(format!(
                "`{tz}` would be evaluated in a different order; fix by hand"
            ));
            return true;
        }
        let receiver = self.text(o.attribute.value.as_ref());
        let replacement = match o.kind {
            Kind::Now if call.arguments.is_empty() => format!("{receiver}.now({tz})"),
            Kind::FromTimestamp => {
                match single_positional(call) {
                    Some(arg) => format!("{receiver}.fromtimestamp({}, {tz})", self.text(arg)),
                    None => {
                        plan.decline("`utcfromtimestamp()` is not called with exactly one positional argument");
                        return true;
                    }
                }
            }
            Kind::Now => {
                plan.decline("`utcnow()` is called with arguments");
                return true;
            }
        };
        plan.edits
            .push(Edit::replacement(replacement.clone(), outer_expr.range()));
        plan.description = format!("replace `{}` with `{replacement}`", self.text(outer_expr));
        plan.safe_note = Some("the result was aware before and is the same datetime after");
        if tz_qualified.is_none() {
            plan.risk(format!(
                "it assumes `{tz}` is a tzinfo object (`{tz}.{name}()` of a naive datetime works with pytz zones; `datetime.now({tz})` gives the same result for them)"
            ));
        }
        true
    }

    /// The qualified name of a tz expression when it evidently comes from pytz
    /// (`pytz.utc`, `pytz.timezone("...")`, a local name assigned one of those).
    fn pytz_origin(&self, expr: &Expr) -> Option<String> {
        let b = self.ctx.bindings;
        match expr {
            Expr::Call(c) => b.qualified_name(&c.func).filter(|q| q == "pytz.timezone"),
            Expr::Name(n) => {
                if let Some(q) = b.qualified_name(expr).filter(|q| q.starts_with("pytz.")) {
                    return Some(q);
                }
                let binding = b.resolve_unique(&n.id, n.start())?;
                if binding.kind != BindingKind::Assignment {
                    return None;
                }
                match ast_util::statement_at(self.ctx.module(), binding.statement)?.stmt {
                    Stmt::Assign(a)
                        if a.targets.len() == 1 && a.targets[0].range() == binding.range =>
                    {
                        self.pytz_origin(&a.value)
                    }
                    _ => None,
                }
            }
            _ => b.qualified_name(expr).filter(|q| q.starts_with("pytz.")),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Following the uses of a converted value.

    /// Records how `value` (a datetime that becomes aware) is used.
    fn uses(&self, value: &'a Expr, plan: &mut Plan, depth: usize) {
        if depth > MAX_USE_DEPTH {
            plan.risk("its uses run through too many variables to follow");
            return;
        }
        let Some(parent) = self.tree.parent(value) else {
            plan.risk("remedy cannot see where it goes");
            return;
        };
        match parent {
            Parent::Expr(p) => self.expr_use(value, p, plan, depth),
            Parent::Stmt(s) => self.stmt_use(value, s, plan, depth),
        }
    }

    fn expr_use(&self, value: &'a Expr, parent: &'a Expr, plan: &mut Plan, depth: usize) {
        match parent {
            Expr::Attribute(a) if same(&a.value, value) => self.member_use(parent, a, plan, depth),
            Expr::BinOp(b) => self.arithmetic_use(value, parent, b, plan, depth),
            Expr::Compare(c) => {
                let operands: Vec<&'a Expr> = std::iter::once(c.left.as_ref())
                    .chain(c.comparators.iter())
                    .collect();
                let is_identity = c
                    .ops
                    .iter()
                    .all(|op| matches!(op, CmpOp::Is | CmpOp::IsNot));
                // Only a plain `a < b` lets a naive operand be converted in place: in a chain
                // it is compared with its other neighbour too.
                let single = operands.len() == 2;
                for other in operands.iter().copied().filter(|o| !same(o, value)) {
                    if is_identity && other.is_none_literal_expr() {
                        continue;
                    }
                    match self.trace(other, 0) {
                        Some(j) => plan.partners.push(j),
                        None if self.naive_operand(other, single, "compared with", plan) => {}
                        None => plan.risk(format!(
                            "compared with `{}`, {}; comparing naive with aware datetimes raises TypeError (`==` is simply never true)",
                            self.text(other),
                            self.origin(other)
                        )),
                    }
                }
            }
            Expr::Call(call) => self.argument_use(value, call, plan),
            Expr::FString(f) => self.fstring_use(value, f, false, plan),
            Expr::Lambda(l) if same(&l.body, value) => self.callable_uses(parent, plan),
            Expr::If(i) if !same(&i.test, value) => self.uses(parent, plan, depth + 1),
            _ => plan.risk("it is stored in an expression whose readers remedy cannot see"),
        }
    }

    fn stmt_use(&self, value: &'a Expr, stmt: &'a Stmt, plan: &mut Plan, depth: usize) {
        match stmt {
            Stmt::Expr(_) => {}
            Stmt::Assign(a) if same(&a.value, value) && a.targets.len() == 1 => {
                self.store_use(&a.targets[0], plan, depth)
            }
            Stmt::AnnAssign(a) if a.value.as_deref().is_some_and(|v| same(v, value)) => {
                self.store_use(&a.target, plan, depth)
            }
            Stmt::Return(_) => {
                plan.risk("it is returned, and callers may compare it with naive datetimes")
            }
            _ => plan.risk("it is used in a statement remedy does not follow"),
        }
    }

    /// `target = value`.
    fn store_use(&self, target: &'a Expr, plan: &mut Plan, depth: usize) {
        match target {
            Expr::Name(n) => {
                let b = self.ctx.bindings;
                let Some(binding) = b.bindings.iter().find(|x| x.range == n.range) else {
                    plan.risk(format!("it is stored in `{}`, which remedy cannot follow", n.id));
                    return;
                };
                if b.scopes[binding.scope].kind != ScopeKind::Function {
                    plan.risk(format!(
                        "it is stored in module- or class-level `{}`, which other code may compare with naive datetimes",
                        n.id
                    ));
                    return;
                }
                for reference in b.references_to(binding) {
                    if b.resolve(&n.id, reference.start()).len() != 1 {
                        plan.risk(format!("`{}` is assigned more than once, so remedy cannot follow its uses", n.id));
                        continue;
                    }
                    match self.tree.names.get(&reference.start()) {
                        Some(name_expr) => self.uses(name_expr, plan, depth + 1),
                        None => plan.risk(format!("`{}` is used where remedy cannot follow it", n.id)),
                    }
                }
            }
            Expr::Attribute(a) => match self.columns().by_field.get(a.attr.as_str()) {
                Some(true) => {}
                Some(false) => plan.risk(format!(
                    "it is stored in `{}`, and `{}` is declared as a naive `DateTime` column; drivers may shift an aware value to the session time zone",
                    self.text(target),
                    a.attr
                )),
                None => plan.risk(format!(
                    "it is stored in `{}`, which is only safe when that field is timezone-aware (e.g. `DateTime(timezone=True)`)",
                    self.text(target)
                )),
            },
            _ => plan.risk(format!("it is stored in `{}`, whose readers remedy cannot see", self.text(target))),
        }
    }

    /// `value.<member>` or `value.<method>(...)`.
    fn member_use(
        &self,
        member_expr: &'a Expr,
        member: &'a ast::ExprAttribute,
        plan: &mut Plan,
        depth: usize,
    ) {
        let name = member.attr.as_str();
        let Some(call) = self.tree.call_of(member_expr) else {
            match name {
                "year" | "month" | "day" | "hour" | "minute" | "second" | "microsecond"
                | "fold" => {}
                "tzinfo" => plan.risk("its `.tzinfo` is no longer None"),
                _ => plan.risk(format!("its `.{name}` is used")),
            }
            return;
        };
        let call_expr = self.call_expr(call);
        match name {
            // Same result for naive UTC and aware UTC values.
            "date" | "time" | "weekday" | "isoweekday" | "isocalendar" | "toordinal" | "ctime" | "timetuple"
            | "utctimetuple" => {}
            "replace" => {
                if ast_util::keyword(call, "tzinfo").is_none() {
                    self.uses(call_expr, plan, depth + 1);
                }
                // `.replace(tzinfo=...)` gives the very same value as before.
            }
            "isoformat" => self.text_use(call_expr, TextOf::Isoformat, plan, depth + 1),
            "strftime" => match call.arguments.args.first().and_then(ast_util::string_literal) {
                Some(format) if !has_zone_directive(&format) => {}
                Some(_) => plan.risk("its `strftime` format has `%z`/`%Z`, which now print `+0000`/`UTC` instead of nothing"),
                None => plan.risk("its `strftime` format is not a literal; `%z`/`%Z` would now print an offset"),
            },
            "timestamp" => plan.risk(
                "`.timestamp()` of the naive value assumed local time; the aware value gives the true epoch, a different number unless the machine's time zone is UTC",
            ),
            "astimezone" => plan.risk(
                "`.astimezone()` of the naive value assumed local time; the aware value converts from UTC, a different result unless the machine's time zone is UTC",
            ),
            "utcoffset" | "tzname" | "dst" | "timetz" => plan.risk(format!("its `.{name}()` no longer returns None")),
            _ => plan.risk(format!("its `.{name}()` is called")),
        }
    }

    /// `value + x`, `value - x`, `x - value`.
    fn arithmetic_use(
        &self,
        value: &'a Expr,
        parent: &'a Expr,
        binop: &'a ast::ExprBinOp,
        plan: &mut Plan,
        depth: usize,
    ) {
        let value_is_left = same(&binop.left, value);
        let other = if value_is_left {
            binop.right.as_ref()
        } else {
            binop.left.as_ref()
        };
        match binop.op {
            // datetime + timedelta (nothing else adds to a datetime): still a datetime.
            Operator::Add => self.uses(parent, plan, depth + 1),
            Operator::Sub if value_is_left && self.is_timedelta(other) => self.uses(parent, plan, depth + 1),
            Operator::Sub => match self.trace(other, 0) {
                Some(j) => plan.partners.push(j),
                None if self.naive_operand(other, true, "subtracted with", plan) => {}
                None => plan.risk(format!(
                    "it is subtracted with `{}`, {}; subtracting naive and aware datetimes raises TypeError",
                    self.text(other),
                    self.origin(other)
                )),
            },
            _ => plan.risk(format!("it is an operand of `{}`", self.text(parent))),
        }
    }

    /// `f(value)` or `f(key=value)`.
    fn argument_use(&self, value: &'a Expr, call: &'a ast::ExprCall, plan: &mut Plan) {
        let callee = self.text(call.func.as_ref());
        let method = ast_util::callee_name(call).unwrap_or_default();
        if same(&call.func, value) {
            plan.risk("it is called");
            return;
        }
        if matches!(method, "localize" | "fromutc") {
            plan.decline(format!("`{callee}()` rejects aware datetimes"));
            return;
        }
        if self.ctx.bindings.qualified_name(&call.func).as_deref() == Some("builtins.str") {
            if single_positional(call).is_some_and(|a| same(a, value)) {
                self.text_use(self.call_expr(call), TextOf::Str, plan, 0);
            } else {
                plan.risk(TextOf::Str.gains());
            }
            return;
        }
        let keyword = call
            .arguments
            .keywords
            .iter()
            .find(|k| same(&k.value, value));
        let model_has_aware_field = |field: &str| {
            self.columns()
                .aware_by_model
                .get(method)
                .is_some_and(|fields| fields.contains(field))
                && self.columns().by_field.get(field) == Some(&true)
        };
        match keyword.and_then(|k| k.arg.as_ref()) {
            Some(arg) if model_has_aware_field(arg.as_str()) => {}
            Some(arg) => plan.risk(format!(
                "it is passed as `{arg}=` to `{callee}(...)`, which may store it or compare it with naive datetimes"
            )),
            None => plan.risk(format!("it is passed to `{callee}(...)`, which may compare it with naive datetimes")),
        }
    }

    /// `text` (the value's `.isoformat()` or `str()`, a string ending in `+00:00` once the
    /// value is aware): `text + "Z"`, `prefix + text + "Z"` and `f"{text}Z"` are rewritten to
    /// keep their exact `...Z` output; any other `Z` placed right after the text declines;
    /// a local variable holding the text is followed to its uses.
    fn text_use(&self, text: &'a Expr, of: TextOf, plan: &mut Plan, depth: usize) {
        const Z_TEMPLATE: &str = "the template puts `Z` after the ISO text, which would now end in `+00:00`; fix by hand";
        if depth > MAX_USE_DEPTH {
            plan.risk(of.gains());
            return;
        }
        match self.tree.parent(text) {
            Some(Parent::Expr(Expr::BinOp(b))) if b.op == Operator::Add && same(&b.left, text) => {
                self.z_concatenation(text, &b.right, of, plan)
            }
            // `prefix + text + "Z"` parses as `(prefix + text) + "Z"`.
            Some(Parent::Expr(inner @ Expr::BinOp(b)))
                if b.op == Operator::Add && same(&b.right, text) =>
            {
                match self.tree.parent(inner) {
                    Some(Parent::Expr(Expr::BinOp(outer)))
                        if outer.op == Operator::Add && same(&outer.left, inner) =>
                    {
                        self.z_concatenation(text, &outer.right, of, plan)
                    }
                    _ => plan.risk(of.gains()),
                }
            }
            Some(Parent::Expr(Expr::FString(f))) => self.fstring_use(text, f, true, plan),
            Some(Parent::Expr(call_expr @ Expr::Call(call)))
                if ast_util::callee_name(call) == Some("format") =>
            {
                let template_puts_z = match call.func.as_ref() {
                    Expr::Attribute(a) => {
                        ast_util::string_literal(&a.value).is_some_and(|t| t.contains("}Z"))
                    }
                    _ => false,
                };
                if template_puts_z || self.followed_by_z(call_expr) {
                    plan.decline(Z_TEMPLATE)
                } else {
                    plan.risk(of.gains())
                }
            }
            Some(Parent::Expr(modulo @ Expr::BinOp(b))) if b.op == Operator::Mod => {
                self.percent_use(&b.left, modulo, of, plan)
            }
            Some(Parent::Expr(tuple @ Expr::Tuple(_))) if matches!(self.tree.parent(tuple), Some(Parent::Expr(Expr::BinOp(b))) if b.op == Operator::Mod && same(&b.right, tuple)) =>
            {
                let Some(Parent::Expr(modulo @ Expr::BinOp(b))) = self.tree.parent(tuple) else {
                    unreachable!("checked above")
                };
                self.percent_use(&b.left, modulo, of, plan)
            }
            // `[text, "Z"]` (joined later): the next element puts `Z` after the text.
            Some(Parent::Expr(
                Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }),
            )) => {
                let next = elts
                    .iter()
                    .position(|e| same(e, text))
                    .and_then(|i| elts.get(i + 1));
                if next.is_some_and(starts_with_z) {
                    plan.decline("the next element puts `Z` after the ISO text, which would now end in `+00:00`; fix by hand")
                } else {
                    plan.risk(of.gains())
                }
            }
            Some(Parent::Stmt(Stmt::Assign(a))) if same(&a.value, text) && a.targets.len() == 1 => {
                self.text_store(&a.targets[0], of, plan, depth)
            }
            Some(Parent::Stmt(Stmt::Expr(_))) => {}
            _ => plan.risk(of.gains()),
        }
    }

    /// `template % text` or `template % (..., text, ...)`.
    fn percent_use(&self, template: &Expr, modulo: &'a Expr, of: TextOf, plan: &mut Plan) {
        if ast_util::string_literal(template).is_some_and(|t| t.contains("sZ"))
            || self.followed_by_z(modulo)
        {
            plan.decline("the template puts `Z` after the ISO text, which would now end in `+00:00`; fix by hand")
        } else {
            plan.risk(of.gains())
        }
    }

    /// `name = text`: the uses of a local variable holding the text.
    fn text_store(&self, target: &'a Expr, of: TextOf, plan: &mut Plan, depth: usize) {
        let Expr::Name(n) = target else {
            plan.risk(of.gains());
            return;
        };
        let b = self.ctx.bindings;
        let Some(binding) = b.bindings.iter().find(|x| x.range == n.range) else {
            plan.risk(of.gains());
            return;
        };
        if b.scopes[binding.scope].kind != ScopeKind::Function {
            plan.risk(of.gains());
            return;
        }
        for reference in b.references_to(binding) {
            match self.tree.names.get(&reference.start()) {
                Some(name_expr) if b.resolve(&n.id, reference.start()).len() == 1 => {
                    self.text_use(name_expr, of, plan, depth + 1)
                }
                _ => plan.risk(of.gains()),
            }
        }
    }

    /// `text + right`: `right` exactly `"Z"` is folded into `text.replace("+00:00", "Z")`;
    /// other text starting with `Z` declines.
    fn z_concatenation(&self, text: &'a Expr, right: &'a Expr, of: TextOf, plan: &mut Plan) {
        let literal = match right {
            Expr::StringLiteral(s) => Some(s),
            _ => None,
        };
        let exactly_z = literal.is_some_and(|s| s.value.to_str() == "Z");
        if !exactly_z {
            if starts_with_z(right) {
                plan.decline("the text appended after the ISO text starts with `Z`, which would follow a new `+00:00`; fix by hand");
            } else {
                plan.risk(of.gains());
            }
            return;
        }
        let gap = self.ctx.slice(TextRange::new(text.end(), right.start()));
        if gap.contains('#') {
            plan.decline("a comment inside the expression would be lost; fix by hand");
            return;
        }
        let Some(plus) = gap.rfind('+') else {
            plan.risk(of.gains());
            return;
        };
        // Delete ` + "Z"` (keeping any closing parentheses between the text and the `+`).
        let kept = gap[..plus].trim_end_matches(|c: char| c.is_whitespace() || c == '\\');
        let delete_from = text.end() + TextSize::of(kept);
        let first = literal.and_then(|s| s.value.iter().next());
        let q = match first {
            Some(part) if !part.flags.is_triple_quoted() => part.flags.quote_style().as_char(),
            _ => '"',
        };
        let replace = format!(".replace({q}+00:00{q}, {q}Z{q})");
        if delete_from == text.end() {
            plan.edits.push(Edit::replacement(
                replace.clone(),
                TextRange::new(text.end(), right.end()),
            ));
        } else {
            plan.edits
                .push(Edit::insertion(replace.clone(), text.end()));
            plan.edits
                .push(Edit::deletion(TextRange::new(delete_from, right.end())));
        }
        let what = match (text, of) {
            (Expr::Name(n), _) => n.id.to_string(),
            (_, TextOf::Isoformat) => ".isoformat()".to_string(),
            (_, TextOf::Str) => "str(...)".to_string(),
        };
        plan.description
            .push_str(&format!(", and `{what} + {q}Z{q}` with `{what}{replace}`"));
    }

    /// True when the text of `expr` is directly followed by text starting with `Z`
    /// (`expr + "Z"`, `prefix + expr + "Z..."`).
    fn followed_by_z(&self, expr: &'a Expr) -> bool {
        match self.tree.parent(expr) {
            Some(Parent::Expr(Expr::BinOp(b))) if b.op == Operator::Add && same(&b.left, expr) => {
                starts_with_z(&b.right)
            }
            Some(Parent::Expr(parent @ Expr::BinOp(b)))
                if b.op == Operator::Add && same(&b.right, expr) =>
            {
                self.followed_by_z(parent)
            }
            _ => false,
        }
    }

    /// `value` (or, when `isoformat`, the `<value>.isoformat()` call) interpolated in an f-string.
    fn fstring_use(
        &self,
        value: &'a Expr,
        f: &'a ast::ExprFString,
        isoformat: bool,
        plan: &mut Plan,
    ) {
        let parts = f.value.as_slice();
        let found = parts.iter().enumerate().find_map(|(pi, part)| {
            let ast::FStringPart::FString(fs) = part else {
                return None;
            };
            let elements = &fs.elements;
            elements.iter().enumerate().find_map(|(i, el)| match el {
                InterpolatedStringElement::Interpolation(inter)
                    if same(&inter.expression, value) =>
                {
                    Some((pi, fs, inter, elements.get(i + 1)))
                }
                _ => None,
            })
        });
        let Some((pi, part, inter, next)) = found else {
            plan.risk("it is formatted in an f-string remedy cannot follow");
            return;
        };
        let followed_by_z = match next {
            Some(InterpolatedStringElement::Literal(lit)) => {
                self.ctx.slice(lit.range).starts_with('Z')
            }
            Some(InterpolatedStringElement::Interpolation(_)) => false,
            // The value ends its part: what follows is the next implicitly concatenated
            // part, or whatever the f-string is added to.
            None => match parts.get(pi + 1) {
                Some(ast::FStringPart::Literal(lit)) => lit.value.starts_with('Z'),
                Some(ast::FStringPart::FString(next_part)) => matches!(
                    next_part.elements.first(),
                    Some(InterpolatedStringElement::Literal(lit)) if lit.value.starts_with('Z')
                ),
                None => match self.tree.parent(value) {
                    Some(Parent::Expr(fstring)) => self.followed_by_z(fstring),
                    _ => false,
                },
            },
        };
        if let Some(spec) = &inter.format_spec {
            // `f"{now:%Y-%m-%dT%H:%M:%SZ}"` calls strftime with the spec.
            let literal: Option<String> = spec
                .elements
                .iter()
                .map(|el| match el {
                    InterpolatedStringElement::Literal(l) => Some(l.value.to_string()),
                    InterpolatedStringElement::Interpolation(_) => None,
                })
                .collect();
            match literal {
                Some(spec) if !isoformat && !has_zone_directive(&spec) && !spec.is_empty() => {}
                _ => plan.risk("its f-string format spec may print an offset now"),
            }
            return;
        }
        if inter.conversion != ConversionFlag::None || inter.debug_text.is_some() {
            plan.risk("its f-string text changes (it now shows the time zone)");
            return;
        }
        let nested = self
            .tree
            .ancestors(value)
            .filter(|e| e.is_f_string_expr())
            .count()
            > 1;
        let z_in_same_part = matches!(next, Some(InterpolatedStringElement::Literal(_)));
        match (isoformat, followed_by_z) {
            (true, true) if !nested && z_in_same_part => {
                let Some(InterpolatedStringElement::Literal(lit)) = next else { unreachable!() };
                // Inside the braces, use the quote the f-string does not use (Python < 3.12).
                let q = match part.flags.quote_style().as_char() {
                    '"' => '\'',
                    _ => '"',
                };
                plan.edits.push(Edit::insertion(format!(".replace({q}+00:00{q}, {q}Z{q})"), value.end()));
                plan.edits.push(Edit::deletion(TextRange::at(lit.range.start(), TextSize::new(1))));
                plan.description.push_str(&format!(
                    ", and `{{....isoformat()}}Z` with `{{....isoformat().replace({q}+00:00{q}, {q}Z{q})}}`"
                ));
            }
            (_, true) => plan.decline("the f-string puts `Z` right after the value, which would now end in `+00:00`; fix by hand"),
            (true, false) => plan.risk("its `.isoformat()` text in an f-string gains a `+00:00` suffix"),
            (false, false) => plan.risk("its f-string text gains a `+00:00` suffix"),
        }
    }

    /// Where a callable producing the converted value goes (`default=datetime.utcnow`,
    /// `default=lambda: datetime.utcnow()`).
    fn callable_uses(&self, callable: &'a Expr, plan: &mut Plan) {
        let Some(Parent::Expr(Expr::Call(call))) = self.tree.parent(callable) else {
            plan.risk("the callable's results go where remedy cannot follow");
            return;
        };
        let Some(keyword) = call
            .arguments
            .keywords
            .iter()
            .find(|k| same(&k.value, callable))
        else {
            plan.risk(format!(
                "the callable is passed to `{}(...)`, whose results remedy cannot follow",
                self.text(call.func.as_ref())
            ));
            return;
        };
        let arg = keyword.arg.as_ref().map(|a| a.as_str()).unwrap_or("**");
        let callee = ast_util::callee_name(call).unwrap_or_default();
        match (callee, arg) {
            ("Column" | "mapped_column", "default" | "onupdate") => {
                if column_type_is_aware(call) != Some(true) {
                    plan.risk(format!(
                        "the `{arg}=` of a column that is not `DateTime(timezone=True)`: its database column is naive, and drivers may shift an aware value to the session time zone"
                    ));
                }
            }
            (_, "default_factory") => plan.risk(
                "the field's values become aware, and code comparing them with naive datetimes (e.g. read back from a database) would raise TypeError",
            ),
            _ => plan.risk(format!("the callable is passed as `{arg}=` to `{}(...)`, whose results remedy cannot follow", self.text(call.func.as_ref()))),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Helpers.

    /// The occurrence whose converted value `expr` carries (through `.replace(...)` without
    /// `tzinfo`, `± timedelta`, and a local variable assigned once).
    fn trace(&self, expr: &'a Expr, depth: usize) -> Option<usize> {
        if depth > MAX_USE_DEPTH {
            return None;
        }
        match expr {
            Expr::Call(call) => {
                if let Some(&i) = self.by_call.get(&(call as *const ast::ExprCall as usize)) {
                    return Some(i);
                }
                match call.func.as_ref() {
                    Expr::Attribute(a)
                        if a.attr.as_str() == "replace"
                            && ast_util::keyword(call, "tzinfo").is_none() =>
                    {
                        self.trace(&a.value, depth + 1)
                    }
                    _ => None,
                }
            }
            Expr::BinOp(b) if b.op == Operator::Add && self.is_timedelta(&b.right) => {
                self.trace(&b.left, depth + 1)
            }
            Expr::BinOp(b) if b.op == Operator::Add && self.is_timedelta(&b.left) => {
                self.trace(&b.right, depth + 1)
            }
            Expr::BinOp(b) if b.op == Operator::Sub && self.is_timedelta(&b.right) => {
                self.trace(&b.left, depth + 1)
            }
            Expr::Name(n) => {
                let b = self.ctx.bindings;
                let binding = b.resolve_unique(&n.id, n.start())?;
                if binding.kind != BindingKind::Assignment
                    || b.scopes[binding.scope].kind != ScopeKind::Function
                {
                    return None;
                }
                match ast_util::statement_at(self.ctx.module(), binding.statement)?.stmt {
                    Stmt::Assign(a)
                        if a.targets.len() == 1 && a.targets[0].range() == binding.range =>
                    {
                        self.trace(&a.value, depth + 1)
                    }
                    Stmt::AnnAssign(a) if a.target.range() == binding.range => {
                        self.trace(a.value.as_deref()?, depth + 1)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `other` meets the converted value in a comparison or subtraction and is known to be
    /// naive. A naive UTC-agnostic constant written in place (`datetime.min`,
    /// `datetime(1970, 1, 1)`, `datetime.strptime(s, "%Y-%m-%d")`) is made aware with
    /// `.replace(tzinfo=timezone.utc)` by the same fix, which keeps the result exactly (both
    /// sides keep their wall-clock fields); a name holding one, or a naive *local* time,
    /// declines the fix (it would raise TypeError). False when `other` is not known naive.
    fn naive_operand(
        &self,
        other: &'a Expr,
        in_place_ok: bool,
        verb: &str,
        plan: &mut Plan,
    ) -> bool {
        let Some(naive) = self.naive_kind(other, 0) else {
            return false;
        };
        let text = self.text(other);
        match naive {
            Naive::Constant if in_place_ok && !text.contains('#') => {
                let tz = self.tz_text(other.start());
                let suffix = format!(".replace(tzinfo={tz}.utc)");
                let primary = matches!(other, Expr::Attribute(_) | Expr::Call(_));
                if primary {
                    plan.edits.push(Edit::insertion(suffix.clone(), other.end()));
                } else {
                    plan.edits.push(Edit::insertion("(", other.start()));
                    plan.edits
                        .push(Edit::insertion(format!("){suffix}"), other.end()));
                }
                let new = if primary {
                    format!("{text}{suffix}")
                } else {
                    format!("({text}){suffix}")
                };
                plan.description.push_str(&format!(
                    ", and the naive `{text}` it is {verb} becomes `{new}` (the same result, both aware)"
                ));
            }
            Naive::Constant => plan.decline(format!(
                "it is {verb} `{text}`, a naive datetime, in a chained comparison; comparing naive with aware datetimes raises TypeError; fix by hand"
            )),
            Naive::Named { name, line } => plan.decline(format!(
                "it is {verb} `{text}`, and `{name}` (line {line}) is a naive datetime: naive and aware datetimes raise TypeError together; make `{name}` aware too (`.replace(tzinfo=timezone.utc)`) and fix this by hand"
            )),
            Naive::Alternative(naive) => plan.decline(format!(
                "it is {verb} `{text}`, which may be the naive `{naive}`: naive and aware datetimes raise TypeError together; fix by hand"
            )),
            Naive::Local => plan.decline(format!(
                "it is {verb} `{text}`, a naive local time: an aware UTC value cannot be {verb} it (TypeError), and the code already mixes UTC with local time; fix by hand"
            )),
        }
        true
    }

    /// Whether `expr` is evidently a naive datetime, and which kind.
    fn naive_kind(&self, expr: &'a Expr, depth: usize) -> Option<Naive> {
        if depth > MAX_USE_DEPTH {
            return None;
        }
        let b = self.ctx.bindings;
        match expr {
            Expr::Attribute(a) if matches!(a.attr.as_str(), "min" | "max") => {
                let q = b.qualified_name(expr)?;
                (q == format!("datetime.datetime.{}", a.attr)).then_some(Naive::Constant)
            }
            Expr::Call(call) => {
                let args = &call.arguments;
                let plain = args.args.iter().all(|a| !a.is_starred_expr())
                    && args.keywords.iter().all(|k| k.arg.is_some());
                match b.qualified_name(&call.func).as_deref() {
                    // datetime(year, month, day[, hour, minute, second, microsecond]): the
                    // eighth positional argument would be tzinfo.
                    Some("datetime.datetime")
                        if plain
                            && args.args.len() < 8
                            && ast_util::keyword(call, "tzinfo").is_none() =>
                    {
                        Some(Naive::Constant)
                    }
                    Some("datetime.datetime.strptime")
                        if plain && args.args.len() == 2 && args.keywords.is_empty() =>
                    {
                        let format = ast_util::string_literal(&args.args[1])?;
                        (!has_zone_directive(&format)).then_some(Naive::Constant)
                    }
                    Some("datetime.datetime.now" | "datetime.datetime.today")
                        if args.is_empty() =>
                    {
                        Some(Naive::Local)
                    }
                    Some("datetime.datetime.fromtimestamp")
                        if single_positional(call).is_some() =>
                    {
                        Some(Naive::Local)
                    }
                    _ => match call.func.as_ref() {
                        Expr::Attribute(a)
                            if a.attr.as_str() == "replace"
                                && ast_util::keyword(call, "tzinfo").is_none()
                                && plain =>
                        {
                            self.naive_kind(&a.value, depth + 1)
                        }
                        _ => None,
                    },
                }
            }
            Expr::BinOp(bo)
                if matches!(bo.op, Operator::Add | Operator::Sub)
                    && self.is_timedelta(&bo.right) =>
            {
                self.naive_kind(&bo.left, depth + 1)
            }
            Expr::BinOp(bo) if bo.op == Operator::Add && self.is_timedelta(&bo.left) => {
                self.naive_kind(&bo.right, depth + 1)
            }
            // `last_seen or datetime.min`, `a if c else datetime.min`: if one alternative is
            // naive, the value may be.
            Expr::BoolOp(bo) => bo.values.iter().find_map(|v| {
                self.naive_kind(v, depth + 1)
                    .map(|_| Naive::Alternative(self.text(v).to_string()))
            }),
            Expr::If(i) => [i.body.as_ref(), i.orelse.as_ref()]
                .into_iter()
                .find_map(|v| {
                    self.naive_kind(v, depth + 1)
                        .map(|_| Naive::Alternative(self.text(v).to_string()))
                }),
            Expr::Name(n) => {
                let binding = b.resolve_unique(&n.id, n.start())?;
                let assigned_once = b
                    .bindings_named(&n.id)
                    .filter(|x| x.scope == binding.scope)
                    .count()
                    == 1;
                if binding.kind != BindingKind::Assignment || !assigned_once {
                    return None;
                }
                let value = match ast_util::statement_at(self.ctx.module(), binding.statement)?.stmt
                {
                    Stmt::Assign(a)
                        if a.targets.len() == 1 && a.targets[0].range() == binding.range =>
                    {
                        a.value.as_ref()
                    }
                    Stmt::AnnAssign(a) if a.target.range() == binding.range => {
                        a.value.as_deref()?
                    }
                    _ => return None,
                };
                match self.naive_kind(value, depth + 1)? {
                    Naive::Local => Some(Naive::Local),
                    Naive::Constant | Naive::Named { .. } | Naive::Alternative(_) => {
                        Some(Naive::Named {
                            name: n.id.to_string(),
                            line: self.ctx.lines.position(binding.range.start()).line,
                        })
                    }
                }
            }
            _ => None,
        }
    }

    fn is_timedelta(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Call(c) => matches!(
                self.ctx.bindings.qualified_name(&c.func).as_deref(),
                Some("datetime.timedelta" | "dateutil.relativedelta.relativedelta")
            ),
            _ => false,
        }
    }

    /// Why remedy cannot tell whether `expr` is naive or aware.
    fn origin(&self, expr: &Expr) -> &'static str {
        match expr {
            Expr::Name(n) => match self
                .ctx
                .bindings
                .resolve_unique(&n.id, n.start())
                .map(|b| &b.kind)
            {
                Some(BindingKind::Parameter) => "a parameter whose awareness remedy cannot tell",
                _ => "whose awareness remedy cannot tell",
            },
            Expr::Attribute(_) | Expr::Subscript(_) => {
                "a value read from elsewhere (e.g. a database row) whose awareness remedy cannot tell"
            }
            _ => "whose awareness remedy cannot tell",
        }
    }

    /// The `DateTime` column declarations of this file and of project files that declare
    /// aware columns.
    fn columns(&self) -> &Columns {
        self.columns.get_or_init(|| {
            let mut columns = Columns::default();
            collect_columns(&self.ctx.module().body, &mut columns);
            for file in self
                .ctx
                .project
                .python_files_containing("timezone=True")
                .iter()
            {
                if file.path == self.ctx.relative_path {
                    continue;
                }
                if let Ok(parsed) = ruff_python_parser::parse_module(&file.text) {
                    collect_columns(&parsed.syntax().body, &mut columns);
                }
            }
            columns
        })
    }

    /// Variant: the project's tests patch this module's `datetime` and stub
    /// `utcnow.return_value`; those stubs stop applying once the code calls `now()`.
    fn patched_in_tests(&self) -> Option<String> {
        let heads: HashSet<&str> = self
            .occurrences
            .iter()
            .filter_map(|o| head_name(&o.attribute.value))
            .collect();
        let files = self
            .ctx
            .project
            .python_files_containing("utcnow.return_value");
        let modules = self.ctx.project.module_names(&self.ctx.relative_path);
        for file in files.iter() {
            if file.path == self.ctx.relative_path {
                continue;
            }
            for module in &modules {
                for head in &heads {
                    let target = format!("{module}.{head}");
                    if contains_quoted(&file.text, &target) {
                        return Some(format!(
                            "`{}` patches `{target}` and stubs `utcnow.return_value`; after this fix the code calls `now()`, so that test must be updated too",
                            file.path.display()
                        ));
                    }
                }
            }
        }
        None
    }
}

/// The first name of a dotted receiver (`dt` for `dt.datetime`).
fn head_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => head_name(&a.value),
        _ => None,
    }
}

/// The only argument of a call with one positional, non-starred argument and no keywords.
fn single_positional(call: &ast::ExprCall) -> Option<&Expr> {
    match (&*call.arguments.args, call.arguments.keywords.is_empty()) {
        ([arg], true) if !arg.is_starred_expr() => Some(arg),
        _ => None,
    }
}

/// Names, attributes, literals, and calls of those: moving their evaluation cannot matter.
fn is_side_effect_free(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_) | Expr::StringLiteral(_) | Expr::NumberLiteral(_) => true,
        Expr::Attribute(a) => is_side_effect_free(&a.value),
        Expr::Call(c) => {
            is_side_effect_free(&c.func)
                && c.arguments
                    .args
                    .iter()
                    .all(|a| matches!(a, Expr::StringLiteral(_)))
                && c.arguments.keywords.is_empty()
        }
        _ => false,
    }
}

/// `%z`, `%:z` or `%Z`: directives that print nothing for naive datetimes.
fn has_zone_directive(format: &str) -> bool {
    format.contains("%z") || format.contains("%Z") || format.contains("%:z")
}

/// True when `text` contains `target` as a whole quoted string (`"app.x.datetime"`).
fn contains_quoted(text: &str, target: &str) -> bool {
    ['"', '\'']
        .iter()
        .any(|q| text.contains(&format!("{q}{target}{q}")))
}

/// `Column(DateTime(timezone=True), ...)`: Some(true); a `DateTime` without it: Some(false);
/// no recognizable type: None.
fn column_type_is_aware(call: &ast::ExprCall) -> Option<bool> {
    call.arguments.args.iter().find_map(|arg| {
        let (name, inner) = match arg {
            Expr::Call(c) => (ast_util::callee_name(c)?, Some(c)),
            Expr::Name(n) => (n.id.as_str(), None),
            Expr::Attribute(a) => (a.attr.as_str(), None),
            _ => return None,
        };
        if !matches!(name, "DateTime" | "TIMESTAMP") {
            return None;
        }
        Some(
            inner
                .and_then(|c| ast_util::keyword(c, "timezone"))
                .is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value)),
        )
    })
}

/// Model fields declared as `DateTime` columns.
#[derive(Default)]
struct Columns {
    /// Field name → aware (`DateTime(timezone=True)`); a name declared both ways is naive.
    by_field: HashMap<String, bool>,
    /// Model class name → its aware fields.
    aware_by_model: HashMap<String, HashSet<String>>,
}

/// Collects class-level `name = Column(DateTime(...))` / `mapped_column(...)` declarations.
fn collect_columns(body: &[Stmt], columns: &mut Columns) {
    for stmt in body {
        if let Stmt::ClassDef(class) = stmt {
            for item in &class.body {
                let (target, value) = match item {
                    Stmt::Assign(a) if a.targets.len() == 1 => (&a.targets[0], a.value.as_ref()),
                    Stmt::AnnAssign(a) => match &a.value {
                        Some(v) => (a.target.as_ref(), v.as_ref()),
                        None => continue,
                    },
                    _ => continue,
                };
                let (Expr::Name(name), Expr::Call(call)) = (target, value) else {
                    continue;
                };
                if !matches!(
                    ast_util::callee_name(call),
                    Some("Column" | "mapped_column")
                ) {
                    continue;
                }
                if let Some(aware) = column_type_is_aware(call) {
                    let entry = columns.by_field.entry(name.id.to_string()).or_insert(aware);
                    *entry = *entry && aware;
                    if aware {
                        columns
                            .aware_by_model
                            .entry(class.name.to_string())
                            .or_default()
                            .insert(name.id.to_string());
                    }
                }
            }
            collect_columns(&class.body, columns);
        }
    }
}

/// Which text of a converted value is being followed.
#[derive(Clone, Copy)]
enum TextOf {
    /// `value.isoformat(...)`
    Isoformat,
    /// `str(value)` (the same as `value.isoformat(" ")`)
    Str,
}

impl TextOf {
    fn gains(self) -> &'static str {
        match self {
            TextOf::Isoformat => {
                "its `.isoformat()` text gains a `+00:00` suffix (`2024-01-01T12:00:00+00:00`)"
            }
            TextOf::Str => "its `str()` text gains a `+00:00` suffix (`2024-01-01 12:00:00+00:00`)",
        }
    }
}

/// True for a string literal or f-string whose text starts with `Z`.
fn starts_with_z(expr: &Expr) -> bool {
    match expr {
        Expr::StringLiteral(s) => s.value.to_str().starts_with('Z'),
        Expr::FString(f) => match f.value.as_slice().first() {
            Some(ast::FStringPart::Literal(lit)) => lit.value.starts_with('Z'),
            Some(ast::FStringPart::FString(part)) => matches!(
                part.elements.first(),
                Some(InterpolatedStringElement::Literal(lit)) if lit.value.starts_with('Z')
            ),
            None => false,
        },
        _ => false,
    }
}

/// An operand known to be a naive datetime.
enum Naive {
    /// A naive constant written in place (`datetime.min`, `datetime(1970, 1, 1)`,
    /// `datetime.strptime(s, "%Y-%m-%d")`): it can become aware where it stands.
    Constant,
    /// A variable holding one (`EPOCH = datetime(1970, 1, 1)`), assigned on `line`.
    Named { name: String, line: usize },
    /// A naive local time (`datetime.now()`, `datetime.fromtimestamp(ts)`).
    Local,
    /// `x or datetime.min`, `x if c else datetime.min`: one alternative (this text) is naive.
    Alternative(String),
}

/// Groups of occurrences that must be converted together.
struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> Self {
        Self((0..n).collect())
    }

    fn find(&self, mut i: usize) -> usize {
        while self.0[i] != i {
            i = self.0[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}
