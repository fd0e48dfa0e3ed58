//! Transform `require-secrets`: hard-coded default secrets (review findings CRIT-S1, CRIT-S2,
//! CRIT-D2) become required values, so a deployment that forgot to configure one stops at
//! start-up with an error naming it instead of running with a secret anyone can read.
//!
//! Five rewrites: environment lookups with a literal default (`os.environ.get("X", "dev")`,
//! `os.getenv("X", "dev")`) and `os.getenv("X") or "dev"` become `os.environ["X"]`; a
//! `secret or "literal"` fallback gets an `if not secret: raise ValueError(...)` guard; literal
//! secrets assigned to config (`app.config["SECRET_KEY"] = "..."`, `SECRET_KEY = "..."` in a
//! settings module) are read from the environment; pydantic `BaseSettings` and dataclass
//! settings fields lose their literal default.

use std::collections::HashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::ast_util;
use crate::context::FileContext;
use crate::edit::{Edit, Fix};
use crate::finding::Finding;
use crate::imports;
use crate::source;
use crate::transforms::Transform;

pub struct ThisTransform;
pub static TRANSFORM: ThisTransform = ThisTransform;

const ID: &str = "require-secrets";

impl Transform for ThisTransform {
    fn id(&self) -> &'static str {
        ID
    }

    /// Fixture secrets in tests are expected and harmless: nothing there is reported.
    fn skips_test_files(&self) -> bool {
        true
    }

    fn triggers(&self) -> &'static [&'static str] {
        &[
            "SECRET",
            "secret",
            "Secret",
            "TOKEN",
            "token",
            "Token",
            "PASSW",
            "passw",
            "Passw",
            "PASSPHRASE",
            "passphrase",
            "CREDENTIAL",
            "credential",
            "Credential",
            "_KEY",
            "_key",
            "Key",
            "APIKEY",
            "apikey",
            "://",
        ]
    }

    /// Every finding has a secret-like name on a line that assigns or `or`s a string literal,
    /// or sits in a file that reads the environment (the lookup may span lines).
    fn may_match(&self, text: &str) -> bool {
        static PATTERNS: std::sync::OnceLock<aho_corasick::AhoCorasick> =
            std::sync::OnceLock::new();
        let patterns = PATTERNS.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(SECRET_WORDS.iter().chain(["key", "://"].iter()))
                .expect("valid patterns")
        });
        let has_secret_word = |line: &str| {
            patterns
                .find_overlapping_iter(line)
                .any(|m| is_secret_word_at(line, m.start(), m.end()))
        };
        if text.contains("getenv") || text.contains("environ") {
            return crate::prefilter::any_match_on_a_line(text, patterns, |line, start, end| {
                is_secret_word_at(line, start, end)
            });
        }
        // Without environment lookups, a finding needs a string literal assigned (or `or`-ed)
        // on a line naming a secret: look at the lines around quotes only.
        let bytes = text.as_bytes();
        let mut checked_up_to = 0;
        for quote in memchr::memchr2_iter(b'"', b'\'', bytes) {
            if quote < checked_up_to {
                continue;
            }
            let start = memchr::memrchr2(b'\n', b'\r', &bytes[..quote]).map_or(0, |i| i + 1);
            let end =
                memchr::memchr2(b'\n', b'\r', &bytes[quote..]).map_or(text.len(), |i| quote + i);
            checked_up_to = end;
            let line = &text[start..end];
            if assigns_string_literal(line) && has_secret_word(line) {
                return true;
            }
        }
        false
    }

    fn check(&self, ctx: &FileContext) -> Vec<Finding> {
        let module = ctx.module();
        let mut facts = ModuleFacts::default();
        facts.visit_body(&module.body);
        let mut scan = Scan {
            ctx,
            facts,
            findings: Vec::new(),
            classes: Vec::new(),
            function_depth: 0,
            inner_scope_depth: 0,
            block_depth: 0,
            assignment_target: None,
            config_module: is_config_module(ctx),
            development_module: is_development_module(ctx),
        };
        scan.visit_body(&module.body);
        scan.findings
    }
}

/// Words (any case) that make a name secret-like wherever they occur in it.
const SECRET_WORDS: &[&str] = &["secret", "token", "passw", "passphrase", "credential"];

/// Whether the prefilter match at `start..end` of `line` is a secret-like word: one of
/// [`SECRET_WORDS`], `key` ending an identifier longer than `key` itself, or `://` of a URL
/// with credentials (`@` later on the line).
fn is_secret_word_at(line: &str, start: usize, end: usize) -> bool {
    let bytes = line.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    match &bytes[start..end] {
        b"://" => line[end..].contains('@'),
        word if word.eq_ignore_ascii_case(b"key") => {
            start > 0 && is_ident(bytes[start - 1]) && !bytes.get(end).is_some_and(|&b| is_ident(b))
        }
        _ => true,
    }
}

/// Whether a line has `= "...`, `or '...` (string prefixes allowed): a literal being assigned
/// or used as a fallback.
fn assigns_string_literal(line: &str) -> bool {
    line.match_indices(['"', '\'']).any(|(i, _)| {
        let before = line[..i]
            .trim_end_matches(['r', 'b', 'u', 'f', 'R', 'B', 'U', 'F'])
            .trim_end();
        before.ends_with('=')
            || before.ends_with(" or")
            || before.ends_with("(or")
            || before == "or"
    })
}

// ---------------------------------------------------------------------------------------------
// Secret-name rules
// ---------------------------------------------------------------------------------------------

/// How much a name says that its value is a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SecretName {
    /// No secret word, or a word that says it is about a secret but not one (`_FILE`, `_LENGTH`).
    No,
    /// Ends in `KEY` without saying which kind (`CACHE_KEY` may be a lookup key, `STRIPE_KEY` a secret).
    Weak,
    /// SECRET, TOKEN, PASSWORD/PASSWD, PASSPHRASE, CREDENTIAL(S), PRIVATE_KEY, API_KEY, ...
    Strong,
}

