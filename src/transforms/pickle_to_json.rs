//! Transform `pickle-to-json`: cache code that unpickles data read from Redis, memcache or
//! cache files lets whoever can write there run code (review finding CRIT-D3, CWE-502).
//! Removes pickle fallbacks next to an existing JSON path and switches recognised cache reads
//! and writes to JSON; every other pickle deserialization is reported without an edit.

use std::collections::BTreeMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::ast_util;
use crate::bindings::{Binding, BindingKind};
use crate::context::FileContext;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use crate::imports;
use crate::source;
use crate::suppression::Suppressions;
use crate::transforms::Transform;

pub struct ThisTransform;
pub static TRANSFORM: ThisTransform = ThisTransform;

const ID: &str = "pickle-to-json";

/// Modules whose `loads`/`dumps`/`load`/`dump` speak the pickle format.
const PICKLE_MODULES: &[&str] = &["pickle", "cPickle", "_pickle"];

/// Methods of redis/memcache-like clients that return a stored value.
const CLIENT_READS: &[&str] = &[
    "get",
    "hget",
    "getex",
    "getdel",
    "getset",
    "lindex",
    "lpop",
    "rpop",
    "get_value",
];

/// Methods of redis/memcache-like clients that store a value.
const CLIENT_WRITES: &[&str] = &[
    "set",
    "setex",
    "psetex",
    "setnx",
    "hset",
    "hsetnx",
    "hmset",
    "mset",
    "msetnx",
    "set_many",
    "set_multi",
    "add",
    "replace",
    "lpush",
    "rpush",
    "getset",
];

/// Client methods that treat the stored value as a raw integer.
const CLIENT_COUNTERS: &[&str] = &[
    "incr",
    "incrby",
    "decr",
    "decrby",
    "incrbyfloat",
    "hincrby",
    "hincrbyfloat",
];

/// Words that mark a pickle as a trusted local artifact rather than cache data.
const ARTIFACT_WORDS: &[&str] = &[
    "model",
    "weights",
    "checkpoint",
    "estimator",
    "classifier",
    "vectorizer",
    "tokenizer",
    "artifact",
    "joblib",
    "torch",
    "sklearn",
];

/// Modules whose presence marks pickle as inter-process messaging.
const IPC_MODULES: &[&str] = &[
    "multiprocessing",
    "socket",
    "socketserver",
    "zmq",
    "concurrent",
];

impl Transform for ThisTransform {
    fn id(&self) -> &'static str {
        ID
    }

    /// Test code is not production code: nothing there is reported.
    fn skips_test_files(&self) -> bool {
        true
    }

    fn triggers(&self) -> &'static [&'static str] {
        &["pickle", "cPickle"]
    }

    /// Findings resolve through an import of `pickle`, `cPickle` or `_pickle`, so a file
    /// without such an import line (pickle only in prose or names) has none.
    fn may_match(&self, text: &str) -> bool {
        crate::prefilter::imports_mentioning(text, "ickle")
    }

    fn check(&self, ctx: &FileContext) -> Vec<Finding> {
        let mut collector = Collector {
            stmts: Vec::new(),
            exprs: Vec::new(),
            calls: Vec::new(),
        };
        collector.visit_body(&ctx.module().body);
        let checker = Checker {
            ctx,
            calls: &collector.calls,
        };
        checker.run()
    }
}

/// What a pickle call does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Loads,
    Load,
    Dumps,
    Dump,
    /// `Unpickler`, `Pickler` and other members: reported, never converted.
    Other,
}

impl Op {
    fn reads(self) -> bool {
        matches!(self, Op::Loads | Op::Load)
    }
}

/// A call with the statements and expressions around it (outermost first).
struct CallSite<'a> {
    call: &'a ast::ExprCall,
    stmts: Vec<&'a Stmt>,
    exprs: Vec<&'a Expr>,
}

struct Collector<'a> {
    stmts: Vec<&'a Stmt>,
    exprs: Vec<&'a Expr>,
    calls: Vec<CallSite<'a>>,
}

impl<'a> Visitor<'a> for Collector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.stmts.push(stmt);
        visitor::walk_stmt(self, stmt);
        self.stmts.pop();
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            self.calls.push(CallSite {
                call,
                stmts: self.stmts.clone(),
                exprs: self.exprs.clone(),
            });
        }
        self.exprs.push(expr);
        visitor::walk_expr(self, expr);
        self.exprs.pop();
    }
}

/// One pickle call's verdict before import edits are attached.
enum Verdict {
    Fix {
        applicability: Applicability,
        message: String,
        description: String,
        edits: Vec<Edit>,
    },
    Decline(String),
}

struct Candidate {
    range: TextRange,
    verdict: Verdict,
    /// A cache read or write whose conversion must happen together with the file's others.
    format_change: bool,
    /// A declined call in cache code that stores or reads the cache's format.
    blocks_format_change: bool,
}

struct Checker<'c, 'a> {
    ctx: &'c FileContext<'a>,
    calls: &'c [CallSite<'a>],
}

