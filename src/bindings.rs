//! A small scope/binding pass over one module: which name means what, where.
//!
//! ruff's `ruff_python_semantic` is filled by ruff's own checker; remedy needs far less
//! (imports, assignments, parameters, scopes, and name loads), so it builds this model
//! itself in one visitor pass. Resolution follows Python's rules closely enough to decide
//! "is `timezone` here the stdlib class?" and "is this name free?", and answers
//! "ambiguous" rather than guess when branches rebind a name differently.

use std::collections::HashMap;

use ruff_python_ast::name::Name;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, ModModule, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

pub type ScopeId = usize;
pub type BindingId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    /// Nested scopes, sorted by start offset (filled after the pass).
    children: Vec<ScopeId>,
    /// The region whose name lookups happen in this scope.
    pub range: TextRange,
    pub parent: Option<ScopeId>,
    names: HashMap<String, Vec<BindingId>>,
    globals: Vec<String>,
    nonlocals: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindingKind {
    /// `import a.b as c` binds `c` to module `a.b`; `import a.b` binds `a` to module `a`.
    Import {
        module: String,
    },
    /// `from m import x as y` binds `y` to `m.x` (relative modules keep their leading dots).
    FromImport {
        module: String,
        member: String,
    },
    Assignment,
    Parameter,
    FunctionDef,
    ClassDef,
    /// for-loop, with-item, except-handler, walrus, comprehension, match capture, del, type param.
    Other,
}

#[derive(Clone, Debug)]
pub struct Binding {
    pub name: String,
    pub kind: BindingKind,
    /// The range of the bound identifier (for imports: the alias).
    pub range: TextRange,
    /// The statement that created the binding.
    pub statement: TextRange,
    pub scope: ScopeId,
    /// True when the binding is made inside a `try:` body or handler (e.g. `try: import cPickle as pickle`).
    pub in_try: bool,
}

impl Binding {
    /// The dotted name this binding stands for, when it is an import.
    pub fn qualified_name(&self) -> Option<String> {
        match &self.kind {
            BindingKind::Import { module } => Some(module.clone()),
            BindingKind::FromImport { module, member } => Some(format!("{module}.{member}")),
            _ => None,
        }
    }

    pub fn is_import(&self) -> bool {
        matches!(
            self.kind,
            BindingKind::Import { .. } | BindingKind::FromImport { .. }
        )
    }
}

/// A load of a name (`x` in `f(x)`), with the scope it happens in.
#[derive(Clone, Debug)]
pub struct Reference {
    pub name: Name,
    pub range: TextRange,
    pub scope: ScopeId,
}

/// The binding model of one module.
#[derive(Debug)]
pub struct Bindings {
    pub scopes: Vec<Scope>,
    pub bindings: Vec<Binding>,
    pub references: Vec<Reference>,
    /// `from m import *` statements whose names remedy does not know (every module but the
    /// few in [`STAR_EXPORTS`]): the module and the statement. Any name may be bound by them.
    pub unknown_star_imports: Vec<(String, TextRange)>,
}

/// The public names (`__all__`) of standard-library modules whose `from m import *` remedy
/// resolves; a star import of any other module may bind any name.
const STAR_EXPORTS: &[(&str, &[&str])] = &[(
    "datetime",
    &[
        "date",
        "datetime",
        "time",
        "timedelta",
        "timezone",
        "tzinfo",
        "MINYEAR",
        "MAXYEAR",
        "UTC",
    ],
)];

const BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "exit",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "__import__",
    "__name__",
    "__file__",
    "__doc__",
    "__builtins__",
    "__spec__",
    "__loader__",
    "__package__",
    "__debug__",
    "__build_class__",
    "NotImplemented",
    "Ellipsis",
    "None",
    "True",
    "False",
    "BaseException",
    "Exception",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "EOFError",
    "EnvironmentError",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "NotADirectoryError",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PermissionError",
    "ProcessLookupError",
    "RecursionError",
    "ReferenceError",
    "RuntimeError",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "ValueError",
    "ZeroDivisionError",
    "Warning",
    "UserWarning",
    "DeprecationWarning",
    "RuntimeWarning",
    "FutureWarning",
    "PendingDeprecationWarning",
    "SyntaxWarning",
    "ImportWarning",
    "UnicodeWarning",
    "BytesWarning",
    "ResourceWarning",
    "EncodingWarning",
    "ExceptionGroup",
    "BaseExceptionGroup",
    "aiter",
    "anext",
];

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