/// Last words that make a secret-sounding name describe something else: where a secret lives,
/// how long it is, how it is transported or configured.
const NOT_SECRET_LAST_WORDS: &[&str] = &[
    "FILE",
    "FILES",
    "PATH",
    "DIR",
    "ID",
    "IDS",
    "NAME",
    "NAMES",
    "LENGTH",
    "LEN",
    "SIZE",
    "BITS",
    "BYTES",
    "ALGORITHM",
    "ALGORITHMS",
    "ALG",
    "MINUTES",
    "SECONDS",
    "HOURS",
    "DAYS",
    "EXPIRE",
    "EXPIRES",
    "EXPIRY",
    "EXPIRATION",
    "TTL",
    "LIFETIME",
    "AGE",
    "TIMEOUT",
    "INTERVAL",
    "TYPE",
    "HEADER",
    "PREFIX",
    "SUFFIX",
    "FIELD",
    "PARAM",
    "URL",
    "URI",
    "DSN",
    "ENDPOINT",
    "HOST",
    "PORT",
    "ENABLED",
    "REQUIRED",
    "COUNT",
    "LIMIT",
    "RETRIES",
    "ATTEMPTS",
    "VERSION",
    "SCHEME",
    "LOCATION",
    "AUDIENCE",
    "ISSUER",
    "BACKEND",
    "BACKENDS",
    "CLASS",
    "MODULE",
    "POLICY",
    "PATTERN",
    "REGEX",
    "VALIDATORS",
    "HASHERS",
    "ROUNDS",
    "FORMAT",
    "ENCODING",
    "MODE",
    "LEVEL",
    "KIND",
    "COOKIE",
    "DOMAIN",
    "SECURE",
    "HTTPONLY",
    "SAMESITE",
    "STRATEGY",
    // Things shown or used around a secret: templates, views, forms, texts.
    "TEMPLATE",
    "TEMPLATES",
    "VIEW",
    "FORM",
    "SERIALIZER",
    "HANDLER",
    "MESSAGE",
    "MESSAGES",
    "LABEL",
    "TEXT",
    "TITLE",
    "HELP",
    "HINT",
    "ERROR",
    "PROMPT",
    "WIDGET",
    "PLACEHOLDER",
    "CHARS",
    "CHARACTERS",
    "ALPHABET",
];

/// Words anywhere in a name that make it describe a non-secret.
const NOT_SECRET_WORDS: &[&str] = &["PUBLISHABLE", "PUBLIC", "PUB", "MIN", "MAX"];

const STRONG_WORDS: &[&str] = &[
    "SECRET",
    "SECRETS",
    "TOKEN",
    "TOKENS",
    "PASSWORD",
    "PASSWORDS",
    "PASSWD",
    "PASSPHRASE",
    "CREDENTIAL",
    "CREDENTIALS",
    "APIKEY",
    "SECRETKEY",
];

/// Words before a final `KEY` that make it a secret key.
const STRONG_KEY_QUALIFIERS: &[&str] = &[
    "API",
    "PRIVATE",
    "ACCESS",
    "SIGNING",
    "SIGNATURE",
    "ENCRYPTION",
    "ENCRYPT",
    "MASTER",
    "AUTH",
    "HMAC",
    "JWT",
    "FERNET",
    "CLIENT",
    "APP",
    "SERVICE",
    "WEBHOOK",
    "SECRET",
    "LICENSE",
    "ADMIN",
];

/// Words before a final `KEY` that make it a lookup key, not a secret (`CACHE_KEY`,
/// `SORT_KEY`, `PARTITION_KEY`): such a variable must not become required.
const NOT_SECRET_KEY_QUALIFIERS: &[&str] = &[
    "CACHE",
    "SORT",
    "ORDER",
    "ORDERING",
    "PARTITION",
    "PRIMARY",
    "FOREIGN",
    "LOOKUP",
    "ROUTING",
    "GROUP",
    "QUEUE",
    "LOCK",
    "DEDUP",
    "DEDUPE",
    "IDEMPOTENCY",
    "SEARCH",
    "INDEX",
    "CURSOR",
    "PAGE",
    "PAGINATION",
    "SEQUENCE",
    "SHARD",
    "METRIC",
    "METRICS",
    "LABEL",
    "TAG",
    "LOCALE",
    "TRANSLATION",
    "FEATURE",
    "FLAG",
    "EVENT",
    "TASK",
    "JOB",
    "LIMIT",
    "THROTTLE",
];

/// The upper-case words of a name: split at `_`, `-`, `.` and lower→upper camelCase boundaries.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' || c == '.' || c == ' ' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_uppercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn classify_name(name: &str) -> SecretName {
    let words = name_words(name);
    let Some(last) = words.last() else {
        return SecretName::No;
    };
    if NOT_SECRET_LAST_WORDS.contains(&last.as_str())
        || words.iter().any(|w| NOT_SECRET_WORDS.contains(&w.as_str()))
    {
        return SecretName::No;
    }
    let strong_word = |w: &String| {
        STRONG_WORDS.contains(&w.as_str())
            || ["SECRET", "TOKEN", "PASSWORD", "PASSWD", "APIKEY"]
                .iter()
                .any(|s| w.len() > s.len() && w.ends_with(s))
    };
    if words.iter().any(strong_word) {
        return SecretName::Strong;
    }
    if last == "KEY" || last.ends_with("KEY") && last.len() > 3 {
        let qualifier = if last == "KEY" {
            words.len().checked_sub(2).map(|i| words[i].as_str())
        } else {
            None
        };
        if qualifier.is_some_and(|q| STRONG_KEY_QUALIFIERS.contains(&q)) {
            return SecretName::Strong;
        }
        if qualifier.is_some_and(|q| NOT_SECRET_KEY_QUALIFIERS.contains(&q)) {
            return SecretName::No;
        }
        // `KEY` alone is too generic (dict keys, cache keys).
        if words.len() > 1 || last.len() > 3 {
            return SecretName::Weak;
        }
    }
    SecretName::No
}

/// The password of a `scheme://user:password@host/...` URL, when the literal embeds one
/// (templates such as `{password}` or `${DB_PASSWORD}` are not passwords).
fn embedded_password(value: &str) -> Option<&str> {
    let rest = &value[value.find("://")? + 3..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let userinfo = &authority[..authority.rfind('@')?];
    let password = &userinfo[userinfo.find(':')? + 1..];
    let templated =
        password.starts_with('{') || password.starts_with('$') || password.starts_with("%(");
    (!password.is_empty() && !templated).then_some(password)
}

/// A relative file path with a directory and an extension (`templates/reset_password.html`):
/// plain path characters only, so generated secrets (which mix in `!@#$%^&*+=` and have no
/// `name.ext` tail after a `/`) do not match.
fn is_relative_file_path(value: &str) -> bool {
    let parts: Vec<&str> = value.split('/').collect();
    let path_chars = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    let Some((last, dirs)) = parts.split_last() else {
        return false;
    };
    let extension = last.rsplit_once('.');
    !dirs.is_empty()
        && dirs.iter().all(|d| path_chars(d))
        && path_chars(last)
        && extension.is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphabetic())
        })
}

/// Why a literal default counts as a hard-coded secret, for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reason {
    /// The name says it is a secret.
    SecretName,
    /// The literal is a URL with a password in it.
    UrlPassword,
}