impl<'a> Checker<'_, 'a> {
    fn run(&self) -> Vec<Finding> {
        let pickle_calls: Vec<(usize, Op)> = self
            .calls
            .iter()
            .enumerate()
            .filter_map(|(i, site)| self.pickle_op(&site.call.func).map(|op| (i, op)))
            .collect();
        if pickle_calls.is_empty() {
            return Vec::new();
        }
        let mut consumed: Vec<TextRange> = Vec::new();
        let mut candidates: Vec<Candidate> = Vec::new();
        // Parallel to `candidates`: the pickle operation and whether it is a JSON-path fallback.
        let mut kinds: Vec<(Op, bool)> = Vec::new();
        for &(i, op) in &pickle_calls {
            if let Some(candidate) = self.fallback(&self.calls[i], op) {
                consumed.push(self.calls[i].call.range());
                candidates.push(candidate);
                kinds.push((op, true));
            }
        }
        // Pickle writes that are not reported (not recognisably cache code, or with a protocol
        // outside it) still write pickle that some reader in this file may be reading.
        let mut silent_writes: Vec<TextRange> = Vec::new();
        for &(i, op) in &pickle_calls {
            let site = &self.calls[i];
            if consumed.contains(&site.call.range()) {
                continue;
            }
            match self.classify(site, op, &mut consumed) {
                Some(candidate) => {
                    candidates.push(candidate);
                    kinds.push((op, false));
                }
                None if matches!(op, Op::Dumps | Op::Dump)
                    && self.artifact_word(site).is_none()
                    && self.ipc_module().is_none()
                    && !(op == Op::Dumps && self.is_fingerprint(site)) =>
                {
                    silent_writes.push(site.call.range());
                }
                None => {}
            }
        }
        self.enforce_coherence(&mut candidates, &silent_writes);
        self.qualify_fallbacks(&mut candidates, &kinds, &silent_writes);
        self.finish(candidates)
    }

    /// A deserializer fallback removal is Safe only when every pickle writer of this file writes
    /// JSON after safe fixes; while a writer stays pickle, everything it stores is read as a miss
    /// (Shape 1, now Unsafe) or raises (Shape 2, declined).
    fn qualify_fallbacks(
        &self,
        candidates: &mut [Candidate],
        kinds: &[(Op, bool)],
        silent_writes: &[TextRange],
    ) {
        let stays = |c: &Candidate| match &c.verdict {
            Verdict::Fix { applicability, .. } => *applicability != Applicability::Safe,
            Verdict::Decline(_) => true,
        };
        let always = |c: &Candidate| matches!(c.verdict, Verdict::Decline(_));
        let writers: Vec<(TextSize, bool)> = candidates
            .iter()
            .zip(kinds)
            .filter(|(c, (op, fallback))| {
                !fallback && matches!(op, Op::Dumps | Op::Dump) && stays(c)
            })
            .map(|(c, _)| (c.range.start(), always(c)))
            .chain(silent_writes.iter().map(|r| (r.start(), true)))
            .collect();
        let Some(&(first, _)) = writers.iter().min_by_key(|(at, _)| *at) else {
            return;
        };
        let permanent = writers.iter().filter(|(_, p)| *p).map(|(at, _)| *at).min();
        for (c, (op, fallback)) in candidates.iter_mut().zip(kinds) {
            if !fallback || *op != Op::Loads {
                continue;
            }
            let Verdict::Fix {
                applicability,
                message,
                description,
                ..
            } = &mut c.verdict
            else {
                continue;
            };
            match (*applicability, permanent) {
                (Applicability::Safe, _) => {
                    let (at, how) = match permanent {
                        Some(at) => (at, "stays pickle"),
                        None => (first, "switches to JSON only with unsafe fixes"),
                    };
                    let line = self.ctx.lines.position(at).line;
                    *applicability = Applicability::Unsafe;
                    description.push_str(&format!(
                        "; the pickle write on line {line} {how}, and until it writes JSON everything it stores \
                         is read as a miss"
                    ));
                }
                (_, Some(at)) => {
                    let line = self.ctx.lines.position(at).line;
                    c.verdict = Verdict::Decline(format!(
                        "{message}; not fixed: the pickle write on line {line} stays, so without the fallback \
                         every entry it stores would raise when read"
                    ));
                }
                _ => {}
            }
        }
    }

    /// The pickle operation a callee names, through aliases and `from` imports, including
    /// `try: import cPickle as pickle / except ImportError: import pickle` alternatives.
    fn pickle_op(&self, func: &Expr) -> Option<Op> {
        let (head, member) = match func {
            Expr::Name(name) => (name, None),
            Expr::Attribute(attr) => match attr.value.as_ref() {
                Expr::Name(name) => (name, Some(attr.attr.as_str())),
                _ => return None,
            },
            _ => return None,
        };
        let candidates = self.ctx.bindings.resolve(&head.id, head.start());
        if candidates.is_empty() {
            return None;
        }
        let mut members = candidates
            .iter()
            .map(|binding| match (&binding.kind, member) {
                (BindingKind::Import { module }, Some(member))
                    if PICKLE_MODULES.contains(&module.as_str()) =>
                {
                    Some(member)
                }
                (BindingKind::FromImport { module, member }, None)
                    if PICKLE_MODULES.contains(&module.as_str()) =>
                {
                    Some(member.as_str())
                }
                _ => None,
            });
        let first = members.next()??;
        if !members.all(|m| m == Some(first)) {
            return None;
        }
        Some(match first {
            "loads" => Op::Loads,
            "load" => Op::Load,
            "dumps" => Op::Dumps,
            "dump" => Op::Dump,
            "Unpickler" | "Pickler" => Op::Other,
            _ => return None,
        })
    }

    fn is_json_call(&self, call: &ast::ExprCall, member: &str) -> bool {
        self.ctx
            .bindings
            .qualified_name(&call.func)
            .is_some_and(|q| {
                q.rsplit_once('.').is_some_and(|(m, f)| {
                    f == member && ["json", "simplejson", "ujson", "orjson"].contains(&m)
                })
            })
    }

    // ----- fallbacks next to a JSON path -----

    /// A pickle fallback in an `except` handler of a `try` whose body decodes or encodes JSON.
    fn fallback(&self, site: &CallSite<'a>, op: Op) -> Option<Candidate> {
        let call_range = site.call.range();
        // The statement directly holding the call must be `return pickle.xxx(...)` or
        // `value = pickle.xxx(...)`.
        let holder = *site.stmts.last()?;
        let value = match holder {
            Stmt::Return(ret) => ret.value.as_deref(),
            Stmt::Assign(assign)
                if assign.targets.len() == 1 && assign.targets[0].is_name_expr() =>
            {
                Some(assign.value.as_ref())
            }
            _ => None,
        };
        if value.map(Ranged::range) != Some(call_range) {
            return None;
        }
        match op {
            Op::Loads => self.deserializer_fallback(site, holder),
            Op::Dumps => self.serializer_fallback(site, holder),
            _ => None,
        }
    }

    /// The handler (of a try whose body holds `json_member`) whose body holds `stmt` directly.
    fn json_handler_around(
        &self,
        site: &CallSite<'a>,
        stmt: &Stmt,
        json_member: &str,
    ) -> Option<(&'a ast::StmtTry, &'a ast::ExceptHandlerExceptHandler)> {
        site.stmts.iter().rev().find_map(|s| {
            let Stmt::Try(t) = s else { return None };
            let handler = t.handlers.iter().find_map(|h| {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                h.body
                    .iter()
                    .any(|b| b.range() == stmt.range())
                    .then_some(h)
            })?;
            let has_json = self.calls.iter().any(|c| {
                t.body
                    .iter()
                    .any(|b| b.range().contains_range(c.call.range()))
                    && self.is_json_call(c.call, json_member)
            });
            has_json.then_some((t, handler))
        })
    }

    fn deserializer_fallback(&self, site: &CallSite<'a>, holder: &'a Stmt) -> Option<Candidate> {
        let call_range = site.call.range();
        let message = "cache deserializer falls back to `pickle.loads` when JSON decoding fails: \
                       whoever can write to the cache can run code in this process (CWE-502)";
        // Shape 1: `except ...: try: return pickle.loads(d) except: return None`.
        let inner = site.stmts.iter().rev().find_map(|s| match s {
            Stmt::Try(t) if t.body.len() == 1 && t.body[0].range() == holder.range() => Some(t),
            _ => None,
        });
        if let Some(inner) = inner {
            let inner_stmt = Stmt::Try(inner.clone());
            self.json_handler_around(site, &inner_stmt, "loads")?;
            let verdict = match self.unwrap_inner_try(inner) {
                Ok((edit, value, false)) => Verdict::Fix {
                    applicability: Applicability::Safe,
                    message: message.to_string(),
                    description: format!(
                        "remove the pickle fallback: data JSON cannot decode becomes a cache miss (`{value}`, \
                         what the inner handler already returns)"
                    ),
                    edits: vec![edit],
                },
                Ok((edit, value, true)) => Verdict::Fix {
                    applicability: Applicability::Unsafe,
                    message: message.to_string(),
                    description: format!(
                        "remove the pickle fallback: data JSON cannot decode goes to what the inner handler does \
                         (`{value}`), so entries written with pickle now raise instead of loading"
                    ),
                    edits: vec![edit],
                },
                Err(reason) => Verdict::Decline(format!("{message}; not fixed: {reason}")),
            };
            return Some(Candidate {
                range: call_range,
                verdict,
                format_change: false,
                blocks_format_change: false,
            });
        }
        // Shape 2: `except json.JSONDecodeError: return pickle.loads(d)`: re-raise instead.
        self.json_handler_around(site, holder, "loads")?;
        let verdict = Verdict::Fix {
            applicability: Applicability::Unsafe,
            message: message.to_string(),
            description: "remove the pickle fallback: data JSON cannot decode now re-raises the decoding error \
                          (callers must treat it as a cache miss)"
                .to_string(),
            edits: vec![Edit::replacement("raise", holder.range())],
        };
        Some(Candidate {
            range: call_range,
            verdict,
            format_change: false,
            blocks_format_change: false,
        })
    }

    /// Replaces an inner `try: return pickle.loads(d) except ...: <body>` with `<body>`,
    /// dedented one level. Returns the edit, the handler's first statement text, and whether
    /// the handler raises.
    fn unwrap_inner_try(&self, inner: &ast::StmtTry) -> Result<(Edit, String, bool), String> {
        let text = self.ctx.source;
        if inner.handlers.len() != 1 || !inner.orelse.is_empty() || !inner.finalbody.is_empty() {
            return Err(
                "the inner `try` has more than one handler, an `else` or a `finally`".into(),
            );
        }
        let ast::ExceptHandler::ExceptHandler(handler) = &inner.handlers[0];
        let (Some(first), Some(last)) = (handler.body.first(), handler.body.last()) else {
            return Err("the inner handler is empty".into());
        };
        let mut uses = HandlerUses {
            name: handler.name.as_ref().map(|n| n.id.as_str()),
            ..HandlerUses::default()
        };
        uses.visit_body(&handler.body);
        if let (true, Some(name)) = (uses.reads_name, uses.name) {
            return Err(format!(
                "the inner handler uses `{name}`, the exception it caught, which would be unbound once its \
                 `try` is removed"
            ));
        }
        if !source::is_first_on_line(text, inner.start())
            || !source::is_first_on_line(text, first.start())
        {
            return Err("the inner `try` shares its lines with other code".into());
        }
        let outer_indent = source::indentation_at(text, inner.start());
        let body_indent = source::indentation_at(text, first.start());
        if !body_indent.starts_with(outer_indent) || body_indent.len() <= outer_indent.len() {
            return Err("the inner handler's indentation is unusual".into());
        }
        let block_start = source::line_start(text, first.start());
        let block_end = source::full_line_end(text, last.end());
        let block = &text[usize::from(block_start)..usize::from(block_end)];
        if block.contains("\"\"\"") || block.contains("'''") {
            return Err(
                "the inner handler holds a multi-line string that dedenting would change".into(),
            );
        }
        let mut replacement = String::with_capacity(block.len());
        for line in block.split_inclusive('\n') {
            if line.trim().is_empty() {
                replacement.push_str(line);
            } else if let Some(rest) = line.strip_prefix(body_indent) {
                replacement.push_str(outer_indent);
                replacement.push_str(rest);
            } else {
                return Err("the inner handler has lines indented less than its body".into());
            }
        }
        let range = TextRange::new(source::line_start(text, inner.start()), block_end);
        let value = self.ctx.slice(first.range()).to_string();
        Ok((Edit::replacement(replacement, range), value, uses.raises))
    }

    fn serializer_fallback(&self, site: &CallSite<'a>, holder: &'a Stmt) -> Option<Candidate> {
        let (_, handler) = self.json_handler_around(site, holder, "dumps")?;
        let catches = handler.type_.is_some();
        let function = self.innermost_function(site);
        let callers_handle =
            function.is_some_and(|f| self.all_callers_handle_errors(f.name.as_str()));
        let applicability = if callers_handle {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        let consequence = if callers_handle {
            "every caller already catches the error, so such values are simply not cached"
        } else {
            "callers now see that error for values JSON cannot encode"
        };
        let raised = if catches {
            "the JSON encoding error"
        } else {
            "the error"
        };
        let verdict = Verdict::Fix {
            applicability,
            message:
                "cache serializer falls back to `pickle.dumps`, so cache readers must unpickle \
                      (CWE-502)"
                    .to_string(),
            description: format!("stop writing pickle: re-raise {raised} instead; {consequence}"),
            edits: vec![Edit::replacement("raise", holder.range())],
        };
        Some(Candidate {
            range: site.call.range(),
            verdict,
            format_change: false,
            blocks_format_change: false,
        })
    }

    fn innermost_function(&self, site: &CallSite<'a>) -> Option<&'a ast::StmtFunctionDef> {
        site.stmts.iter().rev().find_map(|s| match s {
            Stmt::FunctionDef(f) => Some(f),
            _ => None,
        })
    }

    /// True when `name` is called at least once and every call sits in a `try` body whose
    /// handlers catch `TypeError` (or something broader).
    fn all_callers_handle_errors(&self, name: &str) -> bool {
        let callers: Vec<&CallSite> = self
            .calls
            .iter()
            .filter(|c| ast_util::callee_name(c.call) == Some(name))
            .collect();
        !callers.is_empty()
            && callers.iter().all(|c| {
                self.enclosing_try_handlers(c)
                    .iter()
                    .any(|h| self.handler_catches(h, &["TypeError", "Exception", "BaseException"]))
            })
    }

    /// The handlers of every `try` whose body (not handler) contains the call, innermost first.
    fn enclosing_try_handlers(
        &self,
        site: &CallSite<'a>,
    ) -> Vec<&'a ast::ExceptHandlerExceptHandler> {
        let range = site.call.range();
        let mut out = Vec::new();
        for s in site.stmts.iter().rev() {
            if let Stmt::Try(t) = s
                && t.body.iter().any(|b| b.range().contains_range(range))
            {
                out.extend(t.handlers.iter().map(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    h
                }));
            }
        }
        out
    }

    /// Whether a handler catches one of `names` (bare `except:` catches everything).
    fn handler_catches(&self, handler: &ast::ExceptHandlerExceptHandler, names: &[&str]) -> bool {
        let Some(type_) = handler.type_.as_deref() else {
            return true;
        };
        let types: Vec<&Expr> = match type_ {
            Expr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        types.iter().any(|t| {
            let name = self
                .ctx
                .bindings
                .qualified_name(t)
                .or_else(|| ast_util::dotted_name(t))
                .unwrap_or_default();
            let last = name.rsplit('.').next().unwrap_or_default();
            names.contains(&last)
        })
    }

    fn handler_mentions_pickle(&self, handler: &ast::ExceptHandlerExceptHandler) -> bool {
        let Some(type_) = handler.type_.as_deref() else {
            return false;
        };
        let types: Vec<&Expr> = match type_ {
            Expr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        types.iter().any(|t| {
            self.ctx.bindings.qualified_name(t).is_some_and(|q| {
                PICKLE_MODULES
                    .iter()
                    .any(|m| q.starts_with(&format!("{m}.")))
            })
        })
    }

    // ----- cache reads and writes -----

    fn classify(
        &self,
        site: &CallSite<'a>,
        op: Op,
        consumed: &mut Vec<TextRange>,
    ) -> Option<Candidate> {
        let call = site.call;
        let range = call.range();
        let name = match op {
            Op::Loads => "pickle.loads",
            Op::Load => "pickle.load",
            Op::Dumps => "pickle.dumps",
            Op::Dump => "pickle.dump",
            Op::Other => "pickle.Unpickler",
        };
        let decline = |reason: String, blocks: bool| Candidate {
            range,
            verdict: Verdict::Decline(reason),
            format_change: false,
            blocks_format_change: blocks,
        };
        // The deep-copy idiom: `pickle.loads(pickle.dumps(x))` never leaves the process.
        if op == Op::Loads
            && let Some(inner) = call.arguments.args.first().and_then(Expr::as_call_expr)
            && self.pickle_op(&inner.func) == Some(Op::Dumps)
        {
            consumed.push(inner.range());
            return Some(decline(
                        "`pickle.loads(pickle.dumps(x))` is the deep-copy idiom: the data never leaves the \
                         process; not changed (`copy.deepcopy(x)` says the same without pickle)"
                            .into(),
                        false,
                    ));
        }
        if op == Op::Other {
            let what = self.ctx.slice(call.func.range());
            let message = if what.ends_with("Unpickler") {
                format!(
                    "`{what}` deserializes pickle data, which can run code (CWE-502); a streaming \
                     unpickler is not converted automatically"
                )
            } else {
                format!(
                    "`{what}` writes pickle data that some reader will deserialize (CWE-502); a \
                     streaming pickler is not converted automatically"
                )
            };
            return Some(decline(message, true));
        }
        // `hashlib.sha256(pickle.dumps(args))`: a fingerprint (a cache key), never read back.
        if op == Op::Dumps && self.is_fingerprint(site) {
            return None;
        }
        let cache = self.cache_evidence(site, op);
        if let Some(word) = self.artifact_word(site) {
            if !op.reads() && cache.is_none() {
                return None;
            }
            return Some(decline(
                format!(
                    "`{name}` of what looks like a trusted local artifact (`{word}`): model files and similar \
                     artifacts are not cache data; not changed — load them only from trusted paths (CWE-502)"
                ),
                false,
            ));
        }
        if self.protocol_given(call, op) {
            if !op.reads() && cache.is_none() {
                return None;
            }
            return Some(decline(
                format!(
                    "`{name}` with an explicit pickle protocol: a deliberate binary format, not converted \
                     (if this data can be written by others, switch it to JSON by hand)"
                ),
                cache.is_some(),
            ));
        }
        if let Some(module) = self.ipc_module() {
            if !op.reads() {
                return None;
            }
            return Some(decline(
                format!(
                    "`{name}` in a file using `{module}`: pickle as an inter-process message format is not \
                     converted; make sure only trusted processes can send these messages (CWE-502)"
                ),
                false,
            ));
        }
        let Some(evidence) = cache else {
            if !op.reads() {
                return None;
            }
            return Some(decline(
                format!(
                    "`{name}` deserializes data that can run code (CWE-502); this is not recognisably cache \
                     data (no redis/memcache client call, no `cache` in the function, class or module name), \
                     so it is not changed"
                ),
                true,
            ));
        };
        if !op.reads()
            && let Some(reason) = call
                .arguments
                .args
                .first()
                .and_then(|value| self.not_json_reason(value, 0))
        {
            return Some(decline(
                format!(
                    "`{name}` stores {reason} in the cache: JSON would change its type silently; not \
                         converted (readers of this cache stay on pickle, CWE-502)"
                ),
                true,
            ));
        }
        if let Some(key) = self.counter_key(site) {
            return Some(decline(
                format!(
                    "`{name}` on key `{key}`, which is also changed with INCR-style calls that need its raw-int encoding; not converted"
                ),
                true,
            ));
        }
        if op.reads()
            && self
                .enclosing_try_handlers(site)
                .iter()
                .any(|h| self.handler_mentions_pickle(h))
        {
            return Some(decline(
                format!(
                    "`{name}` of cache data ({evidence}) can run code (CWE-502); the surrounding handler catches \
                     pickle's own exceptions, which JSON never raises; not converted"
                ),
                true,
            ));
        }
        match op {
            Op::Loads => Some(self.convert_loads(site, &evidence)),
            Op::Dumps => Some(self.convert_dumps(site, &evidence)),
            Op::Load | Op::Dump => Some(self.convert_file(site, op, &evidence)),
            Op::Other => None,
        }
        .map(|mut c| {
            if let Verdict::Decline(_) = c.verdict {
                c.blocks_format_change = true;
            }
            c
        })
    }

    /// Why this call is cache code, or None. Conservative: a redis/memcache-like client call
    /// feeds or takes the data, or an enclosing function, class or the module is named for caching.
    fn cache_evidence(&self, site: &CallSite<'a>, op: Op) -> Option<String> {
        match op {
            Op::Loads => {
                if let Some(client_call) = site
                    .call
                    .arguments
                    .args
                    .first()
                    .and_then(|a| self.client_read_source(a))
                {
                    return Some(format!("read with `{client_call}`"));
                }
            }
            Op::Dumps => {
                if let Some(write) = self.client_write_target(site) {
                    return Some(format!("stored with `{write}`"));
                }
            }
            _ => {}
        }
        for s in &site.stmts {
            match s {
                Stmt::FunctionDef(f) if f.name.as_str().to_ascii_lowercase().contains("cache") => {
                    return Some(format!("in function `{}`", f.name));
                }
                Stmt::ClassDef(c) if c.name.as_str().to_ascii_lowercase().contains("cache") => {
                    return Some(format!("in class `{}`", c.name));
                }
                _ => {}
            }
        }
        let path = self
            .ctx
            .relative_path
            .to_string_lossy()
            .to_ascii_lowercase();
        if path.contains("cache") {
            return Some(format!("in module `{}`", self.ctx.relative_path.display()));
        }
        if matches!(op, Op::Load | Op::Dump) {
            let file_arg = match op {
                Op::Load => site.call.arguments.args.first(),
                _ => site.call.arguments.args.get(1),
            };
            if let Some(opened) = file_arg.and_then(|f| self.opened_file(site, f)) {
                let mut path_text = self.ctx.slice(opened.path).to_ascii_lowercase();
                if let Expr::Name(name) = opened.path_expr
                    && let Some(value) = self.assigned_value(name)
                {
                    path_text.push(' ');
                    path_text.push_str(&self.ctx.slice(value.range()).to_ascii_lowercase());
                }
                if path_text.contains("cache") {
                    return Some(format!("file `{}`", self.ctx.slice(opened.path)));
                }
            }
        }
        None
    }

    /// `r.get(k)` / `await r.get(k)`, directly or through a local variable assigned once.
    fn client_read_source(&self, arg: &Expr) -> Option<String> {
        let direct = |e: &Expr| -> Option<String> {
            let call = unwrap_await(e).as_call_expr()?;
            let Expr::Attribute(attr) = call.func.as_ref() else {
                return None;
            };
            (CLIENT_READS.contains(&attr.attr.as_str()) && self.is_client(&attr.value))
                .then(|| self.ctx.slice(call.func.range()).to_string())
        };
        if let Some(found) = direct(arg) {
            return Some(found);
        }
        let Expr::Name(name) = arg else { return None };
        let value = self.assigned_value(name)?;
        direct(value)
    }

    /// The value of the single assignment `name` refers to at its load, if any.
    fn assigned_value(&self, name: &ast::ExprName) -> Option<&'a Expr> {
        let binding = self.ctx.bindings.resolve_unique(&name.id, name.start())?;
        if binding.kind != BindingKind::Assignment {
            return None;
        }
        if self
            .ctx
            .bindings
            .bindings_named(&name.id)
            .filter(|b| b.scope == binding.scope)
            .count()
            != 1
        {
            return None;
        }
        let located = ast_util::statement_at(self.ctx.module(), binding.statement)?;
        match located.stmt {
            Stmt::Assign(a) if a.targets.len() == 1 && a.targets[0].range() == binding.range => {
                Some(&a.value)
            }
            Stmt::AnnAssign(a) if a.target.range() == binding.range => a.value.as_deref(),
            _ => None,
        }
    }

    /// True when the dumps result only feeds a hash (`hashlib.*`, `hash`, `zlib.crc32`, a hasher's
    /// `update`), directly or through a local whose every use does: it is never unpickled.
    fn is_fingerprint(&self, site: &CallSite<'a>) -> bool {
        let is_hash_call = |call: &ast::ExprCall| {
            let qualified = self
                .ctx
                .bindings
                .qualified_name(&call.func)
                .unwrap_or_default();
            qualified.starts_with("hashlib.")
                || matches!(
                    qualified.as_str(),
                    "builtins.hash" | "zlib.crc32" | "zlib.adler32" | "binascii.crc32"
                )
                || matches!(
                    ast_util::callee_name(call),
                    Some(
                        "update"
                            | "md5"
                            | "sha1"
                            | "sha224"
                            | "sha256"
                            | "sha384"
                            | "sha512"
                            | "blake2b"
                            | "blake2s"
                    )
                )
        };
        let range = site.call.range();
        if let Some(Expr::Call(outer)) = site.exprs.last()
            && outer.arguments.args.iter().any(|a| a.range() == range)
        {
            return is_hash_call(outer);
        }
        let Some(Stmt::Assign(assign)) = site.stmts.last() else {
            return false;
        };
        if assign.value.range() != range || assign.targets.len() != 1 {
            return false;
        }
        let Expr::Name(target) = &assign.targets[0] else {
            return false;
        };
        let Some(binding) = self
            .ctx
            .bindings
            .bindings_named(&target.id)
            .find(|b| b.range == target.range)
        else {
            return false;
        };
        let refs = self.ctx.bindings.references_to(binding);
        !refs.is_empty()
            && refs.iter().all(|r| {
                self.calls.iter().any(|c| {
                    c.call.arguments.args.iter().any(|a| a.range() == *r) && is_hash_call(c.call)
                })
            })
    }

    /// The client write call (`r.setex`) the dumps result is an argument of (possibly inside a
    /// dict/list literal or comprehension), directly or through a local variable.
    fn client_write_target(&self, site: &CallSite<'a>) -> Option<String> {
        if let Some(found) = self.write_call_around(&site.exprs, site.call.range()) {
            return Some(found);
        }
        // `data = pickle.dumps(v)` then `r.set(k, data)`: every load of `data` goes to a write.
        let holder = site.stmts.last()?;
        let Stmt::Assign(assign) = holder else {
            return None;
        };
        if assign.value.range() != site.call.range() || assign.targets.len() != 1 {
            return None;
        }
        let Expr::Name(target) = &assign.targets[0] else {
            return None;
        };
        let binding = self
            .ctx
            .bindings
            .bindings_named(&target.id)
            .find(|b| b.range == target.range)?;
        let refs = self.ctx.bindings.references_to(binding);
        if refs.is_empty() {
            return None;
        }
        let mut found = None;
        for r in refs {
            let site = self
                .calls
                .iter()
                .rfind(|c| c.call.arguments.range.contains_range(r))?;
            let Expr::Attribute(attr) = site.call.func.as_ref() else {
                return None;
            };
            if !(CLIENT_WRITES.contains(&attr.attr.as_str()) && self.is_client(&attr.value)) {
                return None;
            }
            found = Some(self.ctx.slice(site.call.func.range()).to_string());
        }
        found
    }

    fn write_call_around(&self, exprs: &[&'a Expr], inner: TextRange) -> Option<String> {
        let mut current = inner;
        for e in exprs.iter().rev() {
            match e {
                Expr::Call(call) => {
                    let Expr::Attribute(attr) = call.func.as_ref() else {
                        return None;
                    };
                    let is_argument = call.arguments.range.contains_range(current);
                    return (is_argument
                        && CLIENT_WRITES.contains(&attr.attr.as_str())
                        && self.is_client(&attr.value))
                    .then(|| self.ctx.slice(call.func.range()).to_string());
                }
                Expr::Dict(_) | Expr::List(_) | Expr::DictComp(_) | Expr::ListComp(_) => {
                    current = e.range()
                }
                _ => return None,
            }
        }
        None
    }

    /// A redis/memcache-like client: named so (`r`, `redis`, `self._cache`, `mc`, `client`),
    /// or assigned from a redis/memcache constructor.
    fn is_client(&self, receiver: &Expr) -> bool {
        let last = match receiver {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.as_str(),
            Expr::Call(c) => ast_util::callee_name(c).unwrap_or_default(),
            _ => return false,
        };
        let lower = last.trim_matches('_').to_ascii_lowercase();
        if ["r", "rc", "mc", "rds", "client", "cache", "kv"].contains(&lower.as_str())
            || ["redis", "cache", "memcache", "valkey"]
                .iter()
                .any(|w| lower.contains(w))
        {
            return true;
        }
        let Expr::Name(name) = receiver else {
            return false;
        };
        self.assigned_value(name)
            .and_then(|v| unwrap_await(v).as_call_expr())
            .and_then(|c| self.ctx.bindings.qualified_name(&c.func))
            .is_some_and(|q| {
                [
                    "redis",
                    "aioredis",
                    "valkey",
                    "pymemcache",
                    "memcache",
                    "pylibmc",
                    "bmemcached",
                    "aiomcache",
                ]
                .contains(&q.split('.').next().unwrap_or_default())
            })
    }

    fn artifact_word(&self, site: &CallSite<'a>) -> Option<&'static str> {
        let mut texts: Vec<String> = Vec::new();
        if let Some(f) = self.innermost_function(site) {
            texts.push(f.name.to_string());
        }
        texts.push(self.ctx.slice(site.call.arguments.range).to_string());
        if let Some(Stmt::Assign(a)) = site.stmts.last() {
            texts.extend(
                a.targets
                    .iter()
                    .map(|t| self.ctx.slice(t.range()).to_string()),
            );
        }
        for e in &site.call.arguments.args {
            if let Some(opened) = self.opened_file(site, e) {
                texts.push(self.ctx.slice(opened.path).to_string());
            }
        }
        texts.push(self.ctx.relative_path.to_string_lossy().into_owned());
        let joined = texts.join(" ").to_ascii_lowercase();
        ARTIFACT_WORDS.iter().copied().find(|w| joined.contains(w))
    }

    fn protocol_given(&self, call: &ast::ExprCall, op: Op) -> bool {
        let positional_limit = match op {
            Op::Dumps => 1,
            Op::Dump => 2,
            _ => usize::MAX,
        };
        ast_util::keyword(call, "protocol").is_some()
            || call.arguments.args.len() > positional_limit
    }

    fn ipc_module(&self) -> Option<&'static str> {
        IPC_MODULES
            .iter()
            .copied()
            .find(|m| self.ctx.bindings.imports_of(m).next().is_some())
    }

    /// Why a stored value is evidently not JSON, looking through one local assignment.
    fn not_json_reason(&self, value: &Expr, depth: usize) -> Option<String> {
        let reason = match value {
            Expr::Set(_) | Expr::SetComp(_) => "a set",
            Expr::Tuple(_) => "a tuple (JSON returns it as a list)",
            Expr::BytesLiteral(_) => "bytes",
            Expr::Dict(d) => {
                let bad_key = d.items.iter().any(|item| {
                    matches!(
                        item.key,
                        Some(
                            Expr::Tuple(_)
                                | Expr::NumberLiteral(_)
                                | Expr::BooleanLiteral(_)
                                | Expr::NoneLiteral(_)
                        )
                    )
                });
                if bad_key {
                    "a dict with non-string keys (JSON turns them into strings)"
                } else {
                    return d
                        .items
                        .iter()
                        .find_map(|i| self.not_json_reason(&i.value, depth + 1));
                }
            }
            Expr::Call(call) => {
                let qualified = self
                    .ctx
                    .bindings
                    .qualified_name(&call.func)
                    .unwrap_or_default();
                let head = qualified.split('.').next().unwrap_or_default();
                match qualified.as_str() {
                    "builtins.set" | "builtins.frozenset" => "a set",
                    "builtins.tuple" => "a tuple (JSON returns it as a list)",
                    "builtins.bytes" | "builtins.bytearray" => "bytes",
                    "builtins.object" => "an object",
                    "decimal.Decimal" => "a `Decimal`",
                    _ if head == "datetime" => "a date/time value",
                    _ if ["pandas", "numpy", "uuid", "collections"].contains(&head) => {
                        return Some(format!("a `{}` value", self.ctx.slice(call.func.range())));
                    }
                    _ => {
                        let callee = ast_util::callee_name(call).unwrap_or_default();
                        if matches!(call.func.as_ref(), Expr::Name(_))
                            && callee.starts_with(|c: char| c.is_ascii_uppercase())
                        {
                            return Some(format!("a class instance (`{callee}(...)`)"));
                        }
                        if callee == "DataFrame" {
                            return Some("a DataFrame".into());
                        }
                        return None;
                    }
                }
            }
            Expr::Name(name) if depth < 3 => {
                return self
                    .assigned_value(name)
                    .and_then(|v| self.not_json_reason(v, depth + 1));
            }
            _ => return None,
        };
        Some(reason.to_string())
    }

    /// The key of this call's client read/write when the file also uses it with INCR-style calls.
    fn counter_key(&self, site: &CallSite<'a>) -> Option<String> {
        let client_call = site
            .call
            .arguments
            .args
            .first()
            .and_then(|a| unwrap_await(a).as_call_expr())
            .or_else(|| {
                site.exprs
                    .iter()
                    .rev()
                    .find_map(|e| e.as_call_expr())
                    .filter(|c| c.arguments.range.contains_range(site.call.range()))
            })?;
        let key = self.ctx.slice(client_call.arguments.args.first()?.range());
        self.calls
            .iter()
            .any(|c| {
                matches!(c.call.func.as_ref(), Expr::Attribute(a) if CLIENT_COUNTERS.contains(&a.attr.as_str()))
                    && c.call.arguments.args.first().is_some_and(|k| self.ctx.slice(k.range()) == key)
            })
            .then(|| key.to_string())
    }

    /// What the stored-format change means for entries written before it, for reads.
    fn old_entries_note(&self, site: &CallSite<'a>) -> &'static str {
        let caught = self.enclosing_try_handlers(site).iter().any(|h| {
            self.handler_catches(
                h,
                &[
                    "ValueError",
                    "JSONDecodeError",
                    "UnicodeDecodeError",
                    "Exception",
                    "BaseException",
                ],
            )
        });
        if caught {
            "entries written with pickle become misses (json raises ValueError on them and the enclosing handler catches it)"
        } else {
            "json raises ValueError on entries written with pickle and nothing here catches it: flush the cache when deploying, or catch ValueError as a miss"
        }
    }

    fn json_name(&self, at: TextSize) -> Result<(String, Option<Edit>), String> {
        imports::import_module(self.ctx, "json", at)
            .map_err(|e| format!("cannot add `import json`: {e}"))
    }

    fn convert_loads(&self, site: &CallSite<'a>, evidence: &str) -> Candidate {
        let call = site.call;
        let message = format!(
            "`pickle.loads` of cache data ({evidence}) runs code for whoever can write to the cache (CWE-502)"
        );
        let verdict = match self.json_name(call.start()) {
            Err(reason) => Verdict::Decline(format!("{message}; not fixed: {reason}")),
            Ok((json, import)) => {
                let mut edits = vec![Edit::replacement(
                    format!("{json}.loads"),
                    call.func.range(),
                )];
                edits.extend(import);
                Verdict::Fix {
                    applicability: Applicability::Unsafe,
                    message,
                    description: format!(
                        "read JSON instead (`{json}.loads` accepts the bytes the client returns); the stored format \
                         changes: {}; tuples come back as lists; every writer of these keys must write JSON",
                        self.old_entries_note(site)
                    ),
                    edits,
                }
            }
        };
        Candidate {
            range: call.range(),
            verdict,
            format_change: true,
            blocks_format_change: false,
        }
    }

    fn convert_dumps(&self, site: &CallSite<'a>, evidence: &str) -> Candidate {
        let call = site.call;
        let message = format!(
            "cache entry written with `pickle.dumps` ({evidence}): its readers must unpickle it (CWE-502)"
        );
        let verdict = match self.json_name(call.start()) {
            Err(reason) => Verdict::Decline(format!("{message}; not fixed: {reason}")),
            Ok((json, import)) => {
                let mut edits = vec![Edit::replacement(
                    format!("{json}.dumps"),
                    call.func.range(),
                )];
                // A client write takes str as well as bytes; anything else keeps getting bytes.
                let to_client = self.client_write_target(site).is_some();
                if !to_client {
                    edits.push(Edit::insertion(".encode()", call.end()));
                }
                edits.extend(import);
                Verdict::Fix {
                    applicability: Applicability::Unsafe,
                    message,
                    description: format!(
                        "write JSON instead{}; the stored format changes: entries written before are no longer \
                         readable as JSON, tuples come back as lists, values JSON cannot encode now raise TypeError",
                        if to_client {
                            ""
                        } else {
                            " (`.encode()` keeps the result bytes)"
                        }
                    ),
                    edits,
                }
            }
        };
        Candidate {
            range: call.range(),
            verdict,
            format_change: true,
            blocks_format_change: false,
        }
    }

    /// `pickle.load(f)` / `pickle.dump(obj, f)` with `f` from `open(path, "rb"/"wb")`.
    fn convert_file(&self, site: &CallSite<'a>, op: Op, evidence: &str) -> Candidate {
        let call = site.call;
        let member = if op == Op::Load { "load" } else { "dump" };
        let message = if op == Op::Load {
            format!(
                "`pickle.load` of a cache file ({evidence}) runs code for whoever can write that file (CWE-502)"
            )
        } else {
            format!(
                "cache file written with `pickle.dump` ({evidence}): its readers must unpickle it (CWE-502)"
            )
        };
        let decline = |reason: &str| Candidate {
            range: call.range(),
            verdict: Verdict::Decline(format!("{message}; not fixed: {reason}")),
            format_change: true,
            blocks_format_change: true,
        };
        let file_arg = if op == Op::Load {
            call.arguments.args.first()
        } else {
            call.arguments.args.get(1)
        };
        if call.arguments.args.len() != if op == Op::Load { 1 } else { 2 }
            || !call.arguments.keywords.is_empty()
        {
            return decline("unusual arguments");
        }
        let Some(opened) = file_arg.and_then(|f| self.opened_file(site, f)) else {
            return decline(
                "cannot see the file being opened with a literal binary mode in this function",
            );
        };
        let Some(mode_edit) = opened.mode_edit else {
            return decline("the file mode is not a plain \"rb\"/\"wb\" literal");
        };
        if let Some(handle) = opened.handle
            && self.ctx.bindings.references_to(handle).len() != 1
        {
            return decline("the file handle is used for more than this one pickle call");
        }
        let verdict = match self.json_name(call.start()) {
            Err(reason) => Verdict::Decline(format!("{message}; not fixed: {reason}")),
            Ok((json, import)) => {
                let mut edits = vec![
                    Edit::replacement(format!("{json}.{member}"), call.func.range()),
                    mode_edit,
                ];
                edits.extend(import);
                let old = if op == Op::Load {
                    self.old_entries_note(site)
                        .replace("entries", "cache files")
                } else {
                    "existing cache files written with pickle can no longer be read and must be treated as misses (or deleted)".into()
                };
                Verdict::Fix {
                    applicability: Applicability::Unsafe,
                    message,
                    description: format!(
                        "use JSON with a text-mode file instead; the cache file format changes: {old}; tuples come back as lists"
                    ),
                    edits,
                }
            }
        };
        Candidate {
            range: call.range(),
            verdict,
            format_change: true,
            blocks_format_change: false,
        }
    }

    /// How the file argument was opened: `open(p, "rb")` inline, or the target of an enclosing
    /// `with open(p, "rb") as f:`.
    fn opened_file(&self, site: &CallSite<'a>, file: &'a Expr) -> Option<Opened<'a>> {
        if let Some(open_call) = file.as_call_expr() {
            return self.open_call(open_call, None);
        }
        let Expr::Name(name) = file else { return None };
        let handle = self.ctx.bindings.resolve_unique(&name.id, name.start())?;
        site.stmts.iter().rev().find_map(|s| {
            let Stmt::With(with) = s else { return None };
            if with.is_async {
                return None;
            }
            with.items.iter().find_map(|item| {
                let Some(Expr::Name(var)) = item.optional_vars.as_deref() else {
                    return None;
                };
                if var.range != handle.range {
                    return None;
                }
                self.open_call(item.context_expr.as_call_expr()?, Some(handle))
            })
        })
    }

    fn open_call(
        &self,
        call: &'a ast::ExprCall,
        handle: Option<&'a Binding>,
    ) -> Option<Opened<'a>> {
        let is_builtin_open =
            self.ctx.bindings.qualified_name(&call.func).as_deref() == Some("builtins.open");
        let is_path_open =
            matches!(call.func.as_ref(), Expr::Attribute(a) if a.attr.as_str() == "open");
        let (path_expr, mode) = if is_builtin_open {
            (
                call.arguments.args.first()?,
                call.arguments
                    .args
                    .get(1)
                    .or_else(|| ast_util::keyword(call, "mode").map(|k| &k.value)),
            )
        } else if is_path_open {
            let Expr::Attribute(a) = call.func.as_ref() else {
                return None;
            };
            (
                a.value.as_ref(),
                call.arguments
                    .args
                    .first()
                    .or_else(|| ast_util::keyword(call, "mode").map(|k| &k.value)),
            )
        } else {
            return None;
        };
        let mode_edit = mode.and_then(|m| self.text_mode_edit(m));
        Some(Opened {
            path: path_expr.range(),
            path_expr,
            mode_edit,
            handle,
        })
    }

    /// Deletes the `b` of a plain `"rb"`/`"wb"` mode literal.
    fn text_mode_edit(&self, mode: &Expr) -> Option<Edit> {
        let value = ast_util::string_literal(mode)?;
        if !["rb", "wb", "br", "bw"].contains(&value.as_str()) {
            return None;
        }
        let raw = self.ctx.slice(mode.range());
        if raw.len() != value.len() + 2 || !(raw.starts_with('"') || raw.starts_with('\'')) {
            return None;
        }
        let index = value.find('b')?;
        let at = mode.start() + TextSize::new(1 + index as u32);
        Some(Edit::deletion(TextRange::at(at, TextSize::new(1))))
    }

    // ----- putting it together -----

    /// Reads and writes of one cache must switch together: if any cache use in this file stays
    /// pickle, none of the format changes are applied.
    fn enforce_coherence(&self, candidates: &mut [Candidate], silent_writes: &[TextRange]) {
        let blocker = candidates
            .iter()
            .filter(|c| c.blocks_format_change)
            .map(|c| c.range)
            .chain(silent_writes.iter().copied())
            .min_by_key(|r| r.start());
        let Some(blocker) = blocker else { return };
        let line = self.ctx.lines.position(blocker.start()).line;
        for c in candidates.iter_mut().filter(|c| c.format_change) {
            if let Verdict::Fix { message, .. } = &c.verdict {
                c.verdict = Verdict::Decline(format!(
                    "{message}; not fixed: the pickle use on line {line} stays, and switching only part of this \
                     file's cache to JSON would leave readers and writers disagreeing on the format"
                ));
            }
        }
    }

    fn finish(&self, candidates: Vec<Candidate>) -> Vec<Finding> {
        let suppressions = Suppressions::from_comments(self.ctx.source, self.ctx.comment_ranges());
        // Edit ranges of every fix that will be applied, per applicability.
        let applied_with = |level: Applicability| -> Vec<TextRange> {
            candidates
                .iter()
                .filter(|c| !suppressions.suppresses(ID, c.range.start()))
                .filter_map(|c| match &c.verdict {
                    Verdict::Fix {
                        applicability,
                        edits,
                        ..
                    } if *applicability >= level => Some(edits),
                    _ => None,
                })
                .flatten()
                .filter(|e| !e.range.is_empty())
                .map(|e| e.range)
                .collect()
        };
        let removals: BTreeMap<Applicability, Vec<Removal>> =
            [Applicability::Safe, Applicability::Unsafe]
                .into_iter()
                .map(|level| (level, self.pickle_import_removals(&applied_with(level))))
                .collect();
        candidates
            .into_iter()
            .map(|c| match c.verdict {
                Verdict::Decline(reason) => Finding::declined(ID, c.range, reason),
                Verdict::Fix {
                    applicability,
                    message,
                    description,
                    mut edits,
                } => {
                    let first_code_edit = edits
                        .iter()
                        .filter(|e| !e.range.is_empty())
                        .map(|e| e.range.start())
                        .min();
                    let json_insertion = edits
                        .iter()
                        .position(|e| e.range.is_empty() && e.content.trim_end() == "import json");
                    let mut replaced = false;
                    for removal in removals
                        .get(&applicability)
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                    {
                        // `import pickle` becomes `import json` in place when the fix needs both.
                        match (removal.replaceable, json_insertion, first_code_edit) {
                            (Some(stmt), Some(_), Some(first))
                                if !replaced && stmt.start() < first =>
                            {
                                edits.push(Edit::replacement("import json", stmt));
                                replaced = true;
                            }
                            _ => edits.push(removal.edit.clone()),
                        }
                    }
                    if replaced && let Some(i) = json_insertion {
                        edits.remove(i);
                    }
                    Finding::new(
                        ID,
                        c.range,
                        message,
                        Some(Fix::new(applicability, description, edits)),
                    )
                }
            })
            .collect()
    }

    /// Edits removing pickle imports whose every use lies inside `covered` (the edits that
    /// will be applied together). Imports that were already unused are left alone.
    fn pickle_import_removals(&self, covered: &[TextRange]) -> Vec<Removal> {
        let b = self.ctx.bindings;
        let removable: Vec<&Binding> = b
            .bindings
            .iter()
            .filter(|binding| {
                binding.qualified_name().is_some_and(|q| {
                    PICKLE_MODULES.contains(&q.split('.').next().unwrap_or_default())
                })
            })
            .filter(|binding| {
                let refs = b.references_to(binding);
                !refs.is_empty() && !b.is_used_outside(binding, covered)
            })
            .collect();
        let is_removable = |range: TextRange| removable.iter().any(|r| r.range == range);
        let mut edits: Vec<Removal> = Vec::new();
        let mut done_statements: Vec<TextRange> = Vec::new();
        for binding in &removable {
            if done_statements.contains(&binding.statement) {
                continue;
            }
            if binding.in_try {
                // `try: import cPickle as pickle / except ImportError: import pickle`: remove the
                // whole block when it only imports removable pickle names, else leave it.
                let Some((try_stmt, suite)) =
                    find_parent_try(&self.ctx.module().body, binding.statement)
                else {
                    continue;
                };
                let Stmt::Try(t) = try_stmt else { continue };
                let mut suites: Vec<&[Stmt]> = vec![&t.body];
                suites.extend(t.handlers.iter().map(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    h.body.as_slice()
                }));
                let only_removable = t.orelse.is_empty()
                    && t.finalbody.is_empty()
                    && suites.iter().flat_map(|s| s.iter()).all(|s| match s {
                        Stmt::Import(i) => {
                            i.names.iter().all(|a| is_removable(alias_binding_range(a)))
                        }
                        Stmt::ImportFrom(i) => {
                            i.names.iter().all(|a| is_removable(alias_binding_range(a)))
                        }
                        Stmt::Pass(_) => true,
                        _ => false,
                    });
                if only_removable
                    && let Some(edit) = imports::delete_statement(self.ctx, try_stmt, suite)
                {
                    edits.push(Removal {
                        edit,
                        replaceable: None,
                    });
                }
                suites
                    .iter()
                    .flat_map(|s| s.iter())
                    .for_each(|s| done_statements.push(s.range()));
                continue;
            }
            let Some(located) = ast_util::statement_at(self.ctx.module(), binding.statement) else {
                continue;
            };
            let names: &[ast::Alias] = match located.stmt {
                Stmt::Import(i) => &i.names,
                Stmt::ImportFrom(i) => &i.names,
                _ => continue,
            };
            done_statements.push(binding.statement);
            if names.iter().all(|a| is_removable(alias_binding_range(a))) {
                if let Some(edit) = imports::delete_statement(self.ctx, located.stmt, located.suite)
                {
                    let at_top = located.function.is_none()
                        && located.class.is_none()
                        && self
                            .ctx
                            .module()
                            .body
                            .iter()
                            .any(|s| s.range() == located.stmt.range());
                    let rest_of_line = &self.ctx.source[usize::from(located.stmt.end())
                        ..usize::from(source::line_end(self.ctx.source, located.stmt.end()))];
                    let replaceable = (at_top
                        && !edit.range.is_empty()
                        && edit.content.is_empty()
                        && rest_of_line.trim().is_empty())
                    .then(|| located.stmt.range());
                    edits.push(Removal { edit, replaceable });
                }
                continue;
            }
            let partial: Vec<Edit> = removable
                .iter()
                .filter(|r| r.statement == binding.statement)
                .filter_map(|r| imports::remove_import(self.ctx, r))
                .collect();
            let overlapping = partial
                .iter()
                .enumerate()
                .any(|(i, a)| partial[i + 1..].iter().any(|e| a.conflicts_with(e)));
            if !overlapping {
                edits.extend(partial.into_iter().map(|edit| Removal {
                    edit,
                    replaceable: None,
                }));
            }
        }
        edits
    }
}