impl Bindings {
    pub fn build(module: &ModModule) -> Self {
        let mut builder = Builder {
            model: Bindings {
                scopes: vec![Scope {
                    kind: ScopeKind::Module,
                    range: module.range,
                    parent: None,
                    children: Vec::new(),
                    names: HashMap::new(),
                    globals: Vec::new(),
                    nonlocals: Vec::new(),
                }],
                bindings: Vec::new(),
                references: Vec::new(),
                unknown_star_imports: Vec::new(),
            },
            current: 0,
            statement: module.range,
            try_depth: 0,
            deferred: Vec::new(),
        };
        builder.visit_body(&module.body);
        // Function bodies are visited after the enclosing scope, as Python runs them later.
        while let Some(work) = builder.deferred.pop() {
            builder.run_deferred(work);
        }
        let mut model = builder.model;
        for id in 1..model.scopes.len() {
            if let Some(parent) = model.scopes[id].parent {
                model.scopes[parent].children.push(id);
            }
        }
        let starts: Vec<TextSize> = model.scopes.iter().map(|s| s.range.start()).collect();
        for scope in &mut model.scopes {
            scope.children.sort_by_key(|&c| starts[c]);
        }
        model
    }

    /// The innermost scope whose region contains `offset`.
    pub fn scope_at(&self, offset: TextSize) -> ScopeId {
        // Descend from the module: at each level, the containing child is among the last few
        // starting at or before `offset` (siblings only nest when a lambda or comprehension sits
        // in a comprehension's first iterable, which evaluates in the enclosing scope).
        let mut current = 0;
        'descend: loop {
            let children = &self.scopes[current].children;
            let after = children.partition_point(|&c| self.scopes[c].range.start() <= offset);
            for &child in children[..after].iter().rev().take(8) {
                if self.scopes[child].range.contains_inclusive(offset) {
                    current = child;
                    continue 'descend;
                }
            }
            return current;
        }
    }

    /// The enclosing function scopes' ranges at `offset`, innermost first.
    pub fn scope_chain(&self, offset: TextSize) -> Vec<ScopeId> {
        let mut chain = Vec::new();
        let mut id = Some(self.scope_at(offset));
        while let Some(s) = id {
            chain.push(s);
            id = self.scopes[s].parent;
        }
        chain
    }

    /// All bindings `name` may refer to when loaded at `offset`. Empty when the name is
    /// unbound in the file (a builtin or an undefined name).
    pub fn resolve(&self, name: &str, offset: TextSize) -> Vec<&Binding> {
        let start = self.scope_at(offset);
        let mut scope_id = Some(start);
        while let Some(id) = scope_id {
            let scope = &self.scopes[id];
            // Class bodies are not visible from nested scopes.
            if scope.kind == ScopeKind::Class && id != start {
                scope_id = scope.parent;
                continue;
            }
            if scope.globals.iter().any(|g| g == name) {
                return self.lookup_in(0, name, offset, id != 0);
            }
            if let Some(ids) = scope.names.get(name)
                && !ids.is_empty()
            {
                let deferred =
                    id != start || !matches!(scope.kind, ScopeKind::Module | ScopeKind::Class);
                return self.lookup_in(id, name, offset, deferred);
            }
            scope_id = scope.parent;
        }
        Vec::new()
    }

    /// Bindings of `name` in one scope. A lookup that runs when the scope's code runs
    /// (module or class body, straight-line) sees the last binding before `offset`;
    /// a deferred lookup (from a nested function, or inside a function whose locals may be
    /// rebound in loops) may see any of them.
    fn lookup_in(
        &self,
        scope: ScopeId,
        name: &str,
        offset: TextSize,
        deferred: bool,
    ) -> Vec<&Binding> {
        let Some(ids) = self.scopes[scope].names.get(name) else {
            return Vec::new();
        };
        let all: Vec<&Binding> = ids.iter().map(|&i| &self.bindings[i]).collect();
        if deferred {
            return all;
        }
        let before: Vec<&Binding> = all
            .iter()
            .copied()
            .filter(|b| b.range.start() <= offset)
            .collect();
        match before.last() {
            // Bindings made in `try`/`except` pairs (`try: import cPickle as pickle
            // except ImportError: import pickle`) are alternatives: keep all of them.
            Some(last) if last.in_try => before
                .iter()
                .rev()
                .take_while(|b| b.in_try)
                .copied()
                .collect(),
            Some(last) => vec![*last],
            None => all,
        }
    }

    /// The one binding `name` refers to at `offset`, if every candidate agrees: a single
    /// binding, or several imports of the same qualified name.
    pub fn resolve_unique(&self, name: &str, offset: TextSize) -> Option<&Binding> {
        let candidates = self.resolve(name, offset);
        let first = *candidates.first()?;
        if candidates.len() == 1 {
            return Some(first);
        }
        let qualified = first.qualified_name()?;
        candidates
            .iter()
            .all(|b| b.qualified_name().as_deref() == Some(qualified.as_str()))
            .then_some(first)
    }

    /// The qualified dotted name an expression refers to, through imports:
    /// with `import datetime as dt`, `dt.datetime.utcnow` → `datetime.datetime.utcnow`;
    /// with `from datetime import datetime as DT`, `DT.utcnow` → `datetime.datetime.utcnow`.
    /// Unbound builtins resolve to `builtins.<name>`. Returns None for anything else.
    pub fn qualified_name(&self, expr: &Expr) -> Option<String> {
        let mut segments = Vec::new();
        let mut current = expr;
        loop {
            match current {
                Expr::Attribute(attr) => {
                    segments.push(attr.attr.as_str());
                    current = &attr.value;
                }
                Expr::Name(name) => {
                    let head = match self.resolve_unique(&name.id, name.range.start()) {
                        Some(binding) => binding.qualified_name()?,
                        None if self.resolve(&name.id, name.range.start()).is_empty()
                            && is_builtin(&name.id) =>
                        {
                            format!("builtins.{}", name.id)
                        }
                        None => return None,
                    };
                    let mut out = head;
                    for segment in segments.iter().rev() {
                        out.push('.');
                        out.push_str(segment);
                    }
                    return Some(out);
                }
                _ => return None,
            }
        }
    }

    /// True when `name` is bound nowhere in this file and is not a builtin: a new import
    /// of it at module level cannot change what any existing code means. Never true in a file
    /// with a star import of a module whose names remedy does not know (`from app.utils import
    /// *` may bind it, and would then rebind remedy's import).
    pub fn is_unused_name(&self, name: &str) -> bool {
        self.unknown_star_imports.is_empty()
            && !is_builtin(name)
            && self.bindings.iter().all(|b| b.name != name)
            && self.references.iter().all(|r| r.name != name)
    }

    /// True when a star import of a module whose names remedy does not know comes after
    /// module-level `binding`, and so may rebind its name.
    pub fn may_be_rebound_by_star(&self, binding: &Binding) -> bool {
        binding.scope == 0
            && self
                .unknown_star_imports
                .iter()
                .any(|(_, stmt)| stmt.start() > binding.statement.start())
    }

    /// Every binding in the file with this name, in source order.
    pub fn bindings_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Binding> + 'a {
        self.bindings.iter().filter(move |b| b.name == name)
    }

    /// The import bindings (any scope) whose qualified name is `qualified` or starts with `qualified.`.
    pub fn imports_of<'a>(&'a self, qualified: &'a str) -> impl Iterator<Item = &'a Binding> + 'a {
        self.bindings.iter().filter(move |b| {
            b.qualified_name().is_some_and(|q| {
                q == qualified
                    || (q.starts_with(qualified)
                        && q.as_bytes().get(qualified.len()) == Some(&b'.'))
            })
        })
    }

    /// The ranges of every load that may refer to `binding`.
    pub fn references_to(&self, binding: &Binding) -> Vec<TextRange> {
        self.references
            .iter()
            .filter(|r| r.name == binding.name)
            .filter(|r| {
                self.resolve(&r.name, r.range.start())
                    .iter()
                    .any(|b| b.range == binding.range)
            })
            .map(|r| r.range)
            .collect()
    }

    /// True when some load of `binding` lies outside all of `ranges`.
    pub fn is_used_outside(&self, binding: &Binding, ranges: &[TextRange]) -> bool {
        self.references_to(binding)
            .iter()
            .any(|r| !ranges.iter().any(|outer| outer.contains_range(*r)))
    }
}