/// Whether `literal` under names `names` (most specific first) is a hard-coded secret, and how
/// strongly the names say so. Empty literals are handled by the caller.
fn secret_reason(names: &[&str], literal: &str) -> Option<(Reason, SecretName)> {
    if embedded_password(literal).is_some() {
        return Some((Reason::UrlPassword, SecretName::Strong));
    }
    // `"admin/auth/user/change_password.html"`, `"keys/private.pem"`: where something lives.
    if is_relative_file_path(literal) {
        return None;
    }
    let mut best = SecretName::No;
    for name in names {
        let class = classify_name(name);
        // A name that says "not a secret" (SECRET_KEY_FILE) wins over a vaguer outer name.
        if class == SecretName::No
            && name_words(name)
                .iter()
                .any(|w| STRONG_WORDS.contains(&w.as_str()))
        {
            return None;
        }
        best = best.max(class);
    }
    (best > SecretName::No).then_some((Reason::SecretName, best))
}

// ---------------------------------------------------------------------------------------------
// Module-wide facts: placeholder guards and fail-closed checks
// ---------------------------------------------------------------------------------------------

/// What the module already does about its secrets.
#[derive(Default)]
struct ModuleFacts {
    /// String literals compared against (`== "change-me"`, `in ("dev", "changeme")`), with where.
    compared_literals: Vec<(String, TextRange)>,
    /// Names (or attribute names) that an `if not X: raise`-style check or a validator covers.
    checked_names: HashSet<String>,
}

impl ModuleFacts {
    fn placeholder_guard(&self, literal: &str) -> Option<TextRange> {
        self.compared_literals
            .iter()
            .find(|(value, _)| value == literal)
            .map(|(_, range)| *range)
    }
}

/// True when `body` leaves the block by raising or exiting.
fn fails_out(body: &[Stmt]) -> bool {
    body.iter().any(|stmt| match stmt {
        Stmt::Raise(_) => true,
        Stmt::Expr(e) => match e.value.as_ref() {
            Expr::Call(call) => ast_util::dotted_name(&call.func).is_some_and(|n| {
                matches!(
                    n.as_str(),
                    "sys.exit" | "exit" | "abort" | "os._exit" | "quit"
                )
            }),
            _ => false,
        },
        _ => false,
    })
}

/// The names an `if` test checks for being unset: `not X`, `X is None`, `X == ""`, `not X.strip()`, ...
fn tested_names(test: &Expr, out: &mut HashSet<String>) {
    match test {
        Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => tested_names(&u.operand, out),
        Expr::BoolOp(b) => b.values.iter().for_each(|v| tested_names(v, out)),
        Expr::Compare(c) => tested_names(&c.left, out),
        Expr::Call(call) => match call.func.as_ref() {
            // `not X.strip()`, `len(X) < 32`
            Expr::Attribute(a) => tested_names(&a.value, out),
            _ => call
                .arguments
                .args
                .iter()
                .for_each(|a| tested_names(a, out)),
        },
        Expr::Name(n) => {
            out.insert(n.id.to_string());
        }
        Expr::Attribute(a) => {
            out.insert(a.attr.to_string());
        }
        _ => {}
    }
}