/// An edit removing a pickle import; `replaceable` is the statement's range when it is a whole
/// top-level line that can become `import json` instead.
struct Removal {
    edit: Edit,
    replaceable: Option<TextRange>,
}

/// An opened file: the path expression, the edit making its mode text, and the `as` binding.
struct Opened<'a> {
    path: TextRange,
    path_expr: &'a Expr,
    mode_edit: Option<Edit>,
    handle: Option<&'a Binding>,
}

fn unwrap_await(expr: &Expr) -> &Expr {
    match expr {
        Expr::Await(a) => &a.value,
        other => other,
    }
}

/// The range a binding of an import alias records (the whole alias).
fn alias_binding_range(alias: &ast::Alias) -> TextRange {
    alias.range
}

/// The `try` statement (with the suite holding it) that directly contains the statement `inner`.
fn find_parent_try(suite: &[Stmt], inner: TextRange) -> Option<(&Stmt, &[Stmt])> {
    for stmt in suite {
        if !stmt.range().contains_range(inner) || stmt.range() == inner {
            continue;
        }
        for child in ast_util::child_suites(stmt) {
            if child.iter().any(|s| s.range() == inner) {
                return matches!(stmt, Stmt::Try(_)).then_some((stmt, suite));
            }
            if let Some(found) = find_parent_try(child, inner) {
                return Some(found);
            }
        }
    }
    None
}

/// What an `except` handler's body does with the exception it caught.
#[derive(Default)]
struct HandlerUses<'n> {
    /// The `as` name of the handler.
    name: Option<&'n str>,
    reads_name: bool,
    raises: bool,
}

impl<'a> Visitor<'a> for HandlerUses<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if matches!(stmt, Stmt::Raise(_)) {
            self.raises = true;
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr
            && Some(n.id.as_str()) == self.name
        {
            self.reads_name = true;
        }
        visitor::walk_expr(self, expr);
    }
}