struct Deferred<'a> {
    scope: ScopeId,
    body: DeferredBody<'a>,
}

enum DeferredBody<'a> {
    Function(&'a ast::StmtFunctionDef),
    Lambda(&'a ast::ExprLambda),
}

struct Builder<'a> {
    model: Bindings,
    current: ScopeId,
    statement: TextRange,
    try_depth: usize,
    deferred: Vec<Deferred<'a>>,
}

impl<'a> Builder<'a> {
    fn push_scope(&mut self, kind: ScopeKind, range: TextRange) -> ScopeId {
        self.model.scopes.push(Scope {
            kind,
            range,
            parent: Some(self.current),
            children: Vec::new(),
            names: HashMap::new(),
            globals: Vec::new(),
            nonlocals: Vec::new(),
        });
        self.model.scopes.len() - 1
    }

    fn bind(&mut self, name: &str, range: TextRange, kind: BindingKind) {
        let mut scope = self.current;
        let s = &self.model.scopes[scope];
        if s.globals.iter().any(|g| g == name) {
            scope = 0;
        } else if s.nonlocals.iter().any(|g| g == name)
            && let Some(parent) = s.parent
        {
            scope = parent;
        }
        let id = self.model.bindings.len();
        self.model.bindings.push(Binding {
            name: name.to_string(),
            kind,
            range,
            statement: self.statement,
            scope,
            in_try: self.try_depth > 0,
        });
        self.model.scopes[scope]
            .names
            .entry(name.to_string())
            .or_default()
            .push(id);
    }