impl<'a> Visitor<'a> for ModuleFacts {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::If(i) if fails_out(&i.body) => tested_names(&i.test, &mut self.checked_names),
            Stmt::Assert(a) => tested_names(&a.test, &mut self.checked_names),
            Stmt::FunctionDef(f) => {
                // Validators: `@field_validator("SECRET_KEY")`, `@validator("secret_key")`.
                for decorator in &f.decorator_list {
                    if let Expr::Call(call) = &decorator.expression {
                        let is_validator =
                            ast_util::callee_name(call).is_some_and(|n| n.contains("validator"));
                        if is_validator {
                            for arg in &call.arguments.args {
                                if let Some(name) = ast_util::string_literal(arg) {
                                    self.checked_names.insert(name);
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Compare(c) = expr {
            for operand in std::iter::once(c.left.as_ref()).chain(c.comparators.iter()) {
                let literals: Vec<&Expr> = match operand {
                    Expr::Tuple(t) => t.elts.iter().collect(),
                    Expr::List(l) => l.elts.iter().collect(),
                    Expr::Set(s) => s.elts.iter().collect(),
                    other => vec![other],
                };
                for literal in literals {
                    if let Some(value) = ast_util::string_literal(literal) {
                        self.compared_literals.push((value, c.range));
                    }
                }
            }
        }
        visitor::walk_expr(self, expr);
    }
}

// ---------------------------------------------------------------------------------------------
// File kinds
// ---------------------------------------------------------------------------------------------

fn path_stems(ctx: &FileContext) -> Vec<String> {
    ctx.relative_path
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_lowercase())
        .collect()
}

/// `settings.py`, `config.py`, `app/core/config.py`, `settings/base.py`, `app_config.py`.
fn is_config_module(ctx: &FileContext) -> bool {
    path_stems(ctx)
        .iter()
        .any(|s| s.contains("settings") || s.contains("config"))
}

/// `settings/dev.py`, `config/local.py`, `settings/testing.py`: development-only defaults.
fn is_development_module(ctx: &FileContext) -> bool {
    let stem = path_stems(ctx).pop().unwrap_or_default();
    DEVELOPMENT_WORDS
        .iter()
        .any(|w| stem == *w || stem.ends_with(&format!("_{w}")))
}

const DEVELOPMENT_WORDS: &[&str] = &[
    "dev",
    "development",
    "local",
    "test",
    "testing",
    "ci",
    "example",
    "sample",
];

/// `DevelopmentConfig`, `TestingConfig`, `LocalSettings`.
fn is_development_class(name: &str) -> bool {
    let lower = name.to_lowercase();
    ["dev", "test", "local", "example", "sample"]
        .iter()
        .any(|w| lower.starts_with(w))
}

// ---------------------------------------------------------------------------------------------
// The scan
// ---------------------------------------------------------------------------------------------

/// The name an assignment stores into: `X`, `self.x` → `x`, `cfg["X"]` → `X`.
fn target_name(target: &Expr) -> Option<String> {
    match target {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => Some(a.attr.to_string()),
        Expr::Subscript(s) => ast_util::string_literal(&s.slice),
        _ => None,
    }
}

/// A non-empty plain string literal's value.
fn literal_value(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(_) => ast_util::string_literal(expr),
        _ => None,
    }
}

/// Shortened, quoted form of a literal for messages.
fn shown(literal: &str) -> String {
    let mut out: String = literal.chars().take(40).collect();
    if out.len() < literal.len() {
        out.push('…');
    }
    format!("\"{out}\"")
}

/// The quote character the replaced literal used (for generated string literals).
fn quote_of(ctx: &FileContext, literal: &Expr) -> char {
    match ctx.slice(literal.range()).chars().next() {
        Some('\'') => '\'',
        _ => '"',
    }
}

struct Scan<'c, 'a> {
    ctx: &'c FileContext<'a>,
    facts: ModuleFacts,
    findings: Vec<Finding>,
    classes: Vec<&'a ast::StmtClassDef>,
    function_depth: usize,
    /// Depth of lambdas and comprehensions (their own scopes: no statement to put a guard before).
    inner_scope_depth: usize,
    /// Depth of `if`/`try`/`with`/loop/`match` blocks outside functions (conditional settings).
    block_depth: usize,
    /// The target name and value range of the assignment being visited.
    assignment_target: Option<(String, TextRange)>,
    config_module: bool,
    development_module: bool,
}

/// One hard-coded default: where, what, and under which names.
struct HardCoded {
    /// The whole expression to report on.
    range: TextRange,
    value: String,
    reason: Reason,
    strength: SecretName,
}

impl<'c, 'a> Scan<'c, 'a> {
    fn declined(&mut self, range: TextRange, message: String) {
        self.findings.push(Finding::declined(ID, range, message));
    }

    fn fixed(&mut self, range: TextRange, message: String, description: String, edits: Vec<Edit>) {
        self.findings.push(Finding::new(
            ID,
            range,
            message,
            Some(Fix::unsafe_(description, edits)),
        ));
    }

    /// The secret default in `literal` for `names`, or None when it is not one (or is already
    /// covered by a check). Reports the cases that stay display-only.
    fn secret_default(
        &mut self,
        range: TextRange,
        literal: &Expr,
        names: &[&str],
    ) -> Option<HardCoded> {
        let value = literal_value(literal)?;
        if value.is_empty() {
            let (_, strength) = secret_reason(names, "x")?;
            if strength < SecretName::Strong {
                return None;
            }
            // Follow the value: an `if not X: raise` or a validator already fails closed.
            let checked = names.iter().any(|n| self.facts.checked_names.contains(*n))
                || self
                    .assignment_target
                    .as_ref()
                    .is_some_and(|(t, _)| self.facts.checked_names.contains(t));
            if !checked {
                self.declined(
                    range,
                    format!(
                        "`{}` defaults to an empty string and no check that it is set was found; if an empty value must not be accepted, make it required",
                        names[0]
                    ),
                );
            }
            return None;
        }
        let (reason, strength) = secret_reason(names, &value)?;
        if let Some(guard) = self.facts.placeholder_guard(&value) {
            let line = self.ctx.lines.position(guard.start()).line;
            self.declined(
                range,
                format!(
                    "`{}` defaults to the placeholder {}, which this module already refuses (line {line}); left as is",
                    names[0],
                    shown(&value)
                ),
            );
            return None;
        }
        if let Some(class) = self
            .classes
            .last()
            .filter(|c| is_development_class(&c.name))
        {
            let name = class.name.to_string();
            self.declined(
                range,
                format!("`{}` has a hard-coded default in development/test configuration `{name}`; left as is", names[0]),
            );
            return None;
        }
        if self.development_module {
            self.declined(
                range,
                format!("`{}` has a hard-coded default in a development/test settings module; left as is", names[0]),
            );
            return None;
        }
        Some(HardCoded {
            range,
            value,
            reason,
            strength,
        })
    }

    /// Whether a `#` comment lies inside `range` (a replaced range would drop it).
    fn has_comment_in(&self, range: TextRange) -> bool {
        self.ctx
            .comment_ranges()
            .iter()
            .any(|c| range.contains_range(*c))
    }

    fn what(default: &HardCoded, name: &str) -> String {
        match default.reason {
            Reason::SecretName => format!(
                "`{name}` has the hard-coded secret value {}",
                shown(&default.value)
            ),
            Reason::UrlPassword => format!(
                "`{name}` defaults to a URL with the hard-coded password {}",
                shown(embedded_password(&default.value).unwrap_or_default())
            ),
        }
    }

    /// The expression text for `os.environ` at `at`, with the import edit it needs.
    fn environ(&self, at: TextSize) -> Option<(String, Option<Edit>)> {
        let ctx = self.ctx;
        let member = imports::import_member(ctx, "os", "environ", at).ok();
        if let Some((text, None)) = &member {
            return Some((text.clone(), None));
        }
        let has_from_os = ctx.module().body.iter().any(|s| {
            matches!(s, Stmt::ImportFrom(i) if i.level == 0 && i.module.as_ref().is_some_and(|m| m.as_str() == "os"))
        });
        if has_from_os && member.is_some() {
            return member;
        }
        match imports::import_module(ctx, "os", at) {
            Ok((os, edit)) => Some((format!("{os}.environ"), edit)),
            Err(_) => member,
        }
    }

    /// `os.environ.get("X", ...)` / `os.getenv("X", ...)`: the environment-variable name
    /// literal and the `os.environ` text (with import edit) for a required lookup.
    /// The `os.environ` part is None when no name for it can be bound here.
    #[allow(clippy::type_complexity)]
    fn environment_lookup<'e>(
        &self,
        call: &'e ast::ExprCall,
    ) -> Option<(&'e Expr, String, Option<(String, Option<Edit>)>)> {
        let qualified = self.ctx.bindings.qualified_name(&call.func)?;
        let environ = match (qualified.as_str(), call.func.as_ref()) {
            ("os.environ.get", Expr::Attribute(a)) => {
                Some((self.ctx.slice(a.value.range()).to_string(), None))
            }
            ("os.getenv", Expr::Attribute(a)) => {
                Some((format!("{}.environ", self.ctx.slice(a.value.range())), None))
            }
            ("os.getenv", Expr::Name(_)) => self.environ(call.start()),
            _ => return None,
        };
        let key = call.arguments.args.first()?;
        let name = ast_util::string_literal(key).filter(|_| key.is_string_literal_expr())?;
        Some((key, name, environ))
    }

    /// The default argument of an environment lookup: positional or `default=`.
    fn lookup_default(call: &ast::ExprCall) -> Option<Option<&Expr>> {
        let args = &call.arguments;
        let keyword_default = ast_util::keyword(call, "default").map(|k| &k.value);
        let others = args
            .keywords
            .iter()
            .any(|k| k.arg.as_ref().is_none_or(|a| a.as_str() != "default"));
        if others || args.args.iter().any(Expr::is_starred_expr) {
            return None;
        }
        match (args.args.len(), keyword_default) {
            (1, default) => Some(default),
            (2, None) => Some(Some(&args.args[1])),
            _ => None,
        }
    }

    /// Rewrite 1: `os.environ.get("X", "literal")` → `os.environ["X"]`.
    fn check_lookup_with_default(&mut self, call: &'a ast::ExprCall) {
        let Some(Some(default_expr)) = Self::lookup_default(call) else {
            return;
        };
        let Some((key, name, environ)) = self.environment_lookup(call) else {
            return;
        };
        let target = self
            .assignment_target
            .clone()
            .filter(|(_, r)| *r == call.range())
            .map(|(t, _)| t);
        let mut names: Vec<&str> = vec![&name];
        if let Some(t) = &target {
            names.push(t);
        }
        let Some(default) = self.secret_default(call.range(), default_expr, &names) else {
            return;
        };
        self.require_lookup(default, &name, key, environ, call.range());
    }

    /// Rewrites a lookup with a hard-coded secret default (the expression at `replaced`) to
    /// the required `os.environ[key]`, or declines when that cannot be written here.
    fn require_lookup(
        &mut self,
        default: HardCoded,
        name: &str,
        key: &Expr,
        environ: Option<(String, Option<Edit>)>,
        replaced: TextRange,
    ) {
        let Some((environ, import_edit)) = environ else {
            return self.declined(
                default.range,
                format!(
                    "{}; not fixed: no name for `os.environ` can be bound here",
                    Self::what(&default, name)
                ),
            );
        };
        if self.has_comment_in(replaced) {
            return self.declined(
                default.range,
                format!(
                    "{}; not fixed: a comment sits inside the lookup",
                    Self::what(&default, name)
                ),
            );
        }
        let key_text = self.ctx.slice(key.range());
        let replacement = format!("{environ}[{key_text}]");
        let mut edits = vec![Edit::replacement(replacement.clone(), replaced)];
        edits.extend(import_edit);
        let message = format!(
            "{}; `{name}` becomes a required environment variable (KeyError when unset)",
            Self::what(&default, name)
        );
        self.fixed(
            default.range,
            message,
            format!("replace with `{replacement}`"),
            edits,
        );
    }

    /// Rewrite 2 (`os.getenv("X") or "literal"`) and rewrite 3 (`secret or "literal"`).
    fn check_or_fallback(&mut self, bool_op: &'a ast::ExprBoolOp) {
        if bool_op.op != ast::BoolOp::Or || bool_op.values.len() != 2 {
            return;
        }
        let (first, fallback) = (&bool_op.values[0], &bool_op.values[1]);
        if !fallback.is_string_literal_expr() {
            return;
        }
        let target = self
            .assignment_target
            .clone()
            .filter(|(_, r)| *r == bool_op.range)
            .map(|(t, _)| t);
        match first {
            Expr::Call(call) => self.check_lookup_or(bool_op, call, fallback, target),
            Expr::Name(_) | Expr::Attribute(_) => {
                self.check_value_or(bool_op, first, fallback, target)
            }
            _ => {}
        }
    }

    fn check_lookup_or(
        &mut self,
        bool_op: &ast::ExprBoolOp,
        call: &ast::ExprCall,
        fallback: &Expr,
        target: Option<String>,
    ) {
        let without_default = match Self::lookup_default(call) {
            Some(None) => true,
            Some(Some(d)) => d.is_none_literal_expr(),
            None => false,
        };
        if !without_default {
            return;
        }
        let Some((key, name, environ)) = self.environment_lookup(call) else {
            return;
        };
        let mut names: Vec<&str> = vec![&name];
        if let Some(t) = &target {
            names.push(t);
        }
        let Some(default) = self.secret_default(bool_op.range, fallback, &names) else {
            return;
        };
        self.require_lookup(default, &name, key, environ, bool_op.range);
    }

    /// Rewrite 3: `self.signing_secret = signing_secret or "default"` → a guard raising
    /// `ValueError("signing_secret is required")` before the statement, and no fallback.
    fn check_value_or(
        &mut self,
        bool_op: &ast::ExprBoolOp,
        value: &Expr,
        fallback: &Expr,
        target: Option<String>,
    ) {
        let Some(value_name) = target_name(value) else {
            return;
        };
        if let Expr::Attribute(a) = value
            && !a.value.is_name_expr()
        {
            return;
        }
        let mut names: Vec<&str> = vec![&value_name];
        if let Some(t) = &target {
            names.push(t);
        }
        let Some(default) = self.secret_default(bool_op.range, fallback, &names) else {
            return;
        };
        // A bare `_KEY` name is too ambiguous for a code change here (`cache_key or "default"`).
        if default.strength < SecretName::Strong {
            return;
        }
        let what = Self::what(&default, &value_name);
        let ctx = self.ctx;
        let decline = |scan: &mut Self, why: &str| {
            scan.declined(default.range, format!("{what}; not fixed: {why}"))
        };
        if self.inner_scope_depth > 0 {
            return decline(self, "it is inside a lambda or comprehension");
        }
        let Some(located) = ast_util::statement_containing(ctx.module(), bool_op.range) else {
            return;
        };
        let stmt = located.stmt;
        let simple = matches!(
            stmt,
            Stmt::Assign(_)
                | Stmt::AnnAssign(_)
                | Stmt::AugAssign(_)
                | Stmt::Return(_)
                | Stmt::Expr(_)
        );
        if !simple || !source::is_first_on_line(ctx.source, stmt.start()) {
            return decline(
                self,
                "the statement shares its line or is part of a compound statement",
            );
        }
        let removed = TextRange::new(value.end(), bool_op.end());
        if ctx.slice(removed).contains('#') {
            return decline(self, "a comment sits inside the fallback");
        }
        let indent = ctx.indentation_at(stmt.start());
        let unit = indent_unit(ctx, stmt.start(), indent);
        let le = ctx.line_ending();
        let q = quote_of(ctx, fallback);
        let value_text = ctx.slice(value.range());
        let guard = format!(
            "{indent}if not {value_text}:{le}{indent}{unit}raise ValueError({q}{value_name} is required{q}){le}"
        );
        let line_start = source::line_start(ctx.source, stmt.start());
        // `password = password or "admin"` would leave `password = password`: the guard replaces it.
        let self_assignment = matches!(stmt, Stmt::Assign(a) if a.targets.len() == 1
            && ctx.slice(a.targets[0].range()) == value_text
            && a.value.range() == bool_op.range);
        let rest_of_line = &ctx.source
            [usize::from(stmt.end())..usize::from(source::line_end(ctx.source, stmt.end()))];
        let edits = if self_assignment && rest_of_line.trim().is_empty() {
            let line_end = source::full_line_end(ctx.source, stmt.end());
            vec![Edit::replacement(
                guard,
                TextRange::new(line_start, line_end),
            )]
        } else {
            vec![Edit::insertion(guard, line_start), Edit::deletion(removed)]
        };
        let message = format!(
            "{what}; `{value_name}` becomes required (ValueError when it is missing or empty)"
        );
        self.fixed(
            default.range,
            message,
            format!("raise ValueError when `{value_text}` is missing instead of falling back"),
            edits,
        );
    }

    /// Rewrite 4: a literal secret assigned to config → read from the environment.
    fn check_literal_assignment(&mut self, target: &Expr, value: &'a Expr) {
        if !value.is_string_literal_expr() {
            return;
        }
        let at_module_or_class = self.function_depth == 0;
        let in_settings_class = self
            .classes
            .last()
            .is_some_and(|c| self.settings_class_kind(c).is_some());
        let (name, env_name) = match target {
            // `app.config["SECRET_KEY"] = "..."`, `config["SECRET_KEY"] = "..."`
            Expr::Subscript(s) => {
                let is_config = ast_util::dotted_name(&s.value).is_some_and(|d| {
                    d.rsplit('.')
                        .next()
                        .is_some_and(|last| last.to_lowercase().ends_with("config"))
                });
                let Some(key) = ast_util::string_literal(&s.slice).filter(|_| is_config) else {
                    return;
                };
                (key.clone(), key)
            }
            // `app.secret_key = "..."`
            Expr::Attribute(a) if a.attr.as_str().eq_ignore_ascii_case("secret_key") => {
                (a.attr.to_string(), "SECRET_KEY".to_string())
            }
            // `SECRET_KEY = "..."` at module level, or in a plain config class, of a settings module
            Expr::Name(n) if at_module_or_class && self.config_module && !in_settings_class => {
                let range = TextRange::new(target.start(), value.end());
                let class = self
                    .classes
                    .last()
                    .map(|c| (c.name.to_string(), self.class_attributes(c, 0)));
                let why_not = match class {
                    // Enum members and `Choices` are constants, not configuration.
                    Some((_, ClassAttributes::Constants)) => return,
                    Some((class, ClassAttributes::Opaque(base))) => Some(format!(
                        "class `{class}` is built on `{base}`, which remedy cannot see: its attributes may not be plain config values (a settings base reads its own, maybe prefixed, variables; a model's defaults are per object)"
                    )),
                    _ if self.block_depth > 0 => {
                        Some("the assignment is conditional (inside a block)".to_string())
                    }
                    _ => None,
                };
                if let Some(why) = why_not {
                    if let Some(default) = self.secret_default(range, value, &[n.id.as_str()]) {
                        let what = Self::what(&default, &n.id);
                        self.declined(range, format!("{what}; not fixed: {why}"));
                    }
                    return;
                }
                // Environment variables are upper case by convention (`app.secret_key` reads
                // SECRET_KEY too); a lower-case helper variable reads the upper-case name.
                (n.id.to_string(), n.id.to_uppercase())
            }
            _ => return,
        };
        let range = TextRange::new(target.start(), value.end());
        let Some(default) = self.secret_default(range, value, &[&name]) else {
            return;
        };
        let what = Self::what(&default, &name);
        if default.strength < SecretName::Strong {
            return self.declined(
                range,
                format!(
                    "`{name}` is set to the literal {}; if it is a secret, read it from the environment (not fixed: a name ending in KEY may not be one)",
                    shown(&default.value)
                ),
            );
        }
        let Some((environ, import_edit)) = self.environ(value.start()) else {
            return self.declined(
                range,
                format!("{what}; not fixed: `os` cannot be imported here"),
            );
        };
        let q = quote_of(self.ctx, value);
        let replacement = format!("{environ}[{q}{env_name}{q}]");
        let mut edits = vec![Edit::replacement(replacement.clone(), value.range())];
        edits.extend(import_edit);
        let message = format!(
            "{what}; `{env_name}` becomes a required environment variable (KeyError when unset)"
        );
        self.fixed(
            range,
            message,
            format!("read it with `{replacement}`"),
            edits,
        );
    }

    /// What the class-level literals of a class in a settings module are: attributes of a
    /// plain config object (no bases, `object`, or plain classes of this file, undecorated:
    /// Flask's `app.config.from_object` style), enum constants, or something remedy cannot see
    /// (an imported base, a decorator, a metaclass), named for the message.
    fn class_attributes(&self, class: &ast::StmtClassDef, depth: usize) -> ClassAttributes {
        let bindings = self.ctx.bindings;
        let is_constants =
            |q: &str| q.starts_with("enum.") || q.ends_with("Choices") && q.starts_with("django.");
        if class
            .bases()
            .iter()
            .any(|b| bindings.qualified_name(b).is_some_and(|q| is_constants(&q)))
        {
            return ClassAttributes::Constants;
        }
        if let Some(d) = class.decorator_list.first() {
            return ClassAttributes::Opaque(format!("@{}", self.ctx.slice(d.expression.range())));
        }
        if let Some(k) = class.arguments.as_ref().and_then(|a| a.keywords.first()) {
            return ClassAttributes::Opaque(self.ctx.slice(k.range()).to_string());
        }
        for base in class.bases() {
            if bindings.qualified_name(base).as_deref() == Some("builtins.object") {
                continue;
            }
            let local = match base {
                Expr::Name(n) if depth < 8 => self.ctx.module().body.iter().find_map(|s| match s {
                    Stmt::ClassDef(c)
                        if c.name.as_str() == n.id.as_str() && c.start() < class.start() =>
                    {
                        Some(c)
                    }
                    _ => None,
                }),
                _ => None,
            };
            match local.map(|c| self.class_attributes(c, depth + 1)) {
                Some(ClassAttributes::Plain) => continue,
                Some(other) => return other,
                None => return ClassAttributes::Opaque(self.ctx.slice(base.range()).to_string()),
            }
        }
        ClassAttributes::Plain
    }

    /// Whether a class is a pydantic settings class or a dataclass (directly or through a
    /// settings base defined in this file).
    fn settings_class_kind(&self, class: &ast::StmtClassDef) -> Option<SettingsKind> {
        self.settings_class_kind_depth(class, 0)
    }

    fn settings_class_kind_depth(
        &self,
        class: &ast::StmtClassDef,
        depth: usize,
    ) -> Option<SettingsKind> {
        let bindings = self.ctx.bindings;
        let is_dataclass = class.decorator_list.iter().any(|d| {
            let callee = match &d.expression {
                Expr::Call(c) => c.func.as_ref(),
                other => other,
            };
            bindings.qualified_name(callee).as_deref() == Some("dataclasses.dataclass")
        });
        if is_dataclass {
            return Some(SettingsKind::Dataclass);
        }
        for base in class.bases() {
            let qualified = bindings.qualified_name(base);
            if qualified.as_deref().is_some_and(|q| {
                matches!(
                    q,
                    "pydantic.BaseSettings"
                        | "pydantic_settings.BaseSettings"
                        | "pydantic.v1.BaseSettings"
                )
            }) {
                return Some(SettingsKind::Pydantic);
            }
            // A settings base class defined in this module.
            if let (Expr::Name(n), true) = (base, depth < 8) {
                let local = self.ctx.module().body.iter().find_map(|s| match s {
                    Stmt::ClassDef(c)
                        if c.name.as_str() == n.id.as_str() && c.start() < class.start() =>
                    {
                        Some(c)
                    }
                    _ => None,
                });
                if let Some(SettingsKind::Pydantic) =
                    local.and_then(|c| self.settings_class_kind_depth(c, depth + 1))
                {
                    return Some(SettingsKind::Pydantic);
                }
            }
        }
        None
    }

    /// The string-literal default of a pydantic `Field(...)` / dataclasses `field(...)` call
    /// (first positional argument or `default=`), with the callee's text.
    fn field_default<'e>(&self, call: &'e ast::ExprCall) -> Option<(&'a str, &'e Expr)> {
        let qualified = self.ctx.bindings.qualified_name(&call.func)?;
        if !matches!(
            qualified.as_str(),
            "pydantic.Field"
                | "pydantic.fields.Field"
                | "pydantic.v1.Field"
                | "pydantic.v1.fields.Field"
                | "dataclasses.field"
        ) {
            return None;
        }
        let default = call
            .arguments
            .args
            .first()
            .or_else(|| ast_util::keyword(call, "default").map(|k| &k.value))?;
        default
            .is_string_literal_expr()
            .then(|| (self.ctx.slice(call.func.range()), default))
    }

    /// The `env_prefix` of a pydantic settings class, also when it is configured on a settings
    /// base class of this file (pydantic inherits the configuration).
    fn inherited_env_prefix(&self, class: &ast::StmtClassDef, depth: usize) -> Option<String> {
        if let Some(prefix) = env_prefix(class) {
            return Some(prefix);
        }
        if depth >= 8 {
            return None;
        }
        class.bases().iter().find_map(|base| {
            let Expr::Name(n) = base else { return None };
            let local = self.ctx.module().body.iter().find_map(|s| match s {
                Stmt::ClassDef(c)
                    if c.name.as_str() == n.id.as_str() && c.start() < class.start() =>
                {
                    Some(c)
                }
                _ => None,
            })?;
            self.inherited_env_prefix(local, depth + 1)
        })
    }

    /// Rewrite 5: `SECRET_KEY: str = "changeme"` in a settings class → no default.
    fn check_settings_field(
        &mut self,
        class: &'a ast::StmtClassDef,
        kind: SettingsKind,
        index: usize,
        field: &'a ast::StmtAnnAssign,
    ) {
        let (Expr::Name(name), Some(value)) = (field.target.as_ref(), field.value.as_deref())
        else {
            return;
        };
        // `SECRET_KEY: str = Field("changeme", description=...)`: reported, not rewritten.
        if let Expr::Call(call) = value
            && let Some((callee, literal)) = self.field_default(call)
        {
            let field_name = name.id.to_string();
            if let Some(default) = self.secret_default(field.range, literal, &[&field_name]) {
                let what = Self::what(&default, &field_name);
                self.declined(
                    field.range,
                    format!(
                        "{what}; not fixed: the default is given in `{callee}(...)`; remove it there by hand (without a default the field is required)"
                    ),
                );
            }
            return;
        }
        if !value.is_string_literal_expr() {
            return;
        }
        let field_name = name.id.to_string();
        let Some(default) = self.secret_default(field.range, value, &[&field_name]) else {
            return;
        };
        let what = Self::what(&default, &field_name);
        let removed = TextRange::new(field.annotation.end(), value.end());
        if self.ctx.slice(removed).contains('#') {
            return self.declined(
                field.range,
                format!("{what}; not fixed: a comment sits inside the default"),
            );
        }
        let message = match kind {
            SettingsKind::Pydantic => {
                let env = match self.inherited_env_prefix(class, 0) {
                    Some(prefix) => format!("{prefix}{field_name}"),
                    None => field_name.clone(),
                };
                format!(
                    "{what}; `{env}` becomes a required environment variable (a required settings field)"
                )
            }
            SettingsKind::Dataclass => {
                if let Some(why) = dataclass_default_removal_blocker(class, index) {
                    return self.declined(field.range, format!("{what}; not fixed: {why}"));
                }
                format!(
                    "{what}; `{field_name}` becomes a required field of `{}` (TypeError when it is not passed)",
                    class.name
                )
            }
        };
        self.fixed(
            field.range,
            message,
            format!("remove the default of `{field_name}`"),
            vec![Edit::deletion(removed)],
        );
    }
}

/// See [`Scan::class_attributes`].
#[derive(Clone, Debug, PartialEq, Eq)]
enum ClassAttributes {
    Plain,
    Constants,
    Opaque(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SettingsKind {
    Pydantic,
    Dataclass,
}

/// A literal `env_prefix` configured in a pydantic settings class (`model_config =
/// SettingsConfigDict(env_prefix="APP_")` or `class Config: env_prefix = "APP_"`).
fn env_prefix(class: &ast::StmtClassDef) -> Option<String> {
    class.body.iter().find_map(|stmt| match stmt {
        Stmt::Assign(a) => match a.value.as_ref() {
            Expr::Call(call) => ast_util::keyword(call, "env_prefix")
                .and_then(|k| ast_util::string_literal(&k.value)),
            Expr::Dict(d) => d.items.iter().find_map(|item| {
                let key = item.key.as_ref().and_then(ast_util::string_literal)?;
                (key == "env_prefix")
                    .then(|| ast_util::string_literal(&item.value))
                    .flatten()
            }),
            _ => None,
        },
        Stmt::ClassDef(inner) if inner.name.as_str() == "Config" => {
            inner.body.iter().find_map(|s| match s {
                Stmt::Assign(a)
                    if a.targets.len() == 1
                        && target_name(&a.targets[0]).as_deref() == Some("env_prefix") =>
                {
                    ast_util::string_literal(&a.value)
                }
                _ => None,
            })
        }
        _ => None,
    })
}

/// Why removing the default of a dataclass field would break the class (a field without a
/// default after one with a default is a TypeError), or None when it is safe.
fn dataclass_default_removal_blocker(
    class: &ast::StmtClassDef,
    index: usize,
) -> Option<&'static str> {
    let kw_only = class.decorator_list.iter().any(|d| match &d.expression {
        Expr::Call(c) => ast_util::keyword(c, "kw_only")
            .is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value)),
        _ => false,
    });
    if kw_only {
        return None;
    }
    if class
        .arguments
        .as_ref()
        .is_some_and(|a| !a.args.is_empty() || !a.keywords.is_empty())
    {
        return Some("the dataclass has base classes whose fields remedy cannot see");
    }
    let earlier_default = class.body[..index].iter().any(|s| match s {
        Stmt::AnnAssign(a) => a.value.is_some() && !is_classvar(&a.annotation),
        _ => false,
    });
    earlier_default.then_some("an earlier field has a default, so a required field here would be a TypeError; reorder the fields by hand")
}

fn is_classvar(annotation: &Expr) -> bool {
    let head = match annotation {
        Expr::Subscript(s) => s.value.as_ref(),
        other => other,
    };
    ast_util::dotted_name(head).is_some_and(|d| d == "ClassVar" || d.ends_with(".ClassVar"))
}

/// One indentation level: the step between the enclosing block's header and its body, else
/// the file's first indented line's indentation, else four spaces.
fn indent_unit(ctx: &FileContext, at: TextSize, indent: &str) -> String {
    if let Some(function) = ast_util::enclosing_function(ctx.module(), at) {
        let outer = ctx.indentation_at(function.start());
        if let Some(step) = indent.strip_prefix(outer).filter(|s| !s.is_empty()) {
            // The body may be nested deeper than one level below the def; a step is one level
            // only when it is uniform, so prefer the first body statement's indentation.
            if let Some(first) = function.body.first()
                && let Some(first_step) = ctx
                    .indentation_at(first.start())
                    .strip_prefix(outer)
                    .filter(|s| !s.is_empty())
            {
                return first_step.to_string();
            }
            return step.to_string();
        }
    }
    for line in ctx.source.lines() {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.len() < line.len() && !trimmed.is_empty() && !trimmed.starts_with('#') {
            return line[..line.len() - trimmed.len()].to_string();
        }
    }
    "    ".to_string()
}