    fn bind_target(&mut self, target: &Expr, kind: BindingKind) {
        match target {
            Expr::Name(n) => self.bind(&n.id, n.range, kind),
            Expr::Tuple(t) => t
                .elts
                .iter()
                .for_each(|e| self.bind_target(e, kind.clone())),
            Expr::List(l) => l
                .elts
                .iter()
                .for_each(|e| self.bind_target(e, kind.clone())),
            Expr::Starred(s) => self.bind_target(&s.value, kind),
            _ => {}
        }
    }

    fn bind_parameters(&mut self, parameters: &ast::Parameters) {
        for p in parameters.iter() {
            let param = p.as_parameter();
            self.bind(
                param.name.as_str(),
                param.name.range,
                BindingKind::Parameter,
            );
        }
    }

    fn run_deferred(&mut self, work: Deferred<'a>) {
        let saved = (self.current, self.statement, self.try_depth);
        self.current = work.scope;
        self.try_depth = 0;
        match work.body {
            DeferredBody::Function(f) => {
                self.statement = f.range;
                self.bind_parameters(&f.parameters);
                self.visit_body(&f.body);
            }
            DeferredBody::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.bind_parameters(p);
                }
                self.visit_expr(&l.body);
            }
        }
        (self.current, self.statement, self.try_depth) = saved;
    }
}