impl<'c, 'a> Visitor<'a> for Scan<'c, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::ClassDef(class) => {
                let kind = self.settings_class_kind(class);
                self.classes.push(class);
                if let Some(kind) = kind {
                    for (index, field) in class.body.iter().enumerate() {
                        if let Stmt::AnnAssign(field) = field {
                            self.check_settings_field(class, kind, index, field);
                        }
                    }
                }
                visitor::walk_stmt(self, stmt);
                self.classes.pop();
                return;
            }
            Stmt::If(_)
            | Stmt::Try(_)
            | Stmt::With(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::Match(_)
                if self.function_depth == 0 =>
            {
                self.block_depth += 1;
                visitor::walk_stmt(self, stmt);
                self.block_depth -= 1;
                return;
            }
            Stmt::FunctionDef(_) => {
                self.function_depth += 1;
                visitor::walk_stmt(self, stmt);
                self.function_depth -= 1;
                return;
            }
            Stmt::Assign(a) if a.targets.len() == 1 => {
                self.check_literal_assignment(&a.targets[0], &a.value);
                self.assignment_target = target_name(&a.targets[0]).map(|t| (t, a.value.range()));
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    let in_settings_class = self.function_depth == 0
                        && self
                            .classes
                            .last()
                            .is_some_and(|c| self.settings_class_kind(c).is_some());
                    if !in_settings_class {
                        self.check_literal_assignment(&a.target, value);
                    }
                    self.assignment_target = target_name(&a.target).map(|t| (t, value.range()));
                }
            }
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
        self.assignment_target = None;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => self.check_lookup_with_default(call),
            Expr::BoolOp(bool_op) => self.check_or_fallback(bool_op),
            _ => {}
        }
        let inner_scope = matches!(
            expr,
            Expr::Lambda(_)
                | Expr::ListComp(_)
                | Expr::SetComp(_)
                | Expr::DictComp(_)
                | Expr::Generator(_)
        );
        if inner_scope {
            self.inner_scope_depth += 1;
        }
        visitor::walk_expr(self, expr);
        if inner_scope {
            self.inner_scope_depth -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefilter_keeps_every_shape_and_drops_prose() {
        let t = &super::TRANSFORM;
        for text in [
            "self.signing_secret = signing_secret or \"default\"\n",
            "SECRET_KEY: str = 'changeme'\n",
            "DATABASE_URL = os.getenv(\n    \"DATABASE_URL\",\n    \"postgresql://u:changeme@h/db\",\n)\n",
            "app.config['SECRET_KEY'] = os.environ.get('SECRET_KEY', 'dev')\n",
            "STRIPE_KEY = r\"sk_live_x\"\n",
        ] {
            assert!(t.may_match(text), "{text}");
        }
        for text in [
            "# the token is read from a file\nx = tokenize(y)\n",
            "key = 'name'\nd[key] = 1\n",
            "def secret_handshake(a):\n    return a\n",
        ] {
            assert!(!t.may_match(text), "{text}");
        }
    }

    #[test]
    fn secret_names() {
        for strong in [
            "SECRET_KEY",
            "signing_secret",
            "API_KEY",
            "apiKey",
            "JWT_SECRET",
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "STRIPE_WEBHOOK_SECRET",
            "PRIVATE_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "clientSecret",
            "SECURITY_PASSWORD_SALT",
        ] {
            assert_eq!(classify_name(strong), SecretName::Strong, "{strong}");
        }
        for weak in ["STRIPE_KEY", "MAPBOX_KEY", "STORAGE_KEY"] {
            assert_eq!(classify_name(weak), SecretName::Weak, "{weak}");
        }
        for not in [
            "SECRET_KEY_FILE",
            "SECRET_KEY_PATH",
            "API_KEY_ID",
            "API_KEY_NAME",
            "STRIPE_PUBLISHABLE_KEY",
            "PASSWORD_MIN_LENGTH",
            "JWT_ALGORITHM",
            "ACCESS_TOKEN_EXPIRE_MINUTES",
            "LOG_LEVEL",
            "DB_POOL",
            "PORT",
            "DATABASE_URL",
            "SENTRY_DSN",
            "key",
            "PWD",
            "TOKEN_TYPE",
            "KEY_LENGTH",
            "CACHE_KEY",
            "SORT_KEY",
            "PARTITION_KEY",
            "IDEMPOTENCY_KEY",
        ] {
            assert_eq!(classify_name(not), SecretName::No, "{not}");
        }
    }

    #[test]
    fn url_passwords() {
        assert_eq!(
            embedded_password("postgresql://app:changeme@localhost:5432/app"),
            Some("changeme")
        );
        assert_eq!(
            embedded_password("redis://:hunter2@cache:6379/0"),
            Some("hunter2")
        );
        assert_eq!(embedded_password("redis://localhost:6379/0"), None);
        assert_eq!(embedded_password("sqlite:///./app.db"), None);
        assert_eq!(embedded_password("postgresql://app@localhost/app"), None);
        assert_eq!(
            embedded_password("postgresql://{user}:{password}@{host}/db"),
            None
        );
        assert_eq!(embedded_password("https://example.com/a@b:c"), None);
    }

    #[test]
    fn file_paths_are_not_secrets() {
        for path in [
            "admin/auth/user/change_password.html",
            "registration/password_reset_email.txt",
            "keys/private.pem",
            "./secrets/token.json",
        ] {
            assert!(is_relative_file_path(path), "{path}");
            assert!(secret_reason(&["SECRET"], path).is_none(), "{path}");
        }
        for secret in [
            "l!t+dmzf97rt9s*yrsux1py_1@odvz1szr&6&m!f@-nxq6k%%p",
            "change-me.please",
            "abc/def",
            "sk_live_abc.def",
            "Zm9vYmFy/YmF6.cXV4",
        ] {
            assert!(!is_relative_file_path(secret), "{secret}");
        }
        assert_eq!(
            classify_name("change_user_password_template"),
            SecretName::No
        );
    }

    #[test]
    fn target_name_counts_for_lookups() {
        assert!(secret_reason(&["PG_PW", "DB_PASSWORD"], "pw").is_some());
    }

    #[test]
    fn file_name_does_not_override_outer_secret_word() {
        assert!(secret_reason(&["SECRET_KEY_FILE", "secret"], "/run/secrets/key").is_none());
        assert!(secret_reason(&["DB_POOL"], "10").is_none());
    }
}