impl<'a> Visitor<'a> for Builder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let saved_statement = self.statement;
        self.statement = stmt.range();
        match stmt {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.visit_decorator(d);
                }
                // Defaults and annotations evaluate in the enclosing scope.
                for p in f.parameters.iter() {
                    if let Some(default) = p.default() {
                        self.visit_expr(default);
                    }
                    if let Some(annotation) = p.annotation() {
                        self.visit_annotation(annotation);
                    }
                }
                if let Some(r) = &f.returns {
                    self.visit_annotation(r);
                }
                self.bind(f.name.as_str(), f.name.range, BindingKind::FunctionDef);
                // Only the body looks names up in the function's scope: defaults and
                // annotations (inside the parameter list) evaluate in the enclosing one.
                let body_range = match (f.body.first(), f.body.last()) {
                    (Some(first), Some(last)) => TextRange::new(first.start(), last.end()),
                    _ => TextRange::empty(f.range.end()),
                };
                let scope = self.push_scope(ScopeKind::Function, body_range);
                self.deferred.push(Deferred {
                    scope,
                    body: DeferredBody::Function(f),
                });
            }
            Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.visit_decorator(d);
                }
                if let Some(args) = &c.arguments {
                    self.visit_arguments(args);
                }
                let body_range = match (c.body.first(), c.body.last()) {
                    (Some(first), Some(last)) => TextRange::new(first.start(), last.end()),
                    _ => c.range,
                };
                let scope = self.push_scope(ScopeKind::Class, body_range);
                let saved = self.current;
                self.current = scope;
                self.visit_body(&c.body);
                self.current = saved;
                self.bind(c.name.as_str(), c.name.range, BindingKind::ClassDef);
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => self.bind(
                            asname.as_str(),
                            alias.range,
                            BindingKind::Import {
                                module: module.to_string(),
                            },
                        ),
                        None => {
                            let head = module.split('.').next().unwrap_or(module);
                            self.bind(
                                head,
                                alias.range,
                                BindingKind::Import {
                                    module: head.to_string(),
                                },
                            )
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                let mut module = ".".repeat(import.level as usize);
                if let Some(m) = &import.module {
                    module.push_str(m.as_str());
                }
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        match STAR_EXPORTS.iter().find(|(m, _)| *m == module) {
                            Some((_, names)) => {
                                for name in *names {
                                    self.bind(
                                        name,
                                        alias.range,
                                        BindingKind::FromImport {
                                            module: module.clone(),
                                            member: name.to_string(),
                                        },
                                    );
                                }
                            }
                            None => self
                                .model
                                .unknown_star_imports
                                .push((module.clone(), stmt.range())),
                        }
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.bind(
                        bound.as_str(),
                        alias.range,
                        BindingKind::FromImport {
                            module: module.clone(),
                            member: alias.name.to_string(),
                        },
                    );
                }
            }
            Stmt::Global(g) => {
                for name in &g.names {
                    self.model.scopes[self.current]
                        .globals
                        .push(name.to_string());
                }
            }
            Stmt::Nonlocal(n) => {
                for name in &n.names {
                    self.model.scopes[self.current]
                        .nonlocals
                        .push(name.to_string());
                }
            }
            Stmt::Assign(a) => {
                self.visit_expr(&a.value);
                for t in &a.targets {
                    self.visit_expr(t);
                    self.bind_target(t, BindingKind::Assignment);
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.visit_expr(v);
                }
                self.visit_annotation(&a.annotation);
                if a.value.is_some() || self.model.scopes[self.current].kind != ScopeKind::Function
                {
                    self.bind_target(&a.target, BindingKind::Assignment);
                }
                self.visit_expr(&a.target);
            }
            Stmt::AugAssign(a) => {
                self.visit_expr(&a.value);
                if let Expr::Name(n) = a.target.as_ref() {
                    self.model.references.push(Reference {
                        name: n.id.clone(),
                        range: n.range,
                        scope: self.current,
                    });
                }
                self.visit_expr(&a.target);
                self.bind_target(&a.target, BindingKind::Assignment);
            }
            Stmt::For(f) => {
                self.visit_expr(&f.iter);
                self.bind_target(&f.target, BindingKind::Other);
                self.visit_expr(&f.target);
                self.visit_body(&f.body);
                self.visit_body(&f.orelse);
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(v) = &item.optional_vars {
                        self.bind_target(v, BindingKind::Other);
                        self.visit_expr(v);
                    }
                }
                self.visit_body(&w.body);
            }
            Stmt::Try(t) => {
                self.try_depth += 1;
                self.visit_body(&t.body);
                for handler in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    if let Some(ty) = &h.type_ {
                        self.visit_expr(ty);
                    }
                    if let Some(name) = &h.name {
                        self.bind(name.as_str(), name.range, BindingKind::Other);
                    }
                    self.visit_body(&h.body);
                }
                self.try_depth -= 1;
                self.visit_body(&t.orelse);
                self.visit_body(&t.finalbody);
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.visit_expr(t);
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.statement = saved_statement;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(n) => {
                if n.ctx == ExprContext::Load {
                    self.model.references.push(Reference {
                        name: n.id.clone(),
                        range: n.range,
                        scope: self.current,
                    });
                }
            }
            Expr::Named(n) => {
                self.visit_expr(&n.value);
                // The walrus binds in the enclosing non-comprehension scope.
                let saved = self.current;
                while self.model.scopes[self.current].kind == ScopeKind::Comprehension {
                    self.current = self.model.scopes[self.current].parent.unwrap_or(0);
                }
                self.bind_target(&n.target, BindingKind::Other);
                self.current = saved;
            }
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    for p in p.iter() {
                        if let Some(default) = p.default() {
                            self.visit_expr(default);
                        }
                    }
                }
                let scope = self.push_scope(ScopeKind::Lambda, l.body.range());
                self.deferred.push(Deferred {
                    scope,
                    body: DeferredBody::Lambda(l),
                });
            }
            Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                let generators: &[ast::Comprehension] = match expr {
                    Expr::ListComp(c) => &c.generators,
                    Expr::SetComp(c) => &c.generators,
                    Expr::DictComp(c) => &c.generators,
                    Expr::Generator(c) => &c.generators,
                    _ => unreachable!(),
                };
                // The first iterable evaluates in the enclosing scope.
                if let Some(first) = generators.first() {
                    self.visit_expr(&first.iter);
                }
                let scope = self.push_scope(ScopeKind::Comprehension, expr.range());
                let saved = self.current;
                self.current = scope;
                for (i, g) in generators.iter().enumerate() {
                    if i > 0 {
                        self.visit_expr(&g.iter);
                    }
                    self.bind_target(&g.target, BindingKind::Other);
                    for cond in &g.ifs {
                        self.visit_expr(cond);
                    }
                }
                match expr {
                    Expr::ListComp(c) => self.visit_expr(&c.elt),
                    Expr::SetComp(c) => self.visit_expr(&c.elt),
                    Expr::Generator(c) => self.visit_expr(&c.elt),
                    Expr::DictComp(c) => {
                        if let Some(key) = &c.key {
                            self.visit_expr(key);
                        }
                        self.visit_expr(&c.value);
                    }
                    _ => {}
                }
                self.current = saved;
            }
            _ => visitor::walk_expr(self, expr),
        }
    }

    fn visit_pattern(&mut self, pattern: &'a ast::Pattern) {
        match pattern {
            ast::Pattern::MatchAs(p) => {
                if let Some(name) = &p.name {
                    self.bind(name.as_str(), name.range, BindingKind::Other);
                }
            }
            ast::Pattern::MatchStar(p) => {
                if let Some(name) = &p.name {
                    self.bind(name.as_str(), name.range, BindingKind::Other);
                }
            }
            ast::Pattern::MatchMapping(p) => {
                if let Some(name) = &p.rest {
                    self.bind(name.as_str(), name.range, BindingKind::Other);
                }
            }
            _ => {}
        }
        visitor::walk_pattern(self, pattern);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(src: &str) -> (ruff_python_parser::Parsed<ModModule>, Bindings) {
        let parsed = ruff_python_parser::parse_module(src).unwrap();
        let b = Bindings::build(parsed.syntax());
        (parsed, b)
    }

    fn offset_of(src: &str, needle: &str) -> TextSize {
        TextSize::try_from(src.find(needle).unwrap()).unwrap()
    }

    fn first_expr_qualified(src: &str, needle: &str) -> Option<String> {
        let (_parsed, b) = model(src);
        let expr = ruff_python_parser::parse_expression(needle).unwrap();
        // Relocate: parse the needle at its position by re-parsing the whole file and finding the expr.
        let at = offset_of(src, needle);
        let _ = expr;
        let head = needle.split('.').next().unwrap();
        let binding = b.resolve_unique(head, at)?;
        let mut q = binding.qualified_name()?;
        for seg in needle.split('.').skip(1) {
            q.push('.');
            q.push_str(seg);
        }
        Some(q)
    }

    #[test]
    fn import_aliases_resolve() {
        let src = "import datetime as dt\nfrom datetime import datetime as DT\nx = dt.datetime.utcnow\ny = DT.utcnow\n";
        assert_eq!(
            first_expr_qualified(src, "dt.datetime.utcnow").as_deref(),
            Some("datetime.datetime.utcnow")
        );
        assert_eq!(
            first_expr_qualified(src, "DT.utcnow").as_deref(),
            Some("datetime.datetime.utcnow")
        );
    }

    #[test]
    fn later_import_shadows_for_functions() {
        let src = "from datetime import timezone\ndef f():\n    return timezone\nfrom pytz import timezone\n";
        let (_p, b) = model(src);
        let at = offset_of(src, "return timezone") + TextSize::new(7);
        assert!(
            b.resolve_unique("timezone", at).is_none(),
            "two different imports: ambiguous"
        );
        assert_eq!(b.resolve("timezone", at).len(), 2);
    }

    #[test]
    fn locals_and_class_scopes() {
        let src = "import json\nclass C:\n    json = 1\n    def m(self):\n        return json\ndef g(json):\n    return json\n";
        let (_p, b) = model(src);
        let in_m = offset_of(src, "return json") + TextSize::new(7);
        assert!(b.resolve_unique("json", in_m).unwrap().is_import());
        let in_g = TextSize::try_from(src.rfind("return json").unwrap() + 7).unwrap();
        assert_eq!(
            b.resolve_unique("json", in_g).unwrap().kind,
            BindingKind::Parameter
        );
    }

    #[test]
    fn defaults_resolve_in_the_enclosing_scope() {
        let src = "from datetime import datetime\ndef f(x=datetime.utcnow):\n    datetime = 1\n    return datetime\n";
        let (_p, b) = model(src);
        let at = offset_of(src, "datetime.utcnow");
        assert!(b.resolve_unique("datetime", at).unwrap().is_import());
        let inside = offset_of(src, "return datetime") + TextSize::new(7);
        assert_eq!(
            b.resolve_unique("datetime", inside).unwrap().kind,
            BindingKind::Assignment
        );
    }

    #[test]
    fn scopes_nested_in_a_first_iterable() {
        let src = "y = 1\nz = [x for x in (lambda: y)() if x]\n";
        let (_p, b) = model(src);
        let in_lambda = offset_of(src, "y)()");
        assert_eq!(b.scopes[b.scope_at(in_lambda)].kind, ScopeKind::Lambda);
        let in_comprehension = offset_of(src, "x]");
        assert_eq!(
            b.scopes[b.scope_at(in_comprehension)].kind,
            ScopeKind::Comprehension
        );
        assert_eq!(b.scope_at(offset_of(src, "y = 1")), 0);
    }

    #[test]
    fn try_import_alternatives() {
        let src = "try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\nx = pickle.loads\n";
        let (_p, b) = model(src);
        let at = offset_of(src, "pickle.loads");
        let c = b.resolve("pickle", at);
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn references_and_usage() {
        let src = "import pickle\nimport json\na = pickle.dumps(1)\n";
        let (_p, b) = model(src);
        let pickle = b.bindings_named("pickle").next().unwrap();
        assert_eq!(b.references_to(pickle).len(), 1);
        let json = b.bindings_named("json").next().unwrap();
        assert!(b.references_to(json).is_empty());
        assert!(b.is_unused_name("timezone"));
        assert!(!b.is_unused_name("pickle"));
    }

    #[test]
    fn star_imports() {
        // `from datetime import *` binds datetime's public names.
        let src = "from datetime import *
x = datetime.utcnow()
";
        let (_p, b) = model(src);
        assert_eq!(
            first_expr_qualified(src, "datetime.utcnow").as_deref(),
            Some("datetime.datetime.utcnow")
        );
        assert!(!b.is_unused_name("timezone"));
        assert!(b.is_unused_name("json"));
        // Any other star import may bind any name.
        let src = "from datetime import datetime
from app.helpers import *
";
        let (_p, b) = model(src);
        assert!(!b.is_unused_name("timezone"));
        assert_eq!(b.unknown_star_imports.len(), 1);
    }
}
